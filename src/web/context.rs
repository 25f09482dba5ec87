//! The per-request context every handler starts from: language, signed-in user, CSRF token.

use super::AppState;
use super::error::{TEMPLATES, WebError};
use super::render::Common;
use crate::domain::{Lang, Role};
use crate::store::users::{self, User};
use actix_session::{Session, SessionExt};
use actix_web::{FromRequest, HttpRequest, HttpResponse, dev::Payload, web};
use rand::RngExt;
use serde::Serialize;
use std::future::Future;
use std::pin::Pin;

const UID: &str = "uid";
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

impl FromRequest for Ctx {
    type Error = WebError;
    type Future = Pin<Box<dyn Future<Output = Result<Ctx, WebError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .cloned()
                .ok_or_else(|| WebError::Internal(anyhow::anyhow!("app state missing")))?;
            let session = req.get_session();
            let lang = pick_lang(&req, &session);
            let csrf = match session.get::<String>(CSRF)? {
                Some(token) => token,
                None => {
                    let token = random_token();
                    session.insert(CSRF, &token)?;
                    token
                }
            };
            let now = chrono::Utc::now().timestamp();
            let mut user = None;
            let mut expired = false;
            if let Some(uid) = session.get::<i32>(UID)? {
                let seen = session.get::<i64>(SEEN)?.unwrap_or(0);
                if now - seen > state.settings.session_minutes * 60 {
                    session.remove(UID);
                    expired = true;
                } else {
                    user = users::by_id(&state.db, uid).await?;
                    if user.is_some() {
                        session.insert(SEEN, now)?;
                    } else {
                        session.remove(UID);
                    }
                }
            }
            Ok(Ctx {
                common: Common {
                    lang,
                    user,
                    csrf,
                    path: req
                        .uri()
                        .path_and_query()
                        .map(|p| p.to_string())
                        .unwrap_or_default(),
                },
                session,
                state,
                expired,
            })
        })
    }
}

impl Ctx {
    pub fn lang(&self) -> Lang {
        self.common.lang
    }

    /// The signed-in user if their role includes `role`; otherwise the login page or 403.
    pub fn require(&self, role: Role) -> Result<&User, WebError> {
        match &self.common.user {
            None => Err(WebError::LoginRequired {
                next: self.common.path.clone(),
            }),
            Some(user) if user.role.allows(role) => Ok(user),
            Some(_) => Err(WebError::Forbidden(self.lang())),
        }
    }

    /// Like [`Ctx::require`], and also refuses a user limited to other questionnaires (404 when it does not exist).
    pub async fn require_questionnaire(
        &self,
        role: Role,
        questionnaire_id: i32,
    ) -> Result<&User, WebError> {
        let user = self.require(role)?;
        if user.role != Role::Admin
            && !crate::store::questionnaire_access::may_open(
                &self.state.db,
                user.id,
                questionnaire_id,
            )
            .await?
        {
            return Err(WebError::Forbidden(self.lang()));
        }
        Ok(user)
    }

    /// The questionnaires the signed-in user may open (everything for an admin); the login page without a user.
    pub async fn questionnaire_scope(
        &self,
    ) -> Result<crate::store::questionnaire_access::Scope, WebError> {
        let user = self.require(Role::Viewer)?;
        Ok(
            crate::store::questionnaire_access::scope_of(&self.state.db, user.id, user.role)
                .await?,
        )
    }

    /// Refuses a state-changing form whose token is not this session's.
    pub fn check_csrf(&self, submitted: &str) -> Result<(), WebError> {
        use subtle_eq::constant_time_eq;
        if !submitted.is_empty()
            && constant_time_eq(submitted.as_bytes(), self.common.csrf.as_bytes())
        {
            Ok(())
        } else {
            Err(WebError::Csrf(self.lang()))
        }
    }

    /// Starts a signed-in session (a new session id, so a fixed one cannot be reused).
    pub fn sign_in(&self, user: &User) -> Result<(), WebError> {
        self.session.renew();
        self.session.insert(UID, user.id)?;
        self.session.insert(SEEN, chrono::Utc::now().timestamp())?;
        Ok(())
    }

    pub fn sign_out(&self) {
        self.session.purge();
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
