//! The app's words in German and English, and the language the customer reads.

use domain::Lang;
use leptos::prelude::*;

/// The language signal, in context for every component.
#[derive(Clone, Copy)]
pub struct Language(pub RwSignal<Lang>);

const STORAGE_KEY: &str = "smart1.lang";

/// The saved choice, else the browser's language (German for German browsers and by default).
pub fn initial_lang() -> Lang {
    let window = web_sys::window();
    let saved = window
        .as_ref()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
    match saved.as_deref() {
        Some("en") => Lang::En,
        Some("de") => Lang::De,
        _ => window
            .and_then(|w| w.navigator().language())
            .map(|tag| Lang::from_tag(&tag))
            .unwrap_or_default(),
    }
}

/// Provides the language and keeps `<html lang>` and the saved choice in step with it.
pub fn provide_language() -> Language {
    let lang = Language(RwSignal::new(initial_lang()));
    Effect::new(move |_| {
        let l = lang.0.get();
        if let Some(w) = web_sys::window() {
            if let Some(html) = w.document().and_then(|d| d.document_element()) {
                let _ = html.set_attribute("lang", l.code());
            }
            if let Some(storage) = w.local_storage().ok().flatten() {
                let _ = storage.set_item(STORAGE_KEY, l.code());
            }
        }
    });
    provide_context(lang);
    lang
}

pub fn use_lang() -> RwSignal<Lang> {
    use_context::<Language>()
        .map(|l| l.0)
        .unwrap_or_else(|| RwSignal::new(Lang::De))
}

/// `(key, German, English)`.
const WORDS: &[(&str, &str, &str)] = &[
    ("brand.tagline", "Konfigurieren und bestellen", "Configure and order"),
    ("nav.configure", "Konfigurieren", "Configure"),
    ("nav.locations", "Standorte", "Locations"),
    ("nav.account", "Mein smart", "My smart"),
    ("nav.main", "Hauptnavigation", "Main navigation"),
    ("lang.switch", "Sprache wechseln: English", "Switch language: Deutsch"),
    ("lang.other", "EN", "DE"),
    ("footer.imprint", "Impressum", "Imprint"),
    ("footer.terms", "AGB", "Terms"),
    ("footer.privacy", "Datenschutz", "Privacy"),
    ("footer.seller", "Verkäufer und Vertragspartner: smart Europe GmbH. Ihr smart Agent berät, ermöglicht die Probefahrt und übergibt Ihr Fahrzeug.", "Seller and contract partner: smart Europe GmbH. Your smart agent advises, arranges the test drive and hands your car over."),
    ("footer.prices", "Alle Preise inkl. 19 % MwSt., bundesweit gleich online und im Store.", "All prices incl. 19 % VAT, the same nationwide online and in store."),
    ("home.title", "Der smart #1. Ihr Elektro-SUV, Ihr Preis.", "The smart #1. Your electric SUV, your price."),
    ("home.lead", "Stellen Sie Ihren smart #1 zusammen, speichern Sie ihn und bestellen Sie bei einem von 95 Standorten – online oder im Store, zum gleichen Preis.", "Build your smart #1, save it and order through one of 95 locations - online or in store, at the same price."),
    ("home.cta", "Jetzt konfigurieren", "Configure now"),
    ("home.from", "ab", "from"),
    ("home.lines", "Die Linien", "The lines"),
    ("page.configure", "smart #1 konfigurieren", "Configure your smart #1"),
    ("page.locations", "Standort wählen", "Choose a location"),
    ("page.locations.lead", "Wählen Sie den smart Agenten, der Sie berät, die Probefahrt ermöglicht und Ihr Fahrzeug übergibt.", "Choose the smart agent who advises you, arranges the test drive and hands your car over."),
    ("page.checkout", "Bestellung", "Checkout"),
    ("page.checkout.lead", "Hier bestellen Sie Ihren konfigurierten smart #1.", "Order your configured smart #1 here."),
    ("page.account", "Mein smart", "My smart"),
    ("page.account.lead", "Ihre gespeicherten Konfigurationen und Bestellungen.", "Your saved configurations and orders."),
    ("page.order", "Bestellung", "Order"),
    ("page.store", "smart Store", "smart Store"),
    ("page.imprint", "Impressum", "Imprint"),
    ("page.terms", "Allgemeine Geschäftsbedingungen", "Terms and conditions"),
    ("page.privacy", "Datenschutzerklärung", "Privacy notice"),
    ("page.legal.sample", "Beispieltext: Die rechtlich verbindliche Fassung stellt die smart Europe GmbH bereit.", "Sample text: smart Europe GmbH provides the legally binding version."),
    ("notfound.title", "Seite nicht gefunden", "Page not found"),
    ("notfound.lead", "Diese Seite gibt es nicht (mehr). Ihre Konfiguration ist nicht verloren.", "This page does not exist (any more). Your configuration is not lost."),
    ("notfound.home", "Zur Startseite", "To the start page"),
];

/// The text for `key` in `lang`; an unknown key shows itself, so a typo is visible, not blank.
pub fn t(lang: Lang, key: &'static str) -> &'static str {
    match WORDS.iter().find(|(k, _, _)| *k == key) {
        Some((_, de, en)) => match lang {
            Lang::De => de,
            Lang::En => en,
        },
        None => key,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_key_is_unique() {
        let mut keys: Vec<&str> = super::WORDS.iter().map(|w| w.0).collect();
        keys.sort_unstable();
        let before = keys.len();
        keys.dedup();
        assert_eq!(before, keys.len());
    }
}
