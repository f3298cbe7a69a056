//! Why a harness command (`weft plugin test`, `weft plugin new`) failed.
//! Each variant says what failed and keeps the underlying error as its
//! `source`; [`crate::errors::chain`] renders the whole reason.

use std::path::PathBuf;

use weft_sdk::testing::case::CaseError;

/// Why running golden cases or scaffolding a plugin failed.
#[derive(Debug, thiserror::Error)]
pub enum HarnessError {
    /// The case folder or a case's files cannot be read, or hold no case.
    #[error(transparent)]
    Case(#[from] CaseError),
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
    /// A folder of the new plugin cannot be created.
    #[error("cannot create {}", path.display())]
    CreateDir {
        /// The folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A file of the new plugin cannot be written.
    #[error("cannot write {}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}
