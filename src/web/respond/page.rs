//! The question page view, with the problems of a refused submission.
//!
//! A page shows the brand question, a group of items, or the about-you questions and comment.

use crate::domain::answer::{AnswerError, DONT_KNOW, field_name};
use crate::domain::survey_flow::{ATTRIBUTES, AttributeError, AttributeQuestion, Step};
use crate::domain::{Indicator, Lang, Scale, ScaleKind};
use crate::i18n::t;
use crate::web::context::Ctx;
use crate::web::respond::session::Session;
use crate::web::respond::view::{Frame, frame};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Serialize)]
struct OptionView {
    value: String,
    label: String,
    checked: bool,
    dont_know: bool,
}

#[derive(Serialize)]
struct ItemView {
    number: usize,
    field: String,
    anchor: String,
    text: String,
    options: Vec<OptionView>,
    error: Option<String>,
}

#[derive(Serialize)]
struct QuestionView {
    field: String,
    anchor: String,
    legend: String,
    options: Vec<OptionView>,
    error: Option<String>,
}

#[derive(Serialize)]
struct ErrorLink {
    anchor: String,
    message: String,
}

#[derive(Serialize)]
pub(super) struct PageView {
    frame: Frame,
    action: String,
    number: usize,
    total: usize,
    percent: u32,
    progress: String,
    back_href: Option<String>,
    last: bool,
    errors: Vec<ErrorLink>,
    brand: Option<QuestionView>,
    items: Vec<ItemView>,
    attributes: Vec<QuestionView>,
    comment: Option<CommentView>,
    resume_link: Option<String>,
}

#[derive(Serialize)]
struct CommentView {
    value: String,
    error: Option<String>,
}

/// Problems found on a submitted page, by field.
#[derive(Default)]
pub(super) struct Problems {
    pub brand: Option<String>,
    pub items: Vec<AnswerError>,
    pub attributes: Vec<AttributeError>,
}

impl Problems {
    pub fn is_empty(&self) -> bool {
        self.brand.is_none() && self.items.is_empty() && self.attributes.is_empty()
    }
}

/// The label of `value` on a scale, in full in the respondent's language (the survey pages
/// and the designer's preview).
pub(crate) fn option_label(scale: &Scale, lang: Lang, value: i32) -> String {
    match scale.kind() {
        ScaleKind::YesNo => {
            let (text, fallback) = if value == 1 {
                (scale.high().best(lang), "survey.yes")
            } else {
                (scale.low().best(lang), "survey.no")
            };
            if text.is_empty() {
                t(lang, fallback).to_owned()
            } else {
                text.to_owned()
            }
        }
        _ => match scale.label_of(value) {
            Some(label) => format!("{value} · {}", label.best(lang)),
            None if value == scale.min() && !scale.low().best(lang).is_empty() => {
                format!("{value} · {}", scale.low().best(lang))
            }
            None if value == scale.max() && !scale.high().best(lang).is_empty() => {
                format!("{value} · {}", scale.high().best(lang))
            }
            None => value.to_string(),
        },
    }
}

/// The options of one item, each labelled in full in the respondent's language.
fn item_options(indicator: &Indicator, lang: Lang, given: Option<&str>) -> Vec<OptionView> {
    let mut options: Vec<OptionView> = indicator
        .scale
        .values()
        .map(|value| OptionView {
            checked: given == Some(value.to_string().as_str()),
            value: value.to_string(),
            label: option_label(&indicator.scale, lang, value),
            dont_know: false,
        })
        .collect();
    if indicator.dont_know {
        options.push(OptionView {
            value: DONT_KNOW.into(),
            label: t(lang, "survey.dont_know").to_owned(),
            checked: given == Some(DONT_KNOW),
            dont_know: true,
        });
    }
    options
}

/// An answer's problem naming the item by the number the respondent sees; a field for an item
/// not on this page (a forged form) is named by what was sent.
fn problem_message(problem: &AnswerError, lang: Lang, numbers: &HashMap<&str, usize>) -> String {
    let message = match numbers.get(problem.indicator()) {
        Some(number) if !matches!(problem, AnswerError::UnknownItem { .. }) => {
            problem.message_naming(&number.to_string())
        }
        _ => problem.message(),
    };
    crate::i18n::format(lang, &message)
}

/// Builds a page's questions, collecting their error links in order.
struct Builder<'a> {
    session: &'a Session,
    lang: Lang,
    given: &'a HashMap<String, String>,
    problems: &'a Problems,
    errors: Vec<ErrorLink>,
}

impl Builder<'_> {
    fn link(&mut self, anchor: &str, error: &Option<String>) {
        if let Some(message) = error {
            self.errors.push(ErrorLink {
                anchor: anchor.into(),
                message: message.clone(),
            });
        }
    }

    fn brand(&mut self) -> QuestionView {
        let lang = self.lang;
        let chosen = self.given.get("brand").map(String::as_str);
        self.link("q-brand", &self.problems.brand);
        QuestionView {
            field: "brand".into(),
            anchor: "q-brand".into(),
            legend: t(lang, "survey.brand_question").to_owned(),
            options: (self.session.survey.published.brands.iter())
                .map(|b| OptionView {
                    value: b.code.clone(),
                    label: b.name.best(lang).to_owned(),
                    checked: chosen == Some(b.code.as_str()),
                    dont_know: false,
                })
                .collect(),
            error: self.problems.brand.clone(),
        }
    }

    /// The items of `codes`; errors for items not on this page (a forged field) are listed at the top only.
    fn items(&mut self, codes: &[String]) -> Vec<ItemView> {
        let (lang, model) = (self.lang, &self.session.model);
        let numbers: HashMap<&str, usize> = model
            .indicators()
            .enumerate()
            .map(|(i, (_, ind))| (ind.code.as_str(), i + 1))
            .collect();
        let items: Vec<ItemView> = (codes.iter())
            .filter_map(|code| model.indicator(code))
            .map(|indicator| {
                let field = field_name(&indicator.code);
                let error = (self.problems.items.iter())
                    .find(|e| e.indicator() == indicator.code)
                    .map(|e| problem_message(e, lang, &numbers));
                ItemView {
                    number: numbers.get(indicator.code.as_str()).copied().unwrap_or(0),
                    options: item_options(
                        indicator,
                        lang,
                        self.given.get(&field).map(String::as_str),
                    ),
                    text: indicator.text.best(lang).to_owned(),
                    anchor: format!("item-{}", indicator.code),
                    error,
                    field,
                }
            })
            .collect();
        self.errors
            .extend(self.problems.items.iter().map(|e| ErrorLink {
                anchor: if items.iter().any(|i| i.field == field_name(e.indicator())) {
                    format!("item-{}", e.indicator())
                } else {
                    "main".into()
                },
                message: problem_message(e, lang, &numbers),
            }));
        items
    }

    fn attribute(&mut self, question: &AttributeQuestion) -> QuestionView {
        let lang = self.lang;
        let chosen = (self.given.get(question.field).map(String::as_str)).unwrap_or("");
        let error = (self.problems.attributes.iter())
            .find(|e| e.field() == question.field)
            .map(|e| crate::i18n::format(lang, &e.message()));
        let anchor = format!("q-{}", question.field);
        self.link(&anchor, &error);
        let mut options: Vec<OptionView> = (question.options.iter())
            .map(|code| OptionView {
                value: (*code).to_owned(),
                label: t(lang, &format!("attr.{}.{code}", question.field)).to_owned(),
                checked: chosen == *code,
                dont_know: false,
            })
            .collect();
        options.push(OptionView {
            value: String::new(),
            label: t(lang, "survey.no_answer").to_owned(),
            checked: chosen.is_empty(),
            dont_know: true,
        });
        QuestionView {
            field: question.field.into(),
            anchor,
            legend: t(lang, &format!("attr.{}", question.field)).to_owned(),
            options,
            error,
        }
    }

    fn comment(&mut self) -> CommentView {
        let error = (self.problems.attributes.iter())
            .find(|e| e.field() == "comment")
            .map(|e| crate::i18n::format(self.lang, &e.message()));
        self.link("comment", &error);
        CommentView {
            value: self.given.get("comment").cloned().unwrap_or_default(),
            error,
        }
    }
}

/// Page `number` of the session with the answers `given` (stored, or just sent and refused).
pub(super) fn page_view(
    ctx: &Ctx,
    session: &Session,
    number: usize,
    given: &HashMap<String, String>,
    problems: &Problems,
    resume_token: Option<&str>,
) -> PageView {
    let lang = session.lang;
    let base = session.survey.entry.base();
    let step = session.flow.step(number).cloned().unwrap_or(Step::About);
    let mut builder = Builder {
        session,
        lang,
        given,
        problems,
        errors: Vec::new(),
    };
    let brand = matches!(step, Step::Brand).then(|| builder.brand());
    // Item problems are listed on any page: a forged item field can come with any of them.
    let items = builder.items(match &step {
        Step::Items(codes) => codes,
        _ => &[],
    });
    let about = matches!(step, Step::About);
    let attributes: Vec<QuestionView> = if about {
        ATTRIBUTES.iter().map(|q| builder.attribute(q)).collect()
    } else {
        vec![]
    };
    let comment = about.then(|| builder.comment());
    let total = session.flow.len();
    PageView {
        frame: frame(
            ctx,
            lang,
            session.survey.title(lang),
            "page",
            Some(&session.model),
        ),
        action: format!("{base}/{number}"),
        number,
        total,
        percent: session.flow.percent_before(number),
        progress: t(lang, "survey.progress")
            .replace("{n}", &number.to_string())
            .replace("{total}", &total.to_string()),
        back_href: (number > 1).then(|| format!("{base}/{}", number - 1)),
        last: about,
        errors: builder.errors,
        brand,
        items,
        attributes,
        comment,
        resume_link: resume_token.map(|token| format!("{}{base}/r/{token}", ctx.state.public_url)),
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::survey_flow::ATTRIBUTES;
    use crate::i18n::has;

    #[test]
    fn every_attribute_is_translated() {
        for question in ATTRIBUTES {
            assert!(
                has(&format!("attr.{}", question.field)),
                "{}",
                question.field
            );
            for code in question.options {
                assert!(
                    has(&format!("attr.{}.{code}", question.field)),
                    "{}.{code}",
                    question.field
                );
            }
        }
    }
}
