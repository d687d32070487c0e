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
    /// Asks the server who is signed in (after start, sign-in and sign-out).
    pub async fn refresh(self) {
        match api::me().await {
            Ok(me) => {
                self.staff_partner.set(me.staff_partner);
                self.user.set(Some(me.user));
            }
            Err(_) => self.user.set(Some(None)),
        }
    }
}
