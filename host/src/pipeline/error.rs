//! Why a runtime, a pipeline, a stage or a sink cannot start. Each error
//! says what failed and keeps the underlying error as its `source`;
//! printed with its causes (`{:#}` in the `weft` command,
//! [`crate::errors::chain`] elsewhere) it is one line such as
//! `weft.toml:12: pipeline `p` stage `s`: cannot load x.wasm: not a WebAssembly component (…)`.

use std::path::PathBuf;

use crate::{deployments::SourceError, engine::LoadError, plugin_ref::PluginRef};

/// Why [`super::Runtime::start`] failed.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The engine could not be set up.
    #[error(transparent)]
    Engine(#[from] LoadError),
    /// The Redis URL does not parse.
    #[error("bad Redis URL {url}")]
    RedisUrl {
        /// The URL.
        url: String,
        /// Why it was refused.
        #[source]
        source: redis::RedisError,
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
    /// A unit's consumer group cannot be created.
    #[error("cannot create consumer group {group} on {stream}")]
    Group {
        /// The input stream.
        stream: String,
        /// The group.
        group: String,
        /// The Redis error.
        #[source]
        source: redis::RedisError,
    },
    /// A pipeline cannot be loaded.
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
    /// A sink cannot be set up.
    #[error(transparent)]
    Sink(#[from] SinkError),
}

impl StartError {
    /// Redis at `url` cannot be reached.
    pub(crate) fn connect(url: &str, source: redis::RedisError) -> StartError {
        StartError::Connect {
            url: url.to_string(),
            source,
        }
    }
}

/// Why a pipeline cannot be loaded ([`super::PipelineUnit::load`]).
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The configuration has no such pipeline.
    #[error("no such pipeline `{0}`")]
    NoSuchPipeline(String),
    /// One of its stages cannot be built; `place` is `weft.toml:12: `
    /// when the configuration came from a file.
    #[error("{place}pipeline `{pipeline}` stage `{stage}`")]
    Stage {
        /// `FILE:LINE: ` of the stage, or empty.
        place: String,
        /// The pipeline.
        pipeline: String,
        /// The stage.
        stage: String,
        /// Why.
        #[source]
        source: Box<StageError>,
    },
}

/// Why a stage cannot be built from its plugin.
#[derive(Debug, thiserror::Error)]
pub enum StageError {
    /// The stage names a registry version but the host has no `[registry]`.
    #[error("a registry stage needs [registry]")]
    NoRegistry,
    /// The reference is not `ns/name@version`.
    #[error(transparent)]
    Reference(#[from] crate::plugin_ref::PluginRefError),
    /// The registry did not hand out the component.
    #[error(transparent)]
    Fetch(#[from] SourceError),
    /// The loading task died.
    #[error("the task loading the plugin failed")]
    Task(#[source] tokio::task::JoinError),
    /// A component file cannot be loaded.
    #[error("cannot load {}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: Unloadable,
    },
    /// A registry version cannot be loaded.
    #[error("{plugin}")]
    Component {
        /// The version.
        plugin: PluginRef,
        /// Why.
        #[source]
        source: Unloadable,
    },
    /// The component's `describe()` names another plugin or version.
    #[error("{plugin}: describe() says {name}@{version}")]
    Mismatch {
        /// What was deployed.
        plugin: PluginRef,
        /// The name `describe()` gives.
        name: String,
        /// The version `describe()` gives.
        version: String,
    },
}

/// A component that did not load, shown on one line
/// ([`LoadError::one_line`]: wasmtime's multi-line parse errors and byte
/// dumps cut to their first line of prose). The whole [`LoadError`] is
/// kept in `.0`; its causes are already in that line, so there is no
/// further `source`.
#[derive(Debug)]
pub struct Unloadable(pub LoadError);

impl std::fmt::Display for Unloadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.one_line())
    }
}

impl std::error::Error for Unloadable {}

/// Why a sink cannot be set up.
#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    /// The configuration has no such sink.
    #[error("no such sink `{0}`")]
    NoSuchSink(String),
    /// A `stream` sink is read by outside consumers, not delivered.
    #[error("sink `{0}` is a stream: nothing to deliver")]
    Stream(String),
    /// The HTTP client cannot be built.
    #[error("sink `{name}`: cannot set up the HTTP client")]
    Client {
        /// The sink.
        name: String,
        /// Why.
        #[source]
        source: reqwest::Error,
    },
    /// A `file` sink's folder cannot be created.
    #[error("sink `{name}`: cannot create {}", dir.display())]
    Dir {
        /// The sink.
        name: String,
        /// The folder.
        dir: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errors::chain;

    #[test]
    fn a_stage_error_is_one_line_with_its_place_and_cause() {
        let e = PipelineError::Stage {
            place: "weft.toml:9: ".into(),
            pipeline: "orders".into(),
            stage: "source".into(),
            source: Box::new(StageError::File {
                path: "notes.wasm".into(),
                source: Unloadable(LoadError::NotAComponent(
                    "bad magic number - expected=[\n 0x0, 0x61,\n]".into(),
                )),
            }),
        };
        assert_eq!(
            chain(&e),
            "weft.toml:9: pipeline `orders` stage `source`: cannot load notes.wasm: not a WebAssembly component (bad magic number)"
        );
        let r = PluginRef::parse("acme/x@1.0.0").unwrap();
        let e = StageError::Component {
            plugin: r,
            source: Unloadable(LoadError::Describe("failed: boom".into())),
        };
        assert_eq!(chain(&e), "acme/x@1.0.0: describe() failed: boom");
    }
}
