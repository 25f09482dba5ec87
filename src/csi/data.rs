//! Survey data matrix (NaN = missing), missing-value treatment and the centred design matrix.

use faer::Mat;
use serde::Serialize;

use super::error::{CsiError, Result};

/// An n × p matrix of answers on the original scale, `NaN` meaning missing
/// ("don't know" / not applicable), with the declared scale of every column.
///
/// Values are stored column by column. Every observed value must lie within
/// its column's `[min, max]`; the scale ends are what the 0–100 index maps
/// to 0 and 100.
#[derive(Debug, Clone)]
pub struct Data {
    names: Vec<String>,
    scales: Vec<(f64, f64)>,
    n: usize,
    values: Vec<f64>,
}

impl Data {
    /// Builds a data set from one `Vec` per column.
    ///
    /// `scales[j] = (min, max)` is the scale of column `j` (e.g. `(1, 10)`).
    pub fn from_columns(
        names: Vec<String>,
        columns: Vec<Vec<f64>>,
        scales: Vec<(f64, f64)>,
    ) -> Result<Self> {
        if names.len() != columns.len() || names.len() != scales.len() {
            return Err(CsiError::Invalid(format!(
                "{} names, {} columns and {} scales",
                names.len(),
                columns.len(),
                scales.len()
            )));
        }
        let n = columns.first().map_or(0, Vec::len);
        let mut values = Vec::with_capacity(n * columns.len());
        for (j, col) in columns.iter().enumerate() {
            if col.len() != n {
                return Err(CsiError::Invalid(format!(
                    "column {} has {} values, expected {n}",
                    names[j],
                    col.len()
                )));
            }
            let (min, max) = scales[j];
            if !(min.is_finite() && max.is_finite() && max > min) {
                return Err(CsiError::Invalid(format!(
                    "indicator {}: scale {min}–{max} is not an interval",
                    names[j]
                )));
            }
            for &v in col {
                if !v.is_nan() && (v < min || v > max) {
                    return Err(CsiError::OutOfScale {
                        indicator: names[j].clone(),
                        value: v,
                        min,
                        max,
                    });
                }
            }
            values.extend_from_slice(col);
        }
        Ok(Self {
            names,
            scales,
            n,
            values,
        })
    }

    /// Builds a data set from rows (one `Vec` of p values per respondent).
    pub fn from_rows(
        names: Vec<String>,
        rows: &[Vec<f64>],
        scales: Vec<(f64, f64)>,
    ) -> Result<Self> {
        let p = names.len();
        let mut columns = vec![Vec::with_capacity(rows.len()); p];
        for (i, row) in rows.iter().enumerate() {
            if row.len() != p {
                return Err(CsiError::Invalid(format!(
                    "row {i} has {} values, expected {p}",
                    row.len()
                )));
            }
            for (j, &v) in row.iter().enumerate() {
                columns[j].push(v);
            }
        }
        Self::from_columns(names, columns, scales)
    }

    /// Number of rows (respondents).
    pub fn nrows(&self) -> usize {
        self.n
    }

    /// Number of columns (indicators).
    pub fn ncols(&self) -> usize {
        self.names.len()
    }

    /// Column names.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Scale `(min, max)` of every column.
    pub fn scales(&self) -> &[(f64, f64)] {
        &self.scales
    }

    /// Values of column `j`.
    pub fn column(&self, j: usize) -> &[f64] {
        &self.values[j * self.n..(j + 1) * self.n]
    }

    /// Index of the column called `name`.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|c| c == name)
    }

    /// The rows `rows` (in that order) as a new data set.
    pub fn select_rows(&self, rows: &[usize]) -> Result<Self> {
        if let Some(&bad) = rows.iter().find(|&&r| r >= self.n) {
            return Err(CsiError::Invalid(format!("row {bad} out of range")));
        }
        let columns = (0..self.ncols())
            .map(|j| {
                let c = self.column(j);
                rows.iter().map(|&r| c[r]).collect()
            })
            .collect();
        Self::from_columns(self.names.clone(), columns, self.scales.clone())
    }
}

/// How missing values are treated before estimation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// Replace a missing value by the mean of the observed values of its
    /// indicator (SmartPLS's and seminr's default).
    #[default]
    MeanReplacement,
    /// Drop every case with a missing value on any indicator of the model
    /// (listwise / casewise deletion).
    CasewiseDeletion,
}

/// What the missing-value treatment did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissingReport {
    /// treatment used
    pub method: Missing,
    /// number of values replaced by their indicator mean
    pub replaced: usize,
    /// number of cases deleted
    pub deleted: usize,
    /// indices (into the input data) of the cases analysed, in order
    pub rows: Vec<usize>,
}

/// The model's indicators after missing-value treatment, ready for the Gram
/// product: raw values, their means and standard deviations.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    /// indicator names, model order
    pub names: Vec<String>,
    /// scale per indicator
    pub scales: Vec<(f64, f64)>,
    /// centred values (n × q), column `k` = indicator `k` minus its mean
    pub centred: Mat<f64>,
    /// means on the original scale
    pub means: Vec<f64>,
    /// what the missing-value treatment did
    pub report: MissingReport,
}

impl Prepared {
    /// Number of analysed cases.
    pub fn n(&self) -> usize {
        self.centred.nrows()
    }
}

/// Selects `columns` of `data`, treats missing values and centres.
///
/// Mean replacement uses the mean of the observed values of each indicator;
/// casewise deletion keeps the cases complete on all `columns`. At least
/// `min_cases` must remain.
pub(crate) fn prepare(
    data: &Data,
    columns: &[usize],
    missing: Missing,
    min_cases: usize,
) -> Result<Prepared> {
    let n = data.nrows();
    let q = columns.len();
    if let Some(&bad) = columns.iter().find(|&&c| c >= data.ncols()) {
        return Err(CsiError::Invalid(format!("column {bad} out of range")));
    }
    let rows: Vec<usize> = match missing {
        Missing::MeanReplacement => (0..n).collect(),
        Missing::CasewiseDeletion => (0..n)
            .filter(|&r| columns.iter().all(|&c| !data.column(c)[r].is_nan()))
            .collect(),
    };
    let deleted = n - rows.len();
    if rows.len() < min_cases {
        return Err(CsiError::TooFewCases {
            cases: rows.len(),
            needed: min_cases,
        });
    }
    let m = rows.len();
    let mut centred = Mat::<f64>::zeros(m, q);
    let mut means = Vec::with_capacity(q);
    let mut replaced = 0;
    let all_rows = deleted == 0;
    for (k, &c) in columns.iter().enumerate() {
        let col = data.column(c);
        let (mut sum, mut count) = (0.0, 0usize);
        let mut add = |v: f64| {
            if !v.is_nan() {
                sum += v;
                count += 1;
            }
        };
        if all_rows {
            col.iter().for_each(|&v| add(v));
        } else {
            rows.iter().for_each(|&r| add(col[r]));
        }
        if count == 0 {
            return Err(CsiError::AllMissing(data.names()[c].clone()));
        }
        let mean = sum / count as f64;
        replaced += m - count;
        let out = centred.col_as_slice_mut(k);
        let centre = |v: f64| if v.is_nan() { 0.0 } else { v - mean };
        if all_rows {
            for (o, &v) in out.iter_mut().zip(col) {
                *o = centre(v);
            }
        } else {
            for (o, &r) in out.iter_mut().zip(&rows) {
                *o = centre(col[r]);
            }
        }
        let ss: f64 = out.iter().map(|d| d * d).sum();
        let (lo, hi) = data.scales()[c];
        if ss <= (hi - lo) * (hi - lo) * 1e-24 * m as f64 {
            return Err(CsiError::NoVariance(data.names()[c].clone()));
        }
        means.push(mean);
    }
    Ok(Prepared {
        names: columns.iter().map(|&c| data.names()[c].clone()).collect(),
        scales: columns.iter().map(|&c| data.scales()[c]).collect(),
        centred,
        means,
        report: MissingReport {
            method: missing,
            replaced,
            deleted,
            rows,
        },
    })
}
