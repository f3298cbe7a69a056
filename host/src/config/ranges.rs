//! Range checks of configuration values (`max_attempts = 0`, `jitter =
//! 7.5`, `max_ms` below `base_ms`, …), each error at the line of the
//! offending value; also the syntax of a sink's `order_number_pointer`.
//!
//! The checks run after deserialization, so cross-field rules and values
//! inside `[sinks.NAME]` (an internally tagged enum, which loses toml's
//! spans) are located too: [`span_at`] finds a key path's value in the
//! text.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

use super::{Config, Located, RetryPolicy, Sink};

/// Finds a value's span from its key path (table keys; array indexes as
/// decimal strings).
pub(crate) type Locate<'a> = &'a dyn Fn(&[&str]) -> Option<Range<usize>>;

/// The span of the value at `path` in the TOML `text`, if it is there.
pub(crate) fn span_at(text: &str, path: &[&str]) -> Option<Range<usize>> {
    let root = DeTable::parse(text).ok()?;
    let mut table: Option<&DeTable<'_>> = Some(root.get_ref());
    let mut array: Option<&[toml::Spanned<DeValue<'_>>]> = None;
    let mut span = None;
    for key in path {
        let value = match (table, array) {
            (Some(t), _) => t.get(*key)?,
            (None, Some(a)) => a.get(key.parse::<usize>().ok()?)?,
            (None, None) => return None,
        };
        span = Some(value.span());
        (table, array) = match value.get_ref() {
            DeValue::Table(t) => (Some(t), None),
            DeValue::Array(a) => (None, Some(&a[..])),
            _ => (None, None),
        };
    }
    span
}

/// `value` at `path` must lie in `min..=max` (`u64::MAX`: no upper bound).
fn within(
    locate: Locate<'_>,
    path: &[&str],
    value: u64,
    min: u64,
    max: u64,
) -> Result<(), Located> {
    if (min..=max).contains(&value) {
        return Ok(());
    }
    let field = path.last().copied().unwrap_or_default();
    let rule = if max == u64::MAX {
        format!("at least {min}")
    } else {
        format!("between {min} and {max}")
    };
    Err((locate(path), format!("{field} must be {rule}, not {value}")))
}

fn retry(locate: Locate<'_>, prefix: &[&str], p: &RetryPolicy) -> Result<(), Located> {
    let path = |key: &'static str| [prefix, &["retry", key]].concat();
    within(
        locate,
        &path("max_attempts"),
        p.max_attempts.into(),
        1,
        u64::MAX,
    )?;
    within(locate, &path("base_ms"), p.base_ms, 1, u64::MAX)?;
    within(locate, &path("max_ms"), p.max_ms, 1, u64::MAX)?;
    if !(0.0..=1.0).contains(&p.jitter) {
        return Err((
            locate(&path("jitter")),
            format!("jitter must be between 0.0 and 1.0, not {}", p.jitter),
        ));
    }
    if p.max_ms < p.base_ms {
        // At `max_ms` when it is written, else at `base_ms` (above the default).
        let span = locate(&path("max_ms")).or_else(|| locate(&path("base_ms")));
        return Err((
            span,
            format!(
                "max_ms ({}) must be at least base_ms ({})",
                p.max_ms, p.base_ms
            ),
        ));
    }
    Ok(())
}

/// What is wrong with `p` as a JSON pointer (RFC 6901), if anything: it
/// is empty (the whole document) or `/`-separated tokens in which `~` is
/// only ever `~0` or `~1`.
pub(crate) fn pointer_error(p: &str) -> Option<String> {
    if !p.is_empty() && !p.starts_with('/') {
        return Some(format!(
            "`{p}` is not a JSON pointer (RFC 6901): it must start with `/`, e.g. `/{p}`"
        ));
    }
    let mut chars = p.chars();
    while let Some(c) = chars.next() {
        if c == '~' && !matches!(chars.next(), Some('0' | '1')) {
            return Some(format!(
                "`{p}` is not a JSON pointer (RFC 6901): `~` must be followed by `0` (for `~`) or `1` (for `/`)"
            ));
        }
    }
    None
}

impl Config {
    /// Checks every numeric setting against its range, and the syntax of
    /// `order_number_pointer`.
    pub(super) fn check_ranges(&self, locate: Locate<'_>) -> Result<(), Located> {
        let max_body = self.admin.max_body_bytes as u64;
        within(locate, &["admin", "max_body_bytes"], max_body, 1, u64::MAX)?;
        let h = &self.host;
        within(locate, &["host", "batch"], h.batch as u64, 1, 10_000)?;
        within(
            locate,
            &["host", "concurrency"],
            h.concurrency as u64,
            1,
            1024,
        )?;
        // Sooner, entries still being processed would be taken from a live host.
        within(
            locate,
            &["host", "claim_idle_ms"],
            h.claim_idle_ms,
            1000,
            u64::MAX,
        )?;
        if let Some(r) = &self.registry {
            within(
                locate,
                &["registry", "reconcile_ms"],
                r.reconcile_ms,
                100,
                u64::MAX,
            )?;
        }
        retry(locate, &[], &self.retry)?;
        for (name, p) in &self.pipelines {
            if let Some(policy) = &p.retry {
                retry(locate, &["pipelines", name], policy)?;
            }
            for (i, s) in p.stages.iter().enumerate() {
                let i = i.to_string();
                let path = |key| ["pipelines", name.as_str(), "stages", i.as_str(), key];
                if let Some(ms) = s.deadline_ms {
                    within(locate, &path("deadline_ms"), ms, 1, u64::MAX)?;
                }
                if let Some(mb) = s.memory_mb {
                    within(locate, &path("memory_mb"), mb as u64, 1, 4096)?;
                }
            }
        }
        for (name, sink) in &self.sinks {
            if let Sink::Http {
                timeout_ms,
                retry: policy,
                order_number_pointer,
                ..
            } = sink
            {
                if let Some(why) = order_number_pointer.as_deref().and_then(pointer_error) {
                    return Err((
                        locate(&["sinks", name, "order_number_pointer"]),
                        format!("sink `{name}`: order_number_pointer {why}"),
                    ));
                }
                within(
                    locate,
                    &["sinks", name, "timeout_ms"],
                    *timeout_ms,
                    1,
                    u64::MAX,
                )?;
                if let Some(policy) = policy {
                    retry(locate, &["sinks", name], policy)?;
                }
            }
        }
        Ok(())
    }
}
