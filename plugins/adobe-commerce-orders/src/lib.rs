//! weft source `adobe-commerce-orders`: Adobe Commerce (Magento 2) REST orders -> canonical weft.order/1.
//!
//! Skeleton: being written.

use weft_sdk::{Message, Plugin, PluginError, PluginInfo, Role};

/// The `adobe-commerce-orders` plugin.
pub struct AdobeCommerceOrders;

impl Plugin for AdobeCommerceOrders {
    fn describe() -> PluginInfo {
        weft_sdk::info("adobe-commerce-orders", env!("CARGO_PKG_VERSION"), Role::Source)
            .summary("Adobe Commerce (Magento 2) REST orders -> canonical weft.order/1")
            .build()
    }

    fn process(_msg: Message) -> Result<Vec<Message>, PluginError> {
        Err(PluginError::invalid("not implemented yet"))
    }
}

weft_sdk::export_source!(AdobeCommerceOrders);
