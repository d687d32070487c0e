//! Who is signed in, and the saved configuration the car on screen belongs to.

use crate::api;
use domain::api::{SavedConfiguration, User};
use leptos::prelude::*;

/// `None` while unknown (asking the server), `Some(None)` when signed out.
#[derive(Clone, Copy)]
pub struct Session {
    pub user: RwSignal<Option<Option<User>>>,
    /// The saved configuration the car on screen belongs to, so Save updates it.
    pub editing: RwSignal<Option<SavedConfiguration>>,
    /// The partner a staff account works for (they get the agent's view).
    pub staff_partner: RwSignal<Option<String>>,
}

pub fn provide_session() -> Session {
    let session = Session {
        user: RwSignal::new(None),
        editing: RwSignal::new(None),
        staff_partner: RwSignal::new(None),
    };
    leptos::task::spawn_local(async move {
        session.refresh().await;
    });
    // Back online: a sign-out that waited for the network (a showroom screen wiped offline) is
    // sent, and a page that could not ask who is signed in asks now.
    let online = crate::offline::use_offline().online;
    Effect::new(move |was: Option<bool>| {
        let now = online.get();
        if now && was == Some(false) && (sign_out_pending() || UNANSWERED.get()) {
            leptos::task::spawn_local(session.refresh());
        }
        now
    });
    provide_context(session);
    session
}

pub fn use_session() -> Session {
    use_context::<Session>().unwrap_or_else(|| Session {
        user: RwSignal::new(Some(None)),
        editing: RwSignal::new(None),
        staff_partner: RwSignal::new(None),
    })
}

impl Session {
    /// Asks the server who is signed in (after start, sign-in and sign-out). A sign-out that
    /// could not be sent is sent instead: until it is through, nobody is signed in on this
    /// browser, and after it nobody is.
    pub async fn refresh(self) {
        if sign_out_pending() {
            if api::logout().await.is_ok() {
                if let Some(s) = crate::state::storage() {
                    let _ = s.remove_item(SIGN_OUT_PENDING);
                }
            }
            self.user.set(Some(None));
            return;
        }
        match api::me().await {
            Ok(me) => {
                UNANSWERED.set(false);
                self.staff_partner.set(me.staff_partner);
                self.user.set(Some(me.user));
            }
            Err(e) => {
                UNANSWERED.set(e.is_unreachable());
                self.user.set(Some(None));
            }
        }
    }
}

thread_local! {
    /// The server could not be reached to say who is signed in: until it can, the page shows
    /// nobody signed in.
    static UNANSWERED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Set when a sign-out could not reach the server (a showroom screen wiped without a network):
/// the session cookie is the server's, so the sign-out is sent as soon as it can be.
pub const SIGN_OUT_PENDING: &str = "smart1.sign_out_pending";

fn sign_out_pending() -> bool {
    crate::state::storage().is_some_and(|s| s.get_item(SIGN_OUT_PENDING).ok().flatten().is_some())
}
