//! The page's headline: our CSI with its interval, its change from the previous period and our rank.

use super::super::figures::{Cell, CellStatus, ConstructFigure, Difference};
use super::Section;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Headline {
    /// None when our brand has too few responses.
    pub csi: Option<String>,
    pub ci: Option<String>,
    pub n: usize,
    pub too_few: bool,
    pub change: Option<String>,
    /// "up", "down" or "flat" (not significant)
    pub change_kind: String,
    pub change_note: String,
    /// e.g. "2 / 3"
    pub rank: Option<String>,
    /// Who leads, by how much and whether that lead is beyond noise.
    pub rank_note: String,
}

pub(super) fn headline(s: &Section) -> Headline {
    let own = s.own;
    let csi = own.is_ok().then(|| own.construct(s.target)).flatten();
    let change = own.change.as_ref().and_then(|c| c.of(s.target));
    let (rank, rank_note) = rank(s, csi);
    let (change_kind, change_note) = change_note(s, change);
    Headline {
        csi: csi.map(|c| format!("{:.1}", c.index)),
        ci: csi.and_then(|c| Some(format!("{:.1}–{:.1}", c.ci_low?, c.ci_high?))),
        n: own.n,
        too_few: own.status == CellStatus::TooFew,
        change: change.map(|d| format!("{:+.1}", d.difference)),
        change_kind: change_kind.into(),
        change_note,
        rank,
        rank_note,
    }
}

/// Our rank among the brands with a CSI, and who leads by how much.
fn rank(s: &Section, csi: Option<&ConstructFigure>) -> (Option<String>, String) {
    let target = s.target;
    let mut ranked: Vec<(f64, &Cell)> = s
        .period
        .cells
        .iter()
        .filter_map(|c| {
            c.construct(target)
                .filter(|_| c.is_ok())
                .map(|x| (x.index, c))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    let is_own = |c: &Cell| s.figures.brand(c.brand_id).is_some_and(|b| b.own);
    let position = ranked.iter().position(|(_, c)| is_own(c));
    let rank = position.map(|r| format!("{} / {}", r + 1, ranked.len()));
    // Whether a brand's gap to ours is beyond noise.
    let beyond = |cell: &Cell| {
        cell.gap
            .as_ref()
            .and_then(|g| g.of(target))
            .is_some_and(|d| d.significant)
    };
    let rank_note = match (position, ranked.first(), ranked.get(1)) {
        (None, _, _) | (_, None, _) => String::new(),
        (Some(_), Some(_), None) => {
            if s.zh() {
                "本期没有可比较的竞品".into()
            } else {
                "no competitor to compare with this period".into()
            }
        }
        (Some(0), Some((ours, _)), Some((next, runner_up))) => {
            let beyond = beyond(runner_up);
            let name = s.brand_name(runner_up);
            let lead = ours - next;
            match (s.zh(), beyond) {
                (true, true) => format!("领先第二名{name} {lead:.1} 分，差距显著"),
                (true, false) => format!("领先第二名{name} {lead:.1} 分，但差距在随机波动范围内"),
                (false, true) => format!("ahead of {name} by {lead:.1} points, a significant lead"),
                (false, false) => format!("ahead of {name} by {lead:.1} points, within noise"),
            }
        }
        (Some(_), Some((best, leader)), Some(_)) => {
            let beyond = beyond(leader);
            let name = s.brand_name(leader);
            let behind = best - csi.map_or(*best, |c| c.index);
            match (s.zh(), beyond) {
                (true, true) => format!("落后第一名{name} {behind:.1} 分，差距显著"),
                (true, false) => format!("落后第一名{name} {behind:.1} 分，差距在随机波动范围内"),
                (false, true) => format!("{name} leads by {behind:.1} points, a significant gap"),
                (false, false) => format!("{name} leads by {behind:.1} points, within noise"),
            }
        }
    };
    (rank, rank_note)
}

/// The kind of our CSI's change ("up", "down", "flat" or "none") and a sentence about it.
fn change_note(s: &Section, change: Option<&Difference>) -> (&'static str, String) {
    let previous_label = s
        .previous()
        .map(|p| p.period.label(s.lang).to_owned())
        .unwrap_or_default();
    match change {
        Some(d) if d.significant && d.difference > 0.0 => (
            "up",
            if s.zh() {
                format!("较{previous_label}显著上升")
            } else {
                format!("a significant rise from {previous_label}")
            },
        ),
        Some(d) if d.significant => (
            "down",
            if s.zh() {
                format!("较{previous_label}显著下降")
            } else {
                format!("a significant fall from {previous_label}")
            },
        ),
        Some(_) => (
            "flat",
            if s.zh() {
                format!("与{previous_label}相比的变化在随机波动范围内（不显著）")
            } else {
                format!("within noise compared with {previous_label} (not significant)")
            },
        ),
        None => (
            "none",
            if s.zh() {
                "没有可比较的上一期".into()
            } else {
                "no previous period to compare with".into()
            },
        ),
    }
}
