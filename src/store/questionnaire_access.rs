//! Per-questionnaire access: a user with listed questionnaires sees only those; none listed means all.

use super::entities::questionnaire_access;
use crate::domain::Role;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};

/// The questionnaires a user is limited to; empty when they are not limited.
pub async fn limited_to(db: &impl ConnectionTrait, user_id: i32) -> Result<Vec<i32>, DbErr> {
    Ok(questionnaire_access::Entity::find()
        .filter(questionnaire_access::Column::UserId.eq(user_id))
        .order_by_asc(questionnaire_access::Column::QuestionnaireId)
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.questionnaire_id)
        .collect())
}

/// The questionnaires a user may open: all of them, or only the listed ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    Only(Vec<i32>),
}

impl Scope {
    pub fn allows(&self, questionnaire_id: i32) -> bool {
        match self {
            Scope::All => true,
            Scope::Only(ids) => ids.contains(&questionnaire_id),
        }
    }
}

/// What a user of `role` may open: an admin everything, anyone else their list (none listed: all).
pub async fn scope_of(db: &impl ConnectionTrait, user_id: i32, role: Role) -> Result<Scope, DbErr> {
    if role == Role::Admin {
        return Ok(Scope::All);
    }
    let limits = limited_to(db, user_id).await?;
    Ok(if limits.is_empty() {
        Scope::All
    } else {
        Scope::Only(limits)
    })
}

/// Replaces a user's list; an empty list lifts the limit.
pub async fn set(
    db: &impl ConnectionTrait,
    user_id: i32,
    questionnaire_ids: &[i32],
) -> Result<(), DbErr> {
    questionnaire_access::Entity::delete_many()
        .filter(questionnaire_access::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    if questionnaire_ids.is_empty() {
        return Ok(());
    }
    let mut ids = questionnaire_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    questionnaire_access::Entity::insert_many(ids.into_iter().map(|questionnaire_id| {
        questionnaire_access::ActiveModel {
            user_id: Set(user_id),
            questionnaire_id: Set(questionnaire_id),
            ..Default::default()
        }
    }))
    .exec(db)
    .await?;
    Ok(())
}
