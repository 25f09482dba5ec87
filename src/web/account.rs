//! The signed-in user's own account: password change and personal API tokens.

use super::context::{Ctx, random_token, see_other};
use super::design::actor;
use super::error::WebError;
use super::i18n;
use crate::domain::Role;
use crate::store::{api_tokens, audit, user_admin};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use serde::Deserialize;

/// Shortest password accepted.
pub const MIN_PASSWORD: usize = 10;

/// What the account page shows besides its forms.
#[derive(Default)]
struct Notice {
    /// An i18n key: a success or an error message.
    message: Option<&'static str>,
    error: bool,
    /// A token just created, shown this once.
    new_token: Option<String>,
}

async fn account_page(
    ctx: &Ctx,
    status: StatusCode,
    notice: Notice,
) -> Result<HttpResponse, WebError> {
    let user = ctx.require(Role::Viewer)?;
    let tokens: Vec<serde_json::Value> = api_tokens::of_user(&ctx.state.db, user.id)
        .await?
        .into_iter()
        .map(|t| {
            serde_json::json!({
                "id": t.id,
                "name": t.name,
                "created_at": t.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
                "last_used_at": t.last_used_at.map(|at| at.format("%Y-%m-%d %H:%M UTC").to_string()),
            })
        })
        .collect();
    ctx.render_status(
        status,
        "account.html",
        serde_json::json!({
            "tokens": tokens,
            "message": notice.message,
            "error": notice.error,
            "new_token": notice.new_token,
            "min_password": MIN_PASSWORD,
            "api_base": format!("{}/api/v1", ctx.state.public_url),
        }),
    )
}

#[get("/account")]
pub async fn page(ctx: Ctx) -> Result<HttpResponse, WebError> {
    account_page(&ctx, StatusCode::OK, Notice::default()).await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    repeat: String,
}

/// Why a new password is refused, as an i18n key.
fn password_problem(new: &str, repeat: &str) -> Option<&'static str> {
    if new.chars().count() < MIN_PASSWORD {
        Some("account.password_short")
    } else if new.len() > 1024 {
        Some("account.password_long")
    } else if new != repeat {
        Some("account.password_mismatch")
    } else {
        None
    }
}

#[post("/account/password")]
pub async fn change_password(
    ctx: Ctx,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, WebError> {
    let user = ctx.require(Role::Viewer)?.clone();
    ctx.check_csrf(&form.csrf)?;
    let refuse = |key| Notice {
        message: Some(key),
        error: true,
        new_token: None,
    };
    if !user_admin::password_matches(&ctx.state.db, user.id, &form.current).await? {
        return account_page(
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            refuse("account.password_wrong"),
        )
        .await;
    }
    if let Some(problem) = password_problem(&form.new, &form.repeat) {
        return account_page(&ctx, StatusCode::UNPROCESSABLE_ENTITY, refuse(problem)).await;
    }
    user_admin::set_password(&ctx.state.db, user.id, &form.new).await?;
    audit::record(
        &ctx.state.db,
        &actor(&user),
        "change password",
        &format!("user {}", user.id),
        "",
    )
    .await?;
    // A new session id, so a session stolen before the change is of no use.
    ctx.sign_in(&user)?;
    account_page(
        &ctx,
        StatusCode::OK,
        Notice {
            message: Some("account.password_changed"),
            error: false,
            new_token: None,
        },
    )
    .await
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
}

#[post("/account/tokens")]
pub async fn create_token(ctx: Ctx, form: web::Form<TokenForm>) -> Result<HttpResponse, WebError> {
    let user = ctx.require(Role::Viewer)?.clone();
    ctx.check_csrf(&form.csrf)?;
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return account_page(
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            Notice {
                message: Some("account.token_name_bad"),
                error: true,
                new_token: None,
            },
        )
        .await;
    }
    let (token, info) = api_tokens::create(&ctx.state.db, user.id, name, &random_token()).await?;
    audit::record(
        &ctx.state.db,
        &actor(&user),
        "create API token",
        &format!("token {}", info.id),
        name,
    )
    .await?;
    account_page(
        &ctx,
        StatusCode::OK,
        Notice {
            message: Some("account.token_created"),
            error: false,
            new_token: Some(token),
        },
    )
    .await
}

#[post("/account/tokens/{id}/revoke")]
pub async fn revoke_token(
    ctx: Ctx,
    path: web::Path<i32>,
    form: web::Form<super::auth::CsrfForm>,
) -> Result<HttpResponse, WebError> {
    let user = ctx.require(Role::Viewer)?.clone();
    ctx.check_csrf(&form.csrf)?;
    let id = path.into_inner();
    if !api_tokens::revoke(&ctx.state.db, user.id, id).await? {
        return Err(ctx.not_found());
    }
    audit::record(
        &ctx.state.db,
        &actor(&user),
        "revoke API token",
        &format!("token {id}"),
        "",
    )
    .await?;
    Ok(see_other("/account"))
}

/// The message of a password problem in a language, for the admin page that sets passwords too.
pub fn password_message(lang: crate::domain::Lang, new: &str) -> Option<String> {
    password_problem(new, new).map(|key| i18n::t(lang, key).to_owned())
}
