//! The StatefulSet controller's pass, rule by rule: condemned pods, the order of
//! the phases, pod management policies, events, claims it makes or reuses, and the
//! status it keeps (reference §1.4, §1.10, §2.1–§2.15, §4.1, §4.2, §4.12, §9.5).

use sts_playground::core::api::*;
use sts_playground::core::cluster::Cluster;
use sts_playground::core::controllers::statefulset::{reconcile, Change, ClaimState, Members, SetState};
use sts_playground::core::time::{MINUTE, SECOND};
use sts_playground::session::samples::DEFAULT_MANIFEST;

mod common;
use common::{settle, started, Edited};

fn with_spec(manifest: &str, extra: &str) -> String {
    manifest.edited("  serviceName: visits\n", &format!("  serviceName: visits\n{extra}"))
}

fn pod_names(cluster: &Cluster) -> Vec<String> {
    cluster.store().pods.keys().cloned().collect()
}

/// The controller's `create Pod …` / `delete Pod …` messages, oldest first.
fn pod_verbs(cluster: &Cluster, set: &str) -> Vec<String> {
    cluster
        .events_for("StatefulSet", set)
        .filter(|e| e.message.starts_with("create Pod") || e.message.starts_with("delete Pod"))
        .map(|e| e.message.clone())
        .collect()
}

fn ready(cluster: &Cluster, name: &str) -> bool {
    cluster.store().pods.get(name).is_some_and(|p| p.is_running_and_ready() && !p.metadata.is_terminating())
}

#[test]
fn rule_1_4_pods_below_a_raised_ordinals_start_are_condemned_and_deleted() {
    // §1.4: a pod whose ordinal is below `spec.ordinals.start` is out of range, like one
    // above the end after a scale-down, and the scale-down logic deletes it.
    let manifest = with_spec(DEFAULT_MANIFEST, "  podManagementPolicy: Parallel\n");
    let mut cluster = started(&manifest, 5, 3);
    cluster.apply_text(&with_spec(&manifest, "  ordinals:\n    start: 1\n")).unwrap();
    assert!(cluster.store().pods["web-0"].metadata.is_terminating(), "web-0 is condemned at once");
    assert!(cluster.store().pods.contains_key("web-3"), "web-3 joins the range in the same pass (Parallel)");
    settle(&mut cluster, 3);
    assert_eq!(pod_names(&cluster), ["web-1", "web-2", "web-3"]);
    assert!(pod_verbs(&cluster, "web").contains(&"delete Pod web-0 in StatefulSet web successful".to_string()));
    assert!(cluster.store().claims.contains_key("data-web-0"), "§4.9: its claim is kept");
}

#[test]
fn rule_2_1_a_pass_fills_the_range_first_then_removes_condemned_pods_highest_first() {
    // §2.1: phase A (in-range replicas) runs before phase C (condemned, sorted by
    // descending ordinal); OrderedReady ends a pass after each creation or deletion.
    let mut cluster = started(DEFAULT_MANIFEST, 5, 3);
    let before = pod_verbs(&cluster, "web").len();
    cluster.apply_text(&with_spec(DEFAULT_MANIFEST, "  ordinals:\n    start: 2\n")).unwrap();
    settle(&mut cluster, 3);
    assert_eq!(pod_names(&cluster), ["web-2", "web-3", "web-4"]);
    assert_eq!(
        pod_verbs(&cluster, "web")[before..],
        [
            "create Pod web-3 in StatefulSet web successful",
            "create Pod web-4 in StatefulSet web successful",
            "delete Pod web-1 in StatefulSet web successful",
            "delete Pod web-0 in StatefulSet web successful",
        ]
    );
}

#[test]
fn rule_2_2_ordered_ready_is_the_default_and_parallel_does_not_wait_for_readiness() {
    // §2.2: OrderedReady (default) is monotonic; Parallel bursts. A readiness probe that
    // never passes (nobody touches /tmp/ready) shows the difference.
    let never_ready = common::with_exec_readiness(DEFAULT_MANIFEST, 2, 1);
    let mut ordered = sts_playground::cli::new_cluster(5);
    ordered.apply_text(&never_ready).unwrap();
    ordered.advance(2 * MINUTE);
    assert_eq!(ordered.store().stateful_sets["web"].spec.pod_management_policy.as_deref(), Some("OrderedReady"));
    assert_eq!(pod_names(&ordered), ["web-0"], "web-1 waits for web-0 to be Ready");

    let mut parallel = sts_playground::cli::new_cluster(5);
    parallel.apply_text(&with_spec(&never_ready, "  podManagementPolicy: Parallel\n")).unwrap();
    parallel.advance(2 * MINUTE);
    assert_eq!(pod_names(&parallel), ["web-0", "web-1", "web-2"], "nobody waits");
    assert!(parallel.store().pods.values().all(|p| p.status.phase == "Running" && !p.is_running_and_ready()));
}

#[test]
fn rule_2_9_scaling_takes_precedence_over_the_update() {
    // §2.9: one apply both scales 3 → 5 and changes the image. The new pods are made
    // first (at the new revision); only then does the update phase delete web-2.
    let mut cluster = started(DEFAULT_MANIFEST, 5, 3);
    let both = DEFAULT_MANIFEST.edited("replicas: 3", "replicas: 5").edited("visits:1.0", "visits:2.0");
    cluster.apply_text(&both).unwrap();
    let mut first_update_delete = None;
    for _ in 0..2000 {
        let old_terminating = ["web-0", "web-1", "web-2"]
            .iter()
            .any(|n| cluster.store().pods.get(*n).is_some_and(|p| p.metadata.is_terminating()));
        if old_terminating && first_update_delete.is_none() {
            first_update_delete = Some((ready(&cluster, "web-3"), ready(&cluster, "web-4")));
        }
        if !cluster.step() {
            break;
        }
    }
    assert_eq!(first_update_delete, Some((true, true)), "web-3 and web-4 were Running and Ready first");
    let image = |name: &str| cluster.store().pods[name].spec.containers[0].image.clone();
    assert!((0..5).all(|i| image(&format!("web-{i}")).ends_with(":2.0")));
    let verbs = pod_verbs(&cluster, "web");
    let created_4 = verbs.iter().position(|m| m == "create Pod web-4 in StatefulSet web successful").unwrap();
    let deleted_2 = verbs.iter().position(|m| m == "delete Pod web-2 in StatefulSet web successful").unwrap();
    assert!(created_4 < deleted_2, "{verbs:?}");
}

#[test]
fn rule_2_14_controller_events_are_normal_or_warning_from_the_statefulset_controller() {
    // §2.14: reasons Successful<Verb>/Failed<Verb>, on the StatefulSet, from
    // `statefulset-controller`, with the exact lower-case messages.
    let mut cluster = started(DEFAULT_MANIFEST, 5, 3);
    cluster.scale("web", 2).unwrap();
    settle(&mut cluster, 2);
    let find = |c: &Cluster, message: &str| {
        let e = c.events_for("StatefulSet", "web").find(|e| e.message == message).cloned();
        e.unwrap_or_else(|| panic!("no event {message:?}"))
    };
    let deleted = find(&cluster, "delete Pod web-2 in StatefulSet web successful");
    assert_eq!(
        (deleted.kind, deleted.reason, deleted.source),
        ("Normal", "SuccessfulDelete", "statefulset-controller")
    );
    let created = find(&cluster, "create Pod web-0 in StatefulSet web successful");
    assert_eq!((created.kind, created.reason), ("Normal", "SuccessfulCreate"));
    let claim = find(&cluster, "create Claim data-web-1 Pod web-1 in StatefulSet web success");
    assert_eq!((claim.kind, claim.reason, claim.object_kind), ("Normal", "SuccessfulCreate", "StatefulSet"));

    // §9.3 DERIVED: a serviceName that is no DNS label is accepted, but every pod creation fails.
    let mut broken = sts_playground::cli::new_cluster(5);
    broken.apply_text(&DEFAULT_MANIFEST.edited("serviceName: visits", "serviceName: My_Svc")).unwrap();
    broken.advance(10 * SECOND);
    assert!(broken.store().pods.is_empty());
    let failed = broken.events_for("StatefulSet", "web").find(|e| e.reason == "FailedCreate").expect("FailedCreate");
    assert_eq!((failed.kind, failed.source), ("Warning", "statefulset-controller"));
    assert!(
        failed.message.starts_with(
            "create Pod web-0 in StatefulSet web failed error: Pod \"web-0\" is invalid: spec.subdomain: Invalid value: \"My_Svc\": "
        ),
        "{}",
        failed.message
    );
    // The pod was not made, so no SuccessfulCreate says it was.
    assert!(!broken
        .events_for("StatefulSet", "web")
        .any(|e| e.reason == "SuccessfulCreate" && e.message.starts_with("create Pod")));
}

#[test]
fn rule_2_15_scaling_records_no_scale_event_and_the_status_has_no_conditions() {
    // §2.15: unlike a Deployment (ScalingReplicaSet), a StatefulSet's scaling shows only
    // per-pod create/delete events, and the controller keeps no status conditions.
    let mut cluster = started(DEFAULT_MANIFEST, 5, 3);
    cluster.scale("web", 4).unwrap();
    settle(&mut cluster, 4);
    cluster.scale("web", 1).unwrap();
    settle(&mut cluster, 1);
    let reasons: std::collections::BTreeSet<&str> =
        cluster.events_for("StatefulSet", "web").map(|e| e.reason).collect();
    assert_eq!(reasons.into_iter().collect::<Vec<_>>(), ["SuccessfulCreate", "SuccessfulDelete"]);
    assert!(!cluster.events().iter().any(|e| e.reason.contains("Scal")), "no scale event on any object");
    let mut terminal = sts_playground::cli::Terminal::new();
    let yaml = terminal.run(&mut cluster, "kubectl get sts web -o yaml").stdout();
    let status = &yaml[yaml.find("\nstatus:\n").expect("a status block")..];
    assert!(status.contains("  replicas: 1\n") && !status.contains("conditions"), "{status}");
}

#[test]
fn rule_1_10_name_hostname_dns_name_and_claim_are_stable_uid_and_ip_are_not() {
    let mut cluster = started(DEFAULT_MANIFEST, 5, 3);
    let old = cluster.store().pods["web-1"].clone();
    let old_ip = old.status.pod_ip.clone().unwrap();
    assert_eq!(cluster.lookup("web-1.visits").unwrap().addresses, [old_ip.clone()]);
    cluster.delete_pod("web-1", None);
    settle(&mut cluster, 3);
    let new = cluster.store().pods["web-1"].clone();
    let new_ip = new.status.pod_ip.clone().unwrap();
    // Stable: the name, the hostname, the DNS name (now pointing at the new IP), the claim.
    assert_eq!(new.spec.hostname.as_deref(), Some("web-1"));
    assert_eq!(cluster.read_file("web-1", None, "/etc/hostname").as_deref(), Some("web-1\n"));
    assert_eq!(cluster.lookup("web-1.visits").unwrap().addresses, [new_ip.clone()]);
    let claim = |p: &Pod| p.spec.volumes[0].persistent_volume_claim.as_ref().unwrap().claim_name.clone();
    assert_eq!((claim(&new), claim(&old)), ("data-web-1".to_string(), "data-web-1".to_string()));
    // Not stable: the UID and the IP.
    assert_ne!(new.metadata.uid, old.metadata.uid);
    assert_ne!(new_ip, old_ip);
}

#[test]
fn rule_4_1_claims_carry_template_labels_under_the_selector_and_no_owner() {
    // §4.1: labels = the claim template's, overlaid with the selector's (selector wins);
    // no ownerReferences under the default Retain/Retain policy; spec copied.
    let manifest = DEFAULT_MANIFEST.edited(
        "    - metadata:\n        name: data\n",
        "    - metadata:\n        name: data\n        labels:\n          app: other\n          tier: storage\n",
    );
    let cluster = started(&manifest, 5, 3);
    for ordinal in 0..3 {
        let claim = &cluster.store().claims[&format!("data-web-{ordinal}")];
        assert_eq!(claim.metadata.labels.get("app").map(String::as_str), Some("visits"), "the selector wins");
        assert_eq!(claim.metadata.labels.get("tier").map(String::as_str), Some("storage"));
        assert!(claim.metadata.owner_references.is_empty());
        assert_eq!(claim.spec.access_modes, ["ReadWriteOnce"]);
        assert_eq!(claim.requested_storage().as_deref(), Some("1Gi"));
    }
}

const BIG_CLAIM: &str = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data-web-0\nspec:\n  accessModes: [\"ReadWriteOnce\"]\n  resources:\n    requests:\n      storage: 5Gi\n";

#[test]
fn rule_4_2_a_claim_that_already_exists_is_used_as_it_is() {
    // §4.2: a PVC with the expected name is reused even though its size differs from the
    // template's; the controller creates (and reports) only the missing ones.
    let mut cluster = sts_playground::cli::new_cluster(5);
    cluster.apply_text(BIG_CLAIM).unwrap();
    let uid = cluster.store().claims["data-web-0"].metadata.uid.clone();
    cluster.apply_text(DEFAULT_MANIFEST).unwrap();
    settle(&mut cluster, 3);
    let claim = &cluster.store().claims["data-web-0"];
    assert_eq!(claim.metadata.uid, uid, "the same object");
    assert_eq!(claim.requested_storage().as_deref(), Some("5Gi"));
    assert_eq!(claim.status.capacity.as_deref(), Some("5Gi"));
    assert!(!claim.metadata.labels.contains_key("app"), "not relabelled");
    let messages: Vec<String> = cluster.events_for("StatefulSet", "web").map(|e| e.message.clone()).collect();
    assert!(!messages.iter().any(|m| m.starts_with("create Claim data-web-0")), "{messages:?}");
    assert!(messages.contains(&"create Claim data-web-1 Pod web-1 in StatefulSet web success".to_string()));
    assert_eq!(cluster.store().claims["data-web-1"].requested_storage().as_deref(), Some("1Gi"));
}

#[test]
fn rule_4_12_a_claim_still_owned_by_the_previous_pod_holds_back_its_successor() {
    // §4.12: with whenScaled: Delete, a claim carrying an ownerRef to an earlier pod of
    // the same name blocks creating that pod until the GC has removed the claim. The
    // simulated GC is instant, so the pass is asked directly about such a claim.
    let manifest = with_spec(DEFAULT_MANIFEST, "  persistentVolumeClaimRetentionPolicy:\n    whenScaled: Delete\n");
    let mut cluster = started(&manifest, 5, 3);
    cluster.scale("web", 2).unwrap();
    settle(&mut cluster, 2);
    let store = cluster.store();
    let mut set = store.stateful_sets["web"].clone();
    set.spec.replicas = Some(3);
    let mut members = Members::default();
    members.catch_up(&set, &store.pods, &store.claims);
    let stale_owner = OwnerReference {
        api_version: "v1".into(),
        kind: "Pod".into(),
        name: "web-2".into(),
        uid: "uid-of-the-old-web-2".into(),
        controller: true,
        block_owner_deletion: true,
    };
    let pass = |claim: &dyn Fn(&str) -> ClaimState| {
        let state = SetState {
            set: &set,
            members: &members,
            revisions: store.revisions_of(&set).collect(),
            claim,
            any_claim_owned: true,
            now: cluster.now(),
        };
        reconcile(&state)
    };
    let creates = |changes: &[Change]| {
        changes.iter().any(|c| matches!(c, Change::CreatePod(p) if p.metadata.name == "web-2"))
            || changes.iter().any(|c| matches!(c, Change::CreateClaim(_)))
    };
    let stale = |name: &str| match name {
        "data-web-2" => ClaimState::Present { owner: Some(stale_owner.clone()) },
        _ => ClaimState::Present { owner: None },
    };
    assert!(!creates(&pass(&stale)), "the pass skips web-2 while the stale claim exists");
    let gone =
        |name: &str| if name == "data-web-2" { ClaimState::Missing } else { ClaimState::Present { owner: None } };
    let changes = pass(&gone);
    assert!(changes.iter().any(|c| matches!(c, Change::CreateClaim(c) if c.metadata.name == "data-web-2")));
    assert!(changes.iter().any(|c| matches!(c, Change::CreatePod(p) if p.metadata.name == "web-2")));
}

#[test]
fn rule_9_5_status_counts_stay_within_their_bounds_through_scaling_and_a_rollout() {
    // §9.5: counts ≥ 0; ready/current/updated/available ≤ replicas; available ≤ ready;
    // collisionCount never decreases. Checked after every step of a busy story.
    let manifest = with_spec(DEFAULT_MANIFEST, "  minReadySeconds: 3\n");
    let mut cluster = sts_playground::cli::new_cluster(5);
    cluster.apply_text(&manifest).unwrap();
    let mut collisions = 0;
    let mut check = |cluster: &Cluster| {
        let s = &cluster.store().stateful_sets["web"].status;
        let counts = [s.replicas, s.ready_replicas, s.current_replicas, s.updated_replicas, s.available_replicas];
        assert!(counts.iter().all(|n| *n >= 0), "{s:?}");
        assert!(counts[1..].iter().all(|n| *n <= s.replicas), "{s:?}");
        assert!(s.available_replicas <= s.ready_replicas, "{s:?}");
        assert!(s.collision_count >= collisions, "{s:?}");
        collisions = s.collision_count;
    };
    let mut steps = 0;
    let mut run = |cluster: &mut Cluster, minutes: u64| {
        let until = cluster.now() + minutes * MINUTE;
        while cluster.now() < until && cluster.step() {
            check(cluster);
            steps += 1;
        }
    };
    run(&mut cluster, 2);
    cluster.apply_text(&manifest.edited("visits:1.0", "visits:2.0").edited("replicas: 3", "replicas: 5")).unwrap();
    run(&mut cluster, 3);
    cluster.delete_pod("web-3", None);
    cluster.scale("web", 2).unwrap();
    run(&mut cluster, 3);
    assert!(steps > 20, "the story took {steps} steps");
    let status = &cluster.store().stateful_sets["web"].status;
    assert_eq!((status.replicas, status.ready_replicas, status.available_replicas), (2, 2, 2));
    assert!(cluster.store().pods.values().all(|p| p.spec.containers[0].image.ends_with(":2.0")), "the rollout ran");
}

/// §4.6: a claim template the claim's validation refuses (no access mode): the claim
/// and then its pod fail to be created, and both FailedCreate events point at the
/// template's field, so the editor can show the line (`spec.volumeClaimTemplates[0]…`).
#[test]
fn rule_4_6_a_refused_claim_template_names_its_field_in_the_set() {
    let mut cluster = sts_playground::cli::new_cluster(5);
    let manifest = DEFAULT_MANIFEST.edited("        accessModes: [\"ReadWriteOnce\"]\n", "");
    cluster.apply_text(&manifest).unwrap();
    cluster.advance(10 * SECOND);
    assert!(cluster.store().pods.is_empty(), "web-0 waits for its claim");
    let failed: Vec<_> = cluster.events_for("StatefulSet", "web").filter(|e| e.reason == "FailedCreate").collect();
    assert_eq!(failed.len(), 2, "the claim's and the pod's");
    assert!(failed[0].message.starts_with("create Claim data-web-0 for Pod web-0 in StatefulSet web failed error: The PersistentVolumeClaim \"data-web-0\" is invalid: spec.accessModes: Required value"), "{}", failed[0].message);
    for event in failed {
        assert_eq!(event.cause_field.as_deref(), Some("spec.volumeClaimTemplates[0].spec.accessModes"));
    }
}
