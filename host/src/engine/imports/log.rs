//! `log(level, message)`: a plugin's log line goes into the host log, tagged
//! with the plugin and the message's correlation id, and is kept with the
//! call's outcome.
//!
//! A line longer than `limits.max_log_line_bytes` is cut there and marked
//! `… [truncated N KiB]`; once a call has forwarded `limits.max_log_lines`
//! lines or `limits.max_log_bytes` bytes, later lines are dropped. Both are
//! counted and reported once per call ([`LogState::report`]): one host
//! warning naming the plugin and how many lines were dropped or cut, and the
//! counters `weft_plugin_logs_dropped_total` and
//! `weft_plugin_logs_truncated_total` (label `plugin`).

use wasmtime::{
    component::{HasData, Linker},
    StoreContextMut,
};

use super::{CallScope, INTERFACE};
use crate::engine::{
    bindings::host_iface::{self, LogLevel},
    limits::{human_bytes, CallLimits},
};

/// One line a plugin logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    /// `trace`, `debug`, `info`, `warn` or `error`.
    pub level: &'static str,
    /// The text.
    pub message: String,
}

/// What became of the log lines of one call.
#[derive(Debug, Default)]
struct LogTally {
    lines: usize,
    bytes: usize,
    /// Lines dropped past `max_log_lines` or `max_log_bytes`.
    dropped: usize,
    dropped_bytes: usize,
    /// Lines cut at `max_log_line_bytes`.
    truncated: usize,
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

/// The `log` import's part of one call: the lines kept and the tally.
#[derive(Debug, Default)]
pub(crate) struct LogState {
    lines: Vec<LogLine>,
    tally: LogTally,
}

impl LogState {
    /// The import: forwards the line to the host log and keeps it, cut when
    /// too long, or drops it when the call's log budget is spent.
    pub(crate) fn log(&mut self, call: &CallScope, level: LogLevel, message: String) {
        let Some(message) = self.tally.admit(message, &call.limits) else {
            return;
        };
        let (plugin, correlation_id) = (&call.plugin, &call.correlation_id);
        let level = match level {
            LogLevel::Error => {
                tracing::error!(plugin = %plugin, correlation_id = %correlation_id, "{message}");
                "error"
            }
            LogLevel::Warn => {
                tracing::warn!(plugin = %plugin, correlation_id = %correlation_id, "{message}");
                "warn"
            }
            LogLevel::Info => {
                tracing::info!(plugin = %plugin, correlation_id = %correlation_id, "{message}");
                "info"
            }
            LogLevel::Debug => {
                tracing::debug!(plugin = %plugin, correlation_id = %correlation_id, "{message}");
                "debug"
            }
            LogLevel::Trace => {
                tracing::trace!(plugin = %plugin, correlation_id = %correlation_id, "{message}");
                "trace"
            }
        };
        self.lines.push(LogLine { level, message });
    }

    /// Lines dropped so far past `limits.max_log_lines` or
    /// `limits.max_log_bytes`.
    pub(crate) fn dropped(&self) -> usize {
        self.tally.dropped
    }

    /// The lines kept so far; later calls of this start a new list.
    pub(crate) fn take_lines(&mut self) -> Vec<LogLine> {
        std::mem::take(&mut self.lines)
    }

    /// One host warning and the counter metrics when the call's logs went
    /// past their limits; nothing otherwise.
    pub(crate) fn report(&self, call: &CallScope) {
        let (t, l) = (&self.tally, &call.limits);
        if t.dropped == 0 && t.truncated == 0 {
            return;
        }
        tracing::warn!(
            plugin = %call.plugin,
            correlation_id = %call.correlation_id,
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
            metrics::counter!("weft_plugin_logs_dropped_total", "plugin" => call.plugin.clone())
                .increment(t.dropped as u64);
        }
        if t.truncated > 0 {
            metrics::counter!("weft_plugin_logs_truncated_total", "plugin" => call.plugin.clone())
                .increment(t.truncated as u64);
        }
    }
}

/// Links `log` into the `weft:plugin/host` instance of `linker`; `get`
/// reaches the implementation of the generated `Host` trait from the
/// store's state.
pub(crate) fn add_to_linker<T: 'static, D: HasData>(
    linker: &mut Linker<T>,
    get: fn(&mut T) -> D::Data<'_>,
) -> wasmtime::Result<()>
where
    for<'a> D::Data<'a>: host_iface::Host,
{
    linker.instance(INTERFACE)?.func_wrap(
        "log",
        move |mut store: StoreContextMut<'_, T>, (level, message): (LogLevel, String)| {
            let host = &mut get(store.data_mut());
            host_iface::Host::log(host, level, message);
            Ok(())
        },
    )
}

#[cfg(test)]
mod tests {
    use std::{
        io,
        path::Path,
        sync::{Arc, Mutex},
    };

    use super::*;
    use crate::{
        engine::{CallContext, Engine, EngineConfig},
        message::Message,
    };

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

    /// Everything the host log received, as text.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0
                .lock()
                .map_err(|_| io::Error::other("poisoned"))?
                .extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// Runs `f` with a host log and a metrics recorder of its own (both
    /// local to this thread); returns its result, the host log's warnings
    /// and the metrics in the Prometheus text format.
    fn observed<R>(f: impl FnOnce() -> R) -> (R, Vec<String>, String) {
        let recorder = metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        let log = Captured::default();
        let writer = log.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        let r = tracing::subscriber::with_default(subscriber, || {
            metrics::with_local_recorder(&recorder, f)
        });
        let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
        let warnings = text
            .lines()
            .filter(|l| l.contains(" WARN "))
            .map(str::to_string)
            .collect();
        (r, warnings, handle.render())
    }

    fn call(plugin: &str, limits: CallLimits) -> CallScope {
        CallScope {
            plugin: plugin.into(),
            correlation_id: "c1".into(),
            limits,
            violation: None,
        }
    }

    #[test]
    fn dropped_and_cut_lines_are_reported_once_with_counters() {
        let call = call("noisy", limits(4, 1 << 20, 2));
        let mut state = LogState::default();
        for m in ["one", "two", "three", "four", "five"] {
            state.log(&call, LogLevel::Info, m.into());
        }
        assert_eq!(state.dropped(), 3);
        let lines: Vec<_> = state.take_lines().into_iter().map(|l| l.message).collect();
        assert_eq!(lines, ["one", "two"]);
        let ((), warnings, metrics) = observed(|| state.report(&call));
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        let w = &warnings[0];
        assert!(
            w.contains("plugin=noisy") && w.contains("dropped_lines=3"),
            "{w}"
        );
        assert!(w.contains("3 lines (") && w.contains("0 lines cut"), "{w}");
        assert!(
            metrics.contains(r#"weft_plugin_logs_dropped_total{plugin="noisy"} 3"#),
            "{metrics}"
        );
        assert!(
            !metrics.contains("weft_plugin_logs_truncated_total"),
            "{metrics}"
        );

        // Within the limits: no warning, no counter.
        let mut quiet = LogState::default();
        quiet.log(&call, LogLevel::Warn, "ok".into());
        let ((), warnings, metrics) = observed(|| quiet.report(&call));
        assert!(warnings.is_empty(), "{warnings:?}");
        assert!(!metrics.contains("weft_plugin_logs"), "{metrics}");
    }

    /// The `log-flood` mode of the `guest-bad-output` test guest, built by
    /// `scripts/build-wasm.sh`.
    #[test]
    fn a_guest_flooding_the_log_is_reported_by_name_and_count() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../target/test-guests/guest-bad-output.wasm");
        assert!(
            path.exists(),
            "{} is missing: run scripts/build-wasm.sh",
            path.display()
        );
        let cache = tempfile::tempdir().unwrap();
        let engine = Engine::new(EngineConfig {
            cache_dir: Some(cache.path().to_path_buf()),
            limits: limits(8 << 10, 1 << 20, 10),
            ..EngineConfig::default()
        })
        .unwrap();
        let plugin = engine.load_file(&path).unwrap();
        let flood = |lines: usize| Message {
            id: "m1".into(),
            correlation_id: "c1".into(),
            kind: "log-flood".into(),
            content_type: "text/plain".into(),
            headers: vec![],
            payload: lines.to_string().into_bytes(),
        };
        let ctx = CallContext::default();
        let (outcomes, warnings, metrics) =
            observed(|| [13, 10].map(|n| plugin.process(&flood(n), &ctx).unwrap()));
        let kept_dropped: Vec<_> = outcomes
            .iter()
            .map(|o| (o.logs.len(), o.dropped_logs))
            .collect();
        assert_eq!(kept_dropped, [(10, 3), (10, 0)]);
        assert_eq!(
            warnings.len(),
            1,
            "only the call over the limit: {warnings:?}"
        );
        let w = &warnings[0];
        assert!(
            w.contains("plugin=guest-bad-output") && w.contains("correlation_id=c1"),
            "{w}"
        );
        assert!(
            w.contains("3 lines (3.0 KiB) dropped past limits.max_log_lines = 10"),
            "{w}"
        );
        assert!(
            metrics.contains(r#"weft_plugin_logs_dropped_total{plugin="guest-bad-output"} 3"#),
            "{metrics}"
        );
    }
}
