//! Missing values, zero variance, non-convergence and malformed models.

use super::fixtures::{ecsi, satisfaction};
use crate::{Block, CsiError, Data, Missing, PlsModel, PlsOptions, estimate};

fn with_cells(data: &Data, cells: &[(usize, usize, f64)]) -> Data {
    let mut cols: Vec<Vec<f64>> = (0..data.ncols()).map(|j| data.column(j).to_vec()).collect();
    for &(r, c, v) in cells {
        cols[c][r] = v;
    }
    Data::from_columns(data.names().to_vec(), cols, data.scales().to_vec()).unwrap()
}

#[test]
fn mean_replacement_counts_and_uses_observed_means() {
    let data = satisfaction();
    let holes = [
        (0, 0, f64::NAN),
        (5, 0, f64::NAN),
        (7, 12, f64::NAN),
        (7, 20, f64::NAN),
    ];
    let missing = with_cells(&data, &holes);
    let res = estimate(&ecsi(), &missing, &PlsOptions::default()).unwrap();
    assert_eq!(res.missing.replaced, 4);
    assert_eq!(res.missing.deleted, 0);
    assert_eq!(res.n, 250);
    let obs: Vec<f64> = data
        .column(0)
        .iter()
        .enumerate()
        .filter(|(r, _)| *r != 0 && *r != 5)
        .map(|(_, v)| *v)
        .collect();
    let mean = obs.iter().sum::<f64>() / obs.len() as f64;
    assert!((res.indicators[0].mean - mean).abs() < 1e-12);
    // replacing values by the mean is what the estimate sees
    let filled = with_cells(&data, &[(0, 0, mean), (5, 0, mean)]);
    let mean12 = {
        let c = data.column(12);
        (c.iter().sum::<f64>() - c[7]) / 249.0
    };
    let mean20 = {
        let c = data.column(20);
        (c.iter().sum::<f64>() - c[7]) / 249.0
    };
    let filled = with_cells(&filled, &[(7, 12, mean12), (7, 20, mean20)]);
    let reference = estimate(&ecsi(), &filled, &PlsOptions::default()).unwrap();
    for (a, b) in res.indicators.iter().zip(&reference.indicators) {
        assert!((a.weight - b.weight).abs() < 1e-12);
    }
}

#[test]
fn casewise_deletion_drops_incomplete_cases() {
    let data = satisfaction();
    let missing = with_cells(
        &data,
        &[(0, 0, f64::NAN), (0, 3, f64::NAN), (9, 26, f64::NAN)],
    );
    let opts = PlsOptions {
        missing: Missing::CasewiseDeletion,
        ..PlsOptions::default()
    };
    let res = estimate(&ecsi(), &missing, &opts).unwrap();
    assert_eq!(res.missing.deleted, 2);
    assert_eq!(res.missing.replaced, 0);
    assert_eq!(res.n, 248);
    assert!(!res.missing.rows.contains(&0) && !res.missing.rows.contains(&9));
    let kept: Vec<usize> = (0..250).filter(|&r| r != 0 && r != 9).collect();
    let reference = estimate(
        &ecsi(),
        &data.select_rows(&kept).unwrap(),
        &PlsOptions::default(),
    )
    .unwrap();
    for (a, b) in res.paths.iter().zip(&reference.paths) {
        assert!((a.coefficient - b.coefficient).abs() < 1e-12);
    }
}

#[test]
fn zero_variance_indicator_is_named() {
    let data = satisfaction();
    let j = data.column_index("qual3").unwrap();
    let cells: Vec<(usize, usize, f64)> = (0..250).map(|r| (r, j, 7.0)).collect();
    let err = estimate(&ecsi(), &with_cells(&data, &cells), &PlsOptions::default()).unwrap_err();
    assert_eq!(err, CsiError::NoVariance("qual3".into()));
    assert_eq!(err.to_string(), "indicator qual3 has no variance");
}

#[test]
fn all_missing_indicator_is_named() {
    let data = satisfaction();
    let cells: Vec<(usize, usize, f64)> = (0..250).map(|r| (r, 20, f64::NAN)).collect();
    let err = estimate(&ecsi(), &with_cells(&data, &cells), &PlsOptions::default()).unwrap_err();
    assert_eq!(err.to_string(), "indicator sat2 has no observed values");
}

#[test]
fn non_convergence_is_reported() {
    let opts = PlsOptions {
        max_iter: 2,
        tolerance: 1e-15,
        ..PlsOptions::default()
    };
    let err = estimate(&ecsi(), &satisfaction(), &opts).unwrap_err();
    assert!(
        matches!(err, CsiError::NotConverged { iterations: 2, .. }),
        "{err}"
    );
    let flagged = estimate(
        &ecsi(),
        &satisfaction(),
        &PlsOptions {
            allow_non_convergence: true,
            ..opts
        },
    )
    .unwrap();
    assert!(!flagged.converged);
    assert!(
        flagged
            .warnings
            .iter()
            .any(|w| w.contains("did not converge"))
    );
    let ok = estimate(&ecsi(), &satisfaction(), &PlsOptions::default()).unwrap();
    assert!(ok.converged && ok.iterations < 300 && ok.delta < 1e-7);
}

#[test]
fn malformed_models_are_rejected_with_names() {
    let data = satisfaction();
    let mut m = ecsi();
    m.paths.push((5, 0));
    let err = estimate(&m, &data, &PlsOptions::default()).unwrap_err();
    assert!(err.to_string().contains("cycle"), "{err}");
    let mut m = ecsi();
    m.blocks.push(Block::reflective("ALONE", vec![27]));
    assert!(estimate(&m, &data, &PlsOptions::default()).is_err());
    let m = PlsModel {
        blocks: vec![
            Block::reflective("A", vec![0, 1]),
            Block::reflective("B", vec![1, 2]),
        ],
        paths: vec![(0, 1)],
    };
    assert!(
        estimate(&m, &data, &PlsOptions::default())
            .unwrap_err()
            .to_string()
            .contains("used by both")
    );
    let m = PlsModel {
        blocks: vec![
            Block::reflective("A", vec![0, 1]),
            Block::reflective("B", vec![2, 3]),
            Block::reflective("C", vec![4]),
        ],
        paths: vec![(0, 1)],
    };
    let err = estimate(&m, &data, &PlsOptions::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "construct C cannot be estimated: it is not connected to any other construct"
    );
    assert!(Data::from_rows(vec!["a".into()], &[vec![11.0]], vec![(0.0, 10.0)]).is_err());
}

#[test]
fn single_item_blocks_and_mode_b_work() {
    let data = satisfaction();
    let m = PlsModel {
        blocks: vec![
            Block::formative("IMAG", (0..5).collect()),
            Block::reflective("SAT1", vec![19]),
            Block::reflective("LOY", (23..27).collect()),
        ],
        paths: vec![(0, 1), (1, 2)],
    };
    let res = estimate(&m, &data, &PlsOptions::default()).unwrap();
    let single = &res.indicators[5];
    assert_eq!(single.name, "sat1");
    assert!((single.loading - 1.0).abs() < 1e-12 && (single.weight - 1.0).abs() < 1e-12);
    assert_eq!(res.quality.constructs[1].alpha, 1.0);
    assert!(
        res.quality
            .htmt
            .iter()
            .filter(|h| h.a == "SAT1" || h.b == "SAT1")
            .all(|h| h.value.is_none())
    );
    // a mode B composite is the regression of its inner estimate on the items:
    // its correlation with the single item equals the multiple R
    assert!(res.paths[0].coefficient > 0.6);
}
