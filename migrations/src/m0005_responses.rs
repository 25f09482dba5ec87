//! Responses (one per respondent and questionnaire version) and their answers; "don't know" is NULL.

use crate::support::{create, drop_tables, fk, index};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};
        create(
            manager,
            Table::create()
                .table("responses")
                .col(pk_auto("id"))
                .col(integer("questionnaire_id"))
                .col(integer("version_id"))
                .col(integer_null("distribution_id"))
                .col(integer_null("invitation_id"))
                .col(integer_null("brand_id"))
                .col(string_len("status", 16))
                .col(string_len("source", 16))
                .col(string_len("language", 8))
                .col(string_null("resume_token_hash"))
                .col(text("comment"))
                .col(string_null("region"))
                .col(string_len_null("customer_class", 8))
                .col(string_null("channel"))
                .col(string_len_null("lifecycle_stage", 16))
                .col(timestamp_with_time_zone("started_at"))
                .col(timestamp_with_time_zone_null("completed_at"))
                .foreign_key(&mut fk(
                    "responses",
                    "questionnaire_id",
                    "questionnaires",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "responses",
                    "version_id",
                    "questionnaire_versions",
                    Restrict,
                ))
                .foreign_key(&mut fk(
                    "responses",
                    "distribution_id",
                    "distributions",
                    SetNull,
                ))
                .foreign_key(&mut fk(
                    "responses",
                    "invitation_id",
                    "invitations",
                    SetNull,
                ))
                .foreign_key(&mut fk("responses", "brand_id", "brands", Restrict))
                .to_owned(),
            vec![
                index(
                    "responses",
                    &["questionnaire_id", "status", "completed_at"],
                    false,
                ),
                index(
                    "responses",
                    &["questionnaire_id", "brand_id", "completed_at"],
                    false,
                ),
                index("responses", &["invitation_id"], true),
                index("responses", &["resume_token_hash"], true),
            ],
        )
        .await?;
        create(
            manager,
            Table::create()
                .table("answers")
                .col(pk_auto("id"))
                .col(integer("response_id"))
                .col(integer("indicator_id"))
                .col(integer_null("value"))
                .foreign_key(&mut fk("answers", "response_id", "responses", Cascade))
                .foreign_key(&mut fk("answers", "indicator_id", "indicators", Restrict))
                .to_owned(),
            vec![index("answers", &["response_id", "indicator_id"], true)],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["answers", "responses"]).await
    }
}
