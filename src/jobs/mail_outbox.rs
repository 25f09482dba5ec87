//! The outbox worker: claims due rows with a lease, sends them over SMTP, marks them sent or schedules a retry.
//!
//! Delivery is at least once with a bound: a row is only marked sent after the SMTP server accepted it,
//! so a crash between acceptance and the mark resends that row (same Message-ID) once its lease runs out.
//! At most `mail_batch` rows are in flight at a time, which bounds the duplicates a crash can cause.

use super::campaign_scheduler::{self as scheduler, Mailing};
use crate::config::Settings;
use crate::mail::transport::{self, Mailer};
use crate::store::entities::outbox as outbox_rows;
use crate::store::outbox::{self, kind};
use chrono::{DateTime, Duration, Utc};
use lettre::AsyncTransport;
use sea_orm::DatabaseConnection;
use std::time::Duration as StdDuration;

/// The worker's timings and limits (from the `mail_*` settings).
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    pub poll: StdDuration,
    pub retry_base: Duration,
    pub retry_cap: Duration,
    pub max_attempts: u32,
    pub lease: Duration,
    pub batch: u32,
}

impl WorkerConfig {
    pub fn from_settings(settings: &Settings) -> WorkerConfig {
        WorkerConfig {
            poll: StdDuration::from_millis(settings.mail_poll_ms),
            retry_base: Duration::milliseconds(settings.mail_retry_base_ms as i64),
            retry_cap: Duration::milliseconds(settings.mail_retry_cap_ms as i64),
            max_attempts: settings.mail_max_attempts,
            lease: Duration::milliseconds(settings.mail_lease_ms as i64),
            batch: settings.mail_batch,
        }
    }

    /// When to try again after `attempts` failed attempts: base · 2^(attempts−1), at most the cap.
    /// `None` once the attempts are used up.
    pub fn retry_at(&self, attempts: i32, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if attempts >= self.max_attempts as i32 {
            return None;
        }
        let exponent = (attempts.max(1) - 1).min(30) as u32;
        let delay = self
            .retry_base
            .checked_mul(2i32.saturating_pow(exponent))
            .unwrap_or(self.retry_cap)
            .min(self.retry_cap);
        Some(now + delay)
    }
}

/// Everything a running worker holds.
pub struct Worker {
    db: DatabaseConnection,
    mailer: Mailer,
    from: String,
    mailing: Mailing,
    config: WorkerConfig,
}

/// What happened to one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    Retry,
    Failed,
}

impl Worker {
    pub fn new(
        db: DatabaseConnection,
        settings: &Settings,
        public_url: &str,
    ) -> anyhow::Result<Worker> {
        Ok(Worker {
            mailer: transport::mailer(settings)?,
            from: settings.mail_from.clone(),
            mailing: Mailing {
                public_url: public_url.trim_end_matches('/').to_owned(),
                domain: transport::sender_domain(&settings.mail_from),
            },
            config: WorkerConfig::from_settings(settings),
            db,
        })
    }

    /// Runs until the task is dropped: scheduler tick, then the outbox, then a pause when there was nothing to do.
    pub async fn run(self) {
        tracing::info!(poll = ?self.config.poll, batch = self.config.batch, "mail worker started");
        loop {
            if let Err(e) = scheduler::tick(&self.db, &self.mailing, self.config.lease).await {
                tracing::error!(error = %format!("{e:#}"), "mail scheduler tick failed");
            }
            match self.send_batch().await {
                Ok(n) if n > 0 => continue,
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "mail worker could not read the outbox"),
            }
            tokio::time::sleep(self.config.poll).await;
        }
    }

    /// Claims one batch and sends it concurrently; returns how many rows were handled.
    pub async fn send_batch(&self) -> Result<usize, sea_orm::DbErr> {
        let rows = outbox::claim(
            &self.db,
            &kind::EMAILS,
            u64::from(self.config.batch),
            self.config.lease,
        )
        .await?;
        let count = rows.len();
        let mut tasks = tokio::task::JoinSet::new();
        for row in rows {
            let (db, mailer, from, config) = (
                self.db.clone(),
                self.mailer.clone(),
                self.from.clone(),
                self.config.clone(),
            );
            tasks.spawn(async move { deliver(&db, &mailer, &from, &config, row).await });
        }
        while let Some(done) = tasks.join_next().await {
            match done {
                Ok(Err(e)) => {
                    tracing::error!(error = %e, "mail worker could not record a delivery")
                }
                Err(e) => tracing::error!(error = %e, "mail delivery task panicked"),
                Ok(Ok(_)) => {}
            }
        }
        Ok(count)
    }
}

/// Sends one claimed row and records the outcome.
pub async fn deliver(
    db: &DatabaseConnection,
    mailer: &Mailer,
    from: &str,
    config: &WorkerConfig,
    row: outbox_rows::Model,
) -> Result<Outcome, sea_orm::DbErr> {
    let message = match transport::message_of(&row, from) {
        Ok(message) => message,
        Err(e) => {
            outbox::mark_failed(db, &row, &e.to_string(), None).await?;
            return Ok(Outcome::Failed);
        }
    };
    match mailer.send(message).await {
        Ok(_) => {
            outbox::mark_sent(db, &row).await?;
            Ok(Outcome::Sent)
        }
        Err(e) => {
            let retry_at = if e.is_permanent() {
                None
            } else {
                config.retry_at(row.attempts, Utc::now())
            };
            tracing::warn!(id = row.id, attempts = row.attempts, permanent = e.is_permanent(), error = %e, "email not sent");
            outbox::mark_failed(db, &row, &e.to_string(), retry_at).await?;
            Ok(if retry_at.is_some() {
                Outcome::Retry
            } else {
                Outcome::Failed
            })
        }
    }
}

/// Starts the worker on the current runtime; it stops when the returned handle is aborted or the runtime ends.
pub fn spawn(
    db: DatabaseConnection,
    settings: &Settings,
    public_url: &str,
) -> anyhow::Result<tokio::task::JoinHandle<()>> {
    let worker = Worker::new(db, settings, public_url)?;
    Ok(tokio::spawn(worker.run()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_then_gives_up() {
        let config = WorkerConfig {
            poll: StdDuration::from_millis(10),
            retry_base: Duration::seconds(30),
            retry_cap: Duration::seconds(100),
            max_attempts: 5,
            lease: Duration::seconds(60),
            batch: 4,
        };
        let now = Utc::now();
        assert_eq!(config.retry_at(1, now), Some(now + Duration::seconds(30)));
        assert_eq!(config.retry_at(2, now), Some(now + Duration::seconds(60)));
        assert_eq!(config.retry_at(3, now), Some(now + Duration::seconds(100)));
        assert_eq!(config.retry_at(4, now), Some(now + Duration::seconds(100)));
        assert_eq!(config.retry_at(5, now), None);
    }
}
