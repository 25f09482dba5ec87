//! Single responses with their answers by indicator code, for the JSON API.

use super::entities::{ResponseStatus, answers, indicators, responses};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::{BTreeMap, HashMap};

/// A response as the API shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseDetail {
    pub id: i32,
    pub questionnaire_id: i32,
    pub version_id: i32,
    pub brand_id: Option<i32>,
    pub status: String,
    pub source: String,
    pub language: String,
    pub comment: String,
    pub started_at: chrono::DateTime<chrono::Utc>,
    pub completed_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Answers by indicator code; `None` = don't know.
    pub answers: BTreeMap<String, Option<i32>>,
}

async fn with_answers(
    db: &impl ConnectionTrait,
    rows: Vec<responses::Model>,
) -> Result<Vec<ResponseDetail>, DbErr> {
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    let given = answers::Entity::find()
        .filter(answers::Column::ResponseId.is_in(ids))
        .all(db)
        .await?;
    let indicator_ids: Vec<i32> = given.iter().map(|a| a.indicator_id).collect();
    let codes: HashMap<i32, String> = indicators::Entity::find()
        .filter(indicators::Column::Id.is_in(indicator_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, i.code))
        .collect();
    let mut by_response: HashMap<i32, BTreeMap<String, Option<i32>>> = HashMap::new();
    for answer in given {
        if let Some(code) = codes.get(&answer.indicator_id) {
            by_response
                .entry(answer.response_id)
                .or_default()
                .insert(code.clone(), answer.value);
        }
    }
    Ok(rows
        .into_iter()
        .map(|r| ResponseDetail {
            answers: by_response.remove(&r.id).unwrap_or_default(),
            id: r.id,
            questionnaire_id: r.questionnaire_id,
            version_id: r.version_id,
            brand_id: r.brand_id,
            status: r.status.as_str().to_owned(),
            source: r.source,
            language: r.language,
            comment: r.comment,
            started_at: r.started_at,
            completed_at: r.completed_at,
        })
        .collect())
}

pub async fn by_id(db: &impl ConnectionTrait, id: i32) -> Result<Option<ResponseDetail>, DbErr> {
    let Some(row) = responses::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    Ok(with_answers(db, vec![row]).await?.pop())
}

/// Completed responses of a questionnaire with ids above `after_id`, oldest first.
pub async fn page(
    db: &impl ConnectionTrait,
    questionnaire_id: i32,
    after_id: i32,
    limit: u64,
) -> Result<Vec<ResponseDetail>, DbErr> {
    let rows = responses::Entity::find()
        .filter(responses::Column::QuestionnaireId.eq(questionnaire_id))
        .filter(responses::Column::Status.eq(ResponseStatus::Complete))
        .filter(responses::Column::Id.gt(after_id))
        .order_by_asc(responses::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    with_answers(db, rows).await
}
