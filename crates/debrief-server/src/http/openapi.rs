//! The OpenAPI 3.1 document of the API, served at `/api/v1/openapi.json`.
//!
//! Derived from the code: each handler carries its documentation (`#[utoipa::path]`) and is
//! routed with it, and every schema comes from the types of `debrief_wire::api`. What the
//! handlers cannot say one by one is added here: the title, the two ways to sign in, which
//! operations are public, and the error every operation may answer. Tests keep it true: a
//! snapshot locks it, every documented operation must reach a route and every route be
//! documented, and the end-to-end test checks each answer against its schema.

use debrief_wire::api::ErrorAnswer;
use serde_json::Value;
use std::sync::OnceLock;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{Content, OpenApi, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi as _};

/// Operations anyone may call, signed in or not.
/// The webhooks (a tracker's, Alertmanager's, PagerDuty's) prove their sender by a signature or
/// a token of their own instead.
const PUBLIC: [(&str, &str); 7] = [
    ("get", "/healthz"),
    ("post", "/api/v1/hooks/trackers/{tracker}"),
    ("post", "/api/v1/hooks/alertmanager"),
    ("post", "/api/v1/hooks/pagerduty"),
    ("get", "/metrics"),
    ("get", "/api/v1/openapi.json"),
    ("post", "/api/v1/session"),
];

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "debrief",
        description = "Blameless postmortems: the store, the review workflow and search."
    ),
    components(schemas(ErrorAnswer)),
    modifiers(&Conventions)
)]
struct Base;

/// The document the routes are added to.
pub(super) fn base() -> OpenApi {
    Base::openapi()
}

/// What holds for every operation: how to sign in, and the shape of errors.
struct Conventions;

impl Modify for Conventions {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(
                Http::builder()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("an API token (POST /api/v1/tokens)"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                super::SESSION_COOKIE,
                "writes must be same-site (Sec-Fetch-Site or Origin)",
            ))),
        );
    }
}

/// Adds the error answer and, unless the operation is public, the security requirement to
/// every operation. Run once the routes are in, since `Modify` on the base sees none.
fn conventions(openapi: &mut OpenApi) {
    let error = ResponseBuilder::new()
        .description("an error: its status and a message a person can act on")
        .content(
            "application/json",
            Content::new(Some(RefOr::Ref(Ref::from_schema_name("ErrorAnswer")))),
        )
        .build();
    for (path, item) in openapi.paths.paths.iter_mut() {
        let operations: [(&str, &mut Option<Operation>); 5] = [
            ("get", &mut item.get),
            ("post", &mut item.post),
            ("put", &mut item.put),
            ("patch", &mut item.patch),
            ("delete", &mut item.delete),
        ];
        for (method, operation) in operations {
            let Some(operation) = operation else { continue };
            operation
                .responses
                .responses
                .insert("default".into(), RefOr::T(error.clone()));
            if !PUBLIC.contains(&(method, path.as_str())) {
                operation.security = Some(vec![
                    SecurityRequirement::new("token", Vec::<String>::new()),
                    SecurityRequirement::new("session", Vec::<String>::new()),
                ]);
            }
        }
    }
}

/// The document.
pub fn document() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let (_, mut openapi) = super::routes().split_for_parts();
        conventions(&mut openapi);
        serde_json::to_value(&openapi).unwrap_or_else(|error| {
            tracing::error!(%error, "cannot write the OpenAPI document");
            Value::Null
        })
    })
}

/// Every documented operation, as (method, path).
pub fn routes() -> Vec<(String, String)> {
    let mut routes = Vec::new();
    if let Some(paths) = document()["paths"].as_object() {
        for (path, item) in paths {
            for method in ["get", "post", "put", "patch", "delete"] {
                if item.get(method).is_some() {
                    routes.push((method.to_string(), path.clone()));
                }
            }
        }
    }
    routes
}
