//! The app's words in German and English, and the language the customer reads.

use domain::api::ErrorCode;
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
            // The server paints first screens in this language on the next visit.
            crate::state::set_cookie(domain::pages::LANG_COOKIE, l.code(), 31_536_000);
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

/// A reactive text for `key` in the current language. One closure type for every call site, so
/// the view code that renders it exists once in the wasm, not once per text (binary size).
pub fn tx(key: &'static str) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || t(lang.get(), key)
}

// `(key, German, English)` per section of `locales/*.json` (`WORDS`: every build;
// `SHOP_WORDS`: all but the configurator's; `DRIVE_WORDS`, `DESK_WORDS`: the test-drive and staff
// desk builds), written by build.rs, which refuses a key missing in one language.
include!(concat!(env!("OUT_DIR"), "/words.rs"));

/// A moment (seconds since the epoch) as the customer's locale writes it: the date, or the date
/// and time of day.
pub fn local_time(secs: i64, lang: Lang, with_time: bool) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(secs as f64 * 1000.0));
    let locale = if lang == Lang::De { "de-DE" } else { "en-GB" };
    let options = wasm_bindgen::JsValue::UNDEFINED;
    String::from(if with_time {
        d.to_locale_string(locale, &options)
    } else {
        d.to_locale_date_string(locale, &options)
    })
}

/// A distance as the customer's locale writes it: "2,5 km" / "2.5 km".
pub fn km_text(distance: f64, lang: Lang) -> String {
    let text = format!("{} km", domain::money::fixed(distance, 1));
    if lang == Lang::De {
        text.replace('.', ",")
    } else {
        text
    }
}

/// A date written `YYYY-MM-DD` as the customer's locale writes it (26.11.2026, 26/11/2026).
pub fn local_date_iso(iso: &str, lang: Lang) -> String {
    let mut parts = iso.splitn(3, '-');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(y), Some(m), Some(d)) if lang == Lang::De => format!("{d}.{m}.{y}"),
        (Some(y), Some(m), Some(d)) => format!("{d}/{m}/{y}"),
        _ => iso.to_string(),
    }
}

/// What went wrong with a request, in the customer's language: chosen by the error code the
/// server answers, never the server's own sentence. Pages word their own cases first (a wrong
/// hand-over code, a changed price) and fall back to this.
pub fn error_text(lang: Lang, e: &crate::api::ApiError) -> String {
    // No answer: the device knows whether it is offline (then the customer's input waits).
    let unreachable = if crate::offline::is_online() {
        "err.network"
    } else {
        "err.offline"
    };
    t(lang, e.code.map_or(unreachable, error_key)).to_string()
}

/// The words for each code the API answers (the match has no default: a new code does not
/// compile until it has its words).
fn error_key(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::Unauthorized => "err.unauthorized",
        ErrorCode::Forbidden | ErrorCode::Csrf => "err.forbidden",
        ErrorCode::NotFound | ErrorCode::MethodNotAllowed => "err.not_found",
        ErrorCode::Conflict => "err.conflict",
        ErrorCode::Expired => "err.expired",
        ErrorCode::TooManyRequests => "err.too_many",
        ErrorCode::Busy | ErrorCode::Unavailable => "err.busy",
        ErrorCode::LimitReached => "err.limit",
        ErrorCode::Invalid => "err.invalid",
        ErrorCode::BodyTooLarge | ErrorCode::UriTooLong => "err.too_large",
        ErrorCode::Timeout => "err.timeout",
        ErrorCode::BadRequest | ErrorCode::UnsupportedMediaType => "err.bad_request",
        ErrorCode::Internal => "err.internal",
        // Only accounts and password resets answer these: pages of the shop build.
        #[cfg(not(feature = "lean"))]
        ErrorCode::WeakPassword => "err.weak_password",
        #[cfg(not(feature = "lean"))]
        ErrorCode::MailUnavailable => "err.mail_unavailable",
        #[cfg(not(feature = "lean"))]
        ErrorCode::ResetInvalid => "err.reset_invalid",
        #[cfg(not(feature = "lean"))]
        ErrorCode::ResetExpired => "err.reset_expired",
        #[cfg(not(feature = "lean"))]
        ErrorCode::SlotTaken => "err.slot_taken",
        #[cfg(feature = "lean")]
        ErrorCode::SlotTaken => "err.conflict",
        #[cfg(feature = "lean")]
        ErrorCode::WeakPassword
        | ErrorCode::MailUnavailable
        | ErrorCode::ResetInvalid
        | ErrorCode::ResetExpired => "err.invalid",
    }
}

/// The words beneath a refused field.
pub fn invalid_key(invalid: domain::order::Invalid) -> &'static str {
    use domain::order::{Field, Problem};
    match (invalid.field, invalid.problem) {
        (_, Problem::Required) => "co.required",
        (_, Problem::TooLong) => "co.too_long",
        (_, Problem::Characters) => "co.text_invalid",
        (
            Field::FirstName | Field::LastName | Field::Company | Field::Street | Field::City,
            Problem::Format,
        ) => "co.no_links",
        (Field::Postcode, _) => "co.postcode_invalid",
        (Field::VatId, _) => "co.vat_invalid",
        (Field::Email, _) => "co.email_invalid",
        (Field::Phone, _) => "co.phone_invalid",
        (Field::DesiredDelivery, Problem::TooEarly) => "co.desired_early",
        (Field::DesiredDelivery, _) => "co.desired_invalid",
        (Field::Terms | Field::Privacy | Field::Withdrawal, _) => "co.consents_missing",
        (Field::Location, _) => "co.location_unknown",
        (Field::Payment, _) => "co.payment_invalid",
        (Field::PriceList, _) => "co.price_list_changed",
        (Field::Code, _) => "co.not_buildable",
        (Field::Slot, _) => "td.slot_invalid",
        (Field::Licence, _) => "td.licence_missing",
        _ => "err.invalid",
    }
}

/// The words for where a drive stands.
pub fn drive_status_key(status: domain::test_drive::TestDriveStatus) -> &'static str {
    use domain::test_drive::TestDriveStatus as S;
    match status {
        S::Booked => "td.status_booked",
        S::Done => "td.status_done",
        S::NoShow => "td.status_no_show",
        S::Cancelled => "td.status_cancelled",
        S::Blocked => "td.status_blocked",
    }
}

/// The word tables this build holds.
fn tables() -> impl Iterator<Item = &'static (&'static str, &'static str, &'static str)> {
    let words = WORDS.iter();
    #[cfg(not(feature = "lean"))]
    let words = words.chain(SHOP_WORDS);
    #[cfg(any(feature = "drive", test))]
    let words = words.chain(DRIVE_WORDS);
    #[cfg(any(feature = "desk", test))]
    let words = words.chain(DESK_WORDS);
    words
}

/// The text for `key` in `lang`; an unknown key shows itself, so a typo is visible, not blank.
pub fn t(lang: Lang, key: &'static str) -> &'static str {
    let found = tables().find(|(k, _, _)| *k == key);
    match found {
        Some((_, de, en)) => match lang {
            Lang::De => de,
            Lang::En => en,
        },
        None => key,
    }
}

#[cfg(test)]
mod tests {
    use domain::Lang;

    /// The string literals of every file under src/ that look like text keys ("cfg.next"),
    /// outside the tables themselves, with the file they are in.
    fn keys_in_code() -> Vec<(String, String)> {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    out.push(path);
                }
            }
        }
        let is_key = |s: &str| {
            let head = s.split('.').next().unwrap_or("");
            s.split('.').all(|part| !part.is_empty())
                && head.starts_with(|c: char| c.is_ascii_lowercase())
                && s.contains('.')
                && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
                && !s.ends_with(".rs")
                // localStorage keys, not texts.
                && head != "smart1"
        };
        let mut files = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        let mut found = Vec::new();
        for file in files {
            let source = std::fs::read_to_string(&file).unwrap();
            for literal in string_literals(&source) {
                if is_key(&literal) {
                    found.push((literal, file.display().to_string()));
                }
            }
        }
        found
    }

    /// The contents of the plain string literals in Rust `source` (comments, char literals
    /// and lifetimes skipped; escapes kept as written).
    fn string_literals(source: &str) -> Vec<String> {
        let (mut out, mut chars) = (Vec::new(), source.chars().peekable());
        while let Some(c) = chars.next() {
            match c {
                '/' if chars.peek() == Some(&'/') => {
                    chars.by_ref().take_while(|&c| c != '\n').for_each(drop)
                }
                '\'' => {
                    // A char literal ('"', '\'') or a lifetime ('a).
                    let rest: String = chars.clone().take(3).collect();
                    if rest.starts_with('\\') {
                        chars.by_ref().take_while(|&c| c != '\'').for_each(drop);
                    } else if rest.chars().nth(1) == Some('\'') {
                        chars.nth(1);
                    }
                }
                '"' => {
                    let mut literal = String::new();
                    while let Some(c) = chars.next() {
                        match c {
                            '\\' => {
                                literal.push(c);
                                literal.extend(chars.next());
                            }
                            '"' => break,
                            c => literal.push(c),
                        }
                    }
                    out.push(literal);
                }
                _ => {}
            }
        }
        out
    }

    /// A key the code names must have words (else the page shows the key itself), and a text
    /// no code names is dead weight in every download.
    #[test]
    fn every_key_in_the_code_has_words_and_every_text_is_used() {
        let defined: Vec<&str> = super::tables().map(|w| w.0).collect();
        let used = keys_in_code();
        let unknown: Vec<_> = used
            .iter()
            .filter(|(key, _)| !defined.contains(&key.as_str()))
            .collect();
        assert!(
            unknown.is_empty(),
            "keys without words (misspelt?): {unknown:?}"
        );
        let unused: Vec<_> = defined
            .iter()
            .filter(|key| !used.iter().any(|(k, _)| k == *key))
            .collect();
        assert!(unused.is_empty(), "texts no code uses: {unused:?}");
        let mut seen = std::collections::HashSet::new();
        let twice: Vec<_> = defined.iter().filter(|k| !seen.insert(**k)).collect();
        assert!(twice.is_empty(), "keys defined twice: {twice:?}");
    }

    /// Whatever the API answers, the customer reads it in their language.
    #[test]
    fn every_error_code_has_words_in_both_languages() {
        use domain::api::ErrorCode;
        for code in ErrorCode::ALL {
            let key = super::error_key(code);
            for lang in [Lang::De, Lang::En] {
                assert_ne!(super::t(lang, key), key, "{code:?} in {lang:?}");
            }
            // The configurator build's requests (saves) can answer all but the account and the
            // test-drive ones.
            let accounts_only = matches!(
                code,
                ErrorCode::WeakPassword
                    | ErrorCode::MailUnavailable
                    | ErrorCode::ResetInvalid
                    | ErrorCode::ResetExpired
                    | ErrorCode::SlotTaken
            );
            assert!(
                accounts_only || super::WORDS.iter().any(|w| w.0 == key),
                "{key} is shown by the configurator build too: it belongs in WORDS"
            );
        }
        assert_ne!(super::t(Lang::De, "err.network"), "err.network");
    }

    #[test]
    fn every_key_is_unique() {
        let mut keys: Vec<&str> = super::tables().map(|w| w.0).collect();
        keys.sort_unstable();
        let before = keys.len();
        keys.dedup();
        assert_eq!(before, keys.len());
    }

    /// The files the configurator build (`lean`) is made of: its code may only use [`WORDS`].
    const LEAN_SOURCES: &[(&str, &str)] = &[
        ("lib.rs", include_str!("lib.rs")),
        ("nav.rs", include_str!("nav.rs")),
        ("session.rs", include_str!("session.rs")),
        ("state.rs", include_str!("state.rs")),
        ("draft.rs", include_str!("draft.rs")),
        ("api.rs", include_str!("api.rs")),
        ("car.rs", include_str!("car.rs")),
        ("store.rs", include_str!("store.rs")),
        ("components/layout.rs", include_str!("components/layout.rs")),
        (
            "components/car_picture.rs",
            include_str!("components/car_picture.rs"),
        ),
        (
            "components/choice_card.rs",
            include_str!("components/choice_card.rs"),
        ),
        ("components/dialog.rs", include_str!("components/dialog.rs")),
        (
            "components/handover.rs",
            include_str!("components/handover.rs"),
        ),
        (
            "components/price_bar.rs",
            include_str!("components/price_bar.rs"),
        ),
        ("components/qr.rs", include_str!("components/qr.rs")),
        ("pages/home.rs", include_str!("pages/home.rs")),
        (
            "pages/configure/mod.rs",
            include_str!("pages/configure/mod.rs"),
        ),
        (
            "pages/configure/budget.rs",
            include_str!("pages/configure/budget.rs"),
        ),
        (
            "pages/configure/changes.rs",
            include_str!("pages/configure/changes.rs"),
        ),
        (
            "pages/configure/choices.rs",
            include_str!("pages/configure/choices.rs"),
        ),
        (
            "pages/configure/comparison.rs",
            include_str!("pages/configure/comparison.rs"),
        ),
        (
            "pages/configure/draft_offer.rs",
            include_str!("pages/configure/draft_offer.rs"),
        ),
        (
            "pages/configure/first_load.rs",
            include_str!("pages/configure/first_load.rs"),
        ),
        (
            "pages/configure/saving.rs",
            include_str!("pages/configure/saving.rs"),
        ),
        (
            "pages/configure/share.rs",
            include_str!("pages/configure/share.rs"),
        ),
        (
            "pages/configure/steps.rs",
            include_str!("pages/configure/steps.rs"),
        ),
        ("pages/mod.rs", include_str!("pages/mod.rs")),
    ];

    /// The shop build holds `WORDS` and `SHOP_WORDS` only, the test-drive build `DRIVE_WORDS`
    /// too: the code of the pages each build has names no key of a table it lacks (the staff
    /// desk's build holds every table).
    #[test]
    fn the_shop_and_test_drive_builds_have_their_words() {
        let in_dir = |file: &str, dir: &str| file.contains(&format!("/src/{dir}"));
        let shop: Vec<&str> = super::WORDS
            .iter()
            .chain(super::SHOP_WORDS)
            .map(|w| w.0)
            .collect();
        let drive: Vec<&str> = shop
            .iter()
            .copied()
            .chain(super::DRIVE_WORDS.iter().map(|w| w.0))
            .collect();
        for (key, file) in keys_in_code() {
            let desk_only = in_dir(&file, "pages/agent/") || in_dir(&file, "bin/");
            if desk_only {
                continue;
            }
            let holds = if in_dir(&file, "pages/test_drive/") {
                &drive
            } else {
                &shop
            };
            assert!(
                holds.contains(&key.as_str()),
                "{file} uses {key:?}, which its build lacks: move it to a section of locales/*.json that build holds"
            );
        }
    }

    #[test]
    fn the_configurator_build_has_its_words() {
        let shop_only: Vec<&str> = super::SHOP_WORDS.iter().map(|w| w.0).collect();
        for (file, source) in LEAN_SOURCES {
            let missing: Vec<&str> = source
                .split('"')
                .skip(1)
                .step_by(2)
                .filter(|literal| shop_only.contains(literal))
                .collect();
            assert!(
                missing.is_empty(),
                "src/{file} uses {missing:?}: move them to the `first` section of locales/*.json"
            );
        }
    }
}
