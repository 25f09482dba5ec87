//! The executive report page's view model for one period: headline, trend, constructs, IPMA, paths, segments, appendix (pure).
//!
//! [`build`] assembles the page from one function per section, each in its own module.

mod appendix;
mod diagrams;
mod figure;
mod headline;
mod segments;
mod tables;
mod trend;

pub use appendix::{HtmtRow, QualityRow, SampleRow};
pub use figure::Figure;
pub use headline::Headline;
pub use segments::{SegmentFigure, SegmentGroup, SegmentRow};
pub use tables::{ConstructRow, MetricRow};
pub use trend::LegendEntry;

use super::figures::{Cell, PeriodFigures, ReportFigures};
use crate::domain::Lang;
use serde::Serialize;

/// Periods the trend chart shows.
pub const TREND_PERIODS: usize = 8;

/// Usual thresholds of measurement quality (Hair et al., Henseler et al. 2015).
pub const ALPHA_MIN: f64 = 0.7;
pub const RHO_C_MIN: f64 = 0.7;
pub const AVE_MIN: f64 = 0.5;
pub const HTMT_MAX: f64 = 0.85;

#[derive(Debug, Serialize)]
pub struct ReportPage {
    pub period_key: String,
    pub period: String,
    pub periods: Vec<PeriodLink>,
    pub method: String,
    pub pooled: bool,
    pub headline: Headline,
    pub trend_svg: String,
    pub legend: Vec<LegendEntry>,
    pub brands: Vec<String>,
    pub constructs: Vec<ConstructRow>,
    pub metrics: Vec<MetricRow>,
    pub ipma_svg: String,
    pub improve_first: Vec<String>,
    pub paths_svg: String,
    pub segments: Vec<SegmentGroup>,
    /// Below this many responses a cell shows no number.
    pub min_sample: usize,
    pub samples: Vec<SampleRow>,
    pub quality: Vec<QualityRow>,
    pub htmt: Vec<HtmtRow>,
    pub version_note: Option<String>,
    pub imported: usize,
    pub unassigned: usize,
}

#[derive(Debug, Serialize)]
pub struct PeriodLink {
    pub key: String,
    pub label: String,
    pub current: bool,
}

fn zh(lang: Lang) -> bool {
    lang == Lang::ZhCn
}

/// What every section reads: the figures, the period shown, our brand's cell and the language.
struct Section<'a> {
    figures: &'a ReportFigures,
    /// Index of the period shown in `figures.periods`.
    index: usize,
    period: &'a PeriodFigures,
    /// The construct whose index is the CSI.
    target: &'a str,
    /// Our brand's cell of the period.
    own: &'a Cell,
    lang: Lang,
}

impl Section<'_> {
    fn zh(&self) -> bool {
        zh(self.lang)
    }

    fn name_of(&self, code: &str) -> String {
        self.figures.construct_name(code, self.lang)
    }

    fn brand_name(&self, cell: &Cell) -> String {
        self.figures
            .brand(cell.brand_id)
            .map(|b| b.name(self.lang).to_owned())
            .unwrap_or_default()
    }

    /// The period before the one shown, if any.
    fn previous(&self) -> Option<&PeriodFigures> {
        self.index.checked_sub(1).map(|i| &self.figures.periods[i])
    }
}

/// The view of period `index` of the report.
pub fn build(
    figures: &ReportFigures,
    index: usize,
    versions: &[(i32, i32)],
    lang: Lang,
) -> ReportPage {
    let period = &figures.periods[index];
    let s = Section {
        figures,
        index,
        period,
        target: figures.target.as_str(),
        own: &period.cells[0],
        lang,
    };
    let (ipma_svg, improve_first) = diagrams::ipma(&s);
    let options = &figures.options;
    ReportPage {
        period_key: period.period.key.clone(),
        period: period.period.label(lang).to_owned(),
        periods: figures
            .periods
            .iter()
            .map(|p| PeriodLink {
                key: p.period.key.clone(),
                label: p.period.label(lang).to_owned(),
                current: p.period.key == period.period.key,
            })
            .collect(),
        method: appendix::method(&s),
        pooled: options.pooled,
        headline: headline::headline(&s),
        trend_svg: trend::trend_svg(&s),
        legend: trend::legend(&s),
        brands: figures
            .brands
            .iter()
            .map(|b| b.name(lang).to_owned())
            .collect(),
        constructs: tables::constructs(&s),
        metrics: tables::metrics(&s),
        ipma_svg,
        improve_first,
        paths_svg: diagrams::paths_svg(&s),
        segments: segments::segments(&s),
        min_sample: options.min_sample,
        samples: appendix::samples(&s),
        quality: appendix::quality(&s),
        htmt: appendix::htmt(&s),
        version_note: appendix::version_note(&s, versions),
        imported: figures.imported_responses,
        unassigned: figures.unassigned_responses,
    }
}
