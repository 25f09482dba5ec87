//! Brands, questionnaires with frozen versions, and distributions (public link or email campaign).

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
                .table("brands")
                .col(pk_auto("id"))
                .col(string_uniq("code"))
                .col(text("name_zh"))
                .col(text("name_en"))
                .col(boolean("is_own"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
            vec![],
        )
        .await?;
        create(
            manager,
            Table::create()
                .table("questionnaires")
                .col(pk_auto("id"))
                .col(string_uniq("slug"))
                .col(text("title_zh"))
                .col(text("title_en"))
                .col(boolean("brand_screening"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
            vec![],
        )
        .await?;
        create(
            manager,
            Table::create()
                .table("questionnaire_brands")
                .col(integer("questionnaire_id"))
                .col(integer("brand_id"))
                .col(integer("position"))
                .primary_key(Index::create().col("questionnaire_id").col("brand_id"))
                .foreign_key(&mut fk(
                    "questionnaire_brands",
                    "questionnaire_id",
                    "questionnaires",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "questionnaire_brands",
                    "brand_id",
                    "brands",
                    Cascade,
                ))
                .to_owned(),
            vec![],
        )
        .await?;
        create(
            manager,
            Table::create()
                .table("questionnaire_versions")
                .col(pk_auto("id"))
                .col(integer("questionnaire_id"))
                .col(integer("number"))
                .col(integer("model_id"))
                .col(string_len("status", 16))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("published_at"))
                .foreign_key(&mut fk(
                    "questionnaire_versions",
                    "questionnaire_id",
                    "questionnaires",
                    Cascade,
                ))
                .foreign_key(&mut fk(
                    "questionnaire_versions",
                    "model_id",
                    "models",
                    Restrict,
                ))
                .to_owned(),
            vec![index(
                "questionnaire_versions",
                &["questionnaire_id", "number"],
                true,
            )],
        )
        .await?;
        create(
            manager,
            Table::create()
                .table("distributions")
                .col(pk_auto("id"))
                .col(integer("questionnaire_id"))
                .col(string_len("kind", 16))
                .col(string("name"))
                .col(string_null("slug"))
                .col(integer_null("brand_id"))
                .col(integer_null("version_id"))
                .col(timestamp_with_time_zone_null("opens_at"))
                .col(timestamp_with_time_zone_null("closes_at"))
                .col(integer_null("quota"))
                .col(timestamp_with_time_zone_null("send_at"))
                .col(timestamp_with_time_zone_null("expires_at"))
                .col(string("reminder_days"))
                .col(text("contact_filter"))
                .col(string_len("status", 16))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk(
                    "distributions",
                    "questionnaire_id",
                    "questionnaires",
                    Cascade,
                ))
                .foreign_key(&mut fk("distributions", "brand_id", "brands", SetNull))
                .to_owned(),
            vec![
                index("distributions", &["slug"], true),
                index("distributions", &["questionnaire_id"], false),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "distributions",
                "questionnaire_versions",
                "questionnaire_brands",
                "questionnaires",
                "brands",
            ],
        )
        .await
    }
}
