//! Respondent pages: the public link `/s/{slug}` shows the questionnaire and stores a submission.

use super::context::{Ctx, see_other};
use super::error::WebError;
use crate::domain::answer::{AnswerError, DONT_KNOW, field_name, parse_answers};
use crate::domain::{Lang, Model, ScaleKind};
use crate::store::brands::{self, Brand};
use crate::store::questionnaires::{self, PublicLink, Version};
use crate::store::responses::{self, CompletedResponse, Segments, Source};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Serialize)]
struct OptionView {
    value: String,
    label: String,
    checked: bool,
}

#[derive(Serialize)]
struct ItemView {
    field: String,
    anchor: String,
    text: String,
    options: Vec<OptionView>,
    error: Option<String>,
}

#[derive(Serialize)]
struct ErrorLink {
    anchor: String,
    message: String,
}

#[derive(Serialize)]
struct BrandChoice {
    code: String,
    name: String,
}

#[derive(Serialize)]
struct SurveyView {
    title: String,
    action: String,
    brands: Vec<BrandChoice>,
    chosen_brand: String,
    brand_error: Option<String>,
    items: Vec<ItemView>,
    errors: Vec<ErrorLink>,
    comment: String,
}

/// The options of one item, labelled in the respondent's language.
fn options(model_item: &crate::domain::Indicator, lang: Lang, given: Option<&str>) -> Vec<OptionView> {
    let scale = &model_item.scale;
    let mut options: Vec<OptionView> = scale
        .values()
        .map(|value| {
            let label = match scale.kind() {
                ScaleKind::YesNo => {
                    let key = if value == 1 { scale.high() } else { scale.low() };
                    key.best(lang).to_owned()
                }
                _ => match scale.label_of(value) {
                    Some(label) => format!("{value} · {}", label.best(lang)),
                    None if value == scale.min() && !scale.low().best(lang).is_empty() => format!("{value} · {}", scale.low().best(lang)),
                    None if value == scale.max() && !scale.high().best(lang).is_empty() => format!("{value} · {}", scale.high().best(lang)),
                    None => value.to_string(),
                },
            };
            OptionView {
                checked: given == Some(value.to_string().as_str()),
                value: value.to_string(),
                label,
            }
        })
        .collect();
    if model_item.dont_know {
        options.push(OptionView {
            value: DONT_KNOW.into(),
            label: super::i18n::t(lang, "survey.dont_know").to_owned(),
            checked: given == Some(DONT_KNOW),
        });
    }
    options
}

/// Everything needed to show or accept the questionnaire behind a public link.
struct Open {
    link: PublicLink,
    version: Version,
    model: std::sync::Arc<Model>,
    brands: Vec<Brand>,
}

enum Availability {
    Open(Box<Open>),
    Closed,
}

async fn open_link(ctx: &Ctx, slug: &str) -> Result<Availability, WebError> {
    let db = &ctx.state.db;
    let link = questionnaires::public_link(db, slug).await?.ok_or_else(|| ctx.not_found())?;
    let now = chrono::Utc::now();
    let distribution = &link.distribution;
    let outside_window = distribution.opens_at.is_some_and(|t| now < t) || distribution.closes_at.is_some_and(|t| now >= t) || distribution.status != "open";
    let version = match questionnaires::current_version(db, link.questionnaire.id).await? {
        Some(version) if !outside_window => version,
        _ => return Ok(Availability::Closed),
    };
    if let Some(quota) = distribution.quota
        && responses::count_completed(db, link.questionnaire.id).await? >= quota.max(0) as u64
    {
        return Ok(Availability::Closed);
    }
    let model = ctx.state.model(version.model_id).await?;
    let brands = brands::of_questionnaire(db, link.questionnaire.id).await?;
    Ok(Availability::Open(Box::new(Open { link, version, model, brands })))
}

fn survey_lang(ctx: &Ctx, model: &Model) -> Lang {
    if model.languages.contains(&ctx.lang()) {
        ctx.lang()
    } else {
        model.languages.first().copied().unwrap_or(Lang::ZhCn)
    }
}

fn survey_view(open: &Open, lang: Lang, slug: &str, given: &HashMap<String, String>, errors: &[AnswerError], brand_error: Option<String>) -> SurveyView {
    let model = &open.model;
    let items = model
        .indicators()
        .map(|(_, indicator)| {
            let field = field_name(&indicator.code);
            ItemView {
                anchor: format!("item-{}", indicator.code),
                text: indicator.text.best(lang).to_owned(),
                options: options(indicator, lang, given.get(&field).map(String::as_str)),
                error: errors.iter().find(|e| e.indicator() == indicator.code).map(|e| e.message(lang)),
                field,
            }
        })
        .collect();
    let mut links: Vec<ErrorLink> = Vec::new();
    if let Some(message) = &brand_error {
        links.push(ErrorLink { anchor: "brand".into(), message: message.clone() });
    }
    links.extend(errors.iter().map(|e| ErrorLink {
        anchor: format!("item-{}", e.indicator()),
        message: e.message(lang),
    }));
    let screening = open.link.questionnaire.brand_screening && open.link.distribution.brand_id.is_none();
    SurveyView {
        title: open.link.questionnaire.title.best(lang).to_owned(),
        action: format!("/s/{slug}?lang={}", lang.tag()),
        brands: if screening {
            open.brands.iter().map(|b| BrandChoice { code: b.code.clone(), name: b.name.best(lang).to_owned() }).collect()
        } else {
            vec![]
        },
        chosen_brand: given.get("brand").cloned().unwrap_or_default(),
        brand_error,
        items,
        errors: links,
        comment: given.get("comment").cloned().unwrap_or_default(),
    }
}

fn closed(ctx: &Ctx) -> Result<HttpResponse, WebError> {
    ctx.render_status(StatusCode::GONE, "survey_message.html", serde_json::json!({ "heading": "survey.closed" }))
}

#[get("/s/{slug}")]
pub async fn show(ctx: Ctx, slug: web::Path<String>) -> Result<HttpResponse, WebError> {
    let Availability::Open(open) = open_link(&ctx, &slug).await? else {
        return closed(&ctx);
    };
    let lang = survey_lang(&ctx, &open.model);
    ctx.render("survey.html", survey_view(&open, lang, &slug, &HashMap::new(), &[], None))
}

#[post("/s/{slug}")]
pub async fn submit(ctx: Ctx, slug: web::Path<String>, form: web::Form<Vec<(String, String)>>) -> Result<HttpResponse, WebError> {
    let fields = form.into_inner();
    let first = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    ctx.check_csrf(first("csrf").unwrap_or(""))?;
    let Availability::Open(open) = open_link(&ctx, &slug).await? else {
        return closed(&ctx);
    };
    let lang = survey_lang(&ctx, &open.model);
    // A bot filled the hidden field: thank it and store nothing.
    if first("website").is_some_and(|v| !v.is_empty()) {
        return Ok(see_other(&format!("/s/{slug}/thanks?lang={}", lang.tag())));
    }
    let screening = open.link.questionnaire.brand_screening && open.link.distribution.brand_id.is_none();
    let mut brand_error = None;
    let brand_id = if let Some(fixed) = open.link.distribution.brand_id {
        Some(fixed)
    } else if screening {
        match first("brand").and_then(|code| open.brands.iter().find(|b| b.code == code)) {
            Some(brand) => Some(brand.id),
            None => {
                brand_error = Some(super::i18n::t(lang, "survey.choose_brand").to_owned());
                None
            }
        }
    } else {
        open.brands.iter().find(|b| b.is_own).map(|b| b.id)
    };
    let expected: Vec<&str> = open.model.indicators().map(|(_, i)| i.code.as_str()).collect();
    let item_fields: Vec<(String, String)> = fields.iter().filter(|(k, _)| k.starts_with("q_")).cloned().collect();
    let parsed = parse_answers(&open.model, &expected, &item_fields);
    let comment: String = first("comment").unwrap_or("").trim().chars().take(2000).collect();
    match (parsed, brand_error) {
        (Ok(answers), None) => {
            let ids = crate::store::models::indicator_ids(&ctx.state.db, open.version.model_id).await?;
            let answers = answers
                .into_iter()
                .map(|a| ids.get(&a.indicator).map(|id| (*id, a.value)).ok_or_else(|| WebError::Internal(anyhow::anyhow!("indicator {} not stored", a.indicator))))
                .collect::<Result<Vec<_>, _>>()?;
            responses::store_completed(
                &ctx.state.db,
                &[CompletedResponse {
                    questionnaire_id: open.link.questionnaire.id,
                    version_id: open.version.id,
                    distribution_id: Some(open.link.distribution.id),
                    brand_id,
                    language: lang.tag().into(),
                    source: Source::Web,
                    comment,
                    segments: Segments::default(),
                    completed_at: crate::store::now(),
                    answers,
                }],
            )
            .await?;
            Ok(see_other(&format!("/s/{slug}/thanks?lang={}", lang.tag())))
        }
        (parsed, brand_error) => {
            let errors = parsed.err().unwrap_or_default();
            let given: HashMap<String, String> = fields.into_iter().collect();
            ctx.render_status(StatusCode::UNPROCESSABLE_ENTITY, "survey.html", survey_view(&open, lang, &slug, &given, &errors, brand_error))
        }
    }
}

#[get("/s/{slug}/thanks")]
pub async fn thanks(ctx: Ctx) -> Result<HttpResponse, WebError> {
    ctx.render("survey_message.html", serde_json::json!({ "heading": "survey.thanks", "text": "survey.thanks_text" }))
}
