//! The mails of a test drive, in the language the customer booked in: the confirmation (on
//! booking and after each move), the reminder a day before, and the cancellation. Each carries
//! the calendar invite (`domain::test_drive::ics`: the same UID for the drive's whole life, its
//! SEQUENCE raised on each change, `METHOD:CANCEL` for a cancel) and, while the drive can be
//! changed, the manage link. A plain text and an HTML part say the same.

use crate::mail::escape_html;
use crate::storage::test_drives::TestDriveRow;
use domain::test_drive::{self, Invite};
use domain::{Catalog, Lang, Location};

/// Which mail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DriveMail {
    Confirmation,
    Reminder,
    Cancellation,
}

pub struct RenderedDriveMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The calendar invite and its iTIP method (REQUEST or CANCEL).
    pub ics: String,
    pub method: &'static str,
}

struct Words {
    subject: &'static str,
    greeting: &'static str,
    lead: &'static str,
    when: &'static str,
    car: &'static str,
    at: &'static str,
    licence: &'static str,
    manage: &'static str,
    invite: &'static str,
}

fn words(kind: DriveMail, moved: bool, lang: Lang) -> Words {
    let de = lang == Lang::De;
    let (subject, lead) = match (kind, moved, de) {
        (DriveMail::Confirmation, false, true) => (
            "Ihre Probefahrt im smart #1 ist gebucht",
            "Ihre Probefahrt ist gebucht. Wir freuen uns auf Sie.",
        ),
        (DriveMail::Confirmation, false, false) => (
            "Your smart #1 test drive is booked",
            "your test drive is booked. We look forward to seeing you.",
        ),
        (DriveMail::Confirmation, true, true) => (
            "Ihre Probefahrt im smart #1 wurde verlegt",
            "Ihre Probefahrt wurde verlegt. Der neue Termin:",
        ),
        (DriveMail::Confirmation, true, false) => (
            "Your smart #1 test drive was moved",
            "your test drive was moved. The new time:",
        ),
        (DriveMail::Reminder, _, true) => (
            "Morgen: Ihre Probefahrt im smart #1",
            "zur Erinnerung: Ihre Probefahrt ist morgen.",
        ),
        (DriveMail::Reminder, _, false) => (
            "Tomorrow: your smart #1 test drive",
            "a reminder: your test drive is tomorrow.",
        ),
        (DriveMail::Cancellation, _, true) => (
            "Ihre Probefahrt im smart #1 ist storniert",
            "Ihre Probefahrt ist storniert. Der Termin ist wieder frei.",
        ),
        (DriveMail::Cancellation, _, false) => (
            "Your smart #1 test drive is cancelled",
            "your test drive is cancelled. The slot is free again.",
        ),
    };
    if de {
        Words {
            subject,
            greeting: "Guten Tag",
            lead,
            when: "Termin",
            car: "Fahrzeug",
            at: "Ort",
            licence: "Bitte bringen Sie Ihren gültigen Führerschein mit.",
            manage: "Termin verlegen oder absagen",
            invite: "Der Termin liegt dieser E-Mail als Kalendereintrag (.ics) bei.",
        }
    } else {
        Words {
            subject,
            greeting: "Hello",
            lead,
            when: "When",
            car: "Car",
            at: "Where",
            licence: "Please bring your valid driving licence.",
            manage: "Move or cancel the drive",
            invite: "The calendar entry (.ics) is attached to this e-mail.",
        }
    }
}

/// "Mo., 29.03.2027, 10:00–11:00 Uhr" / "Mon 29 Mar 2027, 10:00–11:00".
fn when(row: &TestDriveRow, lang: Lang) -> String {
    let (day, start) = test_drive::local_slot(row.starts_at);
    let (_, end) = test_drive::local_slot(row.ends_at);
    let weekday = test_drive::local_day(row.starts_at)
        .weekday()
        .to_monday_zero_offset() as usize;
    let parts: Vec<&str> = day.split('-').collect();
    let (y, m, d) = (parts[0], parts[1], parts[2]);
    match lang {
        Lang::De => {
            let wd = ["Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."][weekday];
            format!("{wd}, {d}.{m}.{y}, {start}–{end} Uhr")
        }
        Lang::En => {
            let wd = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][weekday];
            let months = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ];
            let month = months[m.parse::<usize>().unwrap_or(1).clamp(1, 12) - 1];
            format!(
                "{wd} {} {month} {y}, {start}–{end}",
                d.trim_start_matches('0')
            )
        }
    }
}

/// The mail `kind` for the drive as it is now. `manage`: the manage link (none on a cancel).
pub fn render(
    kind: DriveMail,
    catalog: &Catalog,
    row: &TestDriveRow,
    location: &Location,
    from: &str,
    manage: Option<&str>,
) -> RenderedDriveMail {
    let lang = Lang::from_tag(&row.language);
    let w = words(kind, row.sequence > 0, lang);
    let name = format!("{} {}", row.first_name, row.last_name);
    let line = catalog
        .lines()
        .iter()
        .find(|l| l.code == row.line)
        .map_or_else(|| row.line.clone(), |l| l.name.get(lang).to_string());
    let car = format!("smart #1 {line}");
    let address = format!(
        "{}, {} {}",
        location.street, location.postcode, location.city
    );
    let place = format!("{}, {address}, {}", location.name, location.phone);
    let when = when(row, lang);
    let cancelled = kind == DriveMail::Cancellation;
    let summary = format!(
        "{} – {car}",
        if lang == Lang::De {
            "Probefahrt"
        } else {
            "Test drive"
        }
    );
    let ics = test_drive::ics(&Invite {
        uid: &format!("{}@test-drives.smart1", row.id),
        sequence: row.sequence,
        starts_at: row.starts_at,
        ends_at: row.ends_at,
        stamp: crate::storage::now(),
        summary: &summary,
        location: &format!("{}, {address}", location.name),
        description: w.licence,
        organizer: from,
        attendee: &row.email,
        cancelled,
    });
    let manage = manage.filter(|_| !cancelled);
    let manage_text = manage
        .map(|m| format!("\n{}: {m}\n", w.manage))
        .unwrap_or_default();
    let licence = if cancelled { "" } else { w.licence };
    let text = format!(
        "{greeting} {name},\n\n{lead}\n\n{when_l}: {when}\n{car_l}: {car}\n{at_l}: {place}\n\n{licence}\n{manage_text}\n{invite}\n",
        greeting = w.greeting,
        lead = w.lead,
        when_l = w.when,
        car_l = w.car,
        at_l = w.at,
        invite = w.invite,
    );
    let e = escape_html;
    let manage_html = manage
        .map(|m| format!("<p><a href=\"{0}\">{1}</a></p>", e(m), e(w.manage)))
        .unwrap_or_default();
    let html = format!(
        "<!doctype html><html lang=\"{code}\"><head><meta charset=\"utf-8\"><title>{subject}</title></head>\
         <body style=\"font-family:sans-serif;line-height:1.5\">\
         <p>{greeting} {name},</p><p>{lead}</p>\
         <table><tr><th align=\"left\">{when_l}</th><td>{when}</td></tr>\
         <tr><th align=\"left\">{car_l}</th><td>{car}</td></tr>\
         <tr><th align=\"left\">{at_l}</th><td>{place}</td></tr></table>\
         <p>{licence}</p>{manage_html}<p>{invite}</p></body></html>",
        code = lang.code(),
        subject = e(w.subject),
        greeting = e(w.greeting),
        name = e(&name),
        lead = e(w.lead),
        when_l = e(w.when),
        when = e(&when),
        car_l = e(w.car),
        car = e(&car),
        at_l = e(w.at),
        place = e(&place),
        licence = e(licence),
        invite = e(w.invite),
    );
    RenderedDriveMail {
        to: row.email.clone(),
        subject: w.subject.to_string(),
        text,
        html,
        ics,
        method: if cancelled { "CANCEL" } else { "REQUEST" },
    }
}
