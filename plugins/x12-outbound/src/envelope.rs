//! The interchange around one transaction set: ISA / GS / ST … SE / GE / IEA.
//!
//! ISA13 and GS06 come from the host counters `x12:<receiver_id>:isa` and
//! `x12:<receiver_id>:gs`; ST02 is always `0001` (one set per
//! interchange). The date and time are the document's own, never the
//! clock, so a replayed document gives the same interchange (apart from
//! the control numbers).

use weft_sdk::PluginError;

use crate::config::Envelope;
use crate::values::Stamp;
use crate::writer::Writer;

/// ST02 / SE02 of the single transaction set.
pub const ST_CONTROL: &str = "0001";

/// A finished interchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interchange {
    /// The whole text, ISA to IEA.
    pub text: String,
    /// ISA13, 9 digits.
    pub isa13: String,
    /// GS06.
    pub gs06: String,
}

/// Starts a transaction set: a writer holding `ST*<set>*0001`.
pub fn start(env: &Envelope, set: &'static str) -> Result<Writer, PluginError> {
    let mut w = Writer::new(env.delims.clone());
    w.seg("ST").code(set).code(ST_CONTROL).end()?;
    Ok(w)
}

/// Closes the set with SE and wraps it in ISA/GS … GE/IEA.
/// `functional_id` is GS01 (`PR` 855, `SH` 856, `IN` 810).
pub fn finish(
    env: &Envelope,
    mut set: Writer,
    functional_id: &'static str,
    stamp: &Stamp,
) -> Result<Interchange, PluginError> {
    let count = (set.len() + 1).to_string();
    set.seg("SE").code(&count).code(ST_CONTROL).end()?;

    let isa13 = format!(
        "{:09}",
        weft_sdk::edi::x12_control_number(&env.receiver_id, "isa")?
    );
    let gs06 = weft_sdk::edi::x12_control_number(&env.receiver_id, "gs")?.to_string();
    let time = stamp.hhmm();

    let mut out = Writer::new(env.delims.clone());
    out.push_raw(isa(env, &out, stamp, &time, &isa13)?);
    out.seg("GS")
        .code(functional_id)
        .el(&env.sender_id, "config sender_id")
        .el(&env.receiver_id, "config receiver_id")
        .code(&stamp.date)
        .code(&time)
        .code(&gs06)
        .code("X")
        .el(&env.gs_version, "config version")
        .end()?;
    let mut segments = out.into_segments();
    segments.extend(set.into_segments());
    let mut tail = Writer::new(env.delims.clone());
    tail.seg("GE").code("1").code(&gs06).end()?;
    tail.seg("IEA").code("1").code(&isa13).end()?;
    segments.extend(tail.into_segments());
    Ok(Interchange {
        text: Writer::render(&env.delims, &segments),
        isa13,
        gs06,
    })
}

/// The fixed-width ISA segment (106 characters before the terminator).
fn isa(
    env: &Envelope,
    w: &Writer,
    stamp: &Stamp,
    time: &str,
    isa13: &str,
) -> Result<String, PluginError> {
    let d = &env.delims;
    let sender = w.clean(&env.sender_id, "config sender_id")?;
    let receiver = w.clean(&env.receiver_id, "config receiver_id")?;
    let yymmdd = stamp.date.get(2..).unwrap_or_default();
    let repetition = d.repetition.unwrap_or('U');
    let fields = [
        "00".to_string(),
        " ".repeat(10),
        "00".to_string(),
        " ".repeat(10),
        env.sender_qualifier.clone(),
        format!("{sender:<15}"),
        env.receiver_qualifier.clone(),
        format!("{receiver:<15}"),
        yymmdd.to_string(),
        time.to_string(),
        repetition.to_string(),
        env.isa_version.clone(),
        isa13.to_string(),
        "0".to_string(),
        env.usage.to_string(),
        d.component.to_string(),
    ];
    let mut s = "ISA".to_string();
    for f in fields {
        s.push(d.element);
        s.push_str(&f);
    }
    Ok(s)
}
