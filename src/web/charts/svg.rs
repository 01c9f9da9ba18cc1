//! The drawing kit the charts share: the fallback palette and font size, escaping, number
//! formatting, text-width estimates, the nice y-axis scale and the `<svg>`/`<text>` writers.

use std::fmt::Write;

/// Fallback fills by series index, matching `c1` … `c4` in app.css.
pub(super) const PALETTE: [&str; 4] = ["#b3261e", "#0b5cad", "#3f9142", "#c98a00"];
pub(super) const RATE_COLOUR: &str = "#52606d";
pub(super) const FONT: f64 = 11.0;

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
pub(super) fn finite(v: f64) -> f64 {
    if v.is_finite() { v } else { 0.0 }
}

/// A coordinate for an attribute: one decimal, never NaN.
pub(super) fn n(v: f64) -> String {
    format!("{:.1}", finite(v))
}

/// A figure as printed: whole numbers without decimals, others with up to `decimals`.
pub(super) fn figure(v: f64, decimals: usize) -> String {
    let v = finite(v);
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        let s = format!("{v:.decimals$}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Roughly how wide `s` is at the chart's font size (CJK characters are about twice as wide).
pub(super) fn text_width(s: &str) -> f64 {
    s.chars()
        .map(|c| if c.is_ascii() { 0.6 } else { 1.05 })
        .sum::<f64>()
        * FONT
}

/// The y axis: a nice step (1, 2 or 5 × 10ᵏ; at least 1 when every value is whole) and the
/// number of steps (3–5, or fewer for tiny whole-number maxima) whose top covers `max`.
pub(super) fn nice_axis(max: f64, whole: bool) -> (f64, usize) {
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

pub(super) fn open_svg(out: &mut String, width: f64, height: f64, aria_label: &str) {
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

pub(super) fn text(out: &mut String, class: &str, x: f64, y: f64, anchor: &str, s: &str) {
    let _ = write!(
        out,
        "<text class=\"{class}\" x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" fill=\"#52606d\">{}</text>",
        n(x),
        n(y),
        escape(s)
    );
}

/// `s` cut to about `room` wide, with an ellipsis when cut (the bar's title keeps it whole).
pub(super) fn fit(s: &str, room: f64) -> String {
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
