//! The store: one binary on SQLite (default, one file) or PostgreSQL (`postgres://…`), chosen at
//! run time by the URL scheme. Queries are written once against [`AnyConnection`]; where a backend
//! differs, the `match` lives inside the model function. See ARCHITECTURE.md.

pub mod schema;
pub mod stamped;
pub mod statements;

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, CustomizeConnection, ManageConnection, R2D2Connection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::{AppError, AppResult};

/// One connection type for both backends. Postgres comes first: `establish` tries the variants
/// in order and SQLite accepts nearly any string as a file name.
#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Postgresql(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

pub type Pool = r2d2::Pool<Manager>;
pub type PooledConn = r2d2::PooledConnection<Manager>;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Which store a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of(url: &str) -> Self {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// An r2d2 manager that picks the backend by URL scheme, so a refused PostgreSQL connection
/// reports its real cause instead of MultiConnection's generic "invalid url".
#[derive(Debug)]
pub struct Manager {
    url: String,
    backend: Backend,
}

impl Manager {
    pub fn new(url: &str) -> Self {
        let backend = Backend::of(url);
        let url = match backend {
            Backend::Sqlite => url.strip_prefix("sqlite://").unwrap_or(url).to_string(),
            Backend::Postgres => url.to_string(),
        };
        Manager { url, backend }
    }
}

impl ManageConnection for Manager {
    type Connection = AnyConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<AnyConnection, r2d2::Error> {
        match self.backend {
            Backend::Postgres => {
                diesel::PgConnection::establish(&self.url).map(AnyConnection::Postgresql)
            }
            Backend::Sqlite => {
                diesel::SqliteConnection::establish(&self.url).map(AnyConnection::Sqlite)
            }
        }
        .map_err(r2d2::Error::ConnectionError)
    }

    /// Run at every check-out. A PostgreSQL connection can be cut (a server restart, a network
    /// timeout), so it answers a `SELECT 1` first; an SQLite connection is a file opened in this
    /// process and cannot, so it is not asked — that ping was one statement in every `db::run`.
    fn is_valid(&self, conn: &mut AnyConnection) -> Result<(), r2d2::Error> {
        match conn {
            AnyConnection::Sqlite(_) => Ok(()),
            AnyConnection::Postgresql(_) => conn.ping().map_err(r2d2::Error::QueryError),
        }
    }

    fn has_broken(&self, conn: &mut AnyConnection) -> bool {
        std::thread::panicking() || conn.is_broken()
    }
}

/// Per-connection settings. SQLite: busy_timeout comes first (switching to WAL takes a lock);
/// synchronous=FULL: a commit the user saw confirmed survives power loss, not only a crash.
#[derive(Debug, Clone, Copy)]
struct ConnectionSettings;

impl CustomizeConnection<AnyConnection, r2d2::Error> for ConnectionSettings {
    fn on_acquire(&self, conn: &mut AnyConnection) -> Result<(), r2d2::Error> {
        if let AnyConnection::Sqlite(c) = conn {
            // mmap: pool connections share the OS page cache instead of each copying pages
            // through read() into its own cache (lists over a district-year ran 40x slower under
            // 32 concurrent requests than alone); a 16 MiB cache per connection for the rest.
            c.batch_execute(
                "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
                 PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
                 PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -16384;",
            )
            .map_err(r2d2::Error::QueryError)?;
        }
        if let AnyConnection::Postgresql(c) = conn {
            // diesel prepares every statement; after five runs PostgreSQL may switch to a
            // generic plan that cannot see how wide a path range is, and a street's filtered
            // issue list then sorted the whole table (72 pages/s against 0.45 ms a query with
            // its values). Planning each run with its values costs well under a millisecond.
            c.batch_execute("SET plan_cache_mode = force_custom_plan")
                .map_err(r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

/// Process-wide SQLite settings, applied once before the first connection opens:
/// - multi-thread mode: r2d2 hands each connection to one thread at a time, so SQLite's
///   per-connection mutexes are pure overhead;
/// - no memory statistics: with them on, every allocation in every connection takes one global
///   mutex, which profiling showed as the main contention under concurrent page loads.
///
/// Both calls fail harmlessly (SQLITE_MISUSE) if SQLite was already initialized.
fn configure_sqlite_once() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: sqlite3_config is called before any connection exists in this process (the
        // pool is the only opener) and with the argument types its documentation gives.
        unsafe {
            libsqlite3_sys::sqlite3_config(libsqlite3_sys::SQLITE_CONFIG_MULTITHREAD);
            libsqlite3_sys::sqlite3_config(
                libsqlite3_sys::SQLITE_CONFIG_MEMSTATUS,
                0 as std::ffi::c_int,
            );
        }
    });
}

/// One connection with the pool's settings, outside any pool: the first start's migrations run
/// on it before the pool exists (`startup::open_store`), and [`pool`] opens one first.
pub fn connect(url: &str) -> AppResult<AnyConnection> {
    if Backend::of(url) == Backend::Sqlite {
        configure_sqlite_once();
    }
    let open = |e: r2d2::Error| AppError::Internal(format!("cannot open the database: {e}"));
    let mut conn = Manager::new(url).connect().map_err(open)?;
    ConnectionSettings.on_acquire(&mut conn).map_err(open)?;
    Ok(conn)
}

/// Builds the pool. A pool of SQLite connections shares one file: readers run in parallel under
/// WAL, writers queue on the IMMEDIATE lock (see [`write`]).
pub fn pool(url: &str, size: u32) -> AppResult<Pool> {
    statements::install();
    // SQLite: switching a new file to WAL takes its exclusive lock, and a second connection that
    // asks for the same switch at that moment gets "database is locked" at once, past its
    // busy_timeout (waiting could deadlock). r2d2 opens its connections on three background
    // threads, so a fresh file's first start logged `ERROR r2d2: database is locked` now and
    // then (4 starts in 150 on two busy cores) before a retry succeeded. One connection makes the
    // switch alone and stays open while the pool fills: the others find WAL set.
    let first = match Backend::of(url) {
        Backend::Sqlite => Some(connect(url)?),
        Backend::Postgres => None,
    };
    let pool = r2d2::Pool::builder()
        .max_size(size)
        .connection_timeout(Duration::from_secs(5))
        .connection_customizer(Box::new(ConnectionSettings))
        .build(Manager::new(url))
        .map_err(|e| AppError::Internal(format!("cannot open the database: {e}")))?;
    drop(first);
    Ok(pool)
}

/// Runs the pending migrations of the connection's backend.
pub fn migrate(conn: &mut AnyConnection) -> AppResult<()> {
    let source = match conn {
        AnyConnection::Postgresql(_) => PG_MIGRATIONS,
        AnyConnection::Sqlite(_) => SQLITE_MIGRATIONS,
    };
    conn.run_pending_migrations(source)
        .map_err(|e| AppError::Internal(format!("migration failed: {e}")))?;
    Ok(())
}

/// The versions of the SQLite migrations this binary carries: a database to restore may lack
/// some (it is older and is migrated at the next start), never have others (it is newer).
pub fn sqlite_migration_versions() -> AppResult<Vec<String>> {
    use diesel::migration::MigrationSource;
    let migrations = MigrationSource::<diesel::sqlite::Sqlite>::migrations(&SQLITE_MIGRATIONS)
        .map_err(|e| AppError::Internal(format!("embedded migrations: {e}")))?;
    Ok(migrations
        .iter()
        .map(|m| m.name().version().to_string())
        .collect())
}

/// Runs blocking diesel work on actix's blocking pool, never on an async worker, and never holds a
/// connection across an `.await`.
pub async fn run<T, F>(pool: &Pool, f: F) -> AppResult<T>
where
    F: FnOnce(&mut AnyConnection) -> AppResult<T> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    let (out, sent) = actix_web::web::block(move || {
        let before = statements::on_this_thread();
        let out = pool
            .get()
            .map_err(|_| AppError::Unavailable)
            .and_then(|mut conn| f(&mut conn));
        (out, statements::on_this_thread() - before)
    })
    .await
    .map_err(|e| AppError::Internal(format!("blocking task failed: {e}")))?;
    statements::add_to_request(sent);
    out
}

/// Runs `f` in one write transaction. On SQLite the transaction begins IMMEDIATE, so a
/// read-then-write never fails with SQLITE_BUSY half-way (measured: deferred transactions
/// are the cause of busy errors under concurrency). Model functions never open transactions
/// themselves; handlers call this once.
pub fn write<T>(
    conn: &mut AnyConnection,
    f: impl FnOnce(&mut AnyConnection) -> AppResult<T>,
) -> AppResult<T> {
    match conn {
        AnyConnection::Postgresql(_) => conn.transaction(f),
        AnyConnection::Sqlite(_) => {
            conn.batch_execute("BEGIN IMMEDIATE")?;
            match f(conn) {
                Ok(value) => match conn.batch_execute("COMMIT") {
                    Ok(()) => Ok(value),
                    Err(e) => {
                        let _ = conn.batch_execute("ROLLBACK");
                        Err(e.into())
                    }
                },
                Err(e) => {
                    let _ = conn.batch_execute("ROLLBACK");
                    Err(e)
                }
            }
        }
    }
}

/// Async shorthand: one write transaction on the blocking pool.
pub async fn run_write<T, F>(pool: &Pool, f: F) -> AppResult<T>
where
    F: FnOnce(&mut AnyConnection) -> AppResult<T> + Send + 'static,
    T: Send + 'static,
{
    run(pool, move |conn| write(conn, f)).await
}

/// The half-open range of materialized paths inside the subtree rooted at `path` ("/1/3/"):
/// `[path, upper)`, where `upper` replaces the trailing '/' by '0', the next byte. Paths hold only
/// digits and '/', so this is exactly the prefix match, and both backends use the index for it.
pub fn subtree_range(path: &str) -> (String, String) {
    let mut upper = path.trim_end_matches('/').to_string();
    upper.push('0');
    (path.to_string(), upper)
}

/// A LIKE pattern that finds `q` anywhere in a text: `%q%`, with `%`, `_` and `\` in `q`
/// matching themselves (use with `.escape('\\')`).
pub fn like_pattern(q: &str) -> String {
    let mut s = String::from("%");
    for c in q.chars() {
        if matches!(c, '%' | '_' | '\\') {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('%');
    s
}

/// Now, in UTC, truncated to microseconds so values round-trip identically on both backends.
pub fn now() -> chrono::NaiveDateTime {
    use chrono::SubsecRound;
    chrono::Utc::now().naive_utc().trunc_subsecs(6)
}

/// True when the error is a unique-constraint violation (for idempotent inserts).
pub fn is_unique_violation(e: &diesel::result::Error) -> bool {
    matches!(
        e,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}

/// `.first()` without its `LIMIT ?`. SQLite re-prepares a statement every time a parameter the
/// planner looked at is re-bound, and it looks at a bound LIMIT; so every `.first()` query was
/// compiled afresh on each call and the statement cache never hit (profiling showed the session
/// lookup alone at ~100 µs, ~30 µs without the LIMIT). Use it for queries that select at most a
/// few rows (by key); only the first row is stepped and read.
pub trait FirstRow: RunQueryDsl<AnyConnection> + Sized {
    fn first_row<'query, U>(self, conn: &mut AnyConnection) -> diesel::QueryResult<U>
    where
        Self: diesel::query_dsl::LoadQuery<'query, AnyConnection, U> + 'query,
        U: 'query,
    {
        self.load_iter::<U, diesel::connection::DefaultLoadingMode>(conn)?
            .next()
            .unwrap_or(Err(diesel::result::Error::NotFound))
    }
}

impl<T: RunQueryDsl<AnyConnection>> FirstRow for T {}

/// How many rows a query of ids finds, reading at most `cap + 1` of them: a list's pager needs
/// "more than the cap" (`web::pagination::COUNT_MAX`), never the exact count of a year of a
/// district's rows, and a bounded read of ids costs the same however long the list.
pub trait CountUpto: diesel::query_dsl::methods::LimitDsl + Sized {
    fn count_upto<'query>(self, conn: &mut AnyConnection, cap: i64) -> diesel::QueryResult<i64>
    where
        diesel::dsl::Limit<Self>:
            RunQueryDsl<AnyConnection> + diesel::query_dsl::LoadQuery<'query, AnyConnection, i32>,
    {
        Ok(self.limit(cap + 1).load::<i32>(conn)?.len() as i64)
    }
}

impl<T: diesel::query_dsl::methods::LimitDsl> CountUpto for T {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtree_range_is_the_prefix_range() {
        let (lo, hi) = subtree_range("/1/3/");
        assert_eq!(lo, "/1/3/");
        assert_eq!(hi, "/1/30");
        for inside in ["/1/3/", "/1/3/17/", "/1/3/9/99/"] {
            assert!(inside >= lo.as_str() && inside < hi.as_str(), "{inside}");
        }
        for outside in ["/1/30/", "/1/31/", "/1/", "/1/4/", "/1/2/3/"] {
            assert!(
                !(outside >= lo.as_str() && outside < hi.as_str()),
                "{outside}"
            );
        }
    }
}
