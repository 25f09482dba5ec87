//! Report pages for executives and everyone with at least the viewer role.

use super::context::Ctx;
use super::error::WebError;
use crate::domain::Role;
use crate::report::mean_scores::mean_scores;
use crate::store::{brands, questionnaires, responses};
use actix_web::{HttpResponse, get, web};
use serde::Serialize;

#[derive(Serialize)]
struct ConstructHead {
    code: String,
    name: String,
}

#[derive(Serialize)]
struct Row {
    period: String,
    brand: String,
    own: bool,
    n: usize,
    scores: Vec<Option<f64>>,
}

#[get("/reports/{id}")]
pub async fn show(ctx: Ctx, path: web::Path<i32>) -> Result<HttpResponse, WebError> {
    ctx.require_questionnaire(Role::Viewer, *path).await?;
    let id = path.into_inner();
    let db = &ctx.state.db;
    let questionnaire = questionnaires::by_id(db, id).await?.ok_or_else(|| ctx.not_found())?;
    let versions = questionnaires::versions(db, id).await?;
    let Some(version) = versions.iter().find(|v| v.published).or(versions.first()) else {
        return Err(ctx.not_found());
    };
    let model = ctx.state.model(version.model_id).await?;
    let brands = brands::of_questionnaire(db, id).await?;
    let records = responses::completed_with_answers(db, id).await?;
    let lang = ctx.lang();
    let rows: Vec<Row> = mean_scores(&model, &records)
        .into_iter()
        .map(|row| {
            let brand = brands.iter().find(|b| Some(b.id) == row.brand_id);
            Row {
                period: if lang == crate::domain::Lang::ZhCn { row.quarter.zh() } else { row.quarter.to_string() },
                brand: brand.map(|b| b.name.best(lang).to_owned()).unwrap_or_else(|| "—".into()),
                own: brand.is_some_and(|b| b.is_own),
                n: row.n,
                scores: row.scores.iter().map(|s| s.map(|v| (v * 10.0).round() / 10.0)).collect(),
            }
        })
        .collect();
    let constructs: Vec<ConstructHead> = model
        .constructs
        .iter()
        .map(|c| ConstructHead {
            code: c.code.clone(),
            name: c.name.best(lang).to_owned(),
        })
        .collect();
    ctx.render(
        "report.html",
        serde_json::json!({
            "title": questionnaire.title.best(lang),
            "constructs": constructs,
            "rows": rows,
        }),
    )
}
