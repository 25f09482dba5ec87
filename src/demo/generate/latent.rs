//! The structural model: a respondent's latent values (EXP, QUA, VAL, SAT, COM, LOY) drawn with their mean shifts.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

/// Intercept and slope of the complaint logit on SAT: P(COM) = 1 / (1 + e^(−(A + B·SAT))).
const COMPLAINT_A: f64 = -2.3;
const COMPLAINT_B: f64 = -1.0;

/// Intercepts of the structural equations, in latent standard deviations.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct Shift {
    pub(super) exp: f64,
    pub(super) qua: f64,
    pub(super) val: f64,
    pub(super) sat: f64,
    pub(super) loy: f64,
}

impl Shift {
    pub(super) fn plus(self, other: Shift) -> Shift {
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
pub(super) struct Latents {
    pub(super) exp: f64,
    pub(super) qua: f64,
    pub(super) val: f64,
    pub(super) sat: f64,
    pub(super) com: f64,
    pub(super) loy: f64,
    pub(super) complained: bool,
}

impl Latents {
    pub(super) fn of(&self, construct: &str) -> Option<f64> {
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
pub(super) struct Structure {
    complaints: ComplaintMoments,
    sd_qua: f64,
    sd_val: f64,
    sd_sat: f64,
    sd_loy: f64,
}

impl Structure {
    pub(super) fn new() -> Structure {
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
    pub(super) fn draw(&self, rng: &mut ChaCha8Rng, shift: Shift) -> Latents {
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
pub(super) fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1 = 1.0 - rng.random::<f64>();
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}
