//! Questionnaires, their frozen versions and their public links.

use super::entities::{
    DistributionStatus, VersionStatus, distributions, models, questionnaire_versions,
    questionnaires,
};
use super::{brands, models as model_store};
use crate::domain::{Lang, Model, ModelIssue, Text};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, TransactionTrait,
};

/// A questionnaire as lists and pages show it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Questionnaire {
    pub id: i32,
    pub slug: String,
    pub title: Text,
    pub brand_screening: bool,
}

impl From<questionnaires::Model> for Questionnaire {
    fn from(q: questionnaires::Model) -> Questionnaire {
        let mut title = Text::default();
        title.set(Lang::ZhCn, Some(q.title_zh));
        title.set(Lang::En, Some(q.title_en));
        Questionnaire {
            id: q.id,
            slug: q.slug,
            title,
            brand_screening: q.brand_screening,
        }
    }
}

/// One version of a questionnaire; a published one is frozen.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Version {
    pub id: i32,
    pub number: i32,
    pub model_id: i32,
    pub published: bool,
    pub published_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<questionnaire_versions::Model> for Version {
    fn from(v: questionnaire_versions::Model) -> Version {
        Version {
            id: v.id,
            number: v.number,
            model_id: v.model_id,
            published: v.status == VersionStatus::Published,
            published_at: v.published_at,
        }
    }
}

/// What a new questionnaire is made of.
pub struct NewQuestionnaire<'a> {
    pub slug: &'a str,
    pub title: Text,
    pub model: &'a Model,
    pub brand_ids: &'a [i32],
    pub brand_screening: bool,
}

/// Creates a questionnaire with a draft version 1 holding a copy of the model.
pub async fn create(
    db: &DatabaseConnection,
    new: NewQuestionnaire<'_>,
) -> Result<Questionnaire, DbErr> {
    let txn = db.begin().await?;
    let row = questionnaires::ActiveModel {
        slug: Set(new.slug.to_owned()),
        title_zh: Set(new.title.get(Lang::ZhCn).unwrap_or("").to_owned()),
        title_en: Set(new.title.get(Lang::En).unwrap_or("").to_owned()),
        brand_screening: Set(new.brand_screening),
        created_at: Set(super::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let model_id = model_store::save(&txn, new.model, false).await?;
    questionnaire_versions::ActiveModel {
        questionnaire_id: Set(row.id),
        number: Set(1),
        model_id: Set(model_id),
        status: Set(VersionStatus::Draft),
        created_at: Set(super::now()),
        published_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    brands::attach(&txn, row.id, new.brand_ids).await?;
    txn.commit().await?;
    Ok(row.into())
}

pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<Questionnaire>, DbErr> {
    Ok(questionnaires::Entity::find()
        .order_by_asc(questionnaires::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Questionnaire::from)
        .collect())
}

/// The questionnaires a user's scope lets them open, oldest first.
pub async fn all_in(
    db: &impl ConnectionTrait,
    scope: &super::questionnaire_access::Scope,
) -> Result<Vec<Questionnaire>, DbErr> {
    use super::questionnaire_access::Scope;
    let mut query = questionnaires::Entity::find().order_by_asc(questionnaires::Column::Id);
    if let Scope::Only(ids) = scope {
        query = query.filter(questionnaires::Column::Id.is_in(ids.iter().copied()));
    }
    Ok(query
        .all(db)
        .await?
        .into_iter()
        .map(Questionnaire::from)
        .collect())
}

pub async fn by_id(db: &impl ConnectionTrait, id: i32) -> Result<Option<Questionnaire>, DbErr> {
    Ok(questionnaires::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Questionnaire::from))
}

pub async fn by_slug(
    db: &impl ConnectionTrait,
    slug: &str,
) -> Result<Option<Questionnaire>, DbErr> {
    Ok(questionnaires::Entity::find()
        .filter(questionnaires::Column::Slug.eq(slug))
        .one(db)
        .await?
        .map(Questionnaire::from))
}

/// Every version, newest first.
pub async fn versions(
    db: &impl ConnectionTrait,
    questionnaire_id: i32,
) -> Result<Vec<Version>, DbErr> {
    Ok(questionnaire_versions::Entity::find()
        .filter(questionnaire_versions::Column::QuestionnaireId.eq(questionnaire_id))
        .order_by_desc(questionnaire_versions::Column::Number)
        .all(db)
        .await?
        .into_iter()
        .map(Version::from)
        .collect())
}

/// The newest published version: the one new responses answer.
pub async fn current_version(
    db: &impl ConnectionTrait,
    questionnaire_id: i32,
) -> Result<Option<Version>, DbErr> {
    Ok(versions(db, questionnaire_id)
        .await?
        .into_iter()
        .find(|v| v.published))
}

/// Why publishing did not happen.
#[derive(Debug)]
pub enum PublishError {
    NoDraft,
    Invalid(Vec<ModelIssue>),
    Db(DbErr),
}

impl From<DbErr> for PublishError {
    fn from(e: DbErr) -> PublishError {
        PublishError::Db(e)
    }
}

/// Freezes the draft version and makes it current; creates the public link on first publish.
pub async fn publish(
    db: &DatabaseConnection,
    questionnaire_id: i32,
) -> Result<Version, PublishError> {
    let txn = db.begin().await?;
    let draft = questionnaire_versions::Entity::find()
        .filter(questionnaire_versions::Column::QuestionnaireId.eq(questionnaire_id))
        .filter(questionnaire_versions::Column::Status.eq(VersionStatus::Draft))
        .one(&txn)
        .await?
        .ok_or(PublishError::NoDraft)?;
    let model = model_store::load(&txn, draft.model_id).await?;
    let errors = model.errors();
    if !errors.is_empty() {
        return Err(PublishError::Invalid(errors));
    }
    if let Some(stored) = models::Entity::find_by_id(draft.model_id).one(&txn).await? {
        let mut active = stored.into_active_model();
        active.frozen = Set(true);
        active.update(&txn).await?;
    }
    let mut active = draft.into_active_model();
    active.status = Set(VersionStatus::Published);
    active.published_at = Set(Some(super::now()));
    let published = active.update(&txn).await?;
    let questionnaire = questionnaires::Entity::find_by_id(questionnaire_id)
        .one(&txn)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("questionnaire {questionnaire_id}")))?;
    let has_link = distributions::Entity::find()
        .filter(distributions::Column::QuestionnaireId.eq(questionnaire_id))
        .filter(distributions::Column::Kind.eq("public"))
        .one(&txn)
        .await?
        .is_some();
    if !has_link {
        distributions::ActiveModel {
            questionnaire_id: Set(questionnaire_id),
            kind: Set("public".into()),
            name: Set("public link".into()),
            slug: Set(Some(questionnaire.slug.clone())),
            brand_id: Set(None),
            version_id: Set(None),
            opens_at: Set(None),
            closes_at: Set(None),
            quota: Set(None),
            send_at: Set(None),
            expires_at: Set(None),
            reminder_days: Set(String::new()),
            contact_filter: Set("{}".into()),
            status: Set(DistributionStatus::Open),
            created_at: Set(super::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(published.into())
}

/// A public link with its questionnaire.
#[derive(Debug, Clone)]
pub struct PublicLink {
    pub distribution: distributions::Model,
    pub questionnaire: Questionnaire,
}

/// The public distribution with this slug.
pub async fn public_distribution(
    db: &impl ConnectionTrait,
    slug: &str,
) -> Result<Option<distributions::Model>, DbErr> {
    distributions::Entity::find()
        .filter(distributions::Column::Slug.eq(slug))
        .filter(distributions::Column::Kind.eq("public"))
        .one(db)
        .await
}

pub async fn public_link(
    db: &impl ConnectionTrait,
    slug: &str,
) -> Result<Option<PublicLink>, DbErr> {
    let Some(distribution) = public_distribution(db, slug).await? else {
        return Ok(None);
    };
    let questionnaire = by_id(db, distribution.questionnaire_id)
        .await?
        .ok_or_else(|| {
            DbErr::RecordNotFound(format!("questionnaire {}", distribution.questionnaire_id))
        })?;
    Ok(Some(PublicLink {
        distribution,
        questionnaire,
    }))
}
