//! Extractor errors and unknown routes: problem details under `/api`, pages elsewhere.

use crate::domain::Lang;
use crate::web::api::problem::{Problem, from_extractor, is_api};
use crate::web::error::WebError;
use actix_web::error::{InternalError, JsonPayloadError};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};

/// Largest JSON body the API reads.
pub const JSON_LIMIT: usize = 256 * 1024;

fn problem_error(
    err: impl std::fmt::Display + std::fmt::Debug + 'static,
    problem: Problem,
) -> actix_web::Error {
    InternalError::from_response(err, problem.error_response()).into()
}

/// JSON bodies: at most [`JSON_LIMIT`] bytes, `application/json`; bad ones get a problem document.
pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(JSON_LIMIT)
        .error_handler(|err, _req| {
            let status = match &err {
                JsonPayloadError::Overflow { .. }
                | JsonPayloadError::OverflowKnownLength { .. } => StatusCode::PAYLOAD_TOO_LARGE,
                JsonPayloadError::ContentType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
                JsonPayloadError::Deserialize(e) if e.is_data() => StatusCode::UNPROCESSABLE_ENTITY,
                _ => StatusCode::BAD_REQUEST,
            };
            let detail = match status {
                StatusCode::PAYLOAD_TOO_LARGE => {
                    format!("The body is larger than {JSON_LIMIT} bytes.")
                }
                StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                    "Send the body as Content-Type: application/json.".to_owned()
                }
                _ => format!("The JSON body could not be read: {err}"),
            };
            let problem = from_extractor(status, detail);
            problem_error(err, problem)
        })
}

/// A path segment of the wrong type (e.g. `/api/v1/responses/abc`) is a 404, as a problem or a page.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err, req| {
        let response = if is_api(req) {
            Problem::not_found(format!("No resource at {}.", req.path())).error_response()
        } else {
            WebError::NotFound(lang_of(req)).error_response()
        };
        InternalError::from_response(err, response).into()
    })
}

/// A query string that cannot be read is a 400, as a problem or a page.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, req| {
        let response = if is_api(req) {
            from_extractor(
                StatusCode::BAD_REQUEST,
                format!("The query string could not be read: {err}"),
            )
            .error_response()
        } else {
            WebError::BadRequest {
                lang: lang_of(req),
                message: format!("{err}"),
                details: vec![],
            }
            .error_response()
        };
        InternalError::from_response(err, response).into()
    })
}

fn lang_of(req: &HttpRequest) -> Lang {
    req.headers()
        .get("accept-language")
        .and_then(|h| h.to_str().ok())
        .and_then(|h| Lang::from_accept_language(h, &Lang::ALL))
        .unwrap_or(Lang::ZhCn)
}

/// No route matched: 404 (a problem under `/api`, the not-found page elsewhere).
pub async fn unrouted(req: HttpRequest) -> HttpResponse {
    if is_api(&req) {
        Problem::not_found(format!("No resource at {}.", req.path())).error_response()
    } else {
        WebError::NotFound(lang_of(&req)).error_response()
    }
}
