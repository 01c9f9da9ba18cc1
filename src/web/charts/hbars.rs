//! The horizontal bar chart with the value printed at each bar's end (e.g. closure rate by
//! community or by category).

use std::fmt::Write;

use super::svg::{PALETTE, escape, figure, finite, fit, n, open_svg, text, text_width};

/// Horizontal bars, one row per label, with the value printed at the bar's end (e.g. closure
/// rate by community). `max` is the full scale (100 for percentages); when it is not positive
/// the largest value is. `suffix` follows each value ("%"). Negative values draw no bar.
pub fn hbars(
    rows: &[(String, f64)],
    max: f64,
    suffix: &str,
    width: u32,
    aria_label: &str,
) -> String {
    const ROW: f64 = 22.0;
    const BAR: f64 = 14.0;
    let w = f64::from(width.max(160));
    let h = (rows.len() as f64 * ROW + 8.0).max(24.0);
    let scale = if finite(max) > 0.0 {
        max
    } else {
        rows.iter().map(|r| finite(r.1)).fold(0.0, f64::max)
    };
    let scale = if scale > 0.0 { scale } else { 1.0 };
    let values: Vec<String> = rows
        .iter()
        .map(|r| format!("{}{}", figure(r.1, 1), suffix))
        .collect();
    let value_w = values.iter().map(|v| text_width(v)).fold(0.0, f64::max) + 8.0;
    let label_cap = (w * 0.4).floor();
    let label_w = (rows.iter().map(|r| text_width(&r.0)).fold(0.0, f64::max) + 8.0).min(label_cap);
    let bar_x = label_w;
    let bar_space = (w - label_w - value_w - 4.0).max(10.0);

    let mut out = String::new();
    open_svg(&mut out, w, h, aria_label);
    for (i, ((label, v), shown)) in rows.iter().zip(&values).enumerate() {
        let y = 4.0 + ROW * i as f64;
        let len = (finite(*v) / scale).clamp(0.0, 1.0) * bar_space;
        text(
            &mut out,
            "chart-label",
            label_w - 6.0,
            y + BAR - 3.0,
            "end",
            &fit(label, label_w - 8.0),
        );
        let _ = write!(
            out,
            "<rect class=\"bar hbar c1\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{BAR}\" fill=\"{}\"><title>{}: {}</title></rect>",
            n(bar_x),
            n(y),
            n(len),
            PALETTE[0],
            escape(label),
            escape(shown)
        );
        text(
            &mut out,
            "chart-value",
            bar_x + len + 4.0,
            y + BAR - 3.0,
            "start",
            shown,
        );
    }
    out.push_str("</svg>");
    out
}
