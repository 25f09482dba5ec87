//! Who a respondent is and what they add: segment attributes with their effects, and an occasional comment.

use super::latent::{Latents, Shift};
use crate::domain::Lang;
use crate::store::responses::Segments;
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

/// Share of respondents who leave a free-text comment.
const COMMENT_RATE: f64 = 0.06;

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
pub(super) const REGIONS: &[(&str, f64)] = &[
    ("华东", 0.35),
    ("华北", 0.25),
    ("华南", 0.25),
    ("西部", 0.15),
];
pub(super) const CLASSES: &[(&str, f64)] = &[("A", 0.2), ("B", 0.45), ("C", 0.35)];
pub(super) const CHANNELS: &[(&str, f64)] =
    &[("supermarket", 0.5), ("online", 0.3), ("convenience", 0.2)];
pub(super) const STAGES: &[(&str, f64)] = &[("new", 0.2), ("existing", 0.7), ("lost", 0.1)];

pub(super) fn draw_segments(rng: &mut ChaCha8Rng) -> Segments {
    Segments {
        region: Some(weighted(rng, REGIONS).to_owned()),
        customer_class: Some(weighted(rng, CLASSES).to_owned()),
        channel: Some(weighted(rng, CHANNELS).to_owned()),
        lifecycle_stage: Some(weighted(rng, STAGES).to_owned()),
    }
}

/// Segment effects: new customers expect a little more, lost ones are less
/// satisfied and much less loyal, class-A (key) customers are more loyal.
pub(super) fn segment_shift(segments: &Segments) -> Shift {
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
pub(super) fn comment(rng: &mut ChaCha8Rng, latents: &Latents, lang: Lang) -> String {
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
