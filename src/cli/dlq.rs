//! `weft dlq list|show|replay|purge`: work a dead-letter queue.

use std::process::ExitCode;

use clap::{Args, Subcommand};
use weft_host::ops::{DlqAction, DlqArgs};

use super::{remote::RemoteArg, tokio, ConfigArg};

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
    #[command(flatten)]
    remote: RemoteArg,
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
    if let Some(remote) = sel.remote.remote()? {
        if dry_run {
            anyhow::bail!("--dry-run runs the plugins on this machine: leave out --url");
        }
        return tokio()?.block_on(remote_dlq(&remote, action, &sel));
    }
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

/// The command through the admin API (`GET /v1/dlq/{unit}`, `POST
/// /v1/dlq/{unit}/replay|purge`), printed as the local command prints.
async fn remote_dlq(
    remote: &super::remote::Remote,
    action: DlqAction,
    sel: &DlqSelect,
) -> anyhow::Result<ExitCode> {
    let unit = super::remote::segment(&sel.pipeline)?;
    let selection = serde_json::json!({"ids": sel.ids, "all": sel.all});
    let post = |verb: &'static str| {
        let path = format!("/v1/dlq/{unit}/{verb}");
        let body = selection.to_string().into_bytes();
        async move {
            remote
                .call(reqwest::Method::POST, &path, &[], "application/json", body)
                .await
        }
    };
    let print = |e: &serde_json::Value| -> anyhow::Result<()> {
        match (sel.json, action) {
            (true, _) => println!("{}", serde_json::to_string(e)?),
            (false, DlqAction::Show) => println!("{}", serde_json::to_string_pretty(e)?),
            _ => println!("{}", weft_host::ops::list_line(e)),
        }
        Ok(())
    };
    match action {
        // Named entries one by one (`GET /v1/dlq/{unit}/{id}`: found
        // wherever they are in the queue); a missing one fails the command.
        DlqAction::List | DlqAction::Show if !sel.ids.is_empty() && !sel.all => {
            for id in &sel.ids {
                let path = format!("/v1/dlq/{unit}/{}", super::remote::segment(id)?);
                print(&remote.get(&path, &[]).await?)?;
            }
        }
        DlqAction::Show if !sel.all => {
            anyhow::bail!("name entries with --id (DLQ entry or message id) or use --all");
        }
        DlqAction::List | DlqAction::Show => {
            let v = remote
                .get(
                    &format!("/v1/dlq/{unit}"),
                    &[("limit", "10000".to_string())],
                )
                .await?;
            let empty = Vec::new();
            let entries = v["entries"].as_array().unwrap_or(&empty);
            for e in entries {
                print(e)?;
            }
            let count = v["count"].as_u64().unwrap_or(entries.len() as u64);
            if count > entries.len() as u64 {
                eprintln!(
                    "(the first {} of {count} entries; the server lists at most 10000)",
                    entries.len()
                );
            }
            if !sel.json && action == DlqAction::List {
                println!(
                    "{count} entries in {}",
                    v["stream"].as_str().unwrap_or_default()
                );
            }
        }
        DlqAction::Replay => {
            let v = post("replay").await?;
            for gone in v["gone"].as_array().into_iter().flatten() {
                println!("{}: already gone", gone.as_str().unwrap_or_default());
            }
            let n = v["replayed"].as_array().map_or(0, Vec::len);
            println!(
                "replayed {n} entries into {}",
                v["stream"].as_str().unwrap_or_default()
            );
        }
        DlqAction::Purge => {
            let v = post("purge").await?;
            println!("purged {} entries", v["purged"]);
        }
    }
    Ok(ExitCode::SUCCESS)
}
