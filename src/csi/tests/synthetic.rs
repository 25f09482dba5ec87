//! Synthetic data from a known structural model: recovery of the paths and invariances.

use faer::Mat;

use super::fixtures::{ecsi, satisfaction};
use crate::estimate::fit_cov;
use crate::{Data, PlsOptions, ecsi_model, ecsi_population, estimate};

/// Population covariance of the indicators: Σ = ΛΦΛᵀ + Θ.
fn population_cov(phi: &[Vec<f64>], loadings: &[f64], block_of: &[usize]) -> Mat<f64> {
    let q = loadings.len();
    Mat::from_fn(q, q, |i, j| {
        if i == j {
            1.0
        } else {
            loadings[i] * loadings[j] * phi[block_of[i]][block_of[j]]
        }
    })
}

#[test]
fn recovers_population_paths() {
    let model = ecsi_model();
    let mut sim = ecsi_population(&model);
    sim.likert = None;
    sim.loadings = (0..27)
        .map(|i| [0.9, 0.92, 0.88, 0.9, 0.93][i % 5])
        .collect();
    let phi = sim.latent_covariance().unwrap();
    let layout = model.layout(27).unwrap();
    let sigma = population_cov(&phi, &sim.loadings, &layout.block_of);
    let opts = PlsOptions::default();
    // the PLS estimator's population value: the algorithm run on Σ itself
    let pop = fit_cov(&model, &layout, sigma.as_ref(), &[(0.0, 1.0); 27], &opts).unwrap();
    let data = sim.draw(4000, 7).unwrap();
    let res = estimate(&model, &data, &opts).unwrap();
    for (p, (&(from, to), &beta)) in res
        .paths
        .iter()
        .zip(model.paths.iter().zip(&sim.coefficients))
    {
        let pop_b = pop.core.beta[(to, from)];
        // SE of a path with n = 4000 is about 0.016; allow 4 SE
        assert!(
            (p.coefficient - pop_b).abs() < 0.065,
            "{}->{}: {} vs population PLS {}",
            p.from,
            p.to,
            p.coefficient,
            pop_b
        );
        // with reliable blocks the PLS population value is close to the structural β
        assert!(
            (pop_b - beta).abs() < 0.08,
            "{}->{}: population PLS {} vs structural {}",
            p.from,
            p.to,
            pop_b,
            beta
        );
    }
}

fn reorder(data: &Data, rows: &[usize]) -> Data {
    data.select_rows(rows).unwrap()
}

#[test]
fn row_order_does_not_matter() {
    let data = satisfaction();
    let n = data.nrows();
    let perm: Vec<usize> = (0..n).map(|i| (i * 97 + 13) % n).collect();
    let a = estimate(&ecsi(), &data, &PlsOptions::default()).unwrap();
    let b = estimate(&ecsi(), &reorder(&data, &perm), &PlsOptions::default()).unwrap();
    for (x, y) in a.indicators.iter().zip(&b.indicators) {
        assert!((x.weight - y.weight).abs() < 1e-10);
        assert!((x.loading - y.loading).abs() < 1e-10);
    }
    for (x, y) in a.paths.iter().zip(&b.paths) {
        assert!((x.coefficient - y.coefficient).abs() < 1e-10);
    }
    for (x, y) in a.constructs.iter().zip(&b.constructs) {
        assert!((x.index - y.index).abs() < 1e-9);
    }
    for k in 0..6 {
        for (i, &r) in perm.iter().enumerate() {
            assert!((a.scores[k][r] - b.scores[k][i]).abs() < 1e-9);
        }
    }
}

#[test]
fn rescaling_an_item_changes_nothing_when_standardised() {
    let data = satisfaction();
    let names = data.names().to_vec();
    let mut cols: Vec<Vec<f64>> = (0..data.ncols()).map(|j| data.column(j).to_vec()).collect();
    let mut scales = data.scales().to_vec();
    // qual3: 0–10 → 1–31 by x ↦ 3x + 1
    let j = data.column_index("qual3").unwrap();
    cols[j] = cols[j].iter().map(|x| 3.0 * x + 1.0).collect();
    scales[j] = (1.0, 31.0);
    let rescaled = Data::from_columns(names, cols, scales).unwrap();
    let opts = PlsOptions::default();
    let a = estimate(&ecsi(), &data, &opts).unwrap();
    let b = estimate(&ecsi(), &rescaled, &opts).unwrap();
    for (x, y) in a.indicators.iter().zip(&b.indicators) {
        assert!((x.weight - y.weight).abs() < 1e-10, "{}", x.name);
        assert!((x.loading - y.loading).abs() < 1e-10, "{}", x.name);
        assert!(
            (x.index_weight - y.index_weight).abs() < 1e-10,
            "{}",
            x.name
        );
    }
    for (x, y) in a.paths.iter().zip(&b.paths) {
        assert!((x.coefficient - y.coefficient).abs() < 1e-10);
    }
    for (x, y) in a.constructs.iter().zip(&b.constructs) {
        assert!((x.index - y.index).abs() < 1e-9, "{}", x.name);
        assert!((x.r_squared - y.r_squared).abs() < 1e-10);
    }
}

#[test]
fn simulation_is_reproducible_and_on_scale() {
    let model = ecsi_model();
    let sim = ecsi_population(&model);
    let a = sim.draw(300, 3).unwrap();
    let b = sim.draw(300, 3).unwrap();
    for j in 0..27 {
        assert_eq!(a.column(j), b.column(j));
        assert!(
            a.column(j)
                .iter()
                .all(|v| (0.0..=10.0).contains(v) && v.fract() == 0.0)
        );
    }
    let res = estimate(&model, &a, &PlsOptions::default()).unwrap();
    assert!(res.converged);
}
