//! Pure edit operations on a draft indicator system; an edit that breaks a rule is refused whole.

use super::lang::{Lang, Text};
use super::message::Message;
use super::model::{
    Construct, Dimension, Indicator, Model, ModelIssue, OuterMode, Path, Problem, Severity,
};

/// The head of a construct as the construct form edits it (its indicators are edited one by one).
#[derive(Debug, Clone, PartialEq)]
pub struct ConstructHead {
    pub code: String,
    pub name: Text,
    pub mode: OuterMode,
    pub weight: Option<f64>,
}

/// One change a designer makes to a draft model.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// The model's own code, name, description and languages.
    Info {
        code: String,
        name: Text,
        description: Text,
        languages: Vec<Lang>,
    },
    AddConstruct(ConstructHead),
    /// Changes construct `code`; a new code is carried into its paths.
    UpdateConstruct {
        code: String,
        head: ConstructHead,
    },
    /// Removes a construct with its indicators and paths.
    RemoveConstruct {
        code: String,
    },
    AddDimension {
        construct: String,
        dimension: Dimension,
    },
    /// Removes a dimension; its indicators stay with the construct, without a dimension.
    RemoveDimension {
        construct: String,
        code: String,
    },
    AddIndicator {
        construct: String,
        indicator: Indicator,
    },
    /// Replaces indicator `code`, possibly moving it to another construct.
    UpdateIndicator {
        code: String,
        construct: String,
        indicator: Indicator,
    },
    RemoveIndicator {
        code: String,
    },
    /// Moves an indicator one place up (`-1`) or down (`1`) within its construct.
    MoveIndicator {
        code: String,
        by: i8,
    },
    AddPath(Path),
    RemovePath(Path),
    /// Expert weights of constructs and indicators by code (`None` clears one).
    SetWeights {
        constructs: Vec<(String, Option<f64>)>,
        indicators: Vec<(String, Option<f64>)>,
    },
    /// Replaces the whole model (an imported file).
    Replace(Box<Model>),
}

/// Why an edit was refused; nothing of it is applied.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// The edit names a construct, dimension, indicator or path the model does not have.
    Missing { what: Missing, code: String },
    /// The edit would break these rules (only problems the model did not have before).
    Breaks(Vec<ModelIssue>),
}

/// The kind of part an edit named but the model lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    Construct,
    Dimension,
    Indicator,
    Path,
}

impl Refusal {
    /// Every message, as catalogue messages.
    pub fn messages(&self) -> Vec<Message> {
        match self {
            Refusal::Missing { what, code } => vec![
                Message::new(match what {
                    Missing::Construct => "model_edit.missing.construct",
                    Missing::Dimension => "model_edit.missing.dimension",
                    Missing::Indicator => "model_edit.missing.indicator",
                    Missing::Path => "model_edit.missing.path",
                })
                .arg("code", code),
            ],
            Refusal::Breaks(issues) => issues.iter().map(|i| i.problem.message()).collect(),
        }
    }
}

/// The form field an issue belongs next to: `code`, `name_zh`, `text_en`, `dimension`, `weight`, `path`, `languages`, or `form`.
pub fn field_of(issue: &ModelIssue) -> String {
    match &issue.problem {
        Problem::BadCode { .. } | Problem::DuplicateCode { .. } => "code".into(),
        Problem::MissingText { lang } => {
            let part = if issue.location.ends_with(".text") {
                "text"
            } else {
                "name"
            };
            format!("{part}_{}", lang.key())
        }
        Problem::UnknownDimension { .. } => "dimension".into(),
        Problem::NegativeWeight => "weight".into(),
        Problem::UnknownConstruct { .. }
        | Problem::SelfLoop { .. }
        | Problem::DuplicatePath { .. }
        | Problem::Cycle { .. } => "path".into(),
        Problem::NoLanguages => "languages".into(),
        _ => "form".into(),
    }
}

/// Problems that are a normal passing state while a model is being built: a new construct has
/// no indicators and no paths yet. They block publishing but never an edit.
fn is_transitional(problem: &Problem) -> bool {
    matches!(
        problem,
        Problem::NoIndicators { .. } | Problem::Unconnected { .. } | Problem::NoConstructs
    )
}

fn construct_mut<'a>(model: &'a mut Model, code: &str) -> Result<&'a mut Construct, Refusal> {
    model
        .constructs
        .iter_mut()
        .find(|c| c.code == code)
        .ok_or_else(|| Refusal::Missing {
            what: Missing::Construct,
            code: code.to_owned(),
        })
}

/// Where an indicator sits: (construct index, indicator index).
fn find_indicator(model: &Model, code: &str) -> Result<(usize, usize), Refusal> {
    model
        .constructs
        .iter()
        .enumerate()
        .find_map(|(c, construct)| {
            construct
                .indicators
                .iter()
                .position(|i| i.code == code)
                .map(|i| (c, i))
        })
        .ok_or_else(|| Refusal::Missing {
            what: Missing::Indicator,
            code: code.to_owned(),
        })
}

/// Applies `edit` to a copy of `model`. The edit is refused if it names a missing part or
/// introduces an error the model did not have (besides the transitional ones).
pub fn apply(model: &Model, edit: Edit) -> Result<Model, Refusal> {
    let mut next = model.clone();
    match edit {
        Edit::Info {
            code,
            name,
            description,
            languages,
        } => {
            next.code = code;
            next.name = name;
            next.description = description;
            next.languages = languages;
        }
        Edit::AddConstruct(head) => next.constructs.push(Construct {
            code: head.code,
            name: head.name,
            mode: head.mode,
            dimensions: vec![],
            indicators: vec![],
            expert_weight: head.weight,
        }),
        Edit::UpdateConstruct { code, head } => {
            let construct = construct_mut(&mut next, &code)?;
            construct.code = head.code.clone();
            construct.name = head.name;
            construct.mode = head.mode;
            construct.expert_weight = head.weight;
            for path in &mut next.paths {
                for end in [&mut path.from, &mut path.to] {
                    if *end == code {
                        *end = head.code.clone();
                    }
                }
            }
        }
        Edit::RemoveConstruct { code } => {
            construct_mut(&mut next, &code)?;
            next.constructs.retain(|c| c.code != code);
            next.paths.retain(|p| p.from != code && p.to != code);
        }
        Edit::AddDimension {
            construct,
            dimension,
        } => construct_mut(&mut next, &construct)?
            .dimensions
            .push(dimension),
        Edit::RemoveDimension { construct, code } => {
            let construct = construct_mut(&mut next, &construct)?;
            if !construct.dimensions.iter().any(|d| d.code == code) {
                return Err(Refusal::Missing {
                    what: Missing::Dimension,
                    code,
                });
            }
            construct.dimensions.retain(|d| d.code != code);
            for indicator in &mut construct.indicators {
                if indicator.dimension.as_deref() == Some(code.as_str()) {
                    indicator.dimension = None;
                }
            }
        }
        Edit::AddIndicator {
            construct,
            indicator,
        } => construct_mut(&mut next, &construct)?
            .indicators
            .push(indicator),
        Edit::UpdateIndicator {
            code,
            construct,
            indicator,
        } => {
            let (c, i) = find_indicator(&next, &code)?;
            if next.constructs[c].code == construct {
                next.constructs[c].indicators[i] = indicator;
            } else {
                construct_mut(&mut next, &construct)?;
                next.constructs[c].indicators.remove(i);
                construct_mut(&mut next, &construct)?
                    .indicators
                    .push(indicator);
            }
        }
        Edit::RemoveIndicator { code } => {
            let (c, i) = find_indicator(&next, &code)?;
            next.constructs[c].indicators.remove(i);
        }
        Edit::MoveIndicator { code, by } => {
            let (c, i) = find_indicator(&next, &code)?;
            let list = &mut next.constructs[c].indicators;
            let target = i as isize + isize::from(by);
            if (0..list.len() as isize).contains(&target) {
                list.swap(i, target as usize);
            }
        }
        Edit::AddPath(path) => next.paths.push(path),
        Edit::RemovePath(path) => {
            if !next.paths.contains(&path) {
                return Err(Refusal::Missing {
                    what: Missing::Path,
                    code: path.to_string(),
                });
            }
            next.paths.retain(|p| *p != path);
        }
        Edit::SetWeights {
            constructs,
            indicators,
        } => {
            for (code, weight) in constructs {
                construct_mut(&mut next, &code)?.expert_weight = weight;
            }
            for (code, weight) in indicators {
                let (c, i) = find_indicator(&next, &code)?;
                next.constructs[c].indicators[i].expert_weight = weight;
            }
        }
        Edit::Replace(model) => next = *model,
    }
    let before: Vec<ModelIssue> = model.errors();
    let introduced: Vec<ModelIssue> = next
        .check()
        .into_iter()
        .filter(|issue| {
            issue.severity == Severity::Error
                && !is_transitional(&issue.problem)
                && !before.contains(issue)
        })
        .collect();
    if introduced.is_empty() {
        Ok(next)
    } else {
        Err(Refusal::Breaks(introduced))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Scale;

    fn indicator(code: &str) -> Indicator {
        Indicator {
            code: code.into(),
            text: Text::new("题目", "Question"),
            scale: Scale::likert(5, Text::new("差", "Poor"), Text::new("好", "Good")),
            dont_know: false,
            reverse: false,
            dimension: None,
            expert_weight: None,
        }
    }

    fn head(code: &str) -> ConstructHead {
        ConstructHead {
            code: code.into(),
            name: Text::new("名", "Name"),
            mode: OuterMode::Reflective,
            weight: None,
        }
    }

    fn two_constructs() -> Model {
        let mut model = Model {
            code: "m".into(),
            name: Text::new("模型", "Model"),
            description: Text::default(),
            languages: vec![Lang::ZhCn, Lang::En],
            constructs: vec![],
            paths: vec![],
        };
        for code in ["A", "B"] {
            model = apply(&model, Edit::AddConstruct(head(code))).unwrap();
            model = apply(
                &model,
                Edit::AddIndicator {
                    construct: code.into(),
                    indicator: indicator(&format!("{code}1")),
                },
            )
            .unwrap();
        }
        apply(
            &model,
            Edit::AddPath(Path {
                from: "A".into(),
                to: "B".into(),
            }),
        )
        .unwrap()
    }

    #[test]
    fn a_new_construct_may_lack_indicators_but_not_a_unique_code() {
        let model = two_constructs();
        assert!(apply(&model, Edit::AddConstruct(head("C"))).is_ok());
        let Err(Refusal::Breaks(issues)) = apply(&model, Edit::AddConstruct(head("A"))) else {
            panic!("duplicate accepted")
        };
        assert!(matches!(issues[0].problem, Problem::DuplicateCode { .. }));
        assert_eq!(field_of(&issues[0]), "code");
    }

    #[test]
    fn a_cycle_and_a_missing_translation_are_refused_next_to_their_field() {
        let model = two_constructs();
        let Err(Refusal::Breaks(issues)) = apply(
            &model,
            Edit::AddPath(Path {
                from: "B".into(),
                to: "A".into(),
            }),
        ) else {
            panic!("cycle accepted")
        };
        assert!(
            issues
                .iter()
                .any(|i| matches!(i.problem, Problem::Cycle { .. }))
        );
        let mut untranslated = indicator("A2");
        untranslated.text.en = None;
        let Err(Refusal::Breaks(issues)) = apply(
            &model,
            Edit::AddIndicator {
                construct: "A".into(),
                indicator: untranslated,
            },
        ) else {
            panic!("missing text accepted")
        };
        assert_eq!(field_of(&issues[0]), "text_en");
    }

    #[test]
    fn renaming_a_construct_carries_its_paths_and_removing_drops_them() {
        let model = two_constructs();
        let renamed = apply(
            &model,
            Edit::UpdateConstruct {
                code: "A".into(),
                head: head("EXP"),
            },
        )
        .unwrap();
        assert_eq!(
            renamed.paths,
            vec![Path {
                from: "EXP".into(),
                to: "B".into()
            }]
        );
        let removed = apply(&renamed, Edit::RemoveConstruct { code: "EXP".into() }).unwrap();
        assert!(removed.paths.is_empty() && removed.constructs.len() == 1);
        assert!(matches!(
            apply(&model, Edit::RemoveIndicator { code: "Z9".into() }),
            Err(Refusal::Missing {
                what: Missing::Indicator,
                ..
            })
        ));
    }
}
