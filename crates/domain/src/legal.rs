//! The shop's legal texts as content (`data/legal/legal.json`): the trader, the terms with their
//! version, the withdrawal instructions and the model withdrawal form, in German and English.
//! One file for the pages, the checkout and the confirmation mail, so the terms version a
//! customer accepts is the version the terms page shows, and the withdrawal instructions sent
//! are the ones shown before ordering.

use crate::{Lang, Text};
use serde::Deserialize;
use std::sync::OnceLock;

const EMBEDDED: &str = include_str!("../../../data/legal/legal.json");

/// Who the customer contracts with and withdraws to.
#[derive(Clone, Debug, Deserialize)]
pub struct Trader {
    pub name: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub email: String,
    /// A placeholder the operator must replace before launch.
    #[serde(default)]
    pub sample: bool,
}

impl Trader {
    /// "smart Europe GmbH, Musterstraße 1, 70771 Leinfelden-Echterdingen, widerruf@…".
    pub fn one_line(&self) -> String {
        format!(
            "{}, {}, {} {}, {}",
            self.name, self.street, self.postcode, self.city, self.email
        )
    }
}

#[derive(Clone, Debug, Deserialize)]
pub struct Paragraphs {
    pub de: Vec<String>,
    pub en: Vec<String>,
}

/// A titled text of paragraphs.
#[derive(Clone, Debug, Deserialize)]
pub struct Document {
    pub title: Text,
    pub paragraphs: Paragraphs,
    /// The terms' version (what the checkout asks the customer to accept).
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub sample: bool,
}

impl Document {
    /// The paragraphs in `lang`, with `{trader}` filled in.
    pub fn paragraphs(&self, lang: Lang, trader: &Trader) -> Vec<String> {
        let list = match lang {
            Lang::De => &self.paragraphs.de,
            Lang::En => &self.paragraphs.en,
        };
        list.iter()
            .map(|p| p.replace("{trader}", &trader.one_line()))
            .collect()
    }
}

#[derive(Clone, Debug, Deserialize)]
pub struct Legal {
    pub trader: Trader,
    pub terms: Document,
    pub withdrawal: Document,
    pub withdrawal_form: Document,
}

impl Legal {
    /// The texts built into this binary (checked by this module's tests).
    pub fn embedded() -> &'static Legal {
        static LEGAL: OnceLock<Legal> = OnceLock::new();
        LEGAL.get_or_init(|| serde_json::from_str(EMBEDDED).expect("data/legal/legal.json reads"))
    }

    /// The version of the terms the checkout asks the customer to accept.
    pub fn terms_version(&self) -> &str {
        self.terms.version.as_deref().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_texts_read_and_say_what_the_law_needs() {
        let legal = Legal::embedded();
        assert_eq!(legal.terms_version(), "2023-11");
        for lang in [Lang::De, Lang::En] {
            for doc in [&legal.terms, &legal.withdrawal, &legal.withdrawal_form] {
                assert!(!doc.title.get(lang).is_empty());
                assert!(doc.paragraphs(lang, &legal.trader).len() >= 5);
            }
        }
        // For goods the period runs from receipt (§ 356 Abs. 2 Nr. 1 a BGB), not from the
        // contract; the trader is named with address and e-mail.
        let de = legal
            .withdrawal
            .paragraphs(Lang::De, &legal.trader)
            .join(" ");
        assert!(de.contains("die Waren in Besitz genommen haben"), "{de}");
        assert!(!de.contains("Vertragsschluss"), "{de}");
        assert!(de.contains(&legal.trader.email) && de.contains(&legal.trader.street));
        let en = legal
            .withdrawal
            .paragraphs(Lang::En, &legal.trader)
            .join(" ");
        assert!(en.contains("physical possession of the goods"), "{en}");
        let form = legal
            .withdrawal_form
            .paragraphs(Lang::De, &legal.trader)
            .join(" ");
        assert!(form.contains(&legal.trader.name) && form.contains("Unzutreffendes streichen"));
    }
}
