//! The print frame in the browser (issue 15): every printable page printed to an A4 PDF under
//! target/browser/print-*.pdf and read back — the page numbers of the locale, the closing line —
//! after measuring, with print media emulated at the printable width, that nothing is wider.

use serde_json::json;

use super::{Driver, assert_a4_as, pdf_page1_png, pdf_pages};
use crate::helpers::*;

/// A4's printable width between the 15 mm margins (180 mm) in CSS pixels.
const PRINTABLE_PX: i64 = 680;
/// Landscape A4's printable width between the 10 mm margins (277 mm) in CSS pixels.
const LANDSCAPE_PX: i64 = 1047;

/// The pages laid out on landscape A4 (`body.landscape` in print.css): the projects' ledger,
/// whose sixteen columns do not fit a portrait page.
const LANDSCAPE: &[&str] = &["projects"];

/// The elements wider than the page or past its right edge, as "tag.class: right edge".
const OVERFLOW: &str = r#"
const w = document.documentElement.clientWidth;
const bad = [];
for (const e of document.querySelectorAll('main *')) {
  const r = e.getBoundingClientRect();
  if (r.width === 0 && r.height === 0) continue;
  if (r.right > w + 1 || r.left < -1) bad.push(e.tagName + '.' + e.className + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
}
return { width: w, bad: bad.slice(0, 10) };
"#;

impl Driver {
    fn cdp(&self, cmd: &str, params: serde_json::Value) {
        self.call(
            "POST",
            "/goog/cdp/execute",
            Some(json!({ "cmd": cmd, "params": params })),
        );
    }

    /// What is wider than the printable area under print media.
    fn print_overflow(&self, width: i64) -> serde_json::Value {
        self.cdp("Emulation.setEmulatedMedia", json!({ "media": "print" }));
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": 1000, "deviceScaleFactor": 1, "mobile": false }),
        );
        let v = self.script(OVERFLOW, json!([]));
        self.cdp("Emulation.clearDeviceMetricsOverride", json!({}));
        self.cdp("Emulation.setEmulatedMedia", json!({ "media": "" }));
        v
    }
}

#[test]
#[ignore = "needs chromedriver: .ci/run starts it and runs this with --ignored"]
fn every_printable_page_prints_as_a_form_on_a4() {
    let app = spawn_app();
    let c = app.login("leader");
    let pages = crate::print::printable_pages(&app, &c);
    let d = Driver::start();
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser");
    std::fs::create_dir_all(&out).unwrap();
    d.login(&app, "leader");
    let mut failures = Vec::new();
    for (name, path) in pages {
        d.goto(&app.url(&path));
        let landscape = LANDSCAPE.contains(&name);
        let px = if landscape {
            LANDSCAPE_PX
        } else {
            PRINTABLE_PX
        };
        let o = d.print_overflow(px);
        // At most the printable width (a scroll bar may take its share: stricter still).
        let w = o["width"].as_i64().unwrap();
        assert!(w > px - 30 && w <= px, "{name}: {o}");
        if !o["bad"].as_array().unwrap().is_empty() {
            failures.push(format!("{name}: wider than the page: {}", o["bad"]));
        }
        let file = out.join(format!("print-{name}.pdf"));
        std::fs::write(&file, d.print_sheet_pdf()).unwrap();
        assert_a4_as(&file, landscape);
        pdf_page1_png(&file, &out.join(format!("print-{name}")));
        let text = pdf_pages(&file);
        let n = text.len();
        println!("print-{name}: {n} PDF page(s)");
        assert!(n >= 1, "{name}");
        if !text[0].contains("第1页共") {
            failures.push(format!("{name}: no page number on page 1: {}", text[0]));
        }
        if !text[n - 1].contains(&format!("第{n}页共{n}页")) {
            failures.push(format!("{name}: no page {n} of {n} on the last page"));
        }
        if !text[n - 1].contains("制表单位") || !text[n - 1].contains("打印日期") {
            failures.push(format!("{name}: no closing line on the last page"));
        }
        if text[..n - 1].iter().any(|p| p.contains("制表单位")) {
            failures.push(format!(
                "{name}: the closing line printed before the last page"
            ));
        }
        if text.iter().any(|p| p.contains("导出")) {
            failures.push(format!("{name}: screen-only buttons printed"));
        }
        if name == "brief" && n != 1 {
            failures.push(format!("brief: {n} pages, not the one page it promises"));
        }
    }
    // The org tree's communities are folded on screen; on paper their grids print.
    d.goto(&app.url("/org"));
    let file = out.join("print-org.pdf");
    std::fs::write(&file, d.print_sheet_pdf()).unwrap();
    let tree = pdf_pages(&file).concat();
    let grid = app.strings(
        "SELECT g.name AS s FROM org_units g JOIN org_units c ON c.id = g.parent_id \
         JOIN org_units s ON s.id = c.parent_id WHERE g.kind = 'grid' AND s.name = '林山寨街道' \
         ORDER BY g.id LIMIT 1",
    );
    if !tree.contains(&grid[0]) {
        failures.push(format!("org: the folded grid {} not printed", grid[0]));
    }
    d.call("DELETE", "", None);
    assert!(failures.is_empty(), "{failures:#?}");
}
