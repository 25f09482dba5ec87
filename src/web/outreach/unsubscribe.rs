//! The unsubscribe page behind every invitation's link and `List-Unsubscribe` header (RFC 8058 one-click too).

use crate::domain::token::{looks_like_token, token_hash};
use crate::store::contacts;
use crate::web::context::Ctx;
use crate::web::error::WebError;
use actix_web::{HttpResponse, web};
use std::collections::HashMap;

async fn contact_of(ctx: &Ctx, token: &str) -> Result<contacts::Contact, WebError> {
    if !looks_like_token(token) {
        return Err(ctx.not_found());
    }
    match contacts::by_invitation_hash(&ctx.state.db, &token_hash(token)).await? {
        Some((_, contact)) => Ok(contact),
        None => Err(ctx.not_found()),
    }
}

fn page(ctx: &Ctx, contact: &contacts::Contact, done: bool) -> Result<HttpResponse, WebError> {
    ctx.render(
        "unsubscribe.html",
        serde_json::json!({ "email": contact.email, "unsubscribed": contact.unsubscribed || done, "done": done }),
    )
}

pub(crate) async fn show(ctx: Ctx, path: web::Path<String>) -> Result<HttpResponse, WebError> {
    let contact = contact_of(&ctx, &path).await?;
    page(&ctx, &contact, false)
}

/// Unsubscribes: from the page's form (with its CSRF token) or a mail client's one-click POST
/// (`List-Unsubscribe=One-Click`, which carries no token: the personal link itself is the secret).
pub(crate) async fn confirm(
    ctx: Ctx,
    path: web::Path<String>,
    form: web::Form<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    let one_click = form
        .get("List-Unsubscribe")
        .is_some_and(|v| v == "One-Click");
    if !one_click {
        ctx.check_csrf(form.get("csrf").map(String::as_str).unwrap_or_default())?;
    }
    let contact = contact_of(&ctx, &path).await?;
    if contacts::unsubscribe(&ctx.state.db, contact.id).await? {
        crate::store::audit::record(
            &ctx.state.db,
            &crate::store::audit::Actor::system("unsubscribe link"),
            "contact.unsubscribe",
            &format!("contact {}", contact.id),
            if one_click { "one-click" } else { "page" },
        )
        .await?;
    }
    if one_click {
        return Ok(HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .body(crate::i18n::t(ctx.lang(), "unsubscribe.done").to_owned()));
    }
    page(&ctx, &contact, true)
}
