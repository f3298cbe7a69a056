//! ORDRSP → `weft.order_ack/1` (`order.acknowledged`).
//!
//! BGM02 the response number (ack id), BGM03 function code (`29` accepted,
//! `4` changed, `27` rejected; `9`/`5`/`1` original/replace/cancel of the
//! response itself), BGM04 response type (`AP` accepted, `AC`/`CA`
//! changed, `RE` rejected) kept in `ack_code`; RFF ON the order number
//! (order id, correlation `{channel}:{number}`), its DTM 171 the order
//! date; DTM 137 the response date; NAD parties; CUX currency; LIN groups
//! with LIN02 action codes (1229: `5` accepted, `3`/`6` changed, `7`
//! rejected, `10` not found, `2` cancelled, `1` added) as line status, QTY
//! 21 ordered, QTY 113/12/… confirmed, PRI, DTM 2/69/67 scheduled date.

use serde_json::{json, Value};
use weft_sdk::order_ack::{AckLine, OrderAck, ACKNOWLEDGED, ORDER_ACK_SCHEMA};

use super::{add_ref, currency, nad_group, read_line, ref_key, Ctx, Doc, Reject};
use crate::parse::Segment;
use crate::values::{money_str, qty_str};

/// The line status of a LIN02 action code.
pub fn line_status(code: &str) -> Option<&'static str> {
    Some(match code {
        "5" | "4" | "11" => "accepted",
        "3" | "6" | "9" => "changed",
        "7" | "10" => "rejected",
        "2" => "cancelled",
        "1" => "substituted",
        _ => return None,
    })
}

/// The ack type of BGM03/BGM04, if they say.
fn header_type(function: &str, response: &str) -> Option<&'static str> {
    Some(match (function, response) {
        ("29", _) | (_, "AP" | "CO" | "AB") => "accepted",
        ("4", _) | (_, "AC" | "CA") => "accepted_with_changes",
        ("27", _) | (_, "RE" | "NA") => "rejected",
        _ => return None,
    })
}

/// Maps an ORDRSP message.
pub fn map(ctx: &Ctx, bgm: &Segment) -> Result<Doc, Reject> {
    let number = bgm.el(2);
    let (function, response) = (bgm.el(3), bgm.el(4));
    let mut a = OrderAck {
        schema: ORDER_ACK_SCHEMA.into(),
        channel: ctx.cfg.channel.clone(),
        ack_id: Some(number.to_string()),
        ack_code: Some(response)
            .or(Some(function))
            .filter(|c| !c.is_empty())
            .map(str::to_string),
        purpose: match function {
            "5" => Some("replace".into()),
            "1" | "3" => Some("cancel".into()),
            _ => Some("original".into()),
        },
        ..OrderAck::default()
    };
    let mut source = ctx.source();
    source.insert("document_code".into(), json!(bgm.comp(1, 1)));
    if !function.is_empty() {
        source.insert("function_code".into(), json!(function));
    }
    let mut warnings = Vec::new();
    let mut dates = serde_json::Map::new();
    let mut lines = Vec::new();
    let mut after_on = false;
    let body = ctx.body();
    let mut i = 0;
    while let Some(seg) = body.get(i) {
        let prev_on = after_on;
        after_on = false;
        match seg.tag.as_str() {
            "NAD" => {
                let (g, next) = nad_group(body, i)?;
                warnings.extend(g.note.clone());
                a.parties.push(g.party);
                i = next.max(i + 1);
                continue;
            }
            "LIN" => {
                let (l, next) = read_line(ctx, body, i, lines.len() + 1, &mut warnings)?;
                lines.push(l);
                i = next.max(i + 1);
                continue;
            }
            "RFF" => {
                let (q, v) = (seg.comp(1, 1), seg.comp(1, 2));
                if q == "ON" && a.order_id.is_empty() && !v.is_empty() {
                    a.order_id = v.to_string();
                    after_on = true;
                }
                add_ref(&mut a.references, &ref_key(q), v);
            }
            "DTM" => match seg.comp(1, 1) {
                "137" if a.acknowledged_at.is_none() => {
                    a.acknowledged_at = Some(ctx.date(seg, "document date")?)
                }
                "171" if prev_on && a.ordered_at.is_none() => {
                    a.ordered_at = Some(ctx.date(seg, "order date")?)
                }
                "4" if a.ordered_at.is_none() => a.ordered_at = Some(ctx.date(seg, "order date")?),
                q => match ctx.date(seg, "date") {
                    Ok(d) => {
                        dates.entry(q.to_string()).or_insert(json!(d));
                    }
                    Err(r) => warnings.push(format!("{r}; ignored")),
                },
            },
            "CUX" if a.currency.is_none() => a.currency = currency(seg),
            _ => {}
        }
        i += 1;
    }
    if a.order_id.is_empty() {
        return Err(Reject::new(
            bgm,
            format!("order response {number} names no order: RFF ON (order number) is missing"),
        ));
    }
    let header = header_type(function, response);
    for l in &lines {
        let status = line_status(&l.action)
            .or(match header {
                Some("accepted") => Some("accepted"),
                Some("rejected") => Some("rejected"),
                _ => None,
            })
            .unwrap_or("pending");
        let confirmed = ["113", "12", "194", "21"]
            .iter()
            .find_map(|q| l.qty(q))
            .or(l.quantities.first());
        a.lines.push(AckLine {
            line_id: l.line_id.clone(),
            item: l.ids.clone(),
            ordered_quantity: l.qty("21").map(|q| qty_str(q.1)),
            quantity: confirmed.map(|q| qty_str(q.1)),
            uom: confirmed.and_then(|q| q.2.clone()),
            unit_price: l
                .price(&["AAA", "AAB", "CAL", "INF"])
                .or(l.prices.first().map(|p| p.1))
                .map(money_str),
            status: status.into(),
            status_code: Some(l.action.clone()).filter(|c| !c.is_empty()),
            scheduled_date: ["2", "69", "67", "11"]
                .iter()
                .find_map(|q| l.dates.iter().find(|d| d.0 == *q).map(|d| d.1.clone())),
        });
    }
    a.ack_type = header
        .map(str::to_string)
        .unwrap_or_else(|| from_lines(&a.lines).into());
    a.correlation_id = ctx.correlation(&a.order_id);
    if !dates.is_empty() {
        source.insert("dates".into(), Value::Object(dates));
    }
    a.source = source;
    Ok(Doc {
        kind: ACKNOWLEDGED.into(),
        correlation_id: a.correlation_id.clone(),
        payload: serde_json::to_value(&a).unwrap_or(Value::Null),
        warnings,
    })
}

/// The ack type the line statuses add up to.
fn from_lines(lines: &[AckLine]) -> &'static str {
    let all = |s: &str| !lines.is_empty() && lines.iter().all(|l| l.status == s);
    if lines.iter().any(|l| l.status == "pending") || lines.is_empty() {
        "pending"
    } else if all("accepted") {
        "accepted"
    } else if all("rejected") || all("cancelled") {
        "rejected"
    } else {
        "accepted_with_changes"
    }
}
