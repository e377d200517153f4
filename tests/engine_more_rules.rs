//! More reference rules, one short story each: ordinal parsing, identity repair,
//! long names, revisions and history, claim volumes, invalid claim templates,
//! defaults, kubelet events and endpoint hostnames.

use sts_playground::core::api::*;
use sts_playground::core::cluster::Cluster;
use sts_playground::core::controllers::statefulset::{parent_and_ordinal, revision_name_for};
use sts_playground::core::time::{MINUTE, SECOND};
use sts_playground::session::samples::DEFAULT_MANIFEST;

mod common;
#[allow(unused_imports)]
use common::Edited;

fn settled(manifest: &str, pods: usize) -> Cluster {
    common::started(manifest, 4, pods)
}

#[test]
fn rule_1_2_the_ordinal_is_the_last_dash_number() {
    assert_eq!(parent_and_ordinal("web-0"), Some(("web", 0)));
    assert_eq!(parent_and_ordinal("my-web-12"), Some(("my-web", 12)));
    assert_eq!(parent_and_ordinal("web"), None);
    assert_eq!(parent_and_ordinal("web-x1"), None);
}

#[test]
fn rule_1_6_a_removed_pod_name_label_is_put_back() {
    let mut cluster = settled(DEFAULT_MANIFEST, 3);
    // As `kubectl label pod web-1 statefulset.kubernetes.io/pod-name-` does.
    cluster.write(|api| api.update_pod("web-1", |pod| drop(pod.metadata.labels.remove(POD_NAME_LABEL))));
    assert_eq!(cluster.store().pods["web-1"].metadata.labels.get(POD_NAME_LABEL).map(String::as_str), Some("web-1"));
    assert!(cluster
        .events_for("StatefulSet", "web")
        .any(|e| e.reason == "SuccessfulUpdate" && e.message == "update Pod web-1 in StatefulSet web successful"));
}

#[test]
fn rule_1_9_a_very_long_set_name_is_accepted_but_no_pod_can_be_created() {
    let name = "a-statefulset-name-that-is-long-enough-to-break-the-revision";
    assert!(name.len() > 52 && name.len() <= 63);
    let mut cluster = sts_playground::cli::new_cluster(4);
    cluster
        .apply_text(&DEFAULT_MANIFEST.edited("name: web\n", &format!("name: {name}\n")))
        .expect("the API accepts it");
    cluster.advance(20 * SECOND);
    assert!(cluster.store().pods.is_empty());
    let failure = cluster.events_for("StatefulSet", name).find(|e| e.reason == "FailedCreate").expect("FailedCreate");
    assert!(failure.message.ends_with("must be no more than 63 characters"), "{}", failure.message);
}

#[test]
fn rule_3_2_revision_names_are_stable_and_use_the_safe_alphabet() {
    let value: sts_playground::core::api::yaml::Value =
        sts_playground::core::api::yaml::from_str(DEFAULT_MANIFEST.split("---\n").nth(1).unwrap()).unwrap();
    let set: StatefulSet = sts_playground::core::api::read::from_value(&value).unwrap();
    let first = revision_name_for("web", &set.spec.template, 0);
    assert_eq!(first, revision_name_for("web", &set.spec.template, 0), "same template, same name");
    assert_ne!(first, revision_name_for("web", &set.spec.template, 1), "the collision count changes it");
    let hash = first.strip_prefix("web-").unwrap();
    assert!(
        (6..=10).contains(&hash.len()) && hash.chars().all(|c| "bcdfghjklmnpqrstvwxz2456789".contains(c)),
        "{first}"
    );
}

#[test]
fn rule_3_4_and_3_1_only_template_changes_make_revisions() {
    let mut cluster = settled(DEFAULT_MANIFEST, 3);
    assert_eq!(cluster.store().revisions.len(), 1);
    let status = cluster.store().stateful_sets["web"].status.clone();
    assert_eq!(status.current_revision, status.update_revision, "first sync: current = update");
    cluster.scale("web", 4).unwrap();
    cluster.update_stateful_set("web", |s| s.spec.min_ready_seconds = Some(3)).unwrap();
    cluster.advance(MINUTE);
    assert_eq!(cluster.store().revisions.len(), 1, "replicas and minReadySeconds are not template changes");
}

#[test]
fn rule_3_14_history_is_truncated_to_the_revision_history_limit() {
    let manifest =
        DEFAULT_MANIFEST.edited("  serviceName: visits\n", "  serviceName: visits\n  revisionHistoryLimit: 1\n");
    let mut cluster = settled(&manifest, 3);
    for version in ["2.0", "3.0", "4.0"] {
        cluster.apply_text(&manifest.edited("visits:1.0", &format!("visits:{version}"))).unwrap();
        cluster.advance(3 * MINUTE);
    }
    let mut kept: Vec<i64> = cluster.store().revisions.values().map(|r| r.revision).collect();
    kept.sort();
    assert_eq!(kept, [3, 4], "the live revision and one more");
}

#[test]
fn rule_4_4_a_template_volume_named_like_a_claim_template_is_replaced_by_the_claim() {
    let manifest = DEFAULT_MANIFEST.edited(
        "      containers:\n",
        "      volumes:\n        - name: data\n          emptyDir: {}\n      containers:\n",
    );
    let cluster = settled(&manifest, 3);
    let volumes = &cluster.store().pods["web-0"].spec.volumes;
    assert_eq!(volumes.len(), 1);
    assert_eq!(volumes[0].persistent_volume_claim.as_ref().map(|c| c.claim_name.as_str()), Some("data-web-0"));
}

#[test]
fn rule_4_6_a_claim_template_without_access_modes_fails_late() {
    let mut cluster = sts_playground::cli::new_cluster(4);
    cluster
        .apply_text(&DEFAULT_MANIFEST.edited("        accessModes: [\"ReadWriteOnce\"]\n", ""))
        .expect("accepted at apply");
    cluster.advance(20 * SECOND);
    assert!(cluster.store().pods.is_empty() && cluster.store().claims.is_empty());
    let messages: Vec<String> = cluster.events_for("StatefulSet", "web").map(|e| e.message.clone()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("create Claim data-web-0 for Pod web-0 in StatefulSet web failed error: ")
                && m.contains("spec.accessModes: Required value: at least 1 access mode is required")),
        "{messages:?}"
    );
    assert!(messages
        .iter()
        .any(|m| m.starts_with("create Pod web-0 in StatefulSet web failed error: failed to create PVC data-web-0: ")));
}

#[test]
fn rule_9_6_the_api_server_fills_in_defaults() {
    let manifest = DEFAULT_MANIFEST.edited("  replicas: 3\n", "").edited(
        "          env:\n",
        "          readinessProbe:\n            httpGet:\n              port: 8080\n          env:\n",
    );
    let cluster = settled(&manifest, 1);
    let set = &cluster.store().stateful_sets["web"];
    assert_eq!(set.spec.replicas, Some(1));
    assert_eq!(set.spec.revision_history_limit, Some(10));
    assert_eq!(set.spec.pod_management_policy.as_deref(), Some("OrderedReady"));
    assert_eq!(set.partition(), 0);
    let retention = set.spec.persistent_volume_claim_retention_policy.as_ref().unwrap();
    assert_eq!((retention.when_deleted.as_deref(), retention.when_scaled.as_deref()), (Some("Retain"), Some("Retain")));
    let spec = &set.spec.template.spec;
    assert_eq!(
        (spec.restart_policy.as_deref(), spec.dns_policy.as_deref(), spec.termination_grace_period_seconds),
        (Some("Always"), Some("ClusterFirst"), Some(30))
    );
    let container = &spec.containers[0];
    assert_eq!(container.image_pull_policy.as_deref(), Some("IfNotPresent"));
    let probe = container.readiness_probe.as_ref().unwrap();
    assert_eq!((probe.period_seconds, probe.timeout_seconds, probe.failure_threshold), (Some(10), Some(1), Some(3)));
    assert_eq!(probe.http_get.as_ref().unwrap().path.as_deref(), Some("/"));
    assert_eq!(cluster.store().services["visits"].spec.ports[0].protocol.as_deref(), Some("TCP"));
}

#[test]
fn rule_5_10_the_kubelet_reports_pulls_and_starts_in_1_32_wording() {
    let cluster = settled(DEFAULT_MANIFEST, 3);
    let reasons: Vec<(String, String)> =
        cluster.events_for("Pod", "web-0").map(|e| (e.reason.to_string(), e.message.clone())).collect();
    let find = |reason: &str| reasons.iter().find(|(r, _)| r == reason).map(|(_, m)| m.clone()).unwrap_or_default();
    assert_eq!(find("Scheduled"), "Successfully assigned default/web-0 to minikube");
    assert_eq!(find("Pulling"), "Pulling image \"ghcr.io/example/visits:1.0\"");
    assert!(
        find("Pulled").starts_with("Successfully pulled image \"ghcr.io/example/visits:1.0\" in "),
        "{}",
        find("Pulled")
    );
    assert_eq!(find("Created"), "Created container: visits");
    assert_eq!(find("Started"), "Started container visits");
    let web1_pull = cluster.events_for("Pod", "web-1").find(|e| e.reason == "Pulled").unwrap();
    assert_eq!(web1_pull.message, "Container image \"ghcr.io/example/visits:1.0\" already present on machine");
}

#[test]
fn rule_6_4_endpoint_hostnames_only_for_the_governing_service() {
    let extra = "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: other\nspec:\n  clusterIP: None\n  selector:\n    app: visits\n";
    let cluster = settled(&format!("{DEFAULT_MANIFEST}{extra}"), 3);
    assert!(cluster.store().endpoints["visits"].addresses.iter().all(|a| a.hostname.is_some()));
    assert!(cluster.store().endpoints["other"].addresses.iter().all(|a| a.hostname.is_none()));
    // CoreDNS then names them by dashed IP under the other Service (§6.6).
    let ip = cluster.store().pods["web-0"].status.pod_ip.clone().unwrap();
    assert_eq!(cluster.lookup(&format!("{}.other", ip.replace('.', "-"))).unwrap().addresses, [ip]);
}

#[test]
fn rule_2_13_status_counts_terminating_pods_in_replicas_but_not_in_current() {
    let mut cluster = settled(DEFAULT_MANIFEST, 3);
    cluster.delete_pod("web-2", None);
    let status = &cluster.store().stateful_sets["web"].status;
    assert_eq!(status.replicas, 3);
    assert_eq!(status.current_replicas, 2);
    assert_eq!(status.ready_replicas, 3, "a terminating pod that is still Ready counts as ready");
}

#[test]
fn rule_1_3_a_bare_pod_with_the_sets_labels_and_name_is_adopted_and_removed_if_out_of_range() {
    let mut cluster = settled(DEFAULT_MANIFEST, 3);
    let stray = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-7\n  labels:\n    app: visits\nspec:\n  containers:\n    - name: visits\n      image: ghcr.io/example/visits:1.0\n";
    cluster.apply_text(stray).unwrap();
    assert!(
        cluster.store().pods.get("web-7").is_none_or(|p| p.metadata.is_terminating()),
        "ordinal 7 is out of range: condemned at once"
    );
    assert!(cluster
        .events_for("StatefulSet", "web")
        .any(|e| e.message == "delete Pod web-7 in StatefulSet web successful"));
    let unrelated = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: other-1\n  labels:\n    app: visits\nspec:\n  containers:\n    - name: visits\n      image: ghcr.io/example/visits:1.0\n";
    cluster.apply_text(unrelated).unwrap();
    cluster.advance(MINUTE);
    assert!(
        cluster.store().pods.get("other-1").is_some_and(|p| !p.metadata.is_terminating()),
        "another parent name is not a member"
    );
    assert!(!cluster.store().pods.contains_key("web-7"));
}

#[test]
fn rule_2_3_a_failed_pod_is_deleted_and_recreated_without_the_old_events() {
    let mut cluster = settled(DEFAULT_MANIFEST, 3);
    let old_uid = cluster.store().pods["web-1"].metadata.uid.clone();
    // As after an eviction: the kubelet reports the pod Failed.
    cluster.write(|api| api.update_pod("web-1", |pod| pod.status.phase = "Failed".into()));
    assert!(cluster.store().pods.get("web-1").is_none_or(|p| p.metadata.is_terminating() || p.metadata.uid != old_uid));
    assert!(cluster.run_until_condition(MINUTE, |c| c
        .store()
        .pods
        .get("web-1")
        .is_some_and(|p| p.metadata.uid != old_uid && p.is_running_and_ready())));
    let messages: Vec<String> = cluster.events_for("StatefulSet", "web").map(|e| e.message.clone()).collect();
    assert!(messages.contains(&"delete Pod web-1 in StatefulSet web successful".to_string()));
    assert!(!messages.iter().any(|m| m.contains("recreating failed Pod")), "RecreatingFailedPod was removed in 1.31");
}

#[test]
fn rule_4_10_and_4_12_scaling_down_with_when_scaled_delete_then_up_gives_a_fresh_volume() {
    let manifest = DEFAULT_MANIFEST.edited(
        "  serviceName: visits\n",
        "  serviceName: visits\n  persistentVolumeClaimRetentionPolicy:\n    whenScaled: Delete\n",
    );
    let mut cluster = settled(&manifest, 3);
    cluster.http_get("web-2.visits", 8080, "/", &sts_playground::core::cluster::Client::Host).unwrap();
    let old_volume = cluster.store().claims["data-web-2"].spec.volume_name.clone();
    cluster.scale("web", 2).unwrap();
    cluster.scale("web", 3).unwrap();
    assert!(cluster.run_until_condition(2 * MINUTE, |c| c.store().pods.len() == 3
        && c.store().pods.values().all(|p| p.is_running_and_ready() && !p.metadata.is_terminating())));
    assert_ne!(cluster.store().claims["data-web-2"].spec.volume_name, old_volume, "the old claim went with the pod");
    assert_eq!(cluster.read_file("web-2", None, "/data/visits"), None, "and its data");
}

#[test]
fn kube_system_is_listed_like_minikube_but_never_mixes_with_default() {
    use sts_playground::cli::Terminal;
    use sts_playground::core::system;
    let mut cluster = settled(DEFAULT_MANIFEST, 3);
    let names: Vec<String> = system::pods(&cluster).into_iter().map(|p| p.metadata.name).collect();
    assert_eq!(names.len(), 7);
    assert!(names[0].starts_with("coredns-668d6bf9bc-") && names[4].starts_with("kube-proxy-"), "{names:?}");
    assert_eq!(names[1..4], ["etcd-minikube", "kube-apiserver-minikube", "kube-controller-manager-minikube"]);
    assert_eq!(names[5..], ["kube-scheduler-minikube", "storage-provisioner"]);
    assert_eq!(names, system::pods(&cluster).into_iter().map(|p| p.metadata.name).collect::<Vec<_>>(), "stable names");
    // Nothing of it is in the store: controllers, counts, endpoints and the default DNS never see it.
    assert_eq!(cluster.store().pods.len(), 3);
    assert_eq!(cluster.store().services.len(), 2);
    assert_eq!(cluster.store().pods["web-0"].status.pod_ip.as_deref(), Some("10.244.0.2"));
    assert!(cluster.lookup("kube-dns").is_err(), "kube-dns is not in default");
    assert_eq!(cluster.lookup("kube-dns.kube-system").map(|a| a.addresses), Ok(vec!["10.96.0.10".to_string()]));
    let mut terminal = Terminal::new();
    let all = terminal.run(&mut cluster, "kubectl get pods -A").stdout();
    assert!(all.starts_with("NAMESPACE     NAME "), "{all}");
    assert_eq!(all.lines().filter(|l| l.starts_with("kube-system ")).count(), 7);
    assert_eq!(all.lines().filter(|l| l.starts_with("default ")).count(), 3);
    assert!(!terminal.run(&mut cluster, "kubectl get pods").stdout().contains("kube-system"));
    let services = terminal.run(&mut cluster, "kubectl get svc -n kube-system").stdout();
    assert!(
        services.contains("kube-dns   ClusterIP   10.96.0.10   <none>        53/UDP,53/TCP,9153/TCP"),
        "{services}"
    );
}
