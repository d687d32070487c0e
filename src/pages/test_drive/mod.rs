//! Test drives (the drive build, `domain::pages::Bundle::Drive`): `/test-drive` books one at an
//! agency location (the line and location may come preselected from the configurator's summary,
//! a location card or a showroom screen), `/test-drive/manage#<token>` moves or cancels it
//! through the link in the confirmation mail. What may be booked is the server's answer: the
//! page shows its slots and its refusals.

mod book;
mod manage;
mod slots;

pub use book::{BookTestDrive, DriverFields};
pub use manage::ManageTestDrive;
pub use slots::{Chosen as SlotChoice, SlotPicker};

use crate::i18n::{local_date_iso, t};
use domain::test_drive::{LineName, TestDriveView};
use domain::Lang;
use leptos::prelude::*;

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

/// The lines one can drive, asked of the server: this build carries no catalog (it would be
/// most of its download).
fn lines() -> LocalResource<Vec<LineName>> {
    LocalResource::new(|| async { crate::api::test_drive_lines().await.unwrap_or_default() })
}

/// A line's name in `lang`, its code while the names are not there.
fn line_name(lines: &[LineName], code: &str, lang: Lang) -> String {
    lines
        .iter()
        .find(|l| l.code == code)
        .map_or_else(|| code.to_string(), |l| l.name.get(lang).to_string())
}
