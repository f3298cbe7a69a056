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
    });
}

pub(crate) mod transform {
    wasmtime::component::bindgen!({
        world: "weft:plugin/transform",
        path: "../wit",
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

fn to_wit(m: &Message) -> wit::Message {
    wit::Message {
        id: m.id.clone(),
        correlation_id: m.correlation_id.clone(),
        kind: m.kind.clone(),
        content_type: m.content_type.clone(),
        headers: m.headers.clone(),
        payload: m.payload.clone(),
    }
}

pub(crate) fn from_wit(m: wit::Message) -> Message {
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
pub(crate) type CallResult = wasmtime::Result<Result<Vec<wit::Message>, wit::PluginError>>;

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
        let msg = to_wit(input);
        match self {
            WorldPre::Source(p) => p
                .instantiate(&mut *store)?
                .weft_plugin_source_plugin()
                .call_process(store, &msg),
            WorldPre::Transform(p) => p
                .instantiate(&mut *store)?
                .weft_plugin_transform_plugin()
                .call_process(store, &msg),
            WorldPre::Sink(p) => p
                .instantiate(&mut *store)?
                .weft_plugin_sink_plugin()
                .call_process(store, &msg),
        }
    }
}
