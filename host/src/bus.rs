//! The message bus on Redis Streams: key names, the entry encoding, the
//! atomic commit script, sinks' delivery records, stream reads and writes,
//! the control stream, master-data tables and counters, and a private
//! `redis-server`. Every Redis command and key name of the host is in here.
//!
//! Every key of a flow carries the hash tag `{flow}`, so a commit touching
//! a pipeline's input, its outputs, retry and dead-letter keys is a single
//! Lua call in one slot (and works on Redis Cluster).

pub mod codec;
pub mod commit;
pub mod control;
pub mod delivery;
pub mod ingest;
pub mod keys;
pub mod retention;
pub mod server;
pub mod streams;
pub mod tables;

pub use codec::{DlqRecord, Entry};
pub use delivery::DeliveryRecord;
pub use keys::Keys;
pub use server::{PrivateRedis, RedisHealth, RedisServer};
pub use streams::{append, append_all, ensure_group, read_all};

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
