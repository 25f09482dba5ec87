//! One number of a report table (text, interval, too-few and significance marks) and how cells become one.

use super::super::figures::{Cell, CellStatus, Comparison};
use super::zh;
use crate::domain::Lang;
use serde::Serialize;

/// One number of a table: text, and whether it is significant / too few.
#[derive(Debug, Serialize)]
pub struct Figure {
    pub text: String,
    pub ci: String,
    pub too_few: bool,
    /// For gaps and changes: "up" / "down" when significant, "" otherwise.
    pub mark: String,
    pub p: String,
}

impl Figure {
    /// A number with its interval (no significance mark).
    pub(super) fn shown(text: String, ci: String) -> Figure {
        Figure {
            text,
            ci,
            too_few: false,
            mark: String::new(),
            p: String::new(),
        }
    }

    /// No number: `text` says why, `ci` may say more.
    pub(super) fn withheld(text: String, ci: String) -> Figure {
        Figure {
            text,
            ci,
            too_few: true,
            mark: String::new(),
            p: String::new(),
        }
    }

    /// No number and no reason: a dash.
    pub(super) fn dash() -> Figure {
        Figure::withheld("—".into(), String::new())
    }
}

pub(super) fn too_few_text(lang: Lang) -> String {
    if zh(lang) {
        "样本不足".into()
    } else {
        "too few responses".into()
    }
}

/// "low–high" with one decimal, or nothing when either end is missing.
pub(super) fn interval(low: Option<f64>, high: Option<f64>) -> String {
    match (low, high) {
        (Some(l), Some(h)) => format!("{l:.1}–{h:.1}"),
        _ => String::new(),
    }
}

/// A construct's index in a cell, or why it has none.
pub(super) fn index_figure(cell: &Cell, code: &str, lang: Lang) -> Figure {
    match (&cell.status, cell.construct(code)) {
        (CellStatus::Ok, Some(c)) => {
            Figure::shown(format!("{:.1}", c.index), interval(c.ci_low, c.ci_high))
        }
        (CellStatus::TooFew, _) => Figure::withheld(too_few_text(lang), format!("n = {}", cell.n)),
        (CellStatus::Failed(_), _) | (CellStatus::Ok, None) => Figure::withheld(
            if zh(lang) {
                "无法估计".into()
            } else {
                "not estimable".into()
            },
            String::new(),
        ),
    }
}

/// A change (`sign` 1) or our lead over a competitor (`sign` -1 turns the engine's
/// competitor − ours around), so that a positive, green ▲ always means good for us.
pub(super) fn difference_figure(comparison: Option<&Comparison>, code: &str, sign: f64) -> Figure {
    match comparison.and_then(|c| c.of(code)) {
        Some(d) => Figure {
            text: format!("{:+.1}", sign * d.difference),
            ci: match (d.ci_low, d.ci_high) {
                (Some(l), Some(h)) if sign > 0.0 => format!("{l:+.1}…{h:+.1}"),
                (Some(l), Some(h)) => format!("{:+.1}…{:+.1}", -h, -l),
                _ => String::new(),
            },
            too_few: false,
            mark: if !d.significant {
                String::new()
            } else if sign * d.difference > 0.0 {
                "up".into()
            } else {
                "down".into()
            },
            p: d.p_value
                .map(|p| {
                    if p < 0.001 {
                        "p < 0.001".into()
                    } else {
                        format!("p = {p:.3}")
                    }
                })
                .unwrap_or_default(),
        },
        None => Figure::dash(),
    }
}

/// A number with `digits` decimals, or a dash.
pub(super) fn num(x: Option<f64>, digits: usize) -> String {
    x.map(|v| format!("{v:.digits$}"))
        .unwrap_or_else(|| "—".into())
}
