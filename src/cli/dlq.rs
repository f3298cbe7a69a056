//! `weft dlq list|show|replay|purge`: work a dead-letter queue.

use std::process::ExitCode;

use clap::{Args, Subcommand};
use weft_host::ops::{DlqAction, DlqArgs};

use super::{tokio, ConfigArg};

/// Which entries, of which queue.
#[derive(Args)]
pub struct DlqSelect {
    /// Pipeline name, or `sink:NAME`.
    #[arg(long)]
    pipeline: String,
    /// DLQ entry id or message id (repeatable).
    #[arg(long = "id")]
    ids: Vec<String>,
    /// Every entry.
    #[arg(long)]
    all: bool,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    config: ConfigArg,
}

/// `weft dlq …`
#[derive(Subcommand)]
pub enum DlqCommand {
    /// One line per dead-lettered message: entry, id, class, stage, plugin, attempts, time, error.
    List(DlqSelect),
    /// Everything about the selected entries, payload included.
    Show(DlqSelect),
    /// Put the selected entries back on the input (correlation id kept, replays counted).
    Replay {
        #[command(flatten)]
        select: DlqSelect,
        /// Print what the current plugins would output; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Delete the selected entries.
    Purge(DlqSelect),
}

/// Runs a `weft dlq` command.
pub fn run(d: DlqCommand) -> anyhow::Result<ExitCode> {
    let (action, sel, dry_run) = match d {
        DlqCommand::List(s) => (DlqAction::List, s, false),
        DlqCommand::Show(s) => (DlqAction::Show, s, false),
        DlqCommand::Replay { select, dry_run } => (DlqAction::Replay, select, dry_run),
        DlqCommand::Purge(s) => (DlqAction::Purge, s, false),
    };
    let config = sel.config.load()?;
    let source = weft_registry::client::source(&config);
    let args = DlqArgs {
        action,
        unit: sel.pipeline,
        ids: sel.ids,
        all: sel.all,
        dry_run,
        json: sel.json,
    };
    let stdout = std::io::stdout();
    tokio()?.block_on(weft_host::ops::dlq(
        &config,
        &args,
        source.as_deref(),
        &mut stdout.lock(),
    ))?;
    Ok(ExitCode::SUCCESS)
}
