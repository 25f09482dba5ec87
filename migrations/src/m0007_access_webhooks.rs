//! Per-questionnaire access limits for users, and webhooks called when a response is completed.

use crate::support::{create, drop_tables, fk, index};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::Cascade;
        create(
            manager,
            Table::create()
                .table("questionnaire_access")
                .col(pk_auto("id"))
                .col(integer("user_id"))
                .col(integer("questionnaire_id"))
                .foreign_key(&mut fk("questionnaire_access", "user_id", "users", Cascade))
                .foreign_key(&mut fk(
                    "questionnaire_access",
                    "questionnaire_id",
                    "questionnaires",
                    Cascade,
                ))
                .to_owned(),
            vec![index(
                "questionnaire_access",
                &["user_id", "questionnaire_id"],
                true,
            )],
        )
        .await?;
        create(
            manager,
            Table::create()
                .table("webhooks")
                .col(pk_auto("id"))
                .col(integer("questionnaire_id"))
                .col(string_len("url", 2048))
                .col(string("secret"))
                .col(boolean("active").default(true))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk(
                    "webhooks",
                    "questionnaire_id",
                    "questionnaires",
                    Cascade,
                ))
                .to_owned(),
            vec![index("webhooks", &["questionnaire_id"], false)],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["webhooks", "questionnaire_access"]).await
    }
}
