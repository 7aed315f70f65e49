//! Bounded memo tables: job feeds repeat the same titles, companies and locations thousands of
//! times, so each distinct string is classified once.

use std::collections::HashMap;
use std::sync::Mutex;

/// Entries a memo table holds before it starts over (bounds memory on huge ingests).
pub const MEMO_CAPACITY: usize = 50_000;

/// A string-keyed memo table, safe to share between threads. Cloning gives an empty table.
pub struct Memo<V> {
    map: Mutex<HashMap<String, V>>,
}

impl<V: Clone> Memo<V> {
    /// The value for `key`, computed by `make` the first time.
    pub fn get_or(&self, key: &str, make: impl FnOnce() -> V) -> V {
        if let Some(v) = self.lock().get(key) {
            return v.clone();
        }
        let v = make();
        let mut map = self.lock();
        if map.len() >= MEMO_CAPACITY {
            map.clear();
        }
        map.insert(key.to_string(), v.clone());
        v
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, V>> {
        // A panic while holding the lock leaves a valid map behind: keep using it.
        self.map.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl<V> Default for Memo<V> {
    fn default() -> Self {
        Memo {
            map: Mutex::new(HashMap::new()),
        }
    }
}

impl<V> Clone for Memo<V> {
    fn clone(&self) -> Self {
        Memo::default()
    }
}

impl<V> std::fmt::Debug for Memo<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Memo")
    }
}
