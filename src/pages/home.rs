//! `/`: what the product is, the lines with their prices, the way in.

use crate::components::car_picture::CarPicture;
use crate::i18n::{t, tx, use_lang};
use crate::nav::A;
use crate::state::catalog;
use leptos::prelude::*;

#[component]
pub fn Home() -> impl IntoView {
    let lang = use_lang();
    let lines = move || {
        let l = lang.get();
        catalog()
            .lines()
            .iter()
            .map(|line| {
                let href = format!("/configure?line={}", line.code);
                view! {
                    <li class="line-teaser">
                        {catalog().line_car(&line.code).map(|c| view! { <CarPicture config=c testid="line-car"/> })}
                        <h3>{line.name.get(l).to_string()}</h3>
                        <p class="price" data-testid=format!("from-{}", line.code)>{format!("{} {}", t(l, "home.from"), catalog().from_price(&line.code).unwrap_or(line.price).format(l))}</p>
                        {line.energy.map(|e| view! { <p class="energy" data-testid="energy-label">{crate::components::energy_label::energy_text(e, l)}</p> })}
                        <p>{line.description.get(l).to_string()}</p>
                        <A href=href>{t(l, "home.cta")}</A>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="hero">
            {catalog().line_car(&catalog().lines()[0].code).map(|c| view! { <CarPicture config=c/> })}
            <h1>{tx("home.title")}</h1>
            <p class="lead">{tx("home.lead")}</p>
            <A href="/configure" attr:class="button primary" attr:data-testid="cta-configure">{tx("home.cta")}</A>
            " "<A href="/test-drive" attr:class="button" attr:data-testid="cta-test-drive">{tx("td.cta")}</A>
            <crate::components::handover::CodeEntry/>
        </section>
        <section aria-labelledby="lines-title">
            <h2 id="lines-title">{tx("home.lines")}</h2>
            <ul class="line-teasers">{lines}</ul>
        </section>
    }
}
