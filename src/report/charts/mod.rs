//! The report's charts as inline SVG: CSI trend with interval bands and the IPMA map (plotters), the path diagram with coefficients.

mod ipma;
mod path_diagram;
mod path_layout;
#[cfg(test)]
mod tests;
mod trend;

pub use ipma::{IpmaPoint, ipma_chart};
pub use path_diagram::{DiagramEdge, DiagramNode, path_diagram};
pub use trend::{TrendPoint, TrendSeries, trend_chart};

use plotters::style::RGBColor;

/// Series colours: our brand first (dark blue), then competitors; all readable in grey-scale print.
const PALETTE: [RGBColor; 6] = [
    RGBColor(11, 92, 173),
    RGBColor(204, 85, 0),
    RGBColor(30, 130, 76),
    RGBColor(128, 60, 160),
    RGBColor(90, 90, 90),
    RGBColor(170, 40, 80),
];

/// The colour of the `i`-th brand, as CSS hex, for legends drawn in HTML.
pub fn colour_hex(i: usize) -> String {
    let RGBColor(r, g, b) = PALETTE[i % PALETTE.len()];
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// Escapes text for SVG content and attributes.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Makes plotters' SVG scale with the page and names it for screen readers.
fn finish(svg: String, class: &str, label: &str) -> String {
    svg.replacen("<svg ", &format!("<svg class=\"chart {class}\" role=\"img\" aria-label=\"{}\" preserveAspectRatio=\"xMidYMid meet\" ", escape(label)), 1)
}
