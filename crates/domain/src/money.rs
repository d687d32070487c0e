//! Money as integer euro cents, and its display per language.

use crate::i18n::Lang;
use serde::{Deserialize, Serialize};
use std::ops::{Add, AddAssign, Sub};

/// An amount in euro cents. Integer, so sums are exact; every division rounds explicitly.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Cents(pub i64);

impl Cents {
    pub const ZERO: Cents = Cents(0);

    /// `self * num / den`, rounded half away from zero to the cent.
    pub fn mul_div_round(self, num: i64, den: i64) -> Cents {
        let p = self.0 as i128 * num as i128;
        let d = den as i128;
        let q = (p.abs() + d.abs() / 2) / d.abs();
        Cents((q * (p.signum() * d.signum())) as i64)
    }

    /// "41.490,00 €" in German, "€41,490.00" in English.
    pub fn format(self, lang: Lang) -> String {
        let decimal = if lang == Lang::De { ',' } else { '.' };
        let abs = self.0.unsigned_abs();
        let grouped = group_thousands(abs / 100, lang);
        let sign = if self.0 < 0 { "-" } else { "" };
        match lang {
            Lang::De => format!("{sign}{grouped}{decimal}{:02}\u{a0}€", abs % 100),
            Lang::En => format!("{sign}€{grouped}{decimal}{:02}", abs % 100),
        }
    }
}

impl Cents {
    /// A difference: "+1.490,00 €", "-500,00 €".
    pub fn format_signed(self, lang: Lang) -> String {
        if self.0 < 0 {
            self.format(lang)
        } else {
            format!("+{}", self.format(lang))
        }
    }
}

/// `value` with `decimals` places and a point ("12.5", "-3", "0.05"), rounded half away from
/// zero. Integer arithmetic, not the float formatter: `{:.1}` costs the app's build 9 KB.
pub fn fixed(value: f64, decimals: u32) -> String {
    let scale = 10u64.pow(decimals);
    let scaled = (value * scale as f64).round() as i64;
    let sign = if scaled < 0 { "-" } else { "" };
    let (whole, part) = (scaled.unsigned_abs() / scale, scaled.unsigned_abs() % scale);
    match decimals {
        0 => format!("{sign}{whole}"),
        _ => format!("{sign}{whole}.{part:0width$}", width = decimals as usize),
    }
}

/// "10.000" in German, "10,000" in English.
pub fn group_thousands(n: u64, lang: Lang) -> String {
    let group = if lang == Lang::De { '.' } else { ',' };
    let digits = n.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(group);
        }
        grouped.push(ch);
    }
    grouped
}

impl Add for Cents {
    type Output = Cents;
    fn add(self, rhs: Cents) -> Cents {
        Cents(self.0 + rhs.0)
    }
}

impl AddAssign for Cents {
    fn add_assign(&mut self, rhs: Cents) {
        self.0 += rhs.0;
    }
}

impl Sub for Cents {
    type Output = Cents;
    fn sub(self, rhs: Cents) -> Cents {
        Cents(self.0 - rhs.0)
    }
}

impl std::iter::Sum for Cents {
    fn sum<I: Iterator<Item = Cents>>(iter: I) -> Cents {
        iter.fold(Cents::ZERO, Add::add)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixed_writes_what_the_float_formatter_wrote() {
        for (value, decimals) in [
            (12.25, 1),
            (0.04, 1),
            (-3.46, 1),
            (1234.5, 0),
            (7.0, 2),
            (-0.4, 0),
            (99.95, 1),
        ] {
            let expected = format!("{value:.*}", decimals as usize);
            let ours = super::fixed(value, decimals);
            // Halves may round the other way (the formatter rounds the exact binary value).
            let close = (ours.parse::<f64>().unwrap() - expected.parse::<f64>().unwrap()).abs()
                <= 10f64.powi(-(decimals as i32)) + 1e-9;
            assert!(close, "{value} to {decimals}: {ours} vs {expected}");
        }
        assert_eq!(super::fixed(12.34, 1), "12.3");
        assert_eq!(super::fixed(-0.04, 1), "0.0");
        assert_eq!(super::fixed(3.0, 2), "3.00");
        assert_eq!(super::fixed(17.6, 0), "18");
    }

    use super::*;

    #[test]
    fn formats_per_language() {
        assert_eq!(Cents(4_149_000).format(Lang::De), "41.490,00\u{a0}€");
        assert_eq!(Cents(4_149_000).format(Lang::En), "€41,490.00");
        assert_eq!(Cents(5).format(Lang::De), "0,05\u{a0}€");
        assert_eq!(Cents(-123_456).format(Lang::En), "-€1,234.56");
        assert_eq!(Cents(100_000_000).format(Lang::De), "1.000.000,00\u{a0}€");
    }

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(Cents(119).mul_div_round(100, 119), Cents(100));
        assert_eq!(Cents(1).mul_div_round(1, 2), Cents(1));
        assert_eq!(Cents(-1).mul_div_round(1, 2), Cents(-1));
        assert_eq!(Cents(4_149_000).mul_div_round(100, 119), Cents(3_486_555));
    }
}
