//! Looks up every line and the customer of an order document and writes
//! `lines[i].erp_item` and `customer.erp_account` into it.

use serde_json::{Map, Value};
use weft_sdk::host;

use crate::keys::{self, LineIds};
use crate::settings::Settings;

/// What happened to one subject (a line or the customer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A lookup matched this key; the value was written into the document.
    Matched(String),
    /// The document already carried the ERP id; it was kept, not looked up.
    Preset,
    /// No key matched; these keys were tried (empty: nothing to look up).
    Unmapped(Vec<String>),
}

/// The outcome for every line (with its `line_id`) and for the customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// `(line_id, outcome)` in line order.
    pub lines: Vec<(String, Outcome)>,
    /// The customer's outcome (`Unmapped(vec![])` when the order has no
    /// customer id or e-mail).
    pub customer: Outcome,
}

impl Report {
    /// `(line_id, keys tried)` of the unmapped lines, in line order.
    pub fn unmapped_lines(&self) -> Vec<(&str, &[String])> {
        self.lines
            .iter()
            .filter_map(|(id, o)| match o {
                Outcome::Unmapped(keys) => Some((id.as_str(), keys.as_slice())),
                _ => None,
            })
            .collect()
    }

    /// The keys tried for the customer when it is unmapped.
    pub fn unmapped_customer(&self) -> Option<&[String]> {
        match &self.customer {
            Outcome::Unmapped(keys) => Some(keys),
            _ => None,
        }
    }

    /// `line 1=shopify:A; line 2=(preset); customer=email:x@y`: which key
    /// matched each mapped subject; `None` when nothing was mapped.
    pub fn matched_summary(&self) -> Option<String> {
        let mut parts: Vec<String> = Vec::new();
        let mut add = |subject: String, o: &Outcome| match o {
            Outcome::Matched(key) => parts.push(format!("{subject}={key}")),
            Outcome::Preset => parts.push(format!("{subject}=(preset)")),
            Outcome::Unmapped(_) => {}
        };
        for (id, o) in &self.lines {
            add(format!("line {id}"), o);
        }
        add("customer".to_string(), &self.customer);
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

/// Maps the lines and the customer of `doc` (a JSON object already checked
/// to be a `weft.order/1` document) in place. `channel` is the order's
/// channel code.
pub fn enrich(doc: &mut Map<String, Value>, channel: &str, settings: &Settings) -> Report {
    let mut lines = Vec::new();
    // ASINs recorded by `amazon-orders` per line id.
    let asins = doc
        .get("source")
        .and_then(|s| s.get("asins"))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if let Some(Value::Array(items)) = doc.get_mut("lines") {
        for item in items.iter_mut() {
            if let Value::Object(line) = item {
                let id = keys::text(line.get("line_id")).unwrap_or_default();
                let mut ids = LineIds::of(line);
                if ids.asin.is_none() {
                    ids.asin = keys::text(asins.get(&id));
                }
                let outcome = map_one(
                    line,
                    "erp_item",
                    &settings.item_table,
                    keys::line_keys(channel, &ids),
                );
                lines.push((id, outcome));
            }
        }
    }
    let customer = match doc.get_mut("customer") {
        Some(Value::Object(c)) => {
            let tried = keys::customer_keys(channel, Some(c));
            map_one(c, "erp_account", &settings.customer_table, tried)
        }
        _ => Outcome::Unmapped(Vec::new()),
    };
    Report { lines, customer }
}

/// Keeps a non-empty `field` already present; otherwise tries `keys` in
/// order in `table` and writes the first non-blank value (trimmed).
fn map_one(obj: &mut Map<String, Value>, field: &str, table: &str, keys: Vec<String>) -> Outcome {
    if keys::text(obj.get(field)).is_some() {
        return Outcome::Preset;
    }
    for key in &keys {
        if let Some(value) = host::lookup(table, key) {
            let value = value.trim();
            if !value.is_empty() {
                obj.insert(field.to_string(), Value::String(value.to_string()));
                return Outcome::Matched(key.clone());
            }
        }
    }
    Outcome::Unmapped(keys)
}

/// Replaces control characters so the text fits on one line of a reason or
/// a header value.
pub fn one_line(s: &str) -> String {
    weft_sdk::text::controls_to_spaces(s)
}
