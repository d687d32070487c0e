//! The shop's legal texts (`domain::legal`, from `data/legal/legal.json`) as the pages and the
//! checkout show them: the same texts, and the same terms version, as the order records and the
//! confirmation mail sends.

use crate::i18n::{t, use_lang};
use domain::legal::{Document, Legal};
use leptos::prelude::*;

/// Which text.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Text {
    Terms,
    Withdrawal,
    WithdrawalForm,
}

fn document(text: Text) -> &'static Document {
    let legal = Legal::embedded();
    match text {
        Text::Terms => &legal.terms,
        Text::Withdrawal => &legal.withdrawal,
        Text::WithdrawalForm => &legal.withdrawal_form,
    }
}

/// A legal text with its heading (`h1` on its own page, `h2` inside another).
#[component]
pub fn LegalText(text: Text, #[prop(optional)] nested: bool) -> impl IntoView {
    let lang = use_lang();
    let doc = document(text);
    let legal = Legal::embedded();
    let title = move || doc.title.get(lang.get()).to_string();
    let version = doc.version.clone().map(|v| {
        view! { <p class="meta" data-testid="terms-version">{move || t(lang.get(), "co.version")}" "{v.clone()}</p> }
    });
    let sample = (doc.sample || legal.trader.sample).then(
        || view! { <p class="notice" role="note">{move || t(lang.get(), "page.legal.sample")}</p> },
    );
    view! {
        <section class="legal-text" data-testid="legal-text">
            {if nested { view! { <h2>{title}</h2> }.into_any() } else { view! { <h1>{title}</h1> }.into_any() }}
            {version}
            {move || doc.paragraphs(lang.get(), &legal.trader).into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
            {sample}
        </section>
    }
}

/// `/terms`: the terms with their version.
#[component]
pub fn TermsPage() -> impl IntoView {
    view! { <div class="page"><LegalText text=Text::Terms/></div> }
}

/// `/withdrawal`: the withdrawal instructions and the model withdrawal form.
#[component]
pub fn WithdrawalPage() -> impl IntoView {
    view! {
        <div class="page">
            <LegalText text=Text::Withdrawal/>
            <LegalText text=Text::WithdrawalForm nested=true/>
        </div>
    }
}
