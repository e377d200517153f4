//! The event recorder's deduplication (§8.11): which recorded event is identical
//! to a new one, so that a repeat counts up instead of adding a row.

/// A hash table of positions in the API server's event list by a hash of the fields
/// that make events the same. (A sorted map of thousands of long keys spent its time
/// shifting them on every insert.) It is only looked up, never iterated, so it decides
/// nothing about order.
#[derive(Debug, Clone, Default)]
pub(super) struct EventIndex {
    /// Position + 1 of an event (0: a free slot); open addressing, linear probing, a
    /// power-of-two length at least twice the number of events.
    slots: Vec<u32>,
    /// The hash of each event, by position.
    hashes: Vec<u64>,
}

impl EventIndex {
    /// The fields eight bytes at a time, each followed by its length (FxHash's step),
    /// then mixed so that the low bits, which pick the slot, depend on every byte. A byte
    /// at a time (FNV) was a third of recording an event, and there are tens of thousands.
    pub(super) fn hash(fields: &[&str]) -> u64 {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let step = |h: u64, word: u64| (h.rotate_left(5) ^ word).wrapping_mul(K);
        let mut h = 0;
        for field in fields {
            let words = field.as_bytes().chunks(8).map(|chunk| {
                let mut word = [0u8; 8];
                word[..chunk.len()].copy_from_slice(chunk);
                u64::from_le_bytes(word)
            });
            h = words.fold(h, step);
            h = step(h, field.len() as u64);
        }
        // MurmurHash3's finaliser.
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^ (h >> 33)
    }

    /// The position of the event with `hash` that `same` accepts.
    pub(super) fn find(&self, hash: u64, same: impl Fn(usize) -> bool) -> Option<usize> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut slot = hash as usize & mask;
        loop {
            let index = (*self.slots.get(slot)? as usize).checked_sub(1)?;
            if self.hashes.get(index) == Some(&hash) && same(index) {
                return Some(index);
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Adds the event recorded next, whose fields hash to `hash`.
    pub(super) fn add(&mut self, hash: u64) {
        self.hashes.push(hash);
        if self.hashes.len() * 2 <= self.slots.len() {
            self.place(self.hashes.len() - 1);
            return;
        }
        self.slots = vec![0; (self.hashes.len() * 2).next_power_of_two().max(64)];
        for index in 0..self.hashes.len() {
            self.place(index);
        }
    }

    fn place(&mut self, index: usize) {
        let mask = self.slots.len() - 1;
        let mut slot = self.hashes[index] as usize & mask;
        while self.slots[slot] != 0 {
            slot = (slot + 1) & mask;
        }
        self.slots[slot] = index as u32 + 1;
    }
}
