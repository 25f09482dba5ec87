//! Responses in progress: started by a respondent, saved page by page, completed once.

use super::entities::{ResponseStatus, answers, contacts, distributions, invitations, responses};
use super::responses::Segments;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter,
};
use std::collections::HashMap;

/// A response row as the survey pages need it.
pub type Response = responses::Model;

/// A personal invitation with its distribution and contact.
#[derive(Debug, Clone)]
pub struct Invitation {
    pub invitation: invitations::Model,
    pub distribution: distributions::Model,
    pub contact: Option<contacts::Model>,
}

/// Finds an invitation by the hash of its token.
pub async fn invitation_by_hash(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<Invitation>, DbErr> {
    let Some(invitation) = invitations::Entity::find()
        .filter(invitations::Column::TokenHash.eq(token_hash))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let distribution = distributions::Entity::find_by_id(invitation.distribution_id)
        .one(db)
        .await?
        .ok_or_else(|| {
            DbErr::RecordNotFound(format!("distribution {}", invitation.distribution_id))
        })?;
    let contact = match invitation.contact_id {
        Some(id) => contacts::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    Ok(Some(Invitation {
        invitation,
        distribution,
        contact,
    }))
}

/// The response of an invitation, in progress or complete.
pub async fn by_invitation(
    db: &impl ConnectionTrait,
    invitation_id: i32,
) -> Result<Option<Response>, DbErr> {
    responses::Entity::find()
        .filter(responses::Column::InvitationId.eq(invitation_id))
        .one(db)
        .await
}

/// The response a resume token (by its hash) belongs to.
pub async fn by_resume_hash(
    db: &impl ConnectionTrait,
    resume_hash: &str,
) -> Result<Option<Response>, DbErr> {
    responses::Entity::find()
        .filter(responses::Column::ResumeTokenHash.eq(resume_hash))
        .one(db)
        .await
}

/// What a new response starts with.
#[derive(Debug, Clone)]
pub struct NewResponse {
    pub questionnaire_id: i32,
    pub version_id: i32,
    pub distribution_id: i32,
    pub invitation_id: Option<i32>,
    pub brand_id: Option<i32>,
    pub language: String,
    pub resume_token_hash: Option<String>,
    pub segments: Segments,
}

/// Inserts a new response (status `in_progress`). Fails on a second response for the same
/// invitation (unique index); [`super::group_commit`] then returns the existing one.
pub async fn start(db: &impl ConnectionTrait, new: &NewResponse) -> Result<Response, DbErr> {
    responses::ActiveModel {
        questionnaire_id: Set(new.questionnaire_id),
        version_id: Set(new.version_id),
        distribution_id: Set(Some(new.distribution_id)),
        invitation_id: Set(new.invitation_id),
        brand_id: Set(new.brand_id),
        status: Set(ResponseStatus::InProgress),
        source: Set("web".into()),
        language: Set(new.language.clone()),
        resume_token_hash: Set(new.resume_token_hash.clone()),
        comment: Set(String::new()),
        region: Set(new.segments.region.clone()),
        customer_class: Set(new.segments.customer_class.clone()),
        channel: Set(new.segments.channel.clone()),
        lifecycle_stage: Set(new.segments.lifecycle_stage.clone()),
        started_at: Set(super::now()),
        completed_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// The answers stored so far, by indicator id (`None` = don't know).
pub async fn answers_of(
    db: &impl ConnectionTrait,
    response_id: i32,
) -> Result<HashMap<i32, Option<i32>>, DbErr> {
    Ok(answers::Entity::find()
        .filter(answers::Column::ResponseId.eq(response_id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.indicator_id, a.value))
        .collect())
}

/// Why a page could not be saved.
#[derive(Debug)]
pub enum SaveError {
    /// The response was completed meanwhile (another tab, a replayed form).
    AlreadyComplete,
    Db(DbErr),
}

impl From<DbErr> for SaveError {
    fn from(e: DbErr) -> SaveError {
        SaveError::Db(e)
    }
}

/// Stores one page inside the caller's transaction: its answers replace earlier answers to the
/// same items, and the brand is set when the page chose one. Nothing is written when the
/// response is no longer in progress.
pub async fn save_page(
    db: &impl ConnectionTrait,
    response_id: i32,
    brand_id: Option<i32>,
    page: &[(i32, Option<i32>)],
) -> Result<(), SaveError> {
    let mut touch = responses::Entity::update_many()
        .col_expr(
            responses::Column::Status,
            Expr::value(ResponseStatus::InProgress),
        )
        .filter(responses::Column::Id.eq(response_id))
        .filter(responses::Column::Status.eq(ResponseStatus::InProgress));
    if let Some(brand_id) = brand_id {
        touch = touch.col_expr(responses::Column::BrandId, Expr::value(brand_id));
    }
    // Also locks the row, so two tabs saving the same page take turns.
    if touch.exec(db).await?.rows_affected != 1 {
        return Err(SaveError::AlreadyComplete);
    }
    if !page.is_empty() {
        answers::Entity::insert_many(page.iter().map(|(indicator_id, value)| {
            answers::ActiveModel {
                response_id: Set(response_id),
                indicator_id: Set(*indicator_id),
                value: Set(*value),
                ..Default::default()
            }
        }))
        .on_conflict(
            OnConflict::columns([answers::Column::ResponseId, answers::Column::IndicatorId])
                .update_column(answers::Column::Value)
                .to_owned(),
        )
        .exec(db)
        .await?;
    }
    Ok(())
}

/// Completes a response with its attributes and comment inside the caller's transaction;
/// refused (nothing written) if it is already complete.
pub async fn complete(
    db: &impl ConnectionTrait,
    response_id: i32,
    segments: &Segments,
    comment: &str,
) -> Result<(), SaveError> {
    let done = responses::Entity::update_many()
        .col_expr(
            responses::Column::Status,
            Expr::value(ResponseStatus::Complete),
        )
        .col_expr(responses::Column::CompletedAt, Expr::value(super::now()))
        .col_expr(responses::Column::Comment, Expr::value(comment.to_owned()))
        .col_expr(
            responses::Column::Region,
            Expr::value(segments.region.clone()),
        )
        .col_expr(
            responses::Column::CustomerClass,
            Expr::value(segments.customer_class.clone()),
        )
        .col_expr(
            responses::Column::Channel,
            Expr::value(segments.channel.clone()),
        )
        .col_expr(
            responses::Column::LifecycleStage,
            Expr::value(segments.lifecycle_stage.clone()),
        )
        .filter(responses::Column::Id.eq(response_id))
        .filter(responses::Column::Status.eq(ResponseStatus::InProgress))
        .exec(db)
        .await?;
    if done.rows_affected != 1 {
        return Err(SaveError::AlreadyComplete);
    }
    // Webhooks learn of the completed response through the outbox, in the same transaction.
    super::webhooks::enqueue_for_response(db, response_id).await?;
    Ok(())
}

/// Completed responses of one distribution (what its quota counts).
pub async fn count_completed_in(
    db: &impl ConnectionTrait,
    distribution_id: i32,
) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    responses::Entity::find()
        .filter(responses::Column::DistributionId.eq(distribution_id))
        .filter(responses::Column::Status.eq(ResponseStatus::Complete))
        .count(db)
        .await
}
