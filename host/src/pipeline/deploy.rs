//! Deployments on a running host: reconcile every pipeline stage against
//! the registry (at start, on each `weft:control` announcement, and
//! periodically), download and verify new versions, and swap them in
//! between messages. A failed swap keeps the old version and is reported.

use std::{collections::HashMap, sync::Arc, time::Duration};

use redis::aio::ConnectionManager;
use tokio::sync::{watch, Mutex};

use super::{
    error::StageError,
    stages::{build_registry_stage, PipelineUnit, Slot},
    Unit,
};
use crate::{
    bus::control,
    deployments::{Deployment, SharedSource},
    masterdata::Services,
    Engine,
};

type Desired = (String, Option<(String, u8)>);

/// Why a deployment was not applied (reported to the registry as text).
#[derive(Debug, thiserror::Error)]
enum ApplyError {
    /// A version cannot be built.
    #[error(transparent)]
    Stage(#[from] StageError),
    /// The pipeline has no such stage (any more).
    #[error("pipeline `{pipeline}` has no stage `{stage}`")]
    NoStage { pipeline: String, stage: String },
}

/// Keeps this host's stages on their deployed versions.
pub struct Deployer {
    client: SharedSource,
    engine: Engine,
    units: Vec<Arc<PipelineUnit>>,
    host: String,
    services: Services,
    applied: Mutex<HashMap<(String, String), Desired>>,
}

impl Deployer {
    /// A deployer for `units`.
    pub fn new(
        client: SharedSource,
        engine: Engine,
        units: Vec<Arc<PipelineUnit>>,
        host: &str,
        services: Services,
    ) -> Deployer {
        Deployer {
            client,
            engine,
            units,
            host: host.to_string(),
            services,
            applied: Mutex::new(HashMap::new()),
        }
    }

    /// Applies every current deployment that differs from what runs here.
    pub async fn reconcile(&self) {
        let current = match self.client.current().await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!("cannot read deployments from the registry: {e}");
                return;
            }
        };
        let mut applied = self.applied.lock().await;
        for d in current {
            let Some(unit) = self.units.iter().find(|u| u.keys().unit == d.pipeline) else {
                continue;
            };
            let Some(stage_cfg) = unit.def().stages.iter().find(|s| s.stage_name() == d.stage)
            else {
                continue;
            };
            let desired: Desired = (
                d.plugin.clone(),
                d.canary
                    .clone()
                    .filter(|_| d.canary_percent > 0)
                    .map(|c| (c, d.canary_percent)),
            );
            if applied.get(&(d.pipeline.clone(), d.stage.clone())) == Some(&desired) {
                continue;
            }
            let result = self
                .apply(unit, stage_cfg, &d, &desired)
                .await
                .map_err(|e| crate::errors::chain(&e));
            match &result {
                Ok(()) => {
                    tracing::info!(pipeline = %d.pipeline, stage = %d.stage, plugin = %d.plugin, "deployed");
                    metrics::counter!("weft_swaps_total", "unit" => d.pipeline.clone())
                        .increment(1);
                    applied.insert((d.pipeline.clone(), d.stage.clone()), desired);
                }
                Err(e) => {
                    tracing::error!(pipeline = %d.pipeline, stage = %d.stage, plugin = %d.plugin, "deployment not applied, the running version stays: {e}");
                    metrics::counter!("weft_swap_failures_total", "unit" => d.pipeline.clone())
                        .increment(1);
                }
            }
            self.client.report(&d, &self.host, &result).await;
        }
    }

    async fn apply(
        &self,
        unit: &PipelineUnit,
        stage: &crate::config::Stage,
        d: &Deployment,
        desired: &Desired,
    ) -> Result<(), ApplyError> {
        let primary = Arc::new(
            build_registry_stage(
                self.client.as_ref(),
                &self.engine,
                stage,
                &desired.0,
                &self.services,
            )
            .await?,
        );
        let canary = match &desired.1 {
            Some((c, pct)) => Some((
                Arc::new(
                    build_registry_stage(
                        self.client.as_ref(),
                        &self.engine,
                        stage,
                        c,
                        &self.services,
                    )
                    .await?,
                ),
                *pct,
            )),
            None => None,
        };
        // Everything slow (download, verification, compilation) is done;
        // the swap itself only holds the stage list's write lock.
        let started = std::time::Instant::now();
        let previous = unit.swap(&d.stage, Slot { primary, canary });
        metrics::histogram!("weft_swap_pause_seconds", "unit" => d.pipeline.clone())
            .record(started.elapsed().as_secs_f64());
        let swapped = previous.is_some();
        drop(previous); // the old version goes once in-flight messages let go
        if swapped {
            Ok(())
        } else {
            Err(ApplyError::NoStage {
                pipeline: d.pipeline.clone(),
                stage: d.stage.clone(),
            })
        }
    }

    /// The id of the newest announcement on the control stream (`0-0` if
    /// none): take it before reconciling, so nothing announced in between
    /// is missed.
    pub async fn control_position(con: &mut ConnectionManager) -> String {
        control::position(con).await
    }

    /// Reconciles on every control-stream announcement after `from` and every `every`.
    pub async fn run(
        self: Arc<Self>,
        mut con: ConnectionManager,
        from: String,
        every: Duration,
        mut stopped: watch::Receiver<bool>,
    ) {
        let mut last = from;
        let mut tick = tokio::time::interval(every);
        loop {
            let read = control::next(&mut con, &last, 500);
            tokio::select! {
                _ = stopped.changed() => break,
                _ = tick.tick() => self.reconcile().await,
                r = read => match r {
                    Ok(Some(id)) => {
                        last = id;
                        self.reconcile().await;
                    }
                    Ok(None) => {}
                    Err(e) => {
                        tracing::warn!("control stream: {e}");
                        tokio::time::sleep(Duration::from_millis(500)).await;
                    }
                },
            }
        }
    }
}
