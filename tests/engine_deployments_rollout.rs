//! The Deployment controller (issue 18): the new ReplicaSet and its hash, rolling
//! updates within maxSurge and maxUnavailable, Recreate, proportional scaling, pause,
//! rollback through templates, revision history, minReadySeconds and the progress
//! deadline. Each test is named after the function of kube-controller-manager v1.32's
//! `pkg/controller/deployment` (or the rule) it models.

use sts_playground::core::api::yaml::Value;
use sts_playground::core::api::*;
use sts_playground::core::cluster::Cluster;
use sts_playground::core::controllers::deployment::{
    compute_hash, reconcile, template_of_revision, Change, DeploymentState,
};
use sts_playground::core::sorted::SortedMap;
use sts_playground::core::time::{MINUTE, SECOND};

mod deployment_helpers;
use deployment_helpers::*;

fn int_or_percent(text: &str) -> Value {
    match text.strip_suffix('%') {
        Some(_) => Value::String(text.into()),
        None => Value::Number(text.parse::<i64>().unwrap().into()),
    }
}

fn strategy(surge: &str, unavailable: &str) -> String {
    let quote = |v: &str| if v.ends_with('%') { format!("\"{v}\"") } else { v.to_string() };
    format!(
        "  strategy:\n    rollingUpdate:\n      maxSurge: {}\n      maxUnavailable: {}\n",
        quote(surge),
        quote(unavailable)
    )
}

/// Deployment events since `from` (an index into them).
fn deployment_events(cluster: &Cluster, from: usize) -> Vec<String> {
    events(cluster, "Deployment", "web").into_iter().skip(from).collect()
}

/// Steps the clock until `done`, checking after each step that the rollout keeps
/// within `[replicas - maxUnavailable, replicas + maxSurge]`.
fn step_within_fenceposts(cluster: &mut Cluster, done: impl Fn(&Cluster) -> bool) {
    let d = deployment(cluster);
    let (low, high) = (d.replicas() - d.max_unavailable(), d.replicas() + d.max_surge());
    for _ in 0..10_000 {
        let active = active_pods(cluster).len() as i64;
        let available = available_pods(cluster) as i64;
        assert!(active <= high, "{active} pods at {} (at most {high})", cluster.now());
        assert!(available >= low, "{available} available at {} (at least {low})", cluster.now());
        if done(cluster) {
            return;
        }
        assert!(cluster.step(), "the rollout stopped: {:?}", sizes(cluster));
    }
    panic!("the rollout never finished");
}

// ---------------------------------------------------------------- fenceposts and the hash

#[test]
fn resolve_fenceposts_rounds_surge_up_and_unavailable_down() {
    let resolve = |surge: &str, unavailable: &str, desired: i64| {
        resolve_fenceposts(Some(&int_or_percent(surge)), Some(&int_or_percent(unavailable)), desired)
    };
    assert_eq!(resolve("25%", "25%", 3), (1, 0), "0.75 rounds up to 1 and down to 0");
    assert_eq!(resolve("25%", "25%", 4), (1, 1));
    assert_eq!(resolve("25%", "25%", 10), (3, 2), "2.5 up to 3, down to 2");
    assert_eq!(resolve("2", "1", 10), (2, 1), "integers as they are");
    // Both resolving to 0 (rounding, or the defaults of a missing value): maxUnavailable 1.
    assert_eq!(resolve("0%", "1%", 2), (0, 1));
    assert_eq!(resolve_fenceposts(None, None, 5), (0, 1));
    assert_eq!(scaled_value(&int_or_percent("1%"), 2, true), Ok(1));
    assert_eq!(
        scaled_value(&Value::String("5".into()), 10, true),
        Err("invalid value for IntOrString: invalid type: string is not a percentage".into())
    );
}

#[test]
fn max_unavailable_is_at_most_the_replicas_and_zero_for_recreate() {
    let mut cluster = new_cluster();
    cluster.apply_text(&web(3, "nginx:1.25", &strategy("1", "5"))).unwrap();
    assert_eq!((deployment(&cluster).max_surge(), deployment(&cluster).max_unavailable()), (1, 3));
    let mut cluster = new_cluster();
    cluster.apply_text(&web(3, "nginx:1.25", "  strategy:\n    type: Recreate\n")).unwrap();
    assert_eq!((deployment(&cluster).max_surge(), deployment(&cluster).max_unavailable()), (0, 0));
}

#[test]
fn compute_hash_names_the_replica_set_and_labels_its_selector_template_and_pods() {
    let cluster = started(&web(2, "nginx:1.25", ""));
    let d = deployment(&cluster);
    let hash = compute_hash(&d.spec.template, None);
    assert!(hash.chars().all(|c| "bcdfghjklmnpqrstvwxz2456789".contains(c)) && hash.len() >= 5, "{hash}");
    let rs = replica_sets(&cluster)[0];
    assert_eq!(rs.metadata.name, format!("web-{hash}"));
    let label = |labels: &Labels| labels.get(POD_TEMPLATE_HASH_LABEL).cloned();
    assert_eq!(label(&rs.spec.selector.as_ref().unwrap().match_labels), Some(hash.clone()));
    assert_eq!(label(&rs.spec.template.metadata.labels), Some(hash.clone()));
    assert_eq!(label(&rs.metadata.labels), Some(hash.clone()));
    assert!(cluster.store().pods.values().all(|p| label(&p.metadata.labels) == Some(hash.clone())));
    assert_eq!(rs.metadata.controller().map(|o| (o.kind.as_str(), o.name.as_str())), Some(("Deployment", "web")));
    // The same template hashes the same; another image, or a collision count, differently.
    assert_eq!(compute_hash(&d.spec.template.clone(), None), hash);
    let mut other = d.spec.template.clone();
    other.spec.containers[0].image = "nginx:1.26".into();
    assert_ne!(compute_hash(&other, None), hash);
    assert_ne!(compute_hash(&d.spec.template, Some(1)), hash);
}

// ---------------------------------------------------------------- the new ReplicaSet

#[test]
fn get_new_replica_set_creates_it_scaled_up_from_0_with_revision_1() {
    let mut cluster = new_cluster();
    cluster.apply_text(&web(3, "nginx:1.25", "")).unwrap();
    // The first pass of syncDeployment, on the Deployment as the API server stored it.
    let mut d = deployment(&cluster).clone();
    d.status = Default::default();
    d.metadata.annotations.clear();
    let pods = SortedMap::new();
    let changes = reconcile(&DeploymentState { deployment: &d, replica_sets: Vec::new(), pods: &pods, now: 5_000 });
    let hash = compute_hash(&d.spec.template, None);
    let name = format!("web-{hash}");
    let [Change::CreateReplicaSet(rs), Change::Event { kind: "Normal", reason: "ScalingReplicaSet", message }, Change::UpdateStatus { annotations, status: created }, Change::UpdateStatus { status, .. }] =
        changes.as_slice()
    else {
        panic!("{changes:#?}")
    };
    assert_eq!(rs.metadata.name, name);
    assert_eq!(rs.spec.replicas, Some(3), "no old ReplicaSet: all of them at once");
    let annotation = |key: &str| rs.metadata.annotations.get(key).map(String::as_str);
    assert_eq!(
        (annotation(REVISION_ANNOTATION), annotation(DESIRED_REPLICAS_ANNOTATION), annotation(MAX_REPLICAS_ANNOTATION)),
        (Some("1"), Some("3"), Some("4"))
    );
    assert_eq!(message, &format!("Scaled up replica set {name} from 0 to 3"));
    assert_eq!(annotations.get(REVISION_ANNOTATION).map(String::as_str), Some("1"));
    let condition = &created.conditions[0];
    assert_eq!(
        (condition.kind.as_str(), condition.status.as_str(), condition.reason.as_str(), condition.message.clone()),
        ("Progressing", "True", "NewReplicaSetCreated", format!("Created new replica set \"{name}\""))
    );
    assert_eq!((condition.last_update_time, condition.last_transition_time), (5_000, 5_000));
    // Then syncRolloutStatus: nothing available yet.
    assert_eq!((status.observed_generation, status.replicas, status.unavailable_replicas), (1, 0, 3));
    let available = status.conditions.iter().find(|c| c.kind == "Available").unwrap();
    assert_eq!(
        (available.status.as_str(), available.reason.as_str(), available.message.as_str()),
        ("False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.")
    );
    // In the cluster: the same event, from the deployment-controller.
    let event = cluster.events_for("Deployment", "web").next().unwrap();
    assert_eq!((event.source, event.message.as_str()), ("deployment-controller", message.as_str()));
}

#[test]
fn sync_rollout_status_marks_a_complete_rollout_new_replica_set_available() {
    let cluster = started(&web(3, "nginx:1.25", ""));
    let d = deployment(&cluster);
    let name = &replica_sets(&cluster)[0].metadata.name;
    let conditions: Vec<(&str, &str, &str, &str)> = d
        .status
        .conditions
        .iter()
        .map(|c| (c.kind.as_str(), c.status.as_str(), c.reason.as_str(), c.message.as_str()))
        .collect();
    let progressed = format!("ReplicaSet \"{name}\" has successfully progressed.");
    assert_eq!(
        conditions,
        [
            ("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability."),
            ("Progressing", "True", "NewReplicaSetAvailable", progressed.as_str()),
        ]
    );
    let s = &d.status;
    assert_eq!(
        (s.replicas, s.updated_replicas, s.ready_replicas, s.available_replicas, s.unavailable_replicas),
        (3, 3, 3, 3, 0)
    );
    let progressing = d.condition("Progressing").unwrap();
    assert_eq!(progressing.last_transition_time, 0, "True since the ReplicaSet was created");
    assert!(progressing.last_update_time > 0);
}

// ---------------------------------------------------------------- rolling updates

#[test]
fn rolling_update_with_surge_1_unavailable_0_adds_one_then_removes_one() {
    // 25% of 3: maxSurge rounds up to 1, maxUnavailable down to 0.
    let mut cluster = started(&web(3, "nginx:1.25", ""));
    let old = replica_sets(&cluster)[0].metadata.name.clone();
    let before = deployment_events(&cluster, 0).len();
    set_image(&mut cluster, "nginx:1.26");
    let new = replica_sets(&cluster)[1].metadata.name.clone();
    step_within_fenceposts(&mut cluster, complete);
    let scaled = |dir: &str, rs: &str, from: i64, to: i64| {
        format!("ScalingReplicaSet: Scaled {dir} replica set {rs} from {from} to {to}")
    };
    assert_eq!(
        deployment_events(&cluster, before),
        [
            scaled("up", &new, 0, 1),
            scaled("down", &old, 3, 2),
            scaled("up", &new, 1, 2),
            scaled("down", &old, 2, 1),
            scaled("up", &new, 2, 3),
            scaled("down", &old, 1, 0),
        ]
    );
    assert_eq!(sizes(&cluster), [(old, 0), (new.clone(), 3)]);
    assert_eq!(deployment(&cluster).metadata.annotations.get(REVISION_ANNOTATION).map(String::as_str), Some("2"));
    assert_eq!(progressing(&cluster).1, "NewReplicaSetAvailable");
    assert!(progressing(&cluster).2.contains(&new));
}

#[test]
fn rolling_update_with_surge_0_unavailable_1_removes_one_before_adding_one() {
    let mut cluster = started(&web(3, "nginx:1.25", &strategy("0", "1")));
    let old = replica_sets(&cluster)[0].metadata.name.clone();
    let before = deployment_events(&cluster, 0).len();
    set_image(&mut cluster, "nginx:1.26");
    let new = replica_sets(&cluster)[1].metadata.name.clone();
    assert_eq!(sizes(&cluster)[1], (new.clone(), 1), "created at 0, scaled up once an old pod went");
    let first_two: Vec<String> = deployment_events(&cluster, before).into_iter().take(2).collect();
    assert_eq!(
        first_two,
        [
            format!("ScalingReplicaSet: Scaled down replica set {old} from 3 to 2"),
            format!("ScalingReplicaSet: Scaled up replica set {new} from 0 to 1"),
        ]
    );
    step_within_fenceposts(&mut cluster, complete);
}

#[test]
fn rolling_update_keeps_between_min_available_and_max_surge_on_every_step() {
    for (replicas, surge, unavailable) in [(4, "25%", "25%"), (5, "2", "0"), (5, "40%", "40%"), (2, "0", "50%")] {
        let mut cluster = started(&web(replicas, "nginx:1.25", &strategy(surge, unavailable)));
        set_image(&mut cluster, "nginx:1.26");
        step_within_fenceposts(&mut cluster, complete);
        assert!(active_pods(&cluster).iter().all(|p| p.spec.containers[0].image == "nginx:1.26"));
    }
}

#[test]
fn is_pod_available_min_ready_seconds_holds_the_rollout_back() {
    let mut cluster = started(&web(2, "nginx:1.25", "  minReadySeconds: 10\n"));
    set_image(&mut cluster, "nginx:1.26");
    let new = replica_sets(&cluster)[1].metadata.name.clone();
    assert_eq!(replica_sets(&cluster)[1].spec.min_ready_seconds, Some(10), "the ReplicaSet gets minReadySeconds");
    let new_ready =
        |c: &Cluster| active_pods(c).iter().any(|p| p.metadata.name.starts_with(&new) && p.is_running_and_ready());
    assert!(cluster.run_until_condition(MINUTE, new_ready));
    let ready_at = cluster.now();
    cluster.run_until(ready_at + 9 * SECOND);
    assert_eq!(sizes(&cluster)[0].1, 2, "the old ReplicaSet waits while the new pod is not yet available");
    cluster.run_until(ready_at + 10 * SECOND);
    assert_eq!(sizes(&cluster)[0].1, 1, "available after minReadySeconds: one old pod goes");
    settle(&mut cluster);
}

// ---------------------------------------------------------------- Recreate

#[test]
fn rollout_recreate_scales_old_to_0_and_waits_for_old_pods_to_be_gone() {
    let mut cluster = started(&web(2, "nginx:1.25", "  strategy:\n    type: Recreate\n"));
    let old = replica_sets(&cluster)[0].metadata.name.clone();
    let before = deployment_events(&cluster, 0).len();
    set_image(&mut cluster, "nginx:1.26");
    assert_eq!(sizes(&cluster), [(old.clone(), 0)], "no new ReplicaSet while old pods run");
    assert_eq!(
        deployment_events(&cluster, before),
        [format!("ScalingReplicaSet: Scaled down replica set {old} from 2 to 0")]
    );
    assert_eq!(cluster.store().pods.len(), 2, "terminating, still there");
    let mut overlapped = false;
    let done = |c: &Cluster| replica_sets(c).len() == 2 && complete(c);
    while !done(&cluster) {
        let pods: Vec<&String> = cluster.store().pods.keys().collect();
        overlapped |= pods.iter().any(|p| p.starts_with(&old)) && pods.iter().any(|p| !p.starts_with(&old));
        assert!(cluster.step());
    }
    assert!(!overlapped, "no new pod while an old one existed");
    let new = replica_sets(&cluster)[1].metadata.name.clone();
    assert_eq!(
        deployment_events(&cluster, before + 1),
        [format!("ScalingReplicaSet: Scaled up replica set {new} from 0 to 2")]
    );
}

// ---------------------------------------------------------------- scaling

#[test]
fn is_scaling_event_scales_the_replica_set_without_a_rollout() {
    let mut cluster = started(&web(3, "nginx:1.25", ""));
    let name = replica_sets(&cluster)[0].metadata.name.clone();
    cluster.scale_deployment("web", 5).unwrap();
    assert_eq!(
        deployment_events(&cluster, 1),
        [format!("ScalingReplicaSet: Scaled up replica set {name} from 3 to 5")]
    );
    let rs = replica_sets(&cluster)[0];
    let annotation = |key: &str| rs.metadata.annotations.get(key).map(String::as_str);
    // max-replicas: 5 + maxSurge (25% of 5 rounds up to 2).
    assert_eq!((annotation(DESIRED_REPLICAS_ANNOTATION), annotation(MAX_REPLICAS_ANNOTATION)), (Some("5"), Some("7")));
    assert_eq!(annotation(REVISION_ANNOTATION), Some("1"), "no new revision");
    settle(&mut cluster);
    assert_eq!(replica_sets(&cluster).len(), 1);
}

#[test]
fn scale_adds_replicas_in_proportion_to_each_replica_sets_size() {
    // The Kubernetes documentation's example: 10 replicas, maxSurge 3, maxUnavailable 2,
    // an image that cannot be pulled: the rollout sticks at 8 old and 5 new; scaled to
    // 15, the 5 more go 3 to the old ReplicaSet and 2 to the new one.
    let mut cluster = started(&web(10, "nginx:1.25", &strategy("3", "2")));
    set_image(&mut cluster, "nginx:missing");
    cluster.advance(MINUTE);
    let (old, new) = (replica_sets(&cluster)[0].metadata.name.clone(), replica_sets(&cluster)[1].metadata.name.clone());
    assert_eq!(sizes(&cluster), [(old.clone(), 8), (new.clone(), 5)]);
    let before = deployment_events(&cluster, 0).len();
    cluster.scale_deployment("web", 15).unwrap();
    assert_eq!(sizes(&cluster), [(old.clone(), 11), (new.clone(), 7)]);
    assert_eq!(
        deployment_events(&cluster, before),
        [
            format!("ScalingReplicaSet: Scaled up replica set {old} from 8 to 11"),
            format!("ScalingReplicaSet: Scaled up replica set {new} from 5 to 7"),
        ]
    );
    // Scaled down to 5: 8 allowed (5 + maxSurge 3), the larger loses more: 11 × 8/18
    // rounds to 5, 7 × 8/18 to 3. (Then the rollout goes on: 5 old pods are available
    // where 3 are enough.)
    let before = deployment_events(&cluster, 0).len();
    cluster.scale_deployment("web", 5).unwrap();
    let scaled: Vec<String> = deployment_events(&cluster, before).into_iter().take(2).collect();
    assert_eq!(
        scaled,
        [
            format!("ScalingReplicaSet: Scaled down replica set {old} from 11 to 5"),
            format!("ScalingReplicaSet: Scaled down replica set {new} from 7 to 3"),
        ]
    );
}

// ---------------------------------------------------------------- pause, rollback, history

#[test]
fn paused_deployment_scales_but_rolls_out_only_when_resumed() {
    let mut cluster = started(&web(2, "nginx:1.25", ""));
    let old = replica_sets(&cluster)[0].metadata.name.clone();
    cluster.update_deployment("web", |d| d.spec.paused = Some(true)).unwrap();
    assert_eq!(progressing(&cluster), ("Unknown".into(), "DeploymentPaused".into(), "Deployment is paused".into()));
    set_image(&mut cluster, "nginx:1.26");
    cluster.scale_deployment("web", 3).unwrap();
    cluster.advance(MINUTE);
    assert_eq!(sizes(&cluster), [(old.clone(), 3)], "scaled, not rolled out");
    let d = deployment(&cluster);
    assert_eq!(d.status.observed_generation, d.metadata.generation, "the paused spec is observed");
    cluster.update_deployment("web", |d| d.spec.paused = None).unwrap();
    let names: Vec<String> = replica_sets(&cluster).iter().map(|rs| rs.metadata.name.clone()).collect();
    assert_eq!(names.len(), 2, "resumed: the new ReplicaSet");
    settle(&mut cluster);
    assert!(active_pods(&cluster).iter().all(|p| p.spec.containers[0].image == "nginx:1.26"));
    assert_eq!(progressing(&cluster).1, "NewReplicaSetAvailable");
}

#[test]
fn set_new_replica_set_annotations_a_rollback_reuses_the_old_replica_set_with_a_new_revision() {
    let mut cluster = started(&web(2, "nginx:1.25", ""));
    let first = replica_sets(&cluster)[0].metadata.name.clone();
    set_image(&mut cluster, "nginx:1.26");
    settle(&mut cluster);
    let second = replica_sets(&cluster)[1].metadata.name.clone();
    // Back to the first template (`kubectl apply` of the old manifest).
    cluster.apply_text(&web(2, "nginx:1.25", "")).unwrap();
    settle(&mut cluster);
    let annotations = |c: &Cluster, name: &str| c.store().replica_sets[name].metadata.annotations.clone();
    assert_eq!(replica_sets(&cluster).len(), 2, "no new ReplicaSet: the template's own");
    assert_eq!(sizes(&cluster), [(first.clone(), 2), (second.clone(), 0)]);
    assert_eq!(annotations(&cluster, &first).get(REVISION_ANNOTATION).map(String::as_str), Some("3"));
    assert_eq!(annotations(&cluster, &first).get(REVISION_HISTORY_ANNOTATION).map(String::as_str), Some("1"));
    assert_eq!(deployment(&cluster).metadata.annotations.get(REVISION_ANNOTATION).map(String::as_str), Some("3"));
    // And forth, and back again: the history grows.
    set_image(&mut cluster, "nginx:1.26");
    settle(&mut cluster);
    cluster.apply_text(&web(2, "nginx:1.25", "")).unwrap();
    settle(&mut cluster);
    assert_eq!(annotations(&cluster, &second).get(REVISION_ANNOTATION).map(String::as_str), Some("4"));
    assert_eq!(annotations(&cluster, &second).get(REVISION_HISTORY_ANNOTATION).map(String::as_str), Some("2"));
    assert_eq!(annotations(&cluster, &first).get(REVISION_ANNOTATION).map(String::as_str), Some("5"));
    assert_eq!(annotations(&cluster, &first).get(REVISION_HISTORY_ANNOTATION).map(String::as_str), Some("1,3"));
}

#[test]
fn template_of_revision_gives_rollout_undo_the_previous_template() {
    let mut cluster = started(&web(2, "nginx:1.25", ""));
    let original = deployment(&cluster).spec.template.clone();
    set_image(&mut cluster, "nginx:1.26");
    settle(&mut cluster);
    let store = cluster.store();
    let previous = template_of_revision(&store.replica_sets, deployment(&cluster), 0).unwrap();
    assert_eq!(previous, original, "without the pod-template-hash label");
    assert_eq!(
        template_of_revision(&store.replica_sets, deployment(&cluster), 2).unwrap().spec.containers[0].image,
        "nginx:1.26"
    );
    assert_eq!(
        template_of_revision(&store.replica_sets, deployment(&cluster), 9),
        Err("unable to find specified revision 9 in history".into())
    );
    cluster.update_deployment("web", |d| d.spec.template = previous).unwrap();
    settle(&mut cluster);
    assert!(active_pods(&cluster).iter().all(|p| p.spec.containers[0].image == "nginx:1.25"));
    assert_eq!(replica_sets(&cluster).len(), 2);
}

#[test]
fn cleanup_deployment_keeps_revision_history_limit_old_replica_sets() {
    let mut cluster = started(&web(2, "nginx:1.25", "  revisionHistoryLimit: 1\n"));
    let first = replica_sets(&cluster)[0].metadata.name.clone();
    set_image(&mut cluster, "nginx:1.26");
    settle(&mut cluster);
    cluster.advance(SECOND);
    assert_eq!(replica_sets(&cluster).len(), 2, "one old ReplicaSet is kept");
    set_image(&mut cluster, "nginx:1.27");
    settle(&mut cluster);
    cluster.advance(SECOND);
    let names: Vec<String> = sizes(&cluster).into_iter().map(|(name, _)| name).collect();
    assert_eq!(names.len(), 2);
    assert!(!names.contains(&first), "the lowest revision went");
    let revisions: Vec<Option<i64>> = replica_sets(&cluster).iter().map(|rs| rs.revision()).collect();
    assert_eq!(revisions, [Some(2), Some(3)]);
    // With a limit of 0 no old ReplicaSet is kept.
    cluster.apply_text(&web(2, "nginx:1.27", "  revisionHistoryLimit: 0\n")).unwrap();
    cluster.advance(SECOND);
    assert_eq!(replica_sets(&cluster).len(), 1);
}

// ---------------------------------------------------------------- progress and collisions

#[test]
fn deployment_timed_out_turns_progressing_false_with_progress_deadline_exceeded() {
    let mut cluster = new_cluster();
    cluster.apply_text(&web(1, "nginx:missing", "  progressDeadlineSeconds: 30\n")).unwrap();
    let name = replica_sets(&cluster)[0].metadata.name.clone();
    assert_eq!(
        progressing(&cluster),
        ("True".into(), "ReplicaSetUpdated".into(), format!("ReplicaSet \"{name}\" is progressing."))
    );
    let last_progress = deployment(&cluster).condition("Progressing").unwrap().last_update_time;
    cluster.run_until(last_progress + 30 * SECOND);
    assert_eq!(progressing(&cluster).0, "True", "not past the deadline yet");
    cluster.run_until(last_progress + 31 * SECOND);
    assert_eq!(
        progressing(&cluster),
        (
            "False".into(),
            "ProgressDeadlineExceeded".into(),
            format!("ReplicaSet \"{name}\" has timed out progressing.")
        )
    );
    // A working template makes it progress again.
    set_image(&mut cluster, "nginx:1.25");
    assert_eq!(progressing(&cluster).0, "True");
    settle(&mut cluster);
    assert_eq!(progressing(&cluster).1, "NewReplicaSetAvailable");
}

#[test]
fn get_new_replica_set_bumps_collision_count_on_a_hash_collision() {
    // The name the Deployment's ReplicaSet will want, taken by a ReplicaSet of others.
    let mut scratch = new_cluster();
    scratch.apply_text(&web(1, "nginx:1.25", "")).unwrap();
    let template = deployment(&scratch).spec.template.clone();
    let wanted = format!("web-{}", compute_hash(&template, None));
    let squatter = frontend(1, "").replace("name: frontend", &format!("name: {wanted}"));
    let mut cluster = new_cluster();
    cluster.apply_text(&squatter).unwrap();
    cluster.apply_text(&web(1, "nginx:1.25", "")).unwrap();
    assert!(cluster.run_until_condition(MINUTE, |c| deployment(c).status.available_replicas == 1));
    assert_eq!(deployment(&cluster).status.collision_count, Some(1));
    let names: Vec<String> = replica_sets(&cluster).iter().map(|rs| rs.metadata.name.clone()).collect();
    assert_eq!(names, [format!("web-{}", compute_hash(&template, Some(1)))]);
    assert!(cluster.store().replica_sets[&wanted].metadata.owner_references.is_empty(), "the other one is left alone");
}
