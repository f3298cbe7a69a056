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

/// The sums: the day rows wholly inside the period, the orders of the days
/// it cuts, and (as of a past time) minus the excluded orders.
fn sums_sql(excluding: bool) -> String {
    let names = report_days::names("");
    let mut parts = format!(
        "SELECT channel, currency, partner, 1 AS sign, {names} FROM ledger_report_days
         WHERE NOT {GIVEN} OR (day <> {NO_DAY} AND {})
         UNION ALL
         SELECT channel, currency, partner, 1, {names} FROM ledger_order_sums
         WHERE {GIVEN} AND placed_ms IS NOT NULL AND ($1::bigint IS NULL OR placed_ms >= $1)
           AND ($2::bigint IS NULL OR placed_ms < $2) AND NOT ({})",
        whole("day"),
        whole("day"),
    );
    if excluding {
        parts.push_str(&format!(
            "\n UNION ALL SELECT channel, currency, partner, -1, {names} FROM ledger_order_sums
             {WHERE} AND order_key = ANY($3)"
        ));
    }
    format!(
        "WITH parts AS ({parts}),
         p AS (SELECT channel, currency, partner, {} FROM parts GROUP BY 1, 2, 3)
         SELECT channel, NULLIF(currency, ''), min(NULLIF(partner, '')) FILTER (WHERE orders > 0), {}
         FROM p GROUP BY channel, currency HAVING sum(orders) > 0",
        report_days::each(|n, _| format!("sum(sign * {n}) AS {n}")),
        report_days::each(|n, ty| format!("sum({n})::{ty}")),
    )
}

/// The durations as counts per (row, measure, seconds): the counts of the
/// days wholly inside the period, the orders of the days it cuts, minus
/// the excluded orders'.
fn durations_sql(excluding: bool) -> String {
    let mut parts = format!(
        "SELECT channel, currency, measure, seconds, n FROM ledger_report_spans
         WHERE NOT {GIVEN} OR (day <> {NO_DAY} AND {})
         UNION ALL
         SELECT channel, currency, measure, seconds, 1 FROM ledger_order_spans
         WHERE {GIVEN} AND placed_ms IS NOT NULL AND ($1::bigint IS NULL OR placed_ms >= $1)
           AND ($2::bigint IS NULL OR placed_ms < $2) AND NOT ({})",
        whole("day"),
        whole("day"),
    );
    if excluding {
        parts.push_str(&format!(
            "\n UNION ALL SELECT channel, currency, measure, seconds, -1 FROM ledger_order_spans
             {WHERE} AND order_key = ANY($3)"
        ));
    }
    // Added up in memory: faster than the database's hash aggregate.
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
