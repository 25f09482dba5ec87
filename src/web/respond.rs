//! Respondent pages: the paged survey behind a public link `/s/{slug}` or a personal
//! invitation `/i/{token}` — welcome, one page per construct group, attributes, thanks —
//! saving every page when it is submitted, so a respondent can leave and come back.

use super::context::{Ctx, random_token, see_other};
use super::error::{TEMPLATES, WebError};
use super::i18n::t;
use super::render::Common;
use super::survey_cache::Published;
use crate::domain::answer::{AnswerError, DONT_KNOW, field_name, parse_answers};
use crate::domain::survey_flow::{ATTRIBUTES, AttributeError, Attributes, Flow, Step};
use crate::domain::token::{looks_like_token, token_hash};
use crate::domain::{Indicator, Lang, Model, ScaleKind};
use crate::store::entities::distributions;
use crate::store::progress::{self, Invitation, NewResponse, Response, SaveError};
use crate::store::questionnaires::Version;
use crate::store::responses::Segments;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use serde::Serialize;
use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

/// The cookie that lets a public respondent continue; holds the resume token (only its hash is stored).
const RESUME_COOKIE: &str = "yardstick_resume";
/// How long a public respondent can come back to an unfinished response.
const RESUME_DAYS: i64 = 30;

/// A per-address limit on survey submissions that a person never meets: a burst of 120
/// submissions, then `per_second` (10 by default; a household or a mobile carrier's shared
/// address included). `None` when the limit is lifted (`submissions_per_second = 0`, for benchmarks).
pub struct SubmissionLimiter(Option<DefaultKeyedRateLimiter<IpAddr>>);

impl SubmissionLimiter {
    pub fn new(per_second: u32) -> SubmissionLimiter {
        const BURST: NonZeroU32 = NonZeroU32::new(120).expect("non-zero");
        SubmissionLimiter(
            NonZeroU32::new(per_second).map(|per_second| {
                RateLimiter::keyed(Quota::per_second(per_second).allow_burst(BURST))
            }),
        )
    }

    /// Whether one more submission from `ip` is allowed now.
    pub fn allows(&self, ip: IpAddr) -> bool {
        let Some(limiter) = &self.0 else {
            return true;
        };
        if limiter.len() > 100_000 {
            limiter.retain_recent();
        }
        limiter.check_key(&ip).is_ok()
    }
}

/// How the respondent came: by the public link or by a personal invitation.
#[derive(Debug, Clone)]
enum Entry {
    Public(String),
    Invitation(String),
}

impl Entry {
    fn base(&self) -> String {
        match self {
            Entry::Public(slug) => format!("/s/{slug}"),
            Entry::Invitation(token) => format!("/i/{token}"),
        }
    }
}

/// A page a respondent sees instead of the questions, each with its own status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    NotFound,
    NotYetOpen,
    Closed,
    QuotaFull,
    Expired,
    AlreadyAnswered,
    RateLimited,
}

impl State {
    fn status(self) -> StatusCode {
        match self {
            State::NotFound => StatusCode::NOT_FOUND,
            State::NotYetOpen => StatusCode::FORBIDDEN,
            State::Closed | State::QuotaFull | State::Expired => StatusCode::GONE,
            State::AlreadyAnswered => StatusCode::CONFLICT,
            State::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        }
    }

    /// Names the page in `data-state` (for tests and analytics) and its text key `survey.state.<name>`.
    fn name(self) -> &'static str {
        match self {
            State::NotFound => "not-found",
            State::NotYetOpen => "not-yet-open",
            State::Closed => "closed",
            State::QuotaFull => "quota-full",
            State::Expired => "expired",
            State::AlreadyAnswered => "already-answered",
            State::RateLimited => "rate-limited",
        }
    }
}

/// A questionnaire as reached through one entry.
struct Survey {
    entry: Entry,
    distribution: Arc<distributions::Model>,
    published: Arc<Published>,
    invitation: Option<Invitation>,
}

impl Survey {
    /// The brand fixed by the distribution or by the invited contact.
    fn fixed_brand(&self) -> Option<i32> {
        self.distribution.brand_id.or_else(|| {
            self.invitation
                .as_ref()
                .and_then(|i| i.contact.as_ref())
                .and_then(|c| c.brand_id)
        })
    }

    fn screening(&self) -> bool {
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
}

async fn find_survey(ctx: &Ctx, entry: &Entry) -> Result<Result<Survey, State>, WebError> {
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

/// Whether answers can be given now; a response already under way may finish past the quota.
async fn gate(
    ctx: &Ctx,
    survey: &Survey,
    response: Option<&Response>,
) -> Result<Option<State>, WebError> {
    let now = chrono::Utc::now();
    let d = &survey.distribution;
    if response.is_some_and(|r| r.status == "complete") {
        return Ok(Some(State::AlreadyAnswered));
    }
    let invitation_expiry = survey
        .invitation
        .as_ref()
        .and_then(|i| i.invitation.expires_at)
        .or(d.expires_at.filter(|_| survey.invitation.is_some()));
    if invitation_expiry.is_some_and(|t| now >= t) {
        return Ok(Some(State::Expired));
    }
    if d.opens_at.is_some_and(|t| now < t) {
        return Ok(Some(State::NotYetOpen));
    }
    let closed_status = match survey.entry {
        Entry::Public(_) => d.status != "open",
        Entry::Invitation(_) => matches!(
            d.status.as_str(),
            "closed" | "paused" | "draft" | "cancelled"
        ),
    };
    if closed_status || d.closes_at.is_some_and(|t| now >= t) {
        return Ok(Some(State::Closed));
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
fn version_for<'s>(survey: &'s Survey, response: Option<&Response>) -> Option<&'s Version> {
    let mut published = survey.published.versions.iter().filter(|v| v.published);
    match response
        .map(|r| r.version_id)
        .or(survey.distribution.version_id)
    {
        Some(id) => published.find(|v| v.id == id),
        None => published.next(),
    }
}

fn survey_lang(ctx: &Ctx, model: Option<&Model>) -> Lang {
    match model {
        Some(model) if !model.languages.contains(&ctx.lang()) => {
            model.languages.first().copied().unwrap_or(Lang::ZhCn)
        }
        _ => ctx.lang(),
    }
}

/// The frame every respondent page shares: title, language switch, state name.
#[derive(Serialize)]
struct Frame {
    title: String,
    state: &'static str,
    switch: Option<Switch>,
}

#[derive(Serialize)]
struct Switch {
    href: String,
    lang: &'static str,
    name: &'static str,
}

fn frame(
    ctx: &Ctx,
    lang: Lang,
    title: String,
    state: &'static str,
    model: Option<&Model>,
) -> Frame {
    let other = if lang == Lang::ZhCn {
        Lang::En
    } else {
        Lang::ZhCn
    };
    let offered = model.is_none_or(|m| m.languages.contains(&other));
    let path = ctx.common.path.split('?').next().unwrap_or("/").to_owned();
    Frame {
        title,
        state,
        switch: offered.then(|| Switch {
            href: format!("{path}?lang={}", other.tag()),
            lang: other.tag(),
            name: other.native_name(),
        }),
    }
}

fn render(
    ctx: &Ctx,
    lang: Lang,
    status: StatusCode,
    template: &str,
    view: impl Serialize,
) -> Result<HttpResponse, WebError> {
    let common = Common {
        lang,
        ..ctx.common.clone()
    };
    let body = TEMPLATES.page(template, &common, view)?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(body))
}

#[derive(Serialize)]
struct StateView {
    frame: Frame,
    heading: String,
    text: String,
}

fn state_page(ctx: &Ctx, state: State, survey: Option<&Survey>) -> Result<HttpResponse, WebError> {
    let lang = ctx.lang();
    let title = survey.map_or_else(
        || t(lang, "app").to_owned(),
        |s| s.published.questionnaire.title.best(lang).to_owned(),
    );
    let view = StateView {
        frame: frame(ctx, lang, title, state.name(), None),
        heading: t(lang, &format!("survey.state.{}", state.name())).to_owned(),
        text: t(lang, &format!("survey.state.{}.text", state.name())).to_owned(),
    };
    render(ctx, lang, state.status(), "survey_state.html", view)
}

/// Everything a page handler needs once the visitor may answer.
struct Session {
    survey: Survey,
    response: Response,
    model: Arc<Model>,
    flow: Flow,
    ids: Arc<HashMap<String, i32>>,
    lang: Lang,
}

impl Session {
    /// Stored answers by form field (`q_CODE` → value or `dk`), brand by `brand`.
    fn given(&self, stored: &HashMap<i32, Option<i32>>) -> HashMap<String, String> {
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

    fn answered_codes(
        &self,
        stored: &HashMap<i32, Option<i32>>,
    ) -> std::collections::HashSet<String> {
        self.ids
            .iter()
            .filter(|(_, id)| stored.contains_key(id))
            .map(|(code, _)| code.clone())
            .collect()
    }

    fn brand_chosen(&self) -> bool {
        self.response.brand_id.is_some()
    }
}

/// Opens the visitor's response for a page, or says which page to show instead.
async fn open_session(
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
    let lang = survey_lang(ctx, Some(&model));
    Ok(Ok(Session {
        survey,
        response,
        model,
        flow,
        ids,
        lang,
    }))
}

// ---------------------------------------------------------------- views

#[derive(Serialize)]
struct WelcomeView {
    frame: Frame,
    brand: Option<String>,
    time: String,
    action: String,
    continue_href: Option<String>,
}

#[derive(Serialize)]
struct OptionView {
    value: String,
    label: String,
    checked: bool,
    dont_know: bool,
}

#[derive(Serialize)]
struct ItemView {
    number: usize,
    field: String,
    anchor: String,
    text: String,
    options: Vec<OptionView>,
    error: Option<String>,
}

#[derive(Serialize)]
struct QuestionView {
    field: String,
    anchor: String,
    legend: String,
    options: Vec<OptionView>,
    error: Option<String>,
}

#[derive(Serialize)]
struct ErrorLink {
    anchor: String,
    message: String,
}

#[derive(Serialize)]
struct PageView {
    frame: Frame,
    action: String,
    number: usize,
    total: usize,
    percent: u32,
    progress: String,
    back_href: Option<String>,
    last: bool,
    errors: Vec<ErrorLink>,
    brand: Option<QuestionView>,
    items: Vec<ItemView>,
    attributes: Vec<QuestionView>,
    comment: Option<CommentView>,
    resume_link: Option<String>,
}

#[derive(Serialize)]
struct CommentView {
    value: String,
    error: Option<String>,
}

/// The options of one item, each labelled in full in the respondent's language.
fn item_options(indicator: &Indicator, lang: Lang, given: Option<&str>) -> Vec<OptionView> {
    let scale = &indicator.scale;
    let mut options: Vec<OptionView> = scale
        .values()
        .map(|value| {
            let label = match scale.kind() {
                ScaleKind::YesNo => {
                    let text = if value == 1 {
                        scale.high().best(lang)
                    } else {
                        scale.low().best(lang)
                    };
                    if text.is_empty() {
                        t(
                            lang,
                            if value == 1 {
                                "survey.yes"
                            } else {
                                "survey.no"
                            },
                        )
                        .to_owned()
                    } else {
                        text.to_owned()
                    }
                }
                _ => match scale.label_of(value) {
                    Some(label) => format!("{value} · {}", label.best(lang)),
                    None if value == scale.min() && !scale.low().best(lang).is_empty() => {
                        format!("{value} · {}", scale.low().best(lang))
                    }
                    None if value == scale.max() && !scale.high().best(lang).is_empty() => {
                        format!("{value} · {}", scale.high().best(lang))
                    }
                    None => value.to_string(),
                },
            };
            OptionView {
                checked: given == Some(value.to_string().as_str()),
                value: value.to_string(),
                label,
                dont_know: false,
            }
        })
        .collect();
    if indicator.dont_know {
        options.push(OptionView {
            value: DONT_KNOW.into(),
            label: t(lang, "survey.dont_know").to_owned(),
            checked: given == Some(DONT_KNOW),
            dont_know: true,
        });
    }
    options
}

/// Problems found on a submitted page, by field.
#[derive(Default)]
struct Problems {
    brand: Option<String>,
    items: Vec<AnswerError>,
    attributes: Vec<AttributeError>,
}

impl Problems {
    fn is_empty(&self) -> bool {
        self.brand.is_none() && self.items.is_empty() && self.attributes.is_empty()
    }
}

/// An answer's problem naming the item by the number the respondent sees; a field for an item
/// not on this page (a forged form) is named by what was sent.
fn problem_message(problem: &AnswerError, lang: Lang, numbers: &HashMap<&str, usize>) -> String {
    match numbers.get(problem.indicator()) {
        Some(number) if !matches!(problem, AnswerError::UnknownItem { .. }) => {
            problem.message_naming(lang, &number.to_string())
        }
        _ => problem.message(lang),
    }
}

fn page_view(
    ctx: &Ctx,
    session: &Session,
    number: usize,
    given: &HashMap<String, String>,
    problems: &Problems,
    resume_token: Option<&str>,
) -> PageView {
    let lang = session.lang;
    let base = session.survey.entry.base();
    let step = session.flow.step(number).cloned().unwrap_or(Step::About);
    let mut errors: Vec<ErrorLink> = Vec::new();
    let brand = matches!(step, Step::Brand).then(|| {
        let chosen = given.get("brand").map(String::as_str);
        if let Some(message) = &problems.brand {
            errors.push(ErrorLink {
                anchor: "q-brand".into(),
                message: message.clone(),
            });
        }
        QuestionView {
            field: "brand".into(),
            anchor: "q-brand".into(),
            legend: t(lang, "survey.brand_question").to_owned(),
            options: session
                .survey
                .published
                .brands
                .iter()
                .map(|b| OptionView {
                    value: b.code.clone(),
                    label: b.name.best(lang).to_owned(),
                    checked: chosen == Some(b.code.as_str()),
                    dont_know: false,
                })
                .collect(),
            error: problems.brand.clone(),
        }
    });
    let numbers: HashMap<&str, usize> = session
        .model
        .indicators()
        .enumerate()
        .map(|(i, (_, ind))| (ind.code.as_str(), i + 1))
        .collect();
    let items: Vec<ItemView> = match &step {
        Step::Items(codes) => codes
            .iter()
            .filter_map(|code| session.model.indicator(code))
            .map(|indicator| {
                let field = field_name(&indicator.code);
                let anchor = format!("item-{}", indicator.code);
                let error = problems
                    .items
                    .iter()
                    .find(|e| e.indicator() == indicator.code)
                    .map(|e| problem_message(e, lang, &numbers));
                ItemView {
                    number: numbers.get(indicator.code.as_str()).copied().unwrap_or(0),
                    options: item_options(indicator, lang, given.get(&field).map(String::as_str)),
                    text: indicator.text.best(lang).to_owned(),
                    error,
                    field,
                    anchor,
                }
            })
            .collect(),
        _ => vec![],
    };
    // Errors for items not on this page (a forged field) are listed at the top only.
    errors.extend(problems.items.iter().map(|e| ErrorLink {
        anchor: if items.iter().any(|i| i.field == field_name(e.indicator())) {
            format!("item-{}", e.indicator())
        } else {
            "main".into()
        },
        message: problem_message(e, lang, &numbers),
    }));
    let about = matches!(step, Step::About);
    let attributes: Vec<QuestionView> = if about {
        ATTRIBUTES
            .iter()
            .map(|question| {
                let chosen = given.get(question.field).map(String::as_str).unwrap_or("");
                let error = problems
                    .attributes
                    .iter()
                    .find(|e| e.field() == question.field)
                    .map(|e| e.message(lang));
                let anchor = format!("q-{}", question.field);
                if let Some(message) = &error {
                    errors.push(ErrorLink {
                        anchor: anchor.clone(),
                        message: message.clone(),
                    });
                }
                let mut options: Vec<OptionView> = question
                    .options
                    .iter()
                    .map(|code| OptionView {
                        value: (*code).to_owned(),
                        label: t(lang, &format!("attr.{}.{code}", question.field)).to_owned(),
                        checked: chosen == *code,
                        dont_know: false,
                    })
                    .collect();
                options.push(OptionView {
                    value: String::new(),
                    label: t(lang, "survey.no_answer").to_owned(),
                    checked: chosen.is_empty(),
                    dont_know: true,
                });
                QuestionView {
                    field: question.field.into(),
                    anchor,
                    legend: t(lang, &format!("attr.{}", question.field)).to_owned(),
                    options,
                    error,
                }
            })
            .collect()
    } else {
        vec![]
    };
    let comment = about.then(|| {
        let error = problems
            .attributes
            .iter()
            .find(|e| e.field() == "comment")
            .map(|e| e.message(lang));
        if let Some(message) = &error {
            errors.push(ErrorLink {
                anchor: "comment".into(),
                message: message.clone(),
            });
        }
        CommentView {
            value: given.get("comment").cloned().unwrap_or_default(),
            error,
        }
    });
    let total = session.flow.len();
    PageView {
        frame: frame(
            ctx,
            lang,
            session
                .survey
                .published
                .questionnaire
                .title
                .best(lang)
                .to_owned(),
            "page",
            Some(&session.model),
        ),
        action: format!("{base}/{number}"),
        number,
        total,
        percent: session.flow.percent_before(number),
        progress: t(lang, "survey.progress")
            .replace("{n}", &number.to_string())
            .replace("{total}", &total.to_string()),
        back_href: (number > 1).then(|| format!("{base}/{}", number - 1)),
        last: about,
        errors,
        brand,
        items,
        attributes,
        comment,
        resume_link: resume_token.map(|token| format!("{}{base}/r/{token}", ctx.state.public_url)),
    }
}

fn resume_cookie(ctx: &Ctx, slug: &str, token: &str) -> Cookie<'static> {
    Cookie::build(RESUME_COOKIE, token.to_owned())
        .path(format!("/s/{slug}"))
        .http_only(true)
        .secure(ctx.state.settings.is_https())
        .same_site(SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::days(RESUME_DAYS))
        .finish()
}

fn resume_token_of(req: &HttpRequest, entry: &Entry) -> Option<String> {
    match entry {
        Entry::Public(_) => req
            .cookie(RESUME_COOKIE)
            .map(|c| c.value().to_owned())
            .filter(|v| looks_like_token(v)),
        Entry::Invitation(_) => None,
    }
}

// ---------------------------------------------------------------- handlers, by step

async fn welcome(ctx: Ctx, req: HttpRequest, entry: Entry) -> Result<HttpResponse, WebError> {
    let survey = match find_survey(&ctx, &entry).await? {
        Ok(survey) => survey,
        Err(state) => return state_page(&ctx, state, None),
    };
    let response = existing_response(&ctx, &req, &survey).await?;
    if let Some(state) = gate(&ctx, &survey, response.as_ref()).await? {
        return state_page(&ctx, state, Some(&survey));
    }
    let Some(version) = version_for(&survey, response.as_ref()) else {
        return state_page(&ctx, State::Closed, Some(&survey));
    };
    let model = ctx.state.model(version.model_id).await?;
    let lang = survey_lang(&ctx, Some(&model));
    let continue_href = match &response {
        Some(response) => {
            let ids = ctx.state.indicator_ids(version.model_id).await?;
            let stored = progress::answers_of(&ctx.state.db, response.id).await?;
            let answered = ids
                .iter()
                .filter(|(_, id)| stored.contains_key(id))
                .map(|(c, _)| c.clone())
                .collect();
            let flow = Flow::new(&model, survey.screening());
            Some(format!(
                "{}/{}",
                entry.base(),
                flow.resume_at(&answered, response.brand_id.is_some())
            ))
        }
        None => None,
    };
    let items = model.indicators().count();
    let minutes = items.div_ceil(8).max(1);
    let brand = survey
        .fixed_brand()
        .and_then(|id| survey.published.brands.iter().find(|b| b.id == id))
        .map(|b| b.name.best(lang).to_owned());
    let view = WelcomeView {
        frame: frame(
            &ctx,
            lang,
            survey.published.questionnaire.title.best(lang).to_owned(),
            "welcome",
            Some(&model),
        ),
        brand,
        time: t(lang, "survey.time")
            .replace("{minutes}", &minutes.to_string())
            .replace("{items}", &items.to_string()),
        action: entry.base(),
        continue_href,
    };
    render(&ctx, lang, StatusCode::OK, "survey_welcome.html", view)
}

/// The fields of a submitted form, with the checks every survey POST makes first.
fn accept_form(ctx: &Ctx, fields: &[(String, String)]) -> Result<Option<HttpResponse>, WebError> {
    if !ctx.state.submissions.allows(ctx.client_address()) {
        return state_page(ctx, State::RateLimited, None).map(Some);
    }
    let csrf = fields
        .iter()
        .find(|(k, _)| k == "csrf")
        .map_or("", |(_, v)| v.as_str());
    ctx.check_csrf(csrf)?;
    Ok(None)
}

/// A bot filled the hidden field: thank it and store nothing.
fn honeypot_filled(fields: &[(String, String)]) -> bool {
    fields
        .iter()
        .any(|(k, v)| k == "website" && !v.trim().is_empty())
}

async fn start(
    ctx: Ctx,
    req: HttpRequest,
    entry: Entry,
    fields: Vec<(String, String)>,
) -> Result<HttpResponse, WebError> {
    if let Some(refused) = accept_form(&ctx, &fields)? {
        return Ok(refused);
    }
    if honeypot_filled(&fields) {
        return Ok(see_other(&format!("{}/thanks", entry.base())));
    }
    let survey = match find_survey(&ctx, &entry).await? {
        Ok(survey) => survey,
        Err(state) => return state_page(&ctx, state, None),
    };
    let existing = existing_response(&ctx, &req, &survey).await?;
    if let Some(state) = gate(&ctx, &survey, existing.as_ref()).await? {
        return state_page(&ctx, state, Some(&survey));
    }
    if existing.is_some() {
        return Ok(see_other(&entry.base()));
    }
    let Some(version) = version_for(&survey, None) else {
        return state_page(&ctx, State::Closed, Some(&survey));
    };
    let model = ctx.state.model(version.model_id).await?;
    let lang = survey_lang(&ctx, Some(&model));
    let resume_token = matches!(entry, Entry::Public(_)).then(random_token);
    let contact = survey.invitation.as_ref().and_then(|i| i.contact.as_ref());
    let response = ctx
        .state
        .answer_writer
        .start(NewResponse {
            questionnaire_id: survey.published.questionnaire.id,
            version_id: version.id,
            distribution_id: survey.distribution.id,
            invitation_id: survey.invitation.as_ref().map(|i| i.invitation.id),
            brand_id: survey.starting_brand(),
            language: lang.tag().into(),
            resume_token_hash: resume_token.as_deref().map(token_hash),
            segments: Segments {
                region: contact.and_then(|c| c.region.clone()),
                customer_class: contact.and_then(|c| c.customer_class.clone()),
                channel: None,
                lifecycle_stage: contact.and_then(|c| c.lifecycle_stage.clone()),
            },
        })
        .await;
    let response = match response {
        Ok(response) => response,
        Err(SaveError::Db(e)) => return Err(e.into()),
        Err(SaveError::AlreadyComplete) => {
            return state_page(&ctx, State::AlreadyAnswered, Some(&survey));
        }
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

async fn show_page(
    ctx: Ctx,
    req: HttpRequest,
    entry: Entry,
    number: String,
) -> Result<HttpResponse, WebError> {
    let session = match open_session(&ctx, &req, &entry).await? {
        Ok(session) => session,
        Err(page) => return Ok(page),
    };
    let stored = progress::answers_of(&ctx.state.db, session.response.id).await?;
    let reachable = session
        .flow
        .resume_at(&session.answered_codes(&stored), session.brand_chosen());
    let Some(number) = number
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=session.flow.len()).contains(n))
    else {
        return state_page(&ctx, State::NotFound, Some(&session.survey));
    };
    if number > reachable {
        return Ok(see_other(&format!("{}/{reachable}", entry.base())));
    }
    let given = session.given(&stored);
    let view = page_view(
        &ctx,
        &session,
        number,
        &given,
        &Problems::default(),
        resume_token_of(&req, &entry).as_deref(),
    );
    render(&ctx, session.lang, StatusCode::OK, "survey_page.html", view)
}

async fn submit_page(
    ctx: Ctx,
    req: HttpRequest,
    entry: Entry,
    number: String,
    fields: Vec<(String, String)>,
) -> Result<HttpResponse, WebError> {
    if let Some(refused) = accept_form(&ctx, &fields)? {
        return Ok(refused);
    }
    if honeypot_filled(&fields) {
        return Ok(see_other(&format!("{}/thanks", entry.base())));
    }
    let session = match open_session(&ctx, &req, &entry).await? {
        Ok(session) => session,
        Err(page) => return Ok(page),
    };
    let Some(number) = number
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=session.flow.len()).contains(n))
    else {
        return state_page(&ctx, State::NotFound, Some(&session.survey));
    };
    let lang = session.lang;
    let db = &ctx.state.db;
    let step = session.flow.step(number).cloned().unwrap_or(Step::About);
    let mut problems = Problems::default();
    let mut brand_id = None;
    let mut page_answers: Vec<(i32, Option<i32>)> = Vec::new();
    let mut attributes = None;
    let item_fields: Vec<(String, String)> = fields
        .iter()
        .filter(|(k, _)| k.starts_with("q_"))
        .cloned()
        .collect();
    let expected: Vec<&str> = match &step {
        Step::Items(codes) => codes.iter().map(String::as_str).collect(),
        _ => vec![],
    };
    match parse_answers(&session.model, &expected, &item_fields) {
        Ok(answers) => {
            for answer in answers {
                let id = session.ids.get(&answer.indicator).ok_or_else(|| {
                    WebError::Internal(anyhow::anyhow!("indicator {} not stored", answer.indicator))
                })?;
                page_answers.push((*id, answer.value));
            }
        }
        Err(errors) => problems.items = errors,
    }
    match &step {
        Step::Brand => {
            let chosen = fields
                .iter()
                .find(|(k, _)| k == "brand")
                .map(|(_, v)| v.as_str());
            match chosen.and_then(|code| {
                session
                    .survey
                    .published
                    .brands
                    .iter()
                    .find(|b| b.code == code)
            }) {
                Some(brand) => brand_id = Some(brand.id),
                None => problems.brand = Some(t(lang, "survey.choose_brand").to_owned()),
            }
        }
        Step::About => match Attributes::parse(&fields) {
            Ok(parsed) => attributes = Some(parsed),
            Err(errors) => problems.attributes = errors,
        },
        Step::Items(_) => {}
    }
    if !problems.is_empty() {
        let mut given: HashMap<String, String> = HashMap::new();
        for (k, v) in &fields {
            given.entry(k.clone()).or_insert_with(|| v.clone());
        }
        let view = page_view(
            &ctx,
            &session,
            number,
            &given,
            &problems,
            resume_token_of(&req, &entry).as_deref(),
        );
        return render(
            &ctx,
            lang,
            StatusCode::UNPROCESSABLE_ENTITY,
            "survey_page.html",
            view,
        );
    }
    let saved = ctx
        .state
        .answer_writer
        .save_page(session.response.id, brand_id, page_answers)
        .await;
    match saved {
        Ok(()) => {}
        Err(SaveError::AlreadyComplete) => {
            return state_page(&ctx, State::AlreadyAnswered, Some(&session.survey));
        }
        Err(SaveError::Db(e)) => return Err(e.into()),
    }
    let Some(attributes) = attributes else {
        return Ok(see_other(&format!("{}/{}", entry.base(), number + 1)));
    };
    // The last page completes the response, once every earlier page is answered.
    let stored = progress::answers_of(db, session.response.id).await?;
    let brand_chosen = session.brand_chosen() || brand_id.is_some();
    let missing = session
        .flow
        .resume_at(&session.answered_codes(&stored), brand_chosen);
    if missing < session.flow.len() {
        return Ok(see_other(&format!("{}/{missing}", entry.base())));
    }
    let segments = Segments {
        region: attributes.region,
        customer_class: attributes.customer_class,
        channel: attributes.channel,
        lifecycle_stage: attributes.lifecycle_stage,
    };
    let completed = ctx
        .state
        .answer_writer
        .complete(session.response.id, segments, attributes.comment)
        .await;
    match completed {
        Ok(()) => Ok(see_other(&format!("{}/thanks", entry.base()))),
        Err(SaveError::AlreadyComplete) => {
            state_page(&ctx, State::AlreadyAnswered, Some(&session.survey))
        }
        Err(SaveError::Db(e)) => Err(e.into()),
    }
}

#[derive(Serialize)]
struct ThanksView {
    frame: Frame,
}

async fn thanks_page(ctx: &Ctx, entry: Entry) -> Result<HttpResponse, WebError> {
    let survey = match find_survey(ctx, &entry).await? {
        Ok(survey) => survey,
        Err(state) => return state_page(ctx, state, None),
    };
    let lang = ctx.lang();
    let title = survey.published.questionnaire.title.best(lang).to_owned();
    render(
        ctx,
        lang,
        StatusCode::OK,
        "survey_thanks.html",
        ThanksView {
            frame: frame(ctx, lang, title, "thanks", None),
        },
    )
}

// ---------------------------------------------------------------- routes

#[get("/s/{slug}")]
pub async fn public_welcome(
    ctx: Ctx,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    welcome(ctx, req, Entry::Public(slug.into_inner())).await
}

#[post("/s/{slug}")]
pub async fn public_start(
    ctx: Ctx,
    req: HttpRequest,
    slug: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    start(
        ctx,
        req,
        Entry::Public(slug.into_inner()),
        form.into_inner(),
    )
    .await
}

#[get("/s/{slug}/thanks")]
pub async fn public_thanks(ctx: Ctx, slug: web::Path<String>) -> Result<HttpResponse, WebError> {
    thanks_page(&ctx, Entry::Public(slug.into_inner())).await
}

/// The resume link of a public response: sets the resume cookie on this device and continues.
#[get("/s/{slug}/r/{token}")]
pub async fn public_resume(
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

#[get("/s/{slug}/{page}")]
pub async fn public_page(
    ctx: Ctx,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    let (slug, page) = path.into_inner();
    show_page(ctx, req, Entry::Public(slug), page).await
}

#[post("/s/{slug}/{page}")]
pub async fn public_submit(
    ctx: Ctx,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    let (slug, page) = path.into_inner();
    submit_page(ctx, req, Entry::Public(slug), page, form.into_inner()).await
}

#[get("/i/{token}")]
pub async fn invitation_welcome(
    ctx: Ctx,
    req: HttpRequest,
    token: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    welcome(ctx, req, Entry::Invitation(token.into_inner())).await
}

#[post("/i/{token}")]
pub async fn invitation_start(
    ctx: Ctx,
    req: HttpRequest,
    token: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    start(
        ctx,
        req,
        Entry::Invitation(token.into_inner()),
        form.into_inner(),
    )
    .await
}

#[get("/i/{token}/thanks")]
pub async fn invitation_thanks(
    ctx: Ctx,
    token: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    thanks_page(&ctx, Entry::Invitation(token.into_inner())).await
}

#[get("/i/{token}/{page}")]
pub async fn invitation_page(
    ctx: Ctx,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    let (token, page) = path.into_inner();
    show_page(ctx, req, Entry::Invitation(token), page).await
}

#[post("/i/{token}/{page}")]
pub async fn invitation_submit(
    ctx: Ctx,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    let (token, page) = path.into_inner();
    submit_page(ctx, req, Entry::Invitation(token), page, form.into_inner()).await
}

const STYLESHEET: &str = include_str!("static/survey.css");
const SCRIPT: &str = include_str!("static/survey.js");

/// The respondent stylesheet: small, cached, the only one survey pages load.
#[get("/static/survey.css")]
pub async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .body(STYLESHEET)
}

/// Optional niceties for survey pages; every page works without it.
#[get("/static/survey.js")]
pub async fn script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .body(SCRIPT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_attribute_and_state_is_translated() {
        for question in ATTRIBUTES {
            assert!(
                super::super::i18n::has(&format!("attr.{}", question.field)),
                "{}",
                question.field
            );
            for code in question.options {
                assert!(
                    super::super::i18n::has(&format!("attr.{}.{code}", question.field)),
                    "{}.{code}",
                    question.field
                );
            }
        }
        for state in [
            State::NotFound,
            State::NotYetOpen,
            State::Closed,
            State::QuotaFull,
            State::Expired,
            State::AlreadyAnswered,
            State::RateLimited,
        ] {
            assert!(super::super::i18n::has(&format!(
                "survey.state.{}",
                state.name()
            )));
            assert!(super::super::i18n::has(&format!(
                "survey.state.{}.text",
                state.name()
            )));
        }
    }

    #[test]
    fn the_limiter_lets_a_person_through_and_stops_a_flood() {
        let limiter = SubmissionLimiter::new(10);
        let ip = IpAddr::from([10, 0, 0, 1]);
        assert!((0..120).all(|_| limiter.allows(ip)));
        assert!(!limiter.allows(ip));
        assert!(
            limiter.allows(IpAddr::from([10, 0, 0, 2])),
            "another address has its own budget"
        );
    }

    #[test]
    fn a_lifted_limit_never_stops_submissions() {
        let limiter = SubmissionLimiter::new(0);
        let ip = IpAddr::from([10, 0, 0, 1]);
        assert!((0..1_000).all(|_| limiter.allows(ip)));
    }
}
