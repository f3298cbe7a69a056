//! A pipeline: every stage in order on each message, outputs routed by
//! kind, all committed in one atomic operation (the consuming side is in
//! `stages/unit.rs`).

mod unit;

use std::{sync::Arc, time::Duration};

use super::error::{PipelineError, StageError, Unloadable};
use crate::{
    bus::Keys,
    config::{Config, Pipeline, RetryPolicy, Stage, Target},
    deployments::{bucket, PluginSource},
    engine::CallContext,
    masterdata::Services,
    plugin_ref::PluginRef,
    Engine, FailureClass, Message, Plugin,
};

/// Processes one message: implemented by [`Plugin`] (a component) and, for
/// the benchmark's native baseline, by plain functions.
pub trait Processor: Send + Sync {
    /// Processes `msg`; the outputs or a classified failure.
    fn process(&self, msg: &Message, ctx: &CallContext) -> Result<Vec<Message>, crate::Failure>;
    /// Like [`Processor::process`], told whether `msg` is an output of an
    /// earlier stage of this same run that the host checked: an output
    /// identical to it (a validator or router passing the document through)
    /// need not be checked again.
    fn process_checked(
        &self,
        msg: &Message,
        ctx: &CallContext,
        checked: bool,
    ) -> Result<Vec<Message>, crate::Failure> {
        let _ = checked;
        self.process(msg, ctx)
    }
    /// Whether the host checked this processor's outputs (well-formed JSON,
    /// canonical schemas) before returning them: components, not native code.
    fn checks_outputs(&self) -> bool {
        false
    }
    /// Whether messages of `kind` are for this stage; others pass it
    /// unchanged (e.g. a source's 997 acknowledgements past an order
    /// enrichment, to be routed by kind at the end).
    fn accepts(&self, _kind: &str) -> bool {
        true
    }
}

impl Processor for Plugin {
    fn process(&self, msg: &Message, ctx: &CallContext) -> Result<Vec<Message>, crate::Failure> {
        Plugin::process(self, msg, ctx).map(|o| o.outputs)
    }
    fn process_checked(
        &self,
        msg: &Message,
        ctx: &CallContext,
        checked: bool,
    ) -> Result<Vec<Message>, crate::Failure> {
        Plugin::process_after_check(self, msg, ctx, checked).map(|o| o.outputs)
    }
    fn checks_outputs(&self) -> bool {
        true
    }
    fn accepts(&self, kind: &str) -> bool {
        Plugin::accepts(self, kind)
    }
}

/// Header naming the plugin version that produced an output.
pub const PLUGIN_HEADER: &str = "weft-plugin";

/// A stage position: the deployed version and, optionally, a canary taking
/// a share of messages chosen by correlation-id hash.
#[derive(Clone)]
pub struct Slot {
    /// The deployed version.
    pub primary: Arc<StageRt>,
    /// A canary and its share (0–100).
    pub canary: Option<(Arc<StageRt>, u8)>,
}

impl Slot {
    /// The version for a message: the canary for keys in its share.
    pub fn pick(&self, key: &str) -> &StageRt {
        match &self.canary {
            Some((c, pct)) if bucket(key) < *pct => c,
            _ => &self.primary,
        }
    }
}

/// One loaded stage.
pub struct StageRt {
    /// Stage name.
    pub name: String,
    /// `name@version` from `describe()`.
    pub label: String,
    /// What processes messages: a component, or native code (benchmarks).
    pub processor: Box<dyn Processor>,
    /// Its config.
    pub ctx: CallContext,
}

/// A pipeline ready to consume its input stream.
pub struct PipelineUnit {
    keys: Keys,
    flow: String,
    def: Pipeline,
    retry: RetryPolicy,
    stages: std::sync::RwLock<Arc<Vec<Slot>>>,
}

/// A stage around a loaded plugin, with the stage's limits and config.
pub fn stage_rt(s: &Stage, mut plugin: Plugin, label: String, services: &Services) -> StageRt {
    plugin.set_limits(
        s.deadline_ms.map(Duration::from_millis),
        s.memory_mb.map(|m| m << 20),
    );
    StageRt {
        processor: Box::new(plugin),
        name: s.stage_name(),
        label,
        ctx: CallContext::new(s.config.clone(), services),
    }
}

/// Downloads, verifies and loads `plugin_ref` for stage `s`.
pub async fn build_registry_stage(
    client: &dyn PluginSource,
    engine: &Engine,
    s: &Stage,
    plugin_ref: &str,
    services: &Services,
) -> Result<StageRt, StageError> {
    let r = PluginRef::parse(plugin_ref)?;
    let bytes = client.fetch(&r).await?;
    let engine = engine.clone();
    let plugin = match tokio::task::spawn_blocking(move || engine.load(&bytes)).await {
        Ok(Ok(plugin)) => plugin,
        Ok(Err(e)) => {
            return Err(StageError::Component {
                plugin: r,
                source: Unloadable(e),
            })
        }
        Err(e) => return Err(StageError::Task(e)),
    };
    if plugin.info().name != r.name || plugin.info().version != r.version {
        return Err(StageError::Mismatch {
            name: plugin.info().name.clone(),
            version: plugin.info().version.clone(),
            plugin: r,
        });
    }
    Ok(stage_rt(s, plugin, r.to_string(), services))
}

/// Where and why a stage failed.
pub struct StageFailure {
    /// Stage name.
    pub stage: String,
    /// Plugin `name@version`.
    pub plugin: String,
    /// The class.
    pub class: FailureClass,
    /// The message.
    pub error: String,
    /// Correlation id of the message the stage failed on.
    pub correlation_id: String,
}

impl PipelineUnit {
    /// Loads the stages of pipeline `name`: component files from disk,
    /// `ns/name@version` references from the registry (verified). A stage
    /// that cannot be loaded is one line naming the config file and line:
    /// `weft.toml:12: pipeline `p` stage `s`: cannot load x.wasm: …`.
    pub async fn load(
        config: &Config,
        name: &str,
        engine: &Engine,
        registry: Option<&dyn PluginSource>,
        services: &Services,
    ) -> Result<PipelineUnit, PipelineError> {
        let def = config
            .pipelines
            .get(name)
            .ok_or_else(|| PipelineError::NoSuchPipeline(name.to_string()))?;
        let mut stages = Vec::new();
        for s in &def.stages {
            // `weft.toml:12: ` (when the config came from a file).
            let at = |source: StageError| {
                let line = s.line.map(|l| format!(":{l}")).unwrap_or_default();
                let place = match config.file.as_os_str().is_empty() {
                    true => String::new(),
                    false => format!("{}{line}: ", config.file.display()),
                };
                PipelineError::Stage {
                    place,
                    pipeline: name.to_string(),
                    stage: s.stage_name(),
                    source: Box::new(source),
                }
            };
            let stage = match s.registry_ref() {
                Some(r) => {
                    let client = registry.ok_or_else(|| at(StageError::NoRegistry))?;
                    build_registry_stage(client, engine, s, &r.to_string(), services)
                        .await
                        .map_err(at)?
                }
                None => {
                    let path = s.plugin.get_ref();
                    let plugin = engine.load_file(path).map_err(|e| {
                        at(StageError::File {
                            path: path.to_path_buf(),
                            source: Unloadable(e),
                        })
                    })?;
                    let label = format!("{}@{}", plugin.info().name, plugin.info().version);
                    stage_rt(s, plugin, label, services)
                }
            };
            stages.push(stage);
        }
        PipelineUnit::from_stages(config, name, stages)
    }

    /// A pipeline from ready-made stages (e.g. native processors).
    pub fn from_stages(
        config: &Config,
        name: &str,
        stages: Vec<StageRt>,
    ) -> Result<PipelineUnit, PipelineError> {
        let def = config
            .pipelines
            .get(name)
            .ok_or_else(|| PipelineError::NoSuchPipeline(name.to_string()))?
            .clone();
        let flow = config.flow_of(name);
        Ok(PipelineUnit {
            keys: Keys::new(&flow, name),
            retry: config.retry_of(name),
            flow,
            def,
            stages: std::sync::RwLock::new(Arc::new(
                stages
                    .into_iter()
                    .map(|s| Slot {
                        primary: Arc::new(s),
                        canary: None,
                    })
                    .collect(),
            )),
        })
    }

    /// The loaded stages.
    pub fn stages(&self) -> Arc<Vec<Slot>> {
        self.stages
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Runs every stage on `msg` (blocking: call from a blocking thread).
    pub fn run_stages(stages: &[Slot], msg: &Message) -> Result<Vec<Message>, StageFailure> {
        if stages.is_empty() {
            return Ok(vec![msg.clone()]);
        }
        // Each message with whether the host checked it in this run (an
        // output of a component stage; the bus input is not counted).
        let mut current: Vec<(Message, bool)> = vec![(msg.clone(), false)];
        for slot in stages.iter() {
            let mut next = Vec::new();
            for (m, checked) in &current {
                let stage = slot.pick(if m.correlation_id.is_empty() {
                    &m.id
                } else {
                    &m.correlation_id
                });
                if !stage.processor.accepts(&m.kind) {
                    next.push((m.clone(), *checked));
                    continue;
                }
                let checks = stage.processor.checks_outputs();
                match stage.processor.process_checked(m, &stage.ctx, *checked) {
                    Ok(out) => next.extend(out.into_iter().map(|mut o| {
                        o.headers.retain(|(n, _)| n != PLUGIN_HEADER);
                        o.headers
                            .push((PLUGIN_HEADER.to_string(), stage.label.clone()));
                        (o, checks)
                    })),
                    Err(f) => {
                        return Err(StageFailure {
                            stage: stage.name.clone(),
                            plugin: stage.label.clone(),
                            class: f.class,
                            error: f.message,
                            correlation_id: m.correlation_id.clone(),
                        })
                    }
                }
            }
            current = next;
        }
        Ok(current.into_iter().map(|(m, _)| m).collect())
    }

    /// Replaces the plugin(s) of stage `stage` between messages: messages
    /// in flight finish on the old version, the next ones use the new.
    /// Returns the previous stages, `None` if there is no such stage.
    pub fn swap(&self, stage: &str, slot: Slot) -> Option<Arc<Vec<Slot>>> {
        let current = self.stages();
        let i = current.iter().position(|s| s.primary.name == stage)?;
        let mut next: Vec<Slot> = current.iter().cloned().collect();
        next[i] = slot;
        let next = Arc::new(next);
        // The lock is held for a pointer swap only; the old stages are
        // returned so the caller drops them (and perhaps a whole compiled
        // component) outside it, once in-flight messages let go.
        let mut guard = self.stages.write().unwrap_or_else(|p| p.into_inner());
        Some(std::mem::replace(&mut *guard, next))
    }

    /// The pipeline's definition.
    pub fn def(&self) -> &Pipeline {
        &self.def
    }

    fn target_stream(&self, kind: &str) -> Option<String> {
        match self.def.route(kind)? {
            Target::Sink(s) => Some(Keys::sink(&self.flow, &s).input()),
            Target::Pipeline(p) => Some(Keys::new(&self.flow, &p).input()),
        }
    }
}

#[cfg(test)]
mod tests;
