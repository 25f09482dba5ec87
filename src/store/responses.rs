//! Storing responses with their answers, and reading completed ones back for reports.

use super::entities::{ResponseStatus, answers, responses};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, Statement, TransactionTrait,
};
use std::collections::HashMap;

/// Where a response came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Web,
    Import,
    Demo,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Source::Web => "web",
            Source::Import => "import",
            Source::Demo => "demo",
        }
    }
}

/// Attributes a respondent gives about themselves; they become report segments.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Segments {
    pub region: Option<String>,
    pub customer_class: Option<String>,
    pub channel: Option<String>,
    pub lifecycle_stage: Option<String>,
}

/// A completed response ready to be stored; answers by indicator id, `None` = don't know.
#[derive(Debug, Clone)]
pub struct CompletedResponse {
    pub questionnaire_id: i32,
    pub version_id: i32,
    pub distribution_id: Option<i32>,
    pub brand_id: Option<i32>,
    pub language: String,
    pub source: Source,
    pub comment: String,
    pub segments: Segments,
    pub completed_at: chrono::DateTime<chrono::Utc>,
    pub answers: Vec<(i32, Option<i32>)>,
}

async fn insert_one(db: &impl ConnectionTrait, response: &CompletedResponse) -> Result<i32, DbErr> {
    let row = responses::ActiveModel {
        questionnaire_id: Set(response.questionnaire_id),
        version_id: Set(response.version_id),
        distribution_id: Set(response.distribution_id),
        invitation_id: Set(None),
        brand_id: Set(response.brand_id),
        status: Set(ResponseStatus::Complete),
        source: Set(response.source.as_str().into()),
        language: Set(response.language.clone()),
        resume_token_hash: Set(None),
        comment: Set(response.comment.clone()),
        region: Set(response.segments.region.clone()),
        customer_class: Set(response.segments.customer_class.clone()),
        channel: Set(response.segments.channel.clone()),
        lifecycle_stage: Set(response.segments.lifecycle_stage.clone()),
        started_at: Set(response.completed_at),
        completed_at: Set(Some(response.completed_at)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    if !response.answers.is_empty() {
        answers::Entity::insert_many(response.answers.iter().map(|(indicator_id, value)| {
            answers::ActiveModel {
                response_id: Set(row.id),
                indicator_id: Set(*indicator_id),
                value: Set(*value),
                ..Default::default()
            }
        }))
        .exec(db)
        .await?;
    }
    Ok(row.id)
}

/// Stores completed responses atomically: all of them or none. Returns their ids.
pub async fn store_completed(
    db: &DatabaseConnection,
    batch: &[CompletedResponse],
) -> Result<Vec<i32>, DbErr> {
    let txn = db.begin().await?;
    let mut ids = Vec::with_capacity(batch.len());
    for response in batch {
        let id = insert_one(&txn, response).await?;
        super::webhooks::enqueue_completed(
            &txn,
            &super::webhooks::CompletedEvent {
                response_id: id,
                questionnaire_id: response.questionnaire_id,
                version_id: response.version_id,
                brand_id: response.brand_id,
                language: &response.language,
                completed_at: response.completed_at,
                answers: &response.answers,
            },
        )
        .await?;
        ids.push(id);
    }
    txn.commit().await?;
    Ok(ids)
}

pub async fn count_completed(
    db: &impl ConnectionTrait,
    questionnaire_id: i32,
) -> Result<u64, DbErr> {
    responses::Entity::find()
        .filter(responses::Column::QuestionnaireId.eq(questionnaire_id))
        .filter(responses::Column::Status.eq(ResponseStatus::Complete))
        .count(db)
        .await
}

/// One completed response with its answers by indicator code.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseRecord {
    pub id: i32,
    pub version_id: i32,
    pub brand_id: Option<i32>,
    pub completed_at: chrono::DateTime<chrono::Utc>,
    pub answers: HashMap<String, Option<i32>>,
}

#[derive(Debug, FromQueryResult)]
struct AnswerRow {
    response_id: i32,
    version_id: i32,
    brand_id: Option<i32>,
    completed_at: chrono::DateTime<chrono::Utc>,
    code: String,
    value: Option<i32>,
}

/// Every completed response of a questionnaire with its answers, in response order.
pub async fn completed_with_answers(
    db: &impl ConnectionTrait,
    questionnaire_id: i32,
) -> Result<Vec<ResponseRecord>, DbErr> {
    let backend = db.get_database_backend();
    let placeholder = if backend == sea_orm::DatabaseBackend::Postgres {
        "$1"
    } else {
        "?"
    };
    let sql = format!(
        "SELECT r.id AS response_id, r.version_id, r.brand_id, r.completed_at, i.code, a.value \
         FROM responses r JOIN answers a ON a.response_id = r.id JOIN indicators i ON i.id = a.indicator_id \
         WHERE r.questionnaire_id = {placeholder} AND r.status = 'complete' AND r.completed_at IS NOT NULL \
         ORDER BY r.id"
    );
    let rows = AnswerRow::find_by_statement(Statement::from_sql_and_values(
        backend,
        sql,
        [questionnaire_id.into()],
    ))
    .all(db)
    .await?;
    let mut records: Vec<ResponseRecord> = Vec::new();
    for row in rows {
        if records.last().is_none_or(|r| r.id != row.response_id) {
            records.push(ResponseRecord {
                id: row.response_id,
                version_id: row.version_id,
                brand_id: row.brand_id,
                completed_at: row.completed_at,
                answers: HashMap::new(),
            });
        }
        if let Some(record) = records.last_mut() {
            record.answers.insert(row.code, row.value);
        }
    }
    Ok(records)
}
