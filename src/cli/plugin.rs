//! `weft plugin run|test|inspect|new`: one plugin call on a file, stdin or
//! JSON lines (with config, lookup tables from CSV and counters given on
//! the command line), golden cases, a component report, and a new plugin
//! crate.

use std::{
    io::{Read, Write},
    path::PathBuf,
    process::ExitCode,
    time::Duration,
};

use anyhow::Context;
use clap::{Args, Subcommand};
use weft_host::{
    engine::{default_cache_dir, CallContext, PoolLimits},
    harness::{self, input::key_value, scaffold::Lang, InputSpec},
    masterdata::{csv::read_csv, LookupTables, MemorySequences, Services},
    Engine, EngineConfig, FailureClass, Message, Plugin, Role,
};

mod bench;

/// `weft plugin …`
#[derive(Subcommand)]
pub enum PluginCommand {
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
    Run(RunArgs),
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
    /// Create a plugin (a Rust crate, or with --lang a Python or JavaScript package)
    /// with a case folder that builds and passes `weft plugin test`.
    New(NewArgs),
    /// Time calls of a plugin on an input, as the host runs them.
    ///
    /// Each call is what a pipeline stage pays per message: a fresh store and
    /// instance, the call under the deadline and memory cap, and the checks
    /// of the outputs (schema validation included). Prints the mean, p50 and
    /// p99 time per call, bytes in and out, and page faults per call (each
    /// costs kernel time that a profile of the process does not show).
    /// Takes the same input options as `weft plugin run`; with --jsonl the
    /// messages are taken in turn.
    ///
    /// Exit status: 0; 4 when a call fails (the failure on stderr); 1 usage,
    /// I/O or load errors.
    Bench(bench::BenchArgs),
}

/// How plugins are compiled and bounded.
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
    /// Plugin instances the memory pool holds (`weft up` sizes it by
    /// pipelines and concurrency, 16 at least). Each reserves address space for its linear memories
    /// (about 8 GiB); a profiler such as valgrind cannot map the default
    /// pool, and runs with 1.
    #[arg(long, default_value_t = 64, value_name = "N")]
    pool_instances: u32,
    /// Core module instances one component may hold (a Python guest holds 14).
    #[arg(long, default_value_t = PoolLimits::default().core_instances_per_component, value_name = "N")]
    max_core_instances: u32,
    /// Linear memories one component may hold.
    #[arg(long, default_value_t = PoolLimits::default().memories_per_component, value_name = "N")]
    max_memories: u32,
    /// Tables one component may hold.
    #[arg(long, default_value_t = PoolLimits::default().tables_per_component, value_name = "N")]
    max_tables: u32,
}

impl EngineArgs {
    /// An engine with these settings.
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
            max_instances: self.pool_instances.max(1),
            pool: PoolLimits {
                core_instances_per_component: self.max_core_instances,
                memories_per_component: self.max_memories,
                tables_per_component: self.max_tables,
            },
            ..EngineConfig::default()
        };
        Ok(Engine::new(config)?)
    }

    /// An engine and the plugin at `wasm` loaded in it.
    pub fn load(&self, wasm: &std::path::Path) -> anyhow::Result<(Engine, Plugin)> {
        let engine = self.engine()?;
        let plugin = engine
            .load_file(wasm)
            .with_context(|| format!("cannot load {}", wasm.display()))?;
        Ok((engine, plugin))
    }
}

/// `weft plugin test`
#[derive(Args)]
pub struct TestArgs {
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

/// `weft plugin inspect`
#[derive(Args)]
pub struct InspectArgs {
    /// The plugin component (.wasm).
    wasm: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    engine: EngineArgs,
}

/// `weft plugin new`
#[derive(Args)]
pub struct NewArgs {
    /// Plugin name: lower-case letters, digits and `-`.
    name: String,
    /// Which world the plugin implements.
    #[arg(long, value_parser = ["source", "transform", "sink"])]
    role: String,
    /// The plugin's language: its SDK and build command.
    #[arg(long, default_value = "rust", value_parser = ["rust", "python", "js"])]
    lang: String,
    /// Directory to create (default: ./<NAME>).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Path of the language's SDK: the weft-sdk crate, sdk-python/ or sdk-js/
    /// (default: the SDK of the checkout this binary was built from).
    #[arg(long)]
    sdk: Option<PathBuf>,
}

/// `weft plugin run`
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

/// Runs a `weft plugin` command.
pub fn run(c: PluginCommand) -> anyhow::Result<ExitCode> {
    match c {
        PluginCommand::Run(a) => call(a),
        PluginCommand::Test(a) => test(a),
        PluginCommand::Inspect(a) => inspect(a),
        PluginCommand::New(a) => new(a),
        PluginCommand::Bench(a) => bench::run(a),
    }
}

/// `weft plugin test`: exit 0 when every case passes, 2 otherwise.
fn test(a: TestArgs) -> anyhow::Result<ExitCode> {
    let (_engine, plugin) = a.engine.load(&a.wasm)?;
    let stdout = std::io::stdout();
    let (_, failed) = harness::run_cases(&plugin, &a.cases_dir, a.bless, &mut stdout.lock())?;
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// `weft plugin inspect`.
fn inspect(a: InspectArgs) -> anyhow::Result<ExitCode> {
    let (_engine, plugin) = a.engine.load(&a.wasm)?;
    let report = harness::inspect::report(&a.wasm.display().to_string(), &plugin);
    if a.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", report.to_text());
    }
    Ok(ExitCode::SUCCESS)
}

/// `weft plugin new`.
fn new(a: NewArgs) -> anyhow::Result<ExitCode> {
    let role = Role::parse(&a.role).context("role must be source, transform or sink")?;
    let dir = a.dir.unwrap_or_else(|| PathBuf::from(&a.name));
    let lang = Lang::parse(&a.lang).context("lang must be rust, python or js")?;
    let sdk = a
        .sdk
        .or_else(|| harness::scaffold::other::default_sdk_dir(lang))
        .context("cannot find the weft SDK of that language; pass --sdk <path>")?;
    let files = match lang {
        Lang::Rust => harness::scaffold::scaffold(&a.name, role, &dir, &sdk)?,
        _ => harness::scaffold::other::scaffold(&a.name, role, lang, &dir, &sdk)?,
    };
    for f in files {
        println!("created {}", f.display());
    }
    let next = match lang {
        Lang::Rust => format!(
            "cargo build --release\n  weft plugin test target/wasm32-wasip2/release/{}.wasm cases",
            a.name.replace('-', "_")
        ),
        _ => format!(
            "./build.sh\n  weft plugin test target/{}.wasm cases",
            a.name
        ),
    };
    println!("\nnext:\n  cd {}\n  {next}", dir.display());
    Ok(ExitCode::SUCCESS)
}

/// `weft plugin run`.
fn call(a: RunArgs) -> anyhow::Result<ExitCode> {
    let (_engine, plugin) = a.engine.load(&a.wasm)?;
    let (inputs, ctx) = prepare(a, &plugin)?;
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

/// The input messages and call context of `weft plugin run` and `weft
/// plugin bench`: the input file (or standard input) as one message, or its
/// JSON lines as messages; config, lookup tables and counters.
pub(crate) fn prepare(a: RunArgs, plugin: &Plugin) -> anyhow::Result<(Vec<Message>, CallContext)> {
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
                    .with_context(|| format!("--jsonl input line {}", i + 1))?,
            );
        }
        inputs
    } else {
        vec![spec.message(plugin, a.input.as_deref(), payload)]
    };
    let services = services(&a.lookup, &a.sequence)?;
    let ctx = CallContext::new(a.config.into_iter().collect(), &services);
    Ok((inputs, ctx))
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
