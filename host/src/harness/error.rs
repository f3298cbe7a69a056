//! Why a harness command (`weft plugin test`, `weft plugin new`) failed.
//! Each variant says what failed and keeps the underlying error as its
//! `source`; [`crate::errors::chain`] renders the whole reason.

use std::path::PathBuf;

/// Why running golden cases or scaffolding a plugin failed.
#[derive(Debug, thiserror::Error)]
pub enum HarnessError {
    /// A case folder cannot be listed.
    #[error("cannot read case folder {}", dir.display())]
    CaseFolder {
        /// The folder.
        dir: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A case folder holds no case.
    #[error("no cases in {}: a case is NAME.input.<ext> with NAME.expected.jsonl or NAME.expected-error.txt", dir.display())]
    NoCases {
        /// The folder.
        dir: PathBuf,
    },
    /// A file cannot be read.
    #[error("cannot read {}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A file cannot be written.
    #[error("cannot write {}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A folder cannot be created.
    #[error("cannot create {}", path.display())]
    CreateDir {
        /// The folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A case's `NAME.config.toml` is wrong; `what` says where (`is not
    /// valid TOML`, `bad [message] table`, …).
    #[error("{}{what}", path.display())]
    CaseConfig {
        /// The file.
        path: PathBuf,
        /// What is wrong, with its leading separator (`: bad [message] table`).
        what: &'static str,
        /// The TOML error.
        #[source]
        source: Box<toml::de::Error>,
    },
    /// A top-level key of a case config is a table or an array.
    #[error("{}: config key `{key}` must be a string, number or boolean, not {kind}", path.display())]
    ConfigValue {
        /// The file.
        path: PathBuf,
        /// The key.
        key: String,
        /// The TOML type it has.
        kind: &'static str,
    },
    /// A line of `NAME.expected.jsonl` is not JSON.
    #[error("{} line {line}", path.display())]
    ExpectedLine {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// The JSON error.
        #[source]
        source: serde_json::Error,
    },
    /// An output cannot be rendered as JSON.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    /// The report cannot be written.
    #[error("cannot write the report")]
    Output(#[source] std::io::Error),
    /// `weft plugin new` was given a name outside `a-z 0-9 -`.
    #[error("plugin name `{0}` must be 1-64 lower-case letters, digits or `-`")]
    PluginName(String),
    /// `weft plugin new` would write into a folder with files in it.
    #[error("{} already exists and is not empty", dir.display())]
    NotEmpty {
        /// The folder.
        dir: PathBuf,
    },
    /// The SDK path given to `weft plugin new` does not exist.
    #[error("SDK path {} does not exist", path.display())]
    NoSdk {
        /// The path.
        path: PathBuf,
        /// Why it cannot be resolved.
        #[source]
        source: std::io::Error,
    },
}
