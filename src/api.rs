//! Every HTTP call of the app, one typed function per endpoint over gloo-net's fetch: pages
//! never write a URL. The bodies are the domain crate's wire types (`domain::api`,
//! `domain::order`), the same the server sends and documents. An error keeps only the server's
//! error code (and the refused field): the UI words it in the customer's language
//! (`i18n::error_text`), never the server's English `message`.
//!
//! A request is tied to the reactive owner current when it is made (when `get`, `send` or
//! `send_once` is called, not when it is awaited): when that owner is cleaned up, the request
//! is aborted and ends with the error `aborted`, which the UI never shows. So what a page loads
//! stops when the page goes away. Leptos does not do this by itself: a `LocalResource` keeps
//! awaiting its future after its page is gone (its fetcher runs under the resource's own owner,
//! a child of the page's, so its requests are tied to the page), and a task from `spawn_local`
//! runs without an owner. Hence:
//! - a page that loads in a task makes the request while the page is current and awaits it in
//!   the task, or runs the task with `leptos::task::spawn_local_scoped_with_cancellation` when
//!   more follows the answer (the whole task then stops with the page);
//! - a write the customer asked for (save, order, sign-out) is made inside a plain
//!   `spawn_local` task, without an owner, and finishes whatever the page does.

use domain::api::{
    AgentHandoverPage, AgentMe, AgentOrderPage, ConfigurationBody, Credentials, DeadDelivery,
    ErrorCode, HandoverInfo, LocationQuery, Me, NewHandover, NewPassword, ResetAccepted, ResetLink,
    ResetRequest, SavedConfiguration, ScreenState, ScreenStatus, ScreenUnlock, User,
};
pub use domain::api::{LocationInfo, LocationSearch};
use domain::order::{
    Field, Invalid, OrderRequest, OrderStatus, OrderView, Problem, StaffOrderView, StatusChange,
};
use gloo_net::http::{Method, RequestBuilder};
use leptos::prelude::{on_cleanup, Owner};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::cell::{Cell, RefCell};
use std::future::Future;

/// The error answer as this build reads it: the API's `ErrorBody`. The configurator build shows
/// no form whose fields the server could refuse (the checkout is the shop build's), so it reads
/// only the code and `current`, which keeps the field and problem names out of a customer's
/// first download (1.7 KB brotli).
#[cfg(not(feature = "lean"))]
type ErrorAnswer = domain::api::ErrorBody;
#[cfg(feature = "lean")]
#[derive(serde::Deserialize)]
struct ErrorAnswer {
    error: ErrorCode,
    #[serde(default)]
    current: Option<Box<serde_json::value::RawValue>>,
}

/// Why a request failed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ApiError {
    /// The HTTP status; 0 when no answer came (no connection, or the request was aborted).
    pub status: u16,
    /// The API's code; `None` when no answer came.
    pub code: Option<ErrorCode>,
    /// With a 422 `invalid`: the refused field and why.
    pub field: Option<Field>,
    pub problem: Option<Problem>,
    /// With a 409: what the server holds now, as JSON text for the caller to read as its type
    /// (kept as text: a generic JSON value reader would be code in every download for nothing).
    pub current: Option<String>,
    aborted: bool,
}

impl ApiError {
    /// No answer: the server cannot be reached.
    fn network() -> ApiError {
        ApiError::default()
    }

    /// The request's page went away first: nobody waits for the answer, so there is nothing
    /// to say.
    fn aborted() -> ApiError {
        ApiError {
            aborted: true,
            ..ApiError::default()
        }
    }

    /// An error answer: the API's `ErrorBody`, or (from something in between, such as a proxy's
    /// error page) the code its status stands for.
    fn answered(status: u16, text: &str) -> ApiError {
        match serde_json::from_str::<ErrorAnswer>(text) {
            Ok(body) => ApiError {
                status,
                code: Some(body.error),
                #[cfg(not(feature = "lean"))]
                field: body.field,
                #[cfg(not(feature = "lean"))]
                problem: body.problem,
                current: body.current.map(|c| c.get().to_string()),
                ..ApiError::default()
            },
            Err(_) => ApiError {
                status,
                code: Some(ErrorCode::for_status(status)),
                ..ApiError::default()
            },
        }
    }

    /// What the server would answer a guest: for pages that know without asking.
    pub fn not_signed_in() -> ApiError {
        ApiError {
            status: 401,
            code: Some(ErrorCode::Unauthorized),
            ..ApiError::default()
        }
    }

    /// True for a request cancelled because its page went away: not a failure to show.
    pub fn is_aborted(&self) -> bool {
        self.aborted
    }

    /// True when the server could not be reached (no network): what the customer entered
    /// waits, rather than being refused.
    pub fn is_unreachable(&self) -> bool {
        self.status == 0 && !self.aborted
    }

    /// The refused field, when the server named one.
    pub fn invalid(&self) -> Option<Invalid> {
        Some(Invalid::new(self.field?, self.problem?))
    }
}

thread_local! {
    /// The requests in flight that a reactive owner's cleanup may abort, by number. A request
    /// leaves when it ends, so the cleanup an owner keeps for a finished request holds only a
    /// number that finds nothing.
    static IN_FLIGHT: RefCell<Vec<(u32, web_sys::AbortController)>> = const { RefCell::new(Vec::new()) };
    static NEXT_ID: Cell<u32> = const { Cell::new(0) };
}

fn take_in_flight(id: u32) -> Option<web_sys::AbortController> {
    IN_FLIGHT.with_borrow_mut(|all| {
        let at = all.iter().position(|(i, _)| *i == id)?;
        Some(all.swap_remove(at).1)
    })
}

/// How many requests an owner's cleanup could abort right now (for tests: none once all ended).
#[doc(hidden)]
pub fn abortable_in_flight() -> usize {
    IN_FLIGHT.with_borrow(Vec::len)
}

/// One request's abort switch, tied to the reactive owner current when the request is made.
/// Without an owner (or an `AbortController`) there is nothing to tie it to: no signal.
struct Abort {
    id: u32,
    signal: Option<web_sys::AbortSignal>,
    /// The exchange ended (answered or failed): dropping must not abort.
    ended: bool,
}

impl Abort {
    fn start() -> Abort {
        let id = NEXT_ID.get();
        NEXT_ID.set(id.wrapping_add(1));
        let mut abort = Abort {
            id,
            signal: None,
            ended: false,
        };
        if Owner::current().is_some() {
            if let Ok(controller) = web_sys::AbortController::new() {
                abort.signal = Some(controller.signal());
                IN_FLIGHT.with_borrow_mut(|all| all.push((id, controller)));
                on_cleanup(move || {
                    if let Some(controller) = take_in_flight(id) {
                        controller.abort();
                    }
                });
            }
        }
        abort
    }

    fn aborted(&self) -> bool {
        self.signal.as_ref().is_some_and(|s| s.aborted())
    }
}

impl Drop for Abort {
    /// The request leaves the in-flight list. A request dropped unfinished (its task was
    /// cancelled) is aborted too: nobody will read its answer.
    fn drop(&mut self) {
        if let Some(controller) = take_in_flight(self.id) {
            if !self.ended {
                controller.abort();
            }
        }
    }
}

/// One exchange with the server, the same code whatever the answer's type: the status and body
/// text of a successful answer (`null` for an empty one, as 204 sends), or the error. Tied to
/// the owner current now (see the module's notes); sent when first awaited.
fn call(
    method: Method,
    url: &str,
    body: Option<String>,
    idempotency_key: Option<&str>,
) -> impl Future<Output = Result<(u16, String), ApiError>> {
    let mut abort = Abort::start();
    let (url, idempotency_key) = (url.to_owned(), idempotency_key.map(str::to_owned));
    async move {
        let answer = exchange(method, &url, body, idempotency_key.as_deref(), &abort).await;
        abort.ended = true;
        let (status, ok, mut text) = match answer {
            Ok(answer) => answer,
            Err(_) if abort.aborted() => return Err(ApiError::aborted()),
            Err(_) => {
                crate::offline::reached_server(false);
                return Err(ApiError::network());
            }
        };
        crate::offline::reached_server(true);
        if text.is_empty() {
            text = "null".into(); // 204 No Content
        }
        if ok {
            return Ok((status, text));
        }
        Err(ApiError::answered(status, &text))
    }
}

/// A successful answer read as `T`.
fn decode<T: DeserializeOwned>((status, text): (u16, String)) -> Result<T, ApiError> {
    // An answer that is not what this app expects: read as a bad request of ours.
    serde_json::from_str(&text).map_err(|_| ApiError {
        status,
        code: Some(ErrorCode::BadRequest),
        ..ApiError::default()
    })
}

/// Sends one request and reads its whole answer: status, success, body text.
async fn exchange(
    method: Method,
    url: &str,
    body: Option<String>,
    idempotency_key: Option<&str>,
    abort: &Abort,
) -> Result<(u16, bool, String), gloo_net::Error> {
    // (gloo-net 0.6 sends a URL that has a query with a `&` added, gloo issue 498: an empty
    // pair, which the server's query parser skips.)
    let mut builder = RequestBuilder::new(url)
        .method(method)
        .header("Accept", "application/json")
        // A custom header a cross-site form cannot send: the server's CSRF defence.
        .header("X-Requested-With", "smart1-app")
        .abort_signal(abort.signal.as_ref());
    if let Some(key) = idempotency_key {
        builder = builder.header("Idempotency-Key", key);
    }
    let request = match body {
        Some(body) => builder
            .header("Content-Type", "application/json")
            .body(body)?,
        None => builder.build()?,
    };
    let response = request.send().await?;
    Ok((response.status(), response.ok(), response.text().await?))
}

/// A GET of JSON.
pub fn get<T: DeserializeOwned>(url: &str) -> impl Future<Output = Result<T, ApiError>> {
    let call = call(Method::GET, url, None, None);
    async move { decode(call.await?) }
}

/// A request with a JSON body: `method` is `POST`, `PUT`, `PATCH` or `DELETE` (another fails
/// like an unreachable server, as an invalid one always did).
pub fn send<T: DeserializeOwned, B: Serialize>(
    method: &str,
    url: &str,
    body: &B,
) -> impl Future<Output = Result<T, ApiError>> {
    // Not `Method::from_bytes`: its parser of any method name is code for nothing here.
    let method = match method {
        "POST" => Some(Method::POST),
        "PUT" => Some(Method::PUT),
        "PATCH" => Some(Method::PATCH),
        "DELETE" => Some(Method::DELETE),
        _ => None,
    };
    let body = serde_json::to_string(body).unwrap_or_default();
    let call = method.map(|method| call(method, url, Some(body), None));
    async move { decode(call.ok_or_else(ApiError::network)?.await?) }
}

/// A POST that may be retried safely: the server makes one result of one key.
pub fn send_once<T: DeserializeOwned, B: Serialize>(
    url: &str,
    key: &str,
    body: &B,
) -> impl Future<Output = Result<T, ApiError>> {
    let body = serde_json::to_string(body).unwrap_or_default();
    let call = call(Method::POST, url, Some(body), Some(key));
    async move { decode(call.await?) }
}

/// Query string value encoding.
pub fn encode(value: &str) -> String {
    js_sys::encode_uri_component(value).into()
}

// The endpoints. Each is a plain function that makes its request when called (so it is tied to
// the page current then, see the module's notes) and returns the answer's future.

/// `GET /api/me`: who is signed in (a guest is `user: null`, not an error).
pub fn me() -> impl Future<Output = Result<Me, ApiError>> {
    get("/api/me")
}

/// `POST /api/auth/register`: a new account, signed in.
pub fn register(credentials: &Credentials) -> impl Future<Output = Result<User, ApiError>> {
    send("POST", "/api/auth/register", credentials)
}

/// `POST /api/auth/login`.
pub fn login(credentials: &Credentials) -> impl Future<Output = Result<User, ApiError>> {
    send("POST", "/api/auth/login", credentials)
}

/// `POST /api/auth/logout`.
pub fn logout() -> impl Future<Output = Result<(), ApiError>> {
    send("POST", "/api/auth/logout", &())
}

/// `POST /api/auth/reset-request`: a link to choose a new password, by mail.
pub fn request_password_reset(
    request: &ResetRequest,
) -> impl Future<Output = Result<ResetAccepted, ApiError>> {
    send("POST", "/api/auth/reset-request", request)
}

/// `POST /api/auth/reset`: the new password, with the mailed link's token.
/// Signs this browser in with the new session the server starts.
pub fn reset_password(new: &NewPassword) -> impl Future<Output = Result<User, ApiError>> {
    send("POST", "/api/auth/reset", new)
}

/// `POST /api/auth/reset/check`: whether a mailed link still works (before a password is typed).
pub fn check_reset_link(link: &ResetLink) -> impl Future<Output = Result<(), ApiError>> {
    send("POST", "/api/auth/reset/check", link)
}

/// `GET /api/configurations`: the account's saved cars, most recently changed first.
pub fn saved_configurations() -> impl Future<Output = Result<Vec<SavedConfiguration>, ApiError>> {
    get("/api/configurations")
}

/// `GET /api/configurations/{id}`.
pub fn saved_configuration(id: &str) -> impl Future<Output = Result<SavedConfiguration, ApiError>> {
    get(&format!("/api/configurations/{}", encode(id)))
}

/// `POST /api/configurations` (a new saved car) or `PUT /api/configurations/{id}` (an update of
/// the one being edited, naming the version it read).
pub fn save_configuration(
    id: Option<&str>,
    body: &ConfigurationBody,
) -> impl Future<Output = Result<SavedConfiguration, ApiError>> {
    save_configuration_json(id, serde_json::to_string(body).unwrap_or_default())
}

/// The same with the body as JSON text already (a save kept on the device while offline).
pub fn save_configuration_json(
    id: Option<&str>,
    body: String,
) -> impl Future<Output = Result<SavedConfiguration, ApiError>> {
    let call = match id {
        Some(id) => call(
            Method::PUT,
            &format!("/api/configurations/{}", encode(id)),
            Some(body),
            None,
        ),
        None => call(Method::POST, "/api/configurations", Some(body), None),
    };
    async move { decode(call.await?) }
}

/// Asks whether the server can be reached (`GET /api/health`); each request reports that to
/// `crate::offline` anyway, so the answer itself is not read.
pub fn reach_server() -> impl Future<Output = ()> {
    let call = call(Method::GET, "/api/health", None, None);
    async move {
        let _ = call.await;
    }
}

/// `DELETE /api/configurations/{id}`.
pub fn delete_configuration(id: &str) -> impl Future<Output = Result<(), ApiError>> {
    send(
        "DELETE",
        &format!("/api/configurations/{}", encode(id)),
        &(),
    )
}

/// `POST /api/handovers`: a snapshot of the car on screen, to continue elsewhere.
pub fn create_handover(new: &NewHandover) -> impl Future<Output = Result<HandoverInfo, ApiError>> {
    send("POST", "/api/handovers", new)
}

/// `POST /api/configurations/{id}/handover`: a snapshot of a saved car (to open in a store).
pub fn handover_of_saved(id: &str) -> impl Future<Output = Result<HandoverInfo, ApiError>> {
    send(
        "POST",
        &format!("/api/configurations/{}/handover", encode(id)),
        &(),
    )
}

/// `GET /api/handovers/{code}`: opens a hand-over code.
pub fn open_handover(code: &str) -> impl Future<Output = Result<HandoverInfo, ApiError>> {
    get(&format!("/api/handovers/{}", encode(code)))
}

/// `GET /api/locations`: by postcode or town (`q`), or nearest to a point, with a service.
pub fn search_locations(
    query: &LocationQuery,
) -> impl Future<Output = Result<LocationSearch, ApiError>> {
    let mut url = String::from("/api/locations?");
    match (query.lat, query.lon) {
        (Some(lat), Some(lon)) => url.push_str(&format!("lat={lat}&lon={lon}")),
        _ => url.push_str(&format!(
            "q={}",
            encode(query.q.as_deref().unwrap_or_default())
        )),
    }
    if let Some(service) = query.service {
        url.push_str(&format!("&service={}", service.slug()));
    }
    get(&url)
}

/// `GET /api/locations/{id}`.
pub fn location(id: &str) -> impl Future<Output = Result<LocationInfo, ApiError>> {
    get(&format!("/api/locations/{}", encode(id)))
}

/// `POST /api/orders`: the order, once per `key` however often it is retried.
pub fn place_order(
    key: &str,
    order: &OrderRequest,
) -> impl Future<Output = Result<OrderView, ApiError>> {
    send_once("/api/orders", key, order)
}

/// `GET /api/orders`: the account's orders, newest first.
pub fn orders() -> impl Future<Output = Result<Vec<OrderView>, ApiError>> {
    get("/api/orders")
}

/// `GET /api/orders/{id}` (an id or an order number).
pub fn order(id: &str) -> impl Future<Output = Result<OrderView, ApiError>> {
    get(&format!("/api/orders/{}", encode(id)))
}

/// `GET /api/agent/me`: the staff member, their partner and its locations.
pub fn staff_me() -> impl Future<Output = Result<AgentMe, ApiError>> {
    get("/api/agent/me")
}

/// `GET /api/agent/orders`: one page of the partner's orders with the statuses each may move
/// to; `search` finds a number, a name or a company, `status` keeps one status.
pub fn staff_orders(
    search: &str,
    status: Option<OrderStatus>,
    page: u32,
) -> impl Future<Output = Result<AgentOrderPage, ApiError>> {
    let mut url = format!("/api/agent/orders?page={page}&q={}", encode(search.trim()));
    if let Some(status) = status {
        url.push_str(&format!("&status={}", status.as_str()));
    }
    get(&url)
}

/// `POST /api/agent/orders/{id}/status`.
pub fn change_order_status(
    number: &str,
    change: &StatusChange,
) -> impl Future<Output = Result<StaffOrderView, ApiError>> {
    send(
        "POST",
        &format!("/api/agent/orders/{}/status", encode(number)),
        change,
    )
}

/// `GET /api/agent/handovers`: one page of the snapshots handed to the partner's locations;
/// `search` finds a part of the code.
pub fn staff_handovers(
    search: &str,
    page: u32,
) -> impl Future<Output = Result<AgentHandoverPage, ApiError>> {
    get(&format!(
        "/api/agent/handovers?page={page}&q={}",
        encode(search.trim())
    ))
}

/// `GET /api/agent/deliveries`: events about the partner's orders the relay gave up on.
pub fn dead_deliveries() -> impl Future<Output = Result<Vec<DeadDelivery>, ApiError>> {
    get("/api/agent/deliveries")
}

/// `POST /api/agent/deliveries/{id}/replay`: send a dead event again.
pub fn replay_delivery(id: &str) -> impl Future<Output = Result<(), ApiError>> {
    send(
        "POST",
        &format!("/api/agent/deliveries/{}/replay", encode(id)),
        &(),
    )
}

/// `POST /api/agent/screen/unlock`: a staff sign-in that ends this screen's store mode.
pub fn unlock_screen(unlock: &ScreenUnlock) -> impl Future<Output = Result<(), ApiError>> {
    send("POST", "/api/agent/screen/unlock", unlock)
}

/// `POST /api/agent/screen/activate`: a staff member puts this screen into store mode.
pub fn activate_screen(
    activate: &ScreenUnlock,
) -> impl Future<Output = Result<ScreenState, ApiError>> {
    send("POST", "/api/agent/screen/activate", activate)
}

/// `GET /api/screen`: whether this browser is a screen in store mode (`screen: null` if not).
pub fn screen_state() -> impl Future<Output = Result<ScreenStatus, ApiError>> {
    get("/api/screen")
}

/// `GET /api/test-drives/lines`: the lines one can drive, with their names.
pub fn test_drive_lines(
) -> impl Future<Output = Result<Vec<domain::test_drive::LineName>, ApiError>> {
    get("/api/test-drives/lines")
}

/// `GET /api/locations/{id}/test-drives?line=`: the next 28 days' slots with what is free.
pub fn test_drive_slots(
    location: &str,
    line: &str,
) -> impl Future<Output = Result<domain::test_drive::Availability, ApiError>> {
    get(&format!(
        "/api/locations/{}/test-drives?line={}",
        encode(location),
        encode(line)
    ))
}

/// `GET /api/test-drives`: the drives booked while signed in.
pub fn my_test_drives(
) -> impl Future<Output = Result<Vec<domain::test_drive::TestDriveView>, ApiError>> {
    get("/api/test-drives")
}

/// `POST /api/test-drives`.
pub fn book_test_drive(
    request: &domain::test_drive::TestDriveRequest,
) -> impl Future<Output = Result<domain::test_drive::TestDriveView, ApiError>> {
    send("POST", "/api/test-drives", request)
}

/// `POST /api/test-drives/manage{action}` with the mailed link's token: the drive (`""`), or
/// `"/cancel"`.
pub fn manage_test_drive(
    action: &str,
    token: &str,
) -> impl Future<Output = Result<domain::test_drive::TestDriveView, ApiError>> {
    let body = domain::test_drive::ManageRequest {
        token: token.to_string(),
    };
    send("POST", &format!("/api/test-drives/manage{action}"), &body)
}

/// `POST /api/test-drives/manage/reschedule`.
pub fn reschedule_test_drive(
    request: &domain::test_drive::RescheduleRequest,
) -> impl Future<Output = Result<domain::test_drive::TestDriveView, ApiError>> {
    send("POST", "/api/test-drives/manage/reschedule", request)
}

/// `GET /api/agent/test-drives`: a location's agenda from `from` ("" for today) for `days`.
pub fn staff_agenda(
    location: &str,
    from: &str,
    days: u32,
) -> impl Future<Output = Result<Vec<domain::test_drive::AgendaEntry>, ApiError>> {
    let from = if from.is_empty() {
        String::new()
    } else {
        format!("&from={}", encode(from))
    };
    get(&format!(
        "/api/agent/test-drives?location={}&days={days}{from}",
        encode(location)
    ))
}

/// `POST /api/agent/test-drives/{id}/status`: done or no-show.
pub fn mark_test_drive(
    id: &str,
    to: domain::test_drive::TestDriveStatus,
) -> impl Future<Output = Result<domain::test_drive::AgendaEntry, ApiError>> {
    send(
        "POST",
        &format!("/api/agent/test-drives/{}/status", encode(id)),
        &domain::test_drive::Outcome { to },
    )
}

/// `POST /api/agent/test-drives`: a booking taken on the phone or at the counter.
pub fn staff_book_test_drive(
    request: &domain::test_drive::TestDriveRequest,
) -> impl Future<Output = Result<domain::test_drive::TestDriveView, ApiError>> {
    send("POST", "/api/agent/test-drives", request)
}

/// `POST /api/agent/test-drives/blocks`: a demo car out of service for whole days.
pub fn block_car(
    request: &domain::test_drive::BlockRequest,
) -> impl Future<Output = Result<domain::test_drive::BlockView, ApiError>> {
    send("POST", "/api/agent/test-drives/blocks", request)
}

/// `DELETE /api/agent/test-drives/blocks/{id}`.
pub fn unblock_car(id: &str) -> impl Future<Output = Result<(), ApiError>> {
    send(
        "DELETE",
        &format!("/api/agent/test-drives/blocks/{}", encode(id)),
        &(),
    )
}

#[cfg(test)]
mod tests {
    /// The wire contract lives here and in the domain crate: no page writes a URL of the API
    /// or a JSON body by hand.
    #[test]
    fn only_this_module_names_the_api_and_nobody_writes_json_by_hand() {
        for (path, text) in crate::source_checks::sources() {
            let api_url = ["\"", "/api/"].concat();
            if !path.ends_with("src/api.rs") {
                assert!(!text.contains(&api_url), "{path} writes an API URL");
            }
            assert!(
                !text.contains(&["json", "!("].concat()),
                "{path} writes JSON by hand"
            );
        }
    }
}
