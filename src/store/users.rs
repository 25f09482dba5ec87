//! Users: creating them with argon2id password hashes and checking a login.

use super::entities::users;
use crate::domain::Role;
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder,
};

/// A signed-in user as the app sees one.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct User {
    pub id: i32,
    pub email: String,
    pub name: String,
    pub role: Role,
}

impl TryFrom<users::Model> for User {
    type Error = DbErr;

    fn try_from(u: users::Model) -> Result<User, DbErr> {
        Ok(User {
            id: u.id,
            role: u.role.parse().map_err(DbErr::Custom)?,
            email: u.email,
            name: u.name,
        })
    }
}

/// Hashes a password with argon2id and a fresh salt.
pub fn hash_password(password: &str) -> String {
    let hash: PasswordHash = Argon2::default()
        .hash_password(password.as_bytes())
        .expect("argon2 hashing with default parameters cannot fail");
    hash.to_string()
}

fn verify_password(hash: &str, password: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

/// Creates a user, or updates the role and password of an existing one with that email.
pub async fn upsert(
    db: &impl ConnectionTrait,
    email: &str,
    name: &str,
    password: &str,
    role: Role,
) -> Result<User, DbErr> {
    let email = email.trim().to_lowercase();
    let existing = users::Entity::find()
        .filter(users::Column::Email.eq(email.clone()))
        .one(db)
        .await?;
    let saved = match existing {
        Some(found) => {
            let mut active = found.into_active_model();
            active.role = Set(role.as_str().to_owned());
            active.password_hash = Set(hash_password(password));
            active.update(db).await?
        }
        None => {
            users::ActiveModel {
                email: Set(email),
                name: Set(name.to_owned()),
                password_hash: Set(hash_password(password)),
                role: Set(role.as_str().to_owned()),
                disabled: Set(false),
                failed_logins: Set(0),
                locked_until: Set(None),
                created_at: Set(super::now()),
                ..Default::default()
            }
            .insert(db)
            .await?
        }
    };
    User::try_from(saved)
}

/// Why a login was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum LoginRefused {
    /// Wrong email or password (deliberately not saying which).
    BadCredentials,
    /// Too many failures; try again after this many seconds.
    Locked { seconds: i64 },
}

/// Failures before an account is locked, and for how long.
const FAILURES_BEFORE_LOCK: i32 = 5;
const LOCK_SECONDS: i64 = 300;

/// Checks an email and password; counts failures and locks the account after repeated ones.
pub async fn login(
    db: &impl ConnectionTrait,
    email: &str,
    password: &str,
) -> Result<Result<User, LoginRefused>, DbErr> {
    let email = email.trim().to_lowercase();
    let Some(found) = users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .one(db)
        .await?
    else {
        // Spend the same time as a real check so timing does not reveal which emails exist.
        verify_password(
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
            password,
        );
        return Ok(Err(LoginRefused::BadCredentials));
    };
    let now = super::now();
    if let Some(until) = found.locked_until
        && until > now
    {
        return Ok(Err(LoginRefused::Locked {
            seconds: (until - now).num_seconds().max(1),
        }));
    }
    if found.disabled || !verify_password(&found.password_hash, password) {
        let failures = found.failed_logins + 1;
        let mut active = found.into_active_model();
        if failures >= FAILURES_BEFORE_LOCK {
            active.failed_logins = Set(0);
            active.locked_until = Set(Some(now + chrono::Duration::seconds(LOCK_SECONDS)));
        } else {
            active.failed_logins = Set(failures);
        }
        active.update(db).await?;
        return Ok(Err(LoginRefused::BadCredentials));
    }
    let mut active = found.clone().into_active_model();
    active.failed_logins = Set(0);
    active.locked_until = Set(None);
    active.update(db).await?;
    Ok(Ok(User::try_from(found)?))
}

pub async fn by_id(db: &impl ConnectionTrait, id: i32) -> Result<Option<User>, DbErr> {
    match users::Entity::find_by_id(id).one(db).await? {
        Some(u) if !u.disabled => Ok(Some(User::try_from(u)?)),
        _ => Ok(None),
    }
}

pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<User>, DbErr> {
    users::Entity::find()
        .order_by_asc(users::Column::Email)
        .all(db)
        .await?
        .into_iter()
        .map(User::try_from)
        .collect()
}
