//! Persistence: the database connection, migrations, sea-orm entities and the queries the app needs.

pub mod api_tokens;
pub mod audit;
pub mod brands;
pub mod campaigns;
pub mod contacts;
pub mod directory;
pub mod drafts;
pub mod entities;
pub mod models;
pub mod outbox;
pub mod privacy;
pub mod progress;
pub mod questionnaire_access;
pub mod questionnaire_settings;
pub mod questionnaires;
pub mod report_runs;
pub mod response_details;
pub mod responses;
pub mod user_admin;
pub mod users;
pub mod webhooks;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};
use std::time::Duration;

/// Opens the database: SQLite with WAL, foreign keys and a busy timeout, or PostgreSQL.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .acquire_timeout(Duration::from_secs(10))
        .map_sqlx_sqlite_opts(|o: SqliteConnectOptions| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
        });
    if url.starts_with("sqlite:") {
        // In-memory databases exist per connection; keep one so every query sees the same data.
        let max = if url.contains(":memory:") { 1 } else { 8 };
        options.max_connections(max).min_connections(1);
    } else {
        options.max_connections(20);
    }
    Database::connect(options).await
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Reverts every migration (used by the migration test).
pub async fn migrate_down(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::down(db, None).await
}

/// The current time, truncated to microseconds so SQLite and PostgreSQL store the same value.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::{SubsecRound, Utc};
    Utc::now().trunc_subsecs(6)
}
