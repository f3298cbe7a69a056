//! The receiver's reference in a 2xx answer: with `order_number_pointer`
//! set, the HTTP sink reads the response body (at most [`MAX_BODY`]
//! bytes, within the sink's `timeout_ms`) and takes the string or number
//! at that JSON pointer — the ERP's order number — as the `ref` of the
//! delivery record. When it is not there, the delivery still counts (the
//! receiver accepted the message); the caller logs and counts why.

/// The most of a response body read for the reference.
pub const MAX_BODY: usize = 64 << 10;

/// Why a 2xx answer gave no reference.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Missing {
    /// The body is larger than [`MAX_BODY`].
    #[error("the response body is larger than {} KiB", MAX_BODY >> 10)]
    TooLarge,
    /// The body could not be read (timeout, connection lost).
    #[error("the response body could not be read: {0}")]
    Read(String),
    /// The body is not JSON.
    #[error("the response body is not JSON ({0})")]
    NotJson(String),
    /// Nothing is at the pointer.
    #[error("the response has no value at `{0}`")]
    Absent(String),
    /// The value at the pointer is not a string or a number (or is empty).
    #[error("the value at `{pointer}` is {found}, not a string or a number")]
    NotScalar {
        /// The pointer.
        pointer: String,
        /// What is there instead.
        found: &'static str,
    },
}

/// Reads at most [`MAX_BODY`] bytes of `response`'s body.
pub async fn read_body(mut response: reqwest::Response) -> Result<Vec<u8>, Missing> {
    if response
        .content_length()
        .is_some_and(|n| n > MAX_BODY as u64)
    {
        return Err(Missing::TooLarge);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| Missing::Read(crate::errors::chain(&e)))?
    {
        if body.len() + chunk.len() > MAX_BODY {
            return Err(Missing::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The string or number at JSON `pointer` in `body`.
pub fn find(body: &[u8], pointer: &str) -> Result<String, Missing> {
    let doc: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| Missing::NotJson(e.to_string()))?;
    let not_scalar = |found| Missing::NotScalar {
        pointer: pointer.to_string(),
        found,
    };
    match doc.pointer(pointer) {
        None => Err(Missing::Absent(pointer.to_string())),
        Some(serde_json::Value::String(s)) if s.is_empty() => Err(not_scalar("an empty string")),
        Some(serde_json::Value::String(s)) => Ok(s.clone()),
        Some(serde_json::Value::Number(n)) => Ok(n.to_string()),
        Some(serde_json::Value::Null) => Err(not_scalar("null")),
        Some(serde_json::Value::Bool(_)) => Err(not_scalar("a boolean")),
        Some(serde_json::Value::Array(_)) => Err(not_scalar("an array")),
        Some(serde_json::Value::Object(_)) => Err(not_scalar("an object")),
    }
}

/// The reference in `response` at `pointer`: its body read with a bound,
/// then [`find`].
pub async fn read(response: reqwest::Response, pointer: &str) -> Result<String, Missing> {
    find(&read_body(response).await?, pointer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_numbers_at_the_pointer_are_the_reference() {
        let body = br#"{"orderNumber": "SO-000123", "n": 4711, "a/b": {"~": "x"}, "lines": [{"no": 1.5}]}"#;
        assert_eq!(find(body, "/orderNumber"), Ok("SO-000123".into()));
        assert_eq!(find(body, "/n"), Ok("4711".into()));
        assert_eq!(find(body, "/a~1b/~0"), Ok("x".into()));
        assert_eq!(find(body, "/lines/0/no"), Ok("1.5".into()));
        assert_eq!(find(b"\"SO-9\"", ""), Ok("SO-9".into()));
    }

    #[test]
    fn anything_else_says_why() {
        let body = br#"{"orderNumber": null, "o": {}, "e": "", "t": true, "l": []}"#;
        assert_eq!(find(body, "/nope"), Err(Missing::Absent("/nope".into())));
        for (p, found) in [
            ("/orderNumber", "null"),
            ("/o", "an object"),
            ("/e", "an empty string"),
            ("/t", "a boolean"),
            ("/l", "an array"),
        ] {
            assert_eq!(
                find(body, p),
                Err(Missing::NotScalar {
                    pointer: p.into(),
                    found
                })
            );
        }
        let e = find(b"OK", "/orderNumber").unwrap_err();
        assert!(
            e.to_string().starts_with("the response body is not JSON"),
            "{e}"
        );
        assert!(matches!(find(b"", "/x"), Err(Missing::NotJson(_))));
    }
}
