//! Saving to the account: the save itself (signed out, the draft waits while the customer signs
//! in), its note, and the choice between two versions when another device saved in between.

use super::Car;
use crate::api::LocationInfo;
use crate::car::{default_name, step_label};
use crate::components::dialog::Modal;
use crate::draft;
use crate::i18n::{t, tx, use_lang};
use crate::nav::use_navigate;
use crate::session::{use_session, Session};
use crate::state::catalog;
use domain::api::{ConfigurationBody, SavedConfiguration};
use domain::Lang;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[derive(Clone, Copy)]
pub(super) struct Saving {
    car: Car,
    session: Session,
    lang: RwSignal<Lang>,
    agent: RwSignal<Option<LocationInfo>>,
    /// What the last save said: a text key, and the server's reason when it failed.
    note: RwSignal<Option<(&'static str, Option<String>)>>,
    /// The other device's version when a save found a newer one: the customer chooses.
    two_versions: RwSignal<Option<SavedConfiguration>>,
}

impl Saving {
    pub(super) fn new(car: Car) -> Saving {
        Saving {
            car,
            session: use_session(),
            lang: use_lang(),
            agent: crate::state::use_agent(),
            note: RwSignal::new(None),
            two_versions: RwSignal::new(None),
        }
    }

    /// Saves the car to the account; `version` is the one the customer chose to replace.
    fn to_account(self, version: Option<i64>) {
        let editing = self.session.editing.get_untracked();
        let (c, s) = (self.car.code.get_untracked(), self.car.step.get_untracked());
        let name = editing
            .as_ref()
            .map_or_else(|| default_name(&c), |e| e.name.clone());
        let body = ConfigurationBody {
            name,
            code: c,
            step: s,
            location_id: self.agent.get_untracked().map(|a| a.id),
            version: version.or(editing.as_ref().map(|e| e.version)),
        };
        let Some(Some(owner)) = self.session.user.get_untracked() else {
            return;
        };
        let save = draft::PendingSave {
            owner: owner.id,
            id: editing.as_ref().map(|e| e.id.clone()),
            body: serde_json::to_string(&body).unwrap_or_default(),
        };
        spawn_local(async move { self.send(save).await });
    }

    /// Sends a save. Without a network it is kept on this device and sent when the network is
    /// back ([`Saving::send_pending`]); the version check holds then as now.
    async fn send(self, save: draft::PendingSave) {
        match crate::api::save_configuration_json(save.id.as_deref(), save.body.clone()).await {
            Ok(saved) => {
                draft::clear_pending_save();
                self.session.editing.set(Some(saved));
                self.note.set(Some(("bar.saved_account", None)));
            }
            Err(e) if e.status == 409 => {
                draft::clear_pending_save();
                let theirs = e.current.and_then(|v| serde_json::from_str(&v).ok());
                self.two_versions.set(theirs);
            }
            Err(e) if e.is_unreachable() => {
                draft::keep_pending_save(&save);
                self.note.set(Some(("bar.saved_offline", None)));
            }
            Err(e) if e.is_aborted() => {}
            Err(e) => {
                draft::clear_pending_save();
                self.note.set(Some((
                    "bar.save_failed",
                    Some(crate::i18n::error_text(self.lang.get_untracked(), &e)),
                )));
            }
        }
    }

    /// Sends the save kept while offline, if any, for the account signed in here (another
    /// account's is dropped: its car is still this device's draft): as soon as it is known who
    /// is signed in, whenever the network comes back and when the page comes into view (not
    /// every browser has Background Sync, so the page retries; a try without a network keeps it).
    pub(super) fn send_pending(self) {
        let user = self.session.user;
        // One try at a time: two at once would meet each other's version (or save twice).
        let trying = StoredValue::new(false);
        let retry = move || {
            let Some(Some(signed_in)) = user.get_untracked() else {
                return;
            };
            match draft::pending_save() {
                Some(save) if save.owner == signed_in.id && !trying.get_value() => {
                    trying.set_value(true);
                    spawn_local(async move {
                        self.send(save).await;
                        trying.try_set_value(false); // (the page may be gone by then)
                    });
                }
                Some(save) if save.owner != signed_in.id => draft::clear_pending_save(),
                _ => {}
            }
        };
        // Back online: the browser's event, or a request that reached the server again.
        let online = crate::offline::use_offline().online;
        Effect::new(move |_| {
            if online.get() && user.with(|u| matches!(u, Some(Some(_)))) {
                retry();
            }
        });
        let visible = window_event_listener(leptos::ev::visibilitychange, move |_| retry());
        on_cleanup(move || visible.remove());
    }

    /// The price bar's Save.
    pub(super) fn on_save(self) -> Callback<()> {
        let session = self.session;
        let navigate = use_navigate();
        Callback::new(move |_| {
            let car = self.car;
            draft::save(&car.code.get_untracked(), car.step.get_untracked().slug());
            match session.user.get_untracked() {
                Some(Some(_)) => self.to_account(None),
                // Not signed in: the draft stays on this device while the customer signs in.
                _ => navigate("/account?next=save", Default::default()),
            }
        })
    }
}

#[component]
pub(super) fn SaveNote(saving: Saving) -> impl IntoView {
    let lang = use_lang();
    move || {
        saving.note.get().map(|(key, detail)| view! {
            <p class="notice" role="status" data-testid="saved-note">{t(lang.get(), key)}" "{detail}</p>
        })
    }
}

/// This device's car beside the one saved elsewhere in between: keep mine or take theirs.
#[component]
pub(super) fn VersionsDialog(saving: Saving, car: Car) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let cat = catalog();
    let two_versions = saving.two_versions;
    let versions = move || {
        two_versions.get().map(|theirs| {
            let l = lang.get();
            let (their_sel, _) = cat.decode_nearest(&theirs.code);
            let their_price = cat.complete(&their_sel).map(|c| cat.price(&c).gross.format(l)).unwrap_or_default();
            let theirs_version = theirs.version;
            let take = theirs.clone();
            view! {
                <div class="versions">
                    <div data-testid="version-mine">
                        <h3>{t(l, "versions.mine")}</h3>
                        <p class="price">{car.price.get_untracked().gross.format(l)}</p>
                        <p>{t(l, step_label(car.step.get_untracked()))}</p>
                        <p><code>{car.code.get_untracked()}</code></p>
                    </div>
                    <div data-testid="version-theirs">
                        <h3>{t(l, "versions.theirs")}</h3>
                        <p class="price">{their_price}</p>
                        <p>{t(l, step_label(theirs.step))}</p>
                        <p><code>{theirs.code.clone()}</code></p>
                    </div>
                </div>
                <div class="dialog-actions">
                    <button type="button" data-testid="keep-mine" on:click=move |_| {
                        two_versions.set(None);
                        saving.to_account(Some(theirs_version));
                    }>{t(l, "versions.keep_mine")}</button>
                    <button type="button" class="primary" data-testid="take-theirs" on:click=move |_| {
                        two_versions.set(None);
                        let (sel, _) = cat.decode_nearest(&take.code);
                        session.editing.set(Some(take.clone()));
                        car.go.run((sel, take.step, false));
                    }>{t(l, "versions.take_theirs")}</button>
                </div>
            }
        })
    };
    view! {
        <Modal open=Signal::derive(move || two_versions.get().is_some()) on_close=Callback::new(move |_| two_versions.set(None)) labelled_by="versions-title" testid="versions-dialog">
            <h2 id="versions-title">{tx("versions.title")}</h2>
            <p>{tx("versions.lead")}</p>
            {versions}
        </Modal>
    }
}
