//! The analysis as a readable text report: tables as SmartPLS shows them.

use super::summary::AnalysisSummary;
use std::fmt::Write;

fn number(value: Option<f64>, decimals: usize) -> String {
    match value {
        Some(v) if v.is_finite() => format!("{v:.decimals$}"),
        _ => "–".into(),
    }
}

/// Renders the summary as plain text.
pub fn render(summary: &AnalysisSummary) -> String {
    let mut out = String::new();
    let r = &summary.result;
    let _ = writeln!(
        out,
        "PLS path model: n = {}, {} iterations, {}",
        summary.n,
        summary.iterations,
        if summary.converged {
            "converged"
        } else {
            "NOT converged"
        }
    );
    if r.missing.replaced > 0 || r.missing.deleted > 0 {
        let _ = writeln!(
            out,
            "missing values: {} replaced by item means, {} cases deleted",
            r.missing.replaced, r.missing.deleted
        );
    }
    let _ = writeln!(out, "\nConstructs");
    let _ = writeln!(
        out,
        "{:<8} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}",
        "", "index", "R²", "R²adj", "alpha", "rho_A", "rho_C", "AVE"
    );
    for c in &summary.constructs {
        let _ = writeln!(
            out,
            "{:<8} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}",
            c.code,
            number(Some(c.index), 1),
            number(c.r_squared, 3),
            number(c.r_squared_adj, 3),
            number(Some(c.alpha), 3),
            number(Some(c.rho_a), 3),
            number(Some(c.rho_c), 3),
            number(Some(c.ave), 3)
        );
    }
    let _ = writeln!(out, "\nIndicators");
    let _ = writeln!(
        out,
        "{:<8} {:<8} {:>8} {:>8}",
        "", "block", "weight", "loading"
    );
    for i in &summary.indicators {
        let _ = writeln!(
            out,
            "{:<8} {:<8} {:>8} {:>8}",
            i.code,
            i.construct,
            number(Some(i.weight), 3),
            number(Some(i.loading), 3)
        );
    }
    let _ = writeln!(out, "\nPaths");
    let _ = writeln!(
        out,
        "{:<14} {:>8} {:>8} {:>8} {:>18}",
        "", "coef", "total", "se", "95% CI"
    );
    for p in &summary.paths {
        let interval = summary
            .bootstrap
            .as_ref()
            .and_then(|b| b.paths.iter().find(|i| i.from == p.from && i.to == p.to));
        let _ = writeln!(
            out,
            "{:<14} {:>8} {:>8} {:>8} {:>18}",
            format!("{} -> {}", p.from, p.to),
            number(Some(p.coefficient), 3),
            number(Some(p.total_effect), 3),
            number(interval.map(|i| i.se), 3),
            interval.map_or("–".into(), |i| format!(
                "[{:.3}, {:.3}]",
                i.ci_low, i.ci_high
            ))
        );
    }
    if let Some(boot) = &summary.bootstrap {
        let _ = writeln!(
            out,
            "\nIndex 95% intervals ({} resamples, seed {}, {} failed)",
            boot.resamples, boot.seed, boot.failed
        );
        for i in &boot.index {
            let _ = writeln!(
                out,
                "{:<8} [{:.1}, {:.1}]",
                i.construct, i.ci_low, i.ci_high
            );
        }
    }
    let _ = writeln!(out, "\nHTMT (< 0.85 good, < 0.90 acceptable)");
    for h in &summary.htmt {
        let _ = writeln!(out, "{:<8} {:<8} {:>7}", h.a, h.b, number(h.value, 3));
    }
    let _ = writeln!(
        out,
        "\nImportance–performance map (target {})",
        summary.target
    );
    for p in &summary.ipma {
        let _ = writeln!(
            out,
            "{:<8} importance {:>7}  performance {:>6}",
            p.construct,
            number(Some(p.importance), 3),
            number(Some(p.performance), 1)
        );
    }
    if !summary.improve_first.is_empty() {
        let _ = writeln!(out, "improve first: {}", summary.improve_first.join(", "));
    }
    for warning in &r.warnings {
        let _ = writeln!(out, "warning: {warning}");
    }
    out
}
