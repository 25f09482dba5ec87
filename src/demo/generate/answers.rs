//! The measurement model: a respondent's latent values turned into answers on each item's scale.

use super::latent::{Latents, normal};
use crate::domain::{Model, ScaleKind};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

/// Share of "don't know" answers on items that offer it.
const DONT_KNOW_RATE: f64 = 0.025;

/// Scale points per standardised unit of an indicator.
const SPREAD: f64 = 1.6;

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
pub(super) fn answer(
    model: &Model,
    latents: &Latents,
    rng: &mut ChaCha8Rng,
) -> Vec<(String, Option<i32>)> {
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
