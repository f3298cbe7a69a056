//! Returns malformed outputs, chosen by the input kind: must end as
//! `bad-output`. Kind `ping` gets a well-formed answer.
use weft_sdk::{Message, Plugin, PluginError, PluginInfo, Role};

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
        match msg.kind.as_str() {
            "ping" => {}
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
