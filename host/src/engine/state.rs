//! Per-call store state: an empty WASI context (nothing granted), the memory
//! limiter, and the host imports `log`, `config`, `lookup` and
//! `next-sequence` under the call's [`CallLimits`].

use std::sync::Arc;

use wasmtime::component::{HasSelf, Linker, ResourceTable};
use wasmtime_wasi::{p2::pipe::MemoryOutputPipe, WasiCtx, WasiCtxView, WasiView};

use super::{
    bindings::{host_iface, source, wit},
    limits::{human_bytes, CallLimits},
    CallContext,
};

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

/// What became of the log lines of one call.
#[derive(Debug, Default)]
pub(crate) struct LogTally {
    lines: usize,
    bytes: usize,
    /// Lines dropped past `max_log_lines` or `max_log_bytes`.
    pub(crate) dropped: usize,
    dropped_bytes: usize,
    /// Lines cut at `max_log_line_bytes`.
    pub(crate) truncated: usize,
}

impl LogTally {
    /// The line as it may be forwarded (cut and marked when too long), or
    /// `None` when the call's log budget is spent.
    fn admit(&mut self, mut message: String, limits: &CallLimits) -> Option<String> {
        let long = message.len() > limits.max_log_line_bytes;
        if long {
            let mut cut = limits.max_log_line_bytes;
            while !message.is_char_boundary(cut) {
                cut -= 1;
            }
            let gone = message.len() - cut;
            message.truncate(cut);
            message.push_str(&format!(" … [truncated {}]", human_bytes(gone)));
        }
        if self.lines >= limits.max_log_lines
            || self.bytes.saturating_add(message.len()) > limits.max_log_bytes
        {
            self.dropped += 1;
            self.dropped_bytes += message.len();
            return None;
        }
        self.truncated += usize::from(long);
        self.lines += 1;
        self.bytes += message.len();
        Some(message)
    }
}

pub(crate) struct HostState {
    wasi: WasiCtx,
    table: ResourceTable,
    pub(crate) limits: Limits,
    pub(crate) stderr: MemoryOutputPipe,
    config: Arc<CallContext>,
    call_limits: CallLimits,
    pub(crate) logs: Vec<LogLine>,
    pub(crate) log_tally: LogTally,
    /// `next-sequence` calls so far.
    draws: usize,
    correlation_id: String,
    plugin: String,
    /// Set when master data could not be reached during the call: the
    /// call then fails `retryable` whatever the guest returned.
    pub(crate) unavailable: Option<String>,
    /// Set when the guest went past an import limit (lookup key length,
    /// `next-sequence` draws): the call then fails `bad-output` whatever
    /// the guest returned, and later lookups and draws are refused.
    pub(crate) violation: Option<String>,
}

impl HostState {
    pub(crate) fn new(
        ctx: &CallContext,
        memory_cap: usize,
        call_limits: &CallLimits,
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
            call_limits: *call_limits,
            logs: Vec::new(),
            log_tally: LogTally::default(),
            draws: 0,
            correlation_id: correlation_id.to_string(),
            plugin: plugin.to_string(),
            unavailable: None,
            violation: None,
        }
    }

    /// One host warning and the counter metrics when the call's logs went
    /// past their limits; nothing otherwise.
    pub(crate) fn report_logs(&self) {
        let (t, l) = (&self.log_tally, &self.call_limits);
        if t.dropped == 0 && t.truncated == 0 {
            return;
        }
        tracing::warn!(
            plugin = %self.plugin,
            correlation_id = %self.correlation_id,
            dropped_lines = t.dropped,
            truncated_lines = t.truncated,
            "plugin logs over their limits: {} lines ({}) dropped past limits.max_log_lines = {} \
             or limits.max_log_bytes = {}, {} lines cut to limits.max_log_line_bytes = {}",
            t.dropped,
            human_bytes(t.dropped_bytes),
            l.max_log_lines,
            l.max_log_bytes,
            t.truncated,
            l.max_log_line_bytes,
        );
        if t.dropped > 0 {
            metrics::counter!("weft_plugin_logs_dropped_total", "plugin" => self.plugin.clone())
                .increment(t.dropped as u64);
        }
        if t.truncated > 0 {
            metrics::counter!("weft_plugin_logs_truncated_total", "plugin" => self.plugin.clone())
                .increment(t.truncated as u64);
        }
    }

    /// Records the first import violation and returns its message.
    fn violate(&mut self, why: String) -> String {
        self.violation.get_or_insert(why).clone()
    }

    /// A violation message when `value` (a `what`) is over `max_key_bytes`.
    fn key_too_long(&self, what: &str, value: &str) -> Option<String> {
        let max = self.call_limits.max_key_bytes;
        (value.len() > max).then(|| {
            format!(
                "{what} of {} bytes, more than limits.max_key_bytes = {max}",
                value.len()
            )
        })
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
        let Some(message) = self.log_tally.admit(message, &self.call_limits) else {
            return;
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
        self.logs.push(LogLine { level, message });
    }

    fn config(&mut self, key: String) -> Option<String> {
        self.config.config.get(&key).cloned()
    }

    fn lookup(&mut self, table: String, key: String) -> Option<String> {
        if self.violation.is_some() {
            return None;
        }
        let too_long = self
            .key_too_long("lookup table name", &table)
            .or_else(|| self.key_too_long(&format!("lookup key in table `{table}`"), &key));
        if let Some(why) = too_long {
            self.violate(why);
            return None;
        }
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
        if let Some(why) = &self.violation {
            return Err(why.clone());
        }
        if let Some(why) = self.key_too_long("counter name", &name) {
            return Err(self.violate(why));
        }
        let max = self.call_limits.max_sequence_draws;
        if self.draws >= max {
            return Err(self.violate(format!(
                "more than limits.max_sequence_draws = {max} next-sequence draws in one call"
            )));
        }
        self.draws += 1;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(line: usize, bytes: usize, lines: usize) -> CallLimits {
        CallLimits {
            max_log_line_bytes: line,
            max_log_bytes: bytes,
            max_log_lines: lines,
            ..CallLimits::default()
        }
    }

    #[test]
    fn long_lines_are_cut_on_a_char_boundary_and_marked() {
        let l = limits(10, 1 << 20, 100);
        let mut t = LogTally::default();
        assert_eq!(t.admit("short".into(), &l).as_deref(), Some("short"));
        let cut = t.admit("ééééééé".into(), &l).unwrap(); // 14 bytes
        assert_eq!(cut, "ééééé … [truncated 4 B]");
        assert_eq!((t.truncated, t.dropped), (1, 0));
    }

    #[test]
    fn lines_past_the_budget_are_dropped_and_counted() {
        let l = limits(100, 25, 3);
        let mut t = LogTally::default();
        let kept: Vec<_> = (0..10)
            .filter_map(|i| t.admit(format!("line {i:04}"), &l))
            .collect();
        assert_eq!(kept, ["line 0000", "line 0001"]); // 9 bytes each, 25 max
        assert_eq!((t.dropped, t.dropped_bytes), (8, 72));
        let l = limits(100, 1 << 20, 3);
        let mut t = LogTally::default();
        assert_eq!((0..5).filter_map(|_| t.admit("x".into(), &l)).count(), 3);
        assert_eq!(t.dropped, 2);
    }
}
