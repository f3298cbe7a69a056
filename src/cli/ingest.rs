//! `weft ingest`: queue files on a pipeline's input stream.

use std::{io::Write, path::PathBuf, process::ExitCode};

use clap::Args;

use super::{tokio, ConfigArg};

/// `weft ingest PIPELINE FILE…`
#[derive(Args)]
pub struct IngestArgs {
    /// Pipeline whose input receives the files.
    pipeline: String,
    /// Files to queue; each becomes one message (id: sha256 of its content).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    #[command(flatten)]
    config: ConfigArg,
}

/// Runs `weft ingest`.
pub fn run(a: IngestArgs) -> anyhow::Result<ExitCode> {
    let config = a.config.load()?;
    // Each line is printed once its file is on the stream: what was
    // printed was accepted, even if a later file fails.
    let queued = tokio()?.block_on(weft_host::ops::ingest_each(
        &config,
        &a.pipeline,
        &a.files,
        |id, entry| {
            println!("{id} {entry}");
            let _ = std::io::stdout().flush();
        },
    ))?;
    eprintln!("{queued} file(s) queued on pipeline {}", a.pipeline);
    Ok(ExitCode::SUCCESS)
}
