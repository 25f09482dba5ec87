//! `Authorization: Bearer <token>`: the API caller, and the role and questionnaire checks on it.

use crate::domain::Role;
use crate::store::users::User;
use crate::store::{api_tokens, questionnaire_access};
use crate::web::AppState;
use crate::web::api::problem::Problem;
use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, web};
use std::future::Future;
use std::pin::Pin;

/// The user behind a valid API token.
pub struct ApiUser {
    pub user: User,
    pub state: web::Data<AppState>,
}

/// The user of the request's API token, authenticated once: the access gate of the route
/// table and the handler's `ApiUser` share it (request extensions).
async fn authenticate(req: &HttpRequest) -> Result<ApiUser, Problem> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(Problem::internal)?;
    if let Some(user) = req.extensions().get::<User>() {
        return Ok(ApiUser {
            user: user.clone(),
            state,
        });
    }
    let header = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .ok_or_else(|| {
            Problem::unauthorized("Send an API token as `Authorization: Bearer <token>`.")
        })?;
    let token = header
        .strip_prefix("Bearer ")
        .or_else(|| header.strip_prefix("bearer "))
        .map(str::trim)
        .ok_or_else(|| {
            Problem::unauthorized("The Authorization header must use the Bearer scheme.")
        })?;
    let user = api_tokens::authenticate(&state.db, token)
        .await?
        .ok_or_else(|| {
            Problem::unauthorized(
                "The API token is not valid, was revoked, or its user is disabled.",
            )
        })?;
    req.extensions_mut().insert(user.clone());
    Ok(ApiUser { user, state })
}

impl FromRequest for ApiUser {
    type Error = Problem;
    type Future = Pin<Box<dyn Future<Output = Result<ApiUser, Problem>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { authenticate(&req).await })
    }
}

impl ApiUser {
    /// The access check of a `Token(role)` route (see [`crate::web::routes`]): 401 without a
    /// valid token, 403 for a user whose role does not include `role`.
    pub(crate) async fn admit(req: &HttpRequest, role: Role) -> Result<(), Problem> {
        let api = authenticate(req).await?;
        if api.user.role.allows(role) {
            Ok(())
        } else {
            Err(Problem::forbidden(format!(
                "This needs the {role} role; the token's user is a {}.",
                api.user.role
            )))
        }
    }

    /// Refuses a user limited to other questionnaires.
    pub async fn check_questionnaire(&self, questionnaire_id: i32) -> Result<(), Problem> {
        if !self.scope().await?.allows(questionnaire_id) {
            return Err(Problem::forbidden(format!(
                "This token's user may not open questionnaire {questionnaire_id}."
            )));
        }
        Ok(())
    }

    /// The questionnaires the token's user may see (for filtering lists).
    pub async fn scope(&self) -> Result<questionnaire_access::Scope, Problem> {
        Ok(questionnaire_access::scope_of(&self.state.db, self.user.id, self.user.role).await?)
    }
}
