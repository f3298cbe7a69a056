//! Tests on the real SP-API samples in `shared/realdata/amazon-sp-api`
//! (one module per API) and on bad inputs.

mod errors;
mod notification;
mod v0;
mod v2026;

use serde_json::Value;
use weft_sdk::order::Order;
use weft_sdk::{Message, Plugin, PluginError, Role};

use crate::AmazonOrders;

macro_rules! sample {
    ($file:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/realdata/amazon-sp-api/",
            $file
        ))
    };
}

pub const NOTIFICATION: &str = sample!("OrderChangeNotification_example.json");
pub const V0_ADDRESS: &str = sample!("ordersV0_getOrderAddress_example.json");
pub const V0_ITEMS: &str = sample!("ordersV0_getOrderItems_example.json");
pub const V0_ITEMS_SANDBOX: &str = sample!("ordersV0_getOrderItems_sandbox_TEST_CASE_200.json");
pub const V0_ORDER_IBA: &str = sample!("ordersV0_getOrder_sandbox_TEST_CASE_IBA_200.json");
pub const V0_ORDERS: &str = sample!("ordersV0_getOrders_example.json");
pub const V0_ORDERS_SANDBOX: &str = sample!("ordersV0_getOrders_sandbox_TEST_CASE_200.json");
pub const GET_2026: &str = sample!("orders_2026-01-01_getOrder_example.json");
pub const SEARCH_2026: &str = sample!("orders_2026-01-01_searchOrders_example.json");

/// A sample file parsed.
pub fn doc(text: &str) -> Value {
    serde_json::from_str(text).expect("sample is JSON")
}

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

/// Every output message with its order.
pub fn run_value(v: &Value) -> Vec<(Message, Order)> {
    let out = AmazonOrders::process(raw(&serde_json::to_vec(v).unwrap())).expect("maps");
    out.into_iter()
        .map(|m| {
            assert_eq!(m.content_type, "application/json");
            let order: Order = m.payload_json().expect("weft.order/1");
            (m, order)
        })
        .collect()
}

/// The violations `validate-order` finds in an order.
pub fn violations(o: &Order) -> Vec<String> {
    let v = serde_json::to_value(o).unwrap();
    let tolerance = weft_sdk::money::parse("0.01").unwrap();
    validate_order::check(v.as_object().unwrap(), tolerance)
}

pub fn invalid_value(v: &Value) -> String {
    invalid(&serde_json::to_vec(v).unwrap())
}

pub fn invalid(payload: &[u8]) -> String {
    match AmazonOrders::process(raw(payload)) {
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

#[test]
fn describes_itself() {
    let info = AmazonOrders::describe();
    assert_eq!(
        (info.name.as_str(), info.role),
        ("amazon-orders", Role::Source)
    );
    assert_eq!(info.accepts, ["raw"]);
    assert_eq!(
        info.emits,
        ["order.created", "order.updated", "order.cancelled"]
    );
}
