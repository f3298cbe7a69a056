//! The interchange envelope settings, read from the deployment's config.
//!
//! | key | default | |
//! |---|---|---|
//! | `sender_id` | — (required) | ISA06 / GS02, at most 15 characters |
//! | `sender_qualifier` | `ZZ` | ISA05 |
//! | `receiver_id` | — (required) | ISA08 / GS03, at most 15 characters |
//! | `receiver_qualifier` | `ZZ` | ISA07 |
//! | `version` | `00401` | ISA12; GS08 is `004010` (a 6-character GS08 such as `005010` is also accepted) |
//! | `usage` | `P` | ISA15, `P` production or `T` test |
//! | `element_separator` | `*` | |
//! | `component_separator` | `>` | ISA16 |
//! | `segment_terminator` | `~` | may be followed by `\n` or `\r\n` (`~\n`) |
//! | `repetition_separator` | `^` from 00402 on | ISA11; before 00402 ISA11 is `U` and this key is refused |

use weft_sdk::{host, PluginError};

use crate::writer::Delimiters;

/// The envelope of every interchange this deployment writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// ISA06 / GS02.
    pub sender_id: String,
    /// ISA05.
    pub sender_qualifier: String,
    /// ISA08 / GS03.
    pub receiver_id: String,
    /// ISA07.
    pub receiver_qualifier: String,
    /// ISA12 (`00401`).
    pub isa_version: String,
    /// GS08 (`004010`).
    pub gs_version: String,
    /// ISA15 (`P` or `T`).
    pub usage: char,
    /// The delimiters.
    pub delims: Delimiters,
}

impl Envelope {
    /// Reads the settings with [`host::config`].
    pub fn from_config() -> Result<Envelope, PluginError> {
        let sender_id = id("sender_id")?;
        let receiver_id = id("receiver_id")?;
        let sender_qualifier = qualifier("sender_qualifier")?;
        let receiver_qualifier = qualifier("receiver_qualifier")?;
        let (isa_version, gs_version) = version()?;
        let usage = match setting("usage").as_deref() {
            None | Some("P") | Some("p") => 'P',
            Some("T") | Some("t") => 'T',
            Some(other) => {
                return Err(bad(
                    "usage",
                    other,
                    "expected `P` (production) or `T` (test)",
                ))
            }
        };
        let element = separator("element_separator", '*')?;
        let component = separator("component_separator", '>')?;
        let repetition = match setting("repetition_separator") {
            None if isa_version.as_str() >= "00402" => Some('^'),
            None => None,
            Some(_) if isa_version.as_str() < "00402" => {
                return Err(PluginError::invalid(format!(
                    "config `repetition_separator`: version {isa_version} has no repetition separator (ISA11 is `U` before 00402); remove the key or set version to 00402 or later"
                )))
            }
            Some(_) => Some(separator("repetition_separator", '^')?),
        };
        let (segment, suffix) = terminator()?;
        let delims = Delimiters {
            element,
            component,
            repetition,
            segment,
            suffix,
        };
        distinct(&delims)?;
        Ok(Envelope {
            sender_id,
            sender_qualifier,
            receiver_id,
            receiver_qualifier,
            isa_version,
            gs_version,
            usage,
            delims,
        })
    }
}

/// A trimmed, non-empty setting.
fn setting(key: &str) -> Option<String> {
    host::config(key)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn bad(key: &str, value: &str, why: &str) -> PluginError {
    PluginError::invalid(format!(
        "config `{key}` = `{}`: {why}",
        value.escape_default()
    ))
}

/// An interchange id: required, printable ASCII, at most 15 characters.
fn id(key: &str) -> Result<String, PluginError> {
    let v = setting(key).ok_or_else(|| {
        PluginError::invalid(format!(
            "config `{key}` is required: the trading partner id written in the ISA and GS envelope"
        ))
    })?;
    if v.len() > 15 || !v.chars().all(|c| c.is_ascii_graphic() || c == ' ') {
        return Err(bad(
            key,
            &v,
            "expected at most 15 printable ASCII characters (ISA field width)",
        ));
    }
    Ok(v)
}

/// An id qualifier: two alphanumeric characters, default `ZZ`.
fn qualifier(key: &str) -> Result<String, PluginError> {
    match setting(key) {
        None => Ok("ZZ".to_string()),
        Some(v) if v.len() == 2 && v.chars().all(|c| c.is_ascii_alphanumeric()) => Ok(v),
        Some(v) => Err(bad(
            key,
            &v,
            "expected a 2-character id qualifier such as `ZZ`, `01` or `12`",
        )),
    }
}

/// ISA12 and GS08 from `version` (`00401` → `004010`; `004010` → `00401`).
fn version() -> Result<(String, String), PluginError> {
    let v = setting("version").unwrap_or_else(|| "00401".to_string());
    let digits = v.chars().take_while(char::is_ascii_digit).count();
    let printable = v.chars().all(|c| c.is_ascii_alphanumeric());
    match (digits, v.len()) {
        (5, 5) => Ok((v.clone(), format!("{v}0"))),
        (d, n) if d >= 6 && n <= 12 && printable => Ok((v[..5].to_string(), v)),
        _ => Err(bad(
            "version",
            &v,
            "expected an ISA12 version such as `00401` or a GS08 version such as `004010`",
        )),
    }
}

/// A one-character delimiter that is neither a letter, a digit nor a space.
fn separator(key: &str, default: char) -> Result<char, PluginError> {
    let raw = host::config(key).unwrap_or_default();
    if raw.is_empty() {
        return Ok(default);
    }
    let mut chars = raw.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if usable(c) => Ok(c),
        _ => Err(bad(
            key,
            &raw,
            "expected one character that is not a letter, digit, space or control character",
        )),
    }
}

fn usable(c: char) -> bool {
    c.is_ascii_graphic() && !c.is_ascii_alphanumeric()
}

/// The segment terminator and what follows it (`~`, `~\n`, `~\r\n`).
fn terminator() -> Result<(char, String), PluginError> {
    let raw = host::config("segment_terminator").unwrap_or_default();
    // A config file may spell the newline as the two characters `\n`.
    let text = raw.replace("\\r", "\r").replace("\\n", "\n");
    if text.is_empty() {
        return Ok(('~', String::new()));
    }
    let mut chars = text.chars();
    let first = chars.next().unwrap_or('~');
    let rest: String = chars.collect();
    if usable(first) && matches!(rest.as_str(), "" | "\n" | "\r\n") {
        Ok((first, rest))
    } else {
        Err(bad(
            "segment_terminator",
            &raw,
            "expected one character that is not a letter, digit or space, optionally followed by a newline (`~` or `~\\n`)",
        ))
    }
}

/// The four delimiters must differ from each other.
fn distinct(d: &Delimiters) -> Result<(), PluginError> {
    let named = [
        ("element_separator", Some(d.element)),
        ("component_separator", Some(d.component)),
        ("repetition_separator", d.repetition),
        ("segment_terminator", Some(d.segment)),
    ];
    for (i, (a, ca)) in named.iter().enumerate() {
        for (b, cb) in named.iter().skip(i + 1) {
            if let (Some(x), Some(y)) = (ca, cb) {
                if x == y {
                    return Err(PluginError::invalid(format!(
                        "config `{a}` and `{b}` are both {x:?}: the delimiters must differ"
                    )));
                }
            }
        }
    }
    Ok(())
}
