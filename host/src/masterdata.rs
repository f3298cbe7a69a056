//! Master data and counters behind the `lookup` and `next-sequence` host
//! imports.
//!
//! Lookup tables are Redis hashes `weft:lookup:<table>` (loaded from CSV by
//! `weft lookup load`), or in-memory tables offline (`weft plugin run
//! --lookup TABLE=FILE.csv`, case folders). Counters are Redis keys
//! `weft:seq:<name>` (`INCR`), or in-memory counters offline.
//!
//! Both are called from inside a Wasm call, on a blocking thread, so the
//! Redis versions use synchronous connections from a small pool. When Redis
//! cannot be reached, a lookup answers "no entry" to the guest and the host
//! turns the whole call into a `retryable` failure afterwards, so a Redis
//! outage never makes items look unmapped.

pub mod csv;

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

pub use csv::{read_csv, CsvError, CsvTable};

/// Master data behind the `lookup` import.
pub trait Lookup: Send + Sync {
    /// The value under `key` in `table`: `Ok(None)` when there is no such
    /// entry, `Err` when the store cannot be reached.
    fn get(&self, table: &str, key: &str) -> Result<Option<String>, String>;
}

/// Counters behind the `next-sequence` import.
pub trait Sequences: Send + Sync {
    /// The next value (1, 2, 3, …) of counter `name`.
    fn next(&self, name: &str) -> Result<u64, String>;
}

/// In-memory lookup tables (`weft plugin run --lookup`, case folders, tests).
#[derive(Debug, Default, Clone)]
pub struct LookupTables(pub HashMap<String, HashMap<String, String>>);

impl LookupTables {
    /// Adds (or replaces) table `name`.
    pub fn insert(&mut self, name: &str, table: HashMap<String, String>) {
        self.0.insert(name.to_string(), table);
    }
}

impl Lookup for LookupTables {
    fn get(&self, table: &str, key: &str) -> Result<Option<String>, String> {
        Ok(self.0.get(table).and_then(|t| t.get(key)).cloned())
    }
}

/// In-memory counters, starting at 1 unless seeded (`--sequence NAME=N`
/// makes the next value N).
#[derive(Debug, Default)]
pub struct MemorySequences(Mutex<HashMap<String, u64>>);

impl MemorySequences {
    /// Counters whose next values are given.
    pub fn seeded(next: impl IntoIterator<Item = (String, u64)>) -> MemorySequences {
        MemorySequences(Mutex::new(
            next.into_iter()
                .map(|(k, v)| (k, v.saturating_sub(1)))
                .collect(),
        ))
    }
}

impl Sequences for MemorySequences {
    fn next(&self, name: &str) -> Result<u64, String> {
        let mut map = self.0.lock().map_err(|_| "counter lock poisoned")?;
        let v = map.entry(name.to_string()).or_insert(0);
        *v += 1;
        Ok(*v)
    }
}

pub use crate::bus::tables::{lookup_key, sequence_key};

/// Synchronous Redis connections shared by the lookups and counters of one
/// host; a connection is taken for one command and put back.
pub struct RedisStore {
    client: redis::Client,
    idle: Mutex<Vec<redis::Connection>>,
}

/// Idle connections kept at most.
const MAX_IDLE: usize = 8;

impl RedisStore {
    /// A store for the Redis at `url` (connections are opened on demand).
    pub fn new(url: &str) -> Result<Arc<RedisStore>, redis::RedisError> {
        Ok(Arc::new(RedisStore {
            client: redis::Client::open(url)?,
            idle: Mutex::new(Vec::new()),
        }))
    }

    fn with<T>(
        &self,
        f: impl FnOnce(&mut redis::Connection) -> redis::RedisResult<T>,
    ) -> Result<T, String> {
        let pooled = self.idle.lock().ok().and_then(|mut v| v.pop());
        let mut con = match pooled {
            Some(c) => c,
            None => self
                .client
                .get_connection_with_timeout(std::time::Duration::from_secs(2))
                .map_err(|e| format!("cannot connect to Redis: {e}"))?,
        };
        let result = f(&mut con).map_err(|e| e.to_string());
        // A connection that failed may be broken: drop it.
        if result.is_ok() {
            if let Ok(mut idle) = self.idle.lock() {
                if idle.len() < MAX_IDLE {
                    idle.push(con);
                }
            }
        }
        result
    }
}

impl Lookup for RedisStore {
    fn get(&self, table: &str, key: &str) -> Result<Option<String>, String> {
        self.with(|c| crate::bus::tables::lookup(c, table, key))
    }
}

impl Sequences for RedisStore {
    fn next(&self, name: &str) -> Result<u64, String> {
        self.with(|c| crate::bus::tables::next_sequence(c, name))
    }
}

/// The master data a host's stages share: lookup tables and counters.
#[derive(Clone, Default)]
pub struct Services {
    /// Served by the `lookup` import (none: every lookup answers "no entry").
    pub lookup: Option<Arc<dyn Lookup>>,
    /// Served by the `next-sequence` import (none: it fails as retryable).
    pub sequences: Option<Arc<dyn Sequences>>,
}

impl Services {
    /// Lookups and counters in the Redis at `url` (connections on demand).
    pub fn redis(url: &str) -> Result<Services, redis::RedisError> {
        let store = RedisStore::new(url)?;
        Ok(Services {
            lookup: Some(store.clone()),
            sequences: Some(store),
        })
    }

    /// In-memory tables and counters (`weft plugin run|test`).
    pub fn memory(tables: LookupTables, sequences: MemorySequences) -> Services {
        Services {
            lookup: Some(Arc::new(tables)),
            sequences: Some(Arc::new(sequences)),
        }
    }
}

/// What `weft lookup load` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    /// Entries now in the table.
    pub entries: usize,
    /// Whether earlier entries were replaced (`false`: merged).
    pub replaced: bool,
}

/// Loads `table` into Redis hash `weft:lookup:<table>` (see
/// [`crate::bus::tables::load_table`]: with `replace`, readers never see a
/// half-loaded table). `progress` is called with the number of entries
/// written so far.
pub async fn load_redis(
    con: &mut redis::aio::ConnectionManager,
    table: &str,
    rows: &CsvTable,
    replace: bool,
    progress: impl FnMut(usize),
) -> redis::RedisResult<Loaded> {
    let entries = crate::bus::tables::load_table(con, table, &rows.rows, replace, progress).await?;
    Ok(Loaded {
        entries,
        replaced: replace,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_counters_start_at_one_or_the_seed() {
        let s = MemorySequences::seeded([("isa".to_string(), 42)]);
        assert_eq!(s.next("isa"), Ok(42));
        assert_eq!(s.next("isa"), Ok(43));
        assert_eq!(s.next("gs"), Ok(1));
    }

    #[test]
    fn tables_answer_by_table_and_key() {
        let mut t = LookupTables::default();
        t.insert("items", HashMap::from([("A".to_string(), "1".to_string())]));
        assert_eq!(t.get("items", "A"), Ok(Some("1".into())));
        assert_eq!(t.get("items", "B"), Ok(None));
        assert_eq!(t.get("customers", "A"), Ok(None));
    }
}
