//! 820 payment order / remittance advice → `weft.payment/1`
//! (`payment.received`), one payment per remittance line (RMR) that pays
//! something, so each lands on the order it pays.
//!
//! BPR02 total paid (explicit decimal), BPR03 `C` credit (a `D` debit is
//! no money received and rejects), BPR04 method (`CHK` check; `ACH`, `FWT`,
//! `BOP` bank transfer; others as written, lower case), BPR16 date
//! (`paid_at`, else the header DTM `020`/`009`/`234`/`097`, else GS04),
//! TRN02 trace number (`reference`), CUR02 currency, N1 `PR` payer / `PE`
//! payee (in `source`). Each ENT loop holds ADX adjustments and RMR lines:
//! RMR01/02 the referenced document (`IV` invoice, `PO` order, …), RMR04
//! net amount paid (else RMR05 gross − RMR06 discount + its ADX01s),
//! REF `PO` the order (`order_id`, correlation `{channel}:{PO}`; else
//! `{channel}:invoice:{RMR02}` for an invoice, else
//! `{channel}:payment:{TRN02}`), DTM `003` the invoice date. An ADX after
//! an RMR adjusts that line (already netted in RMR04 when it is given); an
//! ADX before the first RMR of its ENT adjusts the remittance. Adjustments
//! keep their sign as written (ADX01: negative reduces the payment) and
//! are listed in `source.adjustments` (the line's) and
//! `source.remittance_adjustments` (the remittance's, on every payment of
//! the 820, with `source.remittance_amount` BPR02 and
//! `source.remittance_unapplied` = BPR02 − Σ payments). An RMR whose net
//! amount is not above zero (a credit memo taken) is no payment: it is
//! listed in `source.remittance_adjustments`. Without a paying RMR the
//! whole BPR02 is one payment. Non-numeric amounts and invalid dates
//! reject the set naming the element.

use serde_json::{json, Value};
use weft_sdk::money::Decimal;
use weft_sdk::payment::{Payment, COMPLETED, PAYMENT_SCHEMA, RECEIVED};

use super::multi::{doc, opt_date};
use super::{currency, n1_loop, opt_number, ref_key, Ctx, Doc, Reject};
use crate::parse::Segment;
use crate::values::money_str;

/// One ADX adjustment.
struct Adjustment {
    amount: Decimal,
    value: Value,
}

/// One RMR remittance line.
struct Line<'a> {
    seg: &'a Segment,
    net: Option<Decimal>,
    gross: Option<Decimal>,
    discount: Option<Decimal>,
    po: Option<String>,
    refs: serde_json::Map<String, Value>,
    dates: serde_json::Map<String, Value>,
    adjustments: Vec<Adjustment>,
}

enum Last {
    None,
    Line,
    LineAdjustment,
    Adjustment,
}

/// The canonical method of a BPR04 payment method code.
pub fn method(code: &str) -> Option<String> {
    match code {
        "" => None,
        "CHK" => Some("check".into()),
        "ACH" | "FWT" | "BOP" | "FEW" | "DWT" => Some("bank_transfer".into()),
        other => Some(other.to_ascii_lowercase()),
    }
}

fn adjustment(ctx: &Ctx, seg: &Segment) -> Result<Adjustment, Reject> {
    let amount = opt_number(ctx, seg, 1, "adjustment amount")?
        .ok_or_else(|| Reject::element(ctx, seg, 1, "1", "adjustment amount"))?;
    let mut v = serde_json::Map::new();
    v.insert("amount".into(), json!(money_str(amount)));
    for (n, key) in [
        (2, "reason_code"),
        (3, "reference_qualifier"),
        (4, "reference"),
    ] {
        if let Some(x) = seg.opt(n) {
            v.insert(key.into(), json!(x));
        }
    }
    Ok(Adjustment {
        amount,
        value: Value::Object(v),
    })
}

fn add_to(map: &mut serde_json::Map<String, Value>, seg: &Segment) {
    if let Some(v) = seg.opt(2).or(seg.opt(3)) {
        map.entry(ref_key(seg.el(1))).or_insert(json!(v));
    }
}

/// Maps an 820.
pub fn map(ctx: &Ctx) -> Result<Vec<(String, Doc)>, Reject> {
    let body = ctx.body();
    let bpr = body.iter().find(|s| s.id == "BPR").ok_or_else(|| {
        Reject::missing_segment(
            ctx,
            "BPR",
            "beginning segment for payment order/remittance advice",
        )
    })?;
    let total = opt_number(ctx, bpr, 2, "monetary amount")?
        .ok_or_else(|| Reject::element(ctx, bpr, 2, "1", "monetary amount"))?;
    if bpr.el(3) == "D" {
        let mut r = Reject::element(ctx, bpr, 3, "7", "credit/debit flag code");
        r.reason = format!(
            "segment {} (BPR): BPR03 `D` (debit) is no money received; only credits (`C`) are payments",
            bpr.position
        );
        return Err(r);
    }
    let trn = body
        .iter()
        .find(|s| s.id == "TRN")
        .ok_or_else(|| Reject::missing_segment(ctx, "TRN", "reassociation trace number"))?;
    let trace = trn
        .opt(2)
        .ok_or_else(|| Reject::element(ctx, trn, 2, "1", "reference identification"))?;
    let mut paid_at = opt_date(ctx, bpr, 16, None, "date")?;
    let mut currency_code = None;
    let mut source = ctx.source();
    let mut header_dates = serde_json::Map::new();
    let mut lines: Vec<Line> = Vec::new();
    let mut unapplied: Vec<Adjustment> = Vec::new();
    let mut last = Last::None;
    let mut in_entity_lines = false;
    let mut i = 0;
    while let Some(seg) = body.get(i) {
        match seg.id.as_str() {
            "CUR" if lines.is_empty() => currency_code = currency_code.or_else(|| currency(seg)),
            "N1" => {
                let (l, next) = n1_loop(ctx, body, i)?;
                let key = match l.code.as_str() {
                    "PR" => "payer",
                    "PE" => "payee",
                    _ => "",
                };
                if !key.is_empty() && !source.contains_key(key) {
                    source.insert(
                        key.into(),
                        serde_json::to_value(&l.party).unwrap_or_default(),
                    );
                }
                i = next.max(i + 1);
                last = Last::None;
                continue;
            }
            "ENT" => {
                in_entity_lines = false;
                last = Last::None;
            }
            "ADX" => {
                let a = adjustment(ctx, seg)?;
                match lines.last_mut().filter(|_| in_entity_lines) {
                    Some(l) => {
                        l.adjustments.push(a);
                        last = Last::LineAdjustment;
                    }
                    None => {
                        unapplied.push(a);
                        last = Last::Adjustment;
                    }
                }
            }
            "RMR" => {
                let net = opt_number(ctx, seg, 4, "monetary amount (net paid)")?;
                let gross = opt_number(ctx, seg, 5, "monetary amount (total invoice)")?;
                let discount = opt_number(ctx, seg, 6, "monetary amount (discount taken)")?;
                if seg.opt(2).is_none() {
                    return Err(Reject::element(
                        ctx,
                        seg,
                        2,
                        "1",
                        "reference identification",
                    ));
                }
                lines.push(Line {
                    seg,
                    net,
                    gross,
                    discount,
                    po: (seg.el(1) == "PO").then(|| seg.el(2).to_string()),
                    refs: serde_json::Map::new(),
                    dates: serde_json::Map::new(),
                    adjustments: Vec::new(),
                });
                in_entity_lines = true;
                last = Last::Line;
            }
            "REF" => match (&last, lines.last_mut()) {
                (Last::Line, Some(l)) => {
                    if seg.el(1) == "PO" && l.po.is_none() {
                        l.po = seg.opt(2).map(str::to_string);
                    }
                    add_to(&mut l.refs, seg);
                }
                (Last::LineAdjustment, Some(l)) => {
                    if let Some(Value::Object(m)) = l.adjustments.last_mut().map(|a| &mut a.value) {
                        add_to(m, seg);
                    }
                }
                (Last::Adjustment, _) => {
                    if let Some(Value::Object(m)) = unapplied.last_mut().map(|a| &mut a.value) {
                        add_to(m, seg);
                    }
                }
                _ => {}
            },
            "DTM" => {
                let d = opt_date(ctx, seg, 2, Some(3), "date")?;
                if let Some(d) = d {
                    let q = seg.el(1).to_string();
                    let header = lines.is_empty() && unapplied.is_empty();
                    match (&last, lines.last_mut()) {
                        (Last::Line, Some(l)) => {
                            l.dates.entry(q).or_insert(json!(d));
                        }
                        (Last::None, _) if header => {
                            header_dates.entry(q).or_insert(json!(d));
                        }
                        (Last::LineAdjustment, Some(l)) => {
                            if let Some(Value::Object(m)) =
                                l.adjustments.last_mut().map(|a| &mut a.value)
                            {
                                m.entry(format!("date_{q}")).or_insert(json!(d));
                            }
                        }
                        (Last::Adjustment, _) => {
                            if let Some(Value::Object(m)) =
                                unapplied.last_mut().map(|a| &mut a.value)
                            {
                                m.entry(format!("date_{q}")).or_insert(json!(d));
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    if paid_at.is_none() {
        paid_at = ["020", "009", "234", "097"]
            .iter()
            .find_map(|q| header_dates.get(*q).and_then(Value::as_str))
            .map(str::to_string);
    }
    let paid_at = match paid_at {
        Some(p) => p,
        None => ctx.when(&ctx.group.date, None).unwrap_or_default(),
    };

    // Paying lines, and what the remittance deducts.
    let mut paying = Vec::new();
    let mut remittance_adjustments: Vec<Value> =
        unapplied.iter().map(|a| a.value.clone()).collect();
    for l in lines {
        let net = match l.net {
            Some(n) => n,
            None => match l.gross {
                Some(g) => {
                    g - l.discount.unwrap_or_default()
                        + l.adjustments.iter().map(|a| a.amount).sum::<Decimal>()
                }
                None => {
                    return Err(Reject::element(
                        ctx,
                        l.seg,
                        4,
                        "1",
                        "monetary amount (net paid)",
                    ))
                }
            },
        };
        if net > Decimal::ZERO {
            paying.push((l, net));
        } else {
            remittance_adjustments.push(json!({
                "amount": money_str(net),
                "reference_qualifier": l.seg.el(1),
                "reference": l.seg.el(2),
            }));
        }
    }
    if paying.is_empty() && total <= Decimal::ZERO {
        let mut r = Reject::element(ctx, bpr, 2, "6", "monetary amount");
        r.reason = format!(
            "segment {} (BPR): BPR02 `{}` is no money received and no RMR pays anything",
            bpr.position,
            bpr.el(2)
        );
        return Err(r);
    }
    let paid: Decimal = paying.iter().map(|(_, n)| *n).sum();
    source.insert("remittance_amount".into(), json!(money_str(total)));
    if !paying.is_empty() {
        source.insert(
            "remittance_unapplied".into(),
            json!(money_str(total - paid)),
        );
    }
    source.insert("trace_number".into(), json!(trace));
    for (n, key) in [
        (1, "handling_code"),
        (4, "method_code"),
        (5, "payment_format"),
    ] {
        if let Some(v) = bpr.opt(n) {
            source.insert(key.into(), json!(v));
        }
    }
    if !header_dates.is_empty() {
        source.insert("dates".into(), Value::Object(header_dates));
    }
    if !remittance_adjustments.is_empty() {
        source.insert(
            "remittance_adjustments".into(),
            Value::Array(remittance_adjustments),
        );
    }
    let base = Payment {
        schema: PAYMENT_SCHEMA.into(),
        channel: ctx.cfg.channel.clone(),
        paid_at,
        currency: currency_code,
        method: method(bpr.el(4)),
        reference: Some(trace.to_string()),
        status: COMPLETED.into(),
        ..Payment::default()
    };
    if paying.is_empty() {
        let mut p = base;
        p.payment_id = trace.to_string();
        p.correlation_id = ctx.correlation(&format!("payment:{trace}"));
        p.amount = money_str(total);
        p.source = source;
        return Ok(vec![(
            trace.to_string(),
            doc(RECEIVED, &p.correlation_id, &p),
        )]);
    }
    let mut out: Vec<(String, Doc)> = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    for (n, (l, net)) in paying.into_iter().enumerate() {
        let reference = l.seg.el(2);
        let mut p = base.clone();
        let mut id = format!("{trace}:{reference}");
        if ids.contains(&id) {
            id = format!("{id}:{}", n + 1);
        }
        ids.push(id.clone());
        p.payment_id = id;
        p.amount = money_str(net);
        if let Some(po) = &l.po {
            p.order_id = Some(po.clone());
            p.order_refs.push(po.clone());
        }
        if l.po.as_deref() != Some(reference) {
            p.order_refs.push(reference.to_string());
        }
        p.correlation_id = match (&l.po, l.seg.el(1)) {
            (Some(po), _) => ctx.correlation(po),
            (None, "IV") => ctx.correlation(&format!("invoice:{reference}")),
            _ => ctx.correlation(&format!("payment:{trace}")),
        };
        let mut s = source.clone();
        let mut rmr = serde_json::Map::new();
        rmr.insert("qualifier".into(), json!(l.seg.el(1)));
        rmr.insert("reference".into(), json!(reference));
        for (key, v) in [("net", l.net), ("gross", l.gross), ("discount", l.discount)] {
            if let Some(v) = v {
                rmr.insert(key.into(), json!(money_str(v)));
            }
        }
        if let Some(d) = l.dates.get("003") {
            rmr.insert("invoice_date".into(), d.clone());
        }
        if !l.dates.is_empty() {
            rmr.insert("dates".into(), Value::Object(l.dates));
        }
        if !l.refs.is_empty() {
            rmr.insert("references".into(), Value::Object(l.refs));
        }
        s.insert("remittance_line".into(), Value::Object(rmr));
        if !l.adjustments.is_empty() {
            s.insert(
                "adjustments".into(),
                Value::Array(l.adjustments.into_iter().map(|a| a.value).collect()),
            );
        }
        p.source = s;
        out.push(((n + 1).to_string(), doc(RECEIVED, &p.correlation_id, &p)));
    }
    Ok(out)
}
