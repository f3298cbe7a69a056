//! `weft`: the weft command line.

use std::{io::Write, path::PathBuf, process::ExitCode, time::Duration};

use anyhow::Context;

#[path = "cli/lookup.rs"]
mod lookup_cli;
#[path = "cli/plugin_run.rs"]
mod plugin_run;
#[path = "cli/registry.rs"]
mod registry_cli;
use clap::{Args, Parser, Subcommand, ValueEnum};
use weft_host::{engine::default_cache_dir, harness, Engine, EngineConfig, Plugin, Role};

/// weft: a connector runtime for distribution businesses.
///
/// Channel connectors and transforms are sandboxed WebAssembly components
/// (the weft:plugin WIT contract). This binary runs and tests them locally.
#[derive(Parser)]
#[command(name = "weft", version, propagate_version = true, max_term_width = 100)]
struct Cli {
    /// Log format on stderr.
    #[arg(
        long,
        global = true,
        value_enum,
        default_value = "text",
        env = "WEFT_LOG_FORMAT"
    )]
    log_format: LogFormat,
    /// Log filter, e.g. `info`, `weft_host=debug` (also WEFT_LOG).
    #[arg(long, global = true, default_value = "warn", env = "WEFT_LOG")]
    log: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Run, test, inspect and scaffold plugin components.
    #[command(subcommand)]
    Plugin(PluginCommand),
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
    Ingest(IngestArgs),
    /// Work the dead-letter queue of a pipeline (or `sink:NAME`).
    #[command(subcommand)]
    Dlq(DlqCommand),
    /// The plugin registry: serve it, manage tokens and publisher keys.
    #[command(subcommand)]
    Registry(registry_cli::RegistryCommand),
    /// Sign and publish a component to a registry.
    Publish(registry_cli::PublishArgs),
    /// Point a pipeline stage at a published version (optionally with a canary).
    Deploy(registry_cli::DeployArgs),
    /// Re-deploy the previous version of a pipeline stage.
    Rollback(registry_cli::RollbackArgs),
    /// List the versions published in a registry.
    Plugins(registry_cli::RegistryConn),
    /// Master-data lookup tables (ERP item numbers, accounts) in Redis.
    #[command(subcommand)]
    Lookup(lookup_cli::LookupCommand),
}

#[derive(Args, Clone)]
struct ConfigArg {
    /// The configuration file.
    #[arg(long, short, default_value = "weft.toml", env = "WEFT_CONFIG")]
    config: PathBuf,
}

#[derive(Args)]
struct IngestArgs {
    /// Pipeline whose input receives the files.
    pipeline: String,
    /// Files to queue; each becomes one message (id: sha256 of its content).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    #[command(flatten)]
    config: ConfigArg,
}

#[derive(Args)]
struct DlqSelect {
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

#[derive(Subcommand)]
enum DlqCommand {
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

#[derive(Subcommand)]
enum PluginCommand {
    /// Call a plugin's `process` on one input and print its outputs as JSON lines.
    ///
    /// Each output is printed as
    /// {"id","correlation_id","kind","content_type","headers":{…},"payload":…}:
    /// JSON payloads embedded, UTF-8 text as a string, anything else base64 with
    /// "payload_encoding":"base64".
    ///
    /// Exit status: 0 success; 2 invalid; 3 retryable; 4 trap, timeout,
    /// memory-limit or bad-output; 1 usage, I/O or load errors. A failure is
    /// printed as one line `error: <class>: <message>` on stderr.
    Run(plugin_run::RunArgs),
    /// Run golden cases from a folder and report a line per case.
    ///
    /// A case is NAME.input.<ext> with NAME.expected.jsonl (the outputs, as
    /// `weft plugin run` prints them; key order ignored) or
    /// NAME.expected-error.txt (`<class>: <substring of the message>`), and an
    /// optional NAME.config.toml (plugin config keys; a [message] table
    /// overrides id, kind, content_type, correlation_id, headers;
    /// [lookup.<table>] tables of key = "value" answer `lookup`; a
    /// [sequence] table of name = N seeds `next-sequence` counters, which
    /// otherwise start at 1 for every case).
    Test(TestArgs),
    /// Show a component's world, describe() output, imports, exports, size and sha256.
    Inspect(InspectArgs),
    /// Create a plugin crate with a case folder that builds and passes `weft plugin test`.
    New(NewArgs),
}

#[derive(Args, Clone)]
pub struct EngineArgs {
    /// CPU deadline of one call, in milliseconds.
    #[arg(long, default_value_t = 1000, value_name = "MS")]
    deadline_ms: u64,
    /// Memory cap of a plugin instance, in MiB.
    #[arg(long, default_value_t = 64, value_name = "MIB")]
    memory_mb: usize,
    /// Compiled-code cache directory (default: $WEFT_CACHE_DIR or ~/.cache/weft/components).
    #[arg(long, value_name = "DIR")]
    cache_dir: Option<PathBuf>,
    /// Compile without reading or writing the cache.
    #[arg(long)]
    no_cache: bool,
}

impl EngineArgs {
    fn engine(&self) -> anyhow::Result<Engine> {
        let config = EngineConfig {
            deadline: Duration::from_millis(self.deadline_ms),
            memory_limit: self
                .memory_mb
                .checked_mul(1 << 20)
                .context("--memory-mb is too large")?,
            cache_dir: if self.no_cache {
                None
            } else {
                self.cache_dir.clone().or_else(default_cache_dir)
            },
            ..EngineConfig::default()
        };
        Ok(Engine::new(config)?)
    }

    pub fn load(&self, wasm: &std::path::Path) -> anyhow::Result<(Engine, Plugin)> {
        let engine = self.engine()?;
        let plugin = engine
            .load_file(wasm)
            .with_context(|| format!("cannot load {}", wasm.display()))?;
        Ok((engine, plugin))
    }
}

#[derive(Args)]
struct TestArgs {
    /// The plugin component (.wasm).
    wasm: PathBuf,
    /// Folder of cases.
    cases_dir: PathBuf,
    /// Write the expected files from the current outputs instead of comparing.
    #[arg(long)]
    bless: bool,
    #[command(flatten)]
    engine: EngineArgs,
}

#[derive(Args)]
struct InspectArgs {
    /// The plugin component (.wasm).
    wasm: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    engine: EngineArgs,
}

#[derive(Args)]
struct NewArgs {
    /// Plugin name: lower-case letters, digits and `-`.
    name: String,
    /// Which world the plugin implements.
    #[arg(long, value_parser = ["source", "transform", "sink"])]
    role: String,
    /// Directory to create (default: ./<NAME>).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Path of the weft-sdk crate (default: the SDK of the checkout this binary was built from).
    #[arg(long)]
    sdk: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    weft_host::engine::return_freed_memory();
    init_logging(cli.log_format, &cli.log);
    match dispatch(cli.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn init_logging(format: LogFormat, filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter).unwrap_or_else(|_| "warn".into());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

fn load_config(c: &ConfigArg) -> anyhow::Result<weft_host::config::Config> {
    Ok(weft_host::config::load(&c.config)?)
}

fn tokio() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

async fn shutdown_signal() {
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

fn dispatch(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Registry(c) => registry_cli::run(&tokio()?, c, shutdown_signal()),
        Command::Publish(a) => registry_cli::publish(&tokio()?, a),
        Command::Deploy(a) => registry_cli::deploy(&tokio()?, a),
        Command::Rollback(a) => registry_cli::rollback(&tokio()?, a),
        Command::Plugins(c) => registry_cli::plugins(&tokio()?, c),
        Command::Up(c) => {
            let config = load_config(&c)?;
            tokio()?.block_on(async {
                let handle = weft_host::ops::up(config).await?;
                println!(
                    "weft is up: admin http://{}  redis {}",
                    handle.admin, handle.redis_url
                );
                let _ = std::io::stdout().flush();
                shutdown_signal().await;
                eprintln!("weft: stopping (finishing in-flight messages)…");
                handle.stop().await?;
                Ok(ExitCode::SUCCESS)
            })
        }
        Command::Ingest(a) => {
            let config = load_config(&a.config)?;
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
        Command::Dlq(d) => {
            use weft_host::ops::{DlqAction, DlqArgs};
            let (action, sel, dry_run) = match d {
                DlqCommand::List(s) => (DlqAction::List, s, false),
                DlqCommand::Show(s) => (DlqAction::Show, s, false),
                DlqCommand::Replay { select, dry_run } => (DlqAction::Replay, select, dry_run),
                DlqCommand::Purge(s) => (DlqAction::Purge, s, false),
            };
            let config = load_config(&sel.config)?;
            let args = DlqArgs {
                action,
                unit: sel.pipeline,
                ids: sel.ids,
                all: sel.all,
                dry_run,
                json: sel.json,
            };
            let stdout = std::io::stdout();
            tokio()?.block_on(weft_host::ops::dlq(&config, &args, &mut stdout.lock()))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Plugin(PluginCommand::Run(a)) => plugin_run::run(a),
        Command::Lookup(c) => lookup_cli::run(&tokio()?, c),
        Command::Plugin(PluginCommand::Test(a)) => {
            let (_engine, plugin) = a.engine.load(&a.wasm)?;
            let stdout = std::io::stdout();
            let (_, failed) =
                harness::run_cases(&plugin, &a.cases_dir, a.bless, &mut stdout.lock())?;
            Ok(if failed == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            })
        }
        Command::Plugin(PluginCommand::Inspect(a)) => {
            let (_engine, plugin) = a.engine.load(&a.wasm)?;
            let report = harness::inspect::report(&a.wasm.display().to_string(), &plugin);
            if a.json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print!("{}", report.to_text());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Plugin(PluginCommand::New(a)) => {
            let role = Role::parse(&a.role).context("role must be source, transform or sink")?;
            let dir = a.dir.unwrap_or_else(|| PathBuf::from(&a.name));
            let sdk = a
                .sdk
                .or_else(harness::scaffold::default_sdk_path)
                .context("cannot find the weft SDK; pass --sdk <path to weft/sdk>")?;
            let files = harness::scaffold::scaffold(&a.name, role, &dir, &sdk)?;
            for f in files {
                println!("created {}", f.display());
            }
            println!("\nnext:\n  cd {}\n  cargo build --release\n  weft plugin test target/wasm32-wasip2/release/{}.wasm cases", dir.display(), a.name.replace('-', "_"));
            Ok(ExitCode::SUCCESS)
        }
    }
}
