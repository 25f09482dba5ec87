//! Direct, indirect and total effects of a recursive inner model.

use faer::{Mat, MatRef};
use serde::Serialize;

/// The effect of one construct on another.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Effect {
    /// cause
    pub from: String,
    /// effect
    pub to: String,
    /// path coefficient (0 without a direct path)
    pub direct: f64,
    /// sum over all paths of length ≥ 2 of the products of their coefficients
    pub indirect: f64,
    /// direct + indirect
    pub total: f64,
}

/// Total effects T = Σₘ₌₁ᴸ Bᵐ of a recursive path-coefficient matrix
/// `beta[(to, from)]` (Alwin & Hauser 1975; Bollen 1987). B is nilpotent
/// for an acyclic model, so the series is finite and exact; it equals
/// (I − B)⁻¹ − I without forming an inverse.
pub(crate) fn total_effects(beta: MatRef<'_, f64>) -> Mat<f64> {
    let l = beta.nrows();
    let mut total = beta.to_owned();
    let mut power = beta.to_owned();
    for _ in 1..l {
        power = &power * beta;
        if (0..l).all(|i| (0..l).all(|j| power[(i, j)] == 0.0)) {
            break;
        }
        for i in 0..l {
            for j in 0..l {
                total[(i, j)] += power[(i, j)];
            }
        }
    }
    total
}

/// Reachability `reach[to][from]` of the inner model's paths (transitive closure).
pub(crate) fn reachability(l: usize, paths: &[(usize, usize)]) -> Vec<Vec<bool>> {
    let mut reach = vec![vec![false; l]; l];
    for &(from, to) in paths {
        reach[to][from] = true;
    }
    for k in 0..l {
        for i in 0..l {
            for j in 0..l {
                if reach[i][k] && reach[k][j] {
                    reach[i][j] = true;
                }
            }
        }
    }
    reach
}

/// Every ordered pair (from, to) in which `to` is reachable from `from`,
/// in construct order of `from`, then of `to`.
pub(crate) fn effect_pairs(l: usize, paths: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let reach = reachability(l, paths);
    let mut out = Vec::new();
    for from in 0..l {
        for (to, row) in reach.iter().enumerate() {
            if row[from] {
                out.push((from, to));
            }
        }
    }
    out
}

/// Direct, indirect and total effects for every connected pair.
pub(crate) fn effects(
    names: &[String],
    beta: MatRef<'_, f64>,
    paths: &[(usize, usize)],
) -> Vec<Effect> {
    let total = total_effects(beta);
    effect_pairs(names.len(), paths)
        .into_iter()
        .map(|(from, to)| Effect {
            from: names[from].clone(),
            to: names[to].clone(),
            direct: beta[(to, from)],
            indirect: total[(to, from)] - beta[(to, from)],
            total: total[(to, from)],
        })
        .collect()
}
