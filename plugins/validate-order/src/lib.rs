//! weft transform `validate-order`: checks a canonical `weft.order/1`
//! document and passes the message on unchanged (plus a `validated`
//! header), or fails it with one reason listing every violation:
//!
//! ```text
//! order shopify:450789469 has 1 violation: (1) totals.subtotal 398.00 ≠ Σ lines quantity × unit_price 597.00
//! ```
//!
//! Checked: the schema id; non-empty `order_id`, `channel`,
//! `correlation_id`; `purpose`; an active ISO 4217 `currency`; `ordered_at`
//! as an RFC 3339 date-time or a date; at least one line; per line a
//! `line_id`, a non-negative decimal `quantity`, decimal amounts and
//! `total = quantity × unit_price − discount`; decimal totals, a `total`,
//! `subtotal = Σ quantity × unit_price` and
//! `total = subtotal − discount + shipping + other_charges + tax` (tax left out when
//! `taxes_included`). Amounts compare within the `tolerance` setting
//! (default `0.01`).

mod checks;
mod currency;
mod datetime;
mod fields;

use weft_sdk::money::{self, Decimal};
use weft_sdk::order::{kinds, ORDER_SCHEMA};
use weft_sdk::{Message, Plugin, PluginError, PluginInfo, Role};

pub use checks::check;
pub use currency::is_active as is_active_currency;

/// The `validate-order` transform plugin.
pub struct ValidateOrder;

/// Header added to messages that pass.
pub const VALIDATED_HEADER: &str = "validated";

/// Config key of the amount tolerance.
pub const TOLERANCE_KEY: &str = "tolerance";

/// Tolerance when `tolerance` is not set.
pub const DEFAULT_TOLERANCE: &str = "0.01";

impl Plugin for ValidateOrder {
    fn describe() -> PluginInfo {
        weft_sdk::info("validate-order", env!("CARGO_PKG_VERSION"), Role::Transform)
            .summary("checks a canonical weft.order/1 (required fields, ISO 4217 currency, line and total arithmetic)")
            .accepts([kinds::CREATED, kinds::UPDATED, kinds::CANCELLED])
            .emits(["order.created", "order.updated", "order.cancelled"])
            .build()
    }

    fn process(msg: Message) -> Result<Vec<Message>, PluginError> {
        let tolerance = tolerance()?;
        let doc: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&msg.payload)
            .map_err(|e| {
                PluginError::invalid(format!(
                    "payload of message `{}` is not a {ORDER_SCHEMA} object: {e}",
                    msg.id
                ))
            })?;
        let violations = check(&doc, tolerance);
        if violations.is_empty() {
            return Ok(vec![msg.with_header(VALIDATED_HEADER, ORDER_SCHEMA)]);
        }
        let name = match doc.get("correlation_id").and_then(|v| v.as_str()) {
            Some(c) if !c.trim().is_empty() => c.to_string(),
            _ if !msg.correlation_id.is_empty() => msg.correlation_id.clone(),
            _ => msg.id.clone(),
        };
        Err(PluginError::invalid(report(&name, &violations)))
    }
}

/// `order <name> has N violations: (1) …; (2) …`, on one line.
pub fn report(name: &str, violations: &[String]) -> String {
    let n = violations.len();
    let listed: Vec<String> = violations
        .iter()
        .enumerate()
        .map(|(i, v)| format!("({}) {v}", i + 1))
        .collect();
    let text = format!(
        "order {name} has {n} violation{}: {}",
        if n == 1 { "" } else { "s" },
        listed.join("; ")
    );
    weft_sdk::text::controls_to_spaces(&text)
}

/// The `tolerance` setting: a non-negative decimal, `0.01` when unset.
fn tolerance() -> Result<Decimal, PluginError> {
    let raw = weft_sdk::host::config(TOLERANCE_KEY);
    let text = raw.as_deref().unwrap_or(DEFAULT_TOLERANCE);
    match money::parse(text) {
        Some(t) if !t.is_sign_negative() || t.is_zero() => Ok(t),
        _ => Err(PluginError::invalid(format!(
            "config `{TOLERANCE_KEY}`: expected a non-negative decimal such as {DEFAULT_TOLERANCE}, got `{}`",
            text.escape_default()
        ))),
    }
}

weft_sdk::export_transform!(ValidateOrder);

#[cfg(test)]
mod tests;
