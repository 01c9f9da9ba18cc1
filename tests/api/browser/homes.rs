//! Each role's home on a phone (375 × 812): the primary action — the grid worker's two patrol
//! buttons, the community clerk's huddle, the branch secretary's 记录活动 — lies within the first
//! screen. A screenshot of that screen each: docs/screenshots/home-<role>.png (the worker's is
//! committed).

use base64::Engine;
use serde_json::json;

use super::Driver;
use crate::helpers::*;

/// The viewport's height, and the box of every element matching `css` (top, bottom), read once
/// the page has loaded.
const BOXES: &str = r#"
return { height: window.innerHeight, boxes: [...document.querySelectorAll(arguments[0])].map((el) => {
  const r = el.getBoundingClientRect();
  return [r.top, r.bottom, r.width];
}) };
"#;

impl Driver {
    /// The first screen as a PNG (the viewport only: small enough to commit).
    fn save_screen_png(&self, file: &std::path::Path) {
        let png = self.call(
            "POST",
            "/goog/cdp/execute",
            Some(json!({ "cmd": "Page.captureScreenshot", "params": { "format": "png" } })),
        );
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(png["data"].as_str().unwrap())
            .unwrap();
        std::fs::write(file, bytes).unwrap();
    }
}

#[test]
#[ignore = "needs chromedriver: .ci/run starts it and runs this with --ignored"]
fn each_home_shows_its_primary_action_on_a_phones_first_screen() {
    let app = spawn_app();
    // The worker's grid not patrolled yet today: its two buttons show.
    app.clear_patrols();
    let d = Driver::start();
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots");
    std::fs::create_dir_all(&out).unwrap();
    let homes = [
        (
            "worker",
            "worker",
            "a.button.primary[href^=\"/patrols/new?grid=\"], form[action=\"/patrols/quick\"] button",
            2,
        ),
        ("clerk", "cclerk", ".huddle a.button.primary", 1),
        ("secretary", "secretary", ".branch a.button.primary", 1),
    ];
    for (i, (role, user, css, n)) in homes.into_iter().enumerate() {
        if i > 0 {
            d.desktop(1366, 900);
            d.logout();
        }
        d.login(&app, user);
        d.phone(375, 812);
        d.goto(&app.url("/"));
        d.wait_for("the home", |d| {
            d.try_script("return document.readyState === 'complete';") == Some(json!(true))
        });
        let v = d.script(BOXES, json!([css]));
        let height = v["height"].as_f64().unwrap();
        assert_eq!(height, 812.0, "{role}: {v}");
        let boxes = v["boxes"].as_array().unwrap();
        assert_eq!(boxes.len(), n, "{role}: {css} on the home: {v}");
        for b in boxes {
            let (top, bottom, width) = (
                b[0].as_f64().unwrap(),
                b[1].as_f64().unwrap(),
                b[2].as_f64().unwrap(),
            );
            assert!(
                top >= 0.0 && bottom <= height && width > 0.0,
                "{role}: {css} at {top}–{bottom} of {height}"
            );
        }
        d.save_screen_png(&out.join(format!("home-{role}.png")));
    }
}
