//! A map kept as a sorted `Vec`: deterministic order like `BTreeMap`, but each
//! key/value type costs a few hundred bytes of wasm instead of several KiB of
//! B-tree code (the engine has some twenty such maps). Lookups are binary
//! searches; inserts and removals shift the vector, which is cheap at the sizes
//! the playground allows (at most 1000 pods).
//!
//! Values are boxed: the vector then shifts pointers, not whole objects (a pod is
//! over a kilobyte), when an entry comes or goes in the middle.
//!
//! Each map carries a stamp that changes whenever it is borrowed mutably, so a
//! controller can tell that nothing it reads has changed since its last pass; and
//! each entry carries one too, so that [`Seen`] can tell which entries changed.

use std::borrow::Borrow;
use std::ops::Index;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Clone)]
pub struct SortedMap<K, V> {
    entries: Vec<(K, Box<V>)>,
    /// Taken from [`LAST_STAMP`] at each mutable borrow (0: a new, empty map).
    /// Stamps are unique across all maps, so two maps with the same stamp are one
    /// map and its untouched clone: equal stamps imply equal contents.
    stamp: u64,
    /// The stamp of each entry (same index as `entries`), new whenever the entry is
    /// inserted or borrowed mutably. Also unique across all maps and entries: an
    /// entry with the stamp it had is the same key with the same value.
    entry_stamps: Vec<u64>,
}

static LAST_STAMP: AtomicU64 = AtomicU64::new(0);

/// `count` fresh stamps; returns the first.
fn new_stamps(count: usize) -> u64 {
    LAST_STAMP.fetch_add(count as u64, Ordering::Relaxed) + 1
}

impl<K, V> Default for SortedMap<K, V> {
    fn default() -> Self {
        SortedMap { entries: Vec::new(), stamp: 0, entry_stamps: Vec::new() }
    }
}

/// Equality is the entries'; the stamps are bookkeeping.
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
        self.stamp = new_stamps(1);
    }

    /// Called by every method that can change entry `index` (after [`Self::touch`]).
    fn touch_entry(&mut self, index: usize) {
        if let Some(stamp) = self.entry_stamps.get_mut(index) {
            *stamp = new_stamps(1);
        }
    }

    /// Called by every method that can change any entry.
    fn touch_all(&mut self) {
        self.touch();
        let first = new_stamps(self.entry_stamps.len());
        for (offset, stamp) in self.entry_stamps.iter_mut().enumerate() {
            *stamp = first + offset as u64;
        }
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
        self.find(key).ok().map(|i| &*self.entries[i].1)
    }

    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        self.touch();
        let index = self.find(key).ok()?;
        self.touch_entry(index);
        self.entries.get_mut(index).map(|(_, v)| &mut **v)
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
            Ok(i) => {
                self.touch_entry(i);
                Some(std::mem::replace(&mut *self.entries[i].1, value))
            }
            Err(i) => {
                self.entries.insert(i, (key, Box::new(value)));
                self.entry_stamps.insert(i, self.stamp);
                None
            }
        }
    }

    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.touch();
        let index = self.find(key).ok()?;
        self.entry_stamps.remove(index);
        Some(*self.entries.remove(index).1)
    }

    /// The value for `key`, inserted with `V::default()` first if missing.
    pub fn entry_or_default(&mut self, key: K) -> &mut V
    where
        V: Default,
    {
        self.touch();
        let i = match self.find(&key) {
            Ok(i) => {
                self.touch_entry(i);
                i
            }
            Err(i) => {
                self.entries.insert(i, (key, Box::default()));
                self.entry_stamps.insert(i, self.stamp);
                i
            }
        };
        &mut *self.entries[i].1
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.touch_all();
        let mut stamps = self.entry_stamps.iter();
        let mut kept_stamps = Vec::with_capacity(self.entry_stamps.len());
        self.entries.retain_mut(|(k, v)| {
            let v = &mut **v;
            let stamp = stamps.next().copied().unwrap_or(0);
            let kept = keep(k, v);
            if kept {
                kept_stamps.push(stamp);
            }
            kept
        });
        self.entry_stamps = kept_stamps;
    }

    /// Removes the entries whose keys `place` says are `Equal`: a run of adjacent keys,
    /// since `place` must say `Less` for the keys before it and `Greater` after (as
    /// comparing the first part of a tuple key does).
    pub fn remove_run(&mut self, place: impl Fn(&K) -> std::cmp::Ordering) {
        let start = self.entries.partition_point(|(k, _)| place(k) == std::cmp::Ordering::Less);
        let end = self.entries.partition_point(|(k, _)| place(k) != std::cmp::Ordering::Greater);
        if start < end {
            self.touch();
            self.entries.drain(start..end);
            self.entry_stamps.drain(start..end);
        }
    }

    pub fn clear(&mut self) {
        self.touch();
        self.entries.clear();
        self.entry_stamps.clear();
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
        self.entries.iter().map(|(_, v)| &**v)
    }

    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> + ExactSizeIterator {
        self.touch_all();
        self.entries.iter_mut().map(|(_, v)| &mut **v)
    }

    pub fn iter_mut(&mut self) -> impl DoubleEndedIterator<Item = (&K, &mut V)> + ExactSizeIterator {
        self.touch_all();
        self.entries.iter_mut().map(|(k, v)| (&*k, &mut **v))
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&K, &V)> + ExactSizeIterator {
        self.entries.iter().map(|(k, v)| (k, &**v))
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
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (K, Box<V>)>, fn(&'a (K, Box<V>)) -> (&'a K, &'a V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k, &**v))
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

/// How many stamps `a` and `b` have in common from the start. Compares blocks as
/// slices first (a `memcmp`, several stamps at a time): catching up walks past the
/// thousand unchanged stamps of a thousand pods on every pass of four controllers.
/// Not generic, so every [`Seen::catch_up`] shares it.
fn common_prefix(a: &[u64], b: &[u64]) -> usize {
    const BLOCK: usize = 32;
    let blocks = a.chunks_exact(BLOCK).zip(b.chunks_exact(BLOCK)).take_while(|(x, y)| x == y).count();
    let start = blocks * BLOCK;
    let (a, b) = (a.get(start..).unwrap_or_default(), b.get(start..).unwrap_or_default());
    start + a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// Which version of each entry of a map a consumer has taken in, so that it can
/// work on what changed since instead of on every entry (a controller's cache of
/// per-pod facts, say). Walking a map of a thousand unchanged entries compares
/// stamps only.
#[derive(Debug, Clone)]
pub struct Seen<K> {
    /// The map's stamp when last caught up (0 with nothing seen: a new, empty map).
    map_stamp: u64,
    /// Keys and entry stamps as last seen, in key order.
    keys: Vec<K>,
    stamps: Vec<u64>,
}

impl<K> Default for Seen<K> {
    fn default() -> Self {
        Seen { map_stamp: 0, keys: Vec::new(), stamps: Vec::new() }
    }
}

impl<K: Ord + Clone> Seen<K> {
    /// Takes in `map` as it is now, calling `changed(key, Some(value))` for each entry
    /// added or changed since the last call, and `changed(key, None)` for each one
    /// removed, in key order.
    pub fn catch_up<'map, V>(&mut self, map: &'map SortedMap<K, V>, mut changed: impl FnMut(&K, Option<&'map V>)) {
        if map.stamp == self.map_stamp {
            return;
        }
        self.map_stamp = map.stamp;
        // Walk both in key order; equal stamps at one index are the same entry unchanged
        // (so keys are compared only where stamps differ), and an entry added or removed
        // is inserted or removed here too, which keeps the indexes in step.
        let mut index = 0;
        loop {
            // Skip the run of entries with the stamps seen at the same index (a tight loop:
            // usually that is nearly all of them).
            let seen = self.stamps.get(index..).unwrap_or_default();
            let current = map.entry_stamps.get(index..).unwrap_or_default();
            index += common_prefix(seen, current);
            let Some(((key, value), &stamp)) = map.entries.get(index).zip(map.entry_stamps.get(index)) else { break };
            let value: &'map V = value;
            match self.keys.get(index).map(|seen_key| seen_key.cmp(key)) {
                Some(std::cmp::Ordering::Less) => {
                    // The seen entry is gone; look at this index again.
                    self.stamps.remove(index);
                    changed(&self.keys.remove(index), None);
                    continue;
                }
                Some(std::cmp::Ordering::Equal) => {
                    self.stamps[index] = stamp;
                    changed(key, Some(value));
                }
                // Added (before the seen entry at this index, or after all of them).
                _ => {
                    self.keys.insert(index, key.clone());
                    self.stamps.insert(index, stamp);
                    changed(key, Some(value));
                }
            }
            index += 1;
        }
        self.stamps.truncate(index);
        for gone in self.keys.drain(index..) {
            changed(&gone, None);
        }
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
        let mut pairs: SortedMap<(u8, u8), ()> =
            [(1, 1), (2, 1), (2, 5), (3, 0)].into_iter().map(|k| (k, ())).collect();
        pairs.remove_run(|(first, _)| first.cmp(&2));
        assert_eq!(pairs.keys().copied().collect::<Vec<_>>(), [(1, 1), (3, 0)]);
        let mut set: SortedSet<u8> = SortedSet::new();
        assert!(set.add(3) && !set.add(3) && set.contains_key(&3));
    }

    /// What `Seen::catch_up` reports, as (key, value or None when removed).
    fn catch_up(seen: &mut Seen<String>, map: &SortedMap<String, u32>) -> Vec<(String, Option<u32>)> {
        let mut reported = Vec::new();
        seen.catch_up(map, |k, v| reported.push((k.clone(), v.copied())));
        reported
    }

    #[test]
    fn seen_reports_each_change_once() {
        let mut map: SortedMap<String, u32> = SortedMap::new();
        let mut seen = Seen::default();
        assert!(catch_up(&mut seen, &map).is_empty());
        for (k, v) in [("b", 2), ("d", 4), ("f", 6)] {
            map.insert(k.to_string(), v);
        }
        assert_eq!(catch_up(&mut seen, &map), [("b".into(), Some(2)), ("d".into(), Some(4)), ("f".into(), Some(6))]);
        assert!(catch_up(&mut seen, &map).is_empty());
        // Changed in place, added before, removed, added after, borrowed without change.
        *map.get_mut("d").unwrap() = 40;
        map.insert("a".into(), 1);
        map.remove("b");
        map.insert("g".into(), 7);
        let _ = map.get_mut("f");
        assert_eq!(
            catch_up(&mut seen, &map),
            [
                ("a".into(), Some(1)),
                ("b".into(), None),
                ("d".into(), Some(40)),
                ("f".into(), Some(6)),
                ("g".into(), Some(7))
            ]
        );
        // A snapshot taken before is seen as a change back.
        let before = map.clone();
        map.retain(|k, _| k != "a");
        assert_eq!(
            catch_up(&mut seen, &map),
            [("a".into(), None), ("d".into(), Some(40)), ("f".into(), Some(6)), ("g".into(), Some(7))]
        );
        assert_eq!(
            catch_up(&mut seen, &before),
            [("a".into(), Some(1)), ("d".into(), Some(40)), ("f".into(), Some(6)), ("g".into(), Some(7))]
        );
        map.clear();
        assert_eq!(catch_up(&mut seen, &map).len(), 4);
        assert!(catch_up(&mut seen, &map).is_empty());
    }
}
