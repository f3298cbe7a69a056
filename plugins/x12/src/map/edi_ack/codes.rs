//! The error codes of 997 and 999 acknowledgements in words: AK304/IK304
//! segment errors, AK403/IK403 element errors, AK502–AK506/IK502–IK506 set
//! errors and AK905–AK909 group errors. An unknown code is shown as
//! `error code <code>`.

use crate::parse::Segment;

/// AK304 / IK304: segment syntax error codes.
fn segment_code(code: &str) -> Option<&'static str> {
    Some(match code {
        "1" => "unrecognized segment ID",
        "2" => "unexpected segment",
        "3" => "mandatory segment missing",
        "4" => "loop occurs over maximum times",
        "5" => "segment exceeds maximum use",
        "6" => "segment not in defined transaction set",
        "7" => "segment not in proper sequence",
        "8" => "segment has data element errors",
        "I4" => "implementation \"not used\" segment present",
        "I6" => "implementation dependent segment missing",
        "I7" => "implementation loop occurs under minimum times",
        "I8" => "implementation segment below minimum use",
        "I9" => "implementation dependent \"not used\" segment present",
        _ => return None,
    })
}

/// AK403 / IK403: data element syntax error codes.
fn element_code(code: &str) -> Option<&'static str> {
    Some(match code {
        "1" => "mandatory data element missing",
        "2" => "conditional required data element missing",
        "3" => "too many data elements",
        "4" => "data element too short",
        "5" => "data element too long",
        "6" => "invalid character in data element",
        "7" => "invalid code value",
        "8" => "invalid date",
        "9" => "invalid time",
        "10" => "exclusion condition violated",
        "12" => "too many repetitions",
        "13" => "too many components",
        "I6" => "code value not used in implementation",
        "I9" => "implementation dependent data element missing",
        "I10" => "implementation \"not used\" data element present",
        "I11" => "implementation too few repetitions",
        "I12" => "implementation pattern match failure",
        "I13" => "implementation dependent \"not used\" data element present",
        _ => return None,
    })
}

/// AK502–AK506 / IK502–IK506: transaction set syntax error codes.
fn set_code(code: &str) -> Option<&'static str> {
    Some(match code {
        "1" => "transaction set not supported",
        "2" => "transaction set trailer missing",
        "3" => "control number in header and trailer do not match",
        "4" => "number of included segments does not match actual count",
        "5" => "one or more segments in error",
        "6" => "missing or invalid transaction set identifier",
        "7" => "missing or invalid transaction set control number",
        "18" => "transaction set not in functional group",
        "19" => "invalid transaction set implementation convention reference",
        "23" => "transaction set control number not unique within the functional group",
        "I5" => "implementation one or more segments in error",
        "I6" => "implementation convention not supported",
        _ => return None,
    })
}

/// AK905–AK909: functional group syntax error codes.
fn group_code(code: &str) -> Option<&'static str> {
    Some(match code {
        "1" => "functional group not supported",
        "2" => "functional group version not supported",
        "3" => "functional group trailer missing",
        "4" => "group control number in the functional group header and trailer do not agree",
        "5" => "number of included transaction sets does not match actual count",
        "6" => "group control number violates syntax",
        "10" => "authentication key name unknown",
        "11" => "encryption key name unknown",
        "12" => "requested service (authentication or encryption) not available",
        "13" => "unknown security recipient",
        "14" => "unknown security originator",
        "15" => "syntax error in decrypted text",
        "16" => "security not supported",
        "17" => "incorrect message length (encryption only)",
        "18" => "message authentication code failed",
        "19" => "functional group control number not unique within interchange",
        "23" => "S3E security end segment missing for S3S security start segment",
        "24" => "S3S security start segment missing for S3E end segment",
        "25" => "S4E security end segment missing for S4S security start segment",
        "26" => "S4S security start segment missing for S4E security end segment",
        _ => return None,
    })
}

/// A partner's id, position or code as shown in a text (at most 20
/// characters, control characters escaped).
fn short(v: &str) -> String {
    weft_sdk::text::clip(v, 20)
}

/// `<words> (<code>)`, or `error code <code>` for an unknown code.
fn words(code: &str, table: fn(&str) -> Option<&'static str>) -> String {
    match table(code) {
        Some(w) => format!("{w} ({code})"),
        None => format!("error code {code}"),
    }
}

/// An AK3 / IK3: where the segment in error is (`segment NM1 at position
/// 8`, `… (loop 2010BA)`) and the error text (`segment NM1 at position 8:
/// segment has data element errors (8)`).
pub fn segment_error(seg: &Segment) -> (String, String) {
    let id = seg.opt(1).map(short).unwrap_or_else(|| "?".into());
    let mut place = format!("segment {id}");
    if let Some(p) = seg.opt(2) {
        place.push_str(&format!(" at position {}", short(p)));
    }
    if let Some(l) = seg.opt(3) {
        place.push_str(&format!(" (loop {})", short(l)));
    }
    let error = match seg.opt(4).map(short) {
        Some(code) => format!("{place}: {}", words(&code, segment_code)),
        None => place.clone(),
    };
    (place, error)
}

/// An AK4 / IK4 in words, placed in the segment of the preceding AK3 /
/// IK3: `segment NM1 at position 8, element 8 (data element 66): invalid
/// code value (7), value `MI``.
pub fn element_error(seg: &Segment, segment: Option<&str>, component: u8) -> String {
    let mut text = segment.map(|s| format!("{s}, ")).unwrap_or_default();
    let position = [
        ("element", seg.component(1, 1, component)),
        ("component", seg.component(1, 2, component)),
        ("repetition", seg.component(1, 3, component)),
    ];
    let place: Vec<String> = position
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(what, v)| format!("{what} {}", short(v)))
        .collect();
    text.push_str(&if place.is_empty() {
        "element".to_string()
    } else {
        place.join(", ")
    });
    if let Some(r) = seg.opt(2) {
        text.push_str(&format!(" (data element {})", short(r)));
    }
    if let Some(code) = seg.opt(3).map(short) {
        text.push_str(&format!(": {}", words(&code, element_code)));
    }
    if let Some(v) = seg.opt(4) {
        text.push_str(&format!(", value `{}`", weft_sdk::text::clip(v, 40)));
    }
    text
}

/// An AK502–AK506 / IK502–IK506 code in words: `transaction set: one or
/// more segments in error (5)`.
pub fn set_error(code: &str) -> String {
    format!("transaction set: {}", words(&short(code), set_code))
}

/// An AK905–AK909 code in words: `functional group: functional group not
/// supported (1)`.
pub fn group_error(code: &str) -> String {
    format!("functional group: {}", words(&short(code), group_code))
}
