//! The channel report summed in PostgreSQL over the derived orders: the
//! same [`RowSums`] `report::sums` adds up in memory, from the typed
//! columns each order row carries (durations and on-time precomputed when
//! the row is written), so the report never loads an order. Percentiles:
//! the database returns each row's durations as arrays, sorted in memory.
//! Equality of the two paths is tested on the multi-channel day.

use rust_decimal::Decimal;

use super::{q, Store, StoreError};
use crate::ledger::report::{self, ChannelReport, FillSums, Period, RowSums, Sums};

/// Which orders: placed in the period (`$1`, `$2`), and none of `$3`.
const WHERE: &str = "WHERE (($1::bigint IS NULL AND $2::bigint IS NULL)
            OR (placed_ms IS NOT NULL AND ($1::bigint IS NULL OR placed_ms >= $1)
                AND ($2::bigint IS NULL OR placed_ms < $2)))";

fn sums_sql(excluding: bool) -> String {
    let fill = |u: &str, uf: &str, l: &str, lf: &str| {
        format!(
            "COALESCE(sum({uf}) FILTER (WHERE NOT c), 0), COALESCE(sum({u}) FILTER (WHERE NOT c), 0),
             COALESCE(sum({lf}) FILTER (WHERE NOT c), 0)::bigint, COALESCE(sum({l}) FILTER (WHERE NOT c), 0)::bigint,
             count(*) FILTER (WHERE NOT c AND {l} > 0 AND {lf} = {l}), count(*) FILTER (WHERE NOT c AND {l} > 0)"
        )
    };
    let money = [
        "shipped_units",
        "shipped_value",
        "billed_value",
        "paid_value",
        "returned_value",
        "credited_value",
    ]
    .map(|m| format!("COALESCE(sum({m}), 0)"))
    .join(", ");
    format!(
        "WITH o AS (SELECT *, cancelled_at IS NOT NULL AS c,
                      COALESCE(revised_total, original_total, 0) AS total
                    FROM ledger_orders {WHERE}{})
         SELECT channel, currency, min(partner), count(*), COALESCE(sum(total), 0),
           count(*) FILTER (WHERE c), COALESCE(sum(total) FILTER (WHERE c), 0),
           {}, {}, {money}, count(on_time), count(*) FILTER (WHERE on_time)
         FROM o GROUP BY channel, currency",
        exclusion(excluding),
        fill(
            "units_original",
            "units_filled_original",
            "lines_original",
            "lines_filled_original"
        ),
        fill(
            "units_revised",
            "units_filled_revised",
            "lines_revised",
            "lines_filled_revised"
        ),
    )
}

fn durations_sql(excluding: bool) -> String {
    let arrays = ["ack_s", "ship_s", "bill_s", "seen_s", "book_s"]
        .map(|d| format!("array_agg({d}) FILTER (WHERE {d} IS NOT NULL)"))
        .join(", ");
    format!(
        "SELECT channel, currency, {arrays} FROM ledger_orders {WHERE}{} GROUP BY channel, currency",
        exclusion(excluding)
    )
}

fn exclusion(excluding: bool) -> &'static str {
    if excluding {
        " AND NOT EXISTS (SELECT 1 FROM unnest($3::text[]) AS x(k) WHERE x.k = order_key)"
    } else {
        ""
    }
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
        let excluding = !excluded.is_empty();
        let (sums, spans) = (sums_sql(excluding), durations_sql(excluding));
        let mut params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
            vec![&period.from, &period.to];
        if excluding {
            params.push(&excluded);
        }
        let (rows, per_row) = tokio::try_join!(
            self.client.query(&sums, &params),
            self.side.query(&spans, &params),
        )
        .map_err(q("summing the channel report"))?;
        let mut out = Sums::new();
        for r in &rows {
            out.insert((r.get(0), r.get(1)), row(r));
        }
        for r in &per_row {
            if let Some(s) = out.get_mut(&(r.get(0), r.get(1))) {
                for (i, v) in s.durations.iter_mut().enumerate() {
                    *v = r.get::<_, Option<Vec<i64>>>(i + 2).unwrap_or_default();
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
