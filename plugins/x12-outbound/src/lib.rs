//! weft sink `x12-outbound`: canonical order acknowledgements, shipments
//! and invoices → X12 855 / 856 / 810 interchanges, one file each.
//!
//! | input kind | document | set |
//! |---|---|---|
//! | `order.acknowledged` | `weft.order_ack/1` | 855 ([`ack`]) |
//! | `shipment.dispatched` | `weft.shipment/1` | 856 ([`ship`]) |
//! | `invoice.posted` | `weft.invoice/1` | 810 ([`invoice`]) |
//!
//! The output is one message of kind `file`, content type
//! `application/edi-x12`, header `weft-file-name` =
//! `<set>_<receiver_id>_<ISA13>.edi`, whose payload is the whole
//! interchange ISA/GS/ST … SE/GE/IEA. Two more headers say what the
//! partner will acknowledge: `weft-ack-key` =
//! `x12:<receiver_id>:<GS06 without leading zeros>`
//! ([`weft_sdk::edi_ack::match_key`]), the `key` of the group in the
//! `weft.edi_ack/1` the `x12` source reads from the partner's 997/999
//! (whose ISA06 is our `receiver_id`, whose AK102 is our GS06), and
//! `weft-ack-document` = `X12 <set>` (`X12 855`). The envelope comes from the config
//! ([`config`]); the control numbers from the host counters
//! `x12:<receiver_id>:isa` and `…:gs`; dates and times from the document,
//! never the clock. A value holding a delimiter fails the message
//! `invalid`, naming the field, rather than breaking the interchange.

pub mod ack;
pub mod config;
pub mod envelope;
pub mod invoice;
pub mod loops;
pub mod ship;
pub mod values;
pub mod writer;

use serde::de::DeserializeOwned;
use weft_sdk::invoice::{Invoice, INVOICE_SCHEMA, POSTED};
use weft_sdk::order_ack::{OrderAck, ACKNOWLEDGED, ORDER_ACK_SCHEMA};
use weft_sdk::shipment::{Shipment, DISPATCHED, SHIPMENT_SCHEMA};
use weft_sdk::{Message, Plugin, PluginError, PluginInfo, Role};

use config::Envelope;
use envelope::Interchange;

/// The `x12-outbound` sink plugin.
pub struct X12Outbound;

/// Kind of every output message.
pub const FILE_KIND: &str = "file";
/// Content type of the interchange.
pub const CONTENT_TYPE: &str = "application/edi-x12";
/// Header naming the file the host's file sink writes.
pub const FILE_NAME_HEADER: &str = "weft-file-name";
/// Header holding the match key of the functional group written
/// (`x12:<receiver_id>:<GS06>`), as the partner's 997/999 will name it.
pub const ACK_KEY_HEADER: &str = "weft-ack-key";
/// Header naming the document the partner will acknowledge (`X12 855`).
pub const ACK_DOCUMENT_HEADER: &str = "weft-ack-document";

impl Plugin for X12Outbound {
    fn describe() -> PluginInfo {
        weft_sdk::info("x12-outbound", env!("CARGO_PKG_VERSION"), Role::Sink)
            .summary("canonical order acks, shipments and invoices -> X12 855/856/810 interchanges")
            .accepts([ACKNOWLEDGED, DISPATCHED, POSTED])
            .emits([FILE_KIND])
            .build()
    }

    fn process(msg: Message) -> Result<Vec<Message>, PluginError> {
        let env = Envelope::from_config()?;
        let (set, correlation_id, x) = match msg.kind.as_str() {
            ACKNOWLEDGED => {
                let doc: OrderAck = document(&msg, &|d: &OrderAck| &d.schema, ORDER_ACK_SCHEMA)?;
                ("855", doc.correlation_id.clone(), ack::write(&env, &doc)?)
            }
            DISPATCHED => {
                let doc: Shipment = document(&msg, &|d: &Shipment| &d.schema, SHIPMENT_SCHEMA)?;
                ("856", doc.correlation_id.clone(), ship::write(&env, &doc)?)
            }
            POSTED => {
                let doc: Invoice = document(&msg, &|d: &Invoice| &d.schema, INVOICE_SCHEMA)?;
                ("810", doc.correlation_id.clone(), invoice::write(&env, &doc)?)
            }
            other => {
                return Err(PluginError::invalid(format!(
                    "message kind `{}` is not accepted: expected {ACKNOWLEDGED}, {DISPATCHED} or {POSTED}",
                    other.escape_default()
                )))
            }
        };
        Ok(vec![file(&msg, &env, set, correlation_id, x)])
    }
}

/// Parses the payload and checks its `schema`.
fn document<T: DeserializeOwned>(
    msg: &Message,
    schema_of: &dyn Fn(&T) -> &String,
    expected: &str,
) -> Result<T, PluginError> {
    let doc: T = msg.payload_json()?;
    let schema = schema_of(&doc);
    if schema != expected {
        return Err(PluginError::invalid(format!(
            "schema: `{}` is not {expected}, which message kind `{}` carries",
            schema.escape_default(),
            msg.kind
        )));
    }
    Ok(doc)
}

/// The output `file` message.
fn file(
    msg: &Message,
    env: &Envelope,
    set: &str,
    correlation_id: String,
    x: Interchange,
) -> Message {
    let id = if msg.id.is_empty() {
        format!("x12-{set}")
    } else {
        format!("{}/x12-{set}", msg.id)
    };
    Message {
        id,
        correlation_id,
        kind: FILE_KIND.to_string(),
        content_type: CONTENT_TYPE.to_string(),
        headers: vec![
            (
                FILE_NAME_HEADER.to_string(),
                file_name(set, &env.receiver_id, &x.isa13),
            ),
            (
                ACK_KEY_HEADER.to_string(),
                weft_sdk::edi_ack::match_key("x12", &env.receiver_id, &x.gs06),
            ),
            (ACK_DOCUMENT_HEADER.to_string(), format!("X12 {set}")),
        ],
        payload: x.text.into_bytes(),
    }
}

/// `<set>_<receiver>_<isa13>.edi`, the receiver id reduced to characters
/// safe in a file name (others become `_`).
pub fn file_name(set: &str, receiver: &str, isa13: &str) -> String {
    let safe: String = receiver
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{set}_{safe}_{isa13}.edi")
}

weft_sdk::export_sink!(X12Outbound);

#[cfg(test)]
mod tests;
