//! The PLS path model specification: constructs (blocks of indicators) and inner paths.

use serde::Serialize;

use super::error::{CsiError, Result};

/// Outer (measurement) mode of a block (Lohmöller 1989, ch. 2; Tenenhaus et al. 2005, §2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Mode {
    /// Reflective: outer weights are the covariances of the indicators with
    /// the inner estimate (simple regressions of each indicator on it).
    #[default]
    A,
    /// Formative: outer weights are the multiple-regression coefficients of
    /// the inner estimate on the block's indicators.
    B,
}

/// One construct (latent variable) and the data columns that measure it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Block {
    /// construct name, e.g. `"SAT"`
    pub name: String,
    /// indices of the data columns (indicators) of this block
    pub columns: Vec<usize>,
    /// outer mode
    pub mode: Mode,
}

impl Block {
    /// A block in mode A.
    pub fn reflective(name: impl Into<String>, columns: Vec<usize>) -> Self {
        Self {
            name: name.into(),
            columns,
            mode: Mode::A,
        }
    }

    /// A block in mode B.
    pub fn formative(name: impl Into<String>, columns: Vec<usize>) -> Self {
        Self {
            name: name.into(),
            columns,
            mode: Mode::B,
        }
    }
}

/// A PLS path model: blocks plus inner paths `(from, to)` as block indices.
///
/// The inner model must be recursive (acyclic) and every construct must be
/// connected to at least one other construct.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlsModel {
    /// constructs in the order results are reported
    pub blocks: Vec<Block>,
    /// inner paths `(from, to)`, `from` explaining `to`
    pub paths: Vec<(usize, usize)>,
}

/// The model flattened for estimation: indicators in block order.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    /// data column of every model indicator, block by block
    pub columns: Vec<usize>,
    /// `start..end` of every block in `columns`
    pub ranges: Vec<std::ops::Range<usize>>,
    /// block of every model indicator
    pub block_of: Vec<usize>,
    /// predecessors of every construct (sorted)
    pub preds: Vec<Vec<usize>>,
}

impl PlsModel {
    /// Checks the model against a data set with `ncols` columns and returns
    /// its layout.
    pub(crate) fn layout(&self, ncols: usize) -> Result<Layout> {
        let l = self.blocks.len();
        if l < 2 {
            return Err(CsiError::Invalid(
                "a path model needs at least two constructs".into(),
            ));
        }
        let mut seen = vec![None::<usize>; ncols];
        let mut columns = Vec::new();
        let mut ranges = Vec::new();
        let mut block_of = Vec::new();
        for (b, block) in self.blocks.iter().enumerate() {
            if block.columns.is_empty() {
                return Err(CsiError::Construct {
                    construct: block.name.clone(),
                    reason: "it has no indicators".into(),
                });
            }
            if self.blocks[..b].iter().any(|o| o.name == block.name) {
                return Err(CsiError::Invalid(format!(
                    "construct name {} is used twice",
                    block.name
                )));
            }
            let start = columns.len();
            for &c in &block.columns {
                if c >= ncols {
                    return Err(CsiError::Invalid(format!(
                        "construct {}: column {c} does not exist (data has {ncols})",
                        block.name
                    )));
                }
                if let Some(other) = seen[c] {
                    return Err(CsiError::Invalid(format!(
                        "column {c} is used by both {} and {}",
                        self.blocks[other].name, block.name
                    )));
                }
                seen[c] = Some(b);
                columns.push(c);
                block_of.push(b);
            }
            ranges.push(start..columns.len());
        }
        let mut preds = vec![Vec::new(); l];
        let mut connected = vec![false; l];
        for &(from, to) in &self.paths {
            if from >= l || to >= l || from == to {
                return Err(CsiError::Invalid(format!(
                    "path ({from}, {to}) does not join two different constructs"
                )));
            }
            if preds[to].contains(&from) {
                return Err(CsiError::Invalid(format!(
                    "path {} -> {} is given twice",
                    self.blocks[from].name, self.blocks[to].name
                )));
            }
            preds[to].push(from);
            connected[from] = true;
            connected[to] = true;
        }
        if let Some(b) = connected.iter().position(|&c| !c) {
            return Err(CsiError::Construct {
                construct: self.blocks[b].name.clone(),
                reason: "it is not connected to any other construct".into(),
            });
        }
        for p in &mut preds {
            p.sort_unstable();
        }
        // Kahn's algorithm: the inner model must be recursive.
        let mut indeg: Vec<usize> = preds.iter().map(Vec::len).collect();
        let mut topo: Vec<usize> = (0..l).filter(|&k| indeg[k] == 0).collect();
        let mut head = 0;
        while head < topo.len() {
            let j = topo[head];
            head += 1;
            for k in 0..l {
                if preds[k].contains(&j) {
                    indeg[k] -= 1;
                    if indeg[k] == 0 {
                        topo.push(k);
                    }
                }
            }
        }
        if topo.len() < l {
            let k = (0..l).find(|&k| indeg[k] > 0).unwrap_or(0);
            return Err(CsiError::Construct {
                construct: self.blocks[k].name.clone(),
                reason: "it lies on a cycle of the inner model (the model must be recursive)"
                    .into(),
            });
        }
        Ok(Layout {
            columns,
            ranges,
            block_of,
            preds,
        })
    }
}
