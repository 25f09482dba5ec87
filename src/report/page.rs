//! The executive report page's view model for one period: headline, trend, constructs, IPMA, paths, segments, appendix (pure).

use super::charts::{self, DiagramEdge, DiagramNode, IpmaPoint, TrendSeries};
use super::figures::{Cell, CellStatus, ReportFigures, SEGMENT_ATTRIBUTES};
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

#[derive(Debug, Serialize)]
pub struct LegendEntry {
    pub name: String,
    pub colour: String,
}

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

/// One respondent attribute (customer class, region, …) and its values.
#[derive(Debug, Serialize)]
pub struct SegmentGroup {
    pub attribute: String,
    pub rows: Vec<SegmentRow>,
}

/// One value of an attribute: the CSI of every brand (in report order) with its sample size.
#[derive(Debug, Serialize)]
pub struct SegmentRow {
    pub value: String,
    pub cells: Vec<SegmentFigure>,
}

#[derive(Debug, Serialize)]
pub struct SegmentFigure {
    pub csi: Figure,
    pub n: usize,
}

#[derive(Debug, Serialize)]
pub struct SampleRow {
    pub brand: String,
    pub n: usize,
    pub status: String,
}

#[derive(Debug, Serialize)]
pub struct QualityRow {
    pub name: String,
    pub alpha: String,
    pub alpha_ok: bool,
    pub rho_c: String,
    pub rho_c_ok: bool,
    pub ave: String,
    pub ave_ok: bool,
    pub r_squared: String,
}

#[derive(Debug, Serialize)]
pub struct HtmtRow {
    pub pair: String,
    pub value: String,
    pub ok: bool,
}

fn zh(lang: Lang) -> bool {
    lang == Lang::ZhCn
}

fn too_few_text(lang: Lang) -> String {
    if zh(lang) {
        "样本不足".into()
    } else {
        "too few responses".into()
    }
}

fn index_figure(cell: &Cell, code: &str, lang: Lang) -> Figure {
    match (&cell.status, cell.construct(code)) {
        (CellStatus::Ok, Some(c)) => Figure {
            text: format!("{:.1}", c.index),
            ci: match (c.ci_low, c.ci_high) {
                (Some(l), Some(h)) => format!("{l:.1}–{h:.1}"),
                _ => String::new(),
            },
            too_few: false,
            mark: String::new(),
            p: String::new(),
        },
        (CellStatus::TooFew, _) => Figure {
            text: too_few_text(lang),
            ci: format!("n = {}", cell.n),
            too_few: true,
            mark: String::new(),
            p: String::new(),
        },
        (CellStatus::Failed(_), _) | (CellStatus::Ok, None) => Figure {
            text: if zh(lang) {
                "无法估计".into()
            } else {
                "not estimable".into()
            },
            ci: String::new(),
            too_few: true,
            mark: String::new(),
            p: String::new(),
        },
    }
}

/// A change (`sign` 1) or our lead over a competitor (`sign` -1 turns the engine's
/// competitor − ours around), so that a positive, green ▲ always means good for us.
fn difference_figure(
    comparison: Option<&super::figures::Comparison>,
    code: &str,
    sign: f64,
) -> Figure {
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
        None => Figure {
            text: "—".into(),
            ci: String::new(),
            too_few: true,
            mark: String::new(),
            p: String::new(),
        },
    }
}

fn num(x: Option<f64>, digits: usize) -> String {
    x.map(|v| format!("{v:.digits$}"))
        .unwrap_or_else(|| "—".into())
}

/// The view of period `index` of the report.
pub fn build(
    figures: &ReportFigures,
    index: usize,
    versions: &[(i32, i32)],
    lang: Lang,
) -> ReportPage {
    let period = &figures.periods[index];
    let target = figures.target.as_str();
    let own = &period.cells[0];
    let name_of = |code: &str| figures.construct_name(code, lang);
    let brand_name = |cell: &Cell| {
        figures
            .brand(cell.brand_id)
            .map(|b| b.name(lang).to_owned())
            .unwrap_or_default()
    };
    // Headline.
    let csi = own.is_ok().then(|| own.construct(target)).flatten();
    let change = own.change.as_ref().and_then(|c| c.of(target));
    let previous_label = index
        .checked_sub(1)
        .map(|i| figures.periods[i].period.label(lang).to_owned())
        .unwrap_or_default();
    let mut ranked: Vec<(f64, &Cell)> = period
        .cells
        .iter()
        .filter_map(|c| {
            c.construct(target)
                .filter(|_| c.is_ok())
                .map(|x| (x.index, c))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    let is_own = |c: &Cell| figures.brand(c.brand_id).is_some_and(|b| b.own);
    let position = ranked.iter().position(|(_, c)| is_own(c));
    let rank = position.map(|r| format!("{} / {}", r + 1, ranked.len()));
    let rank_note = match (position, ranked.first(), ranked.get(1)) {
        (None, _, _) | (_, None, _) => String::new(),
        (Some(_), Some(_), None) => {
            if zh(lang) {
                "本期没有可比较的竞品".into()
            } else {
                "no competitor to compare with this period".into()
            }
        }
        (Some(0), Some((ours, _)), Some((next, runner_up))) => {
            let beyond = runner_up
                .gap
                .as_ref()
                .and_then(|g| g.of(target))
                .is_some_and(|d| d.significant);
            let name = brand_name(runner_up);
            let lead = ours - next;
            match (zh(lang), beyond) {
                (true, true) => format!("领先第二名{name} {lead:.1} 分，差距显著"),
                (true, false) => format!("领先第二名{name} {lead:.1} 分，但差距在随机波动范围内"),
                (false, true) => format!("ahead of {name} by {lead:.1} points, a significant lead"),
                (false, false) => format!("ahead of {name} by {lead:.1} points, within noise"),
            }
        }
        (Some(_), Some((best, leader)), Some(_)) => {
            let beyond = leader
                .gap
                .as_ref()
                .and_then(|g| g.of(target))
                .is_some_and(|d| d.significant);
            let name = brand_name(leader);
            let behind = best - csi.map_or(*best, |c| c.index);
            match (zh(lang), beyond) {
                (true, true) => format!("落后第一名{name} {behind:.1} 分，差距显著"),
                (true, false) => format!("落后第一名{name} {behind:.1} 分，差距在随机波动范围内"),
                (false, true) => format!("{name} leads by {behind:.1} points, a significant gap"),
                (false, false) => format!("{name} leads by {behind:.1} points, within noise"),
            }
        }
    };
    let (change_kind, change_note) = match change {
        Some(d) if d.significant && d.difference > 0.0 => (
            "up",
            if zh(lang) {
                format!("较{previous_label}显著上升")
            } else {
                format!("a significant rise from {previous_label}")
            },
        ),
        Some(d) if d.significant => (
            "down",
            if zh(lang) {
                format!("较{previous_label}显著下降")
            } else {
                format!("a significant fall from {previous_label}")
            },
        ),
        Some(_) => (
            "flat",
            if zh(lang) {
                format!("与{previous_label}相比的变化在随机波动范围内（不显著）")
            } else {
                format!("within noise compared with {previous_label} (not significant)")
            },
        ),
        None => (
            "none",
            if zh(lang) {
                "没有可比较的上一期".into()
            } else {
                "no previous period to compare with".into()
            },
        ),
    };
    let headline = Headline {
        csi: csi.map(|c| format!("{:.1}", c.index)),
        ci: csi.and_then(|c| Some(format!("{:.1}–{:.1}", c.ci_low?, c.ci_high?))),
        n: own.n,
        too_few: own.status == CellStatus::TooFew,
        change: change.map(|d| format!("{:+.1}", d.difference)),
        change_kind: change_kind.into(),
        change_note,
        rank,
        rank_note,
    };
    // Trend over up to eight periods ending here.
    let first = (index + 1).saturating_sub(TREND_PERIODS);
    let window = &figures.periods[first..=index];
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
    let trend_label = if zh(lang) {
        format!("{}（CSI）各期走势，含95%置信带", name_of(target))
    } else {
        format!("{} (CSI) by period with 95 % bands", name_of(target))
    };
    let trend_svg = charts::trend_chart(&labels, &series, "CSI (0–100)", &trend_label);
    let legend = figures
        .brands
        .iter()
        .enumerate()
        .map(|(i, b)| LegendEntry {
            name: b.name(lang).to_owned(),
            colour: charts::colour_hex(i),
        })
        .collect();
    // Constructs table.
    let competitors: Vec<&Cell> = period.cells.iter().skip(1).collect();
    let constructs = figures
        .constructs
        .iter()
        .map(|c| ConstructRow {
            code: c.code.clone(),
            name: name_of(&c.code),
            target: c.code == target,
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
        .collect();
    // Everyday metrics.
    let mut metrics = Vec::new();
    let rate_row = |name: String,
                    pick: &dyn Fn(&Cell) -> Option<&super::figures::RateFigure>,
                    unit: &str| MetricRow {
        name,
        values: period
            .cells
            .iter()
            .map(|cell| match (cell.is_ok(), pick(cell)) {
                (true, Some(r)) => Figure {
                    text: format!("{:.1}{unit}", r.value),
                    ci: format!("{:.1}–{:.1}", r.ci_low, r.ci_high),
                    too_few: false,
                    mark: String::new(),
                    p: String::new(),
                },
                (false, _) => Figure {
                    text: too_few_text(lang),
                    ci: String::new(),
                    too_few: true,
                    mark: String::new(),
                    p: String::new(),
                },
                (true, None) => Figure {
                    text: "—".into(),
                    ci: String::new(),
                    too_few: true,
                    mark: String::new(),
                    p: String::new(),
                },
            })
            .collect(),
    };
    metrics.push(rate_row(
        if zh(lang) {
            "满意率（前两格）".into()
        } else {
            "Satisfaction rate (top two boxes)".into()
        },
        &|c| c.satisfaction_rate.as_ref(),
        " %",
    ));
    if figures.has_nps {
        metrics.push(rate_row("NPS".into(), &|c| c.nps.as_ref(), ""));
    }
    if figures.has_csat {
        metrics.push(rate_row("CSAT".into(), &|c| c.csat.as_ref(), " %"));
    }
    // IPMA and the improve-first list, in words.
    let ipma_points: Vec<IpmaPoint> = own
        .ipma
        .iter()
        .map(|p| IpmaPoint {
            label: name_of(&p.construct),
            importance: p.importance,
            performance: p.performance,
            improve_first: p.improve_first,
        })
        .collect();
    let ipma_svg = if own.is_ok() {
        charts::ipma_chart(
            &ipma_points,
            if zh(lang) {
                "重要性（对CSI的总效应）"
            } else {
                "importance (total effect on the CSI)"
            },
            if zh(lang) {
                "表现（0–100 指数）"
            } else {
                "performance (0–100 index)"
            },
            if zh(lang) {
                "优先改进区：重要而表现偏弱"
            } else {
                "improve first: important, weaker"
            },
            if zh(lang) {
                "重要性–表现矩阵"
            } else {
                "Importance–performance map"
            },
        )
    } else {
        String::new()
    };
    let mean_performance = if ipma_points.is_empty() {
        0.0
    } else {
        ipma_points.iter().map(|p| p.performance).sum::<f64>() / ipma_points.len() as f64
    };
    let improve_first = own
        .improve_first
        .iter()
        .filter_map(|code| own.ipma.iter().find(|p| &p.construct == code))
        .map(|p| {
            let name = name_of(&p.construct);
            if zh(lang) {
                format!("优先改进“{name}”：其表现为 {:.1}，低于各驱动因素的平均 {mean_performance:.1}；而其重要性较高，指数每提高 1 分，CSI 约提高 {:.2} 分。", p.performance, p.importance)
            } else {
                format!("Improve “{name}” first: it performs at {:.1}, below the drivers’ average of {mean_performance:.1}, and it matters — one more point on it lifts the CSI by about {:.2} points.", p.performance, p.importance)
            }
        })
        .collect();
    // Path diagram of our brand.
    let paths_svg = if own.is_ok() {
        let nodes: Vec<DiagramNode> = figures
            .constructs
            .iter()
            .map(|c| {
                let figure = own.construct(&c.code);
                DiagramNode {
                    code: c.code.clone(),
                    name: name_of(&c.code),
                    caption: match figure {
                        Some(f) => match f.r_squared {
                            Some(r2) => format!("{:.1} · R² {r2:.2}", f.index),
                            None => format!("{:.1}", f.index),
                        },
                        None => String::new(),
                    },
                    target: c.code == target,
                }
            })
            .collect();
        let edges: Vec<DiagramEdge> = own
            .paths
            .iter()
            .map(|p| DiagramEdge {
                from: p.from.clone(),
                to: p.to.clone(),
                coefficient: p.coefficient,
                significant: match (p.ci_low, p.ci_high) {
                    (Some(l), Some(h)) => l > 0.0 || h < 0.0,
                    _ => true,
                },
            })
            .collect();
        charts::path_diagram(
            &nodes,
            &edges,
            if zh(lang) {
                "路径图与路径系数"
            } else {
                "Path diagram with coefficients"
            },
        )
    } else {
        String::new()
    };
    // Segments: every brand, CSI only.
    let attribute_name = |a: &str| -> String {
        match (a, zh(lang)) {
            ("customer_class", true) => "客户等级".into(),
            ("customer_class", false) => "Customer class".into(),
            ("region", true) => "地区".into(),
            ("region", false) => "Region".into(),
            ("channel", true) => "渠道".into(),
            ("channel", false) => "Channel".into(),
            ("lifecycle_stage", true) => "生命周期阶段".into(),
            _ => "Lifecycle stage".into(),
        }
    };
    let t = figures
        .constructs
        .iter()
        .position(|c| c.code == target)
        .unwrap_or(0);
    let segment_figure = |s: Option<&super::figures::SegmentCell>| match s {
        Some(s) => SegmentFigure {
            n: s.n,
            csi: match s.indices.get(t) {
                Some(v) => Figure {
                    text: format!("{v:.1}"),
                    ci: match (s.csi_ci_low, s.csi_ci_high) {
                        (Some(l), Some(h)) => format!("{l:.1}–{h:.1}"),
                        _ => String::new(),
                    },
                    too_few: false,
                    mark: String::new(),
                    p: String::new(),
                },
                None => Figure {
                    text: "—".into(),
                    ci: String::new(),
                    too_few: true,
                    mark: String::new(),
                    p: String::new(),
                },
            },
        },
        None => SegmentFigure {
            n: 0,
            csi: Figure {
                text: "—".into(),
                ci: String::new(),
                too_few: true,
                mark: String::new(),
                p: String::new(),
            },
        },
    };
    let mut segments: Vec<SegmentGroup> = Vec::new();
    for attribute in SEGMENT_ATTRIBUTES {
        let mut values: Vec<&str> = Vec::new();
        for s in period.segments.iter().filter(|s| s.attribute == attribute) {
            if !values.contains(&s.value.as_str()) {
                values.push(&s.value);
            }
        }
        if values.is_empty() {
            continue;
        }
        let rows = values
            .into_iter()
            .map(|value| SegmentRow {
                value: value.to_owned(),
                cells: figures
                    .brands
                    .iter()
                    .map(|brand| {
                        segment_figure(period.segments.iter().find(|s| {
                            s.attribute == attribute && s.value == value && s.brand_id == brand.id
                        }))
                    })
                    .collect(),
            })
            .collect();
        segments.push(SegmentGroup {
            attribute: attribute_name(attribute),
            rows,
        });
    }
    // Appendix.
    let samples = period
        .cells
        .iter()
        .map(|c| SampleRow {
            brand: brand_name(c),
            n: c.n,
            status: match &c.status {
                CellStatus::Ok => {
                    if zh(lang) {
                        "已估计".into()
                    } else {
                        "estimated".into()
                    }
                }
                CellStatus::TooFew => {
                    format!("{} (< {})", too_few_text(lang), figures.options.min_sample)
                }
                CellStatus::Failed(e) => e.clone(),
            },
        })
        .collect();
    let quality = own
        .constructs
        .iter()
        .map(|c| QualityRow {
            name: name_of(&c.code),
            alpha: num(c.alpha, 2),
            alpha_ok: c.alpha.is_some_and(|v| v >= ALPHA_MIN),
            rho_c: num(c.rho_c, 2),
            rho_c_ok: c.rho_c.is_some_and(|v| v >= RHO_C_MIN),
            ave: num(c.ave, 2),
            ave_ok: c.ave.is_some_and(|v| v >= AVE_MIN),
            r_squared: num(c.r_squared, 2),
        })
        .collect();
    let htmt = own
        .htmt
        .iter()
        .filter_map(|h| Some((h, h.value?)))
        .map(|(h, v)| HtmtRow {
            pair: format!("{} – {}", name_of(&h.a), name_of(&h.b)),
            value: format!("{v:.2}"),
            ok: v < HTMT_MAX,
        })
        .collect();
    let number_of = |id: &i32| {
        versions
            .iter()
            .find(|(v, _)| v == id)
            .map(|(_, n)| *n)
            .unwrap_or(*id)
    };
    let numbers = |ids: &[i32]| {
        ids.iter()
            .map(|id| format!("v{}", number_of(id)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let version_note = match index.checked_sub(1).map(|i| &figures.periods[i]) {
        Some(prev) if prev.version_ids != period.version_ids => Some(if zh(lang) {
            format!(
                "问卷版本有变化：{} 使用 {}，本期使用 {}。指标按代码匹配，跨版本比较请留意题目改动。",
                prev.period.label(lang),
                numbers(&prev.version_ids),
                numbers(&period.version_ids)
            )
        } else {
            format!(
                "Questionnaire version break: {} used {}, this period used {}. Indicators are matched by code; read comparisons across the break with the wording changes in mind.",
                prev.period.label(lang),
                numbers(&prev.version_ids),
                numbers(&period.version_ids)
            )
        }),
        _ if period.version_ids.len() > 1 => Some(if zh(lang) {
            format!(
                "本期答卷来自多个问卷版本：{}。",
                numbers(&period.version_ids)
            )
        } else {
            format!(
                "Responses this period answered several versions: {}.",
                numbers(&period.version_ids)
            )
        }),
        _ => None,
    };
    let options = &figures.options;
    let method = match (zh(lang), options.pooled) {
        (true, false) => format!(
            "每个品牌、每期分别进行PLS估计（模型权重各自估计）；指数区间为 {} 次自助抽样的95%百分位区间；变化与差距用 {} 次置换检验（p < 0.05 为显著）。样本少于 {} 的单元格不显示数值。",
            options.resamples, options.permutations, options.min_sample
        ),
        (false, false) => format!(
            "PLS estimated separately for every brand and period (each with its own weights); index intervals are 95 % percentile intervals from {} bootstrap resamples; changes and gaps are tested with {} random permutations (significant at p < 0.05). Cells with fewer than {} responses show no number.",
            options.resamples, options.permutations, options.min_sample
        ),
        (true, true) => format!(
            "合并模型：每期用所有品牌的答卷估计一次权重（与ACSI做法相同），各品牌用同一套权重计分，便于在同一把尺子上比较；指数区间为受访者得分的t区间，变化与差距用Welch t检验（p < 0.05 为显著）。样本少于 {} 的单元格不显示数值。",
            options.min_sample
        ),
        (false, true) => format!(
            "Pooled model: weights estimated once per period on all brands (as ACSI does) and every brand scored with them, so brand indices sit on one yardstick; index intervals are t intervals of respondents’ scores; changes and gaps use Welch’s t test (significant at p < 0.05). Cells with fewer than {} responses show no number.",
            options.min_sample
        ),
    };
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
        method,
        pooled: options.pooled,
        headline,
        trend_svg,
        legend,
        brands: figures
            .brands
            .iter()
            .map(|b| b.name(lang).to_owned())
            .collect(),
        constructs,
        metrics,
        ipma_svg,
        improve_first,
        paths_svg,
        segments,
        min_sample: options.min_sample,
        samples,
        quality,
        htmt,
        version_note,
        imported: figures.imported_responses,
        unassigned: figures.unassigned_responses,
    }
}
