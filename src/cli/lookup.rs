//! `weft lookup …`: master-data tables in Redis, read by plugins through the
//! `lookup` import.

use std::{path::PathBuf, process::ExitCode};

use anyhow::Context;
use clap::{Args, Subcommand};
use weft_host::{
    bus,
    masterdata::{self, read_csv, Lookup},
    ops::audit,
};

/// `weft lookup …`
#[derive(Subcommand)]
pub enum LookupCommand {
    /// Load a two-column CSV file (header row, then `key,value` rows) into
    /// table TABLE (Redis hash `weft:lookup:<TABLE>`).
    ///
    /// By default the table is replaced atomically: it is written under a
    /// temporary key and renamed over the old one, so running pipelines see
    /// the old table or the new one, never a half-loaded one. A CSV error
    /// (naming file and line) loads nothing.
    Load {
        /// Table name, e.g. `items` or `customers`.
        table: String,
        /// The CSV file.
        file: PathBuf,
        /// Add and overwrite entries, keeping the ones not in the file.
        #[arg(long)]
        merge: bool,
        #[command(flatten)]
        redis: RedisArg,
        #[command(flatten)]
        remote: super::remote::RemoteArg,
    },
    /// Print the value of KEY in TABLE (exit status 2 when there is none).
    Get {
        /// Table name.
        table: String,
        /// The key, e.g. `shopify:IPOD2008GREEN`.
        key: String,
        #[command(flatten)]
        redis: RedisArg,
    },
}

/// Which Redis: `--redis`/`REDIS_URL`, else the configuration's.
#[derive(Args)]
pub struct RedisArg {
    /// Redis URL (default: `[redis] url` of the configuration, else the
    /// server a running `weft up` recorded).
    #[arg(long, env = "REDIS_URL")]
    redis: Option<String>,
    /// The configuration file, read only when --redis is not given.
    #[arg(long, short, default_value = "weft.toml", env = "WEFT_CONFIG")]
    config: PathBuf,
}

impl RedisArg {
    /// The Redis URL: `--redis`/`REDIS_URL`, else the configuration's.
    pub fn url(&self) -> anyhow::Result<String> {
        match &self.redis {
            Some(u) if !u.is_empty() => Ok(u.clone()),
            _ => {
                let config = weft_host::config::load(&self.config).with_context(|| {
                    format!(
                        "no --redis or REDIS_URL, and cannot read {}",
                        self.config.display()
                    )
                })?;
                Ok(weft_host::ops::redis_url(&config)?)
            }
        }
    }
}

/// Runs a `weft lookup` command.
pub fn run(rt: &tokio::runtime::Runtime, command: LookupCommand) -> anyhow::Result<ExitCode> {
    match command {
        LookupCommand::Load {
            table,
            file,
            merge,
            redis,
            remote,
        } => {
            let rows = read_csv(&file)?;
            if let Some(remote) = remote.remote()? {
                // The file is checked here first (a CSV error names the
                // line), then sent as it is.
                let bytes = std::fs::read(&file)
                    .with_context(|| format!("cannot read {}", file.display()))?;
                let mode = if merge { "merge" } else { "replace" };
                let path = format!("/v1/lookups/{}", super::remote::segment(&table)?);
                let v = rt.block_on(remote.call(
                    reqwest::Method::PUT,
                    &path,
                    &[("mode", mode.to_string())],
                    "text/csv",
                    bytes,
                ))?;
                println!(
                    "table {table}: {} rows from {} ({} entries, {})",
                    v["rows"],
                    file.display(),
                    v["entries"],
                    if merge { "merged" } else { "replaced" }
                );
                return Ok(ExitCode::SUCCESS);
            }
            let url = redis.url()?;
            let bar = indicatif::ProgressBar::new(rows.rows.len() as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} rows {msg}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            if rows.rows.len() < 10_000 {
                bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
            }
            let loaded = rt.block_on(async {
                let mut con = bus::connect(&url)
                    .await
                    .with_context(|| format!("cannot connect to Redis at {url}"))?;
                let source = file.display().to_string();
                let loaded = weft_host::ops::lookup::load(
                    &mut con,
                    &table,
                    &rows,
                    &source,
                    merge,
                    &audit::operator(),
                    |n| bar.set_position(n as u64),
                )
                .await;
                loaded.with_context(|| format!("cannot load table {table} into {url}"))
            })?;
            bar.finish_and_clear();
            println!(
                "table {table}: {} rows from {} ({} -> {} entries, {})",
                rows.rows.len(),
                file.display(),
                masterdata::lookup_key(&table),
                loaded.entries,
                if loaded.replaced {
                    "replaced"
                } else {
                    "merged"
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        LookupCommand::Get { table, key, redis } => {
            let store = masterdata::RedisStore::new(&redis.url()?)?;
            match store.get(&table, &key).map_err(anyhow::Error::msg)? {
                Some(v) => {
                    println!("{v}");
                    Ok(ExitCode::SUCCESS)
                }
                None => {
                    eprintln!("no entry for `{key}` in table {table}");
                    Ok(ExitCode::from(2))
                }
            }
        }
    }
}
