//! The durable outbox: every email (and later webhook) is a row before it is sent.

use crate::support::{create, drop_tables, index};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create(
            manager,
            Table::create()
                .table("outbox")
                .col(pk_auto("id"))
                .col(string_len("kind", 16))
                .col(string("recipient"))
                .col(text("subject"))
                .col(text("body_text"))
                .col(text_null("body_html"))
                .col(text("headers"))
                .col(string_uniq("message_id"))
                .col(integer_null("invitation_id"))
                .col(string_len("status", 16))
                .col(integer("attempts").default(0))
                .col(timestamp_with_time_zone("next_attempt_at"))
                .col(timestamp_with_time_zone_null("claimed_at"))
                .col(timestamp_with_time_zone_null("sent_at"))
                .col(text_null("last_error"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
            vec![index("outbox", &["status", "next_attempt_at"], false)],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["outbox"]).await
    }
}
