//! Email campaigns: a reminder cap per campaign, a claim token for outbox leases, lookups for the worker.

use crate::support::index;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        manager
            .alter_table(
                Table::alter()
                    .table("distributions")
                    .add_column(integer("max_reminders").default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("distributions")
                    .add_column(timestamp_with_time_zone_null("launched_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("outbox")
                    .add_column(string_null("claim_token"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("outbox", &["invitation_id"], false))
            .await?;
        manager
            .create_index(index("invitations", &["contact_id"], false))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_invitations_contact_id")
                    .table("invitations")
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("ix_outbox_invitation_id")
                    .table("outbox")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("outbox")
                    .drop_column("claim_token")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("distributions")
                    .drop_column("launched_at")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("distributions")
                    .drop_column("max_reminders")
                    .to_owned(),
            )
            .await
    }
}
