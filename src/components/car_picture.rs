//! The car drawn as an SVG side view: paint, floating roof and wheel design follow the
//! configuration at once; a text alternative names them.

use crate::i18n::use_lang;
use crate::state::catalog;
use domain::Configuration;
use leptos::prelude::*;

/// The look of the chosen choice of a group: (colour, accent, design).
fn look(config: &Configuration, group: &str) -> (String, String, String) {
    catalog()
        .chosen_in(config, group)
        .map(|c| {
            (
                c.look.colour.clone().unwrap_or_else(|| "#888".into()),
                c.look.accent.clone().unwrap_or_else(|| "#333".into()),
                c.look.design.clone().unwrap_or_default(),
            )
        })
        .unwrap_or_else(|| ("#888".into(), "#333".into(), String::new()))
}

/// Spokes per rim design, and their width. Integers throughout: float formatting would add its
/// code to the configurator's first load for nothing a customer could see.
fn spokes(design: &str) -> (u32, u32) {
    match design {
        "aero" => (5, 16),
        "sport" => (5, 10),
        "style" => (10, 6),
        "prism" => (6, 12),
        "brabus" => (10, 6),
        _ => (5, 8),
    }
}

#[component]
fn Wheel(cx: u32, config: Memo<Configuration>) -> impl IntoView {
    let wheel = move || look(&config.get(), "wheels");
    let spoke_list = move || {
        let (colour, accent, design) = wheel();
        let (n, w) = spokes(&design);
        (0..n)
            .map(|i| {
                let angle = i * 360 / n;
                let fill = if design == "style" && i % 2 == 1 { accent.clone() } else { colour.clone() };
                view! { <rect x=-((w / 2) as i32) y="-35" width=w height="35" rx="2" fill=fill transform=format!("rotate({angle})")/> }
            })
            .collect_view()
    };
    let caliper = move || {
        let (_, accent, design) = wheel();
        (design == "brabus").then(|| view! { <path d="M-30,-18 A34,34 0 0 1 -8,-33 L-6,-26 A27,27 0 0 0 -24,-14 Z" fill=accent/> })
    };
    view! {
        <g transform=format!("translate({cx},262)")>
            <circle r="52" fill="#17191b"/>
            <circle r="38" fill=move || wheel().1/>
            {caliper}
            {spoke_list}
            <circle r="34" fill="none" stroke=move || wheel().0 stroke-width="4"/>
            <circle r="7" fill="#2a2c2e"/>
        </g>
    }
}

#[component]
pub fn CarPicture(config: Memo<Configuration>) -> impl IntoView {
    let lang = use_lang();
    let paint = move || look(&config.get(), "paint");
    let roof = move || look(&config.get(), "roof");
    let chequered = move || roof().2 == "chequered";
    let description = move || {
        let l = lang.get();
        let cfg = config.get();
        let name = |g: &str| {
            catalog()
                .chosen_in(&cfg, g)
                .map(|c| c.name.get(l).to_string())
                .unwrap_or_default()
        };
        match l {
            domain::Lang::De => format!(
                "smart #1 {} in {}, Dach {}, {}",
                name("line"),
                name("paint"),
                name("roof"),
                name("wheels")
            ),
            domain::Lang::En => format!(
                "smart #1 {} in {}, roof {}, {}",
                name("line"),
                name("paint"),
                name("roof"),
                name("wheels")
            ),
        }
    };
    view! {
        <figure class="car-picture" data-testid="car-picture">
            <svg viewBox="0 0 800 330" role="img" aria-labelledby="car-title">
                <title id="car-title">{description}</title>
                <defs>
                    <pattern id="chequer" width="16" height="16" patternUnits="userSpaceOnUse">
                        <rect width="16" height="16" fill=move || roof().0/>
                        <rect width="8" height="8" fill=move || roof().1/>
                        <rect x="8" y="8" width="8" height="8" fill=move || roof().1/>
                    </pattern>
                </defs>
                <ellipse cx="405" cy="312" rx="370" ry="12" fill="#000" opacity="0.15"/>
                // Body
                <path
                    data-testid="car-body"
                    d="M58,262 L56,205 Q58,168 98,160 L180,152 L560,150 Q655,152 722,188 Q752,202 754,232 L754,262 Z"
                    fill=move || paint().0
                    stroke="#00000033"
                    stroke-width="2"
                />
                // Glasshouse
                <path d="M128,153 L182,100 Q192,92 208,91 L468,89 Q498,90 518,104 L598,151 Z" fill="#26303a"/>
                // Floating roof with its pillars
                <path
                    data-testid="car-roof"
                    d="M118,156 L176,96 Q190,80 210,79 L470,77 Q508,78 530,96 L612,152 L590,152 L515,104 Q496,91 468,91 L210,92 Q194,93 184,102 L140,156 Z"
                    fill=move || if chequered() { "url(#chequer)".to_string() } else { roof().0 }
                />
                <rect x="330" y="92" width="9" height="60" fill="#1a1d20"/>
                // Door lines, handles, lights
                <path d="M335,152 L335,250 M520,152 Q525,200 512,250" stroke="#00000040" stroke-width="2" fill="none"/>
                <rect x="262" y="176" width="34" height="6" rx="3" fill="#00000055"/>
                <rect x="445" y="176" width="34" height="6" rx="3" fill="#00000055"/>
                <path d="M676,176 L748,205 L746,214 L672,186 Z" fill="#f1f4f7"/>
                <rect x="57" y="180" width="40" height="10" rx="3" fill="#b3121d"/>
                // Wheel arches
                <circle cx="190" cy="262" r="60" fill="#1f2124"/>
                <circle cx="622" cy="262" r="60" fill="#1f2124"/>
                <rect x="56" y="262" width="700" height="10" fill="#1f2124"/>
                <Wheel cx=190 config=config/>
                <Wheel cx=622 config=config/>
            </svg>
        </figure>
    }
}
