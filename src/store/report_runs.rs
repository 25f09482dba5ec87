//! Report settings per questionnaire, cached report runs (status, progress, result JSON), and the responses a report reads.

use super::entities::{ReportRunStatus, ResponseStatus, report_runs, report_settings, responses};
use crate::domain::report_period::{Calendar, Wave, parse_waves, waves_to_text};
use crate::report::figures::SurveyRecord;
use crate::store::responses::{Segments, completed_with_answers};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    FromQueryResult, QueryFilter, QueryOrder, QuerySelect, Statement,
};
use std::collections::HashMap;

/// How a questionnaire's report is computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportSettings {
    pub fiscal_start_month: u32,
    pub pooled: bool,
    /// Bootstrap resamples of the full report.
    pub resamples: usize,
    pub waves: Vec<Wave>,
}

impl Default for ReportSettings {
    fn default() -> Self {
        ReportSettings {
            fiscal_start_month: 1,
            pooled: false,
            resamples: 5000,
            waves: Vec::new(),
        }
    }
}

impl ReportSettings {
    pub fn calendar(&self) -> Calendar {
        Calendar {
            fiscal_start_month: self.fiscal_start_month,
            waves: self.waves.clone(),
        }
    }

    pub fn waves_text(&self) -> String {
        waves_to_text(&self.waves)
    }
}

/// The questionnaire's report settings (defaults when none are saved).
pub async fn settings(
    db: &impl ConnectionTrait,
    questionnaire_id: i32,
) -> Result<ReportSettings, DbErr> {
    let Some(row) = report_settings::Entity::find_by_id(questionnaire_id)
        .one(db)
        .await?
    else {
        return Ok(ReportSettings::default());
    };
    Ok(ReportSettings {
        fiscal_start_month: row.fiscal_start_month.clamp(1, 12) as u32,
        pooled: row.pooled,
        resamples: row.resamples.max(0) as usize,
        waves: parse_waves(&row.waves).unwrap_or_default(),
    })
}

/// Saves the questionnaire's report settings.
pub async fn save_settings(
    db: &impl ConnectionTrait,
    questionnaire_id: i32,
    settings: &ReportSettings,
) -> Result<(), DbErr> {
    let row = report_settings::ActiveModel {
        questionnaire_id: Set(questionnaire_id),
        fiscal_start_month: Set(settings.fiscal_start_month as i32),
        pooled: Set(settings.pooled),
        resamples: Set(settings.resamples as i32),
        waves: Set(settings.waves_text()),
        updated_at: Set(super::now()),
    };
    if report_settings::Entity::find_by_id(questionnaire_id)
        .one(db)
        .await?
        .is_some()
    {
        row.update(db).await?;
    } else {
        row.insert(db).await?;
    }
    Ok(())
}

#[derive(Debug, FromQueryResult)]
struct FingerprintRow {
    n: i64,
    max_id: Option<i32>,
    sum_id: Option<i64>,
}

/// A short fingerprint of the questionnaire's completed responses: count, largest id, sum of ids.
/// It changes when a response arrives, is imported or is erased.
pub async fn fingerprint(
    db: &impl ConnectionTrait,
    questionnaire_id: i32,
) -> Result<String, DbErr> {
    let backend = db.get_database_backend();
    let placeholder = if backend == sea_orm::DatabaseBackend::Postgres {
        "$1"
    } else {
        "?"
    };
    let sql = format!(
        "SELECT COUNT(*) AS n, MAX(id) AS max_id, CAST(COALESCE(SUM(id), 0) AS BIGINT) AS sum_id FROM responses \
         WHERE questionnaire_id = {placeholder} AND status = 'complete' AND completed_at IS NOT NULL"
    );
    let row = FingerprintRow::find_by_statement(Statement::from_sql_and_values(
        backend,
        sql,
        [questionnaire_id.into()],
    ))
    .one(db)
    .await?;
    Ok(match row {
        Some(r) => format!(
            "{}:{}:{}",
            r.n,
            r.max_id.unwrap_or(0),
            r.sum_id.unwrap_or(0)
        ),
        None => "0:0:0".into(),
    })
}

/// Every completed response with its answers, segments and source.
pub async fn survey_records(
    db: &impl ConnectionTrait,
    questionnaire_id: i32,
) -> Result<Vec<SurveyRecord>, DbErr> {
    let records = completed_with_answers(db, questionnaire_id).await?;
    let facts: HashMap<i32, responses::Model> = responses::Entity::find()
        .filter(responses::Column::QuestionnaireId.eq(questionnaire_id))
        .filter(responses::Column::Status.eq(ResponseStatus::Complete))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    Ok(records
        .into_iter()
        .map(|record| {
            let fact = facts.get(&record.id);
            SurveyRecord {
                segments: fact
                    .map(|f| Segments {
                        region: f.region.clone(),
                        customer_class: f.customer_class.clone(),
                        channel: f.channel.clone(),
                        lifecycle_stage: f.lifecycle_stage.clone(),
                    })
                    .unwrap_or_default(),
                source: fact.map(|f| f.source.clone()).unwrap_or_default(),
                record,
            }
        })
        .collect())
}

pub type Run = report_runs::Model;

/// The newest run for these settings and responses.
pub async fn find(
    db: &impl ConnectionTrait,
    questionnaire_id: i32,
    settings_hash: &str,
    fingerprint: &str,
) -> Result<Option<Run>, DbErr> {
    report_runs::Entity::find()
        .filter(report_runs::Column::QuestionnaireId.eq(questionnaire_id))
        .filter(report_runs::Column::SettingsHash.eq(settings_hash))
        .filter(report_runs::Column::Fingerprint.eq(fingerprint))
        .order_by_desc(report_runs::Column::Id)
        .one(db)
        .await
}

/// The newest finished run for these settings, whatever responses it saw (shown while a newer one runs).
pub async fn latest_done(
    db: &impl ConnectionTrait,
    questionnaire_id: i32,
    settings_hash: &str,
) -> Result<Option<Run>, DbErr> {
    report_runs::Entity::find()
        .filter(report_runs::Column::QuestionnaireId.eq(questionnaire_id))
        .filter(report_runs::Column::SettingsHash.eq(settings_hash))
        .filter(report_runs::Column::Status.eq(ReportRunStatus::Done))
        .order_by_desc(report_runs::Column::Id)
        .limit(1)
        .one(db)
        .await
}

/// Records a new run in state `running`.
pub async fn start(
    db: &impl ConnectionTrait,
    questionnaire_id: i32,
    settings_hash: &str,
    fingerprint: &str,
    total: usize,
) -> Result<Run, DbErr> {
    let now = super::now();
    report_runs::ActiveModel {
        questionnaire_id: Set(questionnaire_id),
        settings_hash: Set(settings_hash.to_owned()),
        fingerprint: Set(fingerprint.to_owned()),
        status: Set(ReportRunStatus::Running),
        progress: Set(0),
        total: Set(total as i64),
        result: Set(None),
        error: Set(String::new()),
        started_at: Set(now),
        updated_at: Set(now),
        finished_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
}

async fn update(
    db: &impl ConnectionTrait,
    id: i32,
    change: impl FnOnce(&mut report_runs::ActiveModel),
) -> Result<(), DbErr> {
    let mut row = report_runs::ActiveModel {
        id: Set(id),
        updated_at: Set(super::now()),
        ..Default::default()
    };
    change(&mut row);
    report_runs::Entity::update(row).exec(db).await?;
    Ok(())
}

/// Stores a running run's progress (also its heartbeat).
pub async fn set_progress(db: &impl ConnectionTrait, id: i32, done: usize) -> Result<(), DbErr> {
    update(db, id, |row| row.progress = Set(done as i64)).await
}

/// Stores the planned work of a run once its responses are loaded.
pub async fn set_total(db: &impl ConnectionTrait, id: i32, total: usize) -> Result<(), DbErr> {
    update(db, id, |row| row.total = Set(total as i64)).await
}

/// Stores a finished run's result.
pub async fn finish(db: &impl ConnectionTrait, id: i32, result_json: String) -> Result<(), DbErr> {
    update(db, id, |row| {
        row.status = Set(ReportRunStatus::Done);
        row.result = Set(Some(result_json));
        row.finished_at = Set(Some(super::now()));
    })
    .await
}

/// Marks a run failed with the reason.
pub async fn fail(db: &impl ConnectionTrait, id: i32, error: &str) -> Result<(), DbErr> {
    update(db, id, |row| {
        row.status = Set(ReportRunStatus::Failed);
        row.error = Set(error.to_owned());
        row.finished_at = Set(Some(super::now()));
    })
    .await
}

/// Forgets older runs of a questionnaire for these settings, keeping the newest `keep`.
pub async fn prune(
    db: &impl ConnectionTrait,
    questionnaire_id: i32,
    settings_hash: &str,
    keep: usize,
) -> Result<(), DbErr> {
    let ids: Vec<i32> = report_runs::Entity::find()
        .filter(report_runs::Column::QuestionnaireId.eq(questionnaire_id))
        .filter(report_runs::Column::SettingsHash.eq(settings_hash))
        .filter(report_runs::Column::Status.ne(ReportRunStatus::Running))
        .order_by_desc(report_runs::Column::Id)
        .select_only()
        .column(report_runs::Column::Id)
        .into_tuple::<i32>()
        .all(db)
        .await?
        .into_iter()
        .skip(keep)
        .collect();
    if !ids.is_empty() {
        report_runs::Entity::delete_many()
            .filter(report_runs::Column::Id.is_in(ids))
            .exec(db)
            .await?;
    }
    Ok(())
}
