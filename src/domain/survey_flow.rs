//! The paged survey: which page asks what, where a returning respondent continues, and the
//! respondent's attributes (region, customer class, purchase channel, lifecycle stage).

use super::message::Message;
use super::model::Model;
use std::collections::{HashMap, HashSet};

/// At most this many items share a page; a larger construct keeps its own page whole.
pub const ITEMS_PER_PAGE: usize = 6;

/// The longest open-text comment kept, in characters.
pub const COMMENT_MAX: usize = 2000;

/// The longest free-text attribute, in characters.
const ATTRIBUTE_MAX: usize = 64;

/// One page of the survey after the welcome screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// "Which brand do you buy most?": only when the questionnaire screens and no brand is fixed.
    Brand,
    /// Likert items of one or more consecutive constructs, by indicator code.
    Items(Vec<String>),
    /// Respondent attributes and the optional comment; submitting it completes the response.
    About,
}

/// The pages of one questionnaire, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    steps: Vec<Step>,
}

impl Flow {
    /// Groups consecutive constructs onto pages of at most [`ITEMS_PER_PAGE`] items.
    pub fn new(model: &Model, screening: bool) -> Flow {
        let mut steps = Vec::new();
        if screening {
            steps.push(Step::Brand);
        }
        let mut page: Vec<String> = Vec::new();
        for construct in &model.constructs {
            let codes: Vec<String> = construct
                .indicators
                .iter()
                .map(|i| i.code.clone())
                .collect();
            if codes.is_empty() {
                continue;
            }
            if !page.is_empty() && page.len() + codes.len() > ITEMS_PER_PAGE {
                steps.push(Step::Items(std::mem::take(&mut page)));
            }
            page.extend(codes);
        }
        if !page.is_empty() {
            steps.push(Step::Items(page));
        }
        steps.push(Step::About);
        Flow { steps }
    }

    /// Number of pages (welcome and thank-you screens not counted).
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The page with 1-based number `number`.
    pub fn step(&self, number: usize) -> Option<&Step> {
        number.checked_sub(1).and_then(|i| self.steps.get(i))
    }

    /// The first page not yet fully answered (1-based): where a returning respondent continues.
    /// The last page (attributes) is only done when the response is complete.
    pub fn resume_at(&self, answered: &HashSet<String>, brand_chosen: bool) -> usize {
        self.steps
            .iter()
            .position(|step| match step {
                Step::Brand => !brand_chosen,
                Step::Items(codes) => codes.iter().any(|c| !answered.contains(c)),
                Step::About => true,
            })
            .map_or(self.steps.len(), |i| i + 1)
    }

    /// The page a URL names by `number`, if this survey has it.
    pub fn page_number(&self, number: &str) -> Option<usize> {
        number
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=self.len()).contains(n))
    }

    /// Share of the survey done when page `number` is shown, 0–100.
    pub fn percent_before(&self, number: usize) -> u32 {
        let done = number.saturating_sub(1).min(self.steps.len());
        (100 * done / self.steps.len().max(1)) as u32
    }
}

/// The codes of the indicators with a stored answer ("don't know" included), from the
/// indicator ids by code and the stored answers by indicator id.
pub fn answered_codes(
    ids: &HashMap<String, i32>,
    stored: &HashMap<i32, Option<i32>>,
) -> HashSet<String> {
    ids.iter()
        .filter(|(_, id)| stored.contains_key(id))
        .map(|(code, _)| code.clone())
        .collect()
}

/// The minutes the welcome page announces for `items` items: eight a minute, at least one.
pub fn minutes_for(items: usize) -> usize {
    items.div_ceil(8).max(1)
}

/// A bot filled the hidden `website` field of a survey form.
pub fn honeypot_filled(fields: &[(String, String)]) -> bool {
    fields
        .iter()
        .any(|(k, v)| k == "website" && !v.trim().is_empty())
}

/// One attribute question: its form field, the response column it fills, and its options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttributeQuestion {
    pub field: &'static str,
    /// Option codes as stored; labels are `attr.<field>.<code>` in the interface strings.
    pub options: &'static [&'static str],
}

/// The attributes asked on the last page, in order.
pub const ATTRIBUTES: [AttributeQuestion; 4] = [
    AttributeQuestion {
        field: "region",
        options: &[
            "north",
            "northeast",
            "east",
            "central",
            "south",
            "southwest",
            "northwest",
            "overseas",
        ],
    },
    AttributeQuestion {
        field: "customer_class",
        options: &["A", "B", "C"],
    },
    AttributeQuestion {
        field: "channel",
        options: &[
            "supermarket",
            "convenience",
            "online",
            "specialty",
            "direct",
            "other",
        ],
    },
    AttributeQuestion {
        field: "lifecycle_stage",
        options: &["potential", "new", "existing", "lost"],
    },
];

/// What a respondent told about themselves; every attribute is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attributes {
    pub region: Option<String>,
    pub customer_class: Option<String>,
    pub channel: Option<String>,
    pub lifecycle_stage: Option<String>,
    pub comment: String,
}

impl Attributes {
    /// The chosen code of an attribute by its field name.
    pub fn get(&self, field: &str) -> Option<&str> {
        match field {
            "region" => self.region.as_deref(),
            "customer_class" => self.customer_class.as_deref(),
            "channel" => self.channel.as_deref(),
            "lifecycle_stage" => self.lifecycle_stage.as_deref(),
            _ => None,
        }
    }

    fn set(&mut self, field: &str, value: Option<String>) {
        match field {
            "region" => self.region = value,
            "customer_class" => self.customer_class = value,
            "channel" => self.channel = value,
            "lifecycle_stage" => self.lifecycle_stage = value,
            _ => {}
        }
    }

    /// Parses the last page's fields; either all are valid or the problems are returned.
    pub fn parse(fields: &[(String, String)]) -> Result<Attributes, Vec<AttributeError>> {
        let mut attributes = Attributes::default();
        let mut errors = Vec::new();
        for question in ATTRIBUTES {
            let given: Vec<&str> = fields
                .iter()
                .filter(|(k, _)| k == question.field)
                .map(|(_, v)| v.trim())
                .filter(|v| !v.is_empty())
                .collect();
            match given.as_slice() {
                [] => {}
                [one] if question.options.contains(one) => {
                    attributes.set(question.field, Some((*one).to_owned()))
                }
                [one] => errors.push(AttributeError::UnknownOption {
                    field: question.field,
                    given: one.chars().take(ATTRIBUTE_MAX).collect(),
                }),
                _ => errors.push(AttributeError::Repeated {
                    field: question.field,
                }),
            }
        }
        let comment = fields
            .iter()
            .find(|(k, _)| k == "comment")
            .map(|(_, v)| v.trim())
            .unwrap_or("");
        let length = comment.chars().count();
        if length > COMMENT_MAX {
            errors.push(AttributeError::CommentTooLong {
                length,
                max: COMMENT_MAX,
            });
        } else {
            attributes.comment = comment.to_owned();
        }
        if errors.is_empty() {
            Ok(attributes)
        } else {
            Err(errors)
        }
    }
}

/// Why the last page was refused; each names its field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttributeError {
    UnknownOption { field: &'static str, given: String },
    Repeated { field: &'static str },
    CommentTooLong { length: usize, max: usize },
}

impl AttributeError {
    /// The form field the problem belongs to.
    pub fn field(&self) -> &'static str {
        match self {
            AttributeError::UnknownOption { field, .. } | AttributeError::Repeated { field } => {
                field
            }
            AttributeError::CommentTooLong { .. } => "comment",
        }
    }

    /// The problem as a catalogue message.
    pub fn message(&self) -> Message {
        match self {
            AttributeError::UnknownOption { given, .. } => {
                Message::new("survey.unknown_option").arg("given", given)
            }
            AttributeError::Repeated { .. } => Message::new("survey.repeated"),
            AttributeError::CommentTooLong { length, max } => {
                Message::new("survey.comment_too_long")
                    .arg("max", max)
                    .arg("length", length)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Lang;
    use crate::domain::parse_model;

    fn acsi() -> Model {
        parse_model(
            "acsi.toml",
            include_str!("../../survey-templates/acsi.toml"),
        )
        .expect("acsi parses")
    }

    #[test]
    fn acsi_fills_three_item_pages_of_at_most_six() {
        let flow = Flow::new(&acsi(), true);
        assert_eq!(flow.step(1), Some(&Step::Brand));
        let pages: Vec<usize> = (1..=flow.len())
            .filter_map(|n| match flow.step(n) {
                Some(Step::Items(codes)) => Some(codes.len()),
                _ => None,
            })
            .collect();
        assert_eq!(pages, vec![6, 6, 3]);
        assert_eq!(flow.step(flow.len()), Some(&Step::About));
        assert_eq!(flow.step(0), None);
    }

    #[test]
    fn resume_goes_to_the_first_unfinished_page() {
        let flow = Flow::new(&acsi(), true);
        let none = HashSet::new();
        assert_eq!(flow.resume_at(&none, false), 1);
        assert_eq!(flow.resume_at(&none, true), 2);
        let first: HashSet<String> = ["EXP1", "EXP2", "EXP3", "QUA1", "QUA2", "QUA3"]
            .map(String::from)
            .into();
        assert_eq!(flow.resume_at(&first, true), 3);
        let all: HashSet<String> = acsi().indicators().map(|(_, i)| i.code.clone()).collect();
        assert_eq!(flow.resume_at(&all, true), flow.len());
        assert_eq!(flow.percent_before(1), 0);
    }

    #[test]
    fn attributes_accept_known_codes_only() {
        let fields = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Vec<_>>()
        };
        let ok = Attributes::parse(&fields(&[
            ("region", "east"),
            ("customer_class", "B"),
            ("comment", " fresher milk "),
        ]))
        .unwrap();
        assert_eq!(ok.region.as_deref(), Some("east"));
        assert_eq!(ok.channel, None);
        assert_eq!(ok.comment, "fresher milk");
        let bad = Attributes::parse(&fields(&[
            ("customer_class", "Z"),
            ("channel", "online"),
            ("channel", "direct"),
        ]))
        .unwrap_err();
        assert_eq!(bad.len(), 2);
        assert_eq!(bad[0].field(), "customer_class");
        assert!(bad[0].message().in_lang(Lang::En).contains("“Z”"));
        let long = "好".repeat(COMMENT_MAX + 1);
        let err = Attributes::parse(&fields(&[("comment", &long)])).unwrap_err();
        assert_eq!(
            err[0].message().in_lang(Lang::ZhCn),
            format!("意见最多 2000 个字，您写了 {} 个字", COMMENT_MAX + 1)
        );
    }

    #[test]
    fn page_numbers_are_the_pages_of_the_flow() {
        let flow = Flow::new(&acsi(), false);
        assert_eq!(flow.page_number("1"), Some(1));
        assert_eq!(flow.page_number(&flow.len().to_string()), Some(flow.len()));
        for bad in ["0", "-1", "x", "", "99"] {
            assert_eq!(flow.page_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn answered_codes_count_dont_know_and_skip_unanswered() {
        let ids: HashMap<String, i32> = [("A".to_owned(), 1), ("B".to_owned(), 2)].into();
        let stored: HashMap<i32, Option<i32>> = [(1, None), (3, Some(5))].into();
        assert_eq!(
            answered_codes(&ids, &stored),
            HashSet::from(["A".to_owned()])
        );
    }

    #[test]
    fn minutes_and_honeypot() {
        assert_eq!(minutes_for(0), 1);
        assert_eq!(minutes_for(8), 1);
        assert_eq!(minutes_for(9), 2);
        let form = |v: &str| vec![("website".to_owned(), v.to_owned())];
        assert!(!honeypot_filled(&form("  ")));
        assert!(honeypot_filled(&form("http://spam")));
    }
}
