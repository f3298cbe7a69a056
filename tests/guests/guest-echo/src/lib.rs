//! A well-behaved transform: echoes the input, logs, reads config and
//! lookups, and fails on request (`invalid`, `retryable` kinds; `flaky`
//! fails until its third attempt).
use weft_sdk::{host, Message, Plugin, PluginError, PluginInfo, Role};

struct Echo;

impl Plugin for Echo {
    fn describe() -> PluginInfo {
        weft_sdk::info("guest-echo", env!("CARGO_PKG_VERSION"), Role::Transform)
            .summary("echoes its input")
            .accepts(["*"])
            .emits(["*"])
            .build()
    }
    fn process(msg: Message) -> Result<Vec<Message>, PluginError> {
        match msg.kind.as_str() {
            "invalid" => return Err(PluginError::invalid("echo was told to refuse this")),
            "retryable" => return Err(PluginError::retryable("echo was told to try later")),
            // Fails twice, then succeeds: the host counts attempts in `weft-attempts`.
            "flaky"
                if msg
                    .header("weft-attempts")
                    .and_then(|a| a.parse::<u32>().ok())
                    .unwrap_or(0)
                    < 2 =>
            {
                return Err(PluginError::retryable("echo is flaky: not yet"))
            }
            _ => {}
        }
        host::log(host::LogLevel::Info, &format!("echo {}", msg.id));
        let greeting = host::config("greeting").unwrap_or_else(|| "none".into());
        let sku = host::lookup("sku", "ABC").unwrap_or_else(|| "unmapped".into());
        Ok(vec![msg
            .with_header("greeting", greeting)
            .with_header("sku", sku)])
    }
}

weft_sdk::export_transform!(Echo);
