//! Delivery directives: headers a sink plugin sets on its outputs to steer
//! the host's delivery. They are the only `weft-` headers a plugin may set.
//!
//! | header | sink | meaning |
//! |---|---|---|
//! | `weft-http-method` | http | `POST` (default), `PUT`, `PATCH` or `DELETE` |
//! | `weft-http-path` | http | appended to the sink's `url` (must start with `/`, no `..` segment, no scheme) |
//! | `idempotency-key` | http | sent as `Idempotency-Key` (default: the message id) |
//! | `weft-file-name` | file | the file's name (default: the message id); sanitised to `[A-Za-z0-9._@-]` |

use crate::Message;

/// HTTP method header.
pub const HTTP_METHOD: &str = "weft-http-method";
/// HTTP path header.
pub const HTTP_PATH: &str = "weft-http-path";
/// Idempotency key header.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";
/// File name header.
pub const FILE_NAME: &str = "weft-file-name";

/// A delivery directive a sink cannot follow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DirectiveError {
    /// `weft-http-method` is not one of the methods a sink sends.
    #[error("header {h}: `{0}` is not POST, PUT, PATCH or DELETE", h = HTTP_METHOD)]
    Method(String),
    /// `weft-http-path` is not a plain path below the sink's URL.
    #[error("header {h}: `{0}` is not a path (it must start with `/`, without `..` segments, spaces or a scheme)", h = HTTP_PATH)]
    Path(String),
}

/// The method and full URL of `m` for the sink at `base`; an error names
/// the bad header (the message is then dead-lettered as `invalid`).
pub fn http_target(base: &str, m: &Message) -> Result<(reqwest::Method, String), DirectiveError> {
    let method = match m.header(HTTP_METHOD) {
        None => reqwest::Method::POST,
        Some(v) => match v.to_ascii_uppercase().as_str() {
            "POST" => reqwest::Method::POST,
            "PUT" => reqwest::Method::PUT,
            "PATCH" => reqwest::Method::PATCH,
            "DELETE" => reqwest::Method::DELETE,
            _ => return Err(DirectiveError::Method(v.to_string())),
        },
    };
    let url = match m.header(HTTP_PATH) {
        None => base.to_string(),
        Some(p) => {
            let bad = !p.starts_with('/')
                || p.contains("://")
                || p.chars().any(|c| c.is_whitespace() || c.is_control())
                || p.split(['/', '?']).any(|seg| seg == "..");
            if bad {
                return Err(DirectiveError::Path(p.to_string()));
            }
            format!("{}{p}", base.trim_end_matches('/'))
        }
    };
    Ok((method, url))
}

/// The idempotency key of `m`.
pub fn idempotency_key(m: &Message) -> &str {
    m.header(IDEMPOTENCY_KEY).unwrap_or(&m.id)
}

/// The file name for `m` in a file sink: `weft-file-name`, else the message
/// id plus an extension from the content type; characters outside `[A-Za-z0-9._@-]` become
/// `_` and a leading `.` is replaced, so the name never leaves the folder
/// or hides.
pub fn file_name(m: &Message) -> String {
    let raw = match m.header(FILE_NAME) {
        Some(n) if !n.trim().is_empty() => n.to_string(),
        _ => format!("{}.{}", m.id, extension(m)),
    };
    let mut name: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.@".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name.starts_with('.') {
        name.replace_range(0..1, "_");
    }
    name
}

/// `.json`, `.edi` (X12, EDIFACT), `.xml`, `.csv`, `.txt`, else `.bin`.
fn extension(m: &Message) -> &'static str {
    let ct = m.content_type.to_ascii_lowercase();
    if m.is_json() {
        "json"
    } else if ct.contains("edi-x12") || ct.contains("edifact") {
        "edi"
    } else if ct.contains("xml") {
        "xml"
    } else if ct.starts_with("text/csv") {
        "csv"
    } else if ct.starts_with("text/") {
        "txt"
    } else {
        "bin"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(headers: &[(&str, &str)]) -> Message {
        let mut m = Message {
            id: "x12:ACME:1/997".into(),
            content_type: "application/json".into(),
            payload: b"{}".to_vec(),
            ..Message::default()
        };
        for (k, v) in headers {
            m.headers.push((k.to_string(), v.to_string()));
        }
        m
    }

    #[test]
    fn method_and_path_extend_the_sink_url() {
        let (method, url) = http_target(
            "http://127.0.0.1:9/erp/",
            &msg(&[(HTTP_METHOD, "put"), (HTTP_PATH, "/sales-orders/shopify:1")]),
        )
        .unwrap();
        assert_eq!(method, reqwest::Method::PUT);
        assert_eq!(url, "http://127.0.0.1:9/erp/sales-orders/shopify:1");
        let (method, url) = http_target("http://h/x", &msg(&[])).unwrap();
        assert_eq!(
            (method, url.as_str()),
            (reqwest::Method::POST, "http://h/x")
        );
    }

    #[test]
    fn bad_directives_are_refused_by_name() {
        for (h, v) in [
            (HTTP_METHOD, "GETX"),
            (HTTP_PATH, "sales"),
            (HTTP_PATH, "/a/../admin"),
            (HTTP_PATH, "//evil.example/x://"),
            (HTTP_PATH, "/a b"),
        ] {
            let e = http_target("http://h", &msg(&[(h, v)]))
                .unwrap_err()
                .to_string();
            assert!(e.contains(h), "{e}");
        }
    }

    #[test]
    fn file_names_stay_in_the_folder() {
        assert_eq!(
            file_name(&msg(&[(FILE_NAME, "855_ACME_000000001.edi")])),
            "855_ACME_000000001.edi"
        );
        assert_eq!(
            file_name(&msg(&[(FILE_NAME, "../../etc/passwd")])),
            "_._.._etc_passwd"
        );
        assert_eq!(file_name(&msg(&[])), "x12_ACME_1_997.json");
        let edi = Message {
            id: "x12:S:1:2:997".into(),
            content_type: "application/edi-x12".into(),
            ..Message::default()
        };
        assert_eq!(file_name(&edi), "x12_S_1_2_997.edi");
        assert_eq!(idempotency_key(&msg(&[])), "x12:ACME:1/997");
        assert_eq!(idempotency_key(&msg(&[(IDEMPOTENCY_KEY, "k")])), "k");
    }
}
