//! The ReplicaSet controller: `pkg/controller/replicaset` of kube-controller-manager
//! v1.32. A ReplicaSet claims the active pods its selector matches (adopting orphans,
//! releasing its own that no longer match), creates pods from its template
//! (`generateName: <rs>-`: the API server adds five random characters) or deletes the
//! lowest-ranked ([`ranks`]) until it has `spec.replicas`, and counts them in its status.
//!
//! [`reconcile`] is one `syncReplicaSet` pass, a pure function of the set and its pods;
//! [`Controller::sync_all`] makes the calls and records the events.

pub mod ranks;

use crate::core::api::*;
use crate::core::apiserver::{invalid_message, validate_pod, ApiServer};
use crate::core::sorted::SortedMap;
use crate::core::time::Millis;

pub use ranks::{active_pods_with_ranks_less, pods_to_delete};

/// `burstReplicas`: at most this many pods created or deleted per pass.
pub const BURST_REPLICAS: usize = 500;

/// What the controller asks the API server to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// ClaimPods: an orphan whose labels match the selector gets this owner.
    AdoptPod {
        name: String,
        owner: OwnerReference,
    },
    /// An owned pod whose labels no longer match loses its owner.
    ReleasePod(String),
    /// `count` pods like `pod` (named by the API server from its `generateName`).
    CreatePods {
        count: usize,
        pod: Box<Pod>,
    },
    DeletePod(String),
    UpdateStatus(ReplicaSetStatus),
}

/// The slice of cluster state one pass reads.
pub struct ReplicaSetState<'a> {
    pub replica_set: &'a ReplicaSet,
    /// The pods it may claim: its own and the orphans, in name order.
    pub pods: Vec<&'a Pod>,
    /// The pods of every ReplicaSet with the same controller (the ranks count them).
    pub related: Vec<&'a Pod>,
    pub now: Millis,
}

/// `controller.IsPodActive`: not Succeeded or Failed, not being deleted.
pub fn is_pod_active(pod: &Pod) -> bool {
    !pod.is_terminal() && !pod.metadata.is_terminating()
}

/// `controller.NewControllerRef` of a ReplicaSet.
pub fn owner_reference(rs: &ReplicaSet) -> OwnerReference {
    OwnerReference::controller_of("ReplicaSet", &rs.metadata)
}

/// `GetPodFromTemplate`: labels, annotations and finalizers of the template, the
/// controller reference, `generateName: <rs>-`.
pub fn pod_from_template(rs: &ReplicaSet) -> Pod {
    let template = &rs.spec.template;
    Pod {
        metadata: ObjectMeta {
            generate_name: Some(format!("{}-", rs.name())),
            namespace: rs.metadata.namespace.clone(),
            labels: template.metadata.labels.clone(),
            annotations: template.metadata.annotations.clone(),
            finalizers: template.metadata.finalizers.clone(),
            owner_references: vec![owner_reference(rs)],
            ..Default::default()
        },
        spec: template.spec.clone(),
        status: PodStatus { phase: "Pending".into(), ..Default::default() },
    }
}

/// One `syncReplicaSet` pass. Returns the API calls to make, in order.
pub fn reconcile(state: &ReplicaSetState) -> Vec<Change> {
    let rs = state.replica_set;
    let mut changes = Vec::new();
    let matches = |pod: &Pod| rs.spec.selector.as_ref().is_some_and(|s| s.matches(&pod.metadata.labels));
    let mut claimed: Vec<&Pod> = Vec::new();
    for pod in state.pods.iter().copied().filter(|p| is_pod_active(p)) {
        match pod.metadata.controller() {
            Some(owner) if owner.uid == rs.metadata.uid => {
                if matches(pod) {
                    claimed.push(pod);
                } else if !rs.metadata.is_terminating() {
                    changes.push(Change::ReleasePod(pod.name().to_string()));
                }
            }
            Some(_) => {}
            None if matches(pod) && !rs.metadata.is_terminating() => {
                changes.push(Change::AdoptPod { name: pod.name().to_string(), owner: owner_reference(rs) });
                claimed.push(pod);
            }
            None => {}
        }
    }
    // manageReplicas.
    let replicas = usize::try_from(rs.replicas()).unwrap_or(0);
    let creating = claimed.len() < replicas;
    if creating {
        let count = (replicas - claimed.len()).min(BURST_REPLICAS);
        changes.push(Change::CreatePods { count, pod: Box::new(pod_from_template(rs)) });
    } else if claimed.len() > replicas {
        let count = (claimed.len() - replicas).min(BURST_REPLICAS);
        for pod in pods_to_delete(&claimed, &state.related, count, state.now) {
            changes.push(Change::DeletePod(pod.name().to_string()));
        }
    }
    let status = calculate_status(rs, &claimed, state.now);
    // A failed create changes the status after all (the ReplicaFailure condition).
    if creating || status_needs_update(rs, &status) {
        changes.push(Change::UpdateStatus(status));
    }
    changes
}

/// `calculateStatus`, the pods as claimed before this pass created or deleted any
/// (so the counts catch up on the next pass), a create assumed to succeed.
pub fn calculate_status(rs: &ReplicaSet, claimed: &[&Pod], now: Millis) -> ReplicaSetStatus {
    let template_labels = &rs.spec.template.metadata.labels;
    let mut status = rs.status.clone();
    status.replicas = claimed.len() as i64;
    status.fully_labeled_replicas =
        claimed.iter().filter(|p| selector_matches(template_labels, &p.metadata.labels)).count() as i64;
    // podutil.IsPodReady / IsPodAvailable: the Ready condition, for minReadySeconds.
    status.ready_replicas = claimed.iter().filter(|p| p.condition("Ready")).count() as i64;
    status.available_replicas =
        claimed.iter().filter(|p| ready_long_enough(p.ready_since(), rs.min_ready_seconds(), now)).count() as i64;
    status.conditions.retain(|c| c.kind != "ReplicaFailure");
    status.observed_generation = rs.metadata.generation;
    status
}

/// `updateReplicaSetStatus`'s test for the steady state.
fn status_needs_update(rs: &ReplicaSet, new: &ReplicaSetStatus) -> bool {
    let old = &rs.status;
    !(old.replicas == new.replicas
        && old.fully_labeled_replicas == new.fully_labeled_replicas
        && old.ready_replicas == new.ready_replicas
        && old.available_replicas == new.available_replicas
        && rs.metadata.generation == old.observed_generation
        && old.conditions == new.conditions)
}

/// The ReplicaSet controller (no memory between passes: every pass reads the store).
#[derive(Debug, Clone, Default)]
pub struct Controller;

impl Controller {
    /// Syncs every ReplicaSet; returns whether the store changed, and whether every
    /// pass asked for nothing at all.
    pub fn sync_all(&mut self, api: &mut ApiServer) -> (bool, bool) {
        let names: Vec<String> = api.store().replica_sets.keys().cloned().collect();
        let (mut changed, mut settled) = (false, true);
        for name in names {
            let store = api.store();
            let Some(rs) = store.replica_sets.get(&name) else { continue };
            let uid = rs.metadata.uid.as_str();
            let pods = store.pods.values().filter(|p| p.metadata.controller().is_none_or(|o| o.uid == uid)).collect();
            let siblings: Vec<&str> = match rs.metadata.controller() {
                Some(owner) => store
                    .replica_sets
                    .values()
                    .filter(|other| other.metadata.controller().is_some_and(|o| o.uid == owner.uid))
                    .map(|other| other.metadata.uid.as_str())
                    .collect(),
                None => Vec::new(),
            };
            let related = store
                .pods
                .values()
                .filter(|p| p.metadata.controller().is_some_and(|o| siblings.contains(&o.uid.as_str())))
                .collect();
            let state = ReplicaSetState { replica_set: rs, pods, related, now: api.now() };
            let changes = reconcile(&state);
            settled &= changes.is_empty();
            changed |= apply(api, &name, changes);
        }
        (changed, settled)
    }
}

/// Whether a pass reads the clock: some ReplicaSet waits for minReadySeconds.
pub fn reads_clock(replica_sets: &SortedMap<String, ReplicaSet>) -> bool {
    replica_sets.values().any(|rs| rs.min_ready_seconds() > 0)
}

/// The earliest time after `now` at which a Ready pod of a ReplicaSet with
/// minReadySeconds becomes available (upstream requeues the set after minReadySeconds).
pub fn next_due(
    replica_sets: &SortedMap<String, ReplicaSet>,
    pods: &SortedMap<String, Pod>,
    now: Millis,
) -> Option<Millis> {
    let waiting: Vec<(&str, u64)> = replica_sets
        .values()
        .filter(|rs| rs.min_ready_seconds() > 0)
        .map(|rs| (rs.metadata.uid.as_str(), rs.min_ready_seconds() as u64 * 1000))
        .collect();
    if waiting.is_empty() {
        return None;
    }
    pods.values()
        .filter_map(|pod| {
            let owner = pod.metadata.controller()?;
            let (_, wait) = waiting.iter().find(|(uid, _)| *uid == owner.uid)?;
            pod.ready_since().map(|since| since.saturating_add(*wait))
        })
        .filter(|t| *t > now)
        .min()
}

/// Makes the calls, recording `SuccessfulCreate`/`SuccessfulDelete` (or `FailedCreate`)
/// on the ReplicaSet; returns whether the store changed.
fn apply(api: &mut ApiServer, rs_name: &str, changes: Vec<Change>) -> bool {
    let mut changed = false;
    // A create the API server refused: (error, the condition reason).
    let mut failure: Option<String> = None;
    let source = "replicaset-controller";
    for change in changes {
        match change {
            Change::AdoptPod { name, owner } => changed |= api.set_pod_controller(&name, Some(owner)),
            Change::ReleasePod(name) => changed |= api.set_pod_controller(&name, None),
            Change::CreatePods { count, pod } => {
                let base = pod.metadata.generate_name.clone().unwrap_or_default();
                // slowStartBatch: the first failure stops the creates.
                for _ in 0..count {
                    let mut pod = (*pod).clone();
                    pod.metadata.name = api.generate_pod_name(&base);
                    let causes = validate_pod(&pod);
                    if causes.is_empty() {
                        let message = format!("Created pod: {}", pod.name());
                        api.create_pod(pod);
                        api.record("Normal", "SuccessfulCreate", "ReplicaSet", rs_name, source, message);
                        changed = true;
                        continue;
                    }
                    let error = invalid_message("Pod", pod.name(), &causes).replacen("The Pod", "Pod", 1);
                    let field = causes.first().map(|cause| format!("spec.template.{}", cause.field));
                    let message = format!("Error creating: {error}");
                    api.record_caused_by("Warning", "FailedCreate", "ReplicaSet", rs_name, source, message, field);
                    failure = Some(error);
                    break;
                }
            }
            Change::DeletePod(name) => {
                if api.delete_pod(&name, None) {
                    let message = format!("Deleted pod: {name}");
                    api.record("Normal", "SuccessfulDelete", "ReplicaSet", rs_name, source, message);
                    changed = true;
                }
            }
            Change::UpdateStatus(mut status) => {
                if let Some(error) = &failure {
                    // calculateStatus with manageReplicasErr: a ReplicaFailure condition,
                    // unless there is one already (it is kept as it was).
                    let old = api
                        .store()
                        .replica_sets
                        .get(rs_name)
                        .and_then(|rs| rs.status.conditions.iter().find(|c| c.kind == "ReplicaFailure").cloned());
                    status.conditions.push(old.unwrap_or_else(|| ReplicaSetCondition {
                        kind: "ReplicaFailure".into(),
                        status: "True".into(),
                        last_transition_time: api.now(),
                        reason: "FailedCreate".into(),
                        message: error.clone(),
                    }));
                }
                changed |= api.update_replica_set_status(rs_name, status);
            }
        }
    }
    changed
}
