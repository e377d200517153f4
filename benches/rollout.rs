//! Benchmark (issue: engine): 1000 replicas with `Parallel`, created, then a full
//! rolling update to completion, all in virtual time. Prints wall-clock figures;
//! the goal is under 100 ms natively in release.
//!
//! The same for a 1000-replica Deployment follows (its figure beside the set's).
//!
//! Run: `cargo bench --bench rollout` (or `scripts/bench.sh`).

use std::time::Instant;

use sts_playground::core::cluster::Cluster;
use sts_playground::core::time::{HOUR, MINUTE};
use sts_playground::session::samples::DEFAULT_MANIFEST;

fn manifest(image: &str) -> String {
    DEFAULT_MANIFEST
        .replace("replicas: 3", "replicas: 1000")
        .replace("visits:1.0", image)
        .replace("  serviceName: visits\n", "  serviceName: visits\n  podManagementPolicy: Parallel\n")
}

fn all_on(cluster: &Cluster, image: &str) -> bool {
    cluster.store().pods.len() == 1000
        && cluster.store().pods.values().all(|p| {
            p.is_running_and_ready() && !p.metadata.is_terminating() && p.spec.containers[0].image.ends_with(image)
        })
}

fn main() {
    let started = Instant::now();
    let mut cluster = sts_playground::cli::new_cluster(1);
    cluster.apply_text(&manifest("visits:1.0")).expect("applies");
    assert!(cluster.run_until_condition(HOUR, |c| all_on(c, "visits:1.0")), "1000 pods ready");
    let created = started.elapsed();
    let created_at = cluster.now();

    let update_started = Instant::now();
    cluster.apply_text(&manifest("visits:2.0")).expect("applies");
    let done = cluster.run_until_condition(48 * HOUR, |c| {
        let set = &c.store().stateful_sets["web"];
        all_on(c, "visits:2.0") && set.status.current_revision == set.status.update_revision
    });
    assert!(done, "rolling update completes");
    let updated = update_started.elapsed();

    println!(
        "bench rollout: create 1000 pods (Parallel): {:.1} ms wall, {} s virtual",
        created.as_secs_f64() * 1e3,
        created_at / 1000
    );
    println!(
        "bench rollout: rolling update of 1000 pods: {:.1} ms wall, {} min virtual",
        updated.as_secs_f64() * 1e3,
        (cluster.now() - created_at) / MINUTE
    );
    println!(
        "bench rollout: total {:.1} ms (goal < 100 ms), {} events recorded",
        started.elapsed().as_secs_f64() * 1e3,
        cluster.events().len()
    );
    deployment_bench();
}

/// The same app as a 1000-replica Deployment (RollingUpdate, 25 % surge and
/// unavailable), created, then rolled to a new image: the figure to set beside the
/// StatefulSet's (issue 18).
fn deployment_manifest(image: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-d
spec:
  replicas: 1000
  selector:
    matchLabels:
      app: visits-d
  template:
    metadata:
      labels:
        app: visits-d
    spec:
      containers:
        - name: visits
          image: ghcr.io/example/{image}
"
    )
}

fn deployment_on(cluster: &Cluster, image: &str) -> bool {
    let deployment = &cluster.store().deployments["web-d"];
    deployment.status.updated_replicas == 1000
        && deployment.status.available_replicas == 1000
        && deployment.status.replicas == 1000
        && cluster.store().pods.values().filter(|p| !p.metadata.is_terminating()).count() == 1000
        && cluster.store().pods.values().all(|p| p.spec.containers[0].image.ends_with(image))
}

fn deployment_bench() {
    let started = Instant::now();
    let mut cluster = sts_playground::cli::new_cluster(1);
    cluster.apply_text(&deployment_manifest("visits:1.0")).expect("applies");
    assert!(cluster.run_until_condition(HOUR, |c| deployment_on(c, "visits:1.0")), "1000 pods available");
    let created = started.elapsed();
    let created_at = cluster.now();
    let update_started = Instant::now();
    cluster.apply_text(&deployment_manifest("visits:2.0")).expect("applies");
    assert!(cluster.run_until_condition(48 * HOUR, |c| deployment_on(c, "visits:2.0")), "rollout completes");
    let updated = update_started.elapsed();
    println!(
        "bench rollout: Deployment, create 1000 pods: {:.1} ms wall, {} s virtual",
        created.as_secs_f64() * 1e3,
        created_at / 1000
    );
    println!(
        "bench rollout: Deployment, rolling update of 1000 pods (25%/25%): {:.1} ms wall, {} min virtual",
        updated.as_secs_f64() * 1e3,
        (cluster.now() - created_at) / MINUTE
    );
    println!(
        "bench rollout: Deployment total {:.1} ms, {} events recorded",
        started.elapsed().as_secs_f64() * 1e3,
        cluster.events().len()
    );
}
