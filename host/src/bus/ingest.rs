//! Idempotent ingress for caller-chosen ids: the id and its payload digest
//! are recorded in the same Lua call as the XADD, so a re-sent message is
//! never queued twice, and a reused id with another payload is refused
//! rather than dropped later without a trace.

use redis::{aio::ConnectionManager, Script};

use super::{codec, Keys};
use crate::Message;

/// `KEYS`: input stream, ingest hash (id → digest), ingest-at zset (id → ms).
/// `ARGV`: id, digest, then the entry's field/value pairs.
/// Returns `{1, entry id}` queued, `{2, digest}` seen with the same
/// payload, `{3, digest}` seen with another payload.
const INGEST: &str = r#"
local before = redis.call('HGET', KEYS[2], ARGV[1])
if before then
  if before == ARGV[2] then return {2, before} end
  return {3, before}
end
local fields = {}
for i = 3, #ARGV do fields[#fields + 1] = ARGV[i] end
local entry = redis.call('XADD', KEYS[1], '*', unpack(fields))
local t = redis.call('TIME')
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[3], tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000), ARGV[1])
return {1, entry}
"#;

/// What an ingest did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ingested {
    /// Queued as this stream entry.
    Queued(String),
    /// Accepted before with the same payload: nothing queued.
    Duplicate,
    /// Accepted before with another payload (its digest): nothing queued.
    Conflict(String),
}

/// Queues `msg` on `keys`' input unless its id was accepted before.
pub async fn ingest_once(
    con: &mut ConnectionManager,
    keys: &Keys,
    msg: &Message,
    digest: &str,
) -> redis::RedisResult<Ingested> {
    let script = Script::new(INGEST);
    let mut inv = script.prepare_invoke();
    inv.key(keys.input())
        .key(keys.ingested())
        .key(keys.ingested_at())
        .arg(&msg.id)
        .arg(digest);
    for (k, v) in codec::encode(msg) {
        inv.arg(k).arg(v);
    }
    let reply: Vec<redis::Value> = inv.invoke_async(con).await?;
    let text = |v: Option<&redis::Value>| match v {
        Some(redis::Value::BulkString(b)) => String::from_utf8_lossy(b).into_owned(),
        _ => String::new(),
    };
    Ok(match reply.first() {
        Some(redis::Value::Int(1)) => Ingested::Queued(text(reply.get(1))),
        Some(redis::Value::Int(2)) => Ingested::Duplicate,
        _ => Ingested::Conflict(text(reply.get(1))),
    })
}
