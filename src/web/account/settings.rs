//! The signed-in user's own account: password change, signed-in sessions and personal API tokens.

use crate::i18n;
use crate::store::{api_tokens, audit, sessions, user_admin};
use crate::web::access::CsrfForm;
use crate::web::context::{Ctx, random_token, see_other};
use crate::web::design::questionnaires::actor;
use crate::web::error::WebError;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
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
    let user = ctx.user()?;
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
    let seen_since = crate::store::now()
        - chrono::Duration::minutes(ctx.state.settings.session_minutes)
        - chrono::Duration::seconds(sessions::TOUCH_SECONDS);
    let sessions: Vec<serde_json::Value> =
        sessions::active_of_user(&ctx.state.db, user.id, seen_since)
            .await?
            .into_iter()
            .map(|s| {
                serde_json::json!({
                    "device": device(&s.user_agent),
                    "user_agent": s.user_agent,
                    "address": s.address,
                    "created_at": s.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
                    "last_seen_at": s.last_seen_at.format("%Y-%m-%d %H:%M UTC").to_string(),
                    "current": Some(s.id) == ctx.session_id,
                })
            })
            .collect();
    ctx.render_status(
        status,
        "account.html",
        serde_json::json!({
            "sessions": sessions,
            "tokens": tokens,
            "message": notice.message,
            "error": notice.error,
            "new_token": notice.new_token,
            "min_password": MIN_PASSWORD,
            "api_base": format!("{}/api/v1", ctx.state.public_url),
        }),
    )
}

pub(crate) async fn page(ctx: Ctx) -> Result<HttpResponse, WebError> {
    account_page(&ctx, StatusCode::OK, Notice::default()).await
}

#[derive(Deserialize)]
pub struct PasswordForm {
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

pub(crate) async fn change_password(
    ctx: Ctx,
    form: CsrfForm<PasswordForm>,
) -> Result<HttpResponse, WebError> {
    let user = ctx.user()?.clone();
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
    // Every other session ends, and this one gets a new token: a cookie copied before the
    // change is of no use after it.
    ctx.keep_only_this_session(&user).await?;
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

pub(crate) async fn end_other_sessions(
    ctx: Ctx,
    _form: CsrfForm,
) -> Result<HttpResponse, WebError> {
    let user = ctx.user()?.clone();
    let Some(current) = ctx.session_id else {
        return Err(ctx.not_found());
    };
    let ended = sessions::end_others(&ctx.state.db, user.id, current).await?;
    audit::record(
        &ctx.state.db,
        &actor(&user),
        "sign out other sessions",
        &format!("user {}", user.id),
        &format!("{ended} sessions ended"),
    )
    .await?;
    account_page(
        &ctx,
        StatusCode::OK,
        Notice {
            message: Some("account.sessions_ended"),
            error: false,
            new_token: None,
        },
    )
    .await
}

/// A short description of a browser from its user agent: "Chrome · Windows", "WeChat · iPhone".
fn device(user_agent: &str) -> String {
    let has = |needle: &str| user_agent.contains(needle);
    let browser = if has("MicroMessenger") {
        "WeChat"
    } else if has("Edg/") || has("Edge/") {
        "Edge"
    } else if has("OPR/") || has("Opera") {
        "Opera"
    } else if has("Firefox/") || has("FxiOS") {
        "Firefox"
    } else if has("Chrome/") || has("CriOS") || has("Chromium") {
        "Chrome"
    } else if has("Safari/") {
        "Safari"
    } else {
        ""
    };
    let system = if has("iPhone") {
        "iPhone"
    } else if has("iPad") {
        "iPad"
    } else if has("Android") {
        "Android"
    } else if has("Windows") {
        "Windows"
    } else if has("Mac OS X") || has("Macintosh") {
        "macOS"
    } else if has("CrOS") {
        "ChromeOS"
    } else if has("Linux") {
        "Linux"
    } else {
        ""
    };
    match (browser, system) {
        ("", "") => user_agent.chars().take(60).collect(),
        (b, "") => b.to_owned(),
        ("", s) => s.to_owned(),
        (b, s) => format!("{b} · {s}"),
    }
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
}

pub(crate) async fn create_token(
    ctx: Ctx,
    form: CsrfForm<TokenForm>,
) -> Result<HttpResponse, WebError> {
    let user = ctx.user()?.clone();
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

pub(crate) async fn revoke_token(
    ctx: Ctx,
    path: web::Path<i32>,
    _form: CsrfForm,
) -> Result<HttpResponse, WebError> {
    let user = ctx.user()?.clone();
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

#[cfg(test)]
mod tests {
    use super::device;

    #[test]
    fn devices_are_named_from_the_user_agent() {
        assert_eq!(
            device(
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0"
            ),
            "Edge · Windows"
        );
        assert_eq!(
            device(
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47"
            ),
            "WeChat · iPhone"
        );
        assert_eq!(
            device(
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15"
            ),
            "Safari · macOS"
        );
        assert_eq!(device("curl/8.5.0"), "curl/8.5.0");
        assert_eq!(device(""), "");
    }
}
