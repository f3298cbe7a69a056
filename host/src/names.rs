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
}
