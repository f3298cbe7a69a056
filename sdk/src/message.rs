//! Helpers for building and reading messages and plugin descriptions.

use std::collections::HashMap;

use serde::{de::DeserializeOwned, Serialize};

use crate::{Message, PluginError, PluginInfo, Role};

/// Content type of canonical JSON documents.
pub const JSON: &str = "application/json";

impl Message {
    /// A message whose payload is `doc` serialised as JSON.
    pub fn json<T: Serialize>(
        id: impl Into<String>,
        correlation_id: impl Into<String>,
        kind: impl Into<String>,
        doc: &T,
    ) -> Result<Message, PluginError> {
        let payload = serde_json::to_vec(doc)
            .map_err(|e| PluginError::Invalid(format!("cannot serialise output document: {e}")))?;
        Ok(Message {
            id: id.into(),
            correlation_id: correlation_id.into(),
            kind: kind.into(),
            content_type: JSON.to_string(),
            headers: Vec::new(),
            payload,
        })
    }

    /// Parses the payload as JSON into `T`; the error names the line and
    /// column and what was expected.
    pub fn payload_json<T: DeserializeOwned>(&self) -> Result<T, PluginError> {
        serde_json::from_slice(&self.payload).map_err(|e| {
            PluginError::Invalid(format!(
                "payload of message `{}` is not the expected JSON: {e}",
                self.id
            ))
        })
    }

    /// The first value of header `name` (names compare case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Sets header `name` to `value`, replacing earlier values.
    pub fn set_header(&mut self, name: &str, value: impl Into<String>) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_ascii_lowercase(), value.into()));
    }

    /// Builder form of [`Message::set_header`].
    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Message {
        self.set_header(name, value);
        self
    }
}

impl PluginError {
    /// A permanent failure: the message goes to the dead-letter queue.
    pub fn invalid(reason: impl std::fmt::Display) -> PluginError {
        PluginError::Invalid(reason.to_string())
    }

    /// A transient failure: the host retries with backoff.
    pub fn retryable(reason: impl std::fmt::Display) -> PluginError {
        PluginError::Retryable(reason.to_string())
    }

    /// The same error with an `invalid` reason kept on one line whatever
    /// the document held: control characters are escaped
    /// ([`crate::text::escape_controls`]). Other errors are unchanged.
    pub fn one_line(self) -> PluginError {
        match self {
            PluginError::Invalid(reason) if reason.contains(char::is_control) => {
                PluginError::Invalid(crate::text::escape_controls(&reason).into_owned())
            }
            other => other,
        }
    }

    /// The same error with `place` (a position such as `items[2]: `) put in
    /// front of an `invalid` reason; unchanged when `place` is empty or the
    /// error is retryable.
    pub fn prefixed(self, place: &str) -> PluginError {
        match self {
            PluginError::Invalid(reason) if !place.is_empty() => {
                PluginError::Invalid(format!("{place}{reason}"))
            }
            other => other,
        }
    }
}

/// Starts a [`PluginInfo`] for `describe()`.
pub fn info(name: &str, version: &str, role: Role) -> InfoBuilder {
    InfoBuilder(PluginInfo {
        name: name.to_string(),
        version: version.to_string(),
        role,
        summary: String::new(),
        accepts: Vec::new(),
        emits: Vec::new(),
    })
}

/// Builder returned by [`info`].
pub struct InfoBuilder(PluginInfo);

impl InfoBuilder {
    /// One-line description.
    pub fn summary(mut self, s: &str) -> Self {
        self.0.summary = s.to_string();
        self
    }
    /// Accepted input kinds (`raw` for sources, `*`, or `prefix.*`).
    pub fn accepts<'a>(mut self, kinds: impl IntoIterator<Item = &'a str>) -> Self {
        self.0.accepts = kinds.into_iter().map(str::to_string).collect();
        self
    }
    /// Kinds this plugin may emit.
    pub fn emits<'a>(mut self, kinds: impl IntoIterator<Item = &'a str>) -> Self {
        self.0.emits = kinds.into_iter().map(str::to_string).collect();
        self
    }
    /// The finished description.
    pub fn build(self) -> PluginInfo {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trip_and_headers() {
        let m = Message::json("a", "c", "order.created", &serde_json::json!({"x": 1}))
            .unwrap()
            .with_header("X-Trace", "1")
            .with_header("x-trace", "2");
        assert_eq!(m.header("x-trace"), Some("2"));
        assert_eq!(m.headers.len(), 1);
        let v: serde_json::Value = m.payload_json().unwrap();
        assert_eq!(v["x"], 1);
        let bad = Message {
            payload: b"{".to_vec(),
            ..m
        };
        let err = bad.payload_json::<serde_json::Value>().unwrap_err();
        assert!(
            matches!(err, PluginError::Invalid(ref s) if s.contains("line 1")),
            "{err}"
        );
    }
}

/// The messages of one input, each id once, in order: the same message
/// again (same id, same payload) is kept once; the same id with another
/// payload is refused, so a document that holds one resource twice with
/// different content never loses either silently.
#[derive(Default)]
pub struct Distinct {
    out: Vec<Message>,
    seen: HashMap<String, usize>,
}

impl Distinct {
    /// Adds `m`; `Err(id)` when a message with its id but another payload
    /// is already in.
    pub fn push(&mut self, m: Message) -> Result<(), String> {
        match self.seen.get(&m.id) {
            Some(&i) if self.out[i].payload == m.payload => Ok(()),
            Some(_) => Err(m.id),
            None => {
                self.seen.insert(m.id.clone(), self.out.len());
                self.out.push(m);
                Ok(())
            }
        }
    }

    /// Whether nothing was added.
    pub fn is_empty(&self) -> bool {
        self.out.is_empty()
    }

    /// The messages, in the order first added.
    pub fn into_vec(self) -> Vec<Message> {
        self.out
    }
}

#[cfg(test)]
mod distinct_tests {
    use super::*;

    fn m(id: &str, payload: &str) -> Message {
        Message {
            id: id.into(),
            correlation_id: String::new(),
            kind: "k".into(),
            content_type: JSON.into(),
            headers: Vec::new(),
            payload: payload.as_bytes().to_vec(),
        }
    }

    #[test]
    fn the_same_message_twice_is_kept_once_and_a_changed_one_is_refused() {
        let mut d = Distinct::default();
        assert!(d.is_empty());
        d.push(m("1", "a")).unwrap();
        d.push(m("2", "b")).unwrap();
        d.push(m("1", "a")).unwrap();
        assert_eq!(d.push(m("2", "c")), Err("2".to_string()));
        let ids: Vec<String> = d.into_vec().into_iter().map(|m| m.id).collect();
        assert_eq!(ids, ["1", "2"]);
    }
}
