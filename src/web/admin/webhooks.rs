//! Administrators register webhooks per questionnaire and watch their deliveries.

use crate::i18n;
use crate::jobs::webhook_target::{self, TargetRefusal};
use crate::store::{audit, questionnaires, webhooks};
use crate::web::access::CsrfForm;
use crate::web::context::{Ctx, random_token, see_other};
use crate::web::design::questionnaires::actor;
use crate::web::error::WebError;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

async fn webhooks_page(
    ctx: &Ctx,
    status: StatusCode,
    errors: Vec<String>,
) -> Result<HttpResponse, WebError> {
    let db = &ctx.state.db;
    let all_questionnaires = questionnaires::all(db).await?;
    let title = |id: i32| {
        all_questionnaires
            .iter()
            .find(|q| q.id == id)
            .map(|q| q.title.best(ctx.lang()).to_owned())
            .unwrap_or_default()
    };
    let hooks: Vec<serde_json::Value> = webhooks::all(db)
        .await?
        .into_iter()
        .map(|h| serde_json::json!({ "id": h.id, "questionnaire": title(h.questionnaire_id), "url": h.url, "secret": h.secret }))
        .collect();
    let deliveries: Vec<serde_json::Value> = webhooks::recent_deliveries(db, 50)
        .await?
        .into_iter()
        .map(|d| {
            serde_json::json!({
                "url": d.recipient,
                "status": d.status,
                "attempts": d.attempts,
                "at": d.created_at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
                "error": d.last_error,
            })
        })
        .collect();
    let choices: Vec<serde_json::Value> = all_questionnaires
        .iter()
        .map(|q| serde_json::json!({ "id": q.id, "title": q.title.best(ctx.lang()), "slug": q.slug }))
        .collect();
    ctx.render_status(
        status,
        "webhooks.html",
        serde_json::json!({ "webhooks": hooks, "deliveries": deliveries, "questionnaires": choices, "errors": errors }),
    )
}

pub(crate) async fn list(ctx: Ctx) -> Result<HttpResponse, WebError> {
    webhooks_page(&ctx, StatusCode::OK, vec![]).await
}

#[derive(Deserialize)]
pub struct WebhookForm {
    #[serde(default)]
    questionnaire: String,
    #[serde(default)]
    url: String,
}

/// An absolute http(s) URL without spaces or credentials, at most 2 048 characters.
pub fn valid_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty()
            && !host.contains('@')
            && url.len() <= 2048
            && !url.chars().any(|c| c.is_whitespace() || c.is_control())
    })
}

pub(crate) async fn add(ctx: Ctx, form: CsrfForm<WebhookForm>) -> Result<HttpResponse, WebError> {
    let admin = ctx.user()?.clone();
    let lang = ctx.lang();
    let mut errors = Vec::new();
    let questionnaire = match form.questionnaire.parse::<i32>() {
        Ok(id) => questionnaires::by_id(&ctx.state.db, id).await?,
        Err(_) => None,
    };
    if questionnaire.is_none() {
        errors.push(i18n::t(lang, "webhooks.questionnaire_bad").to_owned());
    }
    let url = form.url.trim();
    if !valid_url(url) {
        errors.push(i18n::t(lang, "webhooks.url_bad").to_owned());
    } else if let Err(refusal) =
        webhook_target::check(url, ctx.state.settings.webhook_private_targets).await
    {
        errors.push(match refusal {
            TargetRefusal::BadUrl => i18n::t(lang, "webhooks.url_bad").to_owned(),
            TargetRefusal::Unresolvable => i18n::t(lang, "webhooks.url_unresolvable").to_owned(),
            TargetRefusal::Private(ip) => {
                i18n::t(lang, "webhooks.url_private").replace("{address}", &ip.to_string())
            }
        });
    }
    let (Some(questionnaire), true) = (questionnaire, errors.is_empty()) else {
        return webhooks_page(&ctx, StatusCode::UNPROCESSABLE_ENTITY, errors).await;
    };
    let hook = webhooks::add(&ctx.state.db, questionnaire.id, url, &random_token()).await?;
    audit::record(
        &ctx.state.db,
        &actor(&admin),
        "add webhook",
        &format!("webhook {} questionnaire {}", hook.id, questionnaire.id),
        url,
    )
    .await?;
    Ok(see_other("/admin/webhooks"))
}

pub(crate) async fn delete(
    ctx: Ctx,
    path: web::Path<i32>,
    _form: CsrfForm,
) -> Result<HttpResponse, WebError> {
    let admin = ctx.user()?.clone();
    let id = path.into_inner();
    let Some(hook) = webhooks::by_id(&ctx.state.db, id).await? else {
        return Err(ctx.not_found());
    };
    webhooks::delete(&ctx.state.db, id).await?;
    audit::record(
        &ctx.state.db,
        &actor(&admin),
        "delete webhook",
        &format!("webhook {id}"),
        &hook.url,
    )
    .await?;
    Ok(see_other("/admin/webhooks"))
}
