//! `weft audit`: the operator actions recorded on a deployment's Redis.

use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use weft_host::{bus, ops::audit};

use super::lookup::RedisArg;

/// `weft audit [--action PREFIX] [--limit N] [--json]`
#[derive(Args)]
pub struct AuditArgs {
    /// Only actions starting with this (`dlq`, `dlq.replay`, `lookup.load`).
    #[arg(long)]
    action: Option<String>,
    /// How many entries, newest first.
    #[arg(long, default_value_t = 50)]
    limit: usize,
    /// One JSON object per line instead of a table.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    redis: RedisArg,
}

/// Prints the trail; exit 0.
pub fn run(rt: &tokio::runtime::Runtime, a: AuditArgs) -> anyhow::Result<ExitCode> {
    let url = a.redis.url()?;
    let entries = rt.block_on(async {
        let mut con = bus::connect(&url)
            .await
            .with_context(|| format!("cannot connect to Redis at {url}"))?;
        audit::read(&mut con, a.action.as_deref(), a.limit)
            .await
            .with_context(|| format!("cannot read the audit trail {} at {url}", audit::STREAM))
    })?;
    for e in &entries {
        if a.json {
            println!("{}", serde_json::to_string(e)?);
        } else {
            println!(
                "{}  {:<12} {:<24} {:<16} {}  {}",
                e.at, e.action, e.who, e.target, e.result, e.detail
            );
        }
    }
    if !a.json && entries.is_empty() {
        eprintln!("no recorded actions in {}", audit::STREAM);
    }
    Ok(ExitCode::SUCCESS)
}
