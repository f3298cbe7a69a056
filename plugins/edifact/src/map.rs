//! Messages → canonical documents.
//!
//! [`map_message`] dispatches on the UNH message type; each mapper reads
//! the message's segments in order (segment groups are recognised by their
//! trigger segment: NAD, LIN, ALC, PAT, CPS) and returns the document, or a
//! [`Reject`] naming the segment and element that stop it (fatal for the
//! input). A known message without its BGM is passed on as a generic
//! `edifact.message`, with a warning.

// A `Reject` is small, but clippy's result size lint fires on the mappers.
#![allow(
    clippy::result_large_err,
    reason = "a mapping error carries the whole defect report; it is returned once per document"
)]

mod desadv;
mod generic;
mod invoic;
mod lines;
mod orders;
mod ordrsp;
mod parts;

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{json, Value};

use crate::parse::{Interchange, Message, Segment, Syntax};
use crate::{values, Config};

pub(crate) use lines::*;
pub(crate) use parts::*;

/// Everything a mapper may look at.
pub struct Ctx<'a> {
    /// Plugin settings.
    pub cfg: &'a Config,
    /// Delimiters of the file.
    pub syntax: &'a Syntax,
    /// The interchange of the message.
    pub interchange: &'a Interchange,
    /// The message.
    pub message: &'a Message,
}

impl Ctx<'_> {
    /// The output message id.
    pub fn message_id(&self) -> String {
        format!(
            "edifact:{}:{}:{}",
            weft_sdk::edi::id_part(&self.interchange.sender),
            weft_sdk::edi::id_part(&self.interchange.control),
            weft_sdk::edi::id_part(&self.message.reference)
        )
    }

    /// `{channel}:{id}`.
    pub fn correlation(&self, id: &str) -> String {
        format!("{}:{}", self.cfg.channel, weft_sdk::edi::id_part(id))
    }

    /// The message's segments between UNH and UNT.
    pub fn body(&self) -> &[Segment] {
        self.message.body()
    }

    /// The DTM of `seg` as a canonical timestamp; a value that is not a
    /// valid date in its format rejects.
    pub fn date(&self, seg: &Segment, what: &str) -> Result<String, Reject> {
        values::dtm(seg.comp(1, 2), seg.comp(1, 3))
            .map(|(d, t)| values::timestamp(d, t, self.cfg.utc_offset.as_deref()))
            .ok_or_else(|| {
                Reject::new(
                    seg,
                    format!(
                        "DTM {} ({what}) `{}` is not a valid date in format `{}`",
                        crate::parse::show(seg.comp(1, 1), 10),
                        crate::parse::show(seg.comp(1, 2), 30),
                        crate::parse::show(seg.comp(1, 3), 10)
                    ),
                )
            })
    }

    /// The envelope facts every document carries in `source`.
    pub fn source(&self) -> BTreeMap<String, Value> {
        let ic = self.interchange;
        let m = self.message;
        let mut s = BTreeMap::new();
        s.insert("standard".into(), json!("edifact"));
        s.insert("message_type".into(), json!(m.msg_type));
        s.insert("version".into(), json!(m.version));
        s.insert("release".into(), json!(m.release));
        s.insert("agency".into(), json!(m.agency));
        if !m.association.is_empty() {
            s.insert("association".into(), json!(m.association));
        }
        s.insert("message_reference".into(), json!(m.reference));
        s.insert("interchange_control".into(), json!(ic.control));
        s.insert(
            "syntax".into(),
            json!(format!("{}:{}", ic.syntax_id, ic.syntax_version)),
        );
        s.insert("sender".into(), json!(ic.sender));
        s.insert("sender_qualifier".into(), json!(ic.sender_qualifier));
        s.insert("receiver".into(), json!(ic.receiver));
        s.insert("receiver_qualifier".into(), json!(ic.receiver_qualifier));
        if ic.test {
            s.insert("test".into(), json!(true));
        }
        if let Some(g) = m.group.and_then(|g| ic.groups.get(g)) {
            s.insert("group_reference".into(), json!(g.reference));
        }
        s
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
    /// Lenient defects found while mapping.
    pub warnings: Vec<String>,
}

/// Why a message cannot be mapped: the segment and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    /// Position of the segment in the file.
    pub position: usize,
    /// Its tag.
    pub tag: String,
    /// What is wrong.
    pub reason: String,
}

impl Reject {
    /// A problem in `seg`.
    pub fn new(seg: &Segment, reason: impl Into<String>) -> Reject {
        Reject {
            position: seg.position,
            tag: seg.tag.clone(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Reject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "segment {} ({}): {}",
            self.position, self.tag, self.reason
        )
    }
}

/// Maps one message.
pub fn map_message(ctx: &Ctx) -> Result<Doc, Reject> {
    let known = matches!(
        ctx.message.msg_type.as_str(),
        "ORDERS" | "ORDRSP" | "DESADV" | "INVOIC"
    );
    let bgm = ctx.body().iter().find(|s| s.tag == "BGM");
    let Some(bgm) = bgm.filter(|b| b.opt(2).is_some()).filter(|_| known) else {
        let mut doc = generic::map(ctx);
        if known {
            let unh = ctx
                .message
                .segments
                .first()
                .map(|s| s.position)
                .unwrap_or(0);
            doc.warnings.push(format!(
                "segment {unh} (UNH): {} message {} has no BGM with a document number, so it is passed on as {}",
                ctx.message.msg_type,
                ctx.message.reference,
                crate::MESSAGE
            ));
        }
        return Ok(doc);
    };
    match ctx.message.msg_type.as_str() {
        "ORDERS" => orders::map(ctx, bgm),
        "ORDRSP" => ordrsp::map(ctx, bgm),
        "DESADV" => desadv::map(ctx, bgm),
        _ => invoic::map(ctx, bgm),
    }
}

/// The purpose of a BGM 1225 message function code.
pub fn purpose(code: &str) -> Option<&'static str> {
    Some(match code {
        "9" | "" => "original",
        "4" | "5" => "replace",
        "1" | "3" => "cancel",
        _ => return None,
    })
}
