//! weft source `x12`: X12 EDI interchanges → canonical documents, plus 997
//! functional acknowledgements.
//!
//! One input file (message kind `raw`) may hold several interchanges, each
//! with several functional groups and transaction sets; every transaction
//! set becomes one output message (several for an 820 or an 857) with id
//! `x12:<ISA06>:<ISA13>:<GS06>:<ST02>` (a re-sent interchange
//! deduplicates); the sets of [`map::multi`] add a digest of the set's
//! content (`…:<ST02>:<digest>[:<part>]`), since partners reuse control
//! numbers:
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
//! | other (997, 999, 864, 210, …) and TA1 | `x12.transaction` | the segments as JSON |
//!
//! A set whose business content cannot be mapped becomes `x12.rejected`
//! instead, and is rejected in the group's 997 (kind `x12.997`, one per
//! group that is not itself an acknowledgement). Envelope defects are fatal
//! (`invalid`, naming the segment position and id) or, for defects real
//! senders emit, reported in the `x12-warnings` header of every output of
//! the interchange (`strict = "true"` makes them fatal).
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
                TRANSACTION,
                REJECTED,
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
    let parsed = match parse::parse(input) {
        Ok(p) => p,
        // An interchange of TA1 acknowledgements only (no group).
        Err(d) if d.segment == "TA1" => return map::ta1::convert(input, cfg, d),
        Err(d) => return Err(PluginError::invalid(d.to_string())),
    };
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
    for ic in &parsed.interchanges {
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
        let warnings: Vec<&str> = parsed
            .warnings
            .iter()
            .chain(ic.warnings.iter())
            .map(String::as_str)
            .collect();
        for group in &ic.groups {
            let mut outcomes = Vec::new();
            for set in &group.sets {
                let ctx = map::Ctx {
                    cfg,
                    delimiters: &parsed.delimiters,
                    interchange: ic,
                    group,
                    set,
                };
                let outcome = map::map_docs(&ctx);
                for m in map::messages(&ctx, &outcome, &warnings)? {
                    edi::push_unique(&mut out, m, WARNINGS_HEADER, "control number");
                }
                outcomes.push(outcome.err());
            }
            // A group repeated in the file (an interchange sent twice) is
            // acknowledged once.
            let group_key = (ic.sender.clone(), ic.control.clone(), group.control.clone());
            if cfg.ack && !ack997::is_acknowledgement(group) && acked.insert(group_key) {
                let control = if cfg.ack_sequence {
                    Some(ack997::Control {
                        isa: edi::x12_control_number(&ic.sender, "isa")?,
                        gs: edi::x12_control_number(&ic.sender, "gs")?,
                    })
                } else {
                    None
                };
                let payload = ack997::build(&parsed.delimiters, ic, group, &outcomes, control);
                let mut m = Message {
                    id: format!(
                        "x12:{}:{}:{}:997{}",
                        edi::id_part(&ic.sender),
                        edi::id_part(&ic.control),
                        edi::id_part(&group.control),
                        map::multi::group_suffix(group)
                    ),
                    correlation_id: format!(
                        "x12:{}:{}:{}",
                        edi::id_part(&ic.sender),
                        edi::id_part(&ic.control),
                        edi::id_part(&group.control)
                    ),
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

weft_sdk::export_source!(X12);

#[cfg(test)]
mod tests;
