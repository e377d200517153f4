//! Per-pod storage, DNS and Services, as a learner checks them with curl,
//! `cat /data/visits` and nslookup (reference §4, §6, §7).

use sts_playground::cli::Terminal;
use sts_playground::core::cluster::{Client, Cluster, RequestError};
use sts_playground::core::controllers::endpoints;
use sts_playground::core::network::dns::Miss;
use sts_playground::core::time::{MINUTE, SECOND};
use sts_playground::session::samples::DEFAULT_MANIFEST;

mod common;
#[allow(unused_imports)]
use common::Edited;

fn running(manifest: &str, pods: usize) -> Cluster {
    common::started(manifest, 3, pods)
}

fn visit(cluster: &mut Cluster, host: &str) -> String {
    let response = cluster.http_get(host, 8080, "/", &Client::Host).expect("an answer");
    assert_eq!(response.status, 200);
    response.body.lines().find(|l| l.contains("Visits:")).unwrap().to_string()
}

const CLUSTER_IP_SERVICE: &str = "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web-lb\nspec:\n  selector:\n    app: visits\n  ports:\n    - port: 80\n      targetPort: http\n";

#[test]
fn rule_4_8_a_pods_visit_count_survives_its_deletion() {
    let mut cluster = running(DEFAULT_MANIFEST, 3);
    visit(&mut cluster, "web-0.visits");
    assert_eq!(visit(&mut cluster, "web-0.visits"), "<p>Visits: 2</p></body></html>");
    assert_eq!(
        cluster.read_file("web-0", None, "/data/visits").as_deref(),
        Some("2"),
        "kubectl exec web-0 -- cat /data/visits (no trailing newline, as the seeds show)"
    );
    assert_eq!(cluster.read_file("web-1", None, "/data/visits"), None, "each pod has its own volume");
    cluster.delete_pod("web-0", None);
    assert!(cluster.run_until_condition(2 * MINUTE, |c| c
        .store()
        .pods
        .get("web-0")
        .is_some_and(|p| p.is_running_and_ready() && !p.metadata.is_terminating())));
    assert_eq!(
        visit(&mut cluster, "web-0.visits"),
        "<p>Visits: 3</p></body></html>",
        "the count continues on the same claim"
    );
}

#[test]
fn issue_files_a_count_written_outside_the_mounted_volume_is_lost_when_the_pod_is_replaced() {
    let manifest = DEFAULT_MANIFEST.edited("value: /data/visits", "value: /tmp/visits");
    let mut cluster = running(&manifest, 3);
    visit(&mut cluster, "web-1.visits");
    visit(&mut cluster, "web-1.visits");
    cluster.delete_pod("web-1", None);
    assert!(cluster.run_until_condition(2 * MINUTE, |c| c
        .store()
        .pods
        .get("web-1")
        .is_some_and(|p| p.is_running_and_ready() && !p.metadata.is_terminating())));
    assert_eq!(visit(&mut cluster, "web-1.visits"), "<p>Visits: 1</p></body></html>", "/tmp is the container layer");
}

#[test]
fn issue_files_the_page_shows_where_each_written_file_lives() {
    // The /tmp pitfall made visible: the count in the container layer, a note on the volume, a cache in an emptyDir.
    let manifest = DEFAULT_MANIFEST
        .edited("value: /data/visits", "value: /tmp/visits")
        .edited(
            "          volumeMounts:\n",
            "          volumeMounts:\n            - name: cache\n              mountPath: /cache\n",
        )
        .edited(
            "      containers:\n",
            "      volumes:\n        - name: cache\n          emptyDir: {}\n      containers:\n",
        );
    let mut cluster = running(&manifest, 3);
    visit(&mut cluster, "web-0.visits");
    let mut terminal = sts_playground::cli::Terminal::new();
    terminal.run(&mut cluster, "kubectl exec web-0 -- sh -c 'echo hi > /data/note; echo x > /cache/tile'");
    let snapshot = sts_playground::session::view::view(&cluster);
    let files = &snapshot.pods.iter().find(|p| p.name == "web-0").expect("web-0").files;
    assert_eq!(
        files.iter().map(|(path, lives)| format!("{path} {lives}")).collect::<Vec<_>>(),
        ["/cache/tile emptyDir", "/data/note volume", "/tmp/visits container"]
    );
}

#[test]
fn rule_5_7_a_pod_card_says_where_its_readiness_probe_stands() {
    let probes = |cluster: &Cluster| {
        sts_playground::session::view::view(cluster).pods.iter().map(|p| p.probes.clone()).collect::<Vec<_>>()
    };
    // No probes at all: ready as soon as the container runs.
    assert_eq!(probes(&running(DEFAULT_MANIFEST, 3)), ["none"; 3]);

    let manifest = common::with_exec_readiness(&DEFAULT_MANIFEST.edited("replicas: 3", "replicas: 1"), 10, 3);
    let mut cluster = sts_playground::cli::new_cluster(3);
    cluster.apply_text(&manifest).unwrap();
    cluster.advance(SECOND);
    assert_eq!(probes(&cluster), ["readiness"], "not running yet: nothing probed");
    assert!(cluster.run_until_condition(MINUTE, |c| c
        .store()
        .pods
        .get("web-0")
        .is_some_and(|p| p.status.phase == "Running")));
    assert_eq!(probes(&cluster), ["readiness not passing"], "no /tmp/ready yet");
    common::settle_touching(&mut cluster, 1);
    assert_eq!(probes(&cluster), ["readiness passing"]);
}

#[test]
fn rule_4_3_deleting_a_claim_then_its_pod_loses_the_data() {
    let mut cluster = running(DEFAULT_MANIFEST, 3);
    visit(&mut cluster, "web-2.visits");
    cluster.delete_claim("data-web-2");
    assert!(
        cluster.store().claims["data-web-2"].metadata.is_terminating(),
        "PVC protection: Terminating while mounted"
    );
    cluster.delete_pod("web-2", None);
    assert!(cluster.run_until_condition(2 * MINUTE, |c| c
        .store()
        .pods
        .get("web-2")
        .is_some_and(|p| p.is_running_and_ready() && !p.metadata.is_terminating())));
    assert_eq!(visit(&mut cluster, "web-2.visits"), "<p>Visits: 1</p></body></html>", "a fresh, empty volume");
}

#[test]
fn rule_6_5_the_headless_name_returns_every_ready_pod_and_each_pod_has_its_own_name() {
    let cluster = running(DEFAULT_MANIFEST, 3);
    let all = cluster.lookup("visits").unwrap();
    assert_eq!(all.name, "visits.default.svc.cluster.local");
    assert_eq!(all.addresses.len(), 3);
    let web0 = cluster.lookup("web-0.visits").unwrap();
    assert_eq!(web0.name, "web-0.visits.default.svc.cluster.local");
    assert_eq!(web0.addresses, [cluster.store().pods["web-0"].status.pod_ip.clone().unwrap()]);
    assert_eq!(cluster.lookup("web-0.visits.default.svc.cluster.local").unwrap().addresses, web0.addresses);
    assert_eq!(
        cluster.lookup("web-9.visits"),
        Err(Miss::NoSuchHostname { service: "visits".into(), hostname: "web-9".into() })
    );
}

#[test]
fn rule_6_7_a_service_name_that_names_no_service_gives_nxdomain_but_pods_run() {
    let manifest = DEFAULT_MANIFEST.edited("serviceName: visits", "serviceName: nginx");
    let cluster = running(&manifest, 3);
    assert_eq!(cluster.lookup("web-0.nginx"), Err(Miss::NoSuchService("nginx".into())));
    assert_eq!(
        cluster.store().pods["web-0"].spec.subdomain.as_deref(),
        Some("nginx"),
        "the pod still carries the subdomain"
    );
    // The Service's own name resolves, but no pod name under it: the hostname is only set for its subdomain (§6.4).
    assert!(cluster.lookup("visits").is_ok());
    assert!(matches!(cluster.lookup("web-0.visits"), Err(Miss::NoSuchHostname { .. })));
}

#[test]
fn rule_6_8_a_cluster_ip_service_name_resolves_to_its_single_address() {
    let cluster = running(&format!("{DEFAULT_MANIFEST}{CLUSTER_IP_SERVICE}"), 3);
    let answer = cluster.lookup("web-lb").unwrap();
    assert_eq!(answer.addresses, [cluster.store().services["web-lb"].spec.cluster_ip.clone().unwrap()]);
    assert!(
        answer.addresses[0].starts_with("10.9") || answer.addresses[0].starts_with("10.10"),
        "from 10.96.0.0/12: {answer:?}"
    );
}

#[test]
fn rule_7_2_requests_through_a_cluster_ip_spread_over_every_ready_pod() {
    let mut cluster = running(&format!("{DEFAULT_MANIFEST}{CLUSTER_IP_SERVICE}"), 3);
    let mut served = std::collections::BTreeMap::new();
    for _ in 0..300 {
        let response = cluster.http_get("web-lb", 80, "/", &Client::Host).unwrap();
        *served.entry(response.pod).or_insert(0) += 1;
    }
    assert_eq!(served.len(), 3, "{served:?}");
    assert!(served.values().all(|n| (60..=140).contains(n)), "roughly uniform: {served:?}");
    let total: u64 = ["web-0", "web-1", "web-2"]
        .iter()
        .map(|p| cluster.read_file(p, None, "/data/visits").unwrap().trim().parse::<u64>().unwrap())
        .sum();
    assert_eq!(total, 300, "every visit is counted on exactly one pod's volume");
}

#[test]
fn rule_7_3_client_ip_affinity_keeps_a_client_on_one_pod() {
    let manifest =
        format!("{DEFAULT_MANIFEST}{}", CLUSTER_IP_SERVICE.edited("spec:\n", "spec:\n  sessionAffinity: ClientIP\n"));
    let mut cluster = running(&manifest, 3);
    let first = cluster.http_get("web-lb", 80, "/", &Client::Host).unwrap().pod;
    for _ in 0..20 {
        assert_eq!(cluster.http_get("web-lb", 80, "/", &Client::Host).unwrap().pod, first);
    }
}

#[test]
fn rule_7_4_a_service_without_ready_endpoints_refuses_connections() {
    let manifest =
        format!("{DEFAULT_MANIFEST}{}", CLUSTER_IP_SERVICE.edited("app: visits\n  ports", "app: nothing\n  ports"));
    let mut cluster = running(&manifest, 3);
    assert!(matches!(cluster.http_get("web-lb", 80, "/", &Client::Host), Err(RequestError::ConnectionRefused { .. })));
    assert_eq!(cluster.lookup("nope"), Err(Miss::NoSuchService("nope".into())));
}

#[test]
fn rule_5_7_a_failing_readiness_probe_keeps_the_pod_out_of_dns_and_blocks_the_set() {
    let manifest = DEFAULT_MANIFEST.edited(
        "          env:\n",
        "          readinessProbe:\n            httpGet:\n              path: /wrong\n              port: http\n          env:\n",
    );
    let mut cluster = sts_playground::cli::new_cluster(3);
    cluster.apply_text(&manifest).unwrap();
    cluster.advance(2 * MINUTE);
    let web0 = &cluster.store().pods["web-0"];
    assert_eq!(web0.status.phase, "Running");
    assert!(!web0.status.container_statuses[0].ready, "READY 0/1");
    assert_eq!(cluster.store().pods.len(), 1, "§2.4: web-1 waits for web-0");
    assert_eq!(cluster.store().endpoints["visits"].not_ready_addresses.len(), 1);
    assert_eq!(cluster.lookup("visits"), Err(Miss::NoReadyEndpoints("visits".into())));
    let unhealthy = cluster.events_for("Pod", "web-0").find(|e| e.reason == "Unhealthy").unwrap();
    assert_eq!(unhealthy.message, "Readiness probe failed: HTTP probe failed with statuscode: 404");
    assert!(unhealthy.count >= 10, "one failure every 10 s: {}", unhealthy.count);
    assert_eq!(web0.status.container_statuses[0].restart_count, 0, "readiness never restarts");
}

#[test]
fn rule_5_8_a_failing_liveness_probe_restarts_the_container_in_the_same_pod() {
    let manifest = DEFAULT_MANIFEST.edited(
        "          env:\n",
        "          livenessProbe:\n            httpGet:\n              path: /wrong\n              port: 8080\n          env:\n",
    );
    let mut cluster = sts_playground::cli::new_cluster(3);
    cluster.apply_text(&manifest).unwrap();
    cluster.advance(MINUTE);
    let uid = cluster.store().pods["web-0"].metadata.uid.clone();
    let ip = cluster.store().pods["web-0"].status.pod_ip.clone();
    cluster.advance(2 * MINUTE);
    let web0 = &cluster.store().pods["web-0"];
    assert!(web0.status.container_statuses[0].restart_count >= 2, "restarted: {:?}", web0.status.container_statuses[0]);
    assert_eq!((&web0.metadata.uid, &web0.status.pod_ip), (&uid, &ip), "same pod object, same IP");
    assert!(cluster
        .events_for("Pod", "web-0")
        .any(|e| e.message == "Container visits failed liveness probe, will be restarted"));
}

fn with_probe(probe: &str) -> String {
    DEFAULT_MANIFEST
        .edited("          env:\n", &format!("{probe}          env:\n"))
        .edited("replicas: 3", "replicas: 1")
}

fn started_and_ready_at(cluster: &mut Cluster) -> (u64, u64) {
    assert!(cluster.run_until_condition(2 * MINUTE, |c| c.store().pods.get("web-0").is_some_and(|p| p
        .status
        .container_statuses
        .first()
        .is_some_and(|s| s.state.running.is_some()))));
    let started = cluster.now();
    assert!(cluster.run_until_condition(5 * MINUTE, |c| c.store().pods["web-0"].is_running_and_ready()));
    (started, cluster.now())
}

/// When the kubelet added the pod (and started its probe workers): the scheduler's
/// `Scheduled` event, as the kubelet on the one node admits the pod in that pass.
fn workers_started(cluster: &Cluster, pod: &str) -> u64 {
    cluster.events_for("Pod", pod).find(|e| e.reason == "Scheduled").expect("scheduled").first_timestamp
}

/// The first tick of a worker started at `from` with `period` at or after `at`.
fn tick_at_or_after(from: u64, period: u64, at: u64) -> u64 {
    from + (at.saturating_sub(from)).div_ceil(period) * period
}

#[test]
fn rule_5_6_probe_workers_tick_from_when_the_pod_was_added_not_from_container_start() {
    // A timeline: the pod is added (workers start, tick every 10 s from then), the image
    // is pulled, the container starts; the immediate readiness probe at start falls in
    // initialDelaySeconds, as do the ticks before start + 5 s; the first tick after that
    // probes and passes.
    let probe = "          readinessProbe:\n            httpGet:\n              path: /ready\n              port: http\n            initialDelaySeconds: 5\n            periodSeconds: 10\n";
    let mut cluster = sts_playground::cli::new_cluster(3);
    cluster.apply_text(&with_probe(probe)).unwrap();
    let (started, ready) = started_and_ready_at(&mut cluster);
    let added = workers_started(&cluster, "web-0");
    assert!(added < started, "the pod is added before its image is pulled and its container started");
    assert_eq!(ready, tick_at_or_after(added, 10 * SECOND, started + 5 * SECOND));
    assert_ne!(ready, started + 5 * SECOND, "not counted from the container's start");
    assert_eq!((ready - added) % (10 * SECOND), 0, "on the worker's own ticks");
}

#[test]
fn rule_5_6_readiness_waits_for_the_startup_probe_and_counts_success_threshold() {
    let probe = "          startupProbe:\n            httpGet:\n              path: /healthz\n              port: http\n            initialDelaySeconds: 20\n          readinessProbe:\n            httpGet:\n              path: /ready\n              port: http\n            periodSeconds: 5\n            successThreshold: 3\n";
    let mut cluster = sts_playground::cli::new_cluster(3);
    cluster.apply_text(&with_probe(probe)).unwrap();
    let (started, ready) = started_and_ready_at(&mut cluster);
    let added = workers_started(&cluster, "web-0");
    // The startup worker (period 10 s) probes at its first tick 20 s after the start and
    // passes; readiness probes at once then (the container is started), and twice more
    // on its own 5 s ticks: three successes.
    let startup_passed = tick_at_or_after(added, 10 * SECOND, started + 20 * SECOND);
    let third_success = tick_at_or_after(added, 5 * SECOND, startup_passed + 1) + 5 * SECOND;
    assert_eq!(ready, third_success);
    assert!(cluster.store().pods["web-0"].status.container_statuses[0].started);
}

#[test]
fn rule_5_6_a_failing_startup_probe_restarts_the_container_and_never_lets_it_be_ready() {
    let probe = "          startupProbe:\n            httpGet:\n              path: /not-there\n              port: http\n            periodSeconds: 5\n            failureThreshold: 2\n";
    let mut cluster = sts_playground::cli::new_cluster(3);
    cluster.apply_text(&with_probe(probe)).unwrap();
    cluster.advance(3 * MINUTE);
    let web0 = &cluster.store().pods["web-0"];
    assert!(!web0.is_running_and_ready());
    assert!(web0.status.container_statuses[0].restart_count >= 2);
    assert!(!web0.status.container_statuses[0].started);
    let messages: Vec<String> = cluster.events_for("Pod", "web-0").map(|e| e.message.clone()).collect();
    assert!(
        messages.contains(&"Startup probe failed: HTTP probe failed with statuscode: 404".to_string()),
        "{messages:?}"
    );
    assert!(messages.contains(&"Container visits failed startup probe, will be restarted".to_string()));
}

fn ready_since(cluster: &Cluster, pod: &str) -> Option<u64> {
    cluster.store().pods.get(pod).filter(|p| p.is_running_and_ready()).and_then(|p| p.ready_since())
}

#[test]
fn rule_5_7_an_exec_readiness_probe_follows_a_file_touched_and_removed_with_kubectl_exec() {
    // Parallel, so web-1 starts without waiting for web-0 (which never gets its file).
    let manifest = common::with_exec_readiness(
        &DEFAULT_MANIFEST.edited("replicas: 3", "replicas: 2\n  podManagementPolicy: Parallel"),
        10,
        3,
    );
    let mut cluster = sts_playground::cli::new_cluster(3);
    let mut terminal = Terminal::new();
    cluster.apply_text(&manifest).unwrap();
    let running = |c: &Cluster| c.store().pods.get("web-1").is_some_and(|p| p.status.phase == "Running");
    assert!(cluster.run_until_condition(MINUTE, running));
    let started = cluster.store().pods["web-1"].status.container_statuses[0].state.running.as_ref().unwrap().started_at;
    cluster.advance(25 * SECOND);
    assert!(!cluster.store().pods["web-1"].is_running_and_ready(), "READY 0/1 without /tmp/ready");
    let unhealthy = cluster.events_for("Pod", "web-1").find(|e| e.reason == "Unhealthy").expect("an Unhealthy event");
    assert_eq!(unhealthy.message, "Readiness probe failed: cat: /tmp/ready: No such file or directory");
    let added = workers_started(&cluster, "web-1");
    assert_eq!(unhealthy.count, 3, "probes at the start and at the worker's ticks +10 s, +20 s");

    // The learner creates the file: Ready at the worker's next tick, not before.
    assert_eq!(terminal.run(&mut cluster, "kubectl exec web-1 -- touch /tmp/ready").text(), "");
    let next_tick = tick_at_or_after(added, 10 * SECOND, cluster.now());
    cluster.run_until(next_tick - 100);
    assert!(!cluster.store().pods["web-1"].is_running_and_ready());
    assert!(cluster.run_until_condition(MINUTE, |c| c.store().pods["web-1"].is_running_and_ready()));
    assert_eq!(ready_since(&cluster, "web-1"), Some(next_tick));
    assert!(next_tick < started + 30 * SECOND, "the tick comes from the worker's start, before start + 30 s");
    assert_eq!(cluster.store().endpoints["visits"].addresses.len(), 1, "web-1 is an endpoint now");
    assert!(!cluster.store().pods["web-0"].status.container_statuses[0].ready, "web-0 has no file");

    // And removes it between two probes: unready only after failureThreshold (3) failed
    // probes, at the worker's next three ticks.
    cluster.run_until(next_tick + 5 * SECOND);
    terminal.run(&mut cluster, "kubectl exec web-1 -- rm /tmp/ready");
    let failures_before = cluster.events_for("Pod", "web-1").find(|e| e.reason == "Unhealthy").map_or(0, |e| e.count);
    cluster.run_until(next_tick + 30 * SECOND - 100);
    assert!(cluster.store().pods["web-1"].is_running_and_ready(), "two failures are not enough");
    assert!(cluster.run_until_condition(MINUTE, |c| !c.store().pods["web-1"].is_running_and_ready()));
    assert_eq!(cluster.now(), next_tick + 30 * SECOND);
    let failures = cluster.events_for("Pod", "web-1").find(|e| e.reason == "Unhealthy").map_or(0, |e| e.count);
    assert_eq!(failures - failures_before, 3);
    assert_eq!(cluster.store().endpoints["visits"].not_ready_addresses.len(), 2);
    assert_eq!(cluster.store().pods["web-1"].status.container_statuses[0].restart_count, 0, "readiness never restarts");
}

fn busybox_with_probe(probe: &str) -> String {
    with_probe(probe).edited(
        "image: ghcr.io/example/visits:1.0\n",
        "image: busybox:1.36\n          command: [\"sleep\", \"3600\"]\n",
    )
}

#[test]
fn rule_5_8_an_exec_liveness_probe_fails_with_the_commands_output_and_restarts_the_container() {
    let probe = "          livenessProbe:\n            exec:\n              command: [\"cat\", \"/tmp/healthy\"]\n            periodSeconds: 5\n            failureThreshold: 2\n";
    let mut cluster = sts_playground::cli::new_cluster(3);
    cluster.apply_text(&busybox_with_probe(probe)).unwrap();
    cluster.advance(MINUTE);
    let messages: Vec<String> = cluster.events_for("Pod", "web-0").map(|e| e.message.clone()).collect();
    // busybox's cat, as in the Kubernetes docs' liveness example.
    assert!(
        messages
            .contains(&"Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory".to_string()),
        "{messages:?}"
    );
    assert!(messages.contains(&"Container visits failed liveness probe, will be restarted".to_string()));
    assert!(cluster.store().pods["web-0"].status.container_statuses[0].restart_count >= 1);
}

#[test]
fn rule_5_6_exec_probes_run_shell_scripts_time_out_and_trust_unknown_programs() {
    // `sh -c` with a test that passes: ready; a script that sleeps past timeoutSeconds:
    // "command … timed out"; a program the playground does not simulate: assumed healthy.
    let passes = "          readinessProbe:\n            exec:\n              command: [\"sh\", \"-c\", \"test -d /data && ls /data >/dev/null\"]\n";
    let mut cluster = sts_playground::cli::new_cluster(3);
    cluster.apply_text(&with_probe(passes)).unwrap();
    let (started, ready) = started_and_ready_at(&mut cluster);
    assert_eq!(ready, started, "the first probe runs at once and passes");

    let slow = "          livenessProbe:\n            exec:\n              command: [\"sh\", \"-c\", \"sleep 5\"]\n            timeoutSeconds: 2\n            failureThreshold: 1\n";
    let mut cluster = sts_playground::cli::new_cluster(3);
    cluster.apply_text(&with_probe(slow)).unwrap();
    cluster.advance(MINUTE);
    let messages: Vec<String> = cluster.events_for("Pod", "web-0").map(|e| e.message.clone()).collect();
    assert!(
        messages.contains(&"Liveness probe failed: command \"sh -c sleep 5\" timed out".to_string()),
        "{messages:?}"
    );
    assert_eq!(cluster.now(), MINUTE, "a probe's sleep does not move the clock");

    let unknown =
        "          readinessProbe:\n            exec:\n              command: [\"pg_isready\", \"-U\", \"postgres\"]\n";
    let mut cluster = sts_playground::cli::new_cluster(3);
    cluster.apply_text(&with_probe(unknown)).unwrap();
    started_and_ready_at(&mut cluster);
}

fn slice_conditions(cluster: &Cluster) -> Vec<(String, bool, Option<(bool, bool)>)> {
    let service = &cluster.store().services["visits"];
    let slice = endpoints::endpoint_slice(&cluster.store(), service).expect("a managed slice");
    slice.endpoints.iter().map(|e| (e.target.clone().unwrap().0, e.ready, e.serving_terminating)).collect()
}

#[test]
fn rule_6_3_endpoint_slices_keep_unready_and_terminating_pods_with_their_conditions() {
    let mut cluster = running(DEFAULT_MANIFEST, 3);
    let service = cluster.store().services["visits"].clone();
    let slice = endpoints::endpoint_slice(&cluster.store(), &service).unwrap();
    assert_eq!(slice.metadata.labels.get("kubernetes.io/service-name").map(String::as_str), Some("visits"));
    assert_eq!(slice.metadata.labels.get("service.kubernetes.io/headless").map(String::as_str), Some(""));
    assert_eq!(slice.metadata.owner_references[0].kind, "Service");
    let web0 = &slice.endpoints[0];
    assert_eq!(
        (web0.hostname.as_deref(), web0.node_name.as_deref()),
        (Some("web-0"), Some("minikube")),
        "§6.4 hostname, nodeName"
    );
    assert_eq!(web0.target.as_ref().map(|t| t.1.clone()), Some(cluster.store().pods["web-0"].metadata.uid.clone()));
    assert!(slice_conditions(&cluster).iter().all(|(_, ready, st)| *ready && *st == Some((true, false))));

    // Terminating: still listed, ready=false, serving=true, terminating=true; gone from Endpoints.
    let old_uid = cluster.store().pods["web-1"].metadata.uid.clone();
    cluster.delete_pod("web-1", None);
    assert_eq!(slice_conditions(&cluster)[1], ("web-1".to_string(), false, Some((true, true))));
    let endpoints = &cluster.store().endpoints["visits"];
    assert!(
        !endpoints.addresses.iter().chain(&endpoints.not_ready_addresses).any(|a| a.target_pod == "web-1"),
        "§6.2: Endpoints drop terminating pods"
    );
    cluster.advance(SECOND);
    assert_ne!(cluster.store().pods["web-1"].metadata.uid, old_uid, "the old pod is gone, a new web-1 replaced it");
    assert_eq!(
        slice_conditions(&cluster)[1].2.map(|(_, terminating)| terminating),
        Some(false),
        "only the new web-1 is listed"
    );

    // Not ready: ready=false, serving=false, terminating=false; publishNotReadyAddresses makes it ready.
    let unready = common::with_exec_readiness(&DEFAULT_MANIFEST.edited("replicas: 3", "replicas: 1"), 10, 3);
    let mut cluster = sts_playground::cli::new_cluster(3);
    cluster.apply_text(&unready).unwrap();
    cluster.advance(MINUTE);
    assert_eq!(slice_conditions(&cluster), [("web-0".to_string(), false, Some((false, false)))]);
    cluster
        .apply_text(&unready.edited("  clusterIP: None\n", "  clusterIP: None\n  publishNotReadyAddresses: true\n"))
        .unwrap();
    assert_eq!(slice_conditions(&cluster), [("web-0".to_string(), true, Some((false, false)))]);
}
