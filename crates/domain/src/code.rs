//! The configuration code: a short, URL-safe text that carries a selection, names its price list
//! and detects typing errors, so a link or QR code restores exactly the same car.
//!
//! Layout: one format character, then base64url (no padding) of
//! `price_list_id: u16 | selection as a mixed-radix number | checksum: 3 bytes`.
//! Each engine variable is one digit with radix `size + 1`: 0 means "left to the defaults",
//! `v + 1` means "value v chosen". The checksum is FNV-1a over the format character and the bytes
//! before it, cut to 24 bits: a random or mistyped code passes it with odds of 1 in 16.7 million,
//! and the selection must then still be valid for the price list.

use crate::catalog::Catalog;
use crate::configure::Selection;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

const FORMAT: char = '1';

#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum CodeError {
    #[error("the code is empty")]
    Empty,
    #[error("this code was made by a newer or unknown version of the configurator")]
    UnknownFormat,
    #[error("the code has characters that do not belong in it, or the wrong length")]
    Malformed,
    #[error("the code has a typing error (checksum does not match)")]
    Checksum,
    #[error("the code belongs to price list {0}, which is no longer offered")]
    OtherPriceList(u16),
    #[error("the code names choices this price list does not have")]
    OutOfRange,
    #[error("the code describes a car that cannot be built: {0}")]
    Invalid(String),
}

fn checksum(bytes: &[u8]) -> [u8; 3] {
    let mut h: u32 = 0x811c_9dc5;
    for &b in std::iter::once(&(FORMAT as u8)).chain(bytes) {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    let [a, b, c, _] = h.to_be_bytes();
    [a, b, c]
}

impl Catalog {
    /// Bytes of the mixed-radix number for this price list: enough for every selection.
    fn selection_bytes(&self) -> usize {
        let bits: f64 = self
            .model
            .vars()
            .iter()
            .map(|v| ((v.size + 1) as f64).log2())
            .sum();
        (bits / 8.0).ceil() as usize
    }

    /// The longest selection this price list can encode, checked on load: a u128.
    pub(crate) fn code_fits(&self) -> bool {
        self.model
            .vars()
            .iter()
            .try_fold(1u128, |acc, v| acc.checked_mul(v.size as u128 + 1))
            .is_some()
    }

    pub fn encode(&self, selection: &Selection) -> String {
        let mut n: u128 = 0;
        for (var, sel) in self.model.vars().iter().zip(&selection.0).rev() {
            let digit = sel.map_or(0, |v| v as u128 + 1);
            n = n * (var.size as u128 + 1) + digit;
        }
        let mut bytes = self.data.price_list_id.to_be_bytes().to_vec();
        bytes.extend_from_slice(&n.to_be_bytes()[16 - self.selection_bytes()..]);
        let check = checksum(&bytes);
        bytes.extend_from_slice(&check);
        format!("{FORMAT}{}", URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Reads a code back into a selection that this price list can build. Never panics.
    pub fn decode(&self, code: &str) -> Result<Selection, CodeError> {
        let selection = self.decode_raw(code)?;
        if self.complete(&selection).is_none() {
            return Err(CodeError::Invalid(self.first_broken_rule(&selection)));
        }
        Ok(selection)
    }

    /// For links: the car of a code, or the nearest buildable one, with the problem if any.
    /// An impossible selection keeps every choice that still fits (in catalog order); an
    /// unreadable code or another price list gives the default car.
    pub fn decode_nearest(&self, code: &str) -> (Selection, Option<CodeError>) {
        match self.decode_raw(code) {
            Ok(raw) if self.complete(&raw).is_some() => (raw, None),
            Ok(raw) => {
                let reason = self.first_broken_rule(&raw);
                let mut kept = self.empty_selection();
                for (var, value) in raw.0.iter().enumerate() {
                    kept.0[var] = *value;
                    if self.complete(&kept).is_none() {
                        kept.0[var] = None;
                    }
                }
                (kept, Some(CodeError::Invalid(reason)))
            }
            Err(e) => (self.empty_selection(), Some(e)),
        }
    }

    /// Decodes without asking whether the car can be built.
    fn decode_raw(&self, code: &str) -> Result<Selection, CodeError> {
        let code = code.trim();
        let mut chars = code.chars();
        match chars.next() {
            None => return Err(CodeError::Empty),
            Some(FORMAT) => {}
            Some(_) => return Err(CodeError::UnknownFormat),
        }
        let bytes = URL_SAFE_NO_PAD
            .decode(chars.as_str())
            .map_err(|_| CodeError::Malformed)?;
        if bytes.len() < 5 {
            return Err(CodeError::Malformed);
        }
        let (body, check) = bytes.split_at(bytes.len() - 3);
        if checksum(body) != check {
            return Err(CodeError::Checksum);
        }
        let id = u16::from_be_bytes([body[0], body[1]]);
        if id != self.data.price_list_id {
            return Err(CodeError::OtherPriceList(id));
        }
        let number = &body[2..];
        if number.len() != self.selection_bytes() {
            return Err(CodeError::Malformed);
        }
        let mut n = number.iter().fold(0u128, |acc, &b| (acc << 8) | b as u128);
        let mut selection = Vec::with_capacity(self.model.vars().len());
        for var in self.model.vars() {
            let radix = var.size as u128 + 1;
            let digit = n % radix;
            n /= radix;
            selection.push(if digit == 0 {
                None
            } else {
                Some((digit - 1) as u8)
            });
        }
        if n != 0 {
            return Err(CodeError::OutOfRange);
        }
        Ok(Selection(selection))
    }

    /// A reason for an inconsistent selection, in English (for logs and API errors): a rule that
    /// breaks as the choices are added one by one.
    fn first_broken_rule(&self, selection: &Selection) -> String {
        let mut engine = crate::engine::Engine::new(&self.model);
        let mut before = self.empty_selection();
        for (var, &value) in selection.0.iter().enumerate() {
            if let Some(v) = value {
                let culprits = engine.explain(&before.0, var, v);
                if let Some(&c) = culprits.first() {
                    return self.rules[c].reason.en.clone();
                }
                before.0[var] = Some(v);
            }
        }
        "conflicting choices".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_configuration_fits_in_24_characters_and_round_trips() {
        let c = Catalog::current();
        let mut sel = c.empty_selection();
        for code in [
            "BRABUS",
            "PAINT_MATTE_GREY",
            "OPT_PRIVACY_GLASS",
            "CHG_WALLBOX_22",
            "SRV_MAINT_5Y",
            "ACC_ROOF_BOX",
        ] {
            sel = c.select(&sel, code).unwrap();
        }
        let full = c.selection_of(&c.complete(&sel).unwrap());
        let code = c.encode(&full);
        assert!(code.len() <= 24, "{code} has {} characters", code.len());
        assert!(code
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_'));
        assert_eq!(c.decode(&code), Ok(full));
        assert_eq!(c.decode(&c.encode(&sel)), Ok(sel));
    }

    #[test]
    fn bad_codes_give_typed_errors() {
        let c = Catalog::current();
        let good = c.encode(&c.empty_selection());
        assert_eq!(c.decode(""), Err(CodeError::Empty));
        assert_eq!(c.decode("9abc"), Err(CodeError::UnknownFormat));
        assert_eq!(c.decode("1a*b"), Err(CodeError::Malformed));
        let mut typo = good.clone().into_bytes();
        let last = typo.len() - 4;
        typo[last] = if typo[last] == b'A' { b'B' } else { b'A' };
        assert_eq!(
            c.decode(std::str::from_utf8(&typo).unwrap()),
            Err(CodeError::Checksum)
        );
    }

    #[test]
    fn a_code_of_another_price_list_is_named_as_such() {
        let c = Catalog::current();
        let mut bytes = 7u16.to_be_bytes().to_vec();
        bytes.extend(vec![0u8; c.selection_bytes()]);
        let check = checksum(&bytes);
        bytes.extend_from_slice(&check);
        let code = format!("1{}", URL_SAFE_NO_PAD.encode(bytes));
        assert_eq!(c.decode(&code), Err(CodeError::OtherPriceList(7)));
        let (nearest, problem) = c.decode_nearest(&code);
        assert_eq!(
            (nearest, problem),
            (c.empty_selection(), Some(CodeError::OtherPriceList(7)))
        );
    }

    #[test]
    fn a_code_for_an_impossible_car_is_refused_with_the_rule() {
        let c = Catalog::current();
        let mut sel = c.select(&c.empty_selection(), "PREMIUM").unwrap();
        // Forge a selection the configurator would never make: BRABUS paint on a Premium.
        let r = c.choice_ref("PAINT_MATTE_GREY").unwrap();
        sel.0[r.var] = Some(r.val);
        match c.decode(&c.encode(&sel)) {
            Err(CodeError::Invalid(reason)) => assert!(reason.contains("BRABUS"), "{reason}"),
            other => panic!("{other:?}"),
        }
        // A link with it still opens: the nearest car keeps the line and drops the paint.
        let (nearest, problem) = c.decode_nearest(&c.encode(&sel));
        assert!(matches!(problem, Some(CodeError::Invalid(_))));
        let car = c.complete(&nearest).unwrap();
        assert!(c.is_chosen(&car, "PREMIUM") && !c.is_chosen(&car, "PAINT_MATTE_GREY"));
    }
}
