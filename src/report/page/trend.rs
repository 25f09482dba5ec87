//! The trend section: our and the competitors' CSI over the last periods, with its colour legend.

use super::super::charts::{self, TrendSeries};
use super::{Section, TREND_PERIODS};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct LegendEntry {
    pub name: String,
    pub colour: String,
}

/// The trend chart over up to [`TREND_PERIODS`] periods ending with the one shown.
pub(super) fn trend_svg(s: &Section) -> String {
    let (figures, lang, target) = (s.figures, s.lang, s.target);
    let first = (s.index + 1).saturating_sub(TREND_PERIODS);
    let window = &figures.periods[first..=s.index];
    let labels: Vec<String> = window
        .iter()
        .map(|p| p.period.label(lang).to_owned())
        .collect();
    let series: Vec<TrendSeries> = figures
        .brands
        .iter()
        .enumerate()
        .map(|(b, brand)| TrendSeries {
            name: brand.name(lang).to_owned(),
            points: window
                .iter()
                .map(|p| {
                    p.cells
                        .get(b)
                        .filter(|c| c.is_ok())
                        .and_then(|c| c.construct(target))
                        .map(|c| (c.ci_low, c.index, c.ci_high))
                })
                .collect(),
        })
        .collect();
    let trend_label = if s.zh() {
        format!("{}（CSI）各期走势，含95%置信带", s.name_of(target))
    } else {
        format!("{} (CSI) by period with 95 % bands", s.name_of(target))
    };
    charts::trend_chart(&labels, &series, "CSI (0–100)", &trend_label)
}

/// Each brand's name with its colour in the charts.
pub(super) fn legend(s: &Section) -> Vec<LegendEntry> {
    s.figures
        .brands
        .iter()
        .enumerate()
        .map(|(i, b)| LegendEntry {
            name: b.name(s.lang).to_owned(),
            colour: charts::colour_hex(i),
        })
        .collect()
}
