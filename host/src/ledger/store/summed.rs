//! The channel report summed in PostgreSQL: the same [`RowSums`]
//! `report::sums` adds up in memory, from the day rows of
//! `ledger_report_days` (and the orders of the days a period cuts), so the
//! report never loads an order. Percentiles: the database returns each
//! row's durations (precomputed columns of the order rows) as arrays,
//! sorted in memory.
//! Equality of the two paths is tested on the multi-channel day.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::report_days::{self, DAY_MS, NO_DAY};
use super::{q, Store, StoreError};
use crate::ledger::report::{self, ChannelReport, FillSums, Period, RowSums, Sums};

/// Which orders: placed in the period (`$1`, `$2`), and none of `$3`.
const WHERE: &str = "WHERE (($1::bigint IS NULL AND $2::bigint IS NULL)
            OR (placed_ms IS NOT NULL AND ($1::bigint IS NULL OR placed_ms >= $1)
                AND ($2::bigint IS NULL OR placed_ms < $2)))";

/// Whether a period is given at all.
const GIVEN: &str = "NOT ($1::bigint IS NULL AND $2::bigint IS NULL)";

/// Whether all of `day` lies in the period.
fn whole(day: &str) -> String {
    format!(
        "($1::bigint IS NULL OR {day} * {DAY_MS} >= $1) AND ($2::bigint IS NULL OR ({day} + 1) * {DAY_MS} <= $2)"
    )
}

/// The rows to add up from a per-day table and its per-order view, each
/// row with its sign: the day rows wholly inside the period, the orders of
/// the days it cuts, and (as of a past time) minus the excluded orders.
/// `day_cols` are read from the table; `order_cols(sign)` from the view.
fn parts(
    table: &str,
    day_cols: &str,
    view: &str,
    order_cols: impl Fn(i32) -> String,
    excluding: bool,
) -> String {
    let whole = whole("day");
    let mut parts = format!(
        "SELECT {day_cols} FROM {table}
         WHERE NOT {GIVEN} OR (day <> {NO_DAY} AND {whole})
         UNION ALL
         SELECT {} FROM {view}
         WHERE {GIVEN} AND placed_ms IS NOT NULL AND ($1::bigint IS NULL OR placed_ms >= $1)
           AND ($2::bigint IS NULL OR placed_ms < $2) AND NOT ({whole})",
        order_cols(1),
    );
    if excluding {
        parts.push_str(&format!(
            "\n UNION ALL SELECT {} FROM {view} {WHERE} AND order_key = ANY($3)",
            order_cols(-1)
        ));
    }
    parts
}

/// The sums of the report's rows (see [`parts`]).
fn sums_sql(excluding: bool) -> String {
    let names = report_days::names();
    let parts = parts(
        "ledger_report_days",
        &format!("channel, currency, partner, 1 AS sign, {names}"),
        "ledger_order_sums",
        |sign| format!("channel, currency, partner, {sign}, {names}"),
        excluding,
    );
    format!(
        "WITH parts AS ({parts}),
         p AS (SELECT channel, currency, partner, {} FROM parts GROUP BY 1, 2, 3)
         SELECT channel, NULLIF(currency, ''), min(NULLIF(partner, '')) FILTER (WHERE orders > 0), {}
         FROM p GROUP BY channel, currency HAVING sum(orders) > 0",
        report_days::each(|n, _| format!("sum(sign * {n}) AS {n}")),
        report_days::each(|n, ty| format!("sum({n})::{ty}")),
    )
}

/// The durations as counts per (row, measure, seconds), signed (see
/// [`parts`]); added up in memory: faster than the database's hash
/// aggregate.
fn durations_sql(excluding: bool) -> String {
    let parts = parts(
        "ledger_report_spans",
        "channel, currency, measure, seconds, n",
        "ledger_order_spans",
        |sign| format!("channel, currency, measure, seconds, {sign}"),
        excluding,
    );
    format!("SELECT channel, NULLIF(currency, ''), measure, seconds, n FROM ({parts}) AS p")
}

impl Store {
    /// The channel report now, summed by the database.
    pub async fn channel_report(&self, period: Period) -> Result<Vec<ChannelReport>, StoreError> {
        Ok(report::finish_all(self.report_sums(period, &[]).await?))
    }

    /// The sums of the report's rows over the derived orders placed in
    /// `period`, leaving out the orders `excluded` names.
    pub async fn report_sums(
        &self,
        period: Period,
        excluded: &[String],
    ) -> Result<Sums, StoreError> {
        self.report_sums_on(&self.side, period, excluded).await
    }

    /// [`Store::report_sums`] with the durations read on `second` (the
    /// side connection, or the main one when the side is busy).
    pub(super) async fn report_sums_on(
        &self,
        second: &tokio_postgres::Client,
        period: Period,
        excluded: &[String],
    ) -> Result<Sums, StoreError> {
        let excluding = !excluded.is_empty();
        let (sums, spans) = (sums_sql(excluding), durations_sql(excluding));
        let mut params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
            vec![&period.from, &period.to];
        if excluding {
            params.push(&excluded);
        }
        let (rows, per_row) = tokio::try_join!(
            self.client.query(&sums, &params),
            second.query(&spans, &params),
        )
        .map_err(q("summing the channel report"))?;
        let mut out = Sums::new();
        for r in &rows {
            out.insert((r.get(0), r.get(1)), row(r));
        }
        // Count per (row, measure, seconds), then each value that often.
        let mut counts: HashMap<(&str, Option<&str>, i16), HashMap<i64, i64>> = HashMap::new();
        for r in &per_row {
            *counts
                .entry((r.get(0), r.get(1), r.get(2)))
                .or_default()
                .entry(r.get(3))
                .or_default() += r.get::<_, i64>(4);
        }
        for ((channel, currency, measure), values) in counts {
            let key = (channel.to_string(), currency.map(String::from));
            let slot = usize::try_from(measure).unwrap_or(usize::MAX);
            if let Some(v) = out.get_mut(&key).and_then(|s| s.durations.get_mut(slot)) {
                for (seconds, n) in values {
                    v.extend(std::iter::repeat_n(
                        seconds,
                        usize::try_from(n).unwrap_or(0),
                    ));
                }
            }
        }
        Ok(out)
    }
}

fn row(r: &tokio_postgres::Row) -> RowSums {
    let n = |i: usize| r.get::<_, i64>(i).max(0) as u64;
    let d = |i: usize| r.get::<_, Decimal>(i);
    let fill = |i: usize| FillSums {
        units: [d(i), d(i + 1)],
        lines: [n(i + 2), n(i + 3)],
        orders: [n(i + 4), n(i + 5)],
    };
    RowSums {
        partner: r.get(2),
        orders: n(3),
        gross: d(4),
        cancelled: n(5),
        cancelled_value: d(6),
        original: fill(7),
        revised: fill(13),
        money: [d(19), d(20), d(21), d(22), d(23), d(24)],
        on_time: [n(25), n(26)],
        durations: Default::default(),
    }
}
