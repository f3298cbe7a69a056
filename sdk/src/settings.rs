//! Checked readers of the settings sources share (`channel`, `utc_offset`,
//! `max_bytes`), over [`crate::host::config`]: a bad value is an `invalid`
//! error naming the key and what was expected.

use crate::{host, PluginError};

/// `channel`: the channel code documents carry (trimmed, not empty), else
/// `default`.
pub fn channel(default: &str) -> Result<String, PluginError> {
    match host::config("channel") {
        None => Ok(default.to_string()),
        Some(ch) if ch.trim().is_empty() => {
            Err(PluginError::invalid("config `channel`: must not be empty"))
        }
        Some(ch) => Ok(ch.trim().to_string()),
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
        assert_eq!(channel("x12").unwrap(), "x12");
        assert_eq!(utc_offset().unwrap(), None);
        assert_eq!(max_bytes(7).unwrap(), 7);
        set_config("channel", Some(" acme "));
        set_config("utc_offset", Some("-05:00"));
        set_config("max_bytes", Some("1024"));
        assert_eq!(channel("x12").unwrap(), "acme");
        assert_eq!(utc_offset().unwrap().as_deref(), Some("-05:00"));
        assert_eq!(max_bytes(7).unwrap(), 1024);
        set_config("channel", Some(" "));
        set_config("utc_offset", Some("EST"));
        set_config("max_bytes", Some("lots"));
        for e in [
            channel("x12").unwrap_err(),
            utc_offset().unwrap_err(),
            max_bytes(7).unwrap_err(),
        ] {
            assert!(e.to_string().contains("config `"), "{e}");
        }
    }
}
