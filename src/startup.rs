//! Builds the actix application on a listener; tests start it on port 0.

use crate::config::Settings;
use crate::store;
use crate::web::{self, AppState};
use actix_session::SessionMiddleware;
use actix_session::config::{CookieContentSecurity, PersistentSession};
use actix_session::storage::CookieSessionStore;
use actix_web::cookie::{Key, SameSite};
use actix_web::dev::Server;
use actix_web::middleware::{DefaultHeaders, Logger, from_fn};
use actix_web::{App, HttpServer};
use sea_orm::DatabaseConnection;
use std::net::TcpListener;

/// A bound, migrated, ready-to-run Yardstick.
pub struct Application {
    port: u16,
    server: Server,
    pub db: DatabaseConnection,
    pub public_url: String,
    /// What every handler shares (tests reach the survey cache through it).
    pub state: actix_web::web::Data<AppState>,
    /// The outbox worker (mail sending and the campaign scheduler), started with the app.
    pub mail_worker: tokio::task::JoinHandle<()>,
}

/// Security headers for every response: no inline script, no framing, no sniffing.
fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
        ))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "same-origin"))
        .add(("X-Frame-Options", "DENY"))
}

fn session_key(settings: &Settings) -> Key {
    if settings.secret_key.is_empty() {
        Key::generate()
    } else {
        Key::derive_from(settings.secret_key.as_bytes())
    }
}

/// Bad form bodies (malformed or too large) get a 400/413 with a readable message.
fn form_config() -> actix_web::web::FormConfig {
    actix_web::web::FormConfig::default()
        .limit(64 * 1024)
        .error_handler(|err, _req| web::access::form_error(err))
}

/// File uploads (contacts, field data): each form field has its own limit (at most 16 MB, a
/// field-data file); the whole form may be held in memory up to just above that.
fn upload_config() -> actix_multipart::form::MultipartFormConfig {
    actix_multipart::form::MultipartFormConfig::default()
        .total_limit(17 * 1024 * 1024)
        .memory_limit(17 * 1024 * 1024)
}

impl Application {
    /// Connects to the database, migrates it and binds the listener.
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        let db = store::connect(&settings.database_url).await?;
        store::migrate(&db).await?;
        Application::build_with(settings, db).await
    }

    /// Binds the listener for an already migrated database.
    pub async fn build_with(
        settings: Settings,
        db: DatabaseConnection,
    ) -> anyhow::Result<Application> {
        let listener = TcpListener::bind((settings.host.as_str(), settings.port)).map_err(|e| {
            anyhow::anyhow!("cannot listen on {}:{}: {e}", settings.host, settings.port)
        })?;
        let port = listener.local_addr()?.port();
        let public_url = settings.public_url(port);
        let key = session_key(&settings);
        let secure = settings.is_https();
        let session_ttl = actix_web::cookie::time::Duration::minutes(settings.session_minutes);
        let mail_worker = crate::jobs::mail_outbox::spawn(db.clone(), &settings, &public_url)?;
        // Webhook deliveries (outbox rows of kind `webhook`) and the retention purge run beside the mail worker.
        tokio::spawn(crate::jobs::webhooks::run(
            db.clone(),
            crate::jobs::webhooks::Deliverer::new(
                settings.webhook_private_targets,
                settings.webhook_retry_seconds,
            ),
        ));
        tokio::spawn(crate::jobs::retention::run(
            db.clone(),
            settings.retention_days,
        ));
        let state =
            actix_web::web::Data::new(AppState::new(db.clone(), settings, public_url.clone()));
        let shared = state.clone();
        let server = HttpServer::new(move || {
            App::new()
                .wrap(security_headers())
                .wrap(
                    SessionMiddleware::builder(CookieSessionStore::default(), key.clone())
                        .cookie_name("yardstick".into())
                        .cookie_secure(secure)
                        .cookie_http_only(true)
                        .cookie_same_site(SameSite::Lax)
                        .cookie_content_security(CookieContentSecurity::Private)
                        .session_lifecycle(PersistentSession::default().session_ttl(session_ttl))
                        .build(),
                )
                .wrap(from_fn(web::respond::survey_cache::forget_after_changes))
                .wrap(Logger::new("%r %s %Dms"))
                .app_data(shared.clone())
                .app_data(form_config())
                .app_data(upload_config())
                .app_data(web::api_errors::json_config())
                .app_data(web::api_errors::path_config())
                .app_data(web::api_errors::query_config())
                .default_service(actix_web::web::to(web::api_errors::unrouted))
                .configure(web::routes)
        })
        .listen(listener)?
        .run();
        Ok(Application {
            port,
            server,
            db,
            public_url,
            state,
            mail_worker,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}
