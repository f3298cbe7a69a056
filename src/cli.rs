//! The command tree: [`Cli`] and one module per command, each with its clap
//! types and its run function. What the commands do lives in the
//! libraries (`weft_host`, `weft_registry`); these modules parse, call and
//! print.

mod audit;
mod dlq;
mod ingest;
mod lookup;
mod plugin;
mod registry;
mod remote;
mod report;
mod token;
mod up;

use std::{path::PathBuf, process::ExitCode};

use anyhow::Context;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// weft: a connector runtime for distribution businesses.
///
/// Channel connectors and transforms are sandboxed WebAssembly components
/// (the weft:plugin WIT contract). This binary runs and tests them locally,
/// runs pipelines on Redis Streams, and serves and talks to the registry.
#[derive(Parser)]
#[command(name = "weft", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    /// Log format on stderr.
    #[arg(
        long,
        global = true,
        value_enum,
        default_value = "text",
        env = "WEFT_LOG_FORMAT"
    )]
    pub log_format: LogFormat,
    /// Log filter, e.g. `info`, `weft_host=debug` (also WEFT_LOG).
    #[arg(long, global = true, default_value = "warn", env = "WEFT_LOG")]
    pub log: String,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Log formats.
#[derive(Clone, Copy, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// Every command.
#[derive(Subcommand)]
pub enum Command {
    /// Run, test, inspect and scaffold plugin components.
    #[command(subcommand)]
    Plugin(plugin::PluginCommand),
    /// Run every pipeline and sink of a configuration, with the admin server.
    ///
    /// Without [redis] url and REDIS_URL, a private redis-server is started on
    /// loopback (AOF on, data under <data_dir>/redis) and stopped on exit. It
    /// is weft's own: one per data directory (a second weft on it refuses to
    /// start), shut down cleanly even when weft is killed with -9, a server
    /// left by an earlier run is stopped first, and it is restarted if it
    /// dies (/healthz answers 503 meanwhile).
    /// SIGTERM or SIGINT stops reading, finishes and commits in-flight
    /// messages, and exits 0.
    Up(ConfigArg),
    /// Queue files (e.g. EDI drops) on a pipeline's input stream.
    Ingest(ingest::IngestArgs),
    /// Work the dead-letter queue of a pipeline (or `sink:NAME`).
    #[command(subcommand)]
    Dlq(dlq::DlqCommand),
    /// The plugin registry: serve it, manage tokens and publisher keys.
    #[command(subcommand)]
    Registry(registry::RegistryCommand),
    /// Sign and publish a component to a registry.
    Publish(registry::PublishArgs),
    /// Point a pipeline stage at a published version (optionally with a canary).
    Deploy(registry::DeployArgs),
    /// Re-deploy the previous version of a pipeline stage.
    Rollback(registry::RollbackArgs),
    /// List the versions published in a registry.
    Plugins(registry::RegistryConn),
    /// The order-lifecycle ledger's reports: channels, one order, exceptions.
    #[command(subcommand)]
    Report(report::ReportCommand),
    /// Master-data lookup tables (ERP item numbers, accounts) in Redis.
    #[command(subcommand)]
    Lookup(lookup::LookupCommand),
    /// The audit trail: operator actions (DLQ replay and purge, lookup
    /// loads) with who, when, what and the result, newest first.
    Audit(audit::AuditArgs),
    /// Admin API tokens: make one for `[[admin.tokens]]`.
    #[command(subcommand)]
    Token(token::TokenCommand),
}

/// Runs a command; its exit code.
pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Plugin(c) => plugin::run(c),
        Command::Up(c) => up::run(&c),
        Command::Ingest(a) => ingest::run(a),
        Command::Dlq(d) => dlq::run(d),
        Command::Registry(c) => registry::run(&tokio()?, c, shutdown_signal()),
        Command::Publish(a) => registry::publish(&tokio()?, a),
        Command::Deploy(a) => registry::deploy(&tokio()?, a),
        Command::Rollback(a) => registry::rollback(&tokio()?, a),
        Command::Plugins(c) => registry::plugins(&tokio()?, c),
        Command::Lookup(c) => lookup::run(&tokio()?, c),
        Command::Report(c) => report::run(c),
        Command::Audit(a) => audit::run(&tokio()?, a),
        Command::Token(c) => token::run(c),
    }
}

/// `--config`, shared by the commands that read `weft.toml`.
#[derive(Args, Clone)]
pub struct ConfigArg {
    /// The configuration file.
    #[arg(long, short, default_value = "weft.toml", env = "WEFT_CONFIG")]
    pub config: PathBuf,
}

impl ConfigArg {
    /// The configuration, checked.
    pub fn load(&self) -> anyhow::Result<weft_host::config::Config> {
        Ok(weft_host::config::load(&self.config)?)
    }
}

/// A multi-threaded async runtime for one command.
pub fn tokio() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => return std::future::pending().await,
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}
