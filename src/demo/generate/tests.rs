//! Properties of the generated demo data: reproducible, realistic, and showing the structural model.

use super::latent::{Latents, Shift, Structure};
use super::profile::{CHANNELS, CLASSES, REGIONS, STAGES};
use super::*;

const SEED: u64 = super::super::SEED;

fn model() -> Model {
    super::super::acsi_model().expect("the embedded ACSI template parses")
}

fn rows() -> Vec<Row> {
    generate(&model(), SEED)
}

/// Mean 0–100 score of a construct's answered 1–10 items over the matching rows.
fn index(rows: &[Row], prefix: &str, keep: impl Fn(&Row) -> bool) -> f64 {
    let values: Vec<f64> = rows
        .iter()
        .filter(|r| keep(r))
        .flat_map(|r| r.answers.iter())
        .filter(|(code, _)| code.starts_with(prefix))
        .filter_map(|(_, v)| v.map(f64::from))
        .collect();
    100.0 * (values.iter().sum::<f64>() / values.len() as f64 - 1.0) / 9.0
}

#[test]
fn the_same_seed_gives_the_same_rows() {
    let (a, b) = (rows(), rows());
    assert_eq!(a.len(), b.len());
    assert!(
        a.iter()
            .zip(&b)
            .all(|(x, y)| x.answers == y.answers && x.moment == y.moment)
    );
}

#[test]
fn about_fifteen_hundred_complete_rows_over_three_brands_and_four_quarters() {
    let rows = rows();
    assert!((1_400..=1_600).contains(&rows.len()), "{} rows", rows.len());
    for quarter in 0..QUARTERS {
        for brand in DemoBrand::ALL {
            let n = rows
                .iter()
                .filter(|r| r.brand == brand && r.quarter == quarter)
                .count();
            assert!(
                (110..=140).contains(&n),
                "{brand:?} in quarter {quarter}: {n}"
            );
        }
    }
    let model = model();
    assert!(
        rows.iter()
            .all(|r| r.answers.len() == model.indicators().count())
    );
    assert!(rows.iter().all(|r| (0.0..1.0).contains(&r.moment)));
    assert!(
        rows.windows(2)
            .all(|w| (w[0].quarter, w[0].moment) <= (w[1].quarter, w[1].moment))
    );
}

#[test]
fn answers_stay_on_their_scales_and_dont_know_is_rare() {
    let model = model();
    let rows = rows();
    let mut offered = 0;
    let mut missing = 0;
    for row in &rows {
        for (code, value) in &row.answers {
            let indicator = model.indicator(code).expect("a model indicator");
            match value {
                Some(v) => assert!(indicator.scale.contains(*v), "{code} = {v}"),
                None => assert!(indicator.dont_know, "{code} does not offer don't know"),
            }
            if indicator.dont_know {
                offered += 1;
                missing += usize::from(value.is_none());
            }
        }
    }
    let rate = missing as f64 / offered as f64;
    assert!((0.015..=0.035).contains(&rate), "don't-know rate {rate}");
}

#[test]
fn segments_and_languages_are_mixed() {
    let rows = rows();
    let zh = rows.iter().filter(|r| r.lang == Lang::ZhCn).count() as f64 / rows.len() as f64;
    assert!((0.6..0.8).contains(&zh), "zh share {zh}");
    type Field = fn(&Segments) -> Option<String>;
    let fields: [(&[(&str, f64)], Field); 4] = [
        (REGIONS, |s| s.region.clone()),
        (CLASSES, |s| s.customer_class.clone()),
        (CHANNELS, |s| s.channel.clone()),
        (STAGES, |s| s.lifecycle_stage.clone()),
    ];
    for (options, field) in fields {
        for (option, _) in options {
            assert!(
                rows.iter()
                    .any(|r| field(&r.segments).as_deref() == Some(*option)),
                "{option}"
            );
        }
    }
    let complaints = rows
        .iter()
        .filter(|r| r.answers.iter().any(|(c, v)| c == "COM1" && *v == Some(1)))
        .count() as f64
        / rows.len() as f64;
    assert!(
        (0.08..0.2).contains(&complaints),
        "complaint rate {complaints}"
    );
}

#[test]
fn our_satisfaction_rises_every_quarter_by_a_few_points() {
    let rows = rows();
    let ours: Vec<f64> = (0..QUARTERS)
        .map(|q| {
            index(&rows, "SAT", |r| {
                r.brand == DemoBrand::Ours && r.quarter == q
            })
        })
        .collect();
    for pair in ours.windows(2) {
        let rise = pair[1] - pair[0];
        assert!((0.5..6.0).contains(&rise), "SAT by quarter {ours:?}");
    }
}

#[test]
fn north_pasture_leads_on_value_and_freshplus_lags_on_quality() {
    let rows = rows();
    let of = |prefix: &str, brand: DemoBrand| index(&rows, prefix, |r| r.brand == brand);
    assert!(of("VAL", DemoBrand::NorthPasture) > of("VAL", DemoBrand::Ours) + 3.0);
    assert!(of("VAL", DemoBrand::NorthPasture) > of("VAL", DemoBrand::FreshPlus) + 3.0);
    assert!(of("QUA", DemoBrand::FreshPlus) < of("QUA", DemoBrand::Ours) - 3.0);
    assert!(of("QUA", DemoBrand::FreshPlus) < of("QUA", DemoBrand::NorthPasture) - 3.0);
}

#[test]
fn indices_look_like_real_acsi_data() {
    let rows = rows();
    for prefix in ["EXP", "QUA", "VAL", "SAT", "LOY"] {
        for brand in DemoBrand::ALL {
            for quarter in 0..QUARTERS {
                let i = index(&rows, prefix, |r| r.brand == brand && r.quarter == quarter);
                assert!(
                    (55.0..88.0).contains(&i),
                    "{prefix} {brand:?} quarter {quarter}: {i:.1}"
                );
            }
        }
    }
}

#[test]
fn residual_variances_give_unit_latent_variance() {
    let structure = Structure::new();
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let draws: Vec<Latents> = (0..40_000)
        .map(|_| structure.draw(&mut rng, Shift::default()))
        .collect();
    let variance = |f: fn(&Latents) -> f64| {
        let mean = draws.iter().map(f).sum::<f64>() / draws.len() as f64;
        draws.iter().map(|l| (f(l) - mean).powi(2)).sum::<f64>() / draws.len() as f64
    };
    for (name, v) in [
        ("EXP", variance(|l| l.exp)),
        ("QUA", variance(|l| l.qua)),
        ("VAL", variance(|l| l.val)),
        ("SAT", variance(|l| l.sat)),
        ("COM", variance(|l| l.com)),
        ("LOY", variance(|l| l.loy)),
    ] {
        assert!((v - 1.0).abs() < 0.04, "var {name} = {v}");
    }
}

/// Mean of the answered items of a construct per row, standardised over the rows.
fn composite(rows: &[Row], prefix: &str) -> Vec<f64> {
    let raw: Vec<f64> = rows
        .iter()
        .map(|r| {
            let values: Vec<f64> = r
                .answers
                .iter()
                .filter(|(code, _)| code.starts_with(prefix))
                .filter_map(|(_, v)| v.map(f64::from))
                .collect();
            values.iter().sum::<f64>() / values.len().max(1) as f64
        })
        .collect();
    let n = raw.len() as f64;
    let mean = raw.iter().sum::<f64>() / n;
    let sd = (raw.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt();
    raw.iter().map(|x| (x - mean) / sd).collect()
}

/// Standardised OLS coefficients of `y` on `xs` (normal equations, Gauss–Jordan).
fn ols(xs: &[Vec<f64>], y: &[f64]) -> Vec<f64> {
    let k = xs.len();
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(p, q)| p * q).sum::<f64>();
    let mut m: Vec<Vec<f64>> = (0..k)
        .map(|i| {
            let mut row: Vec<f64> = (0..k).map(|j| dot(&xs[i], &xs[j])).collect();
            row.push(dot(&xs[i], y));
            row
        })
        .collect();
    for col in 0..k {
        let pivot = m[col][col];
        m[col].iter_mut().for_each(|v| *v /= pivot);
        for row in 0..k {
            if row != col {
                let factor = m[row][col];
                let source = m[col].clone();
                m[row]
                    .iter_mut()
                    .zip(&source)
                    .for_each(|(v, s)| *v -= factor * s);
            }
        }
    }
    m.iter().map(|row| row[k]).collect()
}

/// Regressions on the item composites of the pooled data recover the shape of the structural model.
#[test]
fn the_structural_model_shows_through_the_answers() {
    let rows = rows();
    let [exp, qua, val, sat, com, loy] =
        ["EXP", "QUA", "VAL", "SAT", "COM", "LOY"].map(|c| composite(&rows, c));
    let quality = ols(std::slice::from_ref(&exp), &qua);
    assert!(quality[0] > 0.35, "EXP→QUA {quality:?}");
    let value = ols(&[exp.clone(), qua.clone()], &val);
    assert!(
        value[1] > value[0] && value[0] > 0.0,
        "EXP, QUA→VAL {value:?}"
    );
    let satisfaction = ols(&[exp, qua, val], &sat);
    assert!(
        satisfaction[1] > satisfaction[0],
        "EXP, QUA, VAL→SAT {satisfaction:?}"
    );
    assert!(satisfaction[2] > 0.15, "EXP, QUA, VAL→SAT {satisfaction:?}");
    let complaints = ols(std::slice::from_ref(&sat), &com);
    assert!(complaints[0] < -0.1, "SAT→COM {complaints:?}");
    let loyalty = ols(&[sat, com], &loy);
    assert!(
        loyalty[0] > 0.4 && loyalty[1] < 0.0,
        "SAT, COM→LOY {loyalty:?}"
    );
}
