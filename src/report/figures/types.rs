//! The report's result types: brands, constructs, periods, cells, comparisons and segments (plain, serialisable).

use crate::domain::Lang;
use crate::domain::report_period::Period;
use crate::store::responses::{ResponseRecord, Segments};
use serde::{Deserialize, Serialize};

/// A stored response with what the report groups it by.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyRecord {
    pub record: ResponseRecord,
    pub segments: Segments,
    /// `web`, `import` or `demo`
    pub source: String,
}

/// A brand as the report names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BrandHead {
    pub id: i32,
    pub en: String,
    pub zh: String,
    pub own: bool,
}

impl BrandHead {
    pub fn name(&self, lang: Lang) -> &str {
        if lang == Lang::ZhCn {
            &self.zh
        } else {
            &self.en
        }
    }
}

/// A construct of the model as the report names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConstructHead {
    pub code: String,
    pub en: String,
    pub zh: String,
}

/// What to compute.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ReportOptions {
    /// Fewest responses a cell needs before it shows a number.
    pub min_sample: usize,
    /// Bootstrap resamples per cell (5 000 for the report; fewer for a quick look; 0 = point estimates only).
    pub resamples: usize,
    /// Random permutations per significance test (0 = no tests).
    pub permutations: usize,
    /// Weights estimated once per period on all brands, each brand scored with them.
    pub pooled: bool,
    pub seed: u64,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            min_sample: 50,
            resamples: 5000,
            permutations: 1000,
            pooled: false,
            seed: 1,
        }
    }
}

/// Significance level of every test in the report (95 % intervals).
pub const ALPHA: f64 = 0.05;

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportFigures {
    pub options: ReportOptions,
    /// The construct whose index is the CSI (SAT when the model has it).
    pub target: String,
    pub constructs: Vec<ConstructHead>,
    /// Our brand first.
    pub brands: Vec<BrandHead>,
    /// Oldest first.
    pub periods: Vec<PeriodFigures>,
    pub total_responses: usize,
    pub imported_responses: usize,
    /// Responses outside every wave, or for a brand the questionnaire does not benchmark.
    pub unassigned_responses: usize,
    /// Whether the model has a 0–10 recommendation item (NPS) and a 5-point satisfaction item (CSAT).
    pub has_nps: bool,
    pub has_csat: bool,
}

/// One period: a cell per brand, the version ids answered, segments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodFigures {
    pub period: Period,
    pub version_ids: Vec<i32>,
    /// One per brand, in [`ReportFigures::brands`] order.
    pub cells: Vec<Cell>,
    pub segments: Vec<SegmentCell>,
}

/// Why a cell has no numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum CellStatus {
    Ok,
    TooFew,
    Failed(String),
}

/// One brand in one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    pub brand_id: i32,
    pub n: usize,
    pub status: CellStatus,
    /// In model order; empty unless the status is `Ok`.
    pub constructs: Vec<ConstructFigure>,
    pub paths: Vec<PathFigure>,
    pub htmt: Vec<HtmtFigure>,
    pub ipma: Vec<IpmaFigure>,
    pub improve_first: Vec<String>,
    pub satisfaction_rate: Option<RateFigure>,
    pub nps: Option<RateFigure>,
    pub csat: Option<RateFigure>,
    /// This period minus the previous period, same brand.
    pub change: Option<Comparison>,
    /// This brand minus our brand, same period (none for our brand).
    pub gap: Option<Comparison>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConstructFigure {
    pub code: String,
    pub index: f64,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub r_squared: Option<f64>,
    pub alpha: Option<f64>,
    pub rho_c: Option<f64>,
    pub ave: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PathFigure {
    pub from: String,
    pub to: String,
    pub coefficient: f64,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HtmtFigure {
    pub a: String,
    pub b: String,
    pub value: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IpmaFigure {
    pub construct: String,
    pub importance: f64,
    pub performance: f64,
    pub improve_first: bool,
}

/// A rate or score in percent (NPS: −100…100) with its 95 % interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RateFigure {
    pub n: usize,
    pub value: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// The test behind a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Test {
    /// Permutation test of the group labels, each group with its own PLS weights (separate models).
    Permutation,
    /// Welch t test of respondents' 0–100 scores under one set of weights (pooled model).
    Welch,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub test: Test,
    /// In model order.
    pub constructs: Vec<Difference>,
}

impl Comparison {
    pub fn of(&self, code: &str) -> Option<&Difference> {
        self.constructs.iter().find(|d| d.code == code)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Difference {
    pub code: String,
    pub difference: f64,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub p_value: Option<f64>,
    /// p < 0.05
    pub significant: bool,
}

/// One segment value of one brand in one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentCell {
    /// `customer_class`, `region`, `channel` or `lifecycle_stage`
    pub attribute: String,
    pub value: String,
    pub brand_id: i32,
    pub n: usize,
    /// Index per construct in model order; empty when the cell is too small (suppressed).
    pub indices: Vec<f64>,
    pub csi_ci_low: Option<f64>,
    pub csi_ci_high: Option<f64>,
}

/// The respondent attributes reports segment by.
pub const SEGMENT_ATTRIBUTES: [&str; 4] =
    ["customer_class", "region", "channel", "lifecycle_stage"];

impl Cell {
    pub(super) fn empty(brand_id: i32, n: usize) -> Cell {
        Cell {
            brand_id,
            n,
            status: CellStatus::Ok,
            constructs: Vec::new(),
            paths: Vec::new(),
            htmt: Vec::new(),
            ipma: Vec::new(),
            improve_first: Vec::new(),
            satisfaction_rate: None,
            nps: None,
            csat: None,
            change: None,
            gap: None,
            warnings: Vec::new(),
        }
    }

    pub fn is_ok(&self) -> bool {
        self.status == CellStatus::Ok
    }

    pub fn construct(&self, code: &str) -> Option<&ConstructFigure> {
        self.constructs.iter().find(|c| c.code == code)
    }
}

impl ReportFigures {
    pub fn period(&self, key: &str) -> Option<(usize, &PeriodFigures)> {
        self.periods
            .iter()
            .enumerate()
            .find(|(_, p)| p.period.key == key)
    }

    pub fn brand(&self, id: i32) -> Option<&BrandHead> {
        self.brands.iter().find(|b| b.id == id)
    }

    pub fn construct_name(&self, code: &str, lang: Lang) -> String {
        self.constructs
            .iter()
            .find(|c| c.code == code)
            .map(|c| {
                if lang == Lang::ZhCn {
                    c.zh.clone()
                } else {
                    c.en.clone()
                }
            })
            .unwrap_or_else(|| code.to_owned())
    }
}
