//! Versions of a questionnaire: the diff between two, export and import in the survey-templates format, and the phone preview.

use crate::domain::answer::DONT_KNOW;
use crate::domain::attribute::RespondentAttribute;
use crate::domain::model_edit::Edit;
use crate::domain::survey_flow::{ATTRIBUTES, Flow, Step};
use crate::domain::version_diff::diff;
use crate::domain::{Indicator, Lang, Model, parse_model, to_model_file};
use crate::i18n;
use crate::store::questionnaires::{self, PublishError};
use crate::store::{audit, brands, drafts, questionnaire_settings};
use crate::web::access::{CsrfForm, CsrfLargeForm, InScope};
use crate::web::context::{Ctx, see_other};
use crate::web::design::forms::FieldErrors;
use crate::web::design::questionnaires::{
    Loaded, actor, apply_edit, file_problems, load, refusal_errors, show_page,
};
use crate::web::error::WebError;
use crate::web::respond::option_label;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
pub struct DiffQuery {
    from: Option<i32>,
    to: Option<i32>,
}

pub(crate) async fn show_diff(
    ctx: Ctx,
    loaded: Loaded,
    query: web::Query<DiffQuery>,
) -> Result<HttpResponse, WebError> {
    let id = loaded.questionnaire.id;
    let lang = ctx.lang();
    let to = query.to.unwrap_or(loaded.newest().number);
    let from = query.from.unwrap_or(to - 1);
    let db = &ctx.state.db;
    let (Some(old), Some(new)) = (
        drafts::version(db, id, from).await?,
        drafts::version(db, id, to).await?,
    ) else {
        return Err(ctx.not_found());
    };
    let (old_model, new_model) = (
        ctx.state.model(old.model_id).await?,
        ctx.state.model(new.model_id).await?,
    );
    let changes = diff(&old_model, &new_model);
    let rows: Vec<serde_json::Value> = changes
        .iter()
        .map(|c| {
            serde_json::json!({
                "kind": c.kind,
                "item": c.item,
                "code": c.code,
                "details": c.details.iter().map(|d| serde_json::json!({ "message": crate::i18n::format(lang, &d.message()), "breaking": d.breaks_comparability() })).collect::<Vec<_>>(),
                "breaking": c.breaks_comparability(),
            })
        })
        .collect();
    ctx.render(
        "design_diff.html",
        serde_json::json!({
            "questionnaire": loaded.questionnaire,
            "versions": loaded.versions.iter().map(|v| v.number).collect::<Vec<_>>(),
            "from": from,
            "to": to,
            "changes": rows,
            "breaking": changes.iter().filter(|c| c.breaks_comparability()).count(),
        }),
    )
}

#[derive(Deserialize)]
pub struct ExportQuery {
    version: Option<i32>,
}

pub(crate) async fn export(
    ctx: Ctx,
    loaded: Loaded,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, WebError> {
    let id = loaded.questionnaire.id;
    let number = query.version.unwrap_or(loaded.newest().number);
    let version = drafts::version(&ctx.state.db, id, number)
        .await?
        .ok_or_else(|| ctx.not_found())?;
    let model = ctx.state.model(version.model_id).await?;
    let file = format!("{}-v{number}.toml", loaded.questionnaire.slug);
    Ok(HttpResponse::Ok()
        .content_type("application/toml; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{file}\""),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(to_model_file(&model)))
}

async fn import_page(
    ctx: &Ctx,
    id: i32,
    status: StatusCode,
    source: &str,
    problems: Vec<String>,
) -> Result<HttpResponse, WebError> {
    let loaded = load(ctx, id).await?;
    ctx.render_status(
        status,
        "design_import.html",
        serde_json::json!({
            "questionnaire": loaded.questionnaire,
            "opens_version": loaded.next_change_opens_version(),
            "next_number": loaded.newest().number + 1,
            "newest": loaded.newest().number,
            "source": source,
            "problems": problems,
        }),
    )
}

pub(crate) async fn import_form(ctx: Ctx, InScope(id): InScope) -> Result<HttpResponse, WebError> {
    import_page(&ctx, id, StatusCode::OK, "", vec![]).await
}

#[derive(Deserialize)]
pub(crate) struct ImportForm {
    #[serde(default)]
    model_file: String,
}

pub(crate) async fn import(
    ctx: Ctx,
    loaded: Loaded,
    CsrfLargeForm(form): CsrfLargeForm<ImportForm>,
) -> Result<HttpResponse, WebError> {
    let id = loaded.questionnaire.id;
    let model = match parse_model("model.toml", &form.model_file) {
        Ok(model) => model,
        Err(problems) => {
            return import_page(
                &ctx,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                &form.model_file,
                file_problems(&problems),
            )
            .await;
        }
    };
    let what = format!(
        "import model file ({} constructs, {} indicators)",
        model.constructs.len(),
        model.indicators().count()
    );
    match apply_edit(&ctx, &loaded, Edit::Replace(Box::new(model)), &what).await? {
        Ok(_) => Ok(see_other(&format!("/design/questionnaires/{id}"))),
        Err(refusal) => {
            let problems = refusal_errors(&refusal, ctx.lang())
                .into_values()
                .flatten()
                .collect();
            import_page(
                &ctx,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                &form.model_file,
                problems,
            )
            .await
        }
    }
}

pub(crate) async fn preview(ctx: Ctx, loaded: Loaded) -> Result<HttpResponse, WebError> {
    ctx.render(
        "design_preview.html",
        serde_json::json!({
            "questionnaire": loaded.questionnaire,
            "version": loaded.newest().number,
            "languages": loaded.model.languages.iter().map(|l| serde_json::json!({ "tag": l.tag(), "name": l.native_name() })).collect::<Vec<_>>(),
        }),
    )
}

#[derive(Serialize)]
struct OptionView {
    value: String,
    label: String,
}

#[derive(Serialize)]
struct ItemView {
    code: String,
    text: String,
    options: Vec<OptionView>,
}

/// The options of one item as the respondent sees them.
fn options(indicator: &Indicator, lang: Lang) -> Vec<OptionView> {
    let scale = &indicator.scale;
    let mut options: Vec<OptionView> = scale
        .values()
        .map(|value| OptionView {
            value: value.to_string(),
            label: option_label(scale, lang, value),
        })
        .collect();
    if indicator.dont_know {
        options.push(OptionView {
            value: DONT_KNOW.into(),
            label: i18n::t(lang, "survey.dont_know").to_owned(),
        });
    }
    options
}

fn language_for(ctx: &Ctx, model: &Model) -> Lang {
    if model.languages.contains(&ctx.lang()) {
        ctx.lang()
    } else {
        model.languages.first().copied().unwrap_or(Lang::ZhCn)
    }
}

/// The questionnaire as a phone shows it: every page of the flow, one after another. Framed by the preview page.
pub(crate) async fn preview_phone(ctx: Ctx, loaded: Loaded) -> Result<HttpResponse, WebError> {
    let id = loaded.questionnaire.id;
    let model = &loaded.model;
    let lang = language_for(&ctx, model);
    let db = &ctx.state.db;
    let asked = questionnaire_settings::attributes(db, id).await?;
    let brand_names: Vec<String> = brands::of_questionnaire(db, id)
        .await?
        .iter()
        .map(|b| b.name.best(lang).to_owned())
        .collect();
    let flow = Flow::new(model, loaded.questionnaire.brand_screening);
    let mut pages = Vec::new();
    for number in 1..=flow.len() {
        let Some(step) = flow.step(number) else {
            continue;
        };
        let page = match step {
            Step::Brand => {
                serde_json::json!({ "number": number, "kind": "brand", "brands": brand_names })
            }
            Step::Items(codes) => serde_json::json!({
                "number": number,
                "kind": "items",
                "items": codes.iter().filter_map(|code| model.indicator(code)).map(|i| ItemView { code: i.code.clone(), text: i.text.best(lang).to_owned(), options: options(i, lang) }).collect::<Vec<_>>(),
            }),
            Step::About => serde_json::json!({
                "number": number,
                "kind": "about",
                "attributes": ATTRIBUTES.iter().filter(|q| asked.iter().any(|a| a.key() == q.field)).map(|q| serde_json::json!({
                    "field": q.field,
                    "label": RespondentAttribute::parse(q.field).map(|a| crate::i18n::format(lang, &a.label())).unwrap_or_else(|| q.field.to_owned()),
                    "options": q.options.iter().map(|o| {
                        let key = format!("attr.{}.{o}", q.field);
                        if i18n::has(&key) { i18n::t(lang, &key).to_owned() } else { (*o).to_owned() }
                    }).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            }),
        };
        pages.push(page);
    }
    let body = crate::web::error::TEMPLATES.page(
        "design_preview_phone.html",
        &crate::web::render::Common {
            lang,
            ..ctx.common.clone()
        },
        serde_json::json!({
            "title": loaded.questionnaire.title.best(lang),
            "pages": pages,
            "page_count": flow.len(),
        }),
    )?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        // Only this page may be framed, and only by the designer's own preview page.
        .insert_header((
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'none'; frame-ancestors 'self'; base-uri 'none'; object-src 'none'",
        ))
        .insert_header(("X-Frame-Options", "SAMEORIGIN"))
        .body(body))
}

/// Publishes the draft version (refused with the reason when the model has problems).
pub(crate) async fn publish(
    ctx: Ctx,
    InScope(id): InScope,
    _form: CsrfForm,
) -> Result<HttpResponse, WebError> {
    let user = ctx.user()?.clone();
    questionnaires::by_id(&ctx.state.db, id)
        .await?
        .ok_or_else(|| ctx.not_found())?;
    let refused = |notice: &str| {
        show_page(
            &ctx,
            id,
            StatusCode::UNPROCESSABLE_ENTITY,
            FieldErrors::new(),
            serde_json::json!({}),
            vec![notice.to_owned()],
        )
    };
    match questionnaires::publish(&ctx.state.db, id).await {
        Ok(version) => {
            audit::record(
                &ctx.state.db,
                &actor(&user),
                "publish",
                &format!("questionnaire {id}"),
                &format!("version {}", version.number),
            )
            .await?;
            Ok(see_other(&format!("/design/questionnaires/{id}")))
        }
        Err(PublishError::NoDraft) => refused(crate::i18n::t(ctx.lang(), "design.no_draft")).await,
        Err(PublishError::Invalid(_)) => {
            refused(crate::i18n::t(ctx.lang(), "design.publish_refused")).await
        }
        Err(PublishError::Db(e)) => Err(e.into()),
    }
}

/// Opens the next version as a draft (a copy of the published one) without changing anything yet.
pub(crate) async fn new_version(
    ctx: Ctx,
    InScope(id): InScope,
    _form: CsrfForm,
) -> Result<HttpResponse, WebError> {
    let user = ctx.user()?.clone();
    questionnaires::by_id(&ctx.state.db, id)
        .await?
        .ok_or_else(|| ctx.not_found())?;
    let draft = drafts::ensure(&ctx.state.db, id).await?;
    if draft.created {
        let subject = format!("questionnaire {id} version {}", draft.version.number);
        audit::record(
            &ctx.state.db,
            &actor(&user),
            "open draft version",
            &subject,
            &format!("copy of version {}", draft.version.number - 1),
        )
        .await?;
    }
    Ok(see_other(&format!("/design/questionnaires/{id}")))
}
