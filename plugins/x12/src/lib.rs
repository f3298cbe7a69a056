//! weft source `x12`: X12 EDI interchanges (850/855/856/810/846) -> canonical documents, plus 997 acknowledgements.
//!
//! Skeleton: being written.

use weft_sdk::{Message, Plugin, PluginError, PluginInfo, Role};

/// The `x12` plugin.
pub struct X12;

impl Plugin for X12 {
    fn describe() -> PluginInfo {
        weft_sdk::info("x12", env!("CARGO_PKG_VERSION"), Role::Source)
            .summary("X12 EDI interchanges (850/855/856/810/846) -> canonical documents, plus 997 acknowledgements")
            .build()
    }

    fn process(_msg: Message) -> Result<Vec<Message>, PluginError> {
        Err(PluginError::invalid("not implemented yet"))
    }
}

weft_sdk::export_source!(X12);
