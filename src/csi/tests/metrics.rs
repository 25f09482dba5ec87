//! Everyday metrics and two-group tests against published values.

use crate::{
    CompareOptions, PlsOptions, compare_indices, csat, expectation_gap, mean_ci, nps, top_two_box,
    two_proportion_z, welch_t, wilson,
};

use super::fixtures::{ecsi, satisfaction};

fn close(got: f64, want: f64, tol: f64) {
    assert!((got - want).abs() <= tol, "got {got}, want {want}");
}

/// Newcombe (1998), "Two-sided confidence intervals for the single
/// proportion", Statistics in Medicine 17, table II, method 3 (Wilson score).
#[test]
fn wilson_matches_newcombe_1998() {
    for (x, n, lo, hi) in [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ] {
        let p = wilson(x, n, 0.95).unwrap();
        close(p.ci_low, lo, 5e-5);
        close(p.ci_high, hi, 5e-5);
    }
}

/// R: `t.test(extra ~ group, data = sleep)` (Student's sleep data):
/// t = −1.8608, df = 17.776, p = 0.07939, CI −3.3654832 … 0.2054832.
#[test]
fn welch_matches_r_sleep_data() {
    let g1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
    let g2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];
    let w = welch_t(&g1, &g2, 0.95).unwrap();
    close(w.t, -1.8608, 5e-5);
    close(w.df, 17.776, 5e-4);
    close(w.p_value, 0.07939, 5e-6);
    close(w.ci_low, -3.3654832, 1e-6);
    close(w.ci_high, 0.2054832, 1e-6);
}

/// R: `prop.test(c(45, 30), c(100, 100), correct = FALSE)`: X² = 4.8 (= z²), p = 0.02846.
#[test]
fn two_proportion_z_matches_chi_square() {
    let z = two_proportion_z(45, 100, 30, 100, 0.95).unwrap();
    close(z.z * z.z, 4.8, 1e-12);
    close(z.p_value, 0.028459, 1e-6);
    close(z.difference, 0.15, 1e-15);
    assert!(z.ci_low > 0.0 && z.ci_high < 0.3);
}

#[test]
fn mean_interval_uses_student_t() {
    let m = mean_ci(&[1.0, 2.0, f64::NAN, 3.0, 4.0, 5.0], 0.95).unwrap();
    assert_eq!(m.n, 5);
    close(m.mean, 3.0, 1e-15);
    close(m.sd, 2.5f64.sqrt(), 1e-15);
    // t(0.975, 4) = 2.776445
    close(m.ci_low, 3.0 - 2.776445 * 0.5f64.sqrt(), 1e-6);
    close(m.ci_high, 3.0 + 2.776445 * 0.5f64.sqrt(), 1e-6);
}

#[test]
fn nps_csat_and_top_two_box() {
    let x = [10.0, 9.0, 9.0, 8.0, 7.0, 6.0, 5.0, 10.0, 3.0, 9.0];
    let s = nps(&x, 0.95).unwrap();
    assert_eq!((s.promoters, s.passives, s.detractors), (5, 2, 3));
    close(s.nps, 20.0, 1e-12);
    close(s.se, 100.0 * (0.076f64).sqrt(), 1e-12);
    close(s.ci_high - s.nps, 1.959964 * s.se, 1e-4);
    assert!(nps(&[11.0], 0.95).is_err());
    let t2b = top_two_box(&[5.0, 4.0, 3.0, 5.0, f64::NAN], 5.0, 0.95).unwrap();
    assert_eq!((t2b.successes, t2b.n), (3, 4));
    let c = csat(&[5.0, 4.0, 3.0, 5.0], 5.0, 0.95).unwrap();
    close(c.rate, 75.0, 1e-12);
    close(c.ci_low, 100.0 * t2b.ci_low, 1e-12);
}

#[test]
fn expectation_gap_and_ratio() {
    let perceived = [8.0, 7.0, 9.0, f64::NAN, 6.0];
    let expected = [7.0, 7.0, 8.0, 9.0, 8.0];
    let g = expectation_gap(&perceived, &expected, 0.95).unwrap();
    assert_eq!(g.n, 4);
    close(g.perceived, 7.5, 1e-12);
    close(g.expected, 7.5, 1e-12);
    close(g.c, 1.0, 1e-12);
    close(g.gap, 0.0, 1e-12);
    assert!(g.gap_ci_low < 0.0 && g.gap_ci_high > 0.0);
}

#[test]
fn index_comparison_between_groups() {
    let data = satisfaction();
    let a = data.select_rows(&(0..125).collect::<Vec<_>>()).unwrap();
    let b = data.select_rows(&(125..250).collect::<Vec<_>>()).unwrap();
    let cmp = CompareOptions {
        permutations: 60,
        resamples: 60,
        seed: 5,
        level: 0.95,
    };
    let run = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| {
                compare_indices(&ecsi(), &a, &b, &PlsOptions::default(), &cmp, None).unwrap()
            })
    };
    let r = run(1);
    assert_eq!(r, run(2));
    assert_eq!((r.n_a, r.n_b, r.failed), (125, 125, 0));
    for d in &r.differences {
        close(d.difference, d.index_a - d.index_b, 1e-12);
        assert!(d.p_value > 0.0 && d.p_value <= 1.0);
        assert!(d.se > 0.0);
        assert!(d.ci_low < d.difference && d.difference < d.ci_high);
    }
    // the same group against itself: no difference, p = 1
    let same = compare_indices(&ecsi(), &a, &a, &PlsOptions::default(), &cmp, None).unwrap();
    for d in &same.differences {
        close(d.difference, 0.0, 1e-12);
        close(d.p_value, 1.0, 1e-12);
    }
}

/// Two samples of one population, the second with every item one point higher (5 index
/// points on a −10…10 scale, whatever the weights): the studentized test finds the shift and
/// its bootstrap-t interval is about ±1.96 standard errors around it.
#[test]
fn index_comparison_finds_a_planted_shift() {
    use crate::simulate::{ecsi_model, ecsi_population};
    let model = ecsi_model();
    let mut population = ecsi_population(&model);
    population.likert = None;
    let draw = |n, seed, shift: f64| {
        let d = population.draw(n, seed).unwrap();
        let columns = (0..d.ncols())
            .map(|j| d.column(j).iter().map(|v| v + shift).collect())
            .collect();
        crate::Data::from_columns(d.names().to_vec(), columns, vec![(-10.0, 10.0); d.ncols()])
            .unwrap()
    };
    let (a, b) = (draw(300, 11, 0.0), draw(200, 12, 1.0));
    let cmp = CompareOptions {
        permutations: 400,
        resamples: 400,
        seed: 3,
        level: 0.95,
    };
    let r = compare_indices(&model, &a, &b, &PlsOptions::default(), &cmp, None).unwrap();
    for d in &r.differences {
        assert!(d.p_value < 0.01, "{}: p = {}", d.construct, d.p_value);
        assert!(
            (d.difference + 5.0).abs() < 4.0 * d.se,
            "{}: {} ± {}",
            d.construct,
            d.difference,
            d.se
        );
        let half = (d.ci_high - d.ci_low) / 2.0;
        assert!(
            (half / (1.96 * d.se) - 1.0).abs() < 0.25,
            "{}: half-width {half} for SE {}",
            d.construct,
            d.se
        );
    }
}
