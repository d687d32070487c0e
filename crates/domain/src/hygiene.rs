//! Input hygiene for what people type (names, addresses), shared by both shells: one check, so
//! the app can say early what the server will refuse anyway. With the `nfc` feature (the
//! server) text is first brought to Unicode NFC, so "é" typed two ways is stored one way; the
//! app's wasm leaves those tables out (the server decides).
//!
//! Refused: control characters (NUL, CR/LF, tabs, escapes), bidirectional overrides and isolates
//! (they make a name display differently from what it is), text that is empty once whitespace
//! and invisible characters are set aside, and text longer than the field's limit.

use std::fmt;

/// Characters per field (after NFC).
pub mod limits {
    pub const NAME: usize = 100;
    pub const COMPANY: usize = 200;
    pub const STREET: usize = 200;
    pub const CITY: usize = 100;
    pub const PHONE: usize = 40;
    pub const EMAIL: usize = 254;
    pub const VAT_ID: usize = 20;
    /// A saved configuration's name.
    pub const LABEL: usize = 80;
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextProblem {
    /// Nothing visible (empty, whitespace or zero-width characters only).
    Empty,
    TooLong {
        max: usize,
    },
    /// A control character (NUL, CR, LF, TAB, ESC ...).
    Control,
    /// A bidirectional override or isolate (U+202A..U+202E, U+2066..U+2069).
    Bidi,
}

impl fmt::Display for TextProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextProblem::Empty => write!(f, "is needed"),
            TextProblem::TooLong { max } => write!(f, "may have at most {max} characters"),
            TextProblem::Control => write!(f, "must not contain control characters or line breaks"),
            TextProblem::Bidi => write!(f, "must not contain text-direction override characters"),
        }
    }
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Takes no room on screen: zero-width spaces and joiners, word joiner, BOM, soft hyphen,
/// direction marks.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}' | '\u{180E}' | '\u{061C}'
    )
}

#[cfg(feature = "nfc")]
fn nfc(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfc().collect()
}

#[cfg(not(feature = "nfc"))]
fn nfc(text: &str) -> String {
    text.to_string()
}

/// The text to store: NFC (with the `nfc` feature), trimmed, checked against `max` characters.
pub fn clean_text(text: &str, max: usize) -> Result<String, TextProblem> {
    let text = nfc(text.trim());
    if text.chars().any(char::is_control) {
        return Err(TextProblem::Control);
    }
    if text.chars().any(is_bidi_control) {
        return Err(TextProblem::Bidi);
    }
    if text.chars().all(|c| c.is_whitespace() || is_invisible(c)) {
        return Err(TextProblem::Empty);
    }
    if text.chars().count() > max {
        return Err(TextProblem::TooLong { max });
    }
    Ok(text)
}

/// An optional field: `None` for absent or blank, else as [`clean_text`].
pub fn clean_optional(text: Option<&str>, max: usize) -> Result<Option<String>, TextProblem> {
    match text {
        Some(t) if !t.trim().is_empty() => clean_text(t, max).map(Some),
        _ => Ok(None),
    }
}

/// An e-mail address, lower-cased and trimmed, in the form every mail system takes: a local
/// part of letters, digits and `!#$%&'*+-/=?^_`{|}~` in dot-separated runs (no quoted local
/// parts, no comments), `@`, and a domain of at least two labels of letters, digits and inner
/// hyphens (non-ASCII letters allowed: internationalised domains), the last not all digits.
/// Accounts sign in with it and orders check theirs with it; the mailer (lettre) accepts every
/// address it accepts (the server's tests check that), so no accepted address dies in the outbox.
pub fn normalise_email(email: &str) -> Option<String> {
    let email = email.trim().to_lowercase();
    let (local, domain) = email.split_once('@')?;
    let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c);
    let local_ok = local.len() <= 64
        && local
            .split('.')
            .all(|run| !run.is_empty() && run.chars().all(atext));
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        (1..=63).contains(&l.len())
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c == '-' || c.is_alphanumeric())
    };
    let domain_ok = labels.len() >= 2
        && labels.iter().all(label_ok)
        && !labels[labels.len() - 1].chars().all(|c| c.is_ascii_digit());
    (local_ok && domain_ok && email.len() <= limits::EMAIL).then_some(email)
}

/// Whether a text holds something a mail program shows as a link: a scheme (`https://`,
/// `mailto:`), `www.` or an `@`. With `host_names` (a person's name), also a host name: a
/// word, a dot and two letters right after it, as in `evil.example` ("Dr. Müller" has a space
/// after the dot and passes; companies and towns such as "Co.KG" or "v.d.Höhe" are not held
/// to it).
pub fn looks_like_link(text: &str, host_names: bool) -> bool {
    let lower = text.to_lowercase();
    if ["://", "www.", "@", "mailto:"]
        .iter()
        .any(|l| lower.contains(l))
    {
        return true;
    }
    let chars: Vec<char> = lower.chars().collect();
    host_names
        && chars.windows(4).any(|w| {
            w[0].is_alphanumeric() && w[1] == '.' && w[2].is_alphabetic() && w[3].is_alphabetic()
        })
}

/// The date of a day since 1970-01-01 (H. Hinnant's civil_from_days): (year, month, day).
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A date written strictly as `YYYY-MM-DD` (ten characters, ASCII digits, years 2000 to 2199),
/// as days since 1970-01-01. `2030-1-1`, `+2030-01-01`, `2030-02-30` and ` 2030-01-01` are not.
pub fn parse_date(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    let number = |r: std::ops::Range<usize>| text[r].parse::<i64>().ok();
    let (y, m, d) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in_month = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    ((2000..2200).contains(&y) && (1..=days_in_month).contains(&d))
        .then(|| days_from_civil(y, m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_dates_convert_both_ways() {
        for days in [-1, 0, 59, 60, 11_016, 20_877, 47_482] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn links_are_found_where_a_mail_program_would_make_one() {
        for link in [
            "Visit https://evil.example/1",
            "www.evil.example",
            "a@b.de",
            "mailto:x",
        ] {
            assert!(looks_like_link(link, false), "{link}");
        }
        assert!(looks_like_link("Visit evil.example", true));
        for fine in [
            "Dr. Müller",
            "St. Ingbert",
            "Hauptstr. 5",
            "Müller & Co.KG",
            "Bad Homburg v.d.Höhe",
        ] {
            assert!(!looks_like_link(fine, false), "{fine}");
        }
        assert!(!looks_like_link("Dr. Müller-Lüdenscheidt", true));
    }

    #[test]
    fn names_are_trimmed_and_checked() {
        assert_eq!(clean_text("  Erika ", 100).as_deref(), Ok("Erika"));
        assert_eq!(clean_text("", 100), Err(TextProblem::Empty));
        assert_eq!(clean_text(" \t ", 100), Err(TextProblem::Empty));
        assert_eq!(
            clean_text("\u{200B}\u{200D}\u{FEFF}", 100),
            Err(TextProblem::Empty)
        );
        assert_eq!(
            clean_text(" \u{200B} \u{00A0}", 100),
            Err(TextProblem::Empty)
        );
        assert_eq!(clean_text("Eri\0ka", 100), Err(TextProblem::Control));
        assert_eq!(
            clean_text("Erika\r\nBcc: x", 100),
            Err(TextProblem::Control)
        );
        assert_eq!(
            clean_text("Erika\u{1b}[31m", 100),
            Err(TextProblem::Control)
        );
        assert_eq!(
            clean_text("abc\u{202E}fdp.exe", 100),
            Err(TextProblem::Bidi)
        );
        assert_eq!(clean_text("x\u{2066}y", 100), Err(TextProblem::Bidi));
        assert_eq!(
            clean_text(&"a".repeat(101), 100),
            Err(TextProblem::TooLong { max: 100 })
        );
        assert_eq!(
            clean_text(&"ä".repeat(100), 100).map(|s| s.chars().count()),
            Ok(100)
        );
        // Joiners inside real text are fine (Persian, Indic scripts, emoji).
        assert!(clean_text("می\u{200C}خواهم", 100).is_ok());
        assert_eq!(clean_optional(Some("  "), 10), Ok(None));
        assert_eq!(clean_optional(None, 10), Ok(None));
    }

    #[cfg(feature = "nfc")]
    #[test]
    fn text_is_stored_in_nfc() {
        // "é" as e + combining acute becomes the one precomposed character.
        assert_eq!(clean_text("Rene\u{301}", 100).as_deref(), Ok("Ren\u{e9}"));
        assert_eq!(clean_text("Ren\u{e9}", 100).as_deref(), Ok("Ren\u{e9}"));
    }

    #[test]
    fn dates_are_strict() {
        assert_eq!(parse_date("1970-01-01"), None, "before 2000");
        assert_eq!(parse_date("2024-02-29"), Some(19_782));
        assert_eq!(parse_date("2030-01-01"), Some(days_from_civil(2030, 1, 1)));
        for bad in [
            "2023-02-29",
            "2023-13-01",
            "2023-00-10",
            "2023-04-31",
            "2030-1-1",
            "+2030-01-01",
            "2030-01-01 ",
            " 2030-01-01",
            "2030/01/01",
            "20300101",
            "2030-01-1x",
            "١٢٣٤-٠١-٠١",
            "9999-12-31",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }
}
