//! The ready-made indicator models of `survey-templates/`, embedded in the binary.

use crate::domain::{FileErrors, Model, parse_model};

/// (file name, contents) of every shipped template.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("acsi.toml", include_str!("../survey-templates/acsi.toml")),
    ("ecsi.toml", include_str!("../survey-templates/ecsi.toml")),
    ("ccsi.toml", include_str!("../survey-templates/ccsi.toml")),
    (
        "service-servqual.toml",
        include_str!("../survey-templates/service-servqual.toml"),
    ),
    (
        "retail-dairy.toml",
        include_str!("../survey-templates/retail-dairy.toml"),
    ),
];

/// Loads a shipped template by file name; `None` if there is no such template.
pub fn load(file: &str) -> Option<Result<Model, FileErrors>> {
    TEMPLATES
        .iter()
        .find(|(name, _)| *name == file)
        .map(|(name, source)| parse_model(name, source))
}

/// Every shipped template, parsed. A template that does not load is a bug caught by tests.
pub fn all() -> Vec<(&'static str, Model)> {
    TEMPLATES
        .iter()
        .filter_map(|(name, source)| parse_model(name, source).ok().map(|m| (*name, m)))
        .collect()
}
