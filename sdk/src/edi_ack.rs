//! The canonical EDI functional acknowledgement, `weft.edi_ack/1`
//! (`schemas/edi_ack.v1.schema.json`), message kind `edi_ack.received`.
//!
//! One document is one acknowledgement a partner sent about documents we
//! sent them (an X12 997 or 999): per functional group acknowledged, its
//! status and the status of each transaction set. It belongs to no single
//! order: its correlation id is `{channel}:{ack_id}`. Each group carries a
//! match [`key`](AckGroup::key), built by [`match_key`], equal to the key
//! the outbound side records for the group it wrote, so a ledger can pair
//! the two.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Schema id carried in [`EdiAck::schema`].
pub const EDI_ACK_SCHEMA: &str = "weft.edi_ack/1";
/// The message kind of a received acknowledgement.
pub const RECEIVED: &str = "edi_ack.received";

/// Status: accepted.
pub const ACCEPTED: &str = "accepted";
/// Status: accepted, but errors were noted.
pub const ACCEPTED_WITH_ERRORS: &str = "accepted_with_errors";
/// Group status: some sets accepted, some rejected.
pub const PARTIALLY_ACCEPTED: &str = "partially_accepted";
/// Status: rejected.
pub const REJECTED: &str = "rejected";

/// A functional acknowledgement received from a partner.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct EdiAck {
    /// Always `weft.edi_ack/1`.
    pub schema: String,
    /// The acknowledgement's own id (X12:
    /// `<ISA06>:<ISA13>:<GS06>:<ST02>` of the 997/999).
    pub ack_id: String,
    /// Channel code, as the source's configured channel.
    pub channel: String,
    /// `{channel}:{ack_id}`: an acknowledgement is about sent documents,
    /// not about one order.
    pub correlation_id: String,
    /// The EDI standard: `x12`.
    pub standard: String,
    /// The acknowledgement's type: `997`, `999`.
    pub ack_type: String,
    /// When the partner issued it (RFC 3339 or a date), when readable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledged_at: Option<String>,
    /// Who acknowledges: the partner's interchange id (X12 ISA06).
    pub sender: String,
    /// To whom: our interchange id as the partner wrote it (X12 ISA08).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receiver: Option<String>,
    /// The acknowledged functional groups, at least one.
    pub groups: Vec<AckGroup>,
    /// Where the document came from (the acknowledgement's own set id and
    /// control numbers).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub source: BTreeMap<String, serde_json::Value>,
}

/// The acknowledgement of one functional group we sent.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct AckGroup {
    /// The acknowledged group's functional id (X12 AK101: `PR`, `IN`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub functional_id: Option<String>,
    /// The acknowledged group's control number as the partner wrote it
    /// (X12 AK102).
    pub control: String,
    /// The match key ([`match_key`]) of the acknowledged group.
    pub key: String,
    /// [`ACCEPTED`], [`ACCEPTED_WITH_ERRORS`], [`PARTIALLY_ACCEPTED`] or
    /// [`REJECTED`].
    pub status: String,
    /// The acknowledged transaction sets (may be empty: a partner may
    /// acknowledge a whole group without listing its sets).
    #[serde(default)]
    pub sets: Vec<AckSet>,
    /// Number of sets the group held, as the partner counted (X12 AK902).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub included_sets: Option<u64>,
    /// Number of sets the partner received (X12 AK903).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_sets: Option<u64>,
    /// Number of sets the partner accepted (X12 AK904).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_sets: Option<u64>,
    /// Group-level errors in words (X12 AK905–AK909).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
}

/// The acknowledgement of one transaction set.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct AckSet {
    /// The acknowledged set's id (X12 AK201: `855`, `810`, …).
    pub set: String,
    /// The acknowledged set's control number (X12 AK202).
    pub control: String,
    /// [`ACCEPTED`], [`ACCEPTED_WITH_ERRORS`] or [`REJECTED`].
    pub status: String,
    /// The errors the partner reported, each a short text naming the
    /// segment, its position, the element and the error code.
    #[serde(default)]
    pub errors: Vec<String>,
}

/// The key pairing an acknowledged group with the group we sent:
/// `{standard}:{partner}:{control}`, the partner id trimmed and the control
/// number trimmed of spaces and leading zeros (`"0"` when it was all
/// zeros), because partners echo a group control number as a number
/// (X12 N0: `000005` comes back as `5`).
pub fn match_key(standard: &str, partner: &str, group_control: &str) -> String {
    let control = group_control.trim();
    let stripped = control.trim_start_matches('0');
    let control = if stripped.is_empty() && !control.is_empty() {
        "0"
    } else {
        stripped
    };
    format!("{standard}:{}:{control}", partner.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_key_strips_leading_zeros_and_trims() {
        assert_eq!(match_key("x12", "ACME  ", "000005"), "x12:ACME:5");
        assert_eq!(match_key("x12", " ACME", "5"), "x12:ACME:5");
        assert_eq!(match_key("x12", "ACME", "0000"), "x12:ACME:0");
        assert_eq!(match_key("x12", "ACME", "0"), "x12:ACME:0");
        assert_eq!(match_key("x12", "ACME", " 120 "), "x12:ACME:120");
        assert_eq!(match_key("x12", "ACME", "1002003"), "x12:ACME:1002003");
    }

    #[test]
    fn reads_and_writes_with_options_omitted() {
        let a: EdiAck = serde_json::from_value(serde_json::json!({
            "schema": EDI_ACK_SCHEMA, "ack_id": "P:1:2:0001", "channel": "x12",
            "correlation_id": "x12:P:1:2:0001", "standard": "x12", "ack_type": "997",
            "sender": "P",
            "groups": [{"control": "7", "key": "x12:P:7", "status": "accepted"}]
        }))
        .unwrap();
        assert_eq!(a.groups[0].sets, Vec::new());
        let v = serde_json::to_value(&a).unwrap();
        assert!(v.get("receiver").is_none() && v.get("acknowledged_at").is_none());
        assert!(v["groups"][0].get("accepted_sets").is_none());
        assert_eq!(v["groups"][0]["sets"], serde_json::json!([]));
    }
}
