//! Draft versions: opening one (a copy of the current model) when a published questionnaire is edited, and storing its edits.

use super::entities::{
    ResponseStatus, VersionStatus, constructs, dimensions, indicators, models, paths,
    questionnaire_versions, responses,
};
use super::models as model_store;
use super::questionnaires::Version;
use crate::domain::{Lang, Model};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, TransactionTrait,
};

/// The draft version of a questionnaire, and whether it was just created.
#[derive(Debug, Clone)]
pub struct Draft {
    pub version: Version,
    pub created: bool,
}

/// The questionnaire's draft version; if every version is published, creates the next
/// version as a draft holding a copy of the newest version's model.
pub async fn ensure(db: &DatabaseConnection, questionnaire_id: i32) -> Result<Draft, DbErr> {
    let txn = db.begin().await?;
    let newest = questionnaire_versions::Entity::find()
        .filter(questionnaire_versions::Column::QuestionnaireId.eq(questionnaire_id))
        .order_by_desc(questionnaire_versions::Column::Number)
        .one(&txn)
        .await?
        .ok_or_else(|| {
            DbErr::RecordNotFound(format!("versions of questionnaire {questionnaire_id}"))
        })?;
    if newest.status == VersionStatus::Draft {
        return Ok(Draft {
            version: newest.into(),
            created: false,
        });
    }
    let model = model_store::load(&txn, newest.model_id).await?;
    let model_id = model_store::save(&txn, &model, false).await?;
    let draft = questionnaire_versions::ActiveModel {
        questionnaire_id: Set(questionnaire_id),
        number: Set(newest.number + 1),
        model_id: Set(model_id),
        status: Set(VersionStatus::Draft),
        created_at: Set(super::now()),
        published_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(Draft {
        version: draft.into(),
        created: true,
    })
}

fn text(t: &crate::domain::Text, lang: Lang) -> String {
    t.get(lang).unwrap_or("").to_owned()
}

/// Replaces a draft model's contents with `model`, atomically. A frozen (published) model is never changed.
pub async fn replace_model(
    db: &DatabaseConnection,
    model_id: i32,
    model: &Model,
) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    let stored = models::Entity::find_by_id(model_id)
        .one(&txn)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("model {model_id}")))?;
    if stored.frozen {
        return Err(DbErr::Custom(format!(
            "model {model_id} belongs to a published version and cannot change"
        )));
    }
    let languages: Vec<&str> = model.languages.iter().map(|l| l.key()).collect();
    let mut active = stored.into_active_model();
    active.code = Set(model.code.clone());
    active.name_zh = Set(text(&model.name, Lang::ZhCn));
    active.name_en = Set(text(&model.name, Lang::En));
    active.description_zh = Set(text(&model.description, Lang::ZhCn));
    active.description_en = Set(text(&model.description, Lang::En));
    active.languages = Set(languages.join(","));
    active.update(&txn).await?;
    let construct_ids: Vec<i32> = constructs::Entity::find()
        .filter(constructs::Column::ModelId.eq(model_id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    paths::Entity::delete_many()
        .filter(paths::Column::ModelId.eq(model_id))
        .exec(&txn)
        .await?;
    indicators::Entity::delete_many()
        .filter(indicators::Column::ModelId.eq(model_id))
        .exec(&txn)
        .await?;
    dimensions::Entity::delete_many()
        .filter(dimensions::Column::ConstructId.is_in(construct_ids))
        .exec(&txn)
        .await?;
    constructs::Entity::delete_many()
        .filter(constructs::Column::ModelId.eq(model_id))
        .exec(&txn)
        .await?;
    model_store::insert_parts(&txn, model_id, model).await?;
    txn.commit().await
}

/// One version by its number.
pub async fn version(
    db: &impl ConnectionTrait,
    questionnaire_id: i32,
    number: i32,
) -> Result<Option<Version>, DbErr> {
    Ok(questionnaire_versions::Entity::find()
        .filter(questionnaire_versions::Column::QuestionnaireId.eq(questionnaire_id))
        .filter(questionnaire_versions::Column::Number.eq(number))
        .one(db)
        .await?
        .map(Version::from))
}

/// Completed responses that answered one version.
pub async fn completed_responses(db: &impl ConnectionTrait, version_id: i32) -> Result<u64, DbErr> {
    responses::Entity::find()
        .filter(responses::Column::VersionId.eq(version_id))
        .filter(responses::Column::Status.eq(ResponseStatus::Complete))
        .count(db)
        .await
}
