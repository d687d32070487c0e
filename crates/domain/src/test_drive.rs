//! Test drives at an agency location: the 60-minute slots a location offers within its opening
//! hours over the next 28 days (Europe/Berlin wall-clock times, stored as UTC instants), the demo
//! cars a slot is booked on, and whether a requested slot may be booked at all. Whether a slot is
//! still free is the database's answer (one booking per car and hour, see the server's storage).

use crate::hygiene::limits;
use crate::locations::{Location, Network, Service, Weekday};
use crate::order::{check_email, check_own_text, check_phone, Field, Invalid, Problem};
use crate::{Channel, Lang};
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// A drive's length; slots start on the hour of an opening interval.
pub const SLOT_MINUTES: u16 = 60;
/// How far ahead a drive can be booked: today and the 27 days after it.
pub const DAYS_AHEAD: i32 = 28;

/// The locations' clock: every location is in Germany.
static BERLIN: LazyLock<TimeZone> = LazyLock::new(|| {
    TimeZone::get("Europe/Berlin").expect("the bundled time zone database has Europe/Berlin")
});

/// One hour at one location, as its wall clock shows it and as the instant it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Slot {
    /// Seconds since the epoch (UTC) of the start.
    pub starts_at: i64,
    /// Seconds since the epoch (UTC) of the end.
    pub ends_at: i64,
    /// The location's day, "YYYY-MM-DD".
    pub day: String,
    /// The location's wall-clock start, "HH:MM".
    pub time: String,
}

/// Why a requested slot cannot be booked, whatever is free.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SlotRefused {
    #[error("this location offers no test drives")]
    NoTestDrives,
    #[error("the slot has begun or is over")]
    Past,
    #[error("the slot is more than 28 days ahead")]
    TooFar,
    #[error("the slot is not an hour within the location's opening hours")]
    OutsideHours,
}

/// The location's day an instant falls on.
pub fn local_day(at: i64) -> Date {
    let at = Timestamp::from_second(at).unwrap_or(Timestamp::UNIX_EPOCH);
    at.to_zoned_datetime(BERLIN.clone()).date()
}

/// The instants from the start of the location's day `from` ("YYYY-MM-DD") to the start of the
/// day `days` later: a day or a week of the agenda.
pub fn day_range(from: &str, days: u32) -> Option<(i64, i64)> {
    let first: Date = from.parse().ok()?;
    let last = first
        .checked_add(jiff::Span::new().days(i64::from(days)))
        .ok()?;
    let start = |d: Date| {
        d.to_zoned_datetime(BERLIN.clone())
            .ok()
            .map(|z| z.timestamp().as_second())
    };
    Some((start(first)?, start(last)?))
}

/// The location's day and wall-clock time of an instant: ("2027-03-28", "09:00").
pub fn local_slot(at: i64) -> (String, String) {
    let at = Timestamp::from_second(at).unwrap_or(Timestamp::UNIX_EPOCH);
    let zoned = at.to_zoned_datetime(BERLIN.clone());
    let time = format!("{:02}:{:02}", zoned.hour(), zoned.minute());
    (zoned.date().to_string(), time)
}

fn weekday(day: Date) -> Weekday {
    Weekday::from_monday_index(day.weekday().to_monday_zero_offset() as u32)
}

/// The instant of a wall-clock time on a day in Germany, if that time exists (not in the hour the
/// clocks skip in March); in the hour October repeats, the first.
fn instant(day: Date, minute: u16) -> Option<i64> {
    let wall = DateTime::from_parts(day, jiff::civil::Time::midnight())
        .checked_add(jiff::SignedDuration::from_mins(i64::from(minute)))
        .ok()?;
    let zoned = wall.to_zoned_datetime(BERLIN.clone()).ok()?;
    (zoned.datetime() == wall).then(|| zoned.timestamp().as_second())
}

/// Every slot of one day at a location, in order (also those already past). A slot is an hour of
/// real time that starts on the hour of an opening interval: on the nights the clocks change, a
/// wall-clock hour that does not exist or lasts two hours is no slot (opening hours are by day,
/// so none of the locations has one).
pub fn slots_on(location: &Location, day: Date) -> Vec<Slot> {
    let mut slots = Vec::new();
    for interval in location.intervals(weekday(day)) {
        let mut start = interval.open;
        while start + SLOT_MINUTES <= interval.close {
            let (from, to) = (instant(day, start), instant(day, start + SLOT_MINUTES));
            if let Some((starts_at, ends_at)) = from.zip(to.or(from.map(|f| f + 3600))) {
                if ends_at - starts_at == i64::from(SLOT_MINUTES) * 60 {
                    slots.push(Slot {
                        starts_at,
                        ends_at,
                        day: day.to_string(),
                        time: format!("{:02}:{:02}", start / 60, start % 60),
                    });
                }
            }
            start += SLOT_MINUTES;
        }
    }
    slots
}

/// The days a drive can be booked for, from the location's today at `now`.
pub fn booking_days(now: i64) -> impl Iterator<Item = Date> {
    let today = local_day(now);
    today
        .series(jiff::Span::new().days(1))
        .take(DAYS_AHEAD as usize)
}

/// Every slot that can still be booked at a location (free or not), from `now` on.
pub fn bookable_slots(location: &Location, now: i64) -> Vec<Slot> {
    if !location.services.contains(&Service::TestDrive) {
        return Vec::new();
    }
    booking_days(now)
        .flat_map(|day| slots_on(location, day))
        .filter(|slot| slot.starts_at > now)
        .collect()
}

/// The slot that starts at `starts_at`, if a customer may book it at `now`.
pub fn check_slot(location: &Location, starts_at: i64, now: i64) -> Result<Slot, SlotRefused> {
    if !location.services.contains(&Service::TestDrive) {
        return Err(SlotRefused::NoTestDrives);
    }
    if starts_at <= now {
        return Err(SlotRefused::Past);
    }
    let day = local_day(starts_at);
    if !booking_days(now).any(|d| d == day) {
        return Err(SlotRefused::TooFar);
    }
    slots_on(location, day)
        .into_iter()
        .find(|slot| slot.starts_at == starts_at)
        .ok_or(SlotRefused::OutsideHours)
}

/// The demo car of a line at a location: each location that offers test drives keeps one car of
/// every line. A booking holds its car for the hour.
pub fn demo_car(location: &Location, line: &str) -> Option<String> {
    location
        .services
        .contains(&Service::TestDrive)
        .then(|| format!("{}/{line}", location.id))
}

/// Where a drive stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TestDriveStatus {
    Booked,
    Done,
    NoShow,
    Cancelled,
    /// Not a drive: an hour staff blocked the car for (service, a fair).
    Blocked,
}

impl TestDriveStatus {
    pub const ALL: [TestDriveStatus; 5] = [
        TestDriveStatus::Booked,
        TestDriveStatus::Done,
        TestDriveStatus::NoShow,
        TestDriveStatus::Cancelled,
        TestDriveStatus::Blocked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TestDriveStatus::Booked => "booked",
            TestDriveStatus::Done => "done",
            TestDriveStatus::NoShow => "no_show",
            TestDriveStatus::Cancelled => "cancelled",
            TestDriveStatus::Blocked => "blocked",
        }
    }
}

/// A stored status read back.
impl TryFrom<String> for TestDriveStatus {
    type Error = String;

    fn try_from(name: String) -> Result<TestDriveStatus, String> {
        let known = TestDriveStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == name);
        known.ok_or_else(|| format!("unknown test-drive status {name:?}"))
    }
}

/// Who drives: a guest gives this; a signed-in customer's booking also shows in the account.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Driver {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
}

/// `POST /api/test-drives`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TestDriveRequest {
    pub location_id: String,
    /// The line to drive (`PRO`, `PREMIUM`, `BRABUS`, ...).
    pub line: String,
    /// The slot's start, seconds since the epoch (UTC), as the availability lists it.
    pub starts_at: i64,
    pub customer: Driver,
    /// The customer confirms a valid driving licence.
    pub licence_confirmed: bool,
    /// The terms version the customer accepted (the current one).
    pub terms_version: String,
    #[serde(default)]
    pub language: Lang,
    /// The configured car the customer comes with (a configuration code), shown to the agent.
    #[serde(default)]
    pub code: Option<String>,
}

/// A booking as the customer and the agent see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TestDriveView {
    pub id: String,
    pub location_id: String,
    pub location_name: String,
    pub line: String,
    pub starts_at: i64,
    pub ends_at: i64,
    /// The location's day, "YYYY-MM-DD", and wall-clock start, "HH:MM".
    pub day: String,
    pub time: String,
    pub status: TestDriveStatus,
    pub channel: Channel,
}

/// One slot of the availability: free when the line's demo car is free for the whole hour.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpenSlot {
    pub starts_at: i64,
    pub ends_at: i64,
    pub time: String,
    pub free: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AvailableDay {
    /// "YYYY-MM-DD", the location's day.
    pub day: String,
    pub slots: Vec<OpenSlot>,
}

/// `GET /api/locations/{id}/test-drives?line=`: the next 28 days, each with its slots.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Availability {
    pub location_id: String,
    pub line: String,
    pub days: Vec<AvailableDay>,
}

/// The availability from the bookable slots and the starts already taken on the line's car.
pub fn availability(location: &Location, line: &str, taken: &[i64], now: i64) -> Availability {
    let mut days: Vec<AvailableDay> = booking_days(now)
        .map(|day| AvailableDay {
            day: day.to_string(),
            slots: Vec::new(),
        })
        .collect();
    for slot in bookable_slots(location, now) {
        if let Some(day) = days.iter_mut().find(|d| d.day == slot.day) {
            day.slots.push(OpenSlot {
                free: !taken.contains(&slot.starts_at),
                starts_at: slot.starts_at,
                ends_at: slot.ends_at,
                time: slot.time,
            });
        }
    }
    Availability {
        location_id: location.id.clone(),
        line: line.to_string(),
        days,
    }
}

/// A booking in the agent's agenda: with whom to call and the car they configured, if any.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgendaEntry {
    #[serde(flatten)]
    pub drive: TestDriveView,
    pub customer: Driver,
    /// The configuration code the customer came with.
    pub code: Option<String>,
    /// An hour of a block (status `blocked`): the block it belongs to and why.
    #[serde(default)]
    pub block_id: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// `POST /api/agent/test-drives/blocks`: a location's demo car of a line out of service for
/// whole days (every hour of them within the opening hours).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BlockRequest {
    pub location_id: String,
    pub line: String,
    /// The first day, "YYYY-MM-DD" (today or later).
    pub from: String,
    /// 1 to 28.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 28))]
    pub days: u32,
    /// Why, for the agenda (e.g. "Service"), up to 200 characters.
    #[serde(default)]
    pub note: String,
}

/// A block made: its id (to lift it) and how many hours it holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlockView {
    pub block_id: String,
    pub hours: usize,
}

/// The hours a block of `days` days from `from` holds: every slot of those days still ahead of
/// `now`. `None` for a day that does not read, a day before today, or `days` outside 1 to 28.
pub fn block_slots(location: &Location, from: &str, days: u32, now: i64) -> Option<Vec<Slot>> {
    let first: Date = from.parse().ok()?;
    if !(1..=28).contains(&days) || first < local_day(now) {
        return None;
    }
    let mut slots = Vec::new();
    for n in 0..days {
        let day = first
            .checked_add(jiff::Span::new().days(i64::from(n)))
            .ok()?;
        slots.extend(
            slots_on(location, day)
                .into_iter()
                .filter(|s| s.starts_at > now),
        );
    }
    Some(slots)
}

/// What staff mark a drive that was booked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Outcome {
    /// `done` or `no_show`.
    pub to: TestDriveStatus,
}

/// `GET /api/test-drives/lines`: a line one can drive, as the price list names it (the drive
/// pages ask for these instead of carrying the whole catalog).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineName {
    pub code: String,
    pub name: crate::Text,
}

/// `POST /api/test-drives/manage`: the drive a manage link stands for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ManageRequest {
    /// The token of the link in the confirmation mail.
    pub token: String,
}

/// `POST /api/test-drives/manage/reschedule`: another hour at the same location, same line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RescheduleRequest {
    pub token: String,
    /// The new slot's start, seconds since the epoch (UTC), as the availability lists it.
    pub starts_at: i64,
}

/// A request that may be stored: cleaned, its slot and the car it holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Booking<'a> {
    pub location: &'a Location,
    pub line: String,
    pub car_id: String,
    pub slot: Slot,
    pub customer: Driver,
    pub language: Lang,
    pub code: Option<String>,
}

/// A refused slot as the answer names it.
pub fn slot_invalid(refused: SlotRefused) -> Invalid {
    let problem = match refused {
        SlotRefused::Past => Problem::TooEarly,
        SlotRefused::TooFar => Problem::TooLate,
        SlotRefused::OutsideHours | SlotRefused::NoTestDrives => Problem::Unknown,
    };
    Invalid::new(Field::Slot, problem)
}

/// Checks a booking request as the server must, whatever the client sent: the location offers
/// test drives, the line exists, the slot is a bookable hour, the driver's data, the licence and
/// the terms. Whether the car is still free is the database's answer.
pub fn check_request<'a>(
    network: &'a Network,
    lines: &[&str],
    request: &TestDriveRequest,
    now: i64,
) -> Result<Booking<'a>, Invalid> {
    let location = network
        .location(&request.location_id)
        .filter(|l| l.services.contains(&Service::TestDrive))
        .ok_or(Invalid::new(Field::Location, Problem::Unknown))?;
    if !lines.contains(&request.line.as_str()) {
        return Err(Invalid::new(Field::Line, Problem::Unknown));
    }
    let slot = check_slot(location, request.starts_at, now).map_err(slot_invalid)?;
    let c = &request.customer;
    let customer = Driver {
        first_name: check_own_text(Field::FirstName, &c.first_name, limits::NAME)?,
        last_name: check_own_text(Field::LastName, &c.last_name, limits::NAME)?,
        email: check_email(&c.email)?,
        phone: check_phone(&c.phone)?,
    };
    if !request.licence_confirmed {
        return Err(Invalid::new(Field::Licence, Problem::NotAccepted));
    }
    if request.terms_version != crate::order::terms_version() {
        return Err(Invalid::new(Field::Terms, Problem::NotAccepted));
    }
    let code = request
        .code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    Ok(Booking {
        location,
        car_id: demo_car(location, &request.line).expect("the location offers test drives"),
        line: request.line.clone(),
        slot,
        customer,
        language: request.language,
        code: code.map(|c| c.chars().take(200).collect()),
    })
}

/// What a calendar invite for a drive says (RFC 5545 with the iTIP methods of RFC 5546).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invite<'a> {
    /// Stable for the drive's whole life: a reschedule or cancel replaces the same event.
    pub uid: &'a str,
    /// Raised on each change (reschedule, cancel).
    pub sequence: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    /// When the invite is made.
    pub stamp: i64,
    pub summary: &'a str,
    /// The location's address, one line.
    pub location: &'a str,
    pub description: &'a str,
    /// The shop's sending address (the organizer) and the customer's.
    pub organizer: &'a str,
    pub attendee: &'a str,
    /// A cancel (`METHOD:CANCEL`, `STATUS:CANCELLED`) instead of a request.
    pub cancelled: bool,
}

/// `20270329T070000Z`.
fn ics_time(at: i64) -> String {
    let at = Timestamp::from_second(at).unwrap_or(Timestamp::UNIX_EPOCH);
    let utc = at.to_zoned_datetime(TimeZone::UTC);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        utc.year(),
        utc.month(),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second()
    )
}

/// A TEXT value: backslash, semicolon, comma and line breaks escaped (RFC 5545 3.3.11).
fn ics_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// A content line folded at 75 octets, never inside a character (RFC 5545 3.1), with CRLF.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// The invite as an `.ics` file.
pub fn ics(invite: &Invite) -> String {
    let (method, status) = if invite.cancelled {
        ("CANCEL", "CANCELLED")
    } else {
        ("REQUEST", "CONFIRMED")
    };
    let lines = [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        "PRODID:-//smart #1 Germany//test drives//DE".into(),
        "CALSCALE:GREGORIAN".into(),
        format!("METHOD:{method}"),
        "BEGIN:VEVENT".into(),
        format!("UID:{}", ics_text(invite.uid)),
        format!("SEQUENCE:{}", invite.sequence),
        format!("DTSTAMP:{}", ics_time(invite.stamp)),
        format!("DTSTART:{}", ics_time(invite.starts_at)),
        format!("DTEND:{}", ics_time(invite.ends_at)),
        format!("SUMMARY:{}", ics_text(invite.summary)),
        format!("LOCATION:{}", ics_text(invite.location)),
        format!("DESCRIPTION:{}", ics_text(invite.description)),
        format!("ORGANIZER:mailto:{}", invite.organizer),
        format!(
            "ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:{}",
            invite.attendee
        ),
        format!("STATUS:{status}"),
        "END:VEVENT".into(),
        "END:VCALENDAR".into(),
    ];
    let mut out = String::new();
    for line in &lines {
        fold(line, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Network;

    fn utc(text: &str) -> i64 {
        text.parse::<Timestamp>().unwrap().as_second()
    }

    fn store() -> Location {
        Network::embedded().location("hamburg-01").unwrap().clone()
    }

    /// 09:00 in Hamburg is 08:00 UTC in winter and 07:00 UTC in summer; the days the clocks
    /// change have their slots at the right instants, none lost or doubled.
    #[test]
    fn slots_on_the_days_the_clocks_change_are_the_right_instants() {
        let location = store();
        // Sunday 28 March 2027: the clocks go from 02:00 to 03:00. Hamburg-01 is closed on
        // Sundays, so the Monday after and the Saturday before show the change.
        let saturday = slots_on(&location, "2027-03-27".parse().unwrap());
        assert_eq!(
            saturday.first().unwrap().starts_at,
            utc("2027-03-27T09:00:00Z")
        );
        let monday = slots_on(&location, "2027-03-29".parse().unwrap());
        assert_eq!(
            monday.first().unwrap().starts_at,
            utc("2027-03-29T07:00:00Z")
        );
        assert_eq!(monday.first().unwrap().time, "09:00");
        // A location open on the Sundays of the change: the wall clock decides.
        let mut sunday_open = location.clone();
        sunday_open.hours.insert(
            Weekday::Sun,
            vec!["01:00-05:00".into(), "10:00-12:00".into()],
        );
        let spring = slots_on(&sunday_open, "2027-03-28".parse().unwrap());
        let times: Vec<&str> = spring.iter().map(|s| s.time.as_str()).collect();
        // 02:00 does not exist that night: no slot.
        assert_eq!(times, ["01:00", "03:00", "04:00", "10:00", "11:00"]);
        assert_eq!(spring[0].starts_at, utc("2027-03-28T00:00:00Z"));
        assert_eq!(spring[0].ends_at, utc("2027-03-28T01:00:00Z"));
        assert_eq!(spring[1].starts_at, utc("2027-03-28T01:00:00Z"));
        assert_eq!(spring[3].starts_at, utc("2027-03-28T08:00:00Z"));
        // Sunday 31 October 2027: 03:00 becomes 02:00 again. 02:00 to 03:00 lasts two hours of
        // real time: no slot; 10:00 is 09:00 UTC again.
        let autumn = slots_on(&sunday_open, "2027-10-31".parse().unwrap());
        let times: Vec<&str> = autumn.iter().map(|s| s.time.as_str()).collect();
        assert_eq!(times, ["01:00", "03:00", "04:00", "10:00", "11:00"]);
        assert_eq!(autumn[0].starts_at, utc("2027-10-30T23:00:00Z"));
        assert_eq!(autumn[1].starts_at, utc("2027-10-31T02:00:00Z"));
        assert_eq!(autumn[3].starts_at, utc("2027-10-31T09:00:00Z"));
        let saturday_before = slots_on(&location, "2027-10-30".parse().unwrap());
        assert_eq!(saturday_before[0].starts_at, utc("2027-10-30T08:00:00Z"));
        for slot in spring.iter().chain(&autumn) {
            assert_eq!(slot.ends_at - slot.starts_at, 3600, "{slot:?}");
        }
    }

    #[test]
    fn past_far_and_outside_hours_slots_are_refused() {
        let location = store();
        let now = utc("2027-03-25T12:00:00Z"); // Thursday 13:00 in Hamburg
        let slots = bookable_slots(&location, now);
        // Today's slots from 14:00 on, and 28 days in all.
        assert_eq!(slots[0].time, "14:00");
        assert_eq!(slots[0].day, "2027-03-25");
        assert_eq!(slots.last().unwrap().day, "2027-04-21");
        for slot in &slots {
            assert_eq!(
                check_slot(&location, slot.starts_at, now).as_ref(),
                Ok(slot)
            );
        }
        let refused = |at: &str| check_slot(&location, utc(at), now).unwrap_err();
        assert_eq!(refused("2027-03-25T11:00:00Z"), SlotRefused::Past);
        assert_eq!(refused("2027-03-25T12:00:00Z"), SlotRefused::Past);
        assert_eq!(refused("2027-04-22T08:00:00Z"), SlotRefused::TooFar);
        // Sunday (closed), 19:00 (closing time), half past, before opening.
        assert_eq!(refused("2027-03-28T10:00:00Z"), SlotRefused::OutsideHours);
        assert_eq!(refused("2027-03-26T18:00:00Z"), SlotRefused::OutsideHours);
        assert_eq!(refused("2027-03-26T13:30:00Z"), SlotRefused::OutsideHours);
        assert_eq!(refused("2027-03-26T07:00:00Z"), SlotRefused::OutsideHours);
        let mut no_drives = location.clone();
        no_drives.services.retain(|s| *s != Service::TestDrive);
        assert_eq!(
            check_slot(&no_drives, slots[0].starts_at, now),
            Err(SlotRefused::NoTestDrives)
        );
        assert!(bookable_slots(&no_drives, now).is_empty());
    }

    #[test]
    fn every_location_that_offers_test_drives_has_a_car_of_every_line() {
        let network = Network::embedded();
        let lines = ["PRO", "PREMIUM", "BRABUS"];
        let mut offering = 0;
        for location in &network.locations {
            let drives = location.services.contains(&Service::TestDrive);
            offering += usize::from(drives);
            for line in lines {
                assert_eq!(
                    demo_car(location, line).is_some(),
                    drives,
                    "{}",
                    location.id
                );
            }
        }
        assert!(offering > 0);
    }

    #[test]
    fn a_booking_request_is_checked_whatever_the_client_sent() {
        let network = Network::embedded();
        let now = utc("2027-03-25T12:00:00Z");
        let lines = ["PRO", "PREMIUM", "BRABUS"];
        let good = TestDriveRequest {
            location_id: "hamburg-01".into(),
            line: "PREMIUM".into(),
            starts_at: utc("2027-03-26T08:00:00Z"),
            customer: Driver {
                first_name: " Erika ".into(),
                last_name: "Mustermann".into(),
                email: "erika@example.org".into(),
                phone: "+49 40 123456".into(),
            },
            licence_confirmed: true,
            terms_version: crate::order::terms_version().into(),
            language: Lang::De,
            code: None,
        };
        let booking = check_request(&network, &lines, &good, now).unwrap();
        assert_eq!(booking.customer.first_name, "Erika");
        assert_eq!(booking.car_id, "hamburg-01/PREMIUM");
        assert_eq!(booking.slot.time, "09:00");
        let refused = |change: &dyn Fn(&mut TestDriveRequest)| {
            let mut request = good.clone();
            change(&mut request);
            check_request(&network, &lines, &request, now).unwrap_err()
        };
        let field = |f, p| Invalid::new(f, p);
        assert_eq!(
            refused(&|r| r.location_id = "nowhere".into()),
            field(Field::Location, Problem::Unknown)
        );
        assert_eq!(
            refused(&|r| r.line = "ROADSTER".into()),
            field(Field::Line, Problem::Unknown)
        );
        assert_eq!(
            refused(&|r| r.starts_at = now - 3600),
            field(Field::Slot, Problem::TooEarly)
        );
        assert_eq!(
            refused(&|r| r.starts_at += 40 * 86400),
            field(Field::Slot, Problem::TooLate)
        );
        assert_eq!(
            refused(&|r| r.starts_at += 1800),
            field(Field::Slot, Problem::Unknown)
        );
        assert_eq!(
            refused(&|r| r.customer.email = "erika".into()),
            field(Field::Email, Problem::Format)
        );
        assert_eq!(
            refused(&|r| r.customer.first_name = "".into()),
            field(Field::FirstName, Problem::Required)
        );
        assert_eq!(
            refused(&|r| r.licence_confirmed = false),
            field(Field::Licence, Problem::NotAccepted)
        );
        assert_eq!(
            refused(&|r| r.terms_version = "0".into()),
            field(Field::Terms, Problem::NotAccepted)
        );
    }

    #[test]
    fn availability_marks_taken_slots_and_lists_28_days() {
        let location = store();
        let now = utc("2027-03-25T12:00:00Z");
        let taken = [utc("2027-03-26T08:00:00Z")];
        let a = availability(&location, "PRO", &taken, now);
        assert_eq!(a.days.len(), 28);
        let friday = &a.days[1];
        assert_eq!(friday.day, "2027-03-26");
        assert!(!friday.slots[0].free && friday.slots[1].free);
        // Sunday: closed, listed without slots.
        assert!(a.days[3].slots.is_empty());
    }

    #[test]
    fn a_day_of_the_agenda_is_the_location_s_day() {
        assert_eq!(
            day_range("2027-03-28", 1),
            Some((utc("2027-03-27T23:00:00Z"), utc("2027-03-28T22:00:00Z")))
        );
        let (from, to) = day_range("2027-10-25", 7).unwrap();
        assert_eq!(
            (to - from) / 3600,
            7 * 24 + 1,
            "the week the clocks go back is an hour longer"
        );
        assert_eq!(day_range("2027-13-01", 1), None);
    }

    fn invite(cancelled: bool) -> String {
        ics(&Invite {
            uid: "td-0123@smart1.example.de",
            sequence: i64::from(cancelled),
            starts_at: utc("2027-03-29T07:00:00Z"),
            ends_at: utc("2027-03-29T08:00:00Z"),
            stamp: utc("2027-03-25T12:00:00Z"),
            summary: "Probefahrt smart #1 Premium",
            location: "smart Store Hamburg-City, Steindamm 50, 20099 Hamburg",
            description: "Bitte bringen Sie Ihren Führerschein mit; Ihr Termin: 29.03.2027 09:00–10:00.\nÄndern oder absagen: https://shop.example.de/test-drives/manage?t=abc",
            organizer: "noreply@smart1.example.de",
            attendee: "erika@example.org",
            cancelled,
        })
    }

    /// RFC 5545: CRLF lines of at most 75 octets, folded with a space, TEXT escaped, times in
    /// UTC; the cancel names the same UID with a higher SEQUENCE.
    #[test]
    fn the_calendar_invite_is_rfc_5545() {
        let request = invite(false);
        assert!(request.ends_with("END:VCALENDAR\r\n"));
        assert!(
            !request.replace("\r\n", "").contains('\n'),
            "bare line feeds"
        );
        for line in request.split("\r\n") {
            assert!(line.len() <= 75, "{line:?} is {} octets", line.len());
        }
        let unfolded = request.replace("\r\n ", "");
        let has = |line: &str| unfolded.split("\r\n").any(|l| l == line);
        assert!(has("METHOD:REQUEST") && has("STATUS:CONFIRMED") && has("SEQUENCE:0"));
        assert!(has("DTSTART:20270329T070000Z") && has("DTEND:20270329T080000Z"));
        assert!(has("UID:td-0123@smart1.example.de"));
        assert!(has(
            "LOCATION:smart Store Hamburg-City\\, Steindamm 50\\, 20099 Hamburg"
        ));
        assert!(
            unfolded.contains("Führerschein mit\\; Ihr Termin: 29.03.2027 09:00–10:00.\\nÄndern")
        );
        let cancel = invite(true).replace("\r\n ", "");
        let cancel_has = |line: &str| cancel.split("\r\n").any(|l| l == line);
        assert!(
            cancel_has("METHOD:CANCEL")
                && cancel_has("STATUS:CANCELLED")
                && cancel_has("SEQUENCE:1")
        );
        assert!(cancel_has("UID:td-0123@smart1.example.de"));
    }
}
