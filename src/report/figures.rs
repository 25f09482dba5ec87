//! The executive report's figures for one questionnaire: every period × brand estimated, compared and segmented (pure).
//!
//! [`compute`] is the one entry point: it groups stored responses into
//! periods ([`Calendar`]) and brands, runs PLS with the designer's model on
//! every cell with at least `min_sample` responses (separately per cell, or
//! with weights pooled over the period's brands as ACSI does), bootstraps the
//! 0–100 indices, tests every change against the previous period and every
//! competitor's gap against our brand, and scores segments. The result is a
//! plain serialisable struct: the report page, the exports, the JSON API and
//! the cache all read it.

use crate::analysis::{data_from_records, pls_model};
use crate::csi::{
    self, BootstrapOptions, CompareOptions, Data, Missing, PlsModel, PlsOptions, PlsResult,
};
use crate::domain::report_period::{Calendar, Period};
use crate::domain::{Lang, Model, ScaleKind};
use crate::store::responses::{ResponseRecord, Segments};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

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

fn segment_value<'a>(segments: &'a Segments, attribute: &str) -> Option<&'a str> {
    match attribute {
        "customer_class" => segments.customer_class.as_deref(),
        "region" => segments.region.as_deref(),
        "channel" => segments.channel.as_deref(),
        "lifecycle_stage" => segments.lifecycle_stage.as_deref(),
        _ => None,
    }
    .map(str::trim)
    .filter(|v| !v.is_empty())
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// The CSI construct: SAT when the model has it, else the last construct.
pub fn target_of(model: &Model) -> String {
    model
        .construct("SAT")
        .or(model.constructs.last())
        .map(|c| c.code.clone())
        .unwrap_or_default()
}

/// Work units of a computation, for the progress bar: resamples plus permutations.
pub fn planned_work(cells_ok: usize, comparisons: usize, options: &ReportOptions) -> usize {
    cells_ok * options.resamples + comparisons * options.permutations
}

/// The fitted model of one cell (its own, or the period's pooled one), with each record's row in it.
struct Fit {
    result: PlsResult,
    /// data row (of the fitted data) → row of `result.index_scores`
    rows: Vec<Option<usize>>,
    boot: Option<csi::BootstrapResult>,
}

impl Fit {
    fn new(result: PlsResult, n: usize, boot: Option<csi::BootstrapResult>) -> Fit {
        let mut rows = vec![None; n];
        for (k, r) in result.missing.rows.iter().enumerate() {
            if let Some(slot) = rows.get_mut(*r) {
                *slot = Some(k);
            }
        }
        Fit { result, rows, boot }
    }

    /// 0–100 scores of construct `k` for the given data rows.
    fn scores(&self, k: usize, data_rows: impl Iterator<Item = usize>) -> Vec<f64> {
        data_rows
            .filter_map(|r| self.rows.get(r).copied().flatten())
            .map(|i| self.result.index_scores[k][i])
            .collect()
    }
}

/// Shared progress: work units done of the planned total.
pub struct Progress<'a> {
    done: AtomicUsize,
    report: &'a (dyn Fn(usize) + Sync),
}

impl<'a> Progress<'a> {
    pub fn new(report: &'a (dyn Fn(usize) + Sync)) -> Progress<'a> {
        Progress {
            done: AtomicUsize::new(0),
            report,
        }
    }

    fn add(&self, units: usize) {
        let done = self.done.fetch_add(units, Ordering::Relaxed) + units;
        (self.report)(done);
    }
}

/// The data and fits of one period's cells (kept for the comparisons with the next period).
type PeriodFits = (Vec<Option<Data>>, Vec<Option<Fit>>);

/// A cell's records: indices into the report's records.
struct Group {
    brand: usize,
    members: Vec<usize>,
}

/// Computes the report. `progress` is told the work units done (see [`planned_work`] and [`plan`]).
pub fn compute(
    model: &Model,
    brands: &[BrandHead],
    records: &[SurveyRecord],
    calendar: &Calendar,
    options: &ReportOptions,
    progress: Option<&(dyn Fn(usize) + Sync)>,
) -> ReportFigures {
    let silent = |_: usize| {};
    let progress = Progress::new(progress.unwrap_or(&silent));
    let pls = pls_model(model);
    let target = target_of(model);
    let (periods, unassigned) = group(brands, records, calendar);
    let opts = PlsOptions {
        missing: Missing::MeanReplacement,
        ..PlsOptions::default()
    };
    let rate_columns = RateColumns::of(model, &target);
    let mut out: Vec<PeriodFigures> = Vec::new();
    // Per period: the cells' data and fits, kept for the comparisons.
    let mut previous: Option<PeriodFits> = None;
    for (p, (period, groups)) in periods.iter().enumerate() {
        let mut cells = Vec::new();
        let mut datas: Vec<Option<Data>> = Vec::new();
        let mut fits: Vec<Option<Fit>> = Vec::new();
        let group_records = |g: &Group| {
            g.members
                .iter()
                .map(|&i| &records[i].record)
                .collect::<Vec<_>>()
        };
        // The pooled fit of the period, when asked for: all brands' cells with enough responses.
        let pooled = if options.pooled {
            let members: Vec<usize> = groups
                .iter()
                .filter(|g| g.members.len() >= options.min_sample)
                .flat_map(|g| g.members.iter().copied())
                .collect();
            (members.len() >= options.min_sample)
                .then(|| {
                    let data =
                        data_from_records(model, members.iter().map(|&i| &records[i].record))
                            .ok()?;
                    let result = csi::estimate(&pls, &data, &opts).ok()?;
                    let boot = bootstrap(&pls, &data, &opts, options, p as u64, &progress);
                    Some((members, Fit::new(result, data.nrows(), boot)))
                })
                .flatten()
        } else {
            None
        };
        for (b, g) in groups.iter().enumerate() {
            let mut cell = Cell::empty(brands[b].id, g.members.len());
            if g.members.len() < options.min_sample {
                cell.status = CellStatus::TooFew;
                cells.push(cell);
                datas.push(None);
                fits.push(None);
                continue;
            }
            let data = match data_from_records(model, group_records(g)) {
                Ok(data) => data,
                Err(e) => {
                    cell.status = CellStatus::Failed(e);
                    cells.push(cell);
                    datas.push(None);
                    fits.push(None);
                    continue;
                }
            };
            rate_columns.fill(&mut cell, &data);
            if options.pooled {
                match &pooled {
                    Some((members, fit)) => {
                        let offset = members.iter().position(|m| *m == g.members[0]).unwrap_or(0);
                        let rows = offset..offset + g.members.len();
                        fill_from_fit(&mut cell, &fit.result, fit.boot.as_ref(), &target);
                        for (k, figure) in cell.constructs.iter_mut().enumerate() {
                            let scores = fit.scores(k, rows.clone());
                            let estimate = csi::mean_ci(&scores, 0.95).ok();
                            figure.index = estimate.as_ref().map_or(f64::NAN, |e| e.mean);
                            figure.ci_low = estimate.as_ref().and_then(|e| finite(e.ci_low));
                            figure.ci_high = estimate.as_ref().and_then(|e| finite(e.ci_high));
                        }
                        // The cell's own rows of the pooled fit, for comparisons and segments.
                        let mut own_rows = vec![None; g.members.len()];
                        for (i, slot) in own_rows.iter_mut().enumerate() {
                            *slot = fit.rows.get(offset + i).copied().flatten();
                        }
                        fits.push(Some(Fit {
                            result: fit.result.clone(),
                            rows: own_rows,
                            boot: None,
                        }));
                    }
                    None => {
                        cell.status =
                            CellStatus::Failed("the pooled model could not be estimated".into());
                        fits.push(None);
                    }
                }
            } else {
                match csi::estimate(&pls, &data, &opts) {
                    Ok(result) => {
                        let boot = bootstrap(
                            &pls,
                            &data,
                            &opts,
                            options,
                            (p as u64) << 8 | b as u64,
                            &progress,
                        );
                        fill_from_fit(&mut cell, &result, boot.as_ref(), &target);
                        fits.push(Some(Fit::new(result, data.nrows(), boot)));
                    }
                    Err(e) => {
                        progress.add(options.resamples);
                        cell.status = CellStatus::Failed(e.to_string());
                        fits.push(None);
                    }
                }
            }
            datas.push(Some(data));
            cells.push(cell);
        }
        // Gaps against our brand (the first brand).
        for b in 1..cells.len() {
            cells[b].gap = compare(
                &pls,
                &opts,
                options,
                (&datas[b], &fits[b], &cells[b]),
                (&datas[0], &fits[0], &cells[0]),
                (p as u64) << 8 | b as u64,
                &progress,
            );
        }
        // Changes against the previous period.
        if let Some((prev_datas, prev_fits)) = &previous {
            let prev_cells = &out[p - 1].cells;
            for b in 0..cells.len() {
                cells[b].change = compare(
                    &pls,
                    &opts,
                    options,
                    (&datas[b], &fits[b], &cells[b]),
                    (&prev_datas[b], &prev_fits[b], &prev_cells[b]),
                    (1 << 40) | (p as u64) << 8 | b as u64,
                    &progress,
                );
            }
        }
        let segments = segment_cells(model, records, groups, &fits, &cells, options.min_sample);
        let mut version_ids: Vec<i32> = groups
            .iter()
            .flat_map(|g| g.members.iter().map(|&i| records[i].record.version_id))
            .collect();
        version_ids.sort_unstable();
        version_ids.dedup();
        out.push(PeriodFigures {
            period: period.clone(),
            version_ids,
            cells,
            segments,
        });
        previous = Some((datas, fits));
    }
    ReportFigures {
        options: *options,
        target,
        constructs: model
            .constructs
            .iter()
            .map(|c| ConstructHead {
                code: c.code.clone(),
                en: c.name.best(Lang::En).to_owned(),
                zh: c.name.best(Lang::ZhCn).to_owned(),
            })
            .collect(),
        brands: brands.to_vec(),
        periods: out,
        total_responses: records.len(),
        imported_responses: records.iter().filter(|r| r.source == "import").count(),
        unassigned_responses: unassigned,
        has_nps: rate_columns.nps.is_some(),
        has_csat: rate_columns.csat.is_some(),
    }
}

/// Periods (oldest first) with one group per brand; and how many records fit no period or brand.
fn group(
    brands: &[BrandHead],
    records: &[SurveyRecord],
    calendar: &Calendar,
) -> (Vec<(Period, Vec<Group>)>, usize) {
    let mut periods: BTreeMap<Period, Vec<Group>> = BTreeMap::new();
    let mut unassigned = 0;
    for (i, r) in records.iter().enumerate() {
        let brand = r
            .record
            .brand_id
            .and_then(|id| brands.iter().position(|b| b.id == id));
        match (calendar.period_of(r.record.completed_at), brand) {
            (Some(period), Some(b)) => {
                let groups = periods.entry(period).or_insert_with(|| {
                    (0..brands.len())
                        .map(|brand| Group {
                            brand,
                            members: Vec::new(),
                        })
                        .collect()
                });
                groups[b].members.push(i);
            }
            _ => unassigned += 1,
        }
    }
    for groups in periods.values() {
        debug_assert!(groups.iter().enumerate().all(|(i, g)| g.brand == i));
    }
    (periods.into_iter().collect(), unassigned)
}

/// How many cells will be estimated and compared: the planned work for the progress bar.
pub fn plan(
    brands: &[BrandHead],
    records: &[SurveyRecord],
    calendar: &Calendar,
    options: &ReportOptions,
) -> usize {
    let (periods, _) = group(brands, records, calendar);
    let mut cells_ok = 0;
    let mut comparisons = 0;
    let mut previous: Option<Vec<bool>> = None;
    for (_, groups) in &periods {
        let ok: Vec<bool> = groups
            .iter()
            .map(|g| g.members.len() >= options.min_sample)
            .collect();
        let any = ok.iter().any(|x| *x);
        cells_ok += if options.pooled {
            usize::from(any)
        } else {
            ok.iter().filter(|x| **x).count()
        };
        if !options.pooled {
            comparisons += ok.iter().skip(1).filter(|x| **x && ok[0]).count();
            if let Some(prev) = &previous {
                comparisons += ok.iter().zip(prev).filter(|(a, b)| **a && **b).count();
            }
        }
        previous = Some(ok);
    }
    planned_work(cells_ok, comparisons, options)
}

fn bootstrap(
    pls: &PlsModel,
    data: &Data,
    opts: &PlsOptions,
    options: &ReportOptions,
    stream: u64,
    progress: &Progress,
) -> Option<csi::BootstrapResult> {
    if options.resamples == 0 {
        return None;
    }
    let last = AtomicUsize::new(0);
    let tick = |d: usize| {
        let before = last.fetch_max(d, Ordering::Relaxed);
        if d > before {
            progress.add(d - before);
        }
    };
    let result = csi::bootstrap(
        pls,
        data,
        opts,
        &BootstrapOptions {
            resamples: options.resamples,
            seed: options.seed.wrapping_add(stream),
            level: 0.95,
            bca: false,
        },
        Some(&tick),
    )
    .ok();
    let before = last.swap(options.resamples, Ordering::Relaxed);
    if options.resamples > before {
        progress.add(options.resamples - before);
    }
    result
}

impl Cell {
    fn empty(brand_id: i32, n: usize) -> Cell {
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

/// Estimates, quality, paths and IPMA of a fit (and its bootstrap intervals) into a cell.
fn fill_from_fit(
    cell: &mut Cell,
    result: &PlsResult,
    boot: Option<&csi::BootstrapResult>,
    target: &str,
) {
    let interval = |list: Option<&Vec<csi::Interval>>, name: &str| {
        list.and_then(|l| l.iter().find(|i| i.name == name))
            .map(|i| (finite(i.pct_low), finite(i.pct_high)))
    };
    cell.constructs = result
        .constructs
        .iter()
        .map(|c| {
            let q = result
                .quality
                .constructs
                .iter()
                .find(|q| q.construct == c.name);
            let (ci_low, ci_high) =
                interval(boot.map(|b| &b.index), &c.name).unwrap_or((None, None));
            ConstructFigure {
                code: c.name.clone(),
                index: c.index,
                ci_low,
                ci_high,
                r_squared: if c.endogenous {
                    finite(c.r_squared)
                } else {
                    None
                },
                alpha: q.and_then(|q| finite(q.alpha)),
                rho_c: q.and_then(|q| finite(q.rho_c)),
                ave: finite(c.ave),
            }
        })
        .collect();
    cell.paths = result
        .paths
        .iter()
        .map(|p| {
            let (ci_low, ci_high) =
                interval(boot.map(|b| &b.paths), &format!("{} -> {}", p.from, p.to))
                    .unwrap_or((None, None));
            PathFigure {
                from: p.from.clone(),
                to: p.to.clone(),
                coefficient: p.coefficient,
                ci_low,
                ci_high,
            }
        })
        .collect();
    cell.htmt = result
        .quality
        .htmt
        .iter()
        .map(|h| HtmtFigure {
            a: h.a.clone(),
            b: h.b.clone(),
            value: h.value.and_then(finite),
        })
        .collect();
    match csi::ipma(result, target) {
        Ok(map) => {
            cell.ipma = map
                .points
                .iter()
                .filter(|p| p.importance.is_finite() && p.performance.is_finite())
                .map(|p| IpmaFigure {
                    construct: p.construct.clone(),
                    importance: p.importance,
                    performance: p.performance,
                    improve_first: p.improve_first,
                })
                .collect();
            cell.improve_first = map.improve_first;
        }
        Err(e) => cell.warnings.push(e.to_string()),
    }
    cell.warnings.extend(result.warnings.iter().cloned());
}

/// Which data columns carry the everyday metrics.
struct RateColumns {
    /// The CSI construct's first item (satisfaction rate, top-two-box), with its scale top.
    satisfaction: Option<(usize, f64)>,
    /// A 0–10 recommendation item.
    nps: Option<usize>,
    /// A 5-point item of the CSI construct (CSAT).
    csat: Option<usize>,
}

impl RateColumns {
    fn of(model: &Model, target: &str) -> RateColumns {
        let items: Vec<_> = model.indicators().collect();
        let position =
            |pred: &dyn Fn(&crate::domain::Construct, &crate::domain::Indicator) -> bool| {
                items.iter().position(|(c, i)| pred(c, i))
            };
        RateColumns {
            satisfaction: position(&|c, i| c.code == target && i.scale.kind() == ScaleKind::Likert)
                .map(|j| (j, f64::from(items[j].1.scale.max()))),
            nps: position(&|_, i| i.scale.kind() == ScaleKind::Nps),
            csat: position(&|c, i| {
                c.code == target && i.scale.kind() == ScaleKind::Likert && i.scale.points() == 5
            }),
        }
    }

    fn fill(&self, cell: &mut Cell, data: &Data) {
        let percent = |p: csi::Proportion| RateFigure {
            n: p.n,
            value: 100.0 * p.rate,
            ci_low: 100.0 * p.ci_low,
            ci_high: 100.0 * p.ci_high,
        };
        if let Some((j, top)) = self.satisfaction {
            cell.satisfaction_rate = csi::top_two_box(data.column(j), top, 0.95)
                .ok()
                .map(percent);
        }
        if let Some(j) = self.nps {
            cell.nps = csi::nps(data.column(j), 0.95).ok().map(|n| RateFigure {
                n: n.n,
                value: n.nps,
                ci_low: n.ci_low,
                ci_high: n.ci_high,
            });
        }
        if let Some(j) = self.csat {
            cell.csat = csi::csat(data.column(j), 5.0, 0.95)
                .ok()
                .map(|p| RateFigure {
                    n: p.n,
                    value: p.rate,
                    ci_low: p.ci_low,
                    ci_high: p.ci_high,
                });
        }
    }
}

/// Compares cell A with cell B (A − B): the engine's permutation test with separate weights, Welch t with pooled ones.
fn compare(
    pls: &PlsModel,
    opts: &PlsOptions,
    options: &ReportOptions,
    a: (&Option<Data>, &Option<Fit>, &Cell),
    b: (&Option<Data>, &Option<Fit>, &Cell),
    stream: u64,
    progress: &Progress,
) -> Option<Comparison> {
    let (Some(data_a), Some(fit_a), cell_a) = a else {
        return None;
    };
    let (Some(data_b), Some(fit_b), cell_b) = b else {
        return None;
    };
    if !cell_a.is_ok() || !cell_b.is_ok() {
        return None;
    }
    if options.pooled {
        let constructs = cell_a
            .constructs
            .iter()
            .enumerate()
            .map(|(k, ca)| {
                let sa = fit_a.scores(k, 0..data_a.nrows());
                let sb = fit_b.scores(k, 0..data_b.nrows());
                let index_b = cell_b.constructs.get(k).map_or(f64::NAN, |c| c.index);
                let welch = csi::welch_t(&sa, &sb, 0.95).ok();
                Difference {
                    code: ca.code.clone(),
                    difference: ca.index - index_b,
                    ci_low: welch.as_ref().and_then(|w| finite(w.ci_low)),
                    ci_high: welch.as_ref().and_then(|w| finite(w.ci_high)),
                    p_value: welch.as_ref().and_then(|w| finite(w.p_value)),
                    significant: welch.as_ref().is_some_and(|w| w.p_value < ALPHA),
                }
            })
            .collect();
        return Some(Comparison {
            test: Test::Welch,
            constructs,
        });
    }
    if options.permutations == 0 {
        return None;
    }
    let last = AtomicUsize::new(0);
    let tick = |d: usize| {
        let d = d.min(options.permutations);
        let before = last.fetch_max(d, Ordering::Relaxed);
        if d > before {
            progress.add(d - before);
        }
    };
    let result = csi::compare_indices(
        pls,
        data_a,
        data_b,
        opts,
        &CompareOptions {
            permutations: options.permutations,
            // The interval of a difference comes from the two cells' bootstrap standard errors below.
            resamples: 2,
            seed: options.seed.wrapping_add(stream),
            level: 0.95,
        },
        Some(&tick),
    );
    let before = last.swap(options.permutations, Ordering::Relaxed);
    if options.permutations > before {
        progress.add(options.permutations - before);
    }
    let result = result.ok()?;
    let se = |fit: &Fit, code: &str| {
        fit.boot
            .as_ref()
            .and_then(|b| b.index.iter().find(|i| i.name == code))
            .map(|i| i.se)
    };
    let z = 1.959_963_984_540_054;
    let constructs = result
        .differences
        .iter()
        .map(|d| {
            let half = match (se(fit_a, &d.construct), se(fit_b, &d.construct)) {
                (Some(x), Some(y)) => finite(z * (x * x + y * y).sqrt()),
                _ => None,
            };
            Difference {
                code: d.construct.clone(),
                difference: d.difference,
                ci_low: half.map(|h| d.difference - h),
                ci_high: half.map(|h| d.difference + h),
                p_value: finite(d.p_value),
                significant: d.p_value < ALPHA,
            }
        })
        .collect();
    Some(Comparison {
        test: Test::Permutation,
        constructs,
    })
}

/// Every segment value of every brand of a period, scored with the cell's weights; small cells suppressed.
fn segment_cells(
    model: &Model,
    records: &[SurveyRecord],
    groups: &[Group],
    fits: &[Option<Fit>],
    cells: &[Cell],
    min_sample: usize,
) -> Vec<SegmentCell> {
    let mut out = Vec::new();
    let target = target_of(model);
    let t = model
        .constructs
        .iter()
        .position(|c| c.code == target)
        .unwrap_or(0);
    for (b, g) in groups.iter().enumerate() {
        let (Some(fit), true) = (&fits[b], cells[b].is_ok()) else {
            continue;
        };
        for attribute in SEGMENT_ATTRIBUTES {
            let mut values: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
            for (row, &i) in g.members.iter().enumerate() {
                if let Some(value) = segment_value(&records[i].segments, attribute) {
                    values.entry(value).or_default().push(row);
                }
            }
            for (value, rows) in values {
                let enough = rows.len() >= min_sample;
                let indices: Vec<f64> = if enough {
                    (0..model.constructs.len())
                        .map(|k| {
                            let s = fit.scores(k, rows.iter().copied());
                            if s.is_empty() {
                                f64::NAN
                            } else {
                                s.iter().sum::<f64>() / s.len() as f64
                            }
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                let ci = enough
                    .then(|| csi::mean_ci(&fit.scores(t, rows.iter().copied()), 0.95).ok())
                    .flatten();
                out.push(SegmentCell {
                    attribute: attribute.to_owned(),
                    value: value.to_owned(),
                    brand_id: cells[b].brand_id,
                    n: rows.len(),
                    indices,
                    csi_ci_low: ci.as_ref().and_then(|c| finite(c.ci_low)),
                    csi_ci_high: ci.as_ref().and_then(|c| finite(c.ci_high)),
                });
            }
        }
    }
    out
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
