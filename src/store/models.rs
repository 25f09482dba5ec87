//! Storing an indicator system in its tables and reading it back as a `domain::Model`.

use super::entities::{constructs, dimensions, indicators, models, paths};
use crate::domain::{
    self, Construct, Dimension, Indicator, Lang, Model, OuterMode, Path, Scale, ScaleKind, Text,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};
use std::collections::HashMap;

fn text(t: &Text, lang: Lang) -> String {
    t.get(lang).unwrap_or("").to_owned()
}

fn text_of(zh: &str, en: &str) -> Text {
    let mut t = Text::default();
    t.set(Lang::ZhCn, Some(zh.to_owned()));
    t.set(Lang::En, Some(en.to_owned()));
    t
}

fn mode_name(mode: OuterMode) -> &'static str {
    match mode {
        OuterMode::Reflective => "reflective",
        OuterMode::Formative => "formative",
    }
}

fn kind_name(kind: ScaleKind) -> &'static str {
    match kind {
        ScaleKind::Likert => "likert",
        ScaleKind::Nps => "nps",
        ScaleKind::YesNo => "yes_no",
    }
}

/// Inserts a model with all its parts; returns the new model id.
pub async fn save(db: &impl ConnectionTrait, model: &Model, frozen: bool) -> Result<i32, DbErr> {
    let languages: Vec<&str> = model.languages.iter().map(|l| l.key()).collect();
    let row = models::ActiveModel {
        code: Set(model.code.clone()),
        name_zh: Set(text(&model.name, Lang::ZhCn)),
        name_en: Set(text(&model.name, Lang::En)),
        description_zh: Set(text(&model.description, Lang::ZhCn)),
        description_en: Set(text(&model.description, Lang::En)),
        languages: Set(languages.join(",")),
        frozen: Set(frozen),
        created_at: Set(super::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    insert_parts(db, row.id, model).await?;
    Ok(row.id)
}

/// Inserts the constructs, dimensions, indicators and paths of `model` under the stored model `model_id`.
pub(crate) async fn insert_parts(
    db: &impl ConnectionTrait,
    model_id: i32,
    model: &Model,
) -> Result<(), DbErr> {
    let mut indicator_position = 0;
    for (position, construct) in model.constructs.iter().enumerate() {
        let construct_row = constructs::ActiveModel {
            model_id: Set(model_id),
            code: Set(construct.code.clone()),
            name_zh: Set(text(&construct.name, Lang::ZhCn)),
            name_en: Set(text(&construct.name, Lang::En)),
            mode: Set(mode_name(construct.mode).to_owned()),
            expert_weight: Set(construct.expert_weight),
            position: Set(position as i32),
            ..Default::default()
        }
        .insert(db)
        .await?;
        for (position, dimension) in construct.dimensions.iter().enumerate() {
            dimensions::ActiveModel {
                construct_id: Set(construct_row.id),
                code: Set(dimension.code.clone()),
                name_zh: Set(text(&dimension.name, Lang::ZhCn)),
                name_en: Set(text(&dimension.name, Lang::En)),
                position: Set(position as i32),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
        for indicator in &construct.indicators {
            let scale = &indicator.scale;
            indicators::ActiveModel {
                model_id: Set(model_id),
                construct_id: Set(construct_row.id),
                dimension: Set(indicator.dimension.clone()),
                code: Set(indicator.code.clone()),
                text_zh: Set(text(&indicator.text, Lang::ZhCn)),
                text_en: Set(text(&indicator.text, Lang::En)),
                scale_kind: Set(kind_name(scale.kind()).to_owned()),
                scale_points: Set(i16::from(scale.points())),
                scale_low_zh: Set(text(scale.low(), Lang::ZhCn)),
                scale_low_en: Set(text(scale.low(), Lang::En)),
                scale_high_zh: Set(text(scale.high(), Lang::ZhCn)),
                scale_high_en: Set(text(scale.high(), Lang::En)),
                scale_labels: Set(serde_json::to_string(scale.labels()).expect("labels serialise")),
                dont_know: Set(indicator.dont_know),
                reverse: Set(indicator.reverse),
                expert_weight: Set(indicator.expert_weight),
                position: Set(indicator_position),
                ..Default::default()
            }
            .insert(db)
            .await?;
            indicator_position += 1;
        }
    }
    for path in &model.paths {
        paths::ActiveModel {
            model_id: Set(model_id),
            from_code: Set(path.from.clone()),
            to_code: Set(path.to.clone()),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

fn corrupt(what: String) -> DbErr {
    DbErr::Custom(format!("stored model is inconsistent: {what}"))
}

/// Reads a stored model back.
pub async fn load(db: &impl ConnectionTrait, model_id: i32) -> Result<Model, DbErr> {
    let row = models::Entity::find_by_id(model_id)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("model {model_id}")))?;
    let construct_rows = constructs::Entity::find()
        .filter(constructs::Column::ModelId.eq(model_id))
        .order_by_asc(constructs::Column::Position)
        .all(db)
        .await?;
    let construct_ids: Vec<i32> = construct_rows.iter().map(|c| c.id).collect();
    let dimension_rows = dimensions::Entity::find()
        .filter(dimensions::Column::ConstructId.is_in(construct_ids))
        .order_by_asc(dimensions::Column::Position)
        .all(db)
        .await?;
    let indicator_rows = indicators::Entity::find()
        .filter(indicators::Column::ModelId.eq(model_id))
        .order_by_asc(indicators::Column::Position)
        .all(db)
        .await?;
    let path_rows = paths::Entity::find()
        .filter(paths::Column::ModelId.eq(model_id))
        .order_by_asc(paths::Column::Id)
        .all(db)
        .await?;
    let mut constructs = Vec::new();
    for c in construct_rows {
        let mut indicators = Vec::new();
        for i in indicator_rows.iter().filter(|i| i.construct_id == c.id) {
            let kind = match i.scale_kind.as_str() {
                "likert" => ScaleKind::Likert,
                "nps" => ScaleKind::Nps,
                "yes_no" => ScaleKind::YesNo,
                other => return Err(corrupt(format!("scale kind {other} of {}", i.code))),
            };
            let labels: Vec<Text> = serde_json::from_str(&i.scale_labels)
                .map_err(|e| corrupt(format!("labels of {}: {e}", i.code)))?;
            let scale = Scale::new(
                kind,
                u8::try_from(i.scale_points).ok(),
                text_of(&i.scale_low_zh, &i.scale_low_en),
                text_of(&i.scale_high_zh, &i.scale_high_en),
                labels,
            )
            .map_err(|e| corrupt(format!("scale of {}: {e}", i.code)))?;
            indicators.push(Indicator {
                code: i.code.clone(),
                text: text_of(&i.text_zh, &i.text_en),
                scale,
                dont_know: i.dont_know,
                reverse: i.reverse,
                dimension: i.dimension.clone(),
                expert_weight: i.expert_weight,
            });
        }
        constructs.push(Construct {
            code: c.code.clone(),
            name: text_of(&c.name_zh, &c.name_en),
            mode: if c.mode == "formative" {
                OuterMode::Formative
            } else {
                OuterMode::Reflective
            },
            dimensions: dimension_rows
                .iter()
                .filter(|d| d.construct_id == c.id)
                .map(|d| Dimension {
                    code: d.code.clone(),
                    name: text_of(&d.name_zh, &d.name_en),
                })
                .collect(),
            indicators,
            expert_weight: c.expert_weight,
        });
    }
    Ok(domain::Model {
        code: row.code,
        name: text_of(&row.name_zh, &row.name_en),
        description: text_of(&row.description_zh, &row.description_en),
        languages: row.languages.split(',').filter_map(Lang::parse).collect(),
        constructs,
        paths: path_rows
            .into_iter()
            .map(|p| Path {
                from: p.from_code,
                to: p.to_code,
            })
            .collect(),
    })
}

/// Indicator ids of a stored model by code.
pub async fn indicator_ids(
    db: &impl ConnectionTrait,
    model_id: i32,
) -> Result<HashMap<String, i32>, DbErr> {
    Ok(indicators::Entity::find()
        .filter(indicators::Column::ModelId.eq(model_id))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.code, i.id))
        .collect())
}

/// Whether a model belongs to a published version (and so never changes).
pub async fn is_frozen(db: &impl ConnectionTrait, model_id: i32) -> Result<bool, DbErr> {
    Ok(models::Entity::find_by_id(model_id)
        .one(db)
        .await?
        .is_some_and(|m| m.frozen))
}

/// Models read through a cache that keeps only frozen (published) models: they never change.
#[derive(Default)]
pub struct FrozenModels {
    models: std::sync::RwLock<HashMap<i32, std::sync::Arc<Model>>>,
}

impl FrozenModels {
    /// A stored model, from the cache when it is frozen.
    pub async fn get(
        &self,
        db: &impl ConnectionTrait,
        model_id: i32,
    ) -> Result<std::sync::Arc<Model>, DbErr> {
        if let Some(model) = self.models.read().expect("model cache lock").get(&model_id) {
            return Ok(model.clone());
        }
        let model = std::sync::Arc::new(load(db, model_id).await?);
        if is_frozen(db, model_id).await? {
            self.models
                .write()
                .expect("model cache lock")
                .insert(model_id, model.clone());
        }
        Ok(model)
    }

    /// Whether a model is in the cache (so known to be frozen).
    pub fn holds(&self, model_id: i32) -> bool {
        self.models
            .read()
            .expect("model cache lock")
            .contains_key(&model_id)
    }
}
