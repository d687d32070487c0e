//! A test drive after booking, against a real database, an SMTP sink and webhook receivers:
//! the mail with the calendar invite and the manage link, moving and cancelling through that
//! link (the invite's UID kept, its SEQUENCE raised, the hour freed), the agent's signed events,
//! and the reminder a day before, sent once even by two instances (PostgreSQL).

mod common;

use common::hooks::{Answer, Receiver, SECRET};
use common::smtp::{Mail, Sink};
use common::*;
use serde_json::{json, Value};
use std::collections::HashMap;

/// Thursday 25 March 2027, 13:00 in Hamburg: three days before the clocks go forward.
const SPRING: i64 = 1_805_976_000;

fn utc(text: &str) -> i64 {
    text.parse::<jiff::Timestamp>().unwrap().as_second()
}

fn booking(starts_at: i64, email: &str) -> Value {
    json!({
        "location_id": "hamburg-01",
        "line": "PREMIUM",
        "starts_at": starts_at,
        "customer": {
            "first_name": "Erika",
            "last_name": "Mustermann",
            "email": email,
            "phone": "+49 40 123456",
        },
        "licence_confirmed": true,
        "terms_version": domain::order::terms_version(),
        "language": "de",
        "code": premium().0,
    })
}

async fn post(s: &TestServer, path: &str, body: &Value) -> (u16, Value) {
    let r = s.client.post(s.url(path)).json(body).send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

/// The invite's properties (unfolded lines, `NAME;PARAMS:VALUE` keyed by NAME).
fn invite(mail: &Mail) -> HashMap<String, String> {
    let ics = mail.part("text/calendar").expect("an invite is attached");
    // (The sink reads lines without their CR; domain::test_drive's tests check the CRLF.)
    let unfolded = ics.replace("\r\n ", "").replace("\n ", "");
    let mut props = HashMap::new();
    for line in unfolded.lines() {
        let (name, value) = line.split_once(':').unwrap();
        let name = name.split(';').next().unwrap().to_string();
        props.entry(name).or_insert_with(|| value.to_string());
    }
    props
}

/// The token of the manage link in the plain-text part.
fn manage_token(mail: &Mail) -> Option<String> {
    let text = mail.part("text/plain")?;
    let at = text.find("/test-drive/manage#")? + "/test-drive/manage#".len();
    Some(
        text[at..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect(),
    )
}

/// Whether the line's car is free at `starts_at` in the availability.
async fn free(s: &TestServer, starts_at: i64) -> bool {
    let url = s.url("/api/locations/hamburg-01/test-drives?line=PREMIUM");
    let a: Value = s
        .client
        .get(url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    a["days"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["slots"].as_array().unwrap())
        .find(|slot| slot["starts_at"] == starts_at)
        .map(|slot| slot["free"].as_bool().unwrap())
        .expect("the slot is listed")
}

#[tokio::test]
async fn the_mailed_link_moves_and_cancels_the_drive_and_each_mail_updates_one_calendar_event() {
    let sink = Sink::start().await;
    let (smtp, offset) = (sink.url.clone(), SPRING - server::storage::now());
    let mut sink = sink;
    let s = spawn_with(move |c| {
        c.clock_offset_seconds = offset;
        c.mail.smtp_url = Some(smtp);
        c.relay.poll_ms = 50;
    })
    .await;
    // Friday 26 March, 10:00 in Hamburg (CET, UTC+1).
    let friday = utc("2027-03-26T09:00:00Z");
    let (status, drive) = post(
        &s,
        "/api/test-drives",
        &booking(friday, "erika@example.org"),
    )
    .await;
    assert_eq!(status, 201, "{drive}");
    let booked = sink.next().await;
    assert_eq!(booked.to, "erika@example.org");
    assert!(booked.subject().contains("gebucht"), "{}", booked.subject());
    let text = booked.part("text/plain").unwrap();
    assert!(text.contains("Fr., 26.03.2027, 10:00–11:00 Uhr"), "{text}");
    assert!(text.contains("Führerschein"), "{text}");
    let first = invite(&booked);
    assert_eq!(first["METHOD"], "REQUEST");
    assert_eq!(first["SEQUENCE"], "0");
    assert_eq!(first["DTSTART"], "20270326T090000Z");
    assert_eq!(first["DTEND"], "20270326T100000Z");
    assert!(first["LOCATION"].contains("Hamburg"), "{first:?}");
    let token = manage_token(&booked).expect("a manage link");

    // The link shows the drive; a made-up one is not found.
    let (status, seen) = post(&s, "/api/test-drives/manage", &json!({ "token": token })).await;
    assert_eq!((status, &seen["id"]), (200, &drive["id"]));
    let (status, body) = post(
        &s,
        "/api/test-drives/manage",
        &json!({ "token": "x".repeat(43) }),
    )
    .await;
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));

    // Moved to Monday 29 March, 10:00 (CEST, UTC+2 since Sunday): the old hour is free.
    let monday = utc("2027-03-29T08:00:00Z");
    let change = json!({ "token": token, "starts_at": monday });
    let (status, moved) = post(&s, "/api/test-drives/manage/reschedule", &change).await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(
        (moved["day"].as_str(), moved["time"].as_str()),
        (Some("2027-03-29"), Some("10:00"))
    );
    assert!(free(&s, friday).await && !free(&s, monday).await);
    let moved_mail = sink.next().await;
    assert!(
        moved_mail.subject().contains("verlegt"),
        "{}",
        moved_mail.subject()
    );
    let second = invite(&moved_mail);
    assert_eq!(
        (second["UID"].as_str(), second["SEQUENCE"].as_str()),
        (first["UID"].as_str(), "1")
    );
    assert_eq!(second["DTSTART"], "20270329T080000Z");
    // A slot outside the opening hours is refused whatever the page sent.
    let night = json!({ "token": token, "starts_at": utc("2027-03-29T21:00:00Z") });
    let (status, body) = post(&s, "/api/test-drives/manage/reschedule", &night).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (422, Some("starts_at")),
        "{body}"
    );

    // Cancelled through the link from the first mail: the hour is free at once.
    let (status, cancelled) = post(
        &s,
        "/api/test-drives/manage/cancel",
        &json!({ "token": token }),
    )
    .await;
    assert_eq!(
        (status, cancelled["status"].as_str()),
        (200, Some("cancelled"))
    );
    assert!(free(&s, monday).await);
    let cancel_mail = sink.next().await;
    let third = invite(&cancel_mail);
    assert_eq!(third["METHOD"], "CANCEL");
    assert_eq!(third["STATUS"], "CANCELLED");
    assert_eq!(
        (third["UID"].as_str(), third["SEQUENCE"].as_str()),
        (first["UID"].as_str(), "2")
    );
    assert_eq!(manage_token(&cancel_mail), None, "nothing left to manage");
    // Nothing more to change; the history keeps the move and the cancel.
    let (status, body) = post(
        &s,
        "/api/test-drives/manage/cancel",
        &json!({ "token": token }),
    )
    .await;
    assert_eq!((status, body["error"].as_str()), (409, Some("conflict")));
    assert_eq!(body["current"]["status"], "cancelled");
    let (status, _) = post(&s, "/api/test-drives/manage/reschedule", &change).await;
    assert_eq!(status, 409);
    let id = drive["id"].as_str().unwrap();
    let kinds: Vec<String> = server::storage::test_drives::changes(&s.db, id)
        .await
        .unwrap()
        .into_iter()
        .map(|(_, kind, from, to)| format!("{kind} {from} {to:?}"))
        .collect();
    assert_eq!(
        kinds,
        [
            format!("rescheduled {friday} Some({monday})"),
            format!("cancelled {monday} None")
        ]
    );
}

#[tokio::test]
async fn a_moved_drive_taken_meanwhile_answers_with_the_days_free_slots() {
    let offset = SPRING - server::storage::now();
    let s = spawn_with(move |c| c.clock_offset_seconds = offset).await;
    let (friday_10, friday_11) = (utc("2027-03-26T09:00:00Z"), utc("2027-03-26T10:00:00Z"));
    let (status, mine) = post(
        &s,
        "/api/test-drives",
        &booking(friday_10, "erika@example.org"),
    )
    .await;
    assert_eq!(status, 201);
    let (status, _) = post(
        &s,
        "/api/test-drives",
        &booking(friday_11, "max@example.org"),
    )
    .await;
    assert_eq!(status, 201);
    let row = server::storage::test_drives::get(&s.db, mine["id"].as_str().unwrap())
        .await
        .unwrap()
        .unwrap();
    let token = server::storage::test_drives::create_token(&s.db, &row)
        .await
        .unwrap();
    let change = json!({ "token": token, "starts_at": friday_11 });
    let (status, body) = post(&s, "/api/test-drives/manage/reschedule", &change).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("slot_taken")),
        "{body}"
    );
    let offered: Vec<i64> = body["current"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["starts_at"].as_i64().unwrap())
        .collect();
    assert!(
        !offered.contains(&friday_11) && !offered.contains(&friday_10),
        "{offered:?}"
    );
    assert!(!offered.is_empty());
    // The drive kept its hour.
    assert!(!free(&s, friday_10).await);
}

#[tokio::test]
async fn the_agents_systems_get_the_drives_events_signed_and_in_order_and_another_partner_none() {
    let mut oem = Receiver::start(|_| Answer::Accept).await;
    let mut p01 = Receiver::start(|_| Answer::Accept).await;
    let p02 = Receiver::start(|_| Answer::Accept).await;
    let receivers = vec![
        format!("oem={}", oem.url),
        format!("P01={}", p01.url),
        format!("P02={}", p02.url),
    ];
    let offset = SPRING - server::storage::now();
    let s = spawn_with(move |c| {
        c.clock_offset_seconds = offset;
        c.webhooks.order_urls = receivers;
        c.webhooks.secret = Some(SECRET.into());
        c.relay.poll_ms = 50;
    })
    .await;
    let friday = utc("2027-03-26T09:00:00Z");
    let (status, drive) = post(
        &s,
        "/api/test-drives",
        &booking(friday, "erika@example.org"),
    )
    .await;
    assert_eq!(status, 201);
    let id = drive["id"].as_str().unwrap();
    let row = server::storage::test_drives::get(&s.db, id)
        .await
        .unwrap()
        .unwrap();
    let token = server::storage::test_drives::create_token(&s.db, &row)
        .await
        .unwrap();
    let change = json!({ "token": token, "starts_at": utc("2027-03-26T12:00:00Z") });
    assert_eq!(
        post(&s, "/api/test-drives/manage/reschedule", &change)
            .await
            .0,
        200
    );
    assert_eq!(
        post(
            &s,
            "/api/test-drives/manage/cancel",
            &json!({ "token": token })
        )
        .await
        .0,
        200
    );
    for receiver in [&mut oem, &mut p01] {
        let mut types = Vec::new();
        for _ in 0..3 {
            let event = receiver.next().await;
            assert_eq!(event.body["data"]["test_drive_id"], id);
            assert_eq!(event.body["data"]["partner_id"], "P01");
            assert_eq!(event.body["data"]["customer"]["last_name"], "Mustermann");
            assert_eq!(event.body["data"]["code"], premium().0);
            types.push(event.body["type"].as_str().unwrap().to_string());
        }
        assert_eq!(
            types,
            [
                "test_drive.booked",
                "test_drive.rescheduled",
                "test_drive.cancelled"
            ]
        );
    }
    assert_eq!(
        p02.calls(),
        0,
        "Kiel's partner hears nothing of a drive in Hamburg"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_reminder_goes_once_a_day_before_also_with_two_instances() {
    // Booked on Thursday 25 March for Saturday 27 March, 11:00 (10:00 UTC).
    let saturday = utc("2027-03-27T10:00:00Z");
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(dir.path()).await;
    let mut sink = Sink::start().await;
    let smtp = sink.url.clone();
    let (mut early, base) = start_at(&url, dir.path(), &smtp, SPRING);
    let client = client();
    let r = client
        .post(format!("{base}/api/test-drives"))
        .json(&booking(saturday, "erika@example.org"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let confirmation = sink.next().await;
    assert!(confirmation.subject().contains("gebucht"));
    // Moved to 12:00 and back to 11:00: three reminders were queued, one still holds.
    let token = manage_token(&confirmation).unwrap();
    for at in [utc("2027-03-27T11:00:00Z"), saturday] {
        let r = client
            .post(format!("{base}/api/test-drives/manage/reschedule"))
            .json(&json!({ "token": token, "starts_at": at }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert!(sink.next().await.subject().contains("verlegt"));
    }
    // Two days before, the reminder is not due: nothing more comes.
    sink.nothing_within(std::time::Duration::from_millis(800))
        .await;
    early.kill().unwrap();
    let _ = early.wait();

    // Friday 26 March, 11:30 in Hamburg: within a day of the drive. Two instances run on
    // PostgreSQL (one SQLite file has one process).
    let instances = if url.starts_with("postgres") { 2 } else { 1 };
    let mut running: Vec<_> = (0..instances)
        .map(|_| start_at(&url, dir.path(), &smtp, utc("2027-03-26T10:30:00Z")).0)
        .collect();
    let reminder = sink.next().await;
    assert!(
        reminder.subject().contains("Morgen"),
        "{}",
        reminder.subject()
    );
    assert_eq!(invite(&reminder)["DTSTART"], "20270327T100000Z");
    assert_eq!(invite(&reminder)["SEQUENCE"], "2", "the latest invite's");
    assert!(manage_token(&reminder).is_some());
    // Both relays keep polling; no second reminder comes.
    sink.nothing_within(std::time::Duration::from_secs(1)).await;
    for child in &mut running {
        child.kill().unwrap();
        let _ = child.wait();
    }
}

/// A server process whose clock reads `at`, mailing to `smtp`.
fn start_at(
    url: &str,
    dir: &std::path::Path,
    smtp: &str,
    at: i64,
) -> (std::process::Child, String) {
    let offset = (at - server::storage::now()).to_string();
    let env = [
        ("SMTP_URL", smtp),
        ("PUBLIC_ORIGIN", "http://shop.example"),
        ("RELAY_POLL_MS", "20"),
        ("CLOCK_OFFSET_SECONDS", offset.as_str()),
    ];
    start_binary_with(url, dir, &env)
}
