//! Reading a closed set of names (error codes, form fields) by the names its serde derive
//! writes: a derived reader for an enum of twenty-odd variants costs each of the app's builds
//! over a kilobyte, this one loop costs them once. The names stay written in one place, the
//! enum's `#[serde(rename...)]`.

use serde::Serialize;

/// The value of `all` whose serialized name is `name`.
pub fn find<T: Serialize + Copy>(all: &[T], name: &str) -> Option<T> {
    all.iter()
        .copied()
        .find(|v| matches!(serde_json::to_value(v), Ok(serde_json::Value::String(s)) if s == name))
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case", try_from = "String")]
    enum Colour {
        DeepBlue,
        #[serde(rename = "white")]
        Snow,
    }

    impl TryFrom<String> for Colour {
        type Error = String;

        fn try_from(name: String) -> Result<Colour, String> {
            super::find(&[Colour::DeepBlue, Colour::Snow], &name).ok_or(name)
        }
    }

    /// A name reads back as what it is written from, renames included; others are refused.
    #[test]
    fn a_value_reads_back_from_its_written_name() {
        assert_eq!(
            serde_json::from_str::<Colour>("\"deep_blue\"").unwrap(),
            Colour::DeepBlue
        );
        assert_eq!(
            serde_json::from_str::<Colour>("\"white\"").unwrap(),
            Colour::Snow
        );
        assert!(serde_json::from_str::<Colour>("\"snow\"").is_err());
    }
}
