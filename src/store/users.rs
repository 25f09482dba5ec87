//! Users: creating them with argon2id password hashes and checking a login.

use super::entities::users;
use super::lockout;
use crate::domain::Role;
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder,
};
use std::net::IpAddr;

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
                created_at: Set(super::now()),
                ..Default::default()
            }
            .insert(db)
            .await?
        }
    };
    User::try_from(saved)
}

/// Why a login was refused. The person signing in sees one message for all of these.
#[derive(Debug, Clone, PartialEq)]
pub enum LoginRefused {
    /// Unknown email, wrong password or disabled account (deliberately not saying which).
    BadCredentials,
    /// Too many failures of this email from this address; locked for this many more seconds.
    Locked { seconds: i64 },
}

/// A hash to verify against when the email is unknown, so the answer takes as long as a real check.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG";

/// Checks an email and password from a client address; counts failures per (email, address)
/// whether or not the account exists, and refuses a locked pair without checking (see [`lockout`]).
pub async fn login(
    db: &impl ConnectionTrait,
    email: &str,
    password: &str,
    address: IpAddr,
) -> Result<Result<User, LoginRefused>, DbErr> {
    let email = lockout::normalise(email);
    if let Some(seconds) = lockout::locked(db, &email, address).await? {
        return Ok(Err(LoginRefused::Locked { seconds }));
    }
    let found = users::Entity::find()
        .filter(users::Column::Email.eq(email.clone()))
        .one(db)
        .await?;
    // Always one argon2 verification, so timing reveals neither unknown nor disabled accounts.
    let password_ok = verify_password(
        found
            .as_ref()
            .map_or(DUMMY_HASH, |u| u.password_hash.as_str()),
        password,
    );
    match found {
        Some(user) if password_ok && !user.disabled => {
            lockout::clear(db, &email, address).await?;
            Ok(Ok(User::try_from(user)?))
        }
        _ => {
            lockout::fail(db, &email, address).await?;
            Ok(Err(LoginRefused::BadCredentials))
        }
    }
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
