//! The engine, rule by rule: each test is a short story a learner could act out
//! on minikube, named after the reference rule it checks
//! (`../shared/reference/statefulset-behavior.md`).

use sts_playground::core::api::*;
use sts_playground::core::cluster::Cluster;
use sts_playground::core::time::{MINUTE, SECOND};
use sts_playground::session::samples::DEFAULT_MANIFEST;

fn cluster_with(manifest: &str) -> Cluster {
    let mut cluster = sts_playground::cli::new_cluster(1);
    cluster.apply_text(manifest).expect("manifest applies");
    cluster
}

fn pod_names(cluster: &Cluster) -> Vec<String> {
    cluster.store().pods.keys().cloned().collect()
}

fn pod<'a>(cluster: &'a Cluster, name: &str) -> &'a Pod {
    cluster.store().pods.get(name).unwrap_or_else(|| panic!("pod {name} exists"))
}

fn ready(cluster: &Cluster, name: &str) -> bool {
    cluster.store().pods.get(name).is_some_and(|p| p.is_running_and_ready() && !p.metadata.is_terminating())
}

mod common;
#[allow(unused_imports)]
use common::Edited;
use common::{all_ready, settle, settle_touching, with_exec_readiness};

fn with_replicas(manifest: &str, replicas: i64) -> String {
    manifest.edited("replicas: 3", &format!("replicas: {replicas}"))
}

fn parallel(manifest: &str) -> String {
    manifest.edited("  serviceName: visits\n", "  serviceName: visits\n  podManagementPolicy: Parallel\n")
}

fn set_messages(cluster: &Cluster) -> Vec<String> {
    cluster.events_for("StatefulSet", "web").map(|e| e.message.clone()).collect()
}

#[test]
fn rule_2_4_ordered_ready_creates_one_pod_at_a_time_each_after_the_previous_is_ready() {
    let mut cluster = cluster_with(DEFAULT_MANIFEST);
    assert_eq!(pod_names(&cluster), ["web-0"], "only web-0 is created at first");
    let mut order = Vec::new();
    for _ in 0..200 {
        for name in pod_names(&cluster) {
            if !order.contains(&name) {
                // When web-N appears, every lower ordinal is already Running and Ready.
                let ordinal: usize = name.trim_start_matches("web-").parse().unwrap();
                for lower in 0..ordinal {
                    assert!(ready(&cluster, &format!("web-{lower}")), "web-{lower} ready before {name} exists");
                }
                order.push(name);
            }
        }
        if !cluster.step() {
            break;
        }
    }
    assert_eq!(order, ["web-0", "web-1", "web-2"]);
    assert!(all_ready(&cluster, 3));
    assert_eq!(cluster.store().stateful_sets["web"].status.ready_replicas, 3);
}

#[test]
fn rule_1_8_and_4_1_each_pod_gets_its_own_claim_created_before_it() {
    let mut cluster = cluster_with(DEFAULT_MANIFEST);
    settle(&mut cluster, 3);
    let claims: Vec<_> = cluster.store().claims.keys().cloned().collect();
    assert_eq!(claims, ["data-web-0", "data-web-1", "data-web-2"]);
    for claim in cluster.store().claims.values() {
        assert_eq!(claim.status.phase, "Bound");
        assert!(claim.spec.volume_name.as_deref().unwrap().starts_with("pvc-"));
        assert_eq!(claim.metadata.labels.get("app").map(String::as_str), Some("visits"), "selector labels are copied");
    }
    let messages = set_messages(&cluster);
    let claim_event =
        messages.iter().position(|m| m == "create Claim data-web-0 Pod web-0 in StatefulSet web success").unwrap();
    let pod_event = messages.iter().position(|m| m == "create Pod web-0 in StatefulSet web successful").unwrap();
    assert!(claim_event < pod_event, "§2.14: the claim event comes first, and says \"success\"");
}

#[test]
fn rule_1_5_pods_carry_their_identity() {
    let mut cluster = cluster_with(DEFAULT_MANIFEST);
    settle(&mut cluster, 3);
    let web1 = pod(&cluster, "web-1");
    assert_eq!(web1.spec.hostname.as_deref(), Some("web-1"));
    assert_eq!(web1.spec.subdomain.as_deref(), Some("visits"));
    assert_eq!(web1.metadata.labels[POD_NAME_LABEL], "web-1");
    assert_eq!(web1.metadata.labels[POD_INDEX_LABEL], "1");
    let revision = &web1.metadata.labels[CONTROLLER_REVISION_HASH];
    assert!(revision.starts_with("web-") && revision.len() > 10, "revision label {revision} names the set");
    assert!(revision[4..].chars().all(|c| "bcdfghjklmnpqrstvwxz2456789".contains(c)), "§3.2 alphabet: {revision}");
    let owner = web1.metadata.controller().unwrap();
    assert_eq!((owner.kind.as_str(), owner.name.as_str()), ("StatefulSet", "web"));
    let claim_volume = web1.spec.volumes.iter().find(|v| v.name == "data").unwrap();
    assert_eq!(claim_volume.persistent_volume_claim.as_ref().unwrap().claim_name, "data-web-1");
}

#[test]
fn rule_2_5_parallel_creates_every_pod_at_once() {
    let cluster = cluster_with(&parallel(DEFAULT_MANIFEST));
    assert_eq!(pod_names(&cluster), ["web-0", "web-1", "web-2"]);
}

#[test]
fn rule_2_6_scale_down_removes_one_pod_at_a_time_highest_first() {
    let mut cluster = cluster_with(&with_replicas(DEFAULT_MANIFEST, 5));
    settle(&mut cluster, 5);
    cluster.scale("web", 2).unwrap();
    let mut removed = Vec::new();
    let mut terminating_at_once = 0;
    for _ in 0..500 {
        let terminating = cluster.store().pods.values().filter(|p| p.metadata.is_terminating()).count();
        terminating_at_once = terminating_at_once.max(terminating);
        for gone in ["web-4", "web-3", "web-2"] {
            if !cluster.store().pods.contains_key(gone) && !removed.contains(&gone) {
                removed.push(gone);
            }
        }
        if !cluster.step() {
            break;
        }
    }
    assert_eq!(removed, ["web-4", "web-3", "web-2"]);
    assert_eq!(terminating_at_once, 1, "OrderedReady waits for each pod to be gone");
    assert_eq!(pod_names(&cluster), ["web-0", "web-1"]);
}

#[test]
fn rule_2_6_parallel_scale_down_deletes_all_condemned_pods_together() {
    let mut cluster = cluster_with(&parallel(&with_replicas(DEFAULT_MANIFEST, 4)));
    settle(&mut cluster, 4);
    cluster.scale("web", 1).unwrap();
    let terminating: Vec<_> =
        cluster.store().pods.values().filter(|p| p.metadata.is_terminating()).map(|p| p.name().to_string()).collect();
    assert_eq!(terminating, ["web-1", "web-2", "web-3"]);
}

#[test]
fn rule_4_9_scale_down_keeps_claims_and_scale_up_reattaches_them() {
    let mut cluster = cluster_with(DEFAULT_MANIFEST);
    settle(&mut cluster, 3);
    let volume_of_web2 = cluster.store().claims["data-web-2"].spec.volume_name.clone();
    cluster.scale("web", 1).unwrap();
    settle(&mut cluster, 1);
    assert_eq!(cluster.store().claims.len(), 3, "claims of removed pods stay");
    cluster.scale("web", 3).unwrap();
    settle(&mut cluster, 3);
    assert_eq!(cluster.store().claims["data-web-2"].spec.volume_name, volume_of_web2, "same volume, same data");
    assert_eq!(cluster.store().claims.len(), 3);
}

#[test]
fn rule_2_10_a_deleted_pod_comes_back_with_its_name_and_claim_but_a_new_ip() {
    let mut cluster = cluster_with(DEFAULT_MANIFEST);
    settle(&mut cluster, 3);
    let old = pod(&cluster, "web-1").clone();
    assert!(cluster.delete_pod("web-1", None));
    assert_eq!(pod(&cluster, "web-1").metadata.deletion_timestamp, Some(cluster.now()), "Terminating first");
    settle(&mut cluster, 3);
    let new = pod(&cluster, "web-1");
    assert_ne!(new.metadata.uid, old.metadata.uid);
    assert_ne!(new.status.pod_ip, old.status.pod_ip, "§1.10: the IP changes");
    assert_eq!(new.spec.volumes, old.spec.volumes, "same claim");
    let pulls: Vec<_> =
        cluster.events_for("Pod", "web-1").filter(|e| e.reason == "Pulled").map(|e| e.message.clone()).collect();
    assert!(pulls.last().unwrap().ends_with("already present on machine"), "§5.10 second pull: {pulls:?}");
}

#[test]
fn rule_3_5_a_rolling_update_replaces_pods_from_the_highest_ordinal_down() {
    let mut cluster = cluster_with(DEFAULT_MANIFEST);
    settle(&mut cluster, 3);
    let old_revision = cluster.store().stateful_sets["web"].status.current_revision.clone();
    cluster.apply_text(&DEFAULT_MANIFEST.edited("visits:1.0", "visits:2.0")).unwrap();
    let update_revision = cluster.store().stateful_sets["web"].status.update_revision.clone();
    assert_ne!(old_revision, update_revision);
    let mut deleted_order = Vec::new();
    for _ in 0..500 {
        for p in cluster.store().pods.values() {
            if p.metadata.is_terminating() && !deleted_order.contains(&p.name().to_string()) {
                deleted_order.push(p.name().to_string());
            }
        }
        if !cluster.step() {
            break;
        }
    }
    assert_eq!(deleted_order, ["web-2", "web-1", "web-0"]);
    let set = &cluster.store().stateful_sets["web"];
    assert_eq!(set.status.current_revision, update_revision, "§2.13 completion moves currentRevision");
    assert_eq!(set.status.updated_replicas, 3);
    assert!(cluster.store().pods.values().all(|p| p.spec.containers[0].image.ends_with("visits:2.0")));
}

#[test]
fn rule_3_6_a_partition_keeps_lower_ordinals_on_the_old_template() {
    let manifest = DEFAULT_MANIFEST.edited(
        "  serviceName: visits\n",
        "  serviceName: visits\n  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate:\n      partition: 2\n",
    );
    let mut cluster = cluster_with(&manifest);
    settle(&mut cluster, 3);
    cluster.apply_text(&manifest.edited("visits:1.0", "visits:2.0")).unwrap();
    cluster.advance(3 * MINUTE);
    let image = |c: &Cluster, n: &str| pod(c, n).spec.containers[0].image.clone();
    assert!(image(&cluster, "web-2").ends_with(":2.0"), "the canary is updated");
    assert!(image(&cluster, "web-1").ends_with(":1.0"));
    // Deleting a pod below the partition brings it back on the old template.
    cluster.delete_pod("web-0", None);
    settle(&mut cluster, 3);
    assert!(image(&cluster, "web-0").ends_with(":1.0"));
    assert_eq!(cluster.store().stateful_sets["web"].status.updated_replicas, 1);
    // Lowering the partition continues the rollout.
    cluster.apply_text(&manifest.edited("visits:1.0", "visits:2.0").edited("partition: 2", "partition: 0")).unwrap();
    cluster.advance(5 * MINUTE);
    assert!(["web-0", "web-1", "web-2"].iter().all(|n| image(&cluster, n).ends_with(":2.0")));
}

#[test]
fn rule_3_8_on_delete_updates_a_pod_only_when_it_is_deleted() {
    let manifest = DEFAULT_MANIFEST
        .edited("  serviceName: visits\n", "  serviceName: visits\n  updateStrategy:\n    type: OnDelete\n");
    let mut cluster = cluster_with(&manifest);
    settle(&mut cluster, 3);
    cluster.apply_text(&manifest.edited("visits:1.0", "visits:2.0")).unwrap();
    cluster.advance(3 * MINUTE);
    assert!(
        cluster.store().pods.values().all(|p| p.spec.containers[0].image.ends_with(":1.0")),
        "nothing restarts by itself"
    );
    cluster.delete_pod("web-1", None);
    settle(&mut cluster, 3);
    assert!(pod(&cluster, "web-1").spec.containers[0].image.ends_with(":2.0"));
    let status = &cluster.store().stateful_sets["web"].status;
    assert_ne!(status.current_revision, status.update_revision, "§2.13: with OnDelete currentRevision never advances");
}

#[test]
fn rule_3_9_a_broken_image_blocks_the_rollout_and_reverting_alone_does_not_unstick_it() {
    let mut cluster = cluster_with(DEFAULT_MANIFEST);
    settle(&mut cluster, 3);
    cluster.apply_text(&DEFAULT_MANIFEST.edited("visits:1.0", "visits:missing")).unwrap();
    cluster.advance(5 * MINUTE);
    let web2 = pod(&cluster, "web-2");
    assert!(web2.spec.containers[0].image.ends_with(":missing"));
    let waiting = web2.status.container_statuses[0].state.waiting.as_ref().map(|w| w.reason.clone());
    assert_eq!(waiting.as_deref(), Some("ImagePullBackOff"));
    assert!(
        ready(&cluster, "web-1") && pod(&cluster, "web-1").spec.containers[0].image.ends_with(":1.0"),
        "web-1 is never touched"
    );
    // Revert the template: web-2 stays broken.
    cluster.apply_text(DEFAULT_MANIFEST).unwrap();
    cluster.advance(5 * MINUTE);
    assert!(pod(&cluster, "web-2").spec.containers[0].image.ends_with(":missing"), "revert alone is not enough");
    // Delete the broken pod: it comes back on the reverted template and the set is whole again.
    cluster.delete_pod("web-2", None);
    settle(&mut cluster, 3);
    assert!(pod(&cluster, "web-2").spec.containers[0].image.ends_with(":1.0"));
}

#[test]
fn rule_3_3_returning_to_an_old_template_renumbers_its_revision() {
    let mut cluster = cluster_with(DEFAULT_MANIFEST);
    settle(&mut cluster, 3);
    cluster.apply_text(&DEFAULT_MANIFEST.edited("visits:1.0", "visits:2.0")).unwrap();
    cluster.advance(5 * MINUTE);
    cluster.apply_text(DEFAULT_MANIFEST).unwrap();
    cluster.advance(5 * MINUTE);
    let mut revisions: Vec<_> =
        cluster.store().revisions.values().map(|r| (r.revision, r.data.spec.containers[0].image.clone())).collect();
    revisions.sort();
    assert_eq!(revisions.len(), 2, "no third revision");
    assert_eq!(revisions[0].0, 2);
    assert_eq!(revisions[1].0, 3);
    assert!(revisions[1].1.ends_with(":1.0"));
}

#[test]
fn rule_5_9_a_crash_looping_container_stays_running_waiting_in_crash_loop_back_off() {
    let mut cluster = cluster_with(&with_replicas(&DEFAULT_MANIFEST.edited("visits:1.0", "visits:crash"), 1));
    cluster.advance(3 * MINUTE);
    let web0 = pod(&cluster, "web-0");
    assert_eq!(web0.status.phase, "Running", "§5.1: a crash-looping pod stays Running");
    let status = &web0.status.container_statuses[0];
    assert!(status.restart_count >= 4, "restarts {}", status.restart_count);
    assert_eq!(status.state.waiting.as_ref().map(|w| w.reason.as_str()), Some("CrashLoopBackOff"));
    assert_eq!(status.last_state.terminated.as_ref().map(|t| t.exit_code), Some(1));
    assert!(cluster.events_for("Pod", "web-0").any(|e| e.reason == "BackOff"
        && e.message.starts_with("Back-off restarting failed container visits in pod web-0_default(")));
    assert_eq!(cluster.store().pods.len(), 1, "OrderedReady: web-1 is never created");
}

#[test]
fn rule_9_3_a_selector_that_does_not_match_the_labels_is_refused_with_its_position() {
    let mut cluster = sts_playground::cli::new_cluster(1);
    let broken = DEFAULT_MANIFEST.edited("      labels:\n        app: visits", "      labels:\n        app: other");
    let error = cluster.apply_text(&broken).unwrap_err();
    assert_eq!(
        error.message,
        "The StatefulSet \"web\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`"
    );
    let position = error.position.unwrap();
    assert_eq!((position.line, position.column), (27, 7), "points at template labels");
    assert!(cluster.store().services.get("visits").is_none(), "apply is atomic: the valid Service was not created");
}

#[test]
fn rule_9_3_negative_replicas_and_a_bad_policy_are_listed_together() {
    let mut cluster = sts_playground::cli::new_cluster(1);
    let broken = DEFAULT_MANIFEST
        .edited("replicas: 3", "replicas: -1")
        .edited("  serviceName: visits\n", "  serviceName: visits\n  podManagementPolicy: Foo\n");
    let error = cluster.apply_text(&broken).unwrap_err();
    assert_eq!(
        error.message,
        "The StatefulSet \"web\" is invalid: \n* spec.podManagementPolicy: Invalid value: \"Foo\": must be 'OrderedReady' or 'Parallel'\n* spec.replicas: Invalid value: -1: must be greater than or equal to 0"
    );
}

#[test]
fn rule_9_4_changing_a_forbidden_field_is_refused_and_the_cluster_keeps_running() {
    let mut cluster = cluster_with(DEFAULT_MANIFEST);
    settle(&mut cluster, 3);
    let error = cluster.apply_text(&DEFAULT_MANIFEST.edited("storage: 1Gi", "storage: 2Gi")).unwrap_err();
    assert_eq!(
        error.message,
        "The StatefulSet \"web\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"
    );
    assert!(all_ready(&cluster, 3));
}

#[test]
fn rule_9_4_the_editor_dry_run_lists_every_refused_document_and_changes_nothing() {
    // The editor checks the text as the learner types (`kubectl apply --dry-run=server`):
    // against the live cluster, so a forbidden update shows before Apply is pressed.
    let mut cluster = cluster_with(DEFAULT_MANIFEST);
    settle(&mut cluster, 3);
    assert!(cluster.dry_run(DEFAULT_MANIFEST).is_empty(), "the applied text is fine");
    let pods_before = pod_names(&cluster);
    let edited = DEFAULT_MANIFEST.edited("storage: 1Gi", "storage: 2Gi").edited("\n  ports:\n", "\n  portz:\n");
    let errors = cluster.dry_run(&edited);
    let lines: Vec<usize> = errors.iter().filter_map(|e| e.position.map(|p| p.line)).collect();
    assert_eq!(
        errors.len(),
        2,
        "both documents are refused: {:?}",
        errors.iter().map(|e| &e.message).collect::<Vec<_>>()
    );
    assert!(errors[1].message.contains("spec: Forbidden: updates to statefulset spec"), "{}", errors[1].message);
    assert!(lines[0] < lines[1], "each error points into its own document: {lines:?}");
    assert_eq!(pod_names(&cluster), pods_before);
    assert_eq!(cluster.store().stateful_sets["web"].metadata.generation, 1, "the set was not touched");
    assert!(errors[0].message.contains("unknown field \"spec.portz\""), "{}", errors[0].message);
    let broken = cluster.dry_run("spec:\n  replicas: [\n");
    assert_eq!(broken.len(), 1);
    assert!(broken[0].message.starts_with("error: error parsing manifest"), "{}", broken[0].message);
}

#[test]
fn rule_8_13_apply_reports_created_configured_and_unchanged() {
    let mut cluster = sts_playground::cli::new_cluster(1);
    let lines: Vec<String> = cluster.apply_text(DEFAULT_MANIFEST).unwrap().iter().map(ToString::to_string).collect();
    assert_eq!(lines, ["service/visits created", "statefulset.apps/web created"]);
    let lines: Vec<String> =
        cluster.apply_text(&with_replicas(DEFAULT_MANIFEST, 4)).unwrap().iter().map(ToString::to_string).collect();
    assert_eq!(lines, ["service/visits unchanged", "statefulset.apps/web configured"]);
}

#[test]
fn unknown_kinds_and_misspelled_fields_get_the_api_servers_errors() {
    let mut cluster = sts_playground::cli::new_cluster(1);
    let error = cluster.apply_text("apiVersion: apps/v1\nkind: Deploymnet\nmetadata:\n  name: x\n").unwrap_err();
    assert!(error.message.contains("no matches for kind \"Deploymnet\" in version \"apps/v1\""), "{}", error.message);
    let error = cluster.apply_text(&DEFAULT_MANIFEST.edited("  replicas: 3", "  replica: 3")).unwrap_err();
    assert!(error.message.ends_with("strict decoding error: unknown field \"spec.replica\""), "{}", error.message);
    assert_eq!(error.position.map(|p| p.line), Some(21), "the line of `replica:`");
}

#[test]
fn rule_4_5_a_mount_of_a_missing_volume_surfaces_as_failed_create_events() {
    let mut cluster = cluster_with(&DEFAULT_MANIFEST.edited(
        "            - name: data\n              mountPath",
        "            - name: www\n              mountPath",
    ));
    cluster.advance(30 * SECOND);
    assert!(cluster.store().pods.is_empty());
    assert!(set_messages(&cluster).iter().any(|m| m
        == "create Pod web-0 in StatefulSet web failed error: Pod \"web-0\" is invalid: spec.containers[0].volumeMounts[0].name: Not found: \"www\""));
}

#[test]
fn rule_4_5_the_failed_create_event_points_at_the_manifest_line_that_caused_it() {
    // The page's Events tab: clicking the event shows the offending line in the editor.
    let manifest = DEFAULT_MANIFEST.edited(
        "            - name: data\n              mountPath",
        "            - name: www\n              mountPath",
    );
    let mut cluster = cluster_with(&manifest);
    cluster.advance(10 * SECOND);
    let snapshot = sts_playground::session::view::view(&cluster);
    let failed = snapshot.events.iter().find(|e| e.reason == "FailedCreate").expect("a FailedCreate event");
    let (kind, name, field) = failed.source.clone().expect("the event knows its source");
    assert_eq!(
        (kind.as_str(), name.as_str(), field.as_str()),
        ("StatefulSet", "web", "spec.template.spec.containers[0].volumeMounts[0].name")
    );
    let position =
        sts_playground::session::edit::position_of(&manifest, &kind, &name, &field).expect("found in the text");
    let line = manifest.lines().nth(position.line - 1).unwrap_or_default();
    assert_eq!(line.trim(), "- name: www", "line {}", position.line);
}

#[test]
fn the_same_seed_and_inputs_give_the_same_cluster() {
    let run = |seed| {
        let mut cluster = sts_playground::cli::new_cluster(seed);
        cluster.apply_text(DEFAULT_MANIFEST).unwrap();
        cluster.advance(2 * MINUTE);
        cluster.delete_pod("web-0", None);
        cluster.advance(MINUTE);
        (cluster.store().clone(), cluster.events().to_vec())
    };
    assert_eq!(run(7), run(7));
    assert_ne!(run(7).0, run(8).0, "a different seed gives other UIDs");
}

#[test]
fn rule_3_5_with_parallel_management_the_update_still_goes_one_pod_at_a_time() {
    let manifest = parallel(DEFAULT_MANIFEST);
    let mut cluster = cluster_with(&manifest);
    settle(&mut cluster, 3);
    cluster.apply_text(&manifest.edited("visits:1.0", "visits:2.0")).unwrap();
    let mut most_terminating = 0;
    for _ in 0..500 {
        most_terminating =
            most_terminating.max(cluster.store().pods.values().filter(|p| p.metadata.is_terminating()).count());
        if !cluster.step() {
            break;
        }
    }
    assert_eq!(most_terminating, 1, "SSC isHealthy: a terminating pod makes the update wait");
    assert!(cluster.store().pods.values().all(|p| p.spec.containers[0].image.ends_with(":2.0")));
}

/// Removes `/tmp/ready` in `pods` and waits until the exec readiness probe has failed
/// `failureThreshold` times in each, so they are Running but not Ready.
fn make_unready(cluster: &mut Cluster, pods: &[&str]) {
    for pod in pods {
        cluster.remove_file(pod, None, "/tmp/ready").expect("the pod exists");
    }
    let unready = |c: &Cluster| {
        pods.iter()
            .all(|p| c.store().pods.get(*p).is_some_and(|p| p.status.phase == "Running" && !p.is_running_and_ready()))
    };
    assert!(cluster.run_until_condition(MINUTE, unready), "{pods:?} became unready");
}

#[test]
fn rule_2_7_scale_down_blocks_forever_when_two_condemned_pods_are_unready() {
    // §2.7 DERIVED edge case: web-4 is unready and is not the first unavailable pod
    // (web-3 is), so OrderedReady scale-down never deletes anything.
    let mut cluster = cluster_with(&with_exec_readiness(&with_replicas(DEFAULT_MANIFEST, 5), 2, 2));
    settle_touching(&mut cluster, 5);
    make_unready(&mut cluster, &["web-3", "web-4"]);
    let deletes_before = set_messages(&cluster).iter().filter(|m| m.starts_with("delete Pod")).count();
    cluster.scale("web", 3).unwrap();
    cluster.advance(30 * MINUTE);
    assert_eq!(pod_names(&cluster), ["web-0", "web-1", "web-2", "web-3", "web-4"]);
    assert!(cluster.store().pods.values().all(|p| !p.metadata.is_terminating()), "nothing is deleted");
    assert_eq!(set_messages(&cluster).iter().filter(|m| m.starts_with("delete Pod")).count(), deletes_before);
    assert_eq!(cluster.store().stateful_sets["web"].status.replicas, 5);
}

#[test]
fn rule_2_7_an_unready_condemned_pod_is_deleted_once_it_is_the_first_unavailable() {
    // §2.7: only web-3 is unready; web-4 (ready) goes first, then web-3, now the first
    // unavailable pod, although it never became ready again.
    let mut cluster = cluster_with(&with_exec_readiness(&with_replicas(DEFAULT_MANIFEST, 5), 2, 2));
    settle_touching(&mut cluster, 5);
    make_unready(&mut cluster, &["web-3"]);
    cluster.scale("web", 3).unwrap();
    let mut deleted = Vec::new();
    for _ in 0..1000 {
        for pod in ["web-4", "web-3"] {
            let started = cluster.store().pods.get(pod).is_none_or(|p| p.metadata.is_terminating());
            if started && !deleted.contains(&pod) {
                deleted.push(pod);
            }
        }
        if deleted.len() == 1 {
            assert!(
                cluster.store().pods.contains_key("web-3") && !cluster.store().pods["web-3"].metadata.is_terminating(),
                "web-3 waits for web-4 to be gone"
            );
        }
        if !cluster.step() {
            break;
        }
    }
    assert_eq!(deleted, ["web-4", "web-3"]);
    assert_eq!(pod_names(&cluster), ["web-0", "web-1", "web-2"]);
    assert!(!cluster.store().pods.values().any(|p| !p.is_running_and_ready()));
}

/// The gaps between a container's end and its next start, in seconds, over `minutes`.
fn restart_gaps(manifest: &str, minutes: u64) -> Vec<u64> {
    let mut cluster = cluster_with(&with_replicas(manifest, 1));
    let mut gaps = Vec::new();
    let mut seen_restarts = 0;
    let until = cluster.now() + minutes * MINUTE;
    while cluster.now() < until && cluster.step() {
        let Some(status) = cluster.store().pods.get("web-0").and_then(|p| p.status.container_statuses.first()) else {
            continue;
        };
        if status.restart_count > seen_restarts {
            seen_restarts = status.restart_count;
            let finished = status.last_state.terminated.as_ref().expect("a restart follows a termination").finished_at;
            let started = status.state.running.as_ref().expect("running again").started_at;
            gaps.push((started - finished) / SECOND);
        }
    }
    gaps
}

#[test]
fn rule_5_9_the_back_off_doubles_from_10s_to_a_300s_cap() {
    let crashing = DEFAULT_MANIFEST.edited("visits:1.0", "visits:crash");
    assert_ne!(crashing, DEFAULT_MANIFEST, "the sample manifest runs visits:1.0");
    let gaps = restart_gaps(&crashing, 20);
    // The first restart after a fresh start comes at the next sync (1 s here), then
    // 10 s doubling to the 300 s cap.
    assert_eq!(gaps[..8], [1, 10, 20, 40, 80, 160, 300, 300], "gaps {gaps:?}");
}

#[test]
fn rule_5_9_the_back_off_resets_after_ten_minutes_of_running() {
    let busybox = |seconds: u64| {
        let manifest = DEFAULT_MANIFEST.edited(
            "          image: ghcr.io/example/visits:1.0\n",
            &format!("          image: busybox:1.36\n          command: [\"sh\", \"-c\", \"sleep {seconds}\"]\n"),
        );
        assert_ne!(manifest, DEFAULT_MANIFEST, "the sample manifest names its image on its own line");
        manifest
    };
    // A container that exits after 30 s keeps backing off: 1, 10, 20 …
    assert_eq!(restart_gaps(&busybox(30), 5)[..3], [1, 10, 20]);
    // One that ran 10 minutes or more before it exited starts again at once each time.
    let gaps = restart_gaps(&busybox(600), 45);
    assert!(gaps.len() >= 3 && gaps.iter().all(|gap| *gap == 1), "gaps {gaps:?}");
}
