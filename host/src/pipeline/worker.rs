//! The consume loop: own pending entries first (after a restart), then
//! reclaimed entries of dead consumers, then new ones; bounded concurrency
//! gives backpressure (no read while every slot is busy).

use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use redis::aio::ConnectionManager;
use tokio::{
    sync::{watch, Semaphore},
    task::JoinSet,
};

use super::{Consumer, Unit};
use crate::bus::{self, streams, Entry};

pub(super) async fn consume<U: Unit>(
    unit: Arc<U>,
    mut reader: ConnectionManager,
    con: ConnectionManager,
    consumer: Consumer,
    mut stopped: watch::Receiver<bool>,
) {
    let keys = unit.keys().clone();
    let (input, group) = (keys.input(), keys.group());
    let slots = Arc::new(Semaphore::new(consumer.concurrency.max(1)));
    let mut inflight = JoinSet::new();
    // Entry ids being processed by this consumer right now.
    let busy: Arc<Mutex<HashSet<String>>> = Arc::default();
    // Message ids being processed right now: an entry that reuses one
    // waits for it, so the first in stream order is the one committed.
    let busy_ids: Arc<Mutex<HashSet<Vec<u8>>>> = Arc::default();
    // After a restart, this consumer's own pending entries come first,
    // paged by id; then reclaimed and new entries.
    let mut own_pending: Option<String> = Some("0".into());
    let mut last_claim = Instant::now();
    let mut backoff = Duration::from_millis(50);
    while !*stopped.borrow() {
        // Wait for a free slot before reading more; then read a whole batch
        // (one round trip for up to `batch` entries). Entries wait for a slot
        // below, so at most `batch` read entries are queued: backpressure.
        let Ok(first) = slots.clone().acquire_owned().await else {
            break;
        };
        drop(first);
        // How many the unit can take now (a rate-limited sink waits for a
        // token here, its entries unread in the stream).
        let admitted = tokio::select! {
            biased;
            n = unit.admit() => n,
            changed = stopped.changed() => match changed {
                Ok(()) => continue,
                Err(_) => break,
            },
        };
        let free = consumer.batch.max(1).min(admitted);
        let read = if let Some(from) = own_pending.clone() {
            streams::read_group(
                &mut reader,
                &input,
                &group,
                &consumer.name,
                free,
                &from,
                None,
            )
            .await
        } else if last_claim.elapsed() >= consumer.claim_idle / 2 {
            last_claim = Instant::now();
            let claimed = streams::autoclaim(
                &mut reader,
                &input,
                &group,
                &consumer.name,
                u64::try_from(consumer.claim_idle.as_millis()).unwrap_or(u64::MAX),
                free,
            )
            .await;
            if matches!(&claimed, Ok(c) if c.len() >= free) {
                // More may be waiting: claim again on the next round.
                last_claim = Instant::now()
                    .checked_sub(consumer.claim_idle)
                    .unwrap_or(last_claim);
            }
            claimed
        } else {
            streams::read_group(
                &mut reader,
                &input,
                &group,
                &consumer.name,
                free,
                ">",
                Some(500),
            )
            .await
        };
        let entries = match read {
            Ok(e) => {
                backoff = Duration::from_millis(50);
                e
            }
            Err(e) => {
                if e.code() == Some("NOGROUP") {
                    let mut c = con.clone();
                    let _ = bus::ensure_group(&mut c, &input, &group).await;
                }
                tracing::warn!(unit = %keys.unit, "read failed, retrying in {backoff:?}: {e}");
                tokio::select! {
                    _ = tokio::time::sleep(backoff) => {}
                    _ = stopped.changed() => {}
                }
                backoff = (backoff * 2).min(Duration::from_secs(2));
                continue;
            }
        };
        if own_pending.is_some() {
            own_pending = entries.last().map(|e| e.id.clone());
        }
        // XAUTOCLAIM also hands back this consumer's own entries that are
        // still being processed here (a call or delivery slower than
        // `claim_idle`): those stay with the task that has them, or the
        // message would be processed twice at once.
        let mut entries = entries;
        if let Ok(busy) = busy.lock() {
            entries.retain(|e| !busy.contains(&e.id));
        }
        while unit.dedupes() && !inflight.is_empty() && reuses_busy_id(&entries, &busy_ids) {
            inflight.join_next().await;
        }
        // One ZMSCORE per batch tells which message ids were committed before.
        let done_before: Vec<bool> = if unit.dedupes() && !entries.is_empty() {
            let ids: Vec<&[u8]> = entries.iter().map(message_id).collect();
            streams::committed_before(&mut con.clone(), &keys, &ids)
                .await
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        let entries: Vec<(Entry, bool)> = entries
            .into_iter()
            .enumerate()
            .map(|(i, e)| (e, done_before.get(i).copied().unwrap_or(false)))
            .collect();
        // A unit that takes lanes gets the batch in up to `concurrency`
        // runs of consecutive entries, each one task and one slot; others
        // get a task and a slot per entry.
        let per_task = match unit.lanes() {
            true => entries.len().div_ceil(consumer.concurrency.max(1)).max(1),
            false => 1,
        };
        for lane in into_lanes(entries, per_task) {
            let Ok(permit) = slots.clone().acquire_owned().await else {
                break;
            };
            let (unit, con) = (unit.clone(), con.clone());
            let (busy, busy_ids) = (busy.clone(), busy_ids.clone());
            let ids: Vec<String> = lane.iter().map(|(e, _)| e.id.clone()).collect();
            let msg_ids: Vec<Vec<u8>> = lane.iter().map(|(e, _)| message_id(e).to_vec()).collect();
            if let Ok(mut b) = busy.lock() {
                b.extend(ids.iter().cloned());
            }
            if let Ok(mut b) = busy_ids.lock() {
                b.extend(msg_ids.iter().filter(|id| !id.is_empty()).cloned());
            }
            inflight.spawn(async move {
                unit.handle_lane(lane, con).await;
                if let Ok(mut b) = busy_ids.lock() {
                    for id in &msg_ids {
                        b.remove(id);
                    }
                }
                if let Ok(mut b) = busy.lock() {
                    for id in &ids {
                        b.remove(id);
                    }
                }
                drop(permit);
            });
        }
        while inflight.try_join_next().is_some() {}
    }
    // Graceful stop: everything read is processed and committed.
    while inflight.join_next().await.is_some() {}
}

/// The message id an entry carries (empty if none).
fn message_id(e: &Entry) -> &[u8] {
    e.get("id").unwrap_or_default()
}

/// Whether an entry of `entries` carries a message id in flight.
fn reuses_busy_id(entries: &[Entry], busy_ids: &Mutex<HashSet<Vec<u8>>>) -> bool {
    let Ok(busy) = busy_ids.lock() else {
        return false;
    };
    entries.iter().any(|e| {
        let id = message_id(e);
        !id.is_empty() && busy.contains(id)
    })
}

/// Splits a batch into runs of `per_task` consecutive entries, except that
/// an entry reusing an earlier entry's message id joins that entry's lane
/// (behind it): one lane handles them in stream order, so which of two
/// payloads under one id is committed never depends on a race.
fn into_lanes(entries: Vec<(Entry, bool)>, per_task: usize) -> Vec<Vec<(Entry, bool)>> {
    let per_task = per_task.max(1);
    let mut lanes: Vec<Vec<(Entry, bool)>> = Vec::new();
    let mut lane_of: HashMap<Vec<u8>, usize> = HashMap::new();
    for (i, item) in entries.into_iter().enumerate() {
        let id = message_id(&item.0).to_vec();
        let lane = match lane_of.get(&id) {
            Some(&l) if !id.is_empty() => l,
            _ => i / per_task,
        };
        lane_of.entry(id).or_insert(lane);
        if lanes.len() <= lane {
            lanes.resize_with(lane + 1, Vec::new);
        }
        lanes[lane].push(item);
    }
    lanes.retain(|l| !l.is_empty());
    lanes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(n: u32, id: &str) -> (Entry, bool) {
        let e = Entry {
            id: format!("1-{n}"),
            fields: vec![("id".into(), id.as_bytes().to_vec())],
        };
        (e, false)
    }

    fn shape(lanes: &[Vec<(Entry, bool)>]) -> Vec<Vec<&str>> {
        lanes
            .iter()
            .map(|l| l.iter().map(|(e, _)| e.id.as_str()).collect())
            .collect()
    }

    #[test]
    fn entries_sharing_a_message_id_share_a_lane_in_stream_order() {
        let batch = vec![
            entry(0, "m-1"),
            entry(1, "m-1"),
            entry(2, "m-1"),
            entry(3, "x"),
        ];
        let lanes = into_lanes(batch, 1);
        assert_eq!(shape(&lanes), vec![vec!["1-0", "1-1", "1-2"], vec!["1-3"]]);
        let batch = vec![entry(0, "a"), entry(1, "b"), entry(2, "c"), entry(3, "a")];
        let lanes = into_lanes(batch, 2);
        assert_eq!(shape(&lanes), vec![vec!["1-0", "1-1", "1-3"], vec!["1-2"]]);
        let batch = vec![entry(0, ""), entry(1, ""), entry(2, "")];
        assert_eq!(
            into_lanes(batch, 1).len(),
            3,
            "entries without an id are not grouped"
        );
    }
}
