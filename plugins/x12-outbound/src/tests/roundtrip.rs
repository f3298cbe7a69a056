//! Round trip: every document the `x12` source reads from the real 855,
//! 856 and 810 files, written here and read back by the same source, is
//! the same canonical document (apart from the envelope facts in `source`,
//! which the reader takes from the new interchange; the facts the source
//! keeps there for lack of a canonical field, such as the 810 PO date,
//! must survive).

use serde::de::DeserializeOwned;
use serde::Serialize;
use weft_sdk::invoice::Invoice;
use weft_sdk::order_ack::OrderAck;
use weft_sdk::shipment::Shipment;
use weft_sdk::{host, testing, Message, Plugin};

use super::configure;
use crate::X12Outbound;

/// The `source` keys that describe the interchange rather than the
/// document.
const ENVELOPE: [&str; 11] = [
    "set_control",
    "group_control",
    "interchange_control",
    "version",
    "sender",
    "sender_qualifier",
    "receiver",
    "receiver_qualifier",
    "application_sender",
    "application_receiver",
    "usage",
];

/// Drops the envelope facts from `source`.
fn envelope(source: &mut std::collections::BTreeMap<String, serde_json::Value>) {
    source.retain(|k, _| !ENVELOPE.contains(&k.as_str()));
}

/// Reads `edi` with the `x12` source (no 997s) and returns the documents
/// of `kind` with their message ids.
fn read<T: DeserializeOwned>(edi: &[u8], kind: &str, utc_offset: Option<&str>) -> Vec<(String, T)> {
    host::set_config("ack", Some("false"));
    host::set_config("utc_offset", utc_offset);
    let raw = Message {
        id: "rt".into(),
        correlation_id: String::new(),
        kind: "raw".into(),
        content_type: "application/edi-x12".into(),
        headers: Vec::new(),
        payload: edi.to_vec(),
    };
    let out = <x12::X12 as Plugin>::process(raw).unwrap();
    out.iter()
        .filter(|m| m.kind == kind)
        .map(|m| (m.id.clone(), m.payload_json().unwrap()))
        .collect()
}

/// Reads each real file `prefix*` of `shared/realdata/x12`, writes every
/// document of `kind` back to X12, reads that, and compares. Returns how
/// many documents went round, `None` (with a printed note) when the
/// real-data folder is absent.
fn round_trip_files<T>(
    prefix: &str,
    kind: &str,
    utc_offset: Option<&str>,
    clear: fn(&mut T),
) -> Option<usize>
where
    T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
{
    let all = testing::realdata_files("x12");
    if all.is_empty() {
        return None;
    }
    let mut count = 0;
    for (file, edi) in all.iter().filter(|(name, _)| name.starts_with(prefix)) {
        for (id, mut doc) in read::<T>(edi, kind, utc_offset) {
            configure(
                &[("sender_id", "SENDER"), ("receiver_id", "RECEIVER")],
                41,
                7,
            );
            host::set_config("segment_terminator", Some("~\n"));
            let json = serde_json::to_value(&doc).unwrap();
            let msg = super::input(kind, &json);
            let out = X12Outbound::process(msg).unwrap_or_else(|e| panic!("{file} {id}: {e:?}"));
            let text = String::from_utf8_lossy(out.first().map_or(&[][..], |m| &m.payload[..]))
                .to_string();
            let back: Vec<(String, T)> = read(text.as_bytes(), kind, utc_offset);
            assert_eq!(back.len(), 1, "{file} {id}:\n{text}");
            let mut back = back.into_iter().map(|(_, d)| d).next().unwrap();
            clear(&mut doc);
            clear(&mut back);
            assert_eq!(back, doc, "{file} {id}:\n{text}");
            count += 1;
        }
    }
    Some(count)
}

#[test]
fn every_real_855_round_trips() {
    let Some(n) = round_trip_files::<OrderAck>("855_", "order.acknowledged", None, |d| {
        envelope(&mut d.source)
    }) else {
        return;
    };
    assert!(n >= 6, "{n}");
    let Some(n) = round_trip_files::<OrderAck>("855_", "order.acknowledged", Some("-05:00"), |d| {
        envelope(&mut d.source)
    }) else {
        return;
    };
    assert!(n >= 6, "{n}");
}

#[test]
fn every_real_856_round_trips() {
    let Some(n) = round_trip_files::<Shipment>("856_", "shipment.dispatched", None, |d| {
        envelope(&mut d.source)
    }) else {
        return;
    };
    assert!(n >= 6, "{n}");
    let Some(n) =
        round_trip_files::<Shipment>("856_", "shipment.dispatched", Some("-05:00"), |d| {
            envelope(&mut d.source)
        })
    else {
        return;
    };
    assert!(n >= 6, "{n}");
}

#[test]
fn every_real_810_round_trips() {
    let Some(n) =
        round_trip_files::<Invoice>("810", "invoice.posted", None, |d| envelope(&mut d.source))
    else {
        return;
    };
    assert!(n >= 4, "{n}");
    let Some(n) = round_trip_files::<Invoice>("810", "invoice.posted", Some("-05:00"), |d| {
        envelope(&mut d.source)
    }) else {
        return;
    };
    assert!(n >= 4, "{n}");
}
