//! Golden cases: `NAME.input.<ext>` with `NAME.expected.jsonl` (one output
//! message per line, as `weft plugin run` prints them) or
//! `NAME.expected-error.txt` (`<class>: <substring of the message>`), and an
//! optional `NAME.config.toml`: top-level keys are plugin config; a
//! `[message]` table overrides the input message (id, kind, content_type,
//! correlation_id, headers); `[lookup.<table>]` tables (`key = "value"`)
//! answer the `lookup` import; a `[sequence]` table (`name = N`) sets the
//! next value of `next-sequence` counters, which otherwise start at 1.

use std::{
    collections::BTreeMap,
    io::Write,
    path::{Path, PathBuf},
};

use serde_json::Value;

use super::{HarnessError, InputSpec};
use crate::{
    engine::CallContext,
    masterdata::{LookupTables, MemorySequences, Services},
    Failure, FailureClass, Plugin,
};

/// One case found in a folder.
#[derive(Debug, Clone)]
pub struct Case {
    /// The case name (file name up to `.input.`).
    pub name: String,
    /// The input file.
    pub input: PathBuf,
    dir: PathBuf,
}

impl Case {
    fn sibling(&self, suffix: &str) -> PathBuf {
        self.dir.join(format!("{}.{suffix}", self.name))
    }
}

/// The verdict on one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseReport {
    /// Output matched.
    Pass,
    /// Output did not match; the reason and, for output mismatches, a diff.
    Fail(String),
    /// `--bless` wrote the expected file.
    Blessed,
}

/// Finds the cases in `dir`, sorted by name.
pub fn discover(dir: &Path) -> Result<Vec<Case>, HarnessError> {
    let mut cases = Vec::new();
    let unreadable = |source| HarnessError::CaseFolder {
        dir: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(unreadable)? {
        let path = entry.map_err(unreadable)?.path();
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
        return Err(HarnessError::NoCases {
            dir: dir.to_path_buf(),
        });
    }
    Ok(cases)
}

/// What a case's `NAME.config.toml` sets.
#[derive(Debug, Default)]
pub struct CaseConfig {
    /// Plugin config (top-level keys).
    pub config: BTreeMap<String, String>,
    /// Input message overrides (`[message]`).
    pub spec: InputSpec,
    /// Lookup tables (`[lookup.<table>]`).
    pub lookup: LookupTables,
    /// Counter seeds (`[sequence]`): the next value of each.
    pub sequences: Vec<(String, u64)>,
}

impl CaseConfig {
    /// The services a case's call sees: its tables and fresh counters.
    pub fn services(&self) -> Services {
        Services::memory(
            self.lookup.clone(),
            MemorySequences::seeded(self.sequences.clone()),
        )
    }
}

/// Loads `NAME.config.toml`.
pub fn load_case_config(path: &Path) -> Result<CaseConfig, HarnessError> {
    let bad = |what: &'static str| {
        move |source| HarnessError::CaseConfig {
            path: path.to_path_buf(),
            what,
            source: Box::new(source),
        }
    };
    let text = std::fs::read_to_string(path).map_err(|source| HarnessError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let mut table: toml::Table = toml::from_str(&text).map_err(bad(" is not valid TOML"))?;
    let spec = match table.remove("message") {
        Some(v) => v
            .try_into::<InputSpec>()
            .map_err(bad(": bad [message] table"))?,
        None => InputSpec::default(),
    };
    let lookup = match table.remove("lookup") {
        Some(v) => lookup_tables(v).map_err(bad(
            ": bad [lookup] table: each [lookup.<table>] maps keys to string values",
        ))?,
        None => LookupTables::default(),
    };
    let sequences = match table.remove("sequence") {
        Some(v) => v
            .try_into::<BTreeMap<String, u64>>()
            .map_err(bad(": [sequence] maps counter names to numbers"))?
            .into_iter()
            .collect(),
        None => Vec::new(),
    };
    let mut config = BTreeMap::new();
    for (k, v) in table {
        let v = match v {
            toml::Value::String(s) => s,
            toml::Value::Integer(_) | toml::Value::Float(_) | toml::Value::Boolean(_) => {
                v.to_string()
            }
            other => {
                return Err(HarnessError::ConfigValue {
                    path: path.to_path_buf(),
                    key: k,
                    kind: other.type_str(),
                })
            }
        };
        config.insert(k, v);
    }
    Ok(CaseConfig {
        config,
        spec,
        lookup,
        sequences,
    })
}

/// `[lookup.<table>]` tables of `key = "value"`.
fn lookup_tables(v: toml::Value) -> Result<LookupTables, toml::de::Error> {
    let tables: BTreeMap<String, std::collections::HashMap<String, String>> = v.try_into()?;
    let mut out = LookupTables::default();
    for (name, t) in tables {
        out.insert(&name, t);
    }
    Ok(out)
}

/// Runs every case in `dir` against `plugin`, printing a line per case and
/// a final `N passed, M failed`. Returns `(passed, failed)`.
pub fn run_cases(
    plugin: &Plugin,
    dir: &Path,
    bless: bool,
    out: &mut dyn Write,
) -> Result<(usize, usize), HarnessError> {
    let (mut passed, mut failed) = (0, 0);
    for case in discover(dir)? {
        let report = run_case(plugin, &case, bless)
            .unwrap_or_else(|e| CaseReport::Fail(crate::errors::chain(&e)));
        match &report {
            CaseReport::Pass => {
                passed += 1;
                writeln!(out, "ok      {}", case.name)
            }
            CaseReport::Blessed => {
                passed += 1;
                writeln!(out, "blessed {}", case.name)
            }
            CaseReport::Fail(why) => {
                failed += 1;
                writeln!(out, "FAIL    {}: {}", case.name, why.trim_end())
            }
        }
        .map_err(HarnessError::Output)?;
    }
    writeln!(out, "{passed} passed, {failed} failed").map_err(HarnessError::Output)?;
    Ok((passed, failed))
}

/// Runs one case.
pub fn run_case(plugin: &Plugin, case: &Case, bless: bool) -> Result<CaseReport, HarnessError> {
    let config_path = case.sibling("config.toml");
    let case_config = if config_path.exists() {
        load_case_config(&config_path)?
    } else {
        CaseConfig::default()
    };
    let services = case_config.services();
    let (config, spec) = (case_config.config, case_config.spec);
    let payload = std::fs::read(&case.input).map_err(|source| HarnessError::Read {
        path: case.input.clone(),
        source,
    })?;
    let input = spec.message(plugin, Some(&case.input), payload);
    let result = plugin.process(&input, &CallContext::new(config, &services));
    let expected_ok = case.sibling("expected.jsonl");
    let expected_err = case.sibling("expected-error.txt");
    if bless {
        match &result {
            Ok(outcome) => {
                let mut text = String::new();
                for m in &outcome.outputs {
                    text.push_str(&serde_json::to_string(&m.to_json_line())?);
                    text.push('\n');
                }
                write(&expected_ok, text)?;
                let _ = std::fs::remove_file(&expected_err);
            }
            Err(f) => {
                write(&expected_err, format!("{}: {}\n", f.class, f.message))?;
                let _ = std::fs::remove_file(&expected_ok);
            }
        }
        return Ok(CaseReport::Blessed);
    }
    if expected_err.exists() {
        let want = read(&expected_err)?;
        return Ok(check_error(&want, result.map(|o| o.outputs.len())));
    }
    if !expected_ok.exists() {
        return Ok(CaseReport::Fail(format!(
            "no {0}.expected.jsonl or {0}.expected-error.txt (run with --bless to write one)",
            case.name
        )));
    }
    let outcome = match result {
        Ok(o) => o,
        Err(f) => {
            return Ok(CaseReport::Fail(format!(
                "expected outputs, got error: {f}"
            )))
        }
    };
    let want_text = read(&expected_ok)?;
    let mut want = Vec::new();
    for (i, line) in want_text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        want.push(serde_json::from_str::<Value>(line).map_err(|source| {
            HarnessError::ExpectedLine {
                path: expected_ok.clone(),
                line: i + 1,
                source,
            }
        })?);
    }
    let got: Vec<Value> = outcome.outputs.iter().map(|m| m.to_json_line()).collect();
    if got == want {
        return Ok(CaseReport::Pass);
    }
    Ok(CaseReport::Fail(format!(
        "output differs (- expected, + actual):\n{}",
        diff(&want, &got)
    )))
}

fn read(path: &Path) -> Result<String, HarnessError> {
    std::fs::read_to_string(path).map_err(|source| HarnessError::Read {
        path: path.to_path_buf(),
        source,
    })
}

fn write(path: &Path, text: String) -> Result<(), HarnessError> {
    std::fs::write(path, text).map_err(|source| HarnessError::Write {
        path: path.to_path_buf(),
        source,
    })
}

fn check_error(want: &str, got: Result<usize, Failure>) -> CaseReport {
    let line = want
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    let (class, substring) = line
        .split_once(':')
        .map(|(c, s)| (c.trim(), s.trim()))
        .unwrap_or((line, ""));
    let Some(class) = FailureClass::parse(class) else {
        return CaseReport::Fail(format!("expected-error.txt must start with a class (invalid, retryable, trap, timeout, memory-limit, bad-output), not `{class}`"));
    };
    match got {
        Ok(n) => CaseReport::Fail(format!(
            "expected {class} error containing `{substring}`, got {n} output(s)"
        )),
        Err(f) if f.class == class && f.message.contains(substring) => CaseReport::Pass,
        Err(f) => CaseReport::Fail(format!(
            "expected {class} error containing `{substring}`, got {f}"
        )),
    }
}

/// Sorts object keys recursively so a diff ignores key order.
fn canonical(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let sorted: BTreeMap<&String, Value> =
                m.iter().map(|(k, v)| (k, canonical(v))).collect();
            Value::Object(sorted.into_iter().map(|(k, v)| (k.clone(), v)).collect())
        }
        Value::Array(a) => Value::Array(a.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

fn diff(want: &[Value], got: &[Value]) -> String {
    let render = |vs: &[Value]| {
        vs.iter()
            .map(|v| serde_json::to_string_pretty(&canonical(v)).unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    };
    let (a, b) = (render(want), render(got));
    let d = similar::TextDiff::from_lines(&a, &b);
    let mut out = String::new();
    for group in d.grouped_ops(2) {
        for op in group {
            for change in d.iter_changes(&op) {
                let sign = match change.tag() {
                    similar::ChangeTag::Delete => "-",
                    similar::ChangeTag::Insert => "+",
                    similar::ChangeTag::Equal => " ",
                };
                out.push_str(&format!("    {sign} {change}"));
            }
        }
        out.push_str("    ...\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_expectations() {
        let f = Failure::new(FailureClass::Invalid, "order 1 has no line_items");
        assert_eq!(
            check_error("invalid: no line_items\n", Err(f.clone())),
            CaseReport::Pass
        );
        assert!(matches!(
            check_error("trap: no line_items", Err(f.clone())),
            CaseReport::Fail(_)
        ));
        assert!(matches!(
            check_error("invalid: other", Err(f)),
            CaseReport::Fail(_)
        ));
        assert!(matches!(
            check_error("invalid: x", Ok(1)),
            CaseReport::Fail(_)
        ));
        assert!(
            matches!(check_error("oops: x", Ok(1)), CaseReport::Fail(m) if m.contains("must start with a class"))
        );
    }

    #[test]
    fn diff_ignores_key_order_and_shows_changes() {
        let a = serde_json::json!({"b": 1, "a": [1, 2]});
        let b = serde_json::json!({"a": [1, 2], "b": 1});
        assert_eq!(canonical(&a), canonical(&b));
        let c = serde_json::json!({"a": [1, 3], "b": 1});
        let d = diff(&[a], &[c]);
        assert!(d.contains("-     2") && d.contains("+     3"), "{d}");
    }
}
