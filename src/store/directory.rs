//! Contacts and campaigns as the JSON API lists and creates them.

use super::entities::{contacts, distributions};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

pub async fn contacts_page(
    db: &impl ConnectionTrait,
    after_id: i32,
    limit: u64,
) -> Result<Vec<contacts::Model>, DbErr> {
    contacts::Entity::find()
        .filter(contacts::Column::Id.gt(after_id))
        .order_by_asc(contacts::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

pub async fn contact_by_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<contacts::Model>, DbErr> {
    contacts::Entity::find()
        .filter(contacts::Column::Email.eq(email))
        .one(db)
        .await
}

/// A new contact, every field already checked.
pub struct NewContact {
    pub email: String,
    pub name: String,
    pub language: String,
    pub region: Option<String>,
    pub customer_class: Option<String>,
    pub lifecycle_stage: Option<String>,
    pub attributes: std::collections::BTreeMap<String, String>,
}

pub async fn create_contact(
    db: &impl ConnectionTrait,
    new: NewContact,
) -> Result<contacts::Model, DbErr> {
    contacts::ActiveModel {
        email: Set(new.email),
        name: Set(new.name),
        language: Set(new.language),
        brand_id: Set(None),
        region: Set(new.region),
        customer_class: Set(new.customer_class),
        lifecycle_stage: Set(new.lifecycle_stage),
        attributes: Set(serde_json::to_string(&new.attributes).unwrap_or_else(|_| "{}".into())),
        unsubscribed_at: Set(None),
        created_at: Set(super::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Email campaigns (distributions that are not public links), newest first.
pub async fn campaigns(db: &impl ConnectionTrait) -> Result<Vec<distributions::Model>, DbErr> {
    distributions::Entity::find()
        .filter(distributions::Column::Kind.ne("public"))
        .order_by_desc(distributions::Column::Id)
        .all(db)
        .await
}
