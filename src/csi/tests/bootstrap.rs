//! Bootstrap: reproducibility across thread counts, progress reporting and interval sanity.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::fixtures::{ecsi, satisfaction};
use crate::{BootstrapOptions, PlsOptions, bootstrap, estimate};

fn run(threads: usize, boot: &BootstrapOptions) -> crate::BootstrapResult {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| {
        bootstrap(&ecsi(), &satisfaction(), &PlsOptions::default(), boot, None).unwrap()
    })
}

#[test]
fn same_seed_same_result_with_one_and_two_threads() {
    let boot = BootstrapOptions {
        resamples: 120,
        seed: 42,
        level: 0.95,
        bca: true,
    };
    let one = run(1, &boot);
    let two = run(2, &boot);
    assert_eq!(one, two);
    let other = run(2, &BootstrapOptions { seed: 43, ..boot });
    assert_ne!(one.paths[0].se, other.paths[0].se);
}

#[test]
fn intervals_are_sane_and_progress_is_reported() {
    let boot = BootstrapOptions {
        resamples: 200,
        seed: 7,
        level: 0.95,
        bca: true,
    };
    let calls = AtomicUsize::new(0);
    let max = AtomicUsize::new(0);
    let cb = |d: usize| {
        calls.fetch_add(1, Ordering::Relaxed);
        max.fetch_max(d, Ordering::Relaxed);
    };
    let res = bootstrap(
        &ecsi(),
        &satisfaction(),
        &PlsOptions::default(),
        &boot,
        Some(&cb),
    )
    .unwrap();
    assert_eq!(calls.load(Ordering::Relaxed), 200);
    assert_eq!(max.load(Ordering::Relaxed), 200);
    assert_eq!(res.failed, 0);
    let est = estimate(&ecsi(), &satisfaction(), &PlsOptions::default()).unwrap();
    assert_eq!(res.paths.len(), 10);
    assert_eq!(res.total_effects.len(), est.effects.len());
    assert_eq!(res.r_squared.len(), 5);
    assert_eq!(res.index.len(), 6);
    assert_eq!(res.weights.len(), 27);
    for (iv, p) in res.paths.iter().zip(&est.paths) {
        assert!((iv.estimate - p.coefficient).abs() < 1e-12);
        assert!(
            iv.pct_low <= iv.estimate + 0.05 && iv.estimate - 0.05 <= iv.pct_high,
            "{iv:?}"
        );
        assert!(iv.se > 0.0 && iv.se < 0.2);
        let (lo, hi) = (iv.bca_low.unwrap(), iv.bca_high.unwrap());
        assert!(lo < hi);
    }
    // VAL -> SAT is strongly significant, EXPE -> SAT is not
    let val_sat = res.paths.iter().find(|p| p.name == "VAL -> SAT").unwrap();
    assert!(val_sat.pct_low > 0.3);
    let expe_sat = res.paths.iter().find(|p| p.name == "EXPE -> SAT").unwrap();
    assert!(expe_sat.pct_low < 0.0 && expe_sat.pct_high > 0.0);
    for (iv, c) in res.index.iter().zip(&est.constructs) {
        assert!((iv.estimate - c.index).abs() < 1e-9);
        assert!(iv.pct_low < c.index && c.index < iv.pct_high);
        assert!(iv.pct_high - iv.pct_low < 10.0);
    }
}
