//! `lookup(table, key)`: master data (SKU, customer, price maps), `none`
//! when there is no such entry.
//!
//! A table name or key longer than `limits.max_key_bytes` is a violation:
//! the guest gets `none`, the call fails `bad-output` whatever it returned,
//! and later lookups and draws in the call are refused. When the master data
//! cannot be reached the guest gets `none` too, and the call fails
//! `retryable` ([`LookupState::take_unavailable`]).

use std::sync::Arc;

use wasmtime::{
    component::{HasData, Linker},
    StoreContextMut,
};

use super::{CallScope, INTERFACE};
use crate::engine::{bindings::host_iface, Lookup};

/// The `lookup` import's part of one call: the master data, and why it
/// could not be reached if it could not.
#[derive(Default)]
pub(crate) struct LookupState {
    /// None: every lookup answers "no entry".
    tables: Option<Arc<dyn Lookup>>,
    /// The first failure to reach the master data during the call.
    unavailable: Option<String>,
}

impl LookupState {
    /// Serves `tables`.
    pub(crate) fn new(tables: Option<Arc<dyn Lookup>>) -> LookupState {
        LookupState {
            tables,
            unavailable: None,
        }
    }

    /// The import: the value under `key` in `table`, if there is one.
    pub(crate) fn get(&mut self, call: &mut CallScope, table: &str, key: &str) -> Option<String> {
        if call.violation.is_some() {
            return None;
        }
        let too_long = call
            .key_too_long("lookup table name", table)
            .or_else(|| call.key_too_long(&format!("lookup key in table `{table}`"), key));
        if let Some(why) = too_long {
            call.violate(why);
            return None;
        }
        match self.tables.as_ref()?.get(table, key) {
            Ok(v) => v,
            Err(e) => {
                self.unavailable
                    .get_or_insert_with(|| format!("lookup table `{table}` unavailable: {e}"));
                None
            }
        }
    }

    /// Why the master data could not be reached during the call, if it
    /// could not.
    pub(crate) fn take_unavailable(&mut self) -> Option<String> {
        self.unavailable.take()
    }
}

/// Links `lookup` into the `weft:plugin/host` instance of `linker`; `get`
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
        "lookup",
        move |mut store: StoreContextMut<'_, T>, (table, key): (String, String)| {
            let host = &mut get(store.data_mut());
            Ok((host_iface::Host::lookup(host, table, key),))
        },
    )
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::engine::{CallLimits, LookupTables};

    fn call(max_key_bytes: usize) -> CallScope {
        CallScope {
            plugin: "p".into(),
            correlation_id: "c".into(),
            limits: CallLimits {
                max_key_bytes,
                ..CallLimits::default()
            },
            violation: None,
        }
    }

    fn sku() -> LookupState {
        let table = HashMap::from([("A1".to_string(), "widget".to_string())]);
        let tables = LookupTables(HashMap::from([("sku".to_string(), table)]));
        LookupState::new(Some(Arc::new(tables)))
    }

    #[test]
    fn entries_are_found_and_missing_ones_are_none() {
        let (mut call, mut state) = (call(8), sku());
        assert_eq!(state.get(&mut call, "sku", "A1").as_deref(), Some("widget"));
        assert_eq!(state.get(&mut call, "sku", "B2"), None);
        assert_eq!(state.get(&mut call, "price", "A1"), None);
        assert_eq!(LookupState::default().get(&mut call, "sku", "A1"), None);
        assert_eq!((call.violation, state.take_unavailable()), (None, None));
    }

    #[test]
    fn a_key_past_the_limit_is_a_violation_and_refuses_later_lookups() {
        let (mut call, mut state) = (call(3), sku());
        assert_eq!(state.get(&mut call, "sku", "A1").as_deref(), Some("widget"));
        assert_eq!(state.get(&mut call, "sku", "A123"), None);
        assert_eq!(
            call.violation.as_deref(),
            Some("lookup key in table `sku` of 4 bytes, more than limits.max_key_bytes = 3")
        );
        assert_eq!(state.get(&mut call, "sku", "A1"), None, "refused after");
        let (mut call, mut state) = (self::call(3), sku());
        assert_eq!(state.get(&mut call, "skus", "A1"), None);
        let why = call.violation.unwrap_or_default();
        assert!(why.starts_with("lookup table name of 4 bytes"), "{why}");
    }

    struct Down;
    impl Lookup for Down {
        fn get(&self, _: &str, _: &str) -> Result<Option<String>, String> {
            Err("connection refused".into())
        }
    }

    #[test]
    fn unreachable_master_data_is_none_and_remembered_once() {
        let (mut call, mut state) = (call(8), LookupState::new(Some(Arc::new(Down))));
        assert_eq!(state.get(&mut call, "sku", "A1"), None);
        assert_eq!(state.get(&mut call, "price", "A1"), None);
        assert_eq!(
            state.take_unavailable().as_deref(),
            Some("lookup table `sku` unavailable: connection refused")
        );
        assert_eq!(call.violation, None);
    }
}
