//! The cluster's one source of randomness: a seeded PCG. Every draw (uids,
//! ClusterIPs, node ports, kubelet durations, DNS shuffles, kube-proxy's pick)
//! comes from this one sequence, so the same seed and the same inputs give the
//! same cluster. The API server holds it and lends it to the node and the network.

use crate::core::time::Millis;

/// An RFC 4122 version-4 UID made of 128 bits.
pub fn uid_from(a: u64, b: u64) -> String {
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xFFFF,
        a & 0xFFF,
        0x8000 | (b >> 48) & 0x3FFF,
        b & 0xFFFF_FFFF_FFFF
    )
}

#[derive(Debug, Clone)]
pub struct Random(oorandom::Rand64);

impl Random {
    pub fn new(seed: u64) -> Self {
        Random(oorandom::Rand64::new(u128::from(seed)))
    }

    /// A number in `range` (empty or reversed ranges give its start).
    pub fn below(&mut self, range: std::ops::Range<u64>) -> u64 {
        self.0.rand_range(range)
    }

    /// A random RFC 4122 version-4 UID, as the API server assigns `metadata.uid`.
    pub fn uid(&mut self) -> String {
        let a = self.0.rand_u64();
        let b = self.0.rand_u64();
        uid_from(a, b)
    }

    /// A duration in [low, high) on the kubelet's 100 ms grid: its work happens in sync
    /// loops, and a grid keeps a thousand pods from needing thousands of clock steps.
    pub fn duration(&mut self, low: Millis, high: Millis) -> Millis {
        const GRID: Millis = 100;
        let picked = if high <= low { low } else { low + self.0.rand_range(0..high - low) };
        (picked / GRID).max(1) * GRID
    }
}
