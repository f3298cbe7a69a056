//! Identity: one lifecycle per order across systems. An order is known by
//! its key (its correlation id) and by aliases scoped to who issued them
//! (channel order id, order number, PO number in the order's channel; the
//! ERP's order number in scope `erp`). An event joins the order its
//! correlation id names, else the one its references resolve to; a line
//! that names its own order (a shipment for several POs) joins that one.
//! An alias that resolves to two orders joins neither: it is a conflict.
//!
//! Resolution depends only on the set of events (the alias index is built
//! from all of them), never on their arrival order.

use std::collections::{BTreeMap, BTreeSet};

use super::facts::{Doc, Event};

/// Scope of aliases valid everywhere: order keys themselves.
pub const GLOBAL: &str = "";
/// Scope of ERP order numbers (from sink deliveries).
pub const ERP: &str = "erp";
/// Scope of the keys under which trading partners acknowledge documents
/// weft sent (a delivery's `ack_key`; an EDI acknowledgement's references).
pub const EDI_ACK: &str = "edi-ack";

/// The key of the order an order document describes.
pub fn order_key(e: &Event) -> String {
    if e.correlation_id.is_empty() {
        format!("{}:{}", e.channel, e.doc_id)
    } else {
        e.correlation_id.clone()
    }
}

/// The `(scope, alias)` names an event introduces, with the order key each
/// names. Stored facts: they depend on the one event only.
pub fn aliases_of(e: &Event) -> Vec<(String, String, String)> {
    match e.doc {
        Doc::Order => {
            let key = order_key(e);
            let mut out = vec![(GLOBAL.to_string(), key.clone(), key.clone())];
            for a in &e.aliases {
                out.push((e.channel.clone(), a.clone(), key.clone()));
            }
            out
        }
        Doc::Delivery if !e.correlation_id.is_empty() => e
            .aliases
            .iter()
            .map(|a| (ERP.to_string(), a.clone(), e.correlation_id.clone()))
            .chain(
                e.extra("ack_key")
                    .map(|k| (EDI_ACK.to_string(), k.to_string(), e.correlation_id.clone())),
            )
            .collect(),
        _ => Vec::new(),
    }
}

/// The scope `e`'s references are made in: the event's channel, except
/// for an acknowledgement, whose references are the keys deliveries named.
pub fn ref_scope(e: &Event) -> &str {
    if e.doc == Doc::EdiAck {
        EDI_ACK
    } else {
        &e.channel
    }
}

/// `(scope, alias)` → the order keys it names.
#[derive(Debug, Default, Clone)]
pub struct AliasIndex {
    names: BTreeMap<(String, String), BTreeSet<String>>,
    /// Scopes whose references also resolve in other scopes (a 3PL that
    /// ships for several channels).
    links: BTreeMap<String, Vec<String>>,
}

/// One order's share of an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Portion {
    /// Whether the event's own amounts and milestone belong to this order
    /// (a multi-order shipment's lines split; its time counts for each).
    pub primary: bool,
    /// Indexes of the event's lines that belong to this order.
    pub lines: Vec<usize>,
}

/// Where an event belongs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Resolved {
    /// Order key → the share of the event it gets.
    pub orders: BTreeMap<String, Portion>,
    /// References that named more than one order (never joined).
    pub ambiguous: Vec<String>,
}

impl Resolved {
    /// No order: an orphan, held until its order arrives.
    pub fn is_orphan(&self) -> bool {
        self.orders.is_empty()
    }
}

impl AliasIndex {
    /// An empty index whose scopes resolve as `links` says.
    pub fn new(links: BTreeMap<String, Vec<String>>) -> AliasIndex {
        AliasIndex {
            names: BTreeMap::new(),
            links,
        }
    }

    /// Adds one `(scope, alias, order key)` name.
    pub fn add(&mut self, scope: &str, alias: &str, key: &str) {
        self.names
            .entry((scope.to_string(), alias.to_string()))
            .or_default()
            .insert(key.to_string());
    }

    /// Adds the names every event of `events` introduces.
    pub fn add_events<'a>(&mut self, events: impl IntoIterator<Item = &'a Event>) {
        for e in events {
            for (s, a, k) in aliases_of(e) {
                self.add(&s, &a, &k);
            }
        }
    }

    /// Aliases naming more than one order: `(scope, alias, orders)`.
    pub fn conflicts(&self) -> Vec<(String, String, Vec<String>)> {
        self.names
            .iter()
            .filter(|((s, _), keys)| s != GLOBAL && keys.len() > 1)
            .map(|((s, a), keys)| (s.clone(), a.clone(), keys.iter().cloned().collect()))
            .collect()
    }

    fn known(&self, key: &str) -> bool {
        self.names
            .contains_key(&(GLOBAL.to_string(), key.to_string()))
    }

    /// The orders reference `r`, made in `scope`, may mean.
    fn candidates(&self, scope: &str, r: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let linked = self.links.get(scope).map(Vec::as_slice).unwrap_or(&[]);
        for s in std::iter::once(scope)
            .chain(linked.iter().map(String::as_str))
            .chain([GLOBAL])
        {
            if let Some(keys) = self.names.get(&(s.to_string(), r.to_string())) {
                out.extend(keys.iter().cloned());
            }
        }
        out
    }

    /// Where `e` belongs.
    pub fn resolve(&self, e: &Event) -> Resolved {
        let mut out = Resolved::default();
        let all: Vec<usize> = (0..e.lines.len()).collect();
        if e.doc == Doc::Order {
            out.orders.insert(
                order_key(e),
                Portion {
                    primary: true,
                    lines: all,
                },
            );
            return out;
        }
        if e.doc == Doc::Inventory {
            return out;
        }
        let scope = ref_scope(e);
        let one = |r: &str, out: &mut Resolved| -> Option<String> {
            let c = self.candidates(scope, r);
            match c.len() {
                1 => c.into_iter().next(),
                0 => None,
                _ => {
                    if !out.ambiguous.iter().any(|a| a == r) {
                        out.ambiguous.push(r.to_string());
                    }
                    None
                }
            }
        };
        let mut primary = (!e.correlation_id.is_empty() && self.known(&e.correlation_id))
            .then(|| e.correlation_id.clone());
        // An acknowledgement of several groups reaches the order of each.
        let mut also: Vec<String> = Vec::new();
        for r in &e.refs {
            let found = one(r, &mut out);
            if primary.is_none() {
                primary = found;
            } else if e.doc == Doc::EdiAck {
                also.extend(found);
            }
        }
        let mut shares: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, l) in e.lines.iter().enumerate() {
            // A line naming its own order joins that order or none: goods
            // for another purchase order never count for this one.
            let key = match &l.order_ref {
                Some(r) => one(r, &mut out),
                None => primary.clone(),
            };
            if let Some(k) = key {
                shares.entry(k).or_default().push(i);
            }
        }
        for k in primary.iter().chain(&also) {
            shares.entry(k.clone()).or_default();
        }
        for (k, lines) in shares {
            let is_primary = primary.as_deref() == Some(k.as_str());
            out.orders.insert(
                k,
                Portion {
                    primary: is_primary,
                    lines,
                },
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::facts::{ItemIds, Line};

    fn ev(doc: Doc, id: &str, channel: &str, corr: &str) -> Event {
        Event {
            event_id: id.into(),
            doc,
            kind: String::new(),
            doc_id: id.into(),
            channel: channel.into(),
            correlation_id: corr.into(),
            refs: vec![],
            aliases: vec![],
            at: None,
            revised_at: None,
            seen_at: 0,
            currency: None,
            amount: None,
            status: None,
            lines: vec![],
            extra: Default::default(),
        }
    }

    fn line(order: Option<&str>) -> Line {
        Line {
            ids: ItemIds::default(),
            order_ref: order.map(String::from),
            quantity: 1.into(),
            ..Default::default()
        }
    }

    #[test]
    fn references_resolve_in_their_scope_and_linked_scopes_only() {
        let mut o = ev(Doc::Order, "o1", "x12:ACME", "x12:ACME:PO1");
        o.aliases = vec!["PO1".into()];
        let mut links = BTreeMap::new();
        links.insert("3pl".to_string(), vec!["x12:ACME".to_string()]);
        let mut idx = AliasIndex::new(links);
        idx.add_events([&o]);
        let mut s = ev(Doc::Shipment, "s1", "x12:OTHER", "");
        s.refs = vec!["PO1".into()];
        assert!(
            idx.resolve(&s).is_orphan(),
            "another partner's PO1 is not ours"
        );
        s.channel = "3pl".into();
        assert_eq!(
            idx.resolve(&s).orders.keys().collect::<Vec<_>>(),
            ["x12:ACME:PO1"]
        );
    }

    #[test]
    fn an_alias_of_two_orders_is_a_conflict_and_joins_neither() {
        let mut a = ev(Doc::Order, "a", "shopify", "shopify:1");
        a.aliases = vec!["1001".into()];
        let mut b = ev(Doc::Order, "b", "shopify", "shopify:2");
        b.aliases = vec!["1001".into()];
        let mut idx = AliasIndex::default();
        idx.add_events([&a, &b]);
        let mut inv = ev(Doc::Invoice, "i", "shopify", "");
        inv.refs = vec!["1001".into()];
        let r = idx.resolve(&inv);
        assert!(r.is_orphan());
        assert_eq!(r.ambiguous, ["1001"]);
        assert_eq!(idx.conflicts().len(), 1);
    }

    #[test]
    fn a_shipment_for_two_orders_splits_its_lines() {
        let mut a = ev(Doc::Order, "a", "x12", "x12:A");
        a.aliases = vec!["A".into()];
        let mut b = ev(Doc::Order, "b", "x12", "x12:B");
        b.aliases = vec!["B".into()];
        let mut idx = AliasIndex::default();
        idx.add_events([&a, &b]);
        let mut s = ev(Doc::Shipment, "s", "x12", "x12:A");
        s.refs = vec!["A".into(), "B".into()];
        s.lines = vec![line(Some("A")), line(Some("B")), line(None)];
        let r = idx.resolve(&s);
        assert_eq!(
            r.orders["x12:A"],
            Portion {
                primary: true,
                lines: vec![0, 2]
            }
        );
        assert_eq!(
            r.orders["x12:B"],
            Portion {
                primary: false,
                lines: vec![1]
            }
        );
    }
}
