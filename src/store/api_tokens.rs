//! Per-user API tokens: shown once at creation, stored only as a SHA-256 hash.

use super::entities::{api_tokens, users as user_rows};
use super::users::User;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder,
};
use sha2::{Digest, Sha256};

/// Tokens start with this, so a leaked one is easy to recognise in logs and scanners.
pub const PREFIX: &str = "ys_";

/// A token as its owner sees it in the list (never the secret itself).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TokenInfo {
    pub id: i32,
    pub name: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<api_tokens::Model> for TokenInfo {
    fn from(t: api_tokens::Model) -> TokenInfo {
        TokenInfo {
            id: t.id,
            name: t.name,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
        }
    }
}

/// The stored form of a token.
pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Creates a token for a user; returns the secret (shown once) and its record.
pub async fn create(
    db: &impl ConnectionTrait,
    user_id: i32,
    name: &str,
    secret: &str,
) -> Result<(String, TokenInfo), DbErr> {
    let token = format!("{PREFIX}{secret}");
    let row = api_tokens::ActiveModel {
        user_id: Set(user_id),
        name: Set(name.to_owned()),
        token_hash: Set(hash(&token)),
        created_at: Set(super::now()),
        last_used_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok((token, row.into()))
}

pub async fn of_user(db: &impl ConnectionTrait, user_id: i32) -> Result<Vec<TokenInfo>, DbErr> {
    Ok(api_tokens::Entity::find()
        .filter(api_tokens::Column::UserId.eq(user_id))
        .order_by_asc(api_tokens::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(TokenInfo::from)
        .collect())
}

/// Revokes one of the user's own tokens; false when it is not theirs or does not exist.
pub async fn revoke(db: &impl ConnectionTrait, user_id: i32, token_id: i32) -> Result<bool, DbErr> {
    let result = api_tokens::Entity::delete_many()
        .filter(api_tokens::Column::Id.eq(token_id))
        .filter(api_tokens::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// The enabled user a presented token belongs to, noting when it was used.
pub async fn authenticate(db: &impl ConnectionTrait, token: &str) -> Result<Option<User>, DbErr> {
    if !token.starts_with(PREFIX) || token.len() > 200 {
        return Ok(None);
    }
    let Some(found) = api_tokens::Entity::find()
        .filter(api_tokens::Column::TokenHash.eq(hash(token)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(owner) = user_rows::Entity::find_by_id(found.user_id).one(db).await? else {
        return Ok(None);
    };
    if owner.disabled {
        return Ok(None);
    }
    let mut active = found.into_active_model();
    active.last_used_at = Set(Some(super::now()));
    active.update(db).await?;
    Ok(Some(User::try_from(owner)?))
}
