//! Reproduces R plspm's results on the ECSI satisfaction data to 1e-6.

use super::fixtures::*;
use crate::csi::{Mode, PlsOptions, PlsResult, Scheme, estimate};

const TOL: f64 = 1e-6;

fn close(what: &str, got: f64, want: f64, tol: f64) {
    assert!((got - want).abs() <= tol, "{what}: got {got}, want {want} (diff {:e})", (got - want).abs());
}

fn fit(scheme: Scheme) -> PlsResult {
    estimate(&ecsi(), &satisfaction(), &PlsOptions::plspm(scheme, false)).unwrap()
}

fn check_outer(res: &PlsResult, table: &str) {
    let t = Table::parse(table);
    for ind in &res.indicators {
        close(&format!("{} weight", ind.name), ind.weight, t.get(&ind.name, "weight"), TOL);
        close(&format!("{} loading", ind.name), ind.loading, t.get(&ind.name, "loading"), TOL);
        close(&format!("{} communality", ind.name), ind.communality, t.get(&ind.name, "communality"), TOL);
        close(&format!("{} redundancy", ind.name), ind.redundancy, t.get(&ind.name, "redundancy"), TOL);
    }
}

#[test]
fn outer_model_centroid() {
    check_outer(&fit(Scheme::Centroid), OUTER_CENTROID);
}

#[test]
fn outer_model_path() {
    check_outer(&fit(Scheme::Path), OUTER_PATH);
}

#[test]
fn outer_model_factorial() {
    check_outer(&fit(Scheme::Factorial), OUTER_FACTORIAL);
}

#[test]
fn scores_centroid() {
    let res = fit(Scheme::Centroid);
    let t = Table::parse(SCORES);
    assert_eq!(t.rows.len(), res.n);
    for (k, name) in CONSTRUCTS.iter().enumerate() {
        let c = t.col(name);
        for (r, row) in t.rows.iter().enumerate() {
            close(&format!("score {name} row {r}"), res.scores[k][r], row[c].parse().unwrap(), TOL);
        }
    }
}

#[test]
fn crossloadings_centroid() {
    let res = fit(Scheme::Centroid);
    let t = Table::parse(CROSSLOADINGS);
    for (i, ind) in res.indicators.iter().enumerate() {
        for (k, name) in CONSTRUCTS.iter().enumerate() {
            close(&format!("{} x {name}", ind.name), res.cross_loadings[i][k], t.get(&ind.name, name), TOL);
        }
    }
}

#[test]
fn inner_model_centroid() {
    let res = fit(Scheme::Centroid);
    let t = Table::parse(INNER_MODEL);
    for p in res.paths.iter().filter(|p| p.to == "SAT") {
        close(&format!("{} estimate", p.from), p.coefficient, t.get(&p.from, "Estimate"), TOL);
        close(&format!("{} se", p.from), p.std_error, t.get(&p.from, "Std. Error"), TOL);
        close(&format!("{} t", p.from), p.t_value, t.get(&p.from, "t value"), TOL);
        close(&format!("{} p", p.from), p.p_value, t.get(&p.from, "Pr(>|t|)"), TOL);
    }
}

#[test]
fn inner_summary_centroid() {
    let res = fit(Scheme::Centroid);
    let t = Table::parse(INNER_SUMMARY);
    for c in &res.constructs {
        close(&format!("{} R2", c.name), c.r_squared, t.get(&c.name, "r_squared"), TOL);
        close(&format!("{} comm", c.name), c.block_communality, t.get(&c.name, "block_communality"), TOL);
        close(&format!("{} red", c.name), c.mean_redundancy, t.get(&c.name, "mean_redundancy"), TOL);
        close(&format!("{} ave", c.name), c.ave, t.get(&c.name, "ave"), TOL);
    }
}

#[test]
fn effects_centroid() {
    let res = fit(Scheme::Centroid);
    let t = Table::parse(EFFECTS);
    assert_eq!(res.effects.len(), t.rows.len());
    for e in &res.effects {
        let key = format!("{} -> {}", e.from, e.to);
        close(&format!("{key} direct"), e.direct, t.get(&key, "direct"), TOL);
        close(&format!("{key} indirect"), e.indirect, t.get(&key, "indirect"), TOL);
        close(&format!("{key} total"), e.total, t.get(&key, "total"), TOL);
    }
}

#[test]
fn unidimensionality() {
    let res = fit(Scheme::Centroid);
    let t = Table::parse(UNIDIM);
    for q in &res.quality.constructs {
        close(&format!("{} alpha", q.construct), q.alpha, t.get(&q.construct, "cronbach_alpha"), TOL);
        close(&format!("{} DG rho", q.construct), q.dg_rho, t.get(&q.construct, "dillon_goldstein_rho"), TOL);
        close(&format!("{} eig1", q.construct), q.eigenvalues[0], t.get(&q.construct, "eig_1st"), TOL);
        close(&format!("{} eig2", q.construct), q.eigenvalues[1], t.get(&q.construct, "eig_2nd"), TOL);
    }
}

#[test]
fn goodness_of_fit() {
    close("GoF", fit(Scheme::Centroid).gof, 0.609741624338411, TOL);
}

#[test]
fn mode_b_inner_summary() {
    let mut model = ecsi();
    for b in &mut model.blocks {
        b.mode = Mode::B;
    }
    let res = estimate(&model, &satisfaction(), &PlsOptions::plspm(Scheme::Centroid, false)).unwrap();
    let t = Table::parse(MODEB_SUMMARY);
    for c in &res.constructs {
        close(&format!("{} R2", c.name), c.r_squared, t.get(&c.name, "r_squared"), TOL);
        close(&format!("{} comm", c.name), c.block_communality, t.get(&c.name, "block_communality"), TOL);
        close(&format!("{} red", c.name), c.mean_redundancy, t.get(&c.name, "mean_Redundancy"), TOL);
    }
}

#[test]
fn standardised_path_scheme_matches_readme() {
    let res = estimate(&ecsi(), &satisfaction(), &PlsOptions::default()).unwrap();
    let want = [
        ("IMAG", "EXPE", 0.5597),
        ("EXPE", "QUAL", 0.8456),
        ("EXPE", "VAL", 0.1175),
        ("QUAL", "VAL", 0.6601),
        ("IMAG", "SAT", 0.1856),
        ("EXPE", "SAT", 0.0085),
        ("QUAL", "SAT", 0.1376),
        ("VAL", "SAT", 0.5800),
        ("IMAG", "LOY", 0.2892),
        ("SAT", "LOY", 0.4737),
    ];
    for (from, to, b) in want {
        let p = res.paths.iter().find(|p| p.from == from && p.to == to).unwrap();
        close(&format!("{from}->{to}"), p.coefficient, b, 5e-5);
    }
    let r2 = [("EXPE", 0.3132), ("QUAL", 0.7150), ("VAL", 0.5807), ("SAT", 0.7023), ("LOY", 0.4936)];
    for (name, v) in r2 {
        let c = res.constructs.iter().find(|c| c.name == name).unwrap();
        close(&format!("R2 {name}"), c.r_squared, v, 5e-5);
    }
}
