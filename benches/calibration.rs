//! Calibration of the index comparison under true nulls: how often a 5 % test rejects when two brands' indices are equal but their samples differ in size and spread.
//!
//! Run by hand (minutes, not a CI test):
//!     cargo bench --bench calibration -- [replications=1000] [permutations=999]
//! Each replication draws two groups from the ECSI population of `csi::simulate` with equal
//! item means (10-point items centred at 5.5, so clipping and rounding keep the true index at
//! 50 in both) but different sizes and item spreads, and compares them with the studentized
//! test the reports use and with the raw-difference test they used before.

use std::time::Instant;
use yardstick::csi::simulate::{ecsi_model, ecsi_population};
use yardstick::csi::{CompareOptions, Data, PlsModel, PlsOptions, Statistic, compare_indices_by};

/// One null scenario: two groups' sizes and item standard deviations (in scale points).
struct Scenario {
    name: &'static str,
    n: (usize, usize),
    spread: (f64, f64),
}

const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "300 vs 80, item SD 1.0 vs 2.2",
        n: (300, 80),
        spread: (1.0, 2.2),
    },
    Scenario {
        name: "300 vs 80, item SD 2.2 vs 1.0",
        n: (300, 80),
        spread: (2.2, 1.0),
    },
    Scenario {
        name: "150 vs 150, item SD 1.6 vs 1.6",
        n: (150, 150),
        spread: (1.6, 1.6),
    },
];

/// Rejections and interval misses of one statistic over the replications.
#[derive(Default)]
struct Tally {
    rejected_target: usize,
    rejected_any_construct: usize,
    rejections_all_constructs: usize,
    interval_misses_target: usize,
    disagreements_target: usize,
    runs: usize,
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let replications = args.first().copied().unwrap_or(1000);
    let permutations = args.get(1).copied().unwrap_or(999);
    let model = ecsi_model();
    let target = model
        .blocks
        .iter()
        .position(|b| b.name == "SAT")
        .expect("the ECSI model has SAT");
    println!(
        "Index comparison under true nulls (equal indices): {replications} replications, \
         {permutations} permutations and resamples each, 5 % level, target construct SAT"
    );
    println!(
        "| scenario | statistic | rejection rate, SAT | mean over 6 constructs | any of 6 | 95 % interval misses, SAT | test and interval disagree, SAT |"
    );
    println!("|---|---|---|---|---|---|---|");
    for scenario in SCENARIOS {
        for statistic in [Statistic::Raw, Statistic::Studentized] {
            let started = Instant::now();
            let tally = run(
                &model,
                scenario,
                statistic,
                replications,
                permutations,
                target,
            );
            let rate = |k: usize| format!("{:.1} %", 100.0 * k as f64 / tally.runs as f64);
            println!(
                "| {} | {:?} | {} | {:.1} % | {} | {} | {} |",
                scenario.name,
                statistic,
                rate(tally.rejected_target),
                100.0 * tally.rejections_all_constructs as f64
                    / (tally.runs * model.blocks.len()) as f64,
                rate(tally.rejected_any_construct),
                rate(tally.interval_misses_target),
                rate(tally.disagreements_target),
            );
            eprintln!(
                "  ({} runs in {:.0} s)",
                tally.runs,
                started.elapsed().as_secs_f64()
            );
        }
    }
    println!(
        "Monte Carlo standard error of a 5 % rate over {replications} runs: {:.2} points.",
        100.0 * (0.05 * 0.95 / replications as f64).sqrt()
    );
}

fn run(
    model: &PlsModel,
    scenario: &Scenario,
    statistic: Statistic,
    replications: usize,
    permutations: usize,
    target: usize,
) -> Tally {
    let mut population = ecsi_population(model);
    population.likert = None;
    let draw = |n: usize, seed: u64, spread: f64| -> Data {
        let d = population.draw(n, seed).expect("the population draws");
        let columns = (0..d.ncols())
            .map(|j| {
                d.column(j)
                    .iter()
                    .map(|x| (5.5 + spread * x).round().clamp(1.0, 10.0))
                    .collect()
            })
            .collect();
        Data::from_columns(d.names().to_vec(), columns, vec![(1.0, 10.0); d.ncols()])
            .expect("valid data")
    };
    let mut tally = Tally::default();
    for r in 0..replications as u64 {
        let a = draw(scenario.n.0, 2 * r + 1, scenario.spread.0);
        let b = draw(scenario.n.1, 2 * r + 2, scenario.spread.1);
        let options = CompareOptions {
            permutations,
            resamples: permutations,
            seed: r + 1,
            level: 0.95,
        };
        let Ok(result) = compare_indices_by(
            statistic,
            model,
            &a,
            &b,
            &PlsOptions::default(),
            &options,
            None,
        ) else {
            continue;
        };
        tally.runs += 1;
        let rejected: Vec<bool> = result
            .differences
            .iter()
            .map(|d| d.p_value < 0.05)
            .collect();
        let d = &result.differences[target];
        let misses = !(d.ci_low <= 0.0 && 0.0 <= d.ci_high);
        tally.rejected_target += usize::from(rejected[target]);
        tally.rejections_all_constructs += rejected.iter().filter(|&&x| x).count();
        tally.rejected_any_construct += usize::from(rejected.iter().any(|&x| x));
        tally.interval_misses_target += usize::from(misses);
        tally.disagreements_target += usize::from(misses != rejected[target]);
    }
    tally
}
