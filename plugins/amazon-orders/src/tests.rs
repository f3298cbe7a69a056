//! Tests on the real SP-API samples in `shared/realdata/amazon-sp-api`
//! (one module per API) and on bad inputs.

/// The real sample `$file` of `shared/realdata/amazon-sp-api` (`&'static str`), or a
/// return from the calling test, with a printed note, when it is absent.
macro_rules! sample {
    ($file:expr) => {
        weft_sdk::realdata_or_return!(text: "amazon-sp-api", $file)
    };
}

mod errors;
mod lifecycle;
mod mcf;
mod notification;
mod v0;
mod v2026;

use serde_json::Value;
use weft_sdk::order::Order;
use weft_sdk::{testing, Message, Plugin, Role};

use crate::AmazonOrders;

// Sample file names in `shared/realdata/amazon-sp-api`, read with `sample!`.
pub const NOTIFICATION: &str = "OrderChangeNotification_example.json";
pub const NOTIFICATION_SHIPPED: &str = "OrderChangeNotification_samples_BR_shipped.json";
pub const STATUS_CHANGE: &str = "OrderStatusChangeNotification_example_unshipped.json";
pub const MCF_STATUS: &str = "FulfillmentOrderStatusNotification_example_3-packages-return.json";
pub const MCF_SHIPPED: &str =
    "fulfillmentOutbound_getFulfillmentOrder_samples_complete-shipped.json";
pub const MCF_CANCELLED: &str = "fulfillmentOutbound_getFulfillmentOrder_samples_cancelled.json";
pub const MCF_TRACKING: &str =
    "fulfillmentOutbound_getPackageTrackingDetails_samples_delivered.json";
pub const MFN_SHIPMENT: &str = "merchantFulfillmentV0_getShipment_sandbox_label-purchased.json";
pub const FINANCES: &str = "finances_2024-06-19_listTransactions_sandbox_shipment.json";
pub const VENDOR_STATUS: &str =
    "vendorOrders_getPurchaseOrdersStatus_samples_partially-received.json";
pub const VENDOR_SHIPMENT: &str = "vendorShipments_getShipmentDetails_samples_shipped.json";
pub const V0_ADDRESS: &str = "ordersV0_getOrderAddress_example.json";
pub const V0_ITEMS: &str = "ordersV0_getOrderItems_example.json";
pub const V0_ITEMS_SANDBOX: &str = "ordersV0_getOrderItems_sandbox_TEST_CASE_200.json";
pub const V0_ORDER_IBA: &str = "ordersV0_getOrder_sandbox_TEST_CASE_IBA_200.json";
pub const V0_ORDERS: &str = "ordersV0_getOrders_example.json";
pub const V0_ORDERS_SANDBOX: &str = "ordersV0_getOrders_sandbox_TEST_CASE_200.json";
pub const GET_2026: &str = "orders_2026-01-01_getOrder_example.json";
pub const SEARCH_2026: &str = "orders_2026-01-01_searchOrders_example.json";

/// A sample file parsed.
pub fn doc(text: &str) -> Value {
    serde_json::from_str(text).expect("sample is JSON")
}

pub fn raw(payload: &[u8]) -> Message {
    testing::raw_message("application/json", payload)
}

/// Every output message with its order.
pub fn run_value(v: &Value) -> Vec<(Message, Order)> {
    let out = AmazonOrders::process(raw(&serde_json::to_vec(v).unwrap())).expect("maps");
    testing::orders(out)
        .into_iter()
        .map(|(m, order, _)| (m, order))
        .collect()
}

/// Every output message of a document, with its payload as JSON.
pub fn run_json(v: &Value) -> Vec<(Message, Value)> {
    AmazonOrders::process(raw(&serde_json::to_vec(v).unwrap()))
        .expect("maps")
        .into_iter()
        .map(|m| {
            let payload = serde_json::from_slice(&m.payload).unwrap();
            (m, payload)
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
    testing::invalid_reason(AmazonOrders::process(raw(payload)))
}

pub fn totals(o: &Order) -> [Option<&str>; 5] {
    testing::totals(o)
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
        [
            "order.created",
            "order.cancelled",
            "shipment.dispatched",
            "order.acknowledged",
            "payment.received",
            "return.completed",
            "return.authorized"
        ]
    );
}

/// The golden cases in `cases/`, checked natively exactly as
/// `weft plugin test` checks them against the component
/// (`WEFT_BLESS=1 cargo test -p amazon-orders golden_cases` rewrites them).
#[test]
fn golden_cases() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
    weft_sdk::testing::golden_cases::<AmazonOrders>(&dir, "WEFT_BLESS", 25);
}
