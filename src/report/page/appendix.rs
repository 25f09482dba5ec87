//! The appendix: sample sizes, measurement quality, discriminant validity (HTMT), version breaks and the method.

use super::super::figures::CellStatus;
use super::figure::{num, too_few_text};
use super::{ALPHA_MIN, AVE_MIN, HTMT_MAX, RHO_C_MIN, Section};
use serde::Serialize;

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

/// Every brand's sample size and whether its cell was estimated.
pub(super) fn samples(s: &Section) -> Vec<SampleRow> {
    s.period
        .cells
        .iter()
        .map(|c| SampleRow {
            brand: s.brand_name(c),
            n: c.n,
            status: match &c.status {
                CellStatus::Ok => {
                    if s.zh() {
                        "已估计".into()
                    } else {
                        "estimated".into()
                    }
                }
                CellStatus::TooFew => {
                    format!(
                        "{} (< {})",
                        too_few_text(s.lang),
                        s.figures.options.min_sample
                    )
                }
                CellStatus::Failed(e) => e.clone(),
            },
        })
        .collect()
}

/// Our constructs' reliability and convergent validity against the usual thresholds.
pub(super) fn quality(s: &Section) -> Vec<QualityRow> {
    s.own
        .constructs
        .iter()
        .map(|c| QualityRow {
            name: s.name_of(&c.code),
            alpha: num(c.alpha, 2),
            alpha_ok: c.alpha.is_some_and(|v| v >= ALPHA_MIN),
            rho_c: num(c.rho_c, 2),
            rho_c_ok: c.rho_c.is_some_and(|v| v >= RHO_C_MIN),
            ave: num(c.ave, 2),
            ave_ok: c.ave.is_some_and(|v| v >= AVE_MIN),
            r_squared: num(c.r_squared, 2),
        })
        .collect()
}

/// Our HTMT ratios of every construct pair that has one.
pub(super) fn htmt(s: &Section) -> Vec<HtmtRow> {
    s.own
        .htmt
        .iter()
        .filter_map(|h| Some((h, h.value?)))
        .map(|(h, v)| HtmtRow {
            pair: format!("{} – {}", s.name_of(&h.a), s.name_of(&h.b)),
            value: format!("{v:.2}"),
            ok: v < HTMT_MAX,
        })
        .collect()
}

/// A note when the questionnaire version changed since the previous period, or this period mixes versions.
/// `versions` maps version ids to their numbers.
pub(super) fn version_note(s: &Section, versions: &[(i32, i32)]) -> Option<String> {
    let period = s.period;
    let lang = s.lang;
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
    match s.previous() {
        Some(prev) if prev.version_ids != period.version_ids => Some(if s.zh() {
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
        _ if period.version_ids.len() > 1 => Some(if s.zh() {
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
    }
}

/// How the numbers were estimated and tested (separate or pooled models).
pub(super) fn method(s: &Section) -> String {
    let options = &s.figures.options;
    match (s.zh(), options.pooled) {
        (true, false) => format!(
            "每个品牌、每期分别进行PLS估计（模型权重各自估计）；指数区间为 {} 次自助抽样的95%百分位区间；变化与差距先除以其标准误（学生化），用 {} 次置换检验其显著性（p < 0.05 为显著），其95%区间来自同样次数的自助抽样（bootstrap-t）。样本少于 {} 的单元格不显示数值。",
            options.resamples, options.permutations, options.min_sample
        ),
        (false, false) => format!(
            "PLS estimated separately for every brand and period (each with its own weights); index intervals are 95 % percentile intervals from {} bootstrap resamples; changes and gaps are divided by their standard error and tested with {} random permutations (significant at p < 0.05), their 95 % intervals from as many bootstrap resamples of the same studentized difference. Cells with fewer than {} responses show no number.",
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
    }
}
