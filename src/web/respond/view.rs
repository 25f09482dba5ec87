//! The frame every respondent page shares, and the welcome, thank-you and state pages.

use crate::domain::survey_flow::minutes_for;
use crate::domain::{Lang, Model};
use crate::i18n::t;
use crate::web::context::Ctx;
use crate::web::error::{TEMPLATES, WebError};
use crate::web::render::Common;
use crate::web::respond::session::Survey;
use crate::web::respond::state::State;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use serde::Serialize;

/// The frame every respondent page shares: title, language switch, state name.
#[derive(Serialize)]
pub(super) struct Frame {
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

/// The frame of a page in `lang`, offering the other language if the model has it.
pub(super) fn frame(
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

/// A respondent page in `lang`, never cached.
pub(super) fn render(
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

/// The page shown instead of the questions, with the state's status.
pub(super) fn state_page(
    ctx: &Ctx,
    state: State,
    survey: Option<&Survey>,
) -> Result<HttpResponse, WebError> {
    let lang = ctx.lang();
    let title = survey.map_or_else(|| t(lang, "app").to_owned(), |s| s.title(lang));
    let view = StateView {
        frame: frame(ctx, lang, title, state.name(), None),
        heading: t(lang, &format!("survey.state.{}", state.name())).to_owned(),
        text: t(lang, &format!("survey.state.{}.text", state.name())).to_owned(),
    };
    render(ctx, lang, state.status(), "survey_state.html", view)
}

#[derive(Serialize)]
struct WelcomeView {
    frame: Frame,
    brand: Option<String>,
    time: String,
    action: String,
    continue_href: Option<String>,
}

/// The welcome page: what the survey is about, how long it takes, start or continue.
pub(super) fn welcome_page(
    ctx: &Ctx,
    survey: &Survey,
    model: &Model,
    lang: Lang,
    continue_href: Option<String>,
) -> Result<HttpResponse, WebError> {
    let items = model.indicators().count();
    let minutes = minutes_for(items);
    let brand = survey
        .fixed_brand()
        .and_then(|id| survey.published.brands.iter().find(|b| b.id == id))
        .map(|b| b.name.best(lang).to_owned());
    let view = WelcomeView {
        frame: frame(ctx, lang, survey.title(lang), "welcome", Some(model)),
        brand,
        time: t(lang, "survey.time")
            .replace("{minutes}", &minutes.to_string())
            .replace("{items}", &items.to_string()),
        action: survey.entry.base(),
        continue_href,
    };
    render(ctx, lang, StatusCode::OK, "survey_welcome.html", view)
}

#[derive(Serialize)]
struct ThanksView {
    frame: Frame,
}

/// The thank-you page after the last page.
pub(super) fn thanks_page(ctx: &Ctx, survey: &Survey) -> Result<HttpResponse, WebError> {
    let lang = ctx.lang();
    let view = ThanksView {
        frame: frame(ctx, lang, survey.title(lang), "thanks", None),
    };
    render(ctx, lang, StatusCode::OK, "survey_thanks.html", view)
}
