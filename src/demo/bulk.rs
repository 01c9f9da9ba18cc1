//! Bulk loading for the demo generators: rows collected as literal SQL values (our own generated
//! text, quoted here) and written in multi-row INSERTs, which both SQLite and PostgreSQL accept.
//! Row-at-a-time inserts of a district-year (hundreds of thousands of issues, patrols and visits)
//! would take many minutes.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::error::AppResult;

/// Rows per INSERT statement.
const BATCH: usize = 400;

/// Collects rows and writes them in multi-row INSERTs.
pub(super) struct Bulk {
    table: &'static str,
    columns: &'static str,
    rows: Vec<String>,
}

impl Bulk {
    pub(super) fn new(table: &'static str, columns: &'static str) -> Bulk {
        Bulk {
            table,
            columns,
            rows: Vec::with_capacity(BATCH),
        }
    }

    pub(super) fn push(&mut self, conn: &mut AnyConnection, row: String) -> AppResult<()> {
        self.rows.push(row);
        if self.rows.len() >= BATCH {
            self.flush(conn)?;
        }
        Ok(())
    }

    /// Like `push`, but writes `parent` first whenever this batch is written, so rows never
    /// reference parents still waiting in memory.
    pub(super) fn push_after(
        &mut self,
        conn: &mut AnyConnection,
        row: String,
        parent: &mut Bulk,
    ) -> AppResult<()> {
        self.rows.push(row);
        if self.rows.len() >= BATCH {
            parent.flush(conn)?;
            self.flush(conn)?;
        }
        Ok(())
    }

    pub(super) fn flush(&mut self, conn: &mut AnyConnection) -> AppResult<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "INSERT INTO {} ({}) VALUES {}",
            self.table,
            self.columns,
            self.rows.join(",")
        );
        diesel::sql_query(sql).execute(conn)?;
        self.rows.clear();
        Ok(())
    }
}

pub(super) fn q(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

pub(super) fn ts(t: NaiveDateTime) -> String {
    format!("'{}'", t.format("%Y-%m-%d %H:%M:%S"))
}

pub(super) fn ts_opt(t: Option<NaiveDateTime>) -> String {
    t.map(ts).unwrap_or_else(|| "NULL".into())
}

pub(super) fn id_opt(v: Option<i32>) -> String {
    v.map(|v| v.to_string()).unwrap_or_else(|| "NULL".into())
}
