//! Tries to reach outside the sandbox (files, environment, arguments,
//! network) and reports what it saw as a JSON output.
use weft_sdk::{Message, Plugin, PluginError, PluginInfo, Role};

struct Prober;

impl Plugin for Prober {
    fn describe() -> PluginInfo {
        weft_sdk::info("guest-sandbox", "0.1.0", Role::Source)
            .accepts(["raw"])
            .emits(["probe.result"])
            .build()
    }
    fn process(msg: Message) -> Result<Vec<Message>, PluginError> {
        let file = match std::fs::read_to_string("/etc/passwd") {
            Ok(s) => format!("read {} bytes", s.len()),
            Err(e) => format!("denied: {e}"),
        };
        let cwd_listing = match std::fs::read_dir(".") {
            Ok(d) => format!("listed {} entries", d.count()),
            Err(e) => format!("denied: {e}"),
        };
        let env_home = std::env::var("HOME").ok();
        let env_count = std::env::vars().count();
        let args = std::env::args().count();
        let net = match std::net::TcpStream::connect("127.0.0.1:6379") {
            Ok(_) => "connected".to_string(),
            Err(e) => format!("denied: {e}"),
        };
        let report = serde_json::json!({
            "file": file,
            "cwd": cwd_listing,
            "env_home": env_home,
            "env_count": env_count,
            "args": args,
            "net": net,
        });
        Ok(vec![Message::json(
            format!("{}:probe", msg.id),
            "",
            "probe.result",
            &report,
        )?])
    }
}

weft_sdk::export_source!(Prober);
