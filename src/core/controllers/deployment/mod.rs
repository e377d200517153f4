//! The Deployment controller: `pkg/controller/deployment` of kube-controller-manager
//! v1.32. Each Deployment gets a ReplicaSet per pod template, named
//! `<deployment>-<pod-template-hash>`; a rollout scales the new one up and the old ones
//! down (RollingUpdate within maxSurge and maxUnavailable, or Recreate), old ones
//! beyond `revisionHistoryLimit` are deleted, and the status carries the Available and
//! Progressing conditions.
//!
//! [`reconcile`] ([`control`]) is one `syncDeployment` pass: a pure function of the
//! Deployment, the ReplicaSets and the pods to the API calls it would make;
//! [`Controller::sync_all`] makes them.

mod control;
mod progress;
mod rolling;
mod sync;
pub mod util;

use crate::core::api::*;
use crate::core::apiserver::ApiServer;
use crate::core::sorted::SortedMap;
use crate::core::time::Millis;

pub use util::{compute_hash, equal_ignore_hash, owner_reference};

/// What the controller asks the API server to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// ClaimReplicaSets: an orphan whose labels match the selector gets this owner.
    AdoptReplicaSet {
        name: String,
        owner: OwnerReference,
    },
    /// An owned ReplicaSet whose labels no longer match loses its owner.
    ReleaseReplicaSet(String),
    CreateReplicaSet(ReplicaSet),
    /// Its spec (replicas, minReadySeconds) and annotations.
    UpdateReplicaSet(ReplicaSet),
    DeleteReplicaSet(String),
    /// The deployments/status subresource, with the revision annotation.
    UpdateStatus {
        annotations: Labels,
        status: DeploymentStatus,
    },
    Event {
        kind: &'static str,
        reason: &'static str,
        message: String,
    },
}

/// The slice of cluster state one pass reads.
pub struct DeploymentState<'a> {
    pub deployment: &'a Deployment,
    /// Every ReplicaSet of the namespace, in name order: the pass claims its own.
    pub replica_sets: Vec<&'a ReplicaSet>,
    /// The pods (Recreate waits for the old ones to be gone).
    pub pods: &'a SortedMap<String, Pod>,
    pub now: Millis,
}

/// One pass of `syncDeployment`. Returns the API calls to make, in order.
pub fn reconcile(state: &DeploymentState) -> Vec<Change> {
    let mut pass = control::Pass::new(state);
    pass.sync_deployment();
    pass.changes
}

/// The pod template of `revision` of `deployment` (0: the one before the current), as
/// `kubectl rollout undo --to-revision` takes it from that ReplicaSet, without its
/// pod-template-hash label.
pub fn template_of_revision(
    replica_sets: &SortedMap<String, ReplicaSet>,
    deployment: &Deployment,
    revision: i64,
) -> Result<PodTemplateSpec, String> {
    let uid = deployment.metadata.uid.as_str();
    let mut history: Vec<(i64, &ReplicaSet)> = replica_sets
        .values()
        .filter(|rs| rs.metadata.controller().is_some_and(|o| o.uid == uid))
        .filter_map(|rs| rs.revision().map(|r| (r, rs)))
        .collect();
    history.sort_by_key(|(r, _)| *r);
    let found = if revision == 0 {
        match history.len() {
            0 => {
                return Err(format!(
                    "no rollout history found for deployment {}",
                    crate::core::quoted(deployment.name())
                ))
            }
            1 => return Err("no last revision to roll back to".into()),
            n => history.get(n - 2),
        }
    } else {
        history.iter().find(|(r, _)| *r == revision)
    };
    let (_, rs) = found.ok_or_else(|| format!("unable to find specified revision {revision} in history"))?;
    let mut template = rs.spec.template.clone();
    template.metadata.labels.remove(POD_TEMPLATE_HASH_LABEL);
    Ok(template)
}

/// The Deployment controller (no memory between passes: every pass reads the store).
#[derive(Debug, Clone, Default)]
pub struct Controller;

impl Controller {
    /// Syncs every Deployment; returns whether the store changed, and whether every
    /// pass asked for nothing at all.
    pub fn sync_all(&mut self, api: &mut ApiServer) -> (bool, bool) {
        let names: Vec<String> = api.store().deployments.keys().cloned().collect();
        let (mut changed, mut settled) = (false, true);
        for name in names {
            let store = api.store();
            let Some(deployment) = store.deployments.get(&name) else { continue };
            let state = DeploymentState {
                deployment,
                replica_sets: store.replica_sets.values().collect(),
                pods: &store.pods,
                now: api.now(),
            };
            let changes = reconcile(&state);
            settled &= changes.is_empty();
            changed |= apply(api, &name, changes);
        }
        (changed, settled)
    }
}

/// Whether a pass reads the clock: some rollout may run past its progress deadline.
pub fn reads_clock(deployments: &SortedMap<String, Deployment>) -> bool {
    deployments.values().any(|d| util::progress_check_due(d).is_some())
}

/// The earliest time after `now` at which a rollout would pass its progress deadline.
pub fn next_due(deployments: &SortedMap<String, Deployment>, now: Millis) -> Option<Millis> {
    deployments.values().filter_map(util::progress_check_due).filter(|t| *t > now).min()
}

/// Makes the calls; returns whether the store changed.
fn apply(api: &mut ApiServer, name: &str, changes: Vec<Change>) -> bool {
    let mut changed = false;
    for change in changes {
        match change {
            Change::AdoptReplicaSet { name: rs, owner } => changed |= api.set_replica_set_controller(&rs, Some(owner)),
            Change::ReleaseReplicaSet(rs) => changed |= api.set_replica_set_controller(&rs, None),
            // A refusal (the name taken meanwhile) is retried by the next pass.
            Change::CreateReplicaSet(rs) => changed |= api.create_replica_set(rs).is_ok(),
            Change::UpdateReplicaSet(rs) => {
                let updated = api.update_replica_set(rs.name(), |current| {
                    current.spec = rs.spec.clone();
                    current.metadata.annotations = rs.metadata.annotations.clone();
                });
                changed |= updated.unwrap_or(false);
            }
            Change::DeleteReplicaSet(rs) => changed |= api.delete_replica_set(&rs, true),
            Change::UpdateStatus { annotations, status } => {
                changed |= api.update_deployment_status(name, annotations, status);
            }
            Change::Event { kind, reason, message } => {
                api.record(kind, reason, "Deployment", name, "deployment-controller", message);
            }
        }
    }
    changed
}
