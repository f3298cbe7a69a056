//! The operator routes: what `weft dlq` and `weft lookup load` do, over
//! HTTP, so an operator (or `weft … --url`) needs no access to Redis.
//!
//! - `GET /v1/dlq/{unit}` (`read`): the entries, oldest first.
//! - `GET /v1/dlq/{unit}/{id}` (`read`): one entry, by entry or message id.
//! - `POST /v1/dlq/{unit}/replay`, `POST /v1/dlq/{unit}/purge` (`operate`):
//!   `{"ids": [...]}` or `{"all": true}`.
//! - `PUT /v1/lookups/{table}` (`operate`): a CSV body (header row, then
//!   `key,value` rows) replaces the table atomically; `?mode=merge` merges.
//!
//! Every change is recorded in the audit trail under the caller's token id.

use axum::{
    body::Bytes,
    extract::{Path, Query, State},
    http::StatusCode,
    Extension, Json,
};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{access::Caller, redis_unavailable, AdminState, ApiError};
use redis::aio::ConnectionManager;

use crate::{
    bus::{DlqRecord, Keys},
    ops::OpsError,
};

/// The keys of a unit (`PIPELINE` or `sink:NAME`), or 404.
fn unit(s: &AdminState, unit: &str) -> Result<Keys, ApiError> {
    crate::ops::unit_keys(&s.config, unit)
        .map_err(|e| ApiError(StatusCode::NOT_FOUND, "unknown_unit", e.to_string()))
}

/// An operator command's error as an answer: what the caller can act on,
/// never Redis's text.
fn failed(e: OpsError) -> ApiError {
    match e {
        OpsError::NoSelection => ApiError(
            StatusCode::BAD_REQUEST,
            "no_selection",
            "name entries with `ids` (DLQ entry or message ids) or send `\"all\": true`".into(),
        ),
        OpsError::NoMatch { unit, ids } => ApiError(
            StatusCode::NOT_FOUND,
            "no_match",
            format!("no DLQ entry of `{unit}` matches {ids}"),
        ),
        OpsError::Redis(e) => redis_unavailable(&e),
        other => ApiError::internal(other),
    }
}

/// `limit` of a listing.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// At most this many entries (1 to 10000, default 1000).
    #[param(minimum = 1, maximum = 10000)]
    limit: Option<usize>,
}

/// `GET /v1/dlq/{unit}?limit=N`: `{"unit", "stream", "count", "entries"}`,
/// oldest first (at most `limit`, default 1000).
#[utoipa::path(get, path = "/v1/dlq/{unit}", tag = "operate",
    params(("unit" = String, Path, description = "A pipeline, or sink:NAME", example = "orders"), ListQuery),
    responses(
        (status = 200, description = "The queue, oldest first", body = super::openapi::DlqList),
        (status = 400, description = "A bad limit", body = super::openapi::ErrorBody),
        (status = 401, description = "No accepted token", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks read", body = super::openapi::ErrorBody),
        (status = 404, description = "No such pipeline or sink", body = super::openapi::ErrorBody),
        (status = 503, description = "Redis unreachable", body = super::openapi::ErrorBody),
    ))]
pub async fn list(
    State(s): State<AdminState>,
    Path(name): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, ApiError> {
    let keys = unit(&s, &name)?;
    let limit = q.limit.unwrap_or(1000).clamp(1, 10_000);
    let all = crate::ops::records(&mut s.con.clone(), &keys)
        .await
        .map_err(failed)?;
    let entries = all
        .iter()
        .take(limit)
        .map(crate::ops::record_json)
        .collect::<Result<Vec<_>, _>>()
        .map_err(failed)?;
    Ok(Json(json!({
        "unit": name,
        "stream": keys.dlq(),
        "count": all.len(),
        "entries": entries,
    })))
}

/// `GET /v1/dlq/{unit}/{id}`: one entry (by DLQ entry id or message id).
#[utoipa::path(get, path = "/v1/dlq/{unit}/{id}", tag = "operate",
    params(("unit" = String, Path, description = "A pipeline, or sink:NAME", example = "orders"),
           ("id" = String, Path, description = "A DLQ entry id or a message id")),
    responses(
        (status = 200, description = "The entry, its message and error", body = Object),
        (status = 401, description = "No accepted token", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks read", body = super::openapi::ErrorBody),
        (status = 404, description = "No such unit or entry", body = super::openapi::ErrorBody),
        (status = 503, description = "Redis unreachable", body = super::openapi::ErrorBody),
    ))]
pub async fn show(
    State(s): State<AdminState>,
    Path((name, id)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let keys = unit(&s, &name)?;
    let all = crate::ops::records(&mut s.con.clone(), &keys)
        .await
        .map_err(failed)?;
    let sel = crate::ops::select(&all, &name, std::slice::from_ref(&id), false).map_err(failed)?;
    let first = sel.first().ok_or_else(|| failed(OpsError::NoSelection))?;
    Ok(Json(crate::ops::record_json(first).map_err(failed)?))
}

/// The body of replay and purge.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Selection {
    /// DLQ entry ids or message ids.
    #[serde(default)]
    ids: Vec<String>,
    /// Every entry.
    #[serde(default)]
    all: bool,
}

/// What replay and purge start from: the unit's keys, a connection, the
/// queue's entries and the body's selection (400 if it is none).
async fn selected(
    s: &AdminState,
    name: &str,
    body: &[u8],
) -> Result<(Keys, ConnectionManager, Vec<DlqRecord>, Selection), ApiError> {
    let keys = unit(s, name)?;
    let sel: Selection = serde_json::from_slice(body).map_err(|e| {
        ApiError(
            StatusCode::BAD_REQUEST,
            "bad_selection",
            format!("the body must be {{\"ids\": [...]}} or {{\"all\": true}}: {e}"),
        )
    })?;
    let mut con = s.con.clone();
    let all = crate::ops::records(&mut con, &keys).await.map_err(failed)?;
    Ok((keys, con, all, sel))
}

/// `POST /v1/dlq/{unit}/replay`: `{"replayed": [...], "gone": [...], "stream"}`.
#[utoipa::path(post, path = "/v1/dlq/{unit}/replay", tag = "operate",
    params(("unit" = String, Path, description = "A pipeline, or sink:NAME", example = "orders")),
    request_body(content = super::openapi::SelectionBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Put back on the input (each atomically); recorded in the audit trail", body = super::openapi::ReplayAnswer),
        (status = 400, description = "Not a selection", body = super::openapi::ErrorBody),
        (status = 401, description = "No accepted token (a session cookie never counts here)", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks operate", body = super::openapi::ErrorBody),
        (status = 404, description = "No such unit, or no entry matches", body = super::openapi::ErrorBody),
        (status = 503, description = "Redis unreachable", body = super::openapi::ErrorBody),
    ))]
pub async fn replay(
    State(s): State<AdminState>,
    Extension(caller): Extension<Caller>,
    Path(name): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let (keys, mut con, all, sel) = selected(&s, &name, &body).await?;
    let chosen = crate::ops::select(&all, &name, &sel.ids, sel.all).map_err(failed)?;
    let r = crate::ops::replay(&mut con, &keys, &name, &chosen, &caller.who)
        .await
        .map_err(failed)?;
    Ok(Json(json!({
        "replayed": r.replayed,
        "gone": r.gone,
        "stream": keys.input(),
    })))
}

/// `POST /v1/dlq/{unit}/purge`: `{"purged": N}`.
#[utoipa::path(post, path = "/v1/dlq/{unit}/purge", tag = "operate",
    params(("unit" = String, Path, description = "A pipeline, or sink:NAME", example = "orders")),
    request_body(content = super::openapi::SelectionBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Deleted; recorded in the audit trail", body = super::openapi::PurgeAnswer),
        (status = 400, description = "Not a selection", body = super::openapi::ErrorBody),
        (status = 401, description = "No accepted token (a session cookie never counts here)", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks operate", body = super::openapi::ErrorBody),
        (status = 404, description = "No such unit, or no entry matches", body = super::openapi::ErrorBody),
        (status = 503, description = "Redis unreachable", body = super::openapi::ErrorBody),
    ))]
pub async fn purge(
    State(s): State<AdminState>,
    Extension(caller): Extension<Caller>,
    Path(name): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let (keys, mut con, all, sel) = selected(&s, &name, &body).await?;
    let chosen = crate::ops::select(&all, &name, &sel.ids, sel.all).map_err(failed)?;
    let n = crate::ops::purge(&mut con, &keys, &name, &chosen, &caller.who)
        .await
        .map_err(failed)?;
    Ok(Json(json!({ "purged": n })))
}

/// `?mode=` of a lookup load.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LoadQuery {
    /// `replace` (default: atomically) or `merge`.
    #[param(pattern = "^(replace|merge)$")]
    mode: Option<String>,
}

/// `PUT /v1/lookups/{table}`: `{"table", "rows", "entries", "mode"}`; a CSV
/// error (400, naming the line) loads nothing.
#[utoipa::path(put, path = "/v1/lookups/{table}", tag = "operate",
    params(("table" = String, Path, description = "1 to 64 letters, digits, -, _ or .", example = "items"), LoadQuery),
    request_body(content = String, content_type = "text/csv", description = "A header row, then key,value rows"),
    responses(
        (status = 200, description = "Loaded; recorded in the audit trail", body = super::openapi::LoadAnswer),
        (status = 400, description = "A bad table name, mode or CSV (naming the line): nothing loaded", body = super::openapi::ErrorBody),
        (status = 401, description = "No accepted token", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks operate", body = super::openapi::ErrorBody),
        (status = 413, description = "Over [admin] max_lookup_bytes (default 64 MiB)", body = super::openapi::ErrorBody),
        (status = 503, description = "Redis unreachable", body = super::openapi::ErrorBody),
    ))]
pub async fn load_lookup(
    State(s): State<AdminState>,
    Extension(caller): Extension<Caller>,
    Path(table): Path<String>,
    Query(q): Query<LoadQuery>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let valid = !table.is_empty()
        && table.len() <= 64
        && table
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
    if !valid {
        return Err(ApiError(
            StatusCode::BAD_REQUEST,
            "bad_table",
            "a table name is 1 to 64 letters, digits, `-`, `_` or `.`".into(),
        ));
    }
    let merge = match q.mode.as_deref() {
        None | Some("replace") => false,
        Some("merge") => true,
        Some(_) => {
            return Err(ApiError(
                StatusCode::BAD_REQUEST,
                "bad_mode",
                "`mode` is `replace` (the default) or `merge`".into(),
            ))
        }
    };
    let source = "request body".to_string();
    let rows = crate::masterdata::csv::parse(&source, &body)
        .map_err(|e| ApiError(StatusCode::BAD_REQUEST, "bad_csv", e.to_string()))?;
    let loaded = crate::ops::lookup::load(
        &mut s.con.clone(),
        &table,
        &rows,
        &source,
        merge,
        &caller.who,
        |_| {},
    )
    .await
    .map_err(|e| redis_unavailable(&e))?;
    Ok(Json(json!({
        "table": table,
        "rows": rows.rows.len(),
        "entries": loaded.entries,
        "mode": if merge { "merge" } else { "replace" },
    })))
}
