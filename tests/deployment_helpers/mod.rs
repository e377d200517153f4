//! Helpers shared by the Deployment and ReplicaSet stories (tests/engine_deployments*.rs).
#![allow(dead_code)]

use sts_playground::core::api::{Deployment, Pod, ReplicaSet};
use sts_playground::core::cluster::Cluster;
use sts_playground::core::time::MINUTE;

/// A Deployment `web` of `replicas` nginx pods (label `app: web`), `extra` (lines
/// indented as under `spec:`) added to its spec.
pub fn web(replicas: i64, image: &str, extra: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: {replicas}
{extra}  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: nginx
          image: {image}
"
    )
}

/// A standalone ReplicaSet `frontend` of `replicas` nginx pods (label `tier: frontend`).
pub fn frontend(replicas: i64, extra: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: frontend
spec:
  replicas: {replicas}
{extra}  selector:
    matchLabels:
      tier: frontend
  template:
    metadata:
      labels:
        tier: frontend
    spec:
      containers:
        - name: nginx
          image: nginx:1.25
"
    )
}

pub fn new_cluster() -> Cluster {
    sts_playground::cli::new_cluster(7)
}

/// A cluster with `manifest` applied and its rollout complete.
pub fn started(manifest: &str) -> Cluster {
    let mut cluster = new_cluster();
    cluster.apply_text(manifest).expect("the manifest applies");
    settle(&mut cluster);
    cluster
}

pub fn deployment(cluster: &Cluster) -> &Deployment {
    &cluster.store().deployments["web"]
}

/// `web`'s ReplicaSets, oldest first.
pub fn replica_sets(cluster: &Cluster) -> Vec<&ReplicaSet> {
    let mut list: Vec<&ReplicaSet> = cluster.store().replica_sets_of(deployment(cluster)).collect();
    list.sort_by_key(|rs| (rs.metadata.creation_timestamp, rs.metadata.name.clone()));
    list
}

/// (name, spec.replicas) of `web`'s ReplicaSets, oldest first.
pub fn sizes(cluster: &Cluster) -> Vec<(String, i64)> {
    replica_sets(cluster).iter().map(|rs| (rs.metadata.name.clone(), rs.replicas())).collect()
}

/// Pods not terminating (nor Succeeded or Failed), in name order.
pub fn active_pods(cluster: &Cluster) -> Vec<&Pod> {
    cluster.store().pods.values().filter(|p| !p.metadata.is_terminating() && !p.is_terminal()).collect()
}

pub fn available_pods(cluster: &Cluster) -> usize {
    active_pods(cluster).iter().filter(|p| p.is_running_and_ready()).count()
}

/// `reason: message` of the events about `kind`/`name`, oldest first.
pub fn events(cluster: &Cluster, kind: &str, name: &str) -> Vec<String> {
    cluster.events_for(kind, name).map(|e| format!("{}: {}", e.reason, e.message)).collect()
}

/// Whether `web`'s rollout is done: every replica updated and available, nothing terminating.
pub fn complete(cluster: &Cluster) -> bool {
    let d = deployment(cluster);
    let s = &d.status;
    let replicas = d.replicas();
    s.observed_generation == d.metadata.generation
        && (s.replicas, s.updated_replicas, s.available_replicas) == (replicas, replicas, replicas)
        && cluster.store().pods.values().all(|p| !p.metadata.is_terminating())
        && active_pods(cluster).len() as i64 == replicas
}

/// Advances (up to ten virtual minutes) until `web`'s rollout is complete.
pub fn settle(cluster: &mut Cluster) {
    assert!(cluster.run_until_condition(10 * MINUTE, complete), "the rollout completes: {:?}", sizes(cluster));
}

/// Sets `web`'s image (`kubectl set image`).
pub fn set_image(cluster: &mut Cluster, image: &str) {
    cluster.update_deployment("web", |d| d.spec.template.spec.containers[0].image = image.into()).expect("updates");
}

/// The Progressing condition's (status, reason, message).
pub fn progressing(cluster: &Cluster) -> (String, String, String) {
    let c = deployment(cluster).condition("Progressing").expect("a Progressing condition");
    (c.status.clone(), c.reason.clone(), c.message.clone())
}
