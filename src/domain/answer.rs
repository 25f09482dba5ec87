//! A respondent's answers, parsed from a submitted form against the questionnaire's model.

use super::message::Message;
use super::model::Model;
use serde::Serialize;

/// The form value that stands for "don't know / not applicable".
pub const DONT_KNOW: &str = "dk";

/// The form field name of an indicator's radio group.
pub fn field_name(indicator_code: &str) -> String {
    format!("q_{indicator_code}")
}

/// One checked answer: a value on the item's scale, or `None` for "don't know".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    pub indicator: String,
    pub value: Option<i32>,
}

/// Why an answer was refused; every variant names the item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum AnswerError {
    Missing {
        indicator: String,
    },
    UnknownItem {
        indicator: String,
    },
    NotANumber {
        indicator: String,
        given: String,
    },
    OutOfScale {
        indicator: String,
        given: i32,
        min: i32,
        max: i32,
    },
    DontKnowNotOffered {
        indicator: String,
    },
    Repeated {
        indicator: String,
    },
}

impl AnswerError {
    pub fn indicator(&self) -> &str {
        match self {
            AnswerError::Missing { indicator }
            | AnswerError::UnknownItem { indicator }
            | AnswerError::NotANumber { indicator, .. }
            | AnswerError::OutOfScale { indicator, .. }
            | AnswerError::DontKnowNotOffered { indicator }
            | AnswerError::Repeated { indicator } => indicator,
        }
    }

    /// The problem as a catalogue message, naming the item by its code (for the API).
    pub fn message(&self) -> Message {
        self.message_naming(self.indicator())
    }

    /// The problem as a catalogue message, naming the item as `question` — on a survey
    /// page, the number the respondent sees before it.
    pub fn message_naming(&self, question: &str) -> Message {
        let message = |key| Message::new(key).arg("question", question);
        match self {
            AnswerError::Missing { .. } => message("answer.missing"),
            AnswerError::UnknownItem { .. } => message("answer.unknown_item"),
            AnswerError::NotANumber { given, .. } => {
                message("answer.not_a_number").arg("given", given)
            }
            AnswerError::OutOfScale {
                given, min, max, ..
            } => message("answer.out_of_scale")
                .arg("given", given)
                .arg("min", min)
                .arg("max", max),
            AnswerError::DontKnowNotOffered { .. } => message("answer.dont_know_not_offered"),
            AnswerError::Repeated { .. } => message("answer.repeated"),
        }
    }
}

/// Parses the item fields (`q_<CODE>`) of a submitted form for the given indicators.
///
/// `expected` lists the indicator codes this page asks (all of them for a
/// one-page form); each must be answered. Fields that are not items are ignored.
/// Either every answer is valid or nothing is returned but the errors.
pub fn parse_answers(
    model: &Model,
    expected: &[&str],
    fields: &[(String, String)],
) -> Result<Vec<Answer>, Vec<AnswerError>> {
    let mut errors = Vec::new();
    let mut answers: Vec<Answer> = Vec::new();
    for (name, raw) in fields {
        let Some(code) = name.strip_prefix("q_") else {
            continue;
        };
        let Some(indicator) = model.indicator(code).filter(|_| expected.contains(&code)) else {
            errors.push(AnswerError::UnknownItem {
                indicator: code.to_owned(),
            });
            continue;
        };
        if answers.iter().any(|a| a.indicator == code) {
            errors.push(AnswerError::Repeated {
                indicator: code.to_owned(),
            });
            continue;
        }
        let raw = raw.trim();
        let value = if raw == DONT_KNOW {
            if !indicator.dont_know {
                errors.push(AnswerError::DontKnowNotOffered {
                    indicator: code.to_owned(),
                });
                continue;
            }
            None
        } else if raw.is_empty() {
            continue;
        } else {
            let Ok(value) = raw.parse::<i32>() else {
                errors.push(AnswerError::NotANumber {
                    indicator: code.to_owned(),
                    given: raw.chars().take(40).collect(),
                });
                continue;
            };
            if !indicator.scale.contains(value) {
                errors.push(AnswerError::OutOfScale {
                    indicator: code.to_owned(),
                    given: value,
                    min: indicator.scale.min(),
                    max: indicator.scale.max(),
                });
                continue;
            }
            Some(value)
        };
        answers.push(Answer {
            indicator: code.to_owned(),
            value,
        });
    }
    for code in expected {
        let answered = answers.iter().any(|a| a.indicator == *code);
        let refused = errors.iter().any(|e| e.indicator() == *code);
        if !answered && !refused {
            errors.push(AnswerError::Missing {
                indicator: (*code).to_owned(),
            });
        }
    }
    if errors.is_empty() {
        answers.sort_by_key(|a| expected.iter().position(|c| *c == a.indicator));
        Ok(answers)
    } else {
        errors.sort_by_key(|e| {
            expected
                .iter()
                .position(|c| *c == e.indicator())
                .unwrap_or(usize::MAX)
        });
        Err(errors)
    }
}
