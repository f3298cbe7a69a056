//! Timestamps and hex digests: the one place the host formats either.

use sha2::{Digest, Sha256};

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    u64::try_from(jiff::Timestamp::now().as_millisecond()).unwrap_or(0)
}

/// The current UTC time as RFC 3339 with milliseconds, e.g.
/// `2026-12-02T16:27:00.123Z`.
pub fn now_rfc3339() -> String {
    rfc3339_ms(jiff::Timestamp::now())
}

/// `t` as RFC 3339 in UTC with exactly three fractional digits.
pub fn rfc3339_ms(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// The bytes of lower- or upper-case hex `s`; `None` if it is not hex.
pub fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|p| u8::from_str_radix(p, 16).ok()))
        .collect()
}

/// Hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// A content id: `sha256:` and the first 16 hex digits of the digest.
pub fn content_id(bytes: &[u8]) -> String {
    let mut id = sha256_hex(bytes);
    id.truncate(16);
    format!("sha256:{id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_have_milliseconds_in_utc() {
        let t: jiff::Timestamp = "2026-02-28T23:59:59.5+01:00".parse().unwrap();
        assert_eq!(rfc3339_ms(t), "2026-02-28T22:59:59.500Z");
        let epoch = jiff::Timestamp::UNIX_EPOCH;
        assert_eq!(rfc3339_ms(epoch), "1970-01-01T00:00:00.000Z");
        assert!(now_ms() > 1_700_000_000_000);
    }

    #[test]
    fn hex_round_trips() {
        assert_eq!(hex(&[0, 15, 255]), "000fff");
        assert_eq!(unhex("000fFF"), Some(vec![0, 15, 255]));
        assert_eq!(unhex("0g"), None);
        assert_eq!(unhex("abc"), None);
        assert_eq!(content_id(b"x").len(), "sha256:".len() + 16);
    }
}
