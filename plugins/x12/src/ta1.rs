//! TA1 interchange acknowledgements read from an interchange: each becomes
//! one `x12.ta1` message telling whether the partner accepted (`A`),
//! accepted with errors (`E`) or rejected (`R`) one of our interchanges.
//!
//! Id `x12:<ISA06>:<ISA13>:TA1:<TA101>:<digest>` (the digest of the TA1
//! segment, so a reused ISA13 never hides a different acknowledgement);
//! correlation id `x12:<ISA08>:<TA101>`: the acknowledged interchange, which
//! the receiver of this one (us) sent.

use serde_json::json;
use weft_sdk::{edi, Message, PluginError};

use crate::parse::{digest_segments, Interchange, Segment};
use crate::{TA1, WARNINGS_HEADER};

/// The text of an interchange note code (TA105, X12 element I18).
pub fn note(code: &str) -> Option<&'static str> {
    Some(match code {
        "000" => "no error",
        "001" => "the interchange control numbers in the header and trailer do not match",
        "002" => "the standard in the control standards identifier is not supported",
        "003" => "this version of the controls is not supported",
        "004" => "the segment terminator is invalid",
        "005" => "invalid interchange id qualifier for the sender",
        "006" => "invalid interchange sender id",
        "007" => "invalid interchange id qualifier for the receiver",
        "008" => "invalid interchange receiver id",
        "009" => "unknown interchange receiver id",
        "010" => "invalid authorization information qualifier",
        "011" => "invalid authorization information",
        "012" => "invalid security information qualifier",
        "013" => "invalid security information",
        "014" => "invalid interchange date",
        "015" => "invalid interchange time",
        "016" => "invalid interchange standards identifier",
        "017" => "invalid interchange version id",
        "018" => "invalid interchange control number",
        "019" => "invalid acknowledgment requested value",
        "020" => "invalid test indicator",
        "021" => "invalid number of included groups",
        "022" => "invalid control structure",
        "023" => "improper (premature) end of file",
        "024" => "invalid interchange content",
        "025" => "duplicate interchange control number",
        "026" => "invalid data element separator",
        "027" => "invalid component element separator",
        "028" => "invalid delivery date in a deferred delivery request",
        "029" => "invalid delivery time in a deferred delivery request",
        "030" => "invalid delivery time code in a deferred delivery request",
        "031" => "invalid grade of service code",
        _ => return None,
    })
}

/// The `x12.ta1` message of one TA1 (checked by the envelope reader).
pub fn message(ic: &Interchange, seg: &Segment, warnings: &[&str]) -> Result<Message, PluginError> {
    let control = seg.el(1);
    let status = match seg.el(4) {
        "A" => "accepted",
        "E" => "accepted_with_errors",
        _ => "rejected",
    };
    let payload = json!({
        "standard": "x12",
        "segment": "TA1",
        "position": seg.position,
        "acknowledged_interchange": {
            "control": control,
            "date": seg.el(2),
            "time": seg.el(3),
            "sender": ic.receiver,
            "receiver": ic.sender,
        },
        "ack_code": seg.el(4),
        "status": status,
        "note_code": seg.opt(5),
        "note": note(seg.el(5)),
        "source": {
            "standard": "x12",
            "interchange_control": ic.control,
            "sender": ic.sender,
            "sender_qualifier": ic.sender_qualifier,
            "receiver": ic.receiver,
            "receiver_qualifier": ic.receiver_qualifier,
            "version": ic.version,
            "usage": ic.usage,
        },
    });
    let id = format!(
        "x12:{}:{}:TA1:{}:{}",
        edi::id_part(&ic.sender),
        edi::id_part(&ic.control),
        edi::id_part(control),
        digest_segments(std::slice::from_ref(seg), &ic.delimiters)
    );
    let correlation = format!(
        "x12:{}:{}",
        edi::id_part(&ic.receiver),
        edi::id_part(control)
    );
    let mut m = Message::json(id, correlation.as_str(), TA1, &payload)?;
    edi::set_warnings(&mut m, WARNINGS_HEADER, warnings);
    Ok(m)
}
