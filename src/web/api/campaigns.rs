//! `GET /api/v1/campaigns`: email campaigns.

use crate::store::directory;
use crate::web::api::auth::ApiUser;
use crate::web::api::problem::Problem;
use crate::web::api::schema::CampaignView;
use actix_web::HttpResponse;

/// Email campaigns of the questionnaires the caller may see, newest first.
#[utoipa::path(
    operation_id = "listCampaigns",
    get, path = "/api/v1/campaigns", tag = "campaigns",
    responses(
        (status = 200, description = "Campaigns", body = Vec<CampaignView>),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Needs the designer role", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub(crate) async fn list(api: ApiUser) -> Result<HttpResponse, Problem> {
    let scope = api.scope().await?;
    let mut out = Vec::new();
    for d in directory::campaigns(&api.state.db).await? {
        if !scope.allows(d.questionnaire_id) {
            continue;
        }
        out.push(CampaignView {
            id: d.id,
            questionnaire_id: d.questionnaire_id,
            name: d.name,
            kind: d.kind,
            status: d.status.to_string(),
            brand_id: d.brand_id,
            send_at: d.send_at,
            expires_at: d.expires_at,
            created_at: d.created_at,
        });
    }
    Ok(HttpResponse::Ok().json(out))
}
