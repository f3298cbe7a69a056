//! JSON scalars as a channel wrote them: ids and amounts come as numbers or
//! strings, flags as booleans or `0`/`1`, and not always consistently.
//! [`Scalar`] reads any of them; the functions below read optional fields
//! ([`Field`]) the way source mappings need them.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use crate::money::{self, Decimal};

/// A JSON string, number or boolean, kept as the channel wrote it.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    /// A JSON string.
    Str(String),
    /// A JSON number, as text (`450789469`, `29.35`). Without serde_json's
    /// `arbitrary_precision` a fractional number arrives as an `f64`; its
    /// shortest round-trip text is the literal for any amount of up to 15
    /// significant digits.
    Num(String),
    /// A JSON boolean.
    Bool(bool),
}

impl Scalar {
    /// The value as text (`true`/`false` for booleans).
    pub fn as_str(&self) -> &str {
        match self {
            Scalar::Str(s) | Scalar::Num(s) => s,
            Scalar::Bool(true) => "true",
            Scalar::Bool(false) => "false",
        }
    }

    /// The value as text, moved out.
    pub fn into_string(self) -> String {
        match self {
            Scalar::Str(s) | Scalar::Num(s) => s,
            Scalar::Bool(b) => b.to_string(),
        }
    }

    /// A boolean, or a string or number spelling one (`true`/`1`,
    /// `false`/`0`).
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Scalar::Bool(b) => Some(*b),
            Scalar::Str(s) | Scalar::Num(s) => match s.trim() {
                "true" | "1" => Some(true),
                "false" | "0" => Some(false),
                _ => None,
            },
        }
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string, number or boolean")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar::Str(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Scalar, E> {
                Ok(Scalar::Str(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar::Num(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar::Num(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar::Num(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar::Bool(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// An optional scalar field (absent or `null` is `None`).
pub type Field = Option<Scalar>;

/// The text of a field, `None` when absent, null or blank.
pub fn text(f: &Field) -> Option<&str> {
    f.as_ref()
        .map(Scalar::as_str)
        .filter(|s| !s.trim().is_empty())
}

/// The text of a field moved out as written (not trimmed), `None` when
/// absent, null or blank.
pub fn take(f: Field) -> Option<String> {
    f.map(Scalar::into_string).filter(|s| !s.trim().is_empty())
}

/// The text of a field moved out and trimmed, `None` when absent, null or
/// blank.
pub fn take_trimmed(f: Field) -> Option<String> {
    f.map(Scalar::into_string)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Like [`take_trimmed`], with HTML character references decoded
/// (`&amp;` → `&`, see [`crate::text::decode_entities`]), for the names and
/// addresses shops store HTML-escaped.
pub fn take_text(f: Field) -> Option<String> {
    take_trimmed(f)
        .map(|s| crate::text::decode_entities(&s).trim().to_string())
        .filter(|s| !s.is_empty())
}

/// An optional decimal (money, quantity): `None` when absent, null or
/// blank; when it is not a decimal, the reason naming the field `at` and
/// the value (``total `abc` is not a decimal``).
pub fn decimal(value: Option<&Scalar>, at: impl fmt::Display) -> Result<Option<Decimal>, String> {
    match value.map(Scalar::as_str).filter(|s| !s.trim().is_empty()) {
        None => Ok(None),
        Some(s) => money::parse(s)
            .map(Some)
            .ok_or_else(|| format!("{at} `{s}` is not a decimal")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(json: &str) -> Field {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn reads_fields() {
        assert_eq!(field("165"), Some(Scalar::Num("165".into())));
        assert_eq!(field("29.35").as_ref().map(Scalar::as_str), Some("29.35"));
        assert_eq!(field("null"), None);
        assert_eq!(
            field("\"1\"").as_ref().and_then(Scalar::as_bool),
            Some(true)
        );
        assert_eq!(take(field("\" a \"")).as_deref(), Some(" a "));
        assert_eq!(take_trimmed(field("\" a \"")).as_deref(), Some("a"));
        assert_eq!(
            take_text(field("\" A &amp; B \"")).as_deref(),
            Some("A & B")
        );
        assert_eq!(take(field("\"  \"")), None);
        assert_eq!(text(&field("true")), Some("true"));
        let v = field("\"x1\"");
        assert_eq!(
            decimal(v.as_ref(), "total"),
            Err("total `x1` is not a decimal".to_string())
        );
        assert_eq!(decimal(None, "total"), Ok(None));
    }
}
