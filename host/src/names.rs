//! Names an operator chooses — pipelines, stages, sinks, flows — checked
//! by one rule wherever they enter: `weft.toml` and the registry's
//! deployment API.

/// Longest name accepted.
pub const MAX_NAME: usize = 64;

/// A name is 1–64 ASCII letters, digits, `-`, `_` or `.`, and not only
/// dots: safe in Redis keys, URL paths and file names. The error names
/// `what` (`pipeline`, `stage`, …) and shows at most 64 characters of the
/// offending name, escaped.
pub fn check_name(what: &str, name: &str) -> Result<(), NameError> {
    let ok = !name.is_empty()
        && name.len() <= MAX_NAME
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        && !name.bytes().all(|b| b == b'.');
    if ok {
        return Ok(());
    }
    let mut shown: String = name.chars().take(MAX_NAME).collect();
    shown = shown.escape_debug().to_string();
    if name.chars().count() > MAX_NAME {
        shown.push('…');
    }
    Err(NameError {
        what: what.to_string(),
        shown,
    })
}

/// A name that breaks the rule of [`check_name`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} name `{shown}` must be 1-{max} letters, digits, `-`, `_` or `.` (not only dots)", max = MAX_NAME)]
pub struct NameError {
    /// What the name names: `pipeline`, `stage`, `sink`, `flow`.
    pub what: String,
    /// The name as shown: at most 64 characters, escaped.
    pub shown: String,
}

/// `s` %-escaped to stand as one URL path segment or query value: every
/// byte but the unreserved ones (RFC 3986: letters, digits, `-._~`) and
/// `:` (kept readable in ids like `shopify:1001`) is written `%XX`, `/`
/// included.
pub fn url_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b':' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_one_rule_and_errors_stay_short() {
        for good in ["shopify", "orders_v2", "edi.850", "a", &"x".repeat(64)] {
            assert!(check_name("pipeline", good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "../../x",
            "a/b",
            "..",
            ".",
            "sp ace",
            "é",
            &"x".repeat(65),
        ] {
            let e = check_name("stage", bad).unwrap_err().to_string();
            assert!(e.starts_with("stage name `"), "{e}");
        }
        let e = check_name("stage", &"s".repeat(3000))
            .unwrap_err()
            .to_string();
        assert!(e.len() < 200, "{e}");
        let e = check_name("pipeline", "a\nb").unwrap_err().to_string();
        assert!(!e.contains('\n'), "{e}");
    }

    #[test]
    fn urls_escape_all_but_unreserved_bytes_and_colons() {
        assert_eq!(url_escape("shopify:A-1_b.c~"), "shopify:A-1_b.c~");
        assert_eq!(
            url_escape("/dashboard/orders?q=1 2"),
            "%2Fdashboard%2Forders%3Fq%3D1%202"
        );
        assert_eq!(url_escape("é"), "%C3%A9");
    }
}
