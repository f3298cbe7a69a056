//! Which `weft:plugin` world a component implements, and what it imports
//! and exports.

use std::fmt;

use wasmtime::component::Component;

use super::{bindings::Info, LoadError, CONTRACT_VERSION};

/// The role of a plugin, i.e. which world it implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// `weft:plugin/source`: channel documents in, canonical messages out.
    Source,
    /// `weft:plugin/transform`: canonical in, canonical out.
    Transform,
    /// `weft:plugin/sink`: canonical in, outbound requests out.
    Sink,
}

impl Role {
    /// `source`, `transform` or `sink`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Source => "source",
            Role::Transform => "transform",
            Role::Sink => "sink",
        }
    }

    /// Parses `source`, `transform` or `sink`.
    pub fn parse(s: &str) -> Option<Role> {
        [Role::Source, Role::Transform, Role::Sink]
            .into_iter()
            .find(|r| r.as_str() == s)
    }

    /// The world's full name, e.g. `weft:plugin/transform@0.1.0`.
    pub fn world(self) -> String {
        format!("weft:plugin/{}@{CONTRACT_VERSION}", self.as_str())
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The names a component imports and exports.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ComponentSummary {
    /// Import names, e.g. `weft:plugin/host@0.1.0`, `wasi:cli/environment@0.2.6`.
    pub imports: Vec<String>,
    /// Export names, e.g. `weft:plugin/transform-plugin@0.1.0`.
    pub exports: Vec<String>,
}

pub(crate) fn summarize(engine: &wasmtime::Engine, component: &Component) -> ComponentSummary {
    let ty = component.component_type();
    ComponentSummary {
        imports: ty.imports(engine).map(|(n, _)| n.to_string()).collect(),
        exports: ty.exports(engine).map(|(n, _)| n.to_string()).collect(),
    }
}

/// Finds the role from the exported `weft:plugin/<role>-plugin@<version>`.
pub(crate) fn role_of(summary: &ComponentSummary) -> Result<Role, LoadError> {
    let mut found = Vec::new();
    let mut foreign = Vec::new();
    for name in &summary.exports {
        let Some(rest) = name.strip_prefix("weft:plugin/") else {
            continue;
        };
        let (iface, version) = rest.split_once('@').unwrap_or((rest, ""));
        let role = iface.strip_suffix("-plugin").and_then(Role::parse);
        match role {
            Some(r) if version == CONTRACT_VERSION => found.push(r),
            _ => foreign.push(name.clone()),
        }
    }
    match (found.as_slice(), foreign.is_empty()) {
        ([role], _) => Ok(*role),
        ([], false) => Err(LoadError::UnsupportedWorld(format!(
            "the component exports {}, but this host supports weft:plugin@{CONTRACT_VERSION} \
             (weft:plugin/source-plugin, transform-plugin or sink-plugin @{CONTRACT_VERSION})",
            foreign.join(", ")
        ))),
        ([], true) => Err(LoadError::UnsupportedWorld(format!(
            "not a weft plugin: the component exports [{}], none of them a weft:plugin@{CONTRACT_VERSION} role interface",
            summary.exports.join(", ")
        ))),
        (many, _) => Err(LoadError::UnsupportedWorld(format!(
            "the component exports {} plugin roles ({}); a plugin has exactly one",
            many.len(),
            many.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")
        ))),
    }
}

/// Checks `describe()` against the exported world.
pub(crate) fn check_info(info: &Info, role: Role) -> Result<(), String> {
    let declared: Role = info.role.into();
    if declared != role {
        return Err(format!(
            "says role {declared} but the component exports the {role} world"
        ));
    }
    let name_ok = !info.name.is_empty()
        && info.name.len() <= 64
        && info
            .name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !name_ok {
        return Err(format!(
            "name {:?} must be 1-64 lower-case letters, digits or `-`",
            info.name
        ));
    }
    let v: Vec<&str> = info
        .version
        .split(['-', '+'])
        .next()
        .unwrap_or("")
        .split('.')
        .collect();
    if v.len() != 3
        || v.iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(format!(
            "version {:?} is not a semantic version like 1.2.3",
            info.version
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(exports: &[&str]) -> ComponentSummary {
        ComponentSummary {
            imports: vec![],
            exports: exports.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn roles_from_exports() {
        assert_eq!(
            role_of(&summary(&["weft:plugin/sink-plugin@0.1.0"])).unwrap(),
            Role::Sink
        );
        let e = role_of(&summary(&["weft:plugin/transform-plugin@0.2.0"]))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("0.2.0") && e.contains("supports weft:plugin@0.1.0"),
            "{e}"
        );
        let e = role_of(&summary(&["wasi:cli/run@0.2.0"]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a weft plugin"), "{e}");
        let e = role_of(&summary(&[
            "weft:plugin/sink-plugin@0.1.0",
            "weft:plugin/source-plugin@0.1.0",
        ]))
        .unwrap_err()
        .to_string();
        assert!(e.contains("exactly one"), "{e}");
    }
}
