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

/// `(key, German, English)`: every text the configurator build (`lean`) shows. The test
/// `the_configurator_build_has_its_words` keeps it complete.
const WORDS: &[(&str, &str, &str)] = &[
    ("brand.tagline", "Konfigurieren und bestellen", "Configure and order"),
    ("nav.configure", "Konfigurieren", "Configure"),
    ("nav.locations", "Standorte", "Locations"),
    ("nav.account", "Mein smart", "My smart"),
    ("nav.main", "Hauptnavigation", "Main navigation"),
    ("lang.switch", "EN – Sprache wechseln: English", "DE – switch language: Deutsch"),
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
    ("page.imprint", "Impressum", "Imprint"),
    ("page.privacy", "Datenschutzerklärung", "Privacy notice"),
    ("page.legal.sample", "Beispieltext: Die rechtlich verbindliche Fassung stellt die smart Europe GmbH bereit.", "Sample text: smart Europe GmbH provides the legally binding version."),
    ("step.line", "Linie", "Line"),
    ("step.exterior", "Exterieur", "Exterior"),
    ("step.wheels", "Räder", "Wheels"),
    ("step.interior", "Interieur", "Interior"),
    ("step.options", "Pakete & Optionen", "Packs & options"),
    ("step.extras", "Laden & Zubehör", "Charging & accessories"),
    ("step.summary", "Zusammenfassung", "Summary"),
    ("steps.label", "Schritte der Konfiguration", "Configuration steps"),
    ("cfg.extra_weeks", "+{} Wochen Lieferzeit", "+{} weeks delivery time"),
    ("cfg.next", "Weiter", "Next"),
    ("cfg.back", "Zurück", "Back"),
    ("cfg.included", "inklusive", "included"),
    ("cfg.no_extra", "ohne Aufpreis", "no extra cost"),
    ("cfg.fixed", "Enthalten", "Included"),
    ("cfg.chosen", "Gewählt", "Chosen"),
    ("car.front", "Vorne", "Front"),
    ("cmp.open", "Linien vergleichen", "Compare the lines"),
    ("budget.current_over", "Ihr smart #1 liegt jetzt bei", "Your smart #1 is now at"),
    ("budget.over_limit", "über Ihrem Budget von", "above your budget of"),
    ("budget.open", "Nach Monatsrate konfigurieren", "Configure by monthly rate"),
    ("budget.label", "Monatsbudget (€)", "Monthly budget (€)"),
    ("budget.invalid", "Bitte einen Betrag in ganzen Euro angeben, z. B. 600.", "Please give an amount in whole euros, e.g. 600."),
    ("budget.hint", "Was die Finanzierungsrate über das Budget hebt, wird grau markiert (mit den Finanzierungswerten der Zusammenfassung).", "What would raise the financing rate above the budget is greyed out (with the financing terms of the summary)."),
    ("budget.over", "Über Budget:", "Over budget:"),
    ("cmp.price", "Preis", "Price"),
    ("cmp.energy", "Verbrauch und CO₂", "Consumption and CO₂"),
    ("cmp.equipment", "Ausstattung", "Equipment"),
    ("change.added", "kommt hinzu", "added"),
    ("change.removed", "entfällt", "removed"),
    ("cmp.not_stated", "noch nicht veröffentlicht", "not yet published"),
    ("car.side", "Seite", "Side"),
    ("car.rear", "Heck", "Rear"),
    ("car.interior", "Innenraum", "Interior"),
    ("bar.total", "Gesamtpreis inkl. MwSt.", "Total price incl. VAT"),
    ("bar.monthly", "Finanzierung, {} Monate", "Financing, {} months"),
    ("bar.per_month", "/Monat", "/month"),
    ("bar.more", "Mehr: Lieferzeit, Speichern, Teilen", "More: delivery, save, share"),
    ("bar.less", "Weniger anzeigen", "Show less"),
    ("bar.more_short", "Mehr", "More"),
    ("bar.less_short", "Weniger", "Less"),
    ("bar.delivery", "Lieferung in ca.", "Delivery in about"),
    ("bar.weeks", "Wochen", "weeks"),
    ("bar.save", "Speichern", "Save"),
    ("bar.share", "Teilen", "Share"),
    ("bar.continue", "Weiter", "Continue"),
    ("bar.to_locations", "Standort wählen", "Choose location"),
    ("conflict.title", "Diese Wahl ändert Ihre Konfiguration", "This choice changes your configuration"),
    ("conflict.lead", "Damit das geht, ändert sich:", "To make it possible, this changes:"),
    ("conflict.accept", "Übernehmen", "Apply"),
    ("conflict.price", "Preis", "Price"),
    ("energy.consumption", "Stromverbrauch kombiniert", "Electricity consumption combined"),
    ("energy.co2", "CO₂-Emissionen kombiniert", "CO₂ emissions combined"),
    ("energy.class", "CO₂-Klasse", "CO₂ class"),
    ("energy.sample", " (Beispielwert)", " (sample figure)"),
    ("auto.lead", "Automatisch angepasst, weil Sie „{x}“ gewählt haben:", "Adjusted automatically because you chose “{x}”:"),
    ("auto.undo", "Rückgängig", "Undo"),
    ("auto.ok", "Verstanden", "Got it"),
    ("conflict.cancel", "Abbrechen", "Cancel"),
    ("conflict.impossible", "Diese Wahl ist mit keiner Konfiguration möglich.", "This choice is not possible in any configuration."),
    ("share.title", "Konfiguration teilen", "Share configuration"),
    ("share.lead", "Mit diesem Link oder QR-Code öffnet sich genau dieses Fahrzeug.", "This link or QR code opens exactly this car."),
    ("share.link", "Link", "Link"),
    ("share.close", "Schließen", "Close"),
    ("share.copy", "Link kopieren", "Copy link"),
    ("share.full", "QR-Code und Kurzcode", "QR code and short code"),
    ("share.native", "Teilen …", "Share …"),
    ("share.copied", "Link kopiert.", "Link copied."),
    ("share.copy_failed", "Kopieren ging nicht: Bitte den Link oben markieren und kopieren.", "Copying did not work: please select the link above and copy it."),
    ("draft.found", "Sie haben eine begonnene Konfiguration auf diesem Gerät.", "You have a configuration in progress on this device."),
    ("draft.continue", "Fortsetzen", "Continue"),
    ("draft.discard", "Neu beginnen", "Start afresh"),
    ("code.malformed", "Dieser Link enthält keinen gültigen Fahrzeug-Code – vielleicht wurde er beim Kopieren abgeschnitten.", "This link does not contain a valid car code – perhaps it was cut off when copied."),
    ("code.checksum", "Der Fahrzeug-Code in diesem Link hat einen Tippfehler.", "The car code in this link has a typing error."),
    ("code.newer", "Dieser Link stammt aus einer neueren Version des Konfigurators, die wir hier nicht lesen können.", "This link comes from a newer version of the configurator that cannot be read here."),
    ("code.old_price_list", "Dieser Link stammt aus einer früheren Preisliste, die nicht mehr angeboten wird.", "This link comes from an earlier price list that is no longer offered."),
    ("code.unknown_choices", "Dieser Link nennt Ausstattungen, die es in der aktuellen Preisliste nicht gibt.", "This link names equipment the current price list does not have."),
    ("code.not_buildable", "Das Fahrzeug in diesem Link lässt sich so nicht bauen.", "The car in this link cannot be built as it is."),
    ("code.nearest", "Wir zeigen Ihnen das nächstliegende mögliche Fahrzeug.", "We show you the nearest car that can be built."),
    ("agent.yours", "Ihr smart Agent", "Your smart agent"),
    ("loc.loading", "Standorte werden geladen …", "Loading locations …"),
    ("bar.saved_account", "In Ihrem Konto gespeichert.", "Saved to your account."),
    ("bar.save_failed", "Speichern nicht möglich:", "Could not save:"),
    ("versions.title", "In Ihrem Konto ist inzwischen eine andere Version gespeichert", "Another version has been saved to your account meanwhile"),
    ("versions.lead", "Es wird nichts überschrieben. Welche Version möchten Sie behalten?", "Nothing is overwritten. Which version do you want to keep?"),
    ("versions.mine", "Die Version hier auf dem Bildschirm", "The version on this screen"),
    ("versions.theirs", "Die zuletzt gespeicherte Version (aus einem anderen Fenster oder von einem anderen Gerät)", "The version saved last (from another window or device)"),
    ("versions.keep_mine", "Meine Version speichern", "Save my version"),
    ("versions.take_theirs", "Gespeicherte Version übernehmen", "Use the saved version"),
    ("loc.to_checkout", "Zur Bestellung", "To checkout"),
    ("notfound.title", "Seite nicht gefunden", "Page not found"),
    ("notfound.lead", "Diese Seite gibt es nicht (mehr). Ihre Konfiguration ist nicht verloren.", "This page does not exist (any more). Your configuration is not lost."),
    ("notfound.home", "Zur Startseite", "To the start page"),
    // Showroom screens, hand-over codes and the agent's view.
    ("page.agent", "Agentenansicht", "Agent view"),
    ("handover.button", "Auf dem Smartphone weiter", "Continue on your phone"),
    ("handover.short_code", "Kurzcode erzeugen", "Get a short code"),
    ("handover.title_phone", "Auf einem anderen Gerät weitermachen", "Continue on another device"),
    ("handover.title_screen", "Im smart Store am Bildschirm öffnen", "Open on a showroom screen"),
    ("handover.lead", "Scannen Sie den QR-Code oder geben Sie den Code ein: Fahrzeug, Schritt und Standort werden übernommen.", "Scan the QR code or enter the code: car, step and location come along."),
    ("handover.qr", "QR-Code zum Weitermachen", "QR code to continue"),
    ("handover.code", "Ihr Code", "Your code"),
    ("handover.enter_at", "Code eingeben unter", "Enter the code at"),
    ("handover.valid_until", "Gültig bis", "Valid until"),
    ("handover.have_code", "Sie haben einen Code?", "Have a code?"),
    ("handover.open", "Öffnen", "Open"),
    ("handover.format", "Ein Code hat 8 Zeichen, z. B. 7KQ9-M3XF.", "A code has 8 characters, like 7KQ9-M3XF."),
    ("err.network", "Der Server ist nicht erreichbar. Bitte prüfen Sie Ihre Verbindung.", "The server cannot be reached. Please check your connection."),
    ("err.unauthorized", "Bitte melden Sie sich (erneut) an.", "Please sign in (again)."),
    ("err.forbidden", "Das ist mit diesem Konto nicht möglich.", "This is not possible with this account."),
    ("err.not_found", "Das gibt es hier nicht (mehr).", "This does not exist here (any more)."),
    ("err.conflict", "Das wurde inzwischen an anderer Stelle geändert. Bitte laden Sie die Seite neu.", "This was changed elsewhere meanwhile. Please reload the page."),
    ("err.expired", "Das ist abgelaufen.", "This has expired."),
    ("err.too_many", "Zu viele Versuche. Bitte warten Sie einen Moment und versuchen Sie es dann erneut.", "Too many attempts. Please wait a moment, then try again."),
    ("err.busy", "Gerade ist viel los. Bitte versuchen Sie es in ein paar Sekunden erneut.", "It is busy right now. Please try again in a few seconds."),
    ("err.limit", "Sie haben die Höchstzahl gespeicherter Fahrzeuge erreicht. Bitte löschen Sie zuerst eines.", "You have reached the most saved cars you can keep. Please delete one first."),
    ("err.invalid", "Einige Angaben sind unvollständig oder ungültig. Bitte prüfen Sie sie.", "Some details are incomplete or not valid. Please check them."),
    ("err.bad_request", "Die Anfrage ließ sich nicht lesen. Bitte laden Sie die Seite neu und versuchen Sie es erneut.", "The request could not be read. Please reload the page and try again."),
    ("err.too_large", "Die Angaben sind zu umfangreich.", "The details are too long."),
    ("err.timeout", "Der Server hat nicht rechtzeitig geantwortet. Bitte versuchen Sie es erneut.", "The server did not answer in time. Please try again."),
    ("err.internal", "Bei uns ist ein Fehler aufgetreten. Bitte versuchen Sie es später erneut.", "Something went wrong on our side. Please try again later."),
    ("td.cta", "Probefahrt buchen", "Book a test drive"),
];

/// The texts of the pages only the shop and staff desk builds have: not in a customer's first
/// download.
#[cfg(not(feature = "lean"))]
const SHOP_WORDS: &[(&str, &str, &str)] = &[
    ("acc.drives", "Ihre Probefahrten", "Your test drives"),
    ("acc.drives_manage", "Verlegen oder absagen können Sie eine Probefahrt über den Link in ihrer E-Mail.", "To move or cancel a drive, use the link in its e-mail."),
    ("td.title", "Probefahrt buchen", "Book a test drive"),
    ("td.lead", "Fahren Sie den smart #1 eine Stunde lang bei einem smart Agenten in Ihrer Nähe. Kostenlos und unverbindlich.", "Drive the smart #1 for an hour at a smart agent near you. Free and without obligation."),
    ("td.where", "Wo", "Where"),
    ("td.postcode", "Postleitzahl", "Postcode"),
    ("td.search", "Standorte suchen", "Find locations"),
    ("td.line", "Ausstattungslinie", "Line"),
    ("td.day", "Tag", "Day"),
    ("td.hour", "Uhrzeit (60 Minuten)", "Time (60 minutes)"),
    ("td.loading", "Freie Termine werden geladen …", "Loading free slots …"),
    ("td.none_free", "In den nächsten 28 Tagen ist hier kein Termin frei. Bitte wählen Sie einen anderen Standort.", "No slot is free here in the next 28 days. Please choose another location."),
    ("td.free", "frei", "free"),
    ("td.more_days", "Weitere Tage", "More days"),
    ("td.taken", "belegt", "taken"),
    ("td.who", "Wer fährt", "Who drives"),
    ("td.email", "E-Mail", "E-mail"),
    ("td.licence", "Ich habe einen gültigen Führerschein und bringe ihn mit.", "I hold a valid driving licence and will bring it."),
    ("td.book", "Probefahrt verbindlich buchen", "Book the test drive"),
    ("td.choose_first", "Bitte wählen Sie zuerst Standort, Tag und Uhrzeit.", "Please choose a location, a day and a time first."),
    ("td.slot_invalid", "Diesen Termin kann man nicht buchen (vorbei, zu weit voraus oder außerhalb der Öffnungszeiten). Bitte wählen Sie einen anderen.", "This slot cannot be booked (past, too far ahead or outside the opening hours). Please choose another."),
    ("td.licence_missing", "Bitte bestätigen Sie, dass Sie einen gültigen Führerschein haben.", "Please confirm that you hold a valid driving licence."),
    ("td.booked", "Ihre Probefahrt ist gebucht", "Your test drive is booked"),
    ("td.mail_sent", "Sie erhalten gleich eine E-Mail mit dem Kalendereintrag und einem Link, mit dem Sie den Termin verlegen oder absagen können.", "You will receive an e-mail with the calendar entry and a link to move or cancel the drive."),
    ("td.oclock", "Uhr", ""),
    ("td.manage_title", "Ihre Probefahrt", "Your test drive"),
    ("td.when", "Termin", "When"),
    ("td.status", "Stand", "Status"),
    ("td.status_booked", "gebucht", "booked"),
    ("td.status_done", "gefahren", "done"),
    ("td.status_no_show", "nicht erschienen", "no-show"),
    ("td.status_cancelled", "abgesagt", "cancelled"),
    ("td.status_blocked", "Fahrzeug gesperrt", "car blocked"),
    ("td.move", "Termin verlegen", "Move the drive"),
    ("td.move_confirm", "Neuen Termin bestätigen", "Confirm the new time"),
    ("td.cancel", "Probefahrt absagen", "Cancel the drive"),
    ("td.cancel_confirm", "Probefahrt wirklich absagen?", "Really cancel the test drive?"),
    ("err.slot_taken", "Diesen Termin hat gerade jemand anderes gebucht. Bitte wählen Sie einen der freien Termine.", "Someone else has just booked this slot. Please choose one of the free slots."),
    ("err.weak_password", "Dieses Passwort ist zu leicht zu erraten (ein häufiges Wort, ein Name, eine Folge oder Wiederholung). Bitte wählen Sie ein längeres oder weniger vorhersehbares, z. B. aus mehreren unzusammenhängenden Wörtern.", "This password is too easy to guess (a common word, name, sequence or repetition). Please choose a longer or less predictable one, e.g. several unrelated words."),
    ("err.mail_unavailable", "Ein neues Passwort per E-Mail ist gerade nicht möglich. Bitte versuchen Sie es später noch einmal oder fragen Sie Ihren smart Agenten.", "A new password by e-mail is not possible right now. Please try again later or ask your smart agent."),
    ("err.reset_invalid", "Dieser Link gilt nicht (mehr): Er wurde schon benutzt oder ist unvollständig. Bitte fordern Sie einen neuen an.", "This link is not valid (any more): it was used already or is incomplete. Please ask for a new one."),
    ("err.reset_expired", "Dieser Link ist abgelaufen: Er gilt 30 Minuten. Bitte fordern Sie einen neuen an.", "This link has expired: it is valid for 30 minutes. Please ask for a new one."),
    ("acc.deleted", "„{}“ gelöscht.", "“{}” deleted."),
    ("sum.stale", "Die Werte unten gelten weiter für Ihre letzte gültige Eingabe:", "The figures below still show your last valid entry:"),
    ("sum.down_invalid", "Bitte einen Betrag in Euro angeben, z. B. 5.000.", "Please give an amount in euros, e.g. 5,000."),
    ("sum.down_too_high", "Die Anzahlung kann nicht höher sein als der Preis des Fahrzeugs.", "The down payment cannot be more than the car's price."),
    ("sum.lender", "Finanzierung und Leasing: ein Angebot der Beispielbank AG (Beispieldaten).", "Financing and leasing: an offer by Beispielbank AG (sample data)."),
    ("page.code", "Code eingeben", "Enter a code"),
    ("page.code.lead", "Mit dem 8-stelligen Code öffnen Sie ein Fahrzeug, das Sie im Store oder auf einem anderen Gerät begonnen haben.", "The 8-character code opens a car you started in a store or on another device."),
    ("page.locations", "Standort wählen", "Choose a location"),
    ("page.locations.lead", "Wählen Sie den smart Agenten, der Sie berät, die Probefahrt ermöglicht und Ihr Fahrzeug übergibt.", "Choose the smart agent who advises you, arranges the test drive and hands your car over."),
    ("page.checkout", "Bestellung", "Checkout"),
    ("page.account", "Mein smart", "My smart"),
    ("page.order", "Bestellung", "Order"),
    ("page.store", "smart Store", "smart Store"),
    ("sum.car", "Ihr smart #1", "Your smart #1"),
    ("sum.tech", "Technische Daten", "Technical data"),
    ("sum.prices", "Preise", "Prices"),
    ("sum.item", "Position", "Item"),
    ("sum.net", "Netto", "Net"),
    ("sum.vat", "MwSt. 19 %", "VAT 19 %"),
    ("sum.gross", "Brutto", "Gross"),
    ("sum.total", "Gesamt", "Total"),
    ("sum.financing", "Finanzierung", "Financing"),
    ("sum.leasing", "Leasing", "Leasing"),
    ("sum.term", "Laufzeit (Monate)", "Term (months)"),
    ("sum.down", "Anzahlung (€)", "Down payment (€)"),
    ("sum.down_word", "Anzahlung", "down payment"),
    ("sum.balloon_input", "Schlussrate (€, Ballonfinanzierung)", "Final instalment (€, balloon financing)"),
    ("sum.balloon", "Schlussrate", "Final instalment"),
    ("sum.balloon_max", "Höchstens", "At most"),
    ("sum.balloon_too_high", "So hoch darf die Schlussrate nicht sein: höchstens der angegebene Betrag und nicht mehr als der finanzierte Betrag.", "The final instalment cannot be that high: at most the amount shown, and not more than the amount financed."),
    ("sum.mileage", "Kilometer pro Jahr", "Kilometres a year"),
    ("sum.monthly", "Monatliche Rate", "Monthly rate"),
    ("sum.nominal", "Sollzins p. a. (gebunden)", "Nominal rate p.a. (fixed)"),
    ("sum.effective", "Effektiver Jahreszins", "Effective annual rate"),
    ("sum.total_amount", "Gesamtbetrag", "Total amount"),
    ("sum.interest", "Zinsen", "Interest"),
    ("sum.principal", "Nettodarlehensbetrag", "Amount financed"),
    ("sum.delivery", "Voraussichtliche Lieferung", "Estimated delivery"),
    ("sum.delivery_text", "ca. {} Wochen nach Bestellung bei Ihrem smart Agenten", "about {} weeks after ordering, at your smart agent"),
    ("sum.sample", "Beispielwerte: Zinssatz und Leasingfaktoren sind keine verbindlichen Angebote.", "Sample figures: rates and leasing factors are not binding offers."),
    ("sum.code", "Konfigurationscode", "Configuration code"),
    ("service.sales", "Beratung & Verkauf", "Sales advice"),
    ("service.test_drive", "Probefahrt", "Test drive"),
    ("service.handover", "Fahrzeugübergabe", "Handover"),
    ("service.service", "Service-Werkstatt", "Service workshop"),
    ("loc.search_label", "Postleitzahl, Ort oder Partner", "Postcode, town or partner"),
    ("loc.search", "Suchen", "Search"),
    ("loc.service", "Leistung", "Service"),
    ("loc.service_all", "Alle Leistungen", "All services"),
    ("loc.use_position", "Meinen Standort verwenden", "Use my location"),
    ("loc.position_denied", "Ihr Standort ist nicht verfügbar (die Freigabe wurde verweigert oder ist nicht möglich). Bitte geben Sie eine Postleitzahl ein.", "Your location is not available (permission was denied or is not possible). Please enter a postcode."),
    ("loc.none", "Keine Standorte gefunden.", "No locations found."),
    ("loc.postcode_unknown", "Die Postleitzahl {} kennen wir nicht. Bitte prüfen Sie sie oder suchen Sie nach einem Ort.", "We do not know the postcode {}. Please check it or search for a town."),
    ("loc.query_invalid", "Bitte geben Sie eine 5-stellige Postleitzahl oder einen Ort ein.", "Please enter a 5-digit postcode or a town."),
    ("loc.nearest_to", "Nächstgelegen zu", "Nearest to"),
    ("loc.nearest_you", "Nächstgelegen zu Ihrem Standort", "Nearest to your position"),
    ("loc.agent_of", "Agent:", "Agent:"),
    ("loc.today", "Heute", "Today"),
    ("loc.show_all", "Alle {} Standorte anzeigen", "Show all {} locations"),
    ("loc.closed_today", "geschlossen", "closed"),
    ("loc.open_now", "jetzt geöffnet", "open now"),
    ("loc.closed_now", "jetzt geschlossen", "closed now"),
    ("loc.choose", "Diesen Standort wählen", "Choose this location"),
    ("loc.chosen", "Ihr gewählter Standort", "Your chosen location"),
    ("loc.map", "Karte der smart Standorte in Deutschland", "Map of smart locations in Germany"),
    ("loc.back_to_config", "Zurück zur Konfiguration", "Back to the configuration"),
    ("sum.agent", "Ihr smart Agent", "Your smart agent"),
    ("sum.agent_none", "Noch kein Standort gewählt.", "No location chosen yet."),
    ("sum.agent_change", "Standort wählen oder ändern", "Choose or change the location"),
    ("acc.sign_in", "Anmelden", "Sign in"),
    ("acc.register", "Konto erstellen", "Create account"),
    ("acc.email", "E-Mail-Adresse", "E-mail address"),
    ("acc.password", "Passwort", "Password"),
    ("acc.password_hint", "Mindestens 10 Zeichen.", "At least 10 characters."),
    ("acc.wrong", "E-Mail-Adresse oder Passwort ist falsch.", "E-mail address or password is wrong."),
    ("acc.exists", "Zu dieser E-Mail-Adresse gibt es schon ein Konto. Bitte melden Sie sich an. Ohne Passwort (etwa nach einer Bestellung im smart Store) wählen Sie eins über „Passwort vergessen?“.", "An account with this e-mail address exists. Please sign in. Without a password (say, after ordering in a smart store) choose one with \"Forgot your password?\"."),
    ("acc.forgot", "Passwort vergessen?", "Forgot your password?"),
    ("acc.forgot_lead", "Geben Sie die E-Mail-Adresse Ihres Kontos ein. Wir senden Ihnen einen Link, mit dem Sie ein neues Passwort wählen.", "Enter the e-mail address of your account. We will send you a link to choose a new password."),
    ("acc.forgot_send", "Link senden", "Send link"),
    ("acc.forgot_sent", "Wenn es ein Konto mit dieser Adresse gibt, haben wir ihm eben einen Link für ein neues Passwort geschickt. Er gilt 30 Minuten und nur einmal. Sehen Sie auch im Spam-Ordner nach.", "If an account exists for this address, we have just sent it a link to choose a new password. It is valid for 30 minutes, once. Please also look in your spam folder."),
    ("acc.forgot_back", "Zurück zur Anmeldung", "Back to sign in"),
    ("acc.invalid_email", "Bitte geben Sie eine gültige E-Mail-Adresse ein.", "Please enter a valid e-mail address."),
    ("reset.title", "Neues Passwort wählen", "Choose a new password"),
    ("reset.new", "Neues Passwort", "New password"),
    ("reset.repeat", "Neues Passwort wiederholen", "Repeat the new password"),
    ("reset.save", "Passwort speichern", "Save the password"),
    ("reset.mismatch", "Die beiden Passwörter stimmen nicht überein.", "The two passwords do not match."),
    ("reset.length", "Das Passwort braucht mindestens 10 und höchstens 128 Zeichen.", "The password needs at least 10 and at most 128 characters."),
    ("reset.done", "Ihr Passwort ist geändert, und Sie sind angemeldet. Auf allen anderen Geräten sind Sie abgemeldet.", "Your password is changed and you are signed in. You are signed out on every other device."),
    ("reset.to_account", "Zu Mein smart", "Go to My smart"),
    ("reset.new_link", "Neuen Link anfordern", "Ask for a new link"),
    ("acc.no_account", "Noch kein Konto? Jetzt registrieren", "No account yet? Create one"),
    ("acc.have_account", "Schon ein Konto? Anmelden", "Have an account? Sign in"),
    ("acc.draft_kept", "Ihre Konfiguration bleibt auf diesem Gerät erhalten, während Sie sich anmelden.", "Your configuration stays on this device while you sign in."),
    ("acc.signed_in_as", "Angemeldet als", "Signed in as"),
    ("acc.sign_out", "Abmelden", "Sign out"),
    ("acc.save_draft", "Sie haben eine begonnene Konfiguration auf diesem Gerät. In Ihrem Konto speichern?", "You have a configuration in progress on this device. Save it to your account?"),
    ("acc.saved", "Gespeicherte Konfigurationen", "Saved configurations"),
    ("acc.none_saved", "Noch keine gespeicherten Konfigurationen.", "No saved configurations yet."),
    ("acc.last_step", "Zuletzt bei", "Last step"),
    ("acc.name", "Name", "Name"),
    ("acc.rename", "Umbenennen", "Rename"),
    ("acc.delete", "Löschen", "Delete"),
    ("co.store_guest", "Im smart Store bestellen Sie ohne Passwort: Die Bestätigung kommt an Ihre E-Mail-Adresse, mit einem Link, um Ihr Konto einzurichten.", "In the smart store you order without a password: the confirmation goes to your e-mail address, with a link to set up your account."),
    ("co.store_thanks", "Vielen Dank für Ihre Bestellung.", "Thank you for your order."),
    ("co.store_mail", "Die Bestätigung ist unterwegs an {}. Mit dem Link darin wählen Sie Ihr Passwort und sehen Ihre Bestellung auf jedem Gerät.", "The confirmation is on its way to {}. With the link in it you choose your password and see your order on any device."),
    ("co.sign_in_first", "Bitte melden Sie sich an oder erstellen Sie ein Konto. Ihr Fahrzeug bleibt erhalten.", "Please sign in or create an account. Your car is kept."),
    ("co.no_car", "Es gibt noch kein Fahrzeug zum Bestellen.", "There is no car to order yet."),
    ("co.step_customer", "Ihre Daten", "Your details"),
    ("co.step_agent", "Agent & Zahlung", "Agent & payment"),
    ("co.step_legal", "Rechtliches", "Legal"),
    ("co.step_review", "Prüfen & bestellen", "Review & order"),
    ("co.customer_kind", "Sie bestellen als", "You order as"),
    ("co.private", "Privatkunde", "Private customer"),
    ("co.business", "Geschäftskunde", "Business customer"),
    ("co.company", "Firma", "Company"),
    ("co.vat_id", "USt-IdNr. (DE + 9 Ziffern)", "VAT ID (DE + 9 digits)"),
    ("co.first_name", "Vorname", "First name"),
    ("co.last_name", "Nachname", "Last name"),
    ("co.phone", "Telefon", "Phone"),
    ("co.street", "Straße und Hausnummer", "Street and number"),
    ("co.postcode", "Postleitzahl", "Postcode"),
    ("co.city", "Ort", "Town"),
    ("co.required", "Bitte ausfüllen.", "Please fill in."),
    ("co.too_long", "Dieser Eintrag ist zu lang.", "This entry is too long."),
    ("co.text_invalid", "Bitte ohne Zeilenumbrüche, Steuer- oder Richtungszeichen.", "Please without line breaks, control or text-direction characters."),
    ("co.no_links", "Bitte ohne Web- oder E-Mail-Adressen.", "Please without web or e-mail addresses."),
    ("co.postcode_invalid", "Eine Postleitzahl hat 5 Ziffern.", "A postcode has 5 digits."),
    ("co.vat_invalid", "Eine deutsche USt-IdNr. ist DE und 9 Ziffern.", "A German VAT ID is DE and 9 digits."),
    ("co.email_invalid", "Bitte eine gültige E-Mail-Adresse eingeben.", "Please enter a valid e-mail address."),
    ("co.payment", "Zahlung", "Payment"),
    ("co.months", "Monate", "months"),
    ("co.pay_cash", "Barzahlung / Überweisung", "Cash / bank transfer"),
    ("co.desired", "Wunschliefertermin (optional)", "Desired delivery date (optional)"),
    ("co.desired_early", "Frühestens am {} möglich (geschätzte Lieferzeit).", "The earliest possible date is {} (estimated delivery time)."),
    ("co.terms", "Ich akzeptiere die", "I accept the"),
    ("co.terms_link", "AGB", "terms and conditions"),
    ("co.confirm", "Bitte bestätigen.", "Please confirm."),
    ("co.desired_unreadable", "Dieses Datum ist unvollständig: bitte Tag, Monat und Jahr eingeben.", "This date is incomplete: please enter day, month and year."),
    ("co.desired_invalid", "Bitte ein Datum innerhalb der nächsten zwei Jahre wählen.", "Please choose a date within the next two years."),
    ("co.location_unknown", "Diesen Standort gibt es nicht mehr. Bitte wählen Sie einen anderen.", "This location no longer exists. Please choose another one."),
    ("co.payment_invalid", "Diese Finanzierungs- oder Leasingbedingungen werden nicht angeboten. Bitte prüfen Sie sie in der Zusammenfassung.", "These financing or leasing terms are not offered. Please check them in the summary."),
    ("co.price_list_changed", "Die Preisliste hat sich geändert. Bitte prüfen Sie Ihr Fahrzeug zu den aktuellen Preisen.", "The price list has changed. Please check your car at today's prices."),
    ("co.not_buildable", "Dieses Fahrzeug lässt sich so nicht bestellen. Bitte prüfen Sie die Konfiguration.", "This car cannot be ordered as it is. Please check the configuration."),
    ("co.price_changed", "Der Preis Ihres Fahrzeugs hat sich geändert: Er beträgt jetzt {}. Bitte prüfen Sie ihn und bestellen Sie erneut.", "The price of your car has changed: it is now {}. Please check it and order again."),
    ("co.consents_missing", "Bitte bestätigen Sie die AGB, die Datenschutzerklärung und – als Privatkunde – die Widerrufsbelehrung.", "Please confirm the terms, the privacy notice and – as a private customer – the withdrawal notice."),
    ("co.phone_invalid", "Bitte eine Telefonnummer mit mindestens 6 Ziffern angeben.", "Please give a phone number with at least 6 digits."),
    ("co.version", "Fassung", "version"),
    ("co.withdrawal", "Ich habe die Widerrufsbelehrung gelesen.", "I have read the withdrawal notice."),
    ("co.privacy", "Wie wir Ihre Daten für Bestellung und Lieferung verarbeiten, steht in der", "How we process your data for the order and the delivery is set out in the"),
    ("co.privacy_link", "Datenschutzerklärung", "privacy notice"),
    ("co.privacy_end", ".", "."),
    ("co.marketing", "Ich möchte Neuigkeiten von smart erhalten (optional).", "I would like news from smart (optional)."),
    ("co.customer", "Kunde", "Customer"),
    ("co.place", "Zahlungspflichtig bestellen", "Order with obligation to pay"),
    ("ord.thanks", "Vielen Dank für Ihre Bestellung. Eine Bestätigung ist unterwegs.", "Thank you for your order. A confirmation is on its way."),
    ("ord.status", "Status", "Status"),
    ("ord.next", "So geht es weiter", "What happens next"),
    ("ord.next1", "smart bestätigt Ihre Bestellung.", "smart confirms your order."),
    ("ord.next2", "Ihr smart Agent meldet sich zur Probefahrt und zum Übergabetermin.", "Your smart agent contacts you about a test drive and the handover date."),
    ("ord.next3", "Ihr smart #1 wird gebaut und bei Ihrem Agenten übergeben.", "Your smart #1 is built and handed over at your agent."),
    ("ord.history", "Verlauf", "History"),
    ("ord.mine", "Meine Bestellungen", "My orders"),
    ("sum.err_term", "Die Laufzeit liegt zwischen {} und {} Monaten.", "The term is between {} and {} months."),
    ("sum.err_down", "Die Anzahlung liegt zwischen 0 € und dem Preis.", "The down payment is between € 0 and the price."),
    ("sum.err_balloon", "Die Schlussrate liegt zwischen 0 und {} und höchstens beim finanzierten Betrag.", "The final instalment is between 0 and {}, and at most the amount financed."),
    ("sum.err_leasing", "Für diese Laufzeit und Fahrleistung gibt es kein Leasingangebot.", "There is no leasing offer for this term and mileage."),
    ("ord.none", "Noch keine Bestellungen.", "No orders yet."),
    ("ord.sign_in", "Bitte melden Sie sich an, um Ihre Bestellung zu sehen.", "Please sign in to see your order."),
    ("ord.not_found", "Diese Bestellung gibt es in Ihrem Konto nicht.", "There is no such order in your account."),
    ("st.received", "Eingegangen", "Received"),
    ("st.confirmed", "Bestätigt", "Confirmed"),
    ("st.assigned", "Dem Agenten zugewiesen", "Assigned to agent"),
    ("st.production", "In Produktion", "In production"),
    ("st.ready", "Bereit zur Übergabe", "Ready for handover"),
    ("st.handed_over", "Übergeben", "Handed over"),
    ("st.cancelled", "Storniert", "Cancelled"),
    ("store.title", "Willkommen! Konfigurieren Sie Ihren smart #1.", "Welcome! Configure your smart #1."),
    ("store.lead", "Wählen Sie hier am Bildschirm – und nehmen Sie Ihr Fahrzeug per Code mit aufs Smartphone.", "Choose here on the screen – and take your car with you to your phone by code."),
    ("store.privacy", "Nach einer Weile ohne Eingabe wird dieser Bildschirm geleert: Ihr Fahrzeug, Ihre Daten und Ihre Anmeldung werden entfernt.", "After a while without input this screen is cleared: your car, your data and your sign-in are removed."),
    ("idle.title", "Sind Sie noch da?", "Are you still there?"),
    ("idle.lead", "Dieser Bildschirm wird in {n} Sekunden geleert.", "This screen will be cleared in {n} seconds."),
    ("idle.continue", "Weiter konfigurieren", "Continue configuring"),
    ("handover.opening", "Ihr Fahrzeug wird geöffnet", "Opening your car"),
    ("handover.failed", "Dieser Code ließ sich nicht öffnen", "This code could not be opened"),
    ("handover.unknown", "Einen Übergabe-Code wie diesen gibt es nicht. Bitte prüfen Sie ihn und geben Sie ihn erneut ein.", "There is no hand-over code like this. Please check it and enter it again."),
    ("handover.expired", "Dieser Code ist abgelaufen: Codes gelten 7 Tage. Bitte lassen Sie sich einen neuen geben.", "This code has expired: codes are valid for 7 days. Please ask for a new one."),
    ("handover.to_screen", "Im Store zeigen", "Show in store"),
    ("store.agent_fixed", "Auf diesem Bildschirm ist dieser smart Store Ihr Agent.", "On this screen, this smart Store is your agent."),
    ("co.staff", "Ihre Beraterin / Ihr Berater", "Your sales advisor"),
    ("agent.staff_only", "Dieser Bereich ist für Mitarbeiter der smart Agenten.", "This area is for the staff of smart agents."),
    ("agent.sign_in", "Bitte melden Sie sich mit Ihrem Mitarbeiterkonto an.", "Please sign in with your staff account."),
    ("agent.orders", "Bestellungen", "Orders"),
    ("agent.handovers", "Übergabe-Codes", "Hand-over codes"),
    ("agent.no_orders", "Noch keine Bestellungen an Ihren Standorten.", "No orders at your locations yet."),
    ("agent.no_handovers", "Noch keine Übergabe-Codes an Ihren Standorten.", "No hand-over codes at your locations yet."),
    ("agent.number", "Nummer", "Number"),
    ("agent.date", "Datum", "Date"),
    ("agent.customer", "Kunde", "Customer"),
    ("agent.location", "Standort", "Location"),
    ("agent.action", "Nächster Schritt", "Next step"),
    ("agent.cancel", "Stornieren", "Cancel order"),
    ("agent.cancel_title", "Bestellung {} stornieren?", "Cancel order {}?"),
    ("agent.reason_label", "Grund für den Kunden (er erhält ihn per E-Mail)", "Reason for the customer (they receive it by e-mail)"),
    ("agent.cancel_confirm", "Ja, stornieren", "Yes, cancel it"),
    ("agent.cancel_keep", "Nein, Bestellung behalten", "No, keep the order"),
    ("agent.reason", "Grund", "Reason"),
    ("agent.details", "Kontakt, Fahrzeug und Bedingungen", "Contact, car and terms"),
    ("agent.expired", "abgelaufen", "expired"),
    ("agent.valid", "gültig", "valid"),
    ("agent.opened", "geöffnet", "opened"),
    ("agent.search", "Suchen (Nummer, Name, Firma)", "Search (number, name, company)"),
    ("agent.code_search", "Code suchen", "Find a code"),
    ("agent.all", "Alle", "All"),
    ("agent.found", "{} gefunden", "{} found"),
    ("agent.pages", "Seiten", "Pages"),
    ("agent.previous", "Zurück", "Previous"),
    ("agent.next", "Weiter", "Next"),
    ("agent.page_of", "Seite {} von {}", "Page {} of {}"),
    ("agent.note", "Notiz (optional)", "Note (optional)"),
    ("agent.dead", "Fehlgeschlagene Zustellungen", "Failed deliveries"),
    ("agent.dead_lead", "Diese Meldungen erreichten ihr Ziel nach allen Versuchen nicht. Prüfen Sie das Ziel und senden Sie sie erneut.", "These messages did not reach their destination after every attempt. Check the destination, then send them again."),
    ("agent.replay", "Erneut senden", "Send again"),
    ("agent.topic_placed", "Bestellung an Hersteller und Händlersystem", "Order to the manufacturer and dealer system"),
    ("agent.topic_status", "Statusänderung an Hersteller und Händlersystem", "Status change to the manufacturer and dealer system"),
    ("agent.topic_mail", "Bestätigung per E-Mail an den Kunden", "Confirmation e-mail to the customer"),
    ("agent.topic_cancel_mail", "Stornierung per E-Mail an den Kunden", "Cancellation e-mail to the customer"),
    ("agent.drives", "Probefahrten", "Test drives"),
    ("agent.location", "Standort", "Location"),
    ("agent.week", "ganze Woche", "whole week"),
    ("agent.no_drives", "Keine Probefahrten in diesem Zeitraum.", "No test drives in this period."),
    ("agent.drive_car", "konfiguriertes Fahrzeug", "configured car"),
    ("agent.drive_done", "Gefahren", "Done"),
    ("agent.drive_no_show", "Nicht erschienen", "No-show"),
    ("agent.drive_book", "Probefahrt eintragen (Telefon, vor Ort)", "Enter a test drive (phone, walk-in)"),
    ("agent.licence_asked", "Kunde hat einen gültigen Führerschein bestätigt", "The customer confirmed a valid driving licence"),
    ("agent.block", "Fahrzeug sperren", "Block a car"),
    ("agent.block_from", "Ab", "From"),
    ("agent.block_days", "Tage", "Days"),
    ("agent.block_note", "Grund", "Reason"),
    ("agent.unblock", "Sperre aufheben", "Lift the block"),
    ("agent.topic_drive", "Probefahrt an Hersteller und Händlersystem", "Test drive to the manufacturer and dealer system"),
    ("agent.topic_drive_mail", "Probefahrt-E-Mail an den Kunden", "Test-drive e-mail to the customer"),
    ("store.end", "Store-Modus beenden", "End store mode"),
    ("store.end_staff", "Nur für Mitarbeiter: Bildschirm abmelden", "Staff only: sign this screen out"),
    ("store.setup", "Bildschirm einrichten", "Set up this screen"),
    ("store.setup_lead", "Nur für Mitarbeiter dieses Standorts: Melden Sie sich an, um diesen Bildschirm in den Store-Modus zu versetzen. Bestellungen hier nennen Sie als Berater.", "For staff of this location only: sign in to put this screen into store mode. Orders made here name you as the advisor."),
    ("store.setup_submit", "Store-Modus starten", "Start store mode"),
    ("store.setup_refused", "Nur Mitarbeiter des Agenten dieses Standorts können diesen Bildschirm einrichten.", "Only staff of this location's agent can set up this screen."),
    ("store.end_lead", "Nur für Mitarbeiter dieses Standorts: Melden Sie sich an, um den Bildschirm aus dem Store-Modus zu nehmen.", "For staff of this location only: sign in to take this screen out of store mode."),
    ("store.end_refused", "Nur Mitarbeiter des Agenten dieses Standorts können den Store-Modus beenden.", "Only staff of this location's agent can end its store mode."),
];

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
    t(lang, e.code.map_or("err.network", error_key)).to_string()
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

/// The text for `key` in `lang`; an unknown key shows itself, so a typo is visible, not blank.
pub fn t(lang: Lang, key: &'static str) -> &'static str {
    #[cfg(not(feature = "lean"))]
    let found = WORDS.iter().chain(SHOP_WORDS).find(|(k, _, _)| *k == key);
    #[cfg(feature = "lean")]
    let found = WORDS.iter().find(|(k, _, _)| *k == key);
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
            let mut source = std::fs::read_to_string(&file).unwrap();
            if file.ends_with("i18n.rs") {
                // The tables are the definitions, not uses.
                for table in ["const WORDS:", "const SHOP_WORDS:"] {
                    let start = source.find(table).unwrap();
                    let end = start + source[start..].find("\n];").unwrap();
                    source.replace_range(start..end, "");
                }
            }
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
        let defined: Vec<&str> = super::WORDS
            .iter()
            .chain(super::SHOP_WORDS)
            .map(|w| w.0)
            .collect();
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
        let mut keys: Vec<&str> = super::WORDS
            .iter()
            .chain(super::SHOP_WORDS)
            .map(|w| w.0)
            .collect();
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
                "src/{file} uses {missing:?}: move them to WORDS"
            );
        }
    }
}
