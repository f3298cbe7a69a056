//! Who may use the admin server: `[[admin.tokens]]`, each a bearer token
//! (kept only as its SHA-256) with scopes, checked by one middleware in
//! front of every route. [`need`] is the one table of what each route
//! requires.
//!
//! - `/healthz`, `/readyz` and the dashboard's sign-in page are open.
//! - `POST /ingest/{p}` of a pipeline with its own `[pipelines.p.auth]`
//!   (a channel's webhook signature) is checked by that, not by a token.
//! - A dashboard session cookie counts only on `GET`/`HEAD`: a request that
//!   changes something needs the `Authorization` header, which a browser
//!   never adds to a cross-site request — so no page elsewhere can make a
//!   signed-in browser change anything (CSRF).
//! - With no tokens configured every route is open, and `weft up` refuses
//!   to listen beyond loopback.

use std::collections::BTreeSet;

use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::{session::Sessions, webhook::SecretError, ApiError};
use crate::config::{AdminConfig, Scope};

/// What a route requires of its caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Need {
    /// Nothing.
    Open,
    /// The pipeline's own webhook check (done by the ingest handler).
    Webhook,
    /// A token (or, for safe methods, a session) granting this scope.
    Scope(Scope),
}

/// Who made a request, as the audit trail names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// `token:<id>`, or `anonymous` when the server has no tokens.
    pub who: String,
}

/// One configured token, loaded.
struct Known {
    id: String,
    scopes: Vec<Scope>,
    digest: [u8; 32],
}

/// The admin server's tokens, sessions and policy.
pub struct Access {
    tokens: Vec<Known>,
    /// Pipelines whose ingest is checked by their webhook `[auth]`.
    webhooks: BTreeSet<String>,
    open_metrics: bool,
    /// Dashboard sign-ins.
    pub sessions: Sessions,
}

impl std::fmt::Debug for Access {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Access")
            .field(
                "tokens",
                &self.tokens.iter().map(|t| &t.id).collect::<Vec<_>>(),
            )
            .field("webhooks", &self.webhooks)
            .finish()
    }
}

/// Why a request was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Refusal {
    /// No credential.
    Missing,
    /// A credential no configured token matches.
    Invalid,
    /// A known token without the scope.
    Scope { id: String, need: Scope },
}

impl Access {
    /// Loads every token `admin` names (environment variables and files
    /// are read now, once) and the policy's settings. `webhooks`: the
    /// pipelines with their own ingest `[auth]`.
    pub fn load(
        admin: &AdminConfig,
        webhooks: BTreeSet<String>,
        secure: bool,
    ) -> Result<Access, (String, SecretError)> {
        let mut tokens = Vec::new();
        for t in &admin.tokens {
            let digest: [u8; 32] = match (&t.token_env, &t.token_file, &t.sha256) {
                (Some(var), _, _) => {
                    let v = std::env::var(var)
                        .map_err(|_| (t.id.clone(), SecretError::Env(var.clone())))?;
                    digest_of(&v, &format!("environment variable {var}"))
                        .map_err(|e| (t.id.clone(), e))?
                }
                (None, Some(path), _) => {
                    let v = std::fs::read_to_string(path).map_err(|source| {
                        (
                            t.id.clone(),
                            SecretError::File {
                                path: path.clone(),
                                source,
                            },
                        )
                    })?;
                    digest_of(&v, &format!("token file {}", path.display()))
                        .map_err(|e| (t.id.clone(), e))?
                }
                (None, None, Some(hex_digest)) => {
                    let mut d = [0u8; 32];
                    hex::decode_to_slice(hex_digest, &mut d)
                        .map_err(|_| (t.id.clone(), SecretError::Empty("`sha256`".into())))?;
                    d
                }
                (None, None, None) => {
                    return Err((t.id.clone(), SecretError::Empty("the configuration".into())))
                }
            };
            tokens.push(Known {
                id: t.id.clone(),
                scopes: t.scopes.clone(),
                digest,
            });
        }
        Ok(Access {
            tokens,
            webhooks,
            open_metrics: admin.open_metrics,
            sessions: Sessions::new(
                std::time::Duration::from_secs(admin.session_minutes.saturating_mul(60)),
                secure,
            ),
        })
    }

    /// Whether any token is configured (else every route is open).
    pub fn enabled(&self) -> bool {
        !self.tokens.is_empty()
    }

    /// The configured token `presented` is, by comparing its SHA-256 with
    /// every token's in constant time (the time does not tell which).
    pub fn identify(&self, presented: &str) -> Option<(&str, &[Scope])> {
        let d = Sha256::digest(presented.trim().as_bytes());
        let mut found = None;
        for t in &self.tokens {
            if bool::from(t.digest.ct_eq(d.as_slice())) {
                found = Some((t.id.as_str(), t.scopes.as_slice()));
            }
        }
        found
    }

    /// What `method path` requires: the one table of the admin routes.
    pub fn need(&self, method: &Method, path: &str) -> Need {
        let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
        match (method, segs.as_slice()) {
            (_, ["healthz"] | ["readyz"] | ["dashboard", "login"] | ["dashboard", "logout"]) => {
                Need::Open
            }
            (_, [""]) => Need::Open,
            // A pipeline with a webhook `[auth]`: its signature (checked by
            // the handler) is the credential, for ingest and calls alike.
            (&Method::POST, ["ingest", p] | ["v1", "call", p]) if self.webhooks.contains(*p) => {
                Need::Webhook
            }
            (_, ["ingest", p] | ["v1", "call", p]) => Need::Scope(Scope::Ingest((*p).to_string())),
            (_, ["metrics"]) if self.open_metrics => Need::Open,
            (&Method::POST, ["v1", "dlq", _, "replay" | "purge"]) => Need::Scope(Scope::Operate),
            (&Method::PUT, ["v1", "lookups", _]) => Need::Scope(Scope::Operate),
            // Everything else (reports, orders, exceptions, DLQ listings,
            // audit, metrics, the dashboard, unknown paths) reads.
            _ => Need::Scope(Scope::Read),
        }
    }

    /// The caller of a request that needs `need`, or why it is refused.
    fn admit(&self, need: &Need, method: &Method, headers: &HeaderMap) -> Result<Caller, Refusal> {
        if !self.enabled() {
            return Ok(Caller {
                who: "anonymous".into(),
            });
        }
        let Need::Scope(scope) = need else {
            return Ok(Caller {
                who: "anonymous".into(),
            });
        };
        let (id, scopes): (String, Vec<Scope>) = match bearer(headers) {
            Some(token) => {
                let (id, scopes) = self.identify(token).ok_or(Refusal::Invalid)?;
                (id.to_string(), scopes.to_vec())
            }
            None => {
                let safe = matches!(*method, Method::GET | Method::HEAD);
                match super::session::cookie(headers) {
                    Some(sid) if safe => self.sessions.get(sid).ok_or(Refusal::Invalid)?,
                    _ => return Err(Refusal::Missing),
                }
            }
        };
        if scopes.iter().any(|s| s.grants(scope)) {
            Ok(Caller {
                who: format!("token:{id}"),
            })
        } else {
            Err(Refusal::Scope {
                id,
                need: scope.clone(),
            })
        }
    }
}

/// A trimmed, non-empty token of `Authorization: Bearer <token>`.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// Fewest characters of a token given in full (a variable or a file): a
/// short one could be guessed, or found from its SHA-256.
pub const MIN_TOKEN_CHARS: usize = 16;

/// The SHA-256 of the first non-blank line of `text` (from `what`), if it
/// is long enough.
fn digest_of(text: &str, what: &str) -> Result<[u8; 32], SecretError> {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .ok_or_else(|| SecretError::Empty(what.to_string()))?;
    if line.chars().count() < MIN_TOKEN_CHARS {
        return Err(SecretError::Short(what.to_string(), MIN_TOKEN_CHARS));
    }
    Ok(Sha256::digest(line.as_bytes()).into())
}

/// The middleware: admits the request (its [`Caller`] goes into the
/// request's extensions) or answers 401/403 — or, for the dashboard's
/// pages, sends the browser to the sign-in page. A refused request
/// reaches no handler, so it changes nothing.
pub async fn guard(
    State(access): State<std::sync::Arc<Access>>,
    mut req: Request,
    next: Next,
) -> Response {
    let need = access.need(req.method(), req.uri().path());
    let (method, path) = (req.method(), req.uri().path());
    if let Some((message, reason)) = browser_or_relay(&access, &need, method, path, req.headers()) {
        metrics::counter!("weft_admin_refused_total", "reason" => reason).increment(1);
        return ApiError(StatusCode::FORBIDDEN, reason, message.into()).into_response();
    }
    match access.admit(&need, req.method(), req.headers()) {
        Ok(caller) => {
            req.extensions_mut().insert(caller);
            next.run(req).await
        }
        Err(r) => {
            let reason = match &r {
                Refusal::Missing => "missing",
                Refusal::Invalid => "invalid",
                Refusal::Scope { .. } => "scope",
            };
            metrics::counter!("weft_admin_refused_total", "reason" => reason).increment(1);
            let path = req.uri().path();
            let page = path == "/dashboard" || path.starts_with("/dashboard/");
            if page && matches!(r, Refusal::Missing | Refusal::Invalid) {
                let next = req
                    .uri()
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/dashboard");
                return Redirect::to(&format!(
                    "/dashboard/login?next={}",
                    crate::names::url_escape(next)
                ))
                .into_response();
            }
            refused(&r)
        }
    }
}

/// What no credential can make right: a browser's state-changing request
/// sent from another site (whatever the server's tokens: it could carry a
/// session cookie, or reach a server without tokens on loopback), and —
/// on a server without tokens, which trusts that only this machine can
/// reach it — a request addressed to another host name (DNS rebinding) or
/// relayed by a proxy. `(message, metric reason)`.
fn browser_or_relay(
    access: &Access,
    need: &Need,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
) -> Option<(&'static str, &'static str)> {
    let page = matches!(path, "/dashboard/login" | "/dashboard/logout");
    let safe = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && !page && !super::session::same_origin(headers) {
        return Some((
            "a browser request from another site cannot change anything here",
            "cross_site",
        ));
    }
    let health = matches!(path, "/healthz" | "/readyz");
    if access.enabled() || health || *need == Need::Webhook {
        return None;
    }
    let relayed = ["forwarded", "x-forwarded-for", "x-forwarded-host"]
        .iter()
        .any(|h| headers.contains_key(*h));
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if relayed || !loopback_host(host) {
        return Some((
            "this server has no [[admin.tokens]]: it answers only requests made on this machine to a loopback address",
            "no_tokens",
        ));
    }
    None
}

/// Whether a `Host` header names a loopback address (`localhost`,
/// `127.x.x.x`, `[::1]`), with or without a port.
fn loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(h, _)| h),
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn refused(r: &Refusal) -> Response {
    match r {
        Refusal::Missing | Refusal::Invalid => {
            let message = match r {
                Refusal::Missing => "this route needs a token: send `Authorization: Bearer <token>` ([[admin.tokens]])",
                _ => "the token is not accepted",
            };
            let mut resp = ApiError(StatusCode::UNAUTHORIZED, "unauthenticated", message.into())
                .into_response();
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"weft\""),
            );
            resp
        }
        Refusal::Scope { id, need } => ApiError(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!("token `{id}` does not have scope `{need}`"),
        )
        .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for h in [
            "127.0.0.1:7070",
            "localhost",
            "LOCALHOST:1",
            "[::1]:7070",
            "127.1.2.3",
        ] {
            assert!(loopback_host(h), "{h}");
        }
        for h in [
            "evil.example:7070",
            "10.0.0.1",
            "[2001:db8::1]:7070",
            "",
            "localhost.evil",
        ] {
            assert!(!loopback_host(h), "{h}");
        }
    }
}
