//! Redis key names. All keys of one flow share the hash tag `{flow}`.

/// The keys of one consumer unit: a pipeline, or a sink (`sink:NAME`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keys {
    /// The flow (hash tag).
    pub flow: String,
    /// Pipeline name, or `sink:NAME`.
    pub unit: String,
}

impl Keys {
    /// Keys of pipeline `unit` in `flow`.
    pub fn new(flow: &str, unit: &str) -> Keys {
        Keys {
            flow: flow.to_string(),
            unit: unit.to_string(),
        }
    }
    /// Keys of the stream feeding sink `name` in `flow`.
    pub fn sink(flow: &str, name: &str) -> Keys {
        Keys::new(flow, &format!("sink:{name}"))
    }
    /// The input stream: `weft:{flow}:in:{unit}`.
    pub fn input(&self) -> String {
        format!("weft:{{{}}}:in:{}", self.flow, self.unit)
    }
    /// Message ids already committed, scored by commit time (ms):
    /// `weft:{flow}:done:{unit}` (a sorted set, trimmed after the retention).
    pub fn done(&self) -> String {
        format!("weft:{{{}}}:done:{}", self.flow, self.unit)
    }
    /// Payload digest of each committed message id: `weft:{flow}:digest:{unit}`
    /// (a hash, trimmed with `done`), so a reused id with other content is
    /// told from a re-sent document.
    pub fn digests(&self) -> String {
        format!("weft:{{{}}}:digest:{}", self.flow, self.unit)
    }
    /// Caller-chosen ids accepted at the HTTP ingest, with their payload
    /// digest: `weft:{flow}:ingest:{unit}` (a hash).
    pub fn ingested(&self) -> String {
        format!("weft:{{{}}}:ingest:{}", self.flow, self.unit)
    }
    /// When each caller-chosen id was accepted (ms):
    /// `weft:{flow}:ingest-at:{unit}` (a sorted set, trimmed after the retention).
    pub fn ingested_at(&self) -> String {
        format!("weft:{{{}}}:ingest-at:{}", self.flow, self.unit)
    }
    /// Due times of parked retries: `weft:{flow}:retry:{unit}` (a sorted set).
    pub fn retry(&self) -> String {
        format!("weft:{{{}}}:retry:{}", self.flow, self.unit)
    }
    /// Messages waiting for their retry: `weft:{flow}:parked:{unit}` (a stream).
    pub fn parked(&self) -> String {
        format!("weft:{{{}}}:parked:{}", self.flow, self.unit)
    }
    /// The dead-letter queue: `weft:{flow}:dlq:{unit}` (a stream).
    pub fn dlq(&self) -> String {
        format!("weft:{{{}}}:dlq:{}", self.flow, self.unit)
    }
    /// Delivery records of every sink of `flow`: `weft:{flow}:deliveries`
    /// (a stream; one entry per delivered message, written in the sink's
    /// commit — fields in [`super::delivery`]). Shared by the flow's sinks,
    /// in the flow's slot; read by the ledger's consumer group.
    pub fn deliveries(flow: &str) -> String {
        format!("weft:{{{flow}}}:deliveries")
    }
    /// The consumer group name.
    pub fn group(&self) -> String {
        format!("weft:{}", self.unit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_share_the_flow_hash_tag() {
        let k = Keys::new("shop", "orders");
        for key in [
            k.input(),
            k.done(),
            k.digests(),
            k.ingested(),
            k.ingested_at(),
            k.retry(),
            k.parked(),
            k.dlq(),
            Keys::deliveries(&k.flow),
        ] {
            assert!(key.starts_with("weft:{shop}:"), "{key}");
        }
        assert_eq!(Keys::sink("shop", "erp").input(), "weft:{shop}:in:sink:erp");
        assert_eq!(Keys::deliveries("shop"), "weft:{shop}:deliveries");
    }
}
