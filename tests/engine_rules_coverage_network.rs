//! Services, DNS and the path of a request, as a learner checks them with
//! `kubectl get svc`, `nslookup`, `cat /etc/resolv.conf` and curl
//! (reference §6.1, §6.6, §6.9–§6.12, §7.5).

use sts_playground::cli::Terminal;
use sts_playground::core::cluster::{Client, Cluster, RequestError};
use sts_playground::core::network::dns::Miss;
use sts_playground::session::samples::DEFAULT_MANIFEST;

mod common;
use common::{settle, started, Edited};

const WEB_LB: &str = "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web-lb\nspec:\n  selector:\n    app: visits\n  ports:\n    - port: 80\n      targetPort: http\n";

fn ip(cluster: &Cluster, pod: &str) -> String {
    cluster.store().pods[pod].status.pod_ip.clone().unwrap()
}

fn pod_ips(cluster: &Cluster) -> Vec<String> {
    cluster.store().pods.values().filter_map(|p| p.status.pod_ip.clone()).collect()
}

/// The headless Service of the sample, listening on port 80 for the pods' 8080.
fn headless_on_80() -> String {
    DEFAULT_MANIFEST
        .edited("    - name: http\n      port: 8080\n", "    - name: http\n      port: 80\n      targetPort: 8080\n")
}

#[test]
fn rule_6_1_a_headless_service_has_no_cluster_ip_and_kube_proxy_skips_it() {
    let mut cluster = started(&format!("{}{WEB_LB}", headless_on_80()), 8, 3);
    let mut terminal = Terminal::new();
    let services = terminal.run(&mut cluster, "kubectl get svc visits").stdout();
    assert_eq!(
        services.lines().nth(1).unwrap().split_whitespace().collect::<Vec<_>>()[..5],
        ["visits", "ClusterIP", "None", "<none>", "80/TCP"]
    );
    // The name is the pods' addresses, not a virtual IP.
    let mut answer = cluster.lookup("visits").unwrap().addresses;
    answer.sort();
    assert_eq!(answer, pod_ips(&cluster));
    // No kube-proxy rule maps port 80 to targetPort 8080: the client reaches the pod itself.
    match cluster.http_get("visits", 80, "/", &Client::Host) {
        Err(RequestError::ConnectionRefused { ip, port }) => {
            assert!(pod_ips(&cluster).contains(&ip) && port == 80, "{ip}:{port}")
        }
        other => panic!("the pod does not listen on 80: {other:?}"),
    }
    assert_eq!(cluster.http_get("visits", 8080, "/", &Client::Host).unwrap().status, 200, "the pod's own port");
    // A ClusterIP Service with the same port mapping is proxied.
    assert_eq!(cluster.http_get("web-lb", 80, "/", &Client::Host).unwrap().status, 200);
}

#[test]
fn rule_7_5_a_headless_name_is_balanced_only_by_the_clients_pick_of_a_records() {
    // §7.5: no proxy, so Service settings that live in kube-proxy do nothing: even with
    // sessionAffinity: ClientIP, each new request goes to whichever address the client took.
    let manifest = DEFAULT_MANIFEST.edited("  clusterIP: None\n", "  clusterIP: None\n  sessionAffinity: ClientIP\n");
    let mut cluster = started(&manifest, 8, 3);
    let mut served = std::collections::BTreeMap::new();
    for _ in 0..60 {
        let response = cluster.http_get("visits", 8080, "/", &Client::Host).unwrap();
        *served.entry(response.pod).or_insert(0) += 1;
    }
    assert_eq!(served.keys().collect::<Vec<_>>(), ["web-0", "web-1", "web-2"], "{served:?}");
    // With a ClusterIP Service, kube-proxy keeps the same client on one pod.
    let sticky = format!("{DEFAULT_MANIFEST}{}", WEB_LB.edited("spec:\n", "spec:\n  sessionAffinity: ClientIP\n"));
    let mut cluster = started(&sticky, 8, 3);
    let first = cluster.http_get("web-lb", 80, "/", &Client::Host).unwrap().pod;
    assert!((0..20).all(|_| cluster.http_get("web-lb", 80, "/", &Client::Host).unwrap().pod == first));
}

#[test]
fn rule_6_6_coredns_answers_endpoint_names_for_any_service_type_and_only_ready_ones() {
    // serviceName names a ClusterIP Service: the endpoints still get hostnames (§6.4),
    // and CoreDNS answers `web-0.web-lb` with the pod IP although the Service is not headless.
    let manifest = format!(
        "{}{WEB_LB}",
        common::with_exec_readiness(&DEFAULT_MANIFEST.edited("serviceName: visits", "serviceName: web-lb"), 2, 1)
    );
    let mut cluster = sts_playground::cli::new_cluster(8);
    cluster.apply_text(&manifest).unwrap();
    common::settle_touching(&mut cluster, 3);
    let web0 = ip(&cluster, "web-0");
    assert_eq!(cluster.lookup("web-0.web-lb").unwrap().addresses, [web0.clone()]);
    assert_eq!(
        cluster.lookup("web-lb").unwrap().addresses,
        [cluster.store().services["web-lb"].spec.cluster_ip.clone().unwrap()]
    );
    // Endpoints without a hostname are named by their dashed IP (here under `visits`, not their subdomain).
    assert_eq!(cluster.lookup(&format!("{}.visits", web0.replace('.', "-"))).unwrap().addresses, [web0.clone()]);
    // The pod A record `a-b-c-d.<ns>.pod.<zone>`.
    assert_eq!(
        cluster.lookup(&format!("{}.default.pod.cluster.local", web0.replace('.', "-"))).unwrap().addresses,
        [web0]
    );
    // Unknown Service or namespace: NXDOMAIN.
    assert!(matches!(cluster.lookup("web-lb.elsewhere"), Err(Miss::NoSuchService(_))));
    assert!(matches!(cluster.lookup("web-0.nothing"), Err(Miss::NoSuchService(_))));
    // Only ready addresses are served: web-2 unready drops out of every name.
    cluster.remove_file("web-2", None, "/tmp/ready").unwrap();
    let web2 = ip(&cluster, "web-2");
    assert!(cluster
        .run_until_condition(sts_playground::core::time::MINUTE, |c| !c.store().pods["web-2"].is_running_and_ready()));
    assert!(matches!(cluster.lookup("web-2.web-lb"), Err(Miss::NoSuchHostname { .. })));
    assert!(cluster.lookup(&format!("{}.visits", web2.replace('.', "-"))).is_err());
    assert!(!cluster.lookup("visits").unwrap().addresses.contains(&web2));
}

#[test]
fn rule_6_9_a_service_selector_that_matches_no_pod_gives_no_endpoints_and_nxdomain() {
    let mismatched =
        DEFAULT_MANIFEST.edited("  selector:\n    app: visits\n  ports:", "  selector:\n    app: visitors\n  ports:");
    let mut cluster = started(&mismatched, 8, 3);
    let mut terminal = Terminal::new();
    let endpoints = terminal.run(&mut cluster, "kubectl get endpoints visits").stdout();
    assert_eq!(endpoints.lines().nth(1).unwrap().split_whitespace().nth(1), Some("<none>"));
    assert_eq!(cluster.lookup("visits"), Err(Miss::NoReadyEndpoints("visits".into())));
    assert!(matches!(cluster.lookup("web-0.visits"), Err(Miss::NoSuchHostname { .. })));
    // Fixing the selector makes the names resolve, with no pod restarted.
    let uids: Vec<String> = cluster.store().pods.values().map(|p| p.metadata.uid.clone()).collect();
    cluster.apply_text(DEFAULT_MANIFEST).unwrap();
    assert_eq!(cluster.lookup("web-0.visits").unwrap().addresses, [ip(&cluster, "web-0")]);
    assert_eq!(cluster.store().pods.values().map(|p| p.metadata.uid.clone()).collect::<Vec<_>>(), uids);
}

#[test]
fn rule_6_10_resolv_conf_searches_the_namespace_first_with_ndots_5() {
    let mut cluster = started(DEFAULT_MANIFEST, 8, 3);
    let mut terminal = Terminal::new();
    let resolv = terminal.run(&mut cluster, "kubectl exec web-0 -- cat /etc/resolv.conf").stdout();
    let mut lines: Vec<&str> = resolv.lines().collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            "nameserver 10.96.0.10",
            "options ndots:5",
            "search default.svc.cluster.local svc.cluster.local cluster.local"
        ]
    );
    // A short name (fewer than 5 dots) is tried with the first search suffix.
    assert_eq!(cluster.lookup("web-0.visits").unwrap().name, "web-0.visits.default.svc.cluster.local");
    assert_eq!(cluster.lookup("visits.default").unwrap().name, "visits.default.svc.cluster.local");
    assert_eq!(cluster.lookup("web-0.visits.default.svc.cluster.local").unwrap().addresses, [ip(&cluster, "web-0")]);
}

#[test]
fn rule_6_11_nslookup_prints_busybox_1_28_and_newer_busybox_formats() {
    // UNVERIFIED in the reference; the playground implements both clients' formats.
    let mut cluster = started(DEFAULT_MANIFEST, 8, 3);
    let mut terminal = Terminal::new();
    let (web0, web1, web2) = (ip(&cluster, "web-0"), ip(&cluster, "web-1"), ip(&cluster, "web-2"));
    let old = |name: &str| format!("kubectl run -it --rm dns --image=busybox:1.28 --restart=Never -- nslookup {name}");
    let server_128 = "Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\n";
    assert_eq!(
        terminal.run(&mut cluster, &old("web-0.visits")).stdout(),
        format!("{server_128}Name:      web-0.visits\nAddress 1: {web0} web-0.visits.default.svc.cluster.local\npod \"dns\" deleted\n")
    );
    let all = terminal.run(&mut cluster, &old("visits")).stdout();
    assert!(all.starts_with(&format!(
        "{server_128}Name:      visits\nAddress 1: {web0} web-0.visits.default.svc.cluster.local\nAddress 2: {web1} web-1.visits.default.svc.cluster.local\nAddress 3: {web2} web-2.visits.default.svc.cluster.local\n"
    )), "three ready pods, three Address lines: {all}");
    let miss = terminal.run(&mut cluster, &old("web-9.visits")).text();
    assert!(miss.starts_with(&format!("{server_128}nslookup: can't resolve 'web-9.visits'\n")), "{miss}");

    let new_hit = terminal.run(&mut cluster, "kubectl exec web-0 -- nslookup web-1.visits").stdout();
    assert_eq!(
        new_hit,
        format!("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tweb-1.visits.default.svc.cluster.local\nAddress: {web1}\n\n")
    );
    let new_miss = terminal.run(&mut cluster, "kubectl exec web-0 -- nslookup web-9.visits").text();
    assert!(new_miss.contains("** server can't find web-9.visits.default.svc.cluster.local: NXDOMAIN\n"), "{new_miss}");
    assert!(new_miss.ends_with("command terminated with exit code 1\n"), "{new_miss}");
}

#[test]
fn rule_6_12_dns_answers_follow_the_endpoints_at_once() {
    // UNVERIFIED in the reference (a real CoreDNS may cache up to 30 s); the playground
    // takes the "update instantly" choice the rule allows, and says so in its DNS module.
    let mut cluster = started(DEFAULT_MANIFEST, 8, 3);
    let old = ip(&cluster, "web-1");
    cluster.delete_pod("web-1", None);
    assert!(matches!(cluster.lookup("web-1.visits"), Err(Miss::NoSuchHostname { .. })), "gone at the same instant");
    assert!(!cluster.lookup("visits").unwrap().addresses.contains(&old));
    assert!(cluster.run_until_condition(sts_playground::core::time::MINUTE, |c| c
        .store()
        .pods
        .get("web-1")
        .is_some_and(|p| p.is_running_and_ready() && !p.metadata.is_terminating())));
    // The moment the new pod is Ready, its new IP is the answer.
    assert_eq!(cluster.lookup("web-1.visits").unwrap().addresses, [ip(&cluster, "web-1")]);
    settle(&mut cluster, 3);
}

#[test]
fn rule_7_1_with_no_ready_endpoint_kube_proxy_falls_back_to_serving_terminating_pods() {
    // §7.1 (CategorizeEndpoints): ready endpoints first; only when there are none, the
    // endpoints that are terminating but still serving.
    let manifest = format!("{}{WEB_LB}", DEFAULT_MANIFEST.edited("replicas: 3", "replicas: 2"));
    let mut cluster = started(&manifest, 7, 2);
    // web-1 is terminating (its app stops within a moment): web-0, ready, takes every request.
    cluster.delete_pod("web-1", None);
    for _ in 0..6 {
        assert_eq!(cluster.http_get("web-lb", 80, "/", &Client::Host).expect("served").pod, "web-0");
    }
    settle(&mut cluster, 2);
    // Both terminating: no ready endpoint left, so a terminating pod still serving answers.
    cluster.write(|api| {
        api.delete_pod("web-0", None);
        api.delete_pod("web-1", None);
    });
    let answered = cluster.http_get("web-lb", 80, "/", &Client::Host).expect("a serving, terminating pod answers");
    assert!(answered.pod == "web-0" || answered.pod == "web-1");
    assert!(cluster.store().pods[&answered.pod].metadata.is_terminating());
    assert!(cluster.store().endpoints["web-lb"].addresses.is_empty(), "the Endpoints list no ready address");
    // Once they have stopped (their app exits 300 ms after SIGTERM), and before the set
    // has a new pod ready, nothing serves: the connection is refused.
    cluster.advance(400);
    assert!(matches!(cluster.http_get("web-lb", 80, "/", &Client::Host), Err(RequestError::ConnectionRefused { .. })));
}
