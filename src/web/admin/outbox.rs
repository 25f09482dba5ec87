//! The outbox for administrators: how many emails are in each state, and the dead letters with a retry.

use crate::store::{audit, outbox};
use crate::web::access::CsrfForm;
use crate::web::context::{Ctx, see_other};
use crate::web::error::WebError;
use actix_web::{HttpResponse, web};
use serde::Serialize;

#[derive(Serialize)]
struct DeadLetter {
    id: i32,
    kind: String,
    recipient: String,
    subject: String,
    attempts: i32,
    last_error: String,
    created_at: String,
}

pub(crate) async fn page(ctx: Ctx) -> Result<HttpResponse, WebError> {
    let counts = outbox::counts(&ctx.state.db).await?;
    let dead: Vec<DeadLetter> = outbox::dead_letters(&ctx.state.db, 500)
        .await?
        .into_iter()
        .map(|row| DeadLetter {
            id: row.id,
            kind: row.kind,
            recipient: row.recipient,
            subject: row.subject,
            attempts: row.attempts,
            last_error: row.last_error.unwrap_or_default(),
            created_at: row.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
        })
        .collect();
    ctx.render(
        "outbox.html",
        serde_json::json!({ "counts": counts, "dead": dead }),
    )
}

async fn retry(ctx: &Ctx, id: Option<i32>) -> Result<HttpResponse, WebError> {
    let user = ctx.user()?.clone();
    let n = outbox::retry_failed(&ctx.state.db, id).await?;
    let subject = id
        .map(|id| format!("outbox {id}"))
        .unwrap_or_else(|| "outbox".into());
    audit::record(
        &ctx.state.db,
        &audit::Actor {
            user_id: Some(user.id),
            name: user.email,
        },
        "outbox.retry",
        &subject,
        &format!("{n} emails queued again"),
    )
    .await?;
    Ok(see_other("/admin/outbox"))
}

pub(crate) async fn retry_one(
    ctx: Ctx,
    path: web::Path<i32>,
    _form: CsrfForm,
) -> Result<HttpResponse, WebError> {
    retry(&ctx, Some(path.into_inner())).await
}

pub(crate) async fn retry_all(ctx: Ctx, _form: CsrfForm) -> Result<HttpResponse, WebError> {
    retry(&ctx, None).await
}
