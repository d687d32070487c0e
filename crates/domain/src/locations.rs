//! The agency network: partners (the agents) and their locations, read from
//! `data/locations/network.json` and checked on load; distances and opening hours.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

const EMBEDDED: (&str, &str) = (
    "data/locations/network.json",
    include_str!("../../../data/locations/network.json"),
);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Service {
    Sales,
    TestDrive,
    Handover,
    Service,
}

impl Service {
    pub const ALL: [Service; 4] = [
        Service::Sales,
        Service::TestDrive,
        Service::Handover,
        Service::Service,
    ];

    /// Its name on the wire (`test_drive`).
    pub fn slug(self) -> &'static str {
        match self {
            Service::Sales => "sales",
            Service::TestDrive => "test_drive",
            Service::Handover => "handover",
            Service::Service => "service",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Service> {
        Service::ALL.into_iter().find(|s| s.slug() == slug)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    pub const ALL: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    /// From days since Monday (0 = Monday), as `Date.getDay()`-style callers convert.
    pub fn from_monday_index(i: u32) -> Weekday {
        Weekday::ALL[(i % 7) as usize]
    }
}

/// An opening interval in minutes after midnight, `open < close`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interval {
    pub open: u16,
    pub close: u16,
}

impl Interval {
    /// "09:00-18:00".
    pub fn parse(text: &str) -> Option<Interval> {
        let minutes = |hm: &str| {
            let (h, m) = hm.split_once(':')?;
            let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
            (h <= 24 && m < 60 && h * 60 + m <= 24 * 60).then_some(h * 60 + m)
        };
        let (a, b) = text.split_once('-')?;
        let (open, close) = (minutes(a.trim())?, minutes(b.trim())?);
        (open < close).then_some(Interval { open, close })
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub sample: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Location {
    pub id: String,
    pub partner: String,
    pub name: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub district: Option<String>,
    /// Federal state code (BW, BY, BE, ...).
    pub state: String,
    pub lat: f64,
    pub lon: f64,
    pub phone: String,
    /// Per weekday, "HH:MM-HH:MM" intervals; an empty list means closed.
    pub hours: BTreeMap<Weekday, Vec<String>>,
    pub services: Vec<Service>,
    #[serde(default)]
    pub sample: bool,
}

impl Location {
    pub fn intervals(&self, day: Weekday) -> Vec<Interval> {
        self.hours
            .get(&day)
            .map(|list| list.iter().filter_map(|t| Interval::parse(t)).collect())
            .unwrap_or_default()
    }

    /// Open at `minute` after midnight on `day` (local time of the location).
    pub fn is_open(&self, day: Weekday, minute: u16) -> bool {
        self.intervals(day)
            .iter()
            .any(|i| i.open <= minute && minute < i.close)
    }

    pub fn distance_km(&self, lat: f64, lon: f64) -> f64 {
        distance_km(self.lat, self.lon, lat, lon)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Network {
    pub source: String,
    pub partners: Vec<Partner>,
    pub locations: Vec<Location>,
}

/// Germany's bounding box, to catch swapped or mistyped coordinates.
pub const GERMANY_LAT: (f64, f64) = (47.2, 55.1);
pub const GERMANY_LON: (f64, f64) = (5.8, 15.1);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{file}: {entry}: {reason}")]
pub struct NetworkError {
    pub file: String,
    pub entry: String,
    pub reason: String,
}

impl Network {
    pub fn embedded() -> Network {
        Network::from_json(EMBEDDED.0, EMBEDDED.1).expect("embedded network is checked by tests")
    }

    pub fn from_json(file: &str, json: &str) -> Result<Network, NetworkError> {
        let err = |entry: &str, reason: String| NetworkError {
            file: file.into(),
            entry: entry.into(),
            reason,
        };
        let net: Network = serde_json::from_str(json)
            .map_err(|e| err(&format!("line {}", e.line()), e.to_string()))?;
        let mut partner_ids = HashSet::new();
        for p in &net.partners {
            if !partner_ids.insert(p.id.as_str()) {
                return Err(err(&p.id, "partner id used twice".into()));
            }
        }
        let mut ids = HashSet::new();
        for l in &net.locations {
            if !ids.insert(l.id.as_str()) {
                return Err(err(&l.id, "location id used twice".into()));
            }
            if !partner_ids.contains(l.partner.as_str()) {
                return Err(err(&l.id, format!("unknown partner {}", l.partner)));
            }
            let inside = (GERMANY_LAT.0..=GERMANY_LAT.1).contains(&l.lat)
                && (GERMANY_LON.0..=GERMANY_LON.1).contains(&l.lon);
            if !inside {
                return Err(err(
                    &l.id,
                    format!("coordinates {}, {} are outside Germany", l.lat, l.lon),
                ));
            }
            if l.postcode.len() != 5 || !l.postcode.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err(
                    &l.id,
                    format!("postcode {:?} is not 5 digits", l.postcode),
                ));
            }
            if l.services.is_empty() {
                return Err(err(&l.id, "no services".into()));
            }
            for (day, list) in &l.hours {
                let mut last_close = 0;
                for text in list {
                    let i = Interval::parse(text).ok_or_else(|| {
                        err(&l.id, format!("{day:?}: cannot read hours {text:?}"))
                    })?;
                    if i.open < last_close {
                        return Err(err(
                            &l.id,
                            format!("{day:?}: hours overlap or are out of order"),
                        ));
                    }
                    last_close = i.close;
                }
            }
        }
        Ok(net)
    }

    pub fn location(&self, id: &str) -> Option<&Location> {
        self.locations.iter().find(|l| l.id == id)
    }

    pub fn partner(&self, id: &str) -> Option<&Partner> {
        self.partners.iter().find(|p| p.id == id)
    }
}

/// Great-circle distance (haversine, mean earth radius 6371 km).
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * a.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_network_has_34_partners_and_95_locations_in_every_state() {
        let net = Network::embedded();
        assert_eq!(net.partners.len(), 34);
        assert_eq!(net.locations.len(), 95);
        let states: HashSet<&str> = net.locations.iter().map(|l| l.state.as_str()).collect();
        let all = [
            "BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW", "RP", "SL", "SN", "ST",
            "SH", "TH",
        ];
        assert_eq!(states, all.into_iter().collect());
        for p in &net.partners {
            assert!(
                net.locations.iter().any(|l| l.partner == p.id),
                "{} has no location",
                p.id
            );
        }
        for city in [
            "Berlin",
            "Hamburg",
            "München",
            "Köln",
            "Frankfurt am Main",
            "Stuttgart",
            "Düsseldorf",
            "Leipzig",
            "Dresden",
        ] {
            assert!(net.locations.iter().any(|l| l.city == city), "{city}");
        }
    }

    #[test]
    fn opening_hours_parse_for_every_location() {
        let net = Network::embedded();
        for l in &net.locations {
            for day in Weekday::ALL {
                let list = l
                    .hours
                    .get(&day)
                    .unwrap_or_else(|| panic!("{} lacks {day:?}", l.id));
                assert_eq!(l.intervals(day).len(), list.len(), "{} {day:?}", l.id);
            }
            assert!(l.services.contains(&Service::Sales));
        }
    }

    #[test]
    fn hours_and_open_now() {
        assert_eq!(
            Interval::parse("09:00-18:30"),
            Some(Interval {
                open: 540,
                close: 1110
            })
        );
        assert_eq!(Interval::parse("18:00-09:00"), None);
        assert_eq!(Interval::parse("9-18"), None);
        assert_eq!(Interval::parse("25:00-26:00"), None);
        let net = Network::embedded();
        let l = &net.locations[0];
        let first = l.intervals(Weekday::Mon)[0];
        assert!(l.is_open(Weekday::Mon, first.open));
        assert!(!l.is_open(Weekday::Mon, first.close));
        assert!(!l.is_open(Weekday::Sun, 12 * 60) || !l.intervals(Weekday::Sun).is_empty());
    }

    #[test]
    fn distances_are_real() {
        // Hamburg to Munich: about 612 km.
        let d = distance_km(53.5503, 10.0007, 48.1374, 11.5755);
        assert!((d - 612.0).abs() < 5.0, "{d}");
    }

    #[test]
    fn bad_data_names_the_entry() {
        let mut net: serde_json::Value = serde_json::from_str(EMBEDDED.1).unwrap();
        net["locations"][3]["lat"] = serde_json::json!(40.0);
        let e = Network::from_json("n.json", &net.to_string()).unwrap_err();
        assert_eq!(e.entry, net["locations"][3]["id"].as_str().unwrap());
        assert!(e.reason.contains("outside Germany"));
    }
}
