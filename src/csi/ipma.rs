//! Importance–performance map analysis (IPMA) for a target construct.

use serde::Serialize;

use super::error::{CsiError, Result};
use super::estimate::PlsResult;

/// One construct on the importance–performance map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IpmaPoint {
    /// construct
    pub construct: String,
    /// unstandardised total effect on the target (points of the target's
    /// 0–100 index per point of this construct's index)
    pub importance: f64,
    /// the construct's 0–100 index
    pub performance: f64,
    /// above-mean importance and below-mean performance
    pub improve_first: bool,
}

/// The importance–performance map of a target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ipma {
    /// target construct
    pub target: String,
    /// every construct with a total effect on the target
    pub points: Vec<IpmaPoint>,
    /// mean importance (quadrant border)
    pub mean_importance: f64,
    /// mean performance (quadrant border)
    pub mean_performance: f64,
    /// constructs in the "improve first" quadrant, most important first
    pub improve_first: Vec<String>,
}

/// IPMA (Höck, Ringle & Sarstedt 2010; Ringle & Sarstedt 2016): importance
/// = the unstandardised total effect on `target`, i.e. the standardised
/// total effect × SD(target's 0–100 scores) / SD(predecessor's 0–100 scores)
/// (path products telescope, so this equals the total effect computed from
/// the rescaled scores); performance = the 0–100 index. "Improve first" =
/// importance above and performance below the mean of the plotted constructs.
pub fn ipma(result: &PlsResult, target: &str) -> Result<Ipma> {
    let t = result
        .constructs
        .iter()
        .position(|c| c.name == target)
        .ok_or_else(|| {
            CsiError::Invalid(format!("target construct {target} is not in the model"))
        })?;
    let sd_t = result.constructs[t].index_sd;
    let mut points: Vec<IpmaPoint> = result
        .effects
        .iter()
        .filter(|e| e.to == target)
        .filter_map(|e| {
            let c = result.constructs.iter().find(|c| c.name == e.from)?;
            Some(IpmaPoint {
                construct: e.from.clone(),
                importance: e.total * sd_t / c.index_sd,
                performance: c.index,
                improve_first: false,
            })
        })
        .collect();
    if points.is_empty() {
        return Err(CsiError::Construct {
            construct: target.to_string(),
            reason: "no construct has an effect on it, so there is nothing to map".into(),
        });
    }
    let k = points.len() as f64;
    let mean_importance = points.iter().map(|p| p.importance).sum::<f64>() / k;
    let mean_performance = points.iter().map(|p| p.performance).sum::<f64>() / k;
    for p in &mut points {
        p.improve_first = p.importance > mean_importance && p.performance < mean_performance;
    }
    let mut first: Vec<&IpmaPoint> = points.iter().filter(|p| p.improve_first).collect();
    first.sort_by(|a, b| b.importance.total_cmp(&a.importance));
    let improve_first = first.iter().map(|p| p.construct.clone()).collect();
    Ok(Ipma {
        target: target.to_string(),
        points,
        mean_importance,
        mean_performance,
        improve_first,
    })
}
