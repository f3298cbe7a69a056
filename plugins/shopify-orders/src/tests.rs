//! Tests on the real Shopify samples in `shared/realdata/shopify`
//! (mapping) and on bad inputs (errors).

/// The real sample `$file` of `shared/realdata/shopify` (`&'static [u8]`), or a
/// return from the calling test, with a printed note, when it is absent.
macro_rules! sample {
    ($file:expr) => {
        match weft_sdk::testing::realdata_bytes("shopify", $file) {
            Some(b) => b,
            None => return,
        }
    };
}

mod errors;
mod mapping;

use serde_json::Value;
use weft_sdk::order::Order;
use weft_sdk::{testing, Message, Plugin};

use crate::ShopifyOrders;

// Sample file names in `shared/realdata/shopify`, read with `sample!`.
pub const FIXTURE: &str = "python-api_fixture_order.json";
pub const GET: &str = "rest-2026-07_GET_order_450789469.json";
pub const CANCEL: &str = "rest-2026-07_POST_cancel_order_450789469.json";
pub const MULTI_TAX: &str = "rest-2026-07_POST_create_order_1073459963_multi-tax-no-customer.json";
pub const DISCOUNT: &str = "rest-2026-07_POST_create_order_1073459981_discount-addresses.json";
pub const FULFILLMENT: &str = "python-api_fixture_fulfillment.json";
pub const REFUND: &str = "python-api_fixture_refund.json";

pub fn raw(payload: &[u8]) -> Message {
    testing::raw_message("application/json", payload)
}

pub fn run(msg: Message) -> (Message, Order, Value) {
    let mut out = testing::orders(ShopifyOrders::process(msg).expect("maps"));
    assert_eq!(out.len(), 1, "exactly one message");
    out.remove(0)
}

pub fn invalid(payload: &[u8]) -> String {
    testing::invalid_reason(ShopifyOrders::process(raw(payload)))
}

pub fn totals(o: &Order) -> [Option<&str>; 5] {
    testing::totals(o)
}

/// The golden cases in `cases/`, checked natively exactly as
/// `weft plugin test` checks them against the component
/// (`WEFT_BLESS=1 cargo test -p shopify-orders golden_cases` rewrites them).
#[test]
fn golden_cases() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
    weft_sdk::testing::golden_cases::<ShopifyOrders>(&dir, "WEFT_BLESS", 12);
}
