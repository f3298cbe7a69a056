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
pub fn channels(orders: &[OrderView], period: Period) -> Vec<ChannelReport> {
    let mut groups: BTreeMap<(String, Option<String>), Vec<&OrderView>> = BTreeMap::new();
    for o in orders.iter().filter(|o| period.contains(o.ordered_at)) {
        groups
            .entry((o.channel.clone(), o.currency.clone()))
            .or_default()
            .push(o);
    }
    groups
        .into_iter()
        .map(|((channel, currency), os)| row(channel, currency, &os))
        .collect()
}

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
}

/// The figures derived from a row's sums: fill rates, on-time rate, net
/// sales. One place for both ways a row is summed (in memory, in SQL).
pub fn finish(r: &mut ChannelReport, original: &FillSums, revised: &FillSums) {
    r.fill_original = original.rates();
    r.fill_revised = revised.rates();
    r.on_time_shipment.rate = ratio(
        Decimal::from(r.on_time_shipment.on_time),
        Decimal::from(r.on_time_shipment.eligible),
    );
    r.net_sales = r.invoiced_value - r.returned_value - r.credited_value;
}

fn row(channel: String, currency: Option<String>, os: &[&OrderView]) -> ChannelReport {
    let mut r = ChannelReport {
        partner: os.first().and_then(|o| o.partner.clone()),
        channel,
        currency,
        ..Default::default()
    };
    let (mut fo, mut fr) = (FillSums::default(), FillSums::default());
    let since = |a: Option<i64>, b: Option<i64>| -> Option<i64> { Some((b? - a?) / 1000) };
    let (mut ack, mut ship, mut inv, mut seen, mut booked) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for o in os {
        r.orders += 1;
        let total = o.revised_total.or(o.original_total).unwrap_or_default();
        r.gross += total;
        if o.cancelled_at.is_some() {
            r.cancelled += 1;
            r.cancelled_value += total;
        } else {
            let f = &o.fill;
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
        r.shipped_units += o.shipped_units;
        r.shipped_value += o.shipped_value;
        r.invoiced_value += o.billed_value;
        r.paid_value += o.paid_value;
        r.returned_value += o.returned_value;
        r.credited_value += o.credited_value;
        ack.extend(since(o.ordered_at, o.acknowledged_at));
        ship.extend(since(o.ordered_at, o.first_shipped_at));
        inv.extend(since(o.ordered_at, o.billed_at));
        seen.extend(since(o.ordered_at, Some(o.seen_at)));
        booked.extend(since(Some(o.seen_at), o.booked_at));
        if let (Some(req), Some(first)) = (o.requested_ship_at, o.first_shipped_at) {
            r.on_time_shipment.eligible += 1;
            // A requested date is met by a shipment on that day.
            let day_end = req - req.rem_euclid(86_400_000) + 86_400_000;
            r.on_time_shipment.on_time += u64::from(first < day_end);
        }
    }
    r.time_to_acknowledge = Durations::of(ack);
    r.time_to_ship = Durations::of(ship);
    r.time_to_invoice = Durations::of(inv);
    r.lag = Lag {
        placed_to_seen: Durations::of(seen),
        seen_to_booked: Durations::of(booked),
    };
    finish(&mut r, &fo, &fr);
    r
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
