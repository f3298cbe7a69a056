//! Rendering typed errors for people: each error type of this crate says
//! what failed in its own text and keeps the underlying error as its
//! `source`, so the full reason is the chain of texts.

use std::error::Error;

/// `e` and every error below it, joined by `: ` — the text `anyhow`
/// prints for `{:#}`, for places that report an error as a string (a
/// dead-letter record, a failed case, a deployment report).
pub fn chain(e: &(dyn Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut next = e.source();
    while let Some(cause) = next {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        next = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("cannot read {0}")]
    struct Outer(&'static str, #[source] std::io::Error);

    #[test]
    fn the_chain_joins_every_cause() {
        let e = Outer("x.csv", std::io::Error::other("gone"));
        assert_eq!(chain(&e), "cannot read x.csv: gone");
        assert_eq!(chain(&std::io::Error::other("alone")), "alone");
    }
}
