//! Report runs in the background: find the cached run for the current settings and responses, or start one (tokio + spawn_blocking) and report its progress.

use crate::domain::Model;
use crate::report::figures::{self, BrandHead, ReportFigures, ReportOptions};
use crate::store::entities::ReportRunStatus;
use crate::store::models::FrozenModels;
use crate::store::report_runs::{self, ReportSettings};
use crate::store::{brands, questionnaires};
use sea_orm::DatabaseConnection;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Resamples and permutations of a quick look.
pub const QUICK_RESAMPLES: usize = 200;
pub const QUICK_PERMUTATIONS: usize = 200;
/// Permutations per test in the full report.
pub const FULL_PERMUTATIONS: usize = 1000;
/// A running run whose heartbeat is older than this was abandoned (the server stopped) and is started again.
const ABANDONED_AFTER: chrono::TimeDelta = chrono::TimeDelta::seconds(120);

/// (questionnaire, settings hash, fingerprint of the responses)
type RunKey = (i32, String, String);

/// Parsed results kept in memory.
const PARSED_KEEP: usize = 16;

/// Computes reports in the background for one app, and remembers what it computes and the
/// results it parsed last; the app state holds one.
pub struct ReportRunner {
    db: DatabaseConnection,
    models: Arc<FrozenModels>,
    min_sample: usize,
    /// Runs this process is computing.
    running: Arc<Mutex<HashSet<RunKey>>>,
    /// Parsed results of finished runs, by run id: a small cache so a cached page is served fast.
    parsed: Mutex<HashMap<i32, Arc<ReportFigures>>>,
}

/// What a report needs besides its responses.
pub struct ReportContext {
    pub questionnaire_id: i32,
    pub model: Arc<Model>,
    pub brands: Vec<BrandHead>,
    /// (version id, version number)
    pub versions: Vec<(i32, i32)>,
    pub settings: ReportSettings,
    pub options: ReportOptions,
    pub settings_hash: String,
}

/// Where a report stands.
pub enum RunState {
    /// Finished for the current responses (or, with `updating`, an older result while a new run computes).
    Ready {
        figures: Arc<ReportFigures>,
        updating: Option<(i64, i64)>,
    },
    /// Computing, nothing older to show: (done, total).
    Running {
        done: i64,
        total: i64,
    },
    Failed(String),
}

impl ReportRunner {
    pub fn new(
        db: DatabaseConnection,
        models: Arc<FrozenModels>,
        min_sample: usize,
    ) -> ReportRunner {
        ReportRunner {
            db,
            models,
            min_sample,
            running: Arc::default(),
            parsed: Mutex::default(),
        }
    }

    /// The model, brands, settings and options of a questionnaire's report; `None` when it has no version.
    pub async fn context(
        &self,
        questionnaire_id: i32,
        quick: bool,
    ) -> Result<Option<ReportContext>, anyhow::Error> {
        let db = &self.db;
        let versions = questionnaires::versions(db, questionnaire_id).await?;
        let Some(version) = versions
            .iter()
            .filter(|v| v.published)
            .max_by_key(|v| v.number)
            .or(versions.first())
        else {
            return Ok(None);
        };
        let model = self.models.get(db, version.model_id).await?;
        let brands: Vec<BrandHead> = brands::of_questionnaire(db, questionnaire_id)
            .await?
            .into_iter()
            .map(|b| BrandHead {
                id: b.id,
                en: b.name.best(crate::domain::Lang::En).to_owned(),
                zh: b.name.best(crate::domain::Lang::ZhCn).to_owned(),
                own: b.is_own,
            })
            .collect();
        let settings = report_runs::settings(db, questionnaire_id).await?;
        let options = ReportOptions {
            min_sample: self.min_sample,
            resamples: if quick {
                settings.resamples.min(QUICK_RESAMPLES)
            } else {
                settings.resamples
            },
            permutations: if quick {
                QUICK_PERMUTATIONS
            } else {
                FULL_PERMUTATIONS
            },
            pooled: settings.pooled,
            seed: 1,
        };
        let settings_hash = {
            let key = serde_json::json!({
                "format": 1,
                "options": options,
                "calendar": settings.calendar(),
                "model": version.model_id,
                "brands": brands,
            });
            hex::encode(Sha256::digest(key.to_string().as_bytes()))
        };
        Ok(Some(ReportContext {
            questionnaire_id,
            model,
            brands,
            versions: versions.iter().map(|v| (v.id, v.number)).collect(),
            settings,
            options,
            settings_hash,
        }))
    }

    fn parsed(&self, run: &report_runs::Run) -> Result<Arc<ReportFigures>, anyhow::Error> {
        let key = run.id;
        if let Some(found) = self.parsed.lock().expect("parsed cache").get(&key) {
            return Ok(found.clone());
        }
        let figures: ReportFigures = serde_json::from_str(run.result.as_deref().unwrap_or("null"))?;
        let figures = Arc::new(figures);
        let mut cache = self.parsed.lock().expect("parsed cache");
        if cache.len() >= PARSED_KEEP {
            let oldest = cache.keys().min().copied();
            if let Some(oldest) = oldest {
                cache.remove(&oldest);
            }
        }
        cache.insert(key, figures.clone());
        Ok(figures)
    }

    /// The report for the current responses: cached, computing, or started now.
    pub async fn ensure(&self, ctx: &ReportContext) -> Result<RunState, anyhow::Error> {
        let db = &self.db;
        let fingerprint = report_runs::fingerprint(db, ctx.questionnaire_id).await?;
        let key = (
            ctx.questionnaire_id,
            ctx.settings_hash.clone(),
            fingerprint.clone(),
        );
        let run =
            report_runs::find(db, ctx.questionnaire_id, &ctx.settings_hash, &fingerprint).await?;
        let local = self.running.lock().expect("running set").contains(&key);
        let progress = match run {
            Some(run) if run.status == ReportRunStatus::Done => {
                return Ok(RunState::Ready {
                    figures: self.parsed(&run)?,
                    updating: None,
                });
            }
            Some(run) if run.status == ReportRunStatus::Failed => {
                return Ok(RunState::Failed(run.error));
            }
            Some(run) if local || crate::store::now() - run.updated_at < ABANDONED_AFTER => {
                (run.progress, run.total)
            }
            _ => {
                self.start(ctx, fingerprint).await?;
                (0, 0)
            }
        };
        Ok(
            match report_runs::latest_done(db, ctx.questionnaire_id, &ctx.settings_hash).await? {
                Some(older) => RunState::Ready {
                    figures: self.parsed(&older)?,
                    updating: Some(progress),
                },
                None => RunState::Running {
                    done: progress.0,
                    total: progress.1,
                },
            },
        )
    }

    /// Starts a run unless this process already computes it.
    async fn start(&self, ctx: &ReportContext, fingerprint: String) -> Result<(), anyhow::Error> {
        let key = (
            ctx.questionnaire_id,
            ctx.settings_hash.clone(),
            fingerprint.clone(),
        );
        if !self
            .running
            .lock()
            .expect("running set")
            .insert(key.clone())
        {
            return Ok(());
        }
        let run = match report_runs::start(
            &self.db,
            ctx.questionnaire_id,
            &ctx.settings_hash,
            &fingerprint,
            0,
        )
        .await
        {
            Ok(run) => run,
            Err(e) => {
                self.running.lock().expect("running set").remove(&key);
                return Err(e.into());
            }
        };
        let db = self.db.clone();
        let running = self.running.clone();
        let model = ctx.model.clone();
        let brands = ctx.brands.clone();
        let calendar = ctx.settings.calendar();
        let options = ctx.options;
        let (questionnaire_id, settings_hash) = (ctx.questionnaire_id, ctx.settings_hash.clone());
        tokio::spawn(async move {
            let outcome: Result<String, anyhow::Error> = async {
                let records = report_runs::survey_records(&db, questionnaire_id).await?;
                let total = figures::plan(&brands, &records, &calendar, &options);
                report_runs::set_total(&db, run.id, total).await?;
                let done = Arc::new(AtomicUsize::new(0));
                let finished = Arc::new(AtomicBool::new(false));
                let ticker = {
                    let (db, done, finished) = (db.clone(), done.clone(), finished.clone());
                    tokio::spawn(async move {
                        let mut last = usize::MAX;
                        while !finished.load(Ordering::Relaxed) {
                            tokio::time::sleep(Duration::from_millis(500)).await;
                            let now = done.load(Ordering::Relaxed);
                            if now != last {
                                let _ = report_runs::set_progress(&db, run.id, now).await;
                                last = now;
                            }
                        }
                    })
                };
                let counter = done.clone();
                let computed = tokio::task::spawn_blocking(move || {
                    let report = |d: usize| counter.store(d, Ordering::Relaxed);
                    let figures = figures::compute(
                        &model,
                        &brands,
                        &records,
                        &calendar,
                        &options,
                        Some(&report),
                    );
                    serde_json::to_string(&figures)
                })
                .await;
                finished.store(true, Ordering::Relaxed);
                let _ = ticker.await;
                Ok(computed??)
            }
            .await;
            match outcome {
                Ok(json) => {
                    if let Err(e) = report_runs::finish(&db, run.id, json).await {
                        tracing::error!(error = %e, "storing a report run failed");
                    }
                    let _ = report_runs::prune(&db, questionnaire_id, &settings_hash, 3).await;
                }
                Err(e) => {
                    tracing::error!(error = %e, "report run failed");
                    let _ = report_runs::fail(&db, run.id, &e.to_string()).await;
                }
            }
            running.lock().expect("running set").remove(&key);
        });
        Ok(())
    }

    /// Waits (up to `limit`) until the report for the current responses is ready; for exports and the PDF.
    pub async fn wait_ready(
        &self,
        ctx: &ReportContext,
        limit: Duration,
    ) -> Result<Option<Arc<ReportFigures>>, anyhow::Error> {
        let deadline = std::time::Instant::now() + limit;
        loop {
            match self.ensure(ctx).await? {
                RunState::Ready {
                    figures,
                    updating: None,
                } => return Ok(Some(figures)),
                RunState::Failed(e) => return Err(anyhow::anyhow!(e)),
                _ if std::time::Instant::now() >= deadline => return Ok(None),
                _ => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        }
    }
}
