//! Server-side sign-in sessions: the cookie carries a random token, the table only its SHA-256.
//!
//! A session is live while `ended_at` is empty, its user is enabled and it was seen within the
//! inactivity limit. Signing out ends one session; a password change ends the user's others;
//! disabling a user or an administrator's "sign out everywhere" ends all of them.

use super::entities::{user_sessions, users};
use super::users::User;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr,
    EntityTrait, QueryFilter, QueryOrder,
};
use sha2::{Digest, Sha256};

/// `last_seen_at` is written at most this often (not on every request).
pub const TOUCH_SECONDS: i64 = 60;

/// Ended or long-idle session rows are deleted after this many days.
const KEEP_DAYS: i64 = 30;

/// The longest user agent kept for display.
const AGENT_CHARS: usize = 255;

/// The stored form of a session token.
pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A live session found by its token, with its user.
#[derive(Debug, Clone)]
pub struct Found {
    pub id: i32,
    pub last_seen_at: DateTime<Utc>,
    pub user: User,
}

/// A session as its owner sees it in the list on the account page.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SessionInfo {
    pub id: i32,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub user_agent: String,
    pub address: String,
}

/// Records a new session for `user_id`; returns its id.
pub async fn start(
    db: &impl ConnectionTrait,
    user_id: i32,
    token: &str,
    user_agent: &str,
    address: &str,
) -> Result<i32, DbErr> {
    let now = super::now();
    let row = user_sessions::ActiveModel {
        user_id: Set(user_id),
        token_hash: Set(hash(token)),
        created_at: Set(now),
        last_seen_at: Set(now),
        ended_at: Set(None),
        user_agent: Set(user_agent.chars().take(AGENT_CHARS).collect()),
        address: Set(address.chars().take(45).collect()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

/// The session a token belongs to, if it has not ended and its user is enabled — one query.
pub async fn lookup(db: &impl ConnectionTrait, token: &str) -> Result<Option<Found>, DbErr> {
    let Some((session, user)) = user_sessions::Entity::find()
        .find_both_related(users::Entity)
        .filter(user_sessions::Column::TokenHash.eq(hash(token)))
        .filter(user_sessions::Column::EndedAt.is_null())
        .filter(users::Column::Disabled.eq(false))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(Found {
        id: session.id,
        last_seen_at: session.last_seen_at,
        user: User::try_from(user)?,
    }))
}

/// Notes that a session was used now.
pub async fn touch(db: &impl ConnectionTrait, id: i32) -> Result<(), DbErr> {
    user_sessions::Entity::update_many()
        .col_expr(user_sessions::Column::LastSeenAt, Expr::value(super::now()))
        .filter(user_sessions::Column::Id.eq(id))
        .filter(user_sessions::Column::EndedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Gives a live session a new token (the old one stops working); false if it has ended.
pub async fn rotate(db: &impl ConnectionTrait, id: i32, token: &str) -> Result<bool, DbErr> {
    let result = user_sessions::Entity::update_many()
        .col_expr(user_sessions::Column::TokenHash, Expr::value(hash(token)))
        .col_expr(user_sessions::Column::LastSeenAt, Expr::value(super::now()))
        .filter(user_sessions::Column::Id.eq(id))
        .filter(user_sessions::Column::EndedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

async fn end_where(db: &impl ConnectionTrait, condition: Condition) -> Result<u64, DbErr> {
    Ok(user_sessions::Entity::update_many()
        .col_expr(user_sessions::Column::EndedAt, Expr::value(super::now()))
        .filter(condition)
        .filter(user_sessions::Column::EndedAt.is_null())
        .exec(db)
        .await?
        .rows_affected)
}

/// Ends one session (signing out).
pub async fn end(db: &impl ConnectionTrait, id: i32) -> Result<(), DbErr> {
    end_where(db, Condition::all().add(user_sessions::Column::Id.eq(id))).await?;
    Ok(())
}

/// Ends every session of a user; returns how many were live.
pub async fn end_all(db: &impl ConnectionTrait, user_id: i32) -> Result<u64, DbErr> {
    end_where(
        db,
        Condition::all().add(user_sessions::Column::UserId.eq(user_id)),
    )
    .await
}

/// Ends every session of a user but `keep`; returns how many were live.
pub async fn end_others(db: &impl ConnectionTrait, user_id: i32, keep: i32) -> Result<u64, DbErr> {
    end_where(
        db,
        Condition::all()
            .add(user_sessions::Column::UserId.eq(user_id))
            .add(user_sessions::Column::Id.ne(keep)),
    )
    .await
}

/// The user's sessions that have not ended and were seen since `seen_since`, most recent first.
pub async fn active_of_user(
    db: &impl ConnectionTrait,
    user_id: i32,
    seen_since: DateTime<Utc>,
) -> Result<Vec<SessionInfo>, DbErr> {
    Ok(user_sessions::Entity::find()
        .filter(user_sessions::Column::UserId.eq(user_id))
        .filter(user_sessions::Column::EndedAt.is_null())
        .filter(user_sessions::Column::LastSeenAt.gte(seen_since))
        .order_by_desc(user_sessions::Column::LastSeenAt)
        .order_by_desc(user_sessions::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|s| SessionInfo {
            id: s.id,
            created_at: s.created_at,
            last_seen_at: s.last_seen_at,
            user_agent: s.user_agent,
            address: s.address,
        })
        .collect())
}

/// Deletes rows of sessions that ended, or were last seen, more than 30 days ago.
pub async fn prune(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    let cutoff = super::now() - chrono::Duration::days(KEEP_DAYS);
    Ok(user_sessions::Entity::delete_many()
        .filter(
            Condition::any()
                .add(user_sessions::Column::EndedAt.lt(cutoff))
                .add(user_sessions::Column::LastSeenAt.lt(cutoff)),
        )
        .exec(db)
        .await?
        .rows_affected)
}
