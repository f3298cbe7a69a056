//! `ledger_report_days`: the channel report's sums per channel, currency,
//! trading partner and UTC day of placement, kept exact by statement
//! triggers on `ledger_orders` (each write of order rows takes what the old
//! rows contributed from their days and adds what the new rows contribute,
//! in the writer's own transaction). A derived table like `ledger_orders`:
//! always the sum of the view `ledger_order_sums` over its days, rebuilt
//! when its definition (the SQL this module generates) changes. The report
//! sums these rows for the whole days of its period and reads orders only
//! on the days a period cuts.
//!
//! One list, [`COLUMNS`], defines every figure: the table, the view, the
//! triggers and the report's query are generated from it.

use tokio_postgres::Client;

use super::{q, StoreError, WRITE_LOCK};

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

fn figures() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    COLUMNS.into_iter()
}

/// The names of the figures, comma-separated, each as `{prefix}name`.
pub(super) fn names(prefix: &str) -> String {
    figures()
        .map(|(n, _, _)| format!("{prefix}{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `f(name, type)` of every figure, comma-separated.
pub(super) fn each(f: impl Fn(&str, &str) -> String) -> String {
    figures()
        .map(|(n, ty, _)| f(n, ty))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What each row of `from` contributes: the day key, the order's key and
/// placement time (for filters), and every figure.
fn contributions(from: &str) -> String {
    let figures = figures()
        .map(|(n, ty, e)| format!("({e})::{ty} AS {n}"))
        .collect::<Vec<_>>()
        .join(",\n       ");
    format!(
        "SELECT o.order_key, o.placed_ms, o.channel, COALESCE(o.currency, '') AS currency,
       COALESCE(o.partner, '') AS partner,
       COALESCE(floor(o.placed_ms::numeric / {DAY_MS})::bigint, {NO_DAY}) AS day,
       {figures}
FROM {from} AS o,
     LATERAL (SELECT o.cancelled_at IS NOT NULL AS c,
                     COALESCE(o.revised_total, o.original_total, 0) AS total) AS t"
    )
}

/// Adds the rows of `from` (sign 1) to their days or takes them away
/// (sign -1); a day left without orders is removed.
fn apply(from: &str, sign: i32) -> String {
    let sums = each(|n, ty| format!("({sign} * sum(s.{n}))::{ty}"));
    let set = each(|n, _| format!("{n} = d.{n} + EXCLUDED.{n}"));
    let mut sql = format!(
        "INSERT INTO ledger_report_days AS d
SELECT s.channel, s.currency, s.partner, s.day, {sums}
FROM ({}) AS s GROUP BY 1, 2, 3, 4
ON CONFLICT (channel, currency, partner, day) DO UPDATE SET {set};\n",
        contributions(from)
    );
    if sign < 0 {
        sql.push_str(&format!(
            "DELETE FROM ledger_report_days AS d
USING (SELECT DISTINCT s.channel, s.currency, s.partner, s.day FROM ({}) AS s) AS k
WHERE d.orders = 0 AND (d.channel, d.currency, d.partner, d.day) = (k.channel, k.currency, k.partner, k.day);\n",
            contributions(from)
        ));
    }
    sql
}

/// The whole definition: run (under the ledger's write lock) whenever its
/// digest differs from the one `ledger_meta` records.
pub(super) fn definition() -> String {
    let columns = each(|n, ty| format!("{n} {ty} NOT NULL"));
    format!(
        "DROP TABLE IF EXISTS ledger_report_days CASCADE;
DROP VIEW IF EXISTS ledger_order_sums;
CREATE TABLE ledger_report_days (
    channel text NOT NULL, currency text NOT NULL, partner text NOT NULL, day bigint NOT NULL,
    {columns},
    PRIMARY KEY (channel, currency, partner, day)
);
CREATE VIEW ledger_order_sums AS {view};
CREATE OR REPLACE FUNCTION ledger_report_days_trigger() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM ledger_report_days;
  ELSIF TG_OP = 'INSERT' THEN
    {insert}
  ELSIF TG_OP = 'DELETE' THEN
    {delete}
  ELSE
    {update_old}
    {update_new}
  END IF;
  RETURN NULL;
END $body$;
DROP TRIGGER IF EXISTS ledger_report_days_insert ON ledger_orders;
CREATE TRIGGER ledger_report_days_insert AFTER INSERT ON ledger_orders
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_report_days_trigger();
DROP TRIGGER IF EXISTS ledger_report_days_update ON ledger_orders;
CREATE TRIGGER ledger_report_days_update AFTER UPDATE ON ledger_orders
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_report_days_trigger();
DROP TRIGGER IF EXISTS ledger_report_days_delete ON ledger_orders;
CREATE TRIGGER ledger_report_days_delete AFTER DELETE ON ledger_orders
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_report_days_trigger();
DROP TRIGGER IF EXISTS ledger_report_days_truncate ON ledger_orders;
CREATE TRIGGER ledger_report_days_truncate AFTER TRUNCATE ON ledger_orders
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_report_days_trigger();
{rebuild}",
        view = contributions("ledger_orders"),
        insert = apply("new_rows", 1),
        delete = apply("old_rows", -1),
        update_old = apply("old_rows", -1),
        update_new = apply("new_rows", 1),
        rebuild = apply("ledger_orders", 1),
    )
}

/// Brings `ledger_report_days` to the current definition: when the digest
/// `ledger_meta` records differs, the table, its view and its triggers are
/// recreated and the table rebuilt from the orders, under the write lock,
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
    let tx = client
        .transaction()
        .await
        .map_err(q("starting a transaction"))?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
        .await
        .map_err(q("taking the write lock"))?;
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
