//! `[ledger]`: the order-lifecycle ledger — where it stores (PostgreSQL),
//! which streams it reads, how references resolve across scopes, and the
//! service levels its exceptions are measured against.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// `[ledger]`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LedgerConfig {
    /// Off: no consumer runs and no database is needed.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// `postgres://…` of the database; absent → `WEFT_LEDGER_URL`, else a
    /// private PostgreSQL under `<data_dir>/postgres`.
    pub url: Option<String>,
    /// Units whose input streams carry canonical events (`pipeline` or
    /// `sink:NAME`); absent → every route target of every pipeline.
    pub units: Option<Vec<String>>,
    /// Also record dead letters of every unit, attached to their order.
    #[serde(default = "yes")]
    pub dead_letters: bool,
    /// Entries per read.
    #[serde(default = "batch")]
    pub batch: usize,
    /// A reference made in the key's scope also resolves in these scopes
    /// (a 3PL that ships for several channels): `{ "3pl" = ["shopify", "x12"] }`.
    #[serde(default)]
    pub links: BTreeMap<String, Vec<String>>,
    /// Service levels: defaults, and per channel or partner.
    #[serde(default)]
    pub sla: SlaConfig,
}

fn yes() -> bool {
    true
}
fn batch() -> usize {
    1024
}

/// Service levels, in hours.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Sla {
    /// Placed → acknowledged; 0: the channel does not acknowledge orders
    /// (web stores), so no acknowledgement exception is raised.
    pub acknowledge_hours: u32,
    /// Placed → shipped in full (unless the order requests a ship date).
    pub ship_hours: u32,
    /// Shipped → invoiced (billed).
    pub invoice_hours: u32,
    /// How long a shipment, invoice or payment may wait for its order.
    pub orphan_grace_hours: u32,
    /// Delivered → functionally acknowledged (997/999) by the trading
    /// partner, for documents that expect it; 0: never expected.
    pub edi_ack_hours: u32,
}

impl Default for Sla {
    fn default() -> Sla {
        Sla {
            acknowledge_hours: 24,
            ship_hours: 72,
            invoice_hours: 24,
            orphan_grace_hours: 24,
            edi_ack_hours: 24,
        }
    }
}

/// Partial service levels of one channel (absent keys: the defaults).
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SlaOverride {
    /// See [`Sla::acknowledge_hours`].
    pub acknowledge_hours: Option<u32>,
    /// See [`Sla::ship_hours`].
    pub ship_hours: Option<u32>,
    /// See [`Sla::invoice_hours`].
    pub invoice_hours: Option<u32>,
    /// See [`Sla::orphan_grace_hours`].
    pub orphan_grace_hours: Option<u32>,
    /// See [`Sla::edi_ack_hours`].
    pub edi_ack_hours: Option<u32>,
}

/// `[ledger.sla]`: defaults, and `[ledger.sla.channels."x12:ACME"]`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SlaConfig {
    /// See [`Sla::acknowledge_hours`].
    pub acknowledge_hours: Option<u32>,
    /// See [`Sla::ship_hours`].
    pub ship_hours: Option<u32>,
    /// See [`Sla::invoice_hours`].
    pub invoice_hours: Option<u32>,
    /// See [`Sla::orphan_grace_hours`].
    pub orphan_grace_hours: Option<u32>,
    /// See [`Sla::edi_ack_hours`].
    pub edi_ack_hours: Option<u32>,
    /// Per channel (the document's `channel`, e.g. `x12:ACME`).
    #[serde(default)]
    pub channels: BTreeMap<String, SlaOverride>,
}

impl SlaConfig {
    /// The service levels of `channel`.
    pub fn of(&self, channel: &str) -> Sla {
        let defaults = SlaOverride {
            acknowledge_hours: self.acknowledge_hours,
            ship_hours: self.ship_hours,
            invoice_hours: self.invoice_hours,
            orphan_grace_hours: self.orphan_grace_hours,
            edi_ack_hours: self.edi_ack_hours,
        };
        let base = merge(Sla::default(), &defaults);
        match self.channels.get(channel) {
            Some(o) => merge(base, o),
            None => base,
        }
    }
}

fn merge(s: Sla, o: &SlaOverride) -> Sla {
    Sla {
        acknowledge_hours: o.acknowledge_hours.unwrap_or(s.acknowledge_hours),
        ship_hours: o.ship_hours.unwrap_or(s.ship_hours),
        invoice_hours: o.invoice_hours.unwrap_or(s.invoice_hours),
        orphan_grace_hours: o.orphan_grace_hours.unwrap_or(s.orphan_grace_hours),
        edi_ack_hours: o.edi_ack_hours.unwrap_or(s.edi_ack_hours),
    }
}

impl Default for LedgerConfig {
    fn default() -> LedgerConfig {
        LedgerConfig {
            enabled: true,
            url: None,
            units: None,
            dead_letters: true,
            batch: batch(),
            links: BTreeMap::new(),
            sla: SlaConfig::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_service_levels_override_the_defaults_key_by_key() {
        let c: LedgerConfig = toml::from_str(
            "[sla]\nship_hours = 48\n[sla.channels.\"x12:ACME\"]\nacknowledge_hours = 4\n",
        )
        .unwrap();
        assert_eq!(c.sla.of("shopify").ship_hours, 48);
        assert_eq!(c.sla.of("shopify").acknowledge_hours, 24);
        let acme = c.sla.of("x12:ACME");
        assert_eq!((acme.acknowledge_hours, acme.ship_hours), (4, 48));
        assert!(toml::from_str::<LedgerConfig>("[sla]\nship_hour = 1\n").is_err());
    }
}
