//! The message bus on Redis Streams: key names, the entry encoding, the
//! atomic commit script, stream reads, and a private `redis-server`.
//!
//! Every key of a flow carries the hash tag `{flow}`, so a commit touching
//! a pipeline's input, its outputs, retry and dead-letter keys is a single
//! Lua call in one slot (and works on Redis Cluster).

pub mod codec;
pub mod commit;
pub mod control;
pub mod ingest;
pub mod keys;
pub mod retention;
pub mod server;

pub use codec::{DlqRecord, Entry};
pub use keys::Keys;
pub use server::{PrivateRedis, RedisHealth, RedisServer};

/// Connects with automatic reconnection (backoff) on connection loss.
pub async fn connect(url: &str) -> redis::RedisResult<redis::aio::ConnectionManager> {
    let client = redis::Client::open(url)?;
    let config = redis::aio::ConnectionManagerConfig::new()
        .set_number_of_retries(6)
        .set_max_delay(std::time::Duration::from_secs(2))
        // Above the longest XREADGROUP BLOCK the consumers use.
        .set_response_timeout(Some(std::time::Duration::from_secs(10)))
        .set_connection_timeout(Some(std::time::Duration::from_secs(2)));
    redis::aio::ConnectionManager::new_with_config(client, config).await
}

/// Every entry of `stream`, oldest first.
pub async fn read_all(
    con: &mut redis::aio::ConnectionManager,
    stream: &str,
) -> redis::RedisResult<Vec<Entry>> {
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
    con: &mut redis::aio::ConnectionManager,
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
    con: &mut redis::aio::ConnectionManager,
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
