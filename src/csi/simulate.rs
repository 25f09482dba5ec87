//! Synthetic survey data drawn from a known structural model (for tests, demos and benchmarks).

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::data::Data;
use super::error::{CsiError, Result};
use super::model::PlsModel;

/// A population: a recursive structural model with standardised path
/// coefficients and a reflective measurement model with given loadings.
#[derive(Debug, Clone)]
pub struct Simulation<'a> {
    /// the model (its blocks' `columns` index `names` and `loadings`)
    pub model: &'a PlsModel,
    /// indicator names (one per data column)
    pub names: Vec<String>,
    /// standardised coefficient of every path of `model.paths`
    pub coefficients: Vec<f64>,
    /// loading of every data column (|λ| < 1)
    pub loadings: Vec<f64>,
    /// map the items to this Likert scale (rounded and clamped:
    /// min + (max − min)(0.65 + 0.16 x)); `None` keeps them continuous
    pub likert: Option<(f64, f64)>,
}

impl Simulation<'_> {
    /// Latent covariance matrix Φ implied by the structural equations
    /// ηₖ = Σⱼ βₖⱼηⱼ + ζₖ with var(ηₖ) = 1 (exogenous constructs uncorrelated).
    pub fn latent_covariance(&self) -> Result<Vec<Vec<f64>>> {
        let l = self.model.blocks.len();
        if self.coefficients.len() != self.model.paths.len() {
            return Err(CsiError::Invalid(
                "one coefficient per path is needed".into(),
            ));
        }
        let layout = self.model.layout(self.names.len())?;
        let order = topological(&layout.preds);
        let mut phi = vec![vec![0.0; l]; l];
        let mut done = vec![false; l];
        for &k in &order {
            let preds: Vec<(usize, f64)> = self
                .model
                .paths
                .iter()
                .zip(&self.coefficients)
                .filter(|((_, to), _)| *to == k)
                .map(|((from, _), b)| (*from, *b))
                .collect();
            for m in 0..l {
                if done[m] {
                    let c: f64 = preds.iter().map(|&(j, b)| b * phi[j][m]).sum();
                    phi[k][m] = c;
                    phi[m][k] = c;
                }
            }
            let explained: f64 = preds
                .iter()
                .flat_map(|&(i, bi)| preds.iter().map(move |&(j, bj)| (i, j, bi * bj)))
                .map(|(i, j, b)| b * phi[i][j])
                .sum();
            if explained >= 1.0 {
                return Err(CsiError::Construct {
                    construct: self.model.blocks[k].name.clone(),
                    reason: format!("its predecessors explain {explained:.3} ≥ 1 of its variance"),
                });
            }
            phi[k][k] = 1.0;
            done[k] = true;
        }
        Ok(phi)
    }

    /// Draws `n` respondents; the same `seed` gives the same data.
    pub fn draw(&self, n: usize, seed: u64) -> Result<Data> {
        let phi = self.latent_covariance()?;
        let l = phi.len();
        let layout = self.model.layout(self.names.len())?;
        let order = topological(&layout.preds);
        if self.loadings.len() != self.names.len()
            || self.loadings.iter().any(|x| x.is_nan() || x.abs() >= 1.0)
        {
            return Err(CsiError::Invalid(
                "one loading in (−1, 1) per column is needed".into(),
            ));
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut normal = move || {
            // Box–Muller
            let u1: f64 = 1.0 - rng.random::<f64>();
            let u2: f64 = rng.random::<f64>();
            (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
        };
        let p = self.names.len();
        let mut columns = vec![Vec::with_capacity(n); p];
        let mut eta = vec![0.0; l];
        for _ in 0..n {
            for &k in &order {
                let mut sys = 0.0;
                for ((from, to), b) in self.model.paths.iter().zip(&self.coefficients) {
                    if *to == k {
                        sys += b * eta[*from];
                    }
                }
                let explained: f64 = self
                    .model
                    .paths
                    .iter()
                    .zip(&self.coefficients)
                    .filter(|((_, t), _)| *t == k)
                    .map(|((f, _), b)| b * phi[*f][k])
                    .sum();
                eta[k] = sys + (1.0 - explained).max(0.0).sqrt() * normal();
            }
            for (k, block) in self.model.blocks.iter().enumerate() {
                for &c in &block.columns {
                    let lam = self.loadings[c];
                    let x = lam * eta[k] + (1.0 - lam * lam).sqrt() * normal();
                    columns[c].push(match self.likert {
                        Some((lo, hi)) => {
                            (lo + (hi - lo) * (0.65 + 0.16 * x)).round().clamp(lo, hi)
                        }
                        None => x,
                    });
                }
            }
        }
        let scales = match self.likert {
            Some(s) => vec![s; p],
            None => {
                let m = columns
                    .iter()
                    .flatten()
                    .fold(1.0_f64, |a, v| a.max(v.abs()))
                    .ceil();
                vec![(-m, m); p]
            }
        };
        Data::from_columns(self.names.clone(), columns, scales)
    }
}

fn topological(preds: &[Vec<usize>]) -> Vec<usize> {
    let l = preds.len();
    let mut placed = vec![false; l];
    let mut order = Vec::with_capacity(l);
    while order.len() < l {
        let before = order.len();
        for k in 0..l {
            if !placed[k] && preds[k].iter().all(|&j| placed[j]) {
                placed[k] = true;
                order.push(k);
            }
        }
        if order.len() == before {
            break;
        }
    }
    order
}

/// The ECSI model of the satisfaction data (IMAG, EXPE, QUAL, VAL, SAT,
/// LOY with 5, 5, 5, 4, 4, 4 items) and a population resembling it
/// (its standardised path coefficients, loadings 0.7–0.9), on a 0–10 scale.
pub fn ecsi_population(model: &PlsModel) -> Simulation<'_> {
    let names = [
        "imag1", "imag2", "imag3", "imag4", "imag5", "expe1", "expe2", "expe3", "expe4", "expe5",
        "qual1", "qual2", "qual3", "qual4", "qual5", "val1", "val2", "val3", "val4", "sat1",
        "sat2", "sat3", "sat4", "loy1", "loy2", "loy3", "loy4",
    ];
    Simulation {
        model,
        names: names.iter().map(|s| s.to_string()).collect(),
        coefficients: vec![0.56, 0.19, 0.29, 0.85, 0.12, 0.01, 0.66, 0.14, 0.58, 0.47],
        loadings: (0..27)
            .map(|i| [0.75, 0.85, 0.8, 0.7, 0.9][i % 5])
            .collect(),
        likert: Some((0.0, 10.0)),
    }
}

/// The ECSI model on data columns 0–26 in the order of [`ecsi_population`].
pub fn ecsi_model() -> PlsModel {
    use super::model::Block;
    let sizes = [
        ("IMAG", 5),
        ("EXPE", 5),
        ("QUAL", 5),
        ("VAL", 4),
        ("SAT", 4),
        ("LOY", 4),
    ];
    let mut start = 0;
    let blocks = sizes
        .iter()
        .map(|&(name, s)| {
            let b = Block::reflective(name, (start..start + s).collect());
            start += s;
            b
        })
        .collect();
    PlsModel {
        blocks,
        paths: vec![
            (0, 1),
            (0, 4),
            (0, 5),
            (1, 2),
            (1, 3),
            (1, 4),
            (2, 3),
            (2, 4),
            (3, 4),
            (4, 5),
        ],
    }
}
