//! `ledger_report_days`: the channel report's sums per channel, currency,
//! trading partner and UTC day of placement, kept exact in the transaction
//! that rewrites order rows (what the old rows contributed is taken from
//! their days before, what the new rows contribute added after: [`take`],
//! [`add`]). A derived table like `ledger_orders`: always the sum of the
//! view `ledger_order_sums` over its days, rebuilt when its definition
//! (the SQL this module generates) changes. The report
//! sums these rows for the whole days of its period and reads orders only
//! on the days a period cuts.
//!
//! One list, [`COLUMNS`], defines every figure: the table, the view, its
//! upkeep and the report's query are generated from it.

use tokio_postgres::{Client, Transaction};

use super::{q, write_transaction, StoreError};

/// A day row's figures: name, SQL type, and what one order row `o`
/// contributes (`t.c`: cancelled, `t.total`: revised total, else original).
/// Fill figures of cancelled orders count nothing, as in
/// `report::RowSums::add`. The order is `summed::row`'s.
const COLUMNS: [(&str, &str, &str); 24] = [
    ("orders", "bigint", "1"),
    ("gross", "numeric", "t.total"),
    ("cancelled", "bigint", "t.c::int"),
    ("cancelled_value", "numeric", "CASE WHEN t.c THEN t.total ELSE 0 END"),
    ("units_filled_original", "numeric", "CASE WHEN t.c THEN 0 ELSE COALESCE(o.units_filled_original, 0) END"),
    ("units_original", "numeric", "CASE WHEN t.c THEN 0 ELSE COALESCE(o.units_original, 0) END"),
    ("lines_filled_original", "bigint", "CASE WHEN t.c THEN 0 ELSE COALESCE(o.lines_filled_original, 0) END"),
    ("lines_original", "bigint", "CASE WHEN t.c THEN 0 ELSE COALESCE(o.lines_original, 0) END"),
    ("orders_filled_original", "bigint", "(NOT t.c AND COALESCE(o.lines_original > 0 AND o.lines_filled_original = o.lines_original, false))::int"),
    ("orders_lined_original", "bigint", "(NOT t.c AND COALESCE(o.lines_original > 0, false))::int"),
    ("units_filled_revised", "numeric", "CASE WHEN t.c THEN 0 ELSE COALESCE(o.units_filled_revised, 0) END"),
    ("units_revised", "numeric", "CASE WHEN t.c THEN 0 ELSE COALESCE(o.units_revised, 0) END"),
    ("lines_filled_revised", "bigint", "CASE WHEN t.c THEN 0 ELSE COALESCE(o.lines_filled_revised, 0) END"),
    ("lines_revised", "bigint", "CASE WHEN t.c THEN 0 ELSE COALESCE(o.lines_revised, 0) END"),
    ("orders_filled_revised", "bigint", "(NOT t.c AND COALESCE(o.lines_revised > 0 AND o.lines_filled_revised = o.lines_revised, false))::int"),
    ("orders_lined_revised", "bigint", "(NOT t.c AND COALESCE(o.lines_revised > 0, false))::int"),
    ("shipped_units", "numeric", "o.shipped_units"),
    ("shipped_value", "numeric", "o.shipped_value"),
    ("billed_value", "numeric", "o.billed_value"),
    ("paid_value", "numeric", "o.paid_value"),
    ("returned_value", "numeric", "o.returned_value"),
    ("credited_value", "numeric", "o.credited_value"),
    ("on_time_eligible", "bigint", "(o.on_time IS NOT NULL)::int"),
    ("on_time", "bigint", "COALESCE(o.on_time, false)::int"),
];

/// The day of an order without a placement time.
pub(super) const NO_DAY: i64 = -2_147_483_648;
/// Milliseconds in a day.
pub(super) const DAY_MS: i64 = 86_400_000;

/// The names of the figures, comma-separated.
pub(super) fn names() -> String {
    COLUMNS
        .into_iter()
        .map(|(n, _, _)| n.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `f(name, type)` of every figure, comma-separated.
pub(super) fn each(f: impl Fn(&str, &str) -> String) -> String {
    COLUMNS
        .into_iter()
        .map(|(n, ty, _)| f(n, ty))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The day of order row `o`.
fn day() -> String {
    format!("COALESCE(floor(o.placed_ms::numeric / {DAY_MS})::bigint, {NO_DAY})")
}

/// The view `ledger_order_sums`: what each order row contributes, with
/// its day key, its key and placement time (for filters).
fn contributions() -> String {
    let figures = COLUMNS
        .into_iter()
        .map(|(n, ty, e)| format!("({e})::{ty} AS {n}"))
        .collect::<Vec<_>>()
        .join(",\n       ");
    let day = day();
    format!(
        "SELECT o.order_key, o.placed_ms, o.channel, COALESCE(o.currency, '') AS currency,
       COALESCE(o.partner, '') AS partner,
       {day} AS day,
       {figures}
FROM ledger_orders AS o,
     LATERAL (SELECT o.cancelled_at IS NOT NULL AS c,
                     COALESCE(o.revised_total, o.original_total, 0) AS total) AS t"
    )
}

/// Adds what the orders `$1` (an order key array) contribute to their days
/// (sign 1), or takes it away (sign -1), returning each day row touched
/// with its remaining order count.
fn apply(sign: i32) -> String {
    let sums = each(|n, ty| format!("({sign} * sum(s.{n}))::{ty}"));
    let set = each(|n, _| format!("{n} = d.{n} + EXCLUDED.{n}"));
    format!(
        "INSERT INTO ledger_report_days AS d
SELECT s.channel, s.currency, s.partner, s.day, {sums}
FROM ledger_order_sums AS s WHERE s.order_key = ANY($1) GROUP BY 1, 2, 3, 4
ON CONFLICT (channel, currency, partner, day) DO UPDATE SET {set}
RETURNING d.channel, d.currency, d.partner, d.day, d.orders"
    )
}

/// The whole definition: run (under the ledger's write lock) whenever its
/// digest differs from the one `ledger_meta` records. Triggers of an
/// earlier definition are dropped: transition tables copied every old
/// row's view out of TOAST, which cost more than the report saved.
pub(super) fn definition() -> String {
    let columns = each(|n, ty| format!("{n} {ty} NOT NULL"));
    let sums = each(|n, ty| format!("sum(s.{n})::{ty}"));
    format!(
        "DROP TABLE IF EXISTS ledger_report_spans;
DROP VIEW IF EXISTS ledger_order_spans;
DROP TRIGGER IF EXISTS ledger_report_days_insert ON ledger_orders;
DROP TRIGGER IF EXISTS ledger_report_days_update ON ledger_orders;
DROP TRIGGER IF EXISTS ledger_report_days_delete ON ledger_orders;
DROP TRIGGER IF EXISTS ledger_report_days_truncate ON ledger_orders;
DROP FUNCTION IF EXISTS ledger_report_days_trigger();
DROP TABLE IF EXISTS ledger_report_days CASCADE;
DROP VIEW IF EXISTS ledger_order_sums;
CREATE TABLE ledger_report_days (
    channel text NOT NULL, currency text NOT NULL, partner text NOT NULL, day bigint NOT NULL,
    {columns},
    PRIMARY KEY (channel, currency, partner, day)
);
CREATE VIEW ledger_order_sums AS {view};
INSERT INTO ledger_report_days
SELECT s.channel, s.currency, s.partner, s.day, {sums}
FROM ledger_order_sums AS s GROUP BY 1, 2, 3, 4;
DROP TABLE IF EXISTS ledger_report_spans;
DROP VIEW IF EXISTS ledger_order_spans;
CREATE TABLE ledger_report_spans (
    channel text NOT NULL, currency text NOT NULL, day bigint NOT NULL,
    measure smallint NOT NULL, seconds bigint NOT NULL, n bigint NOT NULL,
    PRIMARY KEY (channel, currency, day, measure, seconds)
);
CREATE VIEW ledger_order_spans AS
SELECT o.order_key, o.placed_ms, o.channel, COALESCE(o.currency, '') AS currency,
       {day} AS day, m.measure, m.seconds
FROM ledger_orders AS o,
     LATERAL (VALUES (0::smallint, o.ack_s), (1::smallint, o.ship_s), (2::smallint, o.bill_s),
                     (3::smallint, o.seen_s), (4::smallint, o.book_s)) AS m(measure, seconds)
WHERE m.seconds IS NOT NULL;
INSERT INTO ledger_report_spans
SELECT channel, currency, day, measure, seconds, count(*) FROM ledger_order_spans GROUP BY 1, 2, 3, 4, 5;",
        view = contributions(),
        day = day(),
    )
}

/// Adds the durations of the orders `$1` to their days' counts (sign 1)
/// or takes them away (sign -1), returning each count touched.
fn apply_spans(sign: i32) -> String {
    format!(
        "INSERT INTO ledger_report_spans AS d
SELECT channel, currency, day, measure, seconds, {sign} * count(*)
FROM ledger_order_spans WHERE order_key = ANY($1) GROUP BY 1, 2, 3, 4, 5
ON CONFLICT (channel, currency, day, measure, seconds) DO UPDATE SET n = d.n + EXCLUDED.n
RETURNING d.channel, d.currency, d.day, d.measure, d.seconds, d.n"
    )
}

/// What [`take`] may leave empty: day rows and duration counts, as the
/// columns of their keys.
#[derive(Debug, Default)]
pub(super) struct Emptied {
    days: (Vec<String>, Vec<String>, Vec<String>, Vec<i64>),
    spans: SpanKeys,
}

/// Keys of `ledger_report_spans` rows, column by column.
#[derive(Debug, Default)]
struct SpanKeys {
    channel: Vec<String>,
    currency: Vec<String>,
    day: Vec<i64>,
    measure: Vec<i16>,
    seconds: Vec<i64>,
}

/// Takes what the orders `keys` contribute away from their days (before
/// their rows are rewritten); the rows that might be left empty.
pub(super) async fn take(tx: &Transaction<'_>, keys: &[String]) -> Result<Emptied, StoreError> {
    let days = tx
        .query(&apply(-1), &[&keys])
        .await
        .map_err(q("taking orders from the report days"))?;
    let spans = tx
        .query(&apply_spans(-1), &[&keys])
        .await
        .map_err(q("taking orders' durations from the report days"))?;
    let mut out = Emptied::default();
    for r in days.iter().filter(|r| r.get::<_, i64>(4) == 0) {
        out.days.0.push(r.get(0));
        out.days.1.push(r.get(1));
        out.days.2.push(r.get(2));
        out.days.3.push(r.get(3));
    }
    for r in spans.iter().filter(|r| r.get::<_, i64>(5) == 0) {
        let k = &mut out.spans;
        k.channel.push(r.get(0));
        k.currency.push(r.get(1));
        k.day.push(r.get(2));
        k.measure.push(r.get(3));
        k.seconds.push(r.get(4));
    }
    Ok(out)
}

/// Adds what the orders `keys` contribute to their days (after their rows
/// are written), then removes the rows of `emptied` still empty.
pub(super) async fn add(
    tx: &Transaction<'_>,
    keys: &[String],
    emptied: Emptied,
) -> Result<(), StoreError> {
    tx.query(&apply(1), &[&keys])
        .await
        .map_err(q("adding orders to the report days"))?;
    tx.query(&apply_spans(1), &[&keys])
        .await
        .map_err(q("adding orders' durations to the report days"))?;
    let d = &emptied.days;
    if !d.0.is_empty() {
        tx.execute(
            "DELETE FROM ledger_report_days AS d
             USING unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS k(c, cur, p, day)
             WHERE d.orders = 0 AND (d.channel, d.currency, d.partner, d.day) = (k.c, k.cur, k.p, k.day)",
            &[&d.0, &d.1, &d.2, &d.3],
        )
        .await
        .map_err(q("removing empty report days"))?;
    }
    let k = &emptied.spans;
    if !k.channel.is_empty() {
        tx.execute(
            "DELETE FROM ledger_report_spans AS d
             USING unnest($1::text[], $2::text[], $3::bigint[], $4::smallint[], $5::bigint[]) AS k(c, cur, day, m, s)
             WHERE d.n = 0 AND (d.channel, d.currency, d.day, d.measure, d.seconds) = (k.c, k.cur, k.day, k.m, k.s)",
            &[&k.channel, &k.currency, &k.day, &k.measure, &k.seconds],
        )
        .await
        .map_err(q("removing empty duration counts"))?;
    }
    Ok(())
}

/// Brings `ledger_report_days` to the current definition: when the digest
/// `ledger_meta` records differs, the table and its view are recreated and the table rebuilt from the orders, under the write lock,
/// in one transaction.
pub(super) async fn ensure(client: &mut Client) -> Result<(), StoreError> {
    let sql = definition();
    let digest = crate::stamp::sha256_hex(sql.as_bytes());
    let current = client
        .query_opt(
            "SELECT value FROM ledger_meta WHERE key = 'ledger_report_days'",
            &[],
        )
        .await
        .map_err(q("reading the report days' version"))?
        .map(|r| r.get::<_, String>(0));
    if current.as_deref() == Some(digest.as_str()) {
        return Ok(());
    }
    let tx = write_transaction(client).await?;
    tx.batch_execute(&sql)
        .await
        .map_err(q("rebuilding the report days"))?;
    tx.execute(
        "INSERT INTO ledger_meta VALUES ('ledger_report_days', $1)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        &[&digest],
    )
    .await
    .map_err(q("recording the report days' version"))?;
    tx.commit().await.map_err(q("committing"))
}
