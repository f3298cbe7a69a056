//! `weft plugin run`: one plugin call on a file, stdin or JSON lines, with
//! config, lookup tables from CSV and counters given on the command line
//! (binary-only module).

use std::{
    io::{Read, Write},
    path::PathBuf,
    process::ExitCode,
};

use anyhow::Context;
use clap::Args;
use weft_host::{
    engine::CallContext,
    harness::{input::key_value, InputSpec},
    masterdata::{csv::read_csv, LookupTables, MemorySequences, Services},
    FailureClass, Message,
};

use super::EngineArgs;

#[derive(Args)]
pub struct RunArgs {
    /// The plugin component (.wasm).
    pub wasm: PathBuf,
    /// Input file; standard input when absent.
    #[arg(long, short)]
    pub input: Option<PathBuf>,
    /// The input is messages as JSON lines, as this command prints them:
    /// chain plugins with `weft plugin run A … | weft plugin run B --jsonl`.
    #[arg(long)]
    pub jsonl: bool,
    /// Content type of the input (default: from the file extension, else sniffed).
    #[arg(long)]
    pub content_type: Option<String>,
    /// Kind of the input message (default: the one kind the plugin accepts, else `raw`).
    #[arg(long)]
    pub kind: Option<String>,
    /// Id of the input message (default: sha256:<16 hex digits of the payload digest>).
    #[arg(long)]
    pub id: Option<String>,
    /// Correlation id of the input message.
    #[arg(long)]
    pub correlation_id: Option<String>,
    /// A header on the input message (repeatable).
    #[arg(long = "header", value_name = "NAME=VALUE", value_parser = key_value)]
    pub headers: Vec<(String, String)>,
    /// A plugin setting served by the `config` import (repeatable).
    #[arg(long = "config", value_name = "KEY=VALUE", value_parser = key_value)]
    pub config: Vec<(String, String)>,
    /// A lookup table served by the `lookup` import, from a two-column CSV
    /// file with a header row (repeatable), e.g. `--lookup items=items.csv`.
    /// The same format `weft lookup load` puts into Redis.
    #[arg(long = "lookup", value_name = "TABLE=FILE.csv", value_parser = key_value)]
    pub lookup: Vec<(String, String)>,
    /// The next value of a `next-sequence` counter (repeatable), e.g.
    /// `--sequence x12:ACME:isa=1042`; counters not named start at 1.
    #[arg(long = "sequence", value_name = "NAME=N", value_parser = key_value)]
    pub sequence: Vec<(String, String)>,
    #[command(flatten)]
    pub engine: EngineArgs,
}

/// `weft plugin run`.
pub fn run(a: RunArgs) -> anyhow::Result<ExitCode> {
    let (_engine, plugin) = a.engine.load(&a.wasm)?;
    let payload = match &a.input {
        Some(path) => {
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?
        }
        None => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .context("cannot read standard input")?;
            buf
        }
    };
    let spec = InputSpec {
        id: a.id,
        kind: a.kind,
        content_type: a.content_type,
        correlation_id: a.correlation_id,
        headers: a.headers,
    };
    let inputs = if a.jsonl {
        let text = String::from_utf8(payload).context("--jsonl input is not UTF-8")?;
        let mut inputs = Vec::new();
        for (i, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let v: serde_json::Value = serde_json::from_str(line)
                .with_context(|| format!("--jsonl input line {}", i + 1))?;
            inputs.push(
                Message::from_json_line(&v)
                    .map_err(|e| anyhow::anyhow!("--jsonl input line {}: {e}", i + 1))?,
            );
        }
        inputs
    } else {
        vec![spec.message(&plugin, a.input.as_deref(), payload)]
    };
    let services = services(&a.lookup, &a.sequence)?;
    let ctx = CallContext::new(a.config.into_iter().collect(), &services);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut code = 0u8;
    for input in &inputs {
        match plugin.process(input, &ctx) {
            Ok(outcome) => {
                for m in &outcome.outputs {
                    writeln!(out, "{}", serde_json::to_string(&m.to_json_line())?)?;
                }
            }
            Err(f) => {
                out.flush()?;
                if inputs.len() > 1 {
                    eprintln!("error: {}: message {}: {}", f.class, input.id, f.message);
                } else {
                    eprintln!("error: {}: {}", f.class, f.message);
                }
                code = code.max(match f.class {
                    FailureClass::Invalid => 2,
                    FailureClass::Retryable => 3,
                    _ => 4,
                });
            }
        }
    }
    Ok(ExitCode::from(code))
}

/// In-memory tables from `--lookup TABLE=FILE.csv` and counters from
/// `--sequence NAME=N`.
fn services(
    lookup: &[(String, String)],
    sequence: &[(String, String)],
) -> anyhow::Result<Services> {
    let mut tables = LookupTables::default();
    for (table, file) in lookup {
        let rows = read_csv(std::path::Path::new(file))
            .with_context(|| format!("--lookup {table}={file}"))?;
        tables.insert(table, rows.to_map());
    }
    let mut seeds = Vec::new();
    for (name, n) in sequence {
        let n: u64 = n
            .parse()
            .with_context(|| format!("--sequence {name}={n}: the value must be a whole number"))?;
        seeds.push((name.clone(), n));
    }
    Ok(Services::memory(tables, MemorySequences::seeded(seeds)))
}
