//! Report runs (cached analyses per questionnaire, settings and response fingerprint) and per-questionnaire report settings.

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
                .table("report_settings")
                .col(integer("questionnaire_id").primary_key())
                .col(integer("fiscal_start_month"))
                .col(boolean("pooled"))
                .col(integer("resamples"))
                .col(text("waves"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk(
                    "report_settings",
                    "questionnaire_id",
                    "questionnaires",
                    Cascade,
                ))
                .to_owned(),
            vec![],
        )
        .await?;
        create(
            manager,
            Table::create()
                .table("report_runs")
                .col(pk_auto("id"))
                .col(integer("questionnaire_id"))
                .col(string_len("settings_hash", 64))
                .col(string_len("fingerprint", 64))
                .col(string_len("status", 16))
                .col(big_integer("progress"))
                .col(big_integer("total"))
                .col(text_null("result"))
                .col(text("error"))
                .col(timestamp_with_time_zone("started_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(timestamp_with_time_zone_null("finished_at"))
                .foreign_key(&mut fk(
                    "report_runs",
                    "questionnaire_id",
                    "questionnaires",
                    Cascade,
                ))
                .to_owned(),
            vec![index(
                "report_runs",
                &["questionnaire_id", "settings_hash", "fingerprint"],
                false,
            )],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["report_runs", "report_settings"]).await
    }
}
