//! The car drawn as SVG in four views (3/4 front, side, rear, interior): paint, contrasting
//! roof, rim design and interior colour follow the configuration at once; a text alternative
//! names them. The shapes are static markup generated from the car's real dimensions
//! (`car_views.rs`); the app only fills in their colours and draws the rims. Colours are
//! presentation attributes, not inline styles: the Content-Security-Policy forbids those.

use super::car_views::{CarView, FRONT, INTERIOR, REAR, SIDE};
use crate::i18n::{t, use_lang};
use crate::state::catalog;
use domain::Configuration;
use leptos::prelude::*;
use std::sync::atomic::{AtomicU32, Ordering};

/// The views in the order a swipe goes through them, with their names' keys.
const VIEWS: [(&CarView, &str); 4] = [
    (&FRONT, "car.front"),
    (&SIDE, "car.side"),
    (&REAR, "car.rear"),
    (&INTERIOR, "car.interior"),
];

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

/// One wheel in its own units (tyre radius 52); each view places it with a transform.
fn wheel_markup(colour: &str, accent: &str, design: &str) -> String {
    let (n, w) = spokes(design);
    let mut s = format!(r##"<circle r="52" fill="#17191b"/><circle r="38" fill="{accent}"/>"##);
    if design == "brabus" {
        s += &format!(
            r#"<path d="M-30,-18 A34,34 0 0 1 -8,-33 L-6,-26 A27,27 0 0 0 -24,-14 Z" fill="{accent}"/>"#
        );
    }
    for i in 0..n {
        let fill = if design == "style" && i % 2 == 1 {
            accent
        } else {
            colour
        };
        s += &format!(
            r#"<rect x="-{}" y="-35" width="{w}" height="35" rx="2" fill="{fill}" transform="rotate({})"/>"#,
            w / 2,
            i * 360 / n
        );
    }
    s + &format!(
        r##"<circle r="34" fill="none" stroke="{colour}" stroke-width="4"/><circle r="7" fill="#2a2c2e"/>"##
    )
}

/// `hex` ("#rrggbb") mixed with grey level `with` by `percent`: the paint's shaded sides.
fn mix(hex: &str, with: u32, percent: u32) -> String {
    let c = u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap_or(0x88_88_88);
    let channel = |shift: u32| (((c >> shift) & 0xff) * (100 - percent) + with * percent) / 100;
    format!("#{:02x}{:02x}{:02x}", channel(16), channel(8), channel(0))
}

/// Each picture's own id for its chequered-roof pattern: several cars share a page (line cards).
static PICTURES: AtomicU32 = AtomicU32::new(0);

/// The car. `views` adds the buttons (and the swipe) that switch between the four views;
/// without it the picture shows the 3/4 front view, as on cards and summaries.
#[component]
pub fn CarPicture(
    /// The car: the configurator's live one, or a fixed one (cards, checkout, confirmation).
    #[prop(into)]
    config: Signal<Configuration>,
    #[prop(optional)] views: bool,
    /// The pictures of the lines (cards, teasers) are "line-car"; the car itself "car-picture".
    #[prop(default = "car-picture")]
    testid: &'static str,
) -> impl IntoView {
    let lang = use_lang();
    let shown = RwSignal::new(0usize);
    let pattern = format!("chq{}", PICTURES.fetch_add(1, Ordering::Relaxed));
    let art = {
        let pattern = pattern.clone();
        move || {
            let (view, _) = VIEWS[shown.get()];
            let cfg = config.get();
            let (paint, _, _) = look(&cfg, "paint");
            let (roof, _, roof_design) = look(&cfg, "roof");
            let (interior, interior_accent, _) = look(&cfg, "interior");
            let roof = if roof_design == "chequered" {
                format!("url(#{pattern})")
            } else {
                roof
            };
            // Each surface class gets its colour; shaded sides of the paint are mixed from it.
            let fills = [
                ("p", paint.clone()),
                ("p1", mix(&paint, 0, 20)),
                ("p2", mix(&paint, 255, 12)),
                ("r", roof),
                ("i", interior),
                ("i2", interior_accent),
            ];
            let mut s = view.art.to_string();
            for (class, fill) in fills {
                s = s.replace(
                    &format!(r#"class="{class}""#),
                    &format!(r#"class="{class}" fill="{fill}""#),
                );
            }
            let (colour, accent, design) = look(&cfg, "wheels");
            let wheel = wheel_markup(&colour, &accent, &design);
            for place in view.wheels {
                s += &format!(r#"<g transform="{place}">{wheel}</g>"#);
            }
            s
        }
    };
    let roof = move || look(&config.get(), "roof");
    let description = move || {
        let l = lang.get();
        let cfg = config.get();
        let name = |g: &str| {
            catalog()
                .chosen_in(&cfg, g)
                .map(|c| c.name.get(l).to_string())
                .unwrap_or_default()
        };
        let view = t(l, VIEWS[shown.get()].1);
        match l {
            domain::Lang::De => format!(
                "smart #1 {} in {}, Dach {}, {}, Innenraum {} ({view})",
                name("line"),
                name("paint"),
                name("roof"),
                name("wheels"),
                name("interior")
            ),
            domain::Lang::En => format!(
                "smart #1 {} in {}, roof {}, {}, interior {} ({view})",
                name("line"),
                name("paint"),
                name("roof"),
                name("wheels"),
                name("interior")
            ),
        }
    };
    let title_id = format!("{pattern}-title");
    let labelled_by = title_id.clone();
    // A horizontal swipe on touch screens goes to the next or the previous view.
    let swipe_from = StoredValue::new(None::<i32>);
    let step = move |by: usize| shown.update(|v| *v = (*v + by) % VIEWS.len());
    let switcher = views.then(|| {
        VIEWS
            .iter()
            .enumerate()
            .map(|(i, (_, key))| {
                view! {
                    <button
                        type="button"
                        aria-pressed=move || (shown.get() == i).to_string()
                        data-testid=format!("car-view-{i}")
                        on:click=move |_| shown.set(i)
                    >
                        {move || t(lang.get(), key)}
                    </button>
                }
            })
            .collect_view()
    });
    view! {
        <figure class="car-picture" data-testid=testid data-view=move || shown.get().to_string()>
            <svg
                class="car"
                viewBox="0 0 800 340"
                role="img"
                aria-labelledby=labelled_by
                on:pointerdown=move |e| swipe_from.set_value(Some(e.client_x()))
                on:pointerup=move |e| {
                    if let Some(from) = swipe_from.get_value() {
                        let moved = e.client_x() - from;
                        if views && moved.abs() > 40 {
                            step(if moved < 0 { 1 } else { VIEWS.len() - 1 });
                        }
                    }
                    swipe_from.set_value(None);
                }
            >
                <title id=title_id>{description}</title>
                <defs>
                    <pattern id=pattern width="16" height="16" patternUnits="userSpaceOnUse">
                        <rect width="16" height="16" fill=move || roof().0/>
                        <rect width="8" height="8" fill=move || roof().1/>
                        <rect x="8" y="8" width="8" height="8" fill=move || roof().1/>
                    </pattern>
                </defs>
                <g inner_html=art/>
            </svg>
            {switcher.map(|buttons| view! { <div class="car-views" role="group">{buttons}</div> })}
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::super::car_views::{FRONT, INTERIOR, REAR, SIDE};

    /// The horizontal extent of a set of points, and its vertical range.
    fn span(pts: &[(i32, i32)]) -> i32 {
        pts.iter().map(|p| p.0).max().unwrap() - pts.iter().map(|p| p.0).min().unwrap()
    }
    fn rows(pts: &[(i32, i32)]) -> (i32, i32) {
        (
            pts.iter().map(|p| p.1).min().unwrap(),
            pts.iter().map(|p| p.1).max().unwrap(),
        )
    }

    /// The smart #1's signature: one light bar across the full width at the front and at the
    /// rear (there on a dark band, so it reads on every paint), and the round centre display.
    #[test]
    fn the_light_bars_span_the_car_and_the_centre_display_is_round() {
        let face = span(&points_of(FRONT.art, "p1"));
        let front_bar = shapes_of(FRONT.art, "l")
            .iter()
            .map(|s| span(s))
            .max()
            .unwrap();
        assert!(
            front_bar * 100 >= face * 75,
            "front light bar {front_bar} of {face}"
        );

        let body = span(&points_of(REAR.art, "p"));
        let tail = shapes_of(REAR.art, "t");
        let bar = tail.iter().max_by_key(|s| span(s)).unwrap();
        assert!(
            span(bar) * 100 >= body * 90,
            "rear light bar {} of {body}",
            span(bar)
        );
        let (top, bottom) = rows(bar);
        assert!(
            shapes_of(REAR.art, "d").iter().any(|band| {
                let (band_top, band_bottom) = rows(band);
                span(band) >= span(bar) && band_top < top && band_bottom > bottom
            }),
            "the rear light bar lies on no dark band"
        );

        assert!(
            INTERIOR.art.contains(r#"<circle class="scr""#),
            "no round centre display"
        );
    }

    /// The points of every path in a view's markup (absolute move, then relative steps).
    fn points(art: &str) -> Vec<(i32, i32)> {
        points_of(art, "")
    }

    /// The points of the paths of one class ("" for all).
    fn points_of(art: &str, class: &str) -> Vec<(i32, i32)> {
        shapes_of(art, class).concat()
    }

    /// The shapes (subpaths) of the paths of one class ("" for all), each as its points.
    fn shapes_of(art: &str, class: &str) -> Vec<Vec<(i32, i32)>> {
        let mut out = Vec::new();
        for d in art
            .split("<path ")
            .skip(1)
            .filter(|path| class.is_empty() || path.starts_with(&format!(r#"class="{class}""#)))
            .map(|path| {
                path.split(r#" d=""#)
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
            })
        {
            for sub in d.split('M').filter(|s| !s.is_empty()) {
                let sub = sub.trim_end_matches('z');
                let (start, steps) = sub.split_once('l').unwrap_or((sub, ""));
                let num = |s: &str| s.parse::<i32>().unwrap();
                let (x, y) = start.split_once(',').unwrap();
                let (mut x, mut y) = (num(x), num(y));
                let mut shape = vec![(x, y)];
                // Pairs apart by spaces or by their own minus sign.
                let spaced = steps
                    .replace('-', " -")
                    .replace(", -", ",-")
                    .replace(", ", ",");
                for pair in spaced.split_whitespace() {
                    let (dx, dy) = pair.split_once(',').unwrap();
                    x += num(dx);
                    y += num(dy);
                    shape.push((x, y));
                }
                out.push(shape);
            }
        }
        out
    }

    /// The side view keeps the smart #1's proportions: 4,270 mm long, 1,636 mm high (roof to
    /// the ground under the tyres), wheels of 347 mm radius, wheelbase 2,750 mm.
    #[test]
    fn the_side_view_has_the_true_proportions() {
        let pts = points(SIDE.art);
        assert!(pts.len() > 50);
        let (min_x, max_x) = (
            pts.iter().map(|p| p.0).min().unwrap(),
            pts.iter().map(|p| p.0).max().unwrap(),
        );
        let min_y = pts.iter().map(|p| p.1).min().unwrap();
        // The wheels: "matrix(a,b,c,d,cx,cy)" scaling a tyre of 52 units.
        let wheels: Vec<Vec<f64>> = SIDE
            .wheels
            .iter()
            .map(|w| {
                w.trim_start_matches("matrix(")
                    .trim_end_matches(')')
                    .split(',')
                    .map(|n| n.parse().unwrap())
                    .collect()
            })
            .collect();
        assert_eq!(wheels.len(), 2);
        let px_per_mm = (max_x - min_x) as f64 / 4270.0;
        let ground = wheels[0][5] + 52.0 * wheels[0][0];
        let height_mm = (ground - min_y as f64) / px_per_mm;
        assert!(
            (height_mm - 1636.0).abs() < 1636.0 * 0.02,
            "height {height_mm} mm"
        );
        let radius_mm = 52.0 * wheels[0][0] / px_per_mm;
        assert!(
            (radius_mm - 347.0).abs() < 347.0 * 0.03,
            "wheel radius {radius_mm} mm"
        );
        let wheelbase_mm = (wheels[1][4] - wheels[0][4]).abs() / px_per_mm;
        assert!(
            (wheelbase_mm - 2750.0).abs() < 2750.0 * 0.02,
            "wheelbase {wheelbase_mm} mm"
        );
    }
}
