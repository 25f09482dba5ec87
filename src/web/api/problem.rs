//! RFC 9457 problem details (`application/problem+json`): every error of the JSON API.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, ResponseError, http::header};
use serde::Serialize;
use std::fmt;
use utoipa::ToSchema;

/// One field or item that was refused, e.g. an answer outside its scale.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FieldError {
    /// The field or indicator code the problem is about.
    pub field: String,
    /// A machine-readable code, e.g. `out_of_scale`.
    pub code: String,
    /// What was wrong, in English.
    pub message: String,
}

/// A problem details document (RFC 9457).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem; `about:blank` when the status says it all.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Every refused field, for validation problems.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

impl Problem {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Problem {
        Problem {
            kind: "about:blank".into(),
            title: status.canonical_reason().unwrap_or("Error").into(),
            status: status.as_u16(),
            detail: detail.into(),
            errors: vec![],
        }
    }

    /// A problem whose `type` names it under `/api/v1/problems/…`.
    pub fn typed(
        status: StatusCode,
        kind: &str,
        title: &str,
        detail: impl Into<String>,
    ) -> Problem {
        Problem {
            kind: format!("/api/v1/problems/{kind}"),
            title: title.into(),
            status: status.as_u16(),
            detail: detail.into(),
            errors: vec![],
        }
    }

    pub fn unauthorized(detail: impl Into<String>) -> Problem {
        Problem::typed(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Authentication required",
            detail,
        )
    }

    pub fn forbidden(detail: impl Into<String>) -> Problem {
        Problem::typed(StatusCode::FORBIDDEN, "forbidden", "Not allowed", detail)
    }

    pub fn not_found(detail: impl Into<String>) -> Problem {
        Problem::typed(StatusCode::NOT_FOUND, "not-found", "Not found", detail)
    }

    pub fn invalid(detail: impl Into<String>, errors: Vec<FieldError>) -> Problem {
        Problem {
            errors,
            ..Problem::typed(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                "The request is not valid",
                detail,
            )
        }
    }

    pub fn internal() -> Problem {
        Problem::typed(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Internal error",
            "An internal error occurred and has been logged.",
        )
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.status, self.title, self.detail)
    }
}

impl ResponseError for Problem {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        response
            .content_type("application/problem+json")
            .insert_header(("Cache-Control", "no-store"));
        if self.status == 401 {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"yardstick\""));
        }
        response.body(serde_json::to_string(self).unwrap_or_default())
    }
}

impl From<sea_orm::DbErr> for Problem {
    fn from(e: sea_orm::DbErr) -> Problem {
        tracing::error!(error = ?e, "API request failed");
        Problem::internal()
    }
}

/// Whether a request is for the JSON API (its errors are problem details, not pages).
pub fn is_api(req: &HttpRequest) -> bool {
    req.path() == "/api" || req.path().starts_with("/api/")
}

/// The status of an extractor error (bad JSON, bad path or query, too large a body) as a problem.
pub fn from_extractor(status: StatusCode, detail: String) -> Problem {
    Problem::typed(
        status,
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            "too-large"
        } else {
            "bad-request"
        },
        status.canonical_reason().unwrap_or("Bad request"),
        detail,
    )
}
