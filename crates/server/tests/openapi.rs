//! `/api/openapi.json`: an OpenAPI 3.x document that names every route the server answers, and
//! only those, with the error shape, the session cookie and the headers the server asks for.

mod common;

use serde_json::Value;
use std::collections::BTreeSet;

/// Every API operation the server answers. A new route must be added here AND be in the
/// document (it is, when registered with `routes!` and a `#[utoipa::path]`).
const ROUTES: &[(&str, &str)] = &[
    ("GET", "/api/health"),
    ("GET", "/api/openapi.json"),
    ("GET", "/api/partners"),
    ("GET", "/api/locations"),
    ("GET", "/api/locations/{id}"),
    ("POST", "/api/auth/register"),
    ("POST", "/api/auth/login"),
    ("POST", "/api/auth/logout"),
    ("POST", "/api/auth/reset-request"),
    ("POST", "/api/auth/reset"),
    ("POST", "/api/auth/reset/check"),
    ("GET", "/api/me"),
    ("GET", "/api/configurations"),
    ("POST", "/api/configurations"),
    ("GET", "/api/configurations/{id}"),
    ("PUT", "/api/configurations/{id}"),
    ("DELETE", "/api/configurations/{id}"),
    ("POST", "/api/configurations/{id}/handover"),
    ("POST", "/api/handovers"),
    ("GET", "/api/handovers/{code}"),
    ("GET", "/api/locations/{id}/test-drives"),
    ("POST", "/api/test-drives"),
    ("GET", "/api/agent/test-drives"),
    ("POST", "/api/agent/test-drives/{id}/status"),
    ("GET", "/api/test-drives"),
    ("GET", "/api/test-drives/lines"),
    ("POST", "/api/test-drives/manage"),
    ("POST", "/api/test-drives/manage/reschedule"),
    ("POST", "/api/test-drives/manage/cancel"),
    ("POST", "/api/agent/test-drives"),
    ("POST", "/api/agent/test-drives/blocks"),
    ("DELETE", "/api/agent/test-drives/blocks/{id}"),
    ("GET", "/api/orders"),
    ("POST", "/api/orders"),
    ("GET", "/api/orders/{id}"),
    ("GET", "/api/agent/me"),
    ("GET", "/api/agent/orders"),
    ("POST", "/api/agent/orders/{id}/status"),
    ("GET", "/api/agent/handovers"),
    ("GET", "/api/agent/deliveries"),
    ("POST", "/api/agent/deliveries/{id}/replay"),
    ("POST", "/api/agent/screen/unlock"),
    ("POST", "/api/agent/screen/activate"),
    ("GET", "/api/screen"),
];

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

async fn document(s: &common::TestServer) -> Value {
    let r = s
        .client
        .get(s.url("/api/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    r.json().await.unwrap()
}

/// (METHOD, path, operation) of every operation in the document.
fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let mut found = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                found.push((method.to_uppercase(), path.clone(), op));
            }
        }
    }
    found
}

#[tokio::test]
async fn the_document_is_openapi_3_and_names_exactly_the_routes_the_server_answers() {
    let s = common::spawn().await;
    let doc = document(&s).await;
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3."),
        "{}",
        doc["openapi"]
    );
    // It reads as an OpenAPI document (utoipa's model of the specification), and it is the one
    // the server generates.
    let parsed: utoipa::openapi::OpenApi = serde_json::from_value(doc.clone()).unwrap();
    assert_eq!(
        serde_json::to_value(&parsed).unwrap(),
        serde_json::to_value(server::http::openapi::document()).unwrap()
    );
    let documented: BTreeSet<(String, String)> = operations(&doc)
        .into_iter()
        .map(|(m, p, _)| (m, p))
        .collect();
    let served: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    let missing: Vec<_> = served.difference(&documented).collect();
    assert!(
        missing.is_empty(),
        "routes missing from the document: {missing:?}"
    );
    let unknown: Vec<_> = documented.difference(&served).collect();
    assert!(
        unknown.is_empty(),
        "documented but not in this test's table: {unknown:?}"
    );
    // Operation ids name each operation once (clients generate functions from them).
    let ids: Vec<&str> = operations(&doc)
        .iter()
        .map(|(m, p, op)| {
            op["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{m} {p} has no operationId"))
        })
        .collect();
    assert_eq!(
        ids.iter().collect::<BTreeSet<_>>().len(),
        ids.len(),
        "{ids:?}"
    );
}

#[tokio::test]
async fn every_documented_operation_is_answered_by_its_handler() {
    let s = common::spawn().await;
    let doc = document(&s).await;
    let generic_404 =
        |status: u16, body: &Value| status == 404 && body["message"] == "no such API endpoint";
    // The check can tell: a path nobody serves gets the generic answer, a wrong method 405.
    let r = s
        .client
        .get(s.url("/api/no-such-thing"))
        .send()
        .await
        .unwrap();
    assert!(generic_404(r.status().as_u16(), &r.json().await.unwrap()));
    let r = s.client.patch(s.url("/api/health")).send().await.unwrap();
    assert_eq!(r.status(), 405);

    for (method, path, _) in operations(&doc) {
        let url = s.url(&path.replace(['{', '}'], ""));
        // A guest with the CSRF header: some answer 401, some 422 for the empty body; none
        // may be the router's own 404 or 405.
        let client = s.new_client();
        let request = client.request(method.parse().unwrap(), url);
        let request = if method == "GET" || method == "DELETE" {
            request
        } else {
            request.json(&serde_json::json!({}))
        };
        let r = request.send().await.unwrap();
        let status = r.status().as_u16();
        let body: Value = r.json().await.unwrap_or(Value::Null);
        assert!(
            !generic_404(status, &body) && status != 405,
            "{method} {path}: {status} {body}"
        );
    }
}

#[tokio::test]
async fn operations_document_errors_the_session_cookie_and_the_headers_the_server_asks_for() {
    let s = common::spawn().await;
    let doc = document(&s).await;
    let scheme = &doc["components"]["securitySchemes"]["session"];
    assert_eq!(scheme["type"], "apiKey");
    assert_eq!(scheme["in"], "cookie");
    assert_eq!(scheme["name"], "smart1_session");
    let error = &doc["components"]["schemas"]["ErrorBody"];
    assert_eq!(error["required"], serde_json::json!(["error", "message"]));
    assert!(error["properties"]["current"].is_object());

    for (method, path, op) in operations(&doc) {
        let responses = op["responses"].as_object().unwrap();
        let statuses: BTreeSet<&str> = responses.keys().map(String::as_str).collect();
        // Every error is an ErrorBody.
        for (status, response) in responses {
            if status.starts_with('4') || status.starts_with('5') {
                assert_eq!(
                    response["content"]["application/json"]["schema"]["$ref"],
                    "#/components/schemas/ErrorBody",
                    "{method} {path} {status}"
                );
            }
        }
        // What layers answer to every request.
        for status in ["408", "500"] {
            assert!(statuses.contains(status), "{method} {path} lacks {status}");
        }
        let parameters = op["parameters"].as_array().cloned().unwrap_or_default();
        let header = |name: &str| {
            parameters
                .iter()
                .find(|p| p["in"] == "header" && p["name"] == name)
                .cloned()
        };
        if method == "GET" {
            assert!(header("X-Requested-With").is_none(), "{method} {path}");
        } else {
            let csrf = header("X-Requested-With")
                .unwrap_or_else(|| panic!("{method} {path}: no X-Requested-With"));
            assert_eq!(csrf["required"], true);
            assert_eq!(csrf["schema"]["enum"], serde_json::json!(["smart1-app"]));
            assert!(statuses.contains("403"), "{method} {path}");
        }
        if op.get("requestBody").is_some() {
            for status in ["400", "413", "415", "422"] {
                assert!(statuses.contains(status), "{method} {path} lacks {status}");
            }
        }
        // Throttled operations say when to come back.
        if let Some(too_many) = responses.get("429") {
            assert!(
                too_many["headers"]["Retry-After"].is_object(),
                "{method} {path}"
            );
        }
        // Operations for signed-in accounts name the cookie and answer 401.
        let needs_session = op["security"]
            .as_array()
            .is_some_and(|s| s.iter().all(|r| r.get("session").is_some()));
        if needs_session {
            assert!(statuses.contains("401"), "{method} {path}");
        }
    }
    let order = &doc["paths"]["/api/orders"]["post"];
    let key = order["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Idempotency-Key")
        .expect("POST /api/orders documents its Idempotency-Key");
    assert_eq!(key["in"], "header");
    assert_eq!(key["required"], true);
    for op in [
        &doc["paths"]["/api/auth/register"]["post"],
        &doc["paths"]["/api/auth/login"]["post"],
    ] {
        let statuses = op["responses"].as_object().unwrap();
        assert!(statuses.contains_key("429") && statuses.contains_key("503"));
    }
}

#[tokio::test]
async fn the_examples_in_the_document_are_accepted_as_they_are() {
    let s = common::spawn().await;
    let doc = document(&s).await;
    common::register(&s, &s.client, "examples").await;
    let schemas = &doc["components"]["schemas"];
    let saved = s
        .client
        .post(s.url("/api/configurations"))
        .json(&schemas["ConfigurationBody"]["examples"][0])
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 201, "{}", saved.text().await.unwrap());
    let handover = s
        .client
        .post(s.url("/api/handovers"))
        .json(&schemas["NewHandover"]["examples"][0])
        .send()
        .await
        .unwrap();
    assert_eq!(handover.status(), 201, "{}", handover.text().await.unwrap());
}

/// The table above can only be trusted while API routes are registered through utoipa-axum's
/// `routes!` (which documents them): no handler module adds a plain axum route.
#[test]
fn api_routes_are_registered_only_with_their_description() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        let plain = source.matches(".route(").count() + source.matches(".route_service(").count();
        let name = path.file_name().unwrap().to_str().unwrap();
        // mod.rs: `/api/` itself (the generic 404), `/metrics` (outside the API) and the three
        // test-only routes; offline.rs: `/sw.js` (the app's service worker, outside the API).
        let allowed = match name {
            "mod.rs" => 5,
            "offline.rs" => 1,
            _ => 0,
        };
        assert_eq!(plain, allowed, "{name}: an API route without routes!(...)");
    }
}
