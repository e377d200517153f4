//! A Deployment has no volumeClaimTemplates (issue 18 §4): a claim its pod template
//! mounts is one claim shared by every replica (ReadWriteOnce still mounts on the one
//! node), so the per-pod counter of the StatefulSet lesson becomes one shared file
//! that every replica overwrites with its own in-memory count.

use sts_playground::core::cluster::{Client, Cluster};
use sts_playground::core::time::MINUTE;
use sts_playground::session::view::view;

const SHARED: &str = "apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: counts
spec:
  accessModes: [\"ReadWriteOnce\"]
  resources:
    requests:
      storage: 1Gi
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-d
spec:
  replicas: 3
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
          image: ghcr.io/example/visits:1.0
          ports:
            - containerPort: 8080
          volumeMounts:
            - name: data
              mountPath: /data
      volumes:
        - name: data
          persistentVolumeClaim:
            claimName: counts
";

fn pod_names(cluster: &Cluster) -> Vec<String> {
    cluster.store().pods.keys().cloned().collect()
}

#[test]
fn a_claim_in_a_deployments_template_is_one_claim_every_replica_mounts() {
    let mut cluster = sts_playground::cli::new_cluster(5);
    cluster.apply_text(SHARED).expect("applies");
    assert!(cluster.run_until_condition(2 * MINUTE, |c| c.store().deployments["web-d"].status.available_replicas == 3));
    let claims: Vec<String> = cluster.store().claims.keys().cloned().collect();
    assert_eq!(claims, ["counts"], "one claim, not one per pod");
    let snapshot = view(&cluster);
    let mounting: Vec<&str> = snapshot
        .pods
        .iter()
        .filter(|p| p.claims == ["counts"] && p.owner.starts_with("replicaset/web-d-"))
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(mounting.len(), 3, "every replica's card shows the shared claim: {:?}", pod_names(&cluster));

    // Two requests to each replica: each writes its own count, 2, over the others'.
    for pod in pod_names(&cluster) {
        let ip = cluster.store().pods[&pod].status.pod_ip.clone().expect("an IP");
        for _ in 0..2 {
            cluster.http_get(&ip, 8080, "/", &Client::Host).expect("an answer");
        }
    }
    let first = pod_names(&cluster)[0].clone();
    let stored = cluster.read_file(&first, None, "/data/visits").expect("the shared file");
    assert_eq!(stored.trim(), "2", "six visits, but the shared file says what the last writer counted");
}
