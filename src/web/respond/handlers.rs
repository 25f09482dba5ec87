//! The thin respondent handlers, each serving the public link and the invitation alike.
//!
//! The route table registers each under both `/s/{slug}…` and `/i/{token}…`, and [`Entry`]
//! tells which one was called.

use crate::domain::survey_flow::{Flow, answered_codes};
use crate::domain::token::{looks_like_token, token_hash};
use crate::store::progress;
use crate::web::context::{Ctx, random_token, see_other};
use crate::web::error::WebError;
use crate::web::respond::entry::Entry;
use crate::web::respond::page::{Problems, page_view};
use crate::web::respond::session::{
    admit, find_survey, open_session, resume_cookie, resume_token_of, survey_lang, version_for,
};
use crate::web::respond::state::State;
use crate::web::respond::submit::{accept_form, saved, submit_page};
use crate::web::respond::view::{render, state_page, thanks_page, welcome_page};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

/// The `{page}` of a page route: a page number, if it is one.
#[derive(Deserialize)]
pub(crate) struct PagePath {
    page: String,
}

/// `GET /s/{slug}`, `GET /i/{token}`: the welcome page, with "continue" for a response under way.
pub(crate) async fn welcome(
    ctx: Ctx,
    req: HttpRequest,
    entry: Entry,
) -> Result<HttpResponse, WebError> {
    let (survey, response) = match admit(&ctx, &req, &entry).await? {
        Ok(admitted) => admitted,
        Err(page) => return Ok(page),
    };
    let Some(version) = version_for(&survey, response.as_ref()) else {
        return state_page(&ctx, State::Closed, Some(&survey));
    };
    let model = ctx.state.model(version.model_id).await?;
    let lang = survey_lang(&ctx, &model);
    let continue_href = match &response {
        Some(response) => {
            let ids = ctx.state.indicator_ids(version.model_id).await?;
            let stored = progress::answers_of(&ctx.state.db, response.id).await?;
            let flow = Flow::new(&model, survey.screening());
            let at = flow.resume_at(&answered_codes(&ids, &stored), response.brand_id.is_some());
            Some(format!("{}/{at}", entry.base()))
        }
        None => None,
    };
    welcome_page(&ctx, &survey, &model, lang, continue_href)
}

/// `POST /s/{slug}`, `POST /i/{token}`: starts a response (a public one with a resume cookie).
pub(crate) async fn start(
    ctx: Ctx,
    req: HttpRequest,
    entry: Entry,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    if let Some(answer) = accept_form(&ctx, &entry, &form)? {
        return Ok(answer);
    }
    let (survey, existing) = match admit(&ctx, &req, &entry).await? {
        Ok(admitted) => admitted,
        Err(page) => return Ok(page),
    };
    if existing.is_some() {
        return Ok(see_other(&entry.base()));
    }
    let Some(version) = version_for(&survey, None) else {
        return state_page(&ctx, State::Closed, Some(&survey));
    };
    let model = ctx.state.model(version.model_id).await?;
    let lang = survey_lang(&ctx, &model);
    let resume_token = matches!(entry, Entry::Public(_)).then(random_token);
    let new = survey.new_response(version, lang, resume_token.as_deref());
    let response = match saved(&ctx, &survey, ctx.state.answer_writer.start(new).await)? {
        Ok(response) => response,
        Err(page) => return Ok(page),
    };
    let mut redirect = see_other(&format!("{}/1", entry.base()));
    if let (Entry::Public(slug), Some(token)) = (&entry, resume_token) {
        redirect
            .add_cookie(&resume_cookie(&ctx, slug, &token))
            .map_err(|e| WebError::Internal(e.into()))?;
    }
    tracing::debug!(response = response.id, "response started");
    Ok(redirect)
}

/// `GET /s/{slug}/thanks`, `GET /i/{token}/thanks`.
pub(crate) async fn thanks(ctx: Ctx, entry: Entry) -> Result<HttpResponse, WebError> {
    match find_survey(&ctx, &entry).await? {
        Ok(survey) => thanks_page(&ctx, &survey),
        Err(state) => state_page(&ctx, state, None),
    }
}

/// `GET /s/{slug}/{page}`, `GET /i/{token}/{page}`: a page of questions, or the first one not
/// yet answered if it comes before.
pub(crate) async fn page(
    ctx: Ctx,
    req: HttpRequest,
    entry: Entry,
    path: web::Path<PagePath>,
) -> Result<HttpResponse, WebError> {
    let session = match open_session(&ctx, &req, &entry).await? {
        Ok(session) => session,
        Err(page) => return Ok(page),
    };
    let stored = progress::answers_of(&ctx.state.db, session.response.id).await?;
    let reachable = session
        .flow
        .resume_at(&session.answered_codes(&stored), session.brand_chosen());
    let Some(number) = session.flow.page_number(&path.page) else {
        return state_page(&ctx, State::NotFound, Some(&session.survey));
    };
    if number > reachable {
        return Ok(see_other(&format!("{}/{reachable}", entry.base())));
    }
    let given = session.given(&stored);
    let resume_token = resume_token_of(&req, &entry);
    let problems = Problems::default();
    let view = page_view(
        &ctx,
        &session,
        number,
        &given,
        &problems,
        resume_token.as_deref(),
    );
    render(&ctx, session.lang, StatusCode::OK, "survey_page.html", view)
}

/// `POST /s/{slug}/{page}`, `POST /i/{token}/{page}`: saves a page and goes on.
pub(crate) async fn submit(
    ctx: Ctx,
    req: HttpRequest,
    entry: Entry,
    path: web::Path<PagePath>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    if let Some(answer) = accept_form(&ctx, &entry, &form)? {
        return Ok(answer);
    }
    let session = match open_session(&ctx, &req, &entry).await? {
        Ok(session) => session,
        Err(page) => return Ok(page),
    };
    let Some(number) = session.flow.page_number(&path.page) else {
        return state_page(&ctx, State::NotFound, Some(&session.survey));
    };
    submit_page(&ctx, &req, session, number, &form).await
}

/// The resume link of a public response: sets the resume cookie on this device and continues.
pub(crate) async fn public_resume(
    ctx: Ctx,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    let (slug, token) = path.into_inner();
    let survey = match find_survey(&ctx, &Entry::Public(slug.clone())).await? {
        Ok(survey) => survey,
        Err(state) => return state_page(&ctx, state, None),
    };
    let found = if looks_like_token(&token) {
        progress::by_resume_hash(&ctx.state.db, &token_hash(&token)).await?
    } else {
        None
    };
    if found.is_none_or(|r| r.distribution_id != Some(survey.distribution.id)) {
        return state_page(&ctx, State::NotFound, Some(&survey));
    }
    let mut redirect = see_other(&format!("/s/{slug}"));
    redirect
        .add_cookie(&resume_cookie(&ctx, &slug, &token))
        .map_err(|e| WebError::Internal(e.into()))?;
    Ok(redirect)
}
