//! Canonical values → X12 element values: dates and times, decimals,
//! implied-decimal amounts, purpose codes.

use std::collections::BTreeMap;

use weft_sdk::money::{self, Decimal};
use weft_sdk::PluginError;

/// A canonical timestamp split into X12 date (`CCYYMMDD`) and time
/// (`HHMM`, `None` for a plain date). The time is the wall-clock time as
/// written in the document (its offset is not applied).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// `CCYYMMDD`.
    pub date: String,
    /// `HHMM` (`HHMMSS` when the seconds are not zero), when the document
    /// gives a time.
    pub time: Option<String>,
}

impl Stamp {
    /// Reads `2011-09-28` or `2011-09-28T14:30:00-05:00` from `field`.
    pub fn parse(value: &str, field: &str) -> Result<Stamp, PluginError> {
        let v = value.trim();
        let bad = || {
            PluginError::invalid(format!(
                "{field}: `{}` is not a date (YYYY-MM-DD) or RFC 3339 date-time",
                v.escape_default()
            ))
        };
        let b = v.as_bytes();
        let digits = |r: std::ops::Range<usize>| {
            b.get(r.clone())
                .filter(|s| s.iter().all(u8::is_ascii_digit))
                .map(|_| v.get(r).unwrap_or_default().to_string())
        };
        let (y, m, d) = match (
            digits(0..4),
            b.get(4),
            digits(5..7),
            b.get(7),
            digits(8..10),
        ) {
            (Some(y), Some(b'-'), Some(m), Some(b'-'), Some(d)) => (y, m, d),
            _ => return Err(bad()),
        };
        if !(1..=12).contains(&m.parse::<u8>().unwrap_or(0))
            || !(1..=31).contains(&d.parse::<u8>().unwrap_or(0))
        {
            return Err(bad());
        }
        let time = match b.get(10) {
            None => None,
            Some(b'T' | b't' | b' ') => match (digits(11..13), b.get(13), digits(14..16)) {
                (Some(h), Some(b':'), Some(mi)) => match (b.get(16), digits(17..19)) {
                    (Some(b':'), Some(sec)) if sec != "00" => Some(format!("{h}{mi}{sec}")),
                    _ => Some(format!("{h}{mi}")),
                },
                _ => return Err(bad()),
            },
            Some(_) => return Err(bad()),
        };
        Ok(Stamp {
            date: format!("{y}{m}{d}"),
            time,
        })
    }

    /// The time, or `0000` for a plain date (BSN04 needs one).
    pub fn time_or_midnight(&self) -> String {
        self.time.clone().unwrap_or_else(|| "0000".to_string())
    }

    /// `HHMM` for the envelope (ISA10 has exactly four digits).
    pub fn hhmm(&self) -> String {
        let t = self.time_or_midnight();
        t.get(..4).unwrap_or("0000").to_string()
    }
}

/// The date part of an optional timestamp.
pub fn opt_date(value: Option<&str>, field: &str) -> Result<Option<String>, PluginError> {
    value
        .map(|v| Stamp::parse(v, field).map(|s| s.date))
        .transpose()
}

/// A canonical decimal (`4.50`, `-3`, `12`) checked and written as given.
pub fn decimal(value: &str, field: &str) -> Result<String, PluginError> {
    let v = value.trim();
    let mut parts = v.strip_prefix('-').unwrap_or(v).splitn(2, '.');
    let int_ok = parts
        .next()
        .is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()));
    let frac_ok = parts
        .next()
        .is_none_or(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()));
    if int_ok && frac_ok {
        Ok(v.to_string())
    } else {
        Err(PluginError::invalid(format!(
            "{field}: `{}` is not a decimal number (digits, optional fraction)",
            v.escape_default()
        )))
    }
}

/// An optional decimal.
pub fn opt_decimal(value: Option<&str>, field: &str) -> Result<Option<String>, PluginError> {
    value.map(|v| decimal(v, field)).transpose()
}

/// Parses a checked decimal.
pub fn parse(value: &str, field: &str) -> Result<Decimal, PluginError> {
    money::parse(&decimal(value, field)?).ok_or_else(|| {
        PluginError::invalid(format!("{field}: `{value}` is out of the decimal range"))
    })
}

/// An amount as an X12 `N2` value: implied two decimals (`56358.00` →
/// `5635800`). An amount with fractions of a cent cannot be sent exactly
/// and fails rather than being rounded.
pub fn cents(value: &str, field: &str) -> Result<String, PluginError> {
    let d = parse(value, field)?;
    let scaled = d
        .checked_mul(Decimal::ONE_HUNDRED)
        .filter(|c| c.fract().is_zero())
        .ok_or_else(|| {
            PluginError::invalid(format!(
                "{field}: `{value}` has fractions of a cent, which an implied-2-decimal X12 amount cannot carry"
            ))
        })?;
    Ok(scaled.trunc().normalize().to_string())
}

/// The X12 transaction set purpose code (BAK01, BSN01, BIG08). A document
/// without `purpose` that was itself read from X12 keeps its original code
/// (`source.purpose_code`, e.g. `54`); otherwise it is `00` original.
pub fn purpose_code(
    purpose: Option<&str>,
    source: &BTreeMap<String, serde_json::Value>,
    field: &str,
) -> Result<String, PluginError> {
    let kept = source
        .get("purpose_code")
        .and_then(|v| v.as_str())
        .filter(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphanumeric()));
    Ok(match purpose.map(str::trim) {
        None => kept.unwrap_or("00"),
        Some("original") => "00",
        Some("cancel") => "01",
        Some("replace") => "05",
        Some(other) => {
            return Err(PluginError::invalid(format!(
                "{field}: `{}` is not one of original, replace, cancel",
                other.escape_default()
            )))
        }
    }
    .to_string())
}

/// A date (+ time) the `x12` source kept in `source` under `key`
/// (`po_date`, `shipped_at`) for lack of a canonical field; `None` when
/// absent or not a date (it is a hint, not a document field to check).
pub fn source_stamp(source: &BTreeMap<String, serde_json::Value>, key: &str) -> Option<Stamp> {
    source
        .get(key)
        .and_then(|v| v.as_str())
        .and_then(|v| Stamp::parse(v, key).ok())
}

/// A 2-3 character alphanumeric code the `x12` source kept in `source`
/// under `key` (`fob`); `None` when absent or not such a code.
pub fn source_code<'s>(
    source: &'s BTreeMap<String, serde_json::Value>,
    key: &str,
) -> Option<&'s str> {
    source
        .get(key)
        .and_then(|v| v.as_str())
        .filter(|c| (2..=3).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_alphanumeric()))
}
