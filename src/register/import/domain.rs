//! The import's rules, pure code: which columns a register workbook has and the usual headers
//! each goes by (中文 as street staff type them, or the English labels), reading one row's cells
//! into a person (the ID number checked by GB 11643, relation, sex, phone, care tags), and the
//! duplicates within the file. What needs the database (the compound in the uploader's scope,
//! its building, an ID number already registered) is checked by the handlers with `models`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::register::domain::{self, CARE_TAGS, RELATIONS};

/// The columns in the template's order; a row's `cells` follow it.
pub const COLUMNS: [&str; 11] = [
    "compound",
    "building",
    "unit_no",
    "room",
    "name",
    "id_number",
    "relation",
    "sex",
    "phone",
    "registered_address",
    "tags",
];

/// Column indexes the handlers name.
pub const COMPOUND: usize = 0;
pub const BUILDING: usize = 1;
pub const ID_NUMBER: usize = 5;
pub const PHONE: usize = 8;

/// Columns a workbook must have.
pub const REQUIRED: [usize; 4] = [0, 3, 4, 5];

/// Rows an upload may hold.
pub const MAX_ROWS: usize = 10_000;

/// The headers each column goes by (after trimming, with required marks and spaces dropped,
/// compared case-insensitively).
const ALIASES: [&[&str]; 11] = [
    &[
        "小区",
        "小区名称",
        "小区/楼院",
        "楼院",
        "小区楼院",
        "compound",
    ],
    &["楼栋", "楼号", "楼栋号", "building"],
    &["单元", "单元号", "unit"],
    &["房号", "门牌号", "室号", "房间号", "room"],
    &["姓名", "name"],
    &[
        "身份证号",
        "身份证号码",
        "公民身份号码",
        "证件号码",
        "idnumber",
        "id",
    ],
    &["与户主关系", "关系", "户主关系", "relation"],
    &["性别", "sex"],
    &["联系电话", "电话", "手机", "手机号", "手机号码", "phone"],
    &["户籍地址", "户籍地", "户籍所在地", "registeredaddress"],
    &[
        "关爱标签",
        "标签",
        "人员类别",
        "特殊人群",
        "caretags",
        "tags",
    ],
];

fn normalize(header: &str) -> String {
    header
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | '＊' | '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The column a header names, if any.
pub fn column_of(header: &str) -> Option<usize> {
    let h = normalize(header);
    ALIASES
        .iter()
        .position(|names| names.iter().any(|n| normalize(n) == h))
}

/// For each column of the sheet, the template column it holds (the first of a repeated header
/// wins); or the required columns missing.
pub fn map_headers(headers: &[String]) -> Result<Vec<Option<usize>>, Vec<usize>> {
    let mut seen = [false; 11];
    let map: Vec<Option<usize>> = headers
        .iter()
        .map(|h| match column_of(h) {
            Some(c) if !seen[c] => {
                seen[c] = true;
                Some(c)
            }
            _ => None,
        })
        .collect();
    let missing: Vec<usize> = REQUIRED.into_iter().filter(|c| !seen[*c]).collect();
    if missing.is_empty() {
        Ok(map)
    } else {
        Err(missing)
    }
}

/// A sheet's line laid out in the template's columns.
pub fn cells_of(line: &[String], map: &[Option<usize>]) -> Vec<String> {
    let mut cells = vec![String::new(); COLUMNS.len()];
    for (value, col) in line.iter().zip(map) {
        if let Some(c) = col {
            cells[*c] = value.trim().to_string();
        }
    }
    cells
}

/// A message beside one cell of one row: the column, the locale key, an argument (a row
/// number for a duplicate).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellError {
    pub col: usize,
    pub key: String,
    pub arg: String,
}

/// A row of the upload as read and checked: its Excel row number, its cells in the template's
/// columns, the messages beside them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Row {
    pub line: u32,
    pub cells: Vec<String>,
    pub errors: Vec<CellError>,
}

impl Row {
    pub fn error(&mut self, col: usize, key: &str, arg: impl ToString) {
        self.errors.push(CellError {
            col,
            key: key.to_string(),
            arg: arg.to_string(),
        });
    }

    pub fn ok(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn cell(&self, col: usize) -> &str {
        self.cells.get(col).map(String::as_str).unwrap_or("")
    }

    /// The messages beside column `col`.
    pub fn errors_at(&self, col: usize) -> impl Iterator<Item = &CellError> {
        self.errors.iter().filter(move |e| e.col == col)
    }
}

/// A row's person, as the register stores it.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub name: String,
    pub id_number: String,
    pub relation: String,
    pub sex: String,
    pub birth_date: NaiveDate,
    pub phone: String,
    pub registered_address: String,
    pub tags: String,
}

const RELATION_WORDS: [(&str, &str); 16] = [
    ("户主", "householder"),
    ("本人", "householder"),
    ("配偶", "spouse"),
    ("妻", "spouse"),
    ("夫", "spouse"),
    ("子女", "child"),
    ("子", "child"),
    ("女", "child"),
    ("父母", "parent"),
    ("父亲", "parent"),
    ("母亲", "parent"),
    ("孙子女", "grandchild"),
    ("兄弟姐妹", "sibling"),
    ("租户", "tenant"),
    ("租客", "tenant"),
    ("其他", "other"),
];

/// A relation as typed (the Chinese word or the code); empty reads as "other".
pub fn relation_code(raw: &str) -> Option<&'static str> {
    let r = raw.trim();
    if r.is_empty() {
        return Some("other");
    }
    RELATION_WORDS
        .iter()
        .find(|(w, _)| *w == r)
        .map(|(_, c)| *c)
        .or_else(|| RELATIONS.iter().find(|c| **c == r).copied())
}

const TAG_WORDS: [(&str, &str); 14] = [
    ("低保", "dibao"),
    ("特困", "tekun"),
    ("残疾", "disabled"),
    ("残疾人", "disabled"),
    ("独居/空巢老人", "elderly_alone"),
    ("独居老人", "elderly_alone"),
    ("空巢老人", "elderly_alone"),
    ("失业/4050", "unemployed"),
    ("失业", "unemployed"),
    ("4050", "unemployed"),
    ("退役军人", "veteran"),
    ("党员", "party_member"),
    ("重点服务对象", "key_service"),
    ("重点对象", "key_service"),
];

/// Care tags as typed, separated by 、，, ; or spaces: the stored codes, or the first word not
/// known.
pub fn tag_codes(raw: &str) -> Result<String, String> {
    let mut codes: Vec<&str> = Vec::new();
    for word in raw
        .split(['、', '，', ',', ';', '；', ' ', '\u{3000}'])
        .map(str::trim)
        .filter(|w| !w.is_empty())
    {
        let code = TAG_WORDS
            .iter()
            .find(|(w, _)| *w == word)
            .map(|(_, c)| *c)
            .or_else(|| CARE_TAGS.iter().find(|c| **c == word).copied())
            .ok_or_else(|| word.to_string())?;
        codes.push(code);
    }
    Ok(CARE_TAGS
        .into_iter()
        .filter(|t| codes.contains(t))
        .collect::<Vec<_>>()
        .join(","))
}

fn sex_code(raw: &str) -> Option<&'static str> {
    match raw.trim() {
        "" => Some(""),
        "男" | "male" | "M" | "m" => Some("male"),
        "女" | "female" | "F" | "f" => Some("female"),
        _ => None,
    }
}

fn phone_ok(raw: &str) -> bool {
    let digits = raw.chars().filter(|c| *c != '-').count();
    raw.is_empty()
        || (raw.chars().all(|c| c.is_ascii_digit() || c == '-') && (7..=20).contains(&digits))
}

/// Checks a row's own cells (what needs no database), adding the messages to the row; its
/// person when none was found.
pub fn check(row: &mut Row, today: NaiveDate) -> Option<Person> {
    let need = [
        (0usize, "compound"),
        (3, "room"),
        (4, "name"),
        (5, "id_number"),
    ];
    for (col, _) in need {
        if row.cell(col).is_empty() {
            row.error(col, "form.required", "");
        }
    }
    for (col, max) in [
        (0usize, 60usize),
        (1, 30),
        (2, 10),
        (3, 20),
        (4, 30),
        (9, 120),
    ] {
        if row.cell(col).chars().count() > max {
            row.error(col, "form.too_long", max);
        }
    }
    let relation = relation_code(row.cell(6));
    if relation.is_none() {
        row.error(6, "regimport.err.relation", "");
    }
    let sex = sex_code(row.cell(7));
    if sex.is_none() {
        row.error(7, "regimport.err.sex", "");
    }
    let mut facts = None;
    if !row.cell(ID_NUMBER).is_empty() {
        match domain::check_id(row.cell(ID_NUMBER), sex, today) {
            Ok(f) => facts = Some(f),
            Err(e) => row.error(ID_NUMBER, e.key(), ""),
        }
    }
    let phone: String = row
        .cell(PHONE)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if !phone_ok(&phone) {
        row.error(PHONE, "form.phone_invalid", "");
    }
    let tags = match tag_codes(row.cell(10)) {
        Ok(t) => t,
        Err(word) => {
            row.error(10, "regimport.err.tag", word);
            String::new()
        }
    };
    let facts = facts?;
    if !row.ok() {
        return None;
    }
    Some(Person {
        name: row.cell(4).to_string(),
        id_number: domain::normalize_id(row.cell(ID_NUMBER)),
        relation: relation.unwrap_or("other").to_string(),
        sex: facts.sex.to_string(),
        birth_date: facts.birth_date,
        phone,
        registered_address: row.cell(9).to_string(),
        tags,
    })
}

/// Marks every row whose ID number an earlier row of the file holds, naming that row.
pub fn mark_duplicates(rows: &mut [Row]) {
    let mut first: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    for row in rows.iter_mut() {
        let id = domain::normalize_id(row.cell(ID_NUMBER));
        if id.is_empty() {
            continue;
        }
        match first.get(&id) {
            Some(line) => row.error(ID_NUMBER, "regimport.err.duplicate", line),
            None => {
                first.insert(id, row.line);
            }
        }
    }
}

/// The household a row goes to: (compound, building, unit, room) as typed.
pub fn place_key(row: &Row) -> (String, String, String, String) {
    (
        row.cell(0).to_string(),
        row.cell(1).to_string(),
        row.cell(2).to_string(),
        row.cell(3).to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()
    }

    fn row(line: u32, cells: &[&str]) -> Row {
        let mut c: Vec<String> = cells.iter().map(|s| s.to_string()).collect();
        c.resize(COLUMNS.len(), String::new());
        Row {
            line,
            cells: c,
            errors: Vec::new(),
        }
    }

    #[test]
    fn the_usual_headers_map_to_their_columns() {
        let h: Vec<String> = [
            "序号",
            "姓名*",
            " 身份证号码 ",
            "小区",
            "房号",
            "联系电话",
            "关系",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let map = map_headers(&h).unwrap();
        assert_eq!(
            map,
            vec![None, Some(4), Some(5), Some(0), Some(3), Some(8), Some(6)]
        );
        let missing = map_headers(&["姓名".to_string()]).unwrap_err();
        assert_eq!(missing, vec![0, 3, 5]);
        assert_eq!(column_of("Room"), Some(3));
    }

    #[test]
    fn a_good_row_reads_as_a_person() {
        let mut r = row(
            2,
            &[
                "景桥小区",
                "1号楼",
                "1单元",
                "101",
                "张三",
                "11010519491231002x",
                "户主",
                "",
                "138-1234-5678",
                "",
                "低保、独居老人",
            ],
        );
        let p = check(&mut r, today()).unwrap();
        assert!(r.ok());
        assert_eq!(p.id_number, "11010519491231002X");
        assert_eq!(p.sex, "female");
        assert_eq!(p.relation, "householder");
        assert_eq!(p.tags, "dibao,elderly_alone");
    }

    #[test]
    fn bad_cells_are_named_by_their_column() {
        let mut r = row(
            3,
            &[
                "",
                "",
                "",
                "",
                "李四",
                "410102198503120031",
                "表哥",
                "男",
                "12",
                "",
                "富人",
            ],
        );
        assert!(check(&mut r, today()).is_none());
        let cols: Vec<(usize, &str)> = r.errors.iter().map(|e| (e.col, e.key.as_str())).collect();
        assert!(cols.contains(&(0, "form.required")));
        assert!(cols.contains(&(3, "form.required")));
        assert!(cols.contains(&(5, "register.id.checksum")));
        assert!(cols.contains(&(6, "regimport.err.relation")));
        assert!(cols.contains(&(8, "form.phone_invalid")));
        assert!(cols.contains(&(10, "regimport.err.tag")));
    }

    #[test]
    fn a_repeated_id_number_names_the_first_row() {
        let id = "410102198503120030";
        let mut rows = vec![
            row(2, &["a", "", "", "1", "x", id]),
            row(3, &["a", "", "", "1", "y", id]),
        ];
        mark_duplicates(&mut rows);
        assert!(rows[0].ok());
        assert_eq!(rows[1].errors[0].key, "regimport.err.duplicate");
        assert_eq!(rows[1].errors[0].arg, "2");
    }
}
