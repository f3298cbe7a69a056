//! Checks a plugin's outputs before they leave the host (`bad-output`), and
//! completes what the plugin may leave empty (id, correlation id).

use std::collections::HashSet;

use super::{bindings, bindings::wit, EngineConfig, Failure, FailureClass};
use crate::message::Message;

const MAX_ID: usize = 512;
const MAX_KIND: usize = 128;

/// Validates and completes the outputs of one call on `input`.
pub(crate) fn outputs(
    input: &Message,
    outputs: Vec<wit::Message>,
    config: &EngineConfig,
) -> Result<Vec<Message>, Failure> {
    let bad = |i: usize, m: &wit::Message, why: String| {
        let kind = if m.kind.is_empty() {
            String::new()
        } else {
            format!(" (kind {})", m.kind)
        };
        Failure::new(FailureClass::BadOutput, format!("output {i}{kind}: {why}"))
    };
    if outputs.len() > config.max_outputs {
        return Err(Failure::new(
            FailureClass::BadOutput,
            format!(
                "{} outputs, more than the limit of {}",
                outputs.len(),
                config.max_outputs
            ),
        ));
    }
    let total: usize = outputs
        .iter()
        .map(|m| {
            m.payload.len()
                + m.headers
                    .iter()
                    .map(|(n, v)| n.len() + v.len())
                    .sum::<usize>()
        })
        .sum();
    if total > config.max_output_bytes {
        return Err(Failure::new(
            FailureClass::BadOutput,
            format!(
                "outputs total {total} bytes, more than the limit of {}",
                config.max_output_bytes
            ),
        ));
    }
    let mut seen = HashSet::new();
    let mut done = Vec::with_capacity(outputs.len());
    for (i, m) in outputs.into_iter().enumerate() {
        if let Err(why) = check(&m) {
            return Err(bad(i, &m, why));
        }
        let mut out = bindings::from_wit(m);
        if out.id.is_empty() {
            out.id = format!("{}/{i}", input.id);
        }
        if out.correlation_id.is_empty() {
            out.correlation_id = input.correlation_id.clone();
        }
        if !seen.insert(out.id.clone()) {
            return Err(Failure::new(
                FailureClass::BadOutput,
                format!(
                    "output {i} (kind {}): id `{}` is used twice in one call",
                    out.kind, out.id
                ),
            ));
        }
        done.push(out);
    }
    Ok(done)
}

fn check(m: &wit::Message) -> Result<(), String> {
    if m.kind.is_empty() {
        return Err("`kind` is empty".into());
    }
    if m.kind.len() > MAX_KIND
        || !m
            .kind
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
    {
        return Err(format!(
            "`kind` {:?} must be lower-case letters, digits, `.`, `_`, `-`",
            m.kind
        ));
    }
    if m.id.len() > MAX_ID || m.id.chars().any(char::is_control) {
        return Err(format!(
            "`id` must be at most {MAX_ID} characters without control characters"
        ));
    }
    if m.correlation_id.len() > MAX_ID || m.correlation_id.chars().any(char::is_control) {
        return Err(format!(
            "`correlation-id` must be at most {MAX_ID} characters without control characters"
        ));
    }
    let essence = m.content_type.split(';').next().unwrap_or("").trim();
    let mut parts = essence.splitn(2, '/');
    let (ty, sub) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    if !token(ty) || !token(sub) {
        return Err(format!(
            "`content-type` {:?} is not a MIME type like application/json",
            m.content_type
        ));
    }
    for (name, value) in &m.headers {
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        {
            return Err(format!(
                "header name {name:?} must be letters, digits, `-`, `_`, `.`"
            ));
        }
        if value.chars().any(|c| c.is_control() && c != '\t') {
            return Err(format!(
                "header `{name}` has control characters in its value"
            ));
        }
    }
    if crate::message::is_json_content_type(&m.content_type) {
        if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(&m.payload) {
            return Err(format!(
                "content-type is {} but the payload is not JSON: {e}",
                m.content_type
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(kind: &str, ct: &str, payload: &[u8]) -> wit::Message {
        wit::Message {
            id: String::new(),
            correlation_id: String::new(),
            kind: kind.into(),
            content_type: ct.into(),
            headers: vec![],
            payload: payload.to_vec(),
        }
    }

    #[test]
    fn completes_ids_and_rejects_bad_outputs() {
        let input = Message {
            id: "in".into(),
            correlation_id: "c".into(),
            ..Default::default()
        };
        let cfg = EngineConfig::default();
        let ok = outputs(
            &input,
            vec![
                out("a.b", "application/json", b"{}"),
                out("a.b", "text/plain", b"x"),
            ],
            &cfg,
        )
        .unwrap();
        assert_eq!(ok[0].id, "in/0");
        assert_eq!(ok[1].id, "in/1");
        assert_eq!(ok[1].correlation_id, "c");

        let cases = [
            (out("", "application/json", b"{}"), "`kind` is empty"),
            (out("Order", "application/json", b"{}"), "lower-case"),
            (out("a", "json", b"{}"), "not a MIME type"),
            (out("a", "application/json", b"{oops"), "not JSON"),
        ];
        for (m, want) in cases {
            let f = outputs(&input, vec![m], &cfg).unwrap_err();
            assert_eq!(f.class, FailureClass::BadOutput);
            assert!(f.message.contains(want), "{} lacks {want}", f.message);
        }
        let mut dup = out("a", "text/plain", b"");
        dup.id = "same".into();
        let f = outputs(&input, vec![dup.clone(), dup], &cfg).unwrap_err();
        assert!(f.message.contains("used twice"), "{}", f.message);
    }
}
