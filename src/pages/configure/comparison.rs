//! The lines side by side, built as markup when first opened.

use crate::i18n::{t, tx, use_lang};
use crate::state::catalog;
use leptos::prelude::*;

/// Text for HTML markup built as a string (content and quoted attribute values).
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The lines side by side: "from" price, consumption, and every fact their specs list, in the
/// first line's order; closed until asked for. Built as markup, not as a view: a static table
/// needs no reactive nodes, and the configurator's first load stays small.
pub(super) fn line_comparison() -> impl IntoView {
    let lang = use_lang();
    let table = move || {
        let l = lang.get();
        let cat = catalog();
        let lines = cat.lines();
        let mut labels: Vec<&domain::Text> = Vec::new();
        for spec in lines.iter().flat_map(|line| &line.specs) {
            if !labels.iter().any(|known| known.de == spec.label.de) {
                labels.push(&spec.label);
            }
        }
        // Each cell names its line too: where the table is narrower than five columns (a phone,
        // the options column at 1920 px) the rows stack and every value says whose it is.
        let names: Vec<String> = lines.iter().map(|line| escape(line.name.get(l))).collect();
        let row = |head: &str, cells: &mut dyn Iterator<Item = String>| {
            let cells: String = cells
                .zip(&names)
                .map(|(c, name)| format!(r#"<td data-line="{name}">{}</td>"#, escape(&c)))
                .collect();
            format!(r#"<tr><th scope="row">{}</th>{cells}</tr>"#, escape(head))
        };
        let mut html = format!(
            r#"<table><thead><tr><th scope="col">{}</th>"#,
            t(l, "step.line")
        );
        for name in &names {
            html += &format!(r#"<th scope="col">{name}</th>"#);
        }
        html += "</tr></thead><tbody>";
        html += &row(
            t(l, "cmp.price"),
            &mut lines.iter().map(|line| {
                format!(
                    "{} {}",
                    t(l, "home.from"),
                    cat.from_price(&line.code).unwrap_or(line.price).format(l)
                )
            }),
        );
        html += &row(
            t(l, "cmp.energy"),
            &mut lines.iter().map(|line| {
                line.energy
                    .map(|e| crate::components::energy_label::energy_text(e, l))
                    .unwrap_or_default()
            }),
        );
        for label in labels {
            html += &row(
                label.get(l),
                &mut lines.iter().map(|line| {
                    // A figure the manufacturer has not published says so (a bare "–" next to
                    // a published consumption read as "no range").
                    let value = line.specs.iter().find(|s| s.label.de == label.de);
                    value
                        .map_or(t(l, "cmp.not_stated"), |s| s.value.get(l))
                        .to_string()
                }),
            );
        }
        html += &row(
            t(l, "cmp.equipment"),
            &mut lines.iter().map(|line| line.description.get(l).to_string()),
        );
        html + "</tbody></table>"
    };
    // Built when first opened: the painted first screen stays small.
    let opened = RwSignal::new(false);
    view! {
        <details class="line-compare" data-testid="line-compare" on:toggle=move |_| opened.set(true)>
            <summary>{tx("cmp.open")}</summary>
            <div class="table-scroll" role="region" tabindex="0" aria-label=tx("cmp.open")
                inner_html=move || if opened.get() { table() } else { String::new() }></div>
        </details>
    }
}
