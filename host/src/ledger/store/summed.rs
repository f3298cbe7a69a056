//! The channel report summed in PostgreSQL over the derived orders: the
//! same sums, counts and nearest-rank percentiles `report::channels`
//! computes in memory (the as-of path), so the current report does not load
//! every order (percentiles: the database returns each order's durations,
//! sorted in memory). The ratios and net sales are computed in one place,
//! [`report::finish`]. Equality of the two paths is tested on the
//! multi-channel day (`as_of` then = now then).

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::{q, Store, StoreError};
use crate::ledger::report::{self, ChannelReport, Durations, FillSums, Period};

const DURATIONS: [&str; 5] = [
    "ack - placed",
    "ship - placed",
    "billed - placed",
    "seen - placed",
    "booked - seen",
];

/// The orders of the report as `o` (ms times), filtered by the period (`$1`, `$2`).
const ORDERS: &str = "WITH o AS (
           SELECT channel, partner, currency,
             (extract(epoch FROM ordered_at) * 1000)::bigint AS placed,
             (extract(epoch FROM requested_ship_at) * 1000)::bigint AS req,
             cancelled_at IS NOT NULL AS cancelled,
             (extract(epoch FROM acknowledged_at) * 1000)::bigint AS ack,
             (extract(epoch FROM first_shipped_at) * 1000)::bigint AS ship,
             (extract(epoch FROM billed_at) * 1000)::bigint AS billed,
             (extract(epoch FROM booked_at) * 1000)::bigint AS booked,
             COALESCE((extract(epoch FROM seen_at) * 1000)::bigint, 0) AS seen,
             COALESCE(revised_total, original_total, 0) AS total,
             shipped_units, shipped_value, billed_value, paid_value, returned_value, credited_value,
             COALESCE(units_original, 0) AS uo, COALESCE(units_filled_original, 0) AS ufo,
             COALESCE(lines_original, 0) AS lo, COALESCE(lines_filled_original, 0) AS lfo,
             COALESCE(units_revised, 0) AS ur, COALESCE(units_filled_revised, 0) AS ufr,
             COALESCE(lines_revised, 0) AS lr, COALESCE(lines_filled_revised, 0) AS lfr
           FROM ledger_orders)";

const IN_PERIOD: &str = "WHERE ($1::bigint IS NULL AND $2::bigint IS NULL)
            OR (placed IS NOT NULL AND ($1::bigint IS NULL OR placed >= $1) AND ($2::bigint IS NULL OR placed < $2))";

/// Each order's durations (seconds), for the percentiles, which sort in
/// memory faster than in five ordered aggregates.
fn durations_sql() -> String {
    let cols: Vec<String> = DURATIONS.iter().map(|d| format!("({d}) / 1000")).collect();
    format!(
        "{ORDERS} SELECT channel, currency, {} FROM o {IN_PERIOD}",
        cols.join(", ")
    )
}

fn sql() -> String {
    let fill = |u: &str, uf: &str, l: &str, lf: &str| {
        format!(
            "COALESCE(sum({uf}) FILTER (WHERE NOT cancelled), 0), COALESCE(sum({u}) FILTER (WHERE NOT cancelled), 0),
             COALESCE(sum({lf}) FILTER (WHERE NOT cancelled), 0)::bigint, COALESCE(sum({l}) FILTER (WHERE NOT cancelled), 0)::bigint,
             count(*) FILTER (WHERE NOT cancelled AND {l} > 0 AND {lf} = {l}), count(*) FILTER (WHERE NOT cancelled AND {l} > 0)"
        )
    };
    format!(
        "{ORDERS}
         SELECT channel, currency, min(partner), count(*), COALESCE(sum(total), 0),
           count(*) FILTER (WHERE cancelled), COALESCE(sum(total) FILTER (WHERE cancelled), 0),
           {}, {},
           COALESCE(sum(shipped_units), 0), COALESCE(sum(shipped_value), 0), COALESCE(sum(billed_value), 0),
           COALESCE(sum(paid_value), 0), COALESCE(sum(returned_value), 0), COALESCE(sum(credited_value), 0),
           count(*) FILTER (WHERE req IS NOT NULL AND ship IS NOT NULL),
           count(*) FILTER (WHERE req IS NOT NULL AND ship IS NOT NULL
                            AND ship < req - ((req % 86400000) + 86400000) % 86400000 + 86400000)
         FROM o {IN_PERIOD}
         GROUP BY channel, currency",
        fill("uo", "ufo", "lo", "lfo"),
        fill("ur", "ufr", "lr", "lfr"),
    )
}

impl Store {
    /// The channel report now, summed by the database.
    pub async fn channel_report(&self, period: Period) -> Result<Vec<ChannelReport>, StoreError> {
        let params: [&(dyn tokio_postgres::types::ToSql + Sync); 2] = [&period.from, &period.to];
        let (sums, spans_sql) = (sql(), durations_sql());
        let (rows, per_order) = tokio::try_join!(
            self.client.query(&sums, &params),
            self.client.query(&spans_sql, &params),
        )
        .map_err(q("summing the channel report"))?;
        let mut spans: BTreeMap<(String, Option<String>), [Vec<i64>; 5]> = BTreeMap::new();
        for r in &per_order {
            let slot = spans.entry((r.get(0), r.get(1))).or_default();
            for (i, v) in slot.iter_mut().enumerate() {
                if let Some(s) = r.get::<_, Option<i64>>(i + 2) {
                    v.push(s);
                }
            }
        }
        let mut out: Vec<ChannelReport> = rows
            .iter()
            .map(|r| {
                let key = (r.get(0), r.get(1));
                row(r, spans.remove(&key).unwrap_or_default())
            })
            .collect();
        out.sort_by(|a, b| (&a.channel, &a.currency).cmp(&(&b.channel, &b.currency)));
        Ok(out)
    }
}

fn row(r: &tokio_postgres::Row, spans: [Vec<i64>; 5]) -> ChannelReport {
    let n = |i: usize| r.get::<_, i64>(i).max(0) as u64;
    let d = |i: usize| r.get::<_, Decimal>(i);
    let fill = |i: usize| FillSums {
        units: [d(i), d(i + 1)],
        lines: [n(i + 2), n(i + 3)],
        orders: [n(i + 4), n(i + 5)],
    };
    let [ack, ship, inv, seen, booked] = spans.map(Durations::of);
    let mut c = ChannelReport {
        channel: r.get(0),
        currency: r.get(1),
        partner: r.get(2),
        orders: n(3),
        gross: d(4),
        cancelled: n(5),
        cancelled_value: d(6),
        shipped_units: d(19),
        shipped_value: d(20),
        invoiced_value: d(21),
        paid_value: d(22),
        returned_value: d(23),
        credited_value: d(24),
        time_to_acknowledge: ack,
        time_to_ship: ship,
        time_to_invoice: inv,
        lag: report::Lag {
            placed_to_seen: seen,
            seen_to_booked: booked,
        },
        ..Default::default()
    };
    c.on_time_shipment.eligible = n(25);
    c.on_time_shipment.on_time = n(26);
    report::finish(&mut c, &fill(7), &fill(13));
    c
}
