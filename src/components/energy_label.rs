//! The Pkw-EnVKV label: wherever a price of a new car is shown, its combined electricity
//! consumption, its CO₂ emissions (0 g/km: electric) and its CO₂ class (A).

use crate::i18n::{t, use_lang};
use domain::{Energy, Lang};
use leptos::prelude::*;

/// "Stromverbrauch kombiniert: 16,8 kWh/100 km · CO₂-Emissionen kombiniert: 0 g/km · CO₂-Klasse: A".
pub fn energy_text(e: Energy, lang: Lang) -> String {
    let tenths = e.consumption_kwh_100km_tenths;
    let decimal = if lang == Lang::De { ',' } else { '.' };
    let sample = if e.sample {
        t(lang, "energy.sample")
    } else {
        ""
    };
    format!(
        "{}: {}{decimal}{} kWh/100 km{sample} · {}: 0 g/km · {}: A",
        t(lang, "energy.consumption"),
        tenths / 10,
        tenths % 10,
        t(lang, "energy.co2"),
        t(lang, "energy.class"),
    )
}

#[component]
pub fn EnergyLabel(#[prop(into)] energy: Signal<Option<Energy>>) -> impl IntoView {
    let lang = use_lang();
    move || {
        energy
            .get()
            .map(|e| view! { <p class="energy" data-testid="energy-label">{energy_text(e, lang.get())}</p> })
    }
}
