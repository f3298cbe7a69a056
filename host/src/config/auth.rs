//! `[pipelines.NAME.auth]`: how a pipeline's ingest route knows a request
//! comes from its channel — a webhook signature (Shopify, WooCommerce, a
//! generic HMAC) or a bearer token. The configuration names where the
//! secret is (an environment variable or a file), never the secret itself.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// How requests to `POST /ingest/{pipeline}` prove where they come from.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct IngestAuth {
    /// The scheme.
    pub scheme: AuthScheme,
    /// The environment variable holding the secret (or several, one per
    /// line: any of them is accepted, for rotation).
    pub secret_env: Option<String>,
    /// A file holding the secret (or several, one per line), relative to
    /// the configuration file.
    pub secret_file: Option<PathBuf>,
    /// `hmac` only: the header carrying the signature.
    pub header: Option<String>,
    /// `hmac` only: how the signature is written (default `hex`).
    pub encoding: Option<SignatureEncoding>,
    /// `hmac` only: a prefix before the signature, stripped (`sha256=`).
    pub prefix: Option<String>,
}

/// The schemes of [`IngestAuth`].
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum AuthScheme {
    /// `X-Shopify-Hmac-Sha256`: base64 HMAC-SHA256 of the raw body, keyed
    /// with the app's client secret.
    Shopify,
    /// `X-WC-Webhook-Signature`: base64 HMAC-SHA256 of the raw body, keyed
    /// with the webhook's secret.
    Woocommerce,
    /// HMAC-SHA256 of the raw body in a header of one's choosing.
    Hmac,
    /// `Authorization: Bearer <token>` (EDI partners, internal callers).
    Bearer,
}

/// How a generic HMAC signature is written.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SignatureEncoding {
    /// Lower- or upper-case hexadecimal.
    Hex,
    /// Standard base64 (with or without padding).
    Base64,
}

impl IngestAuth {
    /// Checks the settings fit the scheme, and anchors `secret_file` at
    /// `base` (the configuration file's directory). The message names
    /// what is wrong; the caller adds the pipeline and the line.
    pub(crate) fn resolve(&mut self, base: &Path) -> Result<(), String> {
        match (&self.secret_env, &self.secret_file) {
            (Some(_), Some(_)) => return Err("give `secret_env` or `secret_file`, not both".into()),
            (None, None) => {
                return Err(
                    "`secret_env` (an environment variable) or `secret_file` is required; \
                     secrets are never written in the configuration"
                        .into(),
                )
            }
            (Some(v), None) if v.is_empty() => return Err("`secret_env` is empty".into()),
            _ => {}
        }
        if let Some(f) = &self.secret_file {
            self.secret_file = Some(base.join(f));
        }
        let generic = [
            ("header", self.header.is_some()),
            ("encoding", self.encoding.is_some()),
            ("prefix", self.prefix.is_some()),
        ];
        match self.scheme {
            AuthScheme::Hmac => match &self.header {
                None => {
                    Err("scheme `hmac` needs `header` (the header carrying the signature)".into())
                }
                Some(h) if http_header_name(h).is_none() => Err(format!(
                    "`header = \"{h}\"` is not a valid HTTP header name"
                )),
                Some(_) => Ok(()),
            },
            other => match generic.iter().find(|(_, set)| *set) {
                Some((key, _)) => Err(format!(
                    "`{key}` applies to scheme `hmac` only, not `{}`",
                    other.name()
                )),
                None => Ok(()),
            },
        }
    }

    /// The header the signature or token comes in, lower-cased.
    pub fn header_name(&self) -> String {
        match self.scheme {
            AuthScheme::Shopify => "x-shopify-hmac-sha256".into(),
            AuthScheme::Woocommerce => "x-wc-webhook-signature".into(),
            AuthScheme::Hmac => self.header.clone().unwrap_or_default().to_ascii_lowercase(),
            AuthScheme::Bearer => "authorization".into(),
        }
    }
}

impl AuthScheme {
    /// The name written in the configuration.
    pub fn name(self) -> &'static str {
        match self {
            AuthScheme::Shopify => "shopify",
            AuthScheme::Woocommerce => "woocommerce",
            AuthScheme::Hmac => "hmac",
            AuthScheme::Bearer => "bearer",
        }
    }
}

/// `h` lower-cased when it is a valid header name (RFC 9110 token).
fn http_header_name(h: &str) -> Option<String> {
    let ok = !h.is_empty()
        && h.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    ok.then(|| h.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth(toml_text: &str) -> IngestAuth {
        toml::from_str(toml_text).expect("parses")
    }

    #[test]
    fn a_secret_source_is_required_and_single() {
        let mut a = auth("scheme = \"shopify\"");
        assert!(a
            .resolve(Path::new("."))
            .unwrap_err()
            .contains("never written"));
        let mut a = auth("scheme = \"shopify\"\nsecret_env = \"A\"\nsecret_file = \"f\"");
        assert!(a.resolve(Path::new(".")).unwrap_err().contains("not both"));
        let mut a = auth("scheme = \"bearer\"\nsecret_file = \"tokens\"");
        a.resolve(Path::new("/etc/weft")).expect("valid");
        assert_eq!(a.secret_file, Some(PathBuf::from("/etc/weft/tokens")));
    }

    #[test]
    fn a_secret_in_the_text_is_an_unknown_key() {
        let e =
            toml::from_str::<IngestAuth>("scheme = \"shopify\"\nsecret = \"s3cr3t\"").unwrap_err();
        assert!(e.to_string().contains("unknown field `secret`"), "{e}");
    }

    #[test]
    fn generic_settings_belong_to_hmac() {
        let mut a = auth("scheme = \"hmac\"\nsecret_env = \"A\"");
        assert!(a
            .resolve(Path::new("."))
            .unwrap_err()
            .contains("needs `header`"));
        let mut a = auth("scheme = \"hmac\"\nsecret_env = \"A\"\nheader = \"X Sig\"");
        assert!(a
            .resolve(Path::new("."))
            .unwrap_err()
            .contains("not a valid HTTP header"));
        let mut a = auth(
            "scheme = \"hmac\"\nsecret_env = \"A\"\nheader = \"X-Signature\"\nencoding = \"base64\"\nprefix = \"sha256=\"",
        );
        a.resolve(Path::new(".")).expect("valid");
        assert_eq!(a.header_name(), "x-signature");
        let mut a = auth("scheme = \"woocommerce\"\nsecret_env = \"A\"\nencoding = \"hex\"");
        assert!(a
            .resolve(Path::new("."))
            .unwrap_err()
            .contains("`encoding` applies to scheme `hmac` only"));
    }
}
