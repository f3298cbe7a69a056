//! weft sink `x12-outbound`: canonical order acks, shipments and invoices -> X12 855/856/810 interchanges.
//!
//! Skeleton: being written.

use weft_sdk::{Message, Plugin, PluginError, PluginInfo, Role};

/// The `x12-outbound` plugin.
pub struct X12Outbound;

impl Plugin for X12Outbound {
    fn describe() -> PluginInfo {
        weft_sdk::info("x12-outbound", env!("CARGO_PKG_VERSION"), Role::Sink)
            .summary("canonical order acks, shipments and invoices -> X12 855/856/810 interchanges")
            .build()
    }

    fn process(_msg: Message) -> Result<Vec<Message>, PluginError> {
        Err(PluginError::invalid("not implemented yet"))
    }
}

weft_sdk::export_sink!(X12Outbound);
