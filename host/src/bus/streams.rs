//! Stream reads and writes outside the commit script: appends, consumer
//! groups, reads for a consumer, reclaiming, the per-batch dedupe check,
//! deleting entries, and the depths the admin server reports.

use redis::aio::ConnectionManager;

use super::{codec, Entry, Keys};

/// Every entry of `stream`, oldest first.
pub async fn read_all(con: &mut ConnectionManager, stream: &str) -> redis::RedisResult<Vec<Entry>> {
    let v: redis::Value = redis::cmd("XRANGE")
        .arg(stream)
        .arg("-")
        .arg("+")
        .query_async(con)
        .await?;
    Ok(codec::parse_entries(v))
}

/// Appends messages to `stream`, pipelined in chunks of 500.
pub async fn append_all(
    con: &mut ConnectionManager,
    stream: &str,
    messages: impl IntoIterator<Item = crate::Message>,
) -> redis::RedisResult<()> {
    let mut messages = messages.into_iter().peekable();
    while messages.peek().is_some() {
        let mut pipe = redis::pipe();
        for m in messages.by_ref().take(500) {
            let mut cmd = redis::cmd("XADD");
            cmd.arg(stream).arg("*");
            for (k, v) in codec::encode(&m) {
                cmd.arg(k).arg(v);
            }
            pipe.add_command(cmd).ignore();
        }
        pipe.query_async::<()>(&mut *con).await?;
    }
    Ok(())
}

/// Creates the consumer group of `stream` (and the stream) if missing.
pub async fn ensure_group(
    con: &mut ConnectionManager,
    stream: &str,
    group: &str,
) -> redis::RedisResult<()> {
    let r: redis::RedisResult<()> = redis::cmd("XGROUP")
        .arg("CREATE")
        .arg(stream)
        .arg(group)
        .arg("0")
        .arg("MKSTREAM")
        .query_async(con)
        .await;
    match r {
        Err(e) if e.code() == Some("BUSYGROUP") => Ok(()),
        other => other,
    }
}

/// Acknowledges `ids` of `stream` for `group` (XACK).
pub async fn ack(
    con: &mut ConnectionManager,
    stream: &str,
    group: &str,
    ids: &[&str],
) -> redis::RedisResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    redis::cmd("XACK")
        .arg(stream)
        .arg(group)
        .arg(ids)
        .query_async::<i64>(con)
        .await
        .map(|_| ())
}

/// Appends a message to a stream; returns the entry id.
pub async fn append(
    con: &mut ConnectionManager,
    stream: &str,
    msg: &crate::Message,
) -> redis::RedisResult<String> {
    let mut cmd = redis::cmd("XADD");
    cmd.arg(stream).arg("*");
    for (k, v) in codec::encode(msg) {
        cmd.arg(k).arg(v);
    }
    cmd.query_async(con).await
}

/// Reads up to `count` entries of `input` for `consumer` of `group` after
/// `from` (`>`: new entries; an id: this consumer's own pending ones),
/// waiting up to `block_ms` when given.
pub async fn read_group(
    con: &mut ConnectionManager,
    input: &str,
    group: &str,
    consumer: &str,
    count: usize,
    from: &str,
    block_ms: Option<u64>,
) -> redis::RedisResult<Vec<Entry>> {
    let mut cmd = redis::cmd("XREADGROUP");
    cmd.arg("GROUP")
        .arg(group)
        .arg(consumer)
        .arg("COUNT")
        .arg(count);
    if let Some(ms) = block_ms {
        cmd.arg("BLOCK").arg(ms);
    }
    cmd.arg("STREAMS").arg(input).arg(from);
    let v: redis::Value = cmd.query_async(con).await?;
    Ok(codec::parse_read(v))
}

/// Takes over up to `count` entries of `input` idle for `idle_ms` or more
/// on any consumer of `group` (XAUTOCLAIM from the start).
pub async fn autoclaim(
    con: &mut ConnectionManager,
    input: &str,
    group: &str,
    consumer: &str,
    idle_ms: u64,
    count: usize,
) -> redis::RedisResult<Vec<Entry>> {
    let v: redis::Value = redis::cmd("XAUTOCLAIM")
        .arg(input)
        .arg(group)
        .arg(consumer)
        .arg(idle_ms)
        .arg("0-0")
        .arg("COUNT")
        .arg(count)
        .query_async(con)
        .await?;
    Ok(codec::parse_autoclaim(v).1)
}

/// For each of `ids`, whether it is recorded as committed in `keys`' done
/// set (one ZMSCORE for the batch).
pub async fn committed_before(
    con: &mut ConnectionManager,
    keys: &Keys,
    ids: &[&[u8]],
) -> redis::RedisResult<Vec<bool>> {
    let mut cmd = redis::cmd("ZMSCORE");
    cmd.arg(keys.done());
    for id in ids {
        cmd.arg(id);
    }
    let scores: Vec<Option<f64>> = cmd.query_async(con).await?;
    Ok(scores.iter().map(Option::is_some).collect())
}

/// Deletes entry `entry_id` of `stream`; whether it was there.
pub async fn delete(
    con: &mut ConnectionManager,
    stream: &str,
    entry_id: &str,
) -> redis::RedisResult<bool> {
    let n: i64 = redis::cmd("XDEL")
        .arg(stream)
        .arg(entry_id)
        .query_async(con)
        .await?;
    Ok(n > 0)
}

/// Whether Redis answers.
pub async fn ping(con: &mut ConnectionManager) -> redis::RedisResult<()> {
    redis::cmd("PING")
        .query_async::<String>(con)
        .await
        .map(|_| ())
}

/// How much of a unit is waiting, as the admin server reports it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Depths {
    /// Entries in the dead-letter queue.
    pub dlq: Option<u64>,
    /// Entries read by the unit's group and not yet acknowledged.
    pub pending: Option<u64>,
    /// Messages waiting for a retry.
    pub retry: Option<u64>,
}

/// The [`Depths`] of the unit of `keys`; a figure Redis did not give is `None`.
pub async fn depths(con: &mut ConnectionManager, keys: &Keys) -> Depths {
    let dlq = redis::cmd("XLEN")
        .arg(keys.dlq())
        .query_async(con)
        .await
        .ok();
    let pending = match redis::cmd("XPENDING")
        .arg(keys.input())
        .arg(keys.group())
        .query_async::<redis::Value>(con)
        .await
    {
        Ok(redis::Value::Array(v)) => match v.first() {
            Some(redis::Value::Int(n)) => u64::try_from(*n).ok(),
            _ => None,
        },
        _ => None,
    };
    let retry = redis::cmd("ZCARD")
        .arg(keys.retry())
        .query_async(con)
        .await
        .ok();
    Depths {
        dlq,
        pending,
        retry,
    }
}
