//! Retention: what may leave Redis, and when.
//!
//! - A stream entry is trimmed once every consumer group of its stream has
//!   read AND acknowledged it — never an entry still pending or unread by
//!   any group, so a lagging group holds trimming back (by design; its
//!   length and oldest-entry age are exported as metrics). A stream with a
//!   time retention keeps entries younger than it even when acknowledged.
//! - Delivery records (`weft:{flow}:deliveries`) are kept the dedupe
//!   retention after being written, and longer while a consumer group (the
//!   ledger's) has not acknowledged them; without groups, by time alone.
//! - Dedupe records (`done` + `digest`) and ingest records are forgotten
//!   after the dedupe retention.
//! - Dead-letter queues are never trimmed: they are data waiting for a person.

use std::time::Duration;

use redis::{aio::ConnectionManager, Script};

use super::Keys;

/// `KEYS[1]` stream. `ARGV[1]`: the time floor (`<ms>-0`: younger entries
/// are kept) or empty; `ARGV[2]`: `1` to trim by time alone when the stream
/// has no consumer group. Returns how many entries were trimmed.
const TRIM: &str = r#"
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local function parse(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end
local function less(a, b)
  local am, as = parse(a)
  local bm, bs = parse(b)
  return am < bm or (am == bm and as < bs)
end
local groups = redis.call('XINFO', 'GROUPS', KEYS[1])
local min = nil
for _, g in ipairs(groups) do
  local name, pending, last
  for i = 1, #g, 2 do
    if g[i] == 'name' then name = g[i + 1]
    elseif g[i] == 'pending' then pending = g[i + 1]
    elseif g[i] == 'last-delivered-id' then last = g[i + 1] end
  end
  local bound
  if pending > 0 then
    bound = redis.call('XPENDING', KEYS[1], name)[2]
  else
    local ms, seq = parse(last)
    bound = string.format('%.0f-%.0f', ms, seq + 1)
  end
  if min == nil or less(bound, min) then min = bound end
end
if min == nil then
  if ARGV[2] ~= '1' or ARGV[1] == '' then return 0 end
  min = ARGV[1]
elseif ARGV[1] ~= '' and less(ARGV[1], min) then
  min = ARGV[1]
end
return redis.call('XTRIM', KEYS[1], 'MINID', min)
"#;

/// `KEYS`: a sorted set of ids by time, the hash of their digests.
/// `ARGV`: cutoff (ms), limit. Forgets ids older than the cutoff.
const FORGET: &str = r#"
local old = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
if #old == 0 then return 0 end
redis.call('ZREM', KEYS[1], unpack(old))
redis.call('HDEL', KEYS[2], unpack(old))
return #old
"#;

/// Trims what every consumer group of `stream` acknowledged, keeping
/// entries younger than `keep` (if any). With `time_alone`, a stream
/// without consumer groups is trimmed by `keep` only. Returns how many
/// entries went.
pub async fn trim_stream(
    con: &mut ConnectionManager,
    stream: &str,
    keep: Option<Duration>,
    time_alone: bool,
    now_ms: u64,
) -> redis::RedisResult<u64> {
    let floor = keep
        .map(|k| format!("{}-0", now_ms.saturating_sub(k.as_millis() as u64)))
        .unwrap_or_default();
    Script::new(TRIM)
        .key(stream)
        .arg(floor)
        .arg(if time_alone { "1" } else { "0" })
        .invoke_async(con)
        .await
}

/// Forgets dedupe and ingest records of `keys` older than `cutoff_ms`, in
/// chunks; returns how many ids went.
pub async fn forget_before(
    con: &mut ConnectionManager,
    keys: &Keys,
    cutoff_ms: u64,
) -> redis::RedisResult<u64> {
    let mut total = 0;
    for (zset, hash) in [
        (keys.done(), keys.digests()),
        (keys.ingested_at(), keys.ingested()),
    ] {
        loop {
            let n: u64 = Script::new(FORGET)
                .key(&zset)
                .key(&hash)
                .arg(cutoff_ms)
                .arg(1000)
                .invoke_async(con)
                .await?;
            total += n;
            if n < 1000 {
                break;
            }
        }
    }
    Ok(total)
}

/// Length and age of the oldest entry (ms, 0 when empty) of a stream.
pub async fn stream_stats(
    con: &mut ConnectionManager,
    stream: &str,
    now_ms: u64,
) -> redis::RedisResult<(u64, u64)> {
    let (len, first): (u64, redis::Value) = redis::pipe()
        .cmd("XLEN")
        .arg(stream)
        .cmd("XRANGE")
        .arg(stream)
        .arg("-")
        .arg("+")
        .arg("COUNT")
        .arg(1)
        .query_async(con)
        .await?;
    let oldest = super::codec::parse_entries(first)
        .first()
        .and_then(|e| e.id.split('-').next()?.parse::<u64>().ok());
    Ok((len, oldest.map(|ms| now_ms.saturating_sub(ms)).unwrap_or(0)))
}
