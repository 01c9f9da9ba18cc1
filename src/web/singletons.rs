//! App data made once per server and shared by all its HTTP workers: the features' caches.
//!
//! actix-web calls the app factory once per worker, so app data made inside a feature's `routes`
//! exists once per worker: each worker would read the same figures again and hold its own copy.
//! The server's [`Singletons`] is made before the factory and handed to the routes that keep a
//! cache; `data::<T>()` gives every worker the same `web::Data<T>`. One per server, not a static:
//! the tests run many servers in one process, each on its own database.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use actix_web::web;

#[derive(Clone, Default)]
pub struct Singletons(Arc<Mutex<HashMap<TypeId, Box<dyn Any + Send + Sync>>>>);

impl Singletons {
    /// The server's one `T`, made with `T::default()` the first time a worker asks.
    pub fn data<T: Default + Send + Sync + 'static>(&self) -> web::Data<T> {
        let mut map = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        map.entry(TypeId::of::<T>())
            .or_insert_with(|| Box::new(web::Data::new(T::default())))
            .downcast_ref::<web::Data<T>>()
            .expect("keyed by its own type")
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_worker_gets_the_same_value() {
        #[derive(Default)]
        struct Count(std::sync::atomic::AtomicU32);
        let s = Singletons::default();
        let (a, b) = (s.data::<Count>(), s.clone().data::<Count>());
        a.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        assert_eq!(b.0.load(std::sync::atomic::Ordering::Relaxed), 1);
        let other = Singletons::default().data::<Count>();
        assert_eq!(
            other.0.load(std::sync::atomic::Ordering::Relaxed),
            0,
            "one per server"
        );
    }
}
