//! `namespace/name@version` references to published plugin versions, as
//! pipeline stages name them (`plugin = "acme/shopify-orders@1.2.0"`) and
//! the registry stores them.

/// A `namespace/name@version` reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginRef {
    /// Publisher namespace.
    pub namespace: String,
    /// Plugin name.
    pub name: String,
    /// Semantic version.
    pub version: String,
}

impl PluginRef {
    /// Parses `ns/name@version`, checking every part.
    pub fn parse(s: &str) -> Result<PluginRef, PluginRefError> {
        let (path, version) = s
            .split_once('@')
            .ok_or_else(|| PluginRefError::Shape(s.to_string()))?;
        let (namespace, name) = path
            .split_once('/')
            .ok_or_else(|| PluginRefError::Shape(s.to_string()))?;
        check_name("namespace", namespace)?;
        check_name("name", name)?;
        check_version(version)?;
        Ok(PluginRef {
            namespace: namespace.into(),
            name: name.into(),
            version: version.into(),
        })
    }
}

impl std::fmt::Display for PluginRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}@{}", self.namespace, self.name, self.version)
    }
}

/// Why a plugin reference, namespace, name or version is refused. The
/// texts are the registry API's `bad_name` / `bad_reference` messages.
#[derive(Debug, thiserror::Error)]
pub enum PluginRefError {
    /// Not of the form `ns/name@version`.
    #[error("`{0}` is not ns/name@version")]
    Shape(String),
    /// A namespace or name outside `a-z 0-9 -`.
    #[error("{what} `{shown}` must be 1-64 lower-case letters, digits or `-`")]
    Name {
        /// `namespace`, `name`, …
        what: String,
        /// The offending text, escaped.
        shown: String,
    },
    /// Not a semantic version. (The parser's reason is part of the text,
    /// as clients of the registry API see it, so it is not a `source`.)
    #[error("version `{shown}` is not a semantic version: {reason}")]
    Version {
        /// The offending text, escaped.
        shown: String,
        /// Why the semver parser refused it.
        reason: semver::Error,
    },
}

/// Namespaces and names: 1-64 of `a-z 0-9 -`, starting with a letter or digit.
pub fn check_name(what: &str, s: &str) -> Result<(), PluginRefError> {
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-');
    if ok {
        Ok(())
    } else {
        Err(PluginRefError::Name {
            what: what.to_string(),
            shown: s.escape_default().to_string(),
        })
    }
}

/// Versions: semantic versions (`1.2.3`, `1.0.0-rc.1`).
pub fn check_version(s: &str) -> Result<(), PluginRefError> {
    semver::Version::parse(s)
        .map(|_| ())
        .map_err(|reason| PluginRefError::Version {
            shown: s.escape_default().to_string(),
            reason,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_and_names() {
        let r = PluginRef::parse("acme/shopify-orders@1.2.3").unwrap();
        assert_eq!(r.to_string(), "acme/shopify-orders@1.2.3");
        for bad in [
            "acme/x",
            "acme@1.0.0",
            "../x@1.0.0",
            "acme/a/b@1.0.0",
            "Acme/x@1.0.0",
            "acme/x@1.0",
            "acme/x\n@1.0.0",
        ] {
            assert!(PluginRef::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn error_texts_are_the_registry_messages() {
        let text = |s: &str| PluginRef::parse(s).unwrap_err().to_string();
        assert_eq!(text("acme/x"), "`acme/x` is not ns/name@version");
        assert_eq!(
            text("Acme/x@1.0.0"),
            "namespace `Acme` must be 1-64 lower-case letters, digits or `-`"
        );
        assert!(
            text("acme/x@1.0").starts_with("version `1.0` is not a semantic version: "),
            "{}",
            text("acme/x@1.0")
        );
    }
}
