//! The per-request context every handler starts from: language, signed-in user, CSRF token.
//!
//! The session cookie (signed and encrypted) holds the language, the CSRF token and, once
//! signed in, a random session token. The token's SHA-256 names a row of `user_sessions`,
//! read together with its user in one query on each request that carries one, so a session
//! can be ended on the server (sign-out, password change, disabling, "sign out everywhere")
//! and every copy of the cookie stops working. Requests without a token (respondents, the
//! login page) make no query here.

use crate::domain::{Lang, Role};
use crate::store::sessions;
use crate::store::users::User;
use crate::web::AppState;
use crate::web::error::{TEMPLATES, WebError};
use crate::web::render::Common;
use actix_session::{Session, SessionExt};
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, dev::Payload, web};
use rand::RngExt;
use serde::Serialize;
use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;

/// The random session token (only its SHA-256 is stored).
const SID: &str = "sid";
const SEEN: &str = "seen";
const CSRF: &str = "csrf";
const LANG: &str = "lang";

/// Language, user and CSRF token of the current request, with the app state.
pub struct Ctx {
    pub common: Common,
    pub session: Session,
    pub state: web::Data<AppState>,
    /// The session of a signed-in user ran out since the last request.
    pub expired: bool,
    /// The `user_sessions` row of the signed-in user's session.
    pub session_id: Option<i32>,
    request: HttpRequest,
}

/// A fresh random token: 256 bits, URL-safe.
pub fn random_token() -> String {
    use base64::Engine;
    let bytes: [u8; 32] = rand::rng().random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The language from `?lang=`, the session, `Accept-Language`, or zh-CN, in that order.
fn pick_lang(req: &HttpRequest, session: &Session) -> Lang {
    let from_query =
        web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
            .ok()
            .and_then(|q| q.get("lang").and_then(|l| Lang::parse(l)));
    if let Some(lang) = from_query {
        let _ = session.insert(LANG, lang.tag());
        return lang;
    }
    if let Ok(Some(tag)) = session.get::<String>(LANG)
        && let Some(lang) = Lang::parse(&tag)
    {
        return lang;
    }
    req.headers()
        .get("accept-language")
        .and_then(|h| h.to_str().ok())
        .and_then(|h| Lang::from_accept_language(h, &Lang::ALL))
        .unwrap_or(Lang::ZhCn)
}

/// What the session cookie says about this request, worked out once: the access gate of the
/// route table and every extractor of the handler share it (request extensions).
#[derive(Clone)]
struct Resolved {
    lang: Lang,
    csrf: String,
    user: Option<User>,
    session_id: Option<i32>,
    expired: bool,
}

/// The app state, or an internal error when it is missing.
pub(crate) fn app_state(req: &HttpRequest) -> Result<web::Data<AppState>, WebError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| WebError::Internal(anyhow::anyhow!("app state missing")))
}

/// The request's [`Resolved`] session, read once and then kept in the request's extensions.
async fn resolve(req: &HttpRequest) -> Result<Resolved, WebError> {
    if let Some(resolved) = req.extensions().get::<Resolved>() {
        return Ok(resolved.clone());
    }
    let state = app_state(req)?;
    let session = req.get_session();
    let lang = pick_lang(req, &session);
    let csrf = match session.get::<String>(CSRF)? {
        Some(token) => token,
        None => {
            let token = random_token();
            session.insert(CSRF, &token)?;
            token
        }
    };
    let now = chrono::Utc::now().timestamp();
    let idle_limit = state.settings.session_minutes * 60;
    let mut user = None;
    let mut session_id = None;
    let mut expired = false;
    if let Some(token) = session.get::<String>(SID)? {
        let seen = session.get::<i64>(SEEN)?.unwrap_or(0);
        if now - seen > idle_limit {
            // This copy of the cookie was idle too long.
            session.remove(SID);
            expired = true;
        } else {
            match sessions::lookup(&state.db, &token).await? {
                // `last_seen_at` lags by up to a minute; so does this limit.
                Some(found)
                    if now - found.last_seen_at.timestamp()
                        <= idle_limit + sessions::TOUCH_SECONDS =>
                {
                    if now - found.last_seen_at.timestamp() >= sessions::TOUCH_SECONDS {
                        sessions::touch(&state.db, found.id).await?;
                    }
                    session.insert(SEEN, now)?;
                    session_id = Some(found.id);
                    user = Some(found.user);
                }
                // Idle on the server (another copy of the cookie may have been used).
                Some(_) => {
                    session.remove(SID);
                    expired = true;
                }
                // Ended (signed out, revoked) or the user was disabled.
                None => {
                    session.remove(SID);
                }
            }
        }
    }
    let resolved = Resolved {
        lang,
        csrf,
        user,
        session_id,
        expired,
    };
    req.extensions_mut().insert(resolved.clone());
    Ok(resolved)
}

/// The path and query of the request, where the login page sends the user back to.
fn path_of(req: &HttpRequest) -> String {
    req.uri()
        .path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_default()
}

/// The access check of a `Session(role)` route (see [`crate::web::routes`]): the login page
/// without a signed-in user, 403 for a user whose role does not include `role`.
pub(crate) async fn admit(req: &HttpRequest, role: Role) -> Result<(), WebError> {
    let resolved = resolve(req).await?;
    match &resolved.user {
        None => Err(WebError::LoginRequired { next: path_of(req) }),
        Some(user) if user.role.allows(role) => Ok(()),
        Some(_) => Err(WebError::Forbidden(resolved.lang)),
    }
}

impl FromRequest for Ctx {
    type Error = WebError;
    type Future = Pin<Box<dyn Future<Output = Result<Ctx, WebError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = app_state(&req)?;
            let resolved = resolve(&req).await?;
            Ok(Ctx {
                common: Common {
                    lang: resolved.lang,
                    user: resolved.user,
                    csrf: resolved.csrf,
                    path: path_of(&req),
                },
                session: req.get_session(),
                state,
                expired: resolved.expired,
                session_id: resolved.session_id,
                request: req,
            })
        })
    }
}

impl Ctx {
    pub fn lang(&self) -> Lang {
        self.common.lang
    }

    /// The signed-in user. The route table admits only signed-in users to a `Session` route;
    /// on a public route without one, the login page.
    pub fn user(&self) -> Result<&User, WebError> {
        self.common
            .user
            .as_ref()
            .ok_or_else(|| WebError::LoginRequired {
                next: self.common.path.clone(),
            })
    }

    /// Refuses (403) a user limited to other questionnaires than `questionnaire_id`.
    pub async fn check_questionnaire(&self, questionnaire_id: i32) -> Result<(), WebError> {
        if self.questionnaire_scope().await?.allows(questionnaire_id) {
            Ok(())
        } else {
            Err(WebError::Forbidden(self.lang()))
        }
    }

    /// The questionnaires the signed-in user may open (everything for an admin); the login page without a user.
    pub async fn questionnaire_scope(
        &self,
    ) -> Result<crate::store::questionnaire_access::Scope, WebError> {
        let user = self.user()?;
        Ok(
            crate::store::questionnaire_access::scope_of(&self.state.db, user.id, user.role)
                .await?,
        )
    }

    /// Refuses a state-changing form whose token is not this session's (used by the extractors
    /// of [`crate::web::access`], and by the respondent and unsubscribe forms, which check it after
    /// their own first steps).
    pub(crate) fn check_csrf(&self, submitted: &str) -> Result<(), WebError> {
        use subtle_eq::constant_time_eq;
        if !submitted.is_empty()
            && constant_time_eq(submitted.as_bytes(), self.common.csrf.as_bytes())
        {
            Ok(())
        } else {
            Err(WebError::Csrf(self.lang()))
        }
    }

    /// The client's address (see [`crate::web::client_address`]).
    pub fn client_address(&self) -> IpAddr {
        crate::web::client_address(&self.request, &self.state.settings)
    }

    /// The browser's user agent, for the list of sessions.
    fn user_agent(&self) -> &str {
        self.request
            .headers()
            .get(actix_web::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Starts a signed-in session: a new server-side record with a new random token, and a
    /// new CSRF token (a token an attacker planted before sign-in is worth nothing after).
    /// A session this browser already had is ended.
    pub async fn sign_in(&self, user: &User) -> Result<(), WebError> {
        let db = &self.state.db;
        if let Some(previous) = self.session_id {
            sessions::end(db, previous).await?;
        }
        sessions::prune(db).await?;
        let token = random_token();
        sessions::start(
            db,
            user.id,
            &token,
            self.user_agent(),
            &self.client_address().to_string(),
        )
        .await?;
        self.session.renew();
        self.session.insert(SID, token)?;
        self.session.insert(SEEN, chrono::Utc::now().timestamp())?;
        self.session.insert(CSRF, random_token())?;
        Ok(())
    }

    /// Gives the current session a new token and ends every other session of its user
    /// (after a password change): copies of the old cookie stop working, this browser stays in.
    pub async fn keep_only_this_session(&self, user: &User) -> Result<(), WebError> {
        let db = &self.state.db;
        let token = random_token();
        match self.session_id {
            Some(id) if sessions::rotate(db, id, &token).await? => {
                sessions::end_others(db, user.id, id).await?;
                self.session.renew();
                self.session.insert(SID, token)?;
                Ok(())
            }
            _ => {
                sessions::end_all(db, user.id).await?;
                self.sign_in(user).await
            }
        }
    }

    /// Ends this session on the server and forgets the cookie.
    pub async fn sign_out(&self) -> Result<(), WebError> {
        if let Some(id) = self.session_id {
            sessions::end(&self.state.db, id).await?;
        }
        self.session.purge();
        Ok(())
    }

    pub fn not_found(&self) -> WebError {
        WebError::NotFound(self.lang())
    }

    pub fn bad_request(&self, message: String, details: Vec<String>) -> WebError {
        WebError::BadRequest {
            lang: self.lang(),
            message,
            details,
        }
    }

    /// Renders a page with status 200.
    pub fn render(&self, template: &str, view: impl Serialize) -> Result<HttpResponse, WebError> {
        self.render_status(actix_web::http::StatusCode::OK, template, view)
    }

    pub fn render_status(
        &self,
        status: actix_web::http::StatusCode,
        template: &str,
        view: impl Serialize,
    ) -> Result<HttpResponse, WebError> {
        let body = TEMPLATES.page(template, &self.common, view)?;
        Ok(HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .insert_header(("Cache-Control", "no-store"))
            .body(body))
    }
}

/// A redirect after a successful POST.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, location.to_owned()))
        .finish()
}

mod subtle_eq {
    /// Compares two byte strings in time independent of where they differ.
    pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}
