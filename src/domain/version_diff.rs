//! What changed between two versions of an indicator system, and which changes break comparability.

use super::lang::{Lang, Text};
use super::message::Message;
use super::model::{Indicator, Model};
use serde::Serialize;

/// Whether an item is new, gone or different.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// The kind of item a change concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Item {
    Model,
    Construct,
    Dimension,
    Indicator,
    Path,
}

/// One aspect of an item that differs between the versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "aspect", rename_all = "snake_case")]
pub enum Detail {
    Name,
    Languages,
    Mode,
    Weight,
    /// The question text changed in one language (breaks comparability).
    Text {
        lang: Lang,
    },
    /// The scale changed, e.g. `likert-5` → `likert-7` or its labels (breaks comparability).
    Scale {
        from: String,
        to: String,
    },
    DontKnow,
    /// Reverse coding flipped: the same answers now mean the opposite.
    Reverse,
    Dimension,
    /// The indicator moved to another construct.
    Construct {
        from: String,
        to: String,
    },
}

impl Detail {
    /// Whether answers to the item before and after the change can no longer be compared.
    pub fn breaks_comparability(&self) -> bool {
        matches!(
            self,
            Detail::Text { .. } | Detail::Scale { .. } | Detail::Reverse
        )
    }

    /// The change as a catalogue message.
    pub fn message(&self) -> Message {
        match self {
            Detail::Name => Message::new("version_diff.name"),
            Detail::Languages => Message::new("version_diff.languages"),
            Detail::Mode => Message::new("version_diff.mode"),
            Detail::Weight => Message::new("version_diff.weight"),
            Detail::Text { lang: Lang::ZhCn } => Message::new("version_diff.text.zh"),
            Detail::Text { lang: Lang::En } => Message::new("version_diff.text.en"),
            Detail::Scale { from, to } => Message::new("version_diff.scale")
                .arg("from", from)
                .arg("to", to),
            Detail::DontKnow => Message::new("version_diff.dont_know"),
            Detail::Reverse => Message::new("version_diff.reverse"),
            Detail::Dimension => Message::new("version_diff.dimension"),
            Detail::Construct { from, to } => Message::new("version_diff.construct")
                .arg("from", from)
                .arg("to", to),
        }
    }
}

/// One added, removed or changed item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    pub item: Item,
    pub code: String,
    pub details: Vec<Detail>,
}

impl Change {
    /// Whether this change makes the item's answers incomparable across the two versions.
    pub fn breaks_comparability(&self) -> bool {
        self.details.iter().any(Detail::breaks_comparability)
    }
}

fn text_changes(old: &Text, new: &Text, languages: &[Lang]) -> Vec<Detail> {
    languages
        .iter()
        .filter(|l| old.get(**l) != new.get(**l))
        .map(|l| Detail::Text { lang: *l })
        .collect()
}

fn scale_label(indicator: &Indicator) -> String {
    indicator.scale.describe()
}

fn indicator_details(
    old: &Indicator,
    new: &Indicator,
    old_construct: &str,
    new_construct: &str,
    languages: &[Lang],
) -> Vec<Detail> {
    let mut details = text_changes(&old.text, &new.text, languages);
    if old.scale != new.scale {
        let (from, to) = (scale_label(old), scale_label(new));
        let (from, to) = if from == to {
            (format!("{from} (labels)"), format!("{to} (labels)"))
        } else {
            (from, to)
        };
        details.push(Detail::Scale { from, to });
    }
    if old.reverse != new.reverse {
        details.push(Detail::Reverse);
    }
    if old.dont_know != new.dont_know {
        details.push(Detail::DontKnow);
    }
    if old_construct != new_construct {
        details.push(Detail::Construct {
            from: old_construct.to_owned(),
            to: new_construct.to_owned(),
        });
    }
    if old.dimension != new.dimension {
        details.push(Detail::Dimension);
    }
    if old.expert_weight != new.expert_weight {
        details.push(Detail::Weight);
    }
    details
}

/// Every difference from `old` to `new`, items matched by code: model, constructs, dimensions, indicators, paths.
pub fn diff(old: &Model, new: &Model) -> Vec<Change> {
    let mut changes = Vec::new();
    let mut languages = old.languages.clone();
    languages.extend(new.languages.iter().filter(|l| !old.languages.contains(l)));
    let changed = |item, code: &str, details: Vec<Detail>| Change {
        kind: ChangeKind::Changed,
        item,
        code: code.to_owned(),
        details,
    };
    let plain = |kind, item, code: &str| Change {
        kind,
        item,
        code: code.to_owned(),
        details: vec![],
    };

    let mut model_details = Vec::new();
    if old.name != new.name {
        model_details.push(Detail::Name);
    }
    if old.languages != new.languages {
        model_details.push(Detail::Languages);
    }
    if !model_details.is_empty() {
        changes.push(changed(Item::Model, &new.code, model_details));
    }

    for construct in &new.constructs {
        match old.construct(&construct.code) {
            None => changes.push(plain(ChangeKind::Added, Item::Construct, &construct.code)),
            Some(before) => {
                let mut details = Vec::new();
                if before.name != construct.name {
                    details.push(Detail::Name);
                }
                if before.mode != construct.mode {
                    details.push(Detail::Mode);
                }
                if before.expert_weight != construct.expert_weight {
                    details.push(Detail::Weight);
                }
                if !details.is_empty() {
                    changes.push(changed(Item::Construct, &construct.code, details));
                }
                for dimension in &construct.dimensions {
                    let code = format!("{}.{}", construct.code, dimension.code);
                    match before.dimensions.iter().find(|d| d.code == dimension.code) {
                        None => changes.push(plain(ChangeKind::Added, Item::Dimension, &code)),
                        Some(d) if d.name != dimension.name => {
                            changes.push(changed(Item::Dimension, &code, vec![Detail::Name]))
                        }
                        Some(_) => {}
                    }
                }
                for dimension in before
                    .dimensions
                    .iter()
                    .filter(|d| !construct.dimensions.iter().any(|n| n.code == d.code))
                {
                    changes.push(plain(
                        ChangeKind::Removed,
                        Item::Dimension,
                        &format!("{}.{}", construct.code, dimension.code),
                    ));
                }
            }
        }
    }
    for construct in old
        .constructs
        .iter()
        .filter(|c| new.construct(&c.code).is_none())
    {
        changes.push(plain(ChangeKind::Removed, Item::Construct, &construct.code));
    }

    for (construct, indicator) in new.indicators() {
        match old.indicators().find(|(_, i)| i.code == indicator.code) {
            None => changes.push(plain(ChangeKind::Added, Item::Indicator, &indicator.code)),
            Some((before_construct, before)) => {
                let details = indicator_details(
                    before,
                    indicator,
                    &before_construct.code,
                    &construct.code,
                    &languages,
                );
                if !details.is_empty() {
                    changes.push(changed(Item::Indicator, &indicator.code, details));
                }
            }
        }
    }
    for (_, indicator) in old
        .indicators()
        .filter(|(_, i)| new.indicator(&i.code).is_none())
    {
        changes.push(plain(ChangeKind::Removed, Item::Indicator, &indicator.code));
    }

    for path in new.paths.iter().filter(|p| !old.paths.contains(p)) {
        changes.push(plain(ChangeKind::Added, Item::Path, &path.to_string()));
    }
    for path in old.paths.iter().filter(|p| !new.paths.contains(p)) {
        changes.push(plain(ChangeKind::Removed, Item::Path, &path.to_string()));
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Scale, parse_model};

    fn acsi() -> Model {
        parse_model(
            "acsi.toml",
            include_str!("../../survey-templates/acsi.toml"),
        )
        .unwrap()
    }

    #[test]
    fn identical_models_have_no_changes() {
        assert!(diff(&acsi(), &acsi()).is_empty());
    }

    #[test]
    fn a_new_scale_or_text_breaks_comparability_a_weight_does_not() {
        let old = acsi();
        let mut new = old.clone();
        new.constructs[0].indicators[0].scale =
            Scale::likert(7, Text::new("差", "Poor"), Text::new("好", "Good"));
        new.constructs[0].indicators[1].text.en = Some("Another wording".into());
        new.constructs[0].indicators[2].expert_weight = Some(0.5);
        let added = Indicator {
            code: "EXP9".into(),
            ..new.constructs[0].indicators[0].clone()
        };
        new.constructs[0].indicators.push(added);
        new.paths.pop();
        let changes = diff(&old, &new);
        let find = |code: &str| {
            changes
                .iter()
                .find(|c| c.code == code)
                .unwrap_or_else(|| panic!("{code} in {changes:#?}"))
        };
        let exp1 = find("EXP1");
        assert!(exp1.breaks_comparability());
        assert!(
            matches!(&exp1.details[0], Detail::Scale { from, to } if from == "likert-10" && to == "likert-7")
        );
        assert_eq!(find("EXP2").details, vec![Detail::Text { lang: Lang::En }]);
        assert!(find("EXP2").breaks_comparability());
        assert!(!find("EXP3").breaks_comparability());
        assert_eq!(find("EXP9").kind, ChangeKind::Added);
        assert_eq!(find("COM -> LOY").kind, ChangeKind::Removed);
        assert_eq!(changes.len(), 5, "{changes:#?}");
    }
}
