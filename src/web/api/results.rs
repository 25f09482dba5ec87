//! `GET /api/v1/questionnaires/{id}/results`: the mean-based construct scores per quarter and brand.

use crate::report::mean_scores::mean_scores;
use crate::store::{questionnaires, responses};
use crate::web::api::auth::ApiUser;
use crate::web::api::problem::Problem;
use crate::web::api::schema::{Results, ScoreRowView};
use actix_web::{HttpResponse, web};

/// Construct scores 0–100 (`100·(mean − min)/(max − min)`, indicators weighted equally), newest quarter first.
#[utoipa::path(
    operation_id = "getResults",
    get, path = "/api/v1/questionnaires/{id}/results", tag = "results",
    params(("id" = i32, Path, description = "Questionnaire id")),
    responses(
        (status = 200, description = "Scores per quarter and brand", body = Results),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such questionnaire", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(crate) async fn get(api: ApiUser, path: web::Path<i32>) -> Result<HttpResponse, Problem> {
    let id = path.into_inner();
    api.check_questionnaire(id).await?;
    let db = &api.state.db;
    let missing = || Problem::not_found(format!("There is no questionnaire {id}."));
    questionnaires::by_id(db, id).await?.ok_or_else(missing)?;
    let versions = questionnaires::versions(db, id).await?;
    let version = versions
        .iter()
        .find(|v| v.published)
        .or(versions.first())
        .ok_or_else(missing)?;
    let model = api.state.model(version.model_id).await?;
    let records = responses::completed_with_answers(db, id).await?;
    let min_sample = api.state.settings.min_sample;
    let rows = mean_scores(&model, &records)
        .into_iter()
        .map(|row| ScoreRowView {
            quarter: row.quarter.to_string(),
            brand_id: row.brand_id,
            enough: row.n >= min_sample,
            n: row.n,
            scores: model
                .constructs
                .iter()
                .map(|c| c.code.clone())
                .zip(row.scores)
                .collect(),
        })
        .collect();
    Ok(HttpResponse::Ok().json(Results {
        questionnaire_id: id,
        method: "mean".into(),
        min_sample,
        rows,
    }))
}
