//! Readers of the settings sources share (`channel`, `utc_offset`,
//! `max_bytes`), over [`crate::host::config`]: a bad value is an `invalid`
//! error naming the key and what was expected; a blank value is unset.

use crate::{host, PluginError};

/// `channel`: the channel code documents carry, trimmed; `default` when
/// unset or blank (the one rule of every connector with this setting).
pub fn channel(default: &str) -> String {
    match host::config("channel") {
        Some(ch) if !ch.trim().is_empty() => ch.trim().to_string(),
        _ => default.to_string(),
    }
}

/// `utc_offset`: `Z` or `±HH:MM` for source times without a zone; `None`
/// when unset or blank.
pub fn utc_offset() -> Result<Option<String>, PluginError> {
    match host::config("utc_offset") {
        None => Ok(None),
        Some(off) if off.trim().is_empty() => Ok(None),
        Some(off) if crate::datetime::valid_offset(off.trim()) => Ok(Some(off.trim().to_string())),
        Some(off) => Err(PluginError::invalid(format!(
            "config `utc_offset`: expected `Z` or `+HH:MM`/`-HH:MM`, got `{}`",
            off.trim()
        ))),
    }
}

/// `max_bytes`: the largest accepted input, else `default`.
pub fn max_bytes(default: usize) -> Result<usize, PluginError> {
    match host::config("max_bytes") {
        None => Ok(default),
        Some(max) => max.trim().parse().map_err(|_| {
            PluginError::invalid(format!(
                "config `max_bytes`: expected a number of bytes, got `{max}`"
            ))
        }),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::host::set_config;

    #[test]
    fn defaults_values_and_errors_name_the_key() {
        assert_eq!(channel("x12"), "x12");
        assert_eq!(utc_offset().unwrap(), None);
        assert_eq!(max_bytes(7).unwrap(), 7);
        set_config("channel", Some(" acme "));
        set_config("utc_offset", Some("-05:00"));
        set_config("max_bytes", Some("1024"));
        assert_eq!(channel("x12"), "acme");
        assert_eq!(utc_offset().unwrap().as_deref(), Some("-05:00"));
        assert_eq!(max_bytes(7).unwrap(), 1024);
        set_config("channel", Some(" "));
        set_config("utc_offset", Some("EST"));
        set_config("max_bytes", Some("lots"));
        assert_eq!(channel("x12"), "x12", "blank is the default");
        for e in [utc_offset().unwrap_err(), max_bytes(7).unwrap_err()] {
            assert!(e.to_string().contains("config `"), "{e}");
        }
    }
}
