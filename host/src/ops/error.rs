//! Why an operator command (`weft up`, `ingest`, `dlq`) failed. Each
//! variant says what failed and keeps the underlying error as its
//! `source`; the `weft` command prints the whole chain.

use std::path::PathBuf;

use crate::{
    bus::{codec::DecodeError, server::ServerError},
    engine::LoadError,
    pipeline::{PipelineError, StartError},
};

/// Why an operator command failed.
#[derive(Debug, thiserror::Error)]
pub enum OpsError {
    /// The ledger could not start.
    #[error(transparent)]
    Ledger(#[from] crate::ledger::LedgerError),
    /// No Redis URL anywhere: not configured, not in the environment, no
    /// running `weft up` recorded one.
    #[error("no Redis configured: set [redis] url or REDIS_URL, or start `weft up` (it records its own in {})", file.display())]
    NoRedis {
        /// Where `weft up` records its private server's URL.
        file: PathBuf,
        /// Why that file cannot be read.
        #[source]
        source: std::io::Error,
    },
    /// The admin server would expose ingest or reports without a
    /// credential on an address other than loopback.
    #[error("refusing to listen on {addr} ([admin] listen): {why}")]
    Exposed {
        /// The address.
        addr: String,
        /// What would be open.
        why: String,
    },
    /// A pipeline's `[auth]` secret cannot be loaded.
    #[error("pipeline `{pipeline}` [auth]: {source}")]
    Secret {
        /// The pipeline.
        pipeline: String,
        /// Why.
        #[source]
        source: crate::admin::webhook::SecretError,
    },
    /// An `[[admin.tokens]]` token cannot be loaded.
    #[error("[[admin.tokens]] `{id}`: {source} (a token is a long random string; `weft token new --id {id} --scope …` makes one)")]
    Token {
        /// The token's id.
        id: String,
        /// Why.
        #[source]
        source: crate::admin::webhook::SecretError,
    },
    /// The admin server's certificate or key cannot be used.
    #[error("[admin] tls_cert / tls_key")]
    Tls(#[from] crate::admin::tls::TlsError),
    /// `sink:NAME` names a sink no pipeline routes into.
    #[error("no pipeline routes into sink `{0}`")]
    NoSinkRoute(String),
    /// No such pipeline in the configuration.
    #[error("no pipeline `{unit}` in the configuration (pipelines: {known})")]
    NoPipeline {
        /// The name given.
        unit: String,
        /// The configured pipelines, comma-separated.
        known: String,
    },
    /// `weft ingest` was given a sink.
    #[error("ingest into a pipeline, not a sink")]
    IngestIntoSink,
    /// A file cannot be read.
    #[error("cannot read {}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Redis cannot be reached.
    #[error("cannot connect to Redis at {url}")]
    Connect {
        /// The URL.
        url: String,
        /// The connection error.
        #[source]
        source: redis::RedisError,
    },
    /// A file cannot be put on its pipeline's input stream.
    #[error("cannot queue {} (Redis at {url})", path.display())]
    Queue {
        /// The file.
        path: PathBuf,
        /// The Redis URL.
        url: String,
        /// The Redis error.
        #[source]
        source: redis::RedisError,
    },
    /// The admin address cannot be listened on.
    #[error("cannot listen on {addr} ([admin] listen)")]
    Listen {
        /// `[admin] listen`.
        addr: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The private `redis-server` cannot be started.
    #[error(transparent)]
    PrivateRedis(#[from] ServerError),
    /// The runtime cannot start.
    #[error(transparent)]
    Start(#[from] StartError),
    /// A background task (`what`) died.
    #[error("the {what} task failed")]
    Task {
        /// Which task.
        what: &'static str,
        /// How it ended.
        #[source]
        source: tokio::task::JoinError,
    },
    /// `weft dlq` without `--id` or `--all`.
    #[error("name entries with --id (DLQ entry or message id) or use --all")]
    NoSelection,
    /// No DLQ entry has one of the ids given.
    #[error("no DLQ entry of `{unit}` matches {ids}")]
    NoMatch {
        /// The pipeline or `sink:NAME`.
        unit: String,
        /// The ids given, comma-separated.
        ids: String,
    },
    /// `weft dlq replay --dry-run` on a sink.
    #[error("--dry-run runs the pipeline's plugins; `{0}` is not a pipeline")]
    DryRunNotPipeline(String),
    /// The engine for a dry run cannot be set up.
    #[error(transparent)]
    Engine(#[from] LoadError),
    /// The pipeline of a dry run cannot be loaded.
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
    /// A DLQ entry is not a message.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// A Redis command failed.
    #[error(transparent)]
    Redis(#[from] redis::RedisError),
    /// A record cannot be rendered as JSON.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    /// The output cannot be written.
    #[error("cannot write the output")]
    Output(#[from] std::io::Error),
}

impl OpsError {
    /// Redis at `url` cannot be reached.
    pub(crate) fn connect(url: &str, source: redis::RedisError) -> OpsError {
        OpsError::Connect {
            url: url.to_string(),
            source,
        }
    }
}
