//! Browser tests of `api` (gloo-net's fetch), in headless Chromium:
//! `wasm-pack test --headless --chrome --mode no-install`.
//!
//! Most replace the page's `fetch` with a stub that records the request and answers as told (or
//! never): gloo-net calls the global `fetch` on each request. A separate test binary from
//! `web.rs`, so no mounted app's requests meet the stub.
#![cfg(target_arch = "wasm32")]

use domain::api::ErrorCode;
use domain::order::{Field, Invalid, Problem};
use leptos::prelude::*;
use smart1_app::api::{self, ApiError};
use std::future::{poll_fn, Future};
use std::task::Poll;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn global() -> js_sys::Object {
    js_sys::global()
}

fn global_get(name: &str) -> JsValue {
    js_sys::Reflect::get(&global(), &name.into()).unwrap()
}

/// Replaces `fetch` with `function (request) { <body> }` (the browser's own is kept and put back
/// by [`real_fetch`]).
fn stub_fetch(body: &str) {
    if global_get("realFetch").is_undefined() {
        js_sys::Reflect::set(&global(), &"realFetch".into(), &global_get("fetch")).unwrap();
    }
    let stub = js_sys::Function::new_with_args("request", body);
    js_sys::Reflect::set(&global(), &"fetch".into(), &stub).unwrap();
}

fn real_fetch() {
    let real = global_get("realFetch");
    if !real.is_undefined() {
        js_sys::Reflect::set(&global(), &"fetch".into(), &real).unwrap();
    }
}

/// Answers every request with `status` and `body` (JS expressions), after noting what was
/// sent in `seen`.
fn answer_with(status: u16, body: &str) {
    stub_fetch(&format!(
        "return request.text().then((text) => {{
            globalThis.seen = {{
                method: request.method,
                url: request.url,
                accept: request.headers.get('Accept'),
                requestedWith: request.headers.get('X-Requested-With'),
                idempotencyKey: request.headers.get('Idempotency-Key'),
                contentType: request.headers.get('Content-Type'),
                body: text,
            }};
            return new Response({body}, {{ status: {status} }});
        }});"
    ));
}

/// A field of what the last stubbed request sent (empty when absent).
fn seen(field: &str) -> String {
    js_sys::Reflect::get(&global_get("seen"), &field.into())
        .unwrap()
        .as_string()
        .unwrap_or_default()
}

/// Lets tasks and the network run until `done` holds (or gives up).
async fn until(mut done: impl FnMut() -> bool) -> bool {
    for _ in 0..100 {
        if done() {
            return true;
        }
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            web_sys::window()
                .unwrap()
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 5)
                .unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
    }
    done()
}

#[wasm_bindgen_test]
async fn a_get_sends_the_app_headers_and_reads_json() {
    answer_with(200, "'[1, 2]'");
    let got: Vec<u32> = api::get("/api/things?q=a").await.unwrap();
    real_fetch();
    assert_eq!(got, vec![1, 2]);
    assert_eq!(seen("method"), "GET");
    // gloo-net 0.6 ends a URL that has a query with `&` (gloo issue 498): an empty pair, which
    // the server's query parser skips.
    let url = seen("url");
    assert!(
        url.trim_end_matches('&').ends_with("/api/things?q=a"),
        "{url}"
    );
    assert_eq!(seen("accept"), "application/json");
    assert_eq!(seen("requestedWith"), "smart1-app");
    assert_eq!(seen("idempotencyKey"), "");
    assert_eq!(seen("body"), "");
}

#[wasm_bindgen_test]
async fn a_send_carries_json_and_204_reads_as_null() {
    answer_with(204, "null");
    let got: Option<u32> = api::send("PUT", "/api/things/1", &("a", 2)).await.unwrap();
    real_fetch();
    assert_eq!(got, None);
    assert_eq!(seen("method"), "PUT");
    assert_eq!(seen("contentType"), "application/json");
    assert_eq!(seen("requestedWith"), "smart1-app");
    assert_eq!(seen("body"), r#"["a",2]"#);
}

#[wasm_bindgen_test]
async fn send_once_names_its_idempotency_key() {
    answer_with(201, r#"'{"number": 7}'"#);
    #[derive(serde::Deserialize)]
    struct Placed {
        number: u32,
    }
    let got: Placed = api::send_once("/api/orders", "key-1", &()).await.unwrap();
    real_fetch();
    assert_eq!(got.number, 7);
    assert_eq!(seen("method"), "POST");
    assert_eq!(seen("idempotencyKey"), "key-1");
    assert_eq!(seen("body"), "null");
}

#[wasm_bindgen_test]
async fn an_error_answer_is_read_with_its_current_value() {
    answer_with(
        409,
        r#"'{"error": "conflict", "message": "Changed elsewhere.", "current": {"version": 3}}'"#,
    );
    let err = api::send::<(), _>("PUT", "/api/things/1", &1)
        .await
        .unwrap_err();
    assert_eq!(err.status, 409);
    assert_eq!(err.code, Some(ErrorCode::Conflict));
    assert_eq!(err.current.as_deref(), Some(r#"{"version": 3}"#));
    // The refused field of a 422 comes with it; the server's sentence is never kept.
    answer_with(
        422,
        r#"'{"error": "invalid", "message": "A German postcode has 5 digits.", "field": "customer.postcode", "problem": "format"}'"#,
    );
    let err = api::send::<(), _>("POST", "/api/orders", &1)
        .await
        .unwrap_err();
    assert_eq!(
        err.invalid(),
        Some(Invalid::new(Field::Postcode, Problem::Format))
    );
    assert!(!format!("{err:?}").contains("German postcode"));

    // Not the server's JSON (a proxy's page): the status in words.
    answer_with(502, "'<html>Bad gateway</html>'");
    let err = api::get::<()>("/api/things").await.unwrap_err();
    real_fetch();
    assert_eq!((err.status, err.code), (502, Some(ErrorCode::Internal)));
}

#[wasm_bindgen_test]
async fn an_unreachable_server_is_a_network_error() {
    stub_fetch("return Promise.reject(new TypeError('Failed to fetch'));");
    let err = api::get::<()>("/api/things").await.unwrap_err();
    real_fetch();
    assert_eq!((err.status, err.code), (0, None));
    assert!(!err.is_aborted());
}

/// A real fetch (to the test server), made under an owner and in flight when the owner is
/// cleaned up, as when the page that made it goes away.
#[wasm_bindgen_test]
async fn a_request_in_flight_when_its_owner_is_cleaned_up_is_aborted() {
    real_fetch();
    let owner = Owner::new();
    let mut request = Box::pin(owner.with(|| api::get::<()>("/slow")));
    assert_eq!(api::abortable_in_flight(), 1);
    // The first poll starts the fetch; its answer cannot come before the next task.
    let first = poll_fn(|cx| Poll::Ready(request.as_mut().poll(cx).is_pending())).await;
    assert!(first, "the fetch is in flight");
    owner.cleanup();
    let err: ApiError = request.await.unwrap_err();
    assert!(err.is_aborted(), "{err:?}");
    assert_eq!((err.status, err.code), (0, None));
    assert_eq!(api::abortable_in_flight(), 0);
}

/// As the configurator loads a saved car's version: the request is made while the page is
/// current and awaited in a plain task; the page goes, the task gets the quiet error.
#[wasm_bindgen_test]
async fn a_request_made_under_a_page_and_awaited_in_a_task_is_aborted_with_the_page() {
    let _ = any_spawner::Executor::init_wasm_bindgen();
    stub_fetch(
        "globalThis.madeStarted = true;
         return new Promise((_, reject) => request.signal.addEventListener('abort', () => {
             reject(request.signal.reason);
         }));",
    );
    let page = Owner::new();
    let loading = page.with(|| api::get::<u32>("/api/never"));
    let result = std::rc::Rc::new(std::cell::RefCell::new(None));
    let into = result.clone();
    leptos::task::spawn_local(async move {
        *into.borrow_mut() = Some(loading.await);
    });
    assert!(until(|| global_get("madeStarted").is_truthy()).await);
    assert!(result.borrow().is_none());
    page.cleanup();
    assert!(until(|| result.borrow().is_some()).await);
    real_fetch();
    let err = result.borrow_mut().take().unwrap().unwrap_err();
    assert!(err.is_aborted(), "{err:?}");
    assert_eq!(api::abortable_in_flight(), 0);
}

/// The `LocalResource` of a page that goes away keeps awaiting its future (Leptos does not
/// cancel it); the request under it is aborted all the same.
#[wasm_bindgen_test]
async fn a_resource_of_a_page_that_goes_away_aborts_its_request() {
    let _ = any_spawner::Executor::init_wasm_bindgen();
    // A server that never answers: the request ends only by its signal.
    stub_fetch(
        "globalThis.started = (globalThis.started || 0) + 1;
         return new Promise((_, reject) => request.signal.addEventListener('abort', () => {
             globalThis.aborted = true;
             reject(request.signal.reason);
         }));",
    );
    let page = Owner::new();
    // An Arc resource: still readable here after the page's cleanup disposed what it owned.
    let resource = page.with(|| ArcLocalResource::new(|| api::get::<u32>("/api/never")));
    assert!(until(|| global_get("started").as_f64() == Some(1.0)).await);
    assert_eq!(api::abortable_in_flight(), 1);
    assert!(global_get("aborted").is_undefined());

    page.cleanup();
    assert!(until(|| global_get("aborted").is_truthy()).await);
    assert!(until(|| api::abortable_in_flight() == 0).await);
    real_fetch();
    // The resource ends with the quiet error, not a message to show.
    assert!(until(|| resource.try_get_untracked().flatten().is_some()).await);
    let err = resource.try_get_untracked().flatten().unwrap().unwrap_err();
    assert!(err.is_aborted(), "{err:?}");
}

/// A task that only loads runs under its page with cancellation: leaving the page stops it at
/// the request, which is aborted, and nothing after the request runs.
#[wasm_bindgen_test]
async fn a_cancelled_task_aborts_its_request_and_stops() {
    let _ = any_spawner::Executor::init_wasm_bindgen();
    stub_fetch(
        "globalThis.taskStarted = true;
         return new Promise((_, reject) => request.signal.addEventListener('abort', () => {
             globalThis.taskAborted = true;
             reject(request.signal.reason);
         }));",
    );
    let after = std::rc::Rc::new(std::cell::Cell::new(false));
    let page = Owner::new();
    page.with(|| {
        let after = after.clone();
        leptos::task::spawn_local_scoped_with_cancellation(async move {
            let _ = api::get::<u32>("/api/never").await;
            after.set(true);
        })
    });
    assert!(until(|| global_get("taskStarted").is_truthy()).await);
    page.cleanup();
    assert!(until(|| global_get("taskAborted").is_truthy()).await);
    assert!(until(|| api::abortable_in_flight() == 0).await);
    real_fetch();
    assert!(!after.get(), "the task stopped at the request");
}

/// A request that ended leaves nothing for its owner's cleanup to abort, and a request made
/// without an owner (a write in a plain task) is never registered.
#[wasm_bindgen_test]
async fn finished_and_ownerless_requests_leave_nothing_behind() {
    answer_with(200, "'5'");
    let owner = Owner::new();
    let got = owner.with(|| api::get::<u32>("/api/five")).await;
    assert_eq!(got, Ok(5));
    assert_eq!(api::abortable_in_flight(), 0);
    owner.cleanup(); // finds nothing to abort

    stub_fetch(
        "globalThis.hold = new Promise((resolve) => { globalThis.release = resolve; });
         return globalThis.hold.then(() => new Response('6'));",
    );
    let mut request = Box::pin(api::send::<u32, _>("POST", "/api/six", &()));
    assert!(poll_fn(|cx| Poll::Ready(request.as_mut().poll(cx).is_pending())).await);
    assert_eq!(api::abortable_in_flight(), 0, "no owner, nothing to abort");
    js_sys::Function::from(global_get("release"))
        .call0(&JsValue::NULL)
        .unwrap();
    assert_eq!(request.await, Ok(6));
    real_fetch();
}
