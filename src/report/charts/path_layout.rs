//! Where the path diagram's boxes go: columns (drivers | target | outcomes) and their order within a column.

use super::path_diagram::{DiagramEdge, DiagramNode};
use std::collections::BTreeMap;

/// Columns of the diagram: with a target, its drivers | the target | its outcomes (as the ACSI
/// diagram is drawn); without one, layers by the longest path from a source.
pub(super) fn columns_of(nodes: &[DiagramNode], edges: &[DiagramEdge]) -> BTreeMap<String, usize> {
    let reach = |start: &str, forward: bool| -> Vec<String> {
        let mut seen: Vec<String> = vec![start.to_owned()];
        let mut i = 0;
        while i < seen.len() {
            let here = seen[i].clone();
            for e in edges {
                let (a, b) = if forward {
                    (&e.from, &e.to)
                } else {
                    (&e.to, &e.from)
                };
                if *a == here && !seen.contains(b) {
                    seen.push(b.clone());
                }
            }
            i += 1;
        }
        seen.remove(0);
        seen
    };
    if let Some(target) = nodes.iter().find(|n| n.target) {
        let drivers = reach(&target.code, false);
        let outcomes = reach(&target.code, true);
        return nodes
            .iter()
            .map(|n| {
                let column = if n.code == target.code {
                    1
                } else if outcomes.contains(&n.code) && !drivers.contains(&n.code) {
                    2
                } else {
                    0
                };
                (n.code.clone(), column)
            })
            .collect();
    }
    let all: Vec<&DiagramEdge> = edges.iter().collect();
    depths(nodes, &all)
        .into_iter()
        .map(|(code, layer)| (code.to_owned(), layer))
        .collect()
}

/// The order of boxes within each column: by the longest chain of paths inside the column, then model order.
pub(super) fn rows_of<'a>(
    nodes: &'a [DiagramNode],
    edges: &[DiagramEdge],
    column: &BTreeMap<String, usize>,
) -> BTreeMap<usize, Vec<&'a DiagramNode>> {
    let inside: Vec<&DiagramEdge> = edges
        .iter()
        .filter(|e| column.get(&e.from) == column.get(&e.to))
        .collect();
    let depth = depths(nodes, &inside);
    let mut columns: BTreeMap<usize, Vec<&DiagramNode>> = BTreeMap::new();
    for n in nodes {
        columns.entry(column[&n.code]).or_default().push(n);
    }
    for list in columns.values_mut() {
        list.sort_by_key(|n| depth[n.code.as_str()]);
    }
    columns
}

/// Each node's depth: the length of the longest chain of `edges` leading to it (less than the
/// number of nodes, so that cycles end).
fn depths<'a>(nodes: &'a [DiagramNode], edges: &[&DiagramEdge]) -> BTreeMap<&'a str, usize> {
    let mut depth: BTreeMap<&str, usize> = nodes.iter().map(|n| (n.code.as_str(), 0)).collect();
    for _ in 0..nodes.len() {
        let mut changed = false;
        for e in edges {
            let Some(&f) = depth.get(e.from.as_str()) else {
                continue;
            };
            let Some(t) = depth.get_mut(e.to.as_str()) else {
                continue;
            };
            if *t < f + 1 && f + 1 < nodes.len() {
                *t = f + 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    depth
}
