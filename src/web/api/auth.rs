//! `Authorization: Bearer <token>`: the API caller, and the role and questionnaire checks on it.

use crate::domain::Role;
use crate::store::users::User;
use crate::store::{api_tokens, questionnaire_access};
use crate::web::AppState;
use crate::web::api::problem::Problem;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use std::future::Future;
use std::pin::Pin;

/// The user behind a valid API token.
pub struct ApiUser {
    pub user: User,
    pub state: web::Data<AppState>,
}

impl FromRequest for ApiUser {
    type Error = Problem;
    type Future = Pin<Box<dyn Future<Output = Result<ApiUser, Problem>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .cloned()
                .ok_or_else(Problem::internal)?;
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
            Ok(ApiUser { user, state })
        })
    }
}

impl ApiUser {
    /// Refuses a user whose role does not include `role`.
    pub fn require(&self, role: Role) -> Result<(), Problem> {
        if self.user.role.allows(role) {
            Ok(())
        } else {
            Err(Problem::forbidden(format!(
                "This needs the {role} role; the token's user is a {}.",
                self.user.role
            )))
        }
    }

    /// Refuses a user without `role` or limited to other questionnaires.
    pub async fn require_questionnaire(
        &self,
        role: Role,
        questionnaire_id: i32,
    ) -> Result<(), Problem> {
        self.require(role)?;
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
