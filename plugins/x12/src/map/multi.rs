//! The sets mapped since the lifecycle batch (820, 180, 857, 940, 945,
//! 812): they may give several documents per set (an 820 pays several
//! invoices, an 857 is a shipment and an invoice), and their message ids
//! carry a digest of the set's content next to the control numbers.
//!
//! Control numbers alone do not identify a set: real partners copy
//! envelopes (both Kroger 857 samples and a 180 share ISA13 000007023 and
//! GS06 1225), so two different sets would share an id and the second
//! would be dropped as a duplicate. The id is
//! `x12:<ISA06>:<ISA13>:<GS06>:<ST02>:<digest>` (`:<part>` for each
//! document of a set that gives several): a re-sent identical set keeps
//! its id (a duplicate), a changed one under the same numbers gets a new
//! one (an update).

use super::{Ctx, Doc, Reject};
use crate::parse::TransactionSet;

/// One document of a set with its message id.
#[derive(Debug, Clone, PartialEq)]
pub struct Out {
    /// Output message id.
    pub id: String,
    /// The document.
    pub doc: Doc,
}

/// FNV-1a, 64 bit.
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    fn eat(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    fn hex(&self) -> String {
        format!("{:016x}", self.0)
    }
}

/// FNV-1a (64 bit) of the set's segments (ids and elements as written,
/// ST to SE), as 16 hex digits: the same content gives the same digest
/// whatever the delimiters and line breaks.
pub fn digest(set: &TransactionSet) -> String {
    let mut h = Fnv::new();
    for seg in &set.segments {
        h.eat(seg.id.as_bytes());
        for e in &seg.elements {
            h.eat(&[0x1f]);
            h.eat(e.as_bytes());
        }
        h.eat(&[0x1e]);
    }
    h.hex()
}

/// The 997 id suffix of a group holding sets of this module: `:<digest>`
/// over its sets' digests (so the 997s of two groups with copied control
/// numbers differ too); empty for the other groups, whose 997 id stays
/// `x12:<ISA06>:<ISA13>:<GS06>:997`.
pub fn group_suffix(group: &crate::parse::Group) -> String {
    if !group.sets.iter().any(|s| handles(&s.id)) {
        return String::new();
    }
    let mut h = Fnv::new();
    for s in &group.sets {
        h.eat(digest(s).as_bytes());
    }
    format!(":{}", h.hex())
}

/// `x12:<ISA06>:<ISA13>:<GS06>:<ST02>:<digest>`.
pub fn content_id(ctx: &Ctx) -> String {
    format!("{}:{}", ctx.message_id(), digest(ctx.set))
}

/// The documents of `docs`, ids `content_id` (one) or `content_id:<part>`.
pub fn outs(ctx: &Ctx, docs: Vec<(String, Doc)>) -> Vec<Out> {
    let base = content_id(ctx);
    if docs.len() == 1 {
        return docs
            .into_iter()
            .map(|(_, doc)| Out {
                id: base.clone(),
                doc,
            })
            .collect();
    }
    docs.into_iter()
        .map(|(part, doc)| Out {
            id: format!("{base}:{}", weft_sdk::edi::id_part(&part)),
            doc,
        })
        .collect()
}

/// True for the sets this module maps.
pub fn handles(set: &str) -> bool {
    matches!(set, "820" | "180" | "857" | "940" | "945" | "812")
}

/// Maps the sets of this batch; `None` for the others.
pub fn map(ctx: &Ctx) -> Option<Result<Vec<Out>, Reject>> {
    if !handles(&ctx.set.id) {
        return None;
    }
    let docs = match ctx.set.id.as_str() {
        "820" => super::pay820::map(ctx),
        "180" => super::ret180::map(ctx),
        "857" => super::sbn857::map(ctx),
        "940" => super::wh940::map(ctx),
        "945" => super::wh945::map(ctx),
        "812" => super::adj812::map(ctx),
        _ => return None,
    };
    Some(docs.map(|d| outs(ctx, d)))
}

/// Date element `n` of `seg` (with time element `time`, if any); absent is
/// `None`, present but not a date rejects the set.
pub fn opt_date(
    ctx: &Ctx,
    seg: &crate::parse::Segment,
    n: usize,
    time: Option<usize>,
    what: &str,
) -> Result<Option<String>, Reject> {
    match seg.opt(n) {
        None => Ok(None),
        Some(d) => ctx
            .when(d, time.and_then(|t| seg.opt(t)))
            .map(Some)
            .ok_or_else(|| Reject::element(ctx, seg, n, "8", what)),
    }
}

/// A canonical document as a [`Doc`].
pub fn doc<T: serde::Serialize>(kind: &str, correlation_id: &str, value: &T) -> Doc {
    Doc {
        kind: kind.into(),
        correlation_id: correlation_id.into(),
        payload: serde_json::to_value(value).unwrap_or(serde_json::Value::Null),
    }
}

/// Item ids from chosen elements of `seg`: `lead` a fixed qualifier for
/// the value at an element (`("UP", 3)`: W0103 is a UPC), then the
/// qualifier/id pairs whose qualifiers are at `pairs` (`[4, 6]`: W0104/05,
/// W0106/07), in that order (the first of each kind wins, see
/// [`super::item_ids`]).
pub fn ids_at(
    seg: &crate::parse::Segment,
    lead: Option<(&str, usize)>,
    pairs: &[usize],
) -> super::LineIds {
    let mut elements = Vec::new();
    if let Some((q, n)) = lead {
        elements.push(q.to_string());
        elements.push(seg.el(n).to_string());
    }
    for q in pairs {
        elements.push(seg.el(*q).to_string());
        elements.push(seg.el(q + 1).to_string());
    }
    let synthetic = crate::parse::Segment {
        position: seg.position,
        id: seg.id.clone(),
        elements,
    };
    super::item_ids(&synthetic, 1)
}
