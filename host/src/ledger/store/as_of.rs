//! The ledger as it stood at a past time, without folding every event
//! again. The derived tables hold the state now; the state as of `t` (the
//! events seen by then) differs from it only where an event seen after `t`
//! changed something, and applying an event changes exactly what
//! `reresolve` rewrites: the orders the late events join, and the orders
//! of stored events whose references name an alias a late event
//! introduced. So only those orders are folded again, from their events
//! seen by `t`; every other order's row is the same then as now.
//!
//! Tested against the full recompute (`ledger::snapshot` of the events
//! seen by `t`) at every cut point of a shuffled multi-channel day.

use std::collections::{BTreeMap, BTreeSet};

use super::{decode_text, portion, q, seconds, Store, StoreError};
use crate::ledger::facts::{Doc, Event};
use crate::ledger::fold::OrderView;
use crate::ledger::identity::{AliasIndex, Portion};
use crate::ledger::report::{self, Period, Sums};
use crate::ledger::{self, Conflict};

/// The orders whose state as of a time differs from now, restated.
#[derive(Debug, Clone, Default)]
pub struct Restated {
    /// Keys of every order whose row now may differ from its state then
    /// (report sums leave these out and add `orders` instead).
    pub keys: Vec<String>,
    /// The views then of those of `keys` that had an order document by then.
    pub orders: Vec<OrderView>,
    /// Events seen by then whose order membership was restated (the early
    /// events of `keys` and those referring to a late alias).
    pub scope: BTreeSet<String>,
    /// Of `scope`, those that belonged to no order then.
    pub orphans: Vec<Event>,
}

/// A restatement before its fold: the events seen by then that a late
/// alias re-resolves, where they belonged then, and every order to fold.
struct Plan {
    early_ids: Vec<String>,
    by_key: BTreeMap<String, Vec<(Event, Portion)>>,
    orphans: Vec<Event>,
    keys: Vec<String>,
}

impl Store {
    /// The orders `as_of` (ms) restates, and their views then.
    pub async fn restate(&self, as_of: i64) -> Result<Restated, StoreError> {
        let plan = self.plan(as_of).await?;
        self.fold_plan(as_of, plan).await
    }

    /// The report's sums as of `as_of`: the database's sums and durations
    /// over the orders nothing late touched (both on the main connection)
    /// while the restated orders are read and folded (on the side one),
    /// then added.
    pub async fn report_sums_as_of(&self, period: Period, as_of: i64) -> Result<Sums, StoreError> {
        let plan = self.plan(as_of).await?;
        let keys = plan.keys.clone();
        let (restated, mut sums) = tokio::try_join!(
            self.fold_plan(as_of, plan),
            self.report_sums_on(&self.client, period, &keys)
        )?;
        for (k, s) in report::sums(&restated.orders, period) {
            sums.entry(k).or_default().merge(s);
        }
        Ok(sums)
    }

    async fn plan(&self, as_of: i64) -> Result<Plan, StoreError> {
        let c = &self.client;
        let t = seconds(as_of);
        // Events seen by then referring to a name an event seen later introduced.
        let mut early: Vec<Event> = Vec::new();
        for r in c
            .query(
                "WITH n AS (SELECT DISTINCT a.alias FROM ledger_events l
                            JOIN ledger_aliases a USING (event_id) WHERE l.seen_at > to_timestamp($1))
                 SELECT e.facts::text FROM ledger_events e WHERE e.seen_at <= to_timestamp($1)
                   AND e.event_id IN (SELECT r.event_id FROM ledger_refs r JOIN n ON r.ref = n.alias
                                      UNION SELECT x.event_id FROM ledger_events x JOIN n ON x.correlation_id = n.alias)",
                &[&t],
            )
            .await
            .map_err(q("finding events a late alias re-resolves"))?
        {
            early.push(decode_text(r.get(0))?);
        }
        // Where those belonged then: against the names seen by then.
        let lookups: Vec<String> = early
            .iter()
            .flat_map(|e| e.refs.iter().cloned().chain([e.correlation_id.clone()]))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut index = AliasIndex::new(self.links.clone());
        for r in c
            .query(
                "SELECT a.scope, a.alias, a.order_key FROM ledger_aliases a
                 JOIN ledger_events e USING (event_id)
                 WHERE a.alias = ANY($2) AND e.seen_at <= to_timestamp($1)",
                &[&t, &lookups],
            )
            .await
            .map_err(q("reading the aliases as of then"))?
        {
            index.add(r.get(0), r.get(1), r.get(2));
        }
        let mut by_key: BTreeMap<String, Vec<(Event, Portion)>> = BTreeMap::new();
        let mut orphans = Vec::new();
        for e in &early {
            let r = index.resolve(e);
            if r.is_orphan() && e.doc != Doc::Inventory {
                orphans.push(e.clone());
            }
            for (k, p) in r.orders {
                by_key.entry(k).or_default().push((e.clone(), p));
            }
        }
        // The orders: those the late events and the re-resolved ones join
        // now, and those the re-resolved ones joined then.
        let early_ids: Vec<String> = early.iter().map(|e| e.event_id.clone()).collect();
        let mut keys: BTreeSet<String> = c
            .query(
                "SELECT eo.order_key FROM ledger_events e JOIN ledger_event_orders eo USING (event_id)
                 WHERE e.seen_at > to_timestamp($1)
                 UNION SELECT order_key FROM ledger_event_orders WHERE event_id = ANY($2)",
                &[&t, &early_ids],
            )
            .await
            .map_err(q("finding the orders late events touched"))?
            .into_iter()
            .map(|r| r.get(0))
            .collect();
        keys.extend(by_key.keys().cloned());
        Ok(Plan {
            early_ids,
            by_key,
            orphans,
            keys: keys.into_iter().collect(),
        })
    }

    /// Folds the planned orders from their events seen by then (read on
    /// the side connection), in two halves side by side: decoding and
    /// folding thousands of orders is the restatement's main cost.
    async fn fold_plan(&self, as_of: i64, plan: Plan) -> Result<Restated, StoreError> {
        let Plan {
            early_ids,
            by_key,
            mut orphans,
            keys,
        } = plan;
        let rows = self
            .side
            .query(
                "SELECT eo.order_key, eo.is_primary, eo.lines, e.facts::text
                 FROM ledger_event_orders eo JOIN ledger_events e USING (event_id)
                 WHERE eo.order_key = ANY($2) AND e.seen_at <= to_timestamp($1)
                   AND (eo.seen_at IS NULL OR eo.seen_at <= to_timestamp($1))",
                &[&seconds(as_of), &keys],
            )
            .await
            .map_err(q("reading the events of restated orders"))?;
        // Each order wholly in one half.
        let half = |k: &str| {
            k.bytes()
                .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)))
                % 2
                == 1
        };
        let (rows_a, rows_b): (Vec<_>, Vec<_>) = rows.into_iter().partition(|r| half(r.get(0)));
        let (early_a, early_b): (BTreeMap<_, _>, BTreeMap<_, _>) =
            by_key.into_iter().partition(|(k, _)| half(k));
        let restated: std::sync::Arc<BTreeSet<String>> =
            std::sync::Arc::new(early_ids.iter().cloned().collect());
        let other = {
            let restated = restated.clone();
            tokio::task::spawn_blocking(move || fold_half(rows_a, early_a, &restated))
        };
        let (mut orders, unplaced, mut scope) = fold_half(rows_b, early_b, &restated)?;
        let (o, u, s) = other
            .await
            .map_err(|e| StoreError::Worker(e.to_string()))??;
        orders.extend(o);
        orders.sort_by(|a, b| a.order_key.cmp(&b.order_key));
        orphans.extend(unplaced);
        orphans.extend(u);
        scope.extend(s);
        scope.extend(early_ids);
        ledger::sort_orphans(&mut orphans);
        Ok(Restated {
            keys,
            orders,
            scope,
            orphans,
        })
    }

    /// The time (ms) by which `fraction` of the stored events had been
    /// seen: an as-of time with the rest arriving later.
    pub async fn seen_quantile(&self, fraction: f64) -> Result<i64, StoreError> {
        let row = self
            .client
            .query_one(
                "SELECT COALESCE((extract(epoch FROM percentile_disc($1::float8) WITHIN GROUP (ORDER BY seen_at)) * 1000)::bigint, 0)
                 FROM ledger_events",
                &[&fraction],
            )
            .await
            .map_err(q("reading seen times"))?;
        Ok(row.get(0))
    }

    /// Alias conflicts as of `as_of`: of the conflicts now, those that
    /// names seen by then already made (names only gain orders over time).
    /// `since` is the latest placement of the orders then: the restated
    /// view's, else the row's now.
    pub async fn conflicts_as_of(
        &self,
        as_of: i64,
        restated: &Restated,
    ) -> Result<Vec<Conflict>, StoreError> {
        let rows = self
            .client
            .query(
                "SELECT a.scope, a.alias, array_agg(DISTINCT a.order_key ORDER BY a.order_key)
                 FROM ledger_aliases a JOIN ledger_events e USING (event_id)
                 JOIN ledger_conflicts c ON c.scope = a.scope AND c.alias = a.alias
                 WHERE e.seen_at <= to_timestamp($1)
                 GROUP BY 1, 2 HAVING count(DISTINCT a.order_key) > 1 ORDER BY 1, 2",
                &[&seconds(as_of)],
            )
            .await
            .map_err(q("reading conflicts as of then"))?;
        let keys: Vec<String> = rows
            .iter()
            .flat_map(|r| r.get::<_, Vec<String>>(2))
            .collect();
        let mut placed: BTreeMap<String, i64> = self
            .client
            .query(
                "SELECT order_key, COALESCE(placed_ms, 0) FROM ledger_orders WHERE order_key = ANY($1)",
                &[&keys],
            )
            .await
            .map_err(q("reading placement times"))?
            .into_iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        for k in &restated.keys {
            placed.remove(k);
        }
        for o in &restated.orders {
            placed.insert(o.order_key.clone(), o.ordered_at.unwrap_or(0));
        }
        Ok(rows
            .into_iter()
            .map(|r| {
                let orders: Vec<String> = r.get(2);
                Conflict {
                    since: orders
                        .iter()
                        .filter_map(|o| placed.get(o).copied())
                        .max()
                        .unwrap_or(0),
                    scope: r.get(0),
                    alias: r.get(1),
                    orders,
                }
            })
            .collect())
    }
}

/// What a half folds: views, events of no order, the events read.
type Half = (Vec<OrderView>, Vec<Event>, BTreeSet<String>);

/// One half of a restatement: the orders of `rows` (their events seen by
/// then, but those re-resolved: `early` has those), folded; their views,
/// the events of keys no order document made, and the events read.
fn fold_half(
    rows: Vec<tokio_postgres::Row>,
    mut early: BTreeMap<String, Vec<(Event, Portion)>>,
    restated: &BTreeSet<String>,
) -> Result<Half, StoreError> {
    let mut scope = BTreeSet::new();
    for r in &rows {
        let e = decode_text(r.get(3))?;
        if restated.contains(e.event_id.as_str()) {
            continue;
        }
        scope.insert(e.event_id.clone());
        early.entry(r.get(0)).or_default().push((e, portion(r)));
    }
    let (orders, unplaced) = ledger::fold_each(
        early
            .iter()
            .map(|(k, evs)| (k.as_str(), evs.iter().map(|(e, p)| (e, p)).collect())),
    );
    Ok((orders, unplaced, scope))
}
