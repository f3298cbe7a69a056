//! weft source `edifact`: UN/EDIFACT interchanges → canonical documents.
//!
//! One input file (message kind `raw`) may hold several interchanges
//! (UNB … UNZ), optionally with groups (UNG … UNE), each with several
//! messages (UNH … UNT); every message becomes one output message with id
//! `edifact:<UNB sender>:<UNB interchange ref>:<UNH message ref>` (a
//! re-sent interchange deduplicates):
//!
//! | message | kind | payload |
//! |---|---|---|
//! | ORDERS | `order.created` / `order.updated` / `order.cancelled` (BGM 1225 `9` / `5`,`4` / `1`,`3`) | `weft.order/1` |
//! | ORDRSP | `order.acknowledged` | `weft.order_ack/1` |
//! | DESADV | `shipment.dispatched` | `weft.shipment/1` |
//! | INVOIC | `invoice.posted` | `weft.invoice/1` |
//! | other, or one of these without BGM | `edifact.message` | the segments as JSON |
//!
//! The UNA service string advice is honoured (any delimiters, release
//! character, decimal comma: numbers become canonical `.` decimals); without
//! one the ISO 9735 defaults `:+.? '` apply. Line breaks and indentation
//! between segments are skipped, so one-line and pretty-printed files read
//! alike. Input that is not UTF-8 is read as ISO 8859-1 (with a warning).
//!
//! Framing defects are fatal (`invalid`, naming the 1-based segment
//! position in the file — the UNA counts as 1 — the segment tag and the
//! reason): broken framing, a release character before a non-service
//! character, a segment outside UNH … UNT, a missing UNT/UNZ. A message
//! whose content cannot be mapped (a code longer than its data element
//! allows, a non-numeric quantity, price or amount, an invalid date the
//! mapping needs, a line without its quantity) rejects that message only:
//! it becomes one `edifact.rejected` record (message type and reference,
//! segment, position, reason naming the element) under the message's id,
//! and the other messages of the interchange are mapped as usual. Defects real senders emit — UNT/UNE/UNZ counts or references
//! that do not match, an odd UNH version, an invalid date in a DTM the
//! mapping does not use — are listed in the `edifact-warnings` header of
//! every output of the interchange instead (`strict = "true"` makes them
//! fatal).
//!
//! With `contrl = "true"` each interchange is answered with a CONTRL
//! (syntax and service report, kind `edifact.contrl`, see [`contrl`])
//! listing its rejected messages.
//!
//! Config: `channel` (default `edifact`), `utc_offset` (e.g. `+01:00`; DTM
//! values with a time become RFC 3339 times with it, otherwise only the
//! date is kept), `max_bytes` (default 16 MiB), `strict` (default `false`),
//! `contrl` (default `false`).

pub mod contrl;
pub mod map;
pub mod parse;
pub mod values;

use weft_sdk::{host, Message, Plugin, PluginError, PluginInfo, Role};

/// The `edifact` source plugin.
pub struct Edifact;

/// Header listing the lenient defects of the interchange, `; `-separated.
pub const WARNINGS_HEADER: &str = "edifact-warnings";
/// Kind of a message with no canonical mapping.
pub const MESSAGE: &str = "edifact.message";
/// Kind of a message whose business content could not be mapped (the
/// other messages of its interchange are mapped as usual).
pub const REJECTED: &str = "edifact.rejected";
/// Kind of an emitted CONTRL syntax and service report.
pub const CONTRL: &str = "edifact.contrl";
/// Content type of EDIFACT text.
pub const EDIFACT: &str = "application/edifact";

/// Plugin settings (from `host::config`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Channel code of the documents (default `edifact`).
    pub channel: String,
    /// UTC offset for date+time values, e.g. `+01:00`.
    pub utc_offset: Option<String>,
    /// Largest accepted input in bytes.
    pub max_bytes: usize,
    /// Whether lenient defects are fatal.
    pub strict: bool,
    /// Whether each interchange is answered with a CONTRL.
    pub contrl: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            channel: "edifact".into(),
            utc_offset: None,
            max_bytes: 16 * 1024 * 1024,
            strict: false,
            contrl: false,
        }
    }
}

impl Config {
    /// Reads the settings from the host, checking each.
    pub fn from_host() -> Result<Config, PluginError> {
        let mut c = Config::default();
        c.channel = weft_sdk::settings::channel(&c.channel);
        c.utc_offset = weft_sdk::settings::utc_offset()?;
        c.max_bytes = weft_sdk::settings::max_bytes(c.max_bytes)?;
        c.strict = host::config_bool("strict", false)?;
        c.contrl = host::config_bool("contrl", false)?;
        Ok(c)
    }
}

impl Plugin for Edifact {
    fn describe() -> PluginInfo {
        weft_sdk::info("edifact", env!("CARGO_PKG_VERSION"), Role::Source)
            .summary("UN/EDIFACT interchanges (ORDERS/ORDRSP/DESADV/INVOIC) -> canonical documents")
            .accepts(["raw"])
            .emits([
                weft_sdk::order::kinds::CREATED,
                weft_sdk::order::kinds::UPDATED,
                weft_sdk::order::kinds::CANCELLED,
                weft_sdk::order_ack::ACKNOWLEDGED,
                weft_sdk::shipment::DISPATCHED,
                weft_sdk::invoice::POSTED,
                MESSAGE,
                REJECTED,
                CONTRL,
            ])
            .build()
    }

    fn process(msg: Message) -> Result<Vec<Message>, PluginError> {
        let cfg = Config::from_host()?;
        convert(&msg.payload, &cfg)
    }
}

/// Converts one EDIFACT file with the given settings.
pub fn convert(input: &[u8], cfg: &Config) -> Result<Vec<Message>, PluginError> {
    weft_sdk::edi::check_size(input, cfg.max_bytes)?;
    let parsed = parse::parse(input).map_err(|d| PluginError::invalid(clean(&d.to_string())))?;
    let fatal = |w: &str| PluginError::invalid(format!("{w} (fatal because strict = true)"));
    let mut out = Vec::new();
    let mut answered = std::collections::HashSet::new();
    for ic in &parsed.interchanges {
        let mut warnings: Vec<String> = parsed.warnings.clone();
        warnings.extend(ic.warnings.iter().cloned());
        let mut docs = Vec::new();
        let mut outcomes = Vec::new();
        for msg in &ic.messages {
            let ctx = map::Ctx {
                cfg,
                syntax: &parsed.syntax,
                interchange: ic,
                message: msg,
            };
            let (doc, reject) = match map::map_message(&ctx) {
                Ok(doc) => (doc, None),
                // One bad message is rejected alone; the others of the
                // interchange are still mapped.
                Err(r) => (rejected(&ctx, &r), Some(r)),
            };
            outcomes.push((msg, reject));
            warnings.extend(doc.warnings.iter().cloned());
            docs.push((ctx.message_id(), doc));
        }
        let warnings: Vec<String> = warnings.iter().map(|w| clean(w)).collect();
        if cfg.strict {
            if let Some(w) = warnings.first() {
                return Err(fatal(w));
            }
        }
        for (id, doc) in docs {
            let mut m = Message::json(
                id,
                doc.correlation_id.as_str(),
                doc.kind.as_str(),
                &doc.payload,
            )?;
            weft_sdk::edi::set_warnings(&mut m, WARNINGS_HEADER, &warnings);
            weft_sdk::edi::push_unique(&mut out, m, WARNINGS_HEADER, "message reference");
        }
        // An interchange repeated in the file is answered once.
        if cfg.contrl && answered.insert((ic.sender.clone(), ic.control.clone())) {
            let reference = host::next_sequence(&format!("edifact:{}:unb", ic.sender.trim()))?;
            let outcomes: Vec<_> = outcomes.iter().map(|(m, r)| (*m, r.as_ref())).collect();
            let correlation_id = format!(
                "edifact:{}:{}",
                weft_sdk::edi::id_part(&ic.sender),
                weft_sdk::edi::id_part(&ic.control)
            );
            let mut m = Message {
                id: format!("{correlation_id}:CONTRL"),
                correlation_id,
                kind: CONTRL.into(),
                content_type: EDIFACT.into(),
                headers: Vec::new(),
                payload: contrl::build(&parsed.syntax, ic, &outcomes, reference),
            };
            weft_sdk::edi::set_warnings(&mut m, WARNINGS_HEADER, &warnings);
            weft_sdk::edi::push_unique(&mut out, m, WARNINGS_HEADER, "interchange reference");
        }
    }
    Ok(out)
}

/// The `edifact.rejected` record of a message whose business content
/// cannot be mapped: the message, the segment at fault and why (the
/// reason names the data element).
fn rejected(ctx: &map::Ctx, r: &map::Reject) -> map::Doc {
    let id = ctx.message_id();
    let m = ctx.message;
    let payload = serde_json::json!({
        "standard": "edifact",
        "message_type": m.msg_type,
        "reference": m.reference,
        "interchange_control": ctx.interchange.control,
        "sender": ctx.interchange.sender,
        "segment": r.tag,
        "position": r.position,
        "reason": clean(&r.to_string()),
    });
    map::Doc {
        kind: REJECTED.into(),
        correlation_id: id,
        payload,
        warnings: Vec::new(),
    }
}

/// Escapes control characters (line breaks inside quoted data) so errors
/// and headers stay on one line.
fn clean(s: &str) -> String {
    weft_sdk::text::escape_controls(s).into_owned()
}

weft_sdk::export_source!(Edifact);

#[cfg(test)]
mod tests;
