//! The ledger's answers as JSON, the same for the HTTP API and
//! `weft report`: channel reports, exceptions and one order.

use serde_json::{json, Value};

use std::collections::BTreeSet;

use super::{
    exceptions,
    facts::Event,
    fold::OrderView,
    report,
    store::{Store, StoreError},
    Snapshot,
};
use crate::config::ledger::LedgerConfig;

/// `v` with every `…_at` and `since` millisecond number as RFC 3339.
pub fn with_text_times(mut v: Value) -> Value {
    times_as_text(&mut v);
    v
}

/// The snapshot now, or as of `as_of`: the derived state now with the
/// orders events seen later touched folded again from the events seen by
/// then (see `store::as_of`).
pub async fn snapshot_at(store: &Store, as_of: Option<i64>) -> Result<Snapshot, StoreError> {
    patched(store.snapshot().await?, store, as_of).await
}

/// [`snapshot_at`] with only the orders that may have an open exception
/// (then or now): what an exception list needs.
pub async fn open_snapshot_at(store: &Store, as_of: Option<i64>) -> Result<Snapshot, StoreError> {
    patched(store.open_snapshot().await?, store, as_of).await
}

/// `now` with what `as_of` restates (an order complete now that nothing
/// late touched was complete then too).
async fn patched(now: Snapshot, store: &Store, as_of: Option<i64>) -> Result<Snapshot, StoreError> {
    let Some(t) = as_of else {
        return Ok(now);
    };
    let r = store.restate(t).await?;
    let conflicts = store.conflicts_as_of(t, &r).await?;
    let restated: BTreeSet<&str> = r.keys.iter().map(String::as_str).collect();
    let mut orders: Vec<OrderView> = now
        .orders
        .into_iter()
        .filter(|o| !restated.contains(o.order_key.as_str()))
        .chain(r.orders.into_iter().map(|mut o| {
            o.lines.clear(); // like the views now: reports and exceptions need none
            o
        }))
        .collect();
    orders.sort_by(|a, b| a.order_key.cmp(&b.order_key));
    let mut orphans: Vec<Event> = now
        .orphans
        .into_iter()
        .filter(|e| e.seen_at <= t && !r.scope.contains(&e.event_id))
        .chain(r.orphans)
        .collect();
    super::sort_orphans(&mut orphans);
    Ok(Snapshot {
        orders,
        orphans,
        conflicts,
    })
}

/// The report's rows now (summed by the database over the derived
/// orders) or as of a past time (the same sums over the orders nothing
/// late touched, plus the restated orders summed in memory).
pub async fn report_rows(
    store: &Store,
    period: report::Period,
    as_of: Option<i64>,
) -> Result<Vec<report::ChannelReport>, StoreError> {
    let Some(t) = as_of else {
        return store.channel_report(period).await;
    };
    Ok(report::finish_all(
        store.report_sums_as_of(period, t).await?,
    ))
}

/// Renders every `…_at` and `since` millisecond number as RFC 3339.
pub fn times_as_text(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                let is_time = k.ends_with("_at") || k == "since";
                match x {
                    Value::Number(n) if is_time => {
                        if let Some(t) = n
                            .as_i64()
                            .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
                        {
                            *x = Value::String(crate::stamp::rfc3339_ms(t));
                        }
                    }
                    _ => times_as_text(x),
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(times_as_text),
        _ => {}
    }
}

/// `{as_of, period, channels: [ChannelReport…]}`.
pub async fn channels(
    store: &Store,
    period: report::Period,
    as_of: Option<i64>,
) -> Result<Value, StoreError> {
    let rows = report_rows(store, period, as_of).await?;
    Ok(with_text_times(json!({
        "as_of": as_of,
        "period": {"from_at": period.from, "to_at": period.to},
        "channels": rows,
    })))
}

/// `{as_of, exceptions: [Exception…]}`, optionally of one type or channel.
pub async fn exceptions(
    store: &Store,
    config: &LedgerConfig,
    as_of: Option<i64>,
    kind: Option<&str>,
    channel: Option<&str>,
) -> Result<Value, StoreError> {
    let snap = open_snapshot_at(store, as_of).await?;
    let at = as_of.unwrap_or(crate::stamp::now_ms() as i64);
    let list: Vec<exceptions::Exception> = exceptions::open(&snap, &config.sla, at)
        .into_iter()
        .filter(|e| kind.is_none_or(|k| e.kind == k))
        .filter(|e| channel.is_none_or(|c| e.channel == c))
        .collect();
    Ok(with_text_times(json!({"as_of": at, "exceptions": list})))
}

/// What an id names.
pub enum Found {
    /// No order.
    None,
    /// One order: `{order, aliases, timeline, exceptions}`.
    One(Value),
    /// Several orders (their keys).
    Many(Vec<String>),
}

/// The order `id` names (order key or any alias).
pub async fn order(store: &Store, config: &LedgerConfig, id: &str) -> Result<Found, StoreError> {
    let keys = store.find(id).await?;
    let key = match keys.as_slice() {
        [] => return Ok(Found::None),
        [k] => k.clone(),
        _ => return Ok(Found::Many(keys)),
    };
    let Some(detail) = store.order(&key).await? else {
        return Ok(Found::None);
    };
    let snap = Snapshot {
        orders: vec![detail.order.clone()],
        ..Default::default()
    };
    let open = exceptions::open(&snap, &config.sla, crate::stamp::now_ms() as i64);
    Ok(Found::One(with_text_times(json!({
        "order": detail.order,
        "aliases": detail.aliases,
        "timeline": detail.timeline,
        "exceptions": open,
    }))))
}
