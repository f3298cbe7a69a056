//! The atomic commit: in one Lua call, acknowledge the input entry and
//! write everything the message produced (outputs, a parked retry, or a
//! dead-letter entry). If the entry was already acknowledged — another
//! host reclaimed it and committed first — nothing is written, so no output
//! is ever written twice. A message id already in the `done` set with the
//! same payload digest is acknowledged without writing its outputs again;
//! with another digest, nothing is done and the caller dead-letters it.

use redis::{aio::ConnectionManager, Script};

/// `KEYS[1]` input stream, `KEYS[2]` done sorted set (id → commit time in
/// ms, trimmed after the retention), `KEYS[3]` digest hash (id → payload
/// digest), `KEYS[4..]` targets.
/// `ARGV`: group, entry id, message id to record as done (or empty), its
/// payload digest (or empty), then operations: `x <key#> <n> f1 v1 …`
/// (XADD) or `z <key#> <zset#> <score> <n> f1 v1 …` (XADD, then ZADD the
/// new entry id with that score).
/// Returns `{1}` committed, `{0}` already acknowledged elsewhere, `{2}`
/// duplicate id (same digest: acknowledged, nothing written), `{3, digest}`
/// the id was committed before with another payload (nothing done).
const COMMIT: &str = r#"
local id = ARGV[3]
if id ~= '' and redis.call('ZSCORE', KEYS[2], id) then
  local before = redis.call('HGET', KEYS[3], id)
  if before and ARGV[4] ~= '' and before ~= ARGV[4] then return {3, before} end
  if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then return {0} end
  return {2}
end
if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then return {0} end
if id ~= '' then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  redis.call('ZADD', KEYS[2], now, id)
  if ARGV[4] ~= '' then redis.call('HSET', KEYS[3], id, ARGV[4]) end
end
local i = 5
while i <= #ARGV do
  local op = ARGV[i]
  local key = KEYS[tonumber(ARGV[i + 1])]
  i = i + 2
  local zkey, score
  if op == 'z' then
    zkey = KEYS[tonumber(ARGV[i])]
    score = ARGV[i + 1]
    i = i + 2
  end
  local n = tonumber(ARGV[i])
  i = i + 1
  local fields = {}
  for j = 0, 2 * n - 1 do fields[j + 1] = ARGV[i + j] end
  i = i + 2 * n
  local eid = redis.call('XADD', key, '*', unpack(fields))
  if zkey then redis.call('ZADD', zkey, score, eid) end
end
return {1}
"#;

/// The commit script, its SHA-1 computed once.
static COMMIT_SCRIPT: std::sync::LazyLock<Script> =
    std::sync::LazyLock::new(|| Script::new(COMMIT));

/// Moves due parked retries back to the input stream.
/// `KEYS`: retry zset, parked stream, input stream. `ARGV`: now (ms), limit.
const RELEASE: &str = r#"
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(due) do
  redis.call('ZREM', KEYS[1], id)
  local e = redis.call('XRANGE', KEYS[2], id, id)
  if #e == 1 then
    redis.call('XADD', KEYS[3], '*', unpack(e[1][2]))
    redis.call('XDEL', KEYS[2], id)
  end
end
return #due
"#;

/// Moves one dead-letter entry back to the input stream with extra fields
/// replacing its headers. `KEYS`: dlq, input. `ARGV`: entry id, headers JSON.
const REPLAY: &str = r#"
local e = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
if #e == 0 then return 0 end
local f = e[1][2]
local out = {}
local keep = { id = true, corr = true, kind = true, ct = true, payload = true }
for i = 1, #f, 2 do
  if keep[f[i]] then out[#out + 1] = f[i]; out[#out + 1] = f[i + 1] end
end
out[#out + 1] = 'headers'
out[#out + 1] = ARGV[2]
redis.call('XADD', KEYS[2], '*', unpack(out))
redis.call('XDEL', KEYS[1], ARGV[1])
return 1
"#;

/// What a commit did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Committed {
    /// Acknowledged and written.
    Done,
    /// The entry was already acknowledged (by another host): nothing written.
    AlreadyAcked,
    /// The message id was committed before with the same payload:
    /// acknowledged, outputs not written again.
    Duplicate,
    /// The message id was committed before with another payload (its
    /// digest given): nothing acknowledged or written — the caller
    /// dead-letters the message as `duplicate-id`.
    Conflict(String),
}

/// How long a worker keeps retrying a commit that failed (Redis restarting,
/// a network blip) before leaving the entry pending for reclaim.
pub const COMMIT_RETRY_BUDGET: std::time::Duration = std::time::Duration::from_secs(30);

/// Hex sha256 of a payload: what the dedupe records keep to tell a re-sent
/// document (same digest) from a reused id (another digest).
pub fn digest(payload: &[u8]) -> String {
    crate::stamp::sha256_hex(payload)
}

/// A commit being assembled.
pub struct Commit {
    keys: Vec<String>,
    args: Vec<Vec<u8>>,
}

impl Commit {
    /// Starts a commit acknowledging `entry_id` of `keys`' input.
    pub fn new(keys: &super::Keys, entry_id: &str) -> Commit {
        Commit {
            keys: vec![keys.input(), keys.done(), keys.digests()],
            args: vec![
                keys.group().into_bytes(),
                entry_id.into(),
                Vec::new(),
                Vec::new(),
            ],
        }
    }

    /// Records message `id` as done with its payload `digest`: a later
    /// commit of the same id is a duplicate (same digest) or a conflict.
    pub fn remember(&mut self, id: &str, digest: &str) -> &mut Self {
        self.args[2] = id.as_bytes().to_vec();
        self.args[3] = digest.as_bytes().to_vec();
        self
    }

    fn key_index(&mut self, key: &str) -> usize {
        match self.keys.iter().position(|k| k == key) {
            Some(i) => i + 1,
            None => {
                self.keys.push(key.to_string());
                self.keys.len()
            }
        }
    }

    fn fields(&mut self, fields: Vec<(&'static str, Vec<u8>)>) {
        self.args.push(fields.len().to_string().into_bytes());
        for (k, v) in fields {
            self.args.push(k.as_bytes().to_vec());
            self.args.push(v);
        }
    }

    /// Adds an entry to `stream`.
    pub fn xadd(&mut self, stream: &str, fields: Vec<(&'static str, Vec<u8>)>) -> &mut Self {
        let k = self.key_index(stream);
        self.args.push(b"x".to_vec());
        self.args.push(k.to_string().into_bytes());
        self.fields(fields);
        self
    }

    /// Adds an entry to `stream` and its id to `zset` with `score`.
    pub fn xadd_scheduled(
        &mut self,
        stream: &str,
        zset: &str,
        score: u64,
        fields: Vec<(&'static str, Vec<u8>)>,
    ) -> &mut Self {
        let k = self.key_index(stream);
        let z = self.key_index(zset);
        self.args.push(b"z".to_vec());
        self.args.push(k.to_string().into_bytes());
        self.args.push(z.to_string().into_bytes());
        self.args.push(score.to_string().into_bytes());
        self.fields(fields);
        self
    }

    /// Runs the commit once.
    pub async fn run_once(&self, con: &mut ConnectionManager) -> redis::RedisResult<Committed> {
        let mut inv = COMMIT_SCRIPT.prepare_invoke();
        for k in &self.keys {
            inv.key(k);
        }
        for a in &self.args {
            inv.arg(a.as_slice());
        }
        let reply: Vec<redis::Value> = inv.invoke_async(con).await?;
        let code = match reply.first() {
            Some(redis::Value::Int(c)) => *c,
            _ => 0,
        };
        Ok(match code {
            1 => Committed::Done,
            2 => Committed::Duplicate,
            3 => Committed::Conflict(match reply.get(1) {
                Some(redis::Value::BulkString(b)) => String::from_utf8_lossy(b).into_owned(),
                _ => String::new(),
            }),
            _ => Committed::AlreadyAcked,
        })
    }

    /// Runs the commit, retrying promptly with bounded backoff (50 ms up to
    /// 1 s) while Redis cannot be reached, for up to
    /// [`COMMIT_RETRY_BUDGET`]; after that the entry stays pending and is
    /// reclaimed. Retrying is safe: the script acknowledges first, so a
    /// commit that went through before its reply was lost answers
    /// [`Committed::AlreadyAcked`] and writes nothing again.
    pub async fn run(&self, con: &mut ConnectionManager) -> redis::RedisResult<Committed> {
        let started = std::time::Instant::now();
        let mut backoff = std::time::Duration::from_millis(50);
        loop {
            match self.run_once(con).await {
                Ok(c) => return Ok(c),
                Err(e) if transient(&e) && started.elapsed() + backoff < COMMIT_RETRY_BUDGET => {
                    metrics::counter!("weft_commit_retries_total").increment(1);
                    tracing::debug!("commit failed, retrying in {backoff:?}: {e}");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(std::time::Duration::from_secs(1));
                }
                Err(e) => return Err(e),
            }
        }
    }
}

/// Whether a Redis error may go away by itself (connection lost, server
/// loading its AOF, failover), as opposed to a script or type error.
pub fn transient(e: &redis::RedisError) -> bool {
    e.is_io_error()
        || e.is_connection_dropped()
        || e.is_connection_refusal()
        || e.is_timeout()
        || e.is_unrecoverable_error()
        || matches!(
            e.code(),
            Some("LOADING" | "BUSY" | "TRYAGAIN" | "CLUSTERDOWN" | "MASTERDOWN" | "READONLY")
        )
}

/// Moves up to `limit` due retries of a unit back to its input; returns how many.
pub async fn release_due(
    con: &mut ConnectionManager,
    keys: &super::Keys,
    now_ms: u64,
    limit: usize,
) -> redis::RedisResult<usize> {
    Script::new(RELEASE)
        .key(keys.retry())
        .key(keys.parked())
        .key(keys.input())
        .arg(now_ms)
        .arg(limit)
        .invoke_async(con)
        .await
}

/// Moves one DLQ entry back to the input with new headers; false if it is gone.
pub async fn replay(
    con: &mut ConnectionManager,
    keys: &super::Keys,
    entry_id: &str,
    headers_json: &str,
) -> redis::RedisResult<bool> {
    let n: i64 = Script::new(REPLAY)
        .key(keys.dlq())
        .key(keys.input())
        .arg(entry_id)
        .arg(headers_json)
        .invoke_async(con)
        .await?;
    Ok(n == 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        bus::{self, streams, DeliveryRecord, Keys},
        Message,
    };

    async fn xlen(con: &mut ConnectionManager, key: &str) -> usize {
        redis::cmd("XLEN").arg(key).query_async(con).await.unwrap()
    }

    /// Appends `payload` as message `id` to the input and reads it into the
    /// group (pending); returns the entry id.
    async fn pending_entry(
        con: &mut ConnectionManager,
        keys: &Keys,
        id: &str,
        payload: &[u8],
    ) -> String {
        let msg = Message {
            id: id.into(),
            payload: payload.to_vec(),
            ..Message::default()
        };
        let entry = bus::append(con, &keys.input(), &msg).await.unwrap();
        let read = streams::read_group(con, &keys.input(), &keys.group(), "t", 10, ">", None)
            .await
            .unwrap();
        assert_eq!(read.len(), 1);
        entry
    }

    fn settle(keys: &Keys, entry: &str, id: &str, payload: &[u8]) -> Commit {
        let record = DeliveryRecord {
            id: id.into(),
            sink: "erp".into(),
            flow: keys.flow.clone(),
            status: "201".into(),
            at_ms: 1,
            ..DeliveryRecord::default()
        };
        let mut c = Commit::new(keys, entry);
        c.remember(id, &digest(payload));
        c.xadd(&Keys::deliveries(&keys.flow), record.to_fields());
        c
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_delivery_record_is_written_with_the_ack_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let server = bus::RedisServer::start(&dir.path().join("redis"), None).unwrap();
        let mut con = bus::connect(&server.url()).await.unwrap();
        let keys = Keys::sink("f", "erp");
        let deliveries = Keys::deliveries("f");
        bus::ensure_group(&mut con, &keys.input(), &keys.group())
            .await
            .unwrap();

        // Acknowledged and recorded together.
        let e1 = pending_entry(&mut con, &keys, "m1", b"x").await;
        let c = settle(&keys, &e1, "m1", b"x");
        assert_eq!(c.run_once(&mut con).await.unwrap(), Committed::Done);
        assert_eq!(xlen(&mut con, &deliveries).await, 1);
        let records = bus::read_all(&mut con, &deliveries).await.unwrap();
        let r = DeliveryRecord::from_entry(&records[0]).unwrap();
        assert_eq!((r.id.as_str(), r.status.as_str()), ("m1", "201"));

        // The same commit again (its reply lost, or another host was
        // first): the entry is acknowledged already, nothing is written.
        assert_eq!(c.run_once(&mut con).await.unwrap(), Committed::AlreadyAcked);
        assert_eq!(xlen(&mut con, &deliveries).await, 1);

        // Acknowledged elsewhere before this host's commit: no record.
        let e2 = pending_entry(&mut con, &keys, "m2", b"y").await;
        let acked: i64 = redis::cmd("XACK")
            .arg(keys.input())
            .arg(keys.group())
            .arg(&e2)
            .query_async(&mut con)
            .await
            .unwrap();
        assert_eq!(acked, 1);
        let c = settle(&keys, &e2, "m2", b"y");
        assert_eq!(c.run_once(&mut con).await.unwrap(), Committed::AlreadyAcked);
        assert_eq!(xlen(&mut con, &deliveries).await, 1);

        // The message re-sent (same id and payload): acknowledged, no
        // second record.
        let e3 = pending_entry(&mut con, &keys, "m1", b"x").await;
        let c = settle(&keys, &e3, "m1", b"x");
        assert_eq!(c.run_once(&mut con).await.unwrap(), Committed::Duplicate);
        assert_eq!(xlen(&mut con, &deliveries).await, 1);

        // The id reused with another payload: neither acknowledged nor
        // recorded (the caller dead-letters it).
        let e4 = pending_entry(&mut con, &keys, "m1", b"other").await;
        let c = settle(&keys, &e4, "m1", b"other");
        assert!(matches!(
            c.run_once(&mut con).await.unwrap(),
            Committed::Conflict(_)
        ));
        assert_eq!(xlen(&mut con, &deliveries).await, 1);
        let pending: redis::Value = redis::cmd("XPENDING")
            .arg(keys.input())
            .arg(keys.group())
            .query_async(&mut con)
            .await
            .unwrap();
        let redis::Value::Array(p) = pending else {
            panic!("{pending:?}")
        };
        assert_eq!(
            p.first(),
            Some(&redis::Value::Int(1)),
            "e4 is still pending"
        );
    }
}
