//! The JSON API under `/api/v1`: bearer-token auth, problem-details errors, and its OpenAPI document.

pub mod auth;
pub mod campaigns;
pub mod contacts;
pub mod problem;
pub mod questionnaires;
pub mod responses;
pub mod results;
pub mod schema;

use actix_web::HttpResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// Adds the bearer-token security scheme every endpoint but this document uses.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A personal API token from the account page (`ys_…`)."))
                    .build(),
            ),
        );
    }
}

/// The OpenAPI document of `/api/v1`, generated from the handlers and their types.
#[derive(OpenApi)]
#[openapi(
    info(title = "Yardstick API", version = "1.0.0", description = "Questionnaires, responses, contacts, campaigns and results of a Yardstick instance. Errors are RFC 9457 problem details."),
    paths(
        questionnaires::list,
        questionnaires::get,
        responses::list,
        responses::get,
        responses::submit,
        results::get,
        contacts::list,
        contacts::create,
        campaigns::list,
    ),
    components(schemas(crate::web::api::problem::Problem, crate::web::api::problem::FieldError)),
    modifiers(&BearerToken),
    tags((name = "questionnaires"), (name = "responses"), (name = "contacts"), (name = "campaigns"), (name = "results"))
)]
pub struct ApiDoc;

pub(crate) async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(ApiDoc::openapi().to_json().unwrap_or_default())
}
