//! Email campaigns (distributions of kind `email`): scheduling, launching invitations with their outbox rows, statistics.

use super::entities::{
    DistributionStatus, contacts, distributions, invitations, outbox as outbox_rows,
};
use super::outbox::{self, NewMessage};
use crate::domain::campaign::{ContactFilter, ReminderPolicy, Schedule};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
    Statement, TransactionTrait,
};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// Campaign states: `scheduled` → `launching` (invitations being written) → `running`; or `cancelled`.
pub mod status {
    use super::DistributionStatus;

    pub const SCHEDULED: DistributionStatus = DistributionStatus::Scheduled;
    pub const LAUNCHING: DistributionStatus = DistributionStatus::Launching;
    pub const RUNNING: DistributionStatus = DistributionStatus::Running;
    pub const CANCELLED: DistributionStatus = DistributionStatus::Cancelled;
}

/// A campaign as pages and the scheduler see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Campaign {
    pub id: i32,
    pub questionnaire_id: i32,
    pub name: String,
    pub version_id: Option<i32>,
    pub brand_id: Option<i32>,
    pub filter: ContactFilter,
    pub send_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub reminder_days: Vec<u32>,
    pub status: DistributionStatus,
    pub created_at: DateTime<Utc>,
}

impl From<distributions::Model> for Campaign {
    fn from(d: distributions::Model) -> Campaign {
        Campaign {
            id: d.id,
            questionnaire_id: d.questionnaire_id,
            name: d.name,
            version_id: d.version_id,
            brand_id: d.brand_id,
            filter: ContactFilter::from_json(&d.contact_filter),
            send_at: d.send_at.unwrap_or(d.created_at),
            expires_at: d.expires_at,
            reminder_days: ReminderPolicy::from_stored(&d.reminder_days, d.max_reminders)
                .days()
                .to_vec(),
            status: d.status,
            created_at: d.created_at,
        }
    }
}

/// A checked campaign ready to be stored.
#[derive(Debug, Clone)]
pub struct NewCampaign {
    pub questionnaire_id: i32,
    pub version_id: i32,
    pub brand_id: Option<i32>,
    pub name: String,
    pub filter: ContactFilter,
    pub schedule: Schedule,
}

pub async fn create(db: &impl ConnectionTrait, new: NewCampaign) -> Result<Campaign, DbErr> {
    let row = distributions::ActiveModel {
        questionnaire_id: Set(new.questionnaire_id),
        kind: Set("email".into()),
        name: Set(new.name),
        slug: Set(None),
        brand_id: Set(new.brand_id),
        version_id: Set(Some(new.version_id)),
        opens_at: Set(None),
        closes_at: Set(None),
        quota: Set(None),
        send_at: Set(Some(new.schedule.send_at)),
        expires_at: Set(Some(new.schedule.expires_at)),
        reminder_days: Set(new.schedule.reminders.to_text()),
        contact_filter: Set(new.filter.to_json()),
        status: Set(status::SCHEDULED),
        created_at: Set(super::now()),
        max_reminders: Set(new.schedule.reminders.days().len() as i32),
        launched_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.into())
}

/// Every email campaign, newest first.
pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<Campaign>, DbErr> {
    Ok(distributions::Entity::find()
        .filter(distributions::Column::Kind.eq("email"))
        .order_by_desc(distributions::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Campaign::from)
        .collect())
}

pub async fn by_id(db: &impl ConnectionTrait, id: i32) -> Result<Option<Campaign>, DbErr> {
    Ok(distributions::Entity::find_by_id(id)
        .filter(distributions::Column::Kind.eq("email"))
        .one(db)
        .await?
        .map(Campaign::from))
}

/// Cancels a campaign that has not been launched yet; returns whether it was still scheduled.
pub async fn cancel(db: &impl ConnectionTrait, id: i32) -> Result<bool, DbErr> {
    Ok(distributions::Entity::update_many()
        .col_expr(
            distributions::Column::Status,
            Expr::value(status::CANCELLED),
        )
        .filter(distributions::Column::Id.eq(id))
        .filter(distributions::Column::Status.eq(status::SCHEDULED))
        .exec(db)
        .await?
        .rows_affected
        == 1)
}

/// Takes one due campaign for launching: a scheduled one whose send time has come, or one whose
/// launch was interrupted longer than `lease` ago. Only one worker gets each.
pub async fn claim_due(
    db: &impl ConnectionTrait,
    lease: Duration,
) -> Result<Option<Campaign>, DbErr> {
    let now = super::now();
    let candidates = distributions::Entity::find()
        .filter(distributions::Column::Kind.eq("email"))
        .filter(
            sea_orm::Condition::any()
                .add(
                    sea_orm::Condition::all()
                        .add(distributions::Column::Status.eq(status::SCHEDULED))
                        .add(distributions::Column::SendAt.lte(now)),
                )
                .add(
                    sea_orm::Condition::all()
                        .add(distributions::Column::Status.eq(status::LAUNCHING))
                        .add(distributions::Column::LaunchedAt.lt(now - lease)),
                ),
        )
        .order_by_asc(distributions::Column::SendAt)
        .all(db)
        .await?;
    for candidate in candidates {
        let taken = distributions::Entity::update_many()
            .col_expr(
                distributions::Column::Status,
                Expr::value(status::LAUNCHING),
            )
            .col_expr(distributions::Column::LaunchedAt, Some(now).into())
            .filter(distributions::Column::Id.eq(candidate.id))
            .filter(distributions::Column::Status.eq(candidate.status))
            .filter(distributions::Column::LaunchedAt.eq(candidate.launched_at))
            .exec(db)
            .await?
            .rows_affected
            == 1;
        if taken {
            return Ok(Some(candidate.into()));
        }
    }
    Ok(None)
}

/// Contacts of a campaign that already have an invitation (a resumed launch skips them).
pub async fn invited_contacts(
    db: &impl ConnectionTrait,
    campaign_id: i32,
) -> Result<HashSet<i32>, DbErr> {
    let rows: Vec<Option<i32>> = invitations::Entity::find()
        .filter(invitations::Column::DistributionId.eq(campaign_id))
        .select_only()
        .column(invitations::Column::ContactId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().flatten().collect())
}

/// One invitation to write: the token's hash and the emails about it (the invitation, then held reminders).
#[derive(Debug, Clone)]
pub struct InvitationDraft {
    pub contact_id: i32,
    pub token_hash: String,
    pub expires_at: DateTime<Utc>,
    pub messages: Vec<NewMessage>,
}

/// Writes invitations, each together with its outbox rows in one transaction: all of the batch or none.
pub async fn insert_invitations(
    db: &DatabaseConnection,
    campaign_id: i32,
    drafts: Vec<InvitationDraft>,
) -> Result<usize, DbErr> {
    let txn = db.begin().await?;
    let count = drafts.len();
    for draft in drafts {
        let invitation = invitations::ActiveModel {
            distribution_id: Set(campaign_id),
            contact_id: Set(Some(draft.contact_id)),
            token_hash: Set(draft.token_hash),
            created_at: Set(super::now()),
            expires_at: Set(Some(draft.expires_at)),
            sent_at: Set(None),
            reminders_sent: Set(0),
            last_reminded_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for mut message in draft.messages {
            message.invitation_id = Some(invitation.id);
            outbox::enqueue(&txn, message).await?;
        }
    }
    txn.commit().await?;
    Ok(count)
}

/// Marks a launched campaign running.
pub async fn mark_running(db: &impl ConnectionTrait, campaign_id: i32) -> Result<(), DbErr> {
    distributions::Entity::update_many()
        .col_expr(distributions::Column::Status, Expr::value(status::RUNNING))
        .filter(distributions::Column::Id.eq(campaign_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Counts of a group of invitations: the dashboard's numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Funnel {
    pub invited: u64,
    pub sent: u64,
    pub failed: u64,
    pub started: u64,
    pub completed: u64,
    pub reminded: u64,
    pub unsubscribed: u64,
}

impl Funnel {
    /// Completed responses per invitation sent, in percent (one decimal).
    pub fn rate(&self) -> f64 {
        if self.sent == 0 {
            0.0
        } else {
            (self.completed as f64 * 1000.0 / self.sent as f64).round() / 10.0
        }
    }
}

/// A segment's funnel, e.g. customer class A.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentRow {
    pub value: String,
    pub funnel: Funnel,
    pub rate: f64,
}

/// The dashboard: the whole campaign and its segments by attribute.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dashboard {
    pub total: Funnel,
    pub rate: f64,
    /// (attribute, rows), e.g. ("customer_class", [A, B, C]).
    pub segments: Vec<(String, Vec<SegmentRow>)>,
    pub queued: u64,
}

#[derive(Debug, FromQueryResult)]
struct InvitationFacts {
    sent: bool,
    reminded: bool,
    failed: bool,
    unsubscribed: bool,
    started: bool,
    completed: bool,
    language: Option<String>,
    region: Option<String>,
    customer_class: Option<String>,
    lifecycle_stage: Option<String>,
}

fn add(funnel: &mut Funnel, f: &InvitationFacts) {
    funnel.invited += 1;
    funnel.sent += u64::from(f.sent);
    funnel.failed += u64::from(f.failed);
    funnel.started += u64::from(f.started);
    funnel.completed += u64::from(f.completed);
    funnel.reminded += u64::from(f.reminded);
    funnel.unsubscribed += u64::from(f.unsubscribed);
}

/// Invited, sent, failed, started, completed, reminded and unsubscribed for a campaign, overall and by segment.
pub async fn dashboard(db: &impl ConnectionTrait, campaign_id: i32) -> Result<Dashboard, DbErr> {
    let backend = db.get_database_backend();
    let p = if backend == sea_orm::DatabaseBackend::Postgres {
        "$1"
    } else {
        "?"
    };
    let sql = format!(
        "SELECT (i.sent_at IS NOT NULL) AS sent, (i.reminders_sent > 0) AS reminded, \
           EXISTS (SELECT 1 FROM outbox o WHERE o.invitation_id = i.id AND o.kind = 'invitation' AND o.status = 'failed') AS failed, \
           (c.unsubscribed_at IS NOT NULL) AS unsubscribed, \
           EXISTS (SELECT 1 FROM responses r WHERE r.invitation_id = i.id) AS started, \
           EXISTS (SELECT 1 FROM responses r WHERE r.invitation_id = i.id AND r.status = 'complete') AS completed, \
           c.language, c.region, c.customer_class, c.lifecycle_stage \
         FROM invitations i LEFT JOIN contacts c ON c.id = i.contact_id WHERE i.distribution_id = {p}"
    );
    let rows = InvitationFacts::find_by_statement(Statement::from_sql_and_values(
        backend,
        sql,
        [campaign_id.into()],
    ))
    .all(db)
    .await?;
    let mut total = Funnel::default();
    let mut by: BTreeMap<&'static str, BTreeMap<String, Funnel>> = BTreeMap::new();
    for row in &rows {
        add(&mut total, row);
        for (attribute, value) in [
            ("customer_class", &row.customer_class),
            ("region", &row.region),
            ("lifecycle_stage", &row.lifecycle_stage),
            ("language", &row.language),
        ] {
            let value = value.clone().unwrap_or_else(|| "—".into());
            add(
                by.entry(attribute).or_default().entry(value).or_default(),
                row,
            );
        }
    }
    let queued = outbox_rows::Entity::find()
        .filter(
            outbox_rows::Column::Status
                .is_in([outbox::OutboxStatus::Queued, outbox::OutboxStatus::Sending]),
        )
        .filter(
            outbox_rows::Column::InvitationId.in_subquery(
                invitations::Entity::find()
                    .filter(invitations::Column::DistributionId.eq(campaign_id))
                    .select_only()
                    .column(invitations::Column::Id)
                    .into_query(),
            ),
        )
        .count(db)
        .await?;
    let segments = ["customer_class", "region", "lifecycle_stage", "language"]
        .into_iter()
        .map(|attribute| {
            let rows = by
                .remove(attribute)
                .unwrap_or_default()
                .into_iter()
                .map(|(value, funnel)| SegmentRow {
                    rate: funnel.rate(),
                    value,
                    funnel,
                })
                .collect();
            (attribute.to_owned(), rows)
        })
        .collect();
    Ok(Dashboard {
        rate: total.rate(),
        total,
        segments,
        queued,
    })
}

/// How many contacts a filter reaches now (subscribed only).
pub async fn audience_size(
    db: &impl ConnectionTrait,
    filter: &ContactFilter,
) -> Result<usize, DbErr> {
    Ok(super::contacts::matching(db, filter).await?.len())
}

/// Whether any contact exists at all (the campaign page points to the import otherwise).
pub async fn any_contacts(db: &impl ConnectionTrait) -> Result<bool, DbErr> {
    Ok(contacts::Entity::find().count(db).await? > 0)
}
