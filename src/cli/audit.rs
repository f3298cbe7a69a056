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
    #[command(flatten)]
    remote: super::remote::RemoteArg,
}

/// Prints the trail; exit 0.
pub fn run(rt: &tokio::runtime::Runtime, a: AuditArgs) -> anyhow::Result<ExitCode> {
    let entries = match a.remote.remote()? {
        Some(remote) => rt.block_on(async {
            let mut q = vec![("limit", a.limit.to_string())];
            if let Some(action) = &a.action {
                q.push(("action", action.clone()));
            }
            let v = remote.get("/v1/audit", &q).await?;
            let entries: Vec<audit::AuditEntry> = serde_json::from_value(v["entries"].clone())
                .context("the admin server's audit entries are not in the expected form")?;
            anyhow::Ok(entries)
        })?,
        None => local(rt, &a)?,
    };
    print(&a, &entries);
    Ok(ExitCode::SUCCESS)
}

fn local(rt: &tokio::runtime::Runtime, a: &AuditArgs) -> anyhow::Result<Vec<audit::AuditEntry>> {
    let url = a.redis.url()?;
    rt.block_on(async {
        let mut con = bus::connect(&url)
            .await
            .with_context(|| format!("cannot connect to Redis at {url}"))?;
        audit::read(&mut con, a.action.as_deref(), a.limit)
            .await
            .with_context(|| format!("cannot read the audit trail {} at {url}", audit::STREAM))
    })
}

fn print(a: &AuditArgs, entries: &[audit::AuditEntry]) {
    for e in entries {
        if a.json {
            println!("{}", serde_json::to_string(e).unwrap_or_default());
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
}
