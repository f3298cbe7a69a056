//! The registry's HTTP API (axum). Every error is `{"error": {"code",
//! "message"}}` (see [`weft_host::http_error`]); internal detail is logged only.

use std::sync::Arc;

use axum::{
    body::Bytes,
    extract::{DefaultBodyLimit, Path, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post, put},
    Json, Router,
};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use weft_host::{
    bus::control,
    http_error::{ApiError, JsonBody},
    names::check_name as check_target_name,
    stamp::{hex, now_rfc3339},
    Engine, LoadError,
};

use crate::{
    auth::{self, Need},
    check_name, check_version, sign,
    store::{Deployment, Store, VersionMeta},
    PluginRef,
};

/// What the handlers share.
#[derive(Clone)]
pub struct RegistryState {
    /// Storage.
    pub store: Arc<Store>,
    /// Validates published components.
    pub engine: Engine,
    /// Where deployments are announced to hosts (`weft:control`), if set.
    pub control: Option<redis::aio::ConnectionManager>,
}

type ApiResult = Result<Response, ApiError>;

fn err(status: StatusCode, code: &'static str, msg: impl Into<String>) -> ApiError {
    ApiError(status, code, msg.into())
}

fn authorize(s: &RegistryState, headers: &HeaderMap, need: Need) -> Result<(), ApiError> {
    let token = auth::bearer(headers).ok_or_else(|| {
        err(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "a bearer token is required",
        )
    })?;
    let scopes = s
        .store
        .token_scopes(&auth::hash(token))
        .map_err(ApiError::internal)?
        .ok_or_else(|| err(StatusCode::UNAUTHORIZED, "bad_token", "unknown token"))?;
    if auth::allows(&scopes, &need) {
        Ok(())
    } else {
        Err(err(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!(
                "the token's scopes ({}) do not allow {need}",
                scopes.join(" ")
            ),
        ))
    }
}

fn names(ns: &str, name: &str, version: Option<&str>) -> Result<(), ApiError> {
    let bad = |m: weft_host::plugin_ref::PluginRefError| {
        err(StatusCode::BAD_REQUEST, "bad_name", m.to_string())
    };
    check_name("namespace", ns).map_err(bad)?;
    check_name("name", name).map_err(bad)?;
    if let Some(v) = version {
        check_version(v).map_err(bad)?;
    }
    Ok(())
}

/// Deployment paths name a pipeline and a stage like `weft.toml` does.
fn target(pipeline: &str, stage: &str) -> Result<(), ApiError> {
    let bad =
        |m: weft_host::names::NameError| err(StatusCode::BAD_REQUEST, "bad_name", m.to_string());
    check_target_name("pipeline", pipeline).map_err(bad)?;
    check_target_name("stage", stage).map_err(bad)
}

/// The router; uploads above `max_bytes` get 413.
pub fn router(state: RegistryState, max_bytes: usize) -> Router {
    let routes = Router::new()
        .route(
            "/openapi.json",
            get(|| async { ([(header::CONTENT_TYPE, "application/json")], OPENAPI) }),
        )
        .route("/v1/plugins", get(list_all))
        .route("/v1/plugins/{ns}/{name}", get(list_versions))
        .route(
            "/v1/plugins/{ns}/{name}/{version}",
            put(publish).get(version_meta),
        )
        .route(
            "/v1/plugins/{ns}/{name}/{version}/component",
            get(component),
        )
        .route("/v1/plugins/{ns}/{name}/{version}/yank", post(yank))
        .route("/v1/deployments", get(deployments))
        .route("/v1/deployments/{pipeline}/{stage}", put(deploy))
        .route(
            "/v1/deployments/{pipeline}/{stage}/rollback",
            post(rollback),
        )
        .route("/v1/deployments/{pipeline}/{stage}/status", post(status))
        .layer(DefaultBodyLimit::max(max_bytes))
        .with_state(state);
    weft_host::http_error::json_errors(routes)
}

async fn publish(
    State(s): State<RegistryState>,
    Path((ns, name, version)): Path<(String, String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    authorize(&s, &headers, Need::Publish(ns.clone()))?;
    names(&ns, &name, Some(&version))?;
    let signature = headers
        .get("x-weft-signature")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            err(
                StatusCode::BAD_REQUEST,
                "no_signature",
                "the X-Weft-Signature header is required",
            )
        })?
        .to_string();
    let keys = s.store.keys(&ns).map_err(ApiError::internal)?;
    let publisher = keys
        .iter()
        .find(|k| sign::verify(k, &body, &signature))
        .cloned()
        .ok_or_else(|| {
            err(
                StatusCode::FORBIDDEN,
                "bad_signature",
                format!(
                    "the signature does not verify against any publisher key of namespace `{ns}`"
                ),
            )
        })?;
    let sha256 = hex(&Sha256::digest(&body));
    if let Some(existing) = s
        .store
        .version(&ns, &name, &version)
        .map_err(ApiError::internal)?
    {
        return if existing.sha256 == sha256 {
            Ok((StatusCode::OK, Json(existing)).into_response())
        } else {
            Err(err(StatusCode::CONFLICT, "version_exists", format!("{ns}/{name}@{version} exists with other bytes (sha256 {}); versions are immutable", existing.sha256)))
        };
    }
    let engine = s.engine.clone();
    let bytes = body.clone();
    let plugin = tokio::task::spawn_blocking(move || engine.load(&bytes))
        .await
        .map_err(ApiError::internal)?
        .map_err(|e| {
            let code = match e {
                LoadError::NotAComponent(_) => "not_a_component",
                LoadError::UnsupportedWorld(_) | LoadError::UnsatisfiedImport(_) => {
                    "unsupported_world"
                }
                _ => "invalid_component",
            };
            err(StatusCode::UNPROCESSABLE_ENTITY, code, e.one_line())
        })?;
    let info = plugin.info();
    if info.name != name || info.version != version {
        return Err(err(
            StatusCode::UNPROCESSABLE_ENTITY,
            "describe_mismatch",
            format!(
                "describe() says {}@{}, the upload is {name}@{version}",
                info.name, info.version
            ),
        ));
    }
    let describe = serde_json::json!({"name": info.name, "version": info.version, "role": plugin.role().as_str(), "summary": info.summary, "accepts": info.accepts, "emits": info.emits});
    let meta = VersionMeta {
        namespace: ns,
        name,
        version,
        sha256,
        size: body.len() as u64,
        world: plugin.role().world(),
        describe,
        publisher,
        signature,
        published_at: now_rfc3339(),
        yanked: false,
    };
    s.store.publish(&meta, &body).map_err(ApiError::internal)?;
    Ok((StatusCode::CREATED, Json(meta)).into_response())
}

async fn list_all(State(s): State<RegistryState>, headers: HeaderMap) -> ApiResult {
    authorize(&s, &headers, Need::Read)?;
    Ok(Json(s.store.versions(None).map_err(ApiError::internal)?).into_response())
}

async fn list_versions(
    State(s): State<RegistryState>,
    Path((ns, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult {
    authorize(&s, &headers, Need::Read)?;
    names(&ns, &name, None)?;
    let v = s
        .store
        .versions(Some((&ns, &name)))
        .map_err(ApiError::internal)?;
    if v.is_empty() {
        return Err(err(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no plugin {ns}/{name}"),
        ));
    }
    let versions: Vec<_> = v
        .iter()
        .map(|m| serde_json::json!({"version": m.version, "yanked": m.yanked, "sha256": m.sha256}))
        .collect();
    Ok(
        Json(serde_json::json!({"namespace": ns, "name": name, "versions": versions}))
            .into_response(),
    )
}

fn find(s: &RegistryState, ns: &str, name: &str, version: &str) -> Result<VersionMeta, ApiError> {
    names(ns, name, Some(version))?;
    s.store
        .version(ns, name, version)
        .map_err(ApiError::internal)?
        .ok_or_else(|| {
            err(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("no {ns}/{name}@{version}"),
            )
        })
}

async fn version_meta(
    State(s): State<RegistryState>,
    Path((ns, name, version)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> ApiResult {
    authorize(&s, &headers, Need::Read)?;
    Ok(Json(find(&s, &ns, &name, &version)?).into_response())
}

async fn component(
    State(s): State<RegistryState>,
    Path((ns, name, version)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> ApiResult {
    authorize(&s, &headers, Need::Read)?;
    let meta = find(&s, &ns, &name, &version)?;
    let bytes = s.store.blob(&meta.sha256).map_err(ApiError::internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/wasm".to_string()),
            (header::ETAG, format!("\"{}\"", meta.sha256)),
        ],
        bytes,
    )
        .into_response())
}

async fn yank(
    State(s): State<RegistryState>,
    Path((ns, name, version)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> ApiResult {
    authorize(&s, &headers, Need::Admin)
        .or_else(|_| authorize(&s, &headers, Need::Publish(ns.clone())))?;
    find(&s, &ns, &name, &version)?;
    s.store
        .yank(&ns, &name, &version)
        .map_err(ApiError::internal)?;
    Ok(Json(find(&s, &ns, &name, &version)?).into_response())
}

/// Body of `PUT /v1/deployments/{pipeline}/{stage}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeployRequest {
    /// `ns/name@version`.
    pub plugin: String,
    /// Optional canary.
    pub canary: Option<CanaryRequest>,
}

/// A canary share.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CanaryRequest {
    /// `ns/name@version`.
    pub plugin: String,
    /// 0–100.
    pub percent: u8,
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

async fn deploy(
    State(s): State<RegistryState>,
    Path((pipeline, stage)): Path<(String, String)>,
    headers: HeaderMap,
    JsonBody(req): JsonBody<DeployRequest>,
) -> ApiResult {
    authorize(&s, &headers, Need::Deploy)?;
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

async fn deployments(State(s): State<RegistryState>, headers: HeaderMap) -> ApiResult {
    authorize(&s, &headers, Need::Read)?;
    let all = s.store.deployments().map_err(ApiError::internal)?;
    let mut current: std::collections::BTreeMap<(String, String), &Deployment> = Default::default();
    for d in &all {
        current.insert((d.pipeline.clone(), d.stage.clone()), d);
    }
    let status = s.store.statuses().map_err(ApiError::internal)?;
    let body = serde_json::json!({"current": current.values().collect::<Vec<_>>(), "history": all, "status": status});
    Ok(Json(body).into_response())
}

async fn rollback(
    State(s): State<RegistryState>,
    Path((pipeline, stage)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult {
    authorize(&s, &headers, Need::Deploy)?;
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

/// Body of a host's status report (scope `status`).
#[derive(Deserialize)]
pub struct StatusReport {
    /// Host (consumer) name.
    pub host: String,
    /// Deployment id applied or attempted.
    pub deployment: i64,
    /// Whether it applied.
    pub ok: bool,
    /// Why not.
    pub error: Option<String>,
}

async fn status(
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

const OPENAPI: &str = include_str!("openapi.json");
