//! Demo data: an ACSI study of three (fictional) Chinese dairy brands over the
//! last four quarters, generated from a known structural model.
//!
//! [`seed`] creates the brands, the bilingual questionnaire `demo` (public link
//! `/s/demo`, brand screening on), about 1 500 completed responses and the
//! [`DEMO_LOGINS`]. It is idempotent: when the questionnaire exists it only
//! resets the demo logins. The answers are the same on every run (a seeded
//! ChaCha8 generator); only their dates follow today's date. The structural
//! model and the brand effects are documented in `src/demo/generate/mod.rs`.

mod generate;

use crate::domain::{Model, Quarter, Role, Text, parse_model};
use crate::store::audit::{self, Actor};
use crate::store::questionnaires::{self, NewQuestionnaire, PublishError};
use crate::store::responses::{self, CompletedResponse, Source};
use crate::store::{brands, models, users};
use chrono::{DateTime, Duration, Utc};
use generate::{DemoBrand, QUARTERS, Row};
use sea_orm::{DatabaseConnection, DbErr};
use std::collections::HashMap;

/// Logins created by the demo, printed on start: (email, password, role).
pub const DEMO_LOGINS: &[(&str, &str, Role)] = &[
    ("admin@demo.yardstick", "demo-admin", Role::Admin),
    ("designer@demo.yardstick", "demo-designer", Role::Designer),
    ("viewer@demo.yardstick", "demo-viewer", Role::Viewer),
];

/// What [`seed`] found or made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    pub questionnaire_id: i32,
    pub slug: String,
    /// completed responses of the demo questionnaire
    pub responses: usize,
    /// false when the demo questionnaire already existed and nothing was created
    pub created: bool,
}

/// Slug of the demo questionnaire (public link `/s/demo`).
const SLUG: &str = "demo";

/// Seed of the answer generator: the same answers on every run.
const SEED: u64 = 20_261_101;

/// Responses stored per transaction.
const BATCH: usize = 250;

const ACSI_TEMPLATE: &str = include_str!("../survey-templates/acsi.toml");

/// The ACSI model of `survey-templates/acsi.toml`, embedded in the binary.
fn acsi_model() -> Result<Model, DbErr> {
    parse_model("survey-templates/acsi.toml", ACSI_TEMPLATE)
        .map_err(|e| DbErr::Custom(format!("demo model: {e}")))
}

/// Creates the demo study unless it exists, and (re)sets the demo logins.
pub async fn seed(db: &DatabaseConnection) -> Result<DemoSummary, DbErr> {
    upsert_logins(db).await?;
    let actor = Actor::system("demo");
    if let Some(existing) = questionnaires::by_slug(db, SLUG).await? {
        let responses = responses::count_completed(db, existing.id).await? as usize;
        audit::record(
            db,
            &actor,
            "demo.logins",
            "users",
            "demo logins reset; demo study already present",
        )
        .await?;
        return Ok(DemoSummary {
            questionnaire_id: existing.id,
            slug: existing.slug,
            responses,
            created: false,
        });
    }
    let model = acsi_model()?;
    let brand_ids = ensure_brands(db).await?;
    let questionnaire = questionnaires::create(
        db,
        NewQuestionnaire {
            slug: SLUG,
            title: Text::new(
                "乳品顾客满意度调查（演示）",
                "Dairy customer satisfaction survey (demo)",
            ),
            model: &model,
            brand_ids: &brand_ids,
            brand_screening: true,
        },
    )
    .await?;
    let version = questionnaires::publish(db, questionnaire.id)
        .await
        .map_err(publish_failed)?;
    let plan = Plan {
        questionnaire_id: questionnaire.id,
        version_id: version.id,
        distribution_id: questionnaires::public_link(db, SLUG)
            .await?
            .map(|l| l.distribution.id),
        brand_ids,
        indicator_ids: models::indicator_ids(db, version.model_id).await?,
        periods: Periods::ending_now(crate::store::now()),
    };
    let batch = plan.responses(&generate::generate(&model, SEED))?;
    for chunk in batch.chunks(BATCH) {
        responses::store_completed(db, chunk).await?;
    }
    let detail = format!(
        "{} demo responses, {} to {}",
        batch.len(),
        plan.periods.quarters[0],
        plan.periods.quarters[QUARTERS - 1]
    );
    audit::record(
        db,
        &actor,
        "demo.seed",
        &format!("questionnaire {}", questionnaire.id),
        &detail,
    )
    .await?;
    Ok(DemoSummary {
        questionnaire_id: questionnaire.id,
        slug: questionnaire.slug,
        responses: batch.len(),
        created: true,
    })
}

fn publish_failed(e: PublishError) -> DbErr {
    match e {
        PublishError::Db(e) => e,
        PublishError::NoDraft => DbErr::Custom("demo questionnaire: no draft to publish".into()),
        PublishError::Invalid(issues) => {
            let issues: Vec<String> = issues.iter().map(ToString::to_string).collect();
            DbErr::Custom(format!(
                "demo questionnaire cannot be published: {}",
                issues.join("; ")
            ))
        }
    }
}

/// Creates the demo users, or resets their role and password.
async fn upsert_logins(db: &DatabaseConnection) -> Result<(), DbErr> {
    for (email, password, role) in DEMO_LOGINS {
        users::upsert(db, email, &format!("Demo {role}"), password, *role).await?;
    }
    Ok(())
}

/// Finds or creates the demo brands; their ids in [`DemoBrand::ALL`] order (ours first).
async fn ensure_brands(db: &DatabaseConnection) -> Result<Vec<i32>, DbErr> {
    let mut ids = Vec::with_capacity(DemoBrand::ALL.len());
    for brand in DemoBrand::ALL {
        let (zh, en) = brand.name();
        ids.push(
            brands::ensure(db, brand.code(), &Text::new(zh, en), brand.is_own())
                .await?
                .id,
        );
    }
    Ok(ids)
}

/// The four quarters of the demo, the last being the current one, and "now".
struct Periods {
    quarters: [Quarter; QUARTERS],
    now: DateTime<Utc>,
}

impl Periods {
    fn ending_now(now: DateTime<Utc>) -> Periods {
        let mut quarters = [Quarter::of(now); QUARTERS];
        for i in (0..QUARTERS - 1).rev() {
            quarters[i] = quarters[i + 1].previous();
        }
        Periods { quarters, now }
    }

    /// The instant at `moment` ∈ [0, 1) of quarter `index`; the current quarter ends now.
    fn instant(&self, index: usize, moment: f64) -> DateTime<Utc> {
        let quarter = self.quarters[index];
        let start = quarter.start();
        let end = quarter.next().start().min(self.now);
        let seconds = (end - start).num_seconds().max(0) as f64;
        start + Duration::seconds((seconds * moment).floor() as i64)
    }
}

/// Everything needed to turn generated rows into stored responses.
struct Plan {
    questionnaire_id: i32,
    version_id: i32,
    distribution_id: Option<i32>,
    brand_ids: Vec<i32>,
    indicator_ids: HashMap<String, i32>,
    periods: Periods,
}

impl Plan {
    fn responses(&self, rows: &[Row]) -> Result<Vec<CompletedResponse>, DbErr> {
        rows.iter().map(|row| self.response(row)).collect()
    }

    fn response(&self, row: &Row) -> Result<CompletedResponse, DbErr> {
        let brand_index = DemoBrand::ALL
            .iter()
            .position(|b| *b == row.brand)
            .unwrap_or(0);
        let answers = row
            .answers
            .iter()
            .map(|(code, value)| {
                self.indicator_ids
                    .get(code)
                    .map(|id| (*id, *value))
                    .ok_or_else(|| {
                        DbErr::Custom(format!("demo: indicator {code} is not in the stored model"))
                    })
            })
            .collect::<Result<_, _>>()?;
        Ok(CompletedResponse {
            questionnaire_id: self.questionnaire_id,
            version_id: self.version_id,
            distribution_id: self.distribution_id,
            brand_id: self.brand_ids.get(brand_index).copied(),
            language: row.lang.tag().to_owned(),
            source: Source::Demo,
            comment: row.comment.clone(),
            segments: row.segments.clone(),
            completed_at: self.periods.instant(row.quarter, row.moment),
            answers,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store;
    use chrono::TimeZone;

    #[test]
    fn the_four_quarters_end_with_the_current_one_and_never_reach_the_future() {
        let now = Utc.with_ymd_and_hms(2026, 2, 10, 12, 0, 0).unwrap();
        let periods = Periods::ending_now(now);
        let names: Vec<String> = periods.quarters.iter().map(ToString::to_string).collect();
        assert_eq!(names, ["2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1"]);
        assert!(periods.instant(3, 0.999_999) <= now);
        assert_eq!(
            periods.instant(0, 0.0),
            Utc.with_ymd_and_hms(2025, 4, 1, 0, 0, 0).unwrap()
        );
        assert!(periods.instant(2, 0.999_999) < Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap());
    }

    #[tokio::test]
    async fn seeding_creates_the_study_once() {
        let db = store::connect("sqlite::memory:").await.unwrap();
        store::migrate(&db).await.unwrap();
        let first = seed(&db).await.unwrap();
        assert!(first.created);
        assert_eq!(first.slug, "demo");
        assert!(
            (1_400..=1_600).contains(&first.responses),
            "{}",
            first.responses
        );

        let link = questionnaires::public_link(&db, "demo")
            .await
            .unwrap()
            .expect("/s/demo exists");
        assert!(link.questionnaire.brand_screening);
        assert!(
            questionnaires::current_version(&db, first.questionnaire_id)
                .await
                .unwrap()
                .is_some()
        );
        let attached = brands::of_questionnaire(&db, first.questionnaire_id)
            .await
            .unwrap();
        let codes: Vec<&str> = attached.iter().map(|b| b.code.as_str()).collect();
        assert_eq!(codes, ["ours", "north_pasture", "freshplus"]);
        assert!(attached[0].is_own && !attached[1].is_own);

        let stored = responses::completed_with_answers(&db, first.questionnaire_id)
            .await
            .unwrap();
        assert_eq!(stored.len(), first.responses);
        let now = store::now();
        assert!(
            stored
                .iter()
                .all(|r| r.completed_at <= now && r.answers.len() == 15)
        );
        let quarters: std::collections::BTreeSet<Quarter> =
            stored.iter().map(|r| Quarter::of(r.completed_at)).collect();
        assert_eq!(quarters.len(), QUARTERS);
        assert_eq!(quarters.last().copied(), Some(Quarter::of(now)));

        let again = seed(&db).await.unwrap();
        assert_eq!(
            again,
            DemoSummary {
                created: false,
                ..first
            }
        );
        for (email, password, role) in DEMO_LOGINS {
            let user = users::login(&db, email, password, std::net::Ipv4Addr::LOCALHOST.into())
                .await
                .unwrap()
                .expect("demo login works");
            assert_eq!(user.role, *role);
        }
        let audit = audit::recent(&db, 10).await.unwrap();
        assert!(
            audit
                .iter()
                .any(|e| e.action == "demo.seed" && e.actor == "demo")
        );
    }
}
