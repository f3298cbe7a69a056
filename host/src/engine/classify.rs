//! Classification of failures: every way a call can fail maps to exactly
//! one [`FailureClass`], with a message an operator can act on.

use std::fmt;

use wasmtime::{Store, Trap, WasmBacktrace};

use super::{bindings::wit, state::HostState, Limits, LogLine};

/// The class of a failed call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FailureClass {
    /// The plugin rejected the message for good.
    Invalid,
    /// The plugin asked for a retry later.
    Retryable,
    /// The guest trapped (panic, unreachable, out-of-bounds access, …).
    Trap,
    /// The call ran past its deadline.
    Timeout,
    /// The guest tried to grow memory past the cap.
    MemoryLimit,
    /// The guest returned outputs the host refuses (see the message).
    BadOutput,
    /// A canonical document the plugin emitted violates its JSON Schema
    /// (the message names the JSON path).
    Schema,
    /// A message id committed before arrived with another payload: a
    /// different document under a reused id (the message names both
    /// digests). Set by the host's bus, never by a plugin call.
    DuplicateId,
}

impl FailureClass {
    /// The class name as written in errors, headers and metrics.
    pub fn as_str(self) -> &'static str {
        match self {
            FailureClass::Invalid => "invalid",
            FailureClass::Retryable => "retryable",
            FailureClass::Trap => "trap",
            FailureClass::Timeout => "timeout",
            FailureClass::MemoryLimit => "memory-limit",
            FailureClass::BadOutput => "bad-output",
            FailureClass::Schema => "schema",
            FailureClass::DuplicateId => "duplicate-id",
        }
    }

    /// Parses a class name as written by [`FailureClass::as_str`].
    pub fn parse(s: &str) -> Option<FailureClass> {
        [
            FailureClass::Invalid,
            FailureClass::Retryable,
            FailureClass::Trap,
            FailureClass::Timeout,
            FailureClass::MemoryLimit,
            FailureClass::BadOutput,
            FailureClass::DuplicateId,
            FailureClass::Schema,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}

impl fmt::Display for FailureClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A failed call: its class, a one-line message, and what the guest logged.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{class}: {message}")]
pub struct Failure {
    /// The class.
    pub class: FailureClass,
    /// What went wrong, on one line.
    pub message: String,
    /// Log lines the plugin wrote before failing.
    pub logs: Vec<LogLine>,
}

impl Failure {
    /// A failure of `class` with `message` (newlines folded).
    pub fn new(class: FailureClass, message: impl Into<String>) -> Failure {
        Failure {
            class,
            message: one_line(&message.into()),
            logs: Vec::new(),
        }
    }

    pub(crate) fn with_logs(mut self, logs: Vec<LogLine>) -> Failure {
        self.logs = logs;
        self
    }

    pub(crate) fn from_plugin_error(e: wit::PluginError) -> Failure {
        match e {
            wit::PluginError::Invalid(m) => Failure::new(FailureClass::Invalid, m),
            wit::PluginError::Retryable(m) => Failure::new(FailureClass::Retryable, m),
        }
    }
}

fn one_line(s: &str) -> String {
    s.split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Classifies an error raised by wasmtime during instantiate or a call.
pub(crate) fn trap(err: wasmtime::Error, store: &Store<HostState>, limits: Limits) -> Failure {
    let stderr = String::from_utf8_lossy(&store.data().stderr.contents()).into_owned();
    let guest_said = guest_message(&stderr);
    if let Some(desired) = store.data().limits.denied {
        return Failure::new(
            FailureClass::MemoryLimit,
            format!(
                "the plugin tried to grow its memory to {} MiB, over the {} MiB limit{}",
                desired >> 20,
                limits.memory >> 20,
                guest_said.map(|g| format!(" ({g})")).unwrap_or_default()
            ),
        );
    }
    if let Some(Trap::Interrupt) = err.downcast_ref::<Trap>() {
        return Failure::new(
            FailureClass::Timeout,
            format!(
                "the call exceeded its deadline of {} ms",
                limits.deadline.as_millis()
            ),
        );
    }
    let what = match err.downcast_ref::<Trap>() {
        Some(t) => t.to_string(),
        None => {
            let s = format!("{err:#}");
            s.lines().next().unwrap_or("error").to_string()
        }
    };
    let mut msg = match &guest_said {
        Some(g) => format!("{g} ({what})"),
        None => what,
    };
    if let Some(bt) = err.downcast_ref::<WasmBacktrace>() {
        let frames: Vec<String> = bt
            .frames()
            .iter()
            .filter_map(|f| f.func_name().map(short_name))
            .filter(|n| {
                !n.starts_with("std::") && !n.starts_with("core::") && !n.starts_with("__rust")
            })
            .take(4)
            .collect();
        if !frames.is_empty() {
            msg.push_str(&format!("; guest backtrace: {}", frames.join(" <- ")));
        }
    }
    Failure::new(FailureClass::Trap, msg)
}

/// The useful part of what a guest wrote to stderr before dying: a Rust
/// panic message (`panicked at src/lib.rs:10:5: boom`) or the last line.
fn guest_message(stderr: &str) -> Option<String> {
    let lines: Vec<&str> = stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("note: run with"))
        .collect();
    if let Some(i) = lines.iter().position(|l| l.contains("panicked at")) {
        let at = lines[i]
            .split("panicked at")
            .nth(1)
            .unwrap_or("")
            .trim()
            .trim_end_matches(':');
        let why = lines
            .get(i + 1)
            .filter(|l| !l.starts_with("note:"))
            .copied()
            .unwrap_or("");
        return Some(
            format!("panicked at {at}: {why}")
                .trim_end_matches([' ', ':'])
                .to_string(),
        );
    }
    lines.last().map(|l| l.chars().take(300).collect())
}

fn short_name(name: &str) -> String {
    // Rust symbols are mangled and carry a `::h0123abcd` hash suffix; drop it.
    let name = format!("{:#}", rustc_demangle::demangle(name));
    let name = name.as_str();
    let name = match name.rfind("::h") {
        Some(i) if name[i + 3..].chars().all(|c| c.is_ascii_hexdigit()) => &name[..i],
        _ => name,
    };
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panic_message_is_extracted() {
        let s = "\nthread '<unnamed>' panicked at src/lib.rs:12:9:\nboom on purpose\nnote: run with `RUST_BACKTRACE=1`\n";
        assert_eq!(
            guest_message(s).as_deref(),
            Some("panicked at src/lib.rs:12:9: boom on purpose")
        );
        assert_eq!(
            guest_message(
                "memory allocation of 5 bytes failed\nnote: run with `RUST_BACKTRACE=1`\n"
            )
            .as_deref(),
            Some("memory allocation of 5 bytes failed")
        );
        assert_eq!(guest_message(""), None);
    }

    #[test]
    fn names_round_trip_and_hash_suffix_dropped() {
        for c in [
            "invalid",
            "retryable",
            "trap",
            "timeout",
            "memory-limit",
            "bad-output",
            "schema",
        ] {
            assert_eq!(FailureClass::parse(c).map(|c| c.as_str()), Some(c));
        }
        assert_eq!(short_name("guest::process::h0123abcdef"), "guest::process");
        assert_eq!(Failure::new(FailureClass::Trap, "a\nb").message, "a | b");
    }
}
