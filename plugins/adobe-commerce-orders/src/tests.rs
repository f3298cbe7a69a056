//! Tests on the real Adobe Commerce samples in `shared/realdata/magento`
//! (mapping) and on bad inputs (errors).

/// The real sample `$file` of `shared/realdata/magento` (`&'static [u8]`), or a
/// return from the calling test, with a printed note, when it is absent.
macro_rules! sample {
    ($file:expr) => {
        weft_sdk::realdata_or_return!("magento", $file)
    };
}

mod errors;
mod lifecycle;
mod mapping;

use serde_json::Value;
use weft_sdk::host::set_config;
use weft_sdk::order::Order;
use weft_sdk::{testing, Message, Plugin};

use crate::AdobeCommerceOrders;

// Sample file names in `shared/realdata/magento`, read with `sample!`.
/// `GET /V1/orders/3` of the Adobe Commerce order tutorial.
pub const ORDER: &str = "adobe-commerce_V1_orders_3_get.json";
/// `GET /V1/invoices/3` of the same tutorial: not an order.
pub const INVOICE: &str = "adobe-commerce_V1_invoices_3_get.json";

/// A `raw` message carrying `payload`.
pub fn raw(payload: &[u8]) -> Message {
    testing::raw_message("application/json", payload)
}

/// Sets the plugin's settings for this thread (unset when `None`).
pub fn configure(settings: &[(&str, Option<&str>)]) {
    for key in ["channel", "event", "bundle_lines"] {
        set_config(key, None);
    }
    for (key, value) in settings {
        set_config(key, *value);
    }
}

/// Runs the plugin; every output checked to be a JSON order.
pub fn run_all(msg: Message) -> Vec<(Message, Order, Value)> {
    testing::orders(AdobeCommerceOrders::process(msg).expect("maps"))
}

/// Runs the plugin on a payload that holds one order.
pub fn run(msg: Message) -> (Message, Order, Value) {
    let mut out = run_all(msg);
    assert_eq!(out.len(), 1, "exactly one message");
    out.remove(0)
}

/// The reason of an `invalid` result.
pub fn invalid_msg(msg: Message) -> String {
    testing::invalid_reason(AdobeCommerceOrders::process(msg))
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
/// (`WEFT_BLESS=1 cargo test -p adobe-commerce-orders golden_cases` rewrites them).
#[test]
fn golden_cases() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
    weft_sdk::testing::golden_cases::<AdobeCommerceOrders>(&dir, "WEFT_BLESS", 18);
}
