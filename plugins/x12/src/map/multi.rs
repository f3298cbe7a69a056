//! The sets mapped since the lifecycle batch (820, 180, 857, 940, 945,
//! 812): they may give several documents per set (an 820 pays several
//! invoices, an 857 is a shipment and an invoice).
//!
//! Their ids follow the rule of every set, [`Ctx::message_id`]
//! (`x12:<ISA06>:<ISA13>:<GS06>:<ST02>:<digest>`, the SHA-256 digest of
//! the set's content, since real partners copy envelopes: both Kroger 857
//! samples and a 180 share ISA13 000007023 and GS06 1225); a set that
//! gives several documents adds `:<part>` to each (`:1`, `:2`… per
//! payment of an 820, `:shipment` and `:invoice` for an 857).

use super::{Ctx, Doc, Reject};

/// One document of a set with its message id.
#[derive(Debug, Clone, PartialEq)]
pub struct Out {
    /// Output message id.
    pub id: String,
    /// The document.
    pub doc: Doc,
}

/// The documents of `docs`, ids [`Ctx::message_id`] (one) or
/// `<message_id>:<part>` (several).
pub fn outs(ctx: &Ctx, docs: Vec<(String, Doc)>) -> Vec<Out> {
    let base = ctx.message_id();
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
