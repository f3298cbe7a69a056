//! The registry's HTTP API (axum). Every error is `{"error": {"code",
//! "message"}}` (see [`weft_host::http_error`]); internal detail is logged only.
//!
//! [`ROUTES`] is the one list of routes: [`router`] serves exactly these and
//! the OpenAPI document ([`openapi::document`], served at `/openapi.json`) is
//! generated from the handlers' `#[utoipa::path]` attributes; a test checks
//! that every route is in the document with each status it can answer.
//! Handlers: [`plugins`] (publish, read, yank), [`deployments`] and [`audit`].

pub mod audit;
pub mod deployments;
pub mod openapi;
pub mod plugins;

use std::sync::Arc;

use axum::{
    extract::DefaultBodyLimit,
    http::{HeaderMap, StatusCode},
    response::Response,
    routing::{on, MethodFilter, MethodRouter},
    Router,
};

use weft_host::{http_error::ApiError, names::check_name as check_target_name, Engine};

use crate::{
    auth::{self, Need},
    check_name, check_version,
    store::{Store, VersionMeta},
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

/// The HTTP method of a [`Route`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    /// `GET`.
    Get,
    /// `PUT`.
    Put,
    /// `POST`.
    Post,
}

impl Verb {
    /// The method's name as OpenAPI spells it (`get`, `put`, `post`).
    pub fn name(self) -> &'static str {
        match self {
            Verb::Get => "get",
            Verb::Put => "put",
            Verb::Post => "post",
        }
    }

    fn filter(self) -> MethodFilter {
        match self {
            Verb::Get => MethodFilter::GET,
            Verb::Put => MethodFilter::PUT,
            Verb::Post => MethodFilter::POST,
        }
    }
}

/// One route of the API.
pub struct Route {
    /// Method.
    pub verb: Verb,
    /// Path with `{param}` segments, spelt the same for axum and OpenAPI.
    pub path: &'static str,
    /// Every status the handler can answer (errors included).
    pub statuses: &'static [u16],
    handler: fn(MethodFilter) -> MethodRouter<RegistryState>,
}

/// Every route of the API: [`router`] serves exactly these. The statuses
/// listed here and those of each handler's `#[utoipa::path]` must agree (a
/// test checks it, and the integration tests check that every status they
/// see is documented).
pub const ROUTES: &[Route] = &[
    Route {
        verb: Verb::Get,
        path: "/openapi.json",
        statuses: &[200, 500],
        handler: |m| on(m, openapi::serve),
    },
    Route {
        verb: Verb::Get,
        path: "/v1/plugins",
        statuses: &[200, 401, 403, 500],
        handler: |m| on(m, plugins::list_all),
    },
    Route {
        verb: Verb::Get,
        path: "/v1/plugins/{ns}/{name}",
        statuses: &[200, 400, 401, 403, 404, 500],
        handler: |m| on(m, plugins::list_versions),
    },
    Route {
        verb: Verb::Put,
        path: "/v1/plugins/{ns}/{name}/{version}",
        statuses: &[200, 201, 400, 401, 403, 409, 413, 422, 500],
        handler: |m| on(m, plugins::publish),
    },
    Route {
        verb: Verb::Get,
        path: "/v1/plugins/{ns}/{name}/{version}",
        statuses: &[200, 400, 401, 403, 404, 500],
        handler: |m| on(m, plugins::version_meta),
    },
    Route {
        verb: Verb::Get,
        path: "/v1/plugins/{ns}/{name}/{version}/component",
        statuses: &[200, 400, 401, 403, 404, 500],
        handler: |m| on(m, plugins::component),
    },
    Route {
        verb: Verb::Post,
        path: "/v1/plugins/{ns}/{name}/{version}/yank",
        statuses: &[200, 400, 401, 403, 404, 500],
        handler: |m| on(m, plugins::yank),
    },
    Route {
        verb: Verb::Get,
        path: "/v1/deployments",
        statuses: &[200, 401, 403, 500],
        handler: |m| on(m, deployments::list),
    },
    Route {
        verb: Verb::Put,
        path: "/v1/deployments/{pipeline}/{stage}",
        statuses: &[201, 400, 401, 403, 404, 409, 413, 415, 422, 500],
        handler: |m| on(m, deployments::deploy),
    },
    Route {
        verb: Verb::Post,
        path: "/v1/deployments/{pipeline}/{stage}/rollback",
        statuses: &[201, 400, 401, 403, 409, 500],
        handler: |m| on(m, deployments::rollback),
    },
    Route {
        verb: Verb::Post,
        path: "/v1/deployments/{pipeline}/{stage}/status",
        statuses: &[204, 400, 401, 403, 413, 415, 422, 500],
        handler: |m| on(m, deployments::status),
    },
    Route {
        verb: Verb::Get,
        path: "/v1/audit",
        statuses: &[200, 400, 401, 403, 500],
        handler: |m| on(m, audit::list),
    },
];

/// The router: every route of [`ROUTES`]; uploads above `max_bytes` get 413.
pub fn router(state: RegistryState, max_bytes: usize) -> Router {
    let routes = ROUTES
        .iter()
        .fold(Router::new(), |router, r| {
            router.route(r.path, (r.handler)(r.verb.filter()))
        })
        .layer(DefaultBodyLimit::max(max_bytes))
        .with_state(state);
    weft_host::http_error::json_errors(routes)
}

type ApiResult = Result<Response, ApiError>;

fn err(status: StatusCode, code: &'static str, msg: impl Into<String>) -> ApiError {
    ApiError(status, code, msg.into())
}

/// Checks the bearer token allows `need`; who it is for the audit trail
/// (`token:<first 12 hex of its hash>`).
fn authorize(s: &RegistryState, headers: &HeaderMap, need: Need) -> Result<String, ApiError> {
    let token = auth::bearer(headers).ok_or_else(|| {
        err(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "a bearer token is required",
        )
    })?;
    let hash = auth::hash(token);
    let scopes = s
        .store
        .token_scopes(&hash)
        .map_err(ApiError::internal)?
        .ok_or_else(|| err(StatusCode::UNAUTHORIZED, "bad_token", "unknown token"))?;
    if auth::allows(&scopes, &need) {
        Ok(auth::token_id(&hash))
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

/// Records a state-changing request in the audit trail with its answer
/// (`ok` or `error: <code>`), then returns the answer. A trail that cannot
/// be written is logged; the action stands.
fn audited(s: &RegistryState, who: &str, action: &str, target: &str, r: ApiResult) -> ApiResult {
    let result = match &r {
        Ok(_) => "ok".to_string(),
        Err(e) => format!("error: {}", e.1),
    };
    if let Err(e) = s.store.record_audit(who, action, target, &result) {
        tracing::warn!(
            action,
            target,
            "the registry's audit trail could not be written: {e}"
        );
    }
    r
}

/// A 400 `bad_name` with the name rule's message.
fn bad_name(message: impl std::fmt::Display) -> ApiError {
    err(StatusCode::BAD_REQUEST, "bad_name", message.to_string())
}

fn names(ns: &str, name: &str, version: Option<&str>) -> Result<(), ApiError> {
    check_name("namespace", ns).map_err(bad_name)?;
    check_name("name", name).map_err(bad_name)?;
    if let Some(v) = version {
        check_version(v).map_err(bad_name)?;
    }
    Ok(())
}

/// Deployment paths name a pipeline and a stage like `weft.toml` does.
fn target(pipeline: &str, stage: &str) -> Result<(), ApiError> {
    check_target_name("pipeline", pipeline).map_err(bad_name)?;
    check_target_name("stage", stage).map_err(bad_name)
}

/// A version's metadata, or 404.
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
