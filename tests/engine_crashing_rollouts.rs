//! Rolling out an image whose app crashes on start (issue 15 §3; reference §3.9,
//! §5.1, §5.6, §5.9): the app exits before it listens, so the new pod is never
//! Ready, with or without a readiness probe; the rollout sticks at the highest
//! ordinal while the lower ordinals keep serving the old revision.

use sts_playground::cli::Terminal;
use sts_playground::core::cluster::{Client, Cluster};
use sts_playground::core::time::MINUTE;
use sts_playground::session::samples::DEFAULT_MANIFEST;

mod common;
#[allow(unused_imports)]
use common::Edited;

/// `DEFAULT_MANIFEST` with an HTTP readiness probe on `/` (port 8080), before `env:`.
fn with_http_readiness(manifest: &str) -> String {
    let with = manifest.edited(
        "          env:\n",
        "          readinessProbe:\n            httpGet:\n              path: /\n              port: 8080\n            periodSeconds: 2\n          env:\n",
    );
    assert_ne!(with, manifest, "the sample manifest has an env: block to put the probe before");
    with
}

fn crashing(manifest: &str) -> String {
    let crashing = manifest.edited("visits:1.0", "visits:crash");
    assert_ne!(crashing, manifest, "the sample manifest runs visits:1.0");
    crashing
}

fn image_of(cluster: &Cluster, pod: &str) -> String {
    cluster.store().pods[pod].spec.containers[0].image.clone()
}

fn ready(cluster: &Cluster, pod: &str) -> bool {
    cluster.store().pods.get(pod).is_some_and(|p| p.is_running_and_ready())
}

/// Runs a rolling update to the crashing image for five minutes and checks that it
/// stuck at web-2, the highest ordinal, while web-0 and web-1 serve the old image.
fn rollout_sticks_at_the_highest_ordinal(manifest: &str) -> Cluster {
    let mut cluster = common::started(manifest, 7, 3);
    cluster.apply_text(&crashing(manifest)).expect("the update applies");
    let mut web2_ever_ready_on_crash = false;
    let until = cluster.now() + 5 * MINUTE;
    while cluster.now() < until && cluster.step() {
        let on_crash =
            cluster.store().pods.get("web-2").is_some_and(|p| p.spec.containers[0].image.ends_with(":crash"));
        web2_ever_ready_on_crash |= on_crash && ready(&cluster, "web-2");
        assert!(
            ready(&cluster, "web-0") && ready(&cluster, "web-1"),
            "the lower ordinals stay up at {}",
            cluster.now()
        );
    }
    assert!(!web2_ever_ready_on_crash, "an app that crashes before it listens is never Ready");
    assert!(image_of(&cluster, "web-2").ends_with(":crash"), "the highest ordinal took the new revision");
    assert!(image_of(&cluster, "web-1").ends_with(":1.0") && image_of(&cluster, "web-0").ends_with(":1.0"));
    let restarts = cluster.store().pods["web-2"].status.container_statuses[0].restart_count;
    assert!(restarts >= 3, "web-2 keeps crashing and restarting ({restarts})");
    for pod in ["web-0", "web-1"] {
        let host = format!("{pod}.visits");
        assert!(cluster.http_get(&host, 8080, "/", &Client::Host).is_ok(), "{pod} still serves");
    }
    cluster
}

#[test]
fn rule_3_9_a_rolling_update_to_a_crashing_image_sticks_at_the_highest_ordinal() {
    rollout_sticks_at_the_highest_ordinal(DEFAULT_MANIFEST);
}

#[test]
fn rule_3_9_it_sticks_the_same_with_a_readiness_probe() {
    rollout_sticks_at_the_highest_ordinal(&with_http_readiness(DEFAULT_MANIFEST));
}

#[test]
fn rule_3_9_rollout_status_waits_and_undo_plus_deleting_the_stuck_pod_recovers() {
    let mut cluster = rollout_sticks_at_the_highest_ordinal(DEFAULT_MANIFEST);
    let mut terminal = Terminal::new();
    let status = terminal.run(&mut cluster, "kubectl rollout status sts/web --timeout=30s").text();
    assert!(
        status.contains("Waiting for 1 pods to be ready...")
            && status.contains("error: timed out waiting for the condition"),
        "rollout status reports the wait: {status}"
    );
    let undo = terminal.run(&mut cluster, "kubectl rollout undo sts/web").text();
    assert_eq!(undo, "statefulset.apps/web rolled back\n");
    cluster.advance(2 * MINUTE);
    // §3.9: reverting the template is not enough with OrderedReady.
    assert!(image_of(&cluster, "web-2").ends_with(":crash"), "the broken pod stays until deleted");
    terminal.run(&mut cluster, "kubectl delete pod web-2");
    assert!(cluster.run_until_condition(2 * MINUTE, |c| common::all_ready(c, 3)), "the set recovers");
    assert!(["web-0", "web-1", "web-2"].iter().all(|p| image_of(&cluster, p).ends_with(":1.0")));
}

#[test]
fn rule_3_6_a_partitioned_update_to_a_crashing_image_breaks_only_the_partition() {
    let partitioned = DEFAULT_MANIFEST.edited(
        "  replicas: 3\n",
        "  replicas: 3\n  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate:\n      partition: 2\n",
    );
    assert_ne!(partitioned, DEFAULT_MANIFEST, "the sample manifest has replicas: 3");
    rollout_sticks_at_the_highest_ordinal(&partitioned);
}

#[test]
fn rule_3_8_on_delete_leaves_every_pod_until_one_is_deleted_then_only_that_one_breaks() {
    let on_delete =
        DEFAULT_MANIFEST.edited("  replicas: 3\n", "  replicas: 3\n  updateStrategy:\n    type: OnDelete\n");
    assert_ne!(on_delete, DEFAULT_MANIFEST, "the sample manifest has replicas: 3");
    let mut cluster = common::started(&on_delete, 7, 3);
    cluster.apply_text(&crashing(&on_delete)).expect("the update applies");
    cluster.advance(2 * MINUTE);
    assert!(["web-0", "web-1", "web-2"].iter().all(|p| image_of(&cluster, p).ends_with(":1.0") && ready(&cluster, p)));
    cluster.delete_pod("web-1", None);
    cluster.advance(3 * MINUTE);
    assert!(image_of(&cluster, "web-1").ends_with(":crash") && !ready(&cluster, "web-1"));
    assert!(ready(&cluster, "web-0") && ready(&cluster, "web-2"), "the others are untouched");
}
