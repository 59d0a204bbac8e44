//! The playbooks the product ships, one per kind of incident, written in YAML beside this
//! file. `servicehall serve`, `init` and the demo install them company-wide; a hall may
//! write its own version.

use super::{Playbook, PlaybookError};

const SOURCES: [&str; 6] = [
    include_str!("playbooks/outage.yaml"),
    include_str!("playbooks/business_system.yaml"),
    include_str!("playbooks/crowd.yaml"),
    include_str!("playbooks/conflict.yaml"),
    include_str!("playbooks/medical.yaml"),
    include_str!("playbooks/fire.yaml"),
];

/// Reads a playbook written in YAML, with the path of a field that does not fit.
pub fn parse_yaml(text: &str) -> Result<Playbook, PlaybookError> {
    let de = serde_norway::Deserializer::from_str(text);
    let p: Playbook = serde_path_to_error::deserialize(de).map_err(|e| {
        PlaybookError(format!(
            "预案格式有误（{}）· the playbook does not parse at {}: {}",
            e.path(),
            e.path(),
            e.inner()
        ))
    })?;
    p.validate()?;
    Ok(p)
}

/// Every shipped playbook, checked (a unit test keeps them valid).
pub fn shipped() -> Result<Vec<Playbook>, PlaybookError> {
    SOURCES.iter().map(|s| parse_yaml(s)).collect()
}
