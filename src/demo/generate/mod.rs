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
//! the respondent's lifecycle stage and customer class (see [`profile::segment_shift`]):
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

mod answers;
mod brands;
mod latent;
mod profile;
#[cfg(test)]
mod tests;

pub(super) use brands::DemoBrand;

use crate::domain::{Lang, Model};
use crate::store::responses::Segments;
use latent::Structure;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Quarters the demo covers, the oldest first; the last is the current one.
pub(super) const QUARTERS: usize = 4;

/// Mean number of responses per brand and quarter (each varies by up to ±15).
const PER_CELL: i64 = 125;
const PER_CELL_SPREAD: i64 = 15;

/// Share of respondents who answer in Chinese (the rest answer in English).
const ZH_RATE: f64 = 0.7;

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
    let segments = profile::draw_segments(rng);
    let shift = brand.shift(quarter).plus(profile::segment_shift(&segments));
    let latents = structure.draw(rng, shift);
    let answers = answers::answer(model, &latents, rng);
    let comment = profile::comment(rng, &latents, lang);
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
