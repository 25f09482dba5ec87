//! The tables of indices: every construct for every brand (with changes and gaps) and the everyday metrics.

use super::super::figures::{Cell, RateFigure};
use super::Section;
use super::figure::{Figure, difference_figure, index_figure, too_few_text};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct ConstructRow {
    pub code: String,
    pub name: String,
    pub target: bool,
    pub own: Figure,
    pub change: Figure,
    /// Per competitor: its index and its gap to ours.
    pub competitors: Vec<(Figure, Figure)>,
}

#[derive(Debug, Serialize)]
pub struct MetricRow {
    pub name: String,
    pub values: Vec<Figure>,
}

/// One row per construct: our index and its change, then each competitor's index and our lead.
pub(super) fn constructs(s: &Section) -> Vec<ConstructRow> {
    let (own, lang) = (s.own, s.lang);
    let competitors: Vec<&Cell> = s.period.cells.iter().skip(1).collect();
    s.figures
        .constructs
        .iter()
        .map(|c| ConstructRow {
            code: c.code.clone(),
            name: s.name_of(&c.code),
            target: c.code == s.target,
            own: index_figure(own, &c.code, lang),
            change: difference_figure(own.change.as_ref(), &c.code, 1.0),
            competitors: competitors
                .iter()
                .map(|cell| {
                    (
                        index_figure(cell, &c.code, lang),
                        difference_figure(cell.gap.as_ref(), &c.code, -1.0),
                    )
                })
                .collect(),
        })
        .collect()
}

/// The satisfaction rate, and NPS and CSAT when the model has their items, for every brand.
pub(super) fn metrics(s: &Section) -> Vec<MetricRow> {
    let mut metrics = vec![rate_row(
        s,
        if s.zh() {
            "满意率（前两格）".into()
        } else {
            "Satisfaction rate (top two boxes)".into()
        },
        &|c| c.satisfaction_rate.as_ref(),
        " %",
    )];
    if s.figures.has_nps {
        metrics.push(rate_row(s, "NPS".into(), &|c| c.nps.as_ref(), ""));
    }
    if s.figures.has_csat {
        metrics.push(rate_row(s, "CSAT".into(), &|c| c.csat.as_ref(), " %"));
    }
    metrics
}

/// One metric of every brand, picked from its cell, with `unit` after the number.
fn rate_row(
    s: &Section,
    name: String,
    pick: &dyn Fn(&Cell) -> Option<&RateFigure>,
    unit: &str,
) -> MetricRow {
    MetricRow {
        name,
        values: s
            .period
            .cells
            .iter()
            .map(|cell| match (cell.is_ok(), pick(cell)) {
                (true, Some(r)) => Figure::shown(
                    format!("{:.1}{unit}", r.value),
                    format!("{:.1}–{:.1}", r.ci_low, r.ci_high),
                ),
                (false, _) => Figure::withheld(too_few_text(s.lang), String::new()),
                (true, None) => Figure::dash(),
            })
            .collect(),
    }
}
