//! `POST /v1/call/{pipeline}`: a pipeline's stages run inline on the
//! request body, for answers a caller waits for (order acceptance by
//! `validate-order`, a price or an availability from a transform that uses
//! `lookup`). Same sandbox, deadlines and memory caps as on the bus; the
//! outputs are the answer — nothing is queued, routed or delivered.

use std::{sync::Arc, time::Duration};

use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use base64::Engine as _;
use serde_json::{json, Value};
use tokio::sync::Semaphore;

use super::{admit, known, request_message, AdminState, ApiError};
use crate::{
    pipeline::{PipelineUnit, StageFailure},
    FailureClass, Message,
};

/// What synchronous calls share: the pipelines and the bound on calls at once.
#[derive(Clone)]
pub struct Calls {
    /// Pipeline name → its loaded stages (following hot swaps).
    pub pipelines: Arc<std::collections::BTreeMap<String, Arc<PipelineUnit>>>,
    /// One permit per call running.
    pub slots: Arc<Semaphore>,
    /// How long a call waits for a permit before 503.
    pub wait: Duration,
}

/// Runs the pipeline on the body. 200 `{"outputs": [...]}`; a stage's
/// refusal (`invalid`, `schema`) 422 with its class, stage and message; a
/// `retryable` failure or deadline 503 with `Retry-After`; a plugin fault
/// (`trap`, `memory-limit`, `bad-output`) 502, without its internals.
#[utoipa::path(post, path = "/v1/call/{pipeline}", tag = "ingest",
    params(("pipeline" = String, Path, description = "A pipeline of the configuration", example = "orders")),
    request_body(content = super::openapi::RawBody, content_type = "application/octet-stream",
        description = "The document, as for ingest"),
    security(("token" = []), ("webhook" = [])),
    responses(
        (status = 200, description = "Every stage ran: the outputs", body = super::openapi::CallAnswer),
        (status = 400, description = "A bad Idempotency-Key", body = super::openapi::ErrorBody),
        (status = 401, description = "No accepted token or signature", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks ingest:<pipeline>", body = super::openapi::ErrorBody),
        (status = 404, description = "No such pipeline", body = super::openapi::ErrorBody),
        (status = 413, description = "Over [admin] max_body_bytes", body = super::openapi::ErrorBody),
        (status = 422, description = "A stage refused the document (invalid, schema)", body = super::openapi::ErrorBody),
        (status = 429, description = "Over the pipeline's ingest_limit", body = super::openapi::ErrorBody),
        (status = 502, description = "A plugin fault (trap, memory-limit, bad-output)", body = super::openapi::ErrorBody),
        (status = 503, description = "Retryable, past its deadline, or every call slot busy (Retry-After)", body = super::openapi::ErrorBody),
    ))]
pub(super) async fn call(
    State(s): State<AdminState>,
    Path(pipeline): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    known(&s, &pipeline)?;
    let (Some(calls), Some(unit)) = (
        s.calls.as_ref(),
        s.calls.as_ref().and_then(|c| c.pipelines.get(&pipeline)),
    ) else {
        return Err(ApiError(
            StatusCode::NOT_FOUND,
            "unknown_pipeline",
            format!("no pipeline `{pipeline}` runs here"),
        ));
    };
    if let Some(limited) = admit(&s, &pipeline, &headers, &body)? {
        return Ok(limited);
    }
    let msg = request_message(&headers, &body)?;
    let permit = tokio::time::timeout(calls.wait, calls.slots.clone().acquire_owned())
        .await
        .ok()
        .and_then(Result::ok)
        .ok_or_else(|| {
            metrics::counter!("weft_calls_total", "unit" => pipeline.clone(), "result" => "busy")
                .increment(1);
            ApiError(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "every synchronous call slot is taken ([admin] max_calls); retry shortly".into(),
            )
        })?;
    let stages = unit.stages();
    let started = std::time::Instant::now();
    let ran = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        PipelineUnit::run_stages(&stages, &msg)
    })
    .await
    .map_err(|e| {
        tracing::error!(pipeline, "synchronous call task failed: {e}");
        ApiError(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error".into(),
        )
    })?;
    metrics::histogram!("weft_call_seconds", "unit" => pipeline.clone())
        .record(started.elapsed().as_secs_f64());
    let result = match &ran {
        Ok(_) => "ok",
        Err(f) => f.class.as_str(),
    };
    metrics::counter!("weft_calls_total", "unit" => pipeline.clone(), "result" => result)
        .increment(1);
    match ran {
        Ok(outputs) => Ok((
            StatusCode::OK,
            Json(json!({"outputs": outputs.iter().map(output).collect::<Vec<_>>()})),
        )
            .into_response()),
        Err(f) => Ok(failed(&pipeline, f)),
    }
}

/// An output as the caller reads it: a JSON payload as a document, other
/// UTF-8 text as a string, anything else in base64.
fn output(m: &Message) -> Value {
    let mut v = json!({
        "id": m.id,
        "kind": m.kind,
        "content_type": m.content_type,
        "correlation_id": m.correlation_id,
    });
    let json_type = m.content_type.split(';').next().is_some_and(|t| {
        let t = t.trim();
        t == "application/json" || t.ends_with("+json")
    });
    let text = std::str::from_utf8(&m.payload);
    let document = match (json_type, &text) {
        (true, Ok(t)) => serde_json::from_str::<Value>(t).ok(),
        _ => None,
    };
    match (document, text) {
        (Some(d), _) => v["document"] = d,
        (None, Ok(text)) => v["payload"] = Value::String(text.to_string()),
        (None, Err(_)) => {
            v["payload_base64"] =
                Value::String(base64::engine::general_purpose::STANDARD.encode(&m.payload))
        }
    }
    v
}

/// The answer to a failed stage.
fn failed(pipeline: &str, f: StageFailure) -> Response {
    let (status, message) = match f.class {
        FailureClass::Invalid | FailureClass::Schema => (StatusCode::UNPROCESSABLE_ENTITY, f.error),
        FailureClass::Retryable | FailureClass::Timeout => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("stage `{}` could not answer now; retry", f.stage),
        ),
        _ => {
            tracing::warn!(pipeline, stage = %f.stage, plugin = %f.plugin, class = f.class.as_str(), "synchronous call failed: {}", f.error);
            (
                StatusCode::BAD_GATEWAY,
                format!("stage `{}` failed ({})", f.stage, f.class.as_str()),
            )
        }
    };
    let body = json!({"error": {
        "code": f.class.as_str(),
        "message": message,
        "stage": f.stage,
        "plugin": f.plugin,
    }});
    let mut r = (status, Json(body)).into_response();
    if status == StatusCode::SERVICE_UNAVAILABLE {
        r.headers_mut().insert(
            axum::http::header::RETRY_AFTER,
            axum::http::HeaderValue::from(1u64),
        );
    }
    r
}
