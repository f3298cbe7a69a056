//! `run_stages` tells each stage whether its input is an output the host
//! checked in this run: what lets a pass-through stage skip the second
//! schema check, and never for the bus input or native outputs.

use std::sync::{Arc, Mutex};

use super::*;

/// A stage that records the `checked` flag it was given and emits its
/// input (as a validator does), claiming its outputs checked or not.
struct Probe {
    seen: Arc<Mutex<Vec<bool>>>,
    checks: bool,
    accepts: bool,
}

impl Processor for Probe {
    fn process(&self, msg: &Message, ctx: &CallContext) -> Result<Vec<Message>, crate::Failure> {
        self.process_checked(msg, ctx, false)
    }
    fn process_checked(
        &self,
        msg: &Message,
        _ctx: &CallContext,
        checked: bool,
    ) -> Result<Vec<Message>, crate::Failure> {
        if let Ok(mut s) = self.seen.lock() {
            s.push(checked);
        }
        Ok(vec![msg.clone()])
    }
    fn checks_outputs(&self) -> bool {
        self.checks
    }
    fn accepts(&self, _kind: &str) -> bool {
        self.accepts
    }
}

fn slot(seen: &Arc<Mutex<Vec<bool>>>, checks: bool, accepts: bool) -> Slot {
    Slot {
        primary: Arc::new(StageRt {
            name: "s".into(),
            label: "probe@1".into(),
            processor: Box::new(Probe {
                seen: seen.clone(),
                checks,
                accepts,
            }),
            ctx: CallContext::default(),
        }),
        canary: None,
    }
}

#[test]
fn only_outputs_the_host_checked_count_as_checked() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let m = Message {
        id: "m".into(),
        kind: "order.created".into(),
        ..Default::default()
    };
    // component → skipped (not accepting) → component → native → component
    let stages = vec![
        slot(&seen, true, true),
        slot(&seen, true, false),
        slot(&seen, true, true),
        slot(&seen, false, true),
        slot(&seen, true, true),
    ];
    let Ok(out) = PipelineUnit::run_stages(&stages, &m) else {
        panic!("the probes do not fail")
    };
    assert_eq!(out.len(), 1);
    // The bus input: unchecked. After a component: checked, also past a
    // stage it skipped. After native code: unchecked again.
    assert_eq!(*seen.lock().unwrap(), vec![false, true, true, false]);
}
