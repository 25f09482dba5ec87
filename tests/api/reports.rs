//! The executive report on generated data with planted differences; exports, settings and field-data import.

use crate::helpers::{TestApp, spawn_app};
use chrono::{TimeZone, Utc};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use yardstick::domain::Role;
use yardstick::report::figures::{CellStatus, ReportFigures};
use yardstick::store::responses::{CompletedResponse, Segments, Source, store_completed};
use yardstick::store::{brands, models, questionnaires, report_runs};

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    // Box–Muller
    let u1: f64 = rng.random_range(f64::EPSILON..1.0);
    let u2: f64 = rng.random_range(0.0..1.0);
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

/// Answers of one ACSI respondent: every construct's items around 6.5 on 1–10, correlated through a
/// general factor; `shift` moves the given construct's items by that many index points (9 points of scale = 100).
fn respondent(
    rng: &mut ChaCha8Rng,
    codes: &[(String, String)],
    shift: &[(&str, f64)],
) -> Vec<(String, Option<i32>)> {
    let general = normal(rng);
    let mut latent = std::collections::HashMap::new();
    codes
        .iter()
        .map(|(construct, code)| {
            let l = *latent
                .entry(construct.clone())
                .or_insert_with(|| 0.75 * general + 0.66 * normal(rng));
            if construct == "COM" {
                return (code.clone(), Some(i32::from(l < -1.2)));
            }
            let moved = shift
                .iter()
                .find(|(c, _)| *c == construct)
                .map_or(0.0, |(_, points)| points * 9.0 / 100.0);
            let value = 6.3 + moved + 1.3 * l + 0.9 * normal(rng);
            (code.clone(), Some(value.round().clamp(1.0, 10.0) as i32))
        })
        .collect()
}

struct Study {
    questionnaire: i32,
    ours: i32,
    rival: i32,
}

async fn study(app: &TestApp) -> Study {
    app.sign_in_as(Role::Designer).await;
    let questionnaire = app
        .publish_template("acsi.toml", "bench", "Rival", true)
        .await;
    let brands = brands::of_questionnaire(&app.db, questionnaire)
        .await
        .unwrap();
    Study {
        questionnaire,
        ours: brands[0].id,
        rival: brands[1].id,
    }
}

/// Stores `n` generated responses for a brand, completed in the given month.
async fn plant(
    app: &TestApp,
    study: &Study,
    brand: i32,
    (year, month): (i32, u32),
    n: usize,
    shift: &[(&str, f64)],
    seed: u64,
) {
    let versions = questionnaires::versions(&app.db, study.questionnaire)
        .await
        .unwrap();
    let version = versions.iter().find(|v| v.published).unwrap();
    let ids = models::indicator_ids(&app.db, version.model_id)
        .await
        .unwrap();
    let model = models::load(&app.db, version.model_id).await.unwrap();
    let codes: Vec<(String, String)> = model
        .indicators()
        .map(|(c, i)| (c.code.clone(), i.code.clone()))
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let batch: Vec<CompletedResponse> = (0..n)
        .map(|k| CompletedResponse {
            questionnaire_id: study.questionnaire,
            version_id: version.id,
            distribution_id: None,
            brand_id: Some(brand),
            language: "en".into(),
            source: Source::Web,
            comment: String::new(),
            segments: Segments {
                customer_class: Some(if k % 3 == 0 { "A".into() } else { "B".into() }),
                ..Segments::default()
            },
            completed_at: Utc
                .with_ymd_and_hms(year, month, 1 + (k % 27) as u32, 10, 0, 0)
                .unwrap(),
            answers: respondent(&mut rng, &codes, shift)
                .into_iter()
                .map(|(code, v)| (ids[&code], v))
                .collect(),
        })
        .collect();
    for chunk in batch.chunks(250) {
        store_completed(&app.db, chunk).await.unwrap();
    }
}

async fn figures(app: &TestApp, questionnaire: i32) -> ReportFigures {
    let response = app
        .get(&format!("/reports/{questionnaire}/figures/json?quick=1"))
        .await;
    assert_eq!(response.status().as_u16(), 200);
    response.json().await.expect("report figures JSON")
}

#[tokio::test]
async fn planted_differences_are_reported_with_the_right_significance() {
    let app = spawn_app().await;
    let study = study(&app).await;
    // 2025-Q1: the rival is planted 5 points ahead on value.
    plant(&app, &study, study.ours, (2025, 2), 300, &[], 1).await;
    plant(
        &app,
        &study,
        study.rival,
        (2025, 2),
        300,
        &[("VAL", 5.0)],
        2,
    )
    .await;
    // 2025-Q2: our satisfaction moves by a planted 0.3 points only.
    plant(&app, &study, study.ours, (2025, 5), 300, &[("SAT", 0.3)], 3).await;
    plant(
        &app,
        &study,
        study.rival,
        (2025, 5),
        300,
        &[("VAL", 5.0)],
        4,
    )
    .await;
    // 2025-Q3: only 30 responses of ours.
    plant(&app, &study, study.ours, (2025, 8), 30, &[], 5).await;
    app.sign_in_as(Role::Viewer).await;
    let report = figures(&app, study.questionnaire).await;
    let keys: Vec<(String, Vec<usize>)> = report
        .periods
        .iter()
        .map(|p| (p.period.key.clone(), p.cells.iter().map(|c| c.n).collect()))
        .collect();
    assert_eq!(
        report.periods.len(),
        3,
        "{keys:?} of {} responses",
        report.total_responses
    );
    assert_eq!(report.target, "SAT");
    assert_eq!(
        report.options.resamples, 200,
        "a quick look uses fewer resamples"
    );

    let q1 = &report.periods[0];
    assert_eq!(q1.period.key, "2025-Q1");
    let rival = q1.cells.iter().find(|c| c.brand_id == study.rival).unwrap();
    let gap = rival
        .gap
        .as_ref()
        .expect("a gap to our brand")
        .of("VAL")
        .unwrap();
    assert!(
        (2.5..7.5).contains(&gap.difference),
        "planted +5 on value, reported {:.2}",
        gap.difference
    );
    assert!(
        gap.significant,
        "a 5-point gap on 300 + 300 responses is significant (p = {:?})",
        gap.p_value
    );
    assert!(gap.p_value.unwrap() < 0.05);

    let q2 = &report.periods[1];
    let ours = q2.cells.iter().find(|c| c.brand_id == study.ours).unwrap();
    let change = ours
        .change
        .as_ref()
        .expect("a change from 2025-Q1")
        .of("SAT")
        .unwrap();
    assert!(
        change.difference.abs() < 3.0,
        "planted +0.3, reported {:.2}",
        change.difference
    );
    assert!(
        !change.significant,
        "a 0.3-point change is within noise (p = {:?})",
        change.p_value
    );
    assert!(
        ours.construct("SAT").unwrap().ci_low.is_some(),
        "indices carry bootstrap intervals"
    );

    let q3 = &report.periods[2];
    let small = q3.cells.iter().find(|c| c.brand_id == study.ours).unwrap();
    assert_eq!((small.n, &small.status), (30, &CellStatus::TooFew));
    assert!(
        small.constructs.is_empty(),
        "no number for a cell below the minimum"
    );

    // The pages say the same, in words.
    let (status, html) = app
        .get_html(&format!(
            "/reports/{}/2025-Q3?quick=1&lang=en",
            study.questionnaire
        ))
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains("too few responses to show a number"),
        "the headline says too few"
    );
    let (_, html) = app
        .get_html(&format!(
            "/reports/{}/2025-Q2?quick=1&lang=en",
            study.questionnaire
        ))
        .await;
    assert!(html.contains("within noise compared with 2025-Q1"));
    assert!(
        html.contains("<svg class=\"chart trend\""),
        "the trend chart is inline SVG"
    );
    let (_, html) = app
        .get_html(&format!(
            "/reports/{}/2025-Q1?quick=1&lang=zh-CN",
            study.questionnaire
        ))
        .await;
    assert!(html.contains("季度满意度报告") && html.contains("优先改进"));
    // Segments: class A has 100 of 300 responses (enough), shown with its n.
    assert!(q1.segments.iter().any(|s| s.attribute == "customer_class"
        && s.value == "A"
        && s.n == 100
        && !s.indices.is_empty()));
}

#[tokio::test]
async fn pooled_model_small_segments_exports_and_settings() {
    let app = spawn_app_min_sample().await;
    let study = study(&app).await;
    plant(&app, &study, study.ours, (2025, 2), 120, &[], 11).await;
    plant(
        &app,
        &study,
        study.rival,
        (2025, 2),
        120,
        &[("VAL", 5.0)],
        12,
    )
    .await;
    // Settings: a bad month is refused with a message and changes nothing.
    let response = app
        .post_form(
            &format!("/reports/{}/settings", study.questionnaire),
            &[
                ("fiscal_start_month", "13"),
                ("resamples", "200"),
                ("waves", ""),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    assert_eq!(
        report_runs::settings(&app.db, study.questionnaire)
            .await
            .unwrap(),
        report_runs::ReportSettings::default()
    );
    let response = app
        .post_form(
            &format!("/reports/{}/settings", study.questionnaire),
            &[
                ("fiscal_start_month", "4"),
                ("pooled", "on"),
                ("resamples", "200"),
                ("waves", ""),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let report = figures(&app, study.questionnaire).await;
    assert!(report.options.pooled);
    assert_eq!(
        report.periods[0].period.key, "FY2024-Q4",
        "February is in the fourth quarter of a fiscal year starting in April"
    );
    let rival = report.periods[0]
        .cells
        .iter()
        .find(|c| c.brand_id == study.rival)
        .unwrap();
    let gap = rival.gap.as_ref().unwrap();
    assert_eq!(gap.test, yardstick::report::figures::Test::Welch);
    assert!(gap.of("VAL").unwrap().difference > 2.0);
    // Class A has 40 responses per brand: below the minimum of 50, suppressed but counted.
    let suppressed = report.periods[0]
        .segments
        .iter()
        .find(|s| s.value == "A")
        .unwrap();
    assert_eq!(suppressed.n, 40);
    assert!(suppressed.indices.is_empty());
    let (_, html) = app
        .get_html(&format!("/reports/{}?quick=1&lang=en", study.questionnaire))
        .await;
    assert!(
        html.contains("Pooled model"),
        "the report says which model was used"
    );

    // Exports.
    let csv = app
        .get(&format!(
            "/reports/{}/figures/csv?quick=1&lang=en",
            study.questionnaire
        ))
        .await
        .text()
        .await
        .unwrap();
    // A UTF-8 byte-order mark first, so that Excel reads Chinese text correctly.
    assert!(csv.starts_with("\u{feff}period,brand,own,n,status,construct_code"));
    assert!(csv.lines().any(|l| l.contains(",VAL,")));
    let xlsx = app
        .get(&format!(
            "/reports/{}/figures/xlsx?quick=1",
            study.questionnaire
        ))
        .await
        .bytes()
        .await
        .unwrap();
    assert!(xlsx.starts_with(b"PK"), "an XLSX file is a zip");
    let raw = app
        .get(&format!(
            "/reports/{}/responses/csv?lang=en",
            study.questionnaire
        ))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(raw.lines().count(), 241);
    assert!(raw.lines().next().unwrap().contains("SAT1,SAT1_label"));
    let raw_xlsx = app
        .get(&format!("/reports/{}/responses/xlsx", study.questionnaire))
        .await
        .bytes()
        .await
        .unwrap();
    assert!(raw_xlsx.starts_with(b"PK"));
}

async fn spawn_app_min_sample() -> TestApp {
    crate::helpers::spawn_app_with(&[("YARDSTICK_MIN_SAMPLE", "50")]).await
}

#[tokio::test]
async fn field_data_dry_run_lists_bad_cells_and_import_marks_responses() {
    let app = spawn_app().await;
    let study = study(&app).await;
    let versions = questionnaires::versions(&app.db, study.questionnaire)
        .await
        .unwrap();
    let model = models::load(
        &app.db,
        versions.iter().find(|v| v.published).unwrap().model_id,
    )
    .await
    .unwrap();
    let codes: Vec<String> = model.indicators().map(|(_, i)| i.code.clone()).collect();
    let row = |brand: &str, date: &str, value: &str| {
        let cells: Vec<String> = codes
            .iter()
            .map(|c| {
                if c == "COM1" {
                    "0".into()
                } else {
                    value.to_owned()
                }
            })
            .collect();
        format!("{brand},{date},{}\n", cells.join(","))
    };
    let header = format!("brand,date,{}\n", codes.join(","));
    let bad = format!(
        "{header}{}{}",
        row("Rival", "2025-03-01", "7"),
        row("Nobody", "2025-03-32", "11")
    );
    let upload = |content: String, dry: bool| {
        let mut form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(content.into_bytes()).file_name("field.csv"),
        );
        if dry {
            form = form.text("dry_run", "on");
        }
        form
    };
    let csrf = app.csrf().await;
    let url = app.url(&format!(
        "/design/questionnaires/{}/field-data?lang=en",
        study.questionnaire
    ));
    let response = app
        .client
        .post(&url)
        .multipart(upload(bad, false).text("csrf", csrf.clone()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("Line 3, column brand") && html.contains("Line 3, column date"),
        "every bad cell is listed"
    );
    assert!(html.contains("11 is outside the scale 1–10"));
    assert_eq!(
        report_runs::survey_records(&app.db, study.questionnaire)
            .await
            .unwrap()
            .len(),
        0,
        "nothing stored"
    );

    let good = format!(
        "{header}{}{}",
        row("Rival", "2025-03-01", "7"),
        row("Our Brand", "2025-03-02 14:05", "dk")
    );
    let response = app
        .client
        .post(&url)
        .multipart(upload(good.clone(), true).text("csrf", csrf.clone()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.text().await.unwrap().contains("Dry run passed"));
    assert_eq!(
        report_runs::survey_records(&app.db, study.questionnaire)
            .await
            .unwrap()
            .len(),
        0,
        "a dry run stores nothing"
    );

    let response = app
        .client
        .post(&url)
        .multipart(upload(good, false).text("csrf", csrf))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let records = report_runs::survey_records(&app.db, study.questionnaire)
        .await
        .unwrap();
    assert_eq!(records.len(), 2);
    assert!(records.iter().all(|r| r.source == "import"));
    assert_eq!(
        records
            .iter()
            .find(|r| r.record.brand_id == Some(study.ours))
            .unwrap()
            .record
            .answers["SAT1"],
        None,
        "dk is stored as don't know"
    );
    let audit = yardstick::store::audit::recent(&app.db, 10).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "responses.import"));
}
