//! Transaction sets → canonical documents.
//!
//! [`map_docs`] dispatches on ST01: the lifecycle sets (820, 180, 857,
//! 940, 945, 812) to [`multi`], which may give several documents (each id
//! [`Ctx::message_id`] plus `:<part>`), the others to [`map_set`] (one
//! document, id [`Ctx::message_id`]). Each mapper reads the set's segments in
//! order (loops are recognised by their leading segment) and either
//! returns the document or a [`Reject`] naming the segment and element that
//! stop it, which becomes an `x12.rejected` message and an AK3/AK4/AK5 R in
//! the 997.

// A `Reject` is large, but only built once per rejected set.
#![allow(
    clippy::result_large_err,
    reason = "a mapping error carries the whole defect report; it is returned once per document"
)]

mod ack855;
mod adj812;
pub mod edi_ack;
mod generic;
mod inv810;
mod inv846;
pub mod multi;
mod parts;
mod pay820;
mod po850;
mod ret180;
mod sbn857;
mod ship856;
mod wh940;
mod wh945;

use std::collections::BTreeMap;

use serde_json::{json, Value};
use weft_sdk::{Message, PluginError};

use crate::parse::{Delimiters, Group, Interchange, Segment, TransactionSet};
use crate::{Config, REJECTED, WARNINGS_HEADER};

pub use multi::Out;
pub(crate) use parts::*;

/// Everything a mapper may look at.
pub struct Ctx<'a> {
    /// Plugin settings.
    pub cfg: &'a Config,
    /// Delimiters of the file.
    pub delimiters: &'a Delimiters,
    /// The interchange of the set.
    pub interchange: &'a Interchange,
    /// The group of the set.
    pub group: &'a Group,
    /// The set.
    pub set: &'a TransactionSet,
}

impl Ctx<'_> {
    /// The output message id of the set:
    /// `x12:<ISA06>:<ISA13>:<GS06>:<ST02>:<digest>`, the digest of the set's
    /// content ([`TransactionSet::digest`]), so control numbers reused for
    /// other content give another id and the same set sent again the same.
    pub fn message_id(&self) -> String {
        format!(
            "x12:{}:{}:{}:{}:{}",
            weft_sdk::edi::id_part(&self.interchange.sender),
            weft_sdk::edi::id_part(&self.interchange.control),
            weft_sdk::edi::id_part(&self.group.control),
            weft_sdk::edi::id_part(&self.set.control),
            self.set.digest(self.delimiters)
        )
    }

    /// `{channel}:{id}`.
    pub fn correlation(&self, id: &str) -> String {
        format!("{}:{}", self.cfg.channel, weft_sdk::edi::id_part(id))
    }

    /// A date (+ time) value per the configured offset.
    pub fn when(&self, date: &str, time: Option<&str>) -> Option<String> {
        crate::values::timestamp(date, time, self.cfg.utc_offset.as_deref())
    }

    /// The component separator as a byte.
    pub fn component(&self) -> u8 {
        self.delimiters.component
    }

    /// The envelope facts every document carries in `source`.
    pub fn source(&self) -> BTreeMap<String, Value> {
        let ic = self.interchange;
        let g = self.group;
        let mut m = BTreeMap::new();
        m.insert("standard".into(), json!("x12"));
        m.insert("set".into(), json!(self.set.id));
        m.insert("set_control".into(), json!(self.set.control));
        m.insert("group_control".into(), json!(g.control));
        m.insert("interchange_control".into(), json!(ic.control));
        m.insert("version".into(), json!(g.version));
        m.insert("sender".into(), json!(ic.sender));
        m.insert("sender_qualifier".into(), json!(ic.sender_qualifier));
        m.insert("receiver".into(), json!(ic.receiver));
        m.insert("receiver_qualifier".into(), json!(ic.receiver_qualifier));
        m.insert("application_sender".into(), json!(g.sender));
        m.insert("application_receiver".into(), json!(g.receiver));
        m.insert("usage".into(), json!(ic.usage));
        m
    }

    /// The set's segments between ST and SE.
    pub fn body(&self) -> &[Segment] {
        let s = self.set.segments.as_slice();
        match s.len() {
            0..=2 => &[],
            n => s.get(1..n - 1).unwrap_or(&[]),
        }
    }

    /// Position of `seg` inside the set (ST is 1).
    pub fn position_in_set(&self, seg: &Segment) -> usize {
        let st = self.set.segments.first().map(|s| s.position).unwrap_or(0);
        seg.position.saturating_sub(st) + 1
    }
}

/// A mapped document.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    /// Output message kind.
    pub kind: String,
    /// Correlation id.
    pub correlation_id: String,
    /// The JSON document.
    pub payload: Value,
}

/// Why a set cannot be mapped, located for the 997 (AK3/AK4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    /// The segment id in error (or missing).
    pub segment: String,
    /// Position of that segment in the file.
    pub file_position: usize,
    /// Position in the set (ST = 1), for AK302.
    pub set_position: usize,
    /// AK304 segment syntax error code (`3` mandatory segment missing,
    /// `8` segment has data element errors).
    pub segment_code: &'static str,
    /// Element position and AK403 code (`1` mandatory missing, `6`
    /// invalid character, `7` invalid code value, `8` invalid date).
    pub element: Option<(usize, &'static str)>,
    /// The bad value, when there is one (AK404).
    pub value: Option<String>,
    /// What is wrong, in words.
    pub reason: String,
}

impl Reject {
    /// A mandatory segment `id` is missing from the set.
    pub fn missing_segment(ctx: &Ctx, id: &str, what: &str) -> Reject {
        let st = ctx.set.segments.first().map(|s| s.position).unwrap_or(0);
        Reject {
            segment: id.into(),
            file_position: st + 1,
            set_position: 2,
            segment_code: "3",
            element: None,
            value: None,
            reason: format!(
                "transaction set {} {}: mandatory segment {id} ({what}) is missing",
                ctx.set.id, ctx.set.control
            ),
        }
    }

    /// Element `n` of `seg` is missing (`code` 1) or bad.
    pub fn element(ctx: &Ctx, seg: &Segment, n: usize, code: &'static str, what: &str) -> Reject {
        let value = seg.opt(n).map(str::to_string);
        let problem = match (&value, code) {
            (None, _) => "is missing".to_string(),
            (Some(v), "8") => format!("`{v}` is not a valid date"),
            (Some(v), "7") => format!("`{v}` is not a valid code"),
            (Some(v), _) => format!("`{v}` is not a number"),
        };
        Reject {
            segment: seg.id.clone(),
            file_position: seg.position,
            set_position: ctx.position_in_set(seg),
            segment_code: "8",
            element: Some((n, if value.is_none() { "1" } else { code })),
            value,
            reason: format!(
                "segment {} ({}): {}{n:02} ({what}) {problem}",
                seg.position, seg.id, seg.id
            ),
        }
    }
}

/// Maps one transaction set.
pub fn map_set(ctx: &Ctx) -> Result<Doc, Reject> {
    match ctx.set.id.as_str() {
        "850" => po850::map(ctx),
        "855" => ack855::map(ctx),
        "856" => ship856::map(ctx),
        "810" => inv810::map(ctx),
        "846" => inv846::map(ctx),
        "997" | "999" => edi_ack::map(ctx),
        _ => Ok(generic::map(ctx)),
    }
}

/// Maps one transaction set to its documents with their message ids: the
/// sets of [`multi`] (a `:<part>` suffix when a set gives several), else
/// [`map_set`]'s one document under [`Ctx::message_id`].
pub fn map_docs(ctx: &Ctx) -> Result<Vec<Out>, Reject> {
    if let Some(r) = multi::map(ctx) {
        return r;
    }
    map_set(ctx).map(|doc| {
        vec![Out {
            id: ctx.message_id(),
            doc,
        }]
    })
}

/// The output messages of a set: its documents, or one `x12.rejected`
/// record under [`Ctx::message_id`].
pub fn messages(
    ctx: &Ctx,
    outcome: &Result<Vec<Out>, Reject>,
    warnings: &[&str],
) -> Result<Vec<Message>, PluginError> {
    match outcome {
        Ok(outs) => outs
            .iter()
            .map(|o| message_with_id(ctx, o.id.clone(), &Ok(o.doc.clone()), warnings))
            .collect(),
        Err(r) => Ok(vec![message_with_id(
            ctx,
            ctx.message_id(),
            &Err(r.clone()),
            warnings,
        )?]),
    }
}

fn message_with_id(
    ctx: &Ctx,
    id: String,
    outcome: &Result<Doc, Reject>,
    warnings: &[&str],
) -> Result<Message, PluginError> {
    let mut m = match outcome {
        Ok(doc) => Message::json(
            id,
            doc.correlation_id.as_str(),
            doc.kind.as_str(),
            &doc.payload,
        )?,
        Err(r) => {
            let record = json!({
                "standard": "x12",
                "set": ctx.set.id,
                "control_number": ctx.set.control,
                "segment": r.segment,
                "position": r.file_position,
                "element": r.element.map(|(n, _)| n),
                "reason": r.reason,
            });
            Message::json(id.clone(), id.as_str(), REJECTED, &record)?
        }
    };
    weft_sdk::edi::set_warnings(&mut m, WARNINGS_HEADER, warnings);
    Ok(m)
}
