//! 997 functional acknowledgement and 999 implementation acknowledgement
//! → `weft.edi_ack/1` (`edi_ack.received`).
//!
//! Each AK1 loop (AK1 … AK9) is one `groups` entry: AK101 functional id,
//! AK102 control number (the group `key` is
//! [`match_key`]`("x12", ISA06, AK102)`: the acknowledging partner and the
//! group control number we sent it), AK901 status, AK902–AK904 counts,
//! AK905–AK909 group errors. Each AK2 loop is one `sets` entry: AK201/AK202,
//! AK501 (997) or IK501 (999) status, and the errors of its AK3/AK4 (997)
//! or IK3/IK4 (999) segments and AK502–AK506/IK502–IK506 codes in words.
//! A missing AK1, AK9 or AK5/IK5, or a missing AK101/AK102/AK201/AK202/
//! AK901/AK501, or a count that is not a number, rejects the set, and so
//! does a blank ISA06 (no partner to key the groups by).

use serde_json::Value;
use weft_sdk::edi::id_part;
use weft_sdk::edi_ack::{
    match_key, AckGroup, AckSet, EdiAck, ACCEPTED, ACCEPTED_WITH_ERRORS, EDI_ACK_SCHEMA,
    PARTIALLY_ACCEPTED, RECEIVED, REJECTED,
};

use super::{Ctx, Doc, Reject};
use crate::parse::Segment;

mod codes;

/// The canonical status of an AK901 code.
pub fn group_status(code: &str) -> &'static str {
    match code {
        "A" => ACCEPTED,
        "E" => ACCEPTED_WITH_ERRORS,
        "P" => PARTIALLY_ACCEPTED,
        _ => REJECTED,
    }
}

/// The canonical status of an AK501 / IK501 code.
pub fn set_status(code: &str) -> &'static str {
    match code {
        "A" => ACCEPTED,
        "E" => ACCEPTED_WITH_ERRORS,
        _ => REJECTED,
    }
}

/// An AK2 loop being read: the set, its status once AK5/IK5 is read, and
/// the AK3/IK3 segment its next AK4/IK4 belongs to.
struct OpenSet<'a> {
    ak2: &'a Segment,
    status: Option<&'static str>,
    errors: Vec<String>,
    segment: Option<String>,
}

/// An AK1 loop being read.
struct OpenGroup<'a> {
    ak1: &'a Segment,
    group: AckGroup,
    set: Option<OpenSet<'a>>,
}

/// Maps a 997 or a 999.
pub fn map(ctx: &Ctx) -> Result<Doc, Reject> {
    let ic = ctx.interchange;
    if ic.sender.trim().is_empty() {
        // No partner, no match key: the acknowledgement cannot be paired.
        return Err(Reject {
            segment: "ISA".into(),
            file_position: ic.position,
            set_position: 0,
            segment_code: "8",
            element: Some((6, "1")),
            value: None,
            reason: format!(
                "segment {} (ISA): ISA06 (interchange sender id) is blank, so the acknowledging partner of {} {} is unknown",
                ic.position, ctx.set.id, ctx.set.control
            ),
        });
    }
    let (set_seg, seg_error, elem_error) = if ctx.set.id == "999" {
        ("IK5", "IK3", "IK4")
    } else {
        ("AK5", "AK3", "AK4")
    };
    let mut groups = Vec::new();
    let mut open: Option<OpenGroup> = None;
    for seg in ctx.body() {
        match seg.id.as_str() {
            "AK1" => {
                if let Some(g) = open.take() {
                    return Err(missing_ak9(ctx, g.ak1));
                }
                let functional_id = seg.opt(1).ok_or_else(|| {
                    Reject::element(ctx, seg, 1, "1", "functional identifier code")
                })?;
                let control = seg
                    .opt(2)
                    .ok_or_else(|| Reject::element(ctx, seg, 2, "1", "group control number"))?;
                open = Some(OpenGroup {
                    ak1: seg,
                    group: AckGroup {
                        functional_id: Some(functional_id.into()),
                        control: control.into(),
                        key: match_key("x12", &ic.sender, control),
                        ..AckGroup::default()
                    },
                    set: None,
                });
            }
            "AK2" => {
                if let Some(g) = open.as_mut() {
                    close_set(ctx, g, set_seg)?;
                    for n in [1, 2] {
                        if seg.opt(n).is_none() {
                            let what = ["transaction set identifier code", "set control number"];
                            return Err(Reject::element(ctx, seg, n, "1", what[n - 1]));
                        }
                    }
                    g.set = Some(OpenSet {
                        ak2: seg,
                        status: None,
                        errors: Vec::new(),
                        segment: None,
                    });
                }
            }
            id if id == seg_error => {
                if let Some(s) = open.as_mut().and_then(|g| g.set.as_mut()) {
                    let (place, error) = codes::segment_error(seg);
                    s.errors.push(error);
                    s.segment = Some(place);
                }
            }
            id if id == elem_error => {
                if let Some(s) = open.as_mut().and_then(|g| g.set.as_mut()) {
                    let error = codes::element_error(seg, s.segment.as_deref(), ctx.component());
                    s.errors.push(error);
                }
            }
            id if id == set_seg => {
                if let Some(s) = open.as_mut().and_then(|g| g.set.as_mut()) {
                    let code = seg
                        .opt(1)
                        .ok_or_else(|| Reject::element(ctx, seg, 1, "1", "acknowledgment code"))?;
                    s.status = Some(set_status(code));
                    s.errors
                        .extend((2..=6).filter_map(|n| seg.opt(n)).map(codes::set_error));
                }
            }
            "AK9" => {
                if let Some(mut g) = open.take() {
                    close_set(ctx, &mut g, set_seg)?;
                    groups.push(close_group(ctx, g.group, seg)?);
                }
            }
            _ => {}
        }
    }
    if let Some(g) = open {
        return Err(missing_ak9(ctx, g.ak1));
    }
    if groups.is_empty() {
        return Err(Reject::missing_segment(
            ctx,
            "AK1",
            "functional group response header",
        ));
    }
    let ack_id = [
        &ic.sender,
        &ic.control,
        &ctx.group.control,
        &ctx.set.control,
    ]
    .map(|s| id_part(s))
    .join(":");
    let g = ctx.group;
    let doc = EdiAck {
        schema: EDI_ACK_SCHEMA.into(),
        correlation_id: format!("{}:{ack_id}", ctx.cfg.channel),
        ack_id,
        channel: ctx.cfg.channel.clone(),
        standard: "x12".into(),
        ack_type: ctx.set.id.clone(),
        acknowledged_at: ctx.when(&g.date, Some(&g.time)),
        sender: ic.sender.trim().into(),
        receiver: Some(ic.receiver.trim().to_string()).filter(|r| !r.is_empty()),
        groups,
        source: ctx.source(),
    };
    let payload = serde_json::to_value(&doc).unwrap_or(Value::Null);
    Ok(Doc {
        kind: RECEIVED.into(),
        correlation_id: doc.correlation_id,
        payload,
    })
}

/// Ends the open AK2 loop of `g`, if any: it needs its AK5 / IK5.
fn close_set(ctx: &Ctx, g: &mut OpenGroup, set_seg: &str) -> Result<(), Reject> {
    let Some(s) = g.set.take() else {
        return Ok(());
    };
    let status = s.status.ok_or_else(|| Reject {
        reason: format!(
            "transaction set {} {}: the AK2 at segment {} has no {set_seg} (transaction set response trailer)",
            ctx.set.id, ctx.set.control, s.ak2.position
        ),
        ..Reject::missing_segment(ctx, set_seg, "transaction set response trailer")
    })?;
    g.group.sets.push(AckSet {
        set: s.ak2.el(1).into(),
        control: s.ak2.el(2).into(),
        status: status.into(),
        errors: s.errors,
    });
    Ok(())
}

/// Completes a group with its AK9.
fn close_group(ctx: &Ctx, mut group: AckGroup, ak9: &Segment) -> Result<AckGroup, Reject> {
    let code = ak9
        .opt(1)
        .ok_or_else(|| Reject::element(ctx, ak9, 1, "1", "functional group acknowledge code"))?;
    group.status = group_status(code).into();
    let count = |n: usize, what: &str| -> Result<Option<u64>, Reject> {
        match ak9.opt(n) {
            None => Ok(None),
            Some(v) => v
                .parse::<u64>()
                .map(Some)
                .map_err(|_| Reject::element(ctx, ak9, n, "6", what)),
        }
    };
    group.included_sets = count(2, "number of transaction sets included")?;
    group.received_sets = count(3, "number of received transaction sets")?;
    group.accepted_sets = count(4, "number of accepted transaction sets")?;
    group.errors = (5..=9)
        .filter_map(|n| ak9.opt(n))
        .map(codes::group_error)
        .collect();
    Ok(group)
}

/// The AK1 loop opened at `ak1` has no AK9.
fn missing_ak9(ctx: &Ctx, ak1: &Segment) -> Reject {
    Reject {
        reason: format!(
            "transaction set {} {}: the AK1 at segment {} has no AK9 (functional group response trailer)",
            ctx.set.id, ctx.set.control, ak1.position
        ),
        ..Reject::missing_segment(ctx, "AK9", "functional group response trailer")
    }
}
