//! Finding the survey, the gate, the respondent's response session and the resume cookie.
//!
//! The gate says whether the visitor may answer: not yet open, closed, quota full, expired,
//! already answered.

use crate::domain::answer::{DONT_KNOW, field_name};
use crate::domain::survey_flow::{ATTRIBUTES, Flow, answered_codes};
use crate::domain::survey_gate::Window;
use crate::domain::token::{looks_like_token, token_hash};
use crate::domain::{Lang, Model};
use crate::store::entities::distributions;
use crate::store::progress::{self, Invitation, NewResponse, Response};
use crate::store::questionnaires::Version;
use crate::store::responses::Segments;
use crate::web::context::{Ctx, see_other};
use crate::web::error::WebError;
use crate::web::respond::entry::Entry;
use crate::web::respond::state::State;
use crate::web::respond::survey_cache::Published;
use crate::web::respond::view::state_page;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::{HttpRequest, HttpResponse};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// The cookie that lets a public respondent continue; holds the resume token (only its hash is stored).
const RESUME_COOKIE: &str = "yardstick_resume";
/// How long a public respondent can come back to an unfinished response.
const RESUME_DAYS: i64 = 30;

/// A questionnaire as reached through one entry.
pub(super) struct Survey {
    pub entry: Entry,
    pub distribution: Arc<distributions::Model>,
    pub published: Arc<Published>,
    pub invitation: Option<Invitation>,
}

impl Survey {
    /// The brand fixed by the distribution or by the invited contact.
    pub fn fixed_brand(&self) -> Option<i32> {
        self.distribution.brand_id.or_else(|| {
            self.invitation
                .as_ref()
                .and_then(|i| i.contact.as_ref())
                .and_then(|c| c.brand_id)
        })
    }

    pub fn screening(&self) -> bool {
        self.published.questionnaire.brand_screening
            && self.fixed_brand().is_none()
            && !self.published.brands.is_empty()
    }

    /// The brand a new response evaluates before any screening: the fixed one, or our own.
    fn starting_brand(&self) -> Option<i32> {
        self.fixed_brand().or_else(|| {
            if self.screening() {
                None
            } else {
                self.published
                    .brands
                    .iter()
                    .find(|b| b.is_own)
                    .map(|b| b.id)
            }
        })
    }

    /// The questionnaire's title in `lang`.
    pub fn title(&self, lang: Lang) -> String {
        self.published.questionnaire.title.best(lang).to_owned()
    }

    /// A new response of `version` in `lang`, with what the invited contact tells.
    pub fn new_response(
        &self,
        version: &Version,
        lang: Lang,
        resume_token: Option<&str>,
    ) -> NewResponse {
        let contact = self.invitation.as_ref().and_then(|i| i.contact.as_ref());
        NewResponse {
            questionnaire_id: self.published.questionnaire.id,
            version_id: version.id,
            distribution_id: self.distribution.id,
            invitation_id: self.invitation.as_ref().map(|i| i.invitation.id),
            brand_id: self.starting_brand(),
            language: lang.tag().into(),
            resume_token_hash: resume_token.map(token_hash),
            segments: Segments {
                region: contact.and_then(|c| c.region.clone()),
                customer_class: contact.and_then(|c| c.customer_class.clone()),
                channel: None,
                lifecycle_stage: contact.and_then(|c| c.lifecycle_stage.clone()),
            },
        }
    }
}

pub(super) async fn find_survey(
    ctx: &Ctx,
    entry: &Entry,
) -> Result<Result<Survey, State>, WebError> {
    let db = &ctx.state.db;
    let cache = &ctx.state.survey_cache;
    let (distribution, published, invitation) = match entry {
        Entry::Public(slug) => match cache.public_link(db, slug).await? {
            Some(link) => (link.distribution, link.published, None),
            None => return Ok(Err(State::NotFound)),
        },
        Entry::Invitation(token) => {
            let found = if looks_like_token(token) {
                progress::invitation_by_hash(db, &token_hash(token)).await?
            } else {
                None
            };
            let Some(found) = found else {
                return Ok(Err(State::NotFound));
            };
            let Some(published) = cache
                .published(db, found.distribution.questionnaire_id)
                .await?
            else {
                return Ok(Err(State::NotFound));
            };
            (Arc::new(found.distribution.clone()), published, Some(found))
        }
    };
    Ok(Ok(Survey {
        entry: entry.clone(),
        distribution,
        published,
        invitation,
    }))
}

/// The response this visitor already has: by invitation, or by the public resume cookie.
async fn existing_response(
    ctx: &Ctx,
    req: &HttpRequest,
    survey: &Survey,
) -> Result<Option<Response>, WebError> {
    let db = &ctx.state.db;
    let found = match &survey.invitation {
        Some(invitation) => progress::by_invitation(db, invitation.invitation.id).await?,
        None => match req.cookie(RESUME_COOKIE) {
            Some(cookie) if looks_like_token(cookie.value()) => {
                progress::by_resume_hash(db, &token_hash(cookie.value())).await?
            }
            _ => None,
        },
    };
    Ok(found.filter(|r| r.distribution_id == Some(survey.distribution.id)))
}

/// The survey of `entry` and the visitor's response, if any, once the gate lets them in;
/// else the page to show instead.
pub(super) async fn admit(
    ctx: &Ctx,
    req: &HttpRequest,
    entry: &Entry,
) -> Result<Result<(Survey, Option<Response>), HttpResponse>, WebError> {
    let survey = match find_survey(ctx, entry).await? {
        Ok(survey) => survey,
        Err(state) => return Ok(Err(state_page(ctx, state, None)?)),
    };
    let response = existing_response(ctx, req, &survey).await?;
    if let Some(state) = gate(ctx, &survey, response.as_ref()).await? {
        return Ok(Err(state_page(ctx, state, Some(&survey))?));
    }
    Ok(Ok((survey, response)))
}

/// Whether answers can be given now; a response already under way may finish past the quota.
async fn gate(
    ctx: &Ctx,
    survey: &Survey,
    response: Option<&Response>,
) -> Result<Option<State>, WebError> {
    let d = &survey.distribution;
    let window = Window {
        status: d.status.as_str(),
        opens_at: d.opens_at,
        closes_at: d.closes_at,
        expires_at: survey
            .invitation
            .as_ref()
            .and_then(|i| i.invitation.expires_at)
            .or(d.expires_at.filter(|_| survey.invitation.is_some())),
        invited: matches!(survey.entry, Entry::Invitation(_)),
    };
    let complete = response.is_some_and(|r| r.status == "complete");
    if let Some(shut) = window.shut(complete, chrono::Utc::now()) {
        return Ok(Some(shut.into()));
    }
    if response.is_none()
        && let Some(quota) = d.quota
        && progress::count_completed_in(&ctx.state.db, d.id).await? >= quota.max(0) as u64
    {
        return Ok(Some(State::QuotaFull));
    }
    Ok(None)
}

/// The version a response answers: its own, else the distribution's, else the newest published.
pub(super) fn version_for<'s>(
    survey: &'s Survey,
    response: Option<&Response>,
) -> Option<&'s Version> {
    let mut published = survey.published.versions.iter().filter(|v| v.published);
    match response
        .map(|r| r.version_id)
        .or(survey.distribution.version_id)
    {
        Some(id) => published.find(|v| v.id == id),
        None => published.next(),
    }
}

/// The visitor's language if the model offers it, else the model's first.
pub(super) fn survey_lang(ctx: &Ctx, model: &Model) -> Lang {
    if model.languages.contains(&ctx.lang()) {
        ctx.lang()
    } else {
        model.languages.first().copied().unwrap_or(Lang::ZhCn)
    }
}

/// Everything a page handler needs once the visitor may answer.
pub(super) struct Session {
    pub survey: Survey,
    pub response: Response,
    pub model: Arc<Model>,
    pub flow: Flow,
    pub ids: Arc<HashMap<String, i32>>,
    pub lang: Lang,
}

impl Session {
    /// Stored answers by form field (`q_CODE` → value or `dk`), brand by `brand`.
    pub fn given(&self, stored: &HashMap<i32, Option<i32>>) -> HashMap<String, String> {
        let mut given: HashMap<String, String> = self
            .ids
            .iter()
            .filter_map(|(code, id)| {
                stored.get(id).map(|v| {
                    (
                        field_name(code),
                        v.map_or(DONT_KNOW.to_owned(), |v| v.to_string()),
                    )
                })
            })
            .collect();
        if let Some(brand) = self
            .response
            .brand_id
            .and_then(|id| self.survey.published.brands.iter().find(|b| b.id == id))
        {
            given.insert("brand".into(), brand.code.clone());
        }
        for question in ATTRIBUTES {
            let value = match question.field {
                "region" => self.response.region.clone(),
                "customer_class" => self.response.customer_class.clone(),
                "channel" => self.response.channel.clone(),
                _ => self.response.lifecycle_stage.clone(),
            };
            if let Some(value) = value {
                given.insert(question.field.into(), value);
            }
        }
        given.insert("comment".into(), self.response.comment.clone());
        given
    }

    pub fn answered_codes(&self, stored: &HashMap<i32, Option<i32>>) -> HashSet<String> {
        answered_codes(&self.ids, stored)
    }

    pub fn brand_chosen(&self) -> bool {
        self.response.brand_id.is_some()
    }
}

/// Opens the visitor's response for a page, or says which page to show instead.
pub(super) async fn open_session(
    ctx: &Ctx,
    req: &HttpRequest,
    entry: &Entry,
) -> Result<Result<Session, HttpResponse>, WebError> {
    let survey = match find_survey(ctx, entry).await? {
        Ok(survey) => survey,
        Err(state) => return Ok(Err(state_page(ctx, state, None)?)),
    };
    let Some(response) = existing_response(ctx, req, &survey).await? else {
        return Ok(Err(see_other(&entry.base())));
    };
    if let Some(state) = gate(ctx, &survey, Some(&response)).await? {
        return Ok(Err(state_page(ctx, state, Some(&survey))?));
    }
    let Some(version) = version_for(&survey, Some(&response)) else {
        return Ok(Err(state_page(ctx, State::Closed, Some(&survey))?));
    };
    let model = ctx.state.model(version.model_id).await?;
    let ids = ctx.state.indicator_ids(version.model_id).await?;
    let flow = Flow::new(&model, survey.screening());
    let lang = survey_lang(ctx, &model);
    Ok(Ok(Session {
        survey,
        response,
        model,
        flow,
        ids,
        lang,
    }))
}

/// The cookie that lets this device continue the public response of `token`.
pub(super) fn resume_cookie(ctx: &Ctx, slug: &str, token: &str) -> Cookie<'static> {
    Cookie::build(RESUME_COOKIE, token.to_owned())
        .path(format!("/s/{slug}"))
        .http_only(true)
        .secure(ctx.state.settings.is_https())
        .same_site(SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::days(RESUME_DAYS))
        .finish()
}

/// The resume token of a public respondent, from the cookie; invitations need none.
pub(super) fn resume_token_of(req: &HttpRequest, entry: &Entry) -> Option<String> {
    match entry {
        Entry::Public(_) => req
            .cookie(RESUME_COOKIE)
            .map(|c| c.value().to_owned())
            .filter(|v| looks_like_token(v)),
        Entry::Invitation(_) => None,
    }
}
