//! Writing the derived rows from order views, and every read: the
//! snapshot, events as of a time, one order by any alias, order lists,
//! and a sorted dump of every table (for tests and support).

use serde::Serialize;
use serde_json::Value;

use super::{decode, q, seconds, Store, StoreError};
use crate::ledger::facts::Event;
use crate::ledger::fold::{OrderLine, OrderView};
use crate::ledger::{Conflict, Snapshot};

/// What is written for one order: its view and, beside the view's own
/// fields, `edi_open` (its open EDI exchanges).
#[derive(Debug, Serialize)]
pub(super) struct Written<'a> {
    #[serde(flatten)]
    pub view: &'a OrderView,
    pub edi_open: usize,
}

/// `$1`: [`Written`] order views as jsonb (ms times, decimal strings): the
/// order rows and their line rows, in one statement.
pub(super) const INSERT_ORDERS_AND_LINES: &str = "
WITH o AS (INSERT INTO ledger_orders
SELECT v->>'order_key', v->>'channel', v->>'partner', v->>'currency', v->>'order_id',
       v->>'order_number', v->>'po_number', v->>'status', (v->>'placeholder')::boolean,
       to_timestamp((v->>'ordered_at')::float8 / 1000),
       to_timestamp((v->>'requested_ship_at')::float8 / 1000),
       to_timestamp((v->>'cancelled_at')::float8 / 1000),
       to_timestamp((v->>'acknowledged_at')::float8 / 1000),
       to_timestamp((v->>'first_shipped_at')::float8 / 1000),
       to_timestamp((v->>'delivered_at')::float8 / 1000),
       to_timestamp((v->>'billed_at')::float8 / 1000),
       to_timestamp((v->>'paid_at')::float8 / 1000),
       to_timestamp((v->>'booked_at')::float8 / 1000),
       v->>'erp_ref',
       (v->>'original_total')::numeric, (v->>'revised_total')::numeric,
       (v->>'shipped_units')::numeric, (v->>'shipped_value')::numeric,
       (v->>'billed_value')::numeric, (v->>'paid_value')::numeric,
       (v->>'returned_value')::numeric, (v->>'credited_value')::numeric,
       jsonb_array_length(v->'issues'), (v->>'events')::integer,
       v - 'lines' - 'edi_open',
       to_timestamp((v->>'seen_at')::float8 / 1000),
       (v#>>'{fill,units_original}')::numeric, (v#>>'{fill,units_filled_original}')::numeric,
       (v#>>'{fill,lines_original}')::integer, (v#>>'{fill,lines_filled_original}')::integer,
       (v#>>'{fill,units_revised}')::numeric, (v#>>'{fill,units_filled_revised}')::numeric,
       (v#>>'{fill,lines_revised}')::integer, (v#>>'{fill,lines_filled_revised}')::integer,
       t.placed, (t.ack - t.placed) / 1000, (t.ship - t.placed) / 1000, (t.billed - t.placed) / 1000,
       (t.seen - t.placed) / 1000, (t.booked - t.seen) / 1000,
       t.ship < t.req - ((t.req % 86400000) + 86400000) % 86400000 + 86400000,
       (v->>'edi_open')::integer
FROM unnest($1::jsonb[]) AS v,
     LATERAL (SELECT (v->>'ordered_at')::bigint AS placed, (v->>'acknowledged_at')::bigint AS ack,
                     (v->>'first_shipped_at')::bigint AS ship, (v->>'billed_at')::bigint AS billed,
                     (v->>'seen_at')::bigint AS seen, (v->>'booked_at')::bigint AS booked,
                     (v->>'requested_ship_at')::bigint AS req) AS t)
INSERT INTO ledger_order_lines
SELECT v->>'order_key', l->>'line_key', l->>'sku', l->>'gtin',
       (l->>'ordered_original')::numeric, (l->>'ordered_revised')::numeric,
       (l->>'unit_price')::numeric, (l->>'shipped')::numeric,
       (l->>'invoiced')::numeric, (l->>'returned')::numeric
FROM unnest($1::jsonb[]) AS v, jsonb_array_elements(v->'lines') AS l";

/// The orders an exception can be open for (a superset of what
/// `exceptions::open` raises at any time): an issue, or a live order not
/// acknowledged, not billed, or not shipped in full.
const MAY_BE_OPEN: &str = "WHERE open_issues > 0 OR edi_open > 0 OR (cancelled_at IS NULL AND (
    acknowledged_at IS NULL OR billed_at IS NULL OR lines_revised IS NULL
    OR lines_revised = 0 OR lines_filled_revised IS DISTINCT FROM lines_revised))";

/// Filters of the order list; every one optional.
#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    /// Channel.
    pub channel: Option<String>,
    /// Derived status.
    pub status: Option<String>,
    /// Placed at or after (ms).
    pub from: Option<i64>,
    /// Placed before (ms).
    pub to: Option<i64>,
    /// At most this many (default 100, at most 1000).
    pub limit: Option<i64>,
}

/// One event on an order's timeline.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TimelineEntry {
    /// Event id.
    pub event_id: String,
    /// Document kind (`order`, `shipment`, …).
    pub doc: String,
    /// Message kind.
    pub kind: String,
    /// The document's id.
    pub doc_id: String,
    /// Channel.
    pub channel: String,
    /// Business time (ms).
    pub at: Option<i64>,
    /// Seen by weft (ms).
    pub seen_at: i64,
    /// Status fact, if any.
    pub status: Option<String>,
    /// Amount, as a decimal string.
    pub amount: Option<String>,
}

/// One order with its lines and timeline.
#[derive(Debug, Clone, Serialize)]
pub struct OrderDetail {
    /// The derived order.
    pub order: OrderView,
    /// Every name it is known by: `(scope, alias)`.
    pub aliases: Vec<(String, String)>,
    /// Its events, by business time then id.
    pub timeline: Vec<TimelineEntry>,
}

fn view(v: Value) -> Result<OrderView, StoreError> {
    serde_json::from_value(v).map_err(|source| StoreError::Decode {
        what: "order",
        source,
    })
}

impl Store {
    /// Orders placed per channel and day (days since the epoch, UTC).
    pub async fn orders_per_day(&self) -> Result<Vec<(String, i64, i64)>, StoreError> {
        Ok(self
            .client
            .query(
                "SELECT channel, floor(extract(epoch FROM ordered_at) / 86400)::bigint, count(*)
                 FROM ledger_orders WHERE ordered_at IS NOT NULL GROUP BY 1, 2",
                &[],
            )
            .await
            .map_err(q("counting orders per day"))?
            .into_iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect())
    }

    /// How many orders per channel and status.
    pub async fn orders_by_status(&self) -> Result<Vec<(String, String, u64)>, StoreError> {
        Ok(self
            .client
            .query(
                "SELECT channel, status, count(*) FROM ledger_orders GROUP BY 1, 2 ORDER BY 1, 2",
                &[],
            )
            .await
            .map_err(q("counting orders by status"))?
            .into_iter()
            .map(|r| (r.get(0), r.get(1), r.get::<_, i64>(2).max(0) as u64))
            .collect())
    }

    /// Every order view now (without lines), by key; with `open_only`,
    /// only the orders that may have an open exception.
    pub async fn order_views(&self, open_only: bool) -> Result<Vec<OrderView>, StoreError> {
        let sql = format!(
            "SELECT view FROM ledger_orders {} ORDER BY order_key",
            if open_only { MAY_BE_OPEN } else { "" }
        );
        self.client
            .query(&sql, &[])
            .await
            .map_err(q("reading orders"))?
            .into_iter()
            .map(|r| view(r.get(0)))
            .collect()
    }

    /// The derived state now, from the derived tables (order lines are not
    /// loaded: reports and exceptions do not need them).
    pub async fn snapshot(&self) -> Result<Snapshot, StoreError> {
        self.snapshot_of(false).await
    }

    /// Like [`Store::snapshot`], with only the orders that may have an
    /// open exception: what an exception list needs, without reading the
    /// orders that are complete (acknowledged, billed, shipped in full, no
    /// issue) or cancelled without an issue.
    pub async fn open_snapshot(&self) -> Result<Snapshot, StoreError> {
        self.snapshot_of(true).await
    }

    async fn snapshot_of(&self, open_only: bool) -> Result<Snapshot, StoreError> {
        let c = &self.client;
        let orders = self.order_views(open_only).await?;
        let orphans = c
            .query("SELECT facts FROM ledger_orphans ORDER BY event_id", &[])
            .await
            .map_err(q("reading orphans"))?
            .into_iter()
            .map(|r| decode(r.get(0)))
            .collect::<Result<Vec<_>, _>>()?;
        let conflicts = c
            .query(
                "SELECT c.scope, c.alias, c.orders,
                        COALESCE((SELECT max((extract(epoch FROM o.ordered_at) * 1000)::bigint)
                                  FROM ledger_orders o WHERE o.order_key = ANY(c.orders)), 0)
                 FROM ledger_conflicts c ORDER BY 1, 2",
                &[],
            )
            .await
            .map_err(q("reading conflicts"))?
            .into_iter()
            .map(|r| Conflict {
                scope: r.get(0),
                alias: r.get(1),
                orders: r.get(2),
                since: r.get(3),
            })
            .collect();
        Ok(Snapshot {
            orders,
            orphans,
            conflicts,
        })
    }

    /// How many events are stored.
    pub async fn count_events(&self) -> Result<i64, StoreError> {
        Ok(self
            .client
            .query_one("SELECT count(*) FROM ledger_events", &[])
            .await
            .map_err(q("counting events"))?
            .get(0))
    }

    /// Every event seen by `as_of` (ms), or all.
    pub async fn events(&self, as_of: Option<i64>) -> Result<Vec<Event>, StoreError> {
        let limit = as_of.map(seconds).unwrap_or(f64::INFINITY);
        self.client
            .query(
                "SELECT facts FROM ledger_events WHERE seen_at <= to_timestamp($1) ORDER BY event_id",
                &[&limit],
            )
            .await
            .map_err(q("reading events"))?
            .into_iter()
            .map(|r| decode(r.get(0)))
            .collect()
    }

    /// Events seen after `after` (ms): what arrived late since a report.
    pub async fn events_after(&self, after: i64) -> Result<Vec<Event>, StoreError> {
        self.client
            .query(
                "SELECT facts FROM ledger_events WHERE seen_at > to_timestamp($1) ORDER BY event_id",
                &[&seconds(after)],
            )
            .await
            .map_err(q("reading events"))?
            .into_iter()
            .map(|r| decode(r.get(0)))
            .collect()
    }

    /// The order keys `id` names: an order key, or any alias in any scope.
    pub async fn find(&self, id: &str) -> Result<Vec<String>, StoreError> {
        Ok(self
            .client
            .query(
                "SELECT DISTINCT a.order_key FROM ledger_aliases a
                 JOIN ledger_orders o USING (order_key) WHERE a.alias = $1 ORDER BY 1",
                &[&id],
            )
            .await
            .map_err(q("finding an order"))?
            .into_iter()
            .map(|r| r.get(0))
            .collect())
    }

    /// One order, its aliases, lines and timeline.
    pub async fn order(&self, key: &str) -> Result<Option<OrderDetail>, StoreError> {
        let c = &self.client;
        let Some(row) = c
            .query_opt(
                "SELECT view FROM ledger_orders WHERE order_key = $1",
                &[&key],
            )
            .await
            .map_err(q("reading an order"))?
        else {
            return Ok(None);
        };
        let mut order = view(row.get(0))?;
        order.lines = c
            .query(
                "SELECT line_key, sku, gtin, ordered_original, ordered_revised, unit_price,
                        shipped, invoiced, returned
                 FROM ledger_order_lines WHERE order_key = $1 ORDER BY line_key",
                &[&key],
            )
            .await
            .map_err(q("reading order lines"))?
            .into_iter()
            .map(|r| OrderLine {
                line_key: r.get(0),
                sku: r.get(1),
                gtin: r.get(2),
                ordered_original: r.get(3),
                ordered_revised: r.get(4),
                unit_price: r.get(5),
                shipped: r.get(6),
                invoiced: r.get(7),
                returned: r.get(8),
            })
            .collect();
        let aliases = c
            .query(
                "SELECT DISTINCT scope, alias FROM ledger_aliases WHERE order_key = $1 ORDER BY 1, 2",
                &[&key],
            )
            .await
            .map_err(q("reading aliases"))?
            .into_iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        let mut timeline: Vec<TimelineEntry> = c
            .query(
                "SELECT e.facts FROM ledger_event_orders eo JOIN ledger_events e USING (event_id)
                 WHERE eo.order_key = $1",
                &[&key],
            )
            .await
            .map_err(q("reading the timeline"))?
            .into_iter()
            .map(|r| decode(r.get(0)))
            .collect::<Result<Vec<Event>, _>>()?
            .into_iter()
            .map(|e| TimelineEntry {
                doc: e.doc.as_str().to_string(),
                at: e.at,
                seen_at: e.seen_at,
                status: e.status,
                amount: e.amount.map(|a| a.to_string()),
                event_id: e.event_id,
                kind: e.kind,
                doc_id: e.doc_id,
                channel: e.channel,
            })
            .collect();
        timeline.sort_by(|a, b| {
            (a.at.unwrap_or(i64::MIN), &a.event_id).cmp(&(b.at.unwrap_or(i64::MIN), &b.event_id))
        });
        Ok(Some(OrderDetail {
            order,
            aliases,
            timeline,
        }))
    }

    /// Orders matching `f`, newest placement first.
    pub async fn orders(&self, f: &OrderFilter) -> Result<Vec<OrderView>, StoreError> {
        let from = f.from.map(seconds);
        let to = f.to.map(seconds);
        let limit = f.limit.unwrap_or(100).clamp(1, 1000);
        self.client
            .query(
                "SELECT view FROM ledger_orders
                 WHERE ($1::text IS NULL OR channel = $1) AND ($2::text IS NULL OR status = $2)
                   AND ($3::float8 IS NULL OR ordered_at >= to_timestamp($3))
                   AND ($4::float8 IS NULL OR ordered_at < to_timestamp($4))
                 ORDER BY ordered_at DESC NULLS LAST, order_key LIMIT $5",
                &[&f.channel, &f.status, &from, &to, &limit],
            )
            .await
            .map_err(q("listing orders"))?
            .into_iter()
            .map(|r| view(r.get(0)))
            .collect()
    }

    /// Every documented table and view as sorted JSON lines, leaving out
    /// the columns named in `skip` (arrival times differ between runs).
    pub async fn dump(&self, skip: &[&str]) -> Result<String, StoreError> {
        let mut out = String::new();
        // The duration counts of measures 3 and 4 (placed → seen, seen →
        // booked) depend on arrival times: left out like `seen_at`.
        for (t, only) in [
            ("ledger_events", ""),
            ("ledger_refs", ""),
            ("ledger_aliases", ""),
            ("ledger_event_orders", ""),
            ("ledger_orders", ""),
            ("ledger_order_lines", ""),
            ("ledger_orphans", ""),
            ("ledger_conflicts", ""),
            ("ledger_report_days", ""),
            ("ledger_report_spans", " WHERE measure < 3"),
        ] {
            let sql = format!(
                "SELECT ((to_jsonb(t) - $1::text[]) #- '{{facts,seen_at}}' #- '{{view,seen_at}}')::text FROM {t} t{only} ORDER BY 1"
            );
            let skip: Vec<String> = skip.iter().map(|s| s.to_string()).collect();
            for r in self
                .client
                .query(&sql, &[&skip])
                .await
                .map_err(q("dumping a table"))?
            {
                out.push_str(t);
                out.push(' ');
                out.push_str(r.get::<_, &str>(0));
                out.push('\n');
            }
        }
        Ok(out)
    }
}
