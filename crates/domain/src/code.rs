//! The configuration code: a short, URL-safe text that carries a selection, names its price list
//! and detects typing errors, so a link or QR code restores exactly the same car.
//!
//! Layout: one format character, then the bytes
//! `price_list_id: u16 | selection as a mixed-radix number | checksum: 3 bytes`, written
//! - since format `2`: as one number in base 31 over an alphabet that is safe to read aloud in a
//!   showroom (no 0/O, no 1/I/L; upper case, read case-blind, hyphens and spaces ignored);
//! - in format `1` (older links, still read): as base64url without padding.
//!
//! Each engine variable is one digit with radix `size + 1`: 0 means "left to the defaults",
//! `v + 1` means "value v chosen". The checksum is FNV-1a over the format character and the bytes
//! before it, cut to 24 bits: a random or mistyped code passes it with odds of 1 in 16.7 million,
//! and the selection must then still be valid for the price list.

use crate::catalog::Catalog;
use crate::configure::Selection;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rules::Val;

/// The format written today, and the base64url format of older links.
const FORMAT: char = '2';
const BASE64_FORMAT: char = '1';
/// Digits of the read-aloud format: nothing that looks like another character.
const ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// Digits needed for `n` bytes in base 31.
fn spoken_len(n: usize) -> usize {
    (n as f64 * 8.0 / 31f64.log2()).ceil() as usize
}

/// `bytes` as a big-endian number in base 31, padded to its fixed length.
fn to_spoken(bytes: &[u8]) -> String {
    let mut number = bytes.to_vec();
    let mut digits = vec![ALPHABET[0]; spoken_len(bytes.len())];
    for digit in digits.iter_mut().rev() {
        let mut rest = 0u32;
        for byte in number.iter_mut() {
            let acc = (rest << 8) | *byte as u32;
            *byte = (acc / 31) as u8;
            rest = acc % 31;
        }
        *digit = ALPHABET[rest as usize];
    }
    digits.into_iter().map(char::from).collect()
}

/// The `n` bytes a read-aloud code carries, or None when it has other characters or length.
fn from_spoken(text: &str, n: usize) -> Option<Vec<u8>> {
    let digits: Vec<u8> = text
        .bytes()
        .filter(|b| !matches!(b, b'-' | b' '))
        .map(|b| {
            ALPHABET
                .iter()
                .position(|&a| a == b.to_ascii_uppercase())
                .map(|d| d as u8)
        })
        .collect::<Option<_>>()?;
    if digits.len() != spoken_len(n) {
        return None;
    }
    let mut bytes = vec![0u8; n];
    for d in digits {
        let mut carry = d as u32;
        for byte in bytes.iter_mut().rev() {
            let acc = *byte as u32 * 31 + carry;
            *byte = acc as u8;
            carry = acc >> 8;
        }
        if carry != 0 {
            return None;
        }
    }
    Some(bytes)
}

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

fn checksum(format: char, bytes: &[u8]) -> [u8; 3] {
    let mut h: u32 = 0x811c_9dc5;
    for &b in std::iter::once(&(format as u8)).chain(bytes) {
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
        let check = checksum(FORMAT, &bytes);
        bytes.extend_from_slice(&check);
        format!("{FORMAT}{}", to_spoken(&bytes))
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
        let format = chars.next().ok_or(CodeError::Empty)?;
        let bytes = match format {
            FORMAT => from_spoken(chars.as_str(), 2 + self.selection_bytes() + 3),
            BASE64_FORMAT => URL_SAFE_NO_PAD.decode(chars.as_str()).ok(),
            // Letters and digits only: a code of a later configurator; anything else is no code.
            _ if code
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
            {
                return Err(CodeError::UnknownFormat)
            }
            _ => None,
        }
        .ok_or(CodeError::Malformed)?;
        if bytes.len() < 5 {
            return Err(CodeError::Malformed);
        }
        let (body, check) = bytes.split_at(bytes.len() - 3);
        if checksum(format, body) != check {
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
                Some((digit - 1) as Val)
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
        let mut engine = rules::Engine::new(&self.model);
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
        // Read aloud in showrooms: no characters that look like others.
        assert!(
            code.chars()
                .all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit()),
            "{code}"
        );
        assert!(!code.contains(['0', 'O', '1', 'I', 'L']), "{code}");
        assert_eq!(c.decode(&code), Ok(full.clone()));
        // Typed by hand: lower case and hyphens between groups are read the same.
        let typed = format!("{}-{}", &code[..6], &code[6..]).to_lowercase();
        assert_eq!(c.decode(&typed), Ok(full));
        assert_eq!(c.decode(&c.encode(&sel)), Ok(sel));
    }

    #[test]
    fn bad_codes_give_typed_errors() {
        let c = Catalog::current();
        let good = c.encode(&c.empty_selection());
        assert_eq!(c.decode(""), Err(CodeError::Empty));
        assert_eq!(c.decode("9abc"), Err(CodeError::UnknownFormat));
        assert_eq!(c.decode("1a*b"), Err(CodeError::Malformed));
        // Not a code at all is not "a newer version".
        assert_eq!(c.decode("GARBAGE!!"), Err(CodeError::Malformed));
        assert_eq!(c.decode(&format!("{good}2")), Err(CodeError::Malformed));
        let mut typo = good.clone().into_bytes();
        let last = typo.len() - 4;
        typo[last] = if typo[last] == b'A' { b'B' } else { b'A' };
        assert!(!typo[1..].iter().any(|b| b"0O1IL".contains(b)));
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
        let check = checksum(FORMAT, &bytes);
        bytes.extend_from_slice(&check);
        let code = format!("{FORMAT}{}", to_spoken(&bytes));
        assert_eq!(c.decode(&code), Err(CodeError::OtherPriceList(7)));
        let (nearest, problem) = c.decode_nearest(&code);
        assert_eq!(
            (nearest, problem),
            (c.empty_selection(), Some(CodeError::OtherPriceList(7)))
        );
    }

    /// Links shared before the read-aloud format keep opening the same car.
    #[test]
    fn codes_of_the_base64_format_still_open_their_car() {
        let c = Catalog::current();
        let sel = c.select(&c.empty_selection(), "BRABUS").unwrap();
        let new = c.encode(&sel);
        let bytes = from_spoken(&new[1..], 2 + c.selection_bytes() + 3).unwrap();
        let (body, _) = bytes.split_at(bytes.len() - 3);
        let mut old = body.to_vec();
        old.extend_from_slice(&checksum(BASE64_FORMAT, body));
        let old = format!("{BASE64_FORMAT}{}", URL_SAFE_NO_PAD.encode(old));
        assert_eq!(c.decode(&old), Ok(sel));
    }

    proptest::proptest! {
        /// Every byte string survives the read-aloud digits and back.
        #[test]
        fn spoken_digits_round_trip(bytes in proptest::collection::vec(proptest::num::u8::ANY, 1..40)) {
            proptest::prop_assert_eq!(from_spoken(&to_spoken(&bytes), bytes.len()), Some(bytes));
        }
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
