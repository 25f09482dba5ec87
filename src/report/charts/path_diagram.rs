//! The path diagram as hand-written SVG: construct boxes with their indices, arrows with path coefficients.

use super::escape;
use super::path_layout::{columns_of, rows_of};
use std::collections::BTreeMap;
use std::fmt::Write;

/// A construct box of the path diagram.
pub struct DiagramNode {
    pub code: String,
    pub name: String,
    /// e.g. "72.4" (the index) or "R² 0.61"
    pub caption: String,
    /// The satisfaction index the report is about: the middle column of the diagram.
    pub target: bool,
}

/// A path with its coefficient; `significant` draws it solid, otherwise dashed.
pub struct DiagramEdge {
    pub from: String,
    pub to: String,
    pub coefficient: f64,
    pub significant: bool,
}

const BOX_W: i32 = 176;
const BOX_H: i32 = 58;
const COL_GAP: i32 = 96;
const ROW_GAP: i32 = 40;
const MARGIN: i32 = 12;
/// Room left of the first column for arcs between boxes of one column that skip a box.
const ARC_ROOM: i32 = 52;
/// Room above the boxes for arcs that jump over a column.
const JUMP_ROOM: i32 = 44;

/// The structural model with path coefficients on the arrows: drivers left, the satisfaction
/// index in the middle, outcomes right; paths inside a column run down it (arcs on the left when
/// they skip a box), paths over a column arc above the boxes.
pub fn path_diagram(nodes: &[DiagramNode], edges: &[DiagramEdge], label: &str) -> String {
    let column = columns_of(nodes, edges);
    let columns = rows_of(nodes, edges, &column);
    let tallest = columns.values().map(Vec::len).max().unwrap_or(1) as i32;
    let count = columns.keys().next_back().map_or(1, |l| l + 1) as i32;
    let jumps = edges
        .iter()
        .any(|e| match (column.get(&e.from), column.get(&e.to)) {
            (Some(a), Some(b)) => a.abs_diff(*b) >= 2,
            _ => false,
        });
    let top = MARGIN + if jumps { JUMP_ROOM } else { 0 };
    let left = MARGIN + ARC_ROOM;
    let width = left + count * BOX_W + (count - 1).max(0) * COL_GAP + MARGIN;
    let height = top + tallest * BOX_H + (tallest - 1).max(0) * ROW_GAP + MARGIN;
    // (x, y, column, row) of each box's top-left corner.
    let mut position: BTreeMap<&str, (i32, i32, i32, i32)> = BTreeMap::new();
    for (c, list) in &columns {
        let used = list.len() as i32 * BOX_H + (list.len() as i32 - 1) * ROW_GAP;
        let free = tallest * BOX_H + (tallest - 1) * ROW_GAP - used;
        for (r, n) in list.iter().enumerate() {
            position.insert(
                &n.code,
                (
                    left + *c as i32 * (BOX_W + COL_GAP),
                    top + free / 2 + r as i32 * (BOX_H + ROW_GAP),
                    *c as i32,
                    r as i32,
                ),
            );
        }
    }
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="chart paths" viewBox="0 0 {width} {height}" role="img" aria-label="{}"><defs><marker id="report-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="11" markerHeight="11" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>"##,
        escape(label)
    );
    let mut labels = String::new();
    for e in edges {
        let (Some(&from), Some(&to)) = (position.get(e.from.as_str()), position.get(e.to.as_str()))
        else {
            continue;
        };
        let (d, (lx, ly)) = edge_line(from, to);
        let dash = if e.significant {
            ""
        } else {
            r#" stroke-dasharray="5 4""#
        };
        let stroke = 1.0 + (e.coefficient.abs() * 5.0).min(4.0);
        let _ = write!(
            svg,
            r##"<path d="{d}" fill="none" stroke="#333" stroke-width="{stroke:.1}"{dash} marker-end="url(#report-arrow)"/>"##
        );
        let _ = write!(
            labels,
            r##"<rect x="{}" y="{}" width="44" height="20" rx="3" fill="#fff" stroke="#999"/><text class="coefficient" x="{lx}" y="{}" text-anchor="middle" font-size="13" font-family="sans-serif" fill="#111">{:.2}</text>"##,
            lx - 22,
            ly - 10,
            ly + 5,
            e.coefficient
        );
    }
    for n in nodes {
        let (x, y, _, _) = position[n.code.as_str()];
        let cx = x + BOX_W / 2;
        let (fill, stroke) = if n.target {
            ("#dbe9fb", "3")
        } else {
            ("#eef5ff", "2")
        };
        let _ = write!(
            svg,
            r##"<g><rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="8" fill="{fill}" stroke="#0b5cad" stroke-width="{stroke}"/><text x="{cx}" y="{}" text-anchor="middle" font-size="14" font-weight="700" font-family="sans-serif" fill="#111">{}</text><text x="{cx}" y="{}" text-anchor="middle" font-size="13" font-family="sans-serif" fill="#111">{}</text></g>"##,
            y + 24,
            escape(&shorten(&n.name, 24)),
            y + 44,
            escape(&n.caption)
        );
    }
    // Coefficients last, so no line or box hides them.
    svg.push_str(&labels);
    svg.push_str("</svg>");
    svg
}

/// The line of a path from the box at `from` to the box at `to` (each `(x, y, column, row)`) as
/// SVG path data, and where its coefficient goes.
fn edge_line(from: (i32, i32, i32, i32), to: (i32, i32, i32, i32)) -> (String, (i32, i32)) {
    let (fx, fy, fc, fr) = from;
    let (tx, ty, tc, tr) = to;
    if (fc - tc).abs() == 1 {
        let (x1, x2) = if tc > fc {
            (fx + BOX_W, tx)
        } else {
            (fx, tx + BOX_W)
        };
        let (y1, y2) = (fy + BOX_H / 2, ty + BOX_H / 2);
        // Fanning lines are furthest apart near their own box: the label sits nearer the wider end.
        let t = 0.42;
        (
            format!("M{x1},{y1} L{x2},{y2}"),
            (
                x1 + ((x2 - x1) as f64 * t) as i32,
                y1 + ((y2 - y1) as f64 * t) as i32,
            ),
        )
    } else if fc == tc && (fr - tr).abs() == 1 {
        let x = fx + BOX_W / 2;
        let (y1, y2) = if tr > fr {
            (fy + BOX_H, ty)
        } else {
            (fy, ty + BOX_H)
        };
        (format!("M{x},{y1} L{x},{y2}"), (x + 30, (y1 + y2) / 2))
    } else if fc == tc {
        let span = (fr - tr).abs();
        let bulge = 34 + 12 * (span - 2);
        let (y1, y2) = (fy + BOX_H / 2, ty + BOX_H / 2);
        (
            format!("M{fx},{y1} Q{},{} {tx},{y2}", fx - 2 * bulge, (y1 + y2) / 2),
            (fx - bulge, (y1 + y2) / 2),
        )
    } else {
        let (x1, x2) = (fx + BOX_W / 2, tx + BOX_W / 2);
        let lift = (fy.min(ty) - MARGIN - 10).max(0) + 10;
        let apex = fy.min(ty) - lift;
        (
            format!(
                "M{x1},{fy} Q{},{} {x2},{ty}",
                (x1 + x2) / 2,
                2 * apex - (fy + ty) / 2
            ),
            ((x1 + x2) / 2, apex),
        )
    }
}

/// Shortens a name to fit a box (CJK characters count double).
fn shorten(text: &str, width: usize) -> String {
    let mut used = 0;
    let mut out = String::new();
    for c in text.chars() {
        used += if c.is_ascii() { 1 } else { 2 };
        if used > width {
            out.push('…');
            return out;
        }
        out.push(c);
    }
    out
}
