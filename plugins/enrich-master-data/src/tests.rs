//! Tests on orders the Shopify source produces from the real samples in
//! `shared/realdata/shopify`, and on crafted documents. Every test names
//! its own lookup tables (the native stand-in keeps entries per thread).

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

use serde_json::{json, Value};
use shopify_orders::ShopifyOrders;
use weft_sdk::host::{set_config, set_lookup};
use weft_sdk::{Message, Plugin, PluginError, Role};

use crate::{customer_keys, line_keys, EnrichMasterData, LineIds};

// Sample file names in `shared/realdata/shopify`, read with `sample!`.
const GET: &str = "rest-2026-07_GET_order_450789469.json";
const MULTI_TAX: &str = "rest-2026-07_POST_create_order_1073459963_multi-tax-no-customer.json";

/// The canonical message the Shopify source makes of a sample.
fn mapped(sample: &[u8]) -> Message {
    let msg = Message {
        id: "in".into(),
        correlation_id: String::new(),
        kind: "raw".into(),
        content_type: "application/json".into(),
        headers: Vec::new(),
        payload: sample.to_vec(),
    };
    ShopifyOrders::process(msg).expect("maps").remove(0)
}

/// Sets every setting; `tables` is the suffix of this test's table names.
fn configure(tables: &str, on_unmapped: Option<&str>, customer_required: Option<&str>) {
    set_config("item_table", Some(&format!("items-{tables}")));
    set_config("customer_table", Some(&format!("customers-{tables}")));
    set_config("on_unmapped", on_unmapped);
    set_config("customer_required", customer_required);
}

fn run(msg: Message) -> Result<Message, PluginError> {
    let mut out = EnrichMasterData::process(msg)?;
    assert_eq!(out.len(), 1);
    Ok(out.remove(0))
}

fn invalid(msg: Message) -> String {
    match run(msg) {
        Err(PluginError::Invalid(reason)) => {
            assert!(!reason.contains('\n'), "one line: {reason}");
            reason
        }
        other => panic!("expected invalid, got {other:?}"),
    }
}

fn payload(m: &Message) -> Value {
    serde_json::from_slice(&m.payload).expect("json payload")
}

#[test]
fn describes_itself() {
    let info = EnrichMasterData::describe();
    assert_eq!(
        (info.name.as_str(), info.role),
        ("enrich-master-data", Role::Transform)
    );
    assert_eq!(
        info.accepts,
        ["order.created", "order.updated", "order.cancelled"]
    );
    assert_eq!(
        info.emits,
        ["order.created", "order.updated", "order.cancelled"]
    );
}

#[test]
fn every_line_and_the_customer_mapped_on_a_real_order() {
    let get = sample!(GET);
    configure("all", None, Some("true"));
    set_lookup("items-all", "shopify:IPOD2008GREEN", "ERP-100");
    set_lookup("items-all", "IPOD2008RED", " ERP-101 ");
    set_lookup("items-all", "shopify:IPOD2008BLACK", "ERP-102");
    set_lookup(
        "items-all",
        "IPOD2008BLACK",
        "WRONG: the qualified key wins",
    );
    set_lookup(
        "customers-all",
        "email:bob.norman@mail.example.com",
        "C-0001",
    );
    let input = mapped(get).with_header("x-trace", "7");
    let before = payload(&input);
    let out = run(input.clone()).expect("enriched");
    assert_eq!(
        (&out.id, &out.correlation_id, &out.kind, &out.content_type),
        (
            &input.id,
            &input.correlation_id,
            &input.kind,
            &input.content_type
        )
    );
    assert_eq!(out.header("x-trace"), Some("7"));
    assert_eq!(
        out.header("enrich-matched"),
        Some("line 466157049=shopify:IPOD2008GREEN; line 518995019=IPOD2008RED; line 703073504=shopify:IPOD2008BLACK; customer=email:bob.norman@mail.example.com")
    );
    assert_eq!(out.header("enrich-unmapped"), None);
    assert_eq!(out.header("enrich-unmapped-customer"), None);
    let mut after = payload(&out);
    let items: Vec<&str> = after["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["erp_item"].as_str().unwrap())
        .collect();
    assert_eq!(items, ["ERP-100", "ERP-101", "ERP-102"]);
    assert_eq!(after["customer"]["erp_account"], "C-0001");
    // Nothing else changed.
    for line in after["lines"].as_array_mut().unwrap() {
        line.as_object_mut().unwrap().remove("erp_item");
    }
    after["customer"]
        .as_object_mut()
        .unwrap()
        .remove("erp_account");
    assert_eq!(after, before);
    // Deterministic: the same input gives the same bytes.
    assert_eq!(run(input).unwrap().payload, out.payload);
}

#[test]
fn unmapped_lines_fail_by_default_listing_every_line_and_key() {
    let get = sample!(GET);
    let multi_tax = sample!(MULTI_TAX);
    configure("fail", None, None);
    set_lookup("items-fail", "shopify:IPOD2008GREEN", "ERP-100");
    let reason = invalid(mapped(get));
    assert_eq!(
        reason,
        "order shopify:450789469: 2 of 3 lines unmapped in lookup table `items-fail`: \
         line 518995019 (tried shopify:IPOD2008RED, IPOD2008RED); \
         line 703073504 (tried shopify:IPOD2008BLACK, IPOD2008BLACK)"
    );
    // Lines without any identifier say so.
    let reason = invalid(mapped(multi_tax));
    assert!(
        reason.starts_with("order shopify:1073459963: 3 of 3 lines unmapped in lookup table `items-fail`: line 1071823173 (no sku, gtin, asin, buyer_part or vendor_part);"),
        "{reason}"
    );
}

#[test]
fn unmapped_lines_pass_with_a_header_when_configured() {
    let get = sample!(GET);
    configure("pass", Some("pass"), None);
    set_lookup("items-pass", "shopify:IPOD2008GREEN", "ERP-100");
    set_lookup("customers-pass", "shopify:207119551", "C-0001");
    let out = run(mapped(get).with_header("enrich-unmapped", "stale")).expect("passes");
    assert_eq!(out.header("enrich-unmapped"), Some("518995019,703073504"));
    assert_eq!(
        out.header("enrich-matched"),
        Some("line 466157049=shopify:IPOD2008GREEN; customer=shopify:207119551")
    );
    assert_eq!(
        out.headers
            .iter()
            .filter(|(n, _)| n == "enrich-unmapped")
            .count(),
        1
    );
    let doc = payload(&out);
    assert_eq!(doc["lines"][0]["erp_item"], "ERP-100");
    assert!(doc["lines"][1].get("erp_item").is_none());
    assert!(doc["lines"][2].get("erp_item").is_none());
    assert_eq!(doc["customer"]["erp_account"], "C-0001");
}

#[test]
fn unmapped_customer_passes_with_a_header_unless_required() {
    let get = sample!(GET);
    let multi_tax = sample!(MULTI_TAX);
    configure("cust", None, None);
    for sku in ["IPOD2008GREEN", "IPOD2008RED", "IPOD2008BLACK"] {
        set_lookup("items-cust", sku, &format!("ERP-{sku}"));
    }
    let out = run(mapped(get)).expect("passes");
    assert_eq!(
        out.header("enrich-unmapped-customer"),
        Some("tried shopify:207119551, shopify:email:bob.norman@mail.example.com, email:bob.norman@mail.example.com")
    );
    assert!(payload(&out)["customer"].get("erp_account").is_none());

    configure("cust", Some("pass"), Some("true"));
    assert_eq!(
        invalid(mapped(get)),
        "order shopify:450789469: customer unmapped in lookup table `customers-cust` \
         (tried shopify:207119551, shopify:email:bob.norman@mail.example.com, email:bob.norman@mail.example.com)"
    );
    // No customer at all: nothing to try.
    let reason = invalid(mapped(multi_tax));
    assert!(
        reason.ends_with(
            "customer unmapped in lookup table `customers-cust` (no customer id or e-mail)"
        ),
        "{reason}"
    );
    configure("cust", Some("pass"), None);
    let out = run(mapped(multi_tax)).expect("passes");
    assert_eq!(
        out.header("enrich-unmapped-customer"),
        Some("no customer id or e-mail")
    );
    assert_eq!(
        out.header("enrich-unmapped"),
        Some("1071823173,1071823174,1071823175")
    );
    assert_eq!(out.header("enrich-matched"), None);
}

#[test]
fn key_order_is_channel_qualified_first() {
    let ids = LineIds {
        sku: Some("S".into()),
        gtin: Some("0001".into()),
        asin: Some("B0A".into()),
        buyer_part: Some("BP".into()),
        vendor_part: Some("VP".into()),
        other: vec![("mg".into(), "M1".into())],
    };
    assert_eq!(
        line_keys("x12:acme", &ids),
        [
            "x12:acme:S",
            "x12:acme:gtin:0001",
            "x12:acme:asin:B0A",
            "x12:acme:buyer:BP",
            "x12:acme:vendor:VP",
            "x12:acme:mg:M1",
            "S",
            "gtin:0001",
            "asin:B0A",
            "buyer:BP",
            "vendor:VP",
            "mg:M1"
        ]
    );
    // Other ids come from the line's `attributes.id_<qualifier>`.
    let line =
        json!({"line_id": "1", "attributes": {"id_mg": " R5656-2 ", "id_": "x", "note": "y"}});
    assert_eq!(
        LineIds::of(line.as_object().unwrap()).other,
        [("mg".to_string(), "R5656-2".to_string())]
    );
    let only_gtin = LineIds {
        gtin: Some("0001".into()),
        ..Default::default()
    };
    assert_eq!(
        line_keys("amazon", &only_gtin),
        ["amazon:gtin:0001", "gtin:0001"]
    );
    let c = json!({"id": " 42 ", "email": " Bob@Example.COM"});
    assert_eq!(
        customer_keys("shopify", c.as_object()),
        [
            "shopify:42",
            "shopify:email:bob@example.com",
            "email:bob@example.com"
        ]
    );
    assert!(customer_keys("shopify", None).is_empty());
}

fn crafted() -> Value {
    json!({
        "schema": "weft.order/1", "order_id": "PO-9", "channel": "x12:acme", "correlation_id": "x12:acme:PO-9",
        "purpose": "original", "x_extra": {"kept": true},
        "customer": {"id": "ACME", "erp_account": "C-PRESET"},
        "lines": [
            {"line_id": "1", "sku": null, "gtin": "00012345678905", "buyer_part": "BP-1", "quantity": "2", "asin": "B000TEST"},
            {"line_id": "2", "sku": "S-2", "buyer_part": "BP-2", "quantity": "1", "erp_item": "ERP-PRESET"},
            {"line_id": "3", "sku": "", "vendor_part": " VP-3 ", "quantity": "1"}
        ]
    })
}

#[test]
fn gtin_buyer_vendor_keys_presets_and_unknown_fields() {
    configure("crafted", None, Some("true"));
    set_lookup("items-crafted", "buyer:BP-1", "WRONG: qualified gtin wins");
    set_lookup("items-crafted", "x12:acme:gtin:00012345678905", "ERP-1");
    set_lookup("items-crafted", "x12:acme:S-2", "WRONG: preset kept");
    set_lookup("items-crafted", "x12:acme:vendor:VP-3", "");
    set_lookup("items-crafted", "vendor:VP-3", "ERP-3");
    let msg = Message::json("m-1", "x12:acme:PO-9", "order.updated", &crafted()).unwrap();
    let out = run(msg).expect("enriched");
    assert_eq!(
        (out.id.as_str(), out.kind.as_str()),
        ("m-1", "order.updated")
    );
    let doc = payload(&out);
    assert_eq!(doc["lines"][0]["erp_item"], "ERP-1");
    assert_eq!(doc["lines"][0]["asin"], "B000TEST");
    assert_eq!(doc["lines"][1]["erp_item"], "ERP-PRESET");
    assert_eq!(doc["lines"][2]["erp_item"], "ERP-3");
    assert_eq!(doc["customer"]["erp_account"], "C-PRESET");
    assert_eq!(doc["x_extra"], json!({"kept": true}));
    assert_eq!(
        out.header("enrich-matched"),
        Some("line 1=x12:acme:gtin:00012345678905; line 2=(preset); line 3=vendor:VP-3; customer=(preset)")
    );
}

#[test]
fn asin_key_maps_amazon_lines() {
    configure("asin", None, None);
    set_lookup("items-asin", "asin:B000TEST", "ERP-A");
    let mut doc = crafted();
    doc["lines"] = json!([{"line_id": "1", "sku": null, "asin": "B000TEST", "quantity": "1"}]);
    let out = run(Message::json("m-1", "", "order.created", &doc).unwrap()).unwrap();
    assert_eq!(payload(&out)["lines"][0]["erp_item"], "ERP-A");
    // The ASIN recorded in `source.asins` by amazon-orders, by line id.
    set_lookup("items-asin", "amazon:asin:B08N5WRWNW", "ERP-ECHO");
    doc["channel"] = json!("amazon");
    doc["lines"] = json!([
        {"line_id": "12345678901234", "sku": "ECHO-DOT-4-CHARCOAL", "quantity": "2"},
        {"line_id": "12345678901235", "sku": "FIRE-TV-4K-2021", "quantity": "1"}
    ]);
    doc["source"] =
        json!({"asins": {"12345678901234": "B08N5WRWNW", "12345678901235": "B07XJ8C8F5"}});
    let reason = invalid(Message::json("m-2", "", "order.created", &doc).unwrap());
    assert_eq!(
        reason,
        "order x12:acme:PO-9: 1 of 2 lines unmapped in lookup table `items-asin`: line 12345678901235 \
         (tried amazon:FIRE-TV-4K-2021, amazon:asin:B07XJ8C8F5, FIRE-TV-4K-2021, asin:B07XJ8C8F5)"
    );
    set_config("on_unmapped", Some("pass"));
    let out = run(Message::json("m-2", "", "order.created", &doc).unwrap()).unwrap();
    assert_eq!(payload(&out)["lines"][0]["erp_item"], "ERP-ECHO");
    assert_eq!(out.header("enrich-unmapped"), Some("12345678901235"));
    assert_eq!(
        out.header("enrich-matched"),
        Some("line 12345678901234=amazon:asin:B08N5WRWNW; customer=(preset)")
    );
}

#[test]
fn non_orders_and_bad_settings_are_invalid() {
    let get = sample!(GET);
    configure("bad", None, None);
    let raw = |payload: &[u8]| Message {
        id: "m-1".into(),
        correlation_id: String::new(),
        kind: "order.created".into(),
        content_type: "application/json".into(),
        headers: Vec::new(),
        payload: payload.to_vec(),
    };
    let reason = invalid(raw(b"not json"));
    assert!(
        reason
            .starts_with("payload of message `m-1` is not a weft.order/1 document: expected ident"),
        "{reason}"
    );
    assert_eq!(
        invalid(raw(b"[1, 2]")),
        "payload of message `m-1` is not a weft.order/1 document: expected a JSON object"
    );
    let mut doc = crafted();
    doc["schema"] = json!("weft.shipment/1");
    assert_eq!(
        invalid(raw(&serde_json::to_vec(&doc).unwrap())),
        "payload of message `m-1` is not a weft.order/1 document: `schema` is `weft.shipment/1`"
    );
    let mut doc = crafted();
    doc["lines"][0].as_object_mut().unwrap().remove("quantity");
    let reason = invalid(raw(&serde_json::to_vec(&doc).unwrap()));
    assert!(reason.contains("missing field `quantity`"), "{reason}");
    let mut doc = crafted();
    doc["channel"] = json!(" ");
    assert!(invalid(raw(&serde_json::to_vec(&doc).unwrap())).ends_with("`channel` is empty"));

    set_config("on_unmapped", Some("skip"));
    assert_eq!(
        invalid(mapped(get)),
        "config `on_unmapped`: expected `fail` or `pass`, got `skip`"
    );
    configure("bad", None, Some("perhaps"));
    assert_eq!(
        invalid(mapped(get)),
        "config `customer_required`: expected true or false, got `perhaps`"
    );
    configure("bad", None, None);
    set_config("item_table", Some(" "));
    assert!(invalid(mapped(get)).starts_with("config `item_table`: the table name is empty"));
}

/// The golden cases in `cases/`, checked natively exactly as
/// `weft plugin test` checks them against the component
/// (`WEFT_BLESS=1 cargo test -p enrich-master-data golden_cases` rewrites them).
#[test]
fn golden_cases() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
    weft_sdk::testing::golden_cases::<EnrichMasterData>(&dir, "WEFT_BLESS", 5);
}
