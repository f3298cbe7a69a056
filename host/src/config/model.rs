//! The configuration types and their cross-checks.

use std::{
    collections::BTreeMap,
    ops::Range,
    path::{Path, PathBuf},
    time::Duration,
};

use serde::Deserialize;
use toml::Spanned;

use super::AdminConfig;

/// The whole `weft.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where Redis is; absent → `REDIS_URL`, else a private `redis-server`.
    #[serde(default)]
    pub redis: RedisConfig,
    /// The admin HTTP server.
    #[serde(default)]
    pub admin: AdminConfig,
    /// This host's consumer settings.
    #[serde(default)]
    pub host: HostConfig,
    /// Default retry policy (a pipeline or sink may override it).
    #[serde(default)]
    pub retry: RetryPolicy,
    /// Per-call limits of every plugin call (`[limits]`; see
    /// [`crate::engine::CallLimits`] for each key and its default).
    #[serde(default)]
    pub limits: crate::engine::CallLimits,
    /// What one plugin component may hold (`[pool]`: core instances,
    /// memories, tables; see [`crate::engine::PoolLimits`]).
    #[serde(default)]
    pub pool: crate::engine::PoolLimits,
    /// Pipelines by name.
    #[serde(default)]
    pub pipelines: BTreeMap<String, Pipeline>,
    /// Sinks by name.
    #[serde(default)]
    pub sinks: BTreeMap<String, Sink>,
    /// Where stages that name `ns/name@version` come from, and how
    /// deployments reach this host.
    pub registry: Option<RegistryConfig>,
    /// The order-lifecycle ledger (`[ledger]`); absent → off.
    pub ledger: Option<super::ledger::LedgerConfig>,
    /// The file this configuration was read from (set by [`super::parse`]),
    /// for messages.
    #[serde(skip)]
    pub file: PathBuf,
}

/// `[registry]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistryConfig {
    /// e.g. `http://127.0.0.1:7071`.
    pub url: String,
    /// Bearer token with the `read` and `status` scopes (default: `WEFT_TOKEN`).
    pub token: Option<String>,
    /// Hex ed25519 public keys whose signatures this host trusts.
    pub trusted_keys: Vec<String>,
    /// Reconcile against the registry this often (besides the control stream).
    #[serde(default = "default_reconcile")]
    pub reconcile_ms: u64,
}

fn default_reconcile() -> u64 {
    10_000
}

/// `[redis]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedisConfig {
    /// e.g. `redis://127.0.0.1:6379/`.
    pub url: Option<String>,
}

/// `[host]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HostConfig {
    /// Consumer name in every group; stable across restarts so a restarted
    /// host picks up its own pending entries first. Default: `$HOSTNAME`, else `weft`.
    pub consumer: Option<String>,
    /// Entries read per XREADGROUP.
    pub batch: usize,
    /// Messages processed at once per pipeline.
    pub concurrency: usize,
    /// Entries pending longer than this on another consumer are reclaimed.
    pub claim_idle_ms: u64,
    /// Working directory for the private Redis (`<data_dir>/redis`).
    pub data_dir: PathBuf,
    /// How long committed message ids are remembered for deduplication.
    pub dedupe_retention_hours: u64,
}

impl Default for HostConfig {
    fn default() -> Self {
        HostConfig {
            consumer: None,
            batch: 64,
            concurrency: 4,
            claim_idle_ms: 30_000,
            data_dir: ".weft".into(),
            dedupe_retention_hours: 7 * 24,
        }
    }
}

/// Exponential backoff with jitter.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; then the message is dead-lettered.
    pub max_attempts: u32,
    /// Delay before the second attempt.
    pub base_ms: u64,
    /// Longest delay.
    pub max_ms: u64,
    /// Random share of the delay, 0.0–1.0.
    pub jitter: f64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            base_ms: 500,
            max_ms: 60_000,
            jitter: 0.2,
        }
    }
}

impl RetryPolicy {
    /// Delay before attempt `attempt + 1`, given a random `r` in `[0, 1)`.
    pub fn delay(&self, attempt: u32, r: f64) -> Duration {
        let exp = self
            .base_ms
            .saturating_mul(1u64 << attempt.saturating_sub(1).min(30));
        let capped = exp.min(self.max_ms) as f64;
        let jitter = self.jitter.clamp(0.0, 1.0);
        Duration::from_millis((capped * (1.0 - jitter + 2.0 * jitter * r)).max(0.0) as u64)
    }
}

/// `[pipelines.NAME]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pipeline {
    /// Flow (Redis hash tag); pipelines and sinks of one flow share a slot.
    /// Default: the pipeline name.
    pub flow: Option<String>,
    /// Stages, in order.
    pub stages: Vec<Stage>,
    /// Output routing by kind pattern (`order.created`, `order.*`, `*`) to
    /// `sink:NAME` or `pipeline:NAME`. Outputs no route matches are dead-lettered.
    #[serde(default)]
    pub routes: BTreeMap<String, Spanned<String>>,
    /// Overrides the default retry policy.
    pub retry: Option<RetryPolicy>,
    /// How ingest requests prove they come from the channel (a webhook
    /// signature or a bearer token); none: any request is taken.
    pub auth: Option<super::auth::IngestAuth>,
    /// At most this many ingest requests per second (per host; beyond it:
    /// 429 with `Retry-After`, nothing queued).
    pub ingest_limit: Option<crate::rate::RateLimit>,
}

/// `[[pipelines.NAME.stages]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    /// Stage name (default: the plugin file stem).
    pub name: Option<String>,
    /// Path of the component, relative to the config file.
    pub plugin: Spanned<PathBuf>,
    /// Settings served by the `config` import.
    #[serde(default)]
    pub config: BTreeMap<String, String>,
    /// CPU deadline per call.
    pub deadline_ms: Option<u64>,
    /// Memory cap.
    pub memory_mb: Option<usize>,
    /// The line of `plugin` in the configuration file (set by
    /// [`super::parse`]), for messages.
    #[serde(skip)]
    pub line: Option<usize>,
}

impl Stage {
    /// The `ns/name@version` this stage names, when it names one.
    pub fn registry_ref(&self) -> Option<crate::plugin_ref::PluginRef> {
        let s = self.plugin.get_ref().to_str()?;
        crate::plugin_ref::PluginRef::parse(s).ok()
    }

    /// The stage's name: `name`, else the plugin's file stem or name.
    pub fn stage_name(&self) -> String {
        if let Some(n) = &self.name {
            return n.clone();
        }
        match self.registry_ref() {
            Some(r) => r.name,
            None => self
                .plugin
                .get_ref()
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
        }
    }
}

/// `[sinks.NAME]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, tag = "type", rename_all = "lowercase")]
pub enum Sink {
    /// POST each payload; `Idempotency-Key` = message id.
    Http {
        /// Endpoint.
        url: String,
        /// Request timeout.
        #[serde(default = "default_timeout")]
        timeout_ms: u64,
        /// Overrides the default retry policy.
        retry: Option<RetryPolicy>,
        /// Keep delivered entries on the sink stream this long (default 0:
        /// trimmed once delivered).
        retention_hours: Option<u64>,
        /// A JSON pointer (RFC 6901, e.g. `/orderNumber`) into a 2xx
        /// response body: the string or number there is the receiver's
        /// reference (the ERP's order number), the `ref` of the delivery
        /// record. Checked at load.
        order_number_pointer: Option<String>,
        /// At most this many deliveries per second (per host); the rest
        /// wait in the stream.
        rate_limit: Option<crate::rate::RateLimit>,
        /// At most this many deliveries under way at once (per host).
        max_in_flight: Option<usize>,
    },
    /// Write each payload to `<dir>/<message id>.<ext>` atomically.
    File {
        /// Output directory, relative to the config file.
        dir: PathBuf,
        /// Keep delivered entries on the sink stream this long (default 0:
        /// trimmed once delivered).
        retention_hours: Option<u64>,
    },
    /// Leave outputs on `weft:{flow}:in:sink:NAME` for an outside consumer.
    /// Entries older than `retention_hours` (default 168, a week) are
    /// trimmed, except those an outside consumer group has not acknowledged.
    Stream {
        /// How long entries are kept (0: until every consumer group acknowledged them).
        retention_hours: Option<u64>,
    },
}

impl Sink {
    /// How long entries stay on this sink's stream after delivery: for
    /// `stream` sinks, after they were written (default a week); for the
    /// others, after delivery (default 0).
    pub fn retention(&self) -> Duration {
        let hours = match self {
            Sink::Http {
                retention_hours, ..
            }
            | Sink::File {
                retention_hours, ..
            } => retention_hours.unwrap_or(0),
            Sink::Stream { retention_hours } => retention_hours.unwrap_or(7 * 24),
        };
        Duration::from_secs(hours.saturating_mul(3600))
    }
}

fn default_timeout() -> u64 {
    5000
}

/// Where an output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A sink's stream.
    Sink(String),
    /// Another pipeline's input stream.
    Pipeline(String),
}

/// An error and the span of what it is about.
pub(super) type Located = (Option<Range<usize>>, String);

impl Config {
    /// Checks names, ranges and references; resolves relative paths
    /// against `base`. `locate` finds the span of a key path's value.
    pub(super) fn resolve(
        &mut self,
        base: &Path,
        locate: super::ranges::Locate<'_>,
    ) -> Result<(), Located> {
        if self.pipelines.is_empty() {
            return Err((None, "no pipelines: add a [pipelines.NAME] table".into()));
        }
        self.check_ranges(locate)?;
        let names: Vec<String> = self.pipelines.keys().cloned().collect();
        self.admin.resolve(base, locate, &names)?;
        for (name, sink) in &mut self.sinks {
            check_name("sink", name)?;
            if let Sink::Http {
                rate_limit,
                max_in_flight,
                ..
            } = sink
            {
                if let Some(Err(m)) = rate_limit.as_ref().map(crate::rate::RateLimit::check) {
                    return Err((
                        locate(&["sinks", name, "rate_limit", "rate_per_second"]),
                        format!("sink `{name}` [rate_limit]: {m}"),
                    ));
                }
                if *max_in_flight == Some(0) {
                    return Err((
                        locate(&["sinks", name, "max_in_flight"]),
                        format!("sink `{name}`: `max_in_flight = 0` would never deliver; use at least 1"),
                    ));
                }
            }
            if let Sink::File { dir, .. } = sink {
                *dir = base.join(&*dir);
            }
        }
        for (name, p) in &mut self.pipelines {
            check_name("pipeline", name)?;
            if let Some(flow) = &p.flow {
                check_name("flow", flow)?;
            }
            if p.stages.is_empty() {
                return Err((None, format!("pipeline `{name}` has no stages")));
            }
            if let Some(limit) = &p.ingest_limit {
                limit.check().map_err(|m| {
                    (
                        locate(&["pipelines", name, "ingest_limit", "rate_per_second"]),
                        format!("pipeline `{name}` [ingest_limit]: {m}"),
                    )
                })?;
            }
            if let Some(auth) = &mut p.auth {
                auth.resolve(base).map_err(|m| {
                    (
                        locate(&["pipelines", name, "auth", "scheme"]),
                        format!("pipeline `{name}` [auth]: {m}"),
                    )
                })?;
            }
            for (i, stage) in p.stages.iter_mut().enumerate() {
                if let Some(n) = &stage.name {
                    let i = i.to_string();
                    crate::names::check_name("stage", n).map_err(|m| {
                        (
                            locate(&["pipelines", name, "stages", &i, "name"]),
                            format!("pipeline `{name}`: {m}"),
                        )
                    })?;
                }
                if let Some(r) = stage.registry_ref() {
                    if self.registry.is_none() {
                        return Err((Some(stage.plugin.span()), format!("pipeline `{name}`: stage plugin `{r}` comes from a registry; add a [registry] table")));
                    }
                    continue;
                }
                let path = base.join(stage.plugin.get_ref());
                if !path.exists() {
                    return Err((Some(stage.plugin.span()), format!("pipeline `{name}`: plugin file {} does not exist (build it with scripts/build-wasm.sh)", path.display())));
                }
                stage.plugin = Spanned::new(stage.plugin.span(), path);
            }
            for (pattern, target) in &p.routes {
                match parse_target(target.get_ref()) {
                    Some(Target::Sink(s)) if !self.sinks.contains_key(&s) => {
                        return Err((Some(target.span()), format!("pipeline `{name}` routes `{pattern}` to unknown sink `{s}`")))
                    }
                    Some(Target::Pipeline(q)) if !names.contains(&q) => {
                        return Err((Some(target.span()), format!("pipeline `{name}` routes `{pattern}` to unknown pipeline `{q}`")))
                    }
                    None => {
                        return Err((Some(target.span()), format!("pipeline `{name}` route `{pattern}`: target must be `sink:NAME` or `pipeline:NAME`, not `{}`", target.get_ref())))
                    }
                    _ => {}
                }
            }
        }
        // A route into another pipeline commits atomically only within one flow.
        for (name, p) in &self.pipelines {
            for target in p.routes.values() {
                if let Some(Target::Pipeline(q)) = parse_target(target.get_ref()) {
                    if self.flow_of(&q) != self.flow_of(name) {
                        return Err((Some(target.span()), format!("pipeline `{name}` (flow `{}`) routes to pipeline `{q}` of another flow (`{}`); routes stay within one flow", self.flow_of(name), self.flow_of(&q))));
                    }
                }
            }
        }
        Ok(())
    }

    /// The flow of a pipeline (its `flow`, else its name).
    pub fn flow_of(&self, pipeline: &str) -> String {
        self.pipelines
            .get(pipeline)
            .and_then(|p| p.flow.clone())
            .unwrap_or_else(|| pipeline.to_string())
    }

    /// The retry policy of a pipeline.
    pub fn retry_of(&self, pipeline: &str) -> RetryPolicy {
        self.pipelines
            .get(pipeline)
            .and_then(|p| p.retry)
            .unwrap_or(self.retry)
    }

    /// `(flow, sink)` pairs: each sink stream some pipeline routes into.
    pub fn sink_streams(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (name, p) in &self.pipelines {
            for target in p.routes.values() {
                if let Some(Target::Sink(s)) = parse_target(target.get_ref()) {
                    let pair = (self.flow_of(name), s);
                    if !out.contains(&pair) {
                        out.push(pair);
                    }
                }
            }
        }
        out
    }
}

impl Pipeline {
    /// The target for an output of `kind`: the exact pattern first, then the
    /// longest matching `prefix.*`, then `*`.
    pub fn route(&self, kind: &str) -> Option<Target> {
        if let Some(t) = self.routes.get(kind) {
            return parse_target(t.get_ref());
        }
        let mut best: Option<(&str, &Spanned<String>)> = None;
        for (pattern, t) in &self.routes {
            if let Some(prefix) = pattern.strip_suffix('*') {
                if kind.starts_with(prefix) && best.is_none_or(|(b, _)| prefix.len() > b.len()) {
                    best = Some((prefix, t));
                }
            }
        }
        best.and_then(|(_, t)| parse_target(t.get_ref()))
    }
}

/// Parses `sink:NAME` / `pipeline:NAME`.
pub fn parse_target(s: &str) -> Option<Target> {
    let (kind, name) = s.split_once(':')?;
    match kind {
        "sink" if !name.is_empty() => Some(Target::Sink(name.to_string())),
        "pipeline" if !name.is_empty() => Some(Target::Pipeline(name.to_string())),
        _ => None,
    }
}

/// The one name rule ([`crate::names::check_name`]), located nowhere.
fn check_name(what: &str, name: &str) -> Result<(), Located> {
    crate::names::check_name(what, name).map_err(|m| (None, m.to_string()))
}
