//! kube-controller-manager: named controllers, each a pure function from a snapshot
//! of the store to the API calls it would make (its `reconcile`), and a `sync` that
//! makes those calls through the [`ApiServer`]. The [`ControllerManager`] knows what
//! each one watches, so a controller whose inputs have not moved since a pass that
//! found nothing to do is not run again.

pub mod deployment;
pub mod endpoints;
#[cfg(test)]
pub(crate) mod fixtures;
pub mod garbage_collector;
pub mod replicaset;
pub mod scheduler;
pub mod statefulset;
pub mod storage;

use crate::core::apiserver::{ApiServer, Resource};
use crate::core::time::{Millis, SECOND};

/// apimachinery's `rand.SafeEncodeString` over a hash's decimal digits: each digit
/// mapped into an alphabet without vowels (and without 0, 1, 3), as revision and
/// pod-template hashes are written.
pub(crate) fn safe_encode(hash: u32) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    hash.to_string().bytes().map(|b| ALPHABET[b as usize % ALPHABET.len()] as char).collect()
}

/// The controllers the manager runs, as kube-controller-manager names them (the
/// scheduler is its own binary in Kubernetes; here it runs beside them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Name {
    GarbageCollector,
    StatefulSet,
    PersistentVolumeBinder,
    Scheduler,
    Endpoints,
    Deployment,
    ReplicaSet,
}

/// What a controller watches, as resource versions (and the clock, when it reads it):
/// while these are what they were after a pass that settled, another pass would do
/// nothing.
pub type Watched = [u64; 5];

/// Every controller's memory between passes.
#[derive(Debug, Clone, Default)]
pub struct ControllerManager {
    garbage_collector: garbage_collector::GarbageCollector,
    stateful_sets: statefulset::SetController,
    volume_binder: storage::VolumeBinder,
    scheduler: scheduler::Queue,
    endpoints: endpoints::Controller,
    deployments: deployment::Controller,
    replica_sets: replicaset::Controller,
}

impl ControllerManager {
    /// What `name` watches now.
    pub fn watched(&self, name: Name, api: &ApiServer) -> Watched {
        let version = |resource| api.resource_version(resource);
        let (pods, claims, sets) =
            (version(Resource::Pods), version(Resource::PersistentVolumeClaims), version(Resource::StatefulSets));
        let now = api.now();
        match name {
            Name::GarbageCollector => {
                [claims, sets, pods, version(Resource::Deployments), version(Resource::ReplicaSets)]
            }
            Name::StatefulSet => {
                // Only minReadySeconds makes the StatefulSet controller read the clock.
                let reads_clock = api.store().stateful_sets.values().any(|set| set.min_ready_seconds() > 0);
                [sets, pods, claims, version(Resource::ControllerRevisions), if reads_clock { now } else { 0 }]
            }
            Name::PersistentVolumeBinder => {
                [claims, pods, version(Resource::StorageClasses), version(Resource::PersistentVolumes), now]
            }
            Name::Scheduler => [pods, claims, version(Resource::Nodes), 0, now],
            Name::Endpoints => [pods, version(Resource::Services), version(Resource::Endpoints), 0, 0],
            Name::Deployment => {
                let store = api.store();
                // Only Recreate reads the pods; only a rollout that may time out, the clock.
                let reads_pods = store.deployments.values().any(|d| d.is_recreate());
                let reads_clock = deployment::reads_clock(&store.deployments);
                let deployments = version(Resource::Deployments);
                let replica_sets = version(Resource::ReplicaSets);
                [deployments, replica_sets, if reads_pods { pods } else { 0 }, 0, if reads_clock { now } else { 0 }]
            }
            Name::ReplicaSet => {
                let reads_clock = replicaset::reads_clock(&api.store().replica_sets);
                [version(Resource::ReplicaSets), pods, 0, 0, if reads_clock { now } else { 0 }]
            }
        }
    }

    /// Runs one pass of `name`; returns whether it changed the store, and whether it
    /// settled: another pass now would do nothing at all.
    pub fn run(&mut self, name: Name, api: &mut ApiServer) -> (bool, bool) {
        match name {
            Name::GarbageCollector => {
                let changed = self.garbage_collector.sync(api);
                (changed, !changed)
            }
            Name::StatefulSet => {
                let any_claim_owned = self.garbage_collector.any_claim_owned(api);
                self.stateful_sets.sync_all(api, any_claim_owned)
            }
            Name::PersistentVolumeBinder => self.volume_binder.sync(api),
            Name::Scheduler => scheduler::sync(&mut self.scheduler, api),
            Name::Endpoints => (self.endpoints.sync(api), true),
            Name::Deployment => self.deployments.sync_all(api),
            Name::ReplicaSet => self.replica_sets.sync_all(api),
        }
    }

    /// The earliest future time a controller has work due without any write: a
    /// provisioned volume, a pod becoming available after minReadySeconds, a rollout
    /// reaching its progress deadline.
    pub fn next_due(&self, api: &ApiServer) -> Option<Millis> {
        let (store, now) = (api.store(), api.now());
        let min_ready = store
            .stateful_sets
            .values()
            .filter(|s| s.min_ready_seconds() > 0)
            .flat_map(|s| {
                statefulset::pods_of(store, s).filter_map(move |p| {
                    p.ready_since().map(|t| t.saturating_add((s.min_ready_seconds() as u64).saturating_mul(SECOND)))
                })
            })
            .filter(|t| *t > now)
            .min();
        let provisioning = if self.volume_binder.settled(api) { None } else { storage::next_due(store, now) };
        let progress_deadline = deployment::next_due(&store.deployments, now);
        let replica_set_min_ready = replicaset::next_due(&store.replica_sets, &store.pods, now);
        [provisioning, min_ready, progress_deadline, replica_set_min_ready].into_iter().flatten().min()
    }
}
