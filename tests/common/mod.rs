//! Helpers shared by the engine stories (each test file includes this module).
#![allow(dead_code)]

use sts_playground::core::cluster::Cluster;
use sts_playground::core::time::MINUTE;

/// Exactly `n` pods exist, all Running and Ready, none terminating.
pub fn all_ready(cluster: &Cluster, n: usize) -> bool {
    cluster.store().pods.len() == n
        && cluster.store().pods.values().all(|p| p.is_running_and_ready() && !p.metadata.is_terminating())
}

/// Advances the clock (up to ten virtual minutes) until [`all_ready`] holds.
pub fn settle(cluster: &mut Cluster, n: usize) {
    let names = |c: &Cluster| c.store().pods.keys().cloned().collect::<Vec<_>>();
    assert!(cluster.run_until_condition(10 * MINUTE, |c| all_ready(c, n)), "{n} pods ready; have {:?}", names(cluster));
}

/// A fresh cluster with `manifest` applied and `pods` pods ready.
pub fn started(manifest: &str, seed: u64, pods: usize) -> Cluster {
    let mut cluster = sts_playground::cli::new_cluster(seed);
    cluster.apply_text(manifest).expect("the manifest applies");
    settle(&mut cluster, pods);
    cluster
}

/// `DEFAULT_MANIFEST`-style text with an exec readiness probe `cat /tmp/ready` every
/// `period` seconds, inserted before the container's `env:`.
pub fn with_exec_readiness(manifest: &str, period: u32, failure_threshold: u32) -> String {
    manifest.replace(
        "          env:\n",
        &format!("          readinessProbe:\n            exec:\n              command: [\"cat\", \"/tmp/ready\"]\n            periodSeconds: {period}\n            failureThreshold: {failure_threshold}\n          env:\n"),
    )
}

/// Creates `/tmp/ready` in every running container that lacks it (the file lives in
/// the container layer, so each new container needs it again).
pub fn touch_ready_files(cluster: &mut Cluster) {
    let running: Vec<String> = cluster
        .store()
        .pods
        .values()
        .filter(|p| p.status.container_statuses.first().is_some_and(|s| s.state.running.is_some()))
        .map(|p| p.metadata.name.clone())
        .collect();
    for pod in running {
        if cluster.read_file(&pod, None, "/tmp/ready").is_none() {
            cluster.write_file(&pod, None, "/tmp/ready", String::new()).expect("writable /tmp");
        }
    }
}

/// Like [`settle`], touching `/tmp/ready` in each container as it starts.
pub fn settle_touching(cluster: &mut Cluster, n: usize) {
    for _ in 0..2000 {
        touch_ready_files(cluster);
        if all_ready(cluster, n) {
            return;
        }
        assert!(cluster.step(), "the cluster stopped with {:?}", cluster.store().pods.keys().collect::<Vec<_>>());
    }
    panic!("{n} pods never became ready");
}

/// `str::replace` for a test's manifest edits that insists the text was there: a
/// test whose edit silently did nothing would test the unedited manifest.
pub trait Edited {
    fn edited(&self, from: &str, to: &str) -> String;
}

impl Edited for str {
    fn edited(&self, from: &str, to: &str) -> String {
        assert!(self.contains(from), "the manifest to edit contains {from:?}");
        self.replace(from, to)
    }
}
