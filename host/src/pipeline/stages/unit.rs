//! How a pipeline consumes its input: a lane of a read batch at once
//! ([`Unit::handle_lane`]; [`Unit::handle`] is a lane of one). Entries
//! committed before are settled as duplicates and undecodable entries
//! dead-lettered, one by one; the stages of every other message of the
//! lane run in one blocking task, one after another, and the lane's
//! commits go to Redis together, each its own atomic script call (they
//! share the connection's round trip). Per message, that
//! is two thread hand-offs less, and one commit round trip per lane.

use std::{sync::Arc, time::Instant};

use redis::aio::ConnectionManager;
use tracing::Instrument;

use super::{PipelineUnit, StageFailure};
use crate::{
    bus::{
        codec,
        commit::{self, Commit, Committed},
        Entry, Keys,
    },
    pipeline::{
        failure::{self, Failed},
        Unit,
    },
    FailureClass, Message,
};

/// A message read from an entry, with its payload digest.
struct Read {
    entry: Entry,
    msg: Message,
    digest: String,
}

/// What running the stages on every message of a lane gave, in order.
type LaneResults = Vec<Result<Vec<Message>, StageFailure>>;

impl PipelineUnit {
    /// Reads the message of `entry`; an undecodable entry is dead-lettered
    /// as it is (or stays pending if that fails) and gives `None`.
    async fn read(
        &self,
        mut entry: Entry,
        con: &mut ConnectionManager,
    ) -> Option<(Entry, Message)> {
        match codec::take(&mut entry) {
            Ok(m) => Some((entry, m)),
            Err(why) => {
                let why = crate::errors::chain(&why);
                if let Err(e) = failure::undecodable(&self.keys, &entry, why, con).await {
                    tracing::error!(unit = %self.keys.unit, entry = %entry.id, "cannot dead-letter an undecodable entry (it stays pending): {e}");
                }
                None
            }
        }
    }

    /// A message id committed before is acknowledged without running the
    /// stages again (a re-sent document, a replayed duplicate). (The commit
    /// script refuses a done id too, so a race between the batch check and
    /// another host costs work, never output.)
    async fn settle_duplicate(&self, r: Read, con: &mut ConnectionManager) {
        let Read { entry, msg, digest } = r;
        let mut commit = Commit::new(&self.keys, &entry.id);
        commit.remember(&msg.id, &digest);
        let r = failure::settle(&commit, &self.keys, &entry.id, msg, &digest, "dedupe", con).await;
        if matches!(r, Ok(Committed::Duplicate | Committed::AlreadyAcked)) {
            tracing::info!("duplicate message id, same payload: acknowledged without processing");
        }
        if let Err(e) = r {
            tracing::warn!(entry = %entry.id, "cannot settle a duplicate (it stays pending): {e}");
        }
    }

    /// Runs the stages on `msgs` in order, in one blocking task. If the task
    /// itself fails, every message fails `trap` (nothing is lost: each is
    /// then retried or dead-lettered).
    async fn run_lane(&self, msgs: Vec<Message>) -> (Vec<Message>, LaneResults) {
        let stages = self.stages();
        let shared = Arc::new(msgs);
        let input = shared.clone();
        let results = tokio::task::spawn_blocking(move || {
            input
                .iter()
                .map(|m| PipelineUnit::run_stages(&stages, m))
                .collect::<LaneResults>()
        })
        .await;
        let msgs = Arc::try_unwrap(shared).unwrap_or_else(|a| (*a).clone());
        let results = match results {
            Ok(r) => r,
            Err(e) => msgs
                .iter()
                .map(|_| {
                    Err(StageFailure {
                        stage: "host".into(),
                        plugin: String::new(),
                        class: FailureClass::Trap,
                        error: format!("stage task failed: {e}"),
                        correlation_id: String::new(),
                    })
                })
                .collect(),
        };
        (msgs, results)
    }

    /// Commits what the stages made of one message: its outputs, routed by
    /// kind, with its acknowledgement; or its failure (retry or DLQ).
    async fn finish(
        &self,
        r: Read,
        result: Result<Vec<Message>, StageFailure>,
        mut con: ConnectionManager,
        started: Instant,
    ) {
        let Read { entry, msg, digest } = r;
        let unit = self.keys.unit.clone();
        let con = &mut con;
        let outcome = match result {
            Ok(outputs) => {
                let mut commit = Commit::new(&self.keys, &entry.id);
                commit.remember(&msg.id, &digest);
                let mut unrouted = None;
                let replays = msg.header(failure::REPLAYS).map(str::to_string);
                for mut out in outputs {
                    // Retry bookkeeping belongs to this unit's input, not to
                    // the next unit's; a replay stays visible downstream.
                    out.headers.retain(|(n, _)| {
                        ![
                            failure::ATTEMPTS,
                            failure::FIRST_FAILURE,
                            failure::LAST_ERROR,
                        ]
                        .contains(&n.as_str())
                    });
                    if let (Some(r), None) = (&replays, out.header(failure::REPLAYS)) {
                        out.headers.push((failure::REPLAYS.to_string(), r.clone()));
                    }
                    let out = &out;
                    match self.target_stream(&out.kind) {
                        Some(stream) => {
                            commit.xadd(&stream, codec::encode(out));
                        }
                        None => unrouted = Some(out.kind.clone()),
                    }
                }
                match unrouted {
                    None => match failure::settle(
                        &commit, &self.keys, &entry.id, msg, &digest, "dedupe", con,
                    )
                    .await
                    {
                        Ok(Committed::Done) => {
                            metrics::counter!("weft_processed_total", "unit" => unit.clone())
                                .increment(1);
                            Ok(())
                        }
                        Ok(Committed::Duplicate) => {
                            tracing::info!(
                                "duplicate message id, same payload: acknowledged, outputs not written again"
                            );
                            Ok(())
                        }
                        Ok(Committed::AlreadyAcked | Committed::Conflict(_)) => Ok(()),
                        Err(e) => Err(e),
                    },
                    Some(kind) => {
                        let f = Failed {
                            keys: &self.keys,
                            entry_id: &entry.id,
                            msg,
                            class: FailureClass::Invalid,
                            error: format!(
                                "no route for output kind `{kind}` in pipeline `{unit}`"
                            ),
                            plugin: String::new(),
                            stage: "route".into(),
                            correlation_id: String::new(),
                        };
                        failure::record(f, &self.retry, con).await.map(|_| ())
                    }
                }
            }
            Err(sf) => {
                let f = Failed {
                    keys: &self.keys,
                    entry_id: &entry.id,
                    msg,
                    class: sf.class,
                    error: sf.error,
                    plugin: sf.plugin,
                    stage: sf.stage,
                    correlation_id: sf.correlation_id,
                };
                failure::record(f, &self.retry, con).await.map(|_| ())
            }
        };
        if let Err(e) = outcome {
            // Not acknowledged: the entry stays pending and is processed again.
            tracing::warn!(entry = %entry.id, "commit failed, the message will be processed again: {e}");
        }
        metrics::histogram!("weft_processing_seconds", "unit" => unit)
            .record(started.elapsed().as_secs_f64());
    }
}

impl Unit for PipelineUnit {
    fn keys(&self) -> &Keys {
        &self.keys
    }

    fn dedupes(&self) -> bool {
        true
    }

    fn lanes(&self) -> bool {
        true
    }

    async fn handle(self: Arc<Self>, entry: Entry, done_before: bool, con: ConnectionManager) {
        self.handle_lane(vec![(entry, done_before)], con).await;
    }

    async fn handle_lane(self: Arc<Self>, entries: Vec<(Entry, bool)>, mut con: ConnectionManager) {
        let started = Instant::now();
        let span = |msg: &Message| tracing::info_span!("message", pipeline = %self.keys.unit, id = %msg.id, correlation_id = %msg.correlation_id);
        let mut fresh: Vec<(Entry, Message)> = Vec::with_capacity(entries.len());
        for (entry, done_before) in entries {
            let Some((entry, msg)) = self.read(entry, &mut con).await else {
                continue;
            };
            if done_before {
                let span = span(&msg);
                let digest = commit::digest(&msg.payload);
                self.settle_duplicate(Read { entry, msg, digest }, &mut con)
                    .instrument(span)
                    .await;
            } else {
                fresh.push((entry, msg));
            }
        }
        if fresh.is_empty() {
            return;
        }
        let (entries, msgs): (Vec<Entry>, Vec<Message>) = fresh.into_iter().unzip();
        let (msgs, results) = self.run_lane(msgs).await;
        // Every commit of the lane at once: they share the connection's
        // round trip; each is still its own atomic script call.
        let finishes = entries
            .into_iter()
            .zip(msgs)
            .zip(results)
            .map(|((entry, msg), result)| {
                let span = span(&msg);
                let digest = commit::digest(&msg.payload);
                self.finish(Read { entry, msg, digest }, result, con.clone(), started)
                    .instrument(span)
            });
        futures_util::future::join_all(finishes).await;
    }
}
