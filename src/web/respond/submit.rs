//! A submitted form: its first checks, reading a page's answers, saving, completing.
//!
//! Every survey form is checked first (rate limit, CSRF, honeypot); the last page completes
//! the response.

use crate::domain::answer::parse_answers;
use crate::domain::survey_flow::{Attributes, Step, honeypot_filled};
use crate::i18n::t;
use crate::store::progress::{self, SaveError};
use crate::store::responses::Segments;
use crate::web::context::{Ctx, see_other};
use crate::web::error::WebError;
use crate::web::respond::entry::Entry;
use crate::web::respond::page::{Problems, page_view};
use crate::web::respond::session::{Session, Survey, resume_token_of};
use crate::web::respond::state::State;
use crate::web::respond::view::{render, state_page};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use std::collections::HashMap;

/// The checks every survey POST makes first: the rate limit, then the CSRF token; a bot that
/// filled the hidden field is thanked and nothing is stored. `Some`: the answer to give instead.
pub(super) fn accept_form(
    ctx: &Ctx,
    entry: &Entry,
    fields: &[(String, String)],
) -> Result<Option<HttpResponse>, WebError> {
    if !ctx.state.submissions.allows(ctx.client_address()) {
        return state_page(ctx, State::RateLimited, None).map(Some);
    }
    let csrf = fields
        .iter()
        .find(|(k, _)| k == "csrf")
        .map_or("", |(_, v)| v.as_str());
    ctx.check_csrf(csrf)?;
    Ok(honeypot_filled(fields).then(|| see_other(&format!("{}/thanks", entry.base()))))
}

/// A save's outcome: what it gave, or the already-answered page, or an error.
pub(super) fn saved<T>(
    ctx: &Ctx,
    survey: &Survey,
    result: Result<T, SaveError>,
) -> Result<Result<T, HttpResponse>, WebError> {
    match result {
        Ok(value) => Ok(Ok(value)),
        Err(SaveError::AlreadyComplete) => {
            Ok(Err(state_page(ctx, State::AlreadyAnswered, Some(survey))?))
        }
        Err(SaveError::Db(e)) => Err(e.into()),
    }
}

/// What a page sent, once it is acceptable.
#[derive(Default)]
struct PageInput {
    brand_id: Option<i32>,
    answers: Vec<(i32, Option<i32>)>,
    attributes: Option<Attributes>,
}

/// Reads the answers of `step` from the form, or the problems with them.
fn read_page(
    session: &Session,
    step: &Step,
    fields: &[(String, String)],
) -> Result<Result<PageInput, Problems>, WebError> {
    let mut problems = Problems::default();
    let mut input = PageInput::default();
    let item_fields: Vec<(String, String)> = fields
        .iter()
        .filter(|(k, _)| k.starts_with("q_"))
        .cloned()
        .collect();
    let expected: Vec<&str> = match step {
        Step::Items(codes) => codes.iter().map(String::as_str).collect(),
        _ => vec![],
    };
    match parse_answers(&session.model, &expected, &item_fields) {
        Ok(answers) => {
            for answer in answers {
                let id = session.ids.get(&answer.indicator).ok_or_else(|| {
                    WebError::Internal(anyhow::anyhow!("indicator {} not stored", answer.indicator))
                })?;
                input.answers.push((*id, answer.value));
            }
        }
        Err(errors) => problems.items = errors,
    }
    match step {
        Step::Brand => {
            let chosen = fields
                .iter()
                .find(|(k, _)| k == "brand")
                .map(|(_, v)| v.as_str());
            let brands = &session.survey.published.brands;
            match chosen.and_then(|code| brands.iter().find(|b| b.code == code)) {
                Some(brand) => input.brand_id = Some(brand.id),
                None => problems.brand = Some(t(session.lang, "survey.choose_brand").to_owned()),
            }
        }
        Step::About => match Attributes::parse(fields) {
            Ok(parsed) => input.attributes = Some(parsed),
            Err(errors) => problems.attributes = errors,
        },
        Step::Items(_) => {}
    }
    Ok(if problems.is_empty() {
        Ok(input)
    } else {
        Err(problems)
    })
}

/// Saves page `number` of the session from the form and goes on: to the next page, back to a
/// page left unanswered, or, after the last, to the thank-you page; a refused page comes back
/// with its problems.
pub(super) async fn submit_page(
    ctx: &Ctx,
    req: &HttpRequest,
    session: Session,
    number: usize,
    fields: &[(String, String)],
) -> Result<HttpResponse, WebError> {
    let base = session.survey.entry.base();
    let step = session.flow.step(number).cloned().unwrap_or(Step::About);
    let input = match read_page(&session, &step, fields)? {
        Ok(input) => input,
        Err(problems) => {
            let mut given: HashMap<String, String> = HashMap::new();
            for (k, v) in fields {
                given.entry(k.clone()).or_insert_with(|| v.clone());
            }
            let resume_token = resume_token_of(req, &session.survey.entry);
            let view = page_view(
                ctx,
                &session,
                number,
                &given,
                &problems,
                resume_token.as_deref(),
            );
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return render(ctx, session.lang, status, "survey_page.html", view);
        }
    };
    let writer = &ctx.state.answer_writer;
    let result = (writer.save_page(session.response.id, input.brand_id, input.answers)).await;
    if let Err(page) = saved(ctx, &session.survey, result)? {
        return Ok(page);
    }
    let Some(attributes) = input.attributes else {
        return Ok(see_other(&format!("{base}/{}", number + 1)));
    };
    // The last page completes the response, once every earlier page is answered.
    let stored = progress::answers_of(&ctx.state.db, session.response.id).await?;
    let brand_chosen = session.brand_chosen() || input.brand_id.is_some();
    let missing = (session.flow).resume_at(&session.answered_codes(&stored), brand_chosen);
    if missing < session.flow.len() {
        return Ok(see_other(&format!("{base}/{missing}")));
    }
    let segments = Segments {
        region: attributes.region,
        customer_class: attributes.customer_class,
        channel: attributes.channel,
        lifecycle_stage: attributes.lifecycle_stage,
    };
    let result = (writer.complete(session.response.id, segments, attributes.comment)).await;
    Ok(match saved(ctx, &session.survey, result)? {
        Ok(()) => see_other(&format!("{base}/thanks")),
        Err(page) => page,
    })
}
