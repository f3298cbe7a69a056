//! Delivery records: what a sink writes to `weft:{flow}:deliveries`
//! ([`super::Keys::deliveries`]) for every message it delivered, in the
//! same atomic commit as the XACK of the message (see [`super::commit`]):
//! a crash never loses a record nor writes one twice, and a duplicate
//! (a message id delivered before with the same payload) writes none.
//! It is the ledger's "booked in ERP" milestone.
//!
//! The entry fields, all strings (the one place they are listed):
//!
//! | field | what |
//! |---|---|
//! | `id` | the message id |
//! | `corr` | its correlation id (may be empty) |
//! | `kind` | its kind, e.g. `http.request` |
//! | `ct` | its content type |
//! | `sink` | the sink's name (`erp`, not `sink:erp`) |
//! | `flow` | the flow |
//! | `status` | the HTTP status code the receiver answered (`200`, `201`, …), or `written` for a file sink |
//! | `at` | when it was delivered: ms since the Unix epoch (decimal) |
//! | `key` | the `Idempotency-Key` sent (HTTP sinks; empty for file sinks) |
//! | `ref` | the receiver's reference, e.g. the ERP's order number read with `order_number_pointer` (empty when not configured or not found) |
//! | `target` | the URL path delivered to (HTTP), or the file name (file) |
//! | `ack_key` | the message's `weft-ack-key` header: the key under which the receiver's functional acknowledgement will name it (`x12:<partner>:<GS06>`, written by `x12-outbound`), or empty |
//! | `ack_doc` | the message's `weft-ack-document` header: what is acknowledged, e.g. `X12 855`, or empty |

use super::Entry;

/// `status` of a file sink's record.
pub const WRITTEN: &str = "written";

/// The field names of a delivery entry, in the order they are written.
pub const FIELDS: [&str; 13] = [
    "id", "corr", "kind", "ct", "sink", "flow", "status", "at", "key", "ref", "target", "ack_key",
    "ack_doc",
];

/// Header of a message whose receiver will acknowledge it (an EDI
/// functional acknowledgement): the key the acknowledgement names.
pub const ACK_KEY_HEADER: &str = "weft-ack-key";
/// Header naming what the receiver acknowledges (`X12 855`).
pub const ACK_DOC_HEADER: &str = "weft-ack-document";

/// One delivered message (an entry of `weft:{flow}:deliveries`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeliveryRecord {
    /// `id`: the message id.
    pub id: String,
    /// `corr`: the correlation id (may be empty).
    pub correlation_id: String,
    /// `kind`: the message kind.
    pub kind: String,
    /// `ct`: the message's content type.
    pub content_type: String,
    /// `sink`: the sink's name.
    pub sink: String,
    /// `flow`: the flow.
    pub flow: String,
    /// `status`: the HTTP status code, or [`WRITTEN`] for a file sink.
    pub status: String,
    /// `at`: when it was delivered, ms since the Unix epoch.
    pub at_ms: u64,
    /// `key`: the `Idempotency-Key` sent (empty for file sinks).
    pub key: String,
    /// `ref`: the receiver's reference (the ERP order number), or empty.
    pub reference: String,
    /// `target`: the URL path, or the file name.
    pub target: String,
    /// `ack_key`: the key of the acknowledgement expected, or empty.
    pub ack_key: String,
    /// `ack_doc`: what the acknowledgement will acknowledge, or empty.
    pub ack_doc: String,
}

/// Why a stream entry is not a delivery record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryDecodeError {
    /// The entry has no (or an empty) `id` field.
    #[error("delivery entry {entry} has no message id")]
    NoId {
        /// The stream entry id.
        entry: String,
    },
    /// `at` is not a decimal number of milliseconds.
    #[error("delivery entry {entry}: `at` is `{value}`, not milliseconds since the epoch")]
    At {
        /// The stream entry id.
        entry: String,
        /// The value found.
        value: String,
    },
}

impl DeliveryRecord {
    /// The entry's fields, named as in [`FIELDS`].
    pub fn to_fields(&self) -> Vec<(&'static str, Vec<u8>)> {
        let at = self.at_ms.to_string();
        let values = [
            self.id.as_str(),
            self.correlation_id.as_str(),
            self.kind.as_str(),
            self.content_type.as_str(),
            self.sink.as_str(),
            self.flow.as_str(),
            self.status.as_str(),
            at.as_str(),
            self.key.as_str(),
            self.reference.as_str(),
            self.target.as_str(),
            self.ack_key.as_str(),
            self.ack_doc.as_str(),
        ];
        FIELDS
            .iter()
            .zip(values)
            .map(|(k, v)| (*k, v.as_bytes().to_vec()))
            .collect()
    }

    /// Reads a record back from the fields of stream entry `entry_id`.
    /// Absent fields are empty (unknown ones are ignored, so fields may be
    /// added later); `id` is required and `at` must be a number.
    pub fn from_fields(
        entry_id: &str,
        fields: &[(String, Vec<u8>)],
    ) -> Result<DeliveryRecord, DeliveryDecodeError> {
        let text = |name: &str| {
            fields
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
                .unwrap_or_default()
        };
        let id = text("id");
        if id.is_empty() {
            return Err(DeliveryDecodeError::NoId {
                entry: entry_id.to_string(),
            });
        }
        let at = text("at");
        let at_ms = at.parse::<u64>().map_err(|_| DeliveryDecodeError::At {
            entry: entry_id.to_string(),
            value: at.clone(),
        })?;
        Ok(DeliveryRecord {
            id,
            correlation_id: text("corr"),
            kind: text("kind"),
            content_type: text("ct"),
            sink: text("sink"),
            flow: text("flow"),
            status: text("status"),
            at_ms,
            key: text("key"),
            reference: text("ref"),
            target: text("target"),
            ack_key: text("ack_key"),
            ack_doc: text("ack_doc"),
        })
    }

    /// Reads a record back from a stream entry.
    pub fn from_entry(e: &Entry) -> Result<DeliveryRecord, DeliveryDecodeError> {
        DeliveryRecord::from_fields(&e.id, &e.fields)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_through_fields() {
        let r = DeliveryRecord {
            id: "x12:ACME:1".into(),
            correlation_id: "x12:ACME:PO-1".into(),
            kind: "http.request".into(),
            content_type: "application/json".into(),
            sink: "erp".into(),
            flow: "edi".into(),
            status: "201".into(),
            at_ms: 1_764_700_000_123,
            key: "x12:ACME:1".into(),
            reference: "SO-000123".into(),
            target: "/erp/sales-orders".into(),
            ack_key: "x12:ACME:1001".into(),
            ack_doc: "X12 855".into(),
        };
        let fields: Vec<(String, Vec<u8>)> = r
            .to_fields()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        let names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, FIELDS);
        assert_eq!(DeliveryRecord::from_fields("1-0", &fields), Ok(r));
    }

    #[test]
    fn an_entry_without_id_or_with_a_bad_time_is_refused() {
        let f = |pairs: &[(&str, &str)]| -> Vec<(String, Vec<u8>)> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
                .collect()
        };
        assert_eq!(
            DeliveryRecord::from_fields("1-0", &f(&[("at", "1")])),
            Err(DeliveryDecodeError::NoId {
                entry: "1-0".into()
            })
        );
        let e = DeliveryRecord::from_fields("1-0", &f(&[("id", "m"), ("at", "soon")]));
        assert!(matches!(e, Err(DeliveryDecodeError::At { .. })), "{e:?}");
        // Absent optional fields are empty; unknown ones are ignored.
        let r = DeliveryRecord::from_fields("1-0", &f(&[("id", "m"), ("at", "5"), ("new", "x")]));
        assert_eq!(
            r,
            Ok(DeliveryRecord {
                id: "m".into(),
                at_ms: 5,
                ..DeliveryRecord::default()
            })
        );
    }
}
