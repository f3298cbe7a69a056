//! `sales-order.schema.json` against what the code emits.

use serde_json::Value;

const SCHEMA: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/sales-order.schema.json"
));

fn schema() -> Value {
    serde_json::from_str(SCHEMA).expect("sales-order.schema.json is JSON")
}

/// Panics, listing every violation, when `body` does not conform.
pub fn check(body: &Value) {
    let schema = schema();
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    let errors: Vec<String> = validator
        .iter_errors(body)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "body does not conform: {errors:?}\n{body}"
    );
    // Belt and braces: the required fields of the body's shape are there.
    let def = if body.get("lines").is_some() {
        "salesOrder"
    } else {
        "cancellation"
    };
    for field in required(&schema, def) {
        assert!(
            body.get(&field).is_some(),
            "{def} body lacks required `{field}`"
        );
    }
    for line in body["lines"].as_array().into_iter().flatten() {
        for field in required(&schema, "line") {
            assert!(line.get(&field).is_some(), "line lacks required `{field}`");
        }
    }
}

fn required(schema: &Value, def: &str) -> Vec<String> {
    schema["$defs"][def]["required"]
        .as_array()
        .expect("required list")
        .iter()
        .map(|f| f.as_str().expect("field name").to_string())
        .collect()
}

#[test]
fn schema_requires_what_the_code_always_emits() {
    let s = schema();
    assert_eq!(
        required(&s, "salesOrder"),
        [
            "external_id",
            "channel",
            "channel_order_id",
            "customer",
            "lines",
            "totals"
        ]
    );
    assert_eq!(
        required(&s, "line"),
        [
            "line_number",
            "channel_line_id",
            "item",
            "item_ref",
            "quantity"
        ]
    );
    assert_eq!(required(&s, "customer"), ["account", "account_ref"]);
    assert_eq!(
        required(&s, "cancellation"),
        ["external_id", "channel", "channel_order_id"]
    );
    // A body missing a required field or carrying an unknown one is refused.
    let validator = jsonschema::validator_for(&s).expect("a valid JSON Schema");
    let bad = serde_json::json!({"external_id": "a:1", "channel": "a"});
    assert!(!validator.is_valid(&bad));
    let bad = serde_json::json!({"external_id": "a:1", "channel": "a", "channel_order_id": "1", "extra": 1});
    assert!(!validator.is_valid(&bad));
}
