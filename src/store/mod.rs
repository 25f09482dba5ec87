//! Persistence: the database connection, migrations, sea-orm entities and the queries the app needs.

pub mod api_tokens;
pub mod audit;
pub mod brands;
pub mod campaigns;
pub mod contacts;
pub mod directory;
pub mod drafts;
pub mod entities;
pub mod group_commit;
pub mod lockout;
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
pub mod sessions;
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
                // Read pages through a memory map instead of a read() call each.
                .pragma("mmap_size", "268435456")
                // Overwrite deleted content with zeros, so erased personal data is gone from
                // the file, not only from the tables (see `scrub_erased`).
                .pragma("secure_delete", "ON")
        });
    if url.starts_with("sqlite:") {
        // In-memory databases exist per connection; keep one so every query sees the same data.
        let max = if url.contains(":memory:") { 1 } else { 8 };
        options
            .max_connections(max)
            .min_connections(1)
            .map_sqlx_sqlite_pool_opts(|pool| {
                pool.after_connect(|connection, _| {
                    Box::pin(async move {
                        let mut handle = connection.lock_handle().await?;
                        stable_query_plans(handle.as_raw_handle())
                    })
                })
            });
    } else {
        options.max_connections(20);
    }
    Database::connect(options).await
}

/// Turns on SQLite's query planner stability guarantee for one connection.
///
/// Without it SQLite compiles a statement anew whenever a parameter the planner looked at is
/// bound again — and sea-orm binds every `LIMIT` as a parameter, so each `.one()` query was
/// re-prepared on every call (a quarter of the server's time under the survey load benchmark).
/// With it, plans never depend on bound values, which Yardstick's queries do not need.
fn stable_query_plans(
    db: std::ptr::NonNull<libsqlite3_sys::sqlite3>,
) -> Result<(), sea_orm::sqlx::Error> {
    use libsqlite3_sys::{SQLITE_DBCONFIG_ENABLE_QPSG, SQLITE_OK, sqlite3_db_config};
    use std::ffi::c_int;
    // SAFETY: `db` is the live handle sqlx has locked for us, and the arguments follow
    // SQLITE_DBCONFIG_ENABLE_QPSG's documented signature (int flag, int* result or NULL).
    let code = unsafe {
        sqlite3_db_config(
            db.as_ptr(),
            SQLITE_DBCONFIG_ENABLE_QPSG,
            1 as c_int,
            std::ptr::null_mut::<c_int>(),
        )
    };
    if code == SQLITE_OK {
        Ok(())
    } else {
        Err(sea_orm::sqlx::Error::Configuration(
            format!("SQLite refused the query planner stability setting (code {code})").into(),
        ))
    }
}

/// Removes the last copies of erased rows from the database files, after an erasure committed.
///
/// SQLite: `secure_delete` (on for every connection) zeroes deleted content in the newest page
/// versions, and a `TRUNCATE` checkpoint copies those pages back and empties the write-ahead log,
/// which still holds the older versions. PostgreSQL: `VACUUM` removes the dead row versions
/// of the tables that hold personal data (copies in WAL archives and backups age out with them).
pub async fn scrub_erased(db: &DatabaseConnection) -> Result<(), DbErr> {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            // A checkpoint cannot finish while a reader still uses an older snapshot; retry briefly.
            for _ in 0..50 {
                let busy: i32 = db
                    .query_one_raw(Statement::from_string(
                        DbBackend::Sqlite,
                        "PRAGMA wal_checkpoint(TRUNCATE)",
                    ))
                    .await?
                    .map(|row| row.try_get_by_index(0))
                    .transpose()?
                    .unwrap_or(0);
                if busy == 0 {
                    return Ok(());
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Err(DbErr::Custom(
                "the write-ahead log stayed busy; erased data leaves it at the next checkpoint"
                    .into(),
            ))
        }
        _ => {
            db.execute_unprepared("VACUUM contacts, invitations, responses, outbox")
                .await?;
            Ok(())
        }
    }
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
