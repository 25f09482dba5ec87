//! The 0–100 index, respondent scores, IPMA, expert weights and quality measures.

use super::fixtures::{ecsi, satisfaction};
use crate::{Missing, PlsOptions, ahp, estimate, expert_index, ipma};

#[test]
fn index_follows_the_acsi_formula() {
    let data = satisfaction();
    let res = estimate(&ecsi(), &data, &PlsOptions::default()).unwrap();
    for (k, c) in res.constructs.iter().enumerate() {
        let items: Vec<_> = res
            .indicators
            .iter()
            .filter(|i| i.construct == c.name)
            .collect();
        // unstandardised weight = standardised weight ÷ item SD (population form)
        let raw: Vec<f64> = items
            .iter()
            .map(|i| i.weight / (i.sd * ((res.n as f64 - 1.0) / res.n as f64).sqrt()))
            .collect();
        let sum: f64 = raw.iter().sum();
        let idx: f64 = 100.0
            * items
                .iter()
                .zip(&raw)
                .map(|(i, w)| w / sum * i.mean / 10.0)
                .sum::<f64>();
        assert!(
            (idx - c.index).abs() < 1e-9,
            "{}: {idx} vs {}",
            c.name,
            c.index
        );
        for (i, w) in items.iter().zip(&raw) {
            assert!((i.unstandardised_weight - w).abs() < 1e-12);
            assert!((i.index_weight - w / sum).abs() < 1e-12);
        }
        // the mean of the respondents' 0–100 scores is the index
        let scores = &res.index_scores[k];
        let mean = scores.iter().sum::<f64>() / scores.len() as f64;
        assert!((mean - c.index).abs() < 1e-9);
        assert!(scores.iter().all(|s| (0.0..=100.0).contains(s)));
        assert!(c.index > 50.0 && c.index < 90.0);
    }
    assert!(res.warnings.is_empty(), "{:?}", res.warnings);
}

#[test]
fn ipma_importance_is_the_unstandardised_total_effect() {
    let res = estimate(&ecsi(), &satisfaction(), &PlsOptions::default()).unwrap();
    let map = ipma(&res, "SAT").unwrap();
    assert_eq!(map.points.len(), 4);
    // IMAG → EXPE is the only path into EXPE: the OLS slope of the 0–100
    // scores of EXPE on those of IMAG is the unstandardised effect
    let single = ipma(&res, "EXPE").unwrap();
    let (x, y) = (&res.index_scores[0], &res.index_scores[1]);
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let sxx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
    assert!((single.points[0].importance - sxy / sxx).abs() < 1e-9);
    for p in &map.points {
        let c = res
            .constructs
            .iter()
            .find(|c| c.name == p.construct)
            .unwrap();
        assert_eq!(p.performance, c.index);
        assert_eq!(
            p.improve_first,
            p.importance > map.mean_importance && p.performance < map.mean_performance
        );
    }
    assert!(ipma(&res, "NOPE").is_err());
    assert!(ipma(&res, "IMAG").is_err());
}

#[test]
fn expert_and_ahp_weights_use_the_same_formula() {
    let data = satisfaction();
    let cols = [19, 20, 21, 22];
    let equal = expert_index(&data, &cols, &[1.0; 4], Missing::MeanReplacement).unwrap();
    let means: Vec<f64> = cols
        .iter()
        .map(|&c| data.column(c).iter().sum::<f64>() / 250.0)
        .collect();
    let want = 100.0 * means.iter().sum::<f64>() / 4.0 / 10.0;
    assert!((equal.index - want).abs() < 1e-12);
    assert_eq!(equal.scores.len(), 250);
    let a = ahp(&[
        vec![1.0, 2.0, 4.0, 4.0],
        vec![0.5, 1.0, 2.0, 2.0],
        vec![0.25, 0.5, 1.0, 1.0],
        vec![0.25, 0.5, 1.0, 1.0],
    ])
    .unwrap();
    let weighted = expert_index(&data, &cols, &a.weights, Missing::MeanReplacement).unwrap();
    let want: f64 = 100.0
        * a.weights
            .iter()
            .zip(&means)
            .map(|(w, m)| w * m / 10.0)
            .sum::<f64>();
    assert!((weighted.index - want).abs() < 1e-9);
    assert!(
        expert_index(
            &data,
            &cols,
            &[1.0, -1.0, 1.0, 1.0],
            Missing::MeanReplacement
        )
        .is_err()
    );
    assert!(expert_index(&data, &cols, &[0.0; 4], Missing::MeanReplacement).is_err());
}

#[test]
fn quality_measures_are_consistent() {
    let res = estimate(&ecsi(), &satisfaction(), &PlsOptions::default()).unwrap();
    let q = &res.quality;
    for (k, c) in q.constructs.iter().enumerate() {
        assert!(c.alpha > 0.8 && c.alpha < c.rho_c, "{c:?}");
        assert!(c.rho_a > 0.8 && c.rho_a < 1.0, "{c:?}");
        assert!(c.eigenvalues[0] > 1.0 && c.eigenvalues[1] < 1.0);
        let sum: f64 = c.eigenvalues.iter().sum();
        assert!((sum - c.items as f64).abs() < 1e-9);
        assert!((q.fornell_larcker[k][k] - c.ave.sqrt()).abs() < 1e-12);
        assert!((res.constructs[k].ave - c.ave).abs() < 1e-12);
    }
    assert_eq!(q.htmt.len(), 15);
    assert!(
        q.htmt
            .iter()
            .all(|h| h.value.is_some_and(|v| v > 0.0 && v < 1.1))
    );
    for p in &res.paths {
        assert!(p.vif >= 1.0 && p.f_squared >= 0.0, "{p:?}");
        let c = res.constructs.iter().find(|c| c.name == p.to).unwrap();
        assert!(c.r_squared_adj < c.r_squared);
    }
    // single predecessor: f² = R²/(1 − R²)
    let expe = &res.paths[0];
    let r2 = res.constructs[1].r_squared;
    assert!((expe.f_squared - r2 / (1.0 - r2)).abs() < 1e-12 && (expe.vif - 1.0).abs() < 1e-12);
    assert!(res.indicators.iter().all(|i| i.vif >= 1.0));
}
