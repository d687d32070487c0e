//! A map of Germany drawn by the app: the border from public geodata (derived once, see
//! data/locations/germany-outline.json) and the locations as points; the chosen one stands out
//! and clicking a point shows it in the list. After a search the map marks the searched place
//! and zooms to it and its nearest locations.

use crate::api::LocationInfo;
use crate::i18n::tx;
use domain::api::SearchOrigin;
use domain::money::fixed;
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

/// Locations a zoomed map keeps in view around the searched place.
const ZOOM_TO_NEAREST: usize = 5;

/// The part of the map to show: all of Germany, or around the searched place and its nearest
/// locations (`locations` nearest first).
fn view_box(origin: Option<&SearchOrigin>, locations: &[LocationInfo]) -> String {
    let Some(o) = origin else {
        return outline().view_box.clone();
    };
    let points: Vec<(f64, f64)> = std::iter::once(project(o.lat, o.lon))
        .chain(
            locations
                .iter()
                .take(ZOOM_TO_NEAREST)
                .map(|l| project(l.lat, l.lon)),
        )
        .collect();
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for (x, y) in points {
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
    }
    // A margin around them, and never closer than a region of about 160 km.
    let (w, h) = ((x1 - x0).max(160.0) + 60.0, (y1 - y0).max(160.0) + 60.0);
    let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    let n = |v: f64| fixed(v, 0);
    format!("{} {} {} {}", n(cx - w / 2.0), n(cy - h / 2.0), n(w), n(h))
}

#[component]
pub fn GermanyMap(
    #[prop(into)] locations: Signal<Vec<LocationInfo>>,
    #[prop(into)] chosen: Signal<Option<String>>,
    /// The searched place, if any: marked, and the map zooms to it.
    #[prop(into)]
    origin: Signal<Option<SearchOrigin>>,
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
                        cx=fixed(x, 1)
                        cy=fixed(y, 1)
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
    let marker = move || {
        origin.get().map(|o| {
            let (x, y) = project(o.lat, o.lon);
            view! {
                <g class="map-origin" data-testid="map-origin" transform=format!("translate({} {})", fixed(x, 1), fixed(y, 1))>
                    <title>{o.label.clone()}</title>
                    <path d="M0,0 L-5,-13 A6.5,6.5 0 1 1 5,-13 Z"/>
                    <circle cy="-14" r="2.5" class="map-origin-dot"/>
                </g>
            }
        })
    };
    let frame = move || origin.with(|o| locations.with(|l| view_box(o.as_ref(), l)));
    view! {
        <figure class="germany-map">
            <svg viewBox=frame role="img" aria-label=tx("loc.map") data-testid="germany-map">
                <path d=outline().path.clone() class="map-land"/>
                {points}
                {marker}
            </svg>
        </figure>
    }
}
