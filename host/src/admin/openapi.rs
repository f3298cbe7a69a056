//! The admin server's OpenAPI document, `GET /v1/openapi.json`: every route
//! with its security scheme (a bearer token of `[[admin.tokens]]`, or a
//! pipeline's webhook signature), generated from the handlers' annotations
//! and merged with the ledger's when the ledger runs. The shapes below are
//! the answers' JSON as the handlers build it.

use utoipa::{
    openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme},
    Modify, OpenApi, ToSchema,
};

/// Every error answer: `{"error": {"code", "message"}}` (a failed call adds
/// `stage` and `plugin`).
#[derive(ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(ToSchema)]
pub struct ErrorDetail {
    /// A stable code (`unauthenticated`, `forbidden`, `unknown_pipeline`, …).
    pub code: String,
    /// A human message (never internal detail).
    pub message: String,
    /// For a failed call: the stage.
    pub stage: Option<String>,
    /// For a failed call: the plugin.
    pub plugin: Option<String>,
}

/// A body taken as it is.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct RawBody(pub Vec<u8>);

/// 202 of an ingest.
#[derive(ToSchema)]
pub struct Queued {
    /// The message id (the caller's `Idempotency-Key`, else `sha256:…` of the body).
    pub id: String,
    /// The stream entry id.
    pub entry: String,
}

/// 200 of an ingest whose caller-chosen id was accepted before with the same payload.
#[derive(ToSchema)]
pub struct Duplicate {
    /// The message id.
    pub id: String,
    /// Always true.
    pub duplicate: bool,
}

/// 200 of a synchronous call.
#[derive(ToSchema)]
pub struct CallAnswer {
    /// The last stage's outputs: `{id, kind, content_type, correlation_id}`
    /// with `document` (JSON), `payload` (text) or `payload_base64`.
    pub outputs: Vec<serde_json::Value>,
}

/// `GET /v1/audit`.
#[derive(ToSchema)]
pub struct AuditList {
    /// Newest first.
    pub entries: Vec<crate::ops::audit::AuditEntry>,
}

/// `GET /v1/dlq/{unit}`.
#[derive(ToSchema)]
pub struct DlqList {
    /// The pipeline or `sink:NAME`.
    pub unit: String,
    /// Its dead-letter stream.
    pub stream: String,
    /// Entries in the queue (the list may stop at `limit`).
    pub count: u64,
    /// Oldest first, as `weft dlq show --json` prints them.
    pub entries: Vec<serde_json::Value>,
}

/// The body of replay and purge: `ids` or `all`.
#[derive(ToSchema)]
pub struct SelectionBody {
    /// DLQ entry ids or message ids.
    pub ids: Option<Vec<String>>,
    /// Every entry.
    pub all: Option<bool>,
}

/// `POST /v1/dlq/{unit}/replay`.
#[derive(ToSchema)]
pub struct ReplayAnswer {
    /// DLQ entry ids put back on the input.
    pub replayed: Vec<String>,
    /// Entry ids already gone.
    pub gone: Vec<String>,
    /// The input stream.
    pub stream: String,
}

/// `POST /v1/dlq/{unit}/purge`.
#[derive(ToSchema)]
pub struct PurgeAnswer {
    /// Entries deleted.
    pub purged: u64,
}

/// `PUT /v1/lookups/{table}`.
#[derive(ToSchema)]
pub struct LoadAnswer {
    /// The table.
    pub table: String,
    /// Rows in the CSV.
    pub rows: u64,
    /// Entries now in the table.
    pub entries: u64,
    /// `replace` or `merge`.
    pub mode: String,
}

/// Adds the security schemes and makes a token the default requirement.
struct Security;

impl Modify for Security {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let c = api.components.get_or_insert_with(Default::default);
        c.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A token of [[admin.tokens]] with the scope the route needs: ingest:<pipeline>, read, operate or admin",
                    ))
                    .build(),
            ),
        );
        c.add_security_scheme(
            "webhook",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-Shopify-Hmac-Sha256",
                "A pipeline with [pipelines.NAME.auth] takes its channel's signature instead (X-Shopify-Hmac-Sha256, X-WC-Webhook-Signature, a configured HMAC header, or a partner's bearer token)",
            ))),
        );
        c.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                super::session::COOKIE,
                "The dashboard's sign-in cookie: reading routes only",
            ))),
        );
        api.security = Some(vec![utoipa::openapi::security::SecurityRequirement::new(
            "token",
            Vec::<String>::new(),
        )]);
        with_bad_request(api);
    }
}

/// Every operation may answer 400: a NUL in the path or query is refused
/// before routing (see `admin::guarded`).
fn with_bad_request(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    for item in api.paths.paths.values_mut() {
        let ops = [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.delete,
            &mut item.patch,
        ];
        for op in ops.into_iter().flatten() {
            op.responses
                .responses
                .entry("400".into())
                .or_insert_with(|| {
                    ResponseBuilder::new()
                        .description(
                            "A malformed request (e.g. a NUL character in the path or query)",
                        )
                        .content(
                            "application/json",
                            ContentBuilder::new()
                                .schema(Some(Ref::from_schema_name("ErrorBody")))
                                .build(),
                        )
                        .build()
                        .into()
                });
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_operation_documents_a_bad_request_and_open_ones_say_so() {
        let api = super::document(true);
        let v = serde_json::to_value(api).expect("json");
        let mut n = 0;
        for (path, item) in v["paths"].as_object().expect("paths") {
            for (method, op) in item.as_object().expect("item") {
                n += 1;
                assert!(op["responses"]["400"].is_object(), "{method} {path}");
                // Path parameters are exactly the path's placeholders
                // (query structs must say `parameter_in = Query`).
                let declared: std::collections::BTreeSet<&str> = op["parameters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|p| p["in"] == "path")
                    .filter_map(|p| p["name"].as_str())
                    .collect();
                let placeholders: std::collections::BTreeSet<&str> = path
                    .split('/')
                    .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
                    .collect();
                assert_eq!(declared, placeholders, "{method} {path}");
            }
        }
        assert!(n >= 25, "{n} operations");
        assert_eq!(
            v["paths"]["/healthz"]["get"]["security"],
            serde_json::json!([{}])
        );
    }
}

/// The admin routes' document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "weft admin API",
        description = "Ingest, synchronous calls, the operator routes (DLQ, lookups, audit), health and metrics of a running `weft up`. Every route but /healthz, /readyz and the sign-in page needs a token when [[admin.tokens]] are configured (docs/operations.md#tokens-scopes-and-the-dashboard-sign-in-admintokens)."
    ),
    paths(
        super::ingest,
        super::call::call,
        super::audit_trail,
        super::operate::list,
        super::operate::show,
        super::operate::replay,
        super::operate::purge,
        super::operate::load_lookup,
        super::healthz,
        super::readyz,
        super::metrics_text,
        super::openapi_json,
        super::session::login_form,
        super::session::login,
        super::session::logout,
    ),
    components(schemas(ErrorBody, ErrorDetail, Queued, Duplicate, CallAnswer, AuditList, DlqList, SelectionBody, ReplayAnswer, PurgeAnswer, LoadAnswer)),
    modifiers(&Security)
)]
pub struct AdminOpenApi;

/// The whole document: the admin routes, and the ledger's and the
/// dashboard's when the ledger runs here (each variant built once).
pub fn document(ledger: bool) -> &'static utoipa::openapi::OpenApi {
    static DOCS: [std::sync::OnceLock<utoipa::openapi::OpenApi>; 2] =
        [std::sync::OnceLock::new(), std::sync::OnceLock::new()];
    DOCS[usize::from(ledger)].get_or_init(|| {
        let mut api = AdminOpenApi::openapi();
        if ledger {
            api.merge(crate::ledger::api::LedgerOpenApi::openapi());
            api.merge(crate::ledger::dashboard::DashboardOpenApi::openapi());
        }
        api
    })
}
