//! How a file becomes the input message of a harness call.

use std::path::Path;

use crate::{message::Message, Plugin};

/// Overrides for the input message; unset fields get defaults.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputSpec {
    /// Message id; default `sha256:<first 16 hex digits of the payload digest>`.
    pub id: Option<String>,
    /// Default: the first kind the plugin accepts when it names one kind
    /// (`order.*` does not), else `raw`.
    pub kind: Option<String>,
    /// Default: guessed from the file extension ([`content_type_for`]).
    pub content_type: Option<String>,
    /// Default: empty.
    pub correlation_id: Option<String>,
    /// Extra headers.
    #[serde(default)]
    pub headers: Vec<(String, String)>,
}

impl InputSpec {
    /// Builds the message for `payload` read from `path` (if any) for `plugin`.
    pub fn message(&self, plugin: &Plugin, path: Option<&Path>, payload: Vec<u8>) -> Message {
        let id = self
            .id
            .clone()
            .unwrap_or_else(|| crate::stamp::content_id(&payload));
        let kind = self
            .kind
            .clone()
            .unwrap_or_else(|| default_kind(&plugin.info().accepts));
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

fn default_kind(accepts: &[String]) -> String {
    match accepts.first() {
        Some(k) if !k.contains('*') => k.clone(),
        _ => "raw".to_string(),
    }
}

/// Content type for a file: by extension (`.json`, `.edi`/`.x12`, `.xml`,
/// `.csv`, `.txt`), else JSON if it parses, else octet-stream.
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

/// Parses `KEY=VALUE`.
pub fn key_value(s: &str) -> Result<(String, String), KeyValueError> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(KeyValueError(s.to_string())),
    }
}

/// An argument that is not `KEY=VALUE` with a non-blank key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected KEY=VALUE, got `{0}`")]
pub struct KeyValueError(pub String);

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(key_value("a=b=c").unwrap(), ("a".into(), "b=c".into()));
        assert!(key_value("=x").is_err());
    }
}
