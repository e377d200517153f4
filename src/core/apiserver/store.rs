//! The object store: what etcd holds behind the API server. Every map is sorted
//! by name, so iteration order, and with it the whole simulation, is deterministic.
//! The playground runs one namespace, `default`; objects are keyed by name.

use crate::core::api::*;
use crate::core::sorted::SortedMap;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Store {
    pub stateful_sets: SortedMap<String, StatefulSet>,
    pub pods: SortedMap<String, Pod>,
    pub claims: SortedMap<String, PersistentVolumeClaim>,
    pub volumes: SortedMap<String, PersistentVolume>,
    pub revisions: SortedMap<String, ControllerRevision>,
    pub services: SortedMap<String, Service>,
    pub endpoints: SortedMap<String, Endpoints>,
    pub config_maps: SortedMap<String, ConfigMap>,
    pub secrets: SortedMap<String, Secret>,
    pub storage_classes: SortedMap<String, StorageClass>,
    pub nodes: SortedMap<String, Node>,
    pub deployments: SortedMap<String, Deployment>,
    pub replica_sets: SortedMap<String, ReplicaSet>,
    /// ServiceAccounts, Ingresses, HorizontalPodAutoscalers and NetworkPolicies, keyed by
    /// (kind, name): stored and listed only (no controller acts on them here).
    pub others: SortedMap<(String, String), GenericObject>,
}

impl Store {
    /// Revisions owned by `set`.
    pub fn revisions_of<'a>(&'a self, set: &'a StatefulSet) -> impl Iterator<Item = &'a ControllerRevision> + 'a {
        self.revisions.values().filter(move |r| r.metadata.controller().is_some_and(|o| o.uid == set.metadata.uid))
    }

    /// ReplicaSets whose controller owner is `deployment`, in name order.
    pub fn replica_sets_of<'a>(&'a self, deployment: &'a Deployment) -> impl Iterator<Item = &'a ReplicaSet> + 'a {
        let uid = deployment.metadata.uid.as_str();
        self.replica_sets.values().filter(move |rs| rs.metadata.controller().is_some_and(|o| o.uid == uid))
    }

    /// Pods whose controller owner is `replica_set`, in name order.
    pub fn pods_of_replica_set<'a>(&'a self, replica_set: &'a ReplicaSet) -> impl Iterator<Item = &'a Pod> + 'a {
        let uid = replica_set.metadata.uid.as_str();
        self.pods.values().filter(move |p| p.metadata.controller().is_some_and(|o| o.uid == uid))
    }

    /// The claim a pod volume refers to.
    pub fn claims_of<'a>(
        &'a self,
        pod: &'a Pod,
    ) -> impl Iterator<Item = (&'a str, Option<&'a PersistentVolumeClaim>)> + 'a {
        pod.spec.volumes.iter().filter_map(move |v| {
            let name = v.persistent_volume_claim.as_ref()?.claim_name.as_str();
            Some((name, self.claims.get(name)))
        })
    }
}

/// A stable UID for an object the playground derives rather than stores, from `seed`.
pub fn derived_uid(seed: &str) -> String {
    let hash = |salt: u64| {
        seed.bytes().fold(0xcbf2_9ce4_8422_2325_u64 ^ salt, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
    };
    crate::core::random::uid_from(hash(1), hash(2))
}
