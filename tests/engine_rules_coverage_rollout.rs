//! Revisions and `kubectl rollout` as a learner types it: what makes a revision,
//! undo, history, status, restart, and the maxUnavailable field of 1.32
//! (reference §3.1, §3.7, §3.10–§3.13).

use sts_playground::cli::Terminal;
use sts_playground::core::cluster::Cluster;
use sts_playground::core::time::{rfc3339, MINUTE};
use sts_playground::session::samples::DEFAULT_MANIFEST;

mod common;
use common::{settle, started, Edited};

fn with_spec(manifest: &str, extra: &str) -> String {
    manifest.edited("  serviceName: visits\n", &format!("  serviceName: visits\n{extra}"))
}

fn run(terminal: &mut Terminal, cluster: &mut Cluster, line: &str) -> String {
    terminal.run(cluster, line).text()
}

fn images(cluster: &Cluster) -> Vec<String> {
    cluster.store().pods.values().map(|p| p.spec.containers[0].image.rsplit(':').next().unwrap().to_string()).collect()
}

fn revision_numbers(cluster: &Cluster) -> Vec<i64> {
    let mut numbers: Vec<i64> = cluster.store().revisions.values().map(|r| r.revision).collect();
    numbers.sort();
    numbers
}

#[test]
fn rule_3_1_a_revision_holds_the_pod_template_and_only_template_edits_make_one() {
    // §3.1: the ControllerRevision's data is `spec.template`; updateStrategy, retention
    // policy and replicas changes make none, a template label or annotation does.
    let mut cluster = started(DEFAULT_MANIFEST, 6, 3);
    let mut terminal = Terminal::new();
    let set = cluster.store().stateful_sets["web"].clone();
    let only = cluster.store().revisions.values().next().unwrap().clone();
    assert_eq!(only.data, set.spec.template);
    for (command, confirmation) in [
        (
            r#"kubectl patch sts web -p '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":1}}}}'"#,
            "statefulset.apps/web patched\n",
        ),
        (
            r#"kubectl patch sts web -p '{"spec":{"persistentVolumeClaimRetentionPolicy":{"whenScaled":"Delete"}}}'"#,
            "statefulset.apps/web patched\n",
        ),
        ("kubectl scale sts web --replicas=4", "statefulset.apps/web scaled\n"),
    ] {
        assert_eq!(run(&mut terminal, &mut cluster, command), confirmation);
    }
    cluster.advance(MINUTE);
    assert_eq!(revision_numbers(&cluster), [1], "no new revision");
    run(
        &mut terminal,
        &mut cluster,
        "kubectl patch sts web -p '{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"team\":\"blue\"}}}}}'",
    );
    assert_eq!(revision_numbers(&cluster), [1, 2], "a template annotation is a template change");
    let newest = cluster.store().revisions.values().find(|r| r.revision == 2).unwrap();
    assert_eq!(newest.data, cluster.store().stateful_sets["web"].spec.template);
    assert_eq!(newest.data.metadata.annotations.get("team").map(String::as_str), Some("blue"));
}

#[test]
fn rule_3_7_max_unavailable_is_ignored_in_1_32_so_pods_are_replaced_one_at_a_time() {
    // §3.7 / §10: the MaxUnavailableStatefulSet gate is alpha, off by default, in 1.32
    // (beta and on only from 1.35), so the classic §3.5 algorithm runs whatever
    // `maxUnavailable` says: never more than one pod unavailable during the update.
    let manifest = with_spec(
        DEFAULT_MANIFEST,
        "  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxUnavailable: 2\n",
    );
    let mut cluster = started(&manifest, 6, 3);
    cluster.apply_text(&manifest.edited("visits:1.0", "visits:2.0")).expect("the field is accepted");
    let mut most_unavailable = 0;
    for _ in 0..2000 {
        let unavailable = (0..3)
            .filter(|i| {
                let pod = cluster.store().pods.get(&format!("web-{i}"));
                !pod.is_some_and(|p| p.is_running_and_ready() && !p.metadata.is_terminating())
            })
            .count();
        most_unavailable = most_unavailable.max(unavailable);
        if !cluster.step() {
            break;
        }
    }
    assert_eq!(most_unavailable, 1);
    assert_eq!(images(&cluster), ["2.0", "2.0", "2.0"]);
    // And the API server drops the field on write while the gate is off.
    let rolling = cluster.store().stateful_sets["web"].rolling_update().cloned().expect("a rollingUpdate block");
    assert_eq!(rolling.max_unavailable, None, "maxUnavailable is not stored");
}

#[test]
fn rule_3_10_rollout_undo_goes_back_one_revision_and_says_what_it_did() {
    let mut cluster = started(DEFAULT_MANIFEST, 6, 3);
    let mut terminal = Terminal::new();
    assert_eq!(
        run(&mut terminal, &mut cluster, "kubectl rollout undo sts/web"),
        "error: no last revision to roll back to\n"
    );
    run(&mut terminal, &mut cluster, "kubectl set image sts/web visits=ghcr.io/example/visits:2.0");
    cluster.advance(3 * MINUTE);
    assert_eq!(images(&cluster), ["2.0", "2.0", "2.0"]);
    assert_eq!(
        run(&mut terminal, &mut cluster, "kubectl rollout undo sts/web --to-revision=7"),
        "error: unable to find specified revision 7 in history\n"
    );
    assert_eq!(run(&mut terminal, &mut cluster, "kubectl rollout undo sts/web"), "statefulset.apps/web rolled back\n");
    cluster.advance(3 * MINUTE);
    assert_eq!(images(&cluster), ["1.0", "1.0", "1.0"], "the second-highest revision's template");
    assert_eq!(revision_numbers(&cluster), [2, 3], "revision 1 was renumbered 3 (§3.3)");
    assert_eq!(
        run(&mut terminal, &mut cluster, "kubectl rollout undo sts/web --to-revision=3"),
        "statefulset.apps/web skipped rollback (current template already matches revision 3)\n"
    );
}

#[test]
fn rule_3_10_undo_alone_does_not_unstick_a_broken_rollout() {
    // §3.10 with §3.9: the undo reverts the template, but the broken web-2 is never
    // deleted by the stuck OrderedReady controller; deleting it by hand finishes the job.
    let mut cluster = started(DEFAULT_MANIFEST, 6, 3);
    let mut terminal = Terminal::new();
    run(&mut terminal, &mut cluster, "kubectl set image sts/web visits=ghcr.io/example/visits:missing");
    cluster.advance(3 * MINUTE);
    assert_eq!(images(&cluster), ["1.0", "1.0", "missing"]);
    assert_eq!(run(&mut terminal, &mut cluster, "kubectl rollout undo sts/web"), "statefulset.apps/web rolled back\n");
    cluster.advance(5 * MINUTE);
    assert_eq!(images(&cluster), ["1.0", "1.0", "missing"], "web-2 is still the broken pod");
    run(&mut terminal, &mut cluster, "kubectl delete pod web-2");
    settle(&mut cluster, 3);
    assert_eq!(images(&cluster), ["1.0", "1.0", "1.0"]);
}

#[test]
fn rule_3_11_rollout_history_lists_revisions_with_their_change_cause() {
    let mut cluster = started(DEFAULT_MANIFEST, 6, 3);
    let mut terminal = Terminal::new();
    // The set's annotations are copied onto each revision when it is made.
    run(&mut terminal, &mut cluster, "kubectl annotate sts web kubernetes.io/change-cause='image 2.0'");
    run(&mut terminal, &mut cluster, "kubectl set image sts/web visits=ghcr.io/example/visits:2.0");
    cluster.advance(3 * MINUTE);
    assert_eq!(
        run(&mut terminal, &mut cluster, "kubectl rollout history sts/web"),
        "statefulset.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         image 2.0\n\n",
        "the name line ends with a space"
    );
    let second = run(&mut terminal, &mut cluster, "kubectl rollout history sts/web --revision=2");
    assert!(second.starts_with("statefulset.apps/web with revision #2\nPod Template:\n"), "{second}");
    assert!(second.contains("    Image:      ghcr.io/example/visits:2.0\n"), "{second}");
    assert_eq!(
        run(&mut terminal, &mut cluster, "kubectl rollout history sts/web --revision=9"),
        "error: unable to find the specified revision\n"
    );
}

#[test]
fn rule_3_12_rollout_status_reports_readiness_then_the_partitioned_rollout() {
    let mut terminal = Terminal::new();
    let mut cluster = sts_playground::cli::new_cluster(6);
    let partitioned = with_spec(
        DEFAULT_MANIFEST,
        "  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate:\n      partition: 2\n",
    );
    cluster.apply_text(&partitioned).unwrap();
    assert_eq!(
        run(&mut terminal, &mut cluster, "kubectl rollout status sts/web"),
        "Waiting for 3 pods to be ready...\nWaiting for 2 pods to be ready...\nWaiting for 1 pods to be ready...\npartitioned roll out complete: 3 new pods have been updated...\n"
    );
    cluster.apply_text(&partitioned.edited("visits:1.0", "visits:2.0")).unwrap();
    assert_eq!(
        run(&mut terminal, &mut cluster, "kubectl rollout status sts/web"),
        "Waiting for partitioned roll out to finish: 0 out of 1 new pods have been updated...\nWaiting for 1 pods to be ready...\npartitioned roll out complete: 1 new pods have been updated...\n",
        "T = replicas − partition"
    );
    let on_delete = with_spec(DEFAULT_MANIFEST, "  updateStrategy:\n    type: OnDelete\n");
    cluster.apply_text(&on_delete.edited("name: web\n", "name: od\n")).unwrap();
    assert_eq!(
        run(&mut terminal, &mut cluster, "kubectl rollout status sts/od"),
        "error: rollout status is only available for RollingUpdate strategy type\n"
    );
}

#[test]
fn rule_3_12_without_a_rolling_update_block_status_speaks_of_revisions() {
    // `type: RollingUpdate` written without `rollingUpdate` stays without it (§9.6), and
    // kubectl then compares currentRevision with updateRevision.
    let manifest = with_spec(DEFAULT_MANIFEST, "  updateStrategy:\n    type: RollingUpdate\n");
    let mut cluster = started(&manifest, 6, 3);
    let mut terminal = Terminal::new();
    assert!(cluster.store().stateful_sets["web"].rolling_update().is_none());
    let first = cluster.store().stateful_sets["web"].status.current_revision.clone();
    assert_eq!(
        run(&mut terminal, &mut cluster, "kubectl rollout status sts/web"),
        format!("statefulset rolling update complete 3 pods at revision {first}...\n")
    );
    cluster.apply_text(&manifest.edited("visits:1.0", "visits:2.0")).unwrap();
    let update = cluster.store().stateful_sets["web"].status.update_revision.clone();
    assert_ne!(update, first);
    let out = run(&mut terminal, &mut cluster, "kubectl rollout status sts/web");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], format!("waiting for statefulset rolling update to complete 0 pods at revision {update}..."));
    assert_eq!(
        lines.last().copied(),
        Some(&*format!("statefulset rolling update complete 3 pods at revision {update}..."))
    );
}

#[test]
fn rule_3_13_rollout_restart_stamps_the_template_and_rolls_every_pod() {
    let mut cluster = started(DEFAULT_MANIFEST, 6, 3);
    let mut terminal = Terminal::new();
    let uids: Vec<String> = cluster.store().pods.values().map(|p| p.metadata.uid.clone()).collect();
    let at = rfc3339(cluster.now());
    assert_eq!(run(&mut terminal, &mut cluster, "kubectl rollout restart sts/web"), "statefulset.apps/web restarted\n");
    let annotations = &cluster.store().stateful_sets["web"].spec.template.metadata.annotations;
    assert_eq!(annotations.get("kubectl.kubernetes.io/restartedAt"), Some(&at));
    assert_eq!(revision_numbers(&cluster), [1, 2], "a template change, so a new revision");
    cluster.advance(3 * MINUTE);
    settle(&mut cluster, 3);
    let after: Vec<String> = cluster.store().pods.values().map(|p| p.metadata.uid.clone()).collect();
    assert!(uids.iter().zip(&after).all(|(old, new)| old != new), "every pod was replaced");
    assert!(cluster
        .store()
        .pods
        .values()
        .all(|p| p.metadata.annotations.contains_key("kubectl.kubernetes.io/restartedAt")));

    // With OnDelete, the new revision waits for pods to be deleted.
    let on_delete = with_spec(DEFAULT_MANIFEST, "  updateStrategy:\n    type: OnDelete\n");
    let mut cluster = started(&on_delete, 6, 3);
    let uids: Vec<String> = cluster.store().pods.values().map(|p| p.metadata.uid.clone()).collect();
    assert_eq!(run(&mut terminal, &mut cluster, "kubectl rollout restart sts/web"), "statefulset.apps/web restarted\n");
    cluster.advance(3 * MINUTE);
    assert_eq!(revision_numbers(&cluster), [1, 2]);
    assert_eq!(cluster.store().pods.values().map(|p| p.metadata.uid.clone()).collect::<Vec<_>>(), uids);
}
