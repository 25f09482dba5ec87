//! What every respondent request reads and staff rarely change — a public link's distribution,
//! the questionnaire with its brands and versions, a frozen model's indicator ids — kept in
//! memory. A change made through the staff pages or the API empties the cache at once
//! ([`SurveyCache::invalidate`], called by the app's middleware); a change made any other way
//! (a background job, another server on the same database) is seen within [`FRESH_FOR`].

use crate::store::brands::{self, Brand};
use crate::store::entities::distributions;
use crate::store::models;
use crate::store::questionnaires::{self, Questionnaire, Version};
use crate::web::AppState;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::web;
use sea_orm::{ConnectionTrait, DbErr};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How long a cached entry is trusted without a staff change.
pub const FRESH_FOR: Duration = Duration::from_secs(1);

/// A questionnaire as respondents meet it.
#[derive(Debug)]
pub struct Published {
    pub questionnaire: Questionnaire,
    /// Our own brand first, then the competitors in their order.
    pub brands: Vec<Brand>,
    /// Every version, newest first.
    pub versions: Vec<Version>,
}

/// A public link: its distribution and questionnaire.
#[derive(Debug, Clone)]
pub struct PublicLink {
    pub distribution: Arc<distributions::Model>,
    pub published: Arc<Published>,
}

struct Cached<T> {
    value: T,
    epoch: u64,
    loaded: Instant,
}

#[derive(Default)]
pub struct SurveyCache {
    epoch: AtomicU64,
    links: RwLock<HashMap<String, Cached<PublicLink>>>,
    questionnaires: RwLock<HashMap<i32, Cached<Arc<Published>>>>,
    /// Indicator ids of frozen models, which never change.
    indicator_ids: RwLock<HashMap<i32, Arc<HashMap<String, i32>>>>,
}

impl SurveyCache {
    /// Forgets everything that can change; the next request reads it again.
    pub fn invalidate(&self) {
        self.epoch.fetch_add(1, Ordering::AcqRel);
    }

    fn fresh<T: Clone>(&self, entry: Option<&Cached<T>>) -> Option<T> {
        entry
            .filter(|e| {
                e.epoch == self.epoch.load(Ordering::Acquire) && e.loaded.elapsed() < FRESH_FOR
            })
            .map(|e| e.value.clone())
    }

    fn stamp<T>(&self, value: T, epoch: u64) -> Cached<T> {
        Cached {
            value,
            epoch,
            loaded: Instant::now(),
        }
    }

    /// The public link with this slug, if there is one.
    pub async fn public_link(
        &self,
        db: &impl ConnectionTrait,
        slug: &str,
    ) -> Result<Option<PublicLink>, DbErr> {
        if let Some(link) = self.fresh(self.links.read().expect("cache lock").get(slug)) {
            return Ok(Some(link));
        }
        // Read the epoch before the database, so a change during the read is not cached as new.
        let epoch = self.epoch.load(Ordering::Acquire);
        let Some(distribution) = questionnaires::public_distribution(db, slug).await? else {
            return Ok(None);
        };
        let Some(published) = self.published(db, distribution.questionnaire_id).await? else {
            return Ok(None);
        };
        let link = PublicLink {
            distribution: Arc::new(distribution),
            published,
        };
        self.links
            .write()
            .expect("cache lock")
            .insert(slug.to_owned(), self.stamp(link.clone(), epoch));
        Ok(Some(link))
    }

    /// A questionnaire with its brands and versions.
    pub async fn published(
        &self,
        db: &impl ConnectionTrait,
        questionnaire_id: i32,
    ) -> Result<Option<Arc<Published>>, DbErr> {
        if let Some(published) = self.fresh(
            self.questionnaires
                .read()
                .expect("cache lock")
                .get(&questionnaire_id),
        ) {
            return Ok(Some(published));
        }
        let epoch = self.epoch.load(Ordering::Acquire);
        let Some(questionnaire) = questionnaires::by_id(db, questionnaire_id).await? else {
            return Ok(None);
        };
        let published = Arc::new(Published {
            questionnaire,
            brands: brands::of_questionnaire(db, questionnaire_id).await?,
            versions: questionnaires::versions(db, questionnaire_id).await?,
        });
        self.questionnaires
            .write()
            .expect("cache lock")
            .insert(questionnaire_id, self.stamp(published.clone(), epoch));
        Ok(Some(published))
    }

    /// Indicator ids by code of a model; cached once the model is frozen (published).
    pub async fn indicator_ids(
        &self,
        db: &impl ConnectionTrait,
        model_id: i32,
        frozen: bool,
    ) -> Result<Arc<HashMap<String, i32>>, DbErr> {
        if let Some(ids) = self
            .indicator_ids
            .read()
            .expect("cache lock")
            .get(&model_id)
        {
            return Ok(ids.clone());
        }
        let ids = Arc::new(models::indicator_ids(db, model_id).await?);
        if frozen {
            self.indicator_ids
                .write()
                .expect("cache lock")
                .insert(model_id, ids.clone());
        }
        Ok(ids)
    }
}

/// Middleware: after any change request that is not a respondent's (staff pages, the API,
/// sign-in), empties the cache, so staff see their change on the survey at once.
pub async fn forget_after_changes(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let reads_only = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let respondent = req.path().starts_with("/s/") || req.path().starts_with("/i/");
    let state = (!reads_only && !respondent)
        .then(|| req.app_data::<web::Data<AppState>>().cloned())
        .flatten();
    let response = next.call(req).await;
    if let Some(state) = state {
        state.survey_cache.invalidate();
    }
    response
}
