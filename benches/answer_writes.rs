//! Storage benchmark of the survey pages, without HTTP: how many complete 25-item responses per
//! second the group commit (`store::group_commit`) stores — start, five pages of five answers,
//! completion — with 64 respondents writing at once, and the p99 wait for a committed write.
//! Shows what the database side can take, apart from the web pages around it.
//!
//!   cargo bench --bench answer_writes                        # SQLite, a fresh file
//!   cargo bench --bench answer_writes -- postgres://postgres@127.0.0.1:5432/DB
//!
//! (Run by hand or by benches/load.sh, not in CI. The PostgreSQL database must exist and be empty.)

use std::time::{Duration, Instant};
use yardstick::domain::{Text, parse_model};
use yardstick::store::group_commit::GroupCommit;
use yardstick::store::progress::NewResponse;
use yardstick::store::questionnaires::{self, NewQuestionnaire};
use yardstick::store::responses::Segments;
use yardstick::store::{self, models};

const RESPONDENTS: usize = 64;
const SECONDS: u64 = 10;

#[tokio::main]
async fn main() {
    let url = std::env::args()
        .skip(1)
        .find(|a| a.starts_with("postgres://"))
        .unwrap_or_else(|| {
            let dir = std::env::temp_dir().join(format!("yardstick-writes-{}", std::process::id()));
            std::fs::create_dir_all(&dir).expect("scratch directory");
            format!("sqlite://{}/writes.db?mode=rwc", dir.display())
        });
    let db = store::connect(&url).await.expect("database");
    store::migrate(&db).await.expect("migrations");
    let model = parse_model("load-25.toml", include_str!("load-25.toml")).expect("model");
    let questionnaire = questionnaires::create(
        &db,
        NewQuestionnaire {
            slug: "writes",
            title: Text::new("写入基准", "Write benchmark"),
            model: &model,
            brand_ids: &[],
            brand_screening: false,
        },
    )
    .await
    .expect("questionnaire");
    let version = questionnaires::publish(&db, questionnaire.id)
        .await
        .unwrap_or_else(|e| panic!("publish: {e:?}"));
    let distribution = questionnaires::public_link(&db, "writes")
        .await
        .expect("link")
        .expect("a public link")
        .distribution
        .id;
    let ids: Vec<i32> = models::indicator_ids(&db, version.model_id)
        .await
        .expect("indicators")
        .into_values()
        .collect();
    assert_eq!(ids.len(), 25);
    let writers = if url.starts_with("sqlite:") { 1 } else { 4 };
    let writer = GroupCommit::spawn(db.clone(), writers);

    let started = Instant::now();
    let deadline = started + Duration::from_secs(SECONDS);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..RESPONDENTS {
        let (writer, ids) = (writer.clone(), ids.clone());
        let version = version.id;
        let questionnaire = questionnaire.id;
        tasks.spawn(async move {
            let mut waits = Vec::new();
            let mut completed = 0u64;
            let timed = |waits: &mut Vec<u32>, since: Instant| {
                waits.push(since.elapsed().as_micros() as u32)
            };
            while Instant::now() < deadline {
                let since = Instant::now();
                let response = writer
                    .start(NewResponse {
                        questionnaire_id: questionnaire,
                        version_id: version,
                        distribution_id: distribution,
                        invitation_id: None,
                        brand_id: None,
                        language: "zh-CN".into(),
                        resume_token_hash: Some(format!("{:064x}", rand_id())),
                        segments: Segments::default(),
                    })
                    .await
                    .expect("start");
                timed(&mut waits, since);
                for page in ids.chunks(5) {
                    let since = Instant::now();
                    let answers = page.iter().map(|id| (*id, Some(7))).collect();
                    writer
                        .save_page(response.id, None, answers)
                        .await
                        .expect("page");
                    timed(&mut waits, since);
                }
                let since = Instant::now();
                writer
                    .complete(response.id, Segments::default(), String::new())
                    .await
                    .expect("complete");
                timed(&mut waits, since);
                completed += 1;
            }
            (completed, waits)
        });
    }
    let mut completed = 0;
    let mut waits = Vec::new();
    while let Some(done) = tasks.join_next().await {
        let (n, w) = done.expect("a respondent failed");
        completed += n;
        waits.extend(w);
    }
    let elapsed = started.elapsed().as_secs_f64();
    waits.sort_unstable();
    let p = |q: f64| waits[((q * waits.len() as f64) as usize).min(waits.len() - 1)] as f64 / 1e3;
    let backend = if url.starts_with("sqlite:") {
        "SQLite"
    } else {
        "PostgreSQL"
    };
    println!(
        "{backend}: {completed} complete 25-item responses in {elapsed:.1} s = {:.0}/s \
         ({:.0} committed writes/s); wait for a commit p50 {:.2} ms, p99 {:.2} ms",
        completed as f64 / elapsed,
        waits.len() as f64 / elapsed,
        p(0.5),
        p(0.99)
    );
}

/// A distinct resume-token hash for each response.
fn rand_id() -> u128 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed) as u128;
    n ^ (u128::from(std::process::id()) << 64)
}
