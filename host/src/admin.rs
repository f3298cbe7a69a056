//! The admin HTTP server: `POST /ingest/{pipeline}`, `POST
//! /v1/call/{pipeline}` (synchronous, [`call`]), `GET /healthz`,
//! `GET /readyz`, `GET /metrics` (Prometheus), `GET /v1/audit` (the
//! operator actions of [`crate::ops::audit`]), the operator routes of
//! [`operate`] and the dashboard's sign-in ([`session`]). Who may call
//! what is [`access`]'s.

use std::{collections::BTreeMap, sync::Arc};

use axum::{
    body::Bytes,
    extract::{DefaultBodyLimit, Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use redis::aio::ConnectionManager;

use crate::{
    bus::{self, ingest::Ingested, Keys},
    Message,
};

/// What the admin handlers share.
#[derive(Clone)]
pub struct AdminState {
    /// Pipeline name → its keys.
    pub pipelines: Arc<BTreeMap<String, Keys>>,
    /// Every unit, for gauges.
    pub units: Arc<Vec<Keys>>,
    /// Redis.
    pub con: ConnectionManager,
    /// Renders the Prometheus text.
    pub metrics: Option<metrics_exporter_prometheus::PrometheusHandle>,
    /// The private redis-server's health, when `weft up` runs one.
    pub private_redis: Option<Arc<crate::bus::RedisHealth>>,
    /// Pipeline name → the check its ingest requests must pass
    /// (`[pipelines.NAME.auth]`); a pipeline absent here takes any request.
    pub auth: Arc<BTreeMap<String, webhook::Verifier>>,
    /// Pipeline name → its `ingest_limit` bucket.
    pub limits: Arc<BTreeMap<String, crate::rate::TokenBucket>>,
    /// The pipelines synchronous calls run (none: `/v1/call` answers 404).
    pub calls: Option<call::Calls>,
    /// The configuration (units and flows of the operator routes).
    pub config: Arc<crate::config::Config>,
    /// Tokens, sessions and the route policy.
    pub access: Arc<access::Access>,
    /// Whether the ledger's routes are served too (for the OpenAPI document).
    pub ledger: bool,
}

pub mod access;
pub mod call;
pub mod openapi;
pub mod operate;
pub mod session;
pub mod tls;
pub mod webhook;

pub use crate::http_error::ApiError;

/// 503 for a Redis failure: the detail is logged, the caller is told to retry.
pub fn redis_unavailable(e: &redis::RedisError) -> ApiError {
    tracing::warn!("admin server: Redis is not reachable: {e}");
    ApiError(
        StatusCode::SERVICE_UNAVAILABLE,
        "redis_unavailable",
        "Redis is not reachable; retry later".into(),
    )
}

/// The router; `max_body` bytes at most per ingested body (413 beyond).
/// Every error answer is JSON (see [`crate::http_error`]). Other routers
/// (the ledger's) are merged in before [`guarded`] puts the access check
/// in front of all of them.
pub fn router(state: AdminState, max_body: usize) -> Router {
    let sign_in = Router::new()
        .route(
            "/dashboard/login",
            get(session::login_form).post(session::login),
        )
        .route("/dashboard/logout", post(session::logout))
        .with_state(state.access.clone());
    crate::http_error::json_errors(
        Router::new()
            .route("/ingest/{pipeline}", post(ingest))
            .route("/v1/call/{pipeline}", post(call::call))
            .route("/v1/audit", get(audit_trail))
            .route("/v1/dlq/{unit}", get(operate::list))
            .route("/v1/dlq/{unit}/replay", post(operate::replay))
            .route("/v1/dlq/{unit}/purge", post(operate::purge))
            .route("/v1/dlq/{unit}/{id}", get(operate::show))
            .route(
                "/v1/lookups/{table}",
                axum::routing::put(operate::load_lookup)
                    .layer(DefaultBodyLimit::max(state.config.admin.max_lookup_bytes)),
            )
            .route("/healthz", get(healthz))
            .route("/readyz", get(readyz))
            .route("/metrics", get(metrics_text))
            .route("/v1/openapi.json", get(openapi_json))
            .layer(DefaultBodyLimit::max(max_body))
            .with_state(state)
            .merge(sign_in),
    )
}

/// `app` with [`access::guard`] in front of every route, and before it a
/// refusal of NUL characters in the path or query (no name, id or filter
/// holds one, and the ledger's database cannot store one).
pub fn guarded(app: Router, access: Arc<access::Access>) -> Router {
    app.layer(axum::middleware::from_fn_with_state(access, access::guard))
        .layer(axum::middleware::from_fn(no_nul))
        // The merged routers' rejections (a query that does not parse) as
        // JSON too, not only the admin router's own.
        .layer(axum::middleware::map_response(crate::http_error::rewrite))
}

async fn no_nul(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let uri = req.uri();
    let encoded = [Some(uri.path()), uri.query()];
    if encoded.iter().flatten().any(|s| s.contains("%00")) {
        return ApiError(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "the path or query holds a NUL character".into(),
        )
        .into_response();
    }
    next.run(req).await
}

/// A caller-chosen id: `Idempotency-Key` or `X-Weft-Message-Id`.
pub fn caller_id(headers: &HeaderMap) -> Option<String> {
    ["idempotency-key", "x-weft-message-id"]
        .iter()
        .find_map(|h| {
            headers
                .get(*h)
                .and_then(|v| v.to_str().ok())
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        })
}

/// The id of an ingested body: the caller's ([`caller_id`]) if given, else
/// `sha256:<16 hex digits>` of the body — so a re-sent document is
/// recognised as the same message.
pub fn ingest_id(headers: &HeaderMap, body: &[u8]) -> String {
    caller_id(headers).unwrap_or_else(|| crate::stamp::content_id(body))
}

/// Most characters of a caller-chosen id (the host's output id limit).
const MAX_CALLER_ID: usize = 512;

#[utoipa::path(post, path = "/ingest/{pipeline}", tag = "ingest",
    params(
        ("pipeline" = String, Path, description = "A pipeline of the configuration", example = "orders"),
        ("Idempotency-Key" = Option<String>, Header, description = "The message id (at most 512 characters); else the body's sha256"),
    ),
    request_body(content = openapi::RawBody, content_type = "application/octet-stream",
        description = "Any body (JSON, X12, EDIFACT, …): it becomes a `raw` message with its Content-Type and X-* headers"),
    security(("token" = []), ("webhook" = [])),
    responses(
        (status = 202, description = "Queued", body = openapi::Queued),
        (status = 200, description = "The id was accepted before with this payload: nothing queued twice", body = openapi::Duplicate),
        (status = 400, description = "A bad Idempotency-Key", body = openapi::ErrorBody),
        (status = 401, description = "No accepted token or signature: nothing queued", body = openapi::ErrorBody),
        (status = 403, description = "The token lacks ingest:<pipeline>", body = openapi::ErrorBody),
        (status = 404, description = "No such pipeline", body = openapi::ErrorBody),
        (status = 409, description = "The id was accepted before with another payload", body = openapi::ErrorBody),
        (status = 413, description = "Over [admin] max_body_bytes", body = openapi::ErrorBody),
        (status = 429, description = "Over the pipeline's ingest_limit (Retry-After)", body = openapi::ErrorBody),
        (status = 503, description = "Redis unreachable: retry", body = openapi::ErrorBody),
    ))]
async fn ingest(
    State(s): State<AdminState>,
    Path(pipeline): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let keys = known(&s, &pipeline)?;
    if let Some(limited) = admit(&s, &pipeline, &headers, &body)? {
        return Ok(limited);
    }
    if s.private_redis.as_ref().is_some_and(|h| !h.is_up()) {
        return Err(private_redis_down());
    }
    let chosen = caller_id(&headers);
    let msg = request_message(&headers, &body)?;
    let mut con = s.con.clone();
    // A caller-chosen id is recorded with the payload digest in the same
    // operation as the XADD: the same id again is a duplicate (same
    // payload, 200) or a conflict (another payload, 409), never queued
    // twice and never dropped silently later. Content-derived ids need no
    // record: the same id is the same payload, deduplicated by the pipeline.
    let digest = crate::bus::commit::digest(&msg.payload);
    let queued = match chosen {
        Some(_) => crate::bus::ingest::ingest_once(&mut con, keys, &msg, &digest).await,
        None => bus::append(&mut con, &keys.input(), &msg)
            .await
            .map(Ingested::Queued),
    }
    .map_err(|e| redis_unavailable(&e))?;
    match queued {
        Ingested::Queued(entry) => {
            metrics::counter!("weft_ingested_total", "unit" => pipeline).increment(1);
            Ok((
                StatusCode::ACCEPTED,
                Json(serde_json::json!({"id": msg.id, "entry": entry})),
            )
                .into_response())
        }
        Ingested::Duplicate => {
            metrics::counter!("weft_ingest_duplicates_total", "unit" => pipeline).increment(1);
            Ok((
                StatusCode::OK,
                Json(serde_json::json!({"id": msg.id, "duplicate": true})),
            )
                .into_response())
        }
        Ingested::Conflict(before) => {
            metrics::counter!("weft_ingest_conflicts_total", "unit" => pipeline).increment(1);
            Err(ApiError(
                StatusCode::CONFLICT,
                "id_conflict",
                format!("message id `{}` was accepted before with another payload (sha256 {before}; this one sha256 {digest}); send a different document with a new id", msg.id),
            ))
        }
    }
}

/// `?action=&limit=` of the audit trail.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code, reason = "documents the query the handler reads")]
struct AuditQuery {
    /// Only actions starting with this (`dlq`, `dlq.replay`, `lookup.load`).
    action: Option<String>,
    /// How many, newest first (1 to 1000, default 50).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
}

/// `GET /v1/audit?action=PREFIX&limit=N`: the newest recorded operator
/// actions (default 50, at most 1000), `{"entries": [...]}`.
#[utoipa::path(get, path = "/v1/audit", tag = "operate", params(AuditQuery),
    responses(
        (status = 200, description = "Newest first", body = openapi::AuditList),
        (status = 400, description = "A bad limit", body = openapi::ErrorBody),
        (status = 401, description = "No accepted token", body = openapi::ErrorBody),
        (status = 403, description = "The token lacks read", body = openapi::ErrorBody),
        (status = 503, description = "Redis unreachable", body = openapi::ErrorBody),
    ))]
async fn audit_trail(
    State(s): State<AdminState>,
    axum::extract::Query(q): axum::extract::Query<BTreeMap<String, String>>,
) -> Result<Response, ApiError> {
    let limit = match q.get("limit").map(|l| l.parse::<usize>()) {
        None => 50,
        Some(Ok(n)) if (1..=1000).contains(&n) => n,
        Some(_) => {
            return Err(ApiError(
                StatusCode::BAD_REQUEST,
                "bad_limit",
                "`limit` must be a whole number from 1 to 1000".into(),
            ))
        }
    };
    let entries = crate::ops::audit::read(
        &mut s.con.clone(),
        q.get("action").map(String::as_str),
        limit,
    )
    .await
    .map_err(|e| redis_unavailable(&e))?;
    Ok(Json(serde_json::json!({ "entries": entries })).into_response())
}

/// This server's OpenAPI document ([`openapi::document`]).
#[utoipa::path(get, path = "/v1/openapi.json", tag = "health",
    responses(
        (status = 200, description = "OpenAPI 3.1", body = Object),
        (status = 401, description = "No accepted token", body = openapi::ErrorBody),
        (status = 403, description = "The token lacks read", body = openapi::ErrorBody),
    ))]
async fn openapi_json(State(s): State<AdminState>) -> Json<&'static utoipa::openapi::OpenApi> {
    Json(openapi::document(s.ledger))
}

/// The keys of `pipeline`, or 404.
fn known<'a>(s: &'a AdminState, pipeline: &str) -> Result<&'a Keys, ApiError> {
    s.pipelines.get(pipeline).ok_or_else(|| {
        ApiError(
            StatusCode::NOT_FOUND,
            "unknown_pipeline",
            format!("no pipeline `{pipeline}`"),
        )
    })
}

/// Whether a request into `pipeline` may go on: its `[auth]` check (401
/// when refused), then its `ingest_limit` (`Some`: the 429 answer).
/// Nothing else of the request is read first, and a refusal changes
/// nothing but a counter.
fn admit(
    s: &AdminState,
    pipeline: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Option<Response>, ApiError> {
    if let Some(v) = s.auth.get(pipeline) {
        v.check(headers, body)
            .map_err(|r| refused(pipeline, v, &r))?;
    }
    // After the check, so unauthenticated requests spend no tokens.
    if let Some(Err(wait)) = s
        .limits
        .get(pipeline)
        .map(crate::rate::TokenBucket::try_take)
    {
        return Ok(Some(too_many(pipeline, wait)));
    }
    Ok(None)
}

/// The `raw` message of a request: its body and Content-Type, its `X-*`
/// channel headers (X-Shopify-Topic, …; not `X-Weft-*`), and the id of
/// [`ingest_id`] (400 if a caller-chosen one is too long or has control
/// characters).
fn request_message(headers: &HeaderMap, body: &[u8]) -> Result<Message, ApiError> {
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream")
        .to_string();
    let passed: Vec<(String, String)> = headers
        .iter()
        .filter(|(n, _)| n.as_str().starts_with("x-") && !n.as_str().starts_with("x-weft-"))
        .filter_map(|(n, v)| Some((n.as_str().to_string(), v.to_str().ok()?.to_string())))
        .collect();
    if let Some(id) = caller_id(headers) {
        if id.chars().count() > MAX_CALLER_ID || id.chars().any(char::is_control) {
            return Err(ApiError(
                StatusCode::BAD_REQUEST,
                "bad_id",
                format!("the message id (Idempotency-Key / X-Weft-Message-Id) must be at most {MAX_CALLER_ID} characters without control characters"),
            ));
        }
    }
    Ok(Message {
        id: ingest_id(headers, body),
        correlation_id: String::new(),
        kind: "raw".into(),
        content_type,
        headers: passed,
        payload: body.to_vec(),
    })
}

/// 401 for an ingest request without a valid signature or token, counted
/// in `weft_ingest_rejected_total{unit, reason}`. The answer names the
/// header that was expected, never anything of the secret.
fn refused(pipeline: &str, v: &webhook::Verifier, r: &webhook::Rejection) -> ApiError {
    metrics::counter!("weft_ingest_rejected_total", "unit" => pipeline.to_string(), "reason" => r.reason())
        .increment(1);
    let header = v.header();
    let what = match v.scheme() {
        crate::config::auth::AuthScheme::Bearer => "bearer token",
        _ => "signature",
    };
    let message = match r {
        webhook::Rejection::Missing => {
            format!("pipeline `{pipeline}` needs a {what} in the `{header}` header")
        }
        webhook::Rejection::Malformed => {
            format!("the `{header}` header is not a well-formed {what}")
        }
        webhook::Rejection::Mismatch => match v.scheme() {
            crate::config::auth::AuthScheme::Bearer => {
                "the bearer token is not accepted".to_string()
            }
            _ => format!("the `{header}` signature does not match the body"),
        },
    };
    tracing::warn!(pipeline, reason = r.reason(), "ingest refused: {message}");
    ApiError(StatusCode::UNAUTHORIZED, "unauthenticated", message)
}

/// 429 beyond a pipeline's `ingest_limit`, with `Retry-After` (whole
/// seconds, at least 1), counted in `weft_ingest_limited_total{unit}`.
fn too_many(pipeline: &str, wait: std::time::Duration) -> Response {
    metrics::counter!("weft_ingest_limited_total", "unit" => pipeline.to_string()).increment(1);
    let secs = wait.as_secs_f64().ceil().max(1.0) as u64;
    let mut r = ApiError(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        format!(
            "pipeline `{pipeline}` takes no more requests now ([ingest_limit]); retry in {secs} s"
        ),
    )
    .into_response();
    r.headers_mut().insert(
        axum::http::header::RETRY_AFTER,
        axum::http::HeaderValue::from(secs),
    );
    r
}

fn private_redis_down() -> ApiError {
    ApiError(
        StatusCode::SERVICE_UNAVAILABLE,
        "redis_unavailable",
        "the private Redis is restarting; retry shortly".into(),
    )
}

/// Liveness: 200 unless the private redis-server this process owns is down
/// (it is being restarted); an operator-run Redis is `/readyz`'s concern.
#[utoipa::path(get, path = "/healthz", tag = "health", security(()),
    responses(
        (status = 200, description = "Alive", body = String, content_type = "text/plain"),
        (status = 503, description = "The private redis-server is down and being restarted"),
    ))]
async fn healthz(State(s): State<AdminState>) -> Response {
    match &s.private_redis {
        Some(h) if !h.is_up() => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({"status": "unhealthy", "redis": "private redis-server down, restarting", "restarts": h.restarts()})),
        )
            .into_response(),
        _ => (StatusCode::OK, "ok\n").into_response(),
    }
}

/// Readiness: 200 when Redis answers.
#[utoipa::path(get, path = "/readyz", tag = "health", security(()),
    responses(
        (status = 200, description = "Ready", body = String, content_type = "text/plain"),
        (status = 503, description = "Redis unreachable", body = openapi::ErrorBody),
    ))]
async fn readyz(State(s): State<AdminState>) -> Response {
    if s.private_redis.as_ref().is_some_and(|h| !h.is_up()) {
        return private_redis_down().into_response();
    }
    match crate::bus::streams::ping(&mut s.con.clone()).await {
        Ok(_) => (StatusCode::OK, "ready\n").into_response(),
        Err(e) => redis_unavailable(&e).into_response(),
    }
}

/// Prometheus metrics (`read`, or open with `[admin] open_metrics`).
#[utoipa::path(get, path = "/metrics", tag = "health",
    responses(
        (status = 200, description = "Prometheus text format", body = String, content_type = "text/plain"),
        (status = 401, description = "No accepted token", body = openapi::ErrorBody),
        (status = 403, description = "The token lacks read", body = openapi::ErrorBody),
        (status = 404, description = "No metrics recorder in this process", body = openapi::ErrorBody),
    ))]
async fn metrics_text(State(s): State<AdminState>) -> Response {
    let mut con = s.con.clone();
    let now = crate::stamp::now_ms();
    // Length and oldest-entry age per stream: a lagging consumer group
    // holds trimming back, and this is where an operator sees it. Besides
    // each unit's streams: every flow's delivery records (read by the ledger).
    let mut streams: Vec<String> = s
        .units
        .iter()
        .flat_map(|k| [k.input(), k.dlq(), k.parked()])
        .collect();
    let mut deliveries: Vec<String> = s
        .units
        .iter()
        .filter(|k| k.unit.starts_with("sink:"))
        .map(|k| crate::bus::Keys::deliveries(&k.flow))
        .collect();
    deliveries.sort();
    deliveries.dedup();
    streams.extend(deliveries);
    for stream in streams {
        if let Ok((len, age_ms)) = crate::bus::retention::stream_stats(&mut con, &stream, now).await
        {
            metrics::gauge!("weft_stream_length", "stream" => stream.clone()).set(len as f64);
            metrics::gauge!("weft_stream_oldest_age_seconds", "stream" => stream)
                .set(age_ms as f64 / 1000.0);
        }
    }
    for k in s.units.iter() {
        let depths = crate::bus::streams::depths(&mut con, k).await;
        if let Some(n) = depths.dlq {
            metrics::gauge!("weft_dlq_depth", "unit" => k.unit.clone()).set(n as f64);
        }
        if let Some(n) = depths.pending {
            metrics::gauge!("weft_pending", "unit" => k.unit.clone()).set(n as f64);
        }
        if let Some(n) = depths.retry {
            metrics::gauge!("weft_retry_scheduled", "unit" => k.unit.clone()).set(n as f64);
        }
    }
    match &s.metrics {
        Some(h) => ([("content-type", "text/plain; version=0.0.4")], h.render()).into_response(),
        None => ApiError(
            StatusCode::NOT_FOUND,
            "no_metrics",
            "no metrics recorder is installed in this process".into(),
        )
        .into_response(),
    }
}
