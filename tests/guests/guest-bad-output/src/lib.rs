//! Returns malformed outputs, chosen by the input kind: must end as
//! `bad-output`. Kind `ping` gets a well-formed answer.
//!
//! The modes that push a host limit (`many-headers`, `big-header`,
//! `long-lookup-key`, `sequence-loop`, `log-flood`, `long-log-line`) take
//! their size from the payload (a decimal number), so a test can go to the
//! limit and one past it; an empty payload means "far too much".
use weft_sdk::{
    host::{self, LogLevel},
    Message, Plugin, PluginError, PluginInfo, Role,
};

struct Sloppy;

impl Plugin for Sloppy {
    fn describe() -> PluginInfo {
        weft_sdk::info("guest-bad-output", "0.1.0", Role::Transform)
            .accepts(["*"])
            .build()
    }
    fn process(msg: Message) -> Result<Vec<Message>, PluginError> {
        let mut out = Message {
            id: String::new(),
            correlation_id: String::new(),
            kind: "test.pong".into(),
            content_type: "application/json".into(),
            headers: Vec::new(),
            payload: b"{}".to_vec(),
        };
        let n = |default: usize| {
            std::str::from_utf8(&msg.payload)
                .ok()
                .and_then(|s| s.trim().parse::<usize>().ok())
                .unwrap_or(default)
        };
        match msg.kind.as_str() {
            "ping" => {}
            "many-headers" => {
                out.headers = (0..n(10_000))
                    .map(|i| (format!("h{i}"), "v".to_string()))
                    .collect();
            }
            "big-header" => out.headers.push(("big".into(), "x".repeat(n(10 << 20)))),
            "long-lookup-key" => {
                let found = host::lookup("sku", &"k".repeat(n(8 << 20)));
                out.headers
                    .push(("found".into(), found.is_some().to_string()));
            }
            "sequence-loop" => {
                // Draws until told to stop or refused (a runaway loop).
                let mut drawn = 0usize;
                while drawn < n(usize::MAX) {
                    host::next_sequence("loop")?;
                    drawn += 1;
                }
                out.headers.push(("drawn".into(), drawn.to_string()));
            }
            "log-flood" => {
                let line = "l".repeat(1000);
                for i in 0..n(100_000) {
                    host::log(LogLevel::Info, &format!("{i:06} {line}"));
                }
            }
            "long-log-line" => host::log(LogLevel::Warn, &"w".repeat(n(5 << 20))),
            "not-json" => out.payload = b"{\"order\": tru".to_vec(),
            "no-kind" => out.kind.clear(),
            "bad-content-type" => out.content_type = "json please".into(),
            "duplicate-ids" => {
                out.id = "same".into();
                return Ok(vec![out.clone(), out]);
            }
            "bad-header" => out.headers.push(("x\nevil".into(), "v".into())),
            "bad-order" => {
                // A canonical kind whose document breaks the schema.
                out.kind = "order.created".into();
                out.payload = br#"{"schema":"weft.order/1","order_id":"1","channel":"c","correlation_id":"c:1","purpose":"original","currency":"USD","lines":[{"line_id":"1","sku":"A","quantity":"two"}],"totals":{}}"#.to_vec();
            }
            other => return Err(PluginError::invalid(format!("unknown mode {other}"))),
        }
        Ok(vec![out])
    }
}

weft_sdk::export_transform!(Sloppy);
