//! The admin HTTP server: `POST /ingest/{pipeline}`, `GET /healthz`,
//! `GET /readyz`, `GET /metrics` (Prometheus).

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
use sha2::{Digest, Sha256};

use crate::{
    bus::{codec, Keys},
    engine::hex,
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
}

/// A JSON error body `{"error": {"code", "message"}}`.
pub struct ApiError(pub StatusCode, pub &'static str, pub String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({"error": {"code": self.1, "message": self.2}});
        (self.0, Json(body)).into_response()
    }
}

/// The router; `max_body` bytes at most per ingested body (413 beyond).
pub fn router(state: AdminState, max_body: usize) -> Router {
    Router::new()
        .route("/ingest/{pipeline}", post(ingest))
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_text))
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(state)
}

/// The id of an ingested body: `Idempotency-Key` or `X-Weft-Message-Id` if
/// given, else `sha256:<16 hex digits>` of the body — so a re-sent document
/// is recognised as the same message.
pub fn ingest_id(headers: &HeaderMap, body: &[u8]) -> String {
    for h in ["idempotency-key", "x-weft-message-id"] {
        if let Some(v) = headers
            .get(h)
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty())
        {
            return v.to_string();
        }
    }
    format!("sha256:{}", &hex(&Sha256::digest(body))[..16])
}

async fn ingest(
    State(s): State<AdminState>,
    Path(pipeline): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let keys = s.pipelines.get(&pipeline).ok_or_else(|| {
        ApiError(
            StatusCode::NOT_FOUND,
            "unknown_pipeline",
            format!("no pipeline `{pipeline}`"),
        )
    })?;
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream")
        .to_string();
    // Channel headers (X-Shopify-Topic, …) travel with the message.
    let passed: Vec<(String, String)> = headers
        .iter()
        .filter(|(n, _)| n.as_str().starts_with("x-") && !n.as_str().starts_with("x-weft-"))
        .filter_map(|(n, v)| Some((n.as_str().to_string(), v.to_str().ok()?.to_string())))
        .collect();
    let msg = Message {
        id: ingest_id(&headers, &body),
        correlation_id: String::new(),
        kind: "raw".into(),
        content_type,
        headers: passed,
        payload: body.to_vec(),
    };
    let entry = xadd(&mut s.con.clone(), &keys.input(), &msg)
        .await
        .map_err(|e| {
            ApiError(
                StatusCode::SERVICE_UNAVAILABLE,
                "redis_unavailable",
                e.to_string(),
            )
        })?;
    metrics::counter!("weft_ingested_total", "unit" => pipeline).increment(1);
    Ok((
        StatusCode::ACCEPTED,
        Json(serde_json::json!({"id": msg.id, "entry": entry})),
    )
        .into_response())
}

/// Appends a message to a stream; returns the entry id.
pub async fn xadd(
    con: &mut ConnectionManager,
    stream: &str,
    msg: &Message,
) -> redis::RedisResult<String> {
    let mut cmd = redis::cmd("XADD");
    cmd.arg(stream).arg("*");
    for (k, v) in codec::encode(msg) {
        cmd.arg(k).arg(v);
    }
    cmd.query_async(con).await
}

async fn readyz(State(s): State<AdminState>) -> Response {
    let pong: redis::RedisResult<String> = redis::cmd("PING").query_async(&mut s.con.clone()).await;
    match pong {
        Ok(_) => (StatusCode::OK, "ready\n").into_response(),
        Err(e) => ApiError(
            StatusCode::SERVICE_UNAVAILABLE,
            "redis_unavailable",
            e.to_string(),
        )
        .into_response(),
    }
}

async fn metrics_text(State(s): State<AdminState>) -> Response {
    let mut con = s.con.clone();
    for k in s.units.iter() {
        let dlq: redis::RedisResult<u64> =
            redis::cmd("XLEN").arg(k.dlq()).query_async(&mut con).await;
        if let Ok(n) = dlq {
            metrics::gauge!("weft_dlq_depth", "unit" => k.unit.clone()).set(n as f64);
        }
        let pending: redis::RedisResult<redis::Value> = redis::cmd("XPENDING")
            .arg(k.input())
            .arg(k.group())
            .query_async(&mut con)
            .await;
        if let Ok(redis::Value::Array(v)) = pending {
            if let Some(redis::Value::Int(n)) = v.first() {
                metrics::gauge!("weft_pending", "unit" => k.unit.clone()).set(*n as f64);
            }
        }
        let retry: redis::RedisResult<u64> = redis::cmd("ZCARD")
            .arg(k.retry())
            .query_async(&mut con)
            .await;
        if let Ok(n) = retry {
            metrics::gauge!("weft_retry_scheduled", "unit" => k.unit.clone()).set(n as f64);
        }
    }
    match &s.metrics {
        Some(h) => ([("content-type", "text/plain; version=0.0.4")], h.render()).into_response(),
        None => (StatusCode::NOT_FOUND, "metrics recorder not installed\n").into_response(),
    }
}
