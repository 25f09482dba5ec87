//! HTTP: handlers by audience (respond, design, reports, admin), shared context, pages and errors.

pub mod access;
pub mod account;
pub mod admin;
pub mod api;
pub mod api_errors;
pub mod client_address;
pub mod context;
pub mod design;
pub mod error;
pub mod outreach;
pub mod render;
pub mod reports;
pub mod respond;
pub mod routes;

pub use client_address::client_address;

use crate::config::Settings;
use crate::domain::Model;
use crate::store::group_commit::GroupCommit;
use actix_web::{HttpResponse, web};
use sea_orm::{DatabaseConnection, DbErr};
use std::collections::HashMap;
use std::sync::Arc;

/// What every handler shares.
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Settings,
    /// The address respondents and emails use.
    pub public_url: String,
    /// Stored models by id; frozen (published) ones cached.
    models: Arc<crate::store::models::FrozenModels>,
    /// Report runs in the background, and their results.
    pub reports: crate::jobs::report_runs::ReportRunner,
    /// Sign-in attempts per client address.
    pub login_limiter: account::throttle::LoginLimiter,
    /// Survey submissions per client address.
    pub submissions: respond::SubmissionLimiter,
    /// Published survey data the respondent pages read on every request.
    pub survey_cache: respond::survey_cache::SurveyCache,
    /// Respondents' answers, committed in groups.
    pub answer_writer: GroupCommit,
}

impl AppState {
    /// The app state, with the answer writers started on the current Tokio runtime.
    pub fn new(db: DatabaseConnection, settings: Settings, public_url: String) -> AppState {
        // SQLite has one writer at a time; PostgreSQL commits several batches at once.
        let writers = if settings.database_url.starts_with("sqlite:") {
            1
        } else {
            4
        };
        let models = Arc::new(crate::store::models::FrozenModels::default());
        AppState {
            reports: crate::jobs::report_runs::ReportRunner::new(
                db.clone(),
                models.clone(),
                settings.min_sample,
            ),
            answer_writer: GroupCommit::spawn(db.clone(), writers),
            survey_cache: respond::survey_cache::SurveyCache::default(),
            db,
            login_limiter: account::throttle::LoginLimiter::new(settings.login_attempts_per_minute),
            submissions: respond::SubmissionLimiter::new(settings.submissions_per_second),
            settings,
            public_url,
            models,
        }
    }

    /// A stored model, from the cache when it is frozen.
    pub async fn model(&self, model_id: i32) -> Result<Arc<Model>, DbErr> {
        self.models.get(&self.db, model_id).await
    }

    /// Indicator ids by code of a model read through [`AppState::model`] (cached when frozen).
    pub async fn indicator_ids(&self, model_id: i32) -> Result<Arc<HashMap<String, i32>>, DbErr> {
        let frozen = self.models.holds(model_id);
        self.survey_cache
            .indicator_ids(&self.db, model_id, frozen)
            .await
    }
}

const STYLESHEET: &str = include_str!("static/app.css");

async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .body(STYLESHEET)
}

async fn health(state: web::Data<AppState>) -> HttpResponse {
    match state.db.ping().await {
        Ok(()) => HttpResponse::Ok().json(serde_json::json!({ "status": "ok" })),
        Err(e) => HttpResponse::ServiceUnavailable()
            .json(serde_json::json!({ "status": "database unavailable", "detail": e.to_string() })),
    }
}

/// Every route of the app, registered from the one table in [`routes::ROUTES`].
pub fn routes(cfg: &mut web::ServiceConfig) {
    routes::register(cfg);
}
