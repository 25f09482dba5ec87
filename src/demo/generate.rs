//! The pure half of the demo: a known structural model turned into rows of answers.
//!
//! # The structural model
//!
//! Every respondent has six latent values. The structural core is standardised
//! (each ζ is normal with the variance that gives the construct unit variance
//! when all shifts below are zero):
//!
//! ```text
//! EXP = ζ₁                                         ζ₁ ~ N(0, 1)
//! QUA = 0.55·EXP + ζ₂                              var ζ₂ = 0.6975
//! VAL = 0.20·EXP + 0.60·QUA + ζ₃                   var ζ₃ = 0.468
//! SAT = 0.10·EXP + 0.45·QUA + 0.35·VAL + ζ₄        var ζ₄ = 0.35475
//! P(COM = 1) = 1 / (1 + exp(2.3 + 1.0·SAT))        (≈ 12 % complain; fewer when satisfied)
//! LOY = 0.60·SAT − 0.20·COM* + ζ₆                  var ζ₆ = 1 − var(0.6·SAT − 0.2·COM*)
//! ```
//!
//! where `COM*` is the complaint flag standardised with its population mean
//! and the variance of ζ₆ comes from integrating the logistic over SAT ~ N(0, 1).
//!
//! Each equation also gets an intercept (a mean shift in latent standard
//! deviations) from the brand and quarter (see [`DemoBrand::shift`]) and from
//! the respondent's lifecycle stage and customer class (see [`segment_shift`]):
//!
//! - **Morning Dew (ours)** improves steadily: QUA −0.10 + 0.10·t and SAT
//!   −0.25 + 0.15·t for quarters t = 0…3, about three index points of
//!   satisfaction per quarter;
//! - **North Pasture** is ahead on perceived value (VAL +0.45, EXP +0.10,
//!   QUA +0.05, LOY +0.05), flat over time;
//! - **FreshPlus** lags on quality (QUA −0.40, EXP −0.10, SAT −0.05) and is a
//!   little cheaper (VAL +0.10), flat over time.
//!
//! # The measurement model
//!
//! Indicator *i* (0-based, in questionnaire order) of a construct with latent
//! η has loading λ = 0.90 − 0.06·i (0.90, 0.84, 0.78); its standardised value
//! is `z = λ·η + √(1 − λ²)·ε`, ε ~ N(0, 1), and the answer is
//! `clamp(round(centre + 1.6·z), min, max)` with an item-specific centre
//! between 6.4 and 8.0 on the 1–10 scale, so 0–100 indices land around
//! 60–80. The yes/no complaint item is the complaint flag itself (1 = yes).
//! About 2.5 % of answers to items that offer "don't know" are `None`.

use crate::domain::{Lang, Model, ScaleKind};
use crate::store::responses::Segments;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Quarters the demo covers, the oldest first; the last is the current one.
pub(super) const QUARTERS: usize = 4;

/// Mean number of responses per brand and quarter (each varies by up to ±15).
const PER_CELL: i64 = 125;
const PER_CELL_SPREAD: i64 = 15;

/// Share of "don't know" answers on items that offer it.
const DONT_KNOW_RATE: f64 = 0.025;

/// Share of respondents who answer in Chinese (the rest answer in English).
const ZH_RATE: f64 = 0.7;

/// Share of respondents who leave a free-text comment.
const COMMENT_RATE: f64 = 0.06;

/// Scale points per standardised unit of an indicator.
const SPREAD: f64 = 1.6;

/// Intercept and slope of the complaint logit on SAT: P(COM) = 1 / (1 + e^(−(A + B·SAT))).
const COMPLAINT_A: f64 = -2.3;
const COMPLAINT_B: f64 = -1.0;

/// The three brands of the demo study; our own comes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DemoBrand {
    Ours,
    NorthPasture,
    FreshPlus,
}

impl DemoBrand {
    pub(super) const ALL: [DemoBrand; 3] = [
        DemoBrand::Ours,
        DemoBrand::NorthPasture,
        DemoBrand::FreshPlus,
    ];

    pub(super) fn code(self) -> &'static str {
        match self {
            DemoBrand::Ours => "ours",
            DemoBrand::NorthPasture => "north_pasture",
            DemoBrand::FreshPlus => "freshplus",
        }
    }

    /// The brand's name as (zh-CN, English).
    pub(super) fn name(self) -> (&'static str, &'static str) {
        match self {
            DemoBrand::Ours => ("晨露乳业", "Morning Dew Dairy"),
            DemoBrand::NorthPasture => ("北牧", "North Pasture"),
            DemoBrand::FreshPlus => ("优鲜", "FreshPlus"),
        }
    }

    pub(super) fn is_own(self) -> bool {
        self == DemoBrand::Ours
    }

    /// The brand's mean shifts in quarter `t` (0 = oldest of the four).
    fn shift(self, t: usize) -> Shift {
        let t = t as f64;
        match self {
            DemoBrand::Ours => Shift {
                qua: -0.10 + 0.10 * t,
                sat: -0.25 + 0.15 * t,
                ..Shift::default()
            },
            DemoBrand::NorthPasture => Shift {
                exp: 0.10,
                qua: 0.05,
                val: 0.45,
                loy: 0.05,
                ..Shift::default()
            },
            DemoBrand::FreshPlus => Shift {
                exp: -0.10,
                qua: -0.40,
                val: 0.10,
                sat: -0.05,
                ..Shift::default()
            },
        }
    }
}

/// Intercepts of the structural equations, in latent standard deviations.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Shift {
    exp: f64,
    qua: f64,
    val: f64,
    sat: f64,
    loy: f64,
}

impl Shift {
    fn plus(self, other: Shift) -> Shift {
        Shift {
            exp: self.exp + other.exp,
            qua: self.qua + other.qua,
            val: self.val + other.val,
            sat: self.sat + other.sat,
            loy: self.loy + other.loy,
        }
    }
}

/// One respondent's latent values; `complained` is the complaint flag.
#[derive(Debug, Clone, Copy)]
struct Latents {
    exp: f64,
    qua: f64,
    val: f64,
    sat: f64,
    com: f64,
    loy: f64,
    complained: bool,
}

impl Latents {
    fn of(&self, construct: &str) -> Option<f64> {
        match construct {
            "EXP" => Some(self.exp),
            "QUA" => Some(self.qua),
            "VAL" => Some(self.val),
            "SAT" => Some(self.sat),
            "COM" => Some(self.com),
            "LOY" => Some(self.loy),
            _ => None,
        }
    }
}

/// One generated respondent, ready to be turned into a stored response.
#[derive(Debug, Clone)]
pub(super) struct Row {
    pub brand: DemoBrand,
    /// 0 = the oldest of the [`QUARTERS`], the last = the current quarter
    pub quarter: usize,
    /// where in the quarter the response was completed, in [0, 1)
    pub moment: f64,
    pub lang: Lang,
    pub segments: Segments,
    pub comment: String,
    /// answers by indicator code, `None` = don't know
    pub answers: Vec<(String, Option<i32>)>,
}

/// The population constants of the complaint equation: P(COM = 1) and corr(SAT, COM).
struct ComplaintMoments {
    rate: f64,
    corr_with_sat: f64,
}

fn complaint_probability(sat: f64) -> f64 {
    1.0 / (1.0 + (-(COMPLAINT_A + COMPLAINT_B * sat)).exp())
}

/// Integrates the logistic complaint model over SAT ~ N(0, 1) (midpoint rule on ±8).
fn complaint_moments() -> ComplaintMoments {
    let step = 1e-3;
    let (mut rate, mut cross) = (0.0, 0.0);
    let mut s: f64 = -8.0 + step / 2.0;
    while s < 8.0 {
        let density = (-0.5_f64 * s * s).exp() / (2.0 * std::f64::consts::PI).sqrt();
        let p = complaint_probability(s);
        rate += p * density * step;
        cross += s * p * density * step;
        s += step;
    }
    ComplaintMoments {
        rate,
        corr_with_sat: cross / (rate * (1.0 - rate)).sqrt(),
    }
}

/// The structural model with its residual standard deviations.
struct Structure {
    complaints: ComplaintMoments,
    sd_qua: f64,
    sd_val: f64,
    sd_sat: f64,
    sd_loy: f64,
}

impl Structure {
    fn new() -> Structure {
        let complaints = complaint_moments();
        let explained_loy = 0.36 + 0.04 - 2.0 * 0.6 * 0.2 * complaints.corr_with_sat;
        Structure {
            sd_qua: (1.0_f64 - 0.55 * 0.55).sqrt(),
            sd_val: 0.468_f64.sqrt(),
            sd_sat: 0.35475_f64.sqrt(),
            sd_loy: (1.0 - explained_loy).sqrt(),
            complaints,
        }
    }

    /// Draws one respondent's latent values given the mean shifts.
    fn draw(&self, rng: &mut ChaCha8Rng, shift: Shift) -> Latents {
        let exp = shift.exp + normal(rng);
        let qua = shift.qua + 0.55 * exp + self.sd_qua * normal(rng);
        let val = shift.val + 0.20 * exp + 0.60 * qua + self.sd_val * normal(rng);
        let sat = shift.sat + 0.10 * exp + 0.45 * qua + 0.35 * val + self.sd_sat * normal(rng);
        let complained = rng.random_bool(complaint_probability(sat));
        let rate = self.complaints.rate;
        let com = (f64::from(u8::from(complained)) - rate) / (rate * (1.0 - rate)).sqrt();
        let loy = shift.loy + 0.60 * sat - 0.20 * com + self.sd_loy * normal(rng);
        Latents {
            exp,
            qua,
            val,
            sat,
            com,
            loy,
            complained,
        }
    }
}

/// A standard normal draw (Box–Muller).
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1 = 1.0 - rng.random::<f64>();
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

/// Picks one of `options` with the given weights (which sum to 1).
fn weighted(rng: &mut ChaCha8Rng, options: &[(&'static str, f64)]) -> &'static str {
    let mut u: f64 = rng.random();
    for (option, weight) in options {
        if u < *weight {
            return option;
        }
        u -= weight;
    }
    options.last().map_or("", |(option, _)| option)
}

/// Region names follow the Chinese CRM convention (华东 east, 华北 north, 华南 south, 西部 west).
const REGIONS: &[(&str, f64)] = &[
    ("华东", 0.35),
    ("华北", 0.25),
    ("华南", 0.25),
    ("西部", 0.15),
];
const CLASSES: &[(&str, f64)] = &[("A", 0.2), ("B", 0.45), ("C", 0.35)];
const CHANNELS: &[(&str, f64)] = &[("supermarket", 0.5), ("online", 0.3), ("convenience", 0.2)];
const STAGES: &[(&str, f64)] = &[("new", 0.2), ("existing", 0.7), ("lost", 0.1)];

fn draw_segments(rng: &mut ChaCha8Rng) -> Segments {
    Segments {
        region: Some(weighted(rng, REGIONS).to_owned()),
        customer_class: Some(weighted(rng, CLASSES).to_owned()),
        channel: Some(weighted(rng, CHANNELS).to_owned()),
        lifecycle_stage: Some(weighted(rng, STAGES).to_owned()),
    }
}

/// Segment effects: new customers expect a little more, lost ones are less
/// satisfied and much less loyal, class-A (key) customers are more loyal.
fn segment_shift(segments: &Segments) -> Shift {
    let stage = match segments.lifecycle_stage.as_deref() {
        Some("new") => Shift {
            exp: 0.15,
            ..Shift::default()
        },
        Some("lost") => Shift {
            sat: -0.40,
            loy: -0.50,
            ..Shift::default()
        },
        _ => Shift::default(),
    };
    let class = match segments.customer_class.as_deref() {
        Some("A") => Shift {
            loy: 0.20,
            ..Shift::default()
        },
        _ => Shift::default(),
    };
    stage.plus(class)
}

/// Where an item's answers centre on the 1–10 scale (before clamping).
fn centre(code: &str) -> f64 {
    match code {
        "EXP1" => 7.9,
        "EXP2" => 7.6,
        "EXP3" => 7.4,
        "QUA1" => 8.0,
        "QUA2" => 7.7,
        "QUA3" => 7.6,
        "VAL1" => 7.1,
        "VAL2" => 6.6,
        "SAT1" => 7.7,
        "SAT2" => 7.1,
        "SAT3" => 6.9,
        "LOY1" => 7.8,
        "LOY2" => 6.6,
        "LOY3" => 6.4,
        _ => 7.2,
    }
}

fn loading(position: usize) -> f64 {
    (0.90 - 0.06 * position as f64).max(0.75)
}

/// Answers every indicator of `model` whose construct the structural model knows.
fn answer(model: &Model, latents: &Latents, rng: &mut ChaCha8Rng) -> Vec<(String, Option<i32>)> {
    let mut answers = Vec::new();
    for construct in &model.constructs {
        let Some(eta) = latents.of(&construct.code) else {
            continue;
        };
        for (position, indicator) in construct.indicators.iter().enumerate() {
            let lambda = loading(position);
            let z = lambda * eta + (1.0 - lambda * lambda).sqrt() * normal(rng);
            let dont_know = indicator.dont_know && rng.random_bool(DONT_KNOW_RATE);
            let scale = &indicator.scale;
            let value = if scale.kind() == ScaleKind::YesNo {
                i32::from(latents.complained)
            } else {
                ((centre(&indicator.code) + SPREAD * z).round() as i32)
                    .clamp(scale.min(), scale.max())
            };
            answers.push((indicator.code.clone(), (!dont_know).then_some(value)));
        }
    }
    answers
}

const COMMENTS_HAPPY: &[(&str, &str)] = &[
    (
        "牛奶口感很好，会继续购买。",
        "Tastes great, I will keep buying it.",
    ),
    (
        "送货及时，包装完好。",
        "Delivered on time, packaging intact.",
    ),
    (
        "品质稳定，家里人都喜欢喝。",
        "Consistent quality; the whole family likes it.",
    ),
];
const COMMENTS_UNHAPPY: &[(&str, &str)] = &[
    (
        "价格偏贵，希望多些优惠。",
        "A bit expensive; I would like more promotions.",
    ),
    (
        "有一次买到的快过期了。",
        "Once I got a carton close to its expiry date.",
    ),
    (
        "口味一般，不如以前。",
        "The taste is not what it used to be.",
    ),
];

/// A short free-text comment from some respondents, in their language, matching their mood.
fn comment(rng: &mut ChaCha8Rng, latents: &Latents, lang: Lang) -> String {
    if !rng.random_bool(COMMENT_RATE) {
        return String::new();
    }
    let pool = if latents.sat >= 0.0 {
        COMMENTS_HAPPY
    } else {
        COMMENTS_UNHAPPY
    };
    let (zh, en) = pool[rng.random_range(0..pool.len())];
    match lang {
        Lang::ZhCn => zh.to_owned(),
        Lang::En => en.to_owned(),
    }
}

fn respondent(
    model: &Model,
    structure: &Structure,
    rng: &mut ChaCha8Rng,
    brand: DemoBrand,
    quarter: usize,
) -> Row {
    let moment: f64 = rng.random();
    let lang = if rng.random_bool(ZH_RATE) {
        Lang::ZhCn
    } else {
        Lang::En
    };
    let segments = draw_segments(rng);
    let shift = brand.shift(quarter).plus(segment_shift(&segments));
    let latents = structure.draw(rng, shift);
    let answers = answer(model, &latents, rng);
    let comment = comment(rng, &latents, lang);
    Row {
        brand,
        quarter,
        moment,
        lang,
        segments,
        comment,
        answers,
    }
}

/// Generates the demo respondents for every brand and quarter, ordered by
/// completion time; the same `model` and `seed` always give the same rows.
pub(super) fn generate(model: &Model, seed: u64) -> Vec<Row> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let structure = Structure::new();
    let mut rows = Vec::new();
    for quarter in 0..QUARTERS {
        for brand in DemoBrand::ALL {
            let n = PER_CELL + rng.random_range(-PER_CELL_SPREAD..=PER_CELL_SPREAD);
            for _ in 0..n {
                rows.push(respondent(model, &structure, &mut rng, brand, quarter));
            }
        }
    }
    rows.sort_by(|a, b| {
        (a.quarter, a.moment)
            .partial_cmp(&(b.quarter, b.moment))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    rows
}

#[cfg(test)]
mod tests {
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
}
