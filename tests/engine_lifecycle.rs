//! Claim retention, minReadySeconds, ordinals, termination and identity files
//! (reference §1.7, §2.8, §2.12, §4.10–§4.11, §1.1).

use sts_playground::core::time::{MINUTE, SECOND};
use sts_playground::session::samples::DEFAULT_MANIFEST;

mod common;
use common::settle;
#[allow(unused_imports)]
use common::Edited;

fn with_spec(extra: &str) -> String {
    DEFAULT_MANIFEST.edited("  serviceName: visits\n", &format!("  serviceName: visits\n{extra}"))
}

#[test]
fn rule_4_10_when_scaled_delete_removes_the_claims_of_scaled_down_pods() {
    let manifest =
        with_spec("  persistentVolumeClaimRetentionPolicy:\n    whenScaled: Delete\n    whenDeleted: Retain\n");
    let mut cluster = sts_playground::cli::new_cluster(2);
    cluster.apply_text(&manifest).unwrap();
    settle(&mut cluster, 3);
    assert!(
        cluster.store().claims.values().all(|c| c.metadata.owner_references.is_empty()),
        "in-range claims have no owner"
    );
    cluster.scale("web", 1).unwrap();
    settle(&mut cluster, 1);
    cluster.advance(10 * SECOND);
    let claims: Vec<_> = cluster.store().claims.keys().cloned().collect();
    assert_eq!(claims, ["data-web-0"]);
}

/// Kubernetes fixes a claim's owner references only through a pod: in
/// `stateful_set_control.go` the retention policy is enforced for the in-range pods
/// (`ClaimsMatchRetentionPolicy` / `UpdatePodClaimForRetentionPolicy` in
/// processReplica) and for the condemned pods that exist, and
/// `updateClaimOwnerRefForSetAndPod` (stateful_set_utils.go) takes the pod whose
/// reference it sets. The claim of an ordinal ≥ replicas whose pod is already gone
/// when the set shrinks is never visited: it keeps the owners it had (none, under
/// whenScaled: Delete with whenDeleted: Retain) and is retained.
#[test]
fn rule_4_10_when_scaled_delete_keeps_the_claim_of_an_ordinal_whose_pod_was_already_gone() {
    let manifest =
        with_spec("  persistentVolumeClaimRetentionPolicy:\n    whenScaled: Delete\n    whenDeleted: Retain\n");
    let mut cluster = sts_playground::cli::new_cluster(2);
    cluster.apply_text(&manifest).unwrap();
    settle(&mut cluster, 3);
    // The pod goes at once and the set shrinks before the controller recreates it.
    cluster
        .write(|api| {
            api.delete_pod("web-2", Some(0));
            api.scale("web", 2)
        })
        .unwrap();
    settle(&mut cluster, 2);
    cluster.advance(MINUTE);
    assert!(cluster.store().pods.get("web-2").is_none(), "web-2 is not recreated: it is out of range");
    let claim = &cluster.store().claims["data-web-2"];
    assert!(
        claim.metadata.owner_references.is_empty() && !claim.metadata.is_terminating(),
        "the claim is kept, with no owner"
    );
    // While a pod that still exists when the set shrinks gives its claim away: web-1.
    cluster.scale("web", 1).unwrap();
    settle(&mut cluster, 1);
    cluster.advance(MINUTE);
    let claims: Vec<_> = cluster.store().claims.keys().cloned().collect();
    assert_eq!(claims, ["data-web-0", "data-web-2"]);
}

#[test]
fn rule_4_11_when_scaled_delete_keeps_the_claim_of_a_pod_the_user_deletes() {
    let manifest = with_spec("  persistentVolumeClaimRetentionPolicy:\n    whenScaled: Delete\n");
    let mut cluster = sts_playground::cli::new_cluster(2);
    cluster.apply_text(&manifest).unwrap();
    settle(&mut cluster, 3);
    let volume = cluster.store().claims["data-web-1"].spec.volume_name.clone();
    cluster.delete_pod("web-1", None);
    settle(&mut cluster, 3);
    assert_eq!(cluster.store().claims["data-web-1"].spec.volume_name, volume);
}

#[test]
fn rule_4_10_when_deleted_delete_removes_every_claim_with_the_set() {
    let manifest = with_spec("  persistentVolumeClaimRetentionPolicy:\n    whenDeleted: Delete\n");
    let mut cluster = sts_playground::cli::new_cluster(2);
    cluster.apply_text(&manifest).unwrap();
    settle(&mut cluster, 3);
    let owner = cluster.store().claims["data-web-0"].metadata.controller().cloned().unwrap();
    assert_eq!((owner.kind.as_str(), owner.name.as_str()), ("StatefulSet", "web"));
    cluster.delete_stateful_set("web", true);
    cluster.advance(2 * MINUTE);
    assert!(cluster.store().pods.is_empty());
    assert!(cluster.store().claims.is_empty(), "claims: {:?}", cluster.store().claims.keys().collect::<Vec<_>>());
}

#[test]
fn rule_2_11_deleting_the_set_keeps_claims_by_default_and_orphan_keeps_pods() {
    let mut cluster = sts_playground::cli::new_cluster(2);
    cluster.apply_text(DEFAULT_MANIFEST).unwrap();
    settle(&mut cluster, 3);
    cluster.delete_stateful_set("web", false);
    cluster.advance(MINUTE);
    assert_eq!(cluster.store().pods.len(), 3, "--cascade=orphan leaves the pods running");
    assert!(cluster.store().pods.values().all(|p| p.metadata.owner_references.is_empty()));
    cluster.apply_text(DEFAULT_MANIFEST).unwrap();
    for pod in ["web-0", "web-1", "web-2"] {
        cluster.delete_pod(pod, None);
    }
    settle(&mut cluster, 3);
    assert_eq!(cluster.store().claims.len(), 3);
}

#[test]
fn rule_2_8_min_ready_seconds_delays_the_next_pod() {
    let mut cluster = sts_playground::cli::new_cluster(2);
    cluster.apply_text(&with_spec("  minReadySeconds: 20\n")).unwrap();
    assert!(cluster.run_until_condition(MINUTE, |c| c
        .store()
        .pods
        .get("web-0")
        .is_some_and(|p| p.is_running_and_ready())));
    let ready_at = cluster.now();
    assert!(cluster.run_until_condition(MINUTE, |c| c.store().pods.contains_key("web-1")));
    assert!(cluster.now() >= ready_at + 20 * SECOND, "web-1 waits until web-0 has been ready for 20 s");
    assert_eq!(cluster.store().stateful_sets["web"].status.available_replicas, 1);
}

#[test]
fn rule_1_1_ordinals_start_shifts_the_pod_names() {
    let mut cluster = sts_playground::cli::new_cluster(2);
    cluster.apply_text(&with_spec("  ordinals:\n    start: 5\n")).unwrap();
    settle(&mut cluster, 3);
    let names: Vec<_> = cluster.store().pods.keys().cloned().collect();
    assert_eq!(names, ["web-5", "web-6", "web-7"]);
    assert!(cluster.store().claims.contains_key("data-web-7"));
}

#[test]
fn rule_2_12_a_pod_that_ignores_sigterm_takes_its_whole_grace_period() {
    let manifest = DEFAULT_MANIFEST
        .edited("ghcr.io/example/visits:1.0", "busybox:1.36")
        .edited("          ports:\n", "          command: [\"sleep\", \"3600\"]\n          ports:\n")
        .edited("replicas: 3", "replicas: 1");
    let mut cluster = sts_playground::cli::new_cluster(2);
    cluster.apply_text(&manifest).unwrap();
    settle(&mut cluster, 1);
    let deleted_at = cluster.now();
    cluster.delete_pod("web-0", None);
    assert!(cluster.run_until_condition(MINUTE, |c| c
        .store()
        .pods
        .get("web-0")
        .is_none_or(|p| !p.metadata.is_terminating())));
    assert_eq!(cluster.now() - deleted_at, 30 * SECOND, "terminationGracePeriodSeconds defaults to 30");
    assert!(cluster
        .events_for("Pod", "web-0")
        .any(|e| e.reason == "Killing" && e.message == "Stopping container visits"));
}

#[test]
fn rule_1_7_hostname_and_hosts_file_carry_the_stable_name() {
    let mut cluster = sts_playground::cli::new_cluster(2);
    cluster.apply_text(&DEFAULT_MANIFEST.edited("serviceName: visits", "serviceName: missing")).unwrap();
    settle(&mut cluster, 3);
    let ip = cluster.store().pods["web-1"].status.pod_ip.clone().unwrap();
    assert_eq!(cluster.read_file("web-1", None, "/etc/hostname").as_deref(), Some("web-1\n"));
    let hosts = cluster.read_file("web-1", None, "/etc/hosts").unwrap();
    assert!(hosts.starts_with("# Kubernetes-managed hosts file.\n"));
    assert!(
        hosts.ends_with(&format!("{ip}\tweb-1.missing.default.svc.cluster.local\tweb-1\n")),
        "even without the Service: {hosts}"
    );
}

const SETTINGS: &str = "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  VISITS_FILE: /data/count\n  PORT: \"9090\"\n";

#[test]
fn configmap_values_reach_the_container_environment() {
    let manifest = DEFAULT_MANIFEST
        .edited("          env:\n            - name: VISITS_FILE\n              value: /data/visits\n", "          envFrom:\n            - configMapRef:\n                name: settings\n          env:\n            - name: POD_NAME\n              valueFrom:\n                fieldRef:\n                  fieldPath: metadata.name\n")
        .edited("containerPort: 8080", "containerPort: 9090")
        .edited("port: 8080", "port: 9090");
    let mut cluster = sts_playground::cli::new_cluster(2);
    cluster.apply_text(&format!("{manifest}{SETTINGS}")).unwrap();
    settle(&mut cluster, 3);
    let response = cluster
        .http_get("web-1.visits", 9090, "/", &sts_playground::core::cluster::Client::Host)
        .expect("the app listens on PORT from the ConfigMap");
    assert_eq!(response.status, 200);
    assert_eq!(cluster.read_file("web-1", None, "/data/count").as_deref(), Some("1"), "VISITS_FILE from the ConfigMap");
}

#[test]
fn a_missing_configmap_stops_the_container_with_create_container_config_error() {
    let manifest = DEFAULT_MANIFEST.edited(
        "          env:\n            - name: VISITS_FILE\n              value: /data/visits\n",
        "          env:\n            - name: VISITS_FILE\n              valueFrom:\n                configMapKeyRef:\n                  name: settings\n                  key: VISITS_FILE\n",
    );
    let mut cluster = sts_playground::cli::new_cluster(2);
    cluster.apply_text(&manifest).unwrap();
    cluster.advance(MINUTE);
    let web0 = &cluster.store().pods["web-0"];
    let waiting = web0.status.container_statuses[0].state.waiting.as_ref().map(|w| w.reason.clone());
    assert_eq!(waiting.as_deref(), Some("CreateContainerConfigError"));
    assert_eq!(sts_playground::cli::printers::pod_status(web0), "CreateContainerConfigError");
    assert!(cluster
        .events_for("Pod", "web-0")
        .any(|e| e.reason == "Failed" && e.message == "Error: configmap \"settings\" not found"));
    assert_eq!(cluster.store().pods.len(), 1, "OrderedReady waits");
    // Creating the ConfigMap lets the kubelet start the container on its next try.
    cluster.apply_text(SETTINGS).unwrap();
    settle(&mut cluster, 3);
}

/// §4.10: when the retention policy changes, the controller sets or removes only its
/// own controller reference on a claim (`updateClaimOwnerRefForSetAndPod`): a
/// reference someone else put there stays, and the set's is there once.
#[test]
fn rule_4_10_the_policy_changes_only_the_sets_own_reference_on_a_claim() {
    use sts_playground::core::api::OwnerReference;
    let mut cluster = sts_playground::cli::new_cluster(2);
    cluster.apply_text(DEFAULT_MANIFEST).unwrap();
    settle(&mut cluster, 3);
    let keeper = OwnerReference {
        api_version: "v1".into(),
        kind: "ConfigMap".into(),
        name: "keeper".into(),
        uid: "uid-keeper".into(),
        controller: false,
        block_owner_deletion: false,
    };
    cluster.write(|api| api.update_claim("data-web-0", |c| c.metadata.owner_references.push(keeper.clone())));
    cluster.apply_text(&with_spec("  persistentVolumeClaimRetentionPolicy:\n    whenDeleted: Delete\n")).unwrap();
    cluster.advance(10 * SECOND);
    let owners = &cluster.store().claims["data-web-0"].metadata.owner_references;
    let kinds: Vec<(&str, bool)> = owners.iter().map(|o| (o.kind.as_str(), o.controller)).collect();
    assert_eq!(kinds, [("ConfigMap", false), ("StatefulSet", true)], "the keeper's reference stays");
    // Back to Retain: the set's reference goes, the keeper's stays.
    cluster.apply_text(DEFAULT_MANIFEST).unwrap();
    cluster.advance(10 * SECOND);
    let owners = &cluster.store().claims["data-web-0"].metadata.owner_references;
    assert_eq!(owners.iter().map(|o| o.name.as_str()).collect::<Vec<_>>(), ["keeper"]);
}
