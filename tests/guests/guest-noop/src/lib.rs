//! The empty transform: takes any message and returns nothing. What a call
//! of it costs is the host's fixed cost per message (a fresh store,
//! instantiation, the call itself), measured by `benches/plugin.rs` and
//! guarded by `tests/it/cost.rs`.
use weft_sdk::{Message, Plugin, PluginError, PluginInfo, Role};

struct Noop;

impl Plugin for Noop {
    fn describe() -> PluginInfo {
        weft_sdk::info("guest-noop", env!("CARGO_PKG_VERSION"), Role::Transform)
            .summary("returns nothing")
            .accepts(["*"])
            .build()
    }
    fn process(_msg: Message) -> Result<Vec<Message>, PluginError> {
        Ok(Vec::new())
    }
}

weft_sdk::export_transform!(Noop);
