//! weft source `woocommerce-orders`: WooCommerce REST v3 orders -> canonical weft.order/1.
//!
//! Skeleton: being written.

use weft_sdk::{Message, Plugin, PluginError, PluginInfo, Role};

/// The `woocommerce-orders` plugin.
pub struct WoocommerceOrders;

impl Plugin for WoocommerceOrders {
    fn describe() -> PluginInfo {
        weft_sdk::info("woocommerce-orders", env!("CARGO_PKG_VERSION"), Role::Source)
            .summary("WooCommerce REST v3 orders -> canonical weft.order/1")
            .build()
    }

    fn process(_msg: Message) -> Result<Vec<Message>, PluginError> {
        Err(PluginError::invalid("not implemented yet"))
    }
}

weft_sdk::export_source!(WoocommerceOrders);
