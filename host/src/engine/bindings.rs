//! Host bindings of the three plugin worlds, generated from `wit/plugin.wit`.
//! The `types` and `host` interfaces are generated once (with the `source`
//! world) and shared by the other two.

use wasmtime::{component::InstancePre, Store};

use super::{state::HostState, Role};
use crate::message::Message;

pub(crate) mod source {
    wasmtime::component::bindgen!({
        world: "weft:plugin/source",
        path: "../wit",
        // A message passed to `process` is lowered straight from the
        // host's own (`MessageParam` borrows it); what comes back is owned
        // (`MessageResult`).
        ownership: Borrowing { duplicate_if_necessary: true },
    });
}

pub(crate) mod transform {
    wasmtime::component::bindgen!({
        world: "weft:plugin/transform",
        path: "../wit",
        ownership: Borrowing { duplicate_if_necessary: true },
        with: {
            "weft:plugin/types": crate::engine::bindings::source::weft::plugin::types,
            "weft:plugin/host": crate::engine::bindings::source::weft::plugin::host,
        },
    });
}

pub(crate) mod sink {
    wasmtime::component::bindgen!({
        world: "weft:plugin/sink",
        path: "../wit",
        ownership: Borrowing { duplicate_if_necessary: true },
        with: {
            "weft:plugin/types": crate::engine::bindings::source::weft::plugin::types,
            "weft:plugin/host": crate::engine::bindings::source::weft::plugin::host,
        },
    });
}

pub(crate) use source::weft::plugin::{host as host_iface, types as wit};

/// What a plugin's `describe()` returned.
pub type Info = wit::PluginInfo;

impl Info {
    pub(crate) fn placeholder(role: Role) -> Info {
        Info {
            name: String::new(),
            version: String::new(),
            role: role.into(),
            summary: String::new(),
            accepts: Vec::new(),
            emits: Vec::new(),
        }
    }
}

impl From<Role> for wit::Role {
    fn from(r: Role) -> wit::Role {
        match r {
            Role::Source => wit::Role::Source,
            Role::Transform => wit::Role::Transform,
            Role::Sink => wit::Role::Sink,
        }
    }
}

impl From<wit::Role> for Role {
    fn from(r: wit::Role) -> Role {
        match r {
            wit::Role::Source => Role::Source,
            wit::Role::Transform => Role::Transform,
            wit::Role::Sink => Role::Sink,
        }
    }
}

/// The input as the guest receives it, borrowing the host's message (the
/// payload is copied once, into the guest's memory).
fn to_wit<'a>(m: &'a Message, headers: &'a [(&'a str, &'a str)]) -> wit::MessageParam<'a> {
    wit::MessageParam {
        id: &m.id,
        correlation_id: &m.correlation_id,
        kind: &m.kind,
        content_type: &m.content_type,
        headers,
        payload: &m.payload,
    }
}

pub(crate) fn from_wit(m: wit::MessageResult) -> Message {
    Message {
        id: m.id,
        correlation_id: m.correlation_id,
        kind: m.kind,
        content_type: m.content_type,
        headers: m.headers,
        payload: m.payload,
    }
}

/// What a `process` call returns before classification.
pub(crate) type CallResult = wasmtime::Result<Result<Vec<wit::MessageResult>, wit::PluginError>>;

/// A pre-linked component of one of the three worlds.
pub(crate) enum WorldPre {
    Source(source::SourcePre<HostState>),
    Transform(transform::TransformPre<HostState>),
    Sink(sink::SinkPre<HostState>),
}

impl WorldPre {
    pub(crate) fn new(role: Role, pre: InstancePre<HostState>) -> wasmtime::Result<WorldPre> {
        Ok(match role {
            Role::Source => WorldPre::Source(source::SourcePre::new(pre)?),
            Role::Transform => WorldPre::Transform(transform::TransformPre::new(pre)?),
            Role::Sink => WorldPre::Sink(sink::SinkPre::new(pre)?),
        })
    }

    pub(crate) fn describe(&self, store: &mut Store<HostState>) -> wasmtime::Result<Info> {
        match self {
            WorldPre::Source(p) => p
                .instantiate(&mut *store)?
                .weft_plugin_source_plugin()
                .call_describe(store),
            WorldPre::Transform(p) => p
                .instantiate(&mut *store)?
                .weft_plugin_transform_plugin()
                .call_describe(store),
            WorldPre::Sink(p) => p
                .instantiate(&mut *store)?
                .weft_plugin_sink_plugin()
                .call_describe(store),
        }
    }

    pub(crate) fn process(&self, store: &mut Store<HostState>, input: &Message) -> CallResult {
        let headers: Vec<(&str, &str)> = input
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let msg = to_wit(input, &headers);
        match self {
            WorldPre::Source(p) => p
                .instantiate(&mut *store)?
                .weft_plugin_source_plugin()
                .call_process(store, msg),
            WorldPre::Transform(p) => p
                .instantiate(&mut *store)?
                .weft_plugin_transform_plugin()
                .call_process(store, msg),
            WorldPre::Sink(p) => p
                .instantiate(&mut *store)?
                .weft_plugin_sink_plugin()
                .call_process(store, msg),
        }
    }
}
