//! The plugin's settings, read through the host's `config` import.

use weft_sdk::{host, PluginError};

/// Config key naming the item lookup table.
pub const ITEM_TABLE_KEY: &str = "item_table";
/// Config key naming the customer lookup table.
pub const CUSTOMER_TABLE_KEY: &str = "customer_table";
/// Config key choosing what happens to unmapped lines.
pub const ON_UNMAPPED_KEY: &str = "on_unmapped";
/// Config key making an unmapped customer fail the message.
pub const CUSTOMER_REQUIRED_KEY: &str = "customer_required";

/// Item table when `item_table` is unset.
pub const DEFAULT_ITEM_TABLE: &str = "items";
/// Customer table when `customer_table` is unset.
pub const DEFAULT_CUSTOMER_TABLE: &str = "customers";

/// What to do with lines no key maps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnUnmapped {
    /// Fail the message as `invalid`, listing every unmapped line (default).
    Fail,
    /// Pass the order on, those lines without `erp_item`, with an
    /// `enrich-unmapped` header listing them.
    Pass,
}

/// Everything the plugin reads from its configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Lookup table mapping line identifiers to ERP item numbers.
    pub item_table: String,
    /// Lookup table mapping customers to ERP accounts.
    pub customer_table: String,
    /// Policy for unmapped lines.
    pub on_unmapped: OnUnmapped,
    /// Whether an unmapped customer fails the message (whatever
    /// `on_unmapped` says).
    pub customer_required: bool,
}

impl Settings {
    /// Reads the settings; a bad value is an `invalid` error naming the key.
    pub fn from_config() -> Result<Settings, PluginError> {
        let on_unmapped = match host::config(ON_UNMAPPED_KEY) {
            None => OnUnmapped::Fail,
            Some(v) => match v.trim().to_ascii_lowercase().as_str() {
                "fail" => OnUnmapped::Fail,
                "pass" => OnUnmapped::Pass,
                _ => {
                    return Err(PluginError::invalid(format!(
                        "config `{ON_UNMAPPED_KEY}`: expected `fail` or `pass`, got `{}`",
                        v.escape_default()
                    )))
                }
            },
        };
        Ok(Settings {
            item_table: table(ITEM_TABLE_KEY, DEFAULT_ITEM_TABLE)?,
            customer_table: table(CUSTOMER_TABLE_KEY, DEFAULT_CUSTOMER_TABLE)?,
            on_unmapped,
            customer_required: host::config_bool(CUSTOMER_REQUIRED_KEY, false)?,
        })
    }
}

fn table(key: &str, default: &str) -> Result<String, PluginError> {
    match host::config(key) {
        None => Ok(default.to_string()),
        Some(v) if !v.trim().is_empty() => Ok(v.trim().to_string()),
        Some(_) => Err(PluginError::invalid(format!(
            "config `{key}`: the table name is empty (unset it to use `{default}`)"
        ))),
    }
}
