//! One choice as a card: name, price difference, short description, and when it is not
//! possible as things stand, the engine's reason. Unavailable cards stay clickable: picking one
//! opens the conflict dialog with the smallest change.

use crate::components::car_picture::CarPicture;
use crate::i18n::{t, use_lang};
use domain::{Cents, Choice, Lang, Status};
use leptos::prelude::*;

/// What picking the choice changes the total by ("+12.490,00 €", "−990,00 €"), everything it
/// brings along included; nothing on the chosen card itself; "inklusive" for what another
/// choice includes; "ohne Aufpreis" when the total stays as it is.
pub fn price_delta(delta: Cents, status: &Status, lang: Lang) -> String {
    match status {
        Status::Chosen => String::new(),
        Status::Fixed => t(lang, "cfg.included").to_string(),
        // A "+0,00 €" reads like a price: say it in words.
        _ if delta.0 == 0 => t(lang, "cfg.no_extra").to_string(),
        _ => delta.format_signed(lang),
    }
}

#[component]
pub fn ChoiceCard(
    choice: &'static Choice,
    #[prop(into)] status: Signal<Status>,
    /// Price difference against what is chosen now.
    #[prop(into)]
    delta: Signal<Cents>,
    /// Why it is unavailable or fixed (the engine's rules), in the current language.
    #[prop(into)]
    reason: Signal<Option<String>>,
    on_pick: Callback<&'static str>,
    /// A picture of the car this choice makes (the line cards).
    #[prop(optional_no_strip)]
    car: Option<domain::Configuration>,
    /// The monthly rate this choice would bring, when it is above the customer's budget.
    #[prop(optional_no_strip)]
    over_budget: Option<Signal<Option<Cents>>>,
    /// The weeks picking it adds to the delivery estimate.
    #[prop(optional_no_strip)]
    weeks: Option<Signal<Option<i64>>>,
    /// A line's own price: its cheapest valid car ("ab 37.490,00 €"), as on the home page.
    #[prop(optional_no_strip)]
    from: Option<Cents>,
) -> impl IntoView {
    let lang = use_lang();
    let pressed = move || matches!(status.get(), Status::Chosen | Status::Fixed);
    let over = move || over_budget.and_then(|s| s.get());
    let class = move || match status.get() {
        Status::Unavailable => "card unavailable",
        _ if over().is_some() => "card over-budget",
        _ => "card",
    };
    let swatch = choice.look.colour.clone();
    view! {
        <button
            type="button"
            class=class
            aria-pressed=move || pressed().to_string()
            data-testid=format!("choice-{}", choice.code)
            data-status=move || status.get().as_str()
            on:click=move |_| on_pick.run(&choice.code)
        >
            <span class="card-head">
                <span>{move || choice.name.get(lang.get()).to_string()}</span>
                <span class="delta">{move || price_delta(delta.get(), &status.get(), lang.get())}</span>
            </span>
            {car.map(|c| view! { <span class="card-car" aria-hidden="true"><CarPicture config=c testid="line-car"/></span> })}
            {from.map(|p| view! { <span class="from" data-testid="line-from">{move || format!("{} {}", t(lang.get(), "home.from"), p.format(lang.get()))}</span> })}
            {swatch.map(|c| view! { <svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><circle cx="5" cy="5" r="5" fill=c/></svg> })}
            <span class="desc">{move || choice.description.get(lang.get()).to_string()}</span>
            // What picking it adds to the delivery estimate (the domain's figure, as the price).
            {move || weeks.and_then(|w| w.get()).filter(|w| *w > 0).map(|w| view! {
                <span class="weeks" data-testid="extra-weeks">{t(lang.get(), "cfg.extra_weeks").replace("{}", &w.to_string())}</span>
            })}
            {move || match status.get() {
                Status::Fixed => Some(view! { <span class="tag">{t(lang.get(), "cfg.fixed")}</span> }.into_any()),
                Status::Chosen => Some(view! { <span class="tag">{t(lang.get(), "cfg.chosen")}</span> }.into_any()),
                _ => None,
            }}
            {move || reason.get().map(|r| view! { <span class="reason">{r}</span> })}
            {move || over().map(|rate| view! {
                <span class="reason" data-testid="over-budget">{format!("{} {}{}", t(lang.get(), "budget.over"), rate.format(lang.get()), t(lang.get(), "bar.per_month"))}</span>
            })}
        </button>
    }
}
