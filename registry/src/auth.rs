//! Bearer tokens: random, shown once, stored as sha256 hashes, each with
//! scopes `read`, `publish:<namespace>`, `deploy`, `status`, `admin`.
//!
//! `status` lets a host report what it applied (`POST
//! /v1/deployments/{pipeline}/{stage}/status`) and nothing else; a host's
//! token has `read` and `status`.

use axum::http::HeaderMap;
use sha2::{Digest, Sha256};

use weft_host::stamp::hex;

/// A scope a request needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Need {
    /// Reading metadata and bytes.
    Read,
    /// Publishing into a namespace.
    Publish(String),
    /// Changing deployments.
    Deploy,
    /// A host reporting what it applied.
    Status,
    /// Yanking, keys.
    Admin,
}

impl std::fmt::Display for Need {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Need::Read => f.write_str("reading (scope `read`)"),
            Need::Publish(ns) => write!(f, "publishing into `{ns}` (scope `publish:{ns}`)"),
            Need::Deploy => f.write_str("changing deployments (scope `deploy`)"),
            Need::Status => f.write_str("reporting host status (scope `status`)"),
            Need::Admin => f.write_str("administration (scope `admin`)"),
        }
    }
}

/// The scopes a token may have, for messages.
pub const SCOPES: &str = "read, publish:<namespace>, deploy, status, admin";

/// Why a token could not be made.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// The system gave no random bytes.
    #[error("no randomness")]
    NoRandomness(#[source] getrandom::Error),
}

/// How the audit trail names the token of `hash`: `token:<first 12 hex>`
/// (never the token itself).
pub fn token_id(hash: &str) -> String {
    format!("token:{}", hash.get(..12).unwrap_or(hash))
}

/// Creates a new token (returned once) and its hash (stored).
pub fn new_token() -> Result<(String, String), TokenError> {
    let mut raw = [0u8; 24];
    getrandom::fill(&mut raw).map_err(TokenError::NoRandomness)?;
    let token = format!("weft_{}", hex(&raw));
    let hash = hash(&token);
    Ok((token, hash))
}

/// The stored form of a token.
pub fn hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Checks a scope list against a need.
pub fn allows(scopes: &[String], need: &Need) -> bool {
    scopes.iter().any(|s| {
        s == "admin"
            || match need {
                Need::Read => s == "read" || s == "deploy" || s.starts_with("publish:"),
                Need::Publish(ns) => s.strip_prefix("publish:") == Some(ns.as_str()),
                Need::Deploy => s == "deploy",
                Need::Status => s == "status",
                Need::Admin => false,
            }
    })
}

/// Valid scope strings.
pub fn valid_scope(s: &str) -> bool {
    matches!(s, "read" | "deploy" | "status" | "admin")
        || s.strip_prefix("publish:")
            .is_some_and(|ns| crate::check_name("namespace", ns).is_ok())
}

/// The bearer token of a request, if any.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("authorization")?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(allows(&s(&["publish:acme"]), &Need::Publish("acme".into())));
        assert!(!allows(
            &s(&["publish:acme"]),
            &Need::Publish("evil".into())
        ));
        assert!(!allows(&s(&["read"]), &Need::Deploy));
        assert!(
            !allows(&s(&["read"]), &Need::Status),
            "read cannot report status"
        );
        assert!(!allows(&s(&["deploy"]), &Need::Status));
        assert!(allows(&s(&["read", "status"]), &Need::Status));
        assert!(!allows(&s(&["status"]), &Need::Read), "status cannot read");
        assert!(valid_scope("status"));
        assert_eq!(
            Need::Publish("acme".into()).to_string(),
            "publishing into `acme` (scope `publish:acme`)"
        );
        assert!(allows(&s(&["admin"]), &Need::Deploy));
        assert!(
            valid_scope("publish:acme") && !valid_scope("publish:../x") && !valid_scope("root")
        );
        let (t, h) = new_token().unwrap();
        assert_eq!(hash(&t), h);
    }
}
