//! Server-rendered SVG charts for figures pages: no JavaScript, printable on A4, and allowed by
//! the CSP (no inline styles: colours come from `class` names styled in app.css, with
//! presentation attributes as the fallback when the SVG is seen without the stylesheet). Every
//! text is escaped; the charts scale through `viewBox` and carry `role="img"`, an `aria-label`
//! and a `<title>`, and each bar has its own `<title>` with its exact figure.
//!
//! Series classes styled in app.css: `c1` … `c4` (bars and legend swatches) and `rate` (the
//! percentage line).

mod grouped_bars;
mod hbars;
mod svg;
#[cfg(test)]
mod tests;

pub use grouped_bars::grouped_bars;
pub use hbars::{axis_floor, hbars, hbars_from};
pub use svg::escape;

/// One named series of values, one per label; `class` selects its colour (`c1` … `c4`, `rate`).
pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
    pub class: &'static str,
}
