//! The order-lifecycle ledger: one lifecycle per order across every
//! channel, reported from the same synchronised milestones.
//!
//! - [`facts`]: a canonical document → an [`facts::Event`] (ids,
//!   references, business time, money, quantities);
//! - [`identity`]: which order an event belongs to (correlation id,
//!   scoped aliases, links; conflicts and orphans);
//! - [`fold`]: an order's events → its [`fold::OrderView`];
//! - [`report`] and [`exceptions`]: pure functions of the views, the
//!   service levels and the as-of time.
//!
//! Everything here is a function of the event *set*: arrival order,
//! duplicates and replays change nothing (property-tested). Storage,
//! consumption and serving live in [`store`], [`consumer`] and [`api`];
//! [`server`] is the private PostgreSQL of `weft up`.

pub mod api;
pub mod consumer;
pub mod dashboard;
pub mod exceptions;
pub mod facts;
pub mod fold;
pub mod identity;
pub mod query;
pub mod report;
pub mod runtime;
pub mod server;
pub mod store;

use std::collections::BTreeMap;

/// A ledger failure.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    /// The database.
    #[error(transparent)]
    Store(#[from] store::StoreError),
    /// The private PostgreSQL could not start.
    #[error(transparent)]
    Server(#[from] server::PgServerError),
    /// A start-up task died.
    #[error("ledger: a start-up task failed: {0}")]
    Task(String),
    /// Redis (reading or acknowledging a stream).
    #[error("ledger: redis: {0}")]
    Redis(#[source] redis::RedisError),
}

use facts::Event;
use fold::OrderView;
use identity::{AliasIndex, Portion};

/// An alias that names more than one order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Conflict {
    /// Who issued the alias.
    pub scope: String,
    /// The alias.
    pub alias: String,
    /// The orders it names.
    pub orders: Vec<String>,
    /// When it arose: the latest placement time of those orders (ms).
    pub since: i64,
}

/// The ledger's derived state: orders, orphan events and alias conflicts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// One view per order, by key.
    pub orders: Vec<OrderView>,
    /// Events that belong to no known order (yet).
    pub orphans: Vec<Event>,
    /// Aliases naming two or more orders.
    pub conflicts: Vec<Conflict>,
}

/// Order key → its events with their shares.
pub type ByOrder<'a> = BTreeMap<String, Vec<(&'a Event, Portion)>>;

/// Resolution of every event against the aliases of all of them: the
/// events of each order, and the orphans.
pub fn resolve_all<'a>(events: &'a [Event], index: &AliasIndex) -> (ByOrder<'a>, Vec<&'a Event>) {
    let mut by_order: BTreeMap<String, Vec<(&Event, Portion)>> = BTreeMap::new();
    let mut orphans = Vec::new();
    for e in events {
        let r = index.resolve(e);
        if r.is_orphan() {
            if e.doc != facts::Doc::Inventory {
                orphans.push(e);
            }
            continue;
        }
        for (k, p) in r.orders {
            by_order.entry(k).or_default().push((e, p));
        }
    }
    (by_order, orphans)
}

/// Each order's view from its events and their shares; the events of a
/// key no order document made are orphans.
pub fn fold_each<'a>(
    groups: impl IntoIterator<Item = (&'a str, Vec<(&'a Event, &'a Portion)>)>,
) -> (Vec<OrderView>, Vec<Event>) {
    let (mut orders, mut orphans) = (Vec::new(), Vec::new());
    for (key, evs) in groups {
        match fold::fold(key, &evs) {
            Some(v) => orders.push(v),
            None => orphans.extend(evs.iter().map(|(e, _)| (*e).clone())),
        }
    }
    (orders, orphans)
}

/// Orphans by event id, each once.
pub fn sort_orphans(orphans: &mut Vec<Event>) {
    orphans.sort_by(|a, b| a.event_id.cmp(&b.event_id));
    orphans.dedup_by(|a, b| a.event_id == b.event_id);
}

/// The snapshot of a set of events (duplicates by id count once).
pub fn snapshot(events: &[Event], links: &BTreeMap<String, Vec<String>>) -> Snapshot {
    let mut unique: BTreeMap<&str, &Event> = BTreeMap::new();
    for e in events {
        unique.entry(e.event_id.as_str()).or_insert(e);
    }
    let events: Vec<Event> = unique.into_values().cloned().collect();
    let mut index = AliasIndex::new(links.clone());
    index.add_events(&events);
    let (by_order, orphan_refs) = resolve_all(&events, &index);
    let (orders, mut orphans) = fold_each(
        by_order
            .iter()
            .map(|(k, evs)| (k.as_str(), evs.iter().map(|(e, p)| (*e, p)).collect())),
    );
    orphans.extend(orphan_refs.into_iter().cloned());
    sort_orphans(&mut orphans);
    let mut snap = Snapshot {
        orders,
        orphans,
        ..Snapshot::default()
    };
    let placed: BTreeMap<&str, i64> = snap
        .orders
        .iter()
        .map(|o| (o.order_key.as_str(), o.ordered_at.unwrap_or(0)))
        .collect();
    snap.conflicts = index
        .conflicts()
        .into_iter()
        .map(|(scope, alias, orders)| Conflict {
            since: orders
                .iter()
                .filter_map(|o| placed.get(o.as_str()).copied())
                .max()
                .unwrap_or(0),
            scope,
            alias,
            orders,
        })
        .collect();
    snap
}

#[cfg(test)]
mod tests;
