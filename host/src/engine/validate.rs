//! Checks a plugin's outputs before they leave the host (`bad-output`), and
//! completes what the plugin may leave empty (id, correlation id). A message
//! about a limit names it by its config key (`limits.max_headers = 64`).
//! Payloads are read afterwards, once each, by [`super::schema::check`]:
//! that a JSON content type carries JSON, and the canonical schema.

use std::collections::HashSet;

use super::{bindings, bindings::wit, CallLimits, Failure, FailureClass};
use crate::message::Message;

/// Validates and completes the outputs of one call on `input`.
pub(crate) fn outputs(
    input: &Message,
    outputs: Vec<wit::MessageResult>,
    limits: &CallLimits,
) -> Result<Vec<Message>, Failure> {
    let bad = |i: usize, m: &wit::MessageResult, why: String| {
        let kind = if m.kind.is_empty() {
            String::new()
        } else {
            format!(" (kind {})", m.kind)
        };
        Failure::new(FailureClass::BadOutput, format!("output {i}{kind}: {why}"))
    };
    if outputs.len() > limits.max_outputs {
        return Err(Failure::new(
            FailureClass::BadOutput,
            format!(
                "{} outputs, more than limits.max_outputs = {}",
                outputs.len(),
                limits.max_outputs
            ),
        ));
    }
    for (i, m) in outputs.iter().enumerate() {
        if m.headers.len() > limits.max_headers {
            let why = format!(
                "{} headers, more than limits.max_headers = {}",
                m.headers.len(),
                limits.max_headers
            );
            return Err(bad(i, m, why));
        }
        let bytes = header_bytes(m);
        if bytes > limits.max_header_bytes {
            let why = format!(
                "{bytes} bytes of headers, more than limits.max_header_bytes = {}",
                limits.max_header_bytes
            );
            return Err(bad(i, m, why));
        }
    }
    let total: usize = outputs
        .iter()
        .map(|m| m.payload.len() + header_bytes(m))
        .sum();
    if total > limits.max_output_bytes {
        return Err(Failure::new(
            FailureClass::BadOutput,
            format!(
                "outputs total {total} bytes, more than limits.max_output_bytes = {}",
                limits.max_output_bytes
            ),
        ));
    }
    let mut seen = HashSet::new();
    let mut done = Vec::with_capacity(outputs.len());
    for (i, m) in outputs.into_iter().enumerate() {
        if let Err(why) = check(&m, limits) {
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

/// Bytes of names and values of a message's headers.
fn header_bytes(m: &wit::MessageResult) -> usize {
    m.headers.iter().map(|(n, v)| n.len() + v.len()).sum()
}

fn check(m: &wit::MessageResult, limits: &CallLimits) -> Result<(), String> {
    if m.kind.is_empty() {
        return Err("`kind` is empty".into());
    }
    if m.kind.len() > limits.max_kind_bytes {
        return Err(format!(
            "`kind` of {} bytes, more than limits.max_kind_bytes = {}",
            m.kind.len(),
            limits.max_kind_bytes
        ));
    }
    if !m
        .kind
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
    {
        return Err(format!(
            "`kind` {:?} must be lower-case letters, digits, `.`, `_`, `-`",
            m.kind
        ));
    }
    for (what, id) in [("id", &m.id), ("correlation-id", &m.correlation_id)] {
        if id.len() > limits.max_id_bytes {
            return Err(format!(
                "`{what}` of {} bytes, more than limits.max_id_bytes = {}",
                id.len(),
                limits.max_id_bytes
            ));
        }
        if id.chars().any(char::is_control) {
            return Err(format!("`{what}` has control characters"));
        }
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
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(kind: &str, ct: &str, payload: &[u8]) -> wit::MessageResult {
        wit::MessageResult {
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
        let cfg = CallLimits::default();
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

    #[test]
    fn each_output_limit_is_named_by_its_config_key() {
        let input = Message::default();
        let tight = CallLimits {
            max_outputs: 2,
            max_output_bytes: 100,
            max_id_bytes: 8,
            max_kind_bytes: 4,
            max_headers: 2,
            max_header_bytes: 20,
            ..CallLimits::default()
        };
        let ok = out("a.b", "text/plain", b"x");
        let with = |f: &dyn Fn(&mut wit::MessageResult)| {
            let mut m = ok.clone();
            f(&mut m);
            vec![m]
        };
        let cases: [(Vec<wit::MessageResult>, &str); 7] = [
            (
                vec![ok.clone(); 3],
                "3 outputs, more than limits.max_outputs = 2",
            ),
            (
                with(&|m| m.payload = vec![b'x'; 101]),
                "101 bytes, more than limits.max_output_bytes = 100",
            ),
            (
                with(&|m| m.id = "123456789".into()),
                "`id` of 9 bytes, more than limits.max_id_bytes = 8",
            ),
            (
                with(&|m| m.correlation_id = "123456789".into()),
                "`correlation-id` of 9 bytes, more than limits.max_id_bytes = 8",
            ),
            (
                with(&|m| m.kind = "a.bcd".into()),
                "`kind` of 5 bytes, more than limits.max_kind_bytes = 4",
            ),
            (
                with(&|m| m.headers = vec![("a".into(), "1".into()); 3]),
                "output 0 (kind a.b): 3 headers, more than limits.max_headers = 2",
            ),
            (
                with(&|m| m.headers = vec![("a".into(), "x".repeat(20))]),
                "21 bytes of headers, more than limits.max_header_bytes = 20",
            ),
        ];
        for (outs, want) in cases {
            let f = outputs(&input, outs, &tight).unwrap_err();
            assert_eq!(f.class, FailureClass::BadOutput);
            assert!(f.message.contains(want), "{} lacks {want}", f.message);
        }
        // At each limit: accepted.
        let mut m = ok.clone();
        m.id = "12345678".into();
        m.kind = "a.bc".into();
        m.headers = vec![("a".into(), "x".repeat(9)), ("b".into(), "x".repeat(9))];
        assert!(outputs(&input, vec![m, ok], &tight).is_ok());
    }
}
