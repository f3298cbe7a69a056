//! Whether an ingest request comes from the pipeline's channel: the
//! webhook signature (an HMAC-SHA256 of the raw body) or the bearer token
//! its `[pipelines.NAME.auth]` asks for. Comparisons take the same time
//! whatever the bytes (HMAC verification, digests of tokens compared in
//! constant time), and nothing about a secret reaches the caller.

use std::path::PathBuf;

use axum::http::HeaderMap;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::config::auth::{AuthScheme, IngestAuth, SignatureEncoding};

/// A pipeline's check of its ingest requests, with its secrets loaded.
#[derive(Clone)]
pub struct Verifier {
    scheme: AuthScheme,
    /// The header it reads, lower-cased.
    header: String,
    encoding: SignatureEncoding,
    prefix: String,
    /// HMAC keys, or the SHA-256 of each accepted token.
    secrets: Vec<Vec<u8>>,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("scheme", &self.scheme)
            .field("header", &self.header)
            .field("secrets", &self.secrets.len())
            .finish()
    }
}

/// Why a pipeline's secrets could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// The environment variable is not set (or not UTF-8).
    #[error("environment variable {0} is not set")]
    Env(String),
    /// The file could not be read.
    #[error("cannot read secret file {path}: {source}")]
    File {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The variable or file holds no secret.
    #[error("{0} holds no secret (one per line; blank lines are skipped)")]
    Empty(String),
    /// The token is too short to be safe.
    #[error("{0} holds a token of fewer than {1} characters: too easy to guess")]
    Short(String, usize),
}

/// Why a request was refused; its [`Rejection::reason`] labels the
/// metric `weft_ingest_rejected_total`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// The header is absent.
    Missing,
    /// The header is there but cannot be a signature or token.
    Malformed,
    /// Well-formed, but no secret gives it.
    Mismatch,
}

impl Rejection {
    /// `missing`, `malformed` or `mismatch`.
    pub fn reason(&self) -> &'static str {
        match self {
            Rejection::Missing => "missing",
            Rejection::Malformed => "malformed",
            Rejection::Mismatch => "mismatch",
        }
    }
}

type HmacSha256 = Hmac<Sha256>;

impl Verifier {
    /// Loads the secrets `auth` points at (its environment variable or
    /// file) and makes the check.
    pub fn load(auth: &IngestAuth) -> Result<Verifier, SecretError> {
        let (what, text) = match (&auth.secret_env, &auth.secret_file) {
            (Some(var), _) => (
                format!("environment variable {var}"),
                std::env::var(var).map_err(|_| SecretError::Env(var.clone()))?,
            ),
            (None, Some(path)) => (
                format!("secret file {}", path.display()),
                std::fs::read_to_string(path).map_err(|source| SecretError::File {
                    path: path.clone(),
                    source,
                })?,
            ),
            (None, None) => return Err(SecretError::Empty("the configuration".into())),
        };
        let secrets: Vec<Vec<u8>> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| l.as_bytes().to_vec())
            .collect();
        if secrets.is_empty() {
            return Err(SecretError::Empty(what));
        }
        Ok(Verifier::new(auth, secrets))
    }

    /// The check of `auth` with `secrets` (HMAC keys or tokens) in hand.
    pub fn new(auth: &IngestAuth, secrets: Vec<Vec<u8>>) -> Verifier {
        let secrets = match auth.scheme {
            AuthScheme::Bearer => secrets.iter().map(|s| Sha256::digest(s).to_vec()).collect(),
            _ => secrets,
        };
        let encoding = match auth.scheme {
            AuthScheme::Hmac => auth.encoding.unwrap_or(SignatureEncoding::Hex),
            _ => SignatureEncoding::Base64,
        };
        Verifier {
            scheme: auth.scheme,
            header: auth.header_name(),
            encoding,
            prefix: auth.prefix.clone().unwrap_or_default(),
            secrets,
        }
    }

    /// The header this check reads, as a client writes it.
    pub fn header(&self) -> &str {
        &self.header
    }

    /// The scheme.
    pub fn scheme(&self) -> AuthScheme {
        self.scheme
    }

    /// Whether `headers` carry a valid signature of `body` (or an
    /// accepted token).
    pub fn check(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), Rejection> {
        let value = headers
            .get(self.header.as_str())
            .ok_or(Rejection::Missing)?
            .to_str()
            .map_err(|_| Rejection::Malformed)?
            .trim();
        match self.scheme {
            AuthScheme::Bearer => self.check_token(value),
            _ => self.check_signature(value, body),
        }
    }

    fn check_signature(&self, value: &str, body: &[u8]) -> Result<(), Rejection> {
        let written = value
            .strip_prefix(self.prefix.as_str())
            .ok_or(Rejection::Malformed)?;
        let signature = match self.encoding {
            SignatureEncoding::Hex => hex::decode(written).ok(),
            SignatureEncoding::Base64 => base64_any_padding().decode(written).ok(),
        }
        .filter(|s| s.len() == 32)
        .ok_or(Rejection::Malformed)?;
        let valid = self.secrets.iter().any(|key| {
            HmacSha256::new_from_slice(key).is_ok_and(|mut mac| {
                mac.update(body);
                mac.verify_slice(&signature).is_ok()
            })
        });
        if valid {
            Ok(())
        } else {
            Err(Rejection::Mismatch)
        }
    }

    fn check_token(&self, value: &str) -> Result<(), Rejection> {
        let (scheme, token) = value.split_once(' ').ok_or(Rejection::Malformed)?;
        if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
            return Err(Rejection::Malformed);
        }
        let presented = Sha256::digest(token.trim().as_bytes());
        // Every accepted token is compared, so the time does not tell which.
        let matched = self.secrets.iter().fold(subtle::Choice::from(0), |m, s| {
            m | s.ct_eq(presented.as_slice())
        });
        if bool::from(matched) {
            Ok(())
        } else {
            Err(Rejection::Mismatch)
        }
    }
}

/// Standard base64 with or without its padding.
fn base64_any_padding() -> base64::engine::GeneralPurpose {
    base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    )
}

#[cfg(test)]
mod tests;
