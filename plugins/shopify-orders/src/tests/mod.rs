//! Tests on the real Shopify samples in `shared/realdata/shopify`
//! (mapping) and on bad inputs (errors).

mod errors;
mod mapping;

use serde_json::Value;
use weft_sdk::order::Order;
use weft_sdk::{Message, Plugin, PluginError};

use crate::ShopifyOrders;

macro_rules! sample {
    ($file:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/realdata/shopify/",
            $file
        ))
        .as_slice()
    };
}

pub const FIXTURE: &[u8] = sample!("python-api_fixture_order.json");
pub const GET: &[u8] = sample!("rest-2026-07_GET_order_450789469.json");
pub const CANCEL: &[u8] = sample!("rest-2026-07_POST_cancel_order_450789469.json");
pub const MULTI_TAX: &[u8] =
    sample!("rest-2026-07_POST_create_order_1073459963_multi-tax-no-customer.json");
pub const DISCOUNT: &[u8] =
    sample!("rest-2026-07_POST_create_order_1073459981_discount-addresses.json");
pub const FULFILLMENT: &[u8] = sample!("python-api_fixture_fulfillment.json");
pub const REFUND: &[u8] = sample!("python-api_fixture_refund.json");

pub fn raw(payload: &[u8]) -> Message {
    Message {
        id: "in-1".into(),
        correlation_id: String::new(),
        kind: "raw".into(),
        content_type: "application/json".into(),
        headers: Vec::new(),
        payload: payload.to_vec(),
    }
}

pub fn run(msg: Message) -> (Message, Order, Value) {
    let mut out = ShopifyOrders::process(msg).expect("maps");
    assert_eq!(out.len(), 1, "exactly one message");
    let m = out.remove(0);
    assert_eq!(m.content_type, "application/json");
    let order: Order = m.payload_json().expect("weft.order/1");
    let value: Value = m.payload_json().expect("json");
    (m, order, value)
}

pub fn invalid(payload: &[u8]) -> String {
    match ShopifyOrders::process(raw(payload)) {
        Err(PluginError::Invalid(reason)) => {
            assert!(!reason.contains('\n'), "one line: {reason}");
            reason
        }
        other => panic!("expected invalid, got {other:?}"),
    }
}

pub fn totals(o: &Order) -> [Option<&str>; 5] {
    let t = &o.totals;
    [&t.subtotal, &t.discount, &t.shipping, &t.tax, &t.total].map(|v| v.as_deref())
}
