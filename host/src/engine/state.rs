//! Per-call store state: an empty WASI context (nothing granted), the memory
//! limiter, and the host imports `log`, `config`, `lookup` and
//! `next-sequence`.

use std::sync::Arc;

use wasmtime::component::{HasSelf, Linker, ResourceTable};
use wasmtime_wasi::{p2::pipe::MemoryOutputPipe, WasiCtx, WasiCtxView, WasiView};

use super::{
    bindings::{host_iface, source, wit},
    CallContext,
};

/// Most log lines kept per call; later ones are counted, not kept.
const MAX_LOG_LINES: usize = 1000;
/// Bytes of guest stdout/stderr kept per call (a panic message lands there).
const PIPE_CAPACITY: usize = 64 << 10;

/// One line a plugin logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    /// `trace`, `debug`, `info`, `warn` or `error`.
    pub level: &'static str,
    /// The text.
    pub message: String,
}

/// Records a refused memory growth so the failure is classed `memory-limit`.
pub(crate) struct Limits {
    pub(crate) memory_cap: usize,
    pub(crate) denied: Option<usize>,
}

impl wasmtime::ResourceLimiter for Limits {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > self.memory_cap {
            self.denied = Some(desired);
            return Ok(false);
        }
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= 1_000_000)
    }
}

pub(crate) struct HostState {
    wasi: WasiCtx,
    table: ResourceTable,
    pub(crate) limits: Limits,
    pub(crate) stderr: MemoryOutputPipe,
    config: Arc<CallContext>,
    pub(crate) logs: Vec<LogLine>,
    dropped_logs: usize,
    correlation_id: String,
    plugin: String,
    /// Set when master data could not be reached during the call: the
    /// call then fails `retryable` whatever the guest returned.
    pub(crate) unavailable: Option<String>,
}

impl HostState {
    pub(crate) fn new(
        ctx: &CallContext,
        memory_cap: usize,
        correlation_id: &str,
        plugin: &str,
    ) -> HostState {
        let stderr = MemoryOutputPipe::new(PIPE_CAPACITY);
        // Deny by default: no preopened directories, no environment, no
        // arguments, no sockets, no name lookups. Output streams are kept in
        // memory so a panic message can be reported.
        let wasi = WasiCtx::builder()
            .stdout(MemoryOutputPipe::new(PIPE_CAPACITY))
            .stderr(stderr.clone())
            .allow_tcp(false)
            .allow_udp(false)
            .allow_ip_name_lookup(false)
            .build();
        HostState {
            wasi,
            table: ResourceTable::new(),
            limits: Limits {
                memory_cap,
                denied: None,
            },
            stderr,
            config: Arc::new(ctx.clone()),
            logs: Vec::new(),
            dropped_logs: 0,
            correlation_id: correlation_id.to_string(),
            plugin: plugin.to_string(),
            unavailable: None,
        }
    }
}

impl WasiView for HostState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl wit::Host for HostState {}

impl host_iface::Host for HostState {
    fn log(&mut self, level: host_iface::LogLevel, message: String) {
        use host_iface::LogLevel as L;
        let level = match level {
            L::Trace => "trace",
            L::Debug => "debug",
            L::Info => "info",
            L::Warn => "warn",
            L::Error => "error",
        };
        match level {
            "error" => {
                tracing::error!(plugin = %self.plugin, correlation_id = %self.correlation_id, "{message}")
            }
            "warn" => {
                tracing::warn!(plugin = %self.plugin, correlation_id = %self.correlation_id, "{message}")
            }
            "info" => {
                tracing::info!(plugin = %self.plugin, correlation_id = %self.correlation_id, "{message}")
            }
            "debug" => {
                tracing::debug!(plugin = %self.plugin, correlation_id = %self.correlation_id, "{message}")
            }
            _ => {
                tracing::trace!(plugin = %self.plugin, correlation_id = %self.correlation_id, "{message}")
            }
        }
        if self.logs.len() < MAX_LOG_LINES {
            self.logs.push(LogLine { level, message });
        } else {
            self.dropped_logs += 1;
        }
    }

    fn config(&mut self, key: String) -> Option<String> {
        self.config.config.get(&key).cloned()
    }

    fn lookup(&mut self, table: String, key: String) -> Option<String> {
        match self.config.lookup.as_ref()?.get(&table, &key) {
            Ok(v) => v,
            Err(e) => {
                self.unavailable
                    .get_or_insert_with(|| format!("lookup table `{table}` unavailable: {e}"));
                None
            }
        }
    }

    fn next_sequence(&mut self, name: String) -> Result<u64, String> {
        match self.config.sequences.as_ref() {
            Some(s) => s.next(&name),
            None => Err("this host has no counter store".to_string()),
        }
    }
}

/// The linker shared by every plugin: WASI p2 (nothing granted) and the
/// weft host imports.
pub(crate) fn linker(engine: &wasmtime::Engine) -> wasmtime::Result<Linker<HostState>> {
    let mut linker = Linker::new(engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;
    source::Source::add_to_linker::<HostState, HasSelf<HostState>>(&mut linker, |s| s)?;
    Ok(linker)
}
