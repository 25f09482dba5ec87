//! The retention of raw personal data: a purge now, and a daily purge while the app runs.

use crate::store::privacy::{self, Erased};
use sea_orm::{DatabaseConnection, DbErr};
use std::time::Duration;

/// Purges personal data older than `days` days.
pub async fn purge_now(db: &DatabaseConnection, days: u32) -> Result<Erased, DbErr> {
    let cutoff = crate::store::now() - chrono::Duration::days(i64::from(days));
    privacy::purge_before(db, cutoff).await
}

/// Runs forever when `days` > 0: a purge at start, then every hour.
pub async fn run(db: DatabaseConnection, days: u32) {
    if days == 0 {
        return;
    }
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        match purge_now(&db, days).await {
            Ok(erased) if erased != Erased::default() => {
                let detail = format!(
                    "{} contacts, {} responses unlinked",
                    erased.contacts, erased.responses_unlinked
                );
                tracing::info!(%detail, "retention purge");
                let _ = crate::store::audit::record(
                    &db,
                    &crate::store::audit::Actor::system("retention"),
                    "purge personal data",
                    &format!("older than {days} days"),
                    &detail,
                )
                .await;
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "retention purge failed"),
        }
    }
}
