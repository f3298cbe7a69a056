//! `shopify-orders` on every real Shopify sample, checked against values
//! read independently from the sample; `validate-order` on its outputs; the
//! canonical order validated against `schemas/order.v1.schema.json`.

use serde_json::Value;
use weft_host::{engine::CallContext, FailureClass, Message};

use super::support::{engine, load, plugin_path, root, text, weft};

fn raw(name: &str, payload: Vec<u8>) -> Message {
    Message::raw(format!("file:{name}"), "application/json", payload)
}

fn schema_of(document: &str) -> jsonschema::Validator {
    let path = root().join(format!("schemas/{document}.v1.schema.json"));
    let text = std::fs::read_to_string(path).expect("schema file");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("schema compiles")
}

fn schema() -> jsonschema::Validator {
    schema_of("order")
}

/// The lifecycle samples (not orders) that map: the kind and number of
/// their outputs, by file-name prefix.
const LIFECYCLE: [(&str, &str, &str, usize); 8] = [
    (
        "fulfillment-orders-list_",
        "order.allocated",
        "order_ack",
        1,
    ),
    ("fulfillment-orders_", "order.allocated", "order_ack", 2),
    ("fulfillment-create_", "shipment.dispatched", "shipment", 1),
    ("fulfillments-list_", "shipment.dispatched", "shipment", 1),
    ("fulfillment-cancel_", "shipment.dispatched", "shipment", 1),
    ("refund-create_", "return.completed", "return", 1),
    ("python-api_fixture_refund", "return.completed", "return", 1),
    ("transactions-list_", "payment.received", "payment", 1),
];

/// Every sample with an `order` is mapped with the sample's own id, line
/// count, currency and totals; fulfillment orders, fulfillments, refunds
/// and transactions map to schema-valid lifecycle documents of their
/// order; every other sample (an order list page without line items, a
/// pending fulfillment) is refused as invalid.
#[test]
fn every_real_sample_maps_or_is_refused() {
    let shopify = realdata_or_skip!("shopify");
    let (engine, _cache) = engine();
    let source = load(&engine, &plugin_path("shopify-orders"));
    let validator = schema();
    let mut mapped = 0;
    let mut lifecycle = 0;
    for entry in std::fs::read_dir(&shopify).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap();
        let sample: Value = serde_json::from_slice(&bytes).unwrap();
        let result = source.process(&raw(&name, bytes), &CallContext::default());
        let tender = name.starts_with("tender-transactions_");
        let known = LIFECYCLE
            .iter()
            .find(|(prefix, ..)| name.starts_with(prefix));
        if let Some((kind, document, n)) = known
            .map(|(_, k, d, n)| (*k, *d, *n))
            .or(tender.then_some(("payment.received", "payment", 3)))
        {
            lifecycle += 1;
            let out = result.unwrap_or_else(|f| panic!("{name}: {f}"));
            assert_eq!(out.outputs.len(), n, "{name}");
            let validator = schema_of(document);
            for m in &out.outputs {
                assert_eq!(m.kind, kind, "{name}");
                let doc: Value = serde_json::from_slice(&m.payload).unwrap();
                if let Err(e) = validator.validate(&doc) {
                    panic!(
                        "{name}: {document} fails the schema at {}: {e}",
                        e.instance_path
                    );
                }
                assert_eq!(doc["correlation_id"], m.correlation_id, "{name}");
                let order_id = doc["order_id"]
                    .as_str()
                    .or(doc["order_refs"][0].as_str())
                    .expect("the order's id");
                assert_eq!(m.correlation_id, format!("shopify:{order_id}"), "{name}");
                assert!(m.id.starts_with("shopify:"), "{name}: {}", m.id);
            }
            continue;
        }
        let Some(order) = sample.get("order") else {
            let f = result.expect_err(&name);
            assert_eq!(f.class, FailureClass::Invalid, "{name}: {f}");
            assert!(
                f.message.contains("order") || f.message.contains("not shipped"),
                "{name}: {f}"
            );
            continue;
        };
        mapped += 1;
        let out = result.unwrap_or_else(|f| panic!("{name}: {f}"));
        assert_eq!(out.outputs.len(), 1, "{name}");
        let m = &out.outputs[0];
        let id = order["id"].as_u64().expect("sample id").to_string();
        let cancelled = !order["cancelled_at"].is_null();
        assert_eq!(
            m.kind,
            if cancelled {
                "order.cancelled"
            } else {
                "order.created"
            },
            "{name}"
        );
        assert_eq!(m.correlation_id, format!("shopify:{id}"), "{name}");
        assert_eq!(m.id, format!("shopify:{id}:{}", m.kind), "{name}");
        assert_eq!(m.content_type, "application/json");
        let doc: Value = serde_json::from_slice(&m.payload).unwrap();
        if let Err(e) = validator.validate(&doc) {
            panic!(
                "{name}: canonical order fails the schema at {}: {e}",
                e.instance_path
            );
        }
        assert_eq!(doc["schema"], "weft.order/1");
        assert_eq!(doc["order_id"], id, "{name}");
        assert_eq!(doc["channel"], "shopify");
        assert_eq!(doc["order_number"], order["name"], "{name}");
        assert_eq!(doc["currency"], order["currency"], "{name}");
        assert_eq!(
            doc["purpose"],
            if cancelled { "cancel" } else { "original" },
            "{name}"
        );
        let lines = doc["lines"].as_array().unwrap();
        let items = order["line_items"].as_array().unwrap();
        assert_eq!(lines.len(), items.len(), "{name}");
        for (line, item) in lines.iter().zip(items) {
            assert_eq!(
                line["line_id"],
                item["id"].as_u64().unwrap().to_string(),
                "{name}"
            );
            assert_eq!(
                line["sku"],
                if item["sku"].as_str().unwrap_or("").is_empty() {
                    Value::Null
                } else {
                    item["sku"].clone()
                },
                "{name}"
            );
            assert_eq!(
                line["quantity"],
                item["quantity"].as_u64().unwrap().to_string(),
                "{name}"
            );
            assert_eq!(line["unit_price"], item["price"], "{name}");
        }
        assert_eq!(doc["totals"]["total"], order["total_price"], "{name}");
        assert_eq!(doc["totals"]["tax"], order["total_tax"], "{name}");
        assert_eq!(
            doc["totals"]["discount"], order["total_discounts"],
            "{name}"
        );
        assert_eq!(
            doc["totals"]["subtotal"], order["total_line_items_price"],
            "{name}"
        );
    }
    // The five original order samples and go-shopify's cancelled order 123456.
    assert_eq!(mapped, 6, "the six order samples");
    assert_eq!(lifecycle, 9, "the nine lifecycle samples that map");
}

#[test]
fn a_bare_webhook_body_maps_like_the_wrapped_order() {
    let shopify = realdata_or_skip!("shopify");
    let (engine, _cache) = engine();
    let source = load(&engine, &plugin_path("shopify-orders"));
    let path = shopify.join("rest-2026-07_POST_create_order_1073459981_discount-addresses.json");
    let wrapped: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let bare = serde_json::to_vec(&wrapped["order"]).unwrap();
    let a = source
        .process(
            &raw("w", serde_json::to_vec(&wrapped).unwrap()),
            &CallContext::default(),
        )
        .unwrap();
    let b = source
        .process(&raw("b", bare), &CallContext::default())
        .unwrap();
    let (a, b): (Value, Value) = (
        serde_json::from_slice(&a.outputs[0].payload).unwrap(),
        serde_json::from_slice(&b.outputs[0].payload).unwrap(),
    );
    assert_eq!(a, b);
    assert_eq!(a["ship_to"]["postal_code"], "K2P 1L4");
    assert_eq!(a["lines"][0]["discount"], "17.91");
}

#[test]
fn bad_inputs_are_invalid_with_the_reason() {
    let (engine, _cache) = engine();
    let source = load(&engine, &plugin_path("shopify-orders"));
    for (payload, want) in [
        (&b"not json {"[..], "not JSON"),
        (&br#"{"customer": {"id": 1}}"#[..], "customer"),
        (
            &br#"{"order": {"id": 7, "currency": "USD", "line_items": []}}"#[..],
            "line_items",
        ),
        (
            &br#"{"order": {"id": 7, "currency": "USD"}}"#[..],
            "line_items",
        ),
        (&b"[1, 2]"[..], "order"),
    ] {
        let f = source
            .process(&raw("bad", payload.to_vec()), &CallContext::default())
            .unwrap_err();
        assert_eq!(f.class, FailureClass::Invalid, "{f}");
        assert!(f.message.contains(want), "{want}: {f}");
    }
}

/// The real samples through both plugins: consistent orders pass unchanged;
/// the old SDK fixture, whose lines add up to 597.00 while its subtotal says
/// 398.00, is refused naming the subtotal.
#[test]
fn validate_order_accepts_consistent_samples_and_names_inconsistencies() {
    let shopify = realdata_or_skip!("shopify");
    let (engine, _cache) = engine();
    let source = load(&engine, &plugin_path("shopify-orders"));
    let validate = load(&engine, &plugin_path("validate-order"));
    let mut passed = 0;
    for name in [
        "rest-2026-07_GET_order_450789469.json",
        "rest-2026-07_POST_cancel_order_450789469.json",
        "rest-2026-07_POST_create_order_1073459963_multi-tax-no-customer.json",
        "rest-2026-07_POST_create_order_1073459981_discount-addresses.json",
        "python-api_fixture_order.json",
    ] {
        let bytes = std::fs::read(shopify.join(name)).unwrap();
        let order = source
            .process(&raw(name, bytes), &CallContext::default())
            .unwrap()
            .outputs
            .remove(0);
        match validate.process(&order, &CallContext::default()) {
            Ok(out) => {
                passed += 1;
                assert_eq!(out.outputs.len(), 1);
                assert_eq!(
                    out.outputs[0].payload, order.payload,
                    "{name}: payload unchanged"
                );
                assert_eq!(out.outputs[0].id, order.id);
            }
            Err(f) => {
                assert_eq!(name, "python-api_fixture_order.json", "{f}");
                assert_eq!(f.class, FailureClass::Invalid);
                assert!(
                    f.message.contains("subtotal")
                        && f.message.contains("597.00")
                        && f.message.contains("398.00"),
                    "{f}"
                );
            }
        }
    }
    assert_eq!(passed, 4);

    let broken = br#"{"schema":"weft.order/1","order_id":"1","channel":"x","correlation_id":"x:1","purpose":"original","currency":"XYZ","lines":[{"line_id":"1","sku":null,"quantity":"2","unit_price":"10.00","total":"25.00"}],"totals":{"subtotal":"20.00","total":"99.00"}}"#;
    let msg = Message {
        id: "b".into(),
        kind: "order.created".into(),
        content_type: "application/json".into(),
        payload: broken.to_vec(),
        ..Default::default()
    };
    let f = validate.process(&msg, &CallContext::default()).unwrap_err();
    assert_eq!(f.class, FailureClass::Invalid);
    for want in ["XYZ", "lines[0].total", "totals.total"] {
        assert!(f.message.contains(want), "{want}: {f}");
    }
}

/// The shipped case folders pass with `weft plugin test`.
#[test]
fn shipped_case_folders_pass() {
    let cache = tempfile::tempdir().unwrap();
    // Every shipped plugin with a case folder, so a new connector is
    // covered the day its cases land. Plugins in other languages (built by
    // their `build.sh`) run their originals' cases in `languages.rs`, with
    // the toolchain check and the shared compiled-code cache.
    let mut plugins: Vec<String> = std::fs::read_dir(root().join("plugins"))
        .unwrap()
        .filter_map(|e| {
            let dir = e.ok()?.path();
            (dir.join("cases").is_dir() && !dir.join("build.sh").exists())
                .then(|| dir.file_name()?.to_str().map(String::from))?
        })
        .collect();
    plugins.sort();
    for must in [
        "x12",
        "x12-outbound",
        "amazon-orders",
        "enrich-master-data",
        "erp-order",
    ] {
        assert!(
            plugins.iter().any(|p| p == must),
            "{must} has no case folder"
        );
    }
    for plugin in &plugins {
        let plugin = plugin.as_str();
        let out = weft(cache.path())
            .args(["plugin", "test"])
            .arg(plugin_path(plugin))
            .arg(root().join("plugins").join(plugin).join("cases"))
            .output()
            .unwrap();
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(0), "{plugin}: {stdout}{stderr}");
        assert!(
            stdout
                .lines()
                .last()
                .unwrap_or("")
                .ends_with(" passed, 0 failed"),
            "{stdout}"
        );
    }
}
