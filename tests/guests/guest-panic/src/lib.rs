//! Panics on any message but `ping`: must end as `trap` with the panic text.
use weft_sdk::{Message, Plugin, PluginError, PluginInfo, Role};

struct Panicker;

#[inline(never)]
fn explode(kind: &str) -> ! {
    panic!("guest-panic refuses kind {kind}")
}

impl Plugin for Panicker {
    fn describe() -> PluginInfo {
        weft_sdk::info("guest-panic", "0.1.0", Role::Transform)
            .accepts(["*"])
            .build()
    }
    fn process(msg: Message) -> Result<Vec<Message>, PluginError> {
        if msg.kind == "ping" {
            return Ok(vec![msg]);
        }
        explode(&msg.kind)
    }
}

weft_sdk::export_transform!(Panicker);
