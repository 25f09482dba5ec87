//! Data protection: erasing a contact on request, and purging raw personal data past its retention.
//!
//! Answers are kept for statistics; what is removed is the link to the person
//! (the invitation that ties a response to a contact) and the free-text comment.

use super::entities::{OutboxStatus, contacts, invitations, outbox, responses};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};

/// What a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Erasure {
    /// Remove the person, keep their answers unlinked for statistics.
    Anonymise,
    /// Remove the person and their responses with all answers.
    Delete,
}

/// How much an erasure or a purge touched.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Erased {
    pub contacts: u64,
    pub responses_unlinked: u64,
    pub responses_deleted: u64,
}

/// Contacts whose email or name contains `query`, for the privacy page.
pub async fn find_contacts(
    db: &impl ConnectionTrait,
    query: &str,
    limit: u64,
) -> Result<Vec<contacts::Model>, DbErr> {
    let query = query.trim().to_lowercase();
    let all = contacts::Entity::find()
        .order_by_asc(contacts::Column::Email)
        .all(db)
        .await?;
    Ok(all
        .into_iter()
        .filter(|c| {
            c.email.to_lowercase().contains(&query) || c.name.to_lowercase().contains(&query)
        })
        .take(limit as usize)
        .collect())
}

pub async fn contact(db: &impl ConnectionTrait, id: i32) -> Result<Option<contacts::Model>, DbErr> {
    contacts::Entity::find_by_id(id).one(db).await
}

/// Erases one contact, atomically.
pub async fn erase_contact(
    db: &DatabaseConnection,
    contact_id: i32,
    how: Erasure,
) -> Result<Erased, DbErr> {
    let txn = db.begin().await?;
    let erased = erase_contacts(&txn, &[contact_id], how).await?;
    txn.commit().await?;
    scrub_quietly(db).await;
    Ok(erased)
}

async fn erase_contacts(
    db: &impl ConnectionTrait,
    contact_ids: &[i32],
    how: Erasure,
) -> Result<Erased, DbErr> {
    if contact_ids.is_empty() {
        return Ok(Erased::default());
    }
    let invitation_ids: Vec<i32> = invitations::Entity::find()
        .filter(invitations::Column::ContactId.is_in(contact_ids.to_vec()))
        .select_only()
        .column(invitations::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut erased = Erased::default();
    if !invitation_ids.is_empty() {
        let their_responses = responses::Column::InvitationId.is_in(invitation_ids.clone());
        match how {
            Erasure::Anonymise => {
                erased.responses_unlinked = responses::Entity::update_many()
                    .set(responses::ActiveModel {
                        invitation_id: Set(None),
                        comment: Set(String::new()),
                        resume_token_hash: Set(None),
                        ..Default::default()
                    })
                    .filter(their_responses)
                    .exec(db)
                    .await?
                    .rows_affected;
            }
            Erasure::Delete => {
                erased.responses_deleted = responses::Entity::delete_many()
                    .filter(their_responses)
                    .exec(db)
                    .await?
                    .rows_affected;
            }
        }
        // Queued mail to the person carries their address: drop what has not gone out.
        outbox::Entity::delete_many()
            .filter(outbox::Column::InvitationId.is_in(invitation_ids.clone()))
            .filter(outbox::Column::Status.ne(OutboxStatus::Sent))
            .exec(db)
            .await?;
        outbox::Entity::update_many()
            .set(outbox::ActiveModel {
                recipient: Set("erased".into()),
                body_text: Set(String::new()),
                body_html: Set(None),
                invitation_id: Set(None),
                ..Default::default()
            })
            .filter(outbox::Column::InvitationId.is_in(invitation_ids.clone()))
            .exec(db)
            .await?;
        invitations::Entity::delete_many()
            .filter(invitations::Column::Id.is_in(invitation_ids))
            .exec(db)
            .await?;
    }
    erased.contacts = contacts::Entity::delete_many()
        .filter(contacts::Column::Id.is_in(contact_ids.to_vec()))
        .exec(db)
        .await?
        .rows_affected;
    Ok(erased)
}

/// Removes raw personal data older than `cutoff`: contacts created before it and
/// not invited since (their responses anonymised), and comments and links of
/// responses completed before it. Answers stay.
pub async fn purge_before(
    db: &DatabaseConnection,
    cutoff: chrono::DateTime<chrono::Utc>,
) -> Result<Erased, DbErr> {
    let txn = db.begin().await?;
    let recently_invited: Vec<Option<i32>> = invitations::Entity::find()
        .filter(invitations::Column::CreatedAt.gte(cutoff))
        .select_only()
        .column(invitations::Column::ContactId)
        .into_tuple()
        .all(&txn)
        .await?;
    let recently_invited: Vec<i32> = recently_invited.into_iter().flatten().collect();
    let stale: Vec<i32> = contacts::Entity::find()
        .filter(contacts::Column::CreatedAt.lt(cutoff))
        .select_only()
        .column(contacts::Column::Id)
        .into_tuple::<i32>()
        .all(&txn)
        .await?
        .into_iter()
        .filter(|id| !recently_invited.contains(id))
        .collect();
    let mut erased = erase_contacts(&txn, &stale, Erasure::Anonymise).await?;
    erased.responses_unlinked += responses::Entity::update_many()
        .set(responses::ActiveModel {
            invitation_id: Set(None),
            comment: Set(String::new()),
            resume_token_hash: Set(None),
            ..Default::default()
        })
        .filter(responses::Column::CompletedAt.lt(cutoff))
        .filter(
            sea_orm::Condition::any()
                .add(responses::Column::InvitationId.is_not_null())
                .add(responses::Column::Comment.ne("")),
        )
        .exec(&txn)
        .await?
        .rows_affected;
    txn.commit().await?;
    if erased != Erased::default() {
        scrub_quietly(db).await;
    }
    Ok(erased)
}

/// [`super::scrub_erased`] after a committed erasure: the erasure stands even if the scrub must wait.
async fn scrub_quietly(db: &DatabaseConnection) {
    if let Err(e) = super::scrub_erased(db).await {
        tracing::warn!(error = %e, "erased data not yet scrubbed from the database files");
    }
}
