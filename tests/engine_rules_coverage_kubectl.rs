//! What kubectl prints, column by column: `get` for each kind, combined and `-o name`
//! output, `describe sts`, event tables and API errors (reference §5.3, §8.2–§8.8,
//! §8.10–§8.12, §9.1, §9.2).

use sts_playground::cli::printers::age;
use sts_playground::cli::Terminal;
use sts_playground::core::cluster::Cluster;
use sts_playground::core::time::{MINUTE, SECOND};
use sts_playground::session::samples::DEFAULT_MANIFEST;

mod common;
use common::{settle, started, Edited};

fn out(terminal: &mut Terminal, cluster: &mut Cluster, line: &str) -> String {
    terminal.run(cluster, line).stdout()
}

/// A table row's cells: text separated by runs of two or more spaces.
fn cells(line: &str) -> Vec<String> {
    line.split("  ").map(str::trim).filter(|c| !c.is_empty()).map(str::to_string).collect()
}

/// The row of `output` whose first cell is `name`.
fn row(output: &str, name: &str) -> Vec<String> {
    let line = output.lines().find(|l| l.split_whitespace().next() == Some(name));
    cells(line.unwrap_or_else(|| panic!("no row {name} in\n{output}")))
}

fn ip(cluster: &Cluster, pod: &str) -> String {
    cluster.store().pods[pod].status.pod_ip.clone().unwrap()
}

/// One replica with a sidecar; the app's readiness probe waits for /tmp/ready.
fn with_sidecar() -> String {
    common::with_exec_readiness(&DEFAULT_MANIFEST.edited("replicas: 3", "replicas: 1"), 2, 1).edited(
        "              mountPath: /data\n",
        "              mountPath: /data\n        - name: side\n          image: busybox:1.36\n          command: [\"sleep\", \"infinity\"]\n",
    )
}

#[test]
fn rule_5_3_ready_counts_ready_running_containers_over_all_containers() {
    let mut cluster = sts_playground::cli::new_cluster(7);
    let mut terminal = Terminal::new();
    cluster.apply_text(&with_sidecar()).unwrap();
    assert_eq!(row(&out(&mut terminal, &mut cluster, "kubectl get pods"), "web-0")[1], "0/2");
    cluster.advance(MINUTE);
    let pods = out(&mut terminal, &mut cluster, "kubectl get pods");
    assert_eq!(row(&pods, "web-0")[1..4], ["1/2", "Running", "0"], "the sidecar is ready, the app is not");
    cluster.write_file("web-0", Some("visits"), "/tmp/ready", String::new()).unwrap();
    cluster.advance(5 * SECOND);
    assert_eq!(row(&out(&mut terminal, &mut cluster, "kubectl get pods"), "web-0")[1], "2/2");
}

#[test]
fn rule_8_2_pods_wide_adds_ip_node_nominated_node_and_readiness_gates() {
    let mut cluster = sts_playground::cli::new_cluster(7);
    let mut terminal = Terminal::new();
    cluster.apply_text(DEFAULT_MANIFEST).unwrap();
    assert_eq!(
        out(&mut terminal, &mut cluster, "kubectl get pods -o wide"),
        "NAME    READY   STATUS    RESTARTS   AGE   IP       NODE     NOMINATED NODE   READINESS GATES\n\
         web-0   0/1     Pending   0          0s    <none>   <none>   <none>           <none>\n"
    );
    settle(&mut cluster, 3);
    let pods = out(&mut terminal, &mut cluster, "kubectl get pods");
    assert_eq!(cells(pods.lines().next().unwrap()), ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
    let wide = out(&mut terminal, &mut cluster, "kubectl get pods -o wide");
    let web1 = row(&wide, "web-1");
    assert_eq!(web1[1..4], ["1/1", "Running", "0"]);
    assert_eq!(web1[5..], [ip(&cluster, "web-1"), "minikube".into(), "<none>".into(), "<none>".into()]);
}

#[test]
fn rule_8_3_statefulsets_show_ready_over_desired_and_wide_adds_containers_and_images() {
    let mut cluster = sts_playground::cli::new_cluster(7);
    let mut terminal = Terminal::new();
    cluster.apply_text(&with_sidecar().edited("replicas: 1", "replicas: 2")).unwrap();
    assert_eq!(
        out(&mut terminal, &mut cluster, "kubectl get sts -o wide"),
        "NAME   READY   AGE   CONTAINERS    IMAGES\nweb    0/2     0s    visits,side   ghcr.io/example/visits:1.0,busybox:1.36\n"
    );
    // READY is status.readyReplicas / spec.replicas.
    assert!(cluster.run_until_condition(2 * MINUTE, |c| c
        .store()
        .pods
        .get("web-0")
        .is_some_and(|p| p.status.phase == "Running")));
    common::settle_touching(&mut cluster, 2);
    assert_eq!(row(&out(&mut terminal, &mut cluster, "kubectl get sts"), "web")[1], "2/2");
    cluster.scale("web", 3).unwrap();
    assert_eq!(row(&out(&mut terminal, &mut cluster, "kubectl get sts"), "web")[1], "2/3");
}

const SERVICES: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: lb\nspec:\n  type: LoadBalancer\n  selector:\n    app: visits\n    tier: web\n  ports:\n    - port: 80\n      targetPort: 8080\n      nodePort: 30081\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: bare\nspec:\n  clusterIP: None\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: two\nspec:\n  selector:\n    app: visits\n  ports:\n    - name: a\n      port: 80\n    - name: b\n      port: 443\n      protocol: TCP\n";

#[test]
fn rule_8_4_services_show_type_cluster_ip_external_ip_and_ports() {
    let mut cluster = sts_playground::cli::new_cluster(7);
    let mut terminal = Terminal::new();
    cluster.apply_text(SERVICES).unwrap();
    let cluster_ip = |c: &Cluster, name: &str| c.store().services[name].spec.cluster_ip.clone().unwrap();
    let services = out(&mut terminal, &mut cluster, "kubectl get svc");
    assert_eq!(
        cells(services.lines().next().unwrap()),
        ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]
    );
    assert_eq!(
        row(&services, "lb"),
        ["lb", "LoadBalancer", &cluster_ip(&cluster, "lb"), "<pending>", "80:30081/TCP", "0s"]
    );
    assert_eq!(row(&services, "bare"), ["bare", "ClusterIP", "None", "<none>", "<none>", "0s"]);
    assert_eq!(
        row(&services, "two"),
        ["two", "ClusterIP", &cluster_ip(&cluster, "two"), "<none>", "80/TCP,443/TCP", "0s"]
    );
    let wide = out(&mut terminal, &mut cluster, "kubectl get svc -o wide");
    assert_eq!(cells(wide.lines().next().unwrap()).last().map(String::as_str), Some("SELECTOR"));
    assert_eq!(row(&wide, "lb").last().map(String::as_str), Some("app=visits,tier=web"), "sorted k=v list");
    assert_eq!(row(&wide, "bare").last().map(String::as_str), Some("<none>"));
}

#[test]
fn rule_8_5_claims_are_blank_until_bound_and_show_terminating() {
    let mut cluster = sts_playground::cli::new_cluster(7);
    let mut terminal = Terminal::new();
    cluster.apply_text(DEFAULT_MANIFEST).unwrap();
    assert_eq!(
        out(&mut terminal, &mut cluster, "kubectl get pvc"),
        "NAME         STATUS    VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE\n\
         data-web-0   Pending                                      standard       <unset>                 0s\n",
        "VOLUME, CAPACITY and ACCESS MODES stay blank while Pending"
    );
    settle(&mut cluster, 3);
    let volume = cluster.store().claims["data-web-2"].spec.volume_name.clone().unwrap();
    let claims = out(&mut terminal, &mut cluster, "kubectl get pvc");
    assert_eq!(row(&claims, "data-web-2")[..7], ["data-web-2", "Bound", &volume, "1Gi", "RWO", "standard", "<unset>"]);
    assert_eq!(
        row(&out(&mut terminal, &mut cluster, "kubectl get pvc -o wide"), "data-web-2").last().unwrap(),
        "Filesystem"
    );
    out(&mut terminal, &mut cluster, "kubectl delete pvc data-web-2");
    assert_eq!(row(&out(&mut terminal, &mut cluster, "kubectl get pvc"), "data-web-2")[1], "Terminating");
}

#[test]
fn rule_8_6_endpoints_list_ready_pairs_at_most_three_blank_when_none_is_ready() {
    let mut cluster = started(&DEFAULT_MANIFEST.edited("replicas: 3", "replicas: 5"), 7, 5);
    let mut terminal = Terminal::new();
    let expected = format!(
        "{}:8080,{}:8080,{}:8080 + 2 more...",
        ip(&cluster, "web-0"),
        ip(&cluster, "web-1"),
        ip(&cluster, "web-2")
    );
    assert_eq!(row(&out(&mut terminal, &mut cluster, "kubectl get endpoints"), "visits")[1], expected);
    let nothing = "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: nothing\nspec:\n  selector:\n    app: nothing\n  ports:\n    - port: 80\n";
    cluster.apply_text(nothing).unwrap();
    assert_eq!(row(&out(&mut terminal, &mut cluster, "kubectl get ep nothing"), "nothing")[1], "<none>");

    // Only not-ready addresses: the cell is blank.
    let mut cluster = sts_playground::cli::new_cluster(7);
    cluster
        .apply_text(&common::with_exec_readiness(&DEFAULT_MANIFEST.edited("replicas: 3", "replicas: 1"), 2, 1))
        .unwrap();
    cluster.advance(MINUTE);
    assert_eq!(cluster.store().endpoints["visits"].not_ready_addresses.len(), 1);
    let endpoints = out(&mut terminal, &mut cluster, "kubectl get endpoints visits");
    assert_eq!(endpoints, "NAME     ENDPOINTS   AGE\nvisits               60s\n");
}

#[test]
fn rule_8_6_with_several_ports_endpoints_walk_each_port_then_each_address() {
    // formatEndpoints loops over the ports, and under each over the ready addresses.
    let mut cluster = started(DEFAULT_MANIFEST, 7, 3);
    let mut terminal = Terminal::new();
    let two_ports = "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: both\nspec:\n  selector:\n    app: visits\n  ports:\n    - name: http\n      port: 80\n      targetPort: 8080\n    - name: metrics\n      port: 9090\n";
    cluster.apply_text(two_ports).unwrap();
    let expected = format!(
        "{0}:8080,{1}:8080,{2}:8080 + 3 more...",
        ip(&cluster, "web-0"),
        ip(&cluster, "web-1"),
        ip(&cluster, "web-2")
    );
    assert_eq!(row(&out(&mut terminal, &mut cluster, "kubectl get endpoints both"), "both")[1], expected);
}

#[test]
fn rule_8_7_several_kinds_get_prefixed_names_one_table_each_in_the_order_asked() {
    let mut cluster = sts_playground::cli::new_cluster(7);
    let mut terminal = Terminal::new();
    cluster.apply_text(DEFAULT_MANIFEST).unwrap();
    assert_eq!(
        out(&mut terminal, &mut cluster, "kubectl get sts,po,svc,pvc"),
        "NAME                   READY   AGE\n\
         statefulset.apps/web   0/3     0s\n\
         \n\
         NAME        READY   STATUS    RESTARTS   AGE\n\
         pod/web-0   0/1     Pending   0          0s\n\
         \n\
         NAME                 TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)    AGE\n\
         service/kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP    0s\n\
         service/visits       ClusterIP   None         <none>        8080/TCP   0s\n\
         \n\
         NAME                               STATUS    VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE\n\
         persistentvolumeclaim/data-web-0   Pending                                      standard       <unset>                 0s\n"
    );
    let none = terminal.run(&mut cluster, "kubectl get po,sts -l app=nothing");
    assert_eq!(
        (none.stdout(), none.text()),
        (String::new(), "No resources found in default namespace.\n".into()),
        "on stderr"
    );
}

#[test]
fn rule_8_8_one_kind_has_bare_names_and_dash_o_name_prints_kind_slash_name() {
    let mut cluster = started(DEFAULT_MANIFEST, 7, 3);
    let mut terminal = Terminal::new();
    let pods = out(&mut terminal, &mut cluster, "kubectl get pods");
    assert!(pods.lines().skip(1).all(|l| l.starts_with("web-")), "{pods}");
    assert_eq!(out(&mut terminal, &mut cluster, "kubectl get pods -o name"), "pod/web-0\npod/web-1\npod/web-2\n");
    assert_eq!(out(&mut terminal, &mut cluster, "kubectl get sts -o name"), "statefulset.apps/web\n");
    assert_eq!(out(&mut terminal, &mut cluster, "kubectl get sts web -o name"), "statefulset.apps/web\n");
}

#[test]
fn rule_8_10_describe_sts_shows_replicas_strategy_pod_counts_template_and_claims() {
    let manifest = DEFAULT_MANIFEST
        .edited(
            "  serviceName: visits\n",
            "  serviceName: visits\n  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate:\n      partition: 2\n",
        )
        .edited(
            "          env:\n",
            "          readinessProbe:\n            httpGet:\n              port: 8080\n          env:\n",
        );
    let mut cluster = sts_playground::cli::new_cluster(7);
    let mut terminal = Terminal::new();
    cluster.apply_text(&manifest).unwrap();
    let starting = out(&mut terminal, &mut cluster, "kubectl describe sts web");
    assert!(starting.starts_with("Name:               web\nNamespace:          default\nCreationTimestamp:  Sun, 16 Mar 2025 18:33:20 +0000\nSelector:           app=visits\n"), "{starting}");
    assert!(starting.contains("\nReplicas:           3 desired | 1 total\nUpdate Strategy:    RollingUpdate\n  Partition:        2\nPods Status:        0 Running / 1 Waiting / 0 Succeeded / 0 Failed\n"), "{starting}");
    assert!(
        starting
            .contains("    Readiness:  http-get http://:8080/ delay=0s timeout=1s period=10s #success=1 #failure=3\n"),
        "{starting}"
    );
    assert!(starting.contains("Volume Claims:\n  Name:          data\n  StorageClass:  \n  Labels:        <none>\n  Annotations:   <none>\n  Capacity:      1Gi\n  Access Modes:  [ReadWriteOnce]\nEvents:\n"), "{starting}");
    settle(&mut cluster, 3);
    cluster.scale("web", 2).unwrap();
    let scaling = out(&mut terminal, &mut cluster, "kubectl describe sts web");
    assert!(
        scaling.contains("\nReplicas:           2 desired | 3 total\n"),
        "the terminating pod still counts: {scaling}"
    );
    assert!(scaling.contains("Pods Status:        3 Running / 0 Waiting / 0 Succeeded / 0 Failed\n"), "{scaling}");

    // Without a rollingUpdate block there is no Partition line.
    let plain = DEFAULT_MANIFEST
        .edited("  serviceName: visits\n", "  serviceName: visits\n  updateStrategy:\n    type: RollingUpdate\n");
    let mut cluster = started(&plain, 7, 3);
    let described = out(&mut terminal, &mut cluster, "kubectl describe sts web");
    assert!(described.contains("Update Strategy:    RollingUpdate\nPods Status:"), "{described}");
    assert!(!described.contains("Partition"));
}

#[test]
fn rule_8_11_repeated_events_show_count_and_first_age_with_their_source() {
    let mut cluster = sts_playground::cli::new_cluster(7);
    let mut terminal = Terminal::new();
    cluster
        .apply_text(&common::with_exec_readiness(&DEFAULT_MANIFEST.edited("replicas: 3", "replicas: 1"), 10, 3))
        .unwrap();
    cluster.advance(3 * MINUTE);
    let unhealthy = cluster.events_for("Pod", "web-0").find(|e| e.reason == "Unhealthy").unwrap().clone();
    assert!(unhealthy.count > 10, "{}", unhealthy.count);
    let now = cluster.now();
    let expected_age = format!(
        "{} (x{} over {})",
        age(unhealthy.last_timestamp, now),
        unhealthy.count,
        age(unhealthy.first_timestamp, now)
    );
    let described = out(&mut terminal, &mut cluster, "kubectl describe pod web-0");
    let events = &described[described.find("\nEvents:\n").unwrap()..];
    assert_eq!(cells(events.lines().nth(2).unwrap()), ["Type", "Reason", "Age", "From", "Message"]);
    let line = events.lines().find(|l| l.contains("Unhealthy")).unwrap();
    assert_eq!(cells(line)[..4], ["Warning", "Unhealthy", &expected_age, "kubelet"]);
    let scheduled = events.lines().find(|l| l.contains(" Scheduled ")).unwrap();
    assert_eq!(cells(scheduled)[3], "default-scheduler");
    let set_events = out(&mut terminal, &mut cluster, "kubectl describe sts web");
    assert!(set_events
        .lines()
        .filter(|l| l.contains("SuccessfulCreate"))
        .all(|l| cells(l)[3] == "statefulset-controller"));
}

#[test]
fn rule_8_12_get_events_names_the_object_as_lowercase_kind_slash_name() {
    let mut cluster = started(DEFAULT_MANIFEST, 7, 3);
    let mut terminal = Terminal::new();
    let events = out(&mut terminal, &mut cluster, "kubectl get events");
    assert_eq!(cells(events.lines().next().unwrap()), ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]);
    let objects: Vec<String> = events.lines().skip(1).map(|l| cells(l)[3].clone()).collect();
    for object in ["statefulset/web", "pod/web-0", "persistentvolumeclaim/data-web-0"] {
        assert!(objects.iter().any(|o| o == object), "{object} in {objects:?}");
    }
    let created = events.lines().find(|l| l.contains("create Pod web-1")).unwrap();
    assert_eq!(
        cells(created)[1..],
        ["Normal", "SuccessfulCreate", "statefulset/web", "create Pod web-1 in StatefulSet web successful"]
    );
}

#[test]
fn rule_8_12_get_events_wide_adds_subobject_source_first_seen_count_and_name() {
    let mut cluster = started(DEFAULT_MANIFEST, 7, 3);
    let mut terminal = Terminal::new();
    let events = out(&mut terminal, &mut cluster, "kubectl get events -o wide");
    let header = events.lines().next().unwrap();
    for (column, next) in [
        ("LAST SEEN", "TYPE"),
        ("OBJECT", "SUBOBJECT"),
        ("SUBOBJECT", "SOURCE"),
        ("SOURCE", "MESSAGE"),
        ("MESSAGE", "FIRST SEEN"),
        ("FIRST SEEN", "COUNT"),
        ("COUNT", "NAME"),
    ] {
        assert!(header.find(column).unwrap() < header.find(next).unwrap(), "{column} before {next}: {header}");
    }
    let started = events.lines().find(|l| l.contains("Started container visits") && l.contains("pod/web-0")).unwrap();
    assert!(started.contains("spec.containers{visits}") && started.contains("kubelet, minikube"), "{started}");
    let created = events.lines().find(|l| l.contains("create Pod web-1")).unwrap();
    assert!(created.contains("statefulset-controller") && !created.contains("spec.containers"), "{created}");
    let row = cells(created);
    let (count, name) = (&row[row.len() - 2], &row[row.len() - 1]);
    assert_eq!(count, "1");
    assert!(name.starts_with("web.") && name.len() == "web.".len() + 16, "the event's name: {name}");
}

#[test]
fn rule_9_1_kubectl_prints_one_cause_inline_and_several_as_a_list() {
    let mut cluster = sts_playground::cli::new_cluster(7);
    let mut terminal = Terminal::new();
    terminal.put_host_file("one.yaml", DEFAULT_MANIFEST.edited("replicas: 3", "replicas: -1"));
    let one = terminal.run(&mut cluster, "kubectl apply -f one.yaml");
    assert_eq!(one.stdout(), "", "errors go to stderr");
    assert_eq!(
        one.text(),
        "The StatefulSet \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n"
    );
    terminal.put_host_file(
        "two.yaml",
        DEFAULT_MANIFEST
            .edited("replicas: 3", "replicas: -1")
            .edited("  serviceName: visits\n", "  serviceName: visits\n  minReadySeconds: -5\n"),
    );
    assert_eq!(
        terminal.run(&mut cluster, "kubectl apply -f two.yaml").text(),
        "The StatefulSet \"web\" is invalid: \n\
         * spec.replicas: Invalid value: -1: must be greater than or equal to 0\n\
         * spec.minReadySeconds: Invalid value: -5: must be greater than or equal to 0\n",
        "a trailing space after `invalid:`"
    );
    assert_eq!(
        terminal.run(&mut cluster, "kubectl get pod web-9").text(),
        "Error from server (NotFound): pods \"web-9\" not found\n"
    );
}

#[test]
fn rule_9_2_causes_read_required_unsupported_and_forbidden() {
    let mut cluster = sts_playground::cli::new_cluster(7);
    let refused = |cluster: &mut Cluster, manifest: String| cluster.apply_text(&manifest).unwrap_err().message;
    assert_eq!(
        refused(&mut cluster, DEFAULT_MANIFEST.edited("  selector:\n    matchLabels:\n      app: visits\n", "")),
        "The StatefulSet \"web\" is invalid: \n\
         * spec.selector: Required value\n\
         * spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"visits\"}: `selector` does not match template `labels`"
    );
    assert_eq!(
        refused(&mut cluster, DEFAULT_MANIFEST.edited("      containers:\n", "      restartPolicy: Never\n      containers:\n")),
        "The StatefulSet \"web\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""
    );
    assert_eq!(
        refused(
            &mut cluster,
            DEFAULT_MANIFEST.edited("  serviceName: visits\n", "  serviceName: visits\n  persistentVolumeClaimRetentionPolicy:\n    whenDeleted: Keep\n")
        ),
        "The StatefulSet \"web\" is invalid: spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: \"Keep\": supported values: \"Retain\", \"Delete\""
    );
    assert_eq!(
        refused(&mut cluster, DEFAULT_MANIFEST.edited("      containers:\n", "      activeDeadlineSeconds: 30\n      containers:\n")),
        "The StatefulSet \"web\" is invalid: spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported"
    );
}
