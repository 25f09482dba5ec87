//! Errors of the web layer: each maps to a status and a page in the reader's language.

use crate::domain::Lang;
use crate::i18n;
use crate::web::render::{Common, Templates};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError, http::header};
use std::fmt;
use std::sync::LazyLock;

pub(crate) static TEMPLATES: LazyLock<Templates> = LazyLock::new(Templates::new);

/// What went wrong, ready to be shown.
#[derive(Debug)]
pub enum WebError {
    NotFound(Lang),
    Forbidden(Lang),
    /// Not signed in: go to the login page, then come back to `next`.
    LoginRequired {
        next: String,
    },
    Csrf(Lang),
    BadRequest {
        lang: Lang,
        message: String,
        details: Vec<String>,
    },
    Internal(anyhow::Error),
}

impl fmt::Display for WebError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebError::NotFound(_) => write!(f, "not found"),
            WebError::Forbidden(_) => write!(f, "forbidden"),
            WebError::LoginRequired { next } => write!(f, "login required for {next}"),
            WebError::Csrf(_) => write!(f, "CSRF token missing or wrong"),
            WebError::BadRequest { message, .. } => write!(f, "bad request: {message}"),
            WebError::Internal(e) => write!(f, "internal error: {e:#}"),
        }
    }
}

impl From<sea_orm::DbErr> for WebError {
    fn from(e: sea_orm::DbErr) -> WebError {
        WebError::Internal(e.into())
    }
}

impl From<minijinja::Error> for WebError {
    fn from(e: minijinja::Error) -> WebError {
        WebError::Internal(e.into())
    }
}

impl From<actix_session::SessionGetError> for WebError {
    fn from(e: actix_session::SessionGetError) -> WebError {
        WebError::Internal(anyhow::anyhow!("session: {e}"))
    }
}

impl From<actix_session::SessionInsertError> for WebError {
    fn from(e: actix_session::SessionInsertError) -> WebError {
        WebError::Internal(anyhow::anyhow!("session: {e}"))
    }
}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        match self {
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
            WebError::Forbidden(_) | WebError::Csrf(_) => StatusCode::FORBIDDEN,
            WebError::LoginRequired { .. } => StatusCode::SEE_OTHER,
            WebError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let (lang, message, details) = match self {
            WebError::LoginRequired { next } => {
                let target = format!("/login?next={}", urlencode(next));
                return HttpResponse::SeeOther()
                    .insert_header((header::LOCATION, target))
                    .finish();
            }
            WebError::NotFound(lang) => {
                (*lang, i18n::t(*lang, "error.not_found").to_owned(), vec![])
            }
            WebError::Forbidden(lang) => {
                (*lang, i18n::t(*lang, "error.forbidden").to_owned(), vec![])
            }
            WebError::Csrf(lang) => (*lang, i18n::t(*lang, "error.csrf").to_owned(), vec![]),
            WebError::BadRequest {
                lang,
                message,
                details,
            } => (*lang, message.clone(), details.clone()),
            WebError::Internal(e) => {
                tracing::error!(error = ?e, "request failed");
                (
                    Lang::ZhCn,
                    format!(
                        "{} / {}",
                        i18n::t(Lang::ZhCn, "error.internal"),
                        i18n::t(Lang::En, "error.internal")
                    ),
                    vec![],
                )
            }
        };
        let common = Common {
            lang,
            user: None,
            csrf: String::new(),
            path: String::new(),
        };
        let body = TEMPLATES
            .page(
                "error.html",
                &common,
                serde_json::json!({ "message": message, "details": details }),
            )
            .unwrap_or_else(|_| message.clone());
        HttpResponse::build(self.status_code())
            .content_type("text/html; charset=utf-8")
            .body(body)
    }
}

/// Percent-encodes a path for a query parameter.
pub fn urlencode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
