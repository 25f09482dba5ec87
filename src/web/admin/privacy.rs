//! Data protection for administrators: erase a contact on request, and purge data past its retention.

use crate::store::audit;
use crate::store::privacy::{self, Erased, Erasure};
use crate::web::access::CsrfForm;
use crate::web::context::Ctx;
use crate::web::design::questionnaires::actor;
use crate::web::error::WebError;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

async fn privacy_page(
    ctx: &Ctx,
    status: StatusCode,
    query: &str,
    done: Option<(&'static str, Erased)>,
) -> Result<HttpResponse, WebError> {
    let query = query.trim();
    let found: Vec<serde_json::Value> = if query.chars().count() >= 2 {
        privacy::find_contacts(&ctx.state.db, query, 50)
            .await?
            .into_iter()
            .map(|c| serde_json::json!({ "id": c.id, "email": c.email, "name": c.name }))
            .collect()
    } else {
        vec![]
    };
    let retention = ctx.state.settings.retention_days;
    ctx.render_status(
        status,
        "privacy.html",
        serde_json::json!({
            "q": query,
            "searched": query.chars().count() >= 2,
            "contacts": found,
            "retention_days": retention,
            "done": done.map(|(key, erased)| serde_json::json!({ "key": key, "erased": erased })),
        }),
    )
}

pub(crate) async fn page(
    ctx: Ctx,
    query: web::Query<SearchQuery>,
) -> Result<HttpResponse, WebError> {
    privacy_page(&ctx, StatusCode::OK, &query.q, None).await
}

#[derive(Deserialize)]
pub struct EraseForm {
    #[serde(default)]
    action: String,
}

pub(crate) async fn erase_contact(
    ctx: Ctx,
    path: web::Path<i32>,
    form: CsrfForm<EraseForm>,
) -> Result<HttpResponse, WebError> {
    let admin = ctx.user()?.clone();
    let how = match form.action.as_str() {
        "anonymise" => Erasure::Anonymise,
        "delete" => Erasure::Delete,
        _ => {
            return Err(ctx.bad_request(
                crate::i18n::t(ctx.lang(), "privacy.action_bad").to_owned(),
                vec![],
            ));
        }
    };
    let id = path.into_inner();
    if privacy::contact(&ctx.state.db, id).await?.is_none() {
        return Err(ctx.not_found());
    }
    let erased = privacy::erase_contact(&ctx.state.db, id, how).await?;
    let (action, key) = match how {
        Erasure::Anonymise => ("anonymise contact", "privacy.anonymised"),
        Erasure::Delete => ("delete contact", "privacy.deleted"),
    };
    // The audit entry names the contact by id only: the person is gone.
    audit::record(
        &ctx.state.db,
        &actor(&admin),
        action,
        &format!("contact {id}"),
        &format!(
            "{} responses unlinked, {} deleted",
            erased.responses_unlinked, erased.responses_deleted
        ),
    )
    .await?;
    privacy_page(&ctx, StatusCode::OK, "", Some((key, erased))).await
}

pub(crate) async fn purge(ctx: Ctx, _form: CsrfForm) -> Result<HttpResponse, WebError> {
    let admin = ctx.user()?.clone();
    let days = ctx.state.settings.retention_days;
    if days == 0 {
        return privacy_page(
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            "",
            Some(("privacy.no_retention", Erased::default())),
        )
        .await;
    }
    let erased = crate::jobs::retention::purge_now(&ctx.state.db, days).await?;
    audit::record(
        &ctx.state.db,
        &actor(&admin),
        "purge personal data",
        &format!("older than {days} days"),
        &format!(
            "{} contacts, {} responses unlinked",
            erased.contacts, erased.responses_unlinked
        ),
    )
    .await?;
    privacy_page(&ctx, StatusCode::OK, "", Some(("privacy.purged", erased))).await
}
