//! Statements per request, for the bench (issue 22 §3): with `count_statements` set, every
//! response carries `X-Statements: N`, the SQL statements its request sent (the session check,
//! the to-do badge and the page's own). Off by default: the count is the server's business.
//!
//! Counting is exact under concurrency without locks. diesel reports each statement to the
//! connection's instrumentation, which bumps a counter of the thread running it; `db::run` runs
//! its closure on one blocking thread, so the counter's difference across the closure is that
//! closure's statements, which it adds to the request's total, a task-local value that the
//! middleware in `startup` opens around each request.

use std::cell::Cell;

use diesel::connection::{Instrumentation, InstrumentationEvent, set_default_instrumentation};

thread_local! {
    static ON_THIS_THREAD: Cell<u64> = const { Cell::new(0) };
}

tokio::task_local! {
    static REQUEST: Cell<u64>;
}

/// The response header the count goes out in.
pub const HEADER: &str = "x-statements";

fn count_starts() -> Option<Box<dyn Instrumentation>> {
    Some(Box::new(|event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            ON_THIS_THREAD.with(|n| n.set(n.get() + 1));
            // `GRIDWORK_LOG=gridwork::sql=trace` shows which statements a page sends.
            tracing::trace!(target: "gridwork::sql", "{query}");
        }
    }))
}

/// Makes every connection opened from now on count its statements (a thread-local increment per
/// statement, so it stays on whether or not any response reports it).
pub fn install() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if let Err(e) = set_default_instrumentation(count_starts) {
            tracing::warn!("statement counting unavailable: {e}");
        }
    });
}

/// Statements sent so far on this thread.
pub fn on_this_thread() -> u64 {
    ON_THIS_THREAD.with(Cell::get)
}

/// Adds `n` statements to the request being served, if it is counted.
pub fn add_to_request(n: u64) {
    let _ = REQUEST.try_with(|c| c.set(c.get() + n));
}

/// Runs `fut` as one counted request; returns its output and its statements.
pub async fn counted<F: std::future::Future>(fut: F) -> (F::Output, u64) {
    REQUEST
        .scope(Cell::new(0), async move {
            let out = fut.await;
            (out, REQUEST.with(Cell::get))
        })
        .await
}
