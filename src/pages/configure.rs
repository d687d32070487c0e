//! `/configure?c=<code>&step=<step>`: the configurator. The URL is the single source of truth
//! for the car and the step, so reload, back/forward and a shared link restore exactly the same
//! car; every change also goes to the local draft.

use crate::car::{configure_url, default_name, step_label};
use crate::components::car_picture::CarPicture;
use crate::components::choice_card::ChoiceCard;
use crate::components::dialog::Modal;
use crate::components::price_bar::PriceBar;
use crate::draft;
use crate::i18n::{t, tx, use_lang};
use crate::nav::NavigateOptions;
use crate::nav::{use_navigate, use_query_map};
use crate::session::use_session;
use crate::state::catalog;
use domain::api::{ConfigurationBody, HandoverInfo, SavedConfiguration};
use domain::{
    Cents, CodeError, Configuration, GroupKind, Lang, Resolution, SelectError, Selection, Status,
    Step,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// A choice that needs other changes, waiting for the customer's yes or no.
#[derive(Clone, PartialEq)]
struct PendingConflict {
    code: &'static str,
    resolution: Option<Resolution>,
}

/// What changed on its own with the last choice, shown with undo.
#[derive(Clone, PartialEq)]
struct AutoChange {
    picked: &'static str,
    changes: Vec<(domain::Text, domain::Text, domain::Text)>,
    price: Cents,
    undo: Selection,
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

/// The summary step: in the shop build. The lean configurator build never shows it (going there
/// loads the shop build, see `domain::pages::Bundle::serves`).
#[cfg(not(feature = "lean"))]
fn summary_step(
    config: Memo<Configuration>,
    price: Memo<domain::PriceBreakdown>,
    code: Memo<String>,
) -> AnyView {
    use crate::components::summary::Summary;
    view! { <Summary config=config price=price code=code/> }.into_any()
}

#[cfg(feature = "lean")]
fn summary_step(
    _: Memo<Configuration>,
    _: Memo<domain::PriceBreakdown>,
    _: Memo<String>,
) -> AnyView {
    view! { <p role="status">{tx("loc.loading")}</p> }.into_any()
}

/// "Group: before → after", one item per change (the conflict dialog, the automatic-change notice).
fn change_items(changes: &[(domain::Text, domain::Text, domain::Text)], l: Lang) -> impl IntoView {
    changes
        .iter()
        .map(|(g, from, to)| {
            // An option comes or goes ("–" on one side): say so, not "– → Wärmepumpe".
            let change = match (from.get(l), to.get(l)) {
                ("–", added) => format!("{added} ({})", t(l, "change.added")),
                (removed, "–") => format!("{removed} ({})", t(l, "change.removed")),
                (from, to) => format!("{from} → {to}"),
            };
            view! { <li><strong>{g.get(l).to_string()}</strong>": " {change}</li> }
        })
        .collect_view()
}

/// "Nach Monatsrate konfigurieren": a monthly budget in whole euros; choices whose financing
/// rate would exceed it are greyed out (still clickable) with that rate, and the car as it
/// stands says so when it is over the budget already.
#[component]
fn BudgetFilter(
    budget: RwSignal<Option<Cents>>,
    /// The current car's monthly rate with the financing as set.
    #[prop(into)]
    current_rate: Signal<Option<Cents>>,
) -> impl IntoView {
    let lang = use_lang();
    let invalid = RwSignal::new(false);
    // Whole euros, integers only: the configurator's first load carries no float parser.
    let read = move |text: String| -> Option<Option<Cents>> {
        let decimal = if lang.get_untracked() == domain::Lang::De {
            ','
        } else {
            '.'
        };
        let whole: String = text
            .split(decimal)
            .next()
            .unwrap_or_default()
            .chars()
            .filter(|c| !c.is_whitespace() && !"€.,".contains(*c))
            .collect();
        if whole.is_empty() {
            return Some(None);
        }
        let euros: i64 = whole.parse().ok().filter(|e| *e > 0 && *e < 100_000)?;
        Some(Some(Cents(euros * 100)))
    };
    view! {
        // Mounted again on another step: open, with the amount set, when there is a budget.
        <details class="budget" data-testid="budget" open=budget.get_untracked().is_some()>
            <summary>{tx("budget.open")}</summary>
            <label>{tx("budget.label")}
                <input type="text" inputmode="numeric" data-testid="budget-input" aria-invalid=move || invalid.get().to_string()
                    prop:value=budget.get_untracked().map(|c| (c.0 / 100).to_string()).unwrap_or_default()
                    aria-describedby="budget-error"
                    on:change=move |ev| match read(event_target_value(&ev)) {
                        Some(b) => { invalid.set(false); budget.set(b) }
                        None => invalid.set(true),
                    }/>
            </label>
            <p class="field-error" id="budget-error" role="alert" data-testid="budget-error">{move || invalid.get().then(|| t(lang.get(), "budget.invalid"))}</p>
            {move || match (budget.get(), current_rate.get()) {
                (Some(limit), Some(rate)) if rate > limit => Some(view! {
                    <p class="notice" role="status" data-testid="budget-current-over">
                        {format!("{} {}{} – {} {}.", t(lang.get(), "budget.current_over"), rate.format(lang.get()), t(lang.get(), "bar.per_month"), t(lang.get(), "budget.over_limit"), limit.format(lang.get()))}
                    </p>
                }),
                _ => None,
            }}
            <p class="meta">{tx("budget.hint")}</p>
        </details>
    }
}

/// The share dialog's QR code: in the shop build. The first-load build links there instead
/// (its QR encoder and the hand-over dialog are code a first visit does not need).
#[cfg(not(feature = "lean"))]
fn share_qr(url: Signal<String>) -> impl IntoView {
    let lang = use_lang();
    use crate::components::qr::QrCodeSvg;
    view! { <div class="qr share-qr"><QrCodeSvg text=url label=Signal::derive(move || t(lang.get(), "share.title").to_string())/></div> }
}
#[cfg(feature = "lean")]
fn share_qr(_: Signal<String>) {}

/// "Short code" makes a hand-over code; in the first-load build it opens the full share dialog.
#[cfg(not(feature = "lean"))]
fn share_handover(make: Callback<()>, _: Memo<String>, _: Memo<Step>) -> impl IntoView {
    view! { <button type="button" data-testid="share-handover" on:click=move |_| make.run(())>{tx("handover.short_code")}</button> }
}
#[cfg(feature = "lean")]
fn share_handover(_: Callback<()>, code: Memo<String>, step: Memo<Step>) -> impl IntoView {
    let href = move || {
        format!(
            "/configure?c={}&step={}&{}",
            code.get(),
            step.get().slug(),
            domain::pages::SHARE_FULL
        )
    };
    view! { <a class="button" href=href data-testid="share-full">{tx("share.full")}</a> }
}

#[cfg(not(feature = "lean"))]
fn handover_dialog(
    state: RwSignal<Option<Result<HandoverInfo, crate::api::ApiError>>>,
) -> impl IntoView {
    use crate::components::handover::HandoverDialog;
    view! { <HandoverDialog state=state title="handover.title_phone"/> }
}
#[cfg(feature = "lean")]
fn handover_dialog(_: RwSignal<Option<Result<HandoverInfo, crate::api::ApiError>>>) {}

/// Whether the browser offers its own share sheet (phones, some desktops).
fn can_share() -> bool {
    js_sys::Reflect::has(&window().navigator(), &"share".into()).unwrap_or(false)
}

/// Opens the browser's share sheet with the link; closing it without sharing is no error.
async fn native_share(url: &str) {
    let data = web_sys::ShareData::new();
    data.set_title("smart #1");
    data.set_url(url);
    let _ = wasm_bindgen_futures::JsFuture::from(window().navigator().share_with_data(&data)).await;
}

/// Puts `text` on the clipboard; false where the browser has no clipboard or refuses.
async fn copy_text(text: &str) -> bool {
    let navigator = window().navigator();
    if !js_sys::Reflect::has(&navigator, &"clipboard".into()).unwrap_or(false) {
        return false;
    }
    wasm_bindgen_futures::JsFuture::from(navigator.clipboard().write_text(text))
        .await
        .is_ok()
}

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
fn line_comparison() -> impl IntoView {
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

#[component]
pub fn Configure() -> impl IntoView {
    let lang = use_lang();
    let cat = catalog();
    let query = use_query_map();
    let navigate = use_navigate();

    let decoded = Memo::new(move |_| match query.read().get("c") {
        Some(code) => cat.decode_nearest(&code),
        None => (cat.empty_selection(), None),
    });
    let selection = Memo::new(move |_| decoded.get().0);
    let step = Memo::new(move |_| {
        query
            .read()
            .get("step")
            .and_then(|s| Step::from_slug(&s))
            .unwrap_or(Step::Line)
    });
    let config: Memo<Configuration> = Memo::new(move |_| {
        cat.complete(&selection.get()).unwrap_or_else(|| {
            cat.complete(&cat.empty_selection())
                .expect("the default car is valid")
        })
    });
    let price = Memo::new(move |_| cat.price(&config.get()));
    // The financing terms the customer set (price bar, summary), and a monthly budget to configure by.
    let rates = crate::state::use_rates();
    let budget = RwSignal::new(None::<Cents>);
    let show_budget = Memo::new(move |_| step.get() == Step::Line || budget.get().is_some());
    let code = Memo::new(move |_| cat.encode(&selection.get()));
    let statuses = Memo::new(move |_| cat.statuses(&selection.get()).unwrap_or_default());

    let session = use_session();
    let agent = crate::state::use_agent();
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
        go_to.run((
            sel,
            to,
            NavigateOptions {
                replace: !push,
                scroll: push,
            },
        ))
    });

    // Arriving with a saved configuration's id (a reload, another device): learn its version.
    if let Some(id) = query.read_untracked().get("saved") {
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
    // Arriving without a car in the URL: a line from the start page, or the draft to continue.
    let offer = RwSignal::new(None::<draft::Draft>);
    // Navigating is for after the first render, hence a one-time effect.
    Effect::new(move |done: Option<()>| {
        if done.is_some() || query.read_untracked().get("c").is_some() {
            return;
        }
        let line = query.read_untracked().get("line");
        match line.and_then(|l| cat.select(&cat.empty_selection(), &l).ok()) {
            Some(sel) => go.run((sel, Step::Exterior, false)),
            None => {
                let default_code = cat.encode(&cat.empty_selection());
                offer.set(draft::load().filter(|d| d.code != default_code));
                go.run((cat.empty_selection(), step.get_untracked(), false));
            }
        }
    });
    // Every change is saved on this device, unless an older draft still waits for an answer.
    Effect::new(move |_| {
        let (c, s) = (code.get(), step.get());
        if offer.get().is_none() {
            draft::save(&c, s.slug());
        }
    });

    let conflict = RwSignal::new(None::<PendingConflict>);
    let auto_change = RwSignal::new(None::<AutoChange>);
    // Nothing changes unseen: a change of line or a costly swap is asked first, what comes
    // along with a choice is shown with undo.
    let pick = Callback::new(move |choice: &'static str| {
        offer.set(None);
        auto_change.set(None);
        let sel = selection.get_untracked();
        match cat.pick(&sel, choice) {
            Ok(p) if p.needs_confirmation => conflict.set(Some(PendingConflict {
                code: choice,
                resolution: Some(Resolution {
                    selection: p.selection,
                    configuration: p.configuration,
                    changes: p.also,
                }),
            })),
            Ok(p) => {
                if !p.also.is_empty() {
                    auto_change.set(Some(AutoChange {
                        picked: choice,
                        changes: p.also,
                        price: p.also_price,
                        undo: sel,
                    }));
                }
                go.run((p.selection, step.get_untracked(), false))
            }
            Err(SelectError::NotPossible(_)) => conflict.set(Some(PendingConflict {
                code: choice,
                resolution: cat.resolve(&sel, choice),
            })),
            Err(SelectError::UnknownCode(_)) => {}
        }
    });
    // The notice belongs to the step it was made on: the next step starts without it.
    Effect::new(move |before: Option<Step>| {
        let now = step.get();
        if before.is_some_and(|b| b != now) {
            auto_change.set(None);
        }
        now
    });
    let auto_change_view = move || {
        auto_change.get().map(|a| {
            let l = lang.get();
            let picked = cat.choice(a.picked).map(|c| c.name.get(l).to_string()).unwrap_or_default();
            let changes = change_items(&a.changes, l);
            let price = (a.price != Cents::ZERO).then(|| a.price.format_signed(l));
            let undo = a.undo.clone();
            view! {
                <div class="auto-change" role="status" data-testid="auto-change">
                    <p>{t(l, "auto.lead").replace("{x}", &picked)}" "<strong>{price}</strong></p>
                    <ul>{changes}</ul>
                    <div class="auto-actions">
                        <button type="button" data-testid="auto-undo" on:click=move |_| {
                            auto_change.set(None);
                            go.run((undo.clone(), step.get_untracked(), false));
                        }>{t(l, "auto.undo")}</button>
                        <button type="button" data-testid="auto-ok" on:click=move |_| auto_change.set(None)>{t(l, "auto.ok")}</button>
                    </div>
                </div>
            }
        })
    };

    // `share=full` in the link (from the first-load build's share dialog) opens it at once.
    let share_open = RwSignal::new(query.read_untracked().get("share").is_some());
    let store = crate::store::use_store();
    let in_store = Signal::derive(move || store.get().is_some());
    let handover = RwSignal::new(None::<Result<HandoverInfo, crate::api::ApiError>>);
    // Hand-over codes are made in the shop build (showroom screens, the full share dialog).
    #[cfg(feature = "lean")]
    let make_handover = Callback::new(move |_: ()| {});
    #[cfg(not(feature = "lean"))]
    let make_handover = Callback::new(move |_| {
        let (c, s) = (code.get_untracked(), step.get_untracked());
        let location = agent.get_untracked().map(|a| a.id);
        share_open.set(false);
        spawn_local(async move {
            handover.set(Some(
                crate::api::create_handover(&domain::api::NewHandover {
                    code: c,
                    step: s,
                    location_id: location,
                })
                .await,
            ));
        });
    });
    let save_note = RwSignal::new(None::<(&'static str, Option<String>)>);
    // The other device's version when a save found a newer one: the customer chooses.
    let two_versions = RwSignal::new(None::<SavedConfiguration>);
    let navigate_account = use_navigate();
    let save_to_account = move |version: Option<i64>| {
        let editing = session.editing.get_untracked();
        let (c, s) = (code.get_untracked(), step.get_untracked());
        let location = agent.get_untracked().map(|a| a.id);
        spawn_local(async move {
            let name = editing
                .as_ref()
                .map_or_else(|| default_name(&c), |e| e.name.clone());
            let version = version.or(editing.as_ref().map(|e| e.version));
            let body = ConfigurationBody {
                name,
                code: c,
                step: s,
                location_id: location,
                version,
            };
            match crate::api::save_configuration(editing.as_ref().map(|e| e.id.as_str()), &body)
                .await
            {
                Ok(saved) => {
                    session.editing.set(Some(saved));
                    save_note.set(Some(("bar.saved_account", None)));
                }
                Err(e) if e.status == 409 => {
                    two_versions.set(e.current.and_then(|v| serde_json::from_str(&v).ok()));
                }
                Err(e) => save_note.set(Some((
                    "bar.save_failed",
                    Some(crate::i18n::error_text(lang.get_untracked(), &e)),
                ))),
            }
        });
    };
    let on_save = Callback::new(move |_| {
        draft::save(&code.get_untracked(), step.get_untracked().slug());
        match session.user.get_untracked() {
            Some(Some(_)) => save_to_account(None),
            // Not signed in: the draft stays on this device while the customer signs in.
            _ => navigate_account("/account?next=save", Default::default()),
        }
    });
    let next_step = move |s: Step| {
        Step::ALL
            .iter()
            .position(|x| *x == s)
            .and_then(|i| Step::ALL.get(i + 1))
            .copied()
    };
    let prev_step = move |s: Step| {
        Step::ALL
            .iter()
            .position(|x| *x == s)
            .filter(|&i| i > 0)
            .map(|i| Step::ALL[i - 1])
    };
    let navigate_out = use_navigate();
    // After the summary: choose the agent, or on a showroom screen (whose store is the agent)
    // straight to the order.
    let on_continue = Callback::new(move |_| match next_step(step.get_untracked()) {
        Some(n) => go.run((selection.get_untracked(), n, true)),
        None if store.get_untracked().is_some() => navigate_out("/checkout", Default::default()),
        None => navigate_out("/locations", Default::default()),
    });
    let continue_label = Signal::derive(move || {
        if step.get() == Step::Summary && store.get().is_some() {
            "loc.to_checkout"
        } else if step.get() == Step::Summary {
            "bar.to_locations"
        } else {
            "bar.continue"
        }
    });

    let status_of = move |code: &str| {
        statuses.with(|list| {
            list.iter()
                .find(|(c, _)| c == code)
                .map(|(_, s)| s.clone())
                .unwrap_or(Status::Unavailable)
        })
    };

    // The step list scrolls sideways on a phone: keep the current step in view.
    let steps_list = NodeRef::<leptos::html::Ol>::new();
    Effect::new(move |_| {
        let current = step.get();
        if let Some(list) = steps_list.get() {
            let index = Step::ALL.iter().position(|s| *s == current).unwrap_or(0) as u32;
            if let Some(item) = list.children().item(index) {
                let item: web_sys::HtmlElement = wasm_bindgen::JsCast::unchecked_into(item);
                let (left, width) = (item.offset_left(), item.offset_width());
                let visible = list.scroll_left()..=list.scroll_left() + list.client_width() - width;
                if !visible.contains(&left) {
                    list.set_scroll_left(left - 8);
                }
            }
        }
    });
    let steps_nav = move || {
        let l = lang.get();
        let cfg = config.get();
        Step::ALL
            .iter()
            .map(|&s| {
                let chosen: Vec<String> = cat
                    .groups()
                    .iter()
                    .filter(|g| g.step == s && g.kind == GroupKind::Single)
                    .filter_map(|g| cat.chosen_in(&cfg, &g.code))
                    .map(|c| c.name.get(l).to_string())
                    .collect();
                view! {
                    <li>
                        <button
                            type="button"
                            data-testid=format!("step-{}", s.slug())
                            aria-current=move || (step.get() == s).then_some("step")
                            on:click=move |_| go.run((selection.get_untracked(), s, true))
                        >
                            {t(l, step_label(s))}
                            <small>{chosen.join(" · ")}</small>
                        </button>
                    </li>
                }
            })
            .collect_view()
    };

    let groups_of_step = move || {
        let s = step.get();
        if s == Step::Summary {
            return summary_step(config, price, code);
        }
        cat.groups()
            .iter()
            .filter(|g| g.step == s)
            .map(|g| {
                // What this car can have comes first; what needs another line or choice after it.
                // (A partition, not a sort: the first load carries no sorting code for it.)
                let (mut choices, later): (Vec<&'static domain::Choice>, Vec<_>) =
                    g.choices.iter().partition(|c| untrack(|| status_of(&c.code)) != Status::Unavailable);
                choices.extend(later);
                let cards = choices
                    .into_iter()
                    .map(|choice| {
                        let code: &'static str = &choice.code;
                        let status = Signal::derive(move || status_of(code));
                        // What the total and the delivery estimate change by if the customer
                        // picks it, with all it drags along: one domain computation, the same
                        // pick the configurator then applies and charges.
                        let effect = Memo::new(move |_| {
                            (!matches!(status.get(), Status::Fixed | Status::Chosen))
                                .then(|| cat.pick_effect(&selection.get(), code))
                                .flatten()
                        });
                        let delta = Signal::derive(move || effect.get().map_or(Cents::ZERO, |e| e.total));
                        let reason = Signal::derive(move || match status.get() {
                            Status::Unavailable | Status::Fixed => {
                                let l = lang.get();
                                let rules = cat.why_not(&selection.get(), code);
                                (!rules.is_empty()).then(|| rules.iter().map(|r| r.reason.get(l).to_string()).collect::<Vec<_>>().join(" "))
                            }
                            _ => None,
                        });
                        let car = (g.code == "line").then(|| cat.line_car(code)).flatten();
                        let from = (g.code == "line").then(|| cat.from_price(code)).flatten();
                        let weeks = Signal::derive(move || effect.get().map(|e| e.weeks));
                        // With a monthly budget set: the rate this choice would bring, when above it.
                        let over_budget = Signal::derive(move || {
                            let limit = budget.get()?;
                            if matches!(status.get(), Status::Chosen | Status::Fixed) {
                                return None;
                            }
                            let rate = cat.financing(price.get().gross + delta.get(), &rates.financing.get()).ok()?.monthly_rate;
                            (rate > limit).then_some(rate)
                        });
                        view! { <ChoiceCard choice=choice status=status delta=delta reason=reason on_pick=pick car=car over_budget=Some(over_budget) from=from weeks=Some(weeks)/> }
                    })
                    .collect_view();
                let heading_id = format!("group-title-{}", g.code);
                let labelled_by = heading_id.clone();
                view! {
                    <section aria-labelledby=labelled_by data-testid=format!("group-{}", g.code)>
                        <h2 class="group-title" id=heading_id>{move || g.name.get(lang.get()).to_string()}</h2>
                        <div class="choices">{cards}</div>
                        {(g.code == "line").then(line_comparison)}
                    </section>
                }
            })
            .collect_view()
            .into_any()
    };

    let conflict_view = move || {
        let l = lang.get();
        conflict.get().map(|p| match p.resolution {
            Some(res) => {
                let changes = change_items(&res.changes, l);
                // Why, from the car as it stands: a line taken by default is as much in the
                // way as one the customer picked (Technik-Paket Plus on a Pro).
                let reasons = cat.why_not_on_car(&selection.get_untracked(), p.code).iter().map(|r| r.reason.get(l).to_string()).collect::<Vec<_>>().join(" ");
                let accept = res.selection.clone();
                let (now, then) = (price.get_untracked().gross, cat.price(&res.configuration).gross);
                let difference = (then - now).format_signed(l);
                view! {
                    <p data-testid="conflict-reason">{reasons}</p>
                    <p>{t(l, "conflict.lead")}</p>
                    <ul data-testid="conflict-changes">{changes}</ul>
                    <p data-testid="conflict-price">{t(l, "conflict.price")}": " {now.format(l)} " → " <strong>{then.format(l)}</strong> " (" {difference} ")"</p>
                    <div class="dialog-actions">
                        <button type="button" data-testid="conflict-cancel" on:click=move |_| conflict.set(None)>{t(l, "conflict.cancel")}</button>
                        <button type="button" class="primary" data-testid="conflict-accept" on:click=move |_| {
                            conflict.set(None);
                            go_to.run((accept.clone(), step.get_untracked(), NavigateOptions { replace: false, scroll: false }));
                        }>{t(l, "conflict.accept")}</button>
                    </div>
                }
                .into_any()
            }
            None => view! {
                <p>{t(l, "conflict.impossible")}</p>
                <div class="dialog-actions">
                    <button type="button" data-testid="conflict-cancel" on:click=move |_| conflict.set(None)>{t(l, "conflict.cancel")}</button>
                </div>
            }
            .into_any(),
        })
    };

    let share_status = RwSignal::new(None::<&'static str>);
    Effect::new(move |_| {
        if !share_open.get() {
            share_status.set(None);
        }
    });
    let share_url = Signal::derive(move || {
        let origin = web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default();
        // Someone the link is sent to sees the shared car's summary, not the sender's step
        // (a hand-over code, to continue oneself, keeps the step).
        format!("{origin}{}", configure_url(&code.get(), Step::Summary))
    });

    view! {
        <div class="configurator" data-testid="configurator">
            <h1 class="visually-hidden">{tx("page.configure")}</h1>
            {move || offer.get().map(|d| {
                let l = lang.get();
                view! {
                    <div class="notice" role="status" data-testid="draft-offer">
                        <p>{t(l, "draft.found")}</p>
                        <div class="nav-buttons">
                            <button type="button" class="primary" data-testid="draft-continue" on:click=move |_| {
                                let (sel, _) = cat.decode_nearest(&d.code);
                                offer.set(None);
                                go.run((sel, Step::from_slug(&d.step).unwrap_or(Step::Line), true));
                            }>{t(l, "draft.continue")}</button>
                            <button type="button" data-testid="draft-discard" on:click=move |_| {
                                draft::clear();
                                offer.set(None);
                            }>{t(l, "draft.discard")}</button>
                        </div>
                    </div>
                }
            })}
            {move || decoded.get().1.map(|e| view! {
                <div class="notice error" role="alert" data-testid="code-problem">{code_problem_text(&e, lang.get())}</div>
            })}
            <nav aria-label=tx("steps.label")>
                <ol class="steps" node_ref=steps_list>{steps_nav}</ol>
            </nav>
            <CarPicture config=config views=true/>
            <div class="step-content">
                // On the first step, and wherever a budget is set (then it says how the car fares).
                {move || show_budget.get().then(|| view! {
                    <BudgetFilter budget=budget current_rate=Signal::derive(move || {
                        cat.financing(price.get().gross, &rates.financing.get()).ok().map(|f| f.monthly_rate)
                    })/>
                })}
                {groups_of_step}
                <div class="nav-buttons">
                    {move || prev_step(step.get()).map(|p| view! {
                        <button type="button" data-testid="back" on:click=move |_| go.run((selection.get_untracked(), p, true))>{t(lang.get(), "cfg.back")}</button>
                    })}
                    {move || next_step(step.get()).map(|n| view! {
                        <button type="button" class="primary" data-testid="next" on:click=move |_| go.run((selection.get_untracked(), n, true))>{t(lang.get(), "cfg.next")}</button>
                    })}
                </div>
                {move || save_note.get().map(|(key, detail)| view! {
                    <p class="notice" role="status" data-testid="saved-note">{t(lang.get(), key)}" "{detail}</p>
                })}
            </div>
        </div>
        <PriceBar price=price config=config on_save=on_save on_share=Callback::new(move |_| share_open.set(true)) on_continue=on_continue continue_label=continue_label on_handover=make_handover show_handover=in_store>
            {auto_change_view}
        </PriceBar>
        {handover_dialog(handover)}
        <Modal open=Signal::derive(move || conflict.get().is_some()) on_close=Callback::new(move |_| conflict.set(None)) labelled_by="conflict-title" testid="conflict-dialog">
            <h2 id="conflict-title">{tx("conflict.title")}</h2>
            {conflict_view}
        </Modal>
        <Modal open=Signal::derive(move || two_versions.get().is_some()) on_close=Callback::new(move |_| two_versions.set(None)) labelled_by="versions-title" testid="versions-dialog">
            <h2 id="versions-title">{tx("versions.title")}</h2>
            <p>{tx("versions.lead")}</p>
            {move || two_versions.get().map(|theirs| {
                let l = lang.get();
                let (their_sel, _) = cat.decode_nearest(&theirs.code);
                let their_price = cat.complete(&their_sel).map(|c| cat.price(&c).gross.format(l)).unwrap_or_default();
                let their_step = theirs.step;
                let theirs_version = theirs.version;
                let take = theirs.clone();
                view! {
                    <div class="versions">
                        <div data-testid="version-mine">
                            <h3>{t(l, "versions.mine")}</h3>
                            <p class="price">{price.get_untracked().gross.format(l)}</p>
                            <p>{t(l, step_label(step.get_untracked()))}</p>
                            <p><code>{code.get_untracked()}</code></p>
                        </div>
                        <div data-testid="version-theirs">
                            <h3>{t(l, "versions.theirs")}</h3>
                            <p class="price">{their_price}</p>
                            <p>{t(l, step_label(their_step))}</p>
                            <p><code>{theirs.code.clone()}</code></p>
                        </div>
                    </div>
                    <div class="dialog-actions">
                        <button type="button" data-testid="keep-mine" on:click=move |_| {
                            two_versions.set(None);
                            save_to_account(Some(theirs_version));
                        }>{t(l, "versions.keep_mine")}</button>
                        <button type="button" class="primary" data-testid="take-theirs" on:click=move |_| {
                            two_versions.set(None);
                            let (sel, _) = cat.decode_nearest(&take.code);
                            let to = take.step;
                            session.editing.set(Some(take.clone()));
                            go.run((sel, to, false));
                        }>{t(l, "versions.take_theirs")}</button>
                    </div>
                }
            })}
        </Modal>
        <Modal open=share_open on_close=Callback::new(move |_| share_open.set(false)) labelled_by="share-title" testid="share-dialog">
            <h2 id="share-title">{tx("share.title")}</h2>
            <p>{tx("share.lead")}</p>
            <label>{tx("share.link")}
                <input class="share-link" type="text" readonly data-testid="share-link" prop:value=move || share_url.get()/>
            </label>
            {share_qr(share_url)}
            // One code only: the short code made on request (typed in at /h) is the one a person
            // can type; the configuration code travels in the link and the QR code.
            <p class="meta" role="status" data-testid="share-status">{move || share_status.get().map(|k| t(lang.get(), k))}</p>
            <div class="dialog-actions">
                <button type="button" data-testid="share-copy" on:click=move |_| {
                    let url = share_url.get_untracked();
                    spawn_local(async move { share_status.set(Some(if copy_text(&url).await { "share.copied" } else { "share.copy_failed" })) });
                }>{tx("share.copy")}</button>
                {can_share().then(|| view! {
                    <button type="button" data-testid="share-native" on:click=move |_| {
                        let url = share_url.get_untracked();
                        spawn_local(async move { native_share(&url).await });
                    }>{tx("share.native")}</button>
                })}
                {share_handover(make_handover, code, step)}
                <button type="button" data-testid="share-close" on:click=move |_| share_open.set(false)>{tx("share.close")}</button>
            </div>
        </Modal>
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
