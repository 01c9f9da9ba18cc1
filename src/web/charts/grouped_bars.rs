//! The grouped vertical bar chart with an optional percentage line (e.g. issues reported and
//! closed per month with the closure rate).

use std::fmt::Write;

use super::Series;
use super::svg::{
    PALETTE, RATE_COLOUR, escape, figure, finite, n, nice_axis, open_svg, text, text_width,
};

/// Vertical grouped bars, one group per label (e.g. months: reported vs closed), a y axis with
/// nice ticks, a legend, and optionally a percentage series drawn as a line on a right-hand
/// 0–100 % axis (values outside 0–100 are clamped). Missing values count as 0.
pub fn grouped_bars(
    labels: &[String],
    series: &[Series],
    rate: Option<&Series>,
    width: u32,
    height: u32,
    aria_label: &str,
) -> String {
    let (w, h) = (f64::from(width.max(120)), f64::from(height.max(100)));
    let value = |s: &Series, i: usize| finite(s.values.get(i).copied().unwrap_or(0.0)).max(0.0);
    let max = series
        .iter()
        .flat_map(|s| (0..labels.len()).map(move |i| value(s, i)))
        .fold(0.0, f64::max);
    let whole = series
        .iter()
        .flat_map(|s| s.values.iter())
        .all(|v| finite(*v).fract() == 0.0);
    let (step, steps) = nice_axis(max, whole);
    let top = step * steps as f64;
    let tick_labels: Vec<String> = (0..=steps).map(|i| figure(step * i as f64, 3)).collect();
    let left = 8.0
        + tick_labels
            .iter()
            .map(|t| text_width(t))
            .fold(0.0, f64::max);
    let right = if rate.is_some() { 40.0 } else { 10.0 };
    let (x0, x1, y0, y1) = (left, w - right, 30.0, h - 22.0);
    let y_of = |v: f64| y1 - (v / top) * (y1 - y0);

    let mut out = String::new();
    open_svg(&mut out, w, h, aria_label);

    // Legend along the top.
    let mut lx = x0;
    for (i, s) in series.iter().enumerate() {
        let _ = write!(
            out,
            "<rect class=\"swatch {}\" x=\"{}\" y=\"6\" width=\"10\" height=\"10\" fill=\"{}\"/>",
            escape(s.class),
            n(lx),
            PALETTE[i % PALETTE.len()]
        );
        text(&mut out, "chart-legend", lx + 14.0, 15.0, "start", &s.name);
        lx += 26.0 + text_width(&s.name);
    }
    if let Some(r) = rate {
        let _ = write!(
            out,
            "<line class=\"line {}\" x1=\"{}\" y1=\"11\" x2=\"{}\" y2=\"11\" stroke=\"{RATE_COLOUR}\" stroke-width=\"2\"/>",
            escape(r.class),
            n(lx),
            n(lx + 12.0)
        );
        text(&mut out, "chart-legend", lx + 16.0, 15.0, "start", &r.name);
    }

    // Grid and left axis.
    for (i, t) in tick_labels.iter().enumerate() {
        let y = y_of(step * i as f64);
        let _ = write!(
            out,
            "<line class=\"chart-grid\" x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#d9e2ec\"/>",
            n(x0),
            n(x1),
            y = n(y)
        );
        text(&mut out, "chart-tick", x0 - 4.0, y + 4.0, "end", t);
    }
    if rate.is_some() {
        for p in [0.0, 25.0, 50.0, 75.0, 100.0] {
            let y = y1 - p / 100.0 * (y1 - y0);
            text(
                &mut out,
                "chart-tick",
                x1 + 4.0,
                y + 4.0,
                "start",
                &format!("{p}%"),
            );
        }
    }

    // Bars.
    let groups = labels.len().max(1) as f64;
    let group_w = (x1 - x0) / groups;
    let bar_w = group_w * 0.8 / series.len().max(1) as f64;
    for (i, label) in labels.iter().enumerate() {
        let gx = x0 + group_w * i as f64 + group_w * 0.1;
        for (j, s) in series.iter().enumerate() {
            let v = value(s, i);
            let y = y_of(v);
            let _ = write!(
                out,
                "<rect class=\"bar {}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}: {} {}</title></rect>",
                escape(s.class),
                n(gx + bar_w * j as f64),
                n(y),
                n(bar_w),
                n(y1 - y),
                PALETTE[j % PALETTE.len()],
                escape(label),
                escape(&s.name),
                figure(v, 2)
            );
        }
        text(
            &mut out,
            "chart-label",
            x0 + group_w * (i as f64 + 0.5),
            y1 + 15.0,
            "middle",
            label,
        );
    }
    let _ = write!(
        out,
        "<line class=\"chart-axis\" x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#616e7c\"/>",
        n(x0),
        n(x1),
        y = n(y1)
    );

    // The percentage line. A value that is not a number (a rate with no denominator) leaves a
    // gap: the line is drawn in runs between such points, never through a false 0 %.
    if let Some(r) = rate.filter(|_| !labels.is_empty()) {
        let points: Vec<Option<(f64, f64, f64)>> = (0..labels.len())
            .map(|i| {
                let v = r.values.get(i).copied().unwrap_or(f64::NAN);
                v.is_finite().then(|| {
                    let p = v.clamp(0.0, 100.0);
                    let x = x0 + group_w * (i as f64 + 0.5);
                    (x, y1 - p / 100.0 * (y1 - y0), p)
                })
            })
            .collect();
        for run in points.split(|p| p.is_none()).filter(|r| r.len() > 1) {
            let list: Vec<String> = run
                .iter()
                .flatten()
                .map(|(x, y, _)| format!("{},{}", n(*x), n(*y)))
                .collect();
            let _ = write!(
                out,
                "<polyline class=\"line {}\" points=\"{}\" fill=\"none\" stroke=\"{RATE_COLOUR}\" stroke-width=\"2\"/>",
                escape(r.class),
                list.join(" ")
            );
        }
        for (point, label) in points.iter().zip(labels) {
            let Some((x, y, p)) = point else { continue };
            let _ = write!(
                out,
                "<circle class=\"dot {}\" cx=\"{}\" cy=\"{}\" r=\"3\" fill=\"{RATE_COLOUR}\"><title>{}: {} {}%</title></circle>",
                escape(r.class),
                n(*x),
                n(*y),
                escape(label),
                escape(&r.name),
                figure(*p, 1)
            );
        }
    }
    out.push_str("</svg>");
    out
}
