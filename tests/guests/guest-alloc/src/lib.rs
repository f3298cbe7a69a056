//! Allocates far past any sane memory cap on any message but `ping`: must
//! end as `memory-limit`. `black_box` keeps the optimiser from removing it.
use weft_sdk::{Message, Plugin, PluginError, PluginInfo, Role};

struct Hog;

impl Plugin for Hog {
    fn describe() -> PluginInfo {
        weft_sdk::info("guest-alloc", "0.1.0", Role::Transform)
            .accepts(["*"])
            .build()
    }
    fn process(msg: Message) -> Result<Vec<Message>, PluginError> {
        if msg.kind == "ping" {
            return Ok(vec![msg]);
        }
        let mut chunks: Vec<Vec<u8>> = Vec::new();
        for _ in 0..64 {
            let mut v = vec![0u8; 16 << 20];
            v[std::hint::black_box(12345)] = 1;
            chunks.push(std::hint::black_box(v));
        }
        Ok(vec![msg.with_header("chunks", chunks.len().to_string())])
    }
}

weft_sdk::export_transform!(Hog);
