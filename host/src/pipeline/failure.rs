//! What happens to a message that failed: a parked retry with backoff, or
//! the dead-letter queue with everything an operator needs.

use redis::aio::ConnectionManager;

use crate::{
    bus::{
        codec,
        commit::{Commit, Committed},
        DlqRecord, Entry, Keys,
    },
    config::RetryPolicy,
    stamp, FailureClass, Message,
};

/// Header: attempts made so far.
pub const ATTEMPTS: &str = "weft-attempts";
/// Header: time of the first failure.
pub const FIRST_FAILURE: &str = "weft-first-failure";
/// Header: the last failure, `<class>: <message>`.
pub const LAST_ERROR: &str = "weft-last-error";
/// Header: how many times the message was replayed from the DLQ.
pub const REPLAYS: &str = "weft-replays";

fn set_header(m: &mut Message, name: &str, value: String) {
    m.headers.retain(|(n, _)| n != name);
    m.headers.push((name.to_string(), value));
}

/// A failure to record for `msg`, read from `entry` of `keys`.
pub struct Failed<'a> {
    /// The unit.
    pub keys: &'a Keys,
    /// The entry being processed.
    pub entry_id: &'a str,
    /// The message as it entered the unit.
    pub msg: Message,
    /// Class of the failure.
    pub class: FailureClass,
    /// Its message.
    pub error: String,
    /// `name@version` of the failing plugin, if any.
    pub plugin: String,
    /// Stage name (`route`, `deliver`, … outside plugins).
    pub stage: String,
    /// Correlation id as far as processing got (empty: the message's own).
    pub correlation_id: String,
}

/// Parks a retryable failure with backoff or dead-letters it, atomically
/// with the acknowledgement of the entry. Returns true if retried.
pub async fn record(
    f: Failed<'_>,
    policy: &RetryPolicy,
    con: &mut ConnectionManager,
) -> redis::RedisResult<bool> {
    let mut msg = f.msg;
    let attempts = msg
        .header(ATTEMPTS)
        .and_then(|a| a.parse::<u32>().ok())
        .unwrap_or(0)
        + 1;
    let now = stamp::now_rfc3339();
    let first = msg
        .header(FIRST_FAILURE)
        .map(str::to_string)
        .unwrap_or_else(|| now.clone());
    let mut commit = Commit::new(f.keys, f.entry_id);
    let retry = f.class == FailureClass::Retryable && attempts < policy.max_attempts;
    if retry {
        set_header(&mut msg, ATTEMPTS, attempts.to_string());
        set_header(&mut msg, FIRST_FAILURE, first);
        set_header(&mut msg, LAST_ERROR, format!("{}: {}", f.class, f.error));
        let due = stamp::now_ms() + policy.delay(attempts, fastrand::f64()).as_millis() as u64;
        commit.xadd_scheduled(&f.keys.parked(), &f.keys.retry(), due, codec::encode(&msg));
        metrics::counter!("weft_retried_total", "unit" => f.keys.unit.clone()).increment(1);
    } else {
        msg.headers.retain(|(n, _)| n != LAST_ERROR);
        let record = DlqRecord {
            entry_id: String::new(),
            error_class: f.class.to_string(),
            error: f.error.clone(),
            plugin: f.plugin,
            stage: f.stage,
            attempts,
            correlation_id: if f.correlation_id.is_empty() {
                msg.correlation_id.clone()
            } else {
                f.correlation_id
            },
            first_failure: first,
            last_failure: now,
            message: msg,
        };
        commit.xadd(&f.keys.dlq(), record.encode());
        tracing::warn!(unit = %f.keys.unit, correlation_id = %record.message.correlation_id, id = %record.message.id, class = %f.class, "dead-lettered: {}", f.error);
    }
    metrics::counter!("weft_failed_total", "unit" => f.keys.unit.clone(), "class" => f.class.to_string()).increment(1);
    commit.run(con).await?;
    Ok(retry)
}

/// Runs `commit`, which remembers `msg`'s id with its payload `digest`. If
/// the id was committed before with another payload, the commit did
/// nothing: `msg` goes to the DLQ as `duplicate-id` (at `stage`) instead.
/// Returns what the commit did.
pub async fn settle(
    commit: &Commit,
    keys: &Keys,
    entry_id: &str,
    msg: Message,
    digest: &str,
    stage: &str,
    con: &mut ConnectionManager,
) -> redis::RedisResult<Committed> {
    let c = commit.run(con).await?;
    if let Committed::Conflict(before) = &c {
        duplicate_id(keys, entry_id, msg, before, digest, stage, con).await?;
    }
    Ok(c)
}

/// A message whose id was committed before with another payload: to the
/// DLQ as `duplicate-id`, naming both digests, never dropped silently.
async fn duplicate_id(
    keys: &Keys,
    entry_id: &str,
    msg: Message,
    before: &str,
    now: &str,
    stage: &str,
    con: &mut ConnectionManager,
) -> redis::RedisResult<()> {
    let error = format!(
        "message id `{}` was committed before with another payload (sha256 {before}; this one sha256 {now}): a different document under a reused id is not processed — send it with a new id, or purge this entry",
        msg.id
    );
    dead_letter(
        keys,
        entry_id,
        msg,
        FailureClass::DuplicateId,
        error,
        stage,
        con,
    )
    .await
}

/// An entry that is not a message at all goes to the DLQ as it is.
pub async fn undecodable(
    keys: &Keys,
    entry: &Entry,
    why: String,
    con: &mut ConnectionManager,
) -> redis::RedisResult<()> {
    let msg = Message {
        id: format!("entry:{}", entry.id),
        payload: entry.get("payload").map(<[u8]>::to_vec).unwrap_or_default(),
        ..Message::default()
    };
    dead_letter(
        keys,
        &entry.id,
        msg,
        FailureClass::Invalid,
        why,
        "decode",
        con,
    )
    .await
}

/// Straight to the DLQ (no retry), acknowledged in the same commit.
async fn dead_letter(
    keys: &Keys,
    entry_id: &str,
    msg: Message,
    class: FailureClass,
    error: String,
    stage: &str,
    con: &mut ConnectionManager,
) -> redis::RedisResult<()> {
    let f = Failed {
        keys,
        entry_id,
        msg,
        class,
        error,
        plugin: String::new(),
        stage: stage.into(),
        correlation_id: String::new(),
    };
    let once = RetryPolicy {
        max_attempts: 1,
        ..RetryPolicy::default()
    };
    record(f, &once, con).await.map(|_| ())
}

/// Headers for a message replayed from the DLQ: failure bookkeeping
/// removed, the replay counted.
pub fn for_replay(headers: &[(String, String)]) -> Vec<(String, String)> {
    let replays = headers
        .iter()
        .find(|(n, _)| n == REPLAYS)
        .and_then(|(_, v)| v.parse::<u32>().ok())
        .unwrap_or(0)
        + 1;
    let mut out: Vec<(String, String)> = headers
        .iter()
        .filter(|(n, _)| ![ATTEMPTS, FIRST_FAILURE, LAST_ERROR, REPLAYS].contains(&n.as_str()))
        .cloned()
        .collect();
    out.push((REPLAYS.to_string(), replays.to_string()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_and_backoff() {
        let t = stamp::now_rfc3339();
        assert_eq!(t.len(), 24, "{t}");
        assert!(t.ends_with('Z') && t.starts_with("20"), "{t}");
        let p = RetryPolicy {
            max_attempts: 5,
            base_ms: 100,
            max_ms: 1000,
            jitter: 0.0,
        };
        assert_eq!(p.delay(1, 0.5).as_millis(), 100);
        assert_eq!(p.delay(2, 0.5).as_millis(), 200);
        assert_eq!(p.delay(10, 0.5).as_millis(), 1000);
        let j = RetryPolicy { jitter: 0.5, ..p };
        assert_eq!(j.delay(1, 0.0).as_millis(), 50);
        assert_eq!(j.delay(1, 0.999).as_millis(), 149);
    }
}
