//! A test drive's events: webhooks to the manufacturer and the location's partner, and the
//! driver's mails with the calendar invite. The drive is read when the event leaves, so a mail
//! says what holds then; what no longer applies leaves as nothing (a reminder for a drive that
//! was moved or cancelled, a confirmation of one that was cancelled).

use super::{Failure, Relay, Route};
use crate::drive_mail::{self, DriveMail};
use crate::storage::outbox::Event;
use crate::storage::test_drives::{self, TestDriveRow};
use domain::order::Topic;
use domain::test_drive::{self as td, Driver, TestDriveStatus};
use serde::Serialize;

/// What a drive's webhook tells the agent's systems.
#[derive(Serialize)]
struct DriveEventData<'a> {
    test_drive_id: &'a str,
    location_id: &'a str,
    partner_id: &'a str,
    line: &'a str,
    /// RFC 3339 UTC, and the location's wall clock.
    starts_at: i64,
    ends_at: i64,
    day: String,
    time: String,
    status: TestDriveStatus,
    customer: Driver,
    /// The configured car the customer came with.
    code: Option<&'a str>,
    /// The calendar invite's sequence (raised on each change).
    sequence: i64,
}

impl Relay {
    pub(super) async fn drive_event(
        &self,
        event: &Event,
        route: Route,
        done: &mut Vec<String>,
    ) -> Result<(), Failure> {
        let id = event.test_drive_id.as_deref().unwrap_or_default();
        let drive = test_drives::get(&self.db, id)
            .await
            .map_err(Failure::DriveUnreadable)?
            .ok_or_else(|| Failure::DriveGone(id.to_string()))?;
        match route {
            Route::Mail => self.drive_mail(event, &drive).await,
            Route::Webhook => {
                let (day, time) = td::local_slot(drive.starts_at);
                let data = DriveEventData {
                    test_drive_id: &drive.id,
                    location_id: &drive.location_id,
                    partner_id: &drive.partner_id,
                    line: &drive.line,
                    starts_at: drive.starts_at,
                    ends_at: drive.ends_at,
                    day,
                    time,
                    status: drive.status,
                    customer: drive.driver(),
                    code: drive.config_code.as_deref(),
                    sequence: drive.sequence,
                };
                let body = crate::webhook::body(event.topic, event.created_at, data);
                self.send_all(event, &drive.partner_id, &body, done).await
            }
        }
    }

    async fn drive_mail(&self, event: &Event, drive: &TestDriveRow) -> Result<(), Failure> {
        let kind = match event.topic {
            Topic::TestDriveReminder => DriveMail::Reminder,
            Topic::TestDriveCancellation => DriveMail::Cancellation,
            _ => DriveMail::Confirmation,
        };
        let booked = drive.status == TestDriveStatus::Booked;
        // The invite the event was made for: a reminder of a drive changed since says nothing
        // (its successor does), also when it moved back to the same hour.
        let payload = serde_json::from_str::<serde_json::Value>(&event.payload).unwrap_or_default();
        let for_invite = (payload["starts_at"].as_i64(), payload["sequence"].as_i64());
        let stale = match kind {
            DriveMail::Cancellation => false,
            DriveMail::Confirmation => !booked,
            DriveMail::Reminder => {
                !booked || for_invite != (Some(drive.starts_at), Some(drive.sequence))
            }
        };
        if stale {
            return Ok(());
        }
        let mailer = self.mailer.as_ref().ok_or(Failure::NoMailer)?;
        let origin = self
            .settings
            .public_origin
            .as_deref()
            .ok_or(Failure::NoPublicOrigin)?;
        let location = crate::reference_data()
            .0
            .location(&drive.location_id)
            .ok_or_else(|| Failure::DriveGone(drive.id.clone()))?;
        // Each mail that can change the drive carries its own link; only its hash is stored.
        let manage = if kind == DriveMail::Cancellation {
            None
        } else {
            let token = test_drives::create_token(&self.db, drive)
                .await
                .map_err(Failure::DriveUnreadable)?;
            Some(format!(
                "{}/test-drive/manage#{token}",
                origin.trim_end_matches('/')
            ))
        };
        let from = mailer.from_address();
        let mail = drive_mail::render(
            kind,
            &self.catalog,
            drive,
            location,
            &from,
            manage.as_deref(),
        );
        mailer
            .send_with_invite(
                &mail.to,
                &mail.subject,
                (mail.text, mail.html),
                mail.ics,
                mail.method,
            )
            .await
            .map_err(|e| Failure::Mail(e.to_string()))
    }
}
