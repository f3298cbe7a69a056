//! Tests on the real WooCommerce samples in `shared/realdata/woocommerce`
//! (mapping) and on bad inputs (errors).

/// The real sample `$file` of `shared/realdata/woocommerce` (`&'static [u8]`), or a
/// return from the calling test, with a printed note, when it is absent.
macro_rules! sample {
    ($file:expr) => {
        weft_sdk::realdata_or_return!("woocommerce", $file)
    };
}

mod errors;
mod legacy;
mod lifecycle;
mod mapping;
mod refunds;

use serde_json::Value;
use weft_sdk::host::set_config;
use weft_sdk::order::Order;
use weft_sdk::{testing, Message, Plugin};

use crate::WooCommerceOrders;

// Sample file names in `shared/realdata/woocommerce`, read with `sample!`.
/// "Retrieve an order" (727) of the WooCommerce REST API docs.
pub const ORDER: &str = "wc-v3_order_727_retrieve.json";
/// "List all orders" of the same docs: orders 727 and 723.
pub const LIST: &str = "wc-v3_orders_list.json";
/// "Update an order" of the same docs: order 727 set to `completed`.
pub const COMPLETED: &str = "wc-v3_order_727_update_completed.json";
/// "List all refunds" of order 723: refunds 726 (money) and 724 (goods).
pub const REFUNDS: &str = "wc-v3_order_723_refunds_list.json";
/// The legacy API's refunds of order 645: 649 (money) and 647 (goods).
pub const LEGACY_REFUNDS: &str = "legacy-v3_order_645_refunds_list.json";
/// "List all order notes" of order 723 (its status history).
pub const NOTES: &str = "wc-v3_order_723_notes_list_status-history.json";

/// A `raw` message carrying `payload`.
pub fn raw(payload: &[u8]) -> Message {
    testing::raw_message("application/json", payload)
}

/// Sets the plugin's settings for this thread (unset when `None`).
pub fn configure(settings: &[(&str, Option<&str>)]) {
    for key in ["channel", "event", "order_id"] {
        set_config(key, None);
    }
    for (key, value) in settings {
        set_config(key, *value);
    }
}

/// Runs the plugin; the `order.*` outputs, each checked to be a JSON
/// order (the fulfilled milestones of completed orders are left out).
pub fn run_all(msg: Message) -> Vec<(Message, Order, Value)> {
    let out = outputs(msg);
    testing::orders(
        out.into_iter()
            .filter(|m| m.kind.starts_with("order."))
            .collect(),
    )
}

/// Runs the plugin: every output message.
pub fn outputs(msg: Message) -> Vec<Message> {
    WooCommerceOrders::process(msg).expect("maps")
}

/// Every output as `(id, kind, payload as JSON)`.
pub fn documents(msg: Message) -> Vec<(String, String, Value)> {
    outputs(msg)
        .into_iter()
        .map(|m| {
            let v: Value = m.payload_json().expect("json");
            (m.id, m.kind, v)
        })
        .collect()
}

/// Runs the plugin on a payload that holds one order.
pub fn run(msg: Message) -> (Message, Order, Value) {
    let mut out = run_all(msg);
    assert_eq!(out.len(), 1, "exactly one message");
    out.remove(0)
}

/// The reason of an `invalid` result.
pub fn invalid_msg(msg: Message) -> String {
    testing::invalid_reason(WooCommerceOrders::process(msg))
}

/// The reason of an `invalid` result for `payload`.
pub fn invalid(payload: &[u8]) -> String {
    invalid_msg(raw(payload))
}

/// The order's subtotal, discount, shipping, tax and total.
pub fn totals(o: &Order) -> [Option<&str>; 5] {
    testing::totals(o)
}

/// The golden cases in `cases/`, checked natively exactly as
/// `weft plugin test` checks them against the component
/// (`WEFT_BLESS=1 cargo test -p woocommerce-orders golden_cases` rewrites them).
#[test]
fn golden_cases() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
    weft_sdk::testing::golden_cases::<WooCommerceOrders>(&dir, "WEFT_BLESS", 19);
}
