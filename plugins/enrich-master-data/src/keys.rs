//! The lookup keys tried for a line and for a customer, in order.

use serde_json::Value;

/// The identifiers of one order line that can be looked up.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineIds {
    /// Seller SKU (`sku`).
    pub sku: Option<String>,
    /// GTIN / UPC / EAN (`gtin`).
    pub gtin: Option<String>,
    /// Amazon ASIN (`asin`, an extra line field a source may set).
    pub asin: Option<String>,
    /// The buyer's part number (`buyer_part`).
    pub buyer_part: Option<String>,
    /// The vendor's part number (`vendor_part`).
    pub vendor_part: Option<String>,
    /// Other ids a source kept in `attributes` as `id_<qualifier>` (e.g.
    /// X12 `MG` manufacturer's part number → `("mg", value)`), in name order.
    pub other: Vec<(String, String)>,
}

impl LineIds {
    /// Reads the identifiers of a line object; blank values count as absent
    /// and values are trimmed.
    pub fn of(line: &serde_json::Map<String, Value>) -> LineIds {
        let get = |name: &str| text(line.get(name));
        LineIds {
            sku: get("sku"),
            gtin: get("gtin"),
            asin: get("asin"),
            buyer_part: get("buyer_part"),
            vendor_part: get("vendor_part"),
            other: line
                .get("attributes")
                .and_then(Value::as_object)
                .map(|attrs| {
                    attrs
                        .iter()
                        .filter_map(|(k, v)| {
                            let q = k.strip_prefix("id_").filter(|q| !q.is_empty())?;
                            Some((q.to_ascii_lowercase(), text(Some(v))?))
                        })
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// Whether the line has nothing to look up.
    pub fn is_empty(&self) -> bool {
        self.sku.is_none()
            && self.gtin.is_none()
            && self.asin.is_none()
            && self.buyer_part.is_none()
            && self.vendor_part.is_none()
            && self.other.is_empty()
    }
}

/// The keys tried for a line, first match wins: channel-qualified keys
/// first (`{channel}:{sku}`, `{channel}:gtin:{gtin}`, `{channel}:asin:{asin}`,
/// `{channel}:buyer:{buyer_part}`, `{channel}:vendor:{vendor_part}`), then
/// the same without the channel (`{sku}`, `gtin:{gtin}`, `asin:{asin}`,
/// `buyer:{buyer_part}`, `vendor:{vendor_part}`); other ids a source kept
/// in `attributes.id_<qualifier>` come after vendor in both passes
/// (`{channel}:mg:{value}` … `mg:{value}`).
/// Absent identifiers are skipped; duplicates are tried once.
pub fn line_keys(channel: &str, ids: &LineIds) -> Vec<String> {
    let mut tagged: Vec<(String, &str)> = [
        ("", &ids.sku),
        ("gtin:", &ids.gtin),
        ("asin:", &ids.asin),
        ("buyer:", &ids.buyer_part),
        ("vendor:", &ids.vendor_part),
    ]
    .into_iter()
    .filter_map(|(tag, v)| Some((tag.to_string(), v.as_deref()?)))
    .collect();
    tagged.extend(ids.other.iter().map(|(q, v)| (format!("{q}:"), v.as_str())));
    let mut keys = Vec::new();
    for (tag, v) in &tagged {
        push_unique(&mut keys, format!("{channel}:{tag}{v}"));
    }
    for (tag, v) in &tagged {
        push_unique(&mut keys, format!("{tag}{v}"));
    }
    keys
}

/// The keys tried for the customer, first match wins: `{channel}:{id}`,
/// `{channel}:email:{email}`, `email:{email}` (e-mail trimmed and lower-cased).
pub fn customer_keys(
    channel: &str,
    customer: Option<&serde_json::Map<String, Value>>,
) -> Vec<String> {
    let mut keys = Vec::new();
    let Some(c) = customer else {
        return keys;
    };
    if let Some(id) = text(c.get("id")) {
        push_unique(&mut keys, format!("{channel}:{id}"));
    }
    if let Some(email) = text(c.get("email")).map(|e| e.to_lowercase()) {
        push_unique(&mut keys, format!("{channel}:email:{email}"));
        push_unique(&mut keys, format!("email:{email}"));
    }
    keys
}

/// A trimmed, non-empty string value (numbers are accepted as their text).
pub fn text(v: Option<&Value>) -> Option<String> {
    let s = match v? {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

fn push_unique(keys: &mut Vec<String>, key: String) {
    if !keys.contains(&key) {
        keys.push(key);
    }
}
