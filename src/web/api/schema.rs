//! The JSON shapes of the API, each with its OpenAPI schema.

use crate::domain::{Lang, Model, Text};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// A text in both languages.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LocalText {
    #[serde(rename = "zh-CN")]
    #[schema(rename = "zh-CN")]
    pub zh_cn: Option<String>,
    pub en: Option<String>,
}

impl From<&Text> for LocalText {
    fn from(text: &Text) -> LocalText {
        LocalText {
            zh_cn: text.get(Lang::ZhCn).map(str::to_owned),
            en: text.get(Lang::En).map(str::to_owned),
        }
    }
}

/// A questionnaire in a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuestionnaireSummary {
    pub id: i32,
    pub slug: String,
    pub title: LocalText,
    /// The published version new responses answer, if any.
    pub current_version: Option<i32>,
    pub completed_responses: u64,
}

/// One questionnaire item.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndicatorView {
    pub code: String,
    pub text: LocalText,
    pub scale_min: i32,
    pub scale_max: i32,
    pub dont_know: bool,
    pub reverse: bool,
}

/// A construct with its indicators.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConstructView {
    pub code: String,
    pub name: LocalText,
    pub indicators: Vec<IndicatorView>,
}

/// A structural path between two constructs.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PathView {
    pub from: String,
    pub to: String,
}

/// The indicator system a version asks.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ModelView {
    pub code: String,
    pub name: LocalText,
    pub constructs: Vec<ConstructView>,
    pub paths: Vec<PathView>,
}

impl From<&Model> for ModelView {
    fn from(model: &Model) -> ModelView {
        ModelView {
            code: model.code.clone(),
            name: (&model.name).into(),
            constructs: model
                .constructs
                .iter()
                .map(|c| ConstructView {
                    code: c.code.clone(),
                    name: (&c.name).into(),
                    indicators: c
                        .indicators
                        .iter()
                        .map(|i| IndicatorView {
                            code: i.code.clone(),
                            text: (&i.text).into(),
                            scale_min: i.scale.min(),
                            scale_max: i.scale.max(),
                            dont_know: i.dont_know,
                            reverse: i.reverse,
                        })
                        .collect(),
                })
                .collect(),
            paths: model
                .paths
                .iter()
                .map(|p| PathView {
                    from: p.from.clone(),
                    to: p.to.clone(),
                })
                .collect(),
        }
    }
}

/// A brand a questionnaire evaluates.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BrandView {
    pub id: i32,
    pub code: String,
    pub name: LocalText,
    pub own: bool,
}

/// A questionnaire with the model of its current (or newest) version.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuestionnaireDetail {
    pub id: i32,
    pub slug: String,
    pub title: LocalText,
    pub version: i32,
    pub published: bool,
    /// Whether respondents choose the brand (then a submitted response must name one).
    pub brand_screening: bool,
    pub brands: Vec<BrandView>,
    pub model: ModelView,
}

/// A response with its answers by indicator code (`null` = don't know).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ResponseView {
    pub id: i32,
    pub questionnaire_id: i32,
    pub version_id: i32,
    pub brand_id: Option<i32>,
    pub status: String,
    pub source: String,
    pub language: String,
    pub comment: String,
    pub completed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub answers: BTreeMap<String, Option<i32>>,
}

impl From<crate::store::response_details::ResponseDetail> for ResponseView {
    fn from(r: crate::store::response_details::ResponseDetail) -> ResponseView {
        ResponseView {
            id: r.id,
            questionnaire_id: r.questionnaire_id,
            version_id: r.version_id,
            brand_id: r.brand_id,
            status: r.status,
            source: r.source,
            language: r.language,
            comment: r.comment,
            completed_at: r.completed_at,
            answers: r.answers,
        }
    }
}

/// A page of responses; ask again with `after` = `next_after` for more.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ResponsePage {
    pub responses: Vec<ResponseView>,
    pub next_after: Option<i32>,
}

/// One answer: a value on the item's scale, `"dk"` or `null` for don't know.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum AnswerValue {
    Value(i64),
    Text(String),
}

/// A complete response to submit.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewResponse {
    /// Every indicator of the current version by code: a number on its scale, or `"dk"`/`null` for don't know.
    #[schema(value_type = Object)]
    pub answers: BTreeMap<String, Option<AnswerValue>>,
    /// The brand code evaluated; required when the questionnaire screens brands, else our own brand.
    #[serde(default)]
    pub brand: Option<String>,
    /// `zh-CN` or `en`; the questionnaire's first language when absent.
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub comment: Option<String>,
}

/// The id of what was created.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Created {
    pub id: i32,
}

/// A contact.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContactView {
    pub id: i32,
    pub email: String,
    pub name: String,
    pub language: String,
    pub region: Option<String>,
    pub customer_class: Option<String>,
    pub lifecycle_stage: Option<String>,
    pub attributes: BTreeMap<String, String>,
    pub unsubscribed: bool,
}

impl From<crate::store::entities::contacts::Model> for ContactView {
    fn from(c: crate::store::entities::contacts::Model) -> ContactView {
        ContactView {
            attributes: serde_json::from_str(&c.attributes).unwrap_or_default(),
            unsubscribed: c.unsubscribed_at.is_some(),
            id: c.id,
            email: c.email,
            name: c.name,
            language: c.language,
            region: c.region,
            customer_class: c.customer_class,
            lifecycle_stage: c.lifecycle_stage,
        }
    }
}

/// A page of contacts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContactPage {
    pub contacts: Vec<ContactView>,
    pub next_after: Option<i32>,
}

/// A contact to create.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewContact {
    pub email: String,
    #[serde(default)]
    pub name: String,
    /// `zh-CN` (default) or `en`.
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    /// A, B or C.
    #[serde(default)]
    pub customer_class: Option<String>,
    /// potential, new, existing or lost.
    #[serde(default)]
    pub lifecycle_stage: Option<String>,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
}

/// An email campaign (a distribution other than a public link).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CampaignView {
    pub id: i32,
    pub questionnaire_id: i32,
    pub name: String,
    pub kind: String,
    pub status: String,
    pub brand_id: Option<i32>,
    pub send_at: Option<chrono::DateTime<chrono::Utc>>,
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// Mean-based 0–100 construct scores of one quarter and brand.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScoreRowView {
    /// e.g. `2026Q3`.
    pub quarter: String,
    pub brand_id: Option<i32>,
    pub n: usize,
    /// By construct code; `null` when nobody answered.
    pub scores: BTreeMap<String, Option<f64>>,
    /// Whether `n` reaches the instance's minimum sample for a report cell.
    pub enough: bool,
}

/// The mean-based results of a questionnaire.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Results {
    pub questionnaire_id: i32,
    pub method: String,
    pub min_sample: usize,
    pub rows: Vec<ScoreRowView>,
}

/// Paging parameters.
#[derive(Debug, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// Return items with ids above this one.
    #[serde(default)]
    pub after: Option<i32>,
    /// At most this many (1–500, default 100).
    #[serde(default)]
    pub limit: Option<u64>,
}

impl Paging {
    pub fn after(&self) -> i32 {
        self.after.unwrap_or(0)
    }

    pub fn limit(&self) -> u64 {
        self.limit.unwrap_or(100).clamp(1, 500)
    }
}
