//! Tests on the real Shopify samples in `shared/realdata/shopify`
//! (mapping) and on bad inputs (errors).

/// The real sample `$file` of `shared/realdata/shopify` (`&'static [u8]`), or a
/// return from the calling test, with a printed note, when it is absent.
macro_rules! sample {
    ($file:expr) => {
        weft_sdk::realdata_or_return!("shopify", $file)
    };
}

mod allocation;
mod errors;
mod lifecycle;
mod mapping;
mod payments;

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
pub const FULFILLMENT_CREATE: &str = "fulfillment-create_monei_1073459976_tracking.json";
pub const FULFILLMENTS_LIST: &str = "fulfillments-list_monei_450789469_emoji-newline-tracking.json";
pub const FULFILLMENT_CANCEL: &str = "fulfillment-cancel_monei_255858046_cancelled.json";
pub const REFUND_CREATE: &str = "refund-create_monei_929361464_restock-refund-txn.json";
pub const TRANSACTIONS: &str = "transactions-list_monei_450789469_auth-capture-refund.json";
pub const TENDERS: &str = "tender-transactions_shopify-api-ruby_450789469_CAD.json";
pub const VOIDED_SALE: &str = "order_go-shopify_123456_voided-sale-txn-AUD.json";
pub const FULFILLMENT_ORDERS: &str =
    "fulfillment-orders-list_monei_450789469_cancellation-requested.json";
pub const FULFILLMENT_ORDERS_ARRAY: &str =
    "fulfillment-orders_shopify-api-ruby_450789469_bare-array.json";
pub const ORDERS_LIST: &str = "orders-list_python-api_450789469_partially-refunded.json";

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

/// The outputs for `payload` (with webhook `topic` when given), each with
/// its payload as JSON.
pub fn outputs(payload: &[u8], topic: Option<&str>) -> Vec<(Message, Value)> {
    let mut msg = raw(payload);
    if let Some(t) = topic {
        msg = msg.with_header(crate::TOPIC_HEADER, t);
    }
    ShopifyOrders::process(msg)
        .expect("maps")
        .into_iter()
        .map(|m| {
            let v: Value = serde_json::from_slice(&m.payload).expect("JSON payload");
            (m, v)
        })
        .collect()
}

/// The one inner object of a `{"<key>": {…}}` sample (a webhook body).
pub fn inner(sample: &[u8], key: &str) -> Value {
    let v: Value = serde_json::from_slice(sample).expect("JSON sample");
    v[key].clone()
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
    weft_sdk::testing::golden_cases::<ShopifyOrders>(&dir, "WEFT_BLESS", 28);
}
