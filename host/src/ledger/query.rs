//! The ledger's answers as JSON, the same for the HTTP API and
//! `weft report`: channel reports, exceptions and one order.

use serde_json::{json, Value};

use super::{
    exceptions, report,
    store::{Store, StoreError},
    Snapshot,
};
use crate::config::ledger::LedgerConfig;

/// `v` with every `…_at` and `since` millisecond number as RFC 3339.
pub fn with_text_times(mut v: Value) -> Value {
    times_as_text(&mut v);
    v
}

/// The snapshot now, or as of `as_of` (recomputed from the events seen by then).
pub async fn snapshot_at(
    store: &Store,
    config: &LedgerConfig,
    as_of: Option<i64>,
) -> Result<Snapshot, super::store::StoreError> {
    match as_of {
        None => store.snapshot().await,
        Some(t) => Ok(super::snapshot(
            &store.events(Some(t)).await?,
            &config.links,
        )),
    }
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
    config: &LedgerConfig,
    period: report::Period,
    as_of: Option<i64>,
) -> Result<Value, StoreError> {
    // Now: summed by the database over the derived orders. As of a past
    // time: folded again from the events seen by then.
    let rows = match as_of {
        None => store.channel_report(period).await?,
        Some(_) => report::channels(&snapshot_at(store, config, as_of).await?.orders, period),
    };
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
    let snap = snapshot_at(store, config, as_of).await?;
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
