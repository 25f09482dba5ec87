//! Pairwise judgments on Saaty's 1–9 scale, as an AHP grid asks them, and the matrix they make.

use super::message::Message;
use serde::Serialize;

/// One judgment of "row item against column item": `steps` > 0 means the row item is
/// `steps + 1` times as important, < 0 the column item, 0 equal (Saaty's 1–9 scale).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Judgment {
    steps: i8,
}

impl Judgment {
    pub const EQUAL: Judgment = Judgment { steps: 0 };

    /// Every judgment a grid offers, from "column item extremely more important" to "row item extremely more important".
    pub fn all() -> impl DoubleEndedIterator<Item = Judgment> {
        (-8..=8).map(|steps| Judgment { steps })
    }

    /// The matrix entry aᵢⱼ: 1/9 … 1 … 9.
    pub fn value(self) -> f64 {
        if self.steps >= 0 {
            f64::from(self.steps) + 1.0
        } else {
            1.0 / (1.0 - f64::from(self.steps))
        }
    }

    /// The form value: `5` or `1/5`.
    pub fn key(self) -> String {
        if self.steps >= 0 {
            format!("{}", self.steps + 1)
        } else {
            format!("1/{}", 1 - self.steps)
        }
    }

    pub fn parse(key: &str) -> Option<Judgment> {
        Judgment::all().find(|j| j.key() == key.trim())
    }

    /// The judgment nearest (on a log scale) to a ratio of two weights.
    pub fn nearest(ratio: f64) -> Judgment {
        if !(ratio.is_finite() && ratio > 0.0) {
            return Judgment::EQUAL;
        }
        Judgment::all()
            .min_by(|a, b| {
                (a.value().ln() - ratio.ln())
                    .abs()
                    .total_cmp(&(b.value().ln() - ratio.ln()).abs())
            })
            .unwrap_or(Judgment::EQUAL)
    }

    /// "A is strongly more important (5)", in words, naming the favoured item.
    pub fn describe(self, row: &str, column: &str) -> Message {
        let strength = self.steps.unsigned_abs() + 1;
        let key = match strength {
            1 => {
                return Message::new("pairwise.equal")
                    .arg("row", row)
                    .arg("column", column);
            }
            3 => "pairwise.more.3",
            5 => "pairwise.more.5",
            7 => "pairwise.more.7",
            9 => "pairwise.more.9",
            _ => "pairwise.more.between",
        };
        let (favoured, other) = if self.steps > 0 {
            (row, column)
        } else {
            (column, row)
        };
        Message::new(key)
            .arg("favoured", favoured)
            .arg("other", other)
            .arg("strength", strength)
    }
}

/// The judgments of the upper triangle, row by row: (0,1), (0,2) … (n−2,n−1).
#[derive(Debug, Clone, PartialEq)]
pub struct PairwiseGrid {
    pub size: usize,
    pub judgments: Vec<Judgment>,
}

impl PairwiseGrid {
    /// Every pair (i, j) with i < j, in the order of `judgments`.
    pub fn pairs(size: usize) -> impl Iterator<Item = (usize, usize)> {
        (0..size).flat_map(move |i| (i + 1..size).map(move |j| (i, j)))
    }

    /// A grid whose judgments are the ratios of `weights`, snapped to Saaty's scale (all equal where a weight is missing).
    pub fn from_weights(weights: &[Option<f64>]) -> PairwiseGrid {
        let judgments = PairwiseGrid::pairs(weights.len())
            .map(|(i, j)| match (weights[i], weights[j]) {
                (Some(a), Some(b)) if b > 0.0 => Judgment::nearest(a / b),
                _ => Judgment::EQUAL,
            })
            .collect();
        PairwiseGrid {
            size: weights.len(),
            judgments,
        }
    }

    /// The full positive reciprocal matrix.
    pub fn matrix(&self) -> Vec<Vec<f64>> {
        let mut a = vec![vec![1.0; self.size]; self.size];
        for ((i, j), judgment) in PairwiseGrid::pairs(self.size).zip(&self.judgments) {
            a[i][j] = judgment.value();
            a[j][i] = 1.0 / judgment.value();
        }
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_values_and_reciprocals() {
        assert_eq!(Judgment::all().count(), 17);
        let five = Judgment::parse("5").unwrap();
        assert_eq!(five.value(), 5.0);
        assert_eq!(Judgment::parse("1/3").unwrap().value(), 1.0 / 3.0);
        assert_eq!(Judgment::parse("10"), None);
        let grid = PairwiseGrid {
            size: 3,
            judgments: vec![five, Judgment::EQUAL, Judgment::parse("1/7").unwrap()],
        };
        let a = grid.matrix();
        assert_eq!(a[1][0], 0.2);
        assert_eq!(a[2][1], 7.0);
    }

    #[test]
    fn weights_snap_to_the_nearest_judgment() {
        let grid = PairwiseGrid::from_weights(&[Some(0.6), Some(0.2), None]);
        assert_eq!(grid.judgments[0].key(), "3");
        assert_eq!(grid.judgments[1], Judgment::EQUAL);
        assert_eq!(Judgment::nearest(1.0 / 7.9).key(), "1/8");
    }
}
