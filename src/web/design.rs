//! Pages for quality teams: questionnaires from templates, their versions, and publishing.

use super::context::{Ctx, see_other};
use super::error::WebError;
use crate::catalog;
use crate::domain::{Lang, Model, Role, Severity, Text};
use crate::store::questionnaires::{self, NewQuestionnaire, PublishError};
use crate::store::{audit, brands, responses};
use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};

#[derive(Serialize)]
struct QuestionnaireRow {
    id: i32,
    slug: String,
    title: Text,
    version: Option<i32>,
    responses: u64,
}

async fn questionnaire_rows(ctx: &Ctx) -> Result<Vec<QuestionnaireRow>, WebError> {
    let mut rows = Vec::new();
    for q in questionnaires::all(&ctx.state.db).await? {
        rows.push(QuestionnaireRow {
            version: questionnaires::current_version(&ctx.state.db, q.id).await?.map(|v| v.number),
            responses: responses::count_completed(&ctx.state.db, q.id).await?,
            id: q.id,
            slug: q.slug,
            title: q.title,
        });
    }
    Ok(rows)
}

#[derive(Serialize)]
struct TemplateChoice {
    file: &'static str,
    name: Text,
}

#[derive(Serialize, Deserialize, Default)]
pub struct NewForm {
    #[serde(default, skip_serializing)]
    csrf: String,
    #[serde(default)]
    template: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    title_zh: String,
    #[serde(default)]
    title_en: String,
    #[serde(default)]
    own_brand: String,
    #[serde(default)]
    competitors: String,
    #[serde(default)]
    screening: Option<String>,
}

async fn list_page(ctx: &Ctx, form: &NewForm, errors: Vec<String>) -> Result<HttpResponse, WebError> {
    let templates: Vec<TemplateChoice> = catalog::all()
        .into_iter()
        .map(|(file, model)| TemplateChoice { file, name: model.name })
        .collect();
    let status = if errors.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    ctx.render_status(
        status,
        "design_list.html",
        serde_json::json!({
            "questionnaires": questionnaire_rows(ctx).await?,
            "templates": templates,
            "can_design": ctx.common.user.as_ref().is_some_and(|u| u.role.allows(Role::Designer)),
            "form": form,
            "errors": errors,
        }),
    )
}

#[get("/")]
pub async fn home(ctx: Ctx) -> Result<HttpResponse, WebError> {
    if ctx.common.user.is_some() {
        return list_page(&ctx, &NewForm::default(), vec![]).await;
    }
    ctx.render("home.html", serde_json::json!({}))
}

#[get("/design")]
pub async fn list(ctx: Ctx) -> Result<HttpResponse, WebError> {
    ctx.require(Role::Designer)?;
    let form = NewForm {
        template: "acsi.toml".into(),
        ..NewForm::default()
    };
    list_page(&ctx, &form, vec![]).await
}

fn valid_slug(slug: &str) -> bool {
    (2..=48).contains(&slug.len())
        && slug.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn brand_code(name: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(name.trim().as_bytes());
    format!("b-{}", &hex::encode(digest)[..12])
}

#[post("/design/questionnaires")]
pub async fn create(ctx: Ctx, form: web::Form<NewForm>) -> Result<HttpResponse, WebError> {
    let user = ctx.require(Role::Designer)?.clone();
    ctx.check_csrf(&form.csrf)?;
    let zh = ctx.lang() == Lang::ZhCn;
    let mut errors = Vec::new();
    let model: Option<Model> = match catalog::load(&form.template) {
        Some(Ok(model)) => Some(model),
        Some(Err(problems)) => {
            errors.push(problems.to_string());
            None
        }
        None => {
            errors.push(if zh { "请选择一个模板".into() } else { "Please choose a template".into() });
            None
        }
    };
    let slug = form.slug.trim().to_owned();
    if !valid_slug(&slug) {
        errors.push(if zh {
            "链接名须为 2–48 个小写字母、数字或连字符".into()
        } else {
            "The link name must be 2–48 lower-case letters, digits or hyphens".into()
        });
    } else if questionnaires::by_slug(&ctx.state.db, &slug).await?.is_some() {
        errors.push(if zh { format!("链接名“{slug}”已被使用") } else { format!("The link name “{slug}” is already taken") });
    }
    let own = form.own_brand.trim();
    if own.is_empty() || own.chars().count() > 100 {
        errors.push(if zh { "请填写本品牌名称（最多 100 字）".into() } else { "Please give our brand's name (at most 100 characters)".into() });
    }
    let competitors: Vec<&str> = form.competitors.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    if competitors.iter().any(|c| c.chars().count() > 100) || competitors.len() > 20 {
        errors.push(if zh { "竞争品牌最多 20 个，每个最多 100 字".into() } else { "At most 20 competitors of at most 100 characters each".into() });
    }
    let (Some(model), true) = (model, errors.is_empty()) else {
        return list_page(&ctx, &form, errors).await;
    };
    let mut brand_ids = vec![brands::ensure(&ctx.state.db, &brand_code(own), &Text::new(own, own), true).await?.id];
    for name in &competitors {
        brand_ids.push(brands::ensure(&ctx.state.db, &brand_code(name), &Text::new(name, name), false).await?.id);
    }
    let mut title = Text::default();
    title.set(Lang::ZhCn, Some(form.title_zh.trim().to_owned()));
    title.set(Lang::En, Some(form.title_en.trim().to_owned()));
    if title.get(Lang::ZhCn).is_none() && title.get(Lang::En).is_none() {
        title = model.name.clone();
    }
    let created = questionnaires::create(
        &ctx.state.db,
        NewQuestionnaire {
            slug: &slug,
            title,
            model: &model,
            brand_ids: &brand_ids,
            brand_screening: form.screening.is_some(),
        },
    )
    .await?;
    audit::record(&ctx.state.db, &actor(&user), "create questionnaire", &format!("questionnaire {}", created.id), &format!("from {}; link {slug}", form.template)).await?;
    Ok(see_other(&format!("/design/questionnaires/{}", created.id)))
}

pub(crate) fn actor(user: &crate::store::users::User) -> audit::Actor {
    audit::Actor {
        user_id: Some(user.id),
        name: user.email.clone(),
    }
}

#[derive(Serialize)]
struct IssueView {
    location: String,
    message: String,
}

#[get("/design/questionnaires/{id}")]
pub async fn show(ctx: Ctx, path: web::Path<i32>) -> Result<HttpResponse, WebError> {
    ctx.require(Role::Designer)?;
    show_page(&ctx, path.into_inner(), vec![], false).await
}

async fn show_page(ctx: &Ctx, id: i32, extra_errors: Vec<IssueView>, refused: bool) -> Result<HttpResponse, WebError> {
    let db = &ctx.state.db;
    let questionnaire = questionnaires::by_id(db, id).await?.ok_or_else(|| ctx.not_found())?;
    let versions = questionnaires::versions(db, id).await?;
    let newest = versions.first().ok_or_else(|| ctx.not_found())?;
    let model = ctx.state.model(newest.model_id).await?;
    let issues = model.check();
    let message = |i: &crate::domain::ModelIssue| IssueView {
        location: i.location.clone(),
        message: i.problem.message(ctx.lang()),
    };
    let mut errors: Vec<IssueView> = issues.iter().filter(|i| i.severity == Severity::Error).map(message).collect();
    errors.extend(extra_errors);
    let warnings: Vec<IssueView> = issues.iter().filter(|i| i.severity == Severity::Warning).map(message).collect();
    let has_link = versions.iter().any(|v| v.published);
    let constructs: Vec<serde_json::Value> = model
        .constructs
        .iter()
        .map(|c| {
            serde_json::json!({
                "code": c.code,
                "name": c.name,
                "indicators": c.indicators.iter().map(|i| serde_json::json!({
                    "code": i.code,
                    "text": i.text,
                    "dont_know": i.dont_know,
                    "scale_label": format!("{} {}–{}", i.scale.describe(), i.scale.min(), i.scale.max()),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let status = if refused {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        actix_web::http::StatusCode::OK
    };
    ctx.render_status(
        status,
        "design_questionnaire.html",
        serde_json::json!({
            "questionnaire": questionnaire,
            "versions": versions.iter().map(|v| serde_json::json!({
                "number": v.number,
                "published": v.published,
                "published_at": v.published_at.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()),
            })).collect::<Vec<_>>(),
            "model": { "constructs": constructs, "paths": model.paths },
            "errors": errors,
            "warnings": warnings,
            "can_publish": !newest.published && errors.is_empty(),
            "public_url": has_link.then(|| format!("{}/s/{}", ctx.state.public_url, questionnaire.slug)),
            "brands": brands::of_questionnaire(db, id).await?,
            "responses": responses::count_completed(db, id).await?,
        }),
    )
}

#[post("/design/questionnaires/{id}/publish")]
pub async fn publish(ctx: Ctx, path: web::Path<i32>, form: web::Form<super::auth::CsrfForm>) -> Result<HttpResponse, WebError> {
    let user = ctx.require(Role::Designer)?.clone();
    ctx.check_csrf(&form.csrf)?;
    let id = path.into_inner();
    questionnaires::by_id(&ctx.state.db, id).await?.ok_or_else(|| ctx.not_found())?;
    match questionnaires::publish(&ctx.state.db, id).await {
        Ok(version) => {
            audit::record(&ctx.state.db, &actor(&user), "publish", &format!("questionnaire {id}"), &format!("version {}", version.number)).await?;
            Ok(see_other(&format!("/design/questionnaires/{id}")))
        }
        Err(PublishError::NoDraft) => {
            let message = if ctx.lang() == Lang::ZhCn { "没有可发布的草稿版本" } else { "There is no draft version to publish" };
            show_page(&ctx, id, vec![IssueView { location: "versions".into(), message: message.into() }], true).await
        }
        Err(PublishError::Invalid(_)) => show_page(&ctx, id, vec![], true).await,
        Err(PublishError::Db(e)) => Err(e.into()),
    }
}
