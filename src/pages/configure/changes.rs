//! Nothing changes unseen: a change of line or a costly swap is asked first (the conflict
//! dialog), and what comes along with a choice is shown with undo (the notice in the price bar).

use super::Car;
use crate::components::dialog::Modal;
use crate::draft::Draft;
use crate::i18n::{t, tx, use_lang};
use crate::nav::NavigateOptions;
use crate::state::catalog;
use domain::{Cents, Lang, Resolution, SelectError, Selection, Step, Text};
use leptos::prelude::*;

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
    changes: Vec<(Text, Text, Text)>,
    price: Cents,
    undo: Selection,
}

#[derive(Clone, Copy)]
pub(super) struct Changes {
    conflict: RwSignal<Option<PendingConflict>>,
    auto_change: RwSignal<Option<AutoChange>>,
}

impl Changes {
    pub(super) fn new(car: Car) -> Changes {
        let auto_change = RwSignal::new(None::<AutoChange>);
        // The notice belongs to the step it was made on: the next step starts without it.
        Effect::new(move |before: Option<Step>| {
            let now = car.step.get();
            if before.is_some_and(|b| b != now) {
                auto_change.set(None);
            }
            now
        });
        Changes {
            conflict: RwSignal::new(None),
            auto_change,
        }
    }

    /// What a click on a choice does (it also answers the draft offer: the customer went on).
    pub(super) fn pick(self, car: Car, offer: RwSignal<Option<Draft>>) -> Callback<&'static str> {
        let cat = catalog();
        let Changes {
            conflict,
            auto_change,
        } = self;
        Callback::new(move |choice: &'static str| {
            offer.set(None);
            auto_change.set(None);
            let sel = car.selection.get_untracked();
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
                    car.go.run((p.selection, car.step.get_untracked(), false))
                }
                Err(SelectError::NotPossible(_)) => conflict.set(Some(PendingConflict {
                    code: choice,
                    resolution: cat.resolve(&sel, choice),
                })),
                Err(SelectError::UnknownCode(_)) => {}
            }
        })
    }
}

/// "Group: before → after", one item per change (the conflict dialog, the automatic-change notice).
fn change_items(changes: &[(Text, Text, Text)], l: Lang) -> impl IntoView {
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

/// What came along with the last choice, its price, and undo.
#[component]
pub(super) fn AutoChangeNotice(changes: Changes, car: Car) -> impl IntoView {
    let lang = use_lang();
    let auto_change = changes.auto_change;
    move || {
        auto_change.get().map(|a| {
            let l = lang.get();
            let picked = catalog().choice(a.picked).map(|c| c.name.get(l).to_string()).unwrap_or_default();
            let price = (a.price != Cents::ZERO).then(|| a.price.format_signed(l));
            let undo = a.undo.clone();
            view! {
                <div class="auto-change" role="status" data-testid="auto-change">
                    <p>{t(l, "auto.lead").replace("{x}", &picked)}" "<strong>{price}</strong></p>
                    <ul>{change_items(&a.changes, l)}</ul>
                    <div class="auto-actions">
                        <button type="button" data-testid="auto-undo" on:click=move |_| {
                            auto_change.set(None);
                            car.go.run((undo.clone(), car.step.get_untracked(), false));
                        }>{t(l, "auto.undo")}</button>
                        <button type="button" data-testid="auto-ok" on:click=move |_| auto_change.set(None)>{t(l, "auto.ok")}</button>
                    </div>
                </div>
            }
        })
    }
}

/// A choice that needs other changes: why, what changes, the price before and after; yes or no.
#[component]
pub(super) fn ConflictDialog(changes: Changes, car: Car) -> impl IntoView {
    let lang = use_lang();
    let cat = catalog();
    let conflict = changes.conflict;
    let content = move || {
        let l = lang.get();
        conflict.get().map(|p| match p.resolution {
            Some(res) => {
                // Why, from the car as it stands: a line taken by default is as much in the
                // way as one the customer picked (Technik-Paket Plus on a Pro).
                let reasons = cat.why_not_on_car(&car.selection.get_untracked(), p.code).iter().map(|r| r.reason.get(l).to_string()).collect::<Vec<_>>().join(" ");
                let accept = res.selection.clone();
                let (now, then) = (car.price.get_untracked().gross, cat.price(&res.configuration).gross);
                let difference = (then - now).format_signed(l);
                view! {
                    <p data-testid="conflict-reason">{reasons}</p>
                    <p>{t(l, "conflict.lead")}</p>
                    <ul data-testid="conflict-changes">{change_items(&res.changes, l)}</ul>
                    <p data-testid="conflict-price">{t(l, "conflict.price")}": " {now.format(l)} " → " <strong>{then.format(l)}</strong> " (" {difference} ")"</p>
                    <div class="dialog-actions">
                        <button type="button" data-testid="conflict-cancel" on:click=move |_| conflict.set(None)>{t(l, "conflict.cancel")}</button>
                        <button type="button" class="primary" data-testid="conflict-accept" on:click=move |_| {
                            conflict.set(None);
                            car.go_to.run((accept.clone(), car.step.get_untracked(), NavigateOptions { replace: false, scroll: false }));
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
    view! {
        <Modal open=Signal::derive(move || conflict.get().is_some()) on_close=Callback::new(move |_| conflict.set(None)) labelled_by="conflict-title" testid="conflict-dialog">
            <h2 id="conflict-title">{tx("conflict.title")}</h2>
            {content}
        </Modal>
    }
}
