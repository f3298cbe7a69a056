//! weft source `amazon-orders`: Amazon SP-API orders (v0 and 2026-01-01) and ORDER_CHANGE notifications -> canonical weft.order/1.
//!
//! Skeleton: being written.

use weft_sdk::{Message, Plugin, PluginError, PluginInfo, Role};

/// The `amazon-orders` plugin.
pub struct AmazonOrders;

impl Plugin for AmazonOrders {
    fn describe() -> PluginInfo {
        weft_sdk::info("amazon-orders", env!("CARGO_PKG_VERSION"), Role::Source)
            .summary("Amazon SP-API orders (v0 and 2026-01-01) and ORDER_CHANGE notifications -> canonical weft.order/1")
            .build()
    }

    fn process(_msg: Message) -> Result<Vec<Message>, PluginError> {
        Err(PluginError::invalid("not implemented yet"))
    }
}

weft_sdk::export_source!(AmazonOrders);
