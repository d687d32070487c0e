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
