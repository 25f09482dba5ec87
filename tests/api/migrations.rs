//! Migrations run up and down on the test database (SQLite or PostgreSQL).

use crate::helpers::fresh_database_url;
use sea_orm::{ConnectionTrait, Statement};
use yardstick::store;

async fn table_exists(db: &sea_orm::DatabaseConnection, table: &str) -> bool {
    let backend = db.get_database_backend();
    db.query_one_raw(Statement::from_string(
        backend,
        format!("SELECT COUNT(*) AS n FROM {table}"),
    ))
    .await
    .is_ok()
}

#[tokio::test]
async fn migrations_run_up_down_and_up_again() {
    let db = store::connect(&fresh_database_url().await).await.unwrap();
    store::migrate(&db).await.unwrap();
    for table in [
        "users",
        "models",
        "indicators",
        "questionnaire_versions",
        "responses",
        "answers",
        "outbox",
        "audit_log",
        "invitations",
    ] {
        assert!(table_exists(&db, table).await, "{table} exists after up");
    }
    store::migrate_down(&db).await.unwrap();
    for table in ["users", "responses", "answers", "outbox"] {
        assert!(
            !table_exists(&db, table).await,
            "{table} is gone after down"
        );
    }
    store::migrate(&db).await.unwrap();
    assert!(table_exists(&db, "answers").await);
}
