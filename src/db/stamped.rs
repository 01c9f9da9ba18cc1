//! A cache of figures assembled from many rows, each entry kept with the change stamp it was read
//! at and served only while the database still shows that stamp. Pages that read tens of
//! thousands of rows to print a few hundred numbers (patrol coverage, the party summary) use it:
//! leaders reopen them far more often than the data under them changes. The stamp is read on
//! every request (a handful of `MAX(id)` index lookups), so a change made on another app server
//! is seen at once too.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use diesel::prelude::*;
use diesel::sql_types::{Integer, Nullable};

use crate::db::AnyConnection;
use crate::error::AppResult;

/// The change stamp most of these caches use: the largest id of each table, read in one
/// statement. New rows raise it; a change to an existing row shows through the audit row written
/// in its transaction (so callers include `audit_log`). `tables` are names from the code, never
/// from input.
pub fn max_ids(conn: &mut AnyConnection, tables: &[&'static str]) -> AppResult<Vec<Option<i32>>> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Integer)]
        k: i32,
        #[diesel(sql_type = Nullable<Integer>)]
        n: Option<i32>,
    }
    let sql = tables
        .iter()
        .enumerate()
        .map(|(k, t)| format!("SELECT {k} AS k, MAX(id) AS n FROM {t}"))
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let mut rows: Vec<Row> = diesel::sql_query(format!("{sql} ORDER BY k")).load(conn)?;
    rows.sort_by_key(|r| r.k);
    Ok(rows.into_iter().map(|r| r.n).collect())
}

/// Assembled values by key, each with the stamp it was read at. Entries are few (the units
/// leaders look at); those of an older stamp go at the next miss, and all go when it fills up.
pub struct StampedCache<K, S, V> {
    entries: Mutex<HashMap<K, (S, Arc<V>)>>,
    capacity: usize,
}

impl<K, S, V> Default for StampedCache<K, S, V> {
    fn default() -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            capacity: 64,
        }
    }
}

impl<K: Eq + Hash, S: PartialEq + Clone, V> StampedCache<K, S, V> {
    /// The value of `key` if it was read at `stamp`.
    pub fn get(&self, key: &K, stamp: &S) -> Option<Arc<V>> {
        let map = self.entries.lock().ok()?;
        map.get(key)
            .filter(|(s, _)| s == stamp)
            .map(|(_, v)| v.clone())
    }

    /// The value of `key` read at `stamp`, or `load`'s, which is kept for the next request.
    pub fn get_or_load(
        &self,
        key: K,
        stamp: S,
        load: impl FnOnce() -> AppResult<V>,
    ) -> AppResult<Arc<V>> {
        if let Ok(map) = self.entries.lock()
            && let Some((s, v)) = map.get(&key)
            && *s == stamp
        {
            return Ok(v.clone());
        }
        let value = Arc::new(load()?);
        if let Ok(mut map) = self.entries.lock() {
            map.retain(|_, (s, _)| *s == stamp);
            if map.len() >= self.capacity {
                map.clear();
            }
            map.insert(key, (stamp, value.clone()));
        }
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serves_an_entry_while_its_stamp_holds() {
        let cache: StampedCache<&str, i32, i32> = StampedCache::default();
        let loads = std::cell::Cell::new(0);
        let get = |stamp, n| {
            *cache
                .get_or_load("k", stamp, || {
                    loads.set(loads.get() + 1);
                    Ok(n)
                })
                .unwrap()
        };
        assert_eq!(get(1, 10), 10);
        assert_eq!(get(1, 20), 10, "same stamp: the kept value");
        assert_eq!(get(2, 30), 30, "a new stamp reads again");
        assert_eq!(loads.get(), 2);
    }
}
