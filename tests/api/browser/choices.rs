//! The layout of radio and checkbox groups, measured in the browser: every choice in a form is a
//! small input on the line of its text, left of it, and no option's text breaks (issue 15: the
//! `.field input { width: 100% }` rule once stretched the inputs and wrapped "不指定" mid-word).

use serde_json::json;

use super::Driver;

/// Measures every radio and checkbox inside `css` (shown: open a `<details>` first) against the
/// text of its label; returns what is wrong, or nothing.
const MEASURE: &str = r#"
const root = document.querySelector(arguments[0]);
if (!root) return { count: 0, checkboxes: 0, bad: ['no ' + arguments[0]] };
const inputs = [...root.querySelectorAll('input[type=radio], input[type=checkbox]')];
const bad = [];
for (const i of inputs) {
  const what = i.name + '=' + i.value;
  const label = i.closest('label');
  const texts = label ? [...label.childNodes].filter(n => n.nodeType === 3 && n.textContent.trim()) : [];
  if (!texts.length) { bad.push(what + ': no label text'); continue; }
  const box = i.getBoundingClientRect();
  if (box.width === 0) { bad.push(what + ': not shown'); continue; }
  const range = document.createRange();
  range.setStartBefore(texts[0]);
  range.setEndAfter(texts[texts.length - 1]);
  const text = range.getBoundingClientRect();
  const style = getComputedStyle(label);
  const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5;
  if (box.width >= 40) bad.push(what + ': input ' + box.width + ' px wide');
  if (box.right > text.left + 1) bad.push(what + ': input not left of its text');
  if (!(box.top < text.bottom && text.top < box.bottom)) bad.push(what + ': input not on its text\'s line');
  if (label.getBoundingClientRect().height >= 2 * line) bad.push(what + ': label wraps (' + label.getBoundingClientRect().height + ' px, line ' + line + ')');
  if (range.getClientRects().length > 1 && new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1) bad.push(what + ': text on two lines');
}
return { count: inputs.length, checkboxes: inputs.filter(i => i.type === 'checkbox').length, bad };
"#;

impl Driver {
    /// Asserts the radio and checkbox groups inside `css` are laid out as choices; returns how
    /// many inputs and how many checkboxes were measured.
    pub(super) fn assert_choices(&self, css: &str) -> (usize, usize) {
        let v = self.script(MEASURE, json!([css]));
        let bad: Vec<&str> = v["bad"]
            .as_array()
            .unwrap_or_else(|| panic!("{css}: {v}"))
            .iter()
            .filter_map(|b| b.as_str())
            .collect();
        let count = v["count"].as_u64().unwrap() as usize;
        assert!(count > 0, "no radios or checkboxes in {css}");
        assert!(bad.is_empty(), "{css}: {bad:#?}");
        self.script(
            "document.querySelector(arguments[0]).scrollIntoView();",
            json!([css]),
        );
        (count, v["checkboxes"].as_u64().unwrap() as usize)
    }
}
