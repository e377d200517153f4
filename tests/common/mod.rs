//! Helpers shared by the engine stories (each test file includes this module).
#![allow(dead_code)]

use sts_playground::core::cluster::Cluster;
use sts_playground::core::time::MINUTE;

/// Exactly `n` pods exist, all Running and Ready, none terminating.
pub fn all_ready(cluster: &Cluster, n: usize) -> bool {
    cluster.store.pods.len() == n && cluster.store.pods.values().all(|p| p.is_running_and_ready() && !p.metadata.is_terminating())
}

/// Advances the clock (up to ten virtual minutes) until [`all_ready`] holds.
pub fn settle(cluster: &mut Cluster, n: usize) {
    let names = |c: &Cluster| c.store.pods.keys().cloned().collect::<Vec<_>>();
    assert!(cluster.run_until_condition(10 * MINUTE, |c| all_ready(c, n)), "{n} pods ready; have {:?}", names(cluster));
}

/// A fresh cluster with `manifest` applied and `pods` pods ready.
pub fn started(manifest: &str, seed: u64, pods: usize) -> Cluster {
    let mut cluster = Cluster::new(seed);
    cluster.apply_text(manifest).expect("the manifest applies");
    settle(&mut cluster, pods);
    cluster
}
