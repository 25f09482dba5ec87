//! Benchmarks of the CSI engine: PLS on the ECSI data, on 100 000 synthetic rows, and a 500-resample bootstrap.
//!
//! `cargo bench --bench csi`. With `CSI_WRITE_SYNTHETIC=FILE` set, it only
//! writes the 100 000-row synthetic data set as CSV (for the comparison
//! script, so that both implementations see the same numbers) and exits.

use std::hint::black_box;
use std::io::Write;

use criterion::{Criterion, criterion_group};
use yardstick::csi::{
    BootstrapOptions, Data, PlsOptions, bootstrap, ecsi_model, ecsi_population, estimate,
};

const SATISFACTION: &str = include_str!("../tests/fixtures/ecsi-satisfaction/satisfaction.csv");
const SYNTHETIC_ROWS: usize = 100_000;
const SYNTHETIC_SEED: u64 = 2026;

fn satisfaction() -> Data {
    let mut lines = SATISFACTION.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(|s| s.trim_matches('"').to_string())
        .collect();
    let rows: Vec<Vec<f64>> = lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            l.split(',')
                .skip(1)
                .take(27)
                .map(|v| v.parse().unwrap())
                .collect()
        })
        .collect();
    Data::from_rows(header[1..28].to_vec(), &rows, vec![(0.0, 10.0); 27]).unwrap()
}

fn synthetic() -> Data {
    let model = ecsi_model();
    ecsi_population(&model)
        .draw(SYNTHETIC_ROWS, SYNTHETIC_SEED)
        .unwrap()
}

fn write_csv(path: &str, data: &Data) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(out, "{}", data.names().join(","))?;
    for r in 0..data.nrows() {
        let row: Vec<String> = (0..data.ncols())
            .map(|j| format!("{}", data.column(j)[r]))
            .collect();
        writeln!(out, "{}", row.join(","))?;
    }
    out.flush()
}

fn benches(c: &mut Criterion) {
    let model = ecsi_model();
    let ecsi = satisfaction();
    let big = synthetic();
    let opts = PlsOptions::default();
    let boot = BootstrapOptions {
        resamples: 500,
        seed: 1,
        level: 0.95,
        bca: false,
    };
    let mut g = c.benchmark_group("csi");
    g.sample_size(20);
    g.bench_function("pls_ecsi_250", |b| {
        b.iter(|| estimate(&model, black_box(&ecsi), &opts).unwrap())
    });
    g.sample_size(10);
    g.bench_function("pls_synthetic_100000", |b| {
        b.iter(|| estimate(&model, black_box(&big), &opts).unwrap())
    });
    g.bench_function("bootstrap_ecsi_500", |b| {
        b.iter(|| bootstrap(&model, black_box(&ecsi), &opts, &boot, None).unwrap())
    });
    let bca = BootstrapOptions { bca: true, ..boot };
    g.bench_function("bootstrap_ecsi_500_bca", |b| {
        b.iter(|| bootstrap(&model, black_box(&ecsi), &opts, &bca, None).unwrap())
    });
    g.finish();
}

criterion_group!(csi, benches);

fn main() {
    if let Ok(path) = std::env::var("CSI_WRITE_SYNTHETIC") {
        write_csv(&path, &synthetic()).expect("writing the synthetic data");
        return;
    }
    csi();
    Criterion::default().configure_from_args().final_summary();
}
