//! `GET /api/openapi.json`: the API described as OpenAPI 3.1, generated from the handlers.
//!
//! Every API route is registered through utoipa-axum's `OpenApiRouter` with `routes!`, from the
//! handler's own `#[utoipa::path]`: a route without a description does not exist, so router and
//! document cannot drift (a test in `tests/openapi.rs` also asks every documented operation).
//! Request and response bodies are the wire types of `domain::api` (`ToSchema` derives).
//!
//! Each handler documents what it answers itself (its body, 401, 404, 409, 422 and the throttles'
//! 429 with `Retry-After`). What the layers and extractors answer for every operation alike is
//! added here, once, as `router()` adds the layers once:
//! - every operation: 408 `timeout` (the request timeout) and 500 `internal` (a fault: a panic,
//!   an unreachable database);
//! - POST, PUT, DELETE: the `X-Requested-With: smart1-app` header and 403 `csrf` without it (or
//!   with a foreign `Origin`);
//! - a JSON request body: 400 malformed JSON, 413 over the body limit, 415 without
//!   `Content-Type: application/json`, 422 a missing field or a wrong type;
//! - path or query parameters: 400 when they cannot be read (e.g. a number that is none).

use super::auth::COOKIE;
use super::csrf;
use super::AppState;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::api::{ConfigurationBody, ErrorBody, NewHandover};
use std::sync::LazyLock;
use utoipa::openapi::path::{Operation, Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::{
    ContentBuilder, ObjectBuilder, OpenApi, Ref, RefOr, Required, ResponseBuilder, Schema, Type,
};
use utoipa::{OpenApi as _, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The name of the session cookie's security scheme, for `security(("session" = []))`.
pub const SESSION: &str = "session";

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "smart #1 configurator API",
        description = "The JSON API of the smart #1 configurator and agency-model checkout. \
            Errors are always `ErrorBody` (`{error, message}`, plus `current` on a 409). \
            State-changing requests need the header `X-Requested-With: smart1-app` and, when an \
            `Origin` is sent, this server's origin. Signed-in requests carry the HttpOnly session \
            cookie set by registration and sign-in."
    ),
    components(schemas(ErrorBody)),
    tags(
        (name = "meta", description = "Health and this document"),
        (name = "network", description = "The agency network: partners and locations"),
        (name = "accounts", description = "Registration, sign-in, sessions, password reset"),
        (name = "configurations", description = "Saved cars of the signed-in customer"),
        (name = "handovers", description = "Hand-over codes: continue on another device"),
        (name = "orders", description = "Orders of the signed-in customer"),
        (name = "agent", description = "The staff desk of an agent (partner)"),
    )
)]
struct ApiDoc;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(openapi_json))
}

/// This document.
#[utoipa::path(
    get,
    path = "/openapi.json",
    operation_id = "openapi",
    tag = "meta",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API", body = Object))
)]
async fn openapi_json() -> Response {
    // Made once, on the first request; the tests make the same document.
    static JSON: LazyLock<String> = LazyLock::new(|| {
        document()
            .to_json()
            .expect("the OpenAPI document serializes")
    });
    ([(header::CONTENT_TYPE, "application/json")], JSON.as_str()).into_response()
}

/// The complete document: the routes' own descriptions under `/api`, the session cookie's
/// security scheme and what the layers add to every operation.
pub fn document() -> OpenApi {
    let (_, paths) = super::api_routes().split_for_parts();
    let mut doc = ApiDoc::openapi().nest("/api", paths);
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        SESSION,
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
            COOKIE,
            "The HttpOnly session cookie that registration and sign-in set (30 days).",
        ))),
    );
    add_examples(components);
    for item in doc.paths.paths.values_mut() {
        let operations = [
            (&mut item.get, false),
            (&mut item.head, false),
            (&mut item.options, false),
            (&mut item.post, true),
            (&mut item.put, true),
            (&mut item.patch, true),
            (&mut item.delete, true),
        ];
        for (operation, unsafe_method) in operations {
            if let Some(operation) = operation.as_mut() {
                add_layer_responses(operation, unsafe_method);
            }
        }
    }
    doc
}

/// Examples a client (or a fuzzer) can send as they are: a configuration code only the domain
/// crate can make (it carries the price list and a checksum), so it is made here, from the
/// current price list, never written down.
fn add_examples(components: &mut utoipa::openapi::Components) {
    let catalog = domain::Catalog::current();
    let code = catalog.encode(&catalog.empty_selection());
    let saved = ConfigurationBody {
        name: "Mein smart #1".into(),
        code: code.clone(),
        step: domain::Step::Exterior,
        location_id: Some("hamburg-01".into()),
        version: None,
    };
    let handover = NewHandover {
        code,
        step: domain::Step::Exterior,
        location_id: Some("hamburg-01".into()),
    };
    let examples = [
        (ConfigurationBody::name(), serde_json::to_value(saved)),
        (NewHandover::name(), serde_json::to_value(handover)),
    ];
    for (name, example) in examples {
        let schema = components.schemas.get_mut(name.as_ref());
        if let (Some(RefOr::T(Schema::Object(schema))), Ok(example)) = (schema, example) {
            schema.examples = vec![example];
        }
    }
}

fn add_layer_responses(op: &mut Operation, unsafe_method: bool) {
    if unsafe_method {
        let header = csrf_header();
        let parameters = op.parameters.get_or_insert_with(Vec::new);
        parameters.push(header);
        add_error(
            op,
            403,
            "`csrf`: the `X-Requested-With: smart1-app` header is missing, or the `Origin` is \
             not this server's",
        );
    }
    let has_json_body = op
        .request_body
        .as_ref()
        .is_some_and(|b| matches!(b, RefOr::T(b) if b.content.contains_key("application/json")));
    if has_json_body {
        add_error(
            op,
            400,
            "`bad_request`: the body is not valid JSON, or holds text the database cannot store \
             (a NUL character)",
        );
        add_error(
            op,
            413,
            "`body_too_large`: the body is larger than the body limit (64 KiB by default)",
        );
        add_error(
            op,
            415,
            "`unsupported_media_type`: the body is not sent as `Content-Type: application/json`",
        );
        add_error(
            op,
            422,
            "`invalid`: the JSON lacks a field or has a value of a wrong type",
        );
    }
    let has_parameters = op.parameters.iter().flatten().any(|p| match p {
        RefOr::T(p) => matches!(p.parameter_in, ParameterIn::Path | ParameterIn::Query),
        RefOr::Ref(_) => false,
    });
    if has_parameters {
        add_error(
            op,
            400,
            "`bad_request`: a path or query parameter cannot be read (or, in the path, holds a NUL \
             character)",
        );
    }
    add_error(
        op,
        408,
        "`timeout`: the request (its body included) took longer than the request timeout",
    );
    add_error(
        op,
        500,
        "`internal`: a fault on the server's side (the cause is logged, never sent)",
    );
}

/// The CSRF defence's header, required on POST, PUT and DELETE.
fn csrf_header() -> RefOr<Parameter> {
    RefOr::T(
        ParameterBuilder::new()
            .name("X-Requested-With")
            .parameter_in(ParameterIn::Header)
            .required(Required::True)
            .description(Some(
                "CSRF defence: a cross-site form cannot send it. Without it: 403 `csrf`.",
            ))
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some([csrf::VALUE])),
            ))
            .build(),
    )
}

/// Adds an `ErrorBody` response, or, when the handler documents the status already, adds the
/// reason to its description.
fn add_error(op: &mut Operation, status: u16, description: &str) {
    let responses = &mut op.responses.responses;
    match responses.get_mut(&status.to_string()) {
        Some(RefOr::T(response)) => {
            if !response.description.contains(description) {
                response.description = format!("{}; {description}", response.description);
            }
        }
        Some(RefOr::Ref(_)) => {}
        None => {
            let response = ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name(ErrorBody::name())))
                        .build(),
                )
                .build();
            responses.insert(status.to_string(), RefOr::T(response));
        }
    }
}
