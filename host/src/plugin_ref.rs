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
    pub fn parse(s: &str) -> Result<PluginRef, String> {
        let (path, version) = s
            .split_once('@')
            .ok_or_else(|| format!("`{s}` is not ns/name@version"))?;
        let (namespace, name) = path
            .split_once('/')
            .ok_or_else(|| format!("`{s}` is not ns/name@version"))?;
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

/// Namespaces and names: 1-64 of `a-z 0-9 -`, starting with a letter or digit.
pub fn check_name(what: &str, s: &str) -> Result<(), String> {
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{what} `{}` must be 1-64 lower-case letters, digits or `-`",
            s.escape_default()
        ))
    }
}

/// Versions: semantic versions (`1.2.3`, `1.0.0-rc.1`).
pub fn check_version(s: &str) -> Result<(), String> {
    semver::Version::parse(s).map(|_| ()).map_err(|e| {
        format!(
            "version `{}` is not a semantic version: {e}",
            s.escape_default()
        )
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
}
