//! weft transform `enrich-master-data`: maps channel SKUs and customers to ERP item numbers and accounts through lookup tables.
//!
//! Skeleton: being written.

use weft_sdk::{Message, Plugin, PluginError, PluginInfo, Role};

/// The `enrich-master-data` plugin.
pub struct EnrichMasterData;

impl Plugin for EnrichMasterData {
    fn describe() -> PluginInfo {
        weft_sdk::info("enrich-master-data", env!("CARGO_PKG_VERSION"), Role::Transform)
            .summary("maps channel SKUs and customers to ERP item numbers and accounts through lookup tables")
            .build()
    }

    fn process(_msg: Message) -> Result<Vec<Message>, PluginError> {
        Err(PluginError::invalid("not implemented yet"))
    }
}

weft_sdk::export_transform!(EnrichMasterData);
