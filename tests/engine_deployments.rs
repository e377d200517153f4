//! Deployments and ReplicaSets (issue 18), the API server's side and the ReplicaSet
//! controller: decoding, `SetDefaults_Deployment`, validation with the API server's
//! messages, generations, pod names, `manageReplicas`, `calculateStatus`, `ClaimPods`
//! and the garbage collector. Each test is named after the Kubernetes function or
//! rule it models (kube-apiserver and kube-controller-manager v1.32).

use sts_playground::core::api::yaml::Value;
use sts_playground::core::api::*;
use sts_playground::core::time::{MINUTE, SECOND};

mod deployment_helpers;
use deployment_helpers::*;

fn apply_error(manifest: &str) -> String {
    new_cluster().apply_text(manifest).expect_err("the API server refuses it").message
}

// ---------------------------------------------------------------- decoding and defaults

#[test]
fn decode_reads_apps_v1_deployment_and_replica_set_as_typed_objects() {
    let mut cluster = new_cluster();
    let text = format!("{}---\n{}", web(2, "nginx:1.25", ""), frontend(1, ""));
    let lines: Vec<String> = cluster.apply_text(&text).unwrap().iter().map(ToString::to_string).collect();
    assert_eq!(lines, ["deployment.apps/web created", "replicaset.apps/frontend created"]);
    let again: Vec<String> = cluster.apply_text(&text).unwrap().iter().map(ToString::to_string).collect();
    assert_eq!(again, ["deployment.apps/web unchanged", "replicaset.apps/frontend unchanged"]);
    assert!(cluster.store().others.keys().all(|(kind, _)| kind != "Deployment" && kind != "ReplicaSet"), "typed");
    assert_eq!((cluster.store().deployments.len(), cluster.store().replica_sets.is_empty()), (1, false));

    // Strict decoding: a field the type does not have is refused, as kubectl's default validation does.
    let error = apply_error(&web(2, "nginx:1.25", "  replica: 3\n"));
    assert!(
        error.ends_with("Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.replica\""),
        "{error}"
    );
}

#[test]
fn set_defaults_deployment_fills_replicas_strategy_history_and_deadline() {
    let mut cluster = new_cluster();
    let manifest = web(1, "nginx:1.25", "").replace("  replicas: 1\n", "");
    cluster.apply_text(&manifest).unwrap();
    let spec = &deployment(&cluster).spec;
    assert_eq!(spec.replicas, Some(1));
    assert_eq!(spec.strategy.kind.as_deref(), Some("RollingUpdate"));
    let rolling = spec.strategy.rolling_update.as_ref().expect("a rollingUpdate block");
    assert_eq!(rolling.max_surge, Some(Value::String("25%".into())));
    assert_eq!(rolling.max_unavailable, Some(Value::String("25%".into())));
    assert_eq!((spec.revision_history_limit, spec.progress_deadline_seconds), (Some(10), Some(600)));
    assert_eq!((spec.min_ready_seconds, spec.paused), (None, None), "omitted when 0 and false");
    // The pod template gets the pod defaults.
    assert_eq!(spec.template.spec.restart_policy.as_deref(), Some("Always"));
    assert_eq!(spec.template.spec.containers[0].image_pull_policy.as_deref(), Some("IfNotPresent"));

    // Recreate gets no rollingUpdate block.
    let recreate = web(1, "nginx:1.25", "  strategy:\n    type: Recreate\n").replace("name: web", "name: batch");
    cluster.apply_text(&recreate).unwrap();
    assert_eq!(cluster.store().deployments["batch"].spec.strategy.rolling_update, None);
}

#[test]
fn set_defaults_replica_set_gives_one_replica() {
    let mut cluster = new_cluster();
    cluster.apply_text(&frontend(1, "").replace("  replicas: 1\n", "")).unwrap();
    assert_eq!(cluster.store().replica_sets["frontend"].spec.replicas, Some(1));
}

// ---------------------------------------------------------------- validation

#[test]
fn validate_pod_template_spec_for_replica_set_selector_must_match_template_labels() {
    let manifest = web(1, "nginx:1.25", "").replace("        app: web\n    spec:", "        app: other\n    spec:");
    assert_eq!(
        apply_error(&manifest),
        "The Deployment \"web\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`"
    );
    let manifest = frontend(1, "").replace("        tier: frontend\n    spec:", "        tier: backend\n    spec:");
    assert_eq!(
        apply_error(&manifest),
        "The ReplicaSet \"frontend\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"tier\":\"backend\"}: `selector` does not match template `labels`"
    );
}

#[test]
fn validate_deployment_spec_replicas_must_not_be_negative() {
    assert_eq!(
        apply_error(&web(-1, "nginx:1.25", "")),
        "The Deployment \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0"
    );
}

#[test]
fn validate_rolling_update_deployment_max_surge_and_max_unavailable_not_both_zero() {
    let strategy = "  strategy:\n    rollingUpdate:\n      maxSurge: 0\n      maxUnavailable: 0\n";
    assert_eq!(
        apply_error(&web(3, "nginx:1.25", strategy)),
        "The Deployment \"web\" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}: may not be 0 when `maxSurge` is 0"
    );
    let percent = "  strategy:\n    rollingUpdate:\n      maxSurge: \"0%\"\n      maxUnavailable: \"0%\"\n";
    assert!(apply_error(&web(3, "nginx:1.25", percent)).ends_with(
        "Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"0%\"}: may not be 0 when `maxSurge` is 0"
    ));
    // One of them 0 is fine.
    let one = "  strategy:\n    rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: 0\n";
    assert!(new_cluster().apply_text(&web(3, "nginx:1.25", one)).is_ok());
}

#[test]
fn validate_positive_int_or_percent_and_not_more_than_100_percent() {
    let strategy = "  strategy:\n    rollingUpdate:\n      maxSurge: \"5x\"\n      maxUnavailable: \"150%\"\n";
    assert_eq!(
        apply_error(&web(3, "nginx:1.25", strategy)),
        "The Deployment \"web\" is invalid: \n\
         * spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"5x\"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')\n\
         * spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"150%\"}: must not be greater than 100%"
    );
    let negative = "  strategy:\n    rollingUpdate:\n      maxSurge: -1\n";
    assert_eq!(
        apply_error(&web(3, "nginx:1.25", negative)),
        "The Deployment \"web\" is invalid: spec.strategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0"
    );
}

#[test]
fn validate_deployment_strategy_supports_recreate_and_rolling_update_only() {
    assert_eq!(
        apply_error(&web(3, "nginx:1.25", "  strategy:\n    type: BlueGreen\n")),
        "The Deployment \"web\" is invalid: spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:\"BlueGreen\", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: \"Recreate\", \"RollingUpdate\""
    );
}

#[test]
fn validate_deployment_strategy_recreate_forbids_a_rolling_update_block() {
    let strategy = "  strategy:\n    type: Recreate\n    rollingUpdate:\n      maxSurge: 1\n";
    assert_eq!(
        apply_error(&web(3, "nginx:1.25", strategy)),
        "The Deployment \"web\" is invalid: spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"
    );
}

#[test]
fn validate_deployment_spec_progress_deadline_must_exceed_min_ready_seconds() {
    let extra = "  minReadySeconds: 30\n  progressDeadlineSeconds: 30\n";
    assert_eq!(
        apply_error(&web(3, "nginx:1.25", extra)),
        "The Deployment \"web\" is invalid: spec.progressDeadlineSeconds: Invalid value: 30: must be greater than minReadySeconds"
    );
}

#[test]
fn validate_pod_template_spec_refuses_a_mount_of_a_missing_volume_at_apply() {
    // Unlike a StatefulSet's (whose claim templates add volumes), a Deployment's
    // template is a whole pod spec: the API server refuses it at once.
    let manifest = web(1, "nginx:1.25", "").replace(
        "          image: nginx:1.25\n",
        "          image: nginx:1.25\n          volumeMounts:\n            - name: www\n              mountPath: /usr/share/nginx/html\n",
    );
    assert_eq!(
        apply_error(&manifest),
        "The Deployment \"web\" is invalid: spec.template.spec.containers[0].volumeMounts[0].name: Not found: \"www\""
    );
}

#[test]
fn deployment_strategy_validate_update_selector_is_immutable() {
    let mut cluster = started(&web(2, "nginx:1.25", ""));
    let changed = web(2, "nginx:1.25", "").replace("app: web", "app: web2");
    let error = cluster.apply_text(&changed).expect_err("the selector may not change").message;
    assert_eq!(
        error,
        "The Deployment \"web\" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web2\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"
    );
    let through_update = cluster.update_deployment("web", |d| {
        d.spec.selector.as_mut().unwrap().match_labels.insert("tier".into(), "front".into());
        d.spec.template.metadata.labels.insert("tier".into(), "front".into());
    });
    assert!(through_update.unwrap_err().ends_with("field is immutable"));
    // A ReplicaSet's selector is immutable too.
    let mut cluster = new_cluster();
    cluster.apply_text(&frontend(1, "")).unwrap();
    let error = cluster.apply_text(&frontend(1, "").replace("tier: frontend", "tier: fe")).unwrap_err().message;
    assert!(error.starts_with("The ReplicaSet \"frontend\" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"tier\":\"fe\"}"));
}

#[test]
fn deployment_strategy_prepare_for_update_bumps_the_generation_on_spec_and_annotation_changes() {
    let mut cluster = started(&web(2, "nginx:1.25", ""));
    let generation = |c: &sts_playground::core::cluster::Cluster| deployment(c).metadata.generation;
    assert_eq!(generation(&cluster), 1, "status updates and the revision annotation leave it");
    assert_eq!(deployment(&cluster).metadata.annotations.get(REVISION_ANNOTATION).map(String::as_str), Some("1"));
    cluster.apply_text(&web(2, "nginx:1.25", "")).unwrap();
    assert_eq!(generation(&cluster), 1, "re-applying the same manifest keeps the controller's revision annotation");
    cluster.scale_deployment("web", 3).unwrap();
    assert_eq!(generation(&cluster), 2);
    set_image(&mut cluster, "nginx:1.26");
    assert_eq!(generation(&cluster), 3);
    cluster.write(|api| api.update_metadata("Deployment", "web", |m| m.annotations.insert("team".into(), "a".into())));
    assert_eq!(generation(&cluster), 4, "annotations are copied to the ReplicaSets");
    settle(&mut cluster);
    assert_eq!(deployment(&cluster).status.observed_generation, 4);
    let new_rs = replica_sets(&cluster).last().unwrap().metadata.annotations.clone();
    assert_eq!(new_rs.get("team").map(String::as_str), Some("a"));
}

#[test]
fn max_total_replicas_counts_deployment_replicas() {
    let error = apply_error(&web(1001, "nginx:1.25", ""));
    assert_eq!(error, "error: the playground runs at most 1000 replicas in total; this would make 1001");
    let mut cluster = started(&web(2, "nginx:1.25", ""));
    assert!(cluster.scale_deployment("web", 1001).unwrap_err().contains("at most 1000 replicas"));
}

// ---------------------------------------------------------------- the ReplicaSet controller

#[test]
fn get_pod_from_template_generate_name_adds_five_characters_of_the_safe_alphabet() {
    let cluster = started(&web(3, "nginx:1.25", ""));
    let rs = replica_sets(&cluster)[0];
    let alphabet = "bcdfghjklmnpqrstvwxz2456789";
    for pod in cluster.store().pods.values() {
        let suffix = pod.metadata.name.strip_prefix(&format!("{}-", rs.metadata.name)).expect("named after the set");
        assert_eq!(suffix.len(), 5, "{}", pod.metadata.name);
        assert!(suffix.chars().all(|c| alphabet.contains(c)), "{}", pod.metadata.name);
        assert_eq!(pod.metadata.generate_name.as_deref(), Some(format!("{}-", rs.metadata.name).as_str()));
        let owner = pod.metadata.controller().expect("a controller owner reference");
        assert_eq!(
            (owner.kind.as_str(), owner.name.as_str(), owner.uid.as_str()),
            ("ReplicaSet", rs.metadata.name.as_str(), rs.metadata.uid.as_str())
        );
        assert!(owner.block_owner_deletion);
    }
    // The same seed names the same pods.
    let again = started(&web(3, "nginx:1.25", ""));
    assert_eq!(cluster.store().pods.keys().collect::<Vec<_>>(), again.store().pods.keys().collect::<Vec<_>>());
}

#[test]
fn manage_replicas_creates_and_deletes_pods_with_replicaset_controller_events() {
    let mut cluster = new_cluster();
    cluster.apply_text(&frontend(3, "")).unwrap();
    assert!(cluster.run_until_condition(MINUTE, |c| available_pods(c) == 3));
    let created: Vec<String> =
        cluster.store().pods.keys().map(|p| format!("SuccessfulCreate: Created pod: {p}")).collect();
    assert_eq!(events(&cluster, "ReplicaSet", "frontend"), created);
    assert!(cluster.events_for("ReplicaSet", "frontend").all(|e| e.source == "replicaset-controller"));

    cluster.write(|api| api.scale_replica_set("frontend", 1)).unwrap();
    let deleted: Vec<String> = events(&cluster, "ReplicaSet", "frontend").into_iter().skip(3).collect();
    assert_eq!(deleted.len(), 2);
    assert!(deleted.iter().all(|e| e.starts_with("SuccessfulDelete: Deleted pod: frontend-")), "{deleted:?}");
    assert_eq!(active_pods(&cluster).len(), 1);

    // A deleted pod is replaced (a new name: pods of a ReplicaSet have no identity).
    let survivor = active_pods(&cluster)[0].metadata.name.clone();
    cluster.delete_pod(&survivor, None);
    let now: Vec<String> = active_pods(&cluster).iter().map(|p| p.metadata.name.clone()).collect();
    assert_eq!(now.len(), 1);
    assert_ne!(now[0], survivor);
}

#[test]
fn calculate_status_counts_replicas_ready_available_and_fully_labeled() {
    let mut cluster = new_cluster();
    cluster.apply_text(&frontend(2, "  minReadySeconds: 10\n")).unwrap();
    assert!(cluster.run_until_condition(MINUTE, |c| available_pods(c) == 2));
    let ready_at = cluster.now();
    let status = |c: &sts_playground::core::cluster::Cluster| c.store().replica_sets["frontend"].status.clone();
    let s = status(&cluster);
    assert_eq!((s.replicas, s.fully_labeled_replicas, s.ready_replicas, s.available_replicas), (2, 2, 2, 0));
    assert_eq!(s.observed_generation, 1);
    // Available once Ready for minReadySeconds: the controller comes back then, unasked.
    assert!(cluster.run_until_condition(MINUTE, |c| status(c).available_replicas == 2));
    assert!(cluster.now() >= ready_at + 5 * SECOND && cluster.now() <= ready_at + 10 * SECOND);
    // A pod that lacks a template label (not its selector's) is not fully labeled.
    let pod = cluster.store().pods.keys().next().unwrap().clone();
    let manifest = frontend(2, "  minReadySeconds: 10\n")
        .replace("        tier: frontend\n    spec:", "        tier: frontend\n        track: stable\n    spec:");
    cluster.apply_text(&manifest).unwrap();
    let s = status(&cluster);
    assert_eq!((s.replicas, s.fully_labeled_replicas, s.observed_generation), (2, 0, 2), "{pod}");
}

#[test]
fn claim_pods_releases_a_pod_that_stops_matching_and_adopts_a_matching_orphan() {
    let mut cluster = new_cluster();
    cluster.apply_text(&frontend(2, "")).unwrap();
    assert!(cluster.run_until_condition(MINUTE, |c| available_pods(c) == 2));
    let first = cluster.store().pods.keys().next().unwrap().clone();
    // Relabelled out of the selector: released (no owner any more) and replaced.
    cluster.write(|api| api.update_metadata("Pod", &first, |m| m.labels.insert("tier".into(), "debug".into())));
    assert!(cluster.store().pods[&first].metadata.owner_references.is_empty(), "released");
    assert_eq!(cluster.store().pods.len(), 3);
    assert_eq!(cluster.store().pods_of_replica_set(&cluster.store().replica_sets["frontend"]).count(), 2);
    // Labelled back: an orphan that matches is adopted, and one pod too many goes.
    cluster.write(|api| api.update_metadata("Pod", &first, |m| m.labels.insert("tier".into(), "frontend".into())));
    let owner = cluster.store().pods[&first].metadata.controller().map(|o| o.name.clone());
    assert_eq!(owner.as_deref(), Some("frontend"), "adopted");
    assert_eq!(active_pods(&cluster).len(), 2);
}

// ---------------------------------------------------------------- ActivePodsWithRanks

fn pod(name: &str, node: Option<&str>, phase: &str, ready_since: Option<u64>, restarts: i64, created: u64) -> Pod {
    let mut pod = Pod { metadata: ObjectMeta::named(name), ..Default::default() };
    pod.metadata.uid = format!("uid-{name}");
    pod.metadata.creation_timestamp = Some(created);
    pod.spec.node_name = node.map(Into::into);
    pod.status.phase = phase.into();
    if let Some(since) = ready_since {
        pod.status.conditions.push(PodCondition {
            kind: "Ready".into(),
            status: "True".into(),
            last_transition_time: Some(since),
        });
    }
    pod.status.container_statuses.push(ContainerStatus {
        name: "c".into(),
        restart_count: restarts,
        ..Default::default()
    });
    pod
}

/// The names `pods_to_delete` picks first, all of them ranked.
fn ranked(pods: &[Pod], now: u64) -> Vec<String> {
    use sts_playground::core::controllers::replicaset::pods_to_delete;
    let refs: Vec<&Pod> = pods.iter().collect();
    let order = pods_to_delete(&refs, &[], pods.len() - 1, now);
    let mut names: Vec<String> = order.iter().map(|p| p.metadata.name.clone()).collect();
    let rest: Vec<String> = pods.iter().map(|p| p.metadata.name.clone()).filter(|n| !names.contains(n)).collect();
    names.extend(rest);
    names
}

#[test]
fn active_pods_with_ranks_deletes_unassigned_before_assigned() {
    let pods = [pod("a", Some("minikube"), "Pending", None, 0, 0), pod("b", None, "Pending", None, 0, 0)];
    assert_eq!(ranked(&pods, 60_000), ["b", "a"]);
}

#[test]
fn active_pods_with_ranks_deletes_pending_before_unknown_before_running() {
    let node = Some("minikube");
    let pods = [
        pod("a", node, "Running", None, 0, 0),
        pod("b", node, "Unknown", None, 0, 0),
        pod("c", node, "Pending", None, 0, 0),
    ];
    assert_eq!(ranked(&pods, 60_000), ["c", "b", "a"]);
}

#[test]
fn active_pods_with_ranks_deletes_not_ready_before_ready() {
    let node = Some("minikube");
    let pods = [pod("a", node, "Running", Some(1_000), 0, 0), pod("b", node, "Running", None, 0, 0)];
    assert_eq!(ranked(&pods, 60_000), ["b", "a"]);
}

#[test]
fn active_pods_with_ranks_deletes_the_lower_pod_deletion_cost_first() {
    let node = Some("minikube");
    let mut cheap = pod("b", node, "Running", Some(1_000), 0, 0);
    cheap.metadata.annotations.insert("controller.kubernetes.io/pod-deletion-cost".into(), "-5".into());
    let pods = [pod("a", node, "Running", Some(1_000), 0, 0), cheap];
    assert_eq!(ranked(&pods, 60_000), ["b", "a"]);
}

#[test]
fn active_pods_with_ranks_deletes_more_restarts_first() {
    let node = Some("minikube");
    let pods = [pod("a", node, "Running", None, 1, 0), pod("b", node, "Running", None, 4, 0)];
    assert_eq!(ranked(&pods, 60_000), ["b", "a"]);
}

#[test]
fn active_pods_with_ranks_deletes_newer_before_older_in_logarithmic_buckets() {
    let node = Some("minikube");
    // Ready 1 s ago against 50 s ago: different log2 buckets, the newer goes first.
    let pods = [pod("a", node, "Running", Some(10_000), 0, 0), pod("b", node, "Running", Some(59_000), 0, 0)];
    assert_eq!(ranked(&pods, 60_000), ["b", "a"]);
    // Not ready: created 40 s against 10 s ago.
    let pods = [pod("a", node, "Pending", None, 0, 20_000), pod("b", node, "Pending", None, 0, 50_000)];
    assert_eq!(ranked(&pods, 60_000), ["b", "a"]);
    // Created 40 and 41 s ago: one bucket (2^35 ns ≈ 34 s to 69 s), so the smaller uid goes first.
    let pods = [pod("b", node, "Pending", None, 0, 20_000), pod("a", node, "Pending", None, 0, 19_000)];
    assert_eq!(ranked(&pods, 60_000), ["a", "b"]);
}

#[test]
fn get_pods_to_delete_story_a_crashing_pod_goes_before_the_ready_ones() {
    let mut cluster = new_cluster();
    cluster.apply_text(&frontend(2, "")).unwrap();
    assert!(cluster.run_until_condition(MINUTE, |c| available_pods(c) == 2));
    let ready: Vec<String> = cluster.store().pods.keys().cloned().collect();
    // A third pod from a template that crashes: never Ready, restarting.
    cluster
        .write(|api| {
            api.update_replica_set("frontend", |rs| {
                rs.spec.replicas = Some(3);
                rs.spec.template.spec.containers[0].image = "nginx:crash".into();
            })
        })
        .unwrap();
    cluster.advance(30 * SECOND);
    let crashing = cluster.store().pods.keys().find(|p| !ready.contains(p)).unwrap().clone();
    assert!(!cluster.store().pods[&crashing].is_running_and_ready());
    cluster.write(|api| api.scale_replica_set("frontend", 2)).unwrap();
    let last = events(&cluster, "ReplicaSet", "frontend").pop().unwrap();
    assert_eq!(last, format!("SuccessfulDelete: Deleted pod: {crashing}"));
    let names: Vec<String> = active_pods(&cluster).iter().map(|p| p.metadata.name.clone()).collect();
    assert_eq!(names, ready);
}

// ---------------------------------------------------------------- garbage collection

#[test]
fn garbage_collector_deletes_the_replica_sets_and_pods_of_a_deleted_deployment() {
    let mut cluster = started(&web(3, "nginx:1.25", ""));
    set_image(&mut cluster, "nginx:1.26");
    settle(&mut cluster);
    assert_eq!(cluster.store().replica_sets.len(), 2);
    assert!(cluster.delete_deployment("web", true));
    assert!(cluster.store().replica_sets.is_empty(), "both ReplicaSets collected");
    assert!(cluster.store().pods.values().all(|p| p.metadata.is_terminating()), "their pods are being deleted");
    assert!(cluster.run_until_condition(MINUTE, |c| c.store().pods.is_empty()));
}

#[test]
fn orphan_deletion_keeps_the_replica_set_which_a_new_deployment_adopts() {
    let mut cluster = started(&web(2, "nginx:1.25", ""));
    let rs = replica_sets(&cluster)[0].metadata.name.clone();
    let pods: Vec<String> = cluster.store().pods.keys().cloned().collect();
    assert!(cluster.delete_deployment("web", false));
    assert!(cluster.store().replica_sets[&rs].metadata.owner_references.is_empty(), "orphaned");
    cluster.advance(MINUTE);
    assert_eq!(cluster.store().pods.keys().cloned().collect::<Vec<_>>(), pods, "the pods keep running");
    // The same Deployment again: it adopts the ReplicaSet (its labels match) and runs no new pod.
    cluster.apply_text(&web(2, "nginx:1.25", "")).unwrap();
    settle(&mut cluster);
    assert_eq!(sizes(&cluster), [(rs, 2)]);
    assert_eq!(cluster.store().pods.keys().cloned().collect::<Vec<_>>(), pods);
}

#[test]
fn claim_pods_a_replica_set_deleted_as_orphan_is_recreated_and_adopts_its_pods() {
    let mut cluster = started(&web(2, "nginx:1.25", ""));
    let rs = replica_sets(&cluster)[0].metadata.name.clone();
    let old_uid = replica_sets(&cluster)[0].metadata.uid.clone();
    let pods: Vec<String> = cluster.store().pods.keys().cloned().collect();
    // `kubectl delete rs --cascade=orphan`: the Deployment makes it again (same name,
    // its template's hash), and the new one adopts the pods: none is replaced.
    assert!(cluster.write(|api| api.delete_replica_set(&rs, false)));
    let again = replica_sets(&cluster)[0];
    assert_eq!(again.metadata.name, rs);
    assert_ne!(again.metadata.uid, old_uid);
    assert_eq!(cluster.store().pods.keys().cloned().collect::<Vec<_>>(), pods);
    let owners: Vec<String> =
        cluster.store().pods.values().filter_map(|p| p.metadata.controller().map(|o| o.uid.clone())).collect();
    assert_eq!(owners, [again.metadata.uid.clone(), again.metadata.uid.clone()]);
    // Deleted with its pods (the default), they go and new ones come.
    assert!(cluster.write(|api| api.delete_replica_set(&rs, true)));
    settle(&mut cluster);
    assert!(cluster.store().pods.keys().all(|p| !pods.contains(p)));
}
