//! Who is signed in, and the saved configuration the car on screen belongs to.

use crate::api::{self, ApiError};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct User {
    pub id: String,
    pub email: String,
}

/// A saved configuration as the server returns it.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct Saved {
    pub id: String,
    pub name: String,
    pub code: String,
    pub step: String,
    pub price_list_version: String,
    pub location_id: Option<String>,
    pub version: i64,
    pub updated_at: i64,
}

#[derive(Serialize)]
pub struct SaveBody<'a> {
    pub name: &'a str,
    pub code: &'a str,
    pub step: &'a str,
    pub location_id: Option<&'a str>,
    /// "store" on a showroom screen.
    pub channel: &'a str,
    pub version: Option<i64>,
}

/// `None` while unknown (asking the server), `Some(None)` when signed out.
#[derive(Clone, Copy)]
pub struct Session {
    pub user: RwSignal<Option<Option<User>>>,
    /// The saved configuration the car on screen belongs to, so Save updates it.
    pub editing: RwSignal<Option<Saved>>,
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
        #[derive(Deserialize)]
        struct Me {
            user: Option<User>,
            #[serde(default)]
            staff_partner: Option<String>,
        }
        match api::get::<Me>("/api/me").await {
            Ok(me) => {
                self.staff_partner.set(me.staff_partner);
                self.user.set(Some(me.user));
            }
            Err(_) => self.user.set(Some(None)),
        }
    }
}

#[derive(Serialize)]
struct Credentials<'a> {
    email: &'a str,
    password: &'a str,
}

pub async fn sign_in(email: &str, password: &str, register: bool) -> Result<User, ApiError> {
    let url = if register {
        "/api/auth/register"
    } else {
        "/api/auth/login"
    };
    api::send("POST", url, &Credentials { email, password }).await
}

pub async fn sign_out() -> Result<(), ApiError> {
    api::send("POST", "/api/auth/logout", &()).await
}

/// Saves the car: a new saved configuration, or an update of the one being edited.
pub async fn save(id: Option<&str>, body: &SaveBody<'_>) -> Result<Saved, ApiError> {
    match id {
        Some(id) => api::send("PUT", &format!("/api/configurations/{id}"), body).await,
        None => api::send("POST", "/api/configurations", body).await,
    }
}

pub async fn list() -> Result<Vec<Saved>, ApiError> {
    api::get("/api/configurations").await
}

pub async fn delete(id: &str) -> Result<(), ApiError> {
    api::send("DELETE", &format!("/api/configurations/{id}"), &()).await
}
