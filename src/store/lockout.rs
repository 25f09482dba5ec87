//! The sign-in lockout: failures counted per (normalised email, client address), whether or not
//! the account exists, in a table so that several app servers agree.
//!
//! After [`FAILURES_BEFORE_LOCK`] failures the pair is locked for 30 seconds, and each further
//! failure after a lock doubles it, up to 15 minutes. Only that pair is locked: the account
//! owner signing in from another address is not, and nobody can tell from the answer whether an
//! account exists. A success clears the pair; rows without a failure for a day are deleted.

use super::entities::login_failures;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};
use std::net::IpAddr;

/// Failures of one (email, address) pair before it is locked.
pub const FAILURES_BEFORE_LOCK: i32 = 5;
/// The first lock, doubled by every further failure…
pub const FIRST_LOCK_SECONDS: i64 = 30;
/// …up to this.
pub const LONGEST_LOCK_SECONDS: i64 = 15 * 60;
/// A pair without a failure for this long starts from zero again.
const FORGET_HOURS: i64 = 24;

/// The email as sign-in compares it: trimmed and lower-case.
pub fn normalise(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The stored key of an email: the SHA-256 of its normalised form (typed text, perhaps a
/// mistyped password, is never stored).
pub fn email_key(email: &str) -> String {
    hex::encode(Sha256::digest(normalise(email).as_bytes()))
}

/// How long a pair is locked after its `failures`-th failure (none below the threshold).
pub fn lock_seconds(failures: i32) -> Option<i64> {
    let beyond = failures.checked_sub(FAILURES_BEFORE_LOCK)?;
    if beyond < 0 {
        return None;
    }
    // 30 s · 2^beyond, capped (2^5 · 30 s already exceeds 15 min).
    Some((FIRST_LOCK_SECONDS << beyond.min(6)).min(LONGEST_LOCK_SECONDS))
}

/// The failures and lock of a pair, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Failures {
    pub failures: i32,
    pub locked_until: Option<DateTime<Utc>>,
}

pub async fn of(
    db: &impl ConnectionTrait,
    email: &str,
    address: IpAddr,
) -> Result<Option<Failures>, DbErr> {
    Ok(login_failures::Entity::find()
        .filter(login_failures::Column::EmailHash.eq(email_key(email)))
        .filter(login_failures::Column::Address.eq(address.to_string()))
        .one(db)
        .await?
        .map(|row| Failures {
            failures: row.failures,
            locked_until: row.locked_until,
        }))
}

/// Seconds until the pair may try again, if it is locked now.
pub async fn locked(
    db: &impl ConnectionTrait,
    email: &str,
    address: IpAddr,
) -> Result<Option<i64>, DbErr> {
    let now = super::now();
    Ok(of(db, email, address)
        .await?
        .and_then(|f| f.locked_until)
        .filter(|until| *until > now)
        .map(|until| (until - now).num_seconds().max(1)))
}

/// Counts a failure of the pair (atomically, so concurrent servers lose none) and locks it
/// when the count calls for it. Also deletes pairs forgotten for a day.
pub async fn fail(db: &impl ConnectionTrait, email: &str, address: IpAddr) -> Result<(), DbErr> {
    let now = super::now();
    let key = email_key(email);
    let address = address.to_string();
    login_failures::Entity::delete_many()
        .filter(login_failures::Column::UpdatedAt.lt(now - chrono::Duration::hours(FORGET_HOURS)))
        .exec(db)
        .await?;
    login_failures::Entity::insert(login_failures::ActiveModel {
        email_hash: Set(key.clone()),
        address: Set(address.clone()),
        failures: Set(1),
        locked_until: Set(None),
        updated_at: Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([
            login_failures::Column::EmailHash,
            login_failures::Column::Address,
        ])
        .value(
            login_failures::Column::Failures,
            sea_orm::sea_query::ExprTrait::add(
                Expr::col((login_failures::Entity, login_failures::Column::Failures)),
                1,
            ),
        )
        .update_column(login_failures::Column::UpdatedAt)
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let Some(row) = login_failures::Entity::find()
        .filter(login_failures::Column::EmailHash.eq(key))
        .filter(login_failures::Column::Address.eq(address))
        .one(db)
        .await?
    else {
        return Ok(());
    };
    if let Some(seconds) = lock_seconds(row.failures) {
        login_failures::Entity::update_many()
            .col_expr(
                login_failures::Column::LockedUntil,
                Expr::value(Some(now + chrono::Duration::seconds(seconds))),
            )
            .filter(login_failures::Column::Id.eq(row.id))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Forgets the failures of a pair after a successful sign-in.
pub async fn clear(db: &impl ConnectionTrait, email: &str, address: IpAddr) -> Result<(), DbErr> {
    login_failures::Entity::delete_many()
        .filter(login_failures::Column::EmailHash.eq(email_key(email)))
        .filter(login_failures::Column::Address.eq(address.to_string()))
        .exec(db)
        .await?;
    Ok(())
}

/// Lifts every lock of an email (an administrator enabling the account).
pub async fn clear_email(db: &impl ConnectionTrait, email: &str) -> Result<(), DbErr> {
    login_failures::Entity::delete_many()
        .filter(login_failures::Column::EmailHash.eq(email_key(email)))
        .exec(db)
        .await?;
    Ok(())
}

/// The keys ([`email_key`]) of emails locked from at least one address now.
pub async fn locked_keys(db: &impl ConnectionTrait) -> Result<Vec<String>, DbErr> {
    Ok(login_failures::Entity::find()
        .filter(login_failures::Column::LockedUntil.gt(super::now()))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.email_hash)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_starts_at_the_fifth_failure_and_doubles_up_to_a_cap() {
        assert_eq!(lock_seconds(0), None);
        assert_eq!(lock_seconds(4), None);
        assert_eq!(lock_seconds(5), Some(30));
        assert_eq!(lock_seconds(6), Some(60));
        assert_eq!(lock_seconds(7), Some(120));
        assert_eq!(lock_seconds(9), Some(480));
        assert_eq!(lock_seconds(10), Some(900));
        assert_eq!(lock_seconds(1000), Some(900));
        assert_eq!(lock_seconds(i32::MAX), Some(900));
    }

    #[test]
    fn the_key_ignores_case_and_spaces() {
        assert_eq!(
            email_key(" Admin@Example.TEST "),
            email_key("admin@example.test")
        );
        assert_ne!(email_key("a@example.test"), email_key("b@example.test"));
    }
}
