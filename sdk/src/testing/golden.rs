//! The native golden-case runner: a plugin's `cases/` folder run through
//! its native code ([`Plugin::process`], so its own settings parser reads
//! the case config) with the host stand-ins of [`crate::host`] filled from
//! the case, judged by the same [`case`](super::case) functions
//! `weft plugin test` uses.
//!
//! What only the host checks is not checked here: output validation
//! (`bad-output`, `schema`), deadlines and memory limits. A panic counts as
//! a `trap`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use super::case::{self, Case, CaseConfig, CaseError, CaseFailure, CaseReport, CaseResult};
use crate::{host, jsonl, Plugin, PluginError};

/// Runs `P` on one case: the host stand-ins of this thread are reset and
/// filled from the case config (plugin config, lookup tables, counter
/// seeds), then `P::process` gets the case's input message.
pub fn run_native<P: Plugin>(case: &Case) -> Result<CaseResult, CaseError> {
    let config = case.config()?;
    let input = case.input_message(&config, &P::describe().accepts)?;
    install(&config);
    let result = catch_unwind(AssertUnwindSafe(|| P::process(input)));
    Ok(match result {
        Ok(Ok(outputs)) => Ok(outputs.iter().map(jsonl::render_message).collect()),
        Ok(Err(PluginError::Invalid(m))) => Err(CaseFailure::new("invalid", &m)),
        Ok(Err(PluginError::Retryable(m))) => Err(CaseFailure::new("retryable", &m)),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(CaseFailure::new(
                "trap",
                &format!("the plugin panicked: {what}"),
            ))
        }
    })
}

/// Fills this thread's host stand-ins from a case config, forgetting
/// whatever an earlier case set.
fn install(config: &CaseConfig) {
    host::reset();
    for (k, v) in &config.config {
        host::set_config(k, Some(v));
    }
    for (table, entries) in &config.lookup {
        for (k, v) in entries {
            host::set_lookup(table, k, v);
        }
    }
    for (name, next) in &config.sequences {
        host::set_sequence(name, next.saturating_sub(1));
    }
}

/// Runs and judges every case of `dir` with `P` (see [`case::judge`]); a
/// case that cannot be run is a failure naming why.
pub fn run_cases<P: Plugin>(
    dir: &Path,
    bless: bool,
) -> Result<Vec<(String, CaseReport)>, CaseError> {
    Ok(case::discover(dir)?
        .into_iter()
        .map(|c| {
            let report = run_native::<P>(&c)
                .and_then(|result| case::judge(&c, &result, bless))
                .unwrap_or_else(|e| CaseReport::Fail(case::error_chain(&e)));
            (c.name, report)
        })
        .collect())
}

/// The test form of [`run_cases`]: panics listing every failing case of
/// `dir`, or when it has fewer than `min_cases` cases. With the
/// environment variable `bless_env` set, the expected files are rewritten
/// from the results instead.
pub fn golden_cases<P: Plugin>(dir: &Path, bless_env: &str, min_cases: usize) {
    let bless = std::env::var_os(bless_env).is_some();
    let reports =
        run_cases::<P>(dir, bless).unwrap_or_else(|e| panic!("{}", case::error_chain(&e)));
    assert!(
        reports.len() >= min_cases,
        "{} has {} cases, fewer than {min_cases}",
        dir.display(),
        reports.len()
    );
    let failed: Vec<String> = reports
        .iter()
        .filter_map(|(name, r)| match r {
            CaseReport::Fail(why) => Some(format!("FAIL {name}: {why}")),
            _ => None,
        })
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} cases failed:\n{}",
        failed.len(),
        reports.len(),
        failed.join("\n")
    );
}
