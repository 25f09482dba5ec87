//! Benchmark of the full executive report: 8 quarters × 5 brands, 100 000 responses, computed cold.
//!
//! `cargo bench --bench report` (release build; run by hand, not in CI). Prints the time for the
//! point estimates (no bootstrap, no tests), for the full report with intervals
//! (`REPORT_RESAMPLES`, default 5 000 resamples per cell, 1 000 permutations per test),
//! and for serving a cached report (parse the stored JSON, build the page view with its SVG charts).

use chrono::{TimeZone, Utc};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;
use std::time::Instant;
use yardstick::domain::report_period::Calendar;
use yardstick::report::figures::{
    BrandHead, ReportFigures, ReportOptions, SurveyRecord, compute, plan,
};
use yardstick::store::responses::{ResponseRecord, Segments};

const BRANDS: usize = 5;
const QUARTERS: usize = 8;
const RESPONSES: usize = 100_000;

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = rng.random_range(f64::EPSILON..1.0);
    let u2: f64 = rng.random_range(0.0..1.0);
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

fn main() {
    let model = yardstick::catalog::load("acsi.toml")
        .expect("catalog")
        .expect("acsi template");
    let codes: Vec<(String, String)> = model
        .indicators()
        .map(|(c, i)| (c.code.clone(), i.code.clone()))
        .collect();
    let brands: Vec<BrandHead> = (0..BRANDS)
        .map(|b| BrandHead {
            id: b as i32 + 1,
            en: format!("Brand {b}"),
            zh: format!("品牌{b}"),
            own: b == 0,
        })
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(8);
    let per_cell = RESPONSES / (BRANDS * QUARTERS);
    let mut records = Vec::with_capacity(RESPONSES);
    for q in 0..QUARTERS {
        for b in 0..BRANDS {
            for k in 0..per_cell {
                let general = normal(&mut rng);
                let mut latent: HashMap<&str, f64> = HashMap::new();
                let answers = codes
                    .iter()
                    .map(|(construct, code)| {
                        let l = *latent
                            .entry(construct.as_str())
                            .or_insert_with(|| 0.75 * general + 0.66 * normal(&mut rng));
                        let value = if construct == "COM" {
                            i32::from(l < -1.2)
                        } else {
                            (6.0 + 0.05 * (q + b) as f64 + 1.3 * l + 0.9 * normal(&mut rng))
                                .round()
                                .clamp(1.0, 10.0) as i32
                        };
                        (code.clone(), Some(value))
                    })
                    .collect();
                let month = (q % 4) as u32 * 3 + 1 + (k % 3) as u32;
                records.push(SurveyRecord {
                    record: ResponseRecord {
                        id: records.len() as i32 + 1,
                        version_id: 1,
                        brand_id: Some(b as i32 + 1),
                        completed_at: Utc
                            .with_ymd_and_hms(
                                2024 + (q / 4) as i32,
                                month,
                                1 + (k % 28) as u32,
                                12,
                                0,
                                0,
                            )
                            .unwrap(),
                        answers,
                    },
                    segments: Segments {
                        customer_class: Some(["A", "B", "C"][k % 3].into()),
                        region: Some(["North", "South"][k % 2].into()),
                        ..Segments::default()
                    },
                    source: "web".into(),
                });
            }
        }
    }
    let calendar = Calendar::default();
    let threads = rayon::current_num_threads();
    println!(
        "report benchmark: {QUARTERS} quarters × {BRANDS} brands, {} responses, {threads} threads",
        records.len()
    );

    let point = ReportOptions {
        resamples: 0,
        permutations: 0,
        ..ReportOptions::default()
    };
    let start = Instant::now();
    let figures = compute(&model, &brands, &records, &calendar, &point, None);
    let point_time = start.elapsed();
    assert_eq!(figures.periods.len(), QUARTERS);
    println!(
        "point estimates (PLS per cell, IPMA, quality, rates, segments): {:.2} s",
        point_time.as_secs_f64()
    );

    let resamples: usize = std::env::var("REPORT_RESAMPLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5000);
    let full = ReportOptions {
        resamples,
        permutations: 1000,
        ..ReportOptions::default()
    };
    let total = plan(&brands, &records, &calendar, &full);
    let start = Instant::now();
    let figures = compute(&model, &brands, &records, &calendar, &full, None);
    let full_time = start.elapsed();
    println!(
        "full report ({resamples} resamples per cell, 1000 permutations per test, {total} work units): {:.2} s",
        full_time.as_secs_f64()
    );

    let json = serde_json::to_string(&figures).expect("serialise");
    let versions = vec![(1, 1)];
    let runs = 50;
    let start = Instant::now();
    for _ in 0..runs {
        let parsed: ReportFigures = serde_json::from_str(&json).expect("parse");
        let view = yardstick::report::page::build(
            &parsed,
            parsed.periods.len() - 1,
            &versions,
            yardstick::domain::Lang::ZhCn,
        );
        std::hint::black_box(view);
    }
    println!(
        "cached report page (parse {} kB of stored JSON + build the view and its SVG charts): {:.1} ms",
        json.len() / 1024,
        start.elapsed().as_secs_f64() * 1000.0 / runs as f64
    );
}
