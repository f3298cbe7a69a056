//! JSON scalars as the channel wrote them (WooCommerce sends money as
//! strings, quantities and unit prices as numbers).

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

/// A JSON scalar as the channel wrote it: ids and amounts come as numbers
/// or strings, flags as booleans or `0`/`1`, and not always consistently.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    /// A JSON string.
    Str(String),
    /// A JSON number, as text (`165`, `29.35`). Without serde_json's
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

    /// A boolean, or a string or number spelling one.
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

/// An optional scalar field.
pub type Field = Option<Scalar>;

/// The text of a field, `None` when absent, null or blank.
pub fn text(f: &Field) -> Option<&str> {
    f.as_ref()
        .map(Scalar::as_str)
        .filter(|s| !s.trim().is_empty())
}

/// The text of a field moved out and trimmed, `None` when absent, null or
/// blank.
pub fn take(f: Field) -> Option<String> {
    f.map(Scalar::into_string)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Like [`take`], with HTML character references decoded (`&amp;` → `&`),
/// for the names and addresses shops store HTML-escaped.
pub fn take_text(f: Field) -> Option<String> {
    take(f)
        .map(|s| crate::entities::decode(&s).trim().to_string())
        .filter(|s| !s.is_empty())
}
