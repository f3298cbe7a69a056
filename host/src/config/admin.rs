//! `[admin]`: the admin server's address and limits, who may use it
//! (`[[admin.tokens]]`, each with scopes) and its TLS certificate.
//!
//! A token is never written in the configuration: an entry names the
//! environment variable or file that holds it, or gives its SHA-256 (what
//! `weft token new` prints), which is no secret.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::model::Located;

/// `[admin]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AdminConfig {
    /// Listen address of the admin server.
    pub listen: String,
    /// Largest accepted `POST /ingest` body.
    pub max_body_bytes: usize,
    /// Synchronous calls (`POST /v1/call/{pipeline}`) run at once; more
    /// wait up to `call_wait_ms`, then get 503.
    pub max_calls: usize,
    /// How long a call waits for one of `max_calls` before 503.
    pub call_wait_ms: u64,
    /// Who may use the admin API and the dashboard. With none, every route
    /// is open (and the host refuses a non-loopback address); with any,
    /// every route but `/healthz` and `/readyz` needs one of them.
    pub tokens: Vec<AdminToken>,
    /// `GET /metrics` without a token (a Prometheus scraper that cannot
    /// send one); default false: `/metrics` needs `read`.
    pub open_metrics: bool,
    /// PEM certificate chain: with `tls_key`, the server speaks HTTPS only
    /// (and the dashboard's session cookie is `Secure`).
    pub tls_cert: Option<PathBuf>,
    /// PEM private key (PKCS#8, PKCS#1 or SEC1) of `tls_cert`.
    pub tls_key: Option<PathBuf>,
    /// How long a dashboard sign-in lasts, in minutes.
    pub session_minutes: u64,
    /// Largest CSV body of `PUT /v1/lookups/{table}` (`weft lookup load --url`).
    pub max_lookup_bytes: usize,
}

impl Default for AdminConfig {
    fn default() -> Self {
        AdminConfig {
            listen: "127.0.0.1:7070".into(),
            max_body_bytes: 10 << 20,
            max_calls: 4,
            call_wait_ms: 1000,
            tokens: Vec::new(),
            open_metrics: false,
            tls_cert: None,
            tls_key: None,
            session_minutes: 8 * 60,
            max_lookup_bytes: 64 << 20,
        }
    }
}

/// One `[[admin.tokens]]` entry.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AdminToken {
    /// Its name in the audit trail (`token:<id>`) and in messages.
    pub id: String,
    /// What it may do.
    pub scopes: Vec<Scope>,
    /// The environment variable holding the token.
    pub token_env: Option<String>,
    /// A file holding the token, relative to the configuration file.
    pub token_file: Option<PathBuf>,
    /// The token's SHA-256, hex (as `weft token new` prints it).
    pub sha256: Option<String>,
}

/// What a token may do. `admin` includes every other scope, `operate`
/// includes `read`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// `ingest:<pipeline>`: queue into (and call) that pipeline.
    Ingest(String),
    /// `read`: reports, orders, exceptions, DLQ listings, the audit trail,
    /// metrics, the dashboard.
    Read,
    /// `operate`: DLQ replay and purge, lookup loads (and `read`).
    Operate,
    /// `admin`: everything.
    Admin,
}

/// The scopes there are, for messages.
pub const SCOPES: &str = "ingest:<pipeline>, read, operate, admin";

impl std::str::FromStr for Scope {
    type Err = String;
    fn from_str(s: &str) -> Result<Scope, String> {
        match s {
            "read" => Ok(Scope::Read),
            "operate" => Ok(Scope::Operate),
            "admin" => Ok(Scope::Admin),
            _ => match s.strip_prefix("ingest:") {
                Some(p) if !p.is_empty() => Ok(Scope::Ingest(p.to_string())),
                _ => Err(format!("unknown scope `{s}` (scopes: {SCOPES})")),
            },
        }
    }
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Scope::Ingest(p) => write!(f, "ingest:{p}"),
            Scope::Read => f.write_str("read"),
            Scope::Operate => f.write_str("operate"),
            Scope::Admin => f.write_str("admin"),
        }
    }
}

impl<'de> Deserialize<'de> for Scope {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Scope, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl Scope {
    /// Whether holding `self` grants `need`.
    pub fn grants(&self, need: &Scope) -> bool {
        match (self, need) {
            (Scope::Admin, _) => true,
            (Scope::Operate, Scope::Read | Scope::Operate) => true,
            (a, b) => a == b,
        }
    }
}

impl AdminConfig {
    /// Checks the tokens and TLS settings; anchors files at `base`.
    pub(super) fn resolve(
        &mut self,
        base: &Path,
        locate: super::ranges::Locate<'_>,
        pipelines: &[String],
    ) -> Result<(), Located> {
        let mut seen = std::collections::BTreeSet::new();
        for (i, t) in self.tokens.iter_mut().enumerate() {
            let at = locate(&["admin", "tokens"]);
            let fail = |m: String| {
                (
                    at.clone(),
                    format!("[[admin.tokens]] #{} `{}`: {m}", i + 1, t.id),
                )
            };
            t.check(pipelines).map_err(&fail)?;
            if !seen.insert(t.id.clone()) {
                return Err(fail("another token has this id".into()));
            }
            if let Some(f) = &t.token_file {
                t.token_file = Some(base.join(f));
            }
        }
        match (&self.tls_cert, &self.tls_key) {
            (Some(c), Some(k)) => {
                self.tls_cert = Some(base.join(c));
                self.tls_key = Some(base.join(k));
            }
            (None, None) => {}
            _ => {
                return Err((
                    locate(&["admin", "tls_cert"]).or_else(|| locate(&["admin", "tls_key"])),
                    "[admin]: give both `tls_cert` and `tls_key`, or neither".into(),
                ))
            }
        }
        if self.max_lookup_bytes == 0 {
            return Err((
                locate(&["admin", "max_lookup_bytes"]),
                "[admin] max_lookup_bytes must be at least 1".into(),
            ));
        }
        if !(1..=7 * 24 * 60).contains(&self.session_minutes) {
            return Err((
                locate(&["admin", "session_minutes"]),
                format!(
                    "[admin] session_minutes must be between 1 and 10080 (a week), not {}",
                    self.session_minutes
                ),
            ));
        }
        Ok(())
    }
}

impl AdminToken {
    fn check(&self, pipelines: &[String]) -> Result<(), String> {
        let valid_id = !self.id.is_empty()
            && self.id.len() <= 64
            && self
                .id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
        if !valid_id {
            return Err("`id` must be 1 to 64 letters, digits, `-`, `_` or `.`".into());
        }
        let sources = [
            self.token_env.is_some(),
            self.token_file.is_some(),
            self.sha256.is_some(),
        ];
        if sources.iter().filter(|s| **s).count() != 1 {
            return Err(
                "give exactly one of `token_env`, `token_file` or `sha256` (tokens are never written in the configuration)"
                    .into(),
            );
        }
        if let Some(h) = &self.sha256 {
            if h.len() != 64 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err("`sha256` must be 64 hexadecimal digits".into());
            }
        }
        if self.scopes.is_empty() {
            return Err(format!("`scopes` is empty (scopes: {SCOPES})"));
        }
        for s in &self.scopes {
            if let Scope::Ingest(p) = s {
                if !pipelines.contains(p) {
                    return Err(format!(
                        "scope `{s}` names no pipeline of this configuration"
                    ));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_parse_and_grant() {
        let s = |t: &str| t.parse::<Scope>().expect("scope");
        assert_eq!(s("ingest:orders"), Scope::Ingest("orders".into()));
        assert!("ingest:".parse::<Scope>().is_err());
        assert!("root"
            .parse::<Scope>()
            .unwrap_err()
            .contains("unknown scope `root`"));
        assert!(s("admin").grants(&Scope::Operate));
        assert!(s("admin").grants(&s("ingest:x")));
        assert!(s("operate").grants(&Scope::Read));
        assert!(!s("read").grants(&Scope::Operate));
        assert!(!s("operate").grants(&s("ingest:x")));
        assert!(!s("ingest:x").grants(&s("ingest:y")));
        assert!(!s("ingest:x").grants(&Scope::Read));
        assert_eq!(s("ingest:x").to_string(), "ingest:x");
    }

    #[test]
    fn a_token_has_one_source_and_known_pipelines() {
        let t = |text: &str| toml::from_str::<AdminToken>(text).expect("parses");
        let p = ["orders".to_string()];
        let ok = t("id = \"ops\"\nscopes = [\"operate\"]\ntoken_env = \"T\"");
        assert_eq!(ok.check(&p), Ok(()));
        let two = t("id = \"ops\"\nscopes = [\"read\"]\ntoken_env = \"T\"\nsha256 = \"ab\"");
        assert!(two.check(&p).unwrap_err().contains("exactly one"));
        let bad_hash = t("id = \"ops\"\nscopes = [\"read\"]\nsha256 = \"ab\"");
        assert!(bad_hash.check(&p).unwrap_err().contains("64 hexadecimal"));
        let unknown = t("id = \"ops\"\nscopes = [\"ingest:nope\"]\ntoken_env = \"T\"");
        assert!(unknown.check(&p).unwrap_err().contains("names no pipeline"));
        let e = toml::from_str::<AdminToken>("id = \"x\"\nscopes = [\"read\"]\ntoken = \"s3cr3t\"")
            .unwrap_err();
        assert!(e.to_string().contains("unknown field `token`"), "{e}");
    }
}
