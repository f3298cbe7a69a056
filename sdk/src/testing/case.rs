//! The golden-case format, as plain data: the one definition both
//! `weft plugin test` (a component in the host) and the native runner
//! ([`super::golden`]) use, so a case passes under one exactly when it
//! passes under the other.
//!
//! A case folder holds, per case `NAME`:
//! - `NAME.input.<ext>`: the input payload (the extension gives the content
//!   type, see [`content_type_for`]);
//! - `NAME.expected.jsonl`: one output message per line, in the JSON-lines
//!   form of [`crate::jsonl`] (object key order does not matter), or
//!   `NAME.expected-error.txt`: `<class>: <substring of the message>`;
//! - optionally `NAME.config.toml` ([`CaseConfig`]): top-level keys are
//!   plugin config; a `[message]` table overrides the input message (id,
//!   kind, content_type, correlation_id, headers); `[lookup.<table>]`
//!   tables (`key = "value"`) answer the `lookup` import; a `[sequence]`
//!   table (`name = N`) sets the next value of `next-sequence` counters,
//!   which otherwise start at 1 for every case.
//!
//! A runner [`discover`]s the cases, reads each one's [`Case::config`] and
//! [`Case::input_message`], calls the plugin, renders the outputs with
//! [`crate::jsonl::render_output`] and hands the result to [`judge`].

mod config;
mod verdict;

use std::path::{Path, PathBuf};

use serde_json::Value;

pub use config::{content_type_for, CaseConfig, ConfigError, MessageSpec};
pub use verdict::{
    compare, expected_lines, one_line, CaseFailure, CaseResult, Diff, ExpectedError, Mismatch,
    FAILURE_CLASSES,
};

use crate::Message;

/// One case found in a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// The case name (the file name up to `.input.`).
    pub name: String,
    /// The input file.
    pub input: PathBuf,
    dir: PathBuf,
}

/// The verdict on one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseReport {
    /// The result matched the expected file.
    Pass,
    /// It did not: why, with a diff for differing outputs.
    Fail(String),
    /// Blessing wrote the expected file from the result.
    Blessed,
}

/// Why a case could not be run or judged (as opposed to a failing case).
#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    /// A file or folder could not be read.
    #[error("cannot read {}", path.display())]
    Read {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// An expected file could not be written (blessing).
    #[error("cannot write {}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A `NAME.config.toml` is refused.
    #[error("{}", path.display())]
    Config {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: ConfigError,
    },
    /// A line of a `NAME.expected.jsonl` is not JSON.
    #[error("{} line {line}", path.display())]
    Expected {
        /// The file.
        path: PathBuf,
        /// The 1-based line number.
        line: usize,
        /// The JSON error.
        #[source]
        source: serde_json::Error,
    },
    /// The folder holds no case.
    #[error("no cases in {}: a case is NAME.input.<ext> with NAME.expected.jsonl or NAME.expected-error.txt", dir.display())]
    NoCases {
        /// The folder.
        dir: PathBuf,
    },
}

/// Finds the cases in `dir` (files named `NAME.input.<ext>`), sorted by
/// name; a folder without any is an error.
pub fn discover(dir: &Path) -> Result<Vec<Case>, CaseError> {
    let read = |source| CaseError::Read {
        path: dir.to_path_buf(),
        source,
    };
    let mut cases = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(read)? {
        let path = entry.map_err(read)?.path();
        let Some(file) = path.file_name().and_then(|f| f.to_str()) else {
            continue;
        };
        if let Some(i) = file.find(".input.") {
            cases.push(Case {
                name: file[..i].to_string(),
                input: path.clone(),
                dir: dir.to_path_buf(),
            });
        }
    }
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    if cases.is_empty() {
        return Err(CaseError::NoCases {
            dir: dir.to_path_buf(),
        });
    }
    Ok(cases)
}

impl Case {
    /// `NAME.<suffix>` next to the input.
    pub fn sibling(&self, suffix: &str) -> PathBuf {
        self.dir.join(format!("{}.{suffix}", self.name))
    }

    /// The case's `NAME.config.toml`, the default when there is none.
    pub fn config(&self) -> Result<CaseConfig, CaseError> {
        let path = self.sibling("config.toml");
        if !path.exists() {
            return Ok(CaseConfig::default());
        }
        let text = read_text(&path)?;
        CaseConfig::parse(&text).map_err(|source| CaseError::Config { path, source })
    }

    /// The input message for a plugin accepting `accepts`: the input file
    /// with the `[message]` overrides of `config` and their defaults.
    pub fn input_message(
        &self,
        config: &CaseConfig,
        accepts: &[String],
    ) -> Result<Message, CaseError> {
        let payload = std::fs::read(&self.input).map_err(|source| CaseError::Read {
            path: self.input.clone(),
            source,
        })?;
        Ok(config.message.message(accepts, Some(&self.input), payload))
    }
}

/// Judges a case's result against its expected file, or with `bless`
/// writes the expected file from it (removing the other kind). An
/// `expected-error.txt` wins over an `expected.jsonl`.
pub fn judge(case: &Case, result: &CaseResult, bless: bool) -> Result<CaseReport, CaseError> {
    let expected_ok = case.sibling("expected.jsonl");
    let expected_err = case.sibling("expected-error.txt");
    if bless {
        let (write, remove, text) = match result {
            Ok(lines) => (&expected_ok, &expected_err, expected_jsonl(lines)),
            Err(f) => (&expected_err, &expected_ok, format!("{f}\n")),
        };
        std::fs::write(write, text).map_err(|source| CaseError::Write {
            path: write.clone(),
            source,
        })?;
        let _ = std::fs::remove_file(remove);
        return Ok(CaseReport::Blessed);
    }
    let verdict = if expected_err.exists() {
        ExpectedError::parse(&read_text(&expected_err)?).and_then(|want| want.check(result))
    } else if !expected_ok.exists() {
        Err(Mismatch::NoExpectedFile(case.name.clone()))
    } else {
        match result {
            Err(f) => Err(Mismatch::Failed(f.clone())),
            Ok(got) => {
                let want =
                    expected_lines(&read_text(&expected_ok)?).map_err(|(line, source)| {
                        CaseError::Expected {
                            path: expected_ok.clone(),
                            line,
                            source,
                        }
                    })?;
                compare(&want, got).map_err(Mismatch::Differs)
            }
        }
    };
    Ok(match verdict {
        Ok(()) => CaseReport::Pass,
        Err(m) => CaseReport::Fail(m.to_string()),
    })
}

/// The text of an `expected.jsonl` for `lines`: one compact JSON line each.
pub fn expected_jsonl(lines: &[Value]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// An error and its sources on one line, `outer: inner: …`, as the runners
/// report a case that could not be run.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

fn read_text(path: &Path) -> Result<String, CaseError> {
    std::fs::read_to_string(path).map_err(|source| CaseError::Read {
        path: path.to_path_buf(),
        source,
    })
}
