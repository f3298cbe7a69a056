//! `weft.toml`: flows, pipelines, sinks, retry policy and Redis.
//!
//! Unknown keys are errors naming the key and its line; so are references
//! to sinks or pipelines that do not exist, plugin files that are missing,
//! and values out of their range (`max_attempts = 0`, `jitter = 7.5`, …).
//! See `weft.example.toml` at the repository root for a commented example.

mod admin;
pub mod auth;
pub mod ledger;
mod model;
mod ranges;

use std::path::{Path, PathBuf};

pub use admin::{AdminConfig, AdminToken, Scope};
pub use model::*;

/// A configuration problem, with the file and line when known.
#[derive(Debug, thiserror::Error)]
#[error("{file}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct ConfigError {
    /// The configuration file.
    pub file: PathBuf,
    /// 1-based line of the offending key, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

/// Reads, parses and checks a configuration file. Relative paths in it
/// (plugins, sink directories) are resolved against its directory.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        file: path.to_path_buf(),
        line: None,
        message: format!("cannot read: {e}"),
    })?;
    parse(&text, path)
}

/// Parses and checks configuration text; `path` names it in errors and
/// anchors relative paths.
pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
    let mut config: Config = toml::from_str(text).map_err(|e| ConfigError {
        file: path.to_path_buf(),
        line: e.span().map(|s| line_of(s.start)),
        message: e.message().to_string(),
    })?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let locate = |keys: &[&str]| ranges::span_at(text, keys);
    config
        .resolve(&base, &locate)
        .map_err(|(span, message)| ConfigError {
            file: path.to_path_buf(),
            line: span.map(|s| line_of(s.start)),
            message,
        })?;
    config.file = path.to_path_buf();
    for stage in config.pipelines.values_mut().flat_map(|p| &mut p.stages) {
        stage.line = Some(line_of(stage.plugin.span().start));
    }
    Ok(config)
}

#[cfg(test)]
mod tests;
