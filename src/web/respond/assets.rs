//! The respondent stylesheet and script, compiled in and served with a day's caching.

use actix_web::HttpResponse;

const STYLESHEET: &str = include_str!("../static/survey.css");
const SCRIPT: &str = include_str!("../static/survey.js");

/// The respondent stylesheet: small, cached, the only one survey pages load.
pub(crate) async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .body(STYLESHEET)
}

/// Optional niceties for survey pages; every page works without it.
pub(crate) async fn script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .body(SCRIPT)
}
