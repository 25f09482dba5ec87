//! Reproduces R plspm's results on the ECSI satisfaction data to 1e-6.

use super::fixtures::*;
use crate::{Mode, PlsOptions, PlsResult, Scheme, estimate};

const TOL: f64 = 1e-6;

fn close(what: &str, got: f64, want: f64, tol: f64) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, want {want} (diff {:e})",
        (got - want).abs()
    );
}

fn fit(scheme: Scheme) -> PlsResult {
    estimate(&ecsi(), &satisfaction(), &PlsOptions::plspm(scheme, false)).unwrap()
}

fn check_outer(res: &PlsResult, table: &str) {
    let t = Table::parse(table);
    for ind in &res.indicators {
        close(
            &format!("{} weight", ind.name),
            ind.weight,
            t.get(&ind.name, "weight"),
            TOL,
        );
        close(
            &format!("{} loading", ind.name),
            ind.loading,
            t.get(&ind.name, "loading"),
            TOL,
        );
        close(
            &format!("{} communality", ind.name),
            ind.communality,
            t.get(&ind.name, "communality"),
            TOL,
        );
        close(
            &format!("{} redundancy", ind.name),
            ind.redundancy,
            t.get(&ind.name, "redundancy"),
            TOL,
        );
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
            close(
                &format!("score {name} row {r}"),
                res.scores[k][r],
                row[c].parse().unwrap(),
                TOL,
            );
        }
    }
}

#[test]
fn crossloadings_centroid() {
    let res = fit(Scheme::Centroid);
    let t = Table::parse(CROSSLOADINGS);
    for (i, ind) in res.indicators.iter().enumerate() {
        for (k, name) in CONSTRUCTS.iter().enumerate() {
            close(
                &format!("{} x {name}", ind.name),
                res.cross_loadings[i][k],
                t.get(&ind.name, name),
                TOL,
            );
        }
    }
}

#[test]
fn inner_model_centroid() {
    let res = fit(Scheme::Centroid);
    let t = Table::parse(INNER_MODEL);
    for p in res.paths.iter().filter(|p| p.to == "SAT") {
        close(
            &format!("{} estimate", p.from),
            p.coefficient,
            t.get(&p.from, "Estimate"),
            TOL,
        );
        close(
            &format!("{} se", p.from),
            p.std_error,
            t.get(&p.from, "Std. Error"),
            TOL,
        );
        close(
            &format!("{} t", p.from),
            p.t_value,
            t.get(&p.from, "t value"),
            TOL,
        );
        close(
            &format!("{} p", p.from),
            p.p_value,
            t.get(&p.from, "Pr(>|t|)"),
            TOL,
        );
    }
}

#[test]
fn inner_summary_centroid() {
    let res = fit(Scheme::Centroid);
    let t = Table::parse(INNER_SUMMARY);
    for c in &res.constructs {
        close(
            &format!("{} R2", c.name),
            c.r_squared,
            t.get(&c.name, "r_squared"),
            TOL,
        );
        close(
            &format!("{} comm", c.name),
            c.block_communality,
            t.get(&c.name, "block_communality"),
            TOL,
        );
        close(
            &format!("{} red", c.name),
            c.mean_redundancy,
            t.get(&c.name, "mean_redundancy"),
            TOL,
        );
        close(
            &format!("{} ave", c.name),
            c.ave,
            t.get(&c.name, "ave"),
            TOL,
        );
    }
}

#[test]
fn effects_centroid() {
    let res = fit(Scheme::Centroid);
    let t = Table::parse(EFFECTS);
    assert_eq!(res.effects.len(), t.rows.len());
    for e in &res.effects {
        let key = format!("{} -> {}", e.from, e.to);
        close(
            &format!("{key} direct"),
            e.direct,
            t.get(&key, "direct"),
            TOL,
        );
        close(
            &format!("{key} indirect"),
            e.indirect,
            t.get(&key, "indirect"),
            TOL,
        );
        close(&format!("{key} total"), e.total, t.get(&key, "total"), TOL);
    }
}

#[test]
fn unidimensionality() {
    let res = fit(Scheme::Centroid);
    let t = Table::parse(UNIDIM);
    for q in &res.quality.constructs {
        close(
            &format!("{} alpha", q.construct),
            q.alpha,
            t.get(&q.construct, "cronbach_alpha"),
            TOL,
        );
        close(
            &format!("{} DG rho", q.construct),
            q.dg_rho,
            t.get(&q.construct, "dillon_goldstein_rho"),
            TOL,
        );
        close(
            &format!("{} eig1", q.construct),
            q.eigenvalues[0],
            t.get(&q.construct, "eig_1st"),
            TOL,
        );
        close(
            &format!("{} eig2", q.construct),
            q.eigenvalues[1],
            t.get(&q.construct, "eig_2nd"),
            TOL,
        );
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
    let res = estimate(
        &model,
        &satisfaction(),
        &PlsOptions::plspm(Scheme::Centroid, false),
    )
    .unwrap();
    let t = Table::parse(MODEB_SUMMARY);
    for c in &res.constructs {
        close(
            &format!("{} R2", c.name),
            c.r_squared,
            t.get(&c.name, "r_squared"),
            TOL,
        );
        close(
            &format!("{} comm", c.name),
            c.block_communality,
            t.get(&c.name, "block_communality"),
            TOL,
        );
        close(
            &format!("{} red", c.name),
            c.mean_redundancy,
            t.get(&c.name, "mean_Redundancy"),
            TOL,
        );
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
        let p = res
            .paths
            .iter()
            .find(|p| p.from == from && p.to == to)
            .unwrap();
        close(&format!("{from}->{to}"), p.coefficient, b, 5e-5);
    }
    let r2 = [
        ("EXPE", 0.3132),
        ("QUAL", 0.7150),
        ("VAL", 0.5807),
        ("SAT", 0.7023),
        ("LOY", 0.4936),
    ];
    for (name, v) in r2 {
        let c = res.constructs.iter().find(|c| c.name == name).unwrap();
        close(&format!("R2 {name}"), c.r_squared, v, 5e-5);
    }
}

/// Python seminr 0.2.1 (the port of R seminr), `estimate_pls` with its
/// defaults (path weighting, stop criterion 1e-7, 300 iterations), printed
/// to full precision: the same algorithm agrees to 1e-6.
#[test]
fn standardised_path_scheme_matches_seminr_to_1e6() {
    let res = estimate(&ecsi(), &satisfaction(), &PlsOptions::default()).unwrap();
    let want = [
        ("IMAG", "EXPE", 0.5596721127964641),
        ("IMAG", "SAT", 0.1855606088941919),
        ("IMAG", "LOY", 0.28916928064565506),
        ("EXPE", "QUAL", 0.8455650657192032),
        ("EXPE", "VAL", 0.11750876466426491),
        ("EXPE", "SAT", 0.008486716697246507),
        ("QUAL", "VAL", 0.660085834420045),
        ("QUAL", "SAT", 0.13760444719606899),
        ("VAL", "SAT", 0.5800320363288382),
        ("SAT", "LOY", 0.4737321249283726),
    ];
    for (from, to, b) in want {
        let p = res
            .paths
            .iter()
            .find(|p| p.from == from && p.to == to)
            .unwrap();
        close(&format!("{from}->{to}"), p.coefficient, b, TOL);
    }
}

/// Python seminr 0.2.1 `reliability_table`, `htmt` and `model_fsquares` for
/// the same default model (α, ρA, ρC, AVE; Henseler et al. 2015 HTMT; Cohen's f²).
#[test]
fn quality_matches_seminr_to_1e6() {
    let res = estimate(&ecsi(), &satisfaction(), &PlsOptions::default()).unwrap();
    let rel = [
        (
            "IMAG",
            0.830226690205339,
            0.855179716631585,
            0.880601965218599,
            0.599892103636771,
        ),
        (
            "EXPE",
            0.846584078925261,
            0.851319424514903,
            0.890717829025203,
            0.620209196542964,
        ),
        (
            "QUAL",
            0.871324954769643,
            0.874577740558124,
            0.906882067512451,
            0.661176974454755,
        ),
        (
            "VAL",
            0.835722840511797,
            0.847180635972052,
            0.889749955675777,
            0.669039793045788,
        ),
        (
            "SAT",
            0.894010912676558,
            0.905994574228147,
            0.926512781540111,
            0.759601363640966,
        ),
        (
            "LOY",
            0.819421641029961,
            0.868581094056854,
            0.879293099528729,
            0.648136769915276,
        ),
    ];
    for (name, alpha, rho_a, rho_c, ave) in rel {
        let q = res
            .quality
            .constructs
            .iter()
            .find(|q| q.construct == name)
            .unwrap();
        close(&format!("{name} alpha"), q.alpha, alpha, TOL);
        close(&format!("{name} rhoA"), q.rho_a, rho_a, TOL);
        close(&format!("{name} rhoC"), q.rho_c, rho_c, TOL);
        close(&format!("{name} AVE"), q.ave, ave, TOL);
    }
    let htmt = [
        ("IMAG", "EXPE", 0.643829315309858),
        ("IMAG", "QUAL", 0.701550014372283),
        ("IMAG", "VAL", 0.811650283512487),
        ("IMAG", "SAT", 0.758054388575123),
        ("IMAG", "LOY", 0.719052050593891),
        ("EXPE", "QUAL", 0.981902559620551),
        ("EXPE", "VAL", 0.787466125898464),
        ("EXPE", "SAT", 0.703047850873816),
        ("EXPE", "LOY", 0.551792027616512),
        ("QUAL", "VAL", 0.878356732963711),
        ("QUAL", "SAT", 0.785291911948587),
        ("QUAL", "LOY", 0.700170657795441),
        ("VAL", "SAT", 0.929317828587786),
        ("VAL", "LOY", 0.800298758707251),
        ("SAT", "LOY", 0.743248851663507),
    ];
    for (a, b, v) in htmt {
        let h = res
            .quality
            .htmt
            .iter()
            .find(|h| h.a == a && h.b == b)
            .unwrap();
        close(&format!("HTMT {a}-{b}"), h.value.unwrap(), v, TOL);
    }
    // seminr computes R²_excl by re-estimating the whole model without the
    // path; we use the same scores (SmartPLS, Hair et al. 2022). The two agree
    // where the target has a single predecessor.
    let f2 = [
        ("IMAG", "EXPE", 0.4560976521902128),
        ("EXPE", "QUAL", 2.50852916871729),
    ];
    for (from, to, v) in f2 {
        let p = res
            .paths
            .iter()
            .find(|p| p.from == from && p.to == to)
            .unwrap();
        close(&format!("f2 {from}->{to}"), p.f_squared, v, TOL);
    }
}
