//! Spins forever on any message but `ping`: must end as `timeout`.
use weft_sdk::{Message, Plugin, PluginError, PluginInfo, Role};

struct Looper;

impl Plugin for Looper {
    fn describe() -> PluginInfo {
        weft_sdk::info("guest-loop", "0.1.0", Role::Transform)
            .accepts(["*"])
            .build()
    }
    fn process(msg: Message) -> Result<Vec<Message>, PluginError> {
        if msg.kind == "ping" {
            return Ok(vec![msg]);
        }
        let mut n: u64 = 0;
        loop {
            n = std::hint::black_box(n.wrapping_add(1));
        }
    }
}

weft_sdk::export_transform!(Looper);
