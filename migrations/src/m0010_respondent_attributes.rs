//! Respondent attributes a questionnaire asks at the end (region, customer class, channel, lifecycle stage).

use crate::support::{create, drop_tables, fk};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create(
            manager,
            Table::create()
                .table("questionnaire_attributes")
                .col(integer("questionnaire_id"))
                .col(string_len("attribute", 32))
                .col(integer("position"))
                .primary_key(Index::create().col("questionnaire_id").col("attribute"))
                .foreign_key(&mut fk(
                    "questionnaire_attributes",
                    "questionnaire_id",
                    "questionnaires",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
            vec![],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["questionnaire_attributes"]).await
    }
}
