//! Brands: our own and the competitors a questionnaire benchmarks.

use super::entities::{brands, questionnaire_brands};
use crate::domain::Text;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};

/// A brand as the app shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Brand {
    pub id: i32,
    pub code: String,
    pub name: Text,
    pub is_own: bool,
}

impl From<brands::Model> for Brand {
    fn from(b: brands::Model) -> Brand {
        Brand {
            id: b.id,
            code: b.code,
            name: Text::new(&b.name_zh, &b.name_en),
            is_own: b.is_own,
        }
    }
}

/// Finds a brand by code or creates it.
pub async fn ensure(
    db: &impl ConnectionTrait,
    code: &str,
    name: &Text,
    is_own: bool,
) -> Result<Brand, DbErr> {
    if let Some(found) = brands::Entity::find()
        .filter(brands::Column::Code.eq(code))
        .one(db)
        .await?
    {
        return Ok(found.into());
    }
    let created = brands::ActiveModel {
        code: Set(code.to_owned()),
        name_zh: Set(name.zh.clone().unwrap_or_default()),
        name_en: Set(name.en.clone().unwrap_or_default()),
        is_own: Set(is_own),
        created_at: Set(super::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(created.into())
}

/// The brands a questionnaire benchmarks, our own first.
pub async fn of_questionnaire(
    db: &impl ConnectionTrait,
    questionnaire_id: i32,
) -> Result<Vec<Brand>, DbErr> {
    let links = questionnaire_brands::Entity::find()
        .filter(questionnaire_brands::Column::QuestionnaireId.eq(questionnaire_id))
        .order_by_asc(questionnaire_brands::Column::Position)
        .all(db)
        .await?;
    let ids: Vec<i32> = links.iter().map(|l| l.brand_id).collect();
    let mut found: Vec<Brand> = brands::Entity::find()
        .filter(brands::Column::Id.is_in(ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(Brand::from)
        .collect();
    found.sort_by_key(|b| (!b.is_own, ids.iter().position(|id| *id == b.id)));
    Ok(found)
}

/// Attaches brands to a questionnaire, in order.
pub async fn attach(
    db: &impl ConnectionTrait,
    questionnaire_id: i32,
    brand_ids: &[i32],
) -> Result<(), DbErr> {
    for (position, brand_id) in brand_ids.iter().enumerate() {
        questionnaire_brands::ActiveModel {
            questionnaire_id: Set(questionnaire_id),
            brand_id: Set(*brand_id),
            position: Set(position as i32),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}
