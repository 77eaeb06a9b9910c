//! What a process keeps in memory for many requests (rendered pages, documents): a map
//! bounded by the bytes its values take, oldest out first, whatever the number of distinct
//! keys asked for. Freshness is the keeper's to judge; the map only remembers when each
//! value was stored.

use std::collections::{HashMap, VecDeque};
use std::time::Instant;

pub struct Kept<V> {
    by_key: HashMap<String, Stored<V>>,
    /// Keys in the order they were stored, for eviction (a key may repeat: entries of
    /// older storings are skipped when their stamp is no longer the one kept).
    order: VecDeque<(String, Instant)>,
    bytes: usize,
    max_bytes: usize,
}

struct Stored<V> {
    value: V,
    stored: Instant,
    weight: usize,
}

impl<V> Kept<V> {
    pub fn new(max_bytes: usize) -> Self {
        Kept {
            by_key: HashMap::new(),
            order: VecDeque::new(),
            bytes: 0,
            max_bytes,
        }
    }

    /// The value kept for `key`, with when it was stored.
    pub fn get(&self, key: &str) -> Option<(&V, Instant)> {
        self.by_key.get(key).map(|s| (&s.value, s.stored))
    }

    /// Keeps `value` for `key` in place of any older one, taking `weight` bytes; the oldest
    /// values go until all fit.
    pub fn insert(&mut self, key: String, value: V, weight: usize) {
        let stored = Instant::now();
        self.bytes += weight;
        if let Some(old) = self.by_key.insert(
            key.clone(),
            Stored {
                value,
                stored,
                weight,
            },
        ) {
            self.bytes -= old.weight;
        }
        self.order.push_back((key, stored));
        // Storings of values since replaced stay in the queue until it is twice the values
        // kept; then it is swept, so storing the same keys again and again never grows it.
        if self.order.len() > 2 * self.by_key.len() + 64 {
            let by_key = &self.by_key;
            self.order
                .retain(|(k, stored)| by_key.get(k).is_some_and(|s| s.stored == *stored));
        }
        while self.bytes > self.max_bytes {
            let Some((oldest, stored)) = self.order.pop_front() else {
                break;
            };
            if self.by_key.get(&oldest).is_some_and(|s| s.stored == stored)
                && let Some(gone) = self.by_key.remove(&oldest)
            {
                self.bytes -= gone.weight;
            }
        }
    }

    /// Whether a value of `weight` bytes is worth keeping: one over a quarter of the bound
    /// would push out most of the others.
    pub fn admits(&self, weight: usize) -> bool {
        weight <= self.max_bytes / 4
    }

    /// The bytes kept (at most the bound).
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// How many values are kept.
    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    /// Storings remembered for eviction (at most about twice [`Kept::len`]).
    pub fn queued(&self) -> usize {
        self.order.len()
    }
}
