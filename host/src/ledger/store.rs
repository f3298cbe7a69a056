//! The ledger in PostgreSQL: events and aliases as stored facts, orders
//! and lines as derived tables rewritten from the events of each order a
//! batch touches. Applying a batch is one transaction; inserting an event
//! that is already stored changes nothing, so a batch applied twice (a
//! crash between commit and XACK) equals one applied once.

mod as_of;
mod read;
mod report_days;
mod summed;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use tokio_postgres::types::Json;
use tokio_postgres::{Client, NoTls};

use super::facts::Event;
use super::identity::{self, AliasIndex, Portion};

pub use as_of::Restated;
pub use read::{OrderDetail, OrderFilter, TimelineEntry};

/// A ledger storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A worker thread of a computation ended abnormally.
    #[error("ledger: a worker ended abnormally: {0}")]
    Worker(String),
    /// Could not connect.
    #[error("cannot connect to the ledger database: {0}")]
    Connect(#[source] tokio_postgres::Error),
    /// A statement failed.
    #[error("ledger database: {what}: {source}")]
    Query {
        /// Which step.
        what: &'static str,
        /// The driver's error.
        #[source]
        source: tokio_postgres::Error,
    },
    /// A stored row did not decode.
    #[error("ledger database: a stored {what} does not decode: {source}")]
    Decode {
        /// Which kind of row.
        what: &'static str,
        /// Why.
        #[source]
        source: serde_json::Error,
    },
}

fn q(what: &'static str) -> impl FnOnce(tokio_postgres::Error) -> StoreError {
    move |source| StoreError::Query { what, source }
}

const SCHEMA: &str = include_str!("store/schema.sql");
/// Serialises writers (several hosts may run the ledger consumer).
const WRITE_LOCK: i64 = 0x7765_6674_6c65_6467; // "weftledg"

/// A connection to the ledger database (two, in fact: reads that split
/// in two run side by side, one on each).
pub struct Store {
    client: Client,
    /// The second connection: the report's durations next to its sums,
    /// an as-of restatement's events next to the sums of the rest.
    side: Client,
    links: BTreeMap<String, Vec<String>>,
}

async fn open(url: &str) -> Result<Client, StoreError> {
    let (client, conn) = tokio_postgres::connect(url, NoTls)
        .await
        .map_err(StoreError::Connect)?;
    tokio::spawn(async move {
        if let Err(e) = conn.await {
            tracing::warn!("ledger database connection ended: {e}");
        }
    });
    Ok(client)
}

/// A transaction holding the ledger's write lock.
async fn write_transaction(
    client: &mut Client,
) -> Result<tokio_postgres::Transaction<'_>, StoreError> {
    let tx = client
        .transaction()
        .await
        .map_err(q("starting a transaction"))?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
        .await
        .map_err(q("taking the write lock"))?;
    Ok(tx)
}

/// What applying a batch did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Applied {
    /// Events stored for the first time.
    pub new: usize,
    /// Events already stored (duplicates, replays).
    pub known: usize,
    /// Orders rewritten.
    pub orders: usize,
}

impl Store {
    /// Connects to `url` and brings the schema up to date.
    pub async fn connect(
        url: &str,
        links: BTreeMap<String, Vec<String>>,
    ) -> Result<Store, StoreError> {
        let mut client = open(url).await?;
        client
            .batch_execute(SCHEMA)
            .await
            .map_err(q("migrating the schema"))?;
        report_days::ensure(&mut client).await?;
        let side = open(url).await?;
        Ok(Store {
            client,
            side,
            links,
        })
    }

    /// Whether a connection is closed (the server went away).
    pub fn is_closed(&self) -> bool {
        self.client.is_closed() || self.side.is_closed()
    }

    /// Stores `events` (read from `stream`) and rewrites every order they
    /// touch, in one transaction.
    pub async fn apply(&mut self, events: &[Event], stream: &str) -> Result<Applied, StoreError> {
        let tx = write_transaction(&mut self.client).await?;
        // Every statement of a batch looks rows up by lists of keys. On a
        // table that grows quickly (a first load, a replay) the planner's
        // statistics lag behind, and it chose whole-table scans and hash
        // joins (seen with auto_explain: `ledger_events` scanned in full for
        // each batch, so each batch cost more than the last); index lookups
        // are right whatever the table size.
        tx.batch_execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_hashjoin = off")
            .await
            .map_err(q("choosing index lookups"))?;
        let new = insert_events(&tx, events, stream).await?;
        let fresh: Vec<&Event> = events
            .iter()
            .filter(|e| new.contains(e.event_id.as_str()))
            .collect();
        let mut seen = BTreeSet::new();
        let fresh: Vec<&Event> = fresh
            .into_iter()
            .filter(|e| seen.insert(e.event_id.as_str()))
            .collect();
        insert_names(&tx, &fresh).await?;
        let orders = if fresh.is_empty() {
            0
        } else {
            reresolve(&tx, &fresh, &self.links).await?
        };
        tx.commit().await.map_err(q("committing"))?;
        Ok(Applied {
            new: fresh.len(),
            known: events.len() - fresh.len(),
            orders,
        })
    }
}

async fn insert_events(
    tx: &tokio_postgres::Transaction<'_>,
    events: &[Event],
    stream: &str,
) -> Result<BTreeSet<String>, StoreError> {
    if events.is_empty() {
        return Ok(BTreeSet::new());
    }
    let mut cols: [Vec<String>; 6] = Default::default();
    let (mut at, mut seen, mut facts) = (Vec::new(), Vec::new(), Vec::new());
    for e in events {
        for (c, v) in cols.iter_mut().zip([
            &e.event_id,
            &e.doc.as_str().to_string(),
            &e.kind,
            &e.doc_id,
            &e.channel,
            &e.correlation_id,
        ]) {
            c.push(v.clone());
        }
        at.push(e.at.map(seconds));
        seen.push(seconds(e.seen_at));
        facts.push(Json(e));
    }
    let rows = tx
        .query(
            "INSERT INTO ledger_events (event_id, doc, kind, doc_id, channel, correlation_id,
                 business_at, seen_at, stream, facts)
             SELECT i, d, k, di, c, co, to_timestamp(a), to_timestamp(s), $9, f
             FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                         $6::text[], $7::float8[], $8::float8[], $10::jsonb[])
                  AS t(i, d, k, di, c, co, a, s, f)
             ON CONFLICT (event_id) DO NOTHING RETURNING event_id",
            &[
                &cols[0], &cols[1], &cols[2], &cols[3], &cols[4], &cols[5], &at, &seen, &stream,
                &facts,
            ],
        )
        .await
        .map_err(q("storing events"))?;
    Ok(rows.iter().map(|r| r.get::<_, String>(0)).collect())
}

async fn insert_names(
    tx: &tokio_postgres::Transaction<'_>,
    fresh: &[&Event],
) -> Result<(), StoreError> {
    let (mut r_ref, mut r_scope, mut r_event) = (Vec::new(), Vec::new(), Vec::new());
    let (mut a_alias, mut a_scope, mut a_key, mut a_event) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for e in fresh {
        for r in &e.refs {
            r_ref.push(r.clone());
            r_scope.push(identity::ref_scope(e).to_string());
            r_event.push(e.event_id.clone());
        }
        for (scope, alias, key) in identity::aliases_of(e) {
            a_alias.push(alias);
            a_scope.push(scope);
            a_key.push(key);
            a_event.push(e.event_id.clone());
        }
    }
    tx.execute(
        "INSERT INTO ledger_refs SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[])
         ON CONFLICT DO NOTHING",
        &[&r_ref, &r_scope, &r_event],
    )
    .await
    .map_err(q("storing references"))?;
    tx.execute(
        "INSERT INTO ledger_aliases SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[])
         ON CONFLICT DO NOTHING",
        &[&a_alias, &a_scope, &a_key, &a_event],
    )
    .await
    .map_err(q("storing aliases"))?;
    Ok(())
}

fn decode(v: Value) -> Result<Event, StoreError> {
    serde_json::from_value(v).map_err(|source| StoreError::Decode {
        what: "event",
        source,
    })
}

/// Milliseconds as the seconds `to_timestamp` takes: every time written or
/// compared goes through this one conversion, so a seen time and an as-of
/// cut of the same millisecond compare equal.
fn seconds(ms: i64) -> f64 {
    ms as f64 / 1000.0
}

/// An event's share of an order from a `ledger_event_orders` row read as
/// `(order_key, is_primary, lines, …)`.
fn portion(r: &tokio_postgres::Row) -> Portion {
    let lines: Vec<i32> = r.get(2);
    Portion {
        primary: r.get(1),
        lines: lines.into_iter().map(|i| i as usize).collect(),
    }
}

/// An event from its stored facts as text (`facts::text`): faster than
/// through a JSON value when many are read.
fn decode_text(t: &str) -> Result<Event, StoreError> {
    serde_json::from_str(t).map_err(|source| StoreError::Decode {
        what: "event",
        source,
    })
}

/// Resolves again every event the new ones may change the order of, and
/// rewrites the orders whose event set changed. Returns how many.
async fn reresolve(
    tx: &tokio_postgres::Transaction<'_>,
    fresh: &[&Event],
    links: &BTreeMap<String, Vec<String>>,
) -> Result<usize, StoreError> {
    let ids: Vec<String> = fresh.iter().map(|e| e.event_id.clone()).collect();
    let names: Vec<String> = fresh
        .iter()
        .flat_map(|e| identity::aliases_of(e).into_iter().map(|(_, a, _)| a))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    // The new events (in hand), and stored ones referring to a new name or
    // whose correlation id a new order makes known.
    let rows = tx
        .query(
            "SELECT facts FROM ledger_events WHERE event_id IN (
                 SELECT event_id FROM ledger_refs WHERE ref = ANY($2)
                 UNION SELECT event_id FROM ledger_events WHERE correlation_id = ANY($2))
             AND event_id <> ALL($1)",
            &[&ids, &names],
        )
        .await
        .map_err(q("finding events to resolve"))?;
    let mut events: Vec<Event> = fresh.iter().map(|e| (*e).clone()).collect();
    for r in rows {
        events.push(decode(r.get(0))?);
    }
    let lookups: Vec<String> = events
        .iter()
        .flat_map(|e| {
            e.refs
                .iter()
                .cloned()
                .chain(e.lines.iter().filter_map(|l| l.order_ref.clone()))
                .chain(std::iter::once(e.correlation_id.clone()))
                .chain(identity::aliases_of(e).into_iter().map(|(_, a, _)| a))
        })
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut index = AliasIndex::new(links.clone());
    for r in tx
        .query(
            "SELECT DISTINCT scope, alias, order_key FROM ledger_aliases WHERE alias = ANY($1)",
            &[&lookups],
        )
        .await
        .map_err(q("reading aliases"))?
    {
        index.add(r.get(0), r.get(1), r.get(2));
    }
    let event_ids: Vec<String> = events.iter().map(|e| e.event_id.clone()).collect();
    let mut touched: BTreeSet<String> = tx
        .query(
            "DELETE FROM ledger_event_orders WHERE event_id = ANY($1) RETURNING order_key",
            &[&event_ids],
        )
        .await
        .map_err(q("clearing resolutions"))?
        .into_iter()
        .map(|r| r.get(0))
        .collect();
    let (mut k, mut ev, mut pri, mut lines) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut seen = Vec::new();
    for e in &events {
        for (key, p) in index.resolve(e).orders {
            touched.insert(key.clone());
            k.push(key);
            ev.push(e.event_id.clone());
            pri.push(p.primary);
            seen.push(seconds(e.seen_at));
            lines.push(
                serde_json::to_value(p.lines.iter().map(|i| *i as i32).collect::<Vec<_>>())
                    .unwrap_or(Value::Null),
            );
        }
    }
    tx.execute(
        "INSERT INTO ledger_event_orders
         SELECT k, e, p, ARRAY(SELECT jsonb_array_elements_text(l)::int), to_timestamp(s)
         FROM UNNEST($1::text[], $2::text[], $3::bool[], $4::jsonb[], $5::float8[]) AS t(k, e, p, l, s)",
        &[&k, &ev, &pri, &lines, &seen],
    )
    .await
    .map_err(q("storing resolutions"))?;
    let touched: Vec<String> = touched.into_iter().collect();
    rewrite_orders(tx, &touched, &events).await?;
    Ok(touched.len())
}

/// Folds each of `keys` from its stored events and rewrites its rows; the
/// events of `in_hand` are not read back.
async fn rewrite_orders(
    tx: &tokio_postgres::Transaction<'_>,
    keys: &[String],
    in_hand: &[Event],
) -> Result<(), StoreError> {
    let hand: BTreeMap<&str, &Event> = in_hand.iter().map(|e| (e.event_id.as_str(), e)).collect();
    let ids: Vec<&str> = hand.keys().copied().collect();
    let rows = tx
        .query(
            "SELECT eo.order_key, eo.is_primary, eo.lines, eo.event_id, e.facts::text
             FROM ledger_event_orders eo
             LEFT JOIN ledger_events e ON e.event_id = eo.event_id AND eo.event_id <> ALL($2)
             WHERE eo.order_key = ANY($1)",
            &[&keys, &ids],
        )
        .await
        .map_err(q("reading the events of orders"))?;
    // Stored events decoded once; the rest are the ones in hand.
    let mut stored: Vec<Event> = Vec::new();
    let mut shares: Vec<(String, Result<&Event, usize>, Portion)> = Vec::new();
    for r in &rows {
        let event = match r.get::<_, Option<&str>>(4) {
            Some(t) => {
                stored.push(decode_text(t)?);
                Err(stored.len() - 1)
            }
            None => match hand.get(r.get::<_, &str>(3)) {
                Some(e) => Ok(*e),
                None => continue,
            },
        };
        shares.push((r.get(0), event, portion(r)));
    }
    let mut by_key: BTreeMap<&str, Vec<(&Event, &Portion)>> = BTreeMap::new();
    for (k, e, p) in &shares {
        let e = match e {
            Ok(e) => *e,
            Err(i) => &stored[*i],
        };
        by_key.entry(k.as_str()).or_default().push((e, p));
    }
    // Keys no order document made have no row (their events are orphans).
    let (views, _) = super::fold_each(by_key);
    let emptied = report_days::take(tx, keys).await?;
    tx.execute(
        "WITH o AS (DELETE FROM ledger_orders WHERE order_key = ANY($1))
         DELETE FROM ledger_order_lines WHERE order_key = ANY($1)",
        &[&keys],
    )
    .await
    .map_err(q("clearing orders"))?;
    // Each view with its open EDI exchanges, serialised straight into the
    // statement (no JSON value in between).
    let docs: Vec<Json<read::Written>> = views
        .iter()
        .map(|v| {
            Json(read::Written {
                view: v,
                edi_open: v.edi.iter().filter(|x| x.is_open()).count(),
            })
        })
        .collect();
    tx.execute(read::INSERT_ORDERS_AND_LINES, &[&docs])
        .await
        .map_err(q("writing orders"))?;
    report_days::add(tx, keys, emptied).await?;
    Ok(())
}
