//! The OpenAPI document, generated from the handlers' `#[utoipa::path]`
//! attributes and the request and answer types, served at `/openapi.json`.

use std::sync::LazyLock;

use axum::Json;
use serde::Deserialize;
use utoipa::{
    openapi::{
        schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type},
        security::{Http, HttpAuthScheme, SecurityScheme},
        RefOr,
    },
    Modify, OpenApi, PartialSchema, ToSchema,
};

use super::{audit, deployments, plugins};

/// The body of every error answer (written by `weft_host::http_error::ApiError`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = Error)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// The `error` of an error answer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorDetail {
    /// A stable machine-readable code, e.g. `bad_name`.
    pub code: String,
    /// A human message (never internal detail).
    pub message: String,
}

/// The schema of component bytes (`application/wasm`): a binary string.
pub struct Wasm;

impl PartialSchema for Wasm {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .into()
    }
}

impl ToSchema for Wasm {}

/// Adds the `bearer` security scheme the operations name.
struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "bearer",
                SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
            );
    }
}

/// The registry's API document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "weft plugin registry",
        description = "Signed, immutable plugin versions and deployments. Scopes: read, publish:<namespace>, deploy, status (host status reports), admin. Every error is an Error object, unknown paths (404) and methods (405) included."
    ),
    paths(
        serve,
        plugins::list_all,
        plugins::list_versions,
        plugins::publish,
        plugins::version_meta,
        plugins::component,
        plugins::yank,
        deployments::list,
        deployments::deploy,
        deployments::rollback,
        deployments::status,
        audit::list,
    ),
    components(schemas(ErrorBody)),
    modifiers(&Bearer),
    tags(
        (name = "plugins", description = "Published plugin versions"),
        (name = "deployments", description = "Which version each pipeline stage runs"),
        (name = "audit", description = "Who changed what, and the answer"),
        (name = "meta", description = "This document"),
    )
)]
pub struct ApiDoc;

static DOCUMENT: LazyLock<utoipa::openapi::OpenApi> = LazyLock::new(ApiDoc::openapi);

/// The API's OpenAPI document.
pub fn document() -> &'static utoipa::openapi::OpenApi {
    &DOCUMENT
}

/// Serves the OpenAPI document.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "meta",
    operation_id = "openapi",
    summary = "This OpenAPI document",
    responses(
        (status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json"),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub(crate) async fn serve() -> Json<&'static utoipa::openapi::OpenApi> {
    Json(document())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use axum::{http::StatusCode, response::IntoResponse};
    use serde_json::Value;
    use weft_host::http_error::ApiError;

    use super::*;
    use crate::api::ROUTES;

    fn doc() -> Value {
        serde_json::to_value(document()).unwrap()
    }

    #[test]
    fn every_route_is_documented_with_each_of_its_statuses() {
        let doc = doc();
        for r in ROUTES {
            let what = format!("{} {}", r.verb.name().to_uppercase(), r.path);
            let op = &doc["paths"][r.path][r.verb.name()];
            assert!(op.is_object(), "{what} is not in the OpenAPI document");
            let documented: BTreeSet<u16> = op["responses"]
                .as_object()
                .unwrap()
                .keys()
                .map(|k| k.parse().unwrap())
                .collect();
            let answered: BTreeSet<u16> = r.statuses.iter().copied().collect();
            assert_eq!(
                documented, answered,
                "{what}: the documented statuses differ from those the route answers"
            );
            for status in r.statuses.iter().filter(|s| **s >= 400) {
                assert_eq!(
                    op["responses"][status.to_string()]["content"]["application/json"]["schema"]
                        ["$ref"],
                    "#/components/schemas/Error",
                    "{what} {status} has no Error body"
                );
            }
            let params: BTreeSet<&str> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "path")
                .filter_map(|p| p["name"].as_str())
                .collect();
            let segments: BTreeSet<&str> = r
                .path
                .split('/')
                .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
                .collect();
            assert_eq!(params, segments, "{what}: path parameters");
            if r.path.starts_with("/v1/") {
                assert_eq!(
                    op["security"],
                    serde_json::json!([{"bearer": []}]),
                    "{what}"
                );
                assert!(
                    op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                    "{what}"
                );
            }
        }
        assert_eq!(
            doc["components"]["securitySchemes"]["bearer"],
            serde_json::json!({"type": "http", "scheme": "bearer"})
        );
    }

    #[test]
    fn every_documented_operation_is_a_route() {
        let doc = doc();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for method in item.as_object().unwrap().keys() {
                if method == "parameters" {
                    continue;
                }
                assert!(
                    ROUTES
                        .iter()
                        .any(|r| r.path == path && r.verb.name() == method),
                    "{method} {path} is documented but not routed"
                );
            }
        }
    }

    #[tokio::test]
    async fn error_answers_have_the_documented_shape() {
        for e in [
            ApiError(StatusCode::CONFLICT, "yanked", "x is yanked".into()),
            ApiError::internal("detail"),
        ] {
            let body = axum::body::to_bytes(e.into_response().into_body(), 1 << 16)
                .await
                .unwrap();
            let v: ErrorBody = serde_json::from_slice(&body).unwrap();
            assert!(!v.error.code.is_empty() && !v.error.message.is_empty());
        }
        let doc = doc();
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["Error"]["required"], serde_json::json!(["error"]));
        assert_eq!(
            schemas["Error"]["properties"]["error"]["$ref"],
            "#/components/schemas/ErrorDetail"
        );
        assert_eq!(
            schemas["ErrorDetail"]["required"],
            serde_json::json!(["code", "message"])
        );
    }

    /// The host's `Deployment` is documented by a schema of its own: they
    /// must have the same fields.
    #[test]
    fn the_deployment_schema_has_the_fields_of_the_host_type() {
        let d = crate::store::Deployment {
            id: 1,
            pipeline: "p".into(),
            stage: "s".into(),
            plugin: "a/b@1.0.0".into(),
            canary: None,
            canary_percent: 0,
            created_at: "now".into(),
        };
        let fields: BTreeSet<String> = serde_json::to_value(&d)
            .unwrap()
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        let documented: BTreeSet<String> = doc()["components"]["schemas"]["Deployment"]
            ["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(fields, documented);
    }
}
