//! weft source `x12`: X12 EDI interchanges → canonical documents, plus 997
//! functional acknowledgements.
//!
//! One input file (message kind `raw`) may hold several interchanges, each
//! with several functional groups and transaction sets; every transaction
//! set becomes one output message (several for an 820 or an 857) with id
//! `x12:<ISA06>:<ISA13>:<GS06>:<ST02>:<digest>`, the digest 12 hex digits
//! of the set's SHA-256 (a re-sent interchange deduplicates; control
//! numbers reused for other content — copied envelopes are common — give
//! another id and a warning, never a dropped document); a set that gives
//! several documents adds `:<part>` to each ([`map::multi`]). Each
//! interchange is read with the delimiters of its own ISA.
//!
//! | set | kind | payload |
//! |---|---|---|
//! | 850 | `order.created` / `order.updated` / `order.cancelled` | `weft.order/1` |
//! | 855 | `order.acknowledged` | `weft.order_ack/1` |
//! | 856 | `shipment.dispatched` | `weft.shipment/1` |
//! | 810 | `invoice.posted` | `weft.invoice/1` |
//! | 846 | `inventory.advised` | `weft.inventory/1` |
//! | 820 | `payment.received`, one per paying RMR | `weft.payment/1` |
//! | 180 | `return.authorized` | `weft.return/1` |
//! | 857 | `shipment.dispatched` + `invoice.posted`, or `credit.issued` (negative TDS) | `weft.shipment/1` + `weft.invoice/1`, or `weft.credit/1` |
//! | 940 | `order.allocated` (`ack_type: pending`) | `weft.order_ack/1` |
//! | 945 | `shipment.dispatched` | `weft.shipment/1` |
//! | 812 | `credit.issued` (a credit; a debit stays `x12.transaction`) | `weft.credit/1` |
//! | 997, 999 (functional / implementation acknowledgement) | `edi_ack.received`, one per set | `weft.edi_ack/1` ([`map::edi_ack`]) |
//! | other (864, 210, 860, …) | `x12.transaction` | the segments as JSON |
//! | TA1 (interchange acknowledgement) | `x12.ta1` | status, note, acknowledged ISA13 ([`ta1`]) |
//!
//! A set whose business content cannot be mapped becomes `x12.rejected`
//! instead, and is rejected in the group's 997 (kind `x12.997`, one per
//! group that is not itself an acknowledgement: a group with GS01 `FA`, or
//! of 997/999 sets only, is never acknowledged, whether its sets map or
//! not). Each group of a received 997/999 carries the match key
//! `x12:<ISA06>:<AK102 without leading zeros>`
//! ([`weft_sdk::edi_ack::match_key`]), the `weft-ack-key` header
//! `x12-outbound` writes on the interchange it acknowledges. Envelope defects are fatal
//! (`invalid`, naming the segment position and id) or, for defects real
//! senders emit, reported in the `x12-warnings` header of every output of
//! the interchange and logged at `warn` level (`strict = "true"` makes
//! them fatal).
//!
//! Item ids (PO1/IT1/LIN qualifier pairs, X12 data element 235): `SK` →
//! `sku`; `IN`, `BP`, `CB`, `PI` (the buyer's numbers) → `buyer_part`;
//! `VN`, `VP`, `VA`, `VC` → `vendor_part`; `UP`, `UK`, `EN`, `UA`, `EO` →
//! `gtin`; `PD` → description; the first of each kind wins. Every other
//! id (`MG` manufacturer's part, a second GTIN, …) is kept in the line's
//! `attributes` as `id_<qualifier>` (`id_mg`), on every document. N1
//! entity codes become party roles
//! (`ST` `ship_to`, `SF` `ship_from`, `SH` `shipper`, `BT` `bill_to`, …).
//!
//! Config: `channel` (default `x12`; `{sender}` in it is replaced by the
//! interchange's ISA06, e.g. `x12:{sender}` → `x12:ACME`, so each partner
//! is its own channel and PO numbers of different partners never share a
//! correlation id), `utc_offset` (e.g. `-05:00`; date and
//! time values become RFC 3339 times with it, otherwise only the date is
//! kept), `max_bytes` (default 16 MiB), `ack` (default `true`), `strict`
//! (default `false`), `ack_control` (`sequence`, the default: the 997's
//! ISA13/GS06 are our own numbers from the host counters
//! `x12:<partner ISA06>:isa|gs`, shared with `x12-outbound`; `echo`: the
//! acknowledged interchange's ISA13 and GS06). A repeated group in one file
//! is acknowledged once.

pub mod ack997;
pub mod map;
pub mod parse;
pub mod ta1;
pub mod values;

use weft_sdk::{edi, host, Message, Plugin, PluginError, PluginInfo, Role};

/// The `x12` source plugin.
pub struct X12;

/// Header listing the lenient defects of the interchange, `; `-separated.
pub const WARNINGS_HEADER: &str = "x12-warnings";
/// Kind of a transaction set with no canonical mapping.
pub const TRANSACTION: &str = "x12.transaction";
/// Kind of a transaction set whose business content could not be mapped.
pub const REJECTED: &str = "x12.rejected";
/// Kind of a TA1 interchange acknowledgement read from the input.
pub const TA1: &str = "x12.ta1";
/// Kind of an emitted 997 functional acknowledgement.
pub const ACK_997: &str = "x12.997";
/// Content type of X12 text.
pub const EDI_X12: &str = "application/edi-x12";

/// Plugin settings (from `host::config`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Channel code of the documents (default `x12`).
    pub channel: String,
    /// UTC offset for date+time values, e.g. `-05:00`.
    pub utc_offset: Option<String>,
    /// Largest accepted input in bytes.
    pub max_bytes: usize,
    /// Whether to emit 997 acknowledgements.
    pub ack: bool,
    /// Whether lenient envelope defects are fatal.
    pub strict: bool,
    /// Whether 997 control numbers come from the host counters (`true`,
    /// `ack_control = "sequence"`) or echo the input's (`"echo"`).
    pub ack_sequence: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            channel: "x12".into(),
            utc_offset: None,
            max_bytes: 16 * 1024 * 1024,
            ack: true,
            strict: false,
            ack_sequence: true,
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
        c.ack = host::config_bool("ack", true)?;
        c.strict = host::config_bool("strict", false)?;
        c.ack_sequence = match host::config("ack_control").as_deref().map(str::trim) {
            None | Some("") | Some("sequence") => true,
            Some("echo") => false,
            Some(other) => {
                return Err(PluginError::invalid(format!(
                    "config `ack_control`: expected `sequence` or `echo`, got `{other}`"
                )))
            }
        };
        Ok(c)
    }
}

impl Plugin for X12 {
    fn describe() -> PluginInfo {
        weft_sdk::info("x12", env!("CARGO_PKG_VERSION"), Role::Source)
            .summary("X12 EDI interchanges (850/855/856/810/846/820/180/857/940/945/812) -> canonical documents, plus 997 acknowledgements")
            .accepts(["raw"])
            .emits([
                weft_sdk::order::kinds::CREATED,
                weft_sdk::order::kinds::UPDATED,
                weft_sdk::order::kinds::CANCELLED,
                weft_sdk::order_ack::ACKNOWLEDGED,
                weft_sdk::shipment::DISPATCHED,
                weft_sdk::invoice::POSTED,
                weft_sdk::inventory::ADVISED,
                weft_sdk::payment::RECEIVED,
                weft_sdk::returns::AUTHORIZED,
                weft_sdk::credit::ISSUED,
                weft_sdk::order_ack::ALLOCATED,
                weft_sdk::edi_ack::RECEIVED,
                TRANSACTION,
                REJECTED,
                TA1,
                ACK_997,
            ])
            .build()
    }

    fn process(msg: Message) -> Result<Vec<Message>, PluginError> {
        let cfg = Config::from_host()?;
        convert(&msg.payload, &cfg)
    }
}

/// Converts one X12 file with the given settings.
pub fn convert(input: &[u8], cfg: &Config) -> Result<Vec<Message>, PluginError> {
    edi::check_size(input, cfg.max_bytes)?;
    let parsed = parse::parse(input).map_err(|d| PluginError::invalid(d.to_string()))?;
    if cfg.strict {
        let first = parsed
            .warnings
            .iter()
            .chain(parsed.interchanges.iter().flat_map(|ic| ic.warnings.iter()))
            .next();
        if let Some(w) = first {
            return Err(PluginError::invalid(format!(
                "{w} (fatal because strict = true)"
            )));
        }
    }
    let mut out = Vec::new();
    let mut acked = std::collections::HashSet::new();
    let mut seen = std::collections::HashMap::new();
    for (n, ic) in parsed.interchanges.iter().enumerate() {
        // `{sender}` in the channel names each partner's own channel
        // (`x12:{sender}` → `x12:ACME`), so purchase order numbers of
        // different partners never share a correlation id.
        let partner_cfg;
        let cfg = if cfg.channel.contains("{sender}") {
            partner_cfg = Config {
                channel: cfg
                    .channel
                    .replace("{sender}", &edi::id_part(ic.sender.trim())),
                ..cfg.clone()
            };
            &partner_cfg
        } else {
            cfg
        };
        let file_warnings = if n == 0 {
            parsed.warnings.as_slice()
        } else {
            &[]
        };
        for w in file_warnings.iter().chain(ic.warnings.iter()) {
            host::log(host::LogLevel::Warn, &format!("x12: {w}"));
        }
        let warnings: Vec<&str> = parsed
            .warnings
            .iter()
            .chain(ic.warnings.iter())
            .map(String::as_str)
            .collect();
        for seg in &ic.ta1 {
            edi::push_unique(
                &mut out,
                ta1::message(ic, seg, &warnings)?,
                WARNINGS_HEADER,
                "interchange control number",
            );
        }
        for group in &ic.groups {
            let mut outcomes = Vec::new();
            let mut digests = Vec::new();
            for set in &group.sets {
                let ctx = map::Ctx {
                    cfg,
                    delimiters: &ic.delimiters,
                    interchange: ic,
                    group,
                    set,
                };
                let digest = set.digest(&ic.delimiters);
                let outcome = map::map_docs(&ctx);
                let note = reuse(&mut seen, ic, group, set, &digest);
                if let Some(note) = &note {
                    host::log(host::LogLevel::Warn, &format!("x12: {note}"));
                }
                for mut m in map::messages(&ctx, &outcome, &warnings)? {
                    if let Some(note) = &note {
                        edi::add_warning(&mut m, WARNINGS_HEADER, note);
                    }
                    edi::push_unique(&mut out, m, WARNINGS_HEADER, "control number");
                }
                outcomes.push(outcome.err());
                digests.push(digest);
            }
            let digest = digests.join("");
            // A group repeated in the file (an interchange sent twice) is
            // acknowledged once.
            let group_key = (
                ic.sender.clone(),
                ic.control.clone(),
                group.control.clone(),
                digest.clone(),
            );
            if cfg.ack && !ack997::is_acknowledgement(group) && acked.insert(group_key) {
                let control = if cfg.ack_sequence {
                    Some(ack997::Control {
                        isa: edi::x12_control_number(&ic.sender, "isa")?,
                        gs: edi::x12_control_number(&ic.sender, "gs")?,
                    })
                } else {
                    None
                };
                let payload = ack997::build(&ic.delimiters, ic, group, &outcomes, control);
                let correlation_id = format!(
                    "x12:{}:{}:{}",
                    edi::id_part(&ic.sender),
                    edi::id_part(&ic.control),
                    edi::id_part(&group.control)
                );
                let mut m = Message {
                    id: format!("{correlation_id}:997:{}", group_digest(&digest)),
                    correlation_id,
                    kind: ACK_997.into(),
                    content_type: EDI_X12.into(),
                    headers: Vec::new(),
                    payload,
                };
                edi::set_warnings(&mut m, WARNINGS_HEADER, &warnings);
                edi::push_unique(&mut out, m, WARNINGS_HEADER, "control number");
            }
        }
    }
    Ok(out)
}

/// Control numbers (ISA06, ISA13, GS06, ST02) of the sets seen in the file,
/// with the digest and position of the first set that had them.
type Seen = std::collections::HashMap<(String, String, String, String), (String, usize)>;

/// The warning for a set whose control numbers an earlier set of the file
/// had with other content (both are kept, each under its own id).
fn reuse(
    seen: &mut Seen,
    ic: &parse::Interchange,
    group: &parse::Group,
    set: &parse::TransactionSet,
    digest: &str,
) -> Option<String> {
    let key = (
        ic.sender.clone(),
        ic.control.clone(),
        group.control.clone(),
        set.control.clone(),
    );
    let position = set.segments.first().map(|s| s.position).unwrap_or(0);
    match seen.get(&key) {
        None => {
            seen.insert(key, (digest.to_string(), position));
            None
        }
        Some((d, _)) if d == digest => None,
        Some((_, first)) => Some(format!(
            "segment {position} (ST): control numbers reused: ISA13 `{}`, GS06 `{}` and ST02 `{}` are those of the transaction set at segment {first}, with other content; both are kept, each id ends with the digest of its own content",
            ic.control, group.control, set.control
        )),
    }
}

/// 12 hex digits standing for a group's set digests.
fn group_digest(digests: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(digests.as_bytes())
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

weft_sdk::export_source!(X12);

#[cfg(test)]
mod tests;
