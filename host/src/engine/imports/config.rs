//! `config(key)`: a per-deployment setting (`[stage.config]` in a pipeline,
//! `--config KEY=VALUE` on the command line), `none` when unset.

use std::collections::BTreeMap;

use wasmtime::{
    component::{HasData, Linker},
    StoreContextMut,
};

use super::INTERFACE;
use crate::engine::bindings::host_iface;

/// The `config` import's part of one call: the deployment's settings.
#[derive(Debug, Default)]
pub(crate) struct ConfigState {
    settings: BTreeMap<String, String>,
}

impl ConfigState {
    /// Serves `settings`.
    pub(crate) fn new(settings: BTreeMap<String, String>) -> ConfigState {
        ConfigState { settings }
    }

    /// The import: the value set for `key`, if any.
    pub(crate) fn get(&self, key: &str) -> Option<String> {
        self.settings.get(key).cloned()
    }
}

/// Links `config` into the `weft:plugin/host` instance of `linker`; `get`
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
        "config",
        move |mut store: StoreContextMut<'_, T>, (key,): (String,)| {
            let host = &mut get(store.data_mut());
            Ok((host_iface::Host::config(host, key),))
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_keys_answer_their_value_and_others_none() {
        let c = ConfigState::new(BTreeMap::from([("channel".into(), "web".into())]));
        assert_eq!(c.get("channel").as_deref(), Some("web"));
        assert_eq!(c.get("Channel"), None);
        assert_eq!(ConfigState::default().get("channel"), None);
    }
}
