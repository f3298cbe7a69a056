//! TA1 interchange acknowledgements. The envelope reader refuses an
//! interchange holding TA1 segments (it reads functional groups only);
//! when every interchange of a file holds only TA1s (ISA, TA1…, IEA, no
//! GS), the file is read here instead: each TA1 becomes an
//! `x12.transaction` (set `TA1`), an acknowledgement passed on like an
//! inbound 997, and is never acknowledged itself.
//!
//! Payload: `{standard, set: "TA1", control_number: TA101 (the
//! acknowledged interchange's ISA13), acknowledged_at: TA102/TA103 date
//! and time, ack_code: TA104, status (`A` accepted, `E`
//! accepted_with_errors, `R` rejected), note_code: TA105, sender,
//! receiver, interchange_control, segments}`; id
//! `x12:<ISA06>:<ISA13>:TA1:<TA101>`, correlation the id. An IEA01 other
//! than 0 (a TA1-only interchange has no group) or an IEA02 that differs
//! from ISA13 is a warning (`x12-warnings`, fatal with `strict`); a TA104
//! other than A/E/R, or a TA1 without TA101, is `invalid`.

use serde_json::{json, Value};
use weft_sdk::{edi, Message, PluginError};

use crate::parse::{self, trim, Defect, Segment};
use crate::{Config, TRANSACTION, WARNINGS_HEADER};

fn status(code: &str) -> Option<&'static str> {
    match code {
        "A" => Some("accepted"),
        "E" => Some("accepted_with_errors"),
        "R" => Some("rejected"),
        _ => None,
    }
}

fn row(s: &Segment) -> Value {
    let mut r = vec![Value::String(s.id.clone())];
    r.extend(s.elements.iter().map(|e| Value::String(e.clone())));
    Value::Array(r)
}

fn bad(seg: &Segment, reason: String) -> PluginError {
    PluginError::invalid(format!("segment {} ({}): {reason}", seg.position, seg.id))
}

/// Reads a TA1-only file; `refused` is the envelope reader's defect,
/// returned as is when the file is not TA1-only.
pub fn convert(input: &[u8], cfg: &Config, refused: Defect) -> Result<Vec<Message>, PluginError> {
    let refused_err = || PluginError::invalid(refused.to_string());
    let Ok((_, segments)) = parse::segments(input) else {
        return Err(refused_err());
    };
    let mut out = Vec::new();
    let mut isa: Option<&Segment> = None;
    let mut ta1s: Vec<&Segment> = Vec::new();
    let mut warnings: Vec<String> = Vec::new();
    for seg in &segments {
        match (seg.id.as_str(), isa) {
            ("ISA", None) => {
                isa = Some(seg);
                ta1s.clear();
            }
            ("TA1", Some(_)) => ta1s.push(seg),
            ("IEA", Some(open)) if !ta1s.is_empty() => {
                let mut w = Vec::new();
                if seg.el(1) != "0" {
                    w.push(format!(
                        "segment {} (IEA): IEA01 `{}` counts functional groups; the interchange holds only TA1s (0 expected)",
                        seg.position,
                        seg.el(1)
                    ));
                }
                if seg.el(2) != open.el(13) {
                    w.push(format!(
                        "segment {} (IEA): IEA02 `{}` does not repeat ISA13 `{}`",
                        seg.position,
                        seg.el(2),
                        open.el(13)
                    ));
                }
                if cfg.strict {
                    if let Some(first) = w.first() {
                        return Err(PluginError::invalid(format!(
                            "{first} (fatal because strict = true)"
                        )));
                    }
                }
                for ta1 in &ta1s {
                    out.push(message(cfg, open, ta1, &w)?);
                }
                warnings.extend(w);
                isa = None;
            }
            _ => return Err(refused_err()),
        }
    }
    if isa.is_some() || out.is_empty() {
        return Err(refused_err());
    }
    let mut unique = Vec::new();
    for m in out {
        edi::push_unique(&mut unique, m, WARNINGS_HEADER, "TA1 control number");
    }
    Ok(unique)
}

fn message(
    cfg: &Config,
    isa: &Segment,
    ta1: &Segment,
    warnings: &[String],
) -> Result<Message, PluginError> {
    let acked = ta1
        .opt(1)
        .ok_or_else(|| bad(ta1, "TA101 (interchange control number) is missing".into()))?;
    let code = ta1.el(4);
    let st = status(code).ok_or_else(|| {
        bad(
            ta1,
            format!("TA104 (interchange acknowledgment code) `{code}` is not A, E or R"),
        )
    })?;
    let (sender, receiver, control) = (trim(isa.el(6)), trim(isa.el(8)), isa.el(13));
    let when = crate::values::timestamp(ta1.el(2), ta1.opt(3), cfg.utc_offset.as_deref());
    let id = format!(
        "x12:{}:{}:TA1:{}",
        edi::id_part(sender),
        edi::id_part(control),
        edi::id_part(acked)
    );
    let payload = json!({
        "standard": "x12",
        "set": "TA1",
        "control_number": acked,
        "acknowledged_at": when,
        "ack_code": code,
        "status": st,
        "note_code": ta1.opt(5),
        "sender": sender,
        "receiver": receiver,
        "interchange_control": control,
        "segments": [row(isa), row(ta1)],
    });
    let mut m = Message::json(id.clone(), id.as_str(), TRANSACTION, &payload)?;
    edi::set_warnings(&mut m, WARNINGS_HEADER, warnings);
    Ok(m)
}
