//! Grouping records into periods and brands, and the planned work of a computation.

use super::{BrandHead, ReportOptions, SurveyRecord, planned_work};
use crate::domain::report_period::{Calendar, Period};
use std::collections::BTreeMap;

/// A cell's records: indices into the report's records.
pub(super) struct Group {
    pub(super) brand: usize,
    pub(super) members: Vec<usize>,
}

/// Periods (oldest first) with one group per brand; and how many records fit no period or brand.
pub(super) fn group(
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
