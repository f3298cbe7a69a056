//! Native tests: the three sets written from documents carrying the values
//! of the real files in `shared/realdata/x12`, the envelope settings, and
//! the error cases.

mod ack;
mod ack_key;
mod errors;
mod invoice;
mod roundtrip;
mod ship;

use weft_sdk::{host, Message, Plugin, PluginError};

use crate::X12Outbound;

/// Sets the envelope config (keys not given are unset) and seeds the
/// control-number counters so the next ISA13 is `isa` and GS06 `gs`.
pub(crate) fn configure(pairs: &[(&str, &str)], isa: u64, gs: u64) {
    for key in [
        "sender_id",
        "sender_qualifier",
        "receiver_id",
        "receiver_qualifier",
        "version",
        "usage",
        "element_separator",
        "component_separator",
        "segment_terminator",
        "repetition_separator",
    ] {
        host::set_config(key, None);
    }
    for (k, v) in pairs {
        host::set_config(k, Some(v));
    }
    if let Some((_, receiver)) = pairs.iter().find(|(k, _)| *k == "receiver_id") {
        host::set_sequence(&format!("x12:{receiver}:isa"), isa - 1);
        host::set_sequence(&format!("x12:{receiver}:gs"), gs - 1);
    }
}

/// An input message of `kind` carrying `doc`.
pub(crate) fn input(kind: &str, doc: &serde_json::Value) -> Message {
    Message {
        id: "in-1".into(),
        correlation_id: String::new(),
        kind: kind.into(),
        content_type: "application/json".into(),
        headers: Vec::new(),
        payload: serde_json::to_vec(doc).unwrap_or_default(),
    }
}

/// Runs the plugin and returns its single output message.
pub(crate) fn run(kind: &str, doc: &serde_json::Value) -> Message {
    let mut out = X12Outbound::process(input(kind, doc)).unwrap();
    assert_eq!(out.len(), 1);
    out.remove(0)
}

/// The payload as text.
pub(crate) fn text(m: &Message) -> String {
    String::from_utf8(m.payload.clone()).unwrap()
}

/// The `invalid` reason of a failed run.
pub(crate) fn fails(kind: &str, doc: &serde_json::Value) -> String {
    match X12Outbound::process(input(kind, doc)) {
        Err(PluginError::Invalid(reason)) => reason,
        other => panic!("expected invalid, got {other:?}"),
    }
}

/// The golden cases in `cases/`, checked natively exactly as
/// `weft plugin test` checks them against the component
/// (`WEFT_BLESS=1 cargo test -p x12-outbound golden_cases` rewrites them).
#[test]
fn golden_cases() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
    weft_sdk::testing::golden_cases::<X12Outbound>(&dir, "WEFT_BLESS", 6);
}
