//! Signing in and out.

use crate::store::{audit, users};
use crate::web::access::CsrfForm;
use crate::web::context::{Ctx, see_other};
use crate::web::error::WebError;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

#[derive(Serialize, Default)]
struct LoginView {
    error: Option<&'static str>,
    email: String,
    next: String,
}

/// Only a local path may be the target after login (no open redirect): one leading `/`, then
/// only characters that stand for themselves in a URL (no controls, spaces or backslashes, which
/// browsers drop or turn into `/`), at most 512 of them.
fn safe_next(next: Option<&str>) -> String {
    const PUNCTUATION: &[u8] = b"/-._~?=&%+,:;@!*()'";
    match next {
        Some(n)
            if n.len() <= 512
                && n.starts_with('/')
                && !n.starts_with("//")
                && n.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || PUNCTUATION.contains(&b)) =>
        {
            n.to_owned()
        }
        _ => "/".to_owned(),
    }
}

pub(crate) async fn login_page(
    ctx: Ctx,
    query: web::Query<LoginQuery>,
) -> Result<HttpResponse, WebError> {
    ctx.render(
        "login.html",
        LoginView {
            error: ctx.expired.then_some("login.expired"),
            email: String::new(),
            next: safe_next(query.next.as_deref()),
        },
    )
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

pub(crate) async fn login(ctx: Ctx, form: CsrfForm<LoginForm>) -> Result<HttpResponse, WebError> {
    let next = safe_next(form.next.as_deref());
    let address = ctx.client_address();
    let typed_email: String = form.email.chars().take(100).collect();
    if let Err(seconds) = ctx.state.login_limiter.attempt(address) {
        audit::record(
            &ctx.state.db,
            &audit::Actor::system("anonymous"),
            "login throttled",
            &address.to_string(),
            &typed_email,
        )
        .await?;
        let mut response = ctx.render_status(
            actix_web::http::StatusCode::TOO_MANY_REQUESTS,
            "login.html",
            LoginView {
                error: Some("login.throttled"),
                email: form.email.clone(),
                next,
            },
        )?;
        response.headers_mut().insert(
            actix_web::http::header::RETRY_AFTER,
            actix_web::http::header::HeaderValue::from(seconds),
        );
        return Ok(response);
    }
    match users::login(&ctx.state.db, &form.email, &form.password, address).await? {
        Ok(user) => {
            ctx.sign_in(&user).await?;
            audit::record(
                &ctx.state.db,
                &audit::Actor {
                    user_id: Some(user.id),
                    name: user.email.clone(),
                },
                "login",
                "session",
                &format!("from {address}"),
            )
            .await?;
            Ok(see_other(&next))
        }
        Err(refused) => {
            audit::record(
                &ctx.state.db,
                &audit::Actor::system("anonymous"),
                "login failed",
                &typed_email,
                &format!("{refused:?} from {address}"),
            )
            .await?;
            // One answer, the same text and status, for an unknown email, a wrong password, a
            // disabled account and a locked (email, address) pair: nothing tells them apart.
            ctx.render_status(
                actix_web::http::StatusCode::UNAUTHORIZED,
                "login.html",
                LoginView {
                    error: Some("login.refused"),
                    email: form.email.clone(),
                    next,
                },
            )
        }
    }
}

pub(crate) async fn logout(ctx: Ctx, _form: CsrfForm) -> Result<HttpResponse, WebError> {
    ctx.sign_out().await?;
    Ok(see_other("/"))
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_plain_local_paths_are_login_targets() {
        for good in [
            "/",
            "/reports/3",
            "/contacts?page=2&q=a%40b",
            "/design/questionnaires/1",
        ] {
            assert_eq!(safe_next(Some(good)), good);
        }
        for bad in [
            "//evil.example/x",
            "/\t/evil.example/x",
            "/\n/x",
            "/\\evil.example",
            "https://evil.example",
            "/ /x",
            "evil.example",
            "",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/");
        assert_eq!(safe_next(Some(&format!("/{}", "a".repeat(600)))), "/");
    }
}
