//! The host imports: logging, per-deployment configuration, master-data
//! lookups, counters.
//!
//! Inside a component these call the host. Compiled natively (unit tests,
//! benchmarks of the mapping code), they use a per-thread stand-in that
//! tests fill with [`set_config`] and [`set_lookup`].

#[cfg(not(target_arch = "wasm32"))]
use std::{cell::RefCell, collections::HashMap};

pub use crate::bindings::weft::plugin::host::LogLevel;

#[cfg(not(target_arch = "wasm32"))]
thread_local! {
    static CONFIG: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
    static LOOKUP: RefCell<HashMap<(String, String), String>> = RefCell::new(HashMap::new());
    static SEQUENCES: RefCell<HashMap<String, u64>> = RefCell::new(HashMap::new());
}

/// Writes a log line into the host's log.
pub fn log(level: LogLevel, message: &str) {
    #[cfg(target_arch = "wasm32")]
    crate::bindings::weft::plugin::host::log(level, message);
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("[{level:?}] {message}");
}

/// A per-deployment setting, `None` when unset.
pub fn config(key: &str) -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    return crate::bindings::weft::plugin::host::config(key);
    #[cfg(not(target_arch = "wasm32"))]
    CONFIG.with(|c| c.borrow().get(key).cloned())
}

/// A setting parsed as a boolean (`true`/`false`/`1`/`0`/`yes`/`no`),
/// `default` when unset.
pub fn config_bool(key: &str, default: bool) -> Result<bool, crate::PluginError> {
    match config(key) {
        None => Ok(default),
        Some(v) => match v.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Ok(true),
            "false" | "0" | "no" | "off" => Ok(false),
            other => Err(crate::PluginError::Invalid(format!(
                "config `{key}`: expected true or false, got `{other}`"
            ))),
        },
    }
}

/// The value stored under `key` in lookup table `table`, if any.
pub fn lookup(table: &str, key: &str) -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    return crate::bindings::weft::plugin::host::lookup(table, key);
    #[cfg(not(target_arch = "wasm32"))]
    LOOKUP.with(|l| {
        l.borrow()
            .get(&(table.to_string(), key.to_string()))
            .cloned()
    })
}

/// The next value (1, 2, 3, …) of the host counter `name` (control
/// numbers). Fails `retryable` when the host cannot reach its counter store.
pub fn next_sequence(name: &str) -> Result<u64, crate::PluginError> {
    #[cfg(target_arch = "wasm32")]
    return crate::bindings::weft::plugin::host::next_sequence(name)
        .map_err(|e| crate::PluginError::Retryable(format!("counter `{name}` unavailable: {e}")));
    #[cfg(not(target_arch = "wasm32"))]
    SEQUENCES.with(|s| {
        let mut s = s.borrow_mut();
        let next = s.entry(name.to_string()).or_insert(0);
        *next += 1;
        Ok(*next)
    })
}

/// Native stand-in only: the next [`next_sequence`] of `name` returns
/// `last + 1`.
#[cfg(not(target_arch = "wasm32"))]
pub fn set_sequence(name: &str, last: u64) {
    SEQUENCES.with(|s| s.borrow_mut().insert(name.to_string(), last));
}

/// Native stand-in only: forgets every counter of this thread, so the next
/// [`next_sequence`] of any name returns 1 (as for each case of
/// `weft plugin test`).
#[cfg(not(target_arch = "wasm32"))]
pub fn reset_sequences() {
    SEQUENCES.with(|s| s.borrow_mut().clear());
}

/// Native stand-in only: forgets every config value, lookup entry and
/// counter of this thread (what a golden case starts from).
#[cfg(not(target_arch = "wasm32"))]
pub fn reset() {
    CONFIG.with(|c| c.borrow_mut().clear());
    LOOKUP.with(|l| l.borrow_mut().clear());
    reset_sequences();
}

/// Native stand-in only: sets a config value for this thread.
#[cfg(not(target_arch = "wasm32"))]
pub fn set_config(key: &str, value: Option<&str>) {
    CONFIG.with(|c| match value {
        Some(v) => c.borrow_mut().insert(key.to_string(), v.to_string()),
        None => c.borrow_mut().remove(key),
    });
}

/// Native stand-in only: sets a lookup entry for this thread.
#[cfg(not(target_arch = "wasm32"))]
pub fn set_lookup(table: &str, key: &str, value: &str) {
    LOOKUP.with(|l| {
        l.borrow_mut()
            .insert((table.to_string(), key.to_string()), value.to_string())
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn native_stand_in_config_and_bool_parsing() {
        set_config("strict", Some("yes"));
        assert_eq!(config("strict").as_deref(), Some("yes"));
        assert_eq!(config_bool("strict", false), Ok(true));
        set_config("strict", Some("maybe"));
        assert!(config_bool("strict", false).is_err());
        set_config("strict", None);
        assert_eq!(config_bool("strict", true), Ok(true));
        set_lookup("sku", "A", "1");
        assert_eq!(lookup("sku", "A").as_deref(), Some("1"));
        assert_eq!(lookup("sku", "B"), None);
        assert_eq!(next_sequence("isa"), Ok(1));
        assert_eq!(next_sequence("isa"), Ok(2));
        set_sequence("isa", 41);
        assert_eq!(next_sequence("isa"), Ok(42));
        assert_eq!(next_sequence("gs"), Ok(1));
        reset();
        assert_eq!(config("strict"), None);
        assert_eq!(lookup("sku", "A"), None);
        assert_eq!(next_sequence("isa"), Ok(1));
    }
}
