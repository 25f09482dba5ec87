//! Webhooks per questionnaire, and their deliveries as outbox rows of kind `webhook`.

use super::entities::{OutboxStatus, indicators, outbox, webhooks};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;

/// The outbox `kind` of a webhook delivery.
pub const KIND: &str = "webhook";
/// The event sent when a response is completed.
pub const RESPONSE_COMPLETED: &str = "response.completed";
/// The outbox header naming the webhook a delivery belongs to (not sent to the receiver).
pub const WEBHOOK_HEADER: &str = "x-yardstick-webhook-id";

/// A registered webhook (the secret is shown only to admins on its page).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Webhook {
    pub id: i32,
    pub questionnaire_id: i32,
    pub url: String,
    pub secret: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl From<webhooks::Model> for Webhook {
    fn from(w: webhooks::Model) -> Webhook {
        Webhook {
            id: w.id,
            questionnaire_id: w.questionnaire_id,
            url: w.url,
            secret: w.secret,
            created_at: w.created_at,
        }
    }
}

pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<Webhook>, DbErr> {
    Ok(webhooks::Entity::find()
        .filter(webhooks::Column::Active.eq(true))
        .order_by_asc(webhooks::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Webhook::from)
        .collect())
}

pub async fn by_id(db: &impl ConnectionTrait, id: i32) -> Result<Option<Webhook>, DbErr> {
    Ok(webhooks::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|w| w.active)
        .map(Webhook::from))
}

pub async fn add(
    db: &impl ConnectionTrait,
    questionnaire_id: i32,
    url: &str,
    secret: &str,
) -> Result<Webhook, DbErr> {
    Ok(webhooks::ActiveModel {
        questionnaire_id: Set(questionnaire_id),
        url: Set(url.to_owned()),
        secret: Set(secret.to_owned()),
        active: Set(true),
        created_at: Set(super::now()),
        ..Default::default()
    }
    .insert(db)
    .await?
    .into())
}

/// Removes a webhook; deliveries still queued for it fail permanently when their turn comes.
pub async fn delete(db: &impl ConnectionTrait, id: i32) -> Result<bool, DbErr> {
    Ok(webhooks::Entity::delete_by_id(id)
        .exec(db)
        .await?
        .rows_affected
        == 1)
}

/// What a completed response tells a webhook.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CompletedEvent<'a> {
    pub response_id: i32,
    pub questionnaire_id: i32,
    pub version_id: i32,
    pub brand_id: Option<i32>,
    pub language: &'a str,
    pub completed_at: chrono::DateTime<chrono::Utc>,
    /// Answers by indicator id; turned into answers by indicator code in the payload.
    pub answers: &'a [(i32, Option<i32>)],
}

/// Queues one delivery per webhook of the questionnaire, in the caller's transaction.
pub async fn enqueue_completed(
    db: &impl ConnectionTrait,
    event: &CompletedEvent<'_>,
) -> Result<usize, DbErr> {
    let hooks = webhooks::Entity::find()
        .filter(webhooks::Column::QuestionnaireId.eq(event.questionnaire_id))
        .filter(webhooks::Column::Active.eq(true))
        .all(db)
        .await?;
    if hooks.is_empty() {
        return Ok(0);
    }
    let ids: Vec<i32> = event.answers.iter().map(|(id, _)| *id).collect();
    let codes: HashMap<i32, String> = indicators::Entity::find()
        .filter(indicators::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, i.code))
        .collect();
    let answers: serde_json::Map<String, serde_json::Value> = event
        .answers
        .iter()
        .filter_map(|(id, value)| {
            codes
                .get(id)
                .map(|code| (code.clone(), serde_json::json!(value)))
        })
        .collect();
    let now = super::now();
    for hook in &hooks {
        let delivery = uuid::Uuid::new_v4().to_string();
        let body = serde_json::json!({
            "event": RESPONSE_COMPLETED,
            "delivery": delivery,
            "response_id": event.response_id,
            "questionnaire_id": event.questionnaire_id,
            "version_id": event.version_id,
            "brand_id": event.brand_id,
            "language": event.language,
            "completed_at": event.completed_at.to_rfc3339(),
            "answers": answers,
        });
        super::outbox::enqueue(
            db,
            super::outbox::NewMessage {
                kind: KIND,
                recipient: hook.url.clone(),
                subject: RESPONSE_COMPLETED.into(),
                body_text: body.to_string(),
                body_html: None,
                headers: vec![(WEBHOOK_HEADER.to_owned(), hook.id.to_string())],
                message_id: delivery,
                invitation_id: None,
                status: OutboxStatus::Queued,
                due_at: now,
            },
        )
        .await?;
    }
    Ok(hooks.len())
}

/// Queues the `response.completed` deliveries of a response already stored (e.g. completed page by page).
pub async fn enqueue_for_response(
    db: &impl ConnectionTrait,
    response_id: i32,
) -> Result<usize, DbErr> {
    use super::entities::{answers, responses};
    let Some(response) = responses::Entity::find_by_id(response_id).one(db).await? else {
        return Ok(0);
    };
    let given: Vec<(i32, Option<i32>)> = answers::Entity::find()
        .filter(answers::Column::ResponseId.eq(response_id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.indicator_id, a.value))
        .collect();
    enqueue_completed(
        db,
        &CompletedEvent {
            response_id,
            questionnaire_id: response.questionnaire_id,
            version_id: response.version_id,
            brand_id: response.brand_id,
            language: &response.language,
            completed_at: response.completed_at.unwrap_or_else(super::now),
            answers: &given,
        },
    )
    .await
}

/// Recent deliveries, newest first, for the admin page.
pub async fn recent_deliveries(
    db: &impl ConnectionTrait,
    limit: u64,
) -> Result<Vec<outbox::Model>, DbErr> {
    outbox::Entity::find()
        .filter(outbox::Column::Kind.eq(KIND))
        .order_by_desc(outbox::Column::Id)
        .limit(limit)
        .all(db)
        .await
}
