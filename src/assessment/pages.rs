//! The pages of 量化考核 and the rows they show: the ranking (and its printed bulletin), an
//! object's result with every entry, my score.

use std::collections::{BTreeMap, HashMap};

use askama::Template;

use super::domain::{self, pts};
use super::forms::{EntryForm, RankQuery, ReverseForm};
use super::models::{AssessResult, Entry, Indicator, Scheme};
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, ConflictRow, FormErrors};

/// A month of a street as the ranking, the export and the bulletin read it.
pub struct Ranking {
    pub schemes: Vec<Scheme>,
    pub scheme: Option<Scheme>,
    pub leaves: Vec<Indicator>,
    pub street_id: i32,
    pub street_name: String,
    pub street_path: String,
    pub streets: Vec<Choice>,
    pub period: String,
    pub results: Vec<AssessResult>,
    /// Result id → scored indicator id → points.
    pub scores: HashMap<i32, BTreeMap<i32, i32>>,
    /// Result id → (bonus, deductions) of its manual entries.
    pub manual: HashMap<i32, (i32, i32)>,
}

/// A result as a line of the ranking, the export and the bulletin.
pub struct RowView {
    pub id: i32,
    pub rank: i32,
    pub name: String,
    pub total: String,
    pub grade: String,
    pub grade_code: String,
    pub state: String,
    pub published: bool,
    /// One per scored indicator, in the scheme's order.
    pub scores: Vec<String>,
    pub bonus: String,
    pub deduction: String,
    /// For the bar: the total in percent of 100 points.
    pub bar: i32,
}

impl RowView {
    pub fn of(ctx: &Ctx, r: &AssessResult, rk: &Ranking) -> RowView {
        let s = rk.scores.get(&r.id);
        let (bonus, deduction) = rk.manual.get(&r.id).copied().unwrap_or_default();
        RowView {
            id: r.id,
            rank: r.group_rank,
            name: r.object_name.clone(),
            total: pts(r.total),
            grade: ctx.t(format!("assess.grade.{}", r.grade)),
            grade_code: r.grade.clone(),
            state: ctx.t(format!("assess.state.{}", r.state)),
            published: r.is_published(),
            scores: rk
                .leaves
                .iter()
                .map(|i| {
                    s.and_then(|m| m.get(&i.id))
                        .map_or(String::new(), |p| pts(*p))
                })
                .collect(),
            bonus: pts(bonus),
            deduction: pts(deduction),
            bar: (r.total / 10).clamp(0, 100),
        }
    }
}

impl Ranking {
    pub fn rows(&self, ctx: &Ctx) -> Vec<RowView> {
        self.results
            .iter()
            .map(|r| RowView::of(ctx, r, self))
            .collect()
    }

    pub fn published(&self) -> bool {
        self.results.iter().any(AssessResult::is_published)
    }

    pub fn query(&self) -> String {
        format!(
            "scheme={}&period={}&unit={}",
            self.scheme.as_ref().map_or(0, |s| s.id),
            self.period,
            self.street_id
        )
    }

    /// "2026年10月" / "October 2026" for the title.
    pub fn month_words(&self, ctx: &Ctx) -> String {
        let (y, m) = self.period.split_once('-').unwrap_or(("", ""));
        ctx.ta(
            "assess.month_words",
            &[
                ("y", y.to_string()),
                ("m", m.trim_start_matches('0').to_string()),
            ],
        )
    }
}

#[derive(Template)]
#[template(path = "assessment/list.html")]
pub struct ListPage {
    pub ctx: Ctx,
    pub rk: Ranking,
    pub rows: Vec<RowView>,
    pub q: RankQuery,
    pub may_manage: bool,
    pub scheme_choices: Vec<Choice>,
    pub form_token: String,
    pub errors: FormErrors,
}

#[derive(Template)]
#[template(path = "assessment/bulletin.html")]
pub struct BulletinPage {
    pub ctx: Ctx,
    pub rk: Ranking,
    pub rows: Vec<RowView>,
    pub title: String,
    pub basis: String,
}

/// An entry as its result's page shows it.
pub struct EntryView {
    pub id: i32,
    pub points: String,
    pub figure: String,
    pub formula: String,
    pub source_url: String,
    pub manual: bool,
    pub reason: String,
    pub evidence: String,
    /// The evidence as a link when it is one (a path inside Gridwork or a web address).
    pub evidence_href: String,
    pub who: String,
    pub when: String,
    pub reversed: bool,
    pub reversal: bool,
    pub may_reverse: bool,
}

/// An indicator of the tree with its score and entries (only scored ones have them).
pub struct IndicatorLine {
    pub id: i32,
    pub depth: i32,
    pub code: String,
    pub name: String,
    pub full: String,
    pub method: String,
    pub score: String,
    pub entries: Vec<EntryView>,
}

pub fn lines(
    ctx: &Ctx,
    inds: &[Indicator],
    entries: &[Entry],
    names: &HashMap<i32, String>,
    may_write: bool,
) -> Vec<IndicatorLine> {
    let scores = super::models::indicator_scores(inds, entries);
    inds.iter()
        .map(|i| IndicatorLine {
            id: i.id,
            depth: i.depth,
            code: i.code.clone(),
            name: i.name.clone(),
            full: pts(i.full_marks),
            method: ctx.t(format!("assess.method.{}", i.method)),
            score: scores.get(&i.id).map_or(String::new(), |p| pts(*p)),
            entries: entries
                .iter()
                .filter(|e| e.indicator_id == i.id)
                .map(|e| EntryView {
                    id: e.id,
                    points: if e.manual && e.points > 0 {
                        format!("+{}", pts(e.points))
                    } else {
                        pts(e.points)
                    },
                    figure: e.figure.clone(),
                    formula: e.formula.clone(),
                    source_url: e.source_url.clone(),
                    manual: e.manual,
                    reason: e.reason.clone(),
                    evidence: e.evidence.clone(),
                    evidence_href: if e.evidence.starts_with('/')
                        || e.evidence.starts_with("https://")
                    {
                        e.evidence.clone()
                    } else {
                        String::new()
                    },
                    who: e
                        .entered_by
                        .and_then(|u| names.get(&u).cloned())
                        .unwrap_or_default(),
                    when: ctx.dt(&e.created_at),
                    reversed: e.reversed_by.is_some(),
                    reversal: e.reverses.is_some(),
                    may_reverse: may_write
                        && e.manual
                        && e.reverses.is_none()
                        && e.reversed_by.is_none(),
                })
                .collect(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "assessment/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub r: AssessResult,
    pub scheme: Scheme,
    pub total: String,
    pub grade: String,
    pub lines: Vec<IndicatorLine>,
    pub may_write: bool,
    pub manual_choices: Vec<Choice>,
    pub form: EntryForm,
    pub errors: FormErrors,
    pub conflicts: Vec<ConflictRow>,
    pub reverse: ReverseForm,
    pub reverse_of: i32,
    pub reverse_errors: FormErrors,
    pub back: String,
}

/// A line of my score.
pub struct MeRow {
    pub id: i32,
    pub period: String,
    pub name: String,
    pub total: String,
    pub grade: String,
    pub rank: i32,
    pub state: String,
}

#[derive(Template)]
#[template(path = "assessment/me.html")]
pub struct MePage {
    pub ctx: Ctx,
    pub rows: Vec<MeRow>,
}

impl MeRow {
    pub fn of(ctx: &Ctx, r: &AssessResult) -> MeRow {
        MeRow {
            id: r.id,
            period: r.period.clone(),
            name: r.object_name.clone(),
            total: pts(r.total),
            grade: ctx.t(format!("assess.grade.{}", r.grade)),
            rank: r.group_rank,
            state: ctx.t(format!("assess.state.{}", r.state)),
        }
    }
}

/// The grade's words for a total (used by the result's page).
pub fn grade_words(ctx: &Ctx, total: i32, bands: &str) -> String {
    ctx.t(format!("assess.grade.{}", domain::grade(total, bands)))
}

/// A scheme with its indicator tree, as `/assessment/schemes` shows it.
pub struct SchemeView {
    pub scheme: Scheme,
    /// The grade bands in words: "优秀 ≥ 90 · 良好 ≥ 80 …".
    pub bands: String,
    pub lines: Vec<IndicatorLine>,
    pub params: Vec<(String, String, String, String)>,
}

#[derive(Template)]
#[template(path = "assessment/schemes.html")]
pub struct SchemesPage {
    pub ctx: Ctx,
    pub schemes: Vec<SchemeView>,
}

impl SchemeView {
    pub fn of(ctx: &Ctx, scheme: Scheme, inds: &[Indicator]) -> SchemeView {
        let bands = scheme
            .bands
            .split(';')
            .filter_map(|b| b.split_once(':'))
            .map(|(min, g)| format!("{} ≥ {min}", ctx.t(format!("assess.grade.{g}"))))
            .collect::<Vec<_>>()
            .join(" · ");
        SchemeView {
            bands,
            lines: lines(ctx, inds, &[], &HashMap::new(), false),
            params: inds
                .iter()
                .map(|i| {
                    (
                        i.params.clone(),
                        i.source.clone(),
                        pts(i.floor_points),
                        pts(i.cap()),
                    )
                })
                .collect(),
            scheme,
        }
    }
}
