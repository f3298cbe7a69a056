//! The channel report: per channel (trading partner for EDI) and currency,
//! over the orders placed in a period, every figure `docs/reports.md`
//! defines. A pure function of the order views.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::fold::OrderView;

/// Which orders a report covers: placed in `[from, to)` (ms), either bound open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// Earliest `ordered_at` included (ms).
    pub from: Option<i64>,
    /// First `ordered_at` no longer included (ms).
    pub to: Option<i64>,
}

impl Period {
    /// Whether an order placed at `at` falls in the period (an order with
    /// no placement time falls in an unbounded period only).
    pub fn contains(&self, at: Option<i64>) -> bool {
        match at {
            Some(t) => self.from.is_none_or(|f| t >= f) && self.to.is_none_or(|e| t < e),
            None => self.from.is_none() && self.to.is_none(),
        }
    }
}

/// Median and 95th percentile (nearest rank) of durations, in seconds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Durations {
    /// How many orders had both times.
    pub count: u64,
    /// Median, seconds.
    pub median_s: Option<i64>,
    /// 95th percentile, seconds.
    pub p95_s: Option<i64>,
}

impl Durations {
    /// Count, median and 95th percentile (nearest rank) of `v`.
    pub fn of(mut v: Vec<i64>) -> Durations {
        v.sort_unstable();
        let rank = |p: u64| -> Option<i64> {
            let n = v.len() as u64;
            (n > 0).then(|| v[((n * p).div_ceil(100)).max(1) as usize - 1])
        };
        Durations {
            count: v.len() as u64,
            median_s: rank(50),
            p95_s: rank(95),
        }
    }
}

/// A ratio as a decimal string with 4 places, or null when the denominator is 0.
fn ratio(num: Decimal, den: Decimal) -> Option<Decimal> {
    (den > Decimal::ZERO).then(|| (num / den).round_dp(4))
}

/// Fill rates against the original and the revised order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FillRates {
    /// Units: Σ min(shipped, ordered) / Σ ordered.
    #[schema(value_type = Option<String>)]
    pub units: Option<Decimal>,
    /// Lines shipped in full / lines.
    #[schema(value_type = Option<String>)]
    pub lines: Option<Decimal>,
    /// Orders shipped in full / orders.
    #[schema(value_type = Option<String>)]
    pub orders: Option<Decimal>,
}

/// On-time shipment against the requested ship date.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OnTime {
    /// Orders shipped that had a requested ship date.
    pub eligible: u64,
    /// Of those, first shipped by the end of that day.
    pub on_time: u64,
    /// on_time / eligible.
    #[schema(value_type = Option<String>)]
    pub rate: Option<Decimal>,
}

/// Integration lag: business time → seen by weft → booked in the ERP.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Lag {
    /// Order placed → its first document seen by weft.
    pub placed_to_seen: Durations,
    /// Seen by weft → booked in the ERP.
    pub seen_to_booked: Durations,
}

/// One channel's (and currency's) figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ChannelReport {
    /// Channel (`shopify`, `x12:ACME`, …).
    pub channel: String,
    /// Trading partner, for EDI channels.
    pub partner: Option<String>,
    /// Currency of every money figure of this row.
    pub currency: Option<String>,
    /// Orders placed in the period.
    pub orders: u64,
    /// Σ order totals (latest revision), cancelled orders included.
    #[schema(value_type = String)]
    pub gross: Decimal,
    /// Orders cancelled.
    pub cancelled: u64,
    /// Σ totals of cancelled orders.
    #[schema(value_type = String)]
    pub cancelled_value: Decimal,
    /// Fill rates against the original order (cancelled orders excluded).
    pub fill_original: FillRates,
    /// Fill rates against the latest revision (cancelled orders excluded).
    pub fill_revised: FillRates,
    /// Units shipped.
    #[schema(value_type = String)]
    pub shipped_units: Decimal,
    /// Value shipped (units × order unit price).
    #[schema(value_type = String)]
    pub shipped_value: Decimal,
    /// Billed: invoices, or for orders without invoices their payments.
    #[schema(value_type = String)]
    pub invoiced_value: Decimal,
    /// Payments received.
    #[schema(value_type = String)]
    pub paid_value: Decimal,
    /// Money refunded for returned goods.
    #[schema(value_type = String)]
    pub returned_value: Decimal,
    /// Money credited without returned goods.
    #[schema(value_type = String)]
    pub credited_value: Decimal,
    /// invoiced − returned − credited.
    #[schema(value_type = String)]
    pub net_sales: Decimal,
    /// Placed → first acknowledgement.
    pub time_to_acknowledge: Durations,
    /// Placed → first shipment.
    pub time_to_ship: Durations,
    /// Placed → billed.
    pub time_to_invoice: Durations,
    /// On-time shipment.
    pub on_time_shipment: OnTime,
    /// Integration lag.
    pub lag: Lag,
}

/// The report over `orders` placed in `period`, one row per (channel,
/// currency), sorted by channel then currency.
pub fn channels<'a>(
    orders: impl IntoIterator<Item = &'a OrderView>,
    period: Period,
) -> Vec<ChannelReport> {
    finish_all(sums(orders, period))
}

/// Each (channel, currency) row's sums over `orders` placed in `period`.
pub fn sums<'a>(orders: impl IntoIterator<Item = &'a OrderView>, period: Period) -> Sums {
    let mut groups = Sums::new();
    for o in orders.into_iter().filter(|o| period.contains(o.ordered_at)) {
        groups
            .entry((o.channel.clone(), o.currency.clone()))
            .or_default()
            .add(o);
    }
    groups
}

/// The rows of `sums` with their ratios, sorted by channel then currency.
pub fn finish_all(sums: Sums) -> Vec<ChannelReport> {
    sums.into_iter()
        .map(|((channel, currency), s)| s.finish(channel, currency))
        .collect()
}

/// Rows' sums by (channel, currency).
pub type Sums = BTreeMap<(String, Option<String>), RowSums>;

/// Fill numerators and denominators of a group: `[filled, of]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FillSums {
    /// Σ min(shipped, ordered), Σ ordered.
    pub units: [Decimal; 2],
    /// Lines shipped in full, lines.
    pub lines: [u64; 2],
    /// Orders shipped in full, orders with lines.
    pub orders: [u64; 2],
}

impl FillSums {
    fn rates(&self) -> FillRates {
        let d = |n: u64| Decimal::from(n);
        FillRates {
            units: ratio(self.units[0], self.units[1]),
            lines: ratio(d(self.lines[0]), d(self.lines[1])),
            orders: ratio(d(self.orders[0]), d(self.orders[1])),
        }
    }

    fn merge(&mut self, o: &FillSums) {
        for i in 0..2 {
            self.units[i] += o.units[i];
            self.lines[i] += o.lines[i];
            self.orders[i] += o.orders[i];
        }
    }
}

/// One row's sums, counts and durations before its ratios: what summing
/// in memory and summing in SQL both produce, and what merges (the as-of
/// report adds restated orders to the database's sums of the rest).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowSums {
    /// The least trading partner of the row's orders.
    pub partner: Option<String>,
    /// Orders.
    pub orders: u64,
    /// Σ totals.
    pub gross: Decimal,
    /// Cancelled orders.
    pub cancelled: u64,
    /// Σ totals of cancelled orders.
    pub cancelled_value: Decimal,
    /// Fill sums against the original order.
    pub original: FillSums,
    /// Fill sums against the latest revision.
    pub revised: FillSums,
    /// `[shipped units, shipped value, billed, paid, returned, credited]`.
    pub money: [Decimal; 6],
    /// Orders with a requested ship date and a shipment; of them on time.
    pub on_time: [u64; 2],
    /// Seconds: placed → acknowledged, → shipped, → billed, → seen; seen → booked.
    pub durations: [Vec<i64>; 5],
}

impl RowSums {
    /// Adds one order.
    pub fn add(&mut self, o: &OrderView) {
        self.take_partner(o.partner.as_deref());
        self.orders += 1;
        let total = o.revised_total.or(o.original_total).unwrap_or_default();
        self.gross += total;
        if o.cancelled_at.is_some() {
            self.cancelled += 1;
            self.cancelled_value += total;
        } else {
            let f = &o.fill;
            let (fo, fr) = (&mut self.original, &mut self.revised);
            fo.units[0] += f.units_filled_original;
            fo.units[1] += f.units_original;
            fr.units[0] += f.units_filled_revised;
            fr.units[1] += f.units_revised;
            fo.lines[0] += u64::from(f.lines_filled_original);
            fo.lines[1] += u64::from(f.lines_original);
            fr.lines[0] += u64::from(f.lines_filled_revised);
            fr.lines[1] += u64::from(f.lines_revised);
            if f.lines_original > 0 {
                fo.orders[0] += u64::from(f.order_filled_original());
                fo.orders[1] += 1;
            }
            if f.lines_revised > 0 {
                fr.orders[0] += u64::from(f.order_filled_revised());
                fr.orders[1] += 1;
            }
        }
        let add = [
            o.shipped_units,
            o.shipped_value,
            o.billed_value,
            o.paid_value,
            o.returned_value,
            o.credited_value,
        ];
        for (m, a) in self.money.iter_mut().zip(add) {
            *m += a;
        }
        for (v, d) in self.durations.iter_mut().zip(durations(o)) {
            v.extend(d);
        }
        if let Some(on_time) = on_time(o) {
            self.on_time[0] += 1;
            self.on_time[1] += u64::from(on_time);
        }
    }

    fn take_partner(&mut self, p: Option<&str>) {
        if let Some(p) = p {
            if self.partner.as_deref().is_none_or(|q| p < q) {
                self.partner = Some(p.to_string());
            }
        }
    }

    /// Adds another row's sums.
    pub fn merge(&mut self, o: RowSums) {
        self.take_partner(o.partner.as_deref());
        self.orders += o.orders;
        self.gross += o.gross;
        self.cancelled += o.cancelled;
        self.cancelled_value += o.cancelled_value;
        self.original.merge(&o.original);
        self.revised.merge(&o.revised);
        for (m, a) in self.money.iter_mut().zip(o.money) {
            *m += a;
        }
        for i in 0..2 {
            self.on_time[i] += o.on_time[i];
        }
        for (v, d) in self.durations.iter_mut().zip(o.durations) {
            v.extend(d);
        }
    }

    /// The row with its ratios, net sales and percentiles.
    pub fn finish(self, channel: String, currency: Option<String>) -> ChannelReport {
        let [ack, ship, inv, seen, booked] = self.durations.map(Durations::of);
        let [shipped_units, shipped_value, invoiced_value, paid_value, returned_value, credited_value] =
            self.money;
        let d = |n: u64| Decimal::from(n);
        ChannelReport {
            channel,
            partner: self.partner,
            currency,
            orders: self.orders,
            gross: self.gross,
            cancelled: self.cancelled,
            cancelled_value: self.cancelled_value,
            fill_original: self.original.rates(),
            fill_revised: self.revised.rates(),
            shipped_units,
            shipped_value,
            invoiced_value,
            paid_value,
            returned_value,
            credited_value,
            net_sales: invoiced_value - returned_value - credited_value,
            time_to_acknowledge: ack,
            time_to_ship: ship,
            time_to_invoice: inv,
            on_time_shipment: OnTime {
                eligible: self.on_time[0],
                on_time: self.on_time[1],
                rate: ratio(d(self.on_time[1]), d(self.on_time[0])),
            },
            lag: Lag {
                placed_to_seen: seen,
                seen_to_booked: booked,
            },
        }
    }
}

/// An order's durations in whole seconds (truncated), as the derived
/// table stores them: placed → acknowledged, → first shipped, → billed,
/// → seen by weft; seen → booked in the ERP.
pub fn durations(o: &OrderView) -> [Option<i64>; 5] {
    let since = |a: Option<i64>, b: Option<i64>| -> Option<i64> { Some((b? - a?) / 1000) };
    [
        since(o.ordered_at, o.acknowledged_at),
        since(o.ordered_at, o.first_shipped_at),
        since(o.ordered_at, o.billed_at),
        since(o.ordered_at, Some(o.seen_at)),
        since(Some(o.seen_at), o.booked_at),
    ]
}

/// Whether the order first shipped by the end (UTC) of its requested ship
/// day; `None` without both times.
pub fn on_time(o: &OrderView) -> Option<bool> {
    let (req, first) = (o.requested_ship_at?, o.first_shipped_at?);
    let day_end = req - req.rem_euclid(86_400_000) + 86_400_000;
    Some(first < day_end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let d = Durations::of((1..=20).collect());
        assert_eq!((d.count, d.median_s, d.p95_s), (20, Some(10), Some(19)));
        let one = Durations::of(vec![7]);
        assert_eq!((one.median_s, one.p95_s), (Some(7), Some(7)));
        assert_eq!(Durations::of(vec![]).median_s, None);
    }

    #[test]
    fn periods_are_half_open() {
        let p = Period {
            from: Some(10),
            to: Some(20),
        };
        assert!(p.contains(Some(10)) && !p.contains(Some(20)) && !p.contains(None));
        assert!(Period::default().contains(None));
    }
}
