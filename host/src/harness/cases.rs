//! Golden cases under `weft plugin test`: the format (the case files, the
//! `NAME.config.toml` tables, the input message and its defaults, the
//! JSON-lines form, the comparison and blessing) is
//! `weft_sdk::testing::case`, the one definition the plugins' native tests
//! use too; this module runs a case's input through the component.

use std::{io::Write, path::Path};

use weft_sdk::testing::case::{self as format, CaseFailure, CaseResult};
pub use weft_sdk::testing::case::{Case, CaseConfig, CaseError, CaseReport};

use super::HarnessError;
use crate::{
    engine::CallContext,
    masterdata::{LookupTables, MemorySequences, Services},
    message::Message,
    Plugin,
};

/// Finds the cases in `dir`, sorted by name.
pub fn discover(dir: &Path) -> Result<Vec<Case>, CaseError> {
    format::discover(dir)
}

/// The services a case's call sees: its lookup tables and fresh counters
/// (seeded by its `[sequence]` table).
pub fn services(config: &CaseConfig) -> Services {
    let mut tables = LookupTables::default();
    for (name, table) in &config.lookup {
        tables.insert(name, table.clone().into_iter().collect());
    }
    Services::memory(tables, MemorySequences::seeded(config.sequences.clone()))
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

/// Runs one case through `plugin` and judges (or blesses) it.
pub fn run_case(plugin: &Plugin, case: &Case, bless: bool) -> Result<CaseReport, CaseError> {
    format::judge(case, &case_result(plugin, case)?, bless)
}

/// What `plugin` makes of a case: its outputs as JSON lines, or its
/// failure.
pub fn case_result(plugin: &Plugin, case: &Case) -> Result<CaseResult, CaseError> {
    let config = case.config()?;
    let services = services(&config);
    let input = case.input_message(&config, &plugin.info().accepts)?;
    let input = Message {
        id: input.id,
        correlation_id: input.correlation_id,
        kind: input.kind,
        content_type: input.content_type,
        headers: input.headers,
        payload: input.payload,
    };
    let result = plugin.process(&input, &CallContext::new(config.config, &services));
    Ok(result
        .map(|outcome| outcome.outputs.iter().map(Message::to_json_line).collect())
        .map_err(|f| CaseFailure::new(f.class.as_str(), &f.message)))
}

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};

    use super::*;
    use crate::{harness::content_type_for, stamp::hex, FailureClass};

    /// The classes an `expected-error.txt` may name are the host's.
    #[test]
    fn failure_classes_are_the_hosts() {
        let all = |c: FailureClass| match c {
            FailureClass::Invalid
            | FailureClass::Retryable
            | FailureClass::Trap
            | FailureClass::Timeout
            | FailureClass::MemoryLimit
            | FailureClass::BadOutput
            | FailureClass::Schema
            | FailureClass::DuplicateId => c.as_str(),
        };
        for name in format::FAILURE_CLASSES {
            let class = FailureClass::parse(name).unwrap_or_else(|| panic!("{name}"));
            assert_eq!(all(class), name);
        }
        assert_eq!(format::FAILURE_CLASSES.len(), 8, "one name per class");
    }

    /// A case's input gets the defaults `weft plugin run` gives a file.
    #[test]
    fn input_defaults_are_those_of_plugin_run() {
        let spec = format::MessageSpec::default();
        for (file, payload) in [
            ("a.json", &b"{}"[..]),
            ("a.EDI", b"ISA*"),
            ("a.edifact", b"UNA"),
            ("a.xml", b"<a/>"),
            ("a.csv", b"a,b"),
            ("a.txt", b"x"),
            ("a.bin", b"{\"a\":1}"),
            ("a.bin", b"hello"),
            ("a.bin", &[0xff, 0]),
        ] {
            let path = Path::new(file);
            let m = spec.message(&[], Some(path), payload.to_vec());
            assert_eq!(
                m.content_type,
                content_type_for(Some(path), payload),
                "{file}"
            );
            assert_eq!(
                m.id,
                format!("sha256:{}", &hex(&Sha256::digest(payload))[..16])
            );
        }
    }
}
