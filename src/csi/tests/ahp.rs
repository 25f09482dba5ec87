//! AHP against Saaty's published examples.

use crate::ahp;

fn m(rows: &[&[f64]]) -> Vec<Vec<f64>> {
    rows.iter().map(|r| r.to_vec()).collect()
}

/// Saaty (1990), "How to make a decision: the analytic hierarchy process",
/// European Journal of Operational Research 48, 9–26, table 2: the eight
/// criteria for buying a house. Published priorities .173 .054 .188 .018
/// .031 .036 .167 .333, λmax = 9.669, CI = 0.238, CR = 0.169.
#[test]
fn saaty_1990_house_criteria() {
    let a = m(&[
        &[1.0, 5.0, 3.0, 7.0, 6.0, 6.0, 1.0 / 3.0, 1.0 / 4.0],
        &[
            1.0 / 5.0,
            1.0,
            1.0 / 3.0,
            5.0,
            3.0,
            3.0,
            1.0 / 5.0,
            1.0 / 7.0,
        ],
        &[1.0 / 3.0, 3.0, 1.0, 6.0, 3.0, 4.0, 6.0, 1.0 / 5.0],
        &[
            1.0 / 7.0,
            1.0 / 5.0,
            1.0 / 6.0,
            1.0,
            1.0 / 3.0,
            1.0 / 4.0,
            1.0 / 7.0,
            1.0 / 8.0,
        ],
        &[
            1.0 / 6.0,
            1.0 / 3.0,
            1.0 / 3.0,
            3.0,
            1.0,
            1.0 / 2.0,
            1.0 / 5.0,
            1.0 / 6.0,
        ],
        &[
            1.0 / 6.0,
            1.0 / 3.0,
            1.0 / 4.0,
            4.0,
            2.0,
            1.0,
            1.0 / 5.0,
            1.0 / 6.0,
        ],
        &[3.0, 5.0, 1.0 / 6.0, 7.0, 5.0, 5.0, 1.0, 1.0 / 2.0],
        &[4.0, 7.0, 5.0, 8.0, 6.0, 6.0, 2.0, 1.0],
    ]);
    let r = ahp(&a).unwrap();
    let want = [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333];
    for (w, v) in r.weights.iter().zip(want) {
        assert!((w - v).abs() < 0.0015, "weights {:?}", r.weights);
    }
    assert!(
        (r.lambda_max - 9.669).abs() < 0.002,
        "λmax {}",
        r.lambda_max
    );
    assert!((r.ci - 0.238).abs() < 0.001, "CI {}", r.ci);
    assert!((r.cr - 0.169).abs() < 0.001, "CR {}", r.cr);
    assert!(!r.consistent);
}

/// Saaty (1990), table 3: the three houses compared on size
/// (priorities .754 .181 .065, λmax 3.136, CR .117).
#[test]
fn saaty_1990_house_size() {
    let a = m(&[
        &[1.0, 6.0, 8.0],
        &[1.0 / 6.0, 1.0, 4.0],
        &[1.0 / 8.0, 1.0 / 4.0, 1.0],
    ]);
    let r = ahp(&a).unwrap();
    for (w, v) in r.weights.iter().zip([0.754, 0.181, 0.065]) {
        assert!((w - v).abs() < 0.0015, "weights {:?}", r.weights);
    }
    assert!(
        (r.lambda_max - 3.136).abs() < 0.002,
        "λmax {}",
        r.lambda_max
    );
    assert!((r.cr - 0.117).abs() < 0.002, "CR {}", r.cr);
}

#[test]
fn consistent_matrix_has_zero_cr() {
    // built from weights 4 : 2 : 1, so a_ij = w_i / w_j exactly
    let a = m(&[&[1.0, 2.0, 4.0], &[0.5, 1.0, 2.0], &[0.25, 0.5, 1.0]]);
    let r = ahp(&a).unwrap();
    for (w, v) in r.weights.iter().zip([4.0 / 7.0, 2.0 / 7.0, 1.0 / 7.0]) {
        assert!((w - v).abs() < 1e-12);
    }
    assert!((r.lambda_max - 3.0).abs() < 1e-12);
    assert!(r.cr.abs() < 1e-12 && r.consistent);
    assert_eq!(r.ri, 0.58);
}

#[test]
fn rejects_non_reciprocal_and_non_positive() {
    assert!(ahp(&m(&[&[1.0, 3.0], &[3.0, 1.0]])).is_err());
    assert!(ahp(&m(&[&[1.0, -3.0], &[-1.0 / 3.0, 1.0]])).is_err());
    assert!(ahp(&m(&[&[1.0, 3.0, 1.0], &[1.0 / 3.0, 1.0]])).is_err());
    // typed 0.33 for 1/3 is accepted
    assert!(ahp(&m(&[&[1.0, 3.0], &[0.333, 1.0]])).is_ok());
}
