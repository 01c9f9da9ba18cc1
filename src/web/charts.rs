//! Server-rendered SVG charts for figures pages: no JavaScript, printable on A4, and allowed by
//! the CSP (no inline styles: colours come from `class` names styled in app.css, with
//! presentation attributes as the fallback when the SVG is seen without the stylesheet). Every
//! text is escaped; the charts scale through `viewBox` and carry `role="img"`, an `aria-label`
//! and a `<title>`, and each bar has its own `<title>` with its exact figure.
//!
//! Series classes styled in app.css: `c1` … `c4` (bars and legend swatches) and `rate` (the
//! percentage line).

use std::fmt::Write;

/// One named series of values, one per label; `class` selects its colour (`c1` … `c4`, `rate`).
pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
    pub class: &'static str,
}

/// Fallback fills by series index, matching `c1` … `c4` in app.css.
const PALETTE: [&str; 4] = ["#b3261e", "#0b5cad", "#3f9142", "#c98a00"];
const RATE_COLOUR: &str = "#52606d";
const FONT: f64 = 11.0;

/// Escapes text for SVG content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// A finite value (NaN and infinities count as 0).
fn finite(v: f64) -> f64 {
    if v.is_finite() { v } else { 0.0 }
}

/// A coordinate for an attribute: one decimal, never NaN.
fn n(v: f64) -> String {
    format!("{:.1}", finite(v))
}

/// A figure as printed: whole numbers without decimals, others with up to `decimals`.
fn figure(v: f64, decimals: usize) -> String {
    let v = finite(v);
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        let s = format!("{v:.decimals$}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Roughly how wide `s` is at the chart's font size (CJK characters are about twice as wide).
fn text_width(s: &str) -> f64 {
    s.chars()
        .map(|c| if c.is_ascii() { 0.6 } else { 1.05 })
        .sum::<f64>()
        * FONT
}

/// The y axis: a nice step (1, 2 or 5 × 10ᵏ; at least 1 when every value is whole) and the
/// number of steps (3–5, or fewer for tiny whole-number maxima) whose top covers `max`.
fn nice_axis(max: f64, whole: bool) -> (f64, usize) {
    let max = if finite(max) > 0.0 { max } else { 1.0 };
    let mut k = (max / 5.0).log10().floor() as i32 - 1;
    loop {
        for m in [1.0, 2.0, 5.0] {
            let step = m * 10f64.powi(k);
            if whole && step < 1.0 {
                continue;
            }
            let count = (max / step - 1e-9).ceil().max(1.0);
            if count <= 5.0 {
                return (step, count as usize);
            }
        }
        k += 1;
    }
}

fn open_svg(out: &mut String, width: f64, height: f64, aria_label: &str) {
    let label = escape(aria_label);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {w} {h}\" \
         width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"{label}\" \
         font-family=\"sans-serif\" font-size=\"{FONT}\"><title>{label}</title>",
        w = n(width),
        h = n(height),
    );
}

fn text(out: &mut String, class: &str, x: f64, y: f64, anchor: &str, s: &str) {
    let _ = write!(
        out,
        "<text class=\"{class}\" x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" fill=\"#52606d\">{}</text>",
        n(x),
        n(y),
        escape(s)
    );
}

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

/// `s` cut to about `room` wide, with an ellipsis when cut (the bar's title keeps it whole).
fn fit(s: &str, room: f64) -> String {
    if text_width(s) <= room {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        if text_width(&out) + text_width(&c.to_string()) + text_width("…") > room {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small XML check: tags balance, attributes are quoted, nothing unescaped leaks, and the
    /// root is one `<svg>` element.
    fn assert_well_formed(svg: &str) {
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"), "{svg}");
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        let mut stack: Vec<String> = Vec::new();
        let mut rest = svg;
        let mut roots = 0;
        while let Some(start) = rest.find('<') {
            // Text between tags holds no raw '>' or '&' other than entities.
            let between = &rest[..start];
            assert!(!between.contains('>'), "raw > in text: {between}");
            for (i, _) in between.match_indices('&') {
                let ent = &between[i..];
                assert!(
                    ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                        .iter()
                        .any(|e| ent.starts_with(e)),
                    "bare & in {between}"
                );
            }
            let end = rest[start..].find('>').expect("tag closes") + start;
            let tag = &rest[start + 1..end];
            assert!(!tag.contains('<'), "< inside a tag: {tag}");
            assert_eq!(tag.matches('"').count() % 2, 0, "quotes balance: {tag}");
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop().as_deref(), Some(name), "closing {name}");
            } else {
                let name: String = tag
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                assert!(!name.is_empty(), "tag name in {tag}");
                if stack.is_empty() {
                    roots += 1;
                }
                if !tag.ends_with('/') {
                    stack.push(name);
                }
            }
            rest = &rest[end + 1..];
        }
        assert!(stack.is_empty(), "unclosed: {stack:?}");
        assert_eq!(roots, 1);
        assert!(svg.contains("viewBox=") && svg.contains("role=\"img\""));
    }

    fn months() -> Vec<String> {
        (1..=12).map(|m| format!("{m}月")).collect()
    }

    fn s(name: &str, values: Vec<f64>, class: &'static str) -> Series {
        Series {
            name: name.into(),
            values,
            class,
        }
    }

    #[test]
    fn grouped_bars_with_a_rate_line() {
        let reported = s("上报", vec![12.0, 30.0, 7.0, 0.0, 45.0, 3.0], "c1");
        let closed = s("办结", vec![10.0, 28.0, 7.0, 0.0, 40.0, 1.0], "c2");
        let rate = s("办结率", vec![83.3, 93.3, 100.0, 0.0, 88.9, 120.0], "rate");
        let svg = grouped_bars(
            &months()[..6],
            &[reported, closed],
            Some(&rate),
            640,
            280,
            "每月上报与办结",
        );
        assert_well_formed(&svg);
        assert_eq!(svg.matches("<rect class=\"bar ").count(), 12);
        assert_eq!(svg.matches("<circle").count(), 6);
        assert!(svg.contains("<title>每月上报与办结</title>"));
        assert!(svg.contains("aria-label=\"每月上报与办结\""));
        assert!(svg.contains(">100%<") && svg.contains(">0%<"));
        // 45 → a nice axis to 50 in steps of 10.
        assert!(svg.contains(">50<") && svg.contains(">10<") && !svg.contains(">60<"));
        assert!(svg.contains("5月: 上报 45"));
    }

    #[test]
    fn nice_axes() {
        assert_eq!(nice_axis(45.0, true), (10.0, 5));
        assert_eq!(nice_axis(9.0, true), (2.0, 5));
        assert_eq!(nice_axis(1.0, true), (1.0, 1));
        assert_eq!(nice_axis(0.0, false), (0.2, 5));
        assert_eq!(nice_axis(1234.0, true), (500.0, 3));
        for max in [3.0, 7.5, 11.0, 99.0, 101.0, 0.37, 18_000.0] {
            let (step, count) = nice_axis(max, false);
            assert!((3..=5).contains(&count), "{max}: {count}");
            assert!(step * count as f64 >= max, "{max}");
        }
    }

    #[test]
    fn text_is_escaped() {
        let evil = "<b>&\"x'";
        let svg = grouped_bars(
            &[evil.to_string()],
            &[s(evil, vec![1.0], "c1")],
            Some(&s(evil, vec![50.0], "rate")),
            300,
            200,
            evil,
        );
        assert_well_formed(&svg);
        assert!(!svg.contains("<b>") && !svg.contains("&\"x"));
        assert!(svg.contains("&lt;b&gt;&amp;&quot;x&#39;"));
        let svg = hbars(&[(evil.into(), 3.0)], 10.0, "<%>", 300, evil);
        assert_well_formed(&svg);
        assert!(svg.contains("3&lt;%&gt;"));
    }

    #[test]
    fn empty_and_all_zero_inputs_draw_without_nan() {
        assert_well_formed(&grouped_bars(&[], &[], None, 400, 200, "empty"));
        assert_well_formed(&grouped_bars(
            &months(),
            &[s("a", vec![], "c1")],
            Some(&s("r", vec![], "rate")),
            400,
            200,
            "no values",
        ));
        let zeros = grouped_bars(
            &months(),
            &[s("a", vec![0.0; 12], "c1"), s("b", vec![0.0; 12], "c2")],
            Some(&s("r", vec![0.0; 12], "rate")),
            400,
            200,
            "zeros",
        );
        assert_well_formed(&zeros);
        let odd = grouped_bars(
            &months()[..2],
            &[s("a", vec![f64::NAN, f64::INFINITY], "c1")],
            Some(&s("r", vec![f64::NAN, -5.0], "rate")),
            0,
            0,
            "odd",
        );
        assert_well_formed(&odd);
        assert_well_formed(&hbars(&[], 100.0, "%", 400, "empty"));
        assert_well_formed(&hbars(
            &[("a".into(), 0.0), ("b".into(), 0.0)],
            0.0,
            "",
            400,
            "zeros",
        ));
        assert_well_formed(&hbars(&[("a".into(), f64::NAN)], f64::NAN, "%", 400, "nan"));
    }

    #[test]
    fn hbars_scale_to_max_and_print_values() {
        let rows = vec![
            ("工人路社区".to_string(), 92.5),
            ("陇西社区".to_string(), 100.0),
            (
                "一个名字特别特别特别特别特别长的社区居委会".to_string(),
                40.0,
            ),
        ];
        let svg = hbars(&rows, 100.0, "%", 500, "各社区办结率");
        assert_well_formed(&svg);
        assert!(svg.contains(">92.5%<") && svg.contains(">100%<") && svg.contains(">40%<"));
        assert!(svg.contains('…'), "long labels are cut");
        assert!(svg.contains("<title>一个名字特别特别特别特别特别长的社区居委会: 40%</title>"));
        // The full bar is twice the 50 % one.
        let widths: Vec<f64> = svg
            .match_indices("<rect class=\"bar hbar c1\"")
            .map(|(i, _)| {
                let w = &svg[i..];
                let w = &w[w.find("width=\"").unwrap() + 7..];
                w[..w.find('"').unwrap()].parse().unwrap()
            })
            .collect();
        assert!((widths[1] - widths[2] * 2.5).abs() < 0.5, "{widths:?}");
    }

    #[test]
    fn a_rate_without_a_denominator_leaves_a_gap_not_a_zero() {
        let svg = grouped_bars(
            &["1".into(), "2".into(), "3".into(), "4".into()],
            &[s("a", vec![1.0, 2.0, 3.0, 4.0], "c1")],
            Some(&s("r", vec![f64::NAN, 50.0, 60.0, f64::NAN], "rate")),
            400,
            200,
            "t",
        );
        assert_eq!(svg.matches("<polyline").count(), 1);
        assert_eq!(svg.matches("<circle").count(), 2);
    }
}
