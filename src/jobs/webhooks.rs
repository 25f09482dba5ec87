//! Webhook delivery: claims outbox rows of kind `webhook`, POSTs them signed with HMAC-SHA256, retries with backoff.
//!
//! The receiver checks `X-Yardstick-Signature: sha256=<hex>` where the hex is
//! HMAC-SHA256 with the webhook's secret over `<X-Yardstick-Timestamp>.<body>`.
//! Claims are leases (`store::outbox::claim`): a delivery whose worker died is
//! picked up again once its lease runs out, so nothing queued is lost.

use super::webhook_target;
use crate::store::entities::outbox as outbox_rows;
use crate::store::{outbox, webhooks};
use hmac::{Hmac, Mac};
use sea_orm::DatabaseConnection;
use sha2::Sha256;
use std::time::Duration;

/// Attempts before a delivery is given up (the row stays, `failed`, for an admin to see).
pub const MAX_ATTEMPTS: i32 = 8;
/// How long a claim holds before another worker may take the row.
const LEASE_SECONDS: i64 = 120;
/// The longest wait between two attempts.
const MAX_BACKOFF_SECONDS: u64 = 6 * 3600;

/// `sha256=<hex>`: the HMAC-SHA256 of `<timestamp>.<body>` with `secret`.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// The wait before attempt `attempts + 1`: `base · 2^(attempts − 1)`, capped.
pub fn backoff(base_seconds: u64, attempts: i32) -> Duration {
    let exponent = attempts.saturating_sub(1).clamp(0, 20) as u32;
    Duration::from_secs(
        base_seconds
            .saturating_mul(1u64 << exponent)
            .min(MAX_BACKOFF_SECONDS),
    )
}

/// How deliveries go out: the HTTP client and whether private targets are allowed.
pub struct Deliverer {
    client: reqwest::Client,
    allow_private: bool,
    retry_base_seconds: u64,
}

impl Deliverer {
    /// No redirects followed, a short timeout, and unless `allow_private` names resolve to public addresses only.
    pub fn new(allow_private: bool, retry_base_seconds: u64) -> Deliverer {
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .user_agent(concat!("Yardstick-Webhook/", env!("CARGO_PKG_VERSION")));
        if !allow_private {
            builder = builder.dns_resolver(std::sync::Arc::new(webhook_target::PublicOnly));
        }
        Deliverer {
            client: builder.build().expect("webhook HTTP client"),
            allow_private,
            retry_base_seconds,
        }
    }
}

/// POSTs one claimed delivery; `Err` says why it failed.
async fn post(
    db: &DatabaseConnection,
    deliverer: &Deliverer,
    row: &outbox_rows::Model,
) -> Result<(), String> {
    let webhook_id = outbox::headers_of(row)
        .into_iter()
        .find(|(name, _)| name == webhooks::WEBHOOK_HEADER)
        .and_then(|(_, value)| value.parse::<i32>().ok())
        .ok_or("delivery names no webhook")?;
    let hook = webhooks::by_id(db, webhook_id)
        .await
        .map_err(|e| format!("database: {e}"))?
        .ok_or("the webhook was removed")?;
    // Names resolve through `PublicOnly`; an address in the URL itself never reaches a resolver.
    if !deliverer.allow_private {
        webhook_target::check_literal(&hook.url).map_err(|refusal| refusal.to_string())?;
    }
    let timestamp = chrono::Utc::now().timestamp();
    let response = deliverer
        .client
        .post(&hook.url)
        .header("Content-Type", "application/json")
        .header("X-Yardstick-Event", &row.subject)
        .header("X-Yardstick-Delivery", &row.message_id)
        .header("X-Yardstick-Timestamp", timestamp.to_string())
        .header(
            "X-Yardstick-Signature",
            signature(&hook.secret, timestamp, &row.body_text),
        )
        .body(row.body_text.clone())
        .send()
        .await
        .map_err(|e| format!("request failed: {e}"))?;
    if response.status().is_success() {
        Ok(())
    } else {
        Err(format!("the receiver answered {}", response.status()))
    }
}

/// Delivers one claimed row and records the outcome. The worker calls this for rows of kind `webhook`.
pub async fn deliver(
    db: &DatabaseConnection,
    deliverer: &Deliverer,
    row: &outbox_rows::Model,
) -> Result<(), sea_orm::DbErr> {
    match post(db, deliverer, row).await {
        Ok(()) => {
            outbox::mark_sent(db, row).await?;
        }
        Err(error) => {
            let permanent =
                error == "the webhook was removed" || error == "delivery names no webhook";
            let retry_at = (!permanent && row.attempts < MAX_ATTEMPTS).then(|| {
                crate::store::now()
                    + chrono::Duration::from_std(backoff(
                        deliverer.retry_base_seconds,
                        row.attempts,
                    ))
                    .unwrap_or(chrono::Duration::hours(6))
            });
            tracing::warn!(outbox_id = row.id, attempts = row.attempts, %error, "webhook delivery failed");
            outbox::mark_failed(db, row, &error, retry_at).await?;
        }
    }
    Ok(())
}

/// Claims and delivers due webhook rows once; returns how many were tried.
pub async fn deliver_due(
    db: &DatabaseConnection,
    deliverer: &Deliverer,
) -> Result<usize, sea_orm::DbErr> {
    let rows = outbox::claim(
        db,
        &[webhooks::KIND],
        20,
        chrono::Duration::seconds(LEASE_SECONDS),
    )
    .await?;
    for row in &rows {
        deliver(db, deliverer, row).await?;
    }
    Ok(rows.len())
}

/// Runs forever: every second, delivers what is due.
pub async fn run(db: DatabaseConnection, deliverer: Deliverer) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = deliver_due(&db, &deliverer).await {
            tracing::error!(error = %e, "webhook delivery loop");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_the_hmac_of_timestamp_dot_body() {
        // Computed independently: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac secret
        assert_eq!(
            signature("secret", 1_700_000_000, r#"{"a":1}"#),
            "sha256=49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686"
        );
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(30, 1), Duration::from_secs(30));
        assert_eq!(backoff(30, 2), Duration::from_secs(60));
        assert_eq!(backoff(30, 4), Duration::from_secs(240));
        assert_eq!(backoff(30, 40), Duration::from_secs(MAX_BACKOFF_SECONDS));
    }
}
