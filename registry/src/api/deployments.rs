//! Deployments: deploy (with an optional canary), the current deployments
//! and their history, rollback, and hosts' status reports.

use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::IntoResponse,
    Json,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use weft_host::{
    bus::control,
    http_error::{ApiError, JsonBody},
};

use super::{audited, authorize, err, find, openapi::ErrorBody, target, ApiResult, RegistryState};
use crate::{
    auth::Need,
    store::{Deployment, HostStatus},
    PluginRef,
};

/// Body of `PUT /v1/deployments/{pipeline}/{stage}`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeployRequest {
    /// `ns/name@version`.
    pub plugin: String,
    /// Optional canary.
    pub canary: Option<CanaryRequest>,
}

/// A canary share.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CanaryRequest {
    /// `ns/name@version`.
    pub plugin: String,
    /// 0–100.
    #[schema(minimum = 0, maximum = 100)]
    pub percent: u8,
}

/// Body of a host's status report (scope `status`).
#[derive(Deserialize, ToSchema)]
pub struct StatusReport {
    /// Host (consumer) name.
    #[schema(min_length = 1, max_length = 255)]
    pub host: String,
    /// Deployment id applied or attempted.
    pub deployment: i64,
    /// Whether it applied.
    pub ok: bool,
    /// Why not; kept up to 4096 bytes.
    pub error: Option<String>,
}

/// One deployment record: pipeline stage → plugin version, with an optional
/// canary (documents the host's `Deployment`).
#[derive(ToSchema)]
#[schema(as = Deployment)]
pub struct DeploymentSchema {
    /// Sequence number.
    pub id: i64,
    /// Pipeline.
    pub pipeline: String,
    /// Stage.
    pub stage: String,
    /// `ns/name@version`.
    pub plugin: String,
    /// Canary `ns/name@version`, if any.
    pub canary: Option<String>,
    /// Share of messages (by correlation-id hash) for the canary, 0–100.
    #[schema(minimum = 0, maximum = 100)]
    pub canary_percent: u8,
    /// When it was made (RFC 3339).
    pub created_at: String,
}

/// Answer of `GET /v1/deployments`.
#[derive(Serialize, ToSchema)]
pub struct Deployments {
    /// The latest deployment of each pipeline stage, by pipeline and stage.
    #[schema(value_type = Vec<DeploymentSchema>)]
    pub current: Vec<Deployment>,
    /// Every deployment, oldest first.
    #[schema(value_type = Vec<DeploymentSchema>)]
    pub history: Vec<Deployment>,
    /// What each host last reported per stage.
    pub status: Vec<HostStatus>,
}

/// Points a pipeline stage at a plugin version.
#[utoipa::path(
    put,
    path = "/v1/deployments/{pipeline}/{stage}",
    tag = "deployments",
    summary = "Deploy ns/name@version, optionally with a canary share (deploy)",
    description = "Hosts are told on the `weft:control` stream when the registry has one, and reconcile periodically.",
    security(("bearer" = [])),
    params(
        ("pipeline" = String, Path, description = "Pipeline name"),
        ("stage" = String, Path, description = "Stage name"),
    ),
    request_body(content = DeployRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Deployed: the deployment record", body = DeploymentSchema),
        (status = 400, description = "`bad_json`, `bad_name` (pipeline or stage), `bad_reference` or `bad_percent`", body = ErrorBody),
        (status = 401, description = "`unauthenticated` (no bearer token) or `bad_token`", body = ErrorBody),
        (status = 403, description = "`forbidden`: the token lacks `deploy`", body = ErrorBody),
        (status = 404, description = "`not_found`: no such plugin version", body = ErrorBody),
        (status = 409, description = "`yanked`: the version is yanked", body = ErrorBody),
        (status = 413, description = "`payload_too_large`", body = ErrorBody),
        (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = ErrorBody),
        (status = 422, description = "`invalid_body`: the JSON does not have the expected form", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub(crate) async fn deploy(
    State(s): State<RegistryState>,
    Path((pipeline, stage)): Path<(String, String)>,
    headers: HeaderMap,
    JsonBody(req): JsonBody<DeployRequest>,
) -> ApiResult {
    let who = authorize(&s, &headers, Need::Deploy)?;
    let what = format!("{pipeline}/{stage}");
    let r: ApiResult = async {
        target(&pipeline, &stage)?;
        deployable(&s, &req.plugin)?;
        if let Some(c) = &req.canary {
            deployable(&s, &c.plugin)?;
            if c.percent > 100 {
                return Err(err(
                    StatusCode::BAD_REQUEST,
                    "bad_percent",
                    "percent is 0-100",
                ));
            }
        }
        let d = s
            .store
            .deploy(
                &pipeline,
                &stage,
                &req.plugin,
                req.canary.as_ref().map(|c| (c.plugin.as_str(), c.percent)),
            )
            .map_err(ApiError::internal)?;
        announce(&s, &d).await;
        Ok((StatusCode::CREATED, Json(d)).into_response())
    }
    .await;
    audited(&s, &who, "deploy", &what, r)
}

fn deployable(s: &RegistryState, r: &str) -> Result<(), ApiError> {
    let p = PluginRef::parse(r)
        .map_err(|m| err(StatusCode::BAD_REQUEST, "bad_reference", m.to_string()))?;
    let meta = find(s, &p.namespace, &p.name, &p.version)?;
    if meta.yanked {
        return Err(err(
            StatusCode::CONFLICT,
            "yanked",
            format!("{r} is yanked"),
        ));
    }
    Ok(())
}

/// The current deployments, their history and the hosts' reports.
#[utoipa::path(
    get,
    path = "/v1/deployments",
    tag = "deployments",
    operation_id = "deployments",
    summary = "Current deployments and history (read)",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Current deployments, history and host status", body = Deployments),
        (status = 401, description = "`unauthenticated` (no bearer token) or `bad_token`", body = ErrorBody),
        (status = 403, description = "`forbidden`: the token cannot read", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub(crate) async fn list(State(s): State<RegistryState>, headers: HeaderMap) -> ApiResult {
    authorize(&s, &headers, Need::Read)?;
    let history = s.store.deployments().map_err(ApiError::internal)?;
    let mut current: std::collections::BTreeMap<(&str, &str), &Deployment> = Default::default();
    for d in &history {
        current.insert((&d.pipeline, &d.stage), d);
    }
    let current = current.into_values().cloned().collect();
    let status = s.store.statuses().map_err(ApiError::internal)?;
    Ok(Json(Deployments {
        current,
        history,
        status,
    })
    .into_response())
}

/// Deploys the previous deployment of a stage again.
#[utoipa::path(
    post,
    path = "/v1/deployments/{pipeline}/{stage}/rollback",
    tag = "deployments",
    summary = "Deploy the previous deployment again (deploy)",
    description = "The previous deployment's plugin and canary become a new deployment.",
    security(("bearer" = [])),
    params(
        ("pipeline" = String, Path, description = "Pipeline name"),
        ("stage" = String, Path, description = "Stage name"),
    ),
    responses(
        (status = 201, description = "Rolled back: the new deployment record", body = DeploymentSchema),
        (status = 400, description = "`bad_name`: the pipeline or stage breaks the name rule", body = ErrorBody),
        (status = 401, description = "`unauthenticated` (no bearer token) or `bad_token`", body = ErrorBody),
        (status = 403, description = "`forbidden`: the token lacks `deploy`", body = ErrorBody),
        (status = 409, description = "`nothing_to_roll_back`: the stage has no earlier deployment", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub(crate) async fn rollback(
    State(s): State<RegistryState>,
    Path((pipeline, stage)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult {
    let who = authorize(&s, &headers, Need::Deploy)?;
    let what = format!("{pipeline}/{stage}");
    let r: ApiResult = async {
        target(&pipeline, &stage)?;
        let history: Vec<_> = s
            .store
            .deployments()
            .map_err(ApiError::internal)?
            .into_iter()
            .filter(|d| d.pipeline == pipeline && d.stage == stage)
            .collect();
        let [.., previous, _current] = history.as_slice() else {
            return Err(err(
                StatusCode::CONFLICT,
                "nothing_to_roll_back",
                format!("{pipeline}/{stage} has no earlier deployment"),
            ));
        };
        let d = s
            .store
            .deploy(
                &pipeline,
                &stage,
                &previous.plugin,
                previous
                    .canary
                    .as_deref()
                    .map(|c| (c, previous.canary_percent)),
            )
            .map_err(ApiError::internal)?;
        announce(&s, &d).await;
        Ok((StatusCode::CREATED, Json(d)).into_response())
    }
    .await;
    audited(&s, &who, "rollback", &what, r)
}

/// Tells hosts at once (they also reconcile periodically).
async fn announce(s: &RegistryState, d: &Deployment) {
    if let Some(con) = &s.control {
        let r = control::announce(&mut con.clone(), &d.pipeline, &d.stage, d.id).await;
        if let Err(e) = r {
            tracing::warn!(
                "cannot announce deployment {} on {}: {e}",
                d.id,
                control::CONTROL_STREAM
            );
        }
    }
}

/// Longest host name in a status report.
const MAX_HOST: usize = 255;
/// Longest error kept from a status report (longer ones are cut).
const MAX_STATUS_ERROR: usize = 4096;

/// At most `max` bytes of `s`, cut at a character boundary.
fn clip(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Records a host's report of what it applied.
#[utoipa::path(
    post,
    path = "/v1/deployments/{pipeline}/{stage}/status",
    tag = "deployments",
    summary = "A host reports whether it applied a deployment (status)",
    description = "The latest report of each host and stage is kept and shown in `GET /v1/deployments`.",
    security(("bearer" = [])),
    params(
        ("pipeline" = String, Path, description = "Pipeline name"),
        ("stage" = String, Path, description = "Stage name"),
    ),
    request_body(content = StatusReport, content_type = "application/json"),
    responses(
        (status = 204, description = "recorded"),
        (status = 400, description = "`bad_json`, `bad_name` (pipeline or stage) or `bad_host`", body = ErrorBody),
        (status = 401, description = "`unauthenticated` (no bearer token) or `bad_token`", body = ErrorBody),
        (status = 403, description = "`forbidden`: the token lacks `status`", body = ErrorBody),
        (status = 413, description = "`payload_too_large`", body = ErrorBody),
        (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = ErrorBody),
        (status = 422, description = "`invalid_body`: the JSON does not have the expected form", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub(crate) async fn status(
    State(s): State<RegistryState>,
    Path((pipeline, stage)): Path<(String, String)>,
    headers: HeaderMap,
    JsonBody(r): JsonBody<StatusReport>,
) -> ApiResult {
    authorize(&s, &headers, Need::Status)?;
    target(&pipeline, &stage)?;
    if r.host.is_empty() || r.host.len() > MAX_HOST || r.host.chars().any(char::is_control) {
        return Err(err(
            StatusCode::BAD_REQUEST,
            "bad_host",
            format!("host must be 1-{MAX_HOST} bytes without control characters"),
        ));
    }
    let error = r.error.as_deref().map(|e| clip(e, MAX_STATUS_ERROR));
    s.store
        .set_status(&pipeline, &stage, &r.host, r.deployment, r.ok, error)
        .map_err(ApiError::internal)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
