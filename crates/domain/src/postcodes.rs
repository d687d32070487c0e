//! German postcodes to approximate coordinates: a compact table derived at development time from
//! public data (source and licence in the file's header; see tools/derive_postcodes.py).

use std::collections::HashMap;

const EMBEDDED: &str = include_str!("../../../data/locations/postcodes.csv");

#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    pub postcode: String,
    pub lat: f64,
    pub lon: f64,
    pub place: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PostcodeError {
    #[error("a German postcode has exactly 5 digits")]
    Malformed,
    #[error("postcode {0} is not known")]
    Unknown(String),
}

/// The postcode table, indexed.
pub struct Postcodes {
    by_code: HashMap<String, Place>,
}

/// Normalises a place name for matching: lower case, umlauts spelled out, no punctuation.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars().flat_map(char::to_lowercase) {
        match ch {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            c if c.is_alphanumeric() => out.push(c),
            _ => out.push(' '),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Postcodes {
    pub fn embedded() -> Postcodes {
        Postcodes::parse(EMBEDDED)
    }

    /// Reads `postcode,lat,lon,place` rows; `#` lines and the header are skipped, as are
    /// unreadable rows (the data tests count them).
    pub fn parse(csv: &str) -> Postcodes {
        let mut by_code = HashMap::new();
        for line in csv
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("postcode,"))
        {
            let mut fields = line.splitn(4, ',');
            let (Some(code), Some(lat), Some(lon), Some(place)) =
                (fields.next(), fields.next(), fields.next(), fields.next())
            else {
                continue;
            };
            let (Ok(lat), Ok(lon)) = (lat.parse(), lon.parse()) else {
                continue;
            };
            let place = place.trim_matches('"').to_string();
            by_code.insert(
                code.to_string(),
                Place {
                    postcode: code.to_string(),
                    lat,
                    lon,
                    place,
                },
            );
        }
        Postcodes { by_code }
    }

    pub fn len(&self) -> usize {
        self.by_code.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_code.is_empty()
    }

    pub fn lookup(&self, postcode: &str) -> Result<&Place, PostcodeError> {
        let postcode = postcode.trim();
        if postcode.len() != 5 || !postcode.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PostcodeError::Malformed);
        }
        self.by_code
            .get(postcode)
            .ok_or_else(|| PostcodeError::Unknown(postcode.to_string()))
    }

    /// A place by name ("München", "muenchen"): the first of its postcodes in order.
    pub fn place(&self, name: &str) -> Option<&Place> {
        let wanted = fold(name);
        self.by_code
            .values()
            .filter(|p| fold(&p.place) == wanted)
            .min_by(|a, b| a.postcode.cmp(&b.postcode))
    }

    pub fn iter(&self) -> impl Iterator<Item = &Place> {
        self.by_code.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locations::{GERMANY_LAT, GERMANY_LON};

    #[test]
    fn the_table_covers_germany() {
        let p = Postcodes::embedded();
        assert!(p.len() > 8000, "{} postcodes", p.len());
        for place in p.iter() {
            assert!(
                (GERMANY_LAT.0..=GERMANY_LAT.1).contains(&place.lat),
                "{place:?}"
            );
            assert!(
                (GERMANY_LON.0..=GERMANY_LON.1).contains(&place.lon),
                "{place:?}"
            );
        }
        for (code, city) in [
            ("20095", "Hamburg"),
            ("80331", "München"),
            ("01067", "Dresden"),
            ("10115", "Berlin"),
        ] {
            assert!(p.lookup(code).unwrap().place.contains(city), "{code}");
        }
    }

    #[test]
    fn bad_postcodes_are_told_apart() {
        let p = Postcodes::embedded();
        assert_eq!(p.lookup("1234"), Err(PostcodeError::Malformed));
        assert_eq!(p.lookup("abcde"), Err(PostcodeError::Malformed));
        assert_eq!(
            p.lookup("00000"),
            Err(PostcodeError::Unknown("00000".into()))
        );
    }

    #[test]
    fn places_are_found_by_name_with_or_without_umlauts() {
        let p = Postcodes::embedded();
        assert_eq!(fold("München"), "muenchen");
        let a = p.place("München").unwrap();
        let b = p.place("muenchen").unwrap();
        assert_eq!(a, b);
    }
}
