//! `invoice.posted` (`weft.invoice/1`) → X12 810 Invoice.
//!
//! ```text
//! BIG*<invoice_date>*<invoice_id>*<PO date>*<first order ref>***<CR|DR>*<purpose>
//! CUR*SE*<currency>
//! REF*PO*<further order refs>   REF*<qualifier>*<reference>
//! N1/N3/N4 per party (bill_to / ship_to addresses merged)
//! ITD*<code>**<discount %>**<discount days>*<due date>*<net days>*****<description>
//! DTM*011*<ship date>
//! IT1*<line_id>*<qty>*<uom>*<unit_price>**<id pairs>
//!   PID*F****<description>
//!   SAC*<A|C>*<code>***<amount, implied 2 decimals>*<percent qual>*<percent>*******<description>
//! TDS*<total, implied 2 decimals>
//! TXI*TX*<tax>
//! SAC … per invoice-level allowance or charge
//! CTT*<lines>
//! ```
//!
//! The interchange date is the invoice date. The PO date (BIG03) and the
//! ship date (DTM 011) have no canonical field: they are written from
//! `source.po_date` / `source.shipped_at` when the document was read from
//! X12 by the `x12` source.

use weft_sdk::invoice::{Charge, Invoice, Terms};
use weft_sdk::PluginError;

use crate::config::Envelope;
use crate::envelope::{self, Interchange};
use crate::loops;
use crate::values::{self, Stamp};
use crate::writer::Writer;

/// Writes the 810 interchange of `inv`.
pub fn write(env: &Envelope, inv: &Invoice) -> Result<Interchange, PluginError> {
    let Some(date) = inv.invoice_date.as_deref() else {
        return Err(PluginError::invalid(
            "invoice_date is missing: BIG01 and the interchange date need it",
        ));
    };
    let stamp = Stamp::parse(date, "invoice_date")?;
    let Some(total) = inv.totals.total.as_deref() else {
        return Err(PluginError::invalid(
            "totals.total is missing: TDS01 (total invoice amount) is mandatory",
        ));
    };
    let total = values::cents(total, "totals.total")?;
    let (kind, purpose) = match inv.purpose.as_deref().map(str::trim) {
        Some("credit") => ("CR", None),
        Some("debit") => ("DR", None),
        None => ("", None),
        other => (
            "",
            Some(values::purpose_code(other, &inv.source, "purpose")?),
        ),
    };

    let po_date = values::source_stamp(&inv.source, "po_date").map(|s| s.date);
    let mut w = envelope::start(env, "810")?;
    w.seg("BIG")
        .code(&stamp.date)
        .el(&inv.invoice_id, "invoice_id")
        .opt(po_date.as_deref(), "source.po_date")
        .opt(inv.order_refs.first().map(String::as_str), "order_refs[0]")
        .skip(2)
        .code(kind)
        .opt(purpose.as_deref(), "purpose")
        .end()?;
    if let Some(c) = &inv.currency {
        w.seg("CUR").code("SE").el(c, "currency").end()?;
    }
    for (i, o) in inv.order_refs.iter().enumerate().skip(1) {
        w.seg("REF")
            .code("PO")
            .el(o, &format!("order_refs[{i}]"))
            .end()?;
    }
    let first_po = inv.order_refs.first();
    let skip: &[&str] = if inv.references.get("po_number") == first_po {
        &["po_number"]
    } else {
        &[]
    };
    loops::references(&mut w, &inv.references, skip)?;
    loops::parties(
        &mut w,
        &inv.parties,
        &[
            ("bill_to", inv.bill_to.as_ref()),
            ("ship_to", inv.ship_to.as_ref()),
        ],
    )?;
    if let Some(t) = &inv.terms {
        terms(&mut w, t)?;
    }
    if let Some(at) = values::source_stamp(&inv.source, "shipped_at") {
        w.seg("DTM")
            .code("011")
            .code(&at.date)
            .opt(at.time.as_deref(), "source.shipped_at")
            .end()?;
    }
    for (i, line) in inv.lines.iter().enumerate() {
        let field = format!("lines[{i}]");
        let price =
            values::opt_decimal(line.unit_price.as_deref(), &format!("{field}.unit_price"))?;
        let it1 = w
            .seg("IT1")
            .el(&line.line_id, &format!("{field}.line_id"))
            .code(&values::decimal(
                &line.quantity,
                &format!("{field}.quantity"),
            )?)
            .opt(line.uom.as_deref(), &format!("{field}.uom"))
            .opt(price.as_deref(), &format!("{field}.unit_price"))
            .empty();
        loops::item_ids(it1, &line.item, &field).end()?;
        if let Some(d) = &line.description {
            w.seg("PID")
                .code("F")
                .skip(3)
                .el(d, &format!("{field}.description"))
                .end()?;
        }
        for (j, c) in line.charges.iter().enumerate() {
            sac(&mut w, c, &format!("{field}.charges[{j}]"))?;
        }
    }
    w.seg("TDS").code(&total).end()?;
    if let Some(tax) = &inv.totals.tax {
        let tax = values::decimal(tax, "totals.tax")?;
        w.seg("TXI").code("TX").code(&tax).end()?;
    }
    for (j, c) in inv.charges.iter().enumerate() {
        sac(&mut w, c, &format!("charges[{j}]"))?;
    }
    w.seg("CTT").code(&inv.lines.len().to_string()).end()?;
    envelope::finish(env, w, "IN", &stamp)
}

/// ITD: terms type, discount percent and days, due date, net days,
/// description.
fn terms(w: &mut Writer, t: &Terms) -> Result<(), PluginError> {
    let percent = values::opt_decimal(t.discount_percent.as_deref(), "terms.discount_percent")?;
    let days = values::opt_decimal(t.discount_days.as_deref(), "terms.discount_days")?;
    let net = values::opt_decimal(t.net_days.as_deref(), "terms.net_days")?;
    let due = values::opt_date(t.due_date.as_deref(), "terms.due_date")?;
    w.seg("ITD")
        .opt(t.code.as_deref(), "terms.code")
        .empty()
        .opt(percent.as_deref(), "terms.discount_percent")
        .empty()
        .opt(days.as_deref(), "terms.discount_days")
        .opt(due.as_deref(), "terms.due_date")
        .opt(net.as_deref(), "terms.net_days")
        .skip(4)
        .opt(t.description.as_deref(), "terms.description")
        .end()
}

/// SAC for one allowance or charge. Without a code, SAC02 is `ZZZZ`
/// (mutually defined), since SAC02 or SAC03 must be present.
fn sac(w: &mut Writer, c: &Charge, field: &str) -> Result<(), PluginError> {
    let indicator = match c.kind.trim() {
        "allowance" => "A",
        "charge" => "C",
        other => {
            return Err(PluginError::invalid(format!(
                "{field}.kind: `{}` is not allowance or charge",
                other.escape_default()
            )))
        }
    };
    let amount = c
        .amount
        .as_deref()
        .map(|a| values::cents(a, &format!("{field}.amount")))
        .transpose()?;
    let percent = values::opt_decimal(c.percent.as_deref(), &format!("{field}.percent"))?;
    let mut seg = w
        .seg("SAC")
        .code(indicator)
        .el(
            c.code.as_deref().unwrap_or("ZZZZ"),
            &format!("{field}.code"),
        )
        .skip(2)
        .opt(amount.as_deref(), &format!("{field}.amount"));
    if let Some(p) = &percent {
        seg = seg.code("3").code(p);
    } else {
        seg = seg.skip(2);
    }
    seg.skip(7)
        .opt(c.description.as_deref(), &format!("{field}.description"))
        .end()
}
