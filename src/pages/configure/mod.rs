//! `/configure?c=<code>&step=<step>`: the configurator. The URL is the single source of truth
//! for the car and the step, so reload, back/forward and a shared link restore exactly the same
//! car; every change also goes to the local draft.
//!
//! One file per part: the step list, the choices of a step, what a choice changes (conflict and
//! notice), the monthly budget, the line comparison, saving (and the two-versions choice), the
//! share dialog. What the first-load build leaves out lives in `shop.rs`, and `first_load.rs`
//! stands in for it there.

mod budget;
mod changes;
mod choices;
mod comparison;
mod draft_offer;
mod saving;
mod share;
#[cfg_attr(feature = "lean", path = "first_load.rs")]
mod shop;
mod steps;

use crate::car::configure_url;
use crate::components::car_picture::CarPicture;
use crate::components::price_bar::PriceBar;
use crate::i18n::{t, tx, use_lang};
use crate::nav::{use_navigate, use_query_map, NavigateOptions, ParamsMap};
use crate::session::use_session;
use crate::state::catalog;
use domain::{CodeError, Configuration, Lang, PriceBreakdown, Selection, Status, Step};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The car being configured and the way to another car or step: what every part reads.
#[derive(Clone, Copy)]
struct Car {
    selection: Memo<Selection>,
    step: Memo<Step>,
    config: Memo<Configuration>,
    price: Memo<PriceBreakdown>,
    code: Memo<String>,
    statuses: Memo<Vec<(String, Status)>>,
    /// To a car and a step, as a new history entry (`true`, and from the top) or in place.
    go: Callback<(Selection, Step, bool)>,
    /// The same with the navigation's options spelt out (a conflict's yes keeps the scroll).
    go_to: Callback<(Selection, Step, NavigateOptions)>,
}

impl Car {
    fn status_of(self, code: &str) -> Status {
        self.statuses.with(|list| {
            list.iter()
                .find(|(c, _)| c == code)
                .map_or(Status::Unavailable, |(_, s)| s.clone())
        })
    }

    /// The same car on another step, as a new history entry.
    #[inline(never)]
    fn to_step(self, to: Step) {
        self.go.run((self.selection.get_untracked(), to, true));
    }
}

/// Why a shared link did not open as it was, in the page's language: each cause its own
/// sentence (the `CodeError` texts are English, for logs and the server).
fn code_problem_text(e: &CodeError, lang: Lang) -> String {
    let cause = match e {
        CodeError::Empty | CodeError::Malformed => "code.malformed",
        CodeError::Checksum => "code.checksum",
        CodeError::UnknownFormat => "code.newer",
        CodeError::OtherPriceList(_) => "code.old_price_list",
        CodeError::OutOfRange => "code.unknown_choices",
        CodeError::Invalid(_) => "code.not_buildable",
    };
    format!("{} {}", t(lang, cause), t(lang, "code.nearest"))
}

/// The car and step the URL names, and the way to change them.
/// Also the link's problem, when it did not open as it was.
fn car_from_url(query: Memo<ParamsMap>) -> (Car, Memo<(Selection, Option<CodeError>)>) {
    let cat = catalog();
    let navigate = use_navigate();
    let session = use_session();
    let decoded = Memo::new(move |_| match query.read().get("c") {
        Some(code) => cat.decode_nearest(&code),
        None => (cat.empty_selection(), None),
    });
    let selection = Memo::new(move |_| decoded.get().0);
    let step = Memo::new(move |_| {
        let slug = query.read().get("step");
        slug.and_then(|s| Step::from_slug(&s)).unwrap_or(Step::Line)
    });
    let config = Memo::new(move |_| {
        cat.complete(&selection.get()).unwrap_or_else(|| {
            cat.complete(&cat.empty_selection())
                .expect("the default car is valid")
        })
    });
    // A new step is a new history entry (and starts at the top); a choice replaces the entry,
    // except a line change: Back then returns to the car just before it, not to an older one.
    let go_to = Callback::new(
        move |(sel, to, options): (Selection, Step, NavigateOptions)| {
            let mut url = configure_url(&cat.encode(&sel), to);
            if let Some(saved) = session.editing.get_untracked() {
                url.push_str(&format!("&saved={}", saved.id));
            }
            navigate(&url, options);
        },
    );
    let go = Callback::new(move |(sel, to, push): (Selection, Step, bool)| {
        let options = NavigateOptions {
            replace: !push,
            scroll: push,
        };
        go_to.run((sel, to, options))
    });
    let car = Car {
        selection,
        step,
        config,
        price: Memo::new(move |_| cat.price(&config.get())),
        code: Memo::new(move |_| cat.encode(&selection.get())),
        statuses: Memo::new(move |_| cat.statuses(&selection.get()).unwrap_or_default()),
        go,
        go_to,
    };
    (car, decoded)
}

/// Arriving with a saved configuration's id (a reload, another device): learn its version.
fn learn_saved_version(query: Memo<ParamsMap>) {
    let session = use_session();
    let Some(id) = query.read_untracked().get("saved") else {
        return;
    };
    if session.editing.get_untracked().is_none_or(|s| s.id != id) {
        // Made while this page is current: leaving the page aborts it (an error, ignored).
        let loading = crate::api::saved_configuration(&id);
        spawn_local(async move {
            if let Ok(saved) = loading.await {
                session.editing.set(Some(saved));
            }
        });
    }
}

#[component]
pub fn Configure() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let (car, code_problem) = car_from_url(query);
    learn_saved_version(query);
    let offer = draft_offer::keep_draft(car, query);
    let budget = RwSignal::new(None);
    let show_budget = Memo::new(move |_| car.step.get() == Step::Line || budget.get().is_some());
    let changes = changes::Changes::new(car);
    let pick = changes.pick(car, offer);
    let share_open = RwSignal::new(query.read_untracked().get("share").is_some());
    let handover = RwSignal::new(None);
    let make_handover = shop::make_handover(car, share_open, handover);
    let saving = saving::Saving::new(car);
    saving.send_pending();
    let store = crate::store::use_store();
    view! {
        <div class="configurator" data-testid="configurator">
            <h1 class="visually-hidden">{tx("page.configure")}</h1>
            <draft_offer::DraftOffer offer=offer car=car/>
            {move || code_problem.get().1.map(|e| view! {
                <div class="notice error" role="alert" data-testid="code-problem">{code_problem_text(&e, lang.get())}</div>
            })}
            <steps::StepList car=car/>
            <CarPicture config=car.config views=true/>
            <div class="step-content">
                // On the first step, and wherever a budget is set (then it says how the car fares).
                {move || show_budget.get().then(|| view! { <budget::BudgetFilter budget=budget price=car.price/> })}
                <choices::StepChoices car=car pick=pick budget=budget/>
                <steps::StepButtons car=car/>
                <saving::SaveNote saving=saving/>
            </div>
        </div>
        <PriceBar price=car.price config=car.config on_save=saving.on_save() on_share=Callback::new(move |_| share_open.set(true))
            on_continue=steps::on_continue(car) continue_label=steps::continue_label(car) on_handover=make_handover
            show_handover=Signal::derive(move || store.get().is_some())>
            <changes::AutoChangeNotice changes=changes car=car/>
        </PriceBar>
        {shop::handover_dialog(handover)}
        <changes::ConflictDialog changes=changes car=car/>
        <saving::VersionsDialog saving=saving car=car/>
        <share::ShareDialog open=share_open car=car make_handover=make_handover/>
    }
}

#[cfg(test)]
mod tests {
    use super::code_problem_text;
    use domain::{CodeError, Lang};

    /// A shared link that does not open as it was says why, truly and in the page's language:
    /// each cause its own sentence, none in the other language, no English from the decoder.
    #[test]
    fn each_code_problem_has_its_own_true_sentence_in_each_language() {
        let causes = [
            CodeError::Malformed,
            CodeError::Checksum,
            CodeError::UnknownFormat,
            CodeError::OtherPriceList(7),
            CodeError::OutOfRange,
            CodeError::Invalid("rule PAINT needs LINE".into()),
        ];
        let de: Vec<String> = causes
            .iter()
            .map(|e| code_problem_text(e, Lang::De))
            .collect();
        let en: Vec<String> = causes
            .iter()
            .map(|e| code_problem_text(e, Lang::En))
            .collect();
        for texts in [&de, &en] {
            for (i, text) in texts.iter().enumerate() {
                assert!(!text.contains("code."), "a key shows: {text}");
                assert!(!text.contains(&causes[i].to_string()), "{text}");
                let same = texts.iter().filter(|t| *t == text).count();
                assert_eq!(same, 1, "one sentence for two causes: {text}");
            }
        }
        assert!(de[3].contains("Preisliste") && en[3].contains("price list"));
        assert!(de[2].contains("neueren Version") && en[2].contains("newer version"));
        assert!(de[0].contains("keinen gültigen") && en[0].contains("not contain a valid"));
        // What the decoder says of the links a customer may hold.
        let cat = domain::Catalog::current();
        assert_eq!(cat.decode("GARBAGE!!"), Err(CodeError::Malformed));
        assert_eq!(cat.decode("9abc"), Err(CodeError::UnknownFormat));
    }
}
