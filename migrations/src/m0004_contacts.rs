//! Contacts with their attributes, and personal invitations (tokens stored hashed).

use crate::support::{create, drop_tables, fk, index};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        create(
            manager,
            Table::create()
                .table("contacts")
                .col(pk_auto("id"))
                .col(string_uniq("email"))
                .col(string("name"))
                .col(string_len("language", 8))
                .col(integer_null("brand_id"))
                .col(string_null("region"))
                .col(string_len_null("customer_class", 8))
                .col(string_len_null("lifecycle_stage", 16))
                .col(text("attributes"))
                .col(timestamp_with_time_zone_null("unsubscribed_at"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("contacts", "brand_id", "brands", SetNull))
                .to_owned(),
            vec![],
        )
        .await?;
        create(
            manager,
            Table::create()
                .table("invitations")
                .col(pk_auto("id"))
                .col(integer("distribution_id"))
                .col(integer_null("contact_id"))
                .col(string_uniq("token_hash"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("expires_at"))
                .col(timestamp_with_time_zone_null("sent_at"))
                .col(integer("reminders_sent").default(0))
                .col(timestamp_with_time_zone_null("last_reminded_at"))
                .foreign_key(&mut fk(
                    "invitations",
                    "distribution_id",
                    "distributions",
                    Cascade,
                ))
                .foreign_key(&mut fk("invitations", "contact_id", "contacts", SetNull))
                .to_owned(),
            vec![index(
                "invitations",
                &["distribution_id", "contact_id"],
                true,
            )],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["invitations", "contacts"]).await
    }
}
