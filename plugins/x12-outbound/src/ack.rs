//! `order.acknowledged` (`weft.order_ack/1`) → X12 855 Purchase Order
//! Acknowledgment.
//!
//! ```text
//! BAK*<purpose>*<ack code>*<order_id>*<ordered_at>*<release_number>**<contract>*<ack_id>*<acknowledged_at>
//! CUR*SE*<currency>
//! REF*<qualifier>*<reference>          per other reference
//! N1/N3/N4                             per party
//! PO1*<line_id>*<ordered qty>*<uom>*<unit_price>*PE*<id pairs>
//! ACK*<status code>*<qty>*<uom>*068*<scheduled_date>
//! CTT*<lines>*<sum of PO102>
//! ```
//!
//! The interchange date is `acknowledged_at` (else `ordered_at`).

use weft_sdk::order_ack::{AckLine, OrderAck};
use weft_sdk::{money, PluginError};

use crate::config::Envelope;
use crate::envelope::{self, Interchange};
use crate::loops;
use crate::values::{self, Stamp};
use crate::writer::Writer;

/// Writes the 855 interchange of `ack`.
pub fn write(env: &Envelope, ack: &OrderAck) -> Result<Interchange, PluginError> {
    let stamp = match (ack.acknowledged_at.as_deref(), ack.ordered_at.as_deref()) {
        (Some(at), _) => Stamp::parse(at, "acknowledged_at")?,
        (None, Some(at)) => Stamp::parse(at, "ordered_at")?,
        (None, None) => {
            return Err(PluginError::invalid(
                "acknowledged_at and ordered_at are both missing: one is needed to date the interchange (ISA09/GS04) and BAK04",
            ))
        }
    };
    let ordered = values::opt_date(ack.ordered_at.as_deref(), "ordered_at")?;
    let acknowledged = values::opt_date(ack.acknowledged_at.as_deref(), "acknowledged_at")?;
    let code = ack_code(ack)?;

    let refs = &ack.references;
    let mut w = envelope::start(env, "855")?;
    w.seg("BAK")
        .code(&values::purpose_code(
            ack.purpose.as_deref(),
            &ack.source,
            "purpose",
        )?)
        .el(&code, "ack_code")
        .el(&ack.order_id, "order_id")
        // BAK04 (purchase order date) is mandatory: the ack date stands in
        // when the acknowledgement does not repeat the order's.
        .code(ordered.as_deref().unwrap_or(&stamp.date))
        .opt(
            refs.get("release_number").map(String::as_str),
            "references.release_number",
        )
        .empty()
        .opt(
            refs.get("contract").map(String::as_str),
            "references.contract",
        )
        .opt(ack.ack_id.as_deref(), "ack_id")
        .opt(acknowledged.as_deref(), "acknowledged_at")
        .end()?;
    if let Some(c) = &ack.currency {
        w.seg("CUR").code("SE").el(c, "currency").end()?;
    }
    // References already in BAK are not repeated as REF.
    let mut skip = vec!["release_number", "contract"];
    if refs.get("po_number") == Some(&ack.order_id) {
        skip.push("po_number");
    }
    if ack.ack_id.is_some() && refs.get("vendor_order") == ack.ack_id.as_ref() {
        skip.push("vendor_order");
    }
    loops::references(&mut w, refs, &skip)?;
    loops::parties(&mut w, &ack.parties, &[])?;

    let mut hash = money::Decimal::ZERO;
    for (i, line) in ack.lines.iter().enumerate() {
        hash += write_line(
            &mut w,
            line,
            default_status(&ack.ack_type),
            &format!("lines[{i}]"),
        )?;
    }
    w.seg("CTT")
        .code(&ack.lines.len().to_string())
        .code(&money::format_qty(hash))
        .end()?;
    envelope::finish(env, w, "PR", &stamp)
}

/// BAK02: the document's own code, else derived from `ack_type`.
fn ack_code(ack: &OrderAck) -> Result<String, PluginError> {
    if let Some(code) = ack.ack_code.as_deref().filter(|c| !c.trim().is_empty()) {
        return Ok(code.trim().to_string());
    }
    Ok(match ack.ack_type.trim() {
        "accepted" => "AD",
        "accepted_with_changes" => "AC",
        "rejected" => "RD",
        "pending" => "AK",
        other => {
            return Err(PluginError::invalid(format!(
                "ack_type: `{}` is not one of accepted, accepted_with_changes, rejected, pending",
                other.escape_default()
            )))
        }
    }
    .to_string())
}

/// ACK01: the line's own code, else derived from `status`.
fn status_code(line: &AckLine, field: &str) -> Result<String, PluginError> {
    if let Some(code) = line.status_code.as_deref().filter(|c| !c.trim().is_empty()) {
        return Ok(code.trim().to_string());
    }
    Ok(match line.status.trim() {
        "accepted" => "IA",
        "backordered" => "IB",
        "changed" => "IC",
        "rejected" => "IR",
        "substituted" => "IS",
        "cancelled" => "ID",
        "pending" => "IH",
        other => {
            return Err(PluginError::invalid(format!(
                "{field}.status: `{}` is not one of accepted, backordered, changed, rejected, substituted, cancelled, pending",
                other.escape_default()
            )))
        }
    }
    .to_string())
}

/// The line status a reader assumes for a PO1 without ACK.
fn default_status(ack_type: &str) -> &'static str {
    match ack_type.trim() {
        "accepted" | "accepted_with_changes" => "accepted",
        "rejected" => "rejected",
        _ => "pending",
    }
}

/// PO1 + ACK of one line; returns the PO102 quantity for the CTT hash.
/// The ACK is left out when it would say nothing beyond the header's
/// acknowledgement type (no code, quantity or date of its own).
fn write_line(
    w: &mut Writer,
    line: &AckLine,
    default: &str,
    field: &str,
) -> Result<money::Decimal, PluginError> {
    let ordered = line
        .ordered_quantity
        .as_deref()
        .or(line.quantity.as_deref());
    let ordered_field = match line.ordered_quantity {
        Some(_) => format!("{field}.ordered_quantity"),
        None => format!("{field}.quantity"),
    };
    let Some(ordered) = ordered else {
        return Err(PluginError::invalid(format!(
            "{field}: neither ordered_quantity nor quantity is set; PO102 needs one"
        )));
    };
    let ordered_value = values::parse(ordered, &ordered_field)?;
    let price = values::opt_decimal(line.unit_price.as_deref(), &format!("{field}.unit_price"))?;
    let po1 = w
        .seg("PO1")
        .el(&line.line_id, &format!("{field}.line_id"))
        .el(ordered, &ordered_field)
        .opt(line.uom.as_deref(), &format!("{field}.uom"))
        .opt(price.as_deref(), &format!("{field}.unit_price"))
        .code(if price.is_some() { "PE" } else { "" });
    loops::item_ids(po1, &line.item, field).end()?;

    let quantity = values::opt_decimal(line.quantity.as_deref(), &format!("{field}.quantity"))?;
    let scheduled = values::opt_date(
        line.scheduled_date.as_deref(),
        &format!("{field}.scheduled_date"),
    )?;
    let silent = line.status_code.is_none() && quantity.is_none() && scheduled.is_none();
    if silent && line.status.trim() == default {
        return Ok(ordered_value);
    }
    let mut ack = w
        .seg("ACK")
        .el(&status_code(line, field)?, &format!("{field}.status_code"))
        .opt(quantity.as_deref(), &format!("{field}.quantity"))
        .opt(
            quantity.as_ref().and(line.uom.as_deref()),
            &format!("{field}.uom"),
        );
    if let Some(d) = &scheduled {
        ack = ack.code("068").code(d);
    }
    ack.end()?;
    Ok(ordered_value)
}
