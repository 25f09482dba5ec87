//! Responses: list and read with answers by indicator code, and submit a complete one.

use crate::domain::Lang;
use crate::domain::answer::{DONT_KNOW, field_name, parse_answers};
use crate::store::responses::{CompletedResponse, Segments, Source};
use crate::store::{audit, brands, models, questionnaires, response_details, responses};
use crate::web::api::auth::ApiUser;
use crate::web::api::problem::{FieldError, Problem};
use crate::web::api::schema::{
    AnswerValue, Created, NewResponse, Paging, ResponsePage, ResponseView,
};
use actix_web::{HttpResponse, web};

/// Completed responses of a questionnaire in id order, a page at a time.
#[utoipa::path(
    operation_id = "listResponses",
    get, path = "/api/v1/questionnaires/{id}/responses", tag = "responses",
    params(("id" = i32, Path, description = "Questionnaire id"), Paging),
    responses(
        (status = 200, description = "A page of responses", body = ResponsePage),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such questionnaire", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(crate) async fn list(
    api: ApiUser,
    path: web::Path<i32>,
    paging: web::Query<Paging>,
) -> Result<HttpResponse, Problem> {
    let id = path.into_inner();
    api.check_questionnaire(id).await?;
    let db = &api.state.db;
    questionnaires::by_id(db, id)
        .await?
        .ok_or_else(|| Problem::not_found(format!("There is no questionnaire {id}.")))?;
    let rows = response_details::page(db, id, paging.after(), paging.limit()).await?;
    let next_after = (rows.len() as u64 == paging.limit())
        .then(|| rows.last().map(|r| r.id))
        .flatten();
    Ok(HttpResponse::Ok().json(ResponsePage {
        responses: rows.into_iter().map(ResponseView::from).collect(),
        next_after,
    }))
}

/// One response with its answers by indicator code.
#[utoipa::path(
    operation_id = "getResponse",
    get, path = "/api/v1/responses/{id}", tag = "responses",
    params(("id" = i32, Path, description = "Response id")),
    responses(
        (status = 200, description = "The response", body = ResponseView),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such response", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(crate) async fn get(api: ApiUser, path: web::Path<i32>) -> Result<HttpResponse, Problem> {
    let id = path.into_inner();
    let missing = || Problem::not_found(format!("There is no response {id}."));
    let response = response_details::by_id(&api.state.db, id)
        .await?
        .ok_or_else(missing)?;
    // A user limited to other questionnaires learns nothing, not even that the response exists.
    if !api.scope().await?.allows(response.questionnaire_id) {
        return Err(missing());
    }
    Ok(HttpResponse::Ok().json(ResponseView::from(response)))
}

fn as_field(value: &Option<AnswerValue>) -> String {
    match value {
        None => DONT_KNOW.to_owned(),
        Some(AnswerValue::Value(v)) => v.to_string(),
        Some(AnswerValue::Text(t)) => t.clone(),
    }
}

/// Submits a complete response to the current version, checked like the web form: all or nothing.
#[utoipa::path(
    operation_id = "submitResponse",
    post, path = "/api/v1/questionnaires/{id}/responses", tag = "responses",
    params(("id" = i32, Path, description = "Questionnaire id")),
    request_body = NewResponse,
    responses(
        (status = 201, description = "Stored", body = Created),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Needs the designer role", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such questionnaire", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not published", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid answers, each named", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(crate) async fn submit(
    api: ApiUser,
    path: web::Path<i32>,
    body: Result<web::Json<NewResponse>, actix_web::Error>,
) -> Result<HttpResponse, actix_web::Error> {
    let id = path.into_inner();
    // The role is checked before the body is looked at.
    api.check_questionnaire(id).await?;
    Ok(submit_checked(api, id, body?.into_inner()).await?)
}

async fn submit_checked(api: ApiUser, id: i32, body: NewResponse) -> Result<HttpResponse, Problem> {
    let db = &api.state.db;
    let questionnaire = questionnaires::by_id(db, id)
        .await?
        .ok_or_else(|| Problem::not_found(format!("There is no questionnaire {id}.")))?;
    let version = questionnaires::current_version(db, id)
        .await?
        .ok_or_else(|| {
            Problem::typed(
                actix_web::http::StatusCode::CONFLICT,
                "not-published",
                "Not published",
                format!("Questionnaire {id} has no published version to answer."),
            )
        })?;
    let model = api.state.model(version.model_id).await?;
    let mut errors: Vec<FieldError> = Vec::new();
    let language = match body.language.as_deref() {
        None => model.languages.first().copied().unwrap_or(Lang::ZhCn),
        Some(tag) => Lang::parse(tag)
            .filter(|l| model.languages.contains(l))
            .unwrap_or_else(|| {
                errors.push(FieldError {
                    field: "language".into(),
                    code: "invalid".into(),
                    message: format!(
                        "The language is one of the questionnaire's: {}.",
                        model
                            .languages
                            .iter()
                            .map(|l| l.tag())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
                Lang::ZhCn
            }),
    };
    let offered = brands::of_questionnaire(db, id).await?;
    let brand_id = match body.brand.as_deref() {
        Some(code) => match offered.iter().find(|b| b.code == code) {
            Some(brand) => Some(brand.id),
            None => {
                errors.push(FieldError {
                    field: "brand".into(),
                    code: "unknown".into(),
                    message: format!(
                        "The brand is one of: {}.",
                        offered
                            .iter()
                            .map(|b| b.code.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
                None
            }
        },
        None if questionnaire.brand_screening => {
            errors.push(FieldError {
                field: "brand".into(),
                code: "missing".into(),
                message: "This questionnaire screens brands: name the brand evaluated.".into(),
            });
            None
        }
        None => offered.iter().find(|b| b.is_own).map(|b| b.id),
    };
    let comment = body.comment.unwrap_or_default();
    if comment.chars().count() > 2000 {
        errors.push(FieldError {
            field: "comment".into(),
            code: "too_long".into(),
            message: "A comment has at most 2000 characters.".into(),
        });
    }
    let expected: Vec<&str> = model.indicators().map(|(_, i)| i.code.as_str()).collect();
    let fields: Vec<(String, String)> = body
        .answers
        .iter()
        .map(|(code, value)| (field_name(code), as_field(value)))
        .collect();
    let parsed = parse_answers(&model, &expected, &fields);
    let answers = match parsed {
        Ok(answers) if errors.is_empty() => answers,
        parsed => {
            errors.extend(parsed.err().unwrap_or_default().into_iter().map(|e| {
                FieldError {
                    field: format!("answers.{}", e.indicator()),
                    code: serde_json::to_value(&e)
                        .ok()
                        .and_then(|v| v.get("problem").and_then(|p| p.as_str()).map(str::to_owned))
                        .unwrap_or_default(),
                    message: crate::i18n::format(Lang::En, &e.message()),
                }
            }));
            return Err(Problem::invalid(
                "The response is not valid; nothing was stored.",
                errors,
            ));
        }
    };
    let ids = models::indicator_ids(db, version.model_id).await?;
    let answers = answers
        .into_iter()
        .map(|a| {
            ids.get(&a.indicator)
                .map(|id| (*id, a.value))
                .ok_or_else(Problem::internal)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let stored = responses::store_completed(
        db,
        &[CompletedResponse {
            questionnaire_id: id,
            version_id: version.id,
            distribution_id: None,
            brand_id,
            language: language.tag().into(),
            source: Source::Import,
            comment: comment.trim().to_owned(),
            segments: Segments::default(),
            completed_at: crate::store::now(),
            answers,
        }],
    )
    .await?;
    let response_id = stored.first().copied().ok_or_else(Problem::internal)?;
    let actor = audit::Actor {
        user_id: Some(api.user.id),
        name: api.user.email.clone(),
    };
    audit::record(
        db,
        &actor,
        "submit response (API)",
        &format!("questionnaire {id}"),
        &format!("response {response_id}"),
    )
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            actix_web::http::header::LOCATION,
            format!("/api/v1/responses/{response_id}"),
        ))
        .json(Created { id: response_id }))
}
