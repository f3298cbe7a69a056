//! Tests on what the Shopify source and `enrich-master-data` really make of
//! the samples in `shared/realdata/shopify`, and on crafted orders. Every
//! request body is checked against `sales-order.schema.json`.

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

mod schema;

use enrich_master_data::EnrichMasterData;
use serde_json::{json, Value};
use shopify_orders::ShopifyOrders;
use weft_sdk::host::{set_config, set_lookup};
use weft_sdk::{Message, Plugin, PluginError, Role};

use crate::{encode_segment, idempotency_key, ErpOrder};

// Sample file names in `shared/realdata/shopify`, read with `sample!`.
const GET: &str = "rest-2026-07_GET_order_450789469.json";
const CANCEL: &str = "rest-2026-07_POST_cancel_order_450789469.json";
const MULTI_TAX: &str = "rest-2026-07_POST_create_order_1073459963_multi-tax-no-customer.json";

/// The canonical message the Shopify source makes of a sample (`topic`:
/// the webhook topic header, if any).
fn shopify(sample: &[u8], topic: Option<&str>) -> Message {
    let mut msg = Message {
        id: "in".into(),
        correlation_id: String::new(),
        kind: "raw".into(),
        content_type: "application/json".into(),
        headers: Vec::new(),
        payload: sample.to_vec(),
    };
    if let Some(t) = topic {
        msg.set_header("x-shopify-topic", t);
    }
    ShopifyOrders::process(msg).expect("maps").remove(0)
}

/// The Shopify message enriched with ERP ids for order 450789469.
fn enriched(msg: Message) -> Message {
    set_config("on_unmapped", Some("fail"));
    set_config("customer_required", Some("true"));
    set_lookup("items", "shopify:IPOD2008GREEN", "ERP-100");
    set_lookup("items", "shopify:IPOD2008RED", "ERP-101");
    set_lookup("items", "shopify:IPOD2008BLACK", "ERP-102");
    set_lookup("customers", "shopify:207119551", "C-0001");
    EnrichMasterData::process(msg).expect("enriched").remove(0)
}

fn settings(require_erp_ids: Option<&str>, company: Option<&str>, prefix: Option<&str>) {
    set_config("require_erp_ids", require_erp_ids);
    set_config("company", company);
    set_config("path_prefix", prefix);
}

/// Runs the sink: the one request, its body (checked against the schema).
fn run(msg: Message) -> (Message, Value) {
    let mut out = ErpOrder::process(msg).expect("request");
    assert_eq!(out.len(), 1);
    let m = out.remove(0);
    assert_eq!(
        (m.kind.as_str(), m.content_type.as_str()),
        ("http.request", "application/json")
    );
    let body: Value = serde_json::from_slice(&m.payload).expect("json body");
    schema::check(&body);
    (m, body)
}

fn invalid(msg: Message) -> String {
    match ErpOrder::process(msg) {
        Err(PluginError::Invalid(reason)) => {
            assert!(!reason.contains('\n'), "one line: {reason}");
            reason
        }
        other => panic!("expected invalid, got {other:?}"),
    }
}

fn headers(m: &Message) -> [Option<&str>; 3] {
    ["weft-http-method", "weft-http-path", "idempotency-key"].map(|h| m.header(h))
}

#[test]
fn describes_itself() {
    let info = ErpOrder::describe();
    assert_eq!((info.name.as_str(), info.role), ("erp-order", Role::Sink));
    assert_eq!(
        info.accepts,
        ["order.created", "order.updated", "order.cancelled"]
    );
    assert_eq!(info.emits, ["http.request"]);
}

#[test]
fn created_order_is_posted_with_erp_ids() {
    let get = sample!(GET);
    settings(None, Some("US01"), None);
    let input = enriched(shopify(get, None));
    assert_eq!(input.id, "shopify:450789469:order.created");
    let (m, body) = run(input);
    assert_eq!(m.id, "shopify:450789469:order.created/erp-order");
    assert_eq!(m.correlation_id, "shopify:450789469");
    assert_eq!(
        headers(&m),
        [
            Some("POST"),
            Some("/sales-orders"),
            // printf %s shopify:450789469:order.created | sha256sum
            Some("65b46f06ada660f2bf4d73e7739a19f51f9b0089e8d483c869f8972005f2569d")
        ]
    );
    assert_eq!(body["external_id"], "shopify:450789469");
    assert_eq!(body["channel"], "shopify");
    assert_eq!(body["channel_order_id"], "450789469");
    assert_eq!(body["company"], "US01");
    assert_eq!(body["order_number"], "#1001");
    assert_eq!(body["po_number"], "ABC123");
    assert_eq!(body["order_date"], "2008-01-10");
    assert_eq!(body["ordered_at"], "2008-01-10T11:00:00-05:00");
    assert_eq!(body["currency"], "USD");
    assert_eq!(body["prices_include_tax"], false);
    assert_eq!(
        body["customer"],
        json!({"account": "C-0001", "account_ref": "erp", "channel_customer_id": "207119551",
               "name": "Bob Norman", "email": "bob.norman@mail.example.com", "phone": "+16136120707"})
    );
    assert_eq!(body["ship_to"]["city"], "Louisville");
    assert_eq!(
        body["bill_to"]["address_lines"],
        json!(["Chestnut Street 92"])
    );
    let lines = body["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 3);
    assert_eq!(
        lines[0],
        json!({"line_number": 1, "channel_line_id": "466157049", "item": "ERP-100", "item_ref": "erp",
               "channel_sku": "IPOD2008GREEN", "description": "IPod Nano - 8gb - green", "quantity": "1",
               "unit_price": "199.00", "discount": "3.34", "tax": "3.98", "line_total": "195.66"})
    );
    let items: Vec<&str> = lines.iter().map(|l| l["item"].as_str().unwrap()).collect();
    assert_eq!(items, ["ERP-100", "ERP-101", "ERP-102"]);
    assert_eq!(lines[2]["line_number"], 3);
    assert_eq!(
        body["totals"],
        json!({"subtotal": "597.00", "discount": "10.00", "shipping": "0.00", "tax": "11.94", "total": "598.94"})
    );
}

#[test]
fn updated_order_is_put_at_its_external_id() {
    let get = sample!(GET);
    settings(None, None, Some("/api/v2/sales-orders/"));
    let input = enriched(shopify(get, Some("orders/updated")));
    assert_eq!(input.kind, "order.updated");
    let id = input.id.clone();
    assert_eq!(
        id,
        "shopify:450789469:order.updated:2008-01-10T11:00:00-05:00"
    );
    let (m, body) = run(input);
    assert_eq!(
        headers(&m),
        [
            Some("PUT"),
            Some("/api/v2/sales-orders/shopify:450789469"),
            Some("2b77bbbe561e0316c244c83c679a60e06d381d0251eb65816d7329d147075f6f")
        ]
    );
    assert_eq!(idempotency_key(&id), m.header("idempotency-key").unwrap());
    assert!(body.get("company").is_none());
    assert_eq!(body["totals"]["total"], "598.94");
    assert_eq!(body["lines"][1]["item"], "ERP-101");
}

#[test]
fn cancelled_order_posts_a_cancellation_without_erp_ids() {
    let cancel = sample!(CANCEL);
    settings(Some("true"), None, None);
    let input = shopify(cancel, None);
    assert_eq!(input.kind, "order.cancelled");
    let (m, body) = run(input);
    assert_eq!(
        headers(&m),
        [
            Some("POST"),
            Some("/sales-orders/shopify:450789469/cancel"),
            Some("d321e86bd711ece107d5c1fdae9bab0973cf19a44801211fca614be56a6931ce")
        ]
    );
    assert_eq!(
        body,
        json!({"external_id": "shopify:450789469", "channel": "shopify", "channel_order_id": "450789469",
               "order_number": "#1001", "cancelled_at": "2025-07-02T11:31:25-05:00", "reason": "other"})
    );
}

#[test]
fn missing_erp_ids_fail_when_required() {
    let get = sample!(GET);
    let multi_tax = sample!(MULTI_TAX);
    settings(None, None, None);
    assert_eq!(
        invalid(shopify(get, None)),
        "order shopify:450789469 cannot become an ERP sales order: customer has no erp_account; \
         lines 466157049, 518995019, 703073504 have no erp_item"
    );
    settings(Some("true"), None, None);
    assert_eq!(
        invalid(shopify(multi_tax, None)),
        "order shopify:1073459963 cannot become an ERP sales order: the order has no customer; \
         lines 1071823173, 1071823174, 1071823175 have no erp_item"
    );
}

#[test]
fn channel_ids_are_sent_when_erp_ids_are_not_required() {
    let get = sample!(GET);
    let multi_tax = sample!(MULTI_TAX);
    settings(Some("false"), None, None);
    let (m, body) = run(shopify(get, None));
    assert_eq!(m.header("weft-http-method"), Some("POST"));
    assert_eq!(body["customer"]["account"], "207119551");
    assert_eq!(body["customer"]["account_ref"], "channel_customer");
    assert_eq!(body["lines"][0]["item"], "IPOD2008GREEN");
    assert_eq!(body["lines"][0]["item_ref"], "channel_sku");
    assert_eq!(body["lines"][2]["item"], "IPOD2008BLACK");
    // An enriched order still sends the ERP ids.
    let (_, body) = run(enriched(shopify(get, None)));
    assert_eq!(
        (
            &body["lines"][0]["item_ref"],
            &body["customer"]["account_ref"]
        ),
        (&json!("erp"), &json!("erp"))
    );
    // Custom items have no SKU to fall back to, and there is no customer.
    settings(Some("false"), None, None);
    assert_eq!(
        invalid(shopify(multi_tax, None)),
        "order shopify:1073459963 cannot become an ERP sales order: the order has no customer; \
         lines 1071823173, 1071823174, 1071823175 have neither erp_item nor sku"
    );
}

fn crafted() -> Value {
    json!({
        "schema": "weft.order/1", "order_id": "PO 9/1", "channel": "x12:acme",
        "correlation_id": "x12:acme:PO 9/1 é?#", "purpose": "original",
        "ordered_at": "2024-03-05",
        "customer": {"id": "ACME", "erp_account": "C-9"},
        "lines": [{"line_id": "1", "sku": null, "buyer_part": "BP-1", "quantity": "2.000", "uom": "CA",
                   "unit_price": "1e1", "total": "20", "erp_item": "ERP-1"}],
        "totals": {"total": "20"}
    })
}

fn message(kind: &str, doc: &Value) -> Message {
    Message::json("m-1", "", kind, doc).unwrap()
}

#[test]
fn path_segments_are_percent_encoded() {
    assert_eq!(encode_segment("shopify:450789469"), "shopify:450789469");
    assert_eq!(
        encode_segment("x12:acme:PO 9/1 é?#"),
        "x12:acme:PO%209%2F1%20%C3%A9%3F%23"
    );
    assert_eq!(encode_segment("a-b_c.d~e@f"), "a-b_c.d~e@f");
    settings(None, None, None);
    let (m, body) = run(message("order.updated", &crafted()));
    assert_eq!(
        m.header("weft-http-path"),
        Some("/sales-orders/x12:acme:PO%209%2F1%20%C3%A9%3F%23")
    );
    assert_eq!(m.correlation_id, "x12:acme:PO 9/1 é?#");
    assert_eq!(body["external_id"], "x12:acme:PO 9/1 é?#");
    assert_eq!(body["order_date"], "2024-03-05");
    let line = &body["lines"][0];
    assert_eq!(
        (&line["quantity"], &line["unit_price"], &line["uom"]),
        (&json!("2.000"), &json!("10"), &json!("CA"))
    );
    assert_eq!(line["buyer_part"], "BP-1");
    assert!(line.get("channel_sku").is_none());
    assert!(body["totals"].get("other_charges").is_none());
    let (m, _) = run(message("order.cancelled", &crafted()));
    assert_eq!(
        m.header("weft-http-path"),
        Some("/sales-orders/x12:acme:PO%209%2F1%20%C3%A9%3F%23/cancel")
    );
    assert_eq!(
        m.header("idempotency-key"),
        Some(idempotency_key("m-1").as_str())
    );
}

#[test]
fn idempotency_key_is_sha256_hex_of_the_input_id() {
    // printf %s "" | sha256sum ; printf %s abc | sha256sum
    assert_eq!(
        idempotency_key(""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(
        idempotency_key("abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

#[test]
fn bad_documents_kinds_and_settings_are_invalid() {
    settings(None, None, None);
    let mut doc = crafted();
    doc["lines"][0]["quantity"] = json!("two");
    doc["totals"]["tax"] = json!("1,50");
    doc["ordered_at"] = json!("05/03/2024");
    doc["customer"] = json!({"id": "ACME"});
    assert_eq!(
        invalid(message("order.created", &doc)),
        "order x12:acme:PO 9/1 é?# cannot become an ERP sales order: customer has no erp_account; \
         line 1 quantity `two` is not a decimal; totals.tax `1,50` is not a decimal; \
         ordered_at `05/03/2024` does not start with a YYYY-MM-DD date"
    );
    let mut doc = crafted();
    doc["lines"] = json!([]);
    assert!(invalid(message("order.created", &doc)).ends_with(": the order has no lines"));
    assert_eq!(
        invalid(message("shipment.created", &crafted())),
        "erp-order handles order.created, order.updated and order.cancelled messages, not `shipment.created`"
    );
    let raw = Message {
        payload: b"[1]".to_vec(),
        ..message("order.created", &crafted())
    };
    assert_eq!(
        invalid(raw),
        "payload of message `m-1` is not a weft.order/1 document: expected a JSON object"
    );
    let mut doc = crafted();
    doc["schema"] = json!("weft.invoice/1");
    assert!(invalid(message("order.created", &doc)).ends_with("`schema` is `weft.invoice/1`"));
    settings(Some("maybe"), None, None);
    assert_eq!(
        invalid(message("order.created", &crafted())),
        "config `require_erp_ids`: expected true or false, got `maybe`"
    );
    settings(None, None, Some("sales orders"));
    assert!(invalid(message("order.created", &crafted()))
        .starts_with("config `path_prefix`: expected a path such as /sales-orders"));
}

#[test]
fn other_charges_are_sent_and_line_attributes_are_not() {
    settings(None, None, None);
    let mut doc = crafted();
    doc["lines"][0]["attributes"] = json!({"meta_data": {"pa_color": "black"}});
    doc["totals"] =
        json!({"subtotal": "20.00", "other_charges": "5.00", "tax": "0.02", "total": "25.02"});
    let (_, body) = run(message("order.created", &doc));
    assert_eq!(
        body["totals"],
        json!({"subtotal": "20.00", "other_charges": "5.00", "tax": "0.02", "total": "25.02"})
    );
    // The sales-order line has no place for channel attributes.
    assert!(body["lines"][0].get("attributes").is_none());
    doc["totals"]["other_charges"] = json!("5,00");
    assert!(invalid(message("order.created", &doc))
        .ends_with(": totals.other_charges `5,00` is not a decimal"));
}

/// The golden cases in `cases/`, checked natively exactly as
/// `weft plugin test` checks them against the component
/// (`WEFT_BLESS=1 cargo test -p erp-order golden_cases` rewrites them).
#[test]
fn golden_cases() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
    weft_sdk::testing::golden_cases::<ErpOrder>(&dir, "WEFT_BLESS", 5);
}
