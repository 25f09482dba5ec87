//! HTTP: handlers by audience (respond, design, reports, admin), shared context, pages and errors.

pub mod admin;
pub mod auth;
pub mod context;
pub mod design;
pub mod error;
pub mod i18n;
pub mod render;
pub mod reports;
pub mod respond;

use crate::config::Settings;
use crate::domain::Model;
use actix_web::{HttpResponse, get, web};
use sea_orm::{DatabaseConnection, DbErr};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// What every handler shares.
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Settings,
    /// The address respondents and emails use.
    pub public_url: String,
    /// Stored models by id. Only frozen (published) models are cached: they never change.
    models: RwLock<HashMap<i32, Arc<Model>>>,
}

impl AppState {
    pub fn new(db: DatabaseConnection, settings: Settings, public_url: String) -> AppState {
        AppState {
            db,
            settings,
            public_url,
            models: RwLock::new(HashMap::new()),
        }
    }

    /// A stored model, from the cache when it is frozen.
    pub async fn model(&self, model_id: i32) -> Result<Arc<Model>, DbErr> {
        if let Some(model) = self.models.read().expect("model cache lock").get(&model_id) {
            return Ok(model.clone());
        }
        let model = Arc::new(crate::store::models::load(&self.db, model_id).await?);
        if crate::store::models::is_frozen(&self.db, model_id).await? {
            self.models.write().expect("model cache lock").insert(model_id, model.clone());
        }
        Ok(model)
    }
}

const STYLESHEET: &str = include_str!("static/app.css");

#[get("/static/app.css")]
async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .body(STYLESHEET)
}

#[get("/health")]
async fn health(state: web::Data<AppState>) -> HttpResponse {
    match state.db.ping().await {
        Ok(()) => HttpResponse::Ok().json(serde_json::json!({ "status": "ok" })),
        Err(e) => HttpResponse::ServiceUnavailable().json(serde_json::json!({ "status": "database unavailable", "detail": e.to_string() })),
    }
}

/// Every route of the app.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(stylesheet)
        .service(health)
        .service(auth::login_page)
        .service(auth::login)
        .service(auth::logout)
        .service(design::home)
        .service(design::list)
        .service(design::create)
        .service(design::show)
        .service(design::publish)
        .service(respond::thanks)
        .service(respond::show)
        .service(respond::submit)
        .service(reports::show)
        .service(admin::audit_log);
}
