//! The outbox for administrators: how many emails are in each state, and the dead letters with a retry.

use crate::domain::Role;
use crate::store::{audit, outbox};
use crate::web::context::{Ctx, see_other};
use crate::web::error::WebError;
use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};

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

#[get("/admin/outbox")]
pub async fn page(ctx: Ctx) -> Result<HttpResponse, WebError> {
    ctx.require(Role::Admin)?;
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

#[derive(Deserialize)]
pub struct RetryForm {
    #[serde(default)]
    csrf: String,
}

async fn retry(ctx: &Ctx, id: Option<i32>) -> Result<HttpResponse, WebError> {
    let user = ctx.require(Role::Admin)?.clone();
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

#[post("/admin/outbox/{id}/retry")]
pub async fn retry_one(
    ctx: Ctx,
    path: web::Path<i32>,
    form: web::Form<RetryForm>,
) -> Result<HttpResponse, WebError> {
    ctx.require(Role::Admin)?;
    ctx.check_csrf(&form.csrf)?;
    retry(&ctx, Some(path.into_inner())).await
}

#[post("/admin/outbox/retry")]
pub async fn retry_all(ctx: Ctx, form: web::Form<RetryForm>) -> Result<HttpResponse, WebError> {
    ctx.require(Role::Admin)?;
    ctx.check_csrf(&form.csrf)?;
    retry(&ctx, None).await
}
