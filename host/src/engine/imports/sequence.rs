//! `next-sequence(name)`: the next value of a counter, for control numbers
//! of outbound documents.
//!
//! A counter name longer than `limits.max_key_bytes`, or a draw past
//! `limits.max_sequence_draws` in one call, is a violation: the guest gets
//! the error, the call fails `bad-output` whatever it returned, and later
//! lookups and draws in the call are refused (a refused draw draws nothing).

use std::sync::Arc;

use wasmtime::{
    component::{HasData, Linker},
    StoreContextMut,
};

use super::{CallScope, INTERFACE};
use crate::engine::{bindings::host_iface, Sequences};

/// The `next-sequence` import's part of one call: the counters and the
/// draws so far.
#[derive(Default)]
pub(crate) struct SequenceState {
    /// None: every draw fails.
    counters: Option<Arc<dyn Sequences>>,
    /// `next-sequence` calls so far.
    draws: usize,
}

impl SequenceState {
    /// Draws from `counters`.
    pub(crate) fn new(counters: Option<Arc<dyn Sequences>>) -> SequenceState {
        SequenceState { counters, draws: 0 }
    }

    /// The import: the next value of counter `name`.
    pub(crate) fn next(&mut self, call: &mut CallScope, name: &str) -> Result<u64, String> {
        if let Some(why) = &call.violation {
            return Err(why.clone());
        }
        if let Some(why) = call.key_too_long("counter name", name) {
            return Err(call.violate(why));
        }
        let max = call.limits.max_sequence_draws;
        if self.draws >= max {
            return Err(call.violate(format!(
                "more than limits.max_sequence_draws = {max} next-sequence draws in one call"
            )));
        }
        self.draws += 1;
        match self.counters.as_ref() {
            Some(s) => s.next(name),
            None => Err("this host has no counter store".to_string()),
        }
    }
}

/// Links `next-sequence` into the `weft:plugin/host` instance of `linker`;
/// `get` reaches the implementation of the generated `Host` trait from the
/// store's state.
pub(crate) fn add_to_linker<T: 'static, D: HasData>(
    linker: &mut Linker<T>,
    get: fn(&mut T) -> D::Data<'_>,
) -> wasmtime::Result<()>
where
    for<'a> D::Data<'a>: host_iface::Host,
{
    linker.instance(INTERFACE)?.func_wrap(
        "next-sequence",
        move |mut store: StoreContextMut<'_, T>, (name,): (String,)| {
            let host = &mut get(store.data_mut());
            Ok((host_iface::Host::next_sequence(host, name),))
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{engine::CallLimits, masterdata::MemorySequences};

    fn call(max_key_bytes: usize, max_sequence_draws: usize) -> CallScope {
        CallScope {
            plugin: "p".into(),
            correlation_id: "c".into(),
            limits: CallLimits {
                max_key_bytes,
                max_sequence_draws,
                ..CallLimits::default()
            },
            violation: None,
        }
    }

    #[test]
    fn draws_past_the_limit_are_refused_and_draw_nothing() {
        let counters = Arc::new(MemorySequences::default());
        let mut call = call(16, 2);
        let mut state = SequenceState::new(Some(counters.clone()));
        assert_eq!(state.next(&mut call, "isa"), Ok(1));
        assert_eq!(state.next(&mut call, "gs"), Ok(1));
        let why = "more than limits.max_sequence_draws = 2 next-sequence draws in one call";
        assert_eq!(state.next(&mut call, "isa"), Err(why.to_string()));
        assert_eq!(call.violation.as_deref(), Some(why));
        assert_eq!(counters.next("isa"), Ok(2), "the refused draw drew nothing");
    }

    #[test]
    fn a_long_name_is_a_violation_that_refuses_later_draws() {
        let mut call = call(3, 100);
        let mut state = SequenceState::new(Some(Arc::new(MemorySequences::default())));
        let why = "counter name of 4 bytes, more than limits.max_key_bytes = 3";
        assert_eq!(state.next(&mut call, "isa1"), Err(why.to_string()));
        assert_eq!(state.next(&mut call, "isa"), Err(why.to_string()));
        assert_eq!(state.draws, 0);
    }

    #[test]
    fn without_a_counter_store_draws_fail_without_a_violation() {
        let mut call = call(16, 100);
        let mut state = SequenceState::default();
        assert_eq!(
            state.next(&mut call, "isa"),
            Err("this host has no counter store".to_string())
        );
        assert_eq!(call.violation, None);
    }
}
