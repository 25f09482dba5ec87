//! The survey-templates file format (TOML): parse into a [`Model`], and write one back.
//!
//! The format is documented in `survey-templates/README.md`. Loading checks
//! every rule of the model; a bad file gives every problem, each naming the
//! file and the offending entry.

use super::lang::{Lang, Text};
use super::model::{Construct, Dimension, Indicator, Model, OuterMode, Path, Problem, Severity};
use super::scale::{Scale, ScaleKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelFile {
    code: String,
    languages: Vec<String>,
    name: Text,
    #[serde(default, skip_serializing_if = "is_empty_text")]
    description: Text,
    #[serde(default)]
    paths: Vec<String>,
    #[serde(default)]
    scales: BTreeMap<String, ScaleFile>,
    #[serde(default)]
    constructs: Vec<ConstructFile>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScaleFile {
    kind: ScaleKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    points: Option<u8>,
    #[serde(default, skip_serializing_if = "is_empty_text")]
    low: Text,
    #[serde(default, skip_serializing_if = "is_empty_text")]
    high: Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    labels: Vec<Text>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConstructFile {
    code: String,
    name: Text,
    #[serde(default)]
    mode: OuterMode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    weight: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    dimensions: Vec<DimensionFile>,
    #[serde(default)]
    indicators: Vec<IndicatorFile>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DimensionFile {
    code: String,
    name: Text,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorFile {
    code: String,
    scale: String,
    text: Text,
    #[serde(default, skip_serializing_if = "is_false")]
    dont_know: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    reverse: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    dimension: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    weight: Option<f64>,
}

fn is_false(value: &bool) -> bool {
    !*value
}

fn is_empty_text(text: &Text) -> bool {
    text.zh.is_none() && text.en.is_none()
}

/// One problem in a model file: which file, which entry, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    pub file: String,
    pub entry: String,
    pub message: String,
}

impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.entry, self.message)
    }
}

/// Every problem found in a model file; nothing of the file is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileErrors(pub Vec<FileProblem>);

impl fmt::Display for FileErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for FileErrors {}

/// Parses and checks a model file. `file` names it in messages.
/// Warnings (e.g. a reflective construct with two indicators) do not refuse the file.
pub fn parse_model(file: &str, source: &str) -> Result<Model, FileErrors> {
    let problem = |entry: String, message: String| FileProblem {
        file: file.to_owned(),
        entry,
        message,
    };
    let raw: ModelFile = toml::from_str(source).map_err(|e| {
        let entry = match e.span() {
            Some(span) => {
                let line = source[..span.start.min(source.len())].matches('\n').count() + 1;
                format!("line {line}")
            }
            None => "file".to_owned(),
        };
        FileErrors(vec![problem(entry, e.message().to_owned())])
    })?;
    let mut problems = Vec::new();

    let mut languages = Vec::new();
    for tag in &raw.languages {
        match Lang::parse(tag) {
            Some(lang) if !languages.contains(&lang) => languages.push(lang),
            Some(_) => problems.push(problem(
                "languages".into(),
                format!("language “{tag}” is listed twice"),
            )),
            None => problems.push(problem(
                "languages".into(),
                format!("unknown language “{tag}”; use zh or en"),
            )),
        }
    }

    let mut scales = BTreeMap::new();
    let mut broken_scales = Vec::new();
    for (name, scale) in &raw.scales {
        match Scale::new(
            scale.kind,
            scale.points,
            scale.low.clone(),
            scale.high.clone(),
            scale.labels.clone(),
        ) {
            Ok(built) => {
                scales.insert(name.as_str(), built);
            }
            Err(message) => {
                broken_scales.push(name.as_str());
                problems.push(problem(format!("scales.{name}"), message));
            }
        }
    }

    let mut constructs = Vec::new();
    // Constructs that lost an indicator to a broken scale: "no indicators" would only repeat that problem.
    let mut incomplete = Vec::new();
    for c in raw.constructs {
        let mut indicators = Vec::new();
        for i in c.indicators {
            if broken_scales.contains(&i.scale.as_str()) {
                incomplete.push(c.code.clone());
                continue;
            }
            let Some(scale) = scales.get(i.scale.as_str()) else {
                problems.push(problem(
                    format!("constructs.{}.indicators.{}.scale", c.code, i.code),
                    format!(
                        "unknown scale “{}”; defined scales: {}",
                        i.scale,
                        raw.scales.keys().cloned().collect::<Vec<_>>().join(", ")
                    ),
                ));
                continue;
            };
            indicators.push(Indicator {
                code: i.code,
                text: i.text,
                scale: scale.clone(),
                dont_know: i.dont_know,
                reverse: i.reverse,
                dimension: i.dimension,
                expert_weight: i.weight,
            });
        }
        constructs.push(Construct {
            code: c.code,
            name: c.name,
            mode: c.mode,
            dimensions: c
                .dimensions
                .into_iter()
                .map(|d| Dimension {
                    code: d.code,
                    name: d.name,
                })
                .collect(),
            indicators,
            expert_weight: c.weight,
        });
    }

    let mut paths = Vec::new();
    for (index, text) in raw.paths.iter().enumerate() {
        match text.split_once("->") {
            Some((from, to)) if !from.trim().is_empty() && !to.trim().is_empty() => {
                paths.push(Path {
                    from: from.trim().to_owned(),
                    to: to.trim().to_owned(),
                })
            }
            _ => problems.push(problem(
                format!("paths[{}] “{text}”", index + 1),
                "a path is written “FROM -> TO”, e.g. “EXP -> QUA”".into(),
            )),
        }
    }

    let model = Model {
        code: raw.code,
        name: raw.name,
        description: raw.description,
        languages,
        constructs,
        paths,
    };
    for issue in model.check() {
        let repeats_scale_problem = matches!(&issue.problem, Problem::NoIndicators { construct } if incomplete.contains(construct));
        if issue.severity == Severity::Error && !repeats_scale_problem {
            problems.push(problem(
                issue.location,
                crate::i18n::format(Lang::En, &issue.problem.message()),
            ));
        }
    }
    if problems.is_empty() {
        Ok(model)
    } else {
        Err(FileErrors(problems))
    }
}

/// Writes a model in the survey-templates format; [`parse_model`] reads it back unchanged.
pub fn to_model_file(model: &Model) -> String {
    let mut scales: BTreeMap<String, ScaleFile> = BTreeMap::new();
    let mut scale_name = |scale: &Scale| -> String {
        let file = ScaleFile {
            kind: scale.kind(),
            points: (scale.kind() == ScaleKind::Likert).then_some(scale.points()),
            low: scale.low().clone(),
            high: scale.high().clone(),
            labels: scale.labels().to_vec(),
        };
        if let Some((name, _)) = scales.iter().find(|(_, s)| **s == file) {
            return name.clone();
        }
        let base = scale.describe();
        let name = (1..)
            .map(|n| {
                if n == 1 {
                    base.clone()
                } else {
                    format!("{base}-{n}")
                }
            })
            .find(|candidate| !scales.contains_key(candidate))
            .expect("an unused name exists");
        scales.insert(name.clone(), file);
        name
    };
    let constructs = model
        .constructs
        .iter()
        .map(|c| ConstructFile {
            code: c.code.clone(),
            name: c.name.clone(),
            mode: c.mode,
            weight: c.expert_weight,
            dimensions: c
                .dimensions
                .iter()
                .map(|d| DimensionFile {
                    code: d.code.clone(),
                    name: d.name.clone(),
                })
                .collect(),
            indicators: c
                .indicators
                .iter()
                .map(|i| IndicatorFile {
                    code: i.code.clone(),
                    scale: scale_name(&i.scale),
                    text: i.text.clone(),
                    dont_know: i.dont_know,
                    reverse: i.reverse,
                    dimension: i.dimension.clone(),
                    weight: i.expert_weight,
                })
                .collect(),
        })
        .collect();
    let file = ModelFile {
        code: model.code.clone(),
        languages: model.languages.iter().map(|l| l.key().to_owned()).collect(),
        name: model.name.clone(),
        description: model.description.clone(),
        paths: model.paths.iter().map(Path::to_string).collect(),
        scales,
        constructs,
    };
    toml::to_string_pretty(&file).expect("a model always serialises")
}
