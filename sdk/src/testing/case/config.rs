//! A case's `NAME.config.toml`, and the input message a case's file
//! becomes.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::Message;

/// What a case's `NAME.config.toml` sets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseConfig {
    /// Plugin config: the top-level keys (numbers and booleans as they are
    /// written, `true`, `42`).
    pub config: BTreeMap<String, String>,
    /// Input message overrides (`[message]`).
    pub message: MessageSpec,
    /// Lookup tables (`[lookup.<table>]`, `key = "value"`).
    pub lookup: BTreeMap<String, BTreeMap<String, String>>,
    /// Counter seeds (`[sequence]`, `name = N`): the next value of each.
    pub sequences: BTreeMap<String, u64>,
}

/// Why a case config is refused.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The text is not TOML.
    #[error("not valid TOML")]
    Toml(#[source] toml::de::Error),
    /// `[message]` has an unknown key or a value of the wrong type.
    #[error("bad [message] table")]
    Message(#[source] toml::de::Error),
    /// A `[lookup.<table>]` value is not a string.
    #[error("bad [lookup] table: each [lookup.<table>] maps keys to string values")]
    Lookup(#[source] toml::de::Error),
    /// A `[sequence]` value is not a counter value.
    #[error("[sequence] maps counter names to numbers")]
    Sequence(#[source] toml::de::Error),
    /// A top-level key holds a table or an array.
    #[error("config key `{key}` must be a string, number or boolean, not {found}")]
    Value {
        /// The key.
        key: String,
        /// The TOML type it holds.
        found: &'static str,
    },
}

impl CaseConfig {
    /// Parses the text of a `NAME.config.toml`.
    pub fn parse(text: &str) -> Result<CaseConfig, ConfigError> {
        let mut table: toml::Table = toml::from_str(text).map_err(ConfigError::Toml)?;
        let message = match table.remove("message") {
            Some(v) => v.try_into().map_err(ConfigError::Message)?,
            None => MessageSpec::default(),
        };
        let lookup = match table.remove("lookup") {
            Some(v) => v.try_into().map_err(ConfigError::Lookup)?,
            None => BTreeMap::new(),
        };
        let sequences = match table.remove("sequence") {
            Some(v) => v.try_into().map_err(ConfigError::Sequence)?,
            None => BTreeMap::new(),
        };
        let mut config = BTreeMap::new();
        for (key, v) in table {
            let v = match v {
                toml::Value::String(s) => s,
                toml::Value::Integer(_) | toml::Value::Float(_) | toml::Value::Boolean(_) => {
                    v.to_string()
                }
                other => {
                    return Err(ConfigError::Value {
                        key,
                        found: other.type_str(),
                    })
                }
            };
            config.insert(key, v);
        }
        Ok(CaseConfig {
            config,
            message,
            lookup,
            sequences,
        })
    }
}

/// The `[message]` table: overrides for the input message; unset fields
/// get the defaults of [`MessageSpec::message`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageSpec {
    /// Message id; default `sha256:<first 16 hex digits of the payload digest>`.
    pub id: Option<String>,
    /// Default: the first kind the plugin accepts when it names one kind
    /// (`order.*` does not), else `raw`.
    pub kind: Option<String>,
    /// Default: guessed from the file ([`content_type_for`]).
    pub content_type: Option<String>,
    /// Default: empty.
    pub correlation_id: Option<String>,
    /// Extra headers, `[["name", "value"], …]` (names are lower-cased).
    #[serde(default)]
    pub headers: Vec<(String, String)>,
}

impl MessageSpec {
    /// The input message of `payload`, read from `path` (if any), for a
    /// plugin accepting `accepts`.
    pub fn message(&self, accepts: &[String], path: Option<&Path>, payload: Vec<u8>) -> Message {
        let id = self.id.clone().unwrap_or_else(|| default_id(&payload));
        let kind = self.kind.clone().unwrap_or_else(|| default_kind(accepts));
        let content_type = self
            .content_type
            .clone()
            .unwrap_or_else(|| content_type_for(path, &payload).to_string());
        Message {
            id,
            correlation_id: self.correlation_id.clone().unwrap_or_default(),
            kind,
            content_type,
            headers: self
                .headers
                .iter()
                .map(|(n, v)| (n.to_ascii_lowercase(), v.clone()))
                .collect(),
            payload,
        }
    }
}

/// `sha256:` and the first 16 hex digits of the payload's digest.
fn default_id(payload: &[u8]) -> String {
    let digest = Sha256::digest(payload);
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// The only kind a plugin accepts when it names one, else `raw`.
fn default_kind(accepts: &[String]) -> String {
    match accepts.first() {
        Some(k) if !k.contains('*') => k.clone(),
        _ => "raw".to_string(),
    }
}

/// Content type of a file: by extension (`.json`, `.edi`/`.x12`/`.850`…,
/// `.edifact`, `.xml`, `.csv`, `.txt`), else JSON if it parses, else
/// `text/plain` if UTF-8, else `application/octet-stream`.
pub fn content_type_for(path: Option<&Path>, payload: &[u8]) -> &'static str {
    let ext = path
        .and_then(|p| p.extension())
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("json") => "application/json",
        Some("edi" | "x12" | "850" | "855" | "856" | "810" | "846" | "997") => {
            "application/edi-x12"
        }
        Some("edifact") => "application/edifact",
        Some("xml") => "application/xml",
        Some("csv") => "text/csv",
        Some("txt") => "text/plain",
        _ if serde_json::from_slice::<serde::de::IgnoredAny>(payload).is_ok() => "application/json",
        _ if std::str::from_utf8(payload).is_ok() => "text/plain",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_not_plugin_config() {
        let c = CaseConfig::parse(
            "strict = \"yes\"\nmax_bytes = 10\nack = false\n\
             [message]\nkind = \"order.created\"\nheaders = [[\"X-A\", \"1\"], [\"x-a\", \"2\"]]\n\
             [lookup.sku]\nA = \"1\"\n[sequence]\n\"x12:ACME:isa\" = 42\n",
        )
        .unwrap();
        let keys: Vec<(&str, &str)> = c
            .config
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            keys,
            [("ack", "false"), ("max_bytes", "10"), ("strict", "yes")]
        );
        assert_eq!(c.lookup["sku"]["A"], "1");
        assert_eq!(c.sequences["x12:ACME:isa"], 42);
        let m = c.message.message(&["raw".into()], None, b"{}".to_vec());
        assert_eq!(m.kind, "order.created");
        assert_eq!(
            m.headers,
            [("x-a".into(), "1".into()), ("x-a".into(), "2".into())]
        );
        assert_eq!(m.content_type, "application/json");
        assert_eq!(m.id, "sha256:44136fa355b3678a");
    }

    #[test]
    fn refusals_name_the_table() {
        for (text, want) in [
            (
                "a = [1]",
                "config key `a` must be a string, number or boolean, not array",
            ),
            ("[message]\nnope = 1", "bad [message] table"),
            ("[lookup.t]\nk = 1", "bad [lookup] table"),
            (
                "[sequence]\nisa = \"x\"",
                "[sequence] maps counter names to numbers",
            ),
            ("a = ", "not valid TOML"),
        ] {
            let e = CaseConfig::parse(text).unwrap_err();
            assert!(e.to_string().starts_with(want), "{text}: {e}");
        }
    }

    #[test]
    fn defaults() {
        assert_eq!(default_kind(&["order.created".into()]), "order.created");
        assert_eq!(default_kind(&["order.*".into()]), "raw");
        assert_eq!(default_kind(&[]), "raw");
        assert_eq!(
            content_type_for(Some(Path::new("a.EDI")), b""),
            "application/edi-x12"
        );
        assert_eq!(content_type_for(None, b"{\"a\":1}"), "application/json");
        assert_eq!(content_type_for(None, b"hello"), "text/plain");
        assert_eq!(content_type_for(None, &[0xff]), "application/octet-stream");
    }
}
