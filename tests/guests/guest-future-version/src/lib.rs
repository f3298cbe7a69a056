//! Exports a transform of a future contract version (weft:plugin@0.2.0):
//! the host must refuse it at load time with a clear message.
#![allow(
    unsafe_code,
    missing_docs,
    reason = "wit-bindgen's generated export glue is unsafe and undocumented"
)]
wit_bindgen::generate!({
    inline: r#"
        package weft:plugin@0.2.0;
        interface transform-plugin {
            describe: func() -> string;
        }
        world transform {
            export transform-plugin;
        }
    "#,
    world: "transform",
});

struct Future;

impl exports::weft::plugin::transform_plugin::Guest for Future {
    fn describe() -> String {
        "from the future".into()
    }
}

export!(Future);
