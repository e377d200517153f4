//! The pure reconciler on hand-built snapshots, as kube-controller-manager's
//! `stateful_set_control_test.go` does: no Cluster runs; each test lays out the
//! pods, claims and revisions one sync pass would read and checks the API calls
//! it asks for. Each test is named after the rule of
//! `/work/shared/reference/statefulset-behavior.md` it checks.

use crate::core::api::manifest::parse_manifest;
use crate::core::apiserver::{decode, default_stateful_set, Object};
use crate::core::sorted::SortedMap;

use super::*;

// ---------------------------------------------------------------- snapshot helpers

/// The tutorial's `web` set; `spec` lines (unindented) are added under `spec:`.
fn web(spec: &str) -> StatefulSet {
    let text = crate::core::controllers::fixtures::web_set_yaml(spec);
    let documents = parse_manifest(&text).expect("manifest parses");
    let Ok(Object::StatefulSet(mut set)) = decode(&documents[0]) else { panic!("not a StatefulSet") };
    default_stateful_set(&mut set);
    set.metadata.uid = "uid-web".into();
    set.metadata.generation = 1;
    set
}

/// `set` with its (only) container's image changed: a new pod template.
fn with_image(set: &StatefulSet, image: &str) -> StatefulSet {
    let mut set = set.clone();
    set.spec.template.spec.containers[0].image = image.into();
    set
}

/// The ControllerRevision the controller makes for `set`'s present template (§3.2),
/// as the API server would hand it back, numbered `number`.
fn revision(set: &StatefulSet, number: i64) -> ControllerRevision {
    ControllerRevision {
        metadata: ObjectMeta {
            name: revision_name_for(set.name(), &set.spec.template, 0),
            owner_references: vec![owner_reference(set)],
            ..Default::default()
        },
        data: set.spec.template.clone(),
        revision: number,
    }
}

/// Pod `ordinal` as the controller creates it from `revision` (Pending, §1.5).
fn pod(set: &StatefulSet, revision: &ControllerRevision, ordinal: i64) -> Pod {
    let mut pod = new_pod(set, &revision.data, &revision.metadata.name, ordinal);
    pod.metadata.uid = format!("uid-web-{ordinal}");
    pod
}

/// §2.8: phase Running and condition Ready=True.
fn ready(mut pod: Pod) -> Pod {
    pod.status.phase = "Running".into();
    pod.status.conditions =
        vec![PodCondition { kind: "Ready".into(), status: "True".into(), last_transition_time: Some(0) }];
    pod
}

/// Running, its readiness probe not yet passing.
fn running_not_ready(mut pod: Pod) -> Pod {
    pod.status.phase = "Running".into();
    pod.status.conditions =
        vec![PodCondition { kind: "Ready".into(), status: "False".into(), last_transition_time: Some(0) }];
    pod
}

/// Deleted, still shutting down (Terminating).
fn terminating(mut pod: Pod) -> Pod {
    pod.metadata.deletion_timestamp = Some(1);
    pod
}

/// The claims `www-web-<ordinal>` for `ordinals`, Bound.
fn claims(ordinals: std::ops::Range<i64>) -> Vec<PersistentVolumeClaim> {
    ordinals
        .map(|ordinal| PersistentVolumeClaim {
            metadata: ObjectMeta::named(&claim_name_for("www", "web", ordinal)),
            status: PersistentVolumeClaimStatus { phase: "Bound".into(), ..Default::default() },
            ..Default::default()
        })
        .collect()
}

/// One sync pass over a snapshot: the controller's view of the pods caught up from
/// scratch, claims looked up as the controller does, at time 0.
fn pass(
    set: &StatefulSet,
    pods: &[Pod],
    claims: &[PersistentVolumeClaim],
    revisions: &[ControllerRevision],
) -> Vec<Change> {
    pass_at(0, set, pods, claims, revisions)
}

/// [`pass`] at virtual time `now`.
fn pass_at(
    now: u64,
    set: &StatefulSet,
    pods: &[Pod],
    claims: &[PersistentVolumeClaim],
    revisions: &[ControllerRevision],
) -> Vec<Change> {
    let pods: SortedMap<String, Pod> = pods.iter().map(|p| (p.metadata.name.clone(), p.clone())).collect();
    let claims: SortedMap<String, PersistentVolumeClaim> =
        claims.iter().map(|c| (c.metadata.name.clone(), c.clone())).collect();
    let mut members = Members::default();
    members.catch_up(set, &pods, &claims);
    pass_over(&members, now, set, &claims, revisions)
}

/// One sync pass at `now` over a view of the members (built afresh, or kept across
/// passes as the controller keeps it), claims looked up as the controller does.
fn pass_over(
    members: &Members,
    now: u64,
    set: &StatefulSet,
    claims: &SortedMap<String, PersistentVolumeClaim>,
    revisions: &[ControllerRevision],
) -> Vec<Change> {
    let claim = |name: &str| match claims.get(name) {
        None => ClaimState::Missing,
        Some(c) if c.metadata.is_terminating() => ClaimState::Deleting,
        Some(c) => ClaimState::Present { owner: c.metadata.controller().cloned() },
    };
    let state =
        SetState { set, members, revisions: revisions.iter().collect(), claim: &claim, any_claim_owned: false, now };
    reconcile(&state)
}

/// The API calls that change objects, in order, as short strings (events and the
/// status write left out).
fn actions(changes: &[Change]) -> Vec<String> {
    changes
        .iter()
        .filter_map(|change| match change {
            Change::CreateRevision(r) => Some(format!("create revision {}", r.metadata.name)),
            Change::RenumberRevision { name, revision } => Some(format!("renumber revision {name} to {revision}")),
            Change::DeleteRevision(name) => Some(format!("delete revision {name}")),
            Change::CreateClaim(c) => Some(format!("create claim {}", c.metadata.name)),
            Change::CreatePod(p) => Some(format!("create pod {}", p.metadata.name)),
            Change::DeletePod(name) => Some(format!("delete pod {name}")),
            Change::RepairPodIdentity(name) => Some(format!("repair pod {name}")),
            Change::SetClaimOwner { claim, .. } => Some(format!("set owner of claim {claim}")),
            Change::UpdateStatus(_) | Change::Event { .. } => None,
        })
        .collect()
}

/// The pods the pass creates.
fn created_pods(changes: &[Change]) -> Vec<&Pod> {
    changes
        .iter()
        .filter_map(|change| match change {
            Change::CreatePod(p) => Some(p),
            _ => None,
        })
        .collect()
}

/// A set whose template moved from `old` (revision 1) to `new` (revision 2), with
/// `status.currentRevision` still at the old one, and three Ready pods of the old one.
fn mid_update(set: StatefulSet) -> (StatefulSet, ControllerRevision, ControllerRevision, Vec<Pod>) {
    let old = revision(&set, 1);
    let mut set = with_image(&set, "registry.k8s.io/nginx-slim:0.9");
    let new = revision(&set, 2);
    set.status.current_revision = old.metadata.name.clone();
    set.status.update_revision = new.metadata.name.clone();
    set.status.current_replicas = 3;
    let pods = (0..3).map(|o| ready(pod(&set, &old, o))).collect();
    (set, old, new, pods)
}

// ---------------------------------------------------------------- creation (§2.1–§2.5)

/// §2.1 / §3.2 / §3.4: the first pass records the template as revision 1 and, in
/// OrderedReady (§2.2, §2.3(2)), creates only web-0: its claim first (§4.1), then the
/// pod, then stops.
#[test]
fn rule_2_3_ordered_ready_first_pass_creates_only_ordinal_0_claim_before_pod() {
    let set = web("replicas: 3");
    let changes = pass(&set, &[], &[], &[]);
    let name = revision_name_for("web", &set.spec.template, 0);
    assert_eq!(
        actions(&changes),
        [format!("create revision {name}"), "create claim www-web-0".into(), "create pod web-0".into()]
    );
    let Some(Change::CreateRevision(created)) = changes.first() else { panic!("a revision first: {changes:?}") };
    assert_eq!(created.revision, 1, "§3.2: the first revision is number 1");
    assert_eq!(created.data, set.spec.template);
    // §1.5: the pod carries the revision's full name.
    assert_eq!(created_pods(&changes)[0].revision(), name);
}

/// §2.3(5) / §2.4: web-0 Running but not Ready blocks every higher ordinal.
#[test]
fn rule_2_4_ordered_ready_an_unready_pod_blocks_creation_of_the_next() {
    let set = web("replicas: 3");
    let rev = revision(&set, 1);
    let changes = pass(&set, &[running_not_ready(pod(&set, &rev, 0))], &claims(0..1), &[rev.clone()]);
    assert_eq!(actions(&changes), Vec::<String>::new(), "nothing is created while web-0 is not Ready");
    // Pending (not yet running) blocks as well (§2.3(5)).
    let changes = pass(&set, &[pod(&set, &rev, 0)], &claims(0..1), &[rev]);
    assert_eq!(actions(&changes), Vec::<String>::new(), "nothing is created while web-0 is Pending");
}

/// §2.3(2) / §2.4: once web-0 is Running and Ready, the next pass creates web-1 (and
/// only web-1), claim first.
#[test]
fn rule_2_4_ordered_ready_creates_the_next_ordinal_once_the_previous_is_ready() {
    let set = web("replicas: 3");
    let rev = revision(&set, 1);
    let changes = pass(&set, &[ready(pod(&set, &rev, 0))], &claims(0..1), &[rev.clone()]);
    assert_eq!(actions(&changes), ["create claim www-web-1", "create pod web-1"]);
    assert_eq!(created_pods(&changes)[0].revision(), rev.metadata.name);
}

/// §2.2 / §2.5: Parallel creates every missing replica in one pass, ascending, each
/// pod after its claim.
#[test]
fn rule_2_5_parallel_creates_all_replicas_in_one_pass() {
    let set = web("replicas: 3\npodManagementPolicy: Parallel");
    let rev = revision(&set, 1);
    let changes = pass(&set, &[], &[], &[rev]);
    assert_eq!(
        actions(&changes),
        [
            "create claim www-web-0",
            "create pod web-0",
            "create claim www-web-1",
            "create pod web-1",
            "create claim www-web-2",
            "create pod web-2"
        ]
    );
    // Nothing waits on readiness either: web-0 Pending does not hold back web-1, web-2.
    let set = web("replicas: 3\npodManagementPolicy: Parallel");
    let rev = revision(&set, 1);
    let changes = pass(&set, &[pod(&set, &rev, 0)], &claims(0..1), &[rev]);
    assert_eq!(
        actions(&changes),
        ["create claim www-web-1", "create pod web-1", "create claim www-web-2", "create pod web-2"]
    );
}

// ---------------------------------------------------------------- scale-down (§2.6, §2.7)

/// §1.4 / §2.6: scaling 3 → 1 in OrderedReady deletes the highest condemned pod,
/// web-2, and only it, this pass.
#[test]
fn rule_2_6_ordered_ready_scale_down_deletes_the_highest_ordinal_only() {
    let set = web("replicas: 1");
    let rev = revision(&set, 1);
    let pods: Vec<Pod> = (0..3).map(|o| ready(pod(&set, &rev, o))).collect();
    let changes = pass(&set, &pods, &claims(0..3), &[rev]);
    assert_eq!(actions(&changes), ["delete pod web-2"]);
    assert!(changes.iter().any(|c| matches!(c,
        Change::Event { reason: "SuccessfulDelete", message, .. } if message == "delete Pod web-2 in StatefulSet web successful")));
}

/// §2.6: while the highest condemned pod is Terminating the pass waits; web-1 is
/// not deleted until web-2 is gone.
#[test]
fn rule_2_6_ordered_ready_scale_down_waits_for_the_terminating_pod_to_vanish() {
    let set = web("replicas: 1");
    let rev = revision(&set, 1);
    let pods = vec![ready(pod(&set, &rev, 0)), ready(pod(&set, &rev, 1)), terminating(ready(pod(&set, &rev, 2)))];
    let changes = pass(&set, &pods, &claims(0..3), &[rev]);
    assert_eq!(actions(&changes), Vec::<String>::new());
}

/// §2.7: an unready condemned pod that is not the first unavailable pod blocks
/// scale-down (web-1 and web-2 both unready: web-1 is the first, web-2 blocks).
#[test]
fn rule_2_7_scale_down_blocks_on_an_unready_pod_that_is_not_the_first_unavailable() {
    let set = web("replicas: 1");
    let rev = revision(&set, 1);
    let pods =
        vec![ready(pod(&set, &rev, 0)), running_not_ready(pod(&set, &rev, 1)), running_not_ready(pod(&set, &rev, 2))];
    let changes = pass(&set, &pods, &claims(0..3), &[rev]);
    assert_eq!(actions(&changes), Vec::<String>::new());
}

/// §2.7: when the highest condemned pod is itself the first unavailable pod it is
/// deleted even though unready.
#[test]
fn rule_2_7_scale_down_deletes_an_unready_pod_that_is_the_first_unavailable() {
    let set = web("replicas: 1");
    let rev = revision(&set, 1);
    let pods = vec![ready(pod(&set, &rev, 0)), ready(pod(&set, &rev, 1)), running_not_ready(pod(&set, &rev, 2))];
    let changes = pass(&set, &pods, &claims(0..3), &[rev]);
    assert_eq!(actions(&changes), ["delete pod web-2"]);
}

/// §2.4: an unready in-range pod blocks scale-down too (phase A stops first).
#[test]
fn rule_2_4_ordered_ready_an_unready_in_range_pod_blocks_scale_down() {
    let set = web("replicas: 1");
    let rev = revision(&set, 1);
    let pods = vec![running_not_ready(pod(&set, &rev, 0)), ready(pod(&set, &rev, 1)), ready(pod(&set, &rev, 2))];
    let changes = pass(&set, &pods, &claims(0..3), &[rev]);
    assert_eq!(actions(&changes), Vec::<String>::new());
}

// ---------------------------------------------------------------- updates (§3.5, §3.6, §3.8)

/// §3.5: a RollingUpdate deletes the highest out-of-date pod first, one at a time,
/// and waits for its replacement to be Ready before the next.
#[test]
fn rule_3_5_rolling_update_deletes_the_highest_outdated_pod_first_one_at_a_time() {
    let (set, old, new, mut pods) = mid_update(web("replicas: 3"));
    let revisions = [old.clone(), new.clone()];
    let changes = pass(&set, &pods, &claims(0..3), &revisions);
    assert_eq!(actions(&changes), ["delete pod web-2"]);

    // web-2 back at the new revision but not Ready yet: the update waits (§2.4, §3.5).
    pods[2] = running_not_ready(pod(&set, &new, 2));
    assert_eq!(actions(&pass(&set, &pods, &claims(0..3), &revisions)), Vec::<String>::new());

    // web-2 Ready: web-1 is next.
    pods[2] = ready(pod(&set, &new, 2));
    assert_eq!(actions(&pass(&set, &pods, &claims(0..3), &revisions)), ["delete pod web-1"]);
}

/// §3.6 / §3.5: with partition 2 only ordinals ≥ 2 are updated: web-2 is deleted,
/// and once it runs the new revision web-0 and web-1 are left alone.
#[test]
fn rule_3_6_partition_updates_only_ordinals_at_or_above_the_partition() {
    let (set, old, new, mut pods) =
        mid_update(web("replicas: 3\nupdateStrategy:\n  type: RollingUpdate\n  rollingUpdate:\n    partition: 2"));
    assert_eq!(set.partition(), 2);
    let revisions = [old.clone(), new.clone()];
    let changes = pass(&set, &pods, &claims(0..3), &revisions);
    assert_eq!(actions(&changes), ["delete pod web-2"]);

    pods[2] = ready(pod(&set, &new, 2));
    let changes = pass(&set, &pods, &claims(0..3), &revisions);
    assert_eq!(actions(&changes), Vec::<String>::new(), "web-0 and web-1 stay at the old revision");
}

/// §2.10 / §3.6: a pod below the partition deleted by hand comes back at the current
/// (old) revision; one at or above it at the update revision.
#[test]
fn rule_3_6_a_recreated_pod_gets_the_current_revision_below_the_partition() {
    let (set, old, new, pods) =
        mid_update(web("replicas: 3\nupdateStrategy:\n  type: RollingUpdate\n  rollingUpdate:\n    partition: 2"));
    let revisions = [old.clone(), new.clone()];
    let without_web_0 = &pods[1..];
    let changes = pass(&set, without_web_0, &claims(0..3), &revisions);
    assert_eq!(actions(&changes), ["create pod web-0"]);
    let created = created_pods(&changes)[0];
    assert_eq!(created.revision(), old.metadata.name);
    assert_eq!(created.spec.containers[0].image, "registry.k8s.io/nginx-slim:0.8");

    let without_web_2 = &pods[..2];
    let changes = pass(&set, without_web_2, &claims(0..3), &revisions);
    assert_eq!(actions(&changes), ["create pod web-2"]);
    let created = created_pods(&changes)[0];
    assert_eq!(created.revision(), new.metadata.name);
    assert_eq!(created.spec.containers[0].image, "registry.k8s.io/nginx-slim:0.9");
}

/// §3.8: OnDelete never deletes a pod for a template change.
#[test]
fn rule_3_8_on_delete_deletes_no_pod_for_a_changed_template() {
    let (set, old, new, pods) = mid_update(web("replicas: 3\nupdateStrategy:\n  type: OnDelete"));
    assert!(set.is_on_delete());
    let changes = pass(&set, &pods, &claims(0..3), &[old.clone(), new.clone()]);
    assert_eq!(actions(&changes), Vec::<String>::new());
    // §2.13: with OnDelete, currentRevision does not advance.
    let status = changes.iter().find_map(|c| match c {
        Change::UpdateStatus(status) => Some(status),
        _ => None,
    });
    let status = status.expect("the pass writes status (observedGeneration moves)");
    assert_eq!(status.current_revision, old.metadata.name);
    assert_eq!(status.update_revision, new.metadata.name);
}

/// §3.8 / §2.10: with OnDelete a pod deleted by the user is recreated at the update
/// revision (the new template), whatever its ordinal.
#[test]
fn rule_3_8_on_delete_recreates_a_missing_pod_at_the_update_revision() {
    let (set, old, new, pods) = mid_update(web("replicas: 3\nupdateStrategy:\n  type: OnDelete"));
    let revisions = [old.clone(), new.clone()];
    for missing in 0..3 {
        let remaining: Vec<Pod> = pods.iter().filter(|p| p.name() != pod_name_for("web", missing)).cloned().collect();
        let changes = pass(&set, &remaining, &claims(0..3), &revisions);
        assert_eq!(actions(&changes), [format!("create pod web-{missing}")], "claims exist already (§4.2)");
        let created = created_pods(&changes)[0];
        assert_eq!(created.revision(), new.metadata.name, "web-{missing} at the update revision");
        assert_eq!(created.spec.containers[0].image, "registry.k8s.io/nginx-slim:0.9");
    }
}

// ---------------------------------------------------------------- history (§3.14)

/// Six templates, revisions 1..=6, the last the set's present template.
fn six_revisions(set: &StatefulSet) -> (StatefulSet, Vec<ControllerRevision>) {
    let mut revisions = Vec::new();
    let mut set = set.clone();
    for number in 1..=6 {
        set = with_image(&set, &format!("registry.k8s.io/nginx-slim:0.{number}"));
        revisions.push(revision(&set, number));
    }
    (set, revisions)
}

/// §3.14: beyond `revisionHistoryLimit`, the oldest revisions that are neither current,
/// update, nor named by a pod are deleted, oldest first; the current revision is kept
/// although it is the oldest of all.
#[test]
fn rule_3_14_history_keeps_the_limit_deleting_the_oldest_never_current_or_update() {
    let base = web("replicas: 3\nrevisionHistoryLimit: 2\nupdateStrategy:\n  rollingUpdate:\n    partition: 2");
    let (mut set, revisions) = six_revisions(&base);
    let name = |i: usize| revisions[i].metadata.name.clone();
    // Current is revision 1 (web-0, web-1), update is revision 6 (web-2): 2..=5 are history.
    set.status.current_revision = name(0);
    let pods = vec![
        ready(pod(&set, &revisions[0], 0)),
        ready(pod(&set, &revisions[0], 1)),
        ready(pod(&set, &revisions[5], 2)),
    ];
    // Any order (SetState.revisions): shuffled, so the pass must sort by number.
    let shuffled: Vec<ControllerRevision> = [3, 0, 5, 1, 4, 2].iter().map(|&i| revisions[i].clone()).collect();
    let changes = pass(&set, &pods, &claims(0..3), &shuffled);
    assert_eq!(actions(&changes), [format!("delete revision {}", name(1)), format!("delete revision {}", name(2))]);
}

/// §3.14: a revision still named by a pod's label is live and kept, even when old.
#[test]
fn rule_3_14_history_keeps_a_revision_a_pod_still_runs() {
    let base = web("replicas: 3\nrevisionHistoryLimit: 1\nupdateStrategy:\n  rollingUpdate:\n    partition: 2");
    let (mut set, revisions) = six_revisions(&base);
    let name = |i: usize| revisions[i].metadata.name.clone();
    // Current 1, update 6, web-1 still at revision 2: history is 3, 4, 5, one kept.
    set.status.current_revision = name(0);
    let pods = vec![
        ready(pod(&set, &revisions[0], 0)),
        ready(pod(&set, &revisions[1], 1)),
        ready(pod(&set, &revisions[5], 2)),
    ];
    let changes = pass(&set, &pods, &claims(0..3), &revisions);
    assert_eq!(actions(&changes), [format!("delete revision {}", name(2)), format!("delete revision {}", name(3))]);
}

/// §3.14: with no more than `revisionHistoryLimit` old revisions nothing is deleted.
#[test]
fn rule_3_14_history_within_the_limit_is_untouched() {
    let base = web("replicas: 3\nrevisionHistoryLimit: 4\nupdateStrategy:\n  rollingUpdate:\n    partition: 2");
    let (mut set, revisions) = six_revisions(&base);
    set.status.current_revision = revisions[0].metadata.name.clone();
    let pods = vec![
        ready(pod(&set, &revisions[0], 0)),
        ready(pod(&set, &revisions[0], 1)),
        ready(pod(&set, &revisions[5], 2)),
    ];
    let changes = pass(&set, &pods, &claims(0..3), &revisions);
    assert_eq!(actions(&changes), Vec::<String>::new());
}

// ---------------------------------------------------------------- gaps cargo-mutants found

/// §2.10: with `type: RollingUpdate` but no `rollingUpdate` block (the API server
/// defaults none when the type is given), a recreated pod takes the current revision
/// below `status.currentReplicas` and the update revision from there on
/// (`newVersionedStatefulSetPod`).
#[test]
fn rule_2_10_without_a_rolling_update_block_current_replicas_decide_the_revision() {
    let (mut set, old, new, pods) = mid_update(web("replicas: 3\nupdateStrategy:\n  type: RollingUpdate"));
    assert!(set.rolling_update().is_none(), "no rollingUpdate block after defaulting");
    set.status.current_replicas = 2;
    let revisions = [old.clone(), new.clone()];
    let changes = pass(&set, &pods[1..], &claims(0..3), &revisions);
    assert_eq!(actions(&changes), ["create pod web-0"]);
    assert_eq!(created_pods(&changes)[0].revision(), old.metadata.name, "ordinal 0 < currentReplicas 2");
    let changes = pass(&set, &pods[..2], &claims(0..3), &revisions);
    assert_eq!(actions(&changes), ["create pod web-2"]);
    assert_eq!(created_pods(&changes)[0].revision(), new.metadata.name, "ordinal 2 ≥ currentReplicas 2");
}

/// §2.7: among two condemned pods, the lower one Ready and the higher one not, the
/// higher one is the first unavailable pod, so it is deleted (the ready one is not
/// the first unavailable merely for coming first).
#[test]
fn rule_2_7_the_first_unavailable_pod_is_looked_for_among_the_condemned_too() {
    let set = web("replicas: 3");
    let rev = revision(&set, 1);
    let mut pods: Vec<Pod> = (0..4).map(|o| ready(pod(&set, &rev, o))).collect();
    pods.push(running_not_ready(pod(&set, &rev, 4)));
    let changes = pass(&set, &pods, &claims(0..5), &[rev.clone()]);
    assert_eq!(actions(&changes), ["delete pod web-4"]);
}

/// §2.7 with minReadySeconds (every slot is visited): pods in range that have been
/// available long enough are not "the first unavailable"; the unready condemned pod is.
#[test]
fn rule_2_7_available_pods_in_range_do_not_count_as_the_first_unavailable() {
    let set = web("replicas: 3\nminReadySeconds: 1");
    let rev = revision(&set, 1);
    let mut pods: Vec<Pod> = (0..4).map(|o| ready(pod(&set, &rev, o))).collect();
    pods.push(running_not_ready(pod(&set, &rev, 4)));
    let changes = pass_at(60_000, &set, &pods, &claims(0..5), &[rev.clone()]);
    assert_eq!(actions(&changes), ["delete pod web-4"]);
}

/// §1.1, §2.10: with `ordinals.start`, currentReplicas count from the first ordinal.
#[test]
fn rule_2_10_current_replicas_count_from_the_start_ordinal() {
    let (mut set, old, new, _) =
        mid_update(web("replicas: 3\nordinals:\n  start: 5\nupdateStrategy:\n  type: RollingUpdate"));
    set.status.current_replicas = 1;
    let pods: Vec<Pod> = [6, 7].iter().map(|o| ready(pod(&set, &old, *o))).collect();
    let changes = pass(&set, &pods, &claims(5..8), &[old.clone(), new.clone()]);
    assert_eq!(actions(&changes), ["create pod web-5"]);
    assert_eq!(created_pods(&changes)[0].revision(), old.metadata.name, "web-5 is the first of currentReplicas 1");
}

/// §3.6 with `ordinals.start`: the partition counts from the first ordinal, so with
/// start 5 and partition 1 a recreated web-5 keeps the current revision.
#[test]
fn rule_3_6_the_partition_counts_from_the_start_ordinal() {
    let spec = "replicas: 3\nordinals:\n  start: 5\nupdateStrategy:\n  type: RollingUpdate\n  rollingUpdate:\n    partition: 1";
    let (set, old, new, _) = mid_update(web(spec));
    let pods: Vec<Pod> = [6, 7].iter().map(|o| ready(pod(&set, &new, *o))).collect();
    let changes = pass(&set, &pods, &claims(5..8), &[old.clone(), new.clone()]);
    assert_eq!(actions(&changes), ["create pod web-5"]);
    assert_eq!(created_pods(&changes)[0].revision(), old.metadata.name, "below the partition");
}

/// §2.3(3), §4.1: a Pending pod whose claim is missing gets it created again
/// (createMissingPersistentVolumeClaims); a running pod's missing claim is left alone.
#[test]
fn rule_2_3_a_pending_pod_gets_its_missing_claim_and_a_running_one_does_not() {
    let set = web("replicas: 2");
    let rev = revision(&set, 1);
    let mut pending = pod(&set, &rev, 1);
    pending.status.phase = "Pending".into();
    let pods = [ready(pod(&set, &rev, 0)), pending];
    // Neither claim exists: only the Pending web-1 has its claim created.
    let changes = pass(&set, &pods, &[], &[rev.clone()]);
    assert_eq!(actions(&changes), ["create claim www-web-1"]);
    // A running pod the pass looks at (not yet ready) gets no claim back either.
    let changes = pass(&set, &[running_not_ready(pod(&set, &rev, 0))], &[], &[rev.clone()]);
    assert_eq!(actions(&changes), Vec::<String>::new());
}

/// §4.12's wait is only for a claim a previous *pod* still owns: a claim the set owns
/// (whenDeleted: Delete) does not hold back the recreated pod, whatever whenScaled says.
#[test]
fn rule_4_12_a_claim_owned_by_the_set_does_not_hold_back_its_pod() {
    let set = web("replicas: 1\npersistentVolumeClaimRetentionPolicy:\n  whenScaled: Delete\n  whenDeleted: Delete");
    let rev = revision(&set, 1);
    let mut claims = claims(0..1);
    claims[0].metadata.owner_references = vec![owner_reference(&set)];
    let changes = pass(&set, &[], &claims, &[rev.clone()]);
    assert_eq!(actions(&changes), ["create pod web-0"]);
}

/// The status a pass writes.
fn status_written(changes: &[Change]) -> StatefulSetStatus {
    changes
        .iter()
        .find_map(|change| match change {
            Change::UpdateStatus(status) => Some(status.clone()),
            _ => None,
        })
        .expect("a status write")
}

/// §1.3: a member's name parses to the set, no other controller owns it, and the
/// selector matches its labels — all three.
#[test]
fn rule_1_3_a_member_needs_the_name_no_other_owner_and_the_labels() {
    let set = web("replicas: 3");
    let rev = revision(&set, 1);
    let member = pod(&set, &rev, 1);
    assert!(is_member(&set, &member));
    let mut other_labels = member.clone();
    other_labels.metadata.labels.insert("app".into(), "other".into());
    assert!(!is_member(&set, &other_labels), "the selector must match");
    let mut other_owner = member.clone();
    other_owner.metadata.owner_references[0].uid = "uid-someone-else".into();
    assert!(!is_member(&set, &other_owner), "another controller owns it");
    let mut other_name = member.clone();
    other_name.metadata.name = "api-1".into();
    assert!(!is_member(&set, &other_name), "the name must parse to the set");
}

/// §2.13 with minReadySeconds (every pod counted one by one): replicas, ready,
/// available (Ready for minReadySeconds), and current/updated by revision, terminating
/// pods left out of those two; collisionCount kept.
#[test]
fn rule_2_13_status_counts_with_min_ready_seconds() {
    let (mut set, old, new, _) = mid_update(web("replicas: 4\nminReadySeconds: 10"));
    set.status.collision_count = 2;
    let mut web3 = ready(pod(&set, &new, 3));
    web3.status.conditions[0].last_transition_time = Some(55_000);
    let pods = [ready(pod(&set, &old, 0)), ready(pod(&set, &old, 1)), terminating(ready(pod(&set, &old, 2))), web3];
    let status = status_written(&pass_at(60_000, &set, &pods, &claims(0..4), &[old.clone(), new.clone()]));
    assert_eq!(status.replicas, 4);
    assert_eq!(status.ready_replicas, 4);
    assert_eq!(status.available_replicas, 3, "web-3 has been Ready 5 s of the 10");
    assert_eq!(status.current_replicas, 2, "web-0 and web-1; web-2 is terminating");
    assert_eq!(status.updated_replicas, 1, "web-3");
    assert_eq!(status.collision_count, 2);
    assert_eq!(status.current_revision, old.metadata.name, "the rollout is not complete");
}

/// The reconciler's view of the pods is kept up to date incrementally (`Members`
/// catches up with the pods that changed). Whatever happens to the pods, a pass over
/// that view must ask for exactly what a pass over a view built afresh asks for
/// (ARCHITECTURE, "Incremental controllers"): here through 400 random changes.
#[test]
fn the_incremental_view_of_the_members_gives_the_same_pass_as_a_fresh_one() {
    let set = web("replicas: 4");
    let (_, old, new, _) = mid_update(set.clone());
    let revisions = [old.clone(), new.clone()];
    let mut set = with_image(&set, "registry.k8s.io/nginx-slim:0.9");
    set.status.current_revision = old.metadata.name.clone();
    set.status.update_revision = new.metadata.name.clone();
    let mut rng = oorandom::Rand64::new(7);
    let mut pods: SortedMap<String, Pod> = SortedMap::new();
    let all_claims = claims(0..6);
    let mut claims: SortedMap<String, PersistentVolumeClaim> =
        all_claims.iter().map(|c| (c.metadata.name.clone(), c.clone())).collect();
    let mut incremental = Members::default();
    for step in 0..400 {
        let ordinal = rng.rand_range(0..6) as i64;
        // Now and then a claim goes away or comes back (the controller's memo of
        // complete claims must follow).
        if rng.rand_range(0..8) == 0 {
            let claim = &all_claims[ordinal as usize];
            if claims.remove(&claim.metadata.name).is_none() {
                claims.insert(claim.metadata.name.clone(), claim.clone());
            }
        }
        // Now and then a second pod for an ordinal (`web-01` parses as ordinal 1, §1.2).
        let name = if rng.rand_range(0..6) == 0 { format!("web-0{ordinal}") } else { format!("web-{ordinal}") };
        match rng.rand_range(0..6) {
            0 => {
                pods.remove(&name);
            }
            1 | 2 => {
                let revision = if rng.rand_range(0..2) == 0 { &old } else { &new };
                let mut fresh = pod(&set, revision, ordinal);
                fresh.metadata.name = name.clone();
                let fresh = if rng.rand_range(0..2) == 0 { ready(fresh) } else { running_not_ready(fresh) };
                pods.insert(name, fresh);
            }
            3 => {
                if let Some(p) = pods.get_mut(&name) {
                    p.metadata.deletion_timestamp = Some(step);
                }
            }
            4 => {
                if let Some(p) = pods.get_mut(&name) {
                    let now_ready = p.status.conditions.first().is_some_and(|c| c.status == "True");
                    p.status.conditions[0].status = if now_ready { "False" } else { "True" }.into();
                }
            }
            _ => {
                if let Some(p) = pods.get_mut(&name) {
                    p.status.phase = if p.status.phase == "Running" { "Pending" } else { "Running" }.into();
                }
            }
        }
        incremental.catch_up(&set, &pods, &claims);
        let mut fresh = Members::default();
        fresh.catch_up(&set, &pods, &claims);
        let changes = pass_over(&incremental, 0, &set, &claims, &revisions);
        assert_eq!(
            changes,
            pass_over(&fresh, 0, &set, &claims, &revisions),
            "step {step}: the incremental view asked for something else"
        );
        // And the counts it keeps are the pods' (§2.13), counted here from the pods themselves
        // (while no ordinal has two pods: then only the later name counts, §1.2).
        if pods.keys().any(|name| name.starts_with("web-0") && name.len() > "web-0".len()) {
            continue;
        }
        let status = status_written(&changes);
        let running_ready =
            |p: &&Pod| p.status.phase == "Running" && p.status.conditions.first().is_some_and(|c| c.status == "True");
        assert_eq!(status.replicas, pods.len() as i64, "step {step}");
        assert_eq!(status.ready_replicas, pods.values().filter(running_ready).count() as i64, "step {step}");
    }
}

mod caches;
