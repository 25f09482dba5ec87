//! Small dense linear-algebra helpers on top of faer (Gram products, SPD solves, symmetric eigen).

use faer::linalg::matmul::matmul;
use faer::{Accum, Mat, MatRef, Par, Side};

/// `Xᵀ X / d` for an n × q matrix `x`.
pub(crate) fn gram(x: MatRef<'_, f64>, divisor: f64, par: Par) -> Mat<f64> {
    let q = x.ncols();
    let mut g = Mat::<f64>::zeros(q, q);
    matmul(
        g.as_mut(),
        Accum::Replace,
        x.transpose(),
        x,
        1.0 / divisor,
        par,
    );
    g
}

/// Solves `A x = b` for a symmetric positive-definite `A` by Cholesky (LLᵀ);
/// `None` if `A` is not numerically positive definite.
pub(crate) fn spd_solve(a: MatRef<'_, f64>, b: &[f64]) -> Option<Vec<f64>> {
    let llt = a.llt(Side::Lower).ok()?;
    let rhs = Mat::<f64>::from_fn(b.len(), 1, |i, _| b[i]);
    let x = faer::linalg::solvers::Solve::solve(&llt, rhs.as_ref());
    let out: Vec<f64> = (0..b.len()).map(|i| x[(i, 0)]).collect();
    out.iter().all(|v| v.is_finite()).then_some(out)
}

/// Sub-matrix of `a` on rows `rows` and columns `cols`.
pub(crate) fn sub(a: MatRef<'_, f64>, rows: &[usize], cols: &[usize]) -> Mat<f64> {
    Mat::from_fn(rows.len(), cols.len(), |i, j| a[(rows[i], cols[j])])
}

/// Least-squares regression of variable `target` on `preds`, from a
/// correlation (or covariance) matrix `r`: β = R_PP⁻¹ r_P,t (normal
/// equations, solved by Cholesky) and R² = βᵀ r_P,t / r_tt.
pub(crate) fn regress(
    r: MatRef<'_, f64>,
    preds: &[usize],
    target: usize,
) -> Option<(Vec<f64>, f64)> {
    if preds.is_empty() {
        return Some((Vec::new(), 0.0));
    }
    let rpp = sub(r, preds, preds);
    let rpt: Vec<f64> = preds.iter().map(|&j| r[(j, target)]).collect();
    let beta = spd_solve(rpp.as_ref(), &rpt)?;
    let r2 = beta.iter().zip(&rpt).map(|(b, c)| b * c).sum::<f64>() / r[(target, target)];
    Some((beta, r2))
}

/// Eigenvalues (descending) and the eigenvector of the largest one of a
/// symmetric matrix.
pub(crate) fn sym_eigen_desc(a: MatRef<'_, f64>) -> Option<(Vec<f64>, Vec<f64>)> {
    let evd = a.self_adjoint_eigen(Side::Lower).ok()?;
    let q = a.nrows();
    let s = evd.S();
    let u = evd.U();
    let values: Vec<f64> = (0..q).rev().map(|i| s[i]).collect();
    let first: Vec<f64> = (0..q).map(|i| u[(i, q - 1)]).collect();
    Some((values, first))
}

/// Correlation matrix from a covariance matrix.
pub(crate) fn correlation(cov: MatRef<'_, f64>) -> Mat<f64> {
    let q = cov.nrows();
    let sd: Vec<f64> = (0..q).map(|i| cov[(i, i)].sqrt()).collect();
    Mat::from_fn(q, q, |i, j| {
        if i == j {
            1.0
        } else {
            cov[(i, j)] / (sd[i] * sd[j])
        }
    })
}
