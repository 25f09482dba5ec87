//! The durable outbox: rows are queued, claimed with a lease, then marked sent or retried — for any kind of message.

use super::entities::{invitations, outbox};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr,
    EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect, Statement,
    TransactionTrait, Value,
};

/// Row states (stored as before: `held`, `queued`, `sending`, `sent`, `failed`, `cancelled`).
pub use super::entities::OutboxStatus;

/// Row kinds of email; a webhook sender claims its own kind with the same functions.
pub mod kind {
    pub const INVITATION: &str = "invitation";
    pub const REMINDER: &str = "reminder";
    pub const EMAILS: [&str; 2] = [INVITATION, REMINDER];
}

/// A message to be written to the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMessage {
    pub kind: &'static str,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    /// Extra headers, e.g. `List-Unsubscribe`.
    pub headers: Vec<(String, String)>,
    /// Stable for the row's whole life, so a resend is recognisable as the same message.
    pub message_id: String,
    pub invitation_id: Option<i32>,
    /// `queued` (send when due) or `held` (wait for the scheduler to release it).
    pub status: OutboxStatus,
    pub due_at: DateTime<Utc>,
}

/// A fresh, globally unique Message-ID for `domain`.
pub fn new_message_id(domain: &str) -> String {
    format!("<{}@{}>", uuid::Uuid::new_v4().simple(), domain)
}

/// Writes a message; call it inside the transaction that creates what the message is about.
pub async fn enqueue(db: &impl ConnectionTrait, message: NewMessage) -> Result<i32, DbErr> {
    let headers = serde_json::to_string(&message.headers).unwrap_or_else(|_| "[]".into());
    let row = outbox::ActiveModel {
        kind: Set(message.kind.to_owned()),
        recipient: Set(message.recipient),
        subject: Set(message.subject),
        body_text: Set(message.body_text),
        body_html: Set(message.body_html),
        headers: Set(headers),
        message_id: Set(message.message_id),
        invitation_id: Set(message.invitation_id),
        status: Set(message.status),
        attempts: Set(0),
        next_attempt_at: Set(message.due_at),
        claimed_at: Set(None),
        sent_at: Set(None),
        last_error: Set(None),
        created_at: Set(super::now()),
        claim_token: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

/// The extra headers of a row.
pub fn headers_of(row: &outbox::Model) -> Vec<(String, String)> {
    serde_json::from_str(&row.headers).unwrap_or_default()
}

fn placeholders(backend: DatabaseBackend, from: usize, count: usize) -> Vec<String> {
    (from..from + count)
        .map(|i| {
            if backend == DatabaseBackend::Postgres {
                format!("${i}")
            } else {
                "?".to_owned()
            }
        })
        .collect()
}

/// Claims up to `limit` rows of `kinds` that are due, or whose previous claim's lease ran out
/// (the worker holding it died). Each claimed row is `sending` with a fresh claim token and one more attempt.
pub async fn claim(
    db: &impl ConnectionTrait,
    kinds: &[&str],
    limit: u64,
    lease: Duration,
) -> Result<Vec<outbox::Model>, DbErr> {
    let backend = db.get_database_backend();
    let now = super::now();
    let token = uuid::Uuid::new_v4().simple().to_string();
    // Placeholders in textual order: now, token, kinds…, now, expired, limit.
    let p = placeholders(backend, 1, 5 + kinds.len());
    let k = kinds.len();
    let lock = if backend == DatabaseBackend::Postgres {
        " FOR UPDATE SKIP LOCKED"
    } else {
        ""
    };
    let sql = format!(
        "UPDATE outbox SET status = 'sending', claimed_at = {}, claim_token = {}, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM outbox WHERE kind IN ({}) \
           AND ((status = 'queued' AND next_attempt_at <= {}) OR (status = 'sending' AND claimed_at < {})) \
           ORDER BY next_attempt_at, id LIMIT {}{lock})",
        p[0],
        p[1],
        p[2..2 + k].join(", "),
        p[2 + k],
        p[3 + k],
        p[4 + k],
    );
    let mut values: Vec<Value> = vec![now.into(), token.clone().into()];
    values.extend(kinds.iter().map(|k| Value::from(k.to_string())));
    values.extend([now.into(), (now - lease).into(), Value::from(limit as i64)]);
    db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    outbox::Entity::find()
        .filter(outbox::Column::ClaimToken.eq(token))
        .filter(outbox::Column::Status.eq(OutboxStatus::Sending))
        .order_by_asc(outbox::Column::Id)
        .all(db)
        .await
}

/// Marks a claimed row sent (only if the claim is still ours) and records the delivery on its invitation.
pub async fn mark_sent(
    db: &sea_orm::DatabaseConnection,
    row: &outbox::Model,
) -> Result<bool, DbErr> {
    let now = super::now();
    let txn = db.begin().await?;
    let result = outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(OutboxStatus::Sent))
        .col_expr(outbox::Column::SentAt, Some(now).into())
        .col_expr(outbox::Column::LastError, Option::<String>::None.into())
        .filter(outbox::Column::Id.eq(row.id))
        .filter(outbox::Column::ClaimToken.eq(row.claim_token.clone()))
        .filter(outbox::Column::Status.eq(OutboxStatus::Sending))
        .exec(&txn)
        .await?;
    let ours = result.rows_affected == 1;
    if ours && let Some(invitation_id) = row.invitation_id {
        let update =
            invitations::Entity::update_many().filter(invitations::Column::Id.eq(invitation_id));
        let update = match row.kind.as_str() {
            kind::INVITATION => update
                .col_expr(invitations::Column::SentAt, Some(now).into())
                .filter(invitations::Column::SentAt.is_null()),
            kind::REMINDER => update
                .col_expr(
                    invitations::Column::RemindersSent,
                    sea_orm::sea_query::Expr::col(invitations::Column::RemindersSent).add(1i32),
                )
                .col_expr(invitations::Column::LastRemindedAt, Some(now).into()),
            _ => update.filter(invitations::Column::Id.eq(-1)),
        };
        update.exec(&txn).await?;
    }
    txn.commit().await?;
    Ok(ours)
}

/// Records a failed attempt: back to `queued` at `retry_at`, or `failed` for good when `retry_at` is `None`.
pub async fn mark_failed(
    db: &impl ConnectionTrait,
    row: &outbox::Model,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> Result<(), DbErr> {
    let error: String = error.chars().take(1000).collect();
    let mut update = outbox::Entity::update_many()
        .col_expr(outbox::Column::LastError, Some(error).into())
        .col_expr(outbox::Column::ClaimToken, Option::<String>::None.into())
        .filter(outbox::Column::Id.eq(row.id))
        .filter(outbox::Column::ClaimToken.eq(row.claim_token.clone()))
        .filter(outbox::Column::Status.eq(OutboxStatus::Sending));
    update = match retry_at {
        Some(at) => update
            .col_expr(outbox::Column::Status, Expr::value(OutboxStatus::Queued))
            .col_expr(outbox::Column::NextAttemptAt, at.into()),
        None => update.col_expr(outbox::Column::Status, Expr::value(OutboxStatus::Failed)),
    };
    update.exec(db).await?;
    Ok(())
}

/// Rows that failed for good, newest first (the dead-letter view).
pub async fn dead_letters(
    db: &impl ConnectionTrait,
    limit: u64,
) -> Result<Vec<outbox::Model>, DbErr> {
    outbox::Entity::find()
        .filter(outbox::Column::Status.eq(OutboxStatus::Failed))
        .order_by_desc(outbox::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// Puts failed rows (one, or all when `id` is `None`) back in the queue with fresh attempts; returns how many.
pub async fn retry_failed(db: &impl ConnectionTrait, id: Option<i32>) -> Result<u64, DbErr> {
    let mut update = outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(OutboxStatus::Queued))
        .col_expr(outbox::Column::Attempts, 0.into())
        .col_expr(outbox::Column::NextAttemptAt, super::now().into())
        .filter(outbox::Column::Status.eq(OutboxStatus::Failed));
    if let Some(id) = id {
        update = update.filter(outbox::Column::Id.eq(id));
    }
    Ok(update.exec(db).await?.rows_affected)
}

#[derive(Debug, FromQueryResult)]
struct StatusCount {
    status: String,
    n: i64,
}

/// How many rows are in each state.
pub async fn counts(db: &impl ConnectionTrait) -> Result<Vec<(String, i64)>, DbErr> {
    let backend = db.get_database_backend();
    let rows = StatusCount::find_by_statement(Statement::from_string(
        backend,
        "SELECT status, COUNT(*) AS n FROM outbox GROUP BY status ORDER BY status",
    ))
    .all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.status, r.n)).collect())
}

/// Cancels every unsent email (queued or held) about the invitations of one contact.
pub async fn cancel_for_contact(db: &impl ConnectionTrait, contact_id: i32) -> Result<u64, DbErr> {
    let backend = db.get_database_backend();
    let p = placeholders(backend, 1, 1);
    let sql = format!(
        "UPDATE outbox SET status = 'cancelled' WHERE status IN ('queued', 'held') \
         AND invitation_id IN (SELECT id FROM invitations WHERE contact_id = {})",
        p[0]
    );
    Ok(db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [contact_id.into()],
        ))
        .await?
        .rows_affected())
}

/// Releases held reminders that are due: cancelled when the contact answered, unsubscribed or the link expired;
/// queued when the first invitation went out; otherwise they keep waiting. Returns (queued, cancelled).
pub async fn release_due_reminders(db: &sea_orm::DatabaseConnection) -> Result<(u64, u64), DbErr> {
    let backend = db.get_database_backend();
    let p = placeholders(backend, 1, 1);
    let now: Value = super::now().into();
    let txn = db.begin().await?;
    let cancel = format!(
        "UPDATE outbox SET status = 'cancelled' WHERE kind = 'reminder' AND status = 'held' AND next_attempt_at <= {now} \
         AND invitation_id IN ( \
           SELECT i.id FROM invitations i LEFT JOIN contacts c ON c.id = i.contact_id \
           WHERE c.id IS NULL OR c.unsubscribed_at IS NOT NULL OR i.expires_at <= {now} \
              OR EXISTS (SELECT 1 FROM responses r WHERE r.invitation_id = i.id AND r.status = 'complete'))",
        now = p[0]
    );
    let values = if backend == DatabaseBackend::Postgres {
        vec![now.clone()]
    } else {
        vec![now.clone(), now.clone()]
    };
    let cancelled = txn
        .execute_raw(Statement::from_sql_and_values(backend, cancel, values))
        .await?
        .rows_affected();
    let queue = format!(
        "UPDATE outbox SET status = 'queued' WHERE kind = 'reminder' AND status = 'held' AND next_attempt_at <= {} \
         AND invitation_id IN (SELECT id FROM invitations WHERE sent_at IS NOT NULL)",
        p[0]
    );
    let queued = txn
        .execute_raw(Statement::from_sql_and_values(backend, queue, [now]))
        .await?
        .rows_affected();
    txn.commit().await?;
    Ok((queued, cancelled))
}
