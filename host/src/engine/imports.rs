//! The host imports of the `weft:plugin/host` interface, one module each:
//! [`log`], [`config`], [`lookup`] and [`sequence`] (`next-sequence`).
//!
//! In the style of wasmtime's `wasi-config`: each module owns its part of
//! the per-call state and an `add_to_linker` that links its one function
//! into the `weft:plugin/host` instance, and the engine's linker (see
//! [`super::state::linker`]) calls the four. The WIT declares the four
//! functions in one interface, so bindgen generates one `Host` trait:
//! [`Imports`] implements it with one line per function, each delegating
//! to its module, and every `add_to_linker` calls the function through that
//! trait, so the hand-linked signatures are checked against the generated
//! bindings at compile time (and against the component's imports at link
//! time).
//!
//! What the four share is a [`CallScope`]: the plugin and correlation id the
//! call is tagged with, its [`CallLimits`], and the first import violation.

pub(crate) mod config;
pub(crate) mod log;
pub(crate) mod lookup;
pub(crate) mod sequence;

use wasmtime::component::HasSelf;

use super::{bindings::host_iface, limits::CallLimits, CallContext};

pub use log::LogLine;

/// The instance name the four imports are linked under.
const INTERFACE: &str = "weft:plugin/host@0.1.0";

/// The `HasData` marker the engine links the imports with: the closures
/// reach the [`Imports`] of the store's state.
pub(crate) type HasImports = HasSelf<Imports>;

/// What every import of one call shares.
#[derive(Debug)]
pub(crate) struct CallScope {
    /// The plugin's name (`describe` while it is being described).
    pub(crate) plugin: String,
    /// The correlation id of the message being processed (empty in
    /// `describe`).
    pub(crate) correlation_id: String,
    /// The limits of the call.
    pub(crate) limits: CallLimits,
    /// Set when the guest went past an import limit (lookup key length,
    /// `next-sequence` draws): the call then fails `bad-output` whatever
    /// the guest returned, and later lookups and draws are refused.
    violation: Option<String>,
}

impl CallScope {
    /// Records the first import violation and returns its message.
    fn violate(&mut self, why: String) -> String {
        self.violation.get_or_insert(why).clone()
    }

    /// A violation message when `value` (a `what`) is over `max_key_bytes`.
    fn key_too_long(&self, what: &str, value: &str) -> Option<String> {
        let max = self.limits.max_key_bytes;
        (value.len() > max).then(|| {
            format!(
                "{what} of {} bytes, more than limits.max_key_bytes = {max}",
                value.len()
            )
        })
    }
}

/// The state of the four host imports during one call.
pub(crate) struct Imports {
    /// What the four share.
    pub(crate) call: CallScope,
    /// `log`: the lines kept and what was cut or dropped.
    pub(crate) log: log::LogState,
    /// `config`: the deployment's settings.
    config: config::ConfigState,
    /// `lookup`: the master data, and whether it could be reached.
    lookup: lookup::LookupState,
    /// `next-sequence`: the counters and the draws so far.
    sequence: sequence::SequenceState,
}

impl Imports {
    /// The imports of one call of `plugin` on the message `correlation_id`,
    /// serving `ctx` under `limits`.
    pub(crate) fn new(
        ctx: &CallContext,
        limits: &CallLimits,
        correlation_id: &str,
        plugin: &str,
    ) -> Imports {
        Imports {
            call: CallScope {
                plugin: plugin.to_string(),
                correlation_id: correlation_id.to_string(),
                limits: *limits,
                violation: None,
            },
            log: log::LogState::default(),
            config: config::ConfigState::new(ctx.config.clone()),
            lookup: lookup::LookupState::new(ctx.lookup.clone()),
            sequence: sequence::SequenceState::new(ctx.sequences.clone()),
        }
    }

    /// One host warning and the counter metrics when the call's logs went
    /// past their limits; nothing otherwise.
    pub(crate) fn report_logs(&self) {
        self.log.report(&self.call);
    }

    /// The first import violation, if any (the call fails `bad-output`).
    pub(crate) fn take_violation(&mut self) -> Option<String> {
        self.call.violation.take()
    }

    /// Why master data could not be reached, if it could not (the call
    /// fails `retryable`).
    pub(crate) fn take_unavailable(&mut self) -> Option<String> {
        self.lookup.take_unavailable()
    }
}

/// The one trait bindgen generates for the interface: one line per import.
impl host_iface::Host for Imports {
    fn log(&mut self, level: host_iface::LogLevel, message: String) {
        self.log.log(&self.call, level, message)
    }

    fn config(&mut self, key: String) -> Option<String> {
        self.config.get(&key)
    }

    fn lookup(&mut self, table: String, key: String) -> Option<String> {
        self.lookup.get(&mut self.call, &table, &key)
    }

    fn next_sequence(&mut self, name: String) -> Result<u64, String> {
        self.sequence.next(&mut self.call, &name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_instance_is_the_contract_version_of_the_host_interface() {
        let want = format!("weft:plugin/host@{}", super::super::CONTRACT_VERSION);
        assert_eq!(INTERFACE, want);
    }

    #[test]
    fn a_violation_is_kept_first_and_taken_once() {
        let mut i = Imports::new(&CallContext::default(), &CallLimits::default(), "c", "p");
        assert_eq!(i.call.violate("first".into()), "first");
        assert_eq!(i.call.violate("second".into()), "first");
        assert_eq!(i.take_violation().as_deref(), Some("first"));
        assert_eq!(i.take_violation(), None);
    }
}
