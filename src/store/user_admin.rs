//! Managing accounts: adding users, changing roles and passwords, disabling and enabling.

use super::entities::users;
use super::users::{User, hash_password};
use crate::domain::Role;
use argon2::{Argon2, PasswordVerifier};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder,
};

/// A user as the admin list shows them.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Account {
    pub id: i32,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub disabled: bool,
    pub locked: bool,
}

pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<Account>, DbErr> {
    let locked = super::lockout::locked_keys(db).await?;
    users::Entity::find()
        .order_by_asc(users::Column::Email)
        .all(db)
        .await?
        .into_iter()
        .map(|u| {
            Ok(Account {
                role: u.role.parse().map_err(DbErr::Custom)?,
                locked: locked.contains(&super::lockout::email_key(&u.email)),
                id: u.id,
                email: u.email,
                name: u.name,
                disabled: u.disabled,
            })
        })
        .collect()
}

pub async fn find(db: &impl ConnectionTrait, id: i32) -> Result<Option<users::Model>, DbErr> {
    users::Entity::find_by_id(id).one(db).await
}

pub async fn email_taken(db: &impl ConnectionTrait, email: &str) -> Result<bool, DbErr> {
    Ok(users::Entity::find()
        .filter(users::Column::Email.eq(email.trim().to_lowercase()))
        .one(db)
        .await?
        .is_some())
}

/// Creates a new user (the caller checked that the email is free).
pub async fn add(
    db: &impl ConnectionTrait,
    email: &str,
    name: &str,
    password: &str,
    role: Role,
) -> Result<User, DbErr> {
    let row = users::ActiveModel {
        email: Set(email.trim().to_lowercase()),
        name: Set(name.trim().to_owned()),
        password_hash: Set(hash_password(password)),
        role: Set(role.as_str().to_owned()),
        disabled: Set(false),
        created_at: Set(super::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    User::try_from(row)
}

/// Sets role and enabled state; disabling ends the user's sessions, enabling lifts their
/// sign-in lockouts (from every address).
pub async fn update(
    db: &impl ConnectionTrait,
    id: i32,
    role: Role,
    disabled: bool,
) -> Result<(), DbErr> {
    let Some(found) = find(db, id).await? else {
        return Ok(());
    };
    let email = found.email.clone();
    let mut active = found.into_active_model();
    active.role = Set(role.as_str().to_owned());
    active.disabled = Set(disabled);
    active.update(db).await?;
    if disabled {
        super::sessions::end_all(db, id).await?;
    } else {
        super::lockout::clear_email(db, &email).await?;
    }
    Ok(())
}

/// How many enabled administrators there are (the last one cannot be demoted or disabled).
pub async fn active_admins(db: &impl ConnectionTrait) -> Result<usize, DbErr> {
    Ok(users::Entity::find()
        .filter(users::Column::Role.eq(Role::Admin.as_str()))
        .filter(users::Column::Disabled.eq(false))
        .all(db)
        .await?
        .len())
}

/// Whether `password` is the user's current password.
pub async fn password_matches(
    db: &impl ConnectionTrait,
    id: i32,
    password: &str,
) -> Result<bool, DbErr> {
    let Some(found) = find(db, id).await? else {
        return Ok(false);
    };
    Ok(Argon2::default()
        .verify_password(password.as_bytes(), found.password_hash.as_str())
        .is_ok())
}

pub async fn set_password(db: &impl ConnectionTrait, id: i32, password: &str) -> Result<(), DbErr> {
    let Some(found) = find(db, id).await? else {
        return Ok(());
    };
    let mut active = found.into_active_model();
    active.password_hash = Set(hash_password(password));
    active.update(db).await?;
    Ok(())
}
