//! Pages for administrators: the audit log.

use crate::store::audit;
use crate::web::context::Ctx;
use crate::web::error::WebError;
use actix_web::HttpResponse;
use serde::Serialize;

#[derive(Serialize)]
struct Entry {
    at: String,
    actor: String,
    action: String,
    subject: String,
    detail: String,
}

pub(crate) async fn audit_log(ctx: Ctx) -> Result<HttpResponse, WebError> {
    let entries: Vec<Entry> = audit::recent(&ctx.state.db, 500)
        .await?
        .into_iter()
        .map(|e| Entry {
            at: e.at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
            actor: e.actor,
            action: e.action,
            subject: e.subject,
            detail: e.detail,
        })
        .collect();
    ctx.render("audit.html", serde_json::json!({ "entries": entries }))
}
