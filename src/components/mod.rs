pub mod car_picture;
mod car_views;
pub mod choice_card;
pub mod dialog;
#[cfg(not(feature = "lean"))]
pub mod end_store;
pub mod energy_label;
pub mod germany_map;
pub mod handover;
pub mod idle_guard;
pub mod layout;
pub mod legal_text;
pub mod price_bar;
pub mod qr;
pub mod sign_in;
pub mod summary;

use leptos::prelude::*;

/// A phone number as a link that dials it (`tel:` with the digits and a leading +).
pub fn phone_link(number: String) -> impl IntoView {
    let dial: String = number
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    view! { <a href=format!("tel:{dial}") class="tel">{number}</a> }
}
