//! The sandboxed component host.
//!
//! One [`Engine`] per process: wasmtime with the component model, the pooling
//! allocator and epoch interruption (a ticker thread advances the epoch).
//! [`Engine::load`] checks that a component implements a supported world,
//! compiles it (or reuses the compiled code cached on disk under the
//! component's sha256), links the host imports and builds an `InstancePre`
//! once, then calls `describe()`. [`Plugin::process`] runs each message in a
//! fresh `Store` with a deadline and a memory cap; whatever the guest does,
//! the result is outputs or a classified [`Failure`], and the next call on
//! the same engine works.
//!
//! The host imports a plugin may call (`log`, `config`, `lookup`,
//! `next-sequence`) live in `engine/imports/`, one module each with its part
//! of the call's state and its own `add_to_linker`; `engine/state.rs` holds
//! the store data and composes the linker from them.

mod bindings;
mod cache;
mod classify;
mod imports;
mod limits;
mod pool;
mod schema;
mod state;
mod validate;
mod world;

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use wasmtime::Store;

pub use crate::masterdata::{Lookup, LookupTables, Sequences, Services};
pub use cache::CacheOutcome;
pub use classify::{Failure, FailureClass};
pub use imports::LogLine;
pub use limits::CallLimits;
pub use pool::{return_freed_memory, PoolLimits};
pub use world::{ComponentSummary, Role};

use crate::message::Message;

/// Package version of the `weft:plugin` contract this host implements.
pub const CONTRACT_VERSION: &str = "0.1.0";

/// Granularity of the CPU deadline.
const EPOCH_TICK: Duration = Duration::from_millis(5);

/// Limits and settings of an [`Engine`].
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// Wall-clock budget of one call (instantiation + `process`). Default 1 s.
    pub deadline: Duration,
    /// Cap on a plugin's linear memory. Default 64 MiB.
    pub memory_limit: usize,
    /// Where compiled components are cached; `None` disables the cache.
    pub cache_dir: Option<PathBuf>,
    /// How many plugin instances may be alive at once (pool size).
    pub max_instances: u32,
    /// What one call may return and ask of the host (`[limits]`).
    pub limits: CallLimits,
    /// What one component may hold (core instances, memories, tables).
    pub pool: PoolLimits,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            deadline: Duration::from_secs(1),
            memory_limit: 64 << 20,
            cache_dir: default_cache_dir(),
            max_instances: 64,
            limits: CallLimits::default(),
            pool: PoolLimits::default(),
        }
    }
}

/// `$WEFT_CACHE_DIR`, else `$XDG_CACHE_HOME/weft/components`, else
/// `~/.cache/weft/components`.
pub fn default_cache_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("WEFT_CACHE_DIR") {
        return Some(PathBuf::from(dir));
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("weft").join("components"))
}

/// Why a component could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The bytes are not a WebAssembly component (a core module, garbage, …).
    #[error("not a WebAssembly component: {0}")]
    NotAComponent(String),
    /// The component does not implement a supported `weft:plugin` world.
    #[error("{0}")]
    UnsupportedWorld(String),
    /// The component needs more than the engine's limits allow (core
    /// instances, memories or tables per component, memory size).
    #[error("the component exceeds this engine's limits: {0}")]
    Limits(String),
    /// The component imports something this host does not provide.
    #[error("the component needs an import this host does not grant: {0}")]
    UnsatisfiedImport(String),
    /// `describe()` failed or disagrees with the exported world.
    #[error("describe() {0}")]
    Describe(String),
    /// The engine could not be set up.
    #[error("engine setup: {0}")]
    Engine(String),
}

impl LoadError {
    /// The reason on one line: wasmtime's parse errors run over several
    /// lines (with byte dumps); only the prose of their first line is kept.
    pub fn one_line(&self) -> String {
        let first = |s: &str| {
            let line = s.lines().next().unwrap_or_default().trim();
            // `bad magic number - expected=[` opens a dump on the next lines.
            let line = match line.ends_with(['[', '(', '{']) {
                true => line.rsplit_once(" - ").map_or(line, |(prose, _)| prose),
                false => line,
            };
            line.trim_end_matches([' ', '-', ':', '=', '[', '(', '{'])
                .to_string()
        };
        match self {
            LoadError::NotAComponent(reason) => {
                format!("not a WebAssembly component ({})", first(reason))
            }
            // The caller names the file.
            LoadError::Read { source, .. } => format!("cannot read it: {source}"),
            other => first(&other.to_string()),
        }
    }
}

struct Inner {
    engine: wasmtime::Engine,
    linker: wasmtime::component::Linker<state::HostState>,
    config: EngineConfig,
    stop: Arc<AtomicBool>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// A wasmtime engine configured for weft plugins; cheap to clone.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

impl Engine {
    /// Creates an engine with `config`'s limits and starts its epoch ticker.
    pub fn new(config: EngineConfig) -> Result<Engine, LoadError> {
        let pool = pool::config(config.max_instances, config.memory_limit, config.pool);
        let mut wc = wasmtime::Config::new();
        wc.wasm_component_model(true)
            .epoch_interruption(true)
            .wasm_backtrace_max_frames(std::num::NonZeroUsize::new(32))
            .allocation_strategy(wasmtime::InstanceAllocationStrategy::Pooling(pool));
        // `WEFT_PROFILE=perfmap`: name the guests' compiled functions in
        // /tmp/perf-<pid>.map, so `perf record` / `perf report` can show
        // where time goes inside a plugin.
        if std::env::var_os("WEFT_PROFILE").is_some_and(|v| v == "perfmap") {
            wc.profiler(wasmtime::ProfilingStrategy::PerfMap);
        }
        let engine = wasmtime::Engine::new(&wc).map_err(|e| LoadError::Engine(format!("{e:#}")))?;
        let linker = state::linker(&engine).map_err(|e| LoadError::Engine(format!("{e:#}")))?;
        let stop = Arc::new(AtomicBool::new(false));
        let (ticker_engine, ticker_stop) = (engine.weak(), stop.clone());
        std::thread::Builder::new()
            .name("weft-epoch".into())
            .spawn(move || {
                while !ticker_stop.load(Ordering::Relaxed) {
                    std::thread::sleep(EPOCH_TICK);
                    match ticker_engine.upgrade() {
                        Some(e) => e.increment_epoch(),
                        None => break,
                    }
                }
            })
            .map_err(|e| LoadError::Engine(format!("epoch ticker: {e}")))?;
        Ok(Engine {
            inner: Arc::new(Inner {
                engine,
                linker,
                config,
                stop,
            }),
        })
    }

    /// The limits this engine enforces.
    pub fn config(&self) -> &EngineConfig {
        &self.inner.config
    }

    /// Reads and loads a component file.
    pub fn load_file(&self, path: &Path) -> Result<Plugin, LoadError> {
        let bytes = std::fs::read(path).map_err(|source| LoadError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        self.load(&bytes)
    }

    /// Checks, compiles (or takes from the cache), links and describes a component.
    pub fn load(&self, bytes: &[u8]) -> Result<Plugin, LoadError> {
        let sha256 = crate::stamp::sha256_hex(bytes);
        let (component, cache) = cache::compile(
            &self.inner.engine,
            self.inner.config.cache_dir.as_deref(),
            &sha256,
            bytes,
        )?;
        let summary = world::summarize(&self.inner.engine, &component);
        let role = world::role_of(&summary)?;
        if role != Role::Sink {
            schema::warm();
        }
        let pre = self
            .inner
            .linker
            .instantiate_pre(&component)
            .map_err(|e| LoadError::UnsatisfiedImport(format!("{e:#}")))?;
        let pre = bindings::WorldPre::new(role, pre)
            .map_err(|e| LoadError::UnsupportedWorld(format!("{e:#}")))?;
        let mut plugin = Plugin {
            limits: Limits {
                deadline: self.inner.config.deadline,
                memory: self.inner.config.memory_limit,
            },
            engine: self.clone(),
            pre,
            role,
            sha256,
            size: bytes.len(),
            cache,
            summary,
            info: bindings::Info::placeholder(role),
        };
        let info = plugin
            .describe()
            .map_err(|f| LoadError::Describe(format!("failed: {f}")))?;
        world::check_info(&info, role).map_err(LoadError::Describe)?;
        plugin.info = info;
        Ok(plugin)
    }

    fn store(
        &self,
        ctx: &CallContext,
        correlation_id: &str,
        plugin: &str,
        limits: Limits,
    ) -> Store<state::HostState> {
        let state = state::HostState::new(
            ctx,
            limits.memory,
            &self.inner.config.limits,
            correlation_id,
            plugin,
        );
        let mut store = Store::new(&self.inner.engine, state);
        store.limiter(|s| &mut s.limits);
        let ticks = limits
            .deadline
            .as_nanos()
            .div_ceil(EPOCH_TICK.as_nanos())
            .max(1);
        store.set_epoch_deadline(u64::try_from(ticks).unwrap_or(u64::MAX));
        store
    }
}

/// What a call may read from the host: configuration, lookup tables and
/// counters.
#[derive(Clone, Default)]
pub struct CallContext {
    /// Per-deployment settings served by the `config` import.
    pub config: BTreeMap<String, String>,
    /// Master data served by the `lookup` import (none: every lookup
    /// answers "no entry").
    pub lookup: Option<Arc<dyn Lookup>>,
    /// Counters served by the `next-sequence` import (none: it fails).
    pub sequences: Option<Arc<dyn Sequences>>,
}

impl CallContext {
    /// A context with `config` and the shared `services`.
    pub fn new(config: BTreeMap<String, String>, services: &Services) -> CallContext {
        CallContext {
            config,
            lookup: services.lookup.clone(),
            sequences: services.sequences.clone(),
        }
    }
}

/// The deadline and memory cap of a plugin's calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Budget of one call (instantiate + call).
    pub deadline: Duration,
    /// Linear memory cap in bytes.
    pub memory: usize,
}

/// A loaded plugin: compiled, linked, described; calls are independent.
pub struct Plugin {
    limits: Limits,
    engine: Engine,
    pre: bindings::WorldPre,
    role: Role,
    sha256: String,
    size: usize,
    cache: CacheOutcome,
    summary: ComponentSummary,
    info: bindings::Info,
}

/// The result of one successful call, with what the guest logged.
#[derive(Debug)]
pub struct Outcome {
    /// The messages the plugin returned, checked and completed by the host.
    pub outputs: Vec<Message>,
    /// Log lines the plugin wrote during the call.
    pub logs: Vec<LogLine>,
    /// Time spent in the call (instantiate + process).
    pub elapsed: Duration,
    /// Log lines dropped past `limits.max_log_lines` or
    /// `limits.max_log_bytes`, reported once per call: a host warning
    /// naming the plugin and the count, and the counter
    /// `weft_plugin_logs_dropped_total{plugin}`.
    pub dropped_logs: usize,
}

impl Plugin {
    /// The role of the exported world.
    pub fn role(&self) -> Role {
        self.role
    }
    /// Whether the plugin takes messages of `kind`, by its `accepts` list:
    /// exact kinds, `prefix.*` patterns and `*`; an empty list takes all.
    pub fn accepts(&self, kind: &str) -> bool {
        kind_matches(&self.info.accepts, kind)
    }

    /// What `describe()` returned at load time.
    pub fn info(&self) -> &bindings::Info {
        &self.info
    }
    /// Hex sha256 of the component bytes.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }
    /// Size of the component in bytes.
    pub fn size(&self) -> usize {
        self.size
    }
    /// Whether the compiled code came from the disk cache.
    pub fn cache(&self) -> CacheOutcome {
        self.cache
    }
    /// The component's imports and exports.
    pub fn summary(&self) -> &ComponentSummary {
        &self.summary
    }

    /// The limits its calls run under.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Tightens the limits of this plugin's calls (a stage's own deadline or
    /// memory cap); memory cannot exceed the engine's pool cap.
    pub fn set_limits(&mut self, deadline: Option<Duration>, memory: Option<usize>) {
        if let Some(d) = deadline {
            self.limits.deadline = d;
        }
        if let Some(m) = memory {
            self.limits.memory = m.min(self.engine.config().memory_limit);
        }
    }

    /// Calls `describe()` in a fresh store.
    pub fn describe(&self) -> Result<bindings::Info, Failure> {
        let mut store = self
            .engine
            .store(&CallContext::default(), "", "describe", self.limits);
        let r = self.pre.describe(&mut store);
        store.data().imports.report_logs();
        r.map_err(|e| classify::trap(e, &store, self.limits))
    }

    /// Processes one message in a fresh store under the deadline and memory
    /// cap. Outputs are checked (`bad-output`) and completed: an empty id
    /// becomes `<input id>/<index>`, an empty correlation id the input's.
    /// A call that went past an import limit (lookup key length,
    /// `next-sequence` draws) fails `bad-output` whatever it returned.
    pub fn process(&self, input: &Message, ctx: &CallContext) -> Result<Outcome, Failure> {
        self.process_after_check(input, ctx, false)
    }

    /// Like [`Plugin::process`]; `input_checked`: the input is an output
    /// this host checked (an earlier stage's, in the same run), so an output
    /// with its kind, content type and payload is not checked again.
    pub fn process_after_check(
        &self,
        input: &Message,
        ctx: &CallContext,
        input_checked: bool,
    ) -> Result<Outcome, Failure> {
        let started = Instant::now();
        let mut store = self
            .engine
            .store(ctx, &input.correlation_id, &self.info.name, self.limits);
        let result = self.pre.process(&mut store, input);
        let elapsed = started.elapsed();
        let imports = &mut store.data_mut().imports;
        imports.report_logs();
        let dropped_logs = imports.log.dropped();
        let logs = imports.log.take_lines();
        if let Some(why) = imports.take_violation() {
            return Err(Failure::new(FailureClass::BadOutput, why).with_logs(logs));
        }
        if let Some(why) = imports.take_unavailable() {
            return Err(Failure::new(FailureClass::Retryable, why).with_logs(logs));
        }
        let outputs = match result {
            Err(e) => return Err(classify::trap(e, &store, self.limits).with_logs(logs)),
            Ok(Err(plugin_error)) => {
                return Err(Failure::from_plugin_error(plugin_error).with_logs(logs))
            }
            Ok(Ok(outputs)) => outputs,
        };
        let outputs = validate::outputs(input, outputs, &self.engine.config().limits)
            .and_then(|outputs| schema::check(self.role, outputs, input_checked.then_some(input)))
            .map_err(|f| f.with_logs(logs.clone()))?;
        Ok(Outcome {
            outputs,
            logs,
            elapsed,
            dropped_logs,
        })
    }
}

/// Whether `kind` matches one of `patterns` (exact, `prefix.*`, `*`); an
/// empty list matches everything.
pub fn kind_matches(patterns: &[String], kind: &str) -> bool {
    patterns.is_empty()
        || patterns.iter().any(|p| {
            p == "*"
                || p == kind
                || p.strip_suffix('*')
                    .is_some_and(|prefix| prefix.ends_with('.') && kind.starts_with(prefix))
        })
}

#[cfg(test)]
mod kind_tests {
    use super::kind_matches;

    #[test]
    fn accepts_patterns() {
        let p = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(kind_matches(&p(&[]), "x12.997"));
        assert!(kind_matches(&p(&["*"]), "x12.997"));
        assert!(kind_matches(&p(&["order.*"]), "order.created"));
        assert!(!kind_matches(&p(&["order.*"]), "orders.x"));
        assert!(!kind_matches(&p(&["order.*"]), "x12.997"));
        assert!(kind_matches(&p(&["raw", "order.created"]), "order.created"));
        assert!(!kind_matches(&p(&["order.created"]), "order.updated"));
    }
}
