//! The horizontal bar chart with the value printed at each bar's end (e.g. closure rate by
//! community or by category).

use std::fmt::Write;

use super::svg::{FONT, PALETTE, escape, figure, finite, fit, n, open_svg, text, text_width};

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
    hbars_from(rows, 0.0, max, suffix, width, aria_label)
}

/// Where a bar chart of `values` should start so that their differences show: 0 when they spread
/// over more than half the scale `max`, else a round value (a multiple of 1, 2, 5 or 10) below
/// the smallest, leaving the shortest bar about a quarter of the longest difference.
pub fn axis_floor(values: &[f64], max: f64) -> f64 {
    let vals: Vec<f64> = values.iter().copied().map(finite).collect();
    let (Some(lo), Some(hi)) = (
        vals.iter().copied().reduce(f64::min),
        vals.iter().copied().reduce(f64::max),
    ) else {
        return 0.0;
    };
    let top = if max > 0.0 { max } else { hi };
    if lo <= 0.0 || hi - lo > top / 2.0 {
        return 0.0;
    }
    let room = ((hi - lo) / 3.0).max(top / 100.0);
    let step = [1.0, 2.0, 5.0, 10.0, 20.0, 50.0]
        .into_iter()
        .find(|s| *s >= room)
        .unwrap_or(50.0);
    (((lo - room) / step).floor() * step).max(0.0)
}

/// [`hbars`] whose bars start at `min` (see [`axis_floor`]) rather than 0, with the axis's two
/// ends printed under the bars when it does not start at 0.
pub fn hbars_from(
    rows: &[(String, f64)],
    min: f64,
    max: f64,
    suffix: &str,
    width: u32,
    aria_label: &str,
) -> String {
    const ROW: f64 = 22.0;
    const BAR: f64 = 14.0;
    let w = f64::from(width.max(160));
    let min = finite(min).max(0.0);
    let axis = if min > 0.0 { ROW } else { 0.0 };
    let h = (rows.len() as f64 * ROW + 8.0 + axis).max(24.0);
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
        let len = ((finite(*v) - min) / (scale - min).max(1e-9)).clamp(0.0, 1.0) * bar_space;
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
    if min > 0.0 {
        let y = 4.0 + ROW * rows.len() as f64 + FONT;
        for (x, v, anchor) in [(bar_x, min, "start"), (bar_x + bar_space, scale, "end")] {
            text(
                &mut out,
                "chart-axis",
                x,
                y,
                anchor,
                &format!("{}{}", figure(v, 1), suffix),
            );
        }
    }
    out.push_str("</svg>");
    out
}
