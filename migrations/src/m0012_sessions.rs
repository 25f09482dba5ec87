//! Server-side sign-in sessions (revocable; the cookie holds only a random id whose SHA-256
//! is stored here) and failed sign-ins per (email, client address) for the lockout.
//!
//! `users.failed_logins` and `users.locked_until` of m0001 are no longer used: the lockout
//! lives in `login_failures`. They stay, because SQLite cannot always drop columns.

use crate::support::{create, drop_tables, fk, index};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create(
            manager,
            Table::create()
                .table("user_sessions")
                .col(pk_auto("id"))
                .col(integer("user_id"))
                .col(string_len("token_hash", 64))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("last_seen_at"))
                .col(timestamp_with_time_zone_null("ended_at"))
                .col(string_len("user_agent", 255))
                .col(string_len("address", 45))
                .foreign_key(&mut fk(
                    "user_sessions",
                    "user_id",
                    "users",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
            vec![
                index("user_sessions", &["token_hash"], true),
                index("user_sessions", &["user_id"], false),
                index("user_sessions", &["last_seen_at"], false),
            ],
        )
        .await?;
        create(
            manager,
            Table::create()
                .table("login_failures")
                .col(pk_auto("id"))
                .col(string_len("email_hash", 64))
                .col(string_len("address", 45))
                .col(integer("failures"))
                .col(timestamp_with_time_zone_null("locked_until"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
            vec![
                index("login_failures", &["email_hash", "address"], true),
                index("login_failures", &["updated_at"], false),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["login_failures", "user_sessions"]).await
    }
}
