//! weft transform `enrich-master-data`: maps the channel identifiers of a
//! canonical `weft.order/1` document to ERP master data through the host's
//! `lookup(table, key)` import — every line to an ERP item number
//! (`lines[i].erp_item`) and the customer to an ERP account
//! (`customer.erp_account`). Operators load the tables from CSV files
//! (`weft lookup load items items.csv`, two columns `key,value`).
//!
//! The output is the input message — same id, correlation id, kind and
//! content type — with those two fields filled in (every other field, known
//! or not, kept in place) and the headers below.
//!
//! # Keys, first match wins
//!
//! A line is looked up in the item table under, in this order (absent or
//! blank identifiers skipped, values trimmed):
//!
//! 1. `{channel}:{sku}`, `{channel}:gtin:{gtin}`, `{channel}:asin:{asin}`,
//!    `{channel}:buyer:{buyer_part}`, `{channel}:vendor:{vendor_part}`
//! 2. `{sku}`, `gtin:{gtin}`, `asin:{asin}`, `buyer:{buyer_part}`,
//!    `vendor:{vendor_part}`
//!
//! (`channel` is the order's channel code, e.g. `shopify` or `x12:acme`;
//! `asin` is the line's own `asin` field when a source sets one, else the
//! entry for the line id in `source.asins`, where `amazon-orders` records
//! the ASIN of each line.) The customer is looked
//! up in the customer table under `{channel}:{customer.id}`, then
//! `{channel}:email:{email}` and `email:{email}` (e-mail lower-cased).
//! A table value that is blank counts as no entry. A line or customer that
//! already carries a non-blank `erp_item` / `erp_account` keeps it and is
//! not looked up. A missing table looks like a table without the key.
//!
//! # Settings (`config`)
//!
//! | key | default | meaning |
//! |---|---|---|
//! | `item_table` | `items` | lookup table for lines |
//! | `customer_table` | `customers` | lookup table for the customer |
//! | `on_unmapped` | `fail` | `fail`: any unmapped line fails the message as `invalid`, the reason listing every unmapped line and the keys tried; `pass`: the order passes, those lines without `erp_item`, with header `enrich-unmapped` |
//! | `customer_required` | `false` | `true`: an unmapped (or absent) customer fails the message as `invalid`, whatever `on_unmapped` says |
//!
//! # Headers on the output
//!
//! Earlier values of these headers are removed first, so the output only
//! depends on the document, the settings and the tables.
//!
//! - `enrich-matched`: which key mapped what, e.g.
//!   `line 466157049=shopify:IPOD2008GREEN; line 518995019=IPOD2008RED; customer=shopify:207119551`
//!   (`(preset)` for ids the document already had); absent when nothing mapped.
//! - `enrich-unmapped`: the ids of the unmapped lines when they pass,
//!   comma-separated, e.g. `518995019,703073504`.
//! - `enrich-unmapped-customer`: set whenever the customer stays unmapped
//!   without failing: `tried shopify:207119551, shopify:email:…, email:…`,
//!   or `no customer id or e-mail`.
//!
//! # Failures (`invalid`)
//!
//! ```text
//! order shopify:450789469: 2 of 3 lines unmapped in lookup table `items`: line 518995019 (tried shopify:IPOD2008RED, IPOD2008RED); line 703073504 (tried shopify:IPOD2008BLACK, IPOD2008BLACK)
//! ```
//!
//! A payload that is not a `weft.order/1` JSON object, or a bad setting,
//! is `invalid` too.

mod enrich;
mod keys;
mod settings;

use serde::Deserialize;
use serde_json::Value;
use weft_sdk::order::{kinds, Order, ORDER_SCHEMA};
use weft_sdk::{Message, Plugin, PluginError, PluginInfo, Role};

pub use enrich::{enrich, Outcome, Report};
pub use keys::{customer_keys, line_keys, LineIds};
pub use settings::{OnUnmapped, Settings};

/// Header naming the key that mapped each line and the customer.
pub const MATCHED_HEADER: &str = "enrich-matched";
/// Header listing the unmapped lines that passed (`on_unmapped = pass`).
pub const UNMAPPED_HEADER: &str = "enrich-unmapped";
/// Header set when the customer stays unmapped without failing.
pub const UNMAPPED_CUSTOMER_HEADER: &str = "enrich-unmapped-customer";

/// The `enrich-master-data` transform plugin.
pub struct EnrichMasterData;

impl Plugin for EnrichMasterData {
    fn describe() -> PluginInfo {
        weft_sdk::info("enrich-master-data", env!("CARGO_PKG_VERSION"), Role::Transform)
            .summary("maps channel SKUs and customers to ERP item numbers and accounts through lookup tables")
            .accepts([kinds::CREATED, kinds::UPDATED, kinds::CANCELLED])
            .emits(["order.created", "order.updated", "order.cancelled"])
            .build()
    }

    fn process(msg: Message) -> Result<Vec<Message>, PluginError> {
        let settings = Settings::from_config()?;
        let (mut doc, channel, name) = parse(&msg)?;
        let report = enrich(&mut doc, &channel, &settings);
        if let Some(reason) = failure(&name, &report, &settings) {
            return Err(PluginError::invalid(reason));
        }
        let payload = serde_json::to_vec(&doc).map_err(|e| {
            PluginError::invalid(format!("cannot serialise the enriched order: {e}"))
        })?;
        let mut out = Message { payload, ..msg };
        out.headers.retain(|(n, _)| {
            ![MATCHED_HEADER, UNMAPPED_HEADER, UNMAPPED_CUSTOMER_HEADER]
                .iter()
                .any(|h| n.eq_ignore_ascii_case(h))
        });
        if let Some(matched) = report.matched_summary() {
            out.set_header(MATCHED_HEADER, enrich::one_line(&matched));
        }
        let unmapped = report.unmapped_lines();
        if !unmapped.is_empty() {
            let ids: Vec<&str> = unmapped.iter().map(|(id, _)| *id).collect();
            out.set_header(UNMAPPED_HEADER, enrich::one_line(&ids.join(",")));
        }
        if let Some(keys) = report.unmapped_customer() {
            let value = if keys.is_empty() {
                "no customer id or e-mail".to_string()
            } else {
                format!("tried {}", keys.join(", "))
            };
            out.set_header(UNMAPPED_CUSTOMER_HEADER, enrich::one_line(&value));
        }
        Ok(vec![out])
    }
}

/// Parses the payload as a `weft.order/1` object; returns it with its
/// channel and the name used in reasons (its correlation id, else the
/// message's, else the message id).
fn parse(msg: &Message) -> Result<(serde_json::Map<String, Value>, String, String), PluginError> {
    let not_order = |why: String| {
        PluginError::invalid(enrich::one_line(&format!(
            "payload of message `{}` is not a {ORDER_SCHEMA} document: {why}",
            msg.id
        )))
    };
    let value: Value =
        serde_json::from_slice(&msg.payload).map_err(|e| not_order(e.to_string()))?;
    if !value.is_object() {
        return Err(not_order("expected a JSON object".into()));
    }
    let order = Order::deserialize(&value).map_err(|e| not_order(e.to_string()))?;
    if order.schema != ORDER_SCHEMA {
        return Err(not_order(format!("`schema` is `{}`", order.schema)));
    }
    if order.channel.trim().is_empty() {
        return Err(not_order("`channel` is empty".into()));
    }
    let name = [&order.correlation_id, &msg.correlation_id, &msg.id]
        .into_iter()
        .find(|s| !s.trim().is_empty())
        .cloned()
        .unwrap_or_default();
    let Value::Object(doc) = value else {
        return Err(not_order("expected a JSON object".into()));
    };
    Ok((doc, order.channel.trim().to_string(), name))
}

/// The `invalid` reason when the report breaks the settings' policy.
fn failure(name: &str, report: &Report, settings: &Settings) -> Option<String> {
    let mut parts = Vec::new();
    let unmapped = report.unmapped_lines();
    if settings.on_unmapped == OnUnmapped::Fail && !unmapped.is_empty() {
        let listed: Vec<String> = unmapped
            .iter()
            .map(|(id, keys)| {
                format!(
                    "line {id} ({})",
                    tried(keys, "no sku, gtin, asin, buyer_part or vendor_part")
                )
            })
            .collect();
        parts.push(format!(
            "{} of {} lines unmapped in lookup table `{}`: {}",
            unmapped.len(),
            report.lines.len(),
            settings.item_table,
            listed.join("; ")
        ));
    }
    if settings.customer_required {
        if let Some(keys) = report.unmapped_customer() {
            parts.push(format!(
                "customer unmapped in lookup table `{}` ({})",
                settings.customer_table,
                tried(keys, "no customer id or e-mail")
            ));
        }
    }
    (!parts.is_empty()).then(|| enrich::one_line(&format!("order {name}: {}", parts.join("; "))))
}

fn tried(keys: &[String], nothing: &str) -> String {
    if keys.is_empty() {
        nothing.to_string()
    } else {
        format!("tried {}", keys.join(", "))
    }
}

weft_sdk::export_transform!(EnrichMasterData);

#[cfg(test)]
mod tests;
