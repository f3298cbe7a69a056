//! `GET /v1/audit`: the registry's audit trail (scope `admin`), newest
//! first — what `weft registry audit` prints on the registry's machine.

use axum::{
    extract::{Query, State},
    http::{HeaderMap, StatusCode},
    response::IntoResponse,
    Json,
};
use serde::Deserialize;

use weft_host::http_error::ApiError;

use super::{authorize, err, openapi::ErrorBody, ApiResult, RegistryState};
use crate::auth::Need;

/// `?action=&limit=`.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only actions starting with this (`deploy`, `key`, `token.create`).
    action: Option<String>,
    /// How many, newest first (1 to 1000, default 100).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<usize>,
}

/// The trail: `{"entries": [{at, who, action, target, result}, …]}`.
#[utoipa::path(
    get,
    path = "/v1/audit",
    tag = "audit",
    summary = "The audit trail, newest first (admin)",
    description = "Publish, yank, deploy and rollback with the token id that asked and the answer; token creation and key changes by the local operator.",
    security(("bearer" = [])),
    params(AuditQuery),
    responses(
        (status = 200, description = "`{\"entries\": [{at, who, action, target, result}]}`", content_type = "application/json"),
        (status = 400, description = "`bad_limit`", body = ErrorBody),
        (status = 401, description = "`unauthenticated` / `bad_token`", body = ErrorBody),
        (status = 403, description = "`forbidden`: not an admin token", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub(crate) async fn list(
    State(s): State<RegistryState>,
    headers: HeaderMap,
    Query(q): Query<AuditQuery>,
) -> ApiResult {
    authorize(&s, &headers, Need::Admin)?;
    let limit = q.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(err(
            StatusCode::BAD_REQUEST,
            "bad_limit",
            "`limit` must be a whole number from 1 to 1000",
        ));
    }
    let rows = s
        .store
        .audit(q.action.as_deref(), limit)
        .map_err(ApiError::internal)?;
    Ok(Json(serde_json::json!({ "entries": rows })).into_response())
}
