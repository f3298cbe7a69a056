//! The ledger's HTTP API on the admin server: channel reports (now or as
//! of a past time), what changed since a report, one order's timeline by
//! any of its ids, order lists and open exceptions; described by the
//! OpenAPI document at `/v1/openapi.json`. Times are RFC 3339 in answers
//! and RFC 3339 or a date in queries; money is decimal strings.

use std::sync::Arc;

use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    routing::get,
    Json, Router,
};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{exceptions, report, store::Store};
use crate::{config::ledger::LedgerConfig, http_error::ApiError};

/// What the ledger handlers share.
#[derive(Clone)]
pub struct LedgerState {
    /// A reading connection.
    pub store: Arc<Store>,
    /// Links and service levels.
    pub config: Arc<LedgerConfig>,
    /// Every unit, for the dashboard's pipeline health (set by `weft up`).
    pub units: Option<Arc<Vec<crate::bus::Keys>>>,
    /// Redis, for the same.
    pub redis: Option<redis::aio::ConnectionManager>,
    /// Whether the admin server has tokens (the dashboard then shows a
    /// sign-out button).
    pub signed: bool,
}

/// `/v1/…` routes.
pub fn router(state: LedgerState) -> Router {
    Router::new()
        .route("/v1/reports/channels", get(channels))
        .route("/v1/reports/changes", get(changes))
        .route("/v1/orders", get(orders))
        .route("/v1/orders/{id}", get(order))
        .route("/v1/exceptions", get(open_exceptions))
        .with_state(state)
}

/// `GET /v1/reports/channels`: the rows are [`report::ChannelReport`] with
/// every `…_at` time as RFC 3339 text.
#[derive(utoipa::ToSchema)]
pub struct ChannelsAnswer {
    /// The time the report stands at, milliseconds since the epoch (null: now).
    pub as_of: Option<i64>,
    /// `{from_at, to_at}` of the placement period asked for.
    pub period: Value,
    /// One row per channel and currency (see the ChannelReport schema).
    pub channels: Vec<Value>,
}

/// `GET /v1/exceptions`: each an [`exceptions::Exception`] with text times.
#[derive(utoipa::ToSchema)]
pub struct ExceptionsAnswer {
    /// The time the list stands at, milliseconds since the epoch.
    pub as_of: Option<i64>,
    /// Oldest first (see the Exception schema).
    pub exceptions: Vec<Value>,
}

/// Query parameters of the reports.
#[derive(Debug, Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// Orders placed at or after (RFC 3339 or a date).
    pub from: Option<String>,
    /// Orders placed before.
    pub to: Option<String>,
    /// The report as it stood at this time (events seen by then).
    pub as_of: Option<String>,
    /// For `/v1/reports/changes`: the earlier report's as-of time.
    pub since: Option<String>,
    /// Exceptions: only this type.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Only this channel.
    pub channel: Option<String>,
    /// Orders: only this status.
    pub status: Option<String>,
    /// Orders: at most this many (default 100, at most 1000).
    pub limit: Option<i64>,
}

fn time(name: &str, v: &Option<String>) -> Result<Option<i64>, ApiError> {
    match v {
        None => Ok(None),
        Some(s) => super::facts::parse_time(s).map(Some).ok_or_else(|| {
            ApiError(
                StatusCode::BAD_REQUEST,
                "bad_time",
                format!("`{name}` is not an RFC 3339 time or a date: {s:?}"),
            )
        }),
    }
}

fn unavailable(e: super::store::StoreError) -> ApiError {
    tracing::warn!("ledger API: {e}");
    ApiError(
        StatusCode::SERVICE_UNAVAILABLE,
        "ledger_unavailable",
        "the ledger database is not reachable; retry later".into(),
    )
}

fn answer(v: Value) -> Json<Value> {
    Json(super::query::with_text_times(v))
}

#[utoipa::path(get, path = "/v1/reports/channels", params(ReportQuery),
    responses((status = 200, description = "One row per channel and currency", body = ChannelsAnswer),
              (status = 400, description = "A bad time or parameter", body = crate::admin::openapi::ErrorBody),
              (status = 401, description = "No accepted token", body = crate::admin::openapi::ErrorBody),
              (status = 403, description = "The token lacks read", body = crate::admin::openapi::ErrorBody),
              (status = 503, description = "The ledger database is not reachable", body = crate::admin::openapi::ErrorBody)))]
async fn channels(
    State(s): State<LedgerState>,
    Query(p): Query<ReportQuery>,
) -> Result<Json<Value>, ApiError> {
    let period = report::Period {
        from: time("from", &p.from)?,
        to: time("to", &p.to)?,
    };
    let as_of = time("as_of", &p.as_of)?;
    let v = super::query::channels(&s.store, period, as_of)
        .await
        .map_err(unavailable)?;
    Ok(Json(v))
}

#[utoipa::path(get, path = "/v1/reports/changes", params(ReportQuery),
    responses((status = 200, description = "The report as of `since` and now, and the events that arrived in between"),
              (status = 400, description = "A bad time or parameter", body = crate::admin::openapi::ErrorBody),
              (status = 401, description = "No accepted token", body = crate::admin::openapi::ErrorBody),
              (status = 403, description = "The token lacks read", body = crate::admin::openapi::ErrorBody),
              (status = 503, description = "The ledger database is not reachable", body = crate::admin::openapi::ErrorBody)))]
async fn changes(
    State(s): State<LedgerState>,
    Query(p): Query<ReportQuery>,
) -> Result<Json<Value>, ApiError> {
    let since = time("since", &p.since)?.ok_or_else(|| {
        ApiError(
            StatusCode::BAD_REQUEST,
            "missing_since",
            "`since` is required".into(),
        )
    })?;
    let period = report::Period {
        from: time("from", &p.from)?,
        to: time("to", &p.to)?,
    };
    let before = super::query::report_rows(&s.store, period, Some(since))
        .await
        .map_err(unavailable)?;
    let after = super::query::report_rows(&s.store, period, None)
        .await
        .map_err(unavailable)?;
    let late = s.store.events_after(since).await.map_err(unavailable)?;
    let late: Vec<Value> = late
        .iter()
        .map(|e| {
            json!({"event_id": e.event_id, "doc": e.doc.as_str(), "kind": e.kind, "doc_id": e.doc_id,
                   "channel": e.channel, "correlation_id": e.correlation_id, "business_at": e.at, "seen_at": e.seen_at})
        })
        .collect();
    Ok(answer(json!({
        "since": since,
        "before": before,
        "after": after,
        "arrived": late,
    })))
}

#[utoipa::path(get, path = "/v1/orders", params(ReportQuery),
    responses((status = 200, description = "Orders, newest placement first"),
              (status = 400, description = "A bad time or parameter", body = crate::admin::openapi::ErrorBody),
              (status = 401, description = "No accepted token", body = crate::admin::openapi::ErrorBody),
              (status = 403, description = "The token lacks read", body = crate::admin::openapi::ErrorBody),
              (status = 503, description = "The ledger database is not reachable", body = crate::admin::openapi::ErrorBody)))]
async fn orders(
    State(s): State<LedgerState>,
    Query(p): Query<ReportQuery>,
) -> Result<Json<Value>, ApiError> {
    let f = super::store::OrderFilter {
        channel: p.channel.clone(),
        status: p.status.clone(),
        from: time("from", &p.from)?,
        to: time("to", &p.to)?,
        limit: p.limit,
    };
    let list = s.store.orders(&f).await.map_err(unavailable)?;
    Ok(answer(json!({"orders": list})))
}

#[utoipa::path(get, path = "/v1/orders/{id}",
    params(("id" = String, Path, description = "Order key, channel order id, order number, PO number or ERP order number")),
    responses((status = 200, description = "The order, its lines, aliases and timeline"),
              (status = 404, description = "No order has that id"),
              (status = 409, description = "The id names several orders"),
              (status = 400, description = "A bad time or parameter", body = crate::admin::openapi::ErrorBody),
              (status = 401, description = "No accepted token", body = crate::admin::openapi::ErrorBody),
              (status = 403, description = "The token lacks read", body = crate::admin::openapi::ErrorBody),
              (status = 503, description = "The ledger database is not reachable", body = crate::admin::openapi::ErrorBody)))]
async fn order(
    State(s): State<LedgerState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    match super::query::order(&s.store, &s.config, &id)
        .await
        .map_err(unavailable)?
    {
        super::query::Found::One(v) => Ok(Json(v)),
        super::query::Found::None => Err(ApiError(
            StatusCode::NOT_FOUND,
            "unknown_order",
            format!("no order is known as {id:?}"),
        )),
        super::query::Found::Many(keys) => Err(ApiError(
            StatusCode::CONFLICT,
            "ambiguous_id",
            format!("{id:?} names {} orders: {}", keys.len(), keys.join(", ")),
        )),
    }
}

#[utoipa::path(get, path = "/v1/exceptions", params(ReportQuery),
    responses((status = 200, description = "Open exceptions, oldest first", body = ExceptionsAnswer),
              (status = 400, description = "A bad time or parameter", body = crate::admin::openapi::ErrorBody),
              (status = 401, description = "No accepted token", body = crate::admin::openapi::ErrorBody),
              (status = 403, description = "The token lacks read", body = crate::admin::openapi::ErrorBody),
              (status = 503, description = "The ledger database is not reachable", body = crate::admin::openapi::ErrorBody)))]
async fn open_exceptions(
    State(s): State<LedgerState>,
    Query(p): Query<ReportQuery>,
) -> Result<Json<Value>, ApiError> {
    let as_of = time("as_of", &p.as_of)?;
    let v = super::query::exceptions(
        &s.store,
        &s.config,
        as_of,
        p.kind.as_deref(),
        p.channel.as_deref(),
    )
    .await
    .map_err(unavailable)?;
    Ok(Json(v))
}

/// The ledger API's OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "weft ledger API",
        description = "Order lifecycle across channels: reports, orders, exceptions. Definitions of every figure: docs/reports.md."
    ),
    paths(channels, changes, orders, order, open_exceptions),
    components(schemas(
        ChannelsAnswer,
        ExceptionsAnswer,
        report::ChannelReport,
        report::FillRates,
        report::Durations,
        report::OnTime,
        report::Lag,
        exceptions::Exception
    ))
)]
pub struct LedgerOpenApi;
