//! A pod's own life: its phase, probe defaults, and which files survive a
//! container restart or the pod's replacement (reference §4.13, §5.1, §5.5).

use sts_playground::cli::Terminal;
use sts_playground::core::cluster::Cluster;
use sts_playground::core::time::{MINUTE, SECOND};
use sts_playground::session::samples::DEFAULT_MANIFEST;

mod common;
use common::{settle, Edited};

fn one_replica(manifest: &str) -> String {
    manifest.edited("replicas: 3", "replicas: 1")
}

fn web0(cluster: &Cluster) -> &sts_playground::core::api::Pod {
    &cluster.store().pods["web-0"]
}

#[test]
fn rule_5_1_pending_until_the_container_starts_then_running_even_while_crash_looping() {
    let mut cluster = sts_playground::cli::new_cluster(9);
    cluster.apply_text(&one_replica(&DEFAULT_MANIFEST.edited("visits:1.0", "visits:crash"))).unwrap();
    let mut phases_before_start = Vec::new();
    let mut phases_after_start = std::collections::BTreeSet::new();
    let mut states_after_start = std::collections::BTreeSet::new();
    let until = cluster.now() + 5 * MINUTE;
    while cluster.now() < until && cluster.step() {
        let Some(pod) = cluster.store().pods.get("web-0") else { continue };
        let status = pod.status.container_statuses.first();
        let started =
            status.is_some_and(|s| s.restart_count > 0 || s.state.running.is_some() || s.state.terminated.is_some());
        if started || !phases_after_start.is_empty() {
            phases_after_start.insert(pod.status.phase.clone());
            let state = status.map(|s| {
                if s.state.running.is_some() {
                    "running".to_string()
                } else if s.state.terminated.is_some() {
                    "terminated".to_string()
                } else {
                    s.state.waiting.as_ref().map_or("waiting".into(), |w| w.reason.clone())
                }
            });
            states_after_start.extend(state);
        } else {
            phases_before_start.push(pod.status.phase.clone());
        }
    }
    assert!(
        !phases_before_start.is_empty() && phases_before_start.iter().all(|p| p == "Pending"),
        "{phases_before_start:?}"
    );
    // Crashed, waiting to restart, or running again: the pod stays Running (restartPolicy Always).
    assert_eq!(phases_after_start.into_iter().collect::<Vec<_>>(), ["Running"]);
    assert!(states_after_start.contains("CrashLoopBackOff"), "{states_after_start:?}");
    assert!(web0(&cluster).status.container_statuses[0].restart_count >= 3);
}

#[test]
fn rule_5_5_probe_fields_default_to_0_1_10_1_3_and_http_get_to_slash_over_http() {
    let manifest = one_replica(&DEFAULT_MANIFEST.edited(
        "          env:\n",
        "          livenessProbe:\n            httpGet:\n              port: 8080\n          readinessProbe:\n            exec:\n              command: [\"cat\", \"/tmp/ready\"]\n          env:\n",
    ));
    let mut cluster = sts_playground::cli::new_cluster(9);
    cluster.apply_text(&manifest).unwrap();
    let container = &cluster.store().stateful_sets["web"].spec.template.spec.containers[0];
    for probe in [container.liveness_probe.as_ref().unwrap(), container.readiness_probe.as_ref().unwrap()] {
        let fields = (
            probe.initial_delay_seconds,
            probe.timeout_seconds,
            probe.period_seconds,
            probe.success_threshold,
            probe.failure_threshold,
        );
        assert_eq!(fields, (Some(0), Some(1), Some(10), Some(1), Some(3)));
    }
    let http = container.liveness_probe.as_ref().unwrap().http_get.as_ref().unwrap();
    assert_eq!((http.path.as_deref(), http.scheme.as_deref()), (Some("/"), Some("HTTP")));
    let mut terminal = Terminal::new();
    let yaml = terminal.run(&mut cluster, "kubectl get pod web-0 -o yaml").stdout();
    assert!(yaml.contains("        path: /\n") && yaml.contains("        scheme: HTTP\n"), "{yaml}");
    // The defaults at work: the readiness probe (never passing) fails every 10 s.
    assert!(cluster.run_until_condition(MINUTE, |c| c.store().pods["web-0"].status.phase == "Running"));
    let failures = |c: &Cluster| c.events_for("Pod", "web-0").find(|e| e.reason == "Unhealthy").map_or(0, |e| e.count);
    let before = failures(&cluster);
    cluster.advance(100 * SECOND);
    let probed = failures(&cluster) - before;
    assert!((9..=11).contains(&probed), "{probed} failures in 100 s");
    assert!(!web0(&cluster).is_running_and_ready());
    assert_eq!(web0(&cluster).status.container_statuses[0].restart_count, 0, "the liveness probe on / passes");
}

#[test]
fn rule_4_13_container_layer_dies_with_the_container_empty_dir_with_the_pod_and_the_claim_lives_on() {
    // A liveness probe on a file in the emptyDir lets the test restart the container at will.
    let manifest = one_replica(
        &DEFAULT_MANIFEST
            .edited("          volumeMounts:\n", "          livenessProbe:\n            exec:\n              command: [\"cat\", \"/cache/alive\"]\n            periodSeconds: 2\n            failureThreshold: 1\n          volumeMounts:\n            - name: cache\n              mountPath: /cache\n")
            .edited("      containers:\n", "      volumes:\n        - name: cache\n          emptyDir: {}\n      containers:\n"),
    );
    let mut cluster = sts_playground::cli::new_cluster(9);
    cluster.apply_text(&manifest).unwrap();
    assert!(cluster.run_until_condition(MINUTE, |c| c.store().pods.get("web-0").is_some_and(|p| p
        .status
        .container_statuses
        .first()
        .is_some_and(|s| s.state.running.is_some()))));
    for (path, text) in
        [("/cache/alive", "y"), ("/tmp/layer", "container"), ("/cache/keep", "emptyDir"), ("/data/keep", "claim")]
    {
        cluster.write_file("web-0", None, path, text.to_string()).unwrap();
    }
    cluster.advance(20 * SECOND);
    assert_eq!(web0(&cluster).status.container_statuses[0].restart_count, 0);
    let uid = web0(&cluster).metadata.uid.clone();

    // Container restart: the container layer is new, the emptyDir and the claim are kept.
    cluster.remove_file("web-0", None, "/cache/alive").unwrap();
    assert!(cluster
        .run_until_condition(MINUTE, |c| c.store().pods["web-0"].status.container_statuses[0].restart_count == 1));
    cluster.write_file("web-0", None, "/cache/alive", "y".into()).unwrap();
    assert_eq!(web0(&cluster).metadata.uid, uid, "the same pod");
    assert_eq!(cluster.read_file("web-0", None, "/tmp/layer"), None);
    assert_eq!(cluster.read_file("web-0", None, "/cache/keep").as_deref(), Some("emptyDir"));
    assert_eq!(cluster.read_file("web-0", None, "/data/keep").as_deref(), Some("claim"));

    // Pod replaced: the emptyDir goes with the old pod, the claim comes back.
    cluster.delete_pod("web-0", None);
    assert!(cluster.run_until_condition(MINUTE, |c| c.store().pods.get("web-0").is_some_and(|p| p.metadata.uid
        != uid
        && p.status.container_statuses.first().is_some_and(|s| s.state.running.is_some()))));
    cluster.write_file("web-0", None, "/cache/alive", "y".into()).unwrap();
    assert_eq!(cluster.read_file("web-0", None, "/cache/keep"), None);
    assert_eq!(cluster.read_file("web-0", None, "/data/keep").as_deref(), Some("claim"));
    settle(&mut cluster, 1);
}
