//! A map of Germany drawn by the app: the border from public geodata (derived once, see
//! data/locations/germany-outline.json) and the locations as points; the chosen one stands out
//! and clicking a point chooses it.

use crate::api::LocationInfo;
use crate::i18n::tx;
use leptos::prelude::*;
use serde::Deserialize;
use std::sync::OnceLock;

#[derive(Deserialize)]
struct Outline {
    view_box: String,
    path: String,
}

fn outline() -> &'static Outline {
    static OUTLINE: OnceLock<Outline> = OnceLock::new();
    OUTLINE.get_or_init(|| {
        serde_json::from_str(include_str!("../../data/locations/germany-outline.json")).unwrap_or(
            Outline {
                view_box: "0 0 630 880".into(),
                path: String::new(),
            },
        )
    })
}

/// The projection the outline was drawn with (see its JSON file).
pub fn project(lat: f64, lon: f64) -> (f64, f64) {
    (
        (lon - 5.5) * 100.0 * 51.2f64.to_radians().cos(),
        (55.2 - lat) * 100.0,
    )
}

#[component]
pub fn GermanyMap(
    #[prop(into)] locations: Signal<Vec<LocationInfo>>,
    #[prop(into)] chosen: Signal<Option<String>>,
    on_choose: Callback<LocationInfo>,
) -> impl IntoView {
    let points = move || {
        let current = chosen.get();
        let mut list = locations.get();
        // The chosen point last, so it is drawn on top.
        list.sort_by_key(|l| Some(&l.id) == current.as_ref());
        list.into_iter()
            .map(|l| {
                let (x, y) = project(l.lat, l.lon);
                let is_chosen = Some(&l.id) == current.as_ref();
                let title = format!("{}, {}", l.name, l.city);
                let testid = format!("map-point-{}", l.id);
                view! {
                    <circle
                        cx=format!("{x:.1}")
                        cy=format!("{y:.1}")
                        r=if is_chosen { "13" } else { "7" }
                        class=if is_chosen { "map-point chosen" } else { "map-point" }
                        data-testid=testid
                        data-chosen=is_chosen.to_string()
                        on:click=move |_| on_choose.run(l.clone())
                    >
                        <title>{title}</title>
                    </circle>
                }
            })
            .collect_view()
    };
    view! {
        <figure class="germany-map">
            <svg viewBox=outline().view_box.clone() role="img" aria-label=tx("loc.map") data-testid="germany-map">
                <path d=outline().path.clone() class="map-land"/>
                {points}
            </svg>
        </figure>
    }
}
