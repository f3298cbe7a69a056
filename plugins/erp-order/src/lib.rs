//! weft sink `erp-order`: canonical orders -> JSON sales-order requests for an ERP API.
//!
//! Skeleton: being written.

use weft_sdk::{Message, Plugin, PluginError, PluginInfo, Role};

/// The `erp-order` plugin.
pub struct ErpOrder;

impl Plugin for ErpOrder {
    fn describe() -> PluginInfo {
        weft_sdk::info("erp-order", env!("CARGO_PKG_VERSION"), Role::Sink)
            .summary("canonical orders -> JSON sales-order requests for an ERP API")
            .build()
    }

    fn process(_msg: Message) -> Result<Vec<Message>, PluginError> {
        Err(PluginError::invalid("not implemented yet"))
    }
}

weft_sdk::export_sink!(ErpOrder);
