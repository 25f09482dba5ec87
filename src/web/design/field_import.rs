//! Import of field data (phone and paper interviews) for the quality team: a dry run listing every bad cell, then the import.

use crate::domain::field_data::{self, BrandName};
use crate::domain::table_file::{Format, read_table};
use crate::i18n::t;
use crate::store::audit::{self, Actor};
use crate::store::responses::{self, CompletedResponse, Segments, Source};
use crate::store::{brands, models, questionnaires};
use crate::web::access::{CsrfUpload, HasCsrf, InScope, is_csrf};
use crate::web::context::Ctx;
use crate::web::error::WebError;
use actix_multipart::form::{MultipartForm, bytes::Bytes, text::Text};
use actix_web::HttpResponse;
use actix_web::http::StatusCode;

#[derive(MultipartForm)]
pub struct FieldUpload {
    csrf: Text<String>,
    #[multipart(limit = "16MB")]
    file: Option<Bytes>,
    dry_run: Option<Text<String>>,
}

impl HasCsrf for FieldUpload {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

struct Target {
    title: String,
    version_id: i32,
    model_id: i32,
    codes: Vec<String>,
}

async fn target(ctx: &Ctx, id: i32) -> Result<Option<Target>, WebError> {
    let questionnaire = questionnaires::by_id(&ctx.state.db, id)
        .await?
        .ok_or_else(|| ctx.not_found())?;
    let versions = questionnaires::versions(&ctx.state.db, id).await?;
    let Some(version) = versions
        .iter()
        .filter(|v| v.published)
        .max_by_key(|v| v.number)
    else {
        return Ok(None);
    };
    let model = ctx.state.model(version.model_id).await?;
    Ok(Some(Target {
        title: questionnaire.title.best(ctx.lang()).to_owned(),
        version_id: version.id,
        model_id: version.model_id,
        codes: model.indicators().map(|(_, i)| i.code.clone()).collect(),
    }))
}

fn view(
    id: i32,
    target: &Target,
    problems: Vec<String>,
    dry_ok: Option<usize>,
    imported: Option<usize>,
) -> serde_json::Value {
    serde_json::json!({ "id": id, "title": target.title, "codes": target.codes, "problems": problems, "dry_ok": dry_ok, "imported": imported })
}

pub(crate) async fn form(ctx: Ctx, InScope(id): InScope) -> Result<HttpResponse, WebError> {
    let Some(target) = target(&ctx, id).await? else {
        return Err(ctx.bad_request(t(ctx.lang(), "fd.not_published").to_owned(), vec![]));
    };
    ctx.render("field_import.html", view(id, &target, vec![], None, None))
}

pub(crate) async fn upload(
    ctx: Ctx,
    InScope(id): InScope,
    upload: Result<CsrfUpload<FieldUpload>, actix_web::Error>,
) -> Result<HttpResponse, WebError> {
    let user = ctx.user()?.clone();
    let lang = ctx.lang();
    let Some(target) = target(&ctx, id).await? else {
        return Err(ctx.bad_request(t(lang, "fd.not_published").to_owned(), vec![]));
    };
    let refuse = |problems: Vec<String>| {
        ctx.render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            "field_import.html",
            view(id, &target, problems, None, None),
        )
    };
    let upload = match upload {
        Ok(CsrfUpload(upload)) => upload,
        Err(error) if is_csrf(&error) => return Err(WebError::Csrf(lang)),
        Err(_) => return refuse(vec![t(lang, "fd.no_file").to_owned()]),
    };
    let Some(file) = upload.file.as_ref().filter(|f| !f.data.is_empty()) else {
        return refuse(vec![t(lang, "fd.no_file").to_owned()]);
    };
    let format = Format::from_file_name(file.file_name.as_deref().unwrap_or("data.csv"));
    let table = match read_table(&file.data, format, &field_data::LIMITS) {
        Ok(table) => table,
        Err(issue) => return refuse(vec![crate::i18n::format(lang, &issue.message())]),
    };
    let model = ctx.state.model(target.model_id).await?;
    let names: Vec<BrandName> = brands::of_questionnaire(&ctx.state.db, id)
        .await?
        .into_iter()
        .map(|b| BrandName {
            id: b.id,
            code: b.code,
            zh: b.name.zh.unwrap_or_default(),
            en: b.name.en.unwrap_or_default(),
        })
        .collect();
    let rows = match field_data::check(&model, &names, &table, crate::store::now()) {
        Ok(rows) => rows,
        Err(problems) => {
            return refuse(
                problems
                    .iter()
                    .map(|p| crate::i18n::format(lang, &p.message()))
                    .collect(),
            );
        }
    };
    if upload.dry_run.is_some() {
        return ctx.render(
            "field_import.html",
            view(id, &target, vec![], Some(rows.len()), None),
        );
    }
    let indicator_ids = models::indicator_ids(&ctx.state.db, target.model_id).await?;
    let batch: Vec<CompletedResponse> = rows
        .iter()
        .map(|row| CompletedResponse {
            questionnaire_id: id,
            version_id: target.version_id,
            distribution_id: None,
            brand_id: Some(row.brand_id),
            language: lang.tag().to_owned(),
            source: Source::Import,
            comment: String::new(),
            segments: Segments {
                region: row.region.clone(),
                customer_class: row.customer_class.clone(),
                channel: row.channel.clone(),
                lifecycle_stage: row.lifecycle_stage.clone(),
            },
            completed_at: row.completed_at,
            answers: row
                .answers
                .iter()
                .filter_map(|(code, value)| Some((*indicator_ids.get(code)?, *value)))
                .collect(),
        })
        .collect();
    // One transaction: all rows or none.
    responses::store_completed(&ctx.state.db, &batch).await?;
    let file_name = file.file_name.clone().unwrap_or_default();
    audit::record(
        &ctx.state.db,
        &Actor {
            user_id: Some(user.id),
            name: user.email.clone(),
        },
        "responses.import",
        &format!("questionnaire {id}"),
        &format!(
            "{} field responses from “{}”",
            batch.len(),
            file_name.chars().take(80).collect::<String>()
        ),
    )
    .await?;
    ctx.render(
        "field_import.html",
        view(id, &target, vec![], None, Some(batch.len())),
    )
}
