//! A map kept as a sorted `Vec`: deterministic order like `BTreeMap`, but each
//! key/value type costs a few hundred bytes of wasm instead of several KiB of
//! B-tree code (the engine has some twenty such maps). Lookups are binary
//! searches; inserts and removals shift the vector, which is cheap at the sizes
//! the playground allows (at most 1000 pods).
//!
//! Each map carries a stamp that changes whenever it is borrowed mutably, so a
//! controller can tell that nothing it reads has changed since its last pass.

use std::borrow::Borrow;
use std::ops::Index;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Clone)]
pub struct SortedMap<K, V> {
    entries: Vec<(K, V)>,
    /// Taken from [`LAST_STAMP`] at each mutable borrow (0: a new, empty map).
    /// Stamps are unique across all maps, so two maps with the same stamp are one
    /// map and its untouched clone: equal stamps imply equal contents.
    stamp: u64,
}

static LAST_STAMP: AtomicU64 = AtomicU64::new(0);

impl<K, V> Default for SortedMap<K, V> {
    fn default() -> Self {
        SortedMap { entries: Vec::new(), stamp: 0 }
    }
}

/// Equality is the entries'; the stamp is bookkeeping.
impl<K: PartialEq, V: PartialEq> PartialEq for SortedMap<K, V> {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

impl<K: Eq, V: Eq> Eq for SortedMap<K, V> {}

impl<K: std::fmt::Debug, V: std::fmt::Debug> std::fmt::Debug for SortedMap<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SortedMap").field("entries", &self.entries).finish()
    }
}

impl<K, V> SortedMap<K, V> {
    /// Changes whenever the map may have changed (any mutable borrow): equal stamps,
    /// equal contents.
    pub fn stamp(&self) -> u64 {
        self.stamp
    }

    /// Called by every method that can change the map.
    fn touch(&mut self) {
        self.stamp = LAST_STAMP.fetch_add(1, Ordering::Relaxed) + 1;
    }
}

impl<K: Ord, V> SortedMap<K, V> {
    pub fn new() -> Self {
        Self::default()
    }

    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.entries.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| &self.entries[i].1)
    }

    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        self.touch();
        self.find(key).ok().map(|i| &mut self.entries[i].1)
    }

    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(key).is_ok()
    }

    /// Inserts or replaces; returns the old value.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        self.touch();
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.touch();
        self.find(key).ok().map(|i| self.entries.remove(i).1)
    }

    /// The value for `key`, inserted with `V::default()` first if missing.
    pub fn entry_or_default(&mut self, key: K) -> &mut V
    where
        V: Default,
    {
        self.touch();
        let i = match self.find(&key) {
            Ok(i) => i,
            Err(i) => {
                self.entries.insert(i, (key, V::default()));
                i
            }
        };
        &mut self.entries[i].1
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.touch();
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }

    pub fn clear(&mut self) {
        self.touch();
        self.entries.clear();
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator {
        self.entries.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.entries.iter().map(|(_, v)| v)
    }

    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> + ExactSizeIterator {
        self.touch();
        self.entries.iter_mut().map(|(_, v)| v)
    }

    pub fn iter_mut(&mut self) -> impl DoubleEndedIterator<Item = (&K, &mut V)> + ExactSizeIterator {
        self.touch();
        self.entries.iter_mut().map(|(k, v)| (&*k, v))
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&K, &V)> + ExactSizeIterator {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

impl<K: Ord, V, Q: Ord + ?Sized> Index<&Q> for SortedMap<K, V>
where
    K: Borrow<Q>,
{
    type Output = V;
    /// Panics when the key is missing, like `BTreeMap` (tests use it).
    fn index(&self, key: &Q) -> &V {
        match self.get(key) {
            Some(value) => value,
            None => panic!("key not found in SortedMap"),
        }
    }
}

impl<'a, K, V> IntoIterator for &'a SortedMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for SortedMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(items: I) -> Self {
        let mut map = SortedMap::new();
        for (k, v) in items {
            map.insert(k, v);
        }
        map
    }
}

/// A set kept as a sorted `Vec`.
pub type SortedSet<K> = SortedMap<K, ()>;

impl<K: Ord> SortedMap<K, ()> {
    /// Adds a key; returns whether it was new.
    pub fn add(&mut self, key: K) -> bool {
        self.insert(key, ()).is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_keys_sorted_and_finds_them() {
        let mut map: SortedMap<String, u32> = SortedMap::new();
        for (k, v) in [("web-2", 2), ("web-0", 0), ("web-1", 1)] {
            map.insert(k.to_string(), v);
        }
        assert_eq!(map.keys().map(String::as_str).collect::<Vec<_>>(), ["web-0", "web-1", "web-2"]);
        assert_eq!(map.insert("web-1".into(), 10), Some(1));
        assert_eq!(map["web-1"], 10);
        assert_eq!(map.remove("web-0"), Some(0));
        *map.entry_or_default("web-9".into()) += 5;
        assert_eq!(map.get("web-9"), Some(&5));
        map.retain(|_, v| *v > 4);
        assert_eq!(map.len(), 2);
        let mut set: SortedSet<u8> = SortedSet::new();
        assert!(set.add(3) && !set.add(3) && set.contains_key(&3));
    }
}
