//! Registry storage: metadata in SQLite, component bytes on disk under
//! `blobs/<sha256>` (written with temp file + rename).

use std::{
    path::{Path, PathBuf},
    sync::Mutex,
};

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use utoipa::ToSchema;

use weft_host::stamp::now_rfc3339;

/// Storage error.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite.
    #[error("database: {0}")]
    Db(#[from] rusqlite::Error),
    /// Disk.
    #[error("blob store: {0}")]
    Io(#[from] std::io::Error),
}

/// Metadata of one published version.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct VersionMeta {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Version.
    pub version: String,
    /// Hex sha256 of the bytes.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// e.g. `weft:plugin/transform@0.1.0`.
    pub world: String,
    /// `describe()` output.
    pub describe: serde_json::Value,
    /// Hex public key that signed it.
    pub publisher: String,
    /// Hex signature.
    pub signature: String,
    /// RFC 3339.
    pub published_at: String,
    /// Whether it was yanked.
    pub yanked: bool,
}

pub use weft_host::deployments::Deployment;

/// A recorded registry action: who (a token id, or the operator of a
/// local command), when, what, on what, and the result.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AuditRow {
    /// When (RFC 3339).
    pub at: String,
    /// `token:<first 12 hex of its hash>`, or `user@host` for local commands.
    pub who: String,
    /// `publish`, `yank`, `deploy`, `rollback`, `token.create`, `key.add`, `key.remove`.
    pub action: String,
    /// What it applied to (`ns/name@version`, `pipeline/stage`, a namespace).
    pub target: String,
    /// `ok`, or `error: <code>`.
    pub result: String,
}

/// What a host last reported for a pipeline stage.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct HostStatus {
    /// Pipeline.
    pub pipeline: String,
    /// Stage.
    pub stage: String,
    /// Host (consumer) name.
    pub host: String,
    /// Deployment id applied or attempted.
    pub deployment: i64,
    /// Whether it applied.
    pub ok: bool,
    /// Why not (at most 4096 bytes).
    pub error: Option<String>,
    /// When it was reported (RFC 3339).
    pub at: String,
}

/// The registry's storage.
pub struct Store {
    db: Mutex<Connection>,
    blobs: PathBuf,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS plugins (
  namespace TEXT NOT NULL, name TEXT NOT NULL, version TEXT NOT NULL,
  sha256 TEXT NOT NULL, size INTEGER NOT NULL, world TEXT NOT NULL, describe TEXT NOT NULL,
  publisher TEXT NOT NULL, signature TEXT NOT NULL, published_at TEXT NOT NULL,
  yanked INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (namespace, name, version));
CREATE TABLE IF NOT EXISTS keys (namespace TEXT NOT NULL, pubkey TEXT NOT NULL, added_at TEXT NOT NULL,
  PRIMARY KEY (namespace, pubkey));
CREATE TABLE IF NOT EXISTS tokens (hash TEXT PRIMARY KEY, scopes TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS deployment_status (pipeline TEXT NOT NULL, stage TEXT NOT NULL, host TEXT NOT NULL,
  deployment INTEGER NOT NULL, ok INTEGER NOT NULL, error TEXT, at TEXT NOT NULL,
  PRIMARY KEY (pipeline, stage, host));
CREATE TABLE IF NOT EXISTS audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL,
  who TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, result TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS deployments (id INTEGER PRIMARY KEY AUTOINCREMENT,
  pipeline TEXT NOT NULL, stage TEXT NOT NULL, plugin TEXT NOT NULL,
  canary TEXT, canary_percent INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL);
";

fn lock(m: &Mutex<Connection>) -> std::sync::MutexGuard<'_, Connection> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Store {
    /// Opens (creating) the store in `dir`.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir.join("blobs"))?;
        let db = Connection::open(dir.join("registry.sqlite3"))?;
        db.execute_batch(SCHEMA)?;
        Ok(Store {
            db: Mutex::new(db),
            blobs: dir.join("blobs"),
        })
    }

    /// Adds a token hash with its scopes.
    pub fn add_token(&self, hash: &str, scopes: &[String]) -> Result<(), StoreError> {
        lock(&self.db).execute(
            "INSERT INTO tokens (hash, scopes, created_at) VALUES (?1, ?2, ?3)",
            params![hash, scopes.join(" "), now_rfc3339()],
        )?;
        Ok(())
    }

    /// The scopes of a token hash.
    pub fn token_scopes(&self, hash: &str) -> Result<Option<Vec<String>>, StoreError> {
        let s: Option<String> = lock(&self.db)
            .query_row("SELECT scopes FROM tokens WHERE hash = ?1", [hash], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(s.map(|s| s.split_whitespace().map(str::to_string).collect()))
    }

    /// Registers a publisher key for a namespace.
    pub fn add_key(&self, namespace: &str, pubkey: &str) -> Result<(), StoreError> {
        lock(&self.db).execute(
            "INSERT OR IGNORE INTO keys (namespace, pubkey, added_at) VALUES (?1, ?2, ?3)",
            params![namespace, pubkey, now_rfc3339()],
        )?;
        Ok(())
    }

    /// Stops trusting a publisher key; false if it was not registered.
    pub fn remove_key(&self, namespace: &str, pubkey: &str) -> Result<bool, StoreError> {
        let n = lock(&self.db).execute(
            "DELETE FROM keys WHERE namespace = ?1 AND pubkey = ?2",
            params![namespace, pubkey],
        )?;
        Ok(n == 1)
    }

    /// Publisher keys of a namespace.
    pub fn keys(&self, namespace: &str) -> Result<Vec<String>, StoreError> {
        let db = lock(&self.db);
        let mut st = db.prepare("SELECT pubkey FROM keys WHERE namespace = ?1")?;
        let rows = st.query_map([namespace], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<VersionMeta> {
        let describe: String = r.get(6)?;
        Ok(VersionMeta {
            namespace: r.get(0)?,
            name: r.get(1)?,
            version: r.get(2)?,
            sha256: r.get(3)?,
            size: r.get::<_, i64>(4)? as u64,
            world: r.get(5)?,
            describe: serde_json::from_str(&describe).unwrap_or(serde_json::Value::Null),
            publisher: r.get(7)?,
            signature: r.get(8)?,
            published_at: r.get(9)?,
            yanked: r.get::<_, i64>(10)? != 0,
        })
    }

    const COLS: &'static str = "namespace, name, version, sha256, size, world, describe, publisher, signature, published_at, yanked";

    /// One version's metadata.
    pub fn version(
        &self,
        ns: &str,
        name: &str,
        version: &str,
    ) -> Result<Option<VersionMeta>, StoreError> {
        let db = lock(&self.db);
        let sql = format!(
            "SELECT {} FROM plugins WHERE namespace = ?1 AND name = ?2 AND version = ?3",
            Self::COLS
        );
        Ok(db
            .query_row(&sql, params![ns, name, version], Self::row)
            .optional()?)
    }

    /// Every version, or those of one plugin.
    pub fn versions(&self, filter: Option<(&str, &str)>) -> Result<Vec<VersionMeta>, StoreError> {
        let db = lock(&self.db);
        let (sql, args): (String, Vec<&str>) = match filter {
            Some((ns, name)) => (format!("SELECT {} FROM plugins WHERE namespace = ?1 AND name = ?2 ORDER BY published_at", Self::COLS), vec![ns, name]),
            None => (format!("SELECT {} FROM plugins ORDER BY namespace, name, published_at", Self::COLS), vec![]),
        };
        let mut st = db.prepare(&sql)?;
        let rows = st.query_map(rusqlite::params_from_iter(args), Self::row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Stores the bytes (content-addressed) and the metadata.
    pub fn publish(&self, meta: &VersionMeta, bytes: &[u8]) -> Result<(), StoreError> {
        let path = self.blobs.join(&meta.sha256);
        if !path.exists() {
            let tmp = self
                .blobs
                .join(format!(".{}.{}.tmp", meta.sha256, std::process::id()));
            std::fs::write(&tmp, bytes)?;
            std::fs::rename(&tmp, &path)?;
        }
        lock(&self.db).execute(
            &format!(
                "INSERT INTO plugins ({}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 0)",
                Self::COLS
            ),
            params![
                meta.namespace,
                meta.name,
                meta.version,
                meta.sha256,
                meta.size as i64,
                meta.world,
                meta.describe.to_string(),
                meta.publisher,
                meta.signature,
                meta.published_at
            ],
        )?;
        Ok(())
    }

    /// The bytes of a blob.
    pub fn blob(&self, sha256: &str) -> Result<Vec<u8>, StoreError> {
        Ok(std::fs::read(self.blobs.join(sha256))?)
    }

    /// Marks a version yanked; false if there is no such version.
    pub fn yank(&self, ns: &str, name: &str, version: &str) -> Result<bool, StoreError> {
        let n = lock(&self.db).execute(
            "UPDATE plugins SET yanked = 1 WHERE namespace = ?1 AND name = ?2 AND version = ?3",
            params![ns, name, version],
        )?;
        Ok(n == 1)
    }

    /// Appends an action to the audit trail (never updated or deleted).
    pub fn record_audit(
        &self,
        who: &str,
        action: &str,
        target: &str,
        result: &str,
    ) -> Result<(), StoreError> {
        lock(&self.db).execute(
            "INSERT INTO audit (at, who, action, target, result) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![now_rfc3339(), who, action, target, result],
        )?;
        Ok(())
    }

    /// The newest `limit` audit rows whose action starts with `action`, newest first.
    pub fn audit(&self, action: Option<&str>, limit: usize) -> Result<Vec<AuditRow>, StoreError> {
        let db = lock(&self.db);
        let mut st = db.prepare(
            "SELECT at, who, action, target, result FROM audit
             WHERE substr(action, 1, length(?1)) = ?1 ORDER BY id DESC LIMIT ?2",
        )?;
        let rows = st.query_map(params![action.unwrap_or(""), limit as i64], |r| {
            Ok(AuditRow {
                at: r.get(0)?,
                who: r.get(1)?,
                action: r.get(2)?,
                target: r.get(3)?,
                result: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Records a deployment.
    pub fn deploy(
        &self,
        pipeline: &str,
        stage: &str,
        plugin: &str,
        canary: Option<(&str, u8)>,
    ) -> Result<Deployment, StoreError> {
        let db = lock(&self.db);
        let now = now_rfc3339();
        db.execute(
            "INSERT INTO deployments (pipeline, stage, plugin, canary, canary_percent, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![pipeline, stage, plugin, canary.map(|c| c.0), canary.map(|c| c.1).unwrap_or(0), now],
        )?;
        let id = db.last_insert_rowid();
        Ok(Deployment {
            id,
            pipeline: pipeline.into(),
            stage: stage.into(),
            plugin: plugin.into(),
            canary: canary.map(|c| c.0.to_string()),
            canary_percent: canary.map(|c| c.1).unwrap_or(0),
            created_at: now,
        })
    }

    /// Records what a host applied (latest report per host and stage).
    pub fn set_status(
        &self,
        pipeline: &str,
        stage: &str,
        host: &str,
        deployment: i64,
        ok: bool,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        lock(&self.db).execute(
            "INSERT OR REPLACE INTO deployment_status (pipeline, stage, host, deployment, ok, error, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![pipeline, stage, host, deployment, ok as i64, error, now_rfc3339()],
        )?;
        Ok(())
    }

    /// Per-host applied status of every stage.
    pub fn statuses(&self) -> Result<Vec<HostStatus>, StoreError> {
        let db = lock(&self.db);
        let mut st = db.prepare("SELECT pipeline, stage, host, deployment, ok, error, at FROM deployment_status ORDER BY pipeline, stage, host")?;
        let rows = st.query_map([], |r| {
            Ok(HostStatus {
                pipeline: r.get(0)?,
                stage: r.get(1)?,
                host: r.get(2)?,
                deployment: r.get(3)?,
                ok: r.get::<_, i64>(4)? != 0,
                error: r.get(5)?,
                at: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every deployment, oldest first.
    pub fn deployments(&self) -> Result<Vec<Deployment>, StoreError> {
        let db = lock(&self.db);
        let mut st = db.prepare("SELECT id, pipeline, stage, plugin, canary, canary_percent, created_at FROM deployments ORDER BY id")?;
        let rows = st.query_map([], |r| {
            Ok(Deployment {
                id: r.get(0)?,
                pipeline: r.get(1)?,
                stage: r.get(2)?,
                plugin: r.get(3)?,
                canary: r.get(4)?,
                canary_percent: r.get::<_, i64>(5)? as u8,
                created_at: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
