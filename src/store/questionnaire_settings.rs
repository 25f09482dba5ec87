//! A questionnaire's own settings beside its model: title, brands, brand screening and respondent attributes.

use super::brands;
use super::entities::{questionnaire_attributes, questionnaire_brands, questionnaires};
use crate::domain::attribute::RespondentAttribute;
use crate::domain::{Lang, Text};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, TransactionTrait,
};

/// What the settings form changes.
#[derive(Debug, Clone)]
pub struct Settings {
    pub title: Text,
    /// (code, name, is our own brand), our own first.
    pub brands: Vec<(String, Text, bool)>,
    pub brand_screening: bool,
    pub attributes: Vec<RespondentAttribute>,
}

/// The respondent attributes a questionnaire asks at the end, in order.
pub async fn attributes(
    db: &impl ConnectionTrait,
    questionnaire_id: i32,
) -> Result<Vec<RespondentAttribute>, DbErr> {
    Ok(questionnaire_attributes::Entity::find()
        .filter(questionnaire_attributes::Column::QuestionnaireId.eq(questionnaire_id))
        .order_by_asc(questionnaire_attributes::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|row| RespondentAttribute::parse(&row.attribute))
        .collect())
}

/// Sets the respondent attributes asked at the end.
pub async fn set_attributes(
    db: &impl ConnectionTrait,
    questionnaire_id: i32,
    chosen: &[RespondentAttribute],
) -> Result<(), DbErr> {
    questionnaire_attributes::Entity::delete_many()
        .filter(questionnaire_attributes::Column::QuestionnaireId.eq(questionnaire_id))
        .exec(db)
        .await?;
    for (position, attribute) in chosen.iter().enumerate() {
        questionnaire_attributes::ActiveModel {
            questionnaire_id: Set(questionnaire_id),
            attribute: Set(attribute.key().to_owned()),
            position: Set(position as i32),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Saves title, brands, screening and attributes together: all or nothing.
pub async fn save(
    db: &DatabaseConnection,
    questionnaire_id: i32,
    settings: &Settings,
) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    let row = questionnaires::Entity::find_by_id(questionnaire_id)
        .one(&txn)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("questionnaire {questionnaire_id}")))?;
    let mut active = row.into_active_model();
    active.title_zh = Set(settings.title.get(Lang::ZhCn).unwrap_or("").to_owned());
    active.title_en = Set(settings.title.get(Lang::En).unwrap_or("").to_owned());
    active.brand_screening = Set(settings.brand_screening);
    active.update(&txn).await?;
    let mut brand_ids = Vec::new();
    for (code, name, own) in &settings.brands {
        brand_ids.push(brands::ensure(&txn, code, name, *own).await?.id);
    }
    questionnaire_brands::Entity::delete_many()
        .filter(questionnaire_brands::Column::QuestionnaireId.eq(questionnaire_id))
        .exec(&txn)
        .await?;
    brands::attach(&txn, questionnaire_id, &brand_ids).await?;
    set_attributes(&txn, questionnaire_id, &settings.attributes).await?;
    txn.commit().await
}
