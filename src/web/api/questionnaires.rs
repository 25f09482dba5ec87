//! `GET /api/v1/questionnaires` and `GET /api/v1/questionnaires/{id}`.

use crate::store::{brands, questionnaires, responses};
use crate::web::api::auth::ApiUser;
use crate::web::api::problem::Problem;
use crate::web::api::schema::{BrandView, QuestionnaireDetail, QuestionnaireSummary};
use actix_web::{HttpResponse, web};

/// The questionnaires the caller may see.
#[utoipa::path(
    operation_id = "listQuestionnaires",
    get, path = "/api/v1/questionnaires", tag = "questionnaires",
    responses(
        (status = 200, description = "Questionnaires", body = Vec<QuestionnaireSummary>),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(crate) async fn list(api: ApiUser) -> Result<HttpResponse, Problem> {
    let db = &api.state.db;
    let mut out = Vec::new();
    for q in questionnaires::all_in(db, &api.scope().await?).await? {
        out.push(QuestionnaireSummary {
            current_version: questionnaires::current_version(db, q.id)
                .await?
                .map(|v| v.number),
            completed_responses: responses::count_completed(db, q.id).await?,
            title: (&q.title).into(),
            id: q.id,
            slug: q.slug,
        });
    }
    Ok(HttpResponse::Ok().json(out))
}

/// One questionnaire with the model of its current version (or its draft when none is published).
#[utoipa::path(
    operation_id = "getQuestionnaire",
    get, path = "/api/v1/questionnaires/{id}", tag = "questionnaires",
    params(("id" = i32, Path, description = "Questionnaire id")),
    responses(
        (status = 200, description = "The questionnaire", body = QuestionnaireDetail),
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
    let questionnaire = questionnaires::by_id(db, id).await?.ok_or_else(missing)?;
    let versions = questionnaires::versions(db, id).await?;
    let version = versions
        .iter()
        .find(|v| v.published)
        .or(versions.first())
        .ok_or_else(missing)?;
    let model = api.state.model(version.model_id).await?;
    let brands = brands::of_questionnaire(db, id)
        .await?
        .into_iter()
        .map(|b| BrandView {
            id: b.id,
            name: (&b.name).into(),
            code: b.code,
            own: b.is_own,
        })
        .collect();
    Ok(HttpResponse::Ok().json(QuestionnaireDetail {
        id,
        slug: questionnaire.slug,
        title: (&questionnaire.title).into(),
        version: version.number,
        published: version.published,
        brand_screening: questionnaire.brand_screening,
        brands,
        model: model.as_ref().into(),
    }))
}
