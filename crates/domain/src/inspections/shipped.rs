//! The checklists the product ships, written in YAML beside this file. The demo and
//! `servicehall serve` load them into the store (a shipped template is company-wide: every
//! hall sees it until it writes its own version).

use super::{Template, TemplateError};

const SOURCES: [&str; 6] = [
    include_str!("templates/pre_shift_grooming.yaml"),
    include_str!("templates/opening.yaml"),
    include_str!("templates/midday.yaml"),
    include_str!("templates/closing.yaml"),
    include_str!("templates/weekly_placement.yaml"),
    include_str!("templates/monthly_on_site.yaml"),
];

/// Reads a template written in YAML, with the path of a field that does not fit.
pub fn parse_yaml(text: &str) -> Result<Template, TemplateError> {
    let de = serde_norway::Deserializer::from_str(text);
    let t: Template = serde_path_to_error::deserialize(de).map_err(|e| {
        TemplateError(format!(
            "模板格式有误（{}）· the template does not parse at {}: {}",
            e.path(),
            e.path(),
            e.inner()
        ))
    })?;
    t.validate()?;
    Ok(t)
}

/// Every shipped template, checked (a unit test keeps them valid).
pub fn shipped() -> Result<Vec<Template>, TemplateError> {
    SOURCES.iter().map(|s| parse_yaml(s)).collect()
}
