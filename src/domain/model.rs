//! The indicator system (指标体系): constructs, dimensions, indicators and paths, with its rules.

use super::lang::{Lang, Text};
use super::message::Message;
use super::scale::Scale;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// How a construct relates to its indicators (PLS outer mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum OuterMode {
    /// Mode A: the indicators reflect the construct.
    #[default]
    Reflective,
    /// Mode B: the indicators form the construct.
    Formative,
}

/// A sub-grouping of a construct's indicators, e.g. quality → product, service.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dimension {
    pub code: String,
    pub name: Text,
}

/// One questionnaire item measuring a construct (测评指标).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    pub code: String,
    pub text: Text,
    pub scale: Scale,
    /// Whether "don't know / not applicable" is offered (stored as missing).
    pub dont_know: bool,
    /// Reverse-coded items are recoded at analysis time.
    pub reverse: bool,
    pub dimension: Option<String>,
    /// A weight typed in by the quality team, used for expert-weighted indices.
    pub expert_weight: Option<f64>,
}

/// A latent variable (隐变量) such as perceived quality.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Construct {
    pub code: String,
    pub name: Text,
    pub mode: OuterMode,
    pub dimensions: Vec<Dimension>,
    pub indicators: Vec<Indicator>,
    pub expert_weight: Option<f64>,
}

/// A structural path `from → to` between two constructs, by code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Path {
    pub from: String,
    pub to: String,
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} -> {}", self.from, self.to)
    }
}

/// A whole indicator system. A `Model` may be a draft with problems;
/// [`Model::check`] lists them, and only a model without errors can be published.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Model {
    pub code: String,
    pub name: Text,
    pub description: Text,
    pub languages: Vec<Lang>,
    pub constructs: Vec<Construct>,
    pub paths: Vec<Path>,
}

/// Where in a model a problem sits, e.g. `constructs.QUA.indicators.QUA2`.
pub type Location = String;

/// Something wrong with a model: an error blocks publishing, a warning does not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModelIssue {
    pub location: Location,
    pub severity: Severity,
    pub problem: Problem,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// The rules an indicator system must follow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Problem {
    BadCode { code: String },
    DuplicateCode { code: String },
    NoIndicators { construct: String },
    UnknownConstruct { code: String },
    SelfLoop { code: String },
    DuplicatePath { path: String },
    Cycle { constructs: Vec<String> },
    Unconnected { construct: String },
    MissingText { lang: Lang },
    UnknownDimension { dimension: String },
    NegativeWeight,
    NoConstructs,
    NoLanguages,
    FewReflectiveIndicators { construct: String, count: usize },
}

impl Problem {
    /// The problem as a catalogue message.
    pub fn message(&self) -> Message {
        use Problem::*;
        match self {
            BadCode { code } => Message::new("model.bad_code").arg("code", code),
            DuplicateCode { code } => Message::new("model.duplicate_code").arg("code", code),
            NoIndicators { construct } => {
                Message::new("model.no_indicators").arg("construct", construct)
            }
            UnknownConstruct { code } => Message::new("model.unknown_construct").arg("code", code),
            SelfLoop { code } => Message::new("model.self_loop").arg("code", code),
            DuplicatePath { path } => Message::new("model.duplicate_path").arg("path", path),
            Cycle { constructs } => {
                Message::new("model.cycle").arg("constructs", constructs.join(" → "))
            }
            Unconnected { construct } => {
                Message::new("model.unconnected").arg("construct", construct)
            }
            MissingText { lang: Lang::ZhCn } => Message::new("model.missing_text.zh"),
            MissingText { lang: Lang::En } => Message::new("model.missing_text.en"),
            UnknownDimension { dimension } => {
                Message::new("model.unknown_dimension").arg("dimension", dimension)
            }
            NegativeWeight => Message::new("model.negative_weight"),
            NoConstructs => Message::new("model.no_constructs"),
            NoLanguages => Message::new("model.no_languages"),
            FewReflectiveIndicators { construct, count } => {
                Message::new("model.few_reflective_indicators")
                    .arg("construct", construct)
                    .arg("count", count)
            }
        }
    }
}

impl fmt::Display for ModelIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}",
            self.location,
            crate::i18n::format(Lang::En, &self.problem.message())
        )
    }
}

/// Whether `code` is a valid construct, dimension or indicator code.
pub fn is_valid_code(code: &str) -> bool {
    let mut chars = code.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && code.len() <= 32
}

impl Model {
    /// Every indicator with the construct it belongs to, in questionnaire order.
    pub fn indicators(&self) -> impl Iterator<Item = (&Construct, &Indicator)> {
        self.constructs
            .iter()
            .flat_map(|c| c.indicators.iter().map(move |i| (c, i)))
    }

    pub fn construct(&self, code: &str) -> Option<&Construct> {
        self.constructs.iter().find(|c| c.code == code)
    }

    pub fn indicator(&self, code: &str) -> Option<&Indicator> {
        self.indicators().map(|(_, i)| i).find(|i| i.code == code)
    }

    /// The constructs with a path into `code`.
    pub fn predecessors<'a>(&'a self, code: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.paths
            .iter()
            .filter(move |p| p.to == code)
            .map(|p| p.from.as_str())
    }

    /// Errors only; an empty list means the model can be published.
    pub fn errors(&self) -> Vec<ModelIssue> {
        self.check()
            .into_iter()
            .filter(|i| i.severity == Severity::Error)
            .collect()
    }

    /// Checks every rule of an indicator system and lists each problem with its location.
    pub fn check(&self) -> Vec<ModelIssue> {
        let mut issues = Vec::new();
        let mut error = |location: String, problem: Problem| {
            issues.push(ModelIssue {
                location,
                severity: Severity::Error,
                problem,
            })
        };
        if self.languages.is_empty() {
            error("model.languages".into(), Problem::NoLanguages);
        }
        if !is_valid_code(&self.code) {
            error(
                "model.code".into(),
                Problem::BadCode {
                    code: self.code.clone(),
                },
            );
        }
        if self.constructs.is_empty() {
            error("constructs".into(), Problem::NoConstructs);
        }
        for lang in &self.languages {
            if self.name.get(*lang).is_none() {
                error("model.name".into(), Problem::MissingText { lang: *lang });
            }
        }
        let mut seen = BTreeSet::new();
        for construct in &self.constructs {
            let here = format!("constructs.{}", construct.code);
            if !is_valid_code(&construct.code) {
                error(
                    here.clone(),
                    Problem::BadCode {
                        code: construct.code.clone(),
                    },
                );
            }
            if !seen.insert(construct.code.clone()) {
                error(
                    here.clone(),
                    Problem::DuplicateCode {
                        code: construct.code.clone(),
                    },
                );
            }
            for lang in &self.languages {
                if construct.name.get(*lang).is_none() {
                    error(format!("{here}.name"), Problem::MissingText { lang: *lang });
                }
            }
            if construct.indicators.is_empty() {
                error(
                    here.clone(),
                    Problem::NoIndicators {
                        construct: construct.code.clone(),
                    },
                );
            }
            if construct
                .expert_weight
                .is_some_and(|w| !w.is_finite() || w < 0.0)
            {
                error(format!("{here}.weight"), Problem::NegativeWeight);
            }
            let mut dimensions = BTreeSet::new();
            for dimension in &construct.dimensions {
                let at = format!("{here}.dimensions.{}", dimension.code);
                if !is_valid_code(&dimension.code) {
                    error(
                        at.clone(),
                        Problem::BadCode {
                            code: dimension.code.clone(),
                        },
                    );
                }
                if !dimensions.insert(dimension.code.as_str()) {
                    error(
                        at.clone(),
                        Problem::DuplicateCode {
                            code: dimension.code.clone(),
                        },
                    );
                }
                for lang in &self.languages {
                    if dimension.name.get(*lang).is_none() {
                        error(format!("{at}.name"), Problem::MissingText { lang: *lang });
                    }
                }
            }
            for indicator in &construct.indicators {
                let at = format!("{here}.indicators.{}", indicator.code);
                if !is_valid_code(&indicator.code) {
                    error(
                        at.clone(),
                        Problem::BadCode {
                            code: indicator.code.clone(),
                        },
                    );
                }
                if !seen.insert(indicator.code.clone()) {
                    error(
                        at.clone(),
                        Problem::DuplicateCode {
                            code: indicator.code.clone(),
                        },
                    );
                }
                for lang in &self.languages {
                    if indicator.text.get(*lang).is_none() {
                        error(format!("{at}.text"), Problem::MissingText { lang: *lang });
                    }
                }
                if let Some(dimension) = &indicator.dimension
                    && !dimensions.contains(dimension.as_str())
                {
                    error(
                        format!("{at}.dimension"),
                        Problem::UnknownDimension {
                            dimension: dimension.clone(),
                        },
                    );
                }
                if indicator
                    .expert_weight
                    .is_some_and(|w| !w.is_finite() || w < 0.0)
                {
                    error(format!("{at}.weight"), Problem::NegativeWeight);
                }
            }
        }
        let known: BTreeSet<&str> = self.constructs.iter().map(|c| c.code.as_str()).collect();
        let mut paths = BTreeSet::new();
        for path in &self.paths {
            let here = format!("paths.{path}");
            for end in [&path.from, &path.to] {
                if !known.contains(end.as_str()) {
                    error(
                        here.clone(),
                        Problem::UnknownConstruct { code: end.clone() },
                    );
                }
            }
            if path.from == path.to {
                error(
                    here.clone(),
                    Problem::SelfLoop {
                        code: path.from.clone(),
                    },
                );
            }
            if !paths.insert(path) {
                error(
                    here.clone(),
                    Problem::DuplicatePath {
                        path: path.to_string(),
                    },
                );
            }
        }
        if let Some(cycle) = self.find_cycle() {
            error(
                format!("paths.{}", cycle.join(" -> ")),
                Problem::Cycle { constructs: cycle },
            );
        }
        if self.constructs.len() > 1 {
            for construct in &self.constructs {
                let connected = self
                    .paths
                    .iter()
                    .any(|p| p.from == construct.code || p.to == construct.code);
                if !connected {
                    error(
                        format!("constructs.{}", construct.code),
                        Problem::Unconnected {
                            construct: construct.code.clone(),
                        },
                    );
                }
            }
        }
        for construct in &self.constructs {
            let count = construct.indicators.len();
            if construct.mode == OuterMode::Reflective && (1..3).contains(&count) {
                issues.push(ModelIssue {
                    location: format!("constructs.{}", construct.code),
                    severity: Severity::Warning,
                    problem: Problem::FewReflectiveIndicators {
                        construct: construct.code.clone(),
                        count,
                    },
                });
            }
        }
        issues
    }

    /// A cycle among the paths (as construct codes, first repeated at the end), if any.
    fn find_cycle(&self) -> Option<Vec<String>> {
        let mut successors: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for path in self.paths.iter().filter(|p| p.from != p.to) {
            successors.entry(&path.from).or_default().push(&path.to);
        }
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            Unseen,
            OnStack,
            Done,
        }
        fn visit<'a>(
            node: &'a str,
            successors: &BTreeMap<&'a str, Vec<&'a str>>,
            marks: &mut BTreeMap<&'a str, Mark>,
            stack: &mut Vec<&'a str>,
        ) -> Option<Vec<String>> {
            marks.insert(node, Mark::OnStack);
            stack.push(node);
            for next in successors.get(node).into_iter().flatten() {
                match marks.get(next).copied().unwrap_or(Mark::Unseen) {
                    Mark::OnStack => {
                        let start = stack.iter().position(|n| n == next).unwrap_or(0);
                        let mut cycle: Vec<String> =
                            stack[start..].iter().map(|s| s.to_string()).collect();
                        cycle.push(next.to_string());
                        return Some(cycle);
                    }
                    Mark::Unseen => {
                        if let Some(cycle) = visit(next, successors, marks, stack) {
                            return Some(cycle);
                        }
                    }
                    Mark::Done => {}
                }
            }
            stack.pop();
            marks.insert(node, Mark::Done);
            None
        }
        let mut marks = BTreeMap::new();
        let nodes: Vec<&str> = successors.keys().copied().collect();
        for node in nodes {
            if marks.get(node).copied().unwrap_or(Mark::Unseen) == Mark::Unseen
                && let Some(cycle) = visit(node, &successors, &mut marks, &mut Vec::new())
            {
                return Some(cycle);
            }
        }
        None
    }
}
