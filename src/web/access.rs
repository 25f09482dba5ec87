//! Access enforced once: the route table's gate, the CSRF-checked body extractors and the questionnaire scope.
//!
//! Every route of [`crate::web::routes::ROUTES`] is wrapped in [`gate`], which checks its
//! declared [`Access`] before any extractor runs, so a handler cannot forget the role check.
//! A state-changing browser form arrives through [`CsrfForm`], [`CsrfLargeForm`] or
//! [`CsrfUpload`], which refuse a body whose `csrf` field is not the session's, and a page
//! about one questionnaire takes [`InScope`], which refuses a user limited to other
//! questionnaires.

use crate::web::api::auth::ApiUser;
use crate::web::context::{Ctx, admit};
use crate::web::error::WebError;
use crate::web::routes::Access;
use actix_multipart::form::{MultipartCollect, MultipartForm};
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, FromRequest, HttpRequest, dev::Payload, web};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::future::Future;
use std::pin::Pin;

/// The middleware of every route: lets the request through to the handler only if the
/// route's [`Access`] admits it, and otherwise answers as the handler's own check used to
/// (the login page or 403 for a page, a 401/403 problem document for the API).
pub async fn gate(
    access: Access,
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let refused = match access {
        Access::Public => None,
        Access::Session(role) => admit(req.request(), role).await.err().map(Error::from),
        Access::SessionOrPrintToken(_) if print_token_valid(req.request()) => None,
        Access::SessionOrPrintToken(role) => {
            admit(req.request(), role).await.err().map(Error::from)
        }
        Access::Token(role) => ApiUser::admit(req.request(), role)
            .await
            .err()
            .map(Error::from),
    };
    match refused {
        // Answered here (not passed up as an error) so that the session cookie and the
        // security headers of the outer middleware still apply.
        Some(error) => Ok(req.error_response(error).map_into_right_body()),
        None => Ok(next.call(req).await?.map_into_left_body()),
    }
}

/// Whether the request carries a print token (`?print=`) for the report and period in its path.
fn print_token_valid(req: &HttpRequest) -> bool {
    let query =
        web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string());
    let (Ok(query), Some(id), Some(period)) = (
        query,
        req.match_info()
            .get("id")
            .and_then(|id| id.parse::<i32>().ok()),
        req.match_info().get("period"),
    ) else {
        return false;
    };
    query
        .get("print")
        .is_some_and(|token| crate::web::reports::print_token::verify(token, id, period))
}

/// The answer to a form body that cannot be read (malformed or too large): 400/413 with a
/// readable message. The app's `FormConfig` and [`CsrfForm`] both answer with it.
pub fn form_error(err: actix_web::error::UrlencodedError) -> Error {
    let status = match &err {
        actix_web::error::UrlencodedError::Overflow { .. } => {
            actix_web::http::StatusCode::PAYLOAD_TOO_LARGE
        }
        _ => actix_web::http::StatusCode::BAD_REQUEST,
    };
    // A plain-text answer before any page context exists: both languages, from the catalogue.
    let body = format!(
        "{} / {}: {err}",
        crate::i18n::t(crate::domain::Lang::ZhCn, "error.form_unreadable"),
        crate::i18n::t(crate::domain::Lang::En, "error.form_unreadable"),
    );
    actix_web::error::InternalError::from_response(
        err,
        actix_web::HttpResponse::build(status)
            .content_type("text/plain; charset=utf-8")
            .body(body),
    )
    .into()
}

/// A form without fields of its own: only the CSRF token is read.
#[derive(Deserialize, Default)]
pub struct NoFields {}

/// The `csrf` field of a form, read beside the form's own fields.
#[derive(Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf: String,
}

/// A URL-encoded form body, deserialised to `T` (as `web::Form<T>` would, with the app's
/// form limits and errors), whose `csrf` field matched the session's token.
pub struct CsrfForm<T = NoFields>(pub T);

impl<T> CsrfForm<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for CsrfForm<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<CsrfForm<T>, Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let pairs = web::Form::<Vec<(String, String)>>::from_request(&req, payload);
        Box::pin(async move {
            let pairs = pairs.await?.into_inner();
            let encoded = serde_urlencoded::to_string(&pairs)
                .map_err(actix_web::error::UrlencodedError::Serialize)?;
            let form = serde_urlencoded::from_str::<T>(&encoded)
                .map_err(|e| form_error(actix_web::error::UrlencodedError::Parse(e)))?;
            let csrf = pairs
                .iter()
                .find(|(name, _)| name == "csrf")
                .map_or("", |(_, value)| value.as_str());
            Ctx::extract(&req).await?.check_csrf(csrf)?;
            Ok(CsrfForm(form))
        })
    }
}

/// A URL-encoded body that may carry a whole model file (up to
/// [`MODEL_FORM_LIMIT`]), deserialised to `T`, whose
/// `csrf` field matched the session's token.
pub struct CsrfLargeForm<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for CsrfLargeForm<T> {
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<CsrfLargeForm<T>, Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let body = body.await?;
            let ctx = Ctx::extract(&req).await?;
            let form: T = read_large_form(&ctx, &body)?;
            let CsrfField { csrf } = read_large_form(&ctx, &body)?;
            ctx.check_csrf(&csrf)?;
            Ok(CsrfLargeForm(form))
        })
    }
}

/// A multipart form with a `csrf` text field.
pub trait HasCsrf {
    fn csrf(&self) -> &str;
}

/// A multipart upload (`MultipartForm<T>`, with its errors) whose `csrf` field matched the
/// session's token. A wrong token is a [`WebError::Csrf`] (see [`is_csrf`]).
pub struct CsrfUpload<T>(pub T);

impl<T: MultipartCollect + HasCsrf + 'static> FromRequest for CsrfUpload<T> {
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<CsrfUpload<T>, Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let upload = MultipartForm::<T>::from_request(&req, payload);
        Box::pin(async move {
            let MultipartForm(upload) = upload.await?;
            Ctx::extract(&req).await?.check_csrf(upload.csrf())?;
            Ok(CsrfUpload(upload))
        })
    }
}

/// Whether an extractor's error is a refused CSRF token (rather than an unreadable body).
pub fn is_csrf(error: &Error) -> bool {
    matches!(error.as_error::<WebError>(), Some(WebError::Csrf(_)))
}

/// The questionnaire named by the `{id}` segment of the path, which the signed-in user may
/// open: 403 for a user limited to other questionnaires, 404 for a path without a number.
/// Whether it exists is for the handler to find out (404), as it loads what it needs.
#[derive(Clone, Copy)]
pub struct InScope(pub i32);

impl FromRequest for InScope {
    type Error = WebError;
    type Future = Pin<Box<dyn Future<Output = Result<InScope, WebError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let ctx = Ctx::extract(&req).await?;
            let id = req
                .match_info()
                .get("id")
                .and_then(|id| id.parse::<i32>().ok())
                .ok_or_else(|| ctx.not_found())?;
            ctx.check_questionnaire(id).await?;
            Ok(InScope(id))
        })
    }
}

/// Largest form body a designer may send (a pasted model file); the app-wide limit is for ordinary forms.
pub(crate) const MODEL_FORM_LIMIT: usize = 1024 * 1024;

/// Reads a URL-encoded body that may carry a whole model file.
pub(crate) fn read_large_form<T: serde::de::DeserializeOwned>(
    ctx: &Ctx,
    body: &[u8],
) -> Result<T, WebError> {
    if body.len() > MODEL_FORM_LIMIT {
        let message = crate::i18n::t(ctx.lang(), "design.form.too_large");
        return Err(ctx.bad_request(message.into(), vec![]));
    }
    serde_urlencoded::from_bytes(body).map_err(|e| {
        ctx.bad_request(
            crate::i18n::t(ctx.lang(), "error.bad_request").into(),
            vec![e.to_string()],
        )
    })
}
