//! The form's fields and the words for what the server or the domain refused.

use super::entry::{text, text_mut, OrderEntry};
use crate::api::ApiError;
use crate::i18n::{invalid_key, t, use_lang};
use domain::order::{CurrentPrice, Field};
use domain::Lang;
use leptos::prelude::*;

/// The checkout step where a field is asked for (4: the review, for what has no field).
pub(super) fn field_step(field: Field) -> u8 {
    match field {
        Field::Company
        | Field::VatId
        | Field::FirstName
        | Field::LastName
        | Field::Email
        | Field::Phone
        | Field::Street
        | Field::Postcode
        | Field::City => 1,
        Field::Staff | Field::DesiredDelivery | Field::Location | Field::Payment => 2,
        Field::Terms | Field::Privacy | Field::Withdrawal => 3,
        _ => 4,
    }
}

/// Whether the form shows this field's refusal beneath it (else the review step says it).
pub(super) fn has_own_error(field: Field) -> bool {
    field_step(field) == 1 || matches!(field, Field::Staff | Field::DesiredDelivery)
}

/// Why an order was refused, in the page's language: a changed price names the new one.
pub(super) fn order_error_text(e: &ApiError, lang: Lang) -> String {
    let current = e
        .current
        .as_deref()
        .and_then(|c| serde_json::from_str::<CurrentPrice>(c).ok());
    match (e.status, current, e.invalid()) {
        (409, Some(c), _) => t(lang, "co.price_changed").replace("{}", &c.price.gross.format(lang)),
        (_, _, Some(invalid)) => t(lang, invalid_key(invalid)).to_string(),
        _ => crate::i18n::error_text(lang, e),
    }
}

/// A text field of the customer's with its label and its own error underneath.
#[component]
pub(super) fn FormField(
    label: &'static str,
    entry: RwSignal<OrderEntry>,
    field: Field,
    testid: &'static str,
    #[prop(into)] error: Signal<Option<&'static str>>,
    #[prop(optional)] kind: &'static str,
    #[prop(optional)] autocomplete: &'static str,
) -> impl IntoView {
    let lang = use_lang();
    let id = format!("f-{testid}");
    let label_for = id.clone();
    let err_id = format!("e-{testid}");
    // This field's text only: typing elsewhere does not set this box again.
    let value = Memo::new(move |_| entry.with(|e| text(&e.customer, field)));
    let edit = move |ev| {
        let typed = event_target_value(&ev);
        entry.update(|e| {
            if let Some(t) = text_mut(&mut e.customer, field) {
                *t = typed;
            }
        })
    };
    // One box per field, its error beneath it: in the form's grid the error never takes a
    // column of its own.
    view! {
        <div class="field">
            <label for=label_for>{move || t(lang.get(), label)}
                <input id=id type=if kind.is_empty() { "text" } else { kind } autocomplete=autocomplete data-testid=testid
                    aria-invalid=move || error.get().is_some().to_string() aria-describedby=err_id.clone()
                    prop:value=value on:input=edit/>
            </label>
            <p class="field-error" id=format!("e-{testid}") data-testid=format!("error-{testid}")>{move || error.get().map(|k| t(lang.get(), k))}</p>
        </div>
    }
}
