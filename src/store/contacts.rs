//! Contacts: importing checked rows (deduplicated by email), searching, and unsubscribing — always honoured.

use super::entities::{brands, contacts, invitations};
use crate::domain::campaign::{ContactFacts, ContactFilter};
use crate::domain::contact_import::ContactRow;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, DbErr, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// A contact as pages show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contact {
    pub id: i32,
    pub email: String,
    pub name: String,
    pub language: String,
    pub brand_id: Option<i32>,
    pub region: Option<String>,
    pub customer_class: Option<String>,
    pub lifecycle_stage: Option<String>,
    pub attributes: BTreeMap<String, String>,
    pub unsubscribed: bool,
}

impl From<contacts::Model> for Contact {
    fn from(c: contacts::Model) -> Contact {
        Contact {
            attributes: serde_json::from_str(&c.attributes).unwrap_or_default(),
            unsubscribed: c.unsubscribed_at.is_some(),
            id: c.id,
            email: c.email,
            name: c.name,
            language: c.language,
            brand_id: c.brand_id,
            region: c.region,
            customer_class: c.customer_class,
            lifecycle_stage: c.lifecycle_stage,
        }
    }
}

impl Contact {
    pub fn facts(&self) -> ContactFacts<'_> {
        ContactFacts {
            language: &self.language,
            brand_id: self.brand_id,
            region: self.region.as_deref(),
            customer_class: self.customer_class.as_deref(),
            lifecycle_stage: self.lifecycle_stage.as_deref(),
            attributes: &self.attributes,
        }
    }
}

/// Brand codes and names (both languages, lower-cased) to ids, for reading the `brand` column.
pub async fn brand_lookup(db: &impl ConnectionTrait) -> Result<HashMap<String, i32>, DbErr> {
    let mut lookup = HashMap::new();
    for b in brands::Entity::find().all(db).await? {
        lookup.insert(b.code.to_lowercase(), b.id);
        lookup.insert(b.name_zh.trim().to_lowercase(), b.id);
        lookup.insert(b.name_en.trim().to_lowercase(), b.id);
    }
    Ok(lookup)
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ImportSummary {
    pub created: usize,
    pub updated: usize,
}

/// Which of `emails` are already stored.
pub async fn existing_emails(db: &impl ConnectionTrait, emails: &[String]) -> Result<usize, DbErr> {
    let mut found = 0;
    for chunk in emails.chunks(500) {
        found += contacts::Entity::find()
            .filter(contacts::Column::Email.is_in(chunk.iter().cloned()))
            .count(db)
            .await? as usize;
    }
    Ok(found)
}

/// Stores checked rows atomically: new emails are created, known ones updated (their unsubscribe stays).
pub async fn import(db: &DatabaseConnection, rows: &[ContactRow]) -> Result<ImportSummary, DbErr> {
    // Read before the transaction: on SQLite a transaction that reads first cannot always upgrade to a write.
    // A contact created in between makes the insert fail on the unique email, and nothing is stored.
    let mut summary = ImportSummary::default();
    let mut known: HashMap<String, contacts::Model> = HashMap::new();
    let emails: Vec<String> = rows.iter().map(|r| r.email.clone()).collect();
    for chunk in emails.chunks(500) {
        for c in contacts::Entity::find()
            .filter(contacts::Column::Email.is_in(chunk.iter().cloned()))
            .all(db)
            .await?
        {
            known.insert(c.email.clone(), c);
        }
    }
    let attributes =
        |row: &ContactRow| serde_json::to_string(&row.attributes).unwrap_or_else(|_| "{}".into());
    let txn = db.begin().await?;
    let mut fresh = Vec::new();
    for row in rows {
        match known.remove(&row.email) {
            Some(existing) => {
                let mut active = existing.into_active_model();
                active.name = Set(row.name.clone());
                active.language = Set(row.language.tag().to_owned());
                active.brand_id = Set(row.brand_id);
                active.region = Set(row.region.clone());
                active.customer_class = Set(row.customer_class.clone());
                active.lifecycle_stage = Set(row.lifecycle_stage.clone());
                active.attributes = Set(attributes(row));
                active.update(&txn).await?;
                summary.updated += 1;
            }
            None => {
                fresh.push(contacts::ActiveModel {
                    email: Set(row.email.clone()),
                    name: Set(row.name.clone()),
                    language: Set(row.language.tag().to_owned()),
                    brand_id: Set(row.brand_id),
                    region: Set(row.region.clone()),
                    customer_class: Set(row.customer_class.clone()),
                    lifecycle_stage: Set(row.lifecycle_stage.clone()),
                    attributes: Set(attributes(row)),
                    unsubscribed_at: Set(None),
                    created_at: Set(super::now()),
                    ..Default::default()
                });
            }
        }
    }
    summary.created = fresh.len();
    let mut fresh = fresh.into_iter().peekable();
    while fresh.peek().is_some() {
        let chunk: Vec<_> = fresh.by_ref().take(200).collect();
        contacts::Entity::insert_many(chunk).exec(&txn).await?;
    }
    txn.commit().await?;
    Ok(summary)
}

/// Search and filters of the contacts page.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, Serialize)]
pub struct ContactQuery {
    /// Part of the email or name.
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub customer_class: String,
    #[serde(default)]
    pub lifecycle_stage: String,
    #[serde(default)]
    pub language: String,
    /// `yes`, `no` or empty (both).
    #[serde(default)]
    pub unsubscribed: String,
    #[serde(default)]
    pub page: u64,
}

/// One page of contacts matching `query`, and how many match in all.
pub async fn search(
    db: &impl ConnectionTrait,
    query: &ContactQuery,
    per_page: u64,
) -> Result<(Vec<Contact>, u64), DbErr> {
    let mut condition = Condition::all();
    let q = query.q.trim().to_lowercase();
    if !q.is_empty() {
        let pattern = format!("%{}%", q.replace(['%', '_'], ""));
        condition = condition.add(
            Condition::any()
                .add(contacts::Column::Email.like(pattern.clone()))
                .add(contacts::Column::Name.like(pattern)),
        );
    }
    for (value, column) in [
        (&query.region, contacts::Column::Region),
        (&query.customer_class, contacts::Column::CustomerClass),
        (&query.lifecycle_stage, contacts::Column::LifecycleStage),
        (&query.language, contacts::Column::Language),
    ] {
        if !value.trim().is_empty() {
            condition = condition.add(column.eq(value.trim()));
        }
    }
    match query.unsubscribed.as_str() {
        "yes" => condition = condition.add(contacts::Column::UnsubscribedAt.is_not_null()),
        "no" => condition = condition.add(contacts::Column::UnsubscribedAt.is_null()),
        _ => {}
    }
    let select = contacts::Entity::find().filter(condition);
    let total = select.clone().count(db).await?;
    let rows = select
        .order_by_asc(contacts::Column::Email)
        .offset(query.page.saturating_mul(per_page))
        .limit(per_page)
        .all(db)
        .await?;
    Ok((rows.into_iter().map(Contact::from).collect(), total))
}

/// The distinct regions stored, for the filter menu.
pub async fn regions(db: &impl ConnectionTrait) -> Result<Vec<String>, DbErr> {
    let rows: Vec<Option<String>> = contacts::Entity::find()
        .select_only()
        .column(contacts::Column::Region)
        .distinct()
        .order_by_asc(contacts::Column::Region)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().flatten().collect())
}

/// Subscribed contacts matching a campaign's filter.
pub async fn matching(
    db: &impl ConnectionTrait,
    filter: &ContactFilter,
) -> Result<Vec<Contact>, DbErr> {
    let rows = contacts::Entity::find()
        .filter(contacts::Column::UnsubscribedAt.is_null())
        .order_by_asc(contacts::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(Contact::from)
        .filter(|c| filter.matches(&c.facts()))
        .collect())
}

pub async fn by_email(db: &impl ConnectionTrait, email: &str) -> Result<Option<Contact>, DbErr> {
    Ok(contacts::Entity::find()
        .filter(contacts::Column::Email.eq(email.trim().to_lowercase()))
        .one(db)
        .await?
        .map(Contact::from))
}

/// Whose invitation a token hash belongs to: (invitation id, contact).
pub async fn by_invitation_hash(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<(i32, Contact)>, DbErr> {
    let Some(invitation) = invitations::Entity::find()
        .filter(invitations::Column::TokenHash.eq(token_hash))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(contact_id) = invitation.contact_id else {
        return Ok(None);
    };
    Ok(contacts::Entity::find_by_id(contact_id)
        .one(db)
        .await?
        .map(|c| (invitation.id, Contact::from(c))))
}

/// Unsubscribes a contact and cancels every email not yet sent to them. Returns whether it changed anything.
pub async fn unsubscribe(db: &DatabaseConnection, contact_id: i32) -> Result<bool, DbErr> {
    let txn = db.begin().await?;
    let changed = contacts::Entity::update_many()
        .col_expr(contacts::Column::UnsubscribedAt, Some(super::now()).into())
        .filter(contacts::Column::Id.eq(contact_id))
        .filter(contacts::Column::UnsubscribedAt.is_null())
        .exec(&txn)
        .await?
        .rows_affected
        == 1;
    super::outbox::cancel_for_contact(&txn, contact_id).await?;
    txn.commit().await?;
    Ok(changed)
}

pub async fn count(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    contacts::Entity::find().count(db).await
}
