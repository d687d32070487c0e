//! Test drives (the drive build, `domain::pages::Bundle::Drive`): `/test-drive` books one at an
//! agency location (the line and location may come preselected from the configurator's summary,
//! a location card or a showroom screen), `/test-drive/manage#<token>` moves or cancels it
//! through the link in the confirmation mail. What may be booked is the server's answer: the
//! page shows its slots and its refusals.

mod book;
mod manage;
mod slots;

pub use book::BookTestDrive;
pub use manage::ManageTestDrive;

use crate::i18n::{local_date_iso, t};
use domain::test_drive::TestDriveView;
use domain::Lang;

/// "26.03.2027, 10:00" / "26/03/2027, 10:00": a drive's start on the location's clock.
fn when(drive: &TestDriveView, lang: Lang) -> String {
    format!(
        "{}, {} {}",
        local_date_iso(&drive.day, lang),
        drive.time,
        t(lang, "td.oclock")
    )
    .trim_end()
    .to_string()
}
