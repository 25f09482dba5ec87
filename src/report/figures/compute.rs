//! The computation: every period's cells estimated (separately or with pooled weights), compared and segmented.

use super::cell_figures::{RateColumns, fill_from_fit};
use super::compare::compare;
use super::fit::{Fit, Progress, bootstrap};
use super::grouping::{Group, group};
use super::segments::segment_cells;
use super::{
    BrandHead, Cell, CellStatus, ConstructHead, PeriodFigures, ReportFigures, ReportOptions,
    SurveyRecord, finite, target_of,
};
use crate::analysis::{data_from_records, pls_model};
use crate::csi::{self, Data, Missing, PlsModel, PlsOptions};
use crate::domain::report_period::{Calendar, Period};
use crate::domain::{Lang, Model};

/// The data and fits of one period's cells (kept for the comparisons with the next period).
type PeriodFits = (Vec<Option<Data>>, Vec<Option<Fit>>);

/// The period's pooled fit: the records it was fitted on (indices into the report's records) and the fit.
type PooledFit = (Vec<usize>, Fit);

/// Computes the report. `progress` is told the work units done (see [`super::planned_work`] and [`super::plan`]).
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
    let target = target_of(model);
    let (periods, unassigned) = group(brands, records, calendar);
    let estimator = Estimator {
        model,
        pls: pls_model(model),
        opts: PlsOptions {
            missing: Missing::MeanReplacement,
            ..PlsOptions::default()
        },
        options,
        records,
        target: &target,
        rate_columns: RateColumns::of(model, &target),
        progress: &progress,
    };
    let mut out: Vec<PeriodFigures> = Vec::new();
    // Per period: the cells' data and fits, kept for the comparisons.
    let mut previous: Option<PeriodFits> = None;
    for (p, (period, groups)) in periods.iter().enumerate() {
        let previous_cells = previous.as_ref().map(|fits| (fits, &out[p - 1].cells));
        let (figures, fits) = estimator.period(p, period, brands, groups, previous_cells);
        out.push(figures);
        previous = Some(fits);
    }
    ReportFigures {
        options: *options,
        target: target.clone(),
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
        has_nps: estimator.rate_columns.nps.is_some(),
        has_csat: estimator.rate_columns.csat.is_some(),
    }
}

/// What estimating a cell needs, the same for every period.
struct Estimator<'a, 'p> {
    model: &'a Model,
    pls: PlsModel,
    opts: PlsOptions,
    options: &'a ReportOptions,
    records: &'a [SurveyRecord],
    target: &'a str,
    rate_columns: RateColumns,
    progress: &'a Progress<'p>,
}

impl Estimator<'_, '_> {
    /// One period's figures: its cells estimated, compared with our brand and with the
    /// previous period (its fits and cells), and segmented; and its fits for the next period.
    fn period(
        &self,
        p: usize,
        period: &Period,
        brands: &[BrandHead],
        groups: &[Group],
        previous: Option<(&PeriodFits, &Vec<Cell>)>,
    ) -> (PeriodFigures, PeriodFits) {
        let (options, records) = (self.options, self.records);
        let pooled = if options.pooled {
            self.pooled_fit(p, groups)
        } else {
            None
        };
        let mut cells = Vec::new();
        let mut datas: Vec<Option<Data>> = Vec::new();
        let mut fits: Vec<Option<Fit>> = Vec::new();
        for (b, g) in groups.iter().enumerate() {
            let (cell, data, fit) = self.cell(p, b, brands[b].id, g, pooled.as_ref());
            cells.push(cell);
            datas.push(data);
            fits.push(fit);
        }
        // Gaps against our brand (the first brand).
        for b in 1..cells.len() {
            cells[b].gap = self.compare(
                (&datas[b], &fits[b], &cells[b]),
                (&datas[0], &fits[0], &cells[0]),
                (p as u64) << 8 | b as u64,
            );
        }
        // Changes against the previous period.
        if let Some(((prev_datas, prev_fits), prev_cells)) = previous {
            for b in 0..cells.len() {
                cells[b].change = self.compare(
                    (&datas[b], &fits[b], &cells[b]),
                    (&prev_datas[b], &prev_fits[b], &prev_cells[b]),
                    (1 << 40) | (p as u64) << 8 | b as u64,
                );
            }
        }
        let segments = segment_cells(
            self.model,
            records,
            groups,
            &fits,
            &cells,
            options.min_sample,
        );
        let mut version_ids: Vec<i32> = groups
            .iter()
            .flat_map(|g| g.members.iter().map(|&i| records[i].record.version_id))
            .collect();
        version_ids.sort_unstable();
        version_ids.dedup();
        let figures = PeriodFigures {
            period: period.clone(),
            version_ids,
            cells,
            segments,
        };
        (figures, (datas, fits))
    }

    fn compare(
        &self,
        a: (&Option<Data>, &Option<Fit>, &Cell),
        b: (&Option<Data>, &Option<Fit>, &Cell),
        stream: u64,
    ) -> Option<super::Comparison> {
        compare(
            &self.pls,
            &self.opts,
            self.options,
            a,
            b,
            stream,
            self.progress,
        )
    }

    /// The pooled fit of period `p`: all brands' cells with enough responses.
    fn pooled_fit(&self, p: usize, groups: &[Group]) -> Option<PooledFit> {
        let (options, records) = (self.options, self.records);
        let members: Vec<usize> = groups
            .iter()
            .filter(|g| g.members.len() >= options.min_sample)
            .flat_map(|g| g.members.iter().copied())
            .collect();
        (members.len() >= options.min_sample)
            .then(|| {
                let data =
                    data_from_records(self.model, members.iter().map(|&i| &records[i].record))
                        .ok()?;
                let result = csi::estimate(&self.pls, &data, &self.opts).ok()?;
                let boot = bootstrap(
                    &self.pls,
                    &data,
                    &self.opts,
                    options,
                    p as u64,
                    self.progress,
                );
                Some((members, Fit::new(result, data.nrows(), boot)))
            })
            .flatten()
    }

    /// Brand `b`'s cell of period `p` with its data and fit (none when it has too few
    /// responses or could not be estimated).
    fn cell(
        &self,
        p: usize,
        b: usize,
        brand_id: i32,
        g: &Group,
        pooled: Option<&PooledFit>,
    ) -> (Cell, Option<Data>, Option<Fit>) {
        let mut cell = Cell::empty(brand_id, g.members.len());
        if g.members.len() < self.options.min_sample {
            cell.status = CellStatus::TooFew;
            return (cell, None, None);
        }
        let group_records = g.members.iter().map(|&i| &self.records[i].record);
        let data = match data_from_records(self.model, group_records) {
            Ok(data) => data,
            Err(e) => {
                cell.status = CellStatus::Failed(e);
                return (cell, None, None);
            }
        };
        self.rate_columns.fill(&mut cell, &data);
        let fit = if self.options.pooled {
            self.score_with_pooled(&mut cell, g, pooled)
        } else {
            self.fit_separately(&mut cell, &data, (p as u64) << 8 | b as u64)
        };
        (cell, Some(data), fit)
    }

    /// Scores a cell with the period's pooled weights: its indices are its respondents' mean
    /// scores with t intervals. Returns the cell's own rows of the pooled fit.
    fn score_with_pooled(
        &self,
        cell: &mut Cell,
        g: &Group,
        pooled: Option<&PooledFit>,
    ) -> Option<Fit> {
        let Some((members, fit)) = pooled else {
            cell.status = CellStatus::Failed("the pooled model could not be estimated".into());
            return None;
        };
        let offset = members.iter().position(|m| *m == g.members[0]).unwrap_or(0);
        let rows = offset..offset + g.members.len();
        fill_from_fit(cell, &fit.result, fit.boot.as_ref(), self.target);
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
        Some(Fit {
            result: fit.result.clone(),
            rows: own_rows,
            boot: None,
        })
    }

    /// Estimates a cell with its own weights and bootstraps it (random stream `stream`).
    fn fit_separately(&self, cell: &mut Cell, data: &Data, stream: u64) -> Option<Fit> {
        match csi::estimate(&self.pls, data, &self.opts) {
            Ok(result) => {
                let boot = bootstrap(
                    &self.pls,
                    data,
                    &self.opts,
                    self.options,
                    stream,
                    self.progress,
                );
                fill_from_fit(cell, &result, boot.as_ref(), self.target);
                Some(Fit::new(result, data.nrows(), boot))
            }
            Err(e) => {
                self.progress.add(self.options.resamples);
                cell.status = CellStatus::Failed(e.to_string());
                None
            }
        }
    }
}
