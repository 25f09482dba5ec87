//! Indicator systems: models, constructs, dimensions, indicators, paths and expert weights.

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
                .table("models")
                .col(pk_auto("id"))
                .col(string("code"))
                .col(text("name_zh"))
                .col(text("name_en"))
                .col(text("description_zh"))
                .col(text("description_en"))
                .col(string("languages"))
                .col(boolean("frozen").default(false))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
            vec![],
        )
        .await?;
        create(
            manager,
            Table::create()
                .table("constructs")
                .col(pk_auto("id"))
                .col(integer("model_id"))
                .col(string("code"))
                .col(text("name_zh"))
                .col(text("name_en"))
                .col(string_len("mode", 16))
                .col(double_null("expert_weight"))
                .col(integer("position"))
                .foreign_key(&mut fk("constructs", "model_id", "models", Cascade))
                .to_owned(),
            vec![index("constructs", &["model_id", "code"], true)],
        )
        .await?;
        create(
            manager,
            Table::create()
                .table("dimensions")
                .col(pk_auto("id"))
                .col(integer("construct_id"))
                .col(string("code"))
                .col(text("name_zh"))
                .col(text("name_en"))
                .col(integer("position"))
                .foreign_key(&mut fk("dimensions", "construct_id", "constructs", Cascade))
                .to_owned(),
            vec![index("dimensions", &["construct_id", "code"], true)],
        )
        .await?;
        create(
            manager,
            Table::create()
                .table("indicators")
                .col(pk_auto("id"))
                .col(integer("model_id"))
                .col(integer("construct_id"))
                .col(string_null("dimension"))
                .col(string("code"))
                .col(text("text_zh"))
                .col(text("text_en"))
                .col(string_len("scale_kind", 16))
                .col(small_integer("scale_points"))
                .col(text("scale_low_zh"))
                .col(text("scale_low_en"))
                .col(text("scale_high_zh"))
                .col(text("scale_high_en"))
                .col(text("scale_labels"))
                .col(boolean("dont_know"))
                .col(boolean("reverse"))
                .col(double_null("expert_weight"))
                .col(integer("position"))
                .foreign_key(&mut fk("indicators", "model_id", "models", Cascade))
                .foreign_key(&mut fk("indicators", "construct_id", "constructs", Cascade))
                .to_owned(),
            vec![index("indicators", &["model_id", "code"], true)],
        )
        .await?;
        create(
            manager,
            Table::create()
                .table("paths")
                .col(pk_auto("id"))
                .col(integer("model_id"))
                .col(string("from_code"))
                .col(string("to_code"))
                .foreign_key(&mut fk("paths", "model_id", "models", Cascade))
                .to_owned(),
            vec![index("paths", &["model_id", "from_code", "to_code"], true)],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &["paths", "indicators", "dimensions", "constructs", "models"],
        )
        .await
    }
}
