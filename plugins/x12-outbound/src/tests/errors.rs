//! Config errors, delimiters in data, wrong inputs, and the envelope
//! options (version 00501 repetition separator, other delimiters).

use serde_json::json;

use super::ack::ssimmons_7542;
use super::{configure, fails, input, run, text};
use crate::X12Outbound;
use weft_sdk::{Plugin, PluginError};

fn base() -> Vec<(&'static str, &'static str)> {
    vec![("sender_id", "SENDER"), ("receiver_id", "RECEIVER")]
}

#[test]
fn missing_ids_and_bad_settings_are_invalid_naming_the_key() {
    configure(&[("receiver_id", "R")], 1, 1);
    let reason = fails("order.acknowledged", &ssimmons_7542());
    assert!(
        reason.starts_with("config `sender_id` is required"),
        "{reason}"
    );
    configure(&[("sender_id", "S")], 1, 1);
    assert!(fails("order.acknowledged", &ssimmons_7542())
        .starts_with("config `receiver_id` is required"));
    for (key, value, expected) in [
        ("sender_id", "THIS-ID-IS-TOO-LONG", "at most 15"),
        ("usage", "X", "`P` (production) or `T` (test)"),
        ("sender_qualifier", "ZZZ", "2-character id qualifier"),
        ("version", "4010", "ISA12 version"),
        ("element_separator", "**", "one character"),
        ("element_separator", "A", "one character"),
        (
            "segment_terminator",
            "~x",
            "optionally followed by a newline",
        ),
        ("component_separator", "*", "are both '*'"),
        ("repetition_separator", "^", "has no repetition separator"),
    ] {
        let mut pairs = base();
        pairs.push((key, value));
        configure(&pairs, 1, 1);
        let reason = fails("order.acknowledged", &ssimmons_7542());
        assert!(
            reason.contains(key) && reason.contains(expected),
            "{key}={value}: {reason}"
        );
    }
}

#[test]
fn a_delimiter_in_data_fails_naming_the_field() {
    configure(&base(), 1, 1);
    let mut doc = ssimmons_7542();
    doc["parties"][0]["address"]["name"] = json!("SLEEP*TRAIN");
    let reason = fails("order.acknowledged", &doc);
    assert!(
        reason.starts_with("parties[0].name: `SLEEP*TRAIN` contains the element separator"),
        "{reason}"
    );
    let mut doc = ssimmons_7542();
    doc["lines"][1]["vendor_part"] = json!("5152~8451");
    let reason = fails("order.acknowledged", &doc);
    assert!(
        reason.starts_with("lines[1].vendor_part:") && reason.contains("segment terminator"),
        "{reason}"
    );
    let mut doc = ssimmons_7542();
    doc["order_id"] = json!("75>42");
    assert!(fails("order.acknowledged", &doc)
        .contains("order_id: `75>42` contains the component separator"));
    let mut doc = ssimmons_7542();
    doc["lines"][0]["unit_price"] = json!("77,00");
    assert!(
        fails("order.acknowledged", &doc).contains("lines[0].unit_price: `77,00` is not a decimal")
    );
    let mut doc = ssimmons_7542();
    doc["acknowledged_at"] = json!("28/09/2011");
    assert!(
        fails("order.acknowledged", &doc).contains("acknowledged_at: `28/09/2011` is not a date")
    );
}

#[test]
fn wrong_kind_schema_or_payload_is_invalid() {
    configure(&base(), 1, 1);
    assert!(fails("order.created", &ssimmons_7542())
        .contains("message kind `order.created` is not accepted"));
    let reason = fails("invoice.posted", &ssimmons_7542());
    assert!(
        reason.contains("invoice_id") || reason.contains("schema"),
        "{reason}"
    );
    let mut doc = ssimmons_7542();
    doc["schema"] = json!("weft.order_ack/2");
    assert!(fails("order.acknowledged", &doc)
        .starts_with("schema: `weft.order_ack/2` is not weft.order_ack/1"));
    let mut msg = input("order.acknowledged", &ssimmons_7542());
    msg.payload = b"ISA*00*".to_vec();
    assert!(
        matches!(X12Outbound::process(msg), Err(PluginError::Invalid(r)) if r.contains("not the expected JSON"))
    );
    let mut doc = ssimmons_7542();
    doc["lines"][0]["status"] = json!("maybe");
    doc["ack_type"] = json!("accepted");
    assert!(fails("order.acknowledged", &doc).contains("is not one of accepted"));
}

#[test]
fn version_00501_has_a_repetition_separator_and_other_delimiters_apply() {
    let mut pairs = base();
    pairs.extend([
        ("version", "00501"),
        ("element_separator", "|"),
        ("component_separator", "^"),
        ("repetition_separator", "{"),
        ("segment_terminator", "\\r\\n"),
    ]);
    configure(&pairs, 1, 1);
    assert!(fails("order.acknowledged", &ssimmons_7542()).contains("segment_terminator"));
    pairs.pop();
    pairs.push(("segment_terminator", "!\\r\\n"));
    configure(&pairs, 12, 3);
    let t = text(&run("order.acknowledged", &ssimmons_7542()));
    assert!(
        t.starts_with("ISA|00|          |00|          |ZZ|SENDER         |ZZ|RECEIVER       |110928|0000|{|00501|000000012|0|P|^!\r\nGS|PR|SENDER|RECEIVER|20110928|0000|3|X|005010!\r\nST|855|0001!\r\n"),
        "{t}"
    );
    let mut doc = ssimmons_7542();
    doc["parties"][0]["address"]["name"] = json!("A*B");
    assert!(text(&run("order.acknowledged", &doc)).contains("N1|ST|A*B|92|123!"));
    doc["parties"][0]["address"]["name"] = json!("A{B");
    assert!(fails("order.acknowledged", &doc).contains("repetition separator"));
}

#[test]
fn the_file_name_keeps_only_safe_characters() {
    assert_eq!(
        crate::file_name("856", "ACME CO/1", "000000001"),
        "856_ACME_CO_1_000000001.edi"
    );
}
