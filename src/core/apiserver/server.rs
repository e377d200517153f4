//! The API server: the only writer of the object store. Clients (kubectl, the page)
//! and controllers alike read a snapshot with [`ApiServer::store`] and change it
//! through the calls here, which assign uids and timestamps, bump generations,
//! validate updates and record events. The store's field is private to this module,
//! so the compiler holds the line (tests/boundary.rs checks it stays so).
//!
//! Watches: every map of the store and every entry in it carries a stamp that moves
//! on each write ([`crate::core::sorted`]); [`ApiServer::resource_version`] is a
//! resource's stamp, and controllers that keep state follow entries with `Seen`
//! change feeds. The controller manager uses them to know which controllers to run.

use crate::core::api::*;
use crate::core::random::Random;
use crate::core::sorted::SortedSet;
use crate::core::time::Millis;

use super::events::EventIndex;
use super::store::Store;
use super::{invalid_message, validate_stateful_set_update};

/// Refuse scaling the cluster beyond this many pods in total (issue: limits).
pub const MAX_TOTAL_REPLICAS: i64 = 1000;

/// A resource the API server serves, for [`ApiServer::resource_version`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    StatefulSets,
    Pods,
    PersistentVolumeClaims,
    PersistentVolumes,
    ControllerRevisions,
    Services,
    Endpoints,
    ConfigMaps,
    Secrets,
    StorageClasses,
    Nodes,
    Deployments,
    ReplicaSets,
}

/// The API server and what it keeps: the store (etcd), the events, the clock it
/// stamps objects with, the ClusterIP allocator and the cluster's seeded PRNG.
#[derive(Debug, Clone)]
pub struct ApiServer {
    store: Store,
    now: Millis,
    /// Events, deduplicated, in the order first recorded.
    events: Vec<Event>,
    event_index: EventIndex,
    random: Random,
    cluster_ips: SortedSet<String>,
    /// Pods removed from the store since the node last looked (a watch's DELETED events).
    removed_pods: Vec<Pod>,
    /// Volumes removed since the node last looked (their data goes with them).
    removed_volumes: Vec<String>,
}

impl ApiServer {
    /// An API server with an empty store; `reserved_ips` are ClusterIPs never handed out.
    pub fn new(seed: u64, reserved_ips: &[&str]) -> Self {
        ApiServer {
            store: Store::default(),
            now: 0,
            events: Vec::new(),
            event_index: EventIndex::default(),
            random: Random::new(seed),
            cluster_ips: reserved_ips.iter().map(|ip| (ip.to_string(), ())).collect(),
            removed_pods: Vec::new(),
            removed_volumes: Vec::new(),
        }
    }

    /// A copy to try writes on (server-side dry run): same objects, same allocators.
    pub(super) fn scratch(&self) -> Self {
        ApiServer {
            store: self.store.clone(),
            now: self.now,
            events: Vec::new(),
            event_index: EventIndex::default(),
            random: self.random.clone(),
            cluster_ips: self.cluster_ips.clone(),
            removed_pods: Vec::new(),
            removed_volumes: Vec::new(),
        }
    }

    // ------------------------------------------------------------ reads

    /// The objects as they are now: what a client's GET and LIST see.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Events, oldest first.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// Events about one object, oldest first.
    pub fn events_for<'a>(&'a self, kind: &'a str, name: &'a str) -> impl Iterator<Item = &'a Event> + 'a {
        self.events.iter().filter(move |e| e.object_kind == kind && e.object_name == name)
    }

    /// The time the API server stamps objects and events with.
    pub fn now(&self) -> Millis {
        self.now
    }

    /// A resource's version: it moves on every write to any object of it.
    pub fn resource_version(&self, resource: Resource) -> u64 {
        let s = &self.store;
        match resource {
            Resource::StatefulSets => s.stateful_sets.stamp(),
            Resource::Pods => s.pods.stamp(),
            Resource::PersistentVolumeClaims => s.claims.stamp(),
            Resource::PersistentVolumes => s.volumes.stamp(),
            Resource::ControllerRevisions => s.revisions.stamp(),
            Resource::Services => s.services.stamp(),
            Resource::Endpoints => s.endpoints.stamp(),
            Resource::ConfigMaps => s.config_maps.stamp(),
            Resource::Secrets => s.secrets.stamp(),
            Resource::StorageClasses => s.storage_classes.stamp(),
            Resource::Nodes => s.nodes.stamp(),
            Resource::Deployments => s.deployments.stamp(),
            Resource::ReplicaSets => s.replica_sets.stamp(),
        }
    }

    // ------------------------------------------------------------ the cluster's plumbing

    /// The virtual clock moved (the cluster owns it).
    pub(in crate::core) fn set_now(&mut self, now: Millis) {
        self.now = now;
    }

    /// The cluster's one seeded PRNG, lent to the node and the network so every draw
    /// stays in one sequence.
    pub(in crate::core) fn random(&mut self) -> &mut Random {
        &mut self.random
    }

    /// The PRNG and the store at once, for the kubelet (which draws durations while it
    /// reads pods).
    pub(in crate::core) fn random_and_store(&mut self) -> (&mut Random, &Store) {
        (&mut self.random, &self.store)
    }

    /// Pods removed since the last call, for the node to clean up after.
    pub(in crate::core) fn take_removed_pods(&mut self) -> Vec<Pod> {
        std::mem::take(&mut self.removed_pods)
    }

    /// Volumes removed since the last call, for the node to drop their data.
    pub(in crate::core) fn take_removed_volumes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.removed_volumes)
    }

    pub(super) fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    pub(super) fn uid(&mut self) -> String {
        self.random.uid()
    }

    /// A free ClusterIP in 10.96.0.0/12, avoiding the well-known ones.
    pub(super) fn cluster_ip(&mut self) -> String {
        loop {
            let n = self.random.below(11..(1 << 20) - 1);
            let ip = format!("10.{}.{}.{}", 96 + (n >> 16), (n >> 8) & 0xFF, n & 0xFF);
            if n & 0xFF != 0 && self.cluster_ips.add(ip.clone()) {
                return ip;
            }
        }
    }

    /// Saves what applying can change, to be put back when a document is refused.
    pub(super) fn save_allocators(&self) -> (Random, SortedSet<String>) {
        (self.random.clone(), self.cluster_ips.clone())
    }

    pub(super) fn restore_allocators(&mut self, saved: (Random, SortedSet<String>)) {
        (self.random, self.cluster_ips) = saved;
    }

    // ------------------------------------------------------------ events

    /// Records an event; a repeat of an identical event (same object, type, reason
    /// and message) increments its count instead, as the event recorder does (§8.11).
    pub fn record(
        &mut self,
        kind: &'static str,
        reason: &'static str,
        object_kind: &'static str,
        object_name: &str,
        source: &'static str,
        message: String,
    ) {
        self.record_caused_by(kind, reason, object_kind, object_name, source, message, None);
    }

    /// [`ApiServer::record`] of an event a manifest field caused (see `Event::cause_field`).
    #[allow(clippy::too_many_arguments)]
    pub fn record_caused_by(
        &mut self,
        kind: &'static str,
        reason: &'static str,
        object_kind: &'static str,
        object_name: &str,
        source: &'static str,
        message: String,
        cause_field: Option<String>,
    ) {
        let now = self.now;
        let hash = EventIndex::hash(&[kind, reason, object_kind, object_name, &message]);
        let events = &self.events;
        let same = |index: usize| {
            events.get(index).is_some_and(|e| {
                e.kind == kind
                    && e.reason == reason
                    && e.object_kind == object_kind
                    && e.object_name == object_name
                    && e.message == message
            })
        };
        if let Some(existing) = self.event_index.find(hash, same).and_then(|index| self.events.get_mut(index)) {
            if existing.last_timestamp != now {
                existing.count += 1;
                existing.last_timestamp = now;
            }
            return;
        }
        self.event_index.add(hash);
        self.events.push(Event {
            kind,
            reason,
            message,
            object_kind,
            object_name: object_name.into(),
            source,
            first_timestamp: now,
            last_timestamp: now,
            count: 1,
            cause_field,
        });
    }

    // ------------------------------------------------------------ creates

    pub fn create_pod(&mut self, mut pod: Pod) {
        pod.metadata.uid = self.uid();
        pod.metadata.creation_timestamp = Some(self.now);
        pod.metadata.namespace.get_or_insert_with(|| "default".into());
        pod.status = PodStatus { phase: "Pending".into(), ..Default::default() };
        self.store.pods.insert(pod.name().to_string(), pod);
    }

    pub fn create_claim(&mut self, mut claim: PersistentVolumeClaim) {
        claim.metadata.uid = self.uid();
        claim.metadata.creation_timestamp = Some(self.now);
        claim.metadata.namespace.get_or_insert_with(|| "default".into());
        claim.metadata.finalizers = vec!["kubernetes.io/pvc-protection".into()];
        claim.status = PersistentVolumeClaimStatus { phase: "Pending".into(), ..Default::default() };
        self.store.claims.insert(claim.metadata.name.clone(), claim);
    }

    pub fn create_revision(&mut self, mut revision: ControllerRevision) {
        revision.metadata.uid = self.uid();
        revision.metadata.creation_timestamp = Some(self.now);
        self.store.revisions.insert(revision.metadata.name.clone(), revision);
    }

    pub fn create_volume(&mut self, mut volume: PersistentVolume) {
        volume.metadata.uid = self.uid();
        volume.metadata.creation_timestamp = Some(self.now);
        self.store.volumes.insert(volume.metadata.name.clone(), volume);
    }

    // ------------------------------------------------------------ pods

    /// The API server's side of a pod deletion, for users and controllers alike (§2.12):
    /// an unscheduled pod or a zero grace period goes at once, anything else is marked
    /// Terminating for the kubelet. `grace_seconds` overrides the pod's own. Returns
    /// false when there is no such pod.
    pub fn delete_pod(&mut self, name: &str, grace_seconds: Option<i64>) -> bool {
        let now = self.now;
        let Some(pod) = self.store.pods.get_mut(name) else { return false };
        if pod.metadata.is_terminating() && grace_seconds != Some(0) {
            return true;
        }
        let grace = grace_seconds.or(pod.spec.termination_grace_period_seconds).unwrap_or(30);
        if pod.spec.node_name.is_none() || grace == 0 {
            self.remove_pod(name);
        } else {
            pod.metadata.deletion_timestamp = Some(now);
            pod.metadata.deletion_grace_period_seconds = Some(grace);
        }
        true
    }

    /// Removes the pod object for good (the kubelet finished terminating it, or it
    /// never ran).
    pub fn remove_pod(&mut self, name: &str) -> bool {
        match self.store.pods.remove(name) {
            Some(pod) => {
                self.removed_pods.push(pod);
                true
            }
            None => false,
        }
    }

    /// Changes a pod (labels, a test's fault injection); false when there is none.
    pub fn update_pod(&mut self, name: &str, edit: impl FnOnce(&mut Pod)) -> bool {
        self.store.pods.get_mut(name).map(edit).is_some()
    }

    /// The pods/status subresource.
    pub fn update_pod_status(&mut self, name: &str, status: PodStatus) -> bool {
        self.update_pod(name, |pod| pod.status = status)
    }

    /// The pods/binding subresource: the scheduler's choice of node.
    pub fn bind_pod(&mut self, name: &str, node: String) -> bool {
        self.update_pod(name, |pod| pod.spec.node_name = Some(node))
    }

    // ------------------------------------------------------------ claims and volumes

    /// Deletes a claim: it shows Terminating until no pod uses it (PVC protection).
    pub fn delete_claim(&mut self, name: &str) -> bool {
        let now = self.now;
        let Some(claim) = self.store.claims.get_mut(name) else { return false };
        claim.metadata.deletion_timestamp.get_or_insert(now);
        true
    }

    /// Changes a claim (binding, owner references); false when there is none.
    pub fn update_claim(&mut self, name: &str, edit: impl FnOnce(&mut PersistentVolumeClaim)) -> bool {
        self.store.claims.get_mut(name).map(edit).is_some()
    }

    /// Removes a claim whose finalizer has let go, and with it its volume (the standard
    /// class reclaims with Delete).
    pub fn remove_claim(&mut self, name: &str) -> bool {
        let Some(claim) = self.store.claims.remove(name) else { return false };
        if let Some(volume) = claim.spec.volume_name {
            self.store.volumes.remove(&volume);
            self.removed_volumes.push(volume);
        }
        true
    }

    // ------------------------------------------------------------ StatefulSets

    /// `kubectl scale sts NAME --replicas=N`.
    pub fn scale(&mut self, name: &str, replicas: i64) -> Result<(), String> {
        if !self.store.stateful_sets.contains_key(name) {
            return Err(format!("Error from server (NotFound): statefulsets.apps \"{name}\" not found"));
        }
        if replicas < 0 {
            return Err(format!("The StatefulSet \"{name}\" is invalid: spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0"));
        }
        let own = self.store.stateful_sets.get(name).map_or(0, StatefulSet::replicas);
        let others = self.total_replicas() - own;
        if others + replicas > MAX_TOTAL_REPLICAS {
            return Err(format!("error: the playground runs at most {MAX_TOTAL_REPLICAS} replicas in total"));
        }
        if let Some(set) = self.store.stateful_sets.get_mut(name).filter(|s| s.spec.replicas != Some(replicas)) {
            set.spec.replicas = Some(replicas);
            set.metadata.generation += 1;
        }
        Ok(())
    }

    /// Replaces a StatefulSet's spec (patch, set image, rollout undo/restart), validated
    /// as an update. Returns whether anything changed.
    pub fn update_stateful_set(&mut self, name: &str, edit: impl FnOnce(&mut StatefulSet)) -> Result<bool, String> {
        let Some(old) = self.store.stateful_sets.get(name) else {
            return Err(format!("Error from server (NotFound): statefulsets.apps \"{name}\" not found"));
        };
        let mut new = old.clone();
        edit(&mut new);
        super::default_stateful_set(&mut new);
        let causes = validate_stateful_set_update(old, &new);
        if !causes.is_empty() {
            return Err(invalid_message("StatefulSet", name, &causes));
        }
        let changed = new.spec != old.spec || new.metadata != old.metadata;
        if new.spec != old.spec {
            new.metadata.generation += 1;
        }
        self.store.stateful_sets.insert(name.to_string(), new);
        self.check_replica_limit().map_err(|e| e.message)?;
        Ok(changed)
    }

    /// The statefulsets/status subresource.
    pub fn update_stateful_set_status(&mut self, name: &str, status: StatefulSetStatus) -> bool {
        self.store.stateful_sets.get_mut(name).map(|set| set.status = status).is_some()
    }

    /// Deletes a StatefulSet; with `cascade`, its pods are deleted (the garbage
    /// collector's foreground work, §2.11), else orphaned. Its revisions go with it.
    pub fn delete_stateful_set(&mut self, name: &str, cascade: bool) -> bool {
        let Some(set) = self.store.stateful_sets.remove(name) else { return false };
        let uid = set.metadata.uid.clone();
        let owned_pods: Vec<String> = self
            .store
            .pods
            .values()
            .filter(|p| p.metadata.controller().is_some_and(|o| o.uid == uid))
            .map(|p| p.name().to_string())
            .collect();
        for pod in owned_pods {
            if cascade {
                self.delete_pod(&pod, None);
            } else if let Some(p) = self.store.pods.get_mut(&pod) {
                p.metadata.owner_references.retain(|o| o.uid != uid);
            }
        }
        self.store.revisions.retain(|_, r| r.metadata.controller().is_none_or(|o| o.uid != uid));
        true
    }

    /// Changes a revision's number (§3.3); false when there is none.
    pub fn renumber_revision(&mut self, name: &str, revision: i64) -> bool {
        self.store.revisions.get_mut(name).map(|r| r.revision = revision).is_some()
    }

    pub fn delete_revision(&mut self, name: &str) -> bool {
        self.store.revisions.remove(name).is_some()
    }

    /// The replicas the workloads ask for: StatefulSets, Deployments, and ReplicaSets
    /// no Deployment controls.
    pub(super) fn total_replicas(&self) -> i64 {
        let s = &self.store;
        let sets: i64 = s.stateful_sets.values().map(StatefulSet::replicas).sum();
        let deployments: i64 = s.deployments.values().map(Deployment::replicas).sum();
        let standalone =
            s.replica_sets.values().filter(|rs| rs.metadata.controller().is_none_or(|o| o.kind != "Deployment"));
        sets + deployments + standalone.map(ReplicaSet::replicas).sum::<i64>()
    }

    pub(super) fn check_replica_limit(&self) -> Result<(), super::ApiError> {
        let total = self.total_replicas();
        if total > MAX_TOTAL_REPLICAS {
            return Err(super::ApiError {
                message: format!(
                    "error: the playground runs at most {MAX_TOTAL_REPLICAS} replicas in total; this would make {total}"
                ),
                position: None,
            });
        }
        Ok(())
    }

    // ------------------------------------------------------------ Services and Endpoints

    /// Writes a Service's Endpoints whole (the endpoints controller).
    pub fn put_endpoints(&mut self, endpoints: Endpoints) {
        self.store.endpoints.insert(endpoints.metadata.name.clone(), endpoints);
    }

    /// Changes a Service's Endpoints in place; false when there are none.
    pub fn update_endpoints(&mut self, service: &str, edit: impl FnOnce(&mut Endpoints)) -> bool {
        self.store.endpoints.get_mut(service).map(edit).is_some()
    }

    /// The services/status subresource (a load balancer's addresses).
    pub fn update_service_status(&mut self, name: &str, status: ServiceStatus) -> bool {
        match self.store.services.get_mut(name) {
            Some(service) if service.status != status => {
                service.status = status;
                true
            }
            _ => false,
        }
    }

    pub fn delete_endpoints(&mut self, service: &str) -> bool {
        self.store.endpoints.remove(service).is_some()
    }

    // ------------------------------------------------------------ any kind

    /// `kubectl delete` of an object with no graceful deletion of its own: a Service,
    /// ConfigMap, Secret, or a stored-only kind (`kind`, as in `ServiceAccount`).
    pub fn delete_simple(&mut self, kind: &str, name: &str) -> bool {
        let s = &mut self.store;
        match kind {
            "Service" => s.services.remove(name).is_some(),
            "ConfigMap" => s.config_maps.remove(name).is_some(),
            "Secret" => s.secrets.remove(name).is_some(),
            other => s.others.remove(&(other.to_string(), name.to_string())).is_some(),
        }
    }

    /// Changes an object's metadata (`kubectl label`, `annotate`); `kind` as in `Pod`.
    /// Returns None when there is no such object.
    pub fn update_metadata<T>(&mut self, kind: &str, name: &str, edit: impl FnOnce(&mut ObjectMeta) -> T) -> Option<T> {
        let s = &mut self.store;
        let meta = match kind {
            "Pod" => s.pods.get_mut(name).map(|o| &mut o.metadata),
            "StatefulSet" => s.stateful_sets.get_mut(name).map(|o| &mut o.metadata),
            "Service" => s.services.get_mut(name).map(|o| &mut o.metadata),
            "PersistentVolumeClaim" => s.claims.get_mut(name).map(|o| &mut o.metadata),
            "ReplicaSet" => s.replica_sets.get_mut(name).map(|o| &mut o.metadata),
            "Deployment" => {
                // Annotations are copied to the ReplicaSets: a change bumps the generation.
                let deployment = s.deployments.get_mut(name)?;
                let before = deployment.metadata.annotations.clone();
                let result = edit(&mut deployment.metadata);
                if deployment.metadata.annotations != before {
                    deployment.metadata.generation += 1;
                }
                return Some(result);
            }
            _ => None,
        }?;
        Some(edit(meta))
    }
}
