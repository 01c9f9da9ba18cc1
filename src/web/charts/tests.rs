//! Unit tests of the charts: well-formed, escaped SVG for ordinary, empty and odd inputs.

use super::svg::nice_axis;
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

#[test]
fn bars_start_where_the_differences_show() {
    // 94–100 % on a 0 baseline look equal; the axis starts below the smallest instead.
    let lo = axis_floor(&[94.0, 100.0, 96.5], 100.0);
    assert!(lo > 80.0 && lo < 94.0, "{lo}");
    assert_eq!(lo % 1.0, 0.0, "a round start");
    // Values spread over more than half the scale, or touching 0, keep the 0 baseline.
    assert_eq!(axis_floor(&[20.0, 100.0], 100.0), 0.0);
    assert_eq!(axis_floor(&[0.0, 10.0], 100.0), 0.0);
    assert_eq!(axis_floor(&[], 100.0), 0.0);
    let rows = vec![("甲".to_string(), 94.0), ("乙".to_string(), 100.0)];
    let svg = hbars_from(&rows, lo, 100.0, "%", 300, "by unit");
    assert_well_formed(&svg);
    assert!(svg.contains("chart-axis"), "the axis's ends are printed");
    // The shorter bar is visibly shorter than the longer (not 94 % of it).
    let widths: Vec<f64> = svg
        .split("width=\"")
        .skip(2)
        .filter_map(|s| s.split('"').next()?.parse().ok())
        .collect();
    assert!(widths[0] < widths[1] * 0.7, "{widths:?}");
    assert!(!hbars(&rows, 100.0, "%", 300, "x").contains("chart-axis"));
}
