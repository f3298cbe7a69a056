//! Per-call limits on what a guest may return or ask of the host: the
//! `[limits]` table of `weft.toml`, carried in [`super::EngineConfig`].
//!
//! A call over an output or import limit fails `bad-output` with a message
//! naming the limit by its config key (`limits.max_headers = 64`); logs over
//! their limits are truncated or dropped, counted, and reported once per
//! call. Every default is far above what the shipped connectors need and far
//! below what hurts the host, its Redis or its log pipeline.

use serde::{Deserialize, Deserializer};

/// Limits of one plugin call. Every value must be at least 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CallLimits {
    /// Most messages one call may return. Default 10 000: an EDI file of
    /// thousands of transaction sets becomes one message each.
    #[serde(deserialize_with = "at_least_one")]
    pub max_outputs: usize,
    /// Most bytes (payloads + headers) one call may return. Default 32 MiB:
    /// the largest real documents are a few MiB; the outputs are committed
    /// to Redis in one transaction.
    #[serde(deserialize_with = "at_least_one")]
    pub max_output_bytes: usize,
    /// Longest output `id` and `correlation-id`, in bytes. Default 512: ids
    /// are built from channel, document and control numbers.
    #[serde(deserialize_with = "at_least_one")]
    pub max_id_bytes: usize,
    /// Longest output `kind`, in bytes. Default 128.
    #[serde(deserialize_with = "at_least_one")]
    pub max_kind_bytes: usize,
    /// Most headers on one output message. Default 64: the host adds fewer
    /// than ten `weft-` headers and connectors set a handful; a sink's
    /// headers become HTTP request headers, which servers cap at about 100.
    #[serde(deserialize_with = "at_least_one")]
    pub max_headers: usize,
    /// Most bytes of headers (names + values) on one output message.
    /// Default 64 KiB: headers are metadata; HTTP servers refuse request
    /// headers past 8–64 KiB, and every header is kept in Redis with the
    /// message at each stage.
    #[serde(deserialize_with = "at_least_one")]
    pub max_header_bytes: usize,
    /// Longest lookup table name, lookup key (`lookup`) or counter name
    /// (`next-sequence`), in bytes. Default 1 KiB: SKUs, customer ids and
    /// partner ids are tens of bytes; each becomes a Redis key or field.
    #[serde(deserialize_with = "at_least_one")]
    pub max_key_bytes: usize,
    /// Longest log line, in bytes; a longer line is cut there and marked
    /// `… [truncated N KiB]`. Default 8 KiB: a line is for a person to read.
    #[serde(deserialize_with = "at_least_one")]
    pub max_log_line_bytes: usize,
    /// Most log bytes forwarded to the host log per call; later lines are
    /// dropped and counted. Default 64 KiB: a few hundred bytes is typical,
    /// and at a thousand messages a second this still caps a stage's log
    /// at 64 MB/s.
    #[serde(deserialize_with = "at_least_one")]
    pub max_log_bytes: usize,
    /// Most log lines forwarded and kept per call; later lines are dropped
    /// and counted. Default 1 000.
    #[serde(deserialize_with = "at_least_one")]
    pub max_log_lines: usize,
    /// Most `next-sequence` values one call may draw. Default 100: the
    /// shipped EDI plugins draw two per interchange or functional group
    /// (the real sample files have at most 4 groups); a guest looping on
    /// the import would otherwise burn counter values until its deadline.
    #[serde(deserialize_with = "at_least_one")]
    pub max_sequence_draws: usize,
}

impl Default for CallLimits {
    fn default() -> Self {
        CallLimits {
            max_outputs: 10_000,
            max_output_bytes: 32 << 20,
            max_id_bytes: 512,
            max_kind_bytes: 128,
            max_headers: 64,
            max_header_bytes: 64 << 10,
            max_key_bytes: 1 << 10,
            max_log_line_bytes: 8 << 10,
            max_log_bytes: 64 << 10,
            max_log_lines: 1000,
            max_sequence_draws: 100,
        }
    }
}

/// Refuses 0: a zero limit would refuse every call (or every log line).
fn at_least_one<'de, D: Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    let v = usize::deserialize(d)?;
    if v == 0 {
        return Err(serde::de::Error::custom(
            "must be at least 1 (0 would refuse every call)",
        ));
    }
    Ok(v)
}

/// `n` bytes for a person: `512 B`, `8.0 KiB`, `4.9 MiB`.
pub(crate) fn human_bytes(n: usize) -> String {
    const KIB: f64 = 1024.0;
    let f = n as f64;
    if f < KIB {
        format!("{n} B")
    } else if f < KIB * KIB {
        format!("{:.1} KiB", f / KIB)
    } else {
        format!("{:.1} MiB", f / (KIB * KIB))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_what_is_not_set() {
        let l: CallLimits = toml::from_str("max_headers = 8").unwrap();
        assert_eq!(l.max_headers, 8);
        assert_eq!(
            CallLimits {
                max_headers: 64,
                ..l
            },
            CallLimits::default()
        );
    }

    #[test]
    fn zero_and_unknown_keys_are_refused() {
        let e = toml::from_str::<CallLimits>("max_log_bytes = 0").unwrap_err();
        assert!(e.to_string().contains("must be at least 1"), "{e}");
        let e = toml::from_str::<CallLimits>("max_header = 3").unwrap_err();
        assert!(e.to_string().contains("max_header"), "{e}");
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(8 << 10), "8.0 KiB");
        assert_eq!(human_bytes((5 << 20) - (8 << 10)), "5.0 MiB");
    }
}
