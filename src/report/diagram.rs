//! The path diagram of an indicator system as inline SVG: constructs in layers, arrows for paths.

use crate::domain::{Lang, Model};
use std::collections::BTreeMap;
use std::fmt::Write;

const BOX_W: i32 = 156;
const BOX_H: i32 = 52;
const COL_GAP: i32 = 84;
const ROW_GAP: i32 = 28;
const MARGIN: i32 = 12;

/// Escapes text for SVG content and attributes.
fn escape(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '&' => "&amp;".into(),
            '<' => "&lt;".into(),
            '>' => "&gt;".into(),
            '"' => "&quot;".into(),
            '\'' => "&#39;".into(),
            c => c.to_string(),
        })
        .collect()
}

/// Shortens a name to fit a box (CJK characters count double).
fn fit(text: &str, width: usize) -> String {
    let mut used = 0;
    let mut out = String::new();
    for c in text.chars() {
        let w = if c.is_ascii() { 1 } else { 2 };
        if used + w > width {
            out.push('…');
            return out;
        }
        used += w;
        out.push(c);
    }
    out
}

/// Each construct's layer: the length of the longest path leading to it (constructs on a cycle stay where they are reached).
fn layers(model: &Model) -> BTreeMap<&str, usize> {
    let mut layer: BTreeMap<&str, usize> = model
        .constructs
        .iter()
        .map(|c| (c.code.as_str(), 0))
        .collect();
    // Bellman-Ford style relaxation, bounded so a cycle cannot loop forever.
    for _ in 0..model.constructs.len() {
        let mut changed = false;
        for path in &model.paths {
            let (Some(&from), Some(&to)) =
                (layer.get(path.from.as_str()), layer.get(path.to.as_str()))
            else {
                continue;
            };
            if to < from + 1 && from + 1 < model.constructs.len() {
                layer.insert(path.to.as_str(), from + 1);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    layer
}

/// An SVG drawing of the model's constructs and paths, labelled in `lang`.
pub fn path_diagram(model: &Model, lang: Lang) -> String {
    let layer = layers(model);
    let mut columns: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    for construct in &model.constructs {
        columns
            .entry(layer[construct.code.as_str()])
            .or_default()
            .push(&construct.code);
    }
    let tallest = columns.values().map(Vec::len).max().unwrap_or(1).max(1) as i32;
    let column_count = columns.keys().next_back().map_or(1, |last| last + 1) as i32;
    let width = 2 * MARGIN + column_count * BOX_W + (column_count - 1).max(0) * COL_GAP;
    let height = 2 * MARGIN + tallest * BOX_H + (tallest - 1) * ROW_GAP;
    let mut position: BTreeMap<&str, (i32, i32)> = BTreeMap::new();
    for (column, codes) in &columns {
        let offset = (height
            - 2 * MARGIN
            - (codes.len() as i32 * BOX_H + (codes.len() as i32 - 1) * ROW_GAP))
            / 2;
        for (row, code) in codes.iter().enumerate() {
            let x = MARGIN + *column as i32 * (BOX_W + COL_GAP);
            let y = MARGIN + offset + row as i32 * (BOX_H + ROW_GAP);
            position.insert(code, (x, y));
        }
    }
    let title = if lang == Lang::ZhCn {
        "路径图"
    } else {
        "Path diagram"
    };
    let summary: Vec<String> = model
        .paths
        .iter()
        .map(|p| format!("{} → {}", p.from, p.to))
        .collect();
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="diagram" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-labelledby="diagram-title diagram-desc"><title id="diagram-title">{}</title><desc id="diagram-desc">{}</desc>"#,
        escape(title),
        escape(&summary.join(", "))
    );
    svg.push_str(r##"<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#4d5561"/></marker></defs>"##);
    for path in &model.paths {
        let (Some(&(fx, fy)), Some(&(tx, ty))) = (
            position.get(path.from.as_str()),
            position.get(path.to.as_str()),
        ) else {
            continue;
        };
        let (x1, y1, x2, y2) = if tx > fx {
            (fx + BOX_W, fy + BOX_H / 2, tx, ty + BOX_H / 2)
        } else if tx < fx {
            (fx, fy + BOX_H / 2, tx + BOX_W, ty + BOX_H / 2)
        } else if ty > fy {
            (fx + BOX_W / 2, fy + BOX_H, tx + BOX_W / 2, ty)
        } else {
            (fx + BOX_W / 2, fy, tx + BOX_W / 2, ty + BOX_H)
        };
        let _ = write!(
            svg,
            r##"<line class="path" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#4d5561" stroke-width="2" marker-end="url(#arrow)"><title>{}</title></line>"##,
            escape(&path.to_string())
        );
    }
    for construct in &model.constructs {
        let (x, y) = position[construct.code.as_str()];
        let _ = write!(
            svg,
            r##"<g class="construct" data-code="{code}"><rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="8" fill="#eef5ff" stroke="#0b5cad" stroke-width="2"/><text x="{cx}" y="{ty1}" text-anchor="middle" font-weight="700" font-size="14" fill="#1b1f24">{code}</text><text x="{cx}" y="{ty2}" text-anchor="middle" font-size="12" fill="#1b1f24">{name}</text></g>"##,
            code = escape(&construct.code),
            cx = x + BOX_W / 2,
            ty1 = y + 21,
            ty2 = y + 40,
            name = escape(&fit(construct.name.best(lang), 20)),
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::parse_model;

    #[test]
    fn acsi_draws_every_construct_and_path_left_to_right() {
        let model = parse_model(
            "acsi.toml",
            include_str!("../../survey-templates/acsi.toml"),
        )
        .unwrap();
        let svg = path_diagram(&model, Lang::En);
        assert_eq!(svg.matches("<g class=\"construct\"").count(), 6);
        assert_eq!(
            svg.matches("<line class=\"path\"").count(),
            model.paths.len()
        );
        let layer = layers(&model);
        assert_eq!(
            (
                layer["EXP"],
                layer["QUA"],
                layer["VAL"],
                layer["SAT"],
                layer["LOY"]
            ),
            (0, 1, 2, 3, 5)
        );
    }

    #[test]
    fn names_are_escaped_and_cycles_terminate() {
        let mut model = parse_model(
            "acsi.toml",
            include_str!("../../survey-templates/acsi.toml"),
        )
        .unwrap();
        model.constructs[0].name.en = Some("<script>".into());
        model.paths.push(crate::domain::Path {
            from: "LOY".into(),
            to: "EXP".into(),
        });
        let svg = path_diagram(&model, Lang::En);
        assert!(svg.contains("&lt;script&gt;") && !svg.contains("<script>"));
    }
}
