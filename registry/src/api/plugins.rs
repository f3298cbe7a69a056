//! Plugin versions: publish (signed, validated, immutable), listing,
//! metadata, the component bytes, yank.

use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{header, HeaderMap, StatusCode},
    response::IntoResponse,
    Json,
};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use weft_host::{
    http_error::ApiError,
    stamp::{hex, now_rfc3339},
    LoadError,
};

use super::{audited, authorize, err, find, names, openapi::ErrorBody, ApiResult, RegistryState};
use crate::{auth::Need, sign, store::VersionMeta};

/// Answer of `GET /v1/plugins/{ns}/{name}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct PluginVersions {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Every version, oldest first.
    pub versions: Vec<VersionSummary>,
}

/// One version in [`PluginVersions`].
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionSummary {
    /// Version.
    pub version: String,
    /// Whether it was yanked.
    pub yanked: bool,
    /// Hex sha256 of the bytes.
    pub sha256: String,
}

/// Publishes a component.
#[utoipa::path(
    put,
    path = "/v1/plugins/{ns}/{name}/{version}",
    tag = "plugins",
    summary = "Publish a component; X-Weft-Signature = hex ed25519 signature of the bytes by a key of the namespace (publish:<ns>). Same bytes again: 200; other bytes: 409.",
    description = "The component must load in this registry's engine and implement a supported `weft:plugin` world; its `describe()` must give the name and version of the path.",
    security(("bearer" = [])),
    params(
        ("ns" = String, Path, description = "Namespace"),
        ("name" = String, Path, description = "Plugin name"),
        ("version" = String, Path, description = "Semantic version"),
        ("X-Weft-Signature" = String, Header, description = "Hex ed25519 signature of the bytes by a publisher key of the namespace"),
    ),
    request_body(content = inline(super::openapi::Wasm), content_type = "application/wasm", description = "The component bytes"),
    responses(
        (status = 200, description = "The same bytes were published before: their metadata", body = VersionMeta),
        (status = 201, description = "Published: the version's metadata", body = VersionMeta),
        (status = 400, description = "`bad_name` (namespace, name or version) or `no_signature`", body = ErrorBody),
        (status = 401, description = "`unauthenticated` (no bearer token) or `bad_token`", body = ErrorBody),
        (status = 403, description = "`forbidden` (the token lacks `publish:<ns>`) or `bad_signature` (no publisher key of the namespace verifies it)", body = ErrorBody),
        (status = 409, description = "`version_exists`: the version exists with other bytes; versions are immutable", body = ErrorBody),
        (status = 413, description = "`payload_too_large`: the upload is larger than this registry accepts", body = ErrorBody),
        (status = 422, description = "`not_a_component`, `unsupported_world`, `invalid_component` or `describe_mismatch`", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub(crate) async fn publish(
    State(s): State<RegistryState>,
    Path((ns, name, version)): Path<(String, String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let who = authorize(&s, &headers, Need::Publish(ns.clone()))?;
    let what = format!("{ns}/{name}@{version}");
    let r: ApiResult = async {
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
    .await;
    audited(&s, &who, "publish", &what, r)
}

/// Lists every published version.
#[utoipa::path(
    get,
    path = "/v1/plugins",
    tag = "plugins",
    summary = "List every published version (scope read)",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every version's metadata, by namespace, name and publication time", body = Vec<VersionMeta>),
        (status = 401, description = "`unauthenticated` (no bearer token) or `bad_token`", body = ErrorBody),
        (status = 403, description = "`forbidden`: the token cannot read", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub(crate) async fn list_all(State(s): State<RegistryState>, headers: HeaderMap) -> ApiResult {
    authorize(&s, &headers, Need::Read)?;
    Ok(Json(s.store.versions(None).map_err(ApiError::internal)?).into_response())
}

/// Lists the versions of one plugin.
#[utoipa::path(
    get,
    path = "/v1/plugins/{ns}/{name}",
    tag = "plugins",
    summary = "Versions of a plugin with yanked flags (read)",
    security(("bearer" = [])),
    params(
        ("ns" = String, Path, description = "Namespace"),
        ("name" = String, Path, description = "Plugin name"),
    ),
    responses(
        (status = 200, description = "The plugin's versions, oldest first", body = PluginVersions),
        (status = 400, description = "`bad_name`: the namespace or name breaks the name rule", body = ErrorBody),
        (status = 401, description = "`unauthenticated` (no bearer token) or `bad_token`", body = ErrorBody),
        (status = 403, description = "`forbidden`: the token cannot read", body = ErrorBody),
        (status = 404, description = "`not_found`: no such plugin", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub(crate) async fn list_versions(
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
    let versions = v
        .into_iter()
        .map(|m| VersionSummary {
            version: m.version,
            yanked: m.yanked,
            sha256: m.sha256,
        })
        .collect();
    Ok(Json(PluginVersions {
        namespace: ns,
        name,
        versions,
    })
    .into_response())
}

/// One version's metadata.
#[utoipa::path(
    get,
    path = "/v1/plugins/{ns}/{name}/{version}",
    tag = "plugins",
    summary = "Metadata: sha256, size, world, describe, publisher, published_at, yanked (read)",
    security(("bearer" = [])),
    params(
        ("ns" = String, Path, description = "Namespace"),
        ("name" = String, Path, description = "Plugin name"),
        ("version" = String, Path, description = "Semantic version"),
    ),
    responses(
        (status = 200, description = "The version's metadata", body = VersionMeta),
        (status = 400, description = "`bad_name`: the namespace, name or version breaks the name rule", body = ErrorBody),
        (status = 401, description = "`unauthenticated` (no bearer token) or `bad_token`", body = ErrorBody),
        (status = 403, description = "`forbidden`: the token cannot read", body = ErrorBody),
        (status = 404, description = "`not_found`: no such version", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub(crate) async fn version_meta(
    State(s): State<RegistryState>,
    Path((ns, name, version)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> ApiResult {
    authorize(&s, &headers, Need::Read)?;
    Ok(Json(find(&s, &ns, &name, &version)?).into_response())
}

/// A version's component bytes.
#[utoipa::path(
    get,
    path = "/v1/plugins/{ns}/{name}/{version}/component",
    tag = "plugins",
    summary = "The component bytes; ETag = sha256 (read)",
    security(("bearer" = [])),
    params(
        ("ns" = String, Path, description = "Namespace"),
        ("name" = String, Path, description = "Plugin name"),
        ("version" = String, Path, description = "Semantic version"),
    ),
    responses(
        (status = 200, description = "The component bytes", body = inline(super::openapi::Wasm), content_type = "application/wasm",
            headers(("ETag" = String, description = "The hex sha256 of the bytes, quoted"))),
        (status = 400, description = "`bad_name`: the namespace, name or version breaks the name rule", body = ErrorBody),
        (status = 401, description = "`unauthenticated` (no bearer token) or `bad_token`", body = ErrorBody),
        (status = 403, description = "`forbidden`: the token cannot read", body = ErrorBody),
        (status = 404, description = "`not_found`: no such version", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub(crate) async fn component(
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

/// Yanks a version: it stays readable but cannot be deployed.
#[utoipa::path(
    post,
    path = "/v1/plugins/{ns}/{name}/{version}/yank",
    tag = "plugins",
    summary = "Yank a version (admin or publish:<ns>)",
    description = "A yanked version can still be read but no longer deployed.",
    security(("bearer" = [])),
    params(
        ("ns" = String, Path, description = "Namespace"),
        ("name" = String, Path, description = "Plugin name"),
        ("version" = String, Path, description = "Semantic version"),
    ),
    responses(
        (status = 200, description = "The version's metadata, now yanked", body = VersionMeta),
        (status = 400, description = "`bad_name`: the namespace, name or version breaks the name rule", body = ErrorBody),
        (status = 401, description = "`unauthenticated` (no bearer token) or `bad_token`", body = ErrorBody),
        (status = 403, description = "`forbidden`: the token has neither `admin` nor `publish:<ns>`", body = ErrorBody),
        (status = 404, description = "`not_found`: no such version", body = ErrorBody),
        (status = 500, description = "`internal`", body = ErrorBody),
    )
)]
pub(crate) async fn yank(
    State(s): State<RegistryState>,
    Path((ns, name, version)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> ApiResult {
    let who = authorize(&s, &headers, Need::Admin)
        .or_else(|_| authorize(&s, &headers, Need::Publish(ns.clone())))?;
    let what = format!("{ns}/{name}@{version}");
    let r: ApiResult = async {
        find(&s, &ns, &name, &version)?;
        s.store
            .yank(&ns, &name, &version)
            .map_err(ApiError::internal)?;
        Ok(Json(find(&s, &ns, &name, &version)?).into_response())
    }
    .await;
    audited(&s, &who, "yank", &what, r)
}
