//! The simulated cluster: the object store, the API server's write paths, the
//! controllers' loop, and the virtual clock. Everything random comes from one
//! seeded PRNG, so the same seed and the same inputs give the same cluster.

use crate::core::sorted::{SortedMap, SortedSet};

use crate::core::api::manifest::{parse_manifest, Document, Position};
use crate::core::api::*;
use crate::core::apiserver::store::Store;
use crate::core::apiserver::{self, ApiError, Object};
use crate::core::controllers::statefulset::{self, ClaimState, SetState};
use crate::core::controllers::{endpoints, scheduler, storage};
use crate::core::network::{dns, proxy};
use crate::core::node::apps::{self, HttpResponse};
use crate::core::node::files::{self, Filesystems};
use crate::core::node::kubelet::{self, Kubelet};
use crate::core::time::{Millis, SECOND};

pub const NODE_NAME: &str = "minikube";
/// Cluster DNS service address (§6.10).
pub const KUBE_DNS_IP: &str = "10.96.0.10";
/// Refuse scaling the cluster beyond this many pods in total (issue: limits).
pub const MAX_TOTAL_REPLICAS: i64 = 1000;
/// A reconcile pass that has not settled after this many rounds is cut short.
const MAX_ROUNDS: usize = 64;
/// Garbage collector, StatefulSet controller, storage, scheduler, kubelet, endpoints.
const CONTROLLERS: usize = 6;

/// The PRNG and the address allocators.
#[derive(Debug, Clone)]
struct Allocators {
    rng: oorandom::Rand64,
    next_pod_ip: u32,
    pod_ips: SortedSet<String>,
    cluster_ips: SortedSet<String>,
}

/// What the kubelet asks of the cluster: the allocators, and read access to
/// ConfigMaps and Secrets for container environments.
struct KubeletEnvironment<'a> {
    alloc: &'a mut Allocators,
    store: &'a Store,
}

impl kubelet::Environment for KubeletEnvironment<'_> {
    fn duration(&mut self, low: Millis, high: Millis) -> Millis {
        self.alloc.duration(low, high)
    }
    fn allocate_pod_ip(&mut self) -> String {
        self.alloc.allocate_pod_ip()
    }
    fn release_pod_ip(&mut self, ip: &str) {
        self.alloc.release_pod_ip(ip)
    }
    fn container_config(&self, pod: &Pod, container: &Container) -> Result<Container, String> {
        let env = crate::core::node::env::resolve(self.store, pod, container)?;
        Ok(crate::core::node::env::with_env(container, env))
    }
}

impl Allocators {
    /// Durations fall on the kubelet's 100 ms grid: its work happens in sync
    /// loops, and a grid keeps a thousand pods from needing thousands of clock steps.
    fn duration(&mut self, low: Millis, high: Millis) -> Millis {
        const GRID: Millis = 100;
        let picked = if high <= low { low } else { low + self.rng.rand_range(0..high - low) };
        (picked / GRID).max(1) * GRID
    }
    /// host-local IPAM hands out addresses in turn, so a recreated pod gets a new one.
    fn allocate_pod_ip(&mut self) -> String {
        loop {
            let n = self.next_pod_ip;
            self.next_pod_ip = if n >= 0xFFFE { 2 } else { n + 1 };
            if n & 0xFF == 0 || n & 0xFF == 0xFF {
                continue;
            }
            let ip = format!("10.244.{}.{}", n >> 8, n & 0xFF);
            if self.pod_ips.add(ip.clone()) {
                return ip;
            }
        }
    }
    fn release_pod_ip(&mut self, ip: &str) {
        self.pod_ips.remove(ip);
    }
}

impl Allocators {
    fn uid(&mut self) -> String {
        let a = self.rng.rand_u64();
        let b = self.rng.rand_u64();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xFFFF,
            a & 0xFFF,
            0x8000 | (b >> 48) & 0x3FFF,
            b & 0xFFFF_FFFF_FFFF
        )
    }
    /// A free ClusterIP in 10.96.0.0/12, avoiding the well-known ones.
    fn cluster_ip(&mut self) -> String {
        loop {
            let n = self.rng.rand_range(11..(1 << 20) - 1);
            let ip = format!("10.{}.{}.{}", 96 + (n >> 16), (n >> 8) & 0xFF, n & 0xFF);
            if n & 0xFF != 0 && self.cluster_ips.add(ip.clone()) {
                return ip;
            }
        }
    }
}

/// The whole simulated cluster. Cloning it is a snapshot.
#[derive(Debug, Clone)]
pub struct Cluster {
    /// The virtual clock, in milliseconds since the cluster started.
    pub now: Millis,
    pub store: Store,
    /// Events, deduplicated, in the order first recorded.
    pub events: Vec<Event>,
    /// Finds a recorded event identical to a new one, for deduplication.
    event_index: EventIndex,
    /// Every file on volumes, emptyDirs and container layers.
    pub files: Filesystems,
    /// The visits app's in-memory counter, per (pod uid, container).
    visits: SortedMap<(String, String), u64>,
    /// What each container printed, per (pod uid, container): this run and the previous one.
    pub logs: SortedMap<(String, String), ContainerLogs>,
    /// ClientIP session affinity: (service, client) → (pod ip, last connection).
    affinity: SortedMap<(String, String), (String, Millis)>,
    /// The latest HTTP requests, oldest first (the page draws them travelling).
    pub requests: Vec<RequestTrace>,
    kubelet: Kubelet,
    alloc: Allocators,
    /// Per controller, what it reads (see [`Cluster::inputs_of`]) as it was when a pass
    /// last found nothing at all to do; while that is unchanged, its pass is skipped.
    settled_on: [Option<Inputs>; CONTROLLERS],
    /// The StatefulSet controller's view of each set's pods, by set name.
    set_members: SortedMap<String, statefulset::Members>,
    endpoints_controller: endpoints::Controller,
    scheduler_queue: scheduler::Queue,
    /// The claims map's stamp when no claim had a controller owner reference (so the
    /// garbage collector had nothing to look for), as a memo.
    unowned_claims: u64,
    /// The claims map's stamp when every claim was bound and none was being deleted
    /// (so the storage controller had nothing to do, whatever the pods and the clock).
    settled_claims: u64,
}

/// The documents of a manifest, or the error `kubectl apply` prints for text it cannot read.
fn documents_of(text: &str) -> Result<Vec<Document>, ApiError> {
    let documents = parse_manifest(text).map_err(|e| ApiError {
        message: format!("error: error parsing manifest: {}", e.message),
        position: e.position,
    })?;
    if documents.is_empty() {
        return Err(ApiError { message: "error: no objects passed to apply".into(), position: None });
    }
    Ok(documents)
}

/// What applying a manifest can write, as it was before, to be put back when a document
/// is refused: the allocators and the maps of the kinds applied (controllers run only
/// after all documents are in). Pods and claims, up to a thousand each, are saved only
/// when a document is one; cloning the whole store cost more than the apply.
struct BeforeApply {
    alloc: Allocators,
    stateful_sets: SortedMap<String, StatefulSet>,
    services: SortedMap<String, Service>,
    config_maps: SortedMap<String, ConfigMap>,
    secrets: SortedMap<String, Secret>,
    storage_classes: SortedMap<String, StorageClass>,
    others: SortedMap<(String, String), GenericObject>,
    pods: Option<SortedMap<String, Pod>>,
    claims: Option<SortedMap<String, PersistentVolumeClaim>>,
}

impl BeforeApply {
    fn save(cluster: &Cluster, documents: &[Document]) -> Self {
        let s = &cluster.store;
        let applies = |kind: &str| documents.iter().any(|d| d.kind() == Some(kind));
        BeforeApply {
            alloc: cluster.alloc.clone(),
            stateful_sets: s.stateful_sets.clone(),
            services: s.services.clone(),
            config_maps: s.config_maps.clone(),
            secrets: s.secrets.clone(),
            storage_classes: s.storage_classes.clone(),
            others: s.others.clone(),
            pods: applies("Pod").then(|| s.pods.clone()),
            claims: applies("PersistentVolumeClaim").then(|| s.claims.clone()),
        }
    }

    fn restore(self, cluster: &mut Cluster) {
        let s = &mut cluster.store;
        cluster.alloc = self.alloc;
        s.stateful_sets = self.stateful_sets;
        s.services = self.services;
        s.config_maps = self.config_maps;
        s.secrets = self.secrets;
        s.storage_classes = self.storage_classes;
        s.others = self.others;
        if let Some(pods) = self.pods {
            s.pods = pods;
        }
        if let Some(claims) = self.claims {
            s.claims = claims;
        }
    }
}

/// Which recorded event is identical to a new one: a hash table of positions in
/// `Cluster::events` by a hash of the fields that make events the same. (A sorted map
/// of thousands of long keys spent its time shifting them on every insert.) It is only
/// looked up, never iterated, so it decides nothing about order.
#[derive(Debug, Clone, Default)]
struct EventIndex {
    /// Position + 1 of an event (0: a free slot); open addressing, linear probing, a
    /// power-of-two length at least twice the number of events.
    slots: Vec<u32>,
    /// The hash of each event, by position.
    hashes: Vec<u64>,
}

impl EventIndex {
    /// The fields eight bytes at a time, each followed by its length (FxHash's step),
    /// then mixed so that the low bits, which pick the slot, depend on every byte. A byte
    /// at a time (FNV) was a third of recording an event, and there are tens of thousands.
    fn hash(fields: &[&str]) -> u64 {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let step = |h: u64, word: u64| (h.rotate_left(5) ^ word).wrapping_mul(K);
        let mut h = 0;
        for field in fields {
            let words = field.as_bytes().chunks(8).map(|chunk| {
                let mut word = [0u8; 8];
                word[..chunk.len()].copy_from_slice(chunk);
                u64::from_le_bytes(word)
            });
            h = words.fold(h, step);
            h = step(h, field.len() as u64);
        }
        // MurmurHash3's finaliser.
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^ (h >> 33)
    }

    /// The position of the event with `hash` that `same` accepts.
    fn find(&self, hash: u64, same: impl Fn(usize) -> bool) -> Option<usize> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut slot = hash as usize & mask;
        loop {
            let index = (*self.slots.get(slot)? as usize).checked_sub(1)?;
            if self.hashes.get(index) == Some(&hash) && same(index) {
                return Some(index);
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Adds the event recorded next, whose fields hash to `hash`.
    fn add(&mut self, hash: u64) {
        self.hashes.push(hash);
        if self.hashes.len() * 2 <= self.slots.len() {
            self.place(self.hashes.len() - 1);
            return;
        }
        self.slots = vec![0; (self.hashes.len() * 2).next_power_of_two().max(64)];
        for index in 0..self.hashes.len() {
            self.place(index);
        }
    }

    fn place(&mut self, index: usize) {
        let mask = self.slots.len() - 1;
        let mut slot = self.hashes[index] as usize & mask;
        while self.slots[slot] != 0 {
            slot = (slot + 1) & mask;
        }
        self.slots[slot] = index as u32 + 1;
    }
}

/// Stamps of the store maps a controller reads, and the clock if it reads that.
type Inputs = [u64; 5];

/// Log lines of one container: the current run and the one before (`--previous`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainerLogs {
    pub current: Vec<String>,
    pub previous: Option<Vec<String>>,
}

/// Who sends a request: the learner's machine, or a pod (with its IP).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Client {
    Host,
    Pod(String),
}

/// Why a request got no HTTP answer, as curl reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestError {
    /// The name does not resolve (NXDOMAIN).
    CouldNotResolve(String, dns::Miss),
    /// Nothing listens there, or the Service has no ready endpoint (§7.4).
    ConnectionRefused { ip: String, port: i64 },
}

/// Requests kept in [`Cluster::requests`].
const REQUESTS_KEPT: usize = 24;

/// One HTTP request as the page draws it: client → Service (if it went
/// through one) → pod, and what came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestTrace {
    /// Counts every request since the cluster started (a stable key).
    pub id: u64,
    pub at: Millis,
    /// The Service it went through, if any.
    pub service: Option<String>,
    /// The pod that answered, if one did.
    pub pod: Option<String>,
    /// The HTTP status, or None if the connection was refused or the name did not resolve.
    pub status: Option<u16>,
    /// Why there was no answer, in curl's words (`Could not resolve host: visits`).
    pub failure: Option<String>,
}

/// What `kubectl apply` answers for one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplyLine {
    /// `statefulset.apps/web`
    pub object: String,
    /// `created`, `configured`, `unchanged`
    pub action: &'static str,
}

impl std::fmt::Display for ApplyLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.object, self.action)
    }
}

impl Cluster {
    /// A fresh minikube-like cluster: node `minikube`, StorageClass `standard`
    /// (default, Immediate), and the `kubernetes` Service.
    pub fn new(seed: u64) -> Self {
        let mut alloc = Allocators {
            rng: oorandom::Rand64::new(u128::from(seed)),
            next_pod_ip: 2,
            // CoreDNS's address in kube-system (crate::core::system) is never handed out.
            pod_ips: [(crate::core::system::COREDNS_IP.to_string(), ())].into_iter().collect(),
            cluster_ips: ["10.96.0.1", KUBE_DNS_IP].iter().map(|s| (s.to_string(), ())).collect(),
        };
        let mut store = Store::default();
        let mut node = Node { metadata: ObjectMeta::named(NODE_NAME), internal_ip: "192.168.49.2".into(), ready: true };
        node.metadata.uid = alloc.uid();
        node.metadata.creation_timestamp = Some(0);
        store.nodes.insert(NODE_NAME.into(), node);
        let mut class = StorageClass {
            metadata: ObjectMeta::named("standard"),
            provisioner: storage::PROVISIONER.into(),
            reclaim_policy: Some("Delete".into()),
            volume_binding_mode: Some("Immediate".into()),
            allow_volume_expansion: None,
        };
        class.metadata.annotations.insert("storageclass.kubernetes.io/is-default-class".into(), "true".into());
        class.metadata.uid = alloc.uid();
        class.metadata.creation_timestamp = Some(0);
        store.storage_classes.insert("standard".into(), class);
        let mut kubernetes = Service {
            metadata: ObjectMeta::named("kubernetes"),
            spec: ServiceSpec {
                cluster_ip: Some("10.96.0.1".into()),
                ports: vec![ServicePort {
                    name: Some("https".into()),
                    port: 443,
                    target_port: Some(8443.into()),
                    protocol: None,
                    node_port: None,
                }],
                ..Default::default()
            },
        };
        kubernetes.metadata.labels.insert("component".into(), "apiserver".into());
        kubernetes.metadata.labels.insert("provider".into(), "kubernetes".into());
        kubernetes.metadata.uid = alloc.uid();
        kubernetes.metadata.creation_timestamp = Some(0);
        apiserver::default_service(&mut kubernetes);
        store.services.insert("kubernetes".into(), kubernetes);
        // The API server publishes its own address behind the `kubernetes` Service.
        let mut api_endpoints = Endpoints {
            metadata: ObjectMeta::named("kubernetes"),
            addresses: vec![EndpointAddress {
                ip: "192.168.49.2".into(),
                hostname: None,
                target_pod: String::new(),
                terminating: false,
            }],
            not_ready_addresses: Vec::new(),
            ports: vec![ServicePort {
                name: Some("https".into()),
                port: 8443,
                target_port: None,
                protocol: Some("TCP".into()),
                node_port: None,
            }],
        };
        api_endpoints.metadata.creation_timestamp = Some(0);
        store.endpoints.insert("kubernetes".into(), api_endpoints);
        // Every namespace has these from the start, as `kubectl get cm,sa` shows.
        let mut root_ca = ConfigMap { metadata: ObjectMeta::named("kube-root-ca.crt"), ..Default::default() };
        root_ca.data.insert("ca.crt".into(), "-----BEGIN CERTIFICATE-----\nMIIDBjCCAe6gAwIBAgIBATANBgkqhkiG9w0BAQsFADAVMRMwEQYDVQQDEwptaW5p\n-----END CERTIFICATE-----\n".into());
        root_ca.metadata.uid = alloc.uid();
        root_ca.metadata.creation_timestamp = Some(0);
        store.config_maps.insert("kube-root-ca.crt".into(), root_ca);
        let mut account = GenericObject {
            api_version: "v1".into(),
            kind: "ServiceAccount".into(),
            metadata: ObjectMeta::named("default"),
            body: crate::core::api::yaml::Value::Null,
        };
        account.metadata.uid = alloc.uid();
        account.metadata.creation_timestamp = Some(0);
        let mut body = crate::core::api::yaml::Mapping::new();
        body.insert("apiVersion".into(), "v1".into());
        body.insert("kind".into(), "ServiceAccount".into());
        body.insert("metadata".into(), crate::core::api::write::ToValue::to_value(&account.metadata));
        account.body = crate::core::api::yaml::Value::Mapping(body);
        store.others.insert(("ServiceAccount".into(), "default".into()), account);
        Cluster {
            now: 0,
            store,
            events: Vec::new(),
            event_index: EventIndex::default(),
            files: Filesystems::default(),
            visits: SortedMap::new(),
            logs: SortedMap::new(),
            affinity: SortedMap::new(),
            requests: Vec::new(),
            kubelet: Kubelet::default(),
            alloc,
            settled_on: [None; CONTROLLERS],
            set_members: SortedMap::new(),
            endpoints_controller: endpoints::Controller::default(),
            scheduler_queue: scheduler::Queue::default(),
            unowned_claims: 0,
            settled_claims: 0,
        }
    }

    // ------------------------------------------------------------ events

    /// Records an event; a repeat of an identical event (same object, type, reason
    /// and message) increments its count instead, as the event recorder does (§8.11).
    fn record(
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

    /// [`Cluster::record`] of an event a manifest field caused (see `Event::cause_field`).
    #[allow(clippy::too_many_arguments)]
    fn record_caused_by(
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

    /// The set's field behind a claim's invalid `field`: claims are made from
    /// `spec.volumeClaimTemplates[i]`, named `<template>-<set>-<ordinal>`.
    fn claim_template_field(&self, set_name: &str, claim_name: &str, field: &str) -> Option<String> {
        let set = self.store.stateful_sets.get(set_name)?;
        let index = set
            .spec
            .volume_claim_templates
            .iter()
            .position(|t| claim_name.starts_with(&format!("{}-{set_name}-", t.metadata.name)))?;
        Some(format!("spec.volumeClaimTemplates[{index}].{field}"))
    }

    /// Events about one object, oldest first.
    pub fn events_for<'a>(&'a self, kind: &'a str, name: &'a str) -> impl Iterator<Item = &'a Event> + 'a {
        self.events.iter().filter(move |e| e.object_kind == kind && e.object_name == name)
    }

    // ------------------------------------------------------------ apply

    /// `kubectl apply -f` of the text. Atomic: if any document is invalid, nothing changes.
    pub fn apply_text(&mut self, text: &str) -> Result<Vec<ApplyLine>, ApiError> {
        let documents = documents_of(text)?;
        // Atomic: objects are written as they come, and if any document is refused what
        // they wrote (only the maps the documents' kinds can touch) goes back to how it was.
        let saved = BeforeApply::save(self, &documents);
        match self.write_documents(&documents, true) {
            Ok(lines) => {
                self.reconcile();
                Ok(lines)
            }
            Err(mut errors) => {
                saved.restore(self);
                Err(errors.remove(0))
            }
        }
    }

    /// `kubectl apply --dry-run=server` for the editor's diagnostics as the learner
    /// types: every document's refusal (not only the first), and nothing changes.
    pub fn dry_run(&self, text: &str) -> Vec<ApiError> {
        let documents = match documents_of(text) {
            Ok(documents) => documents,
            Err(error) => return vec![error],
        };
        let mut scratch = Cluster { store: self.store.clone(), alloc: self.alloc.clone(), ..Cluster::new(0) };
        scratch.now = self.now;
        scratch.write_documents(&documents, false).err().unwrap_or_default()
    }

    /// Writes each document to the store; on refusals, the errors (the first only if
    /// `stop_at_first`). The caller restores the store on an error.
    fn write_documents(
        &mut self,
        documents: &[Document],
        stop_at_first: bool,
    ) -> Result<Vec<ApplyLine>, Vec<ApiError>> {
        let mut lines = Vec::new();
        let mut errors = Vec::new();
        for document in documents {
            let applied = apiserver::decode(document).and_then(|object| {
                self.apply_object(object).map_err(|(message, field)| {
                    let position = field
                        .as_deref()
                        .and_then(|f| apiserver::locate(&document.text, f))
                        .map(|p| document.absolute(p))
                        .or(Some(Position { line: document.first_line, column: 1 }));
                    ApiError { message, position }
                })
            });
            match applied {
                Ok(line) => lines.push(line),
                Err(error) => {
                    errors.push(error);
                    if stop_at_first {
                        return Err(errors);
                    }
                }
            }
        }
        if errors.is_empty() {
            self.check_replica_limit().map_err(|e| vec![e])?;
            return Ok(lines);
        }
        Err(errors)
    }

    fn check_replica_limit(&self) -> Result<(), ApiError> {
        let total: i64 = self.store.stateful_sets.values().map(StatefulSet::replicas).sum();
        if total > MAX_TOTAL_REPLICAS {
            return Err(ApiError {
                message: format!("error: the playground runs at most {MAX_TOTAL_REPLICAS} replicas in total; this would make {total}"),
                position: None,
            });
        }
        Ok(())
    }

    /// Creates or updates one object. Errors are (kubectl message, field path to point at).
    fn apply_object(&mut self, object: Object) -> Result<ApplyLine, (String, Option<String>)> {
        let resource = object.resource().to_string();
        let name = object.meta().name.clone();
        if name.is_empty() {
            return Err((
                "error: error when retrieving current configuration: resource name may not be empty".into(),
                Some("metadata".into()),
            ));
        }
        let object_name = format!("{resource}/{name}");
        let line = |action| ApplyLine { object: object_name.clone(), action };
        let now = self.now;
        match object {
            Object::StatefulSet(mut set) => {
                if let Some((field, value)) = apiserver::int32_overflow(&set) {
                    return Err((format!(
                        "Error from server (BadRequest): error when creating \"manifest.yaml\": StatefulSet in version \"v1\" cannot be handled as a StatefulSet: json: cannot unmarshal number {value} into Go struct field {field} of type int32"
                    ), Some(field.trim_start_matches("StatefulSetSpec.").to_string())));
                }
                apiserver::default_stateful_set(&mut set);
                let causes = match self.store.stateful_sets.get(&name) {
                    Some(old) => apiserver::validate_stateful_set_update(old, &set),
                    None => apiserver::validate_stateful_set(&set),
                };
                if let Some(first) = causes.first() {
                    return Err((apiserver::invalid_message("StatefulSet", &name, &causes), Some(first.field.clone())));
                }
                match self.store.stateful_sets.get_mut(&name) {
                    Some(old) => {
                        if old.spec == set.spec
                            && old.metadata.labels == set.metadata.labels
                            && old.metadata.annotations == set.metadata.annotations
                        {
                            return Ok(line("unchanged"));
                        }
                        // STRAT PrepareForUpdate: generation moves on any spec change.
                        if old.spec != set.spec {
                            old.metadata.generation += 1;
                        }
                        old.spec = set.spec;
                        old.metadata.labels = set.metadata.labels;
                        old.metadata.annotations = set.metadata.annotations;
                        Ok(line("configured"))
                    }
                    None => {
                        set.metadata.uid = self.alloc.uid();
                        set.metadata.creation_timestamp = Some(now);
                        set.metadata.generation = 1;
                        set.status = Default::default();
                        self.store.stateful_sets.insert(name, set);
                        Ok(line("created"))
                    }
                }
            }
            Object::Service(mut service) => {
                apiserver::default_service(&mut service);
                let mut causes = Vec::new();
                apiserver::validate_name(&name, &mut causes);
                if let Some(first) = causes.first() {
                    return Err((apiserver::invalid_message("Service", &name, &causes), Some(first.field.clone())));
                }
                match self.store.services.get_mut(&name) {
                    Some(old) => {
                        // clusterIP is immutable once allocated; a manifest without one keeps it.
                        if service.spec.cluster_ip.is_none() {
                            service.spec.cluster_ip = old.spec.cluster_ip.clone();
                        }
                        if service.spec.cluster_ip != old.spec.cluster_ip {
                            let detail = "Invalid value: \"\": field is immutable";
                            return Err((
                                format!("The Service \"{name}\" is invalid: spec.clusterIPs[0]: {detail}"),
                                Some("spec.clusterIP".into()),
                            ));
                        }
                        if old.spec == service.spec && old.metadata.labels == service.metadata.labels {
                            return Ok(line("unchanged"));
                        }
                        old.spec = service.spec;
                        old.metadata.labels = service.metadata.labels;
                        Ok(line("configured"))
                    }
                    None => {
                        if service.spec.cluster_ip.is_none() {
                            service.spec.cluster_ip = Some(self.alloc.cluster_ip());
                        }
                        if matches!(service.spec.kind.as_deref(), Some("NodePort" | "LoadBalancer")) {
                            for port in service.spec.ports.iter_mut().filter(|p| p.node_port.is_none()) {
                                port.node_port = Some(30_000 + self.alloc.rng.rand_range(0..2768) as i64);
                            }
                        }
                        service.metadata.uid = self.alloc.uid();
                        service.metadata.creation_timestamp = Some(now);
                        self.store.services.insert(name, service);
                        Ok(line("created"))
                    }
                }
            }
            Object::Pod(mut pod) => {
                apiserver::default_pod_spec(&mut pod.spec);
                if let Some(old) = self.store.pods.get(&name) {
                    return if old.spec.containers == pod.spec.containers {
                        Ok(line("unchanged"))
                    } else {
                        Err((format!("The Pod \"{name}\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"), Some("spec".into())))
                    };
                }
                let causes = apiserver::validate_pod(&pod);
                if let Some(first) = causes.first() {
                    return Err((apiserver::invalid_message("Pod", &name, &causes), Some(first.field.clone())));
                }
                self.create_pod(pod);
                Ok(line("created"))
            }
            Object::PersistentVolumeClaim(mut claim) => {
                if self.store.claims.contains_key(&name) {
                    return Ok(line("unchanged"));
                }
                let causes = apiserver::validate_claim(&claim);
                if let Some(first) = causes.first() {
                    return Err((
                        apiserver::invalid_message("PersistentVolumeClaim", &name, &causes),
                        Some(first.field.clone()),
                    ));
                }
                claim.spec.volume_mode.get_or_insert_with(|| "Filesystem".into());
                self.create_claim(claim);
                Ok(line("created"))
            }
            Object::ConfigMap(map) => Ok(line(upsert(&mut self.store.config_maps, name, map, now, &mut self.alloc))),
            Object::Secret(secret) => Ok(line(upsert(&mut self.store.secrets, name, secret, now, &mut self.alloc))),
            Object::StorageClass(class) => {
                Ok(line(upsert(&mut self.store.storage_classes, name, class, now, &mut self.alloc)))
            }
            Object::Generic(generic) => {
                let key = (generic.kind.clone(), name.clone());
                let action = match self.store.others.get(&key) {
                    Some(old) if old.body == generic.body => "unchanged",
                    Some(_) => "configured",
                    None => "created",
                };
                let mut generic = generic;
                generic.metadata.creation_timestamp = Some(now);
                self.store.others.insert(key, generic);
                Ok(line(action))
            }
        }
    }

    // ------------------------------------------------------------ API writes

    fn create_pod(&mut self, mut pod: Pod) {
        pod.metadata.uid = self.alloc.uid();
        pod.metadata.creation_timestamp = Some(self.now);
        pod.metadata.namespace.get_or_insert_with(|| "default".into());
        pod.status = PodStatus { phase: "Pending".into(), ..Default::default() };
        self.store.pods.insert(pod.name().to_string(), pod);
    }

    fn create_claim(&mut self, mut claim: PersistentVolumeClaim) {
        claim.metadata.uid = self.alloc.uid();
        claim.metadata.creation_timestamp = Some(self.now);
        claim.metadata.namespace.get_or_insert_with(|| "default".into());
        claim.metadata.finalizers = vec!["kubernetes.io/pvc-protection".into()];
        claim.status = PersistentVolumeClaimStatus { phase: "Pending".into(), ..Default::default() };
        self.store.claims.insert(claim.metadata.name.clone(), claim);
    }

    /// Graceful deletion of a pod (§2.12). `grace_seconds` overrides the pod's own.
    /// Returns false when there is no such pod.
    pub fn delete_pod(&mut self, name: &str, grace_seconds: Option<i64>) -> bool {
        let found = self.start_pod_deletion(name, grace_seconds);
        if found {
            self.reconcile();
        }
        found
    }

    /// The API server's side of a pod deletion, for users and controllers alike: an
    /// unscheduled pod or a zero grace period goes at once, anything else is marked
    /// Terminating for the kubelet. Returns false when there is no such pod.
    fn start_pod_deletion(&mut self, name: &str, grace_seconds: Option<i64>) -> bool {
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

    fn remove_pod(&mut self, name: &str) {
        if let Some(pod) = self.store.pods.remove(name) {
            self.files.forget_pod(&pod.metadata.uid);
            // Both are keyed by (pod uid, container): the pod's entries are adjacent.
            self.visits.remove_run(|(uid, _)| uid.cmp(&pod.metadata.uid));
            self.logs.remove_run(|(uid, _)| uid.cmp(&pod.metadata.uid));
        }
        let mut environment = KubeletEnvironment { alloc: &mut self.alloc, store: &self.store };
        self.kubelet.forget(name, &mut environment);
    }

    /// Deletes a claim: it shows Terminating until no pod uses it (PVC protection).
    pub fn delete_claim(&mut self, name: &str) -> bool {
        let now = self.now;
        let Some(claim) = self.store.claims.get_mut(name) else { return false };
        claim.metadata.deletion_timestamp.get_or_insert(now);
        self.reconcile();
        true
    }

    /// Deletes a StatefulSet; with `cascade`, its pods (and claims owned through the
    /// retention policy) are garbage-collected (§2.11).
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
        self.reconcile();
        true
    }

    /// `kubectl scale sts NAME --replicas=N`.
    pub fn scale(&mut self, name: &str, replicas: i64) -> Result<(), String> {
        if !self.store.stateful_sets.contains_key(name) {
            return Err(format!("Error from server (NotFound): statefulsets.apps \"{name}\" not found"));
        }
        if replicas < 0 {
            return Err(format!("The StatefulSet \"{name}\" is invalid: spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0"));
        }
        let others: i64 =
            self.store.stateful_sets.values().filter(|s| s.name() != name).map(StatefulSet::replicas).sum();
        if others + replicas > MAX_TOTAL_REPLICAS {
            return Err(format!("error: the playground runs at most {MAX_TOTAL_REPLICAS} replicas in total"));
        }
        if let Some(set) = self.store.stateful_sets.get_mut(name).filter(|s| s.spec.replicas != Some(replicas)) {
            set.spec.replicas = Some(replicas);
            set.metadata.generation += 1;
        }
        self.reconcile();
        Ok(())
    }

    /// Replaces a StatefulSet's spec (patch, set image, rollout undo/restart), validated as an update.
    pub fn update_stateful_set(&mut self, name: &str, edit: impl FnOnce(&mut StatefulSet)) -> Result<bool, String> {
        let Some(old) = self.store.stateful_sets.get(name) else {
            return Err(format!("Error from server (NotFound): statefulsets.apps \"{name}\" not found"));
        };
        let mut new = old.clone();
        edit(&mut new);
        apiserver::default_stateful_set(&mut new);
        let causes = apiserver::validate_stateful_set_update(old, &new);
        if !causes.is_empty() {
            return Err(apiserver::invalid_message("StatefulSet", name, &causes));
        }
        let changed = new.spec != old.spec || new.metadata != old.metadata;
        if new.spec != old.spec {
            new.metadata.generation += 1;
        }
        self.store.stateful_sets.insert(name.to_string(), new);
        self.check_replica_limit().map_err(|e| e.message)?;
        self.reconcile();
        Ok(changed)
    }

    // ------------------------------------------------------------ time

    /// Runs every controller at the current time until nothing changes.
    pub fn reconcile(&mut self) {
        // A controller is a function of the state and the clock (the kubelet also of its
        // own state, which only it changes). So once a controller has run and found nothing
        // to do, it need not run again until some controller changes something: `version`
        // counts changes within this call, `idle_at` remembers when each was last idle.
        // Finer still, a pass that did nothing at all (not even an event) need not run
        // again, in this call or a later one, until something it reads changes.
        let mut version = 0u64;
        let mut idle_at = [None; CONTROLLERS];
        for _ in 0..MAX_ROUNDS {
            let mut changed_any = false;
            for (controller, idle) in idle_at.iter_mut().enumerate() {
                if *idle == Some(version) {
                    continue;
                }
                let inputs = self.inputs_of(controller);
                if inputs.is_some() && self.settled_on[controller] == inputs {
                    *idle = Some(version);
                    continue;
                }
                let (changed, settled) = self.run_controller(controller);
                self.settled_on[controller] = if settled { self.inputs_of(controller) } else { None };
                if changed {
                    version += 1;
                    changed_any = true;
                } else {
                    *idle = Some(version);
                }
            }
            if !changed_any {
                return;
            }
        }
    }

    /// What controller number `index` reads, as stamps.
    fn inputs_of(&self, index: usize) -> Option<Inputs> {
        let s = &self.store;
        let (pods, claims, sets) = (s.pods.stamp(), s.claims.stamp(), s.stateful_sets.stamp());
        match index {
            0 => Some([claims, sets, pods, 0, 0]),
            1 => {
                // Only minReadySeconds makes the StatefulSet controller read the clock.
                let clock = if s.stateful_sets.values().any(|set| set.min_ready_seconds() > 0) { self.now } else { 0 };
                Some([sets, pods, claims, s.revisions.stamp(), clock])
            }
            2 => Some([claims, pods, s.storage_classes.stamp(), s.volumes.stamp(), self.now]),
            3 => Some([pods, claims, s.nodes.stamp(), 0, self.now]),
            // The kubelet also has state of its own: whether some pod is due.
            4 => Some([
                pods,
                s.config_maps.stamp(),
                s.secrets.stamp(),
                u64::from(self.kubelet.next_wake() <= self.now),
                0,
            ]),
            _ => Some([pods, s.services.stamp(), s.endpoints.stamp(), 0, 0]),
        }
    }

    /// Runs controller number `index` (in the order of a round); returns whether it
    /// changed the state, and whether it settled: another pass now would do nothing at all.
    /// Storage and the scheduler have settled when they changed nothing in the store:
    /// their events are a function of what they read, clock included, so another pass
    /// would only repeat them, and an event repeated at the same time is not counted again.
    fn run_controller(&mut self, index: usize) -> (bool, bool) {
        match index {
            0 => {
                let changed = self.garbage_collect();
                (changed, !changed)
            }
            1 => {
                let names: Vec<String> = self.store.stateful_sets.keys().cloned().collect();
                if self.set_members.len() != names.len() {
                    self.set_members.retain(|set, _| names.contains(set));
                }
                let (mut changed, mut settled) = (false, true);
                for name in names {
                    let (set_changed, set_settled) = self.sync_stateful_set(&name);
                    changed |= set_changed;
                    settled &= set_settled;
                }
                (changed, settled)
            }
            2 => self.sync_storage(),
            3 => self.sync_scheduler(),
            4 => (self.sync_kubelet(), self.kubelet.next_wake() > self.now),
            // The Endpoints it writes are exactly what another pass would want.
            _ => (self.sync_endpoints(), true),
        }
    }

    /// The earliest future time at which something is due to happen.
    pub fn next_event_time(&self) -> Option<Millis> {
        let now = self.now;
        let min_ready = self
            .store
            .stateful_sets
            .values()
            .filter(|s| s.min_ready_seconds() > 0)
            .flat_map(|s| {
                self.store.pods_of(s).filter_map(move |p| {
                    p.ready_since().map(|t| t.saturating_add((s.min_ready_seconds() as u64).saturating_mul(SECOND)))
                })
            })
            .filter(|t| *t > now)
            .min();
        let provisioning =
            if self.store.claims.stamp() == self.settled_claims { None } else { storage::next_due(&self.store, now) };
        [self.kubelet.next_due(now), provisioning, min_ready].into_iter().flatten().min()
    }

    /// Advances the virtual clock to `until`, stopping at every due event.
    pub fn run_until(&mut self, until: Millis) {
        self.reconcile();
        while let Some(next) = self.next_event_time().filter(|t| *t <= until) {
            self.now = next;
            self.reconcile();
        }
        if until > self.now {
            self.now = until;
            self.reconcile();
        }
    }

    /// Advances the clock by `ms` milliseconds.
    pub fn advance(&mut self, ms: Millis) {
        self.run_until(self.now + ms);
    }

    /// Jumps to the next due event; returns false when nothing is scheduled.
    pub fn step(&mut self) -> bool {
        match self.next_event_time() {
            Some(next) => {
                self.now = next;
                self.reconcile();
                true
            }
            None => false,
        }
    }

    /// Advances until `done` holds or `timeout` ms pass; returns whether it held.
    pub fn run_until_condition(&mut self, timeout: Millis, done: impl Fn(&Cluster) -> bool) -> bool {
        let deadline = self.now + timeout;
        self.reconcile();
        loop {
            if done(self) {
                return true;
            }
            match self.next_event_time().filter(|t| *t <= deadline) {
                Some(next) => {
                    self.now = next;
                    self.reconcile();
                }
                None => {
                    self.now = deadline;
                    self.reconcile();
                    return done(self);
                }
            }
        }
    }

    // ------------------------------------------------------------ network

    /// A DNS lookup as a pod in `default` (or the host through minikube's DNS) makes it.
    pub fn lookup(&self, name: &str) -> Result<dns::Answer, dns::Miss> {
        dns::lookup(&self.store, name, "default")
    }

    /// `GET http://host:port/path` from `client`: DNS, kube-proxy, then the program in the pod.
    pub fn http_get(
        &mut self,
        host: &str,
        port: i64,
        path: &str,
        client: &Client,
    ) -> Result<HttpResponse, RequestError> {
        let mut service = None;
        let result = self.route_get(host, port, path, client, &mut service);
        let id = self.requests.last().map_or(0, |r| r.id + 1);
        let (pod, status, failure) = match &result {
            Ok(response) => (Some(response.pod.clone()), Some(response.status), None),
            // §7.4: a headless Service with no ready pod has no address at all.
            Err(RequestError::CouldNotResolve(host, _)) => {
                (None, None, Some(format!("Could not resolve host: {host}")))
            }
            Err(RequestError::ConnectionRefused { ip, port }) => {
                (None, None, Some(format!("Failed to connect to {ip} port {port}: Connection refused")))
            }
        };
        if self.requests.len() == REQUESTS_KEPT {
            self.requests.remove(0);
        }
        self.requests.push(RequestTrace { id, at: self.now, service, pod, status, failure });
        result
    }

    /// [`Cluster::http_get`]'s route; `via` learns the Service it went through.
    fn route_get(
        &mut self,
        host: &str,
        port: i64,
        path: &str,
        client: &Client,
        via: &mut Option<String>,
    ) -> Result<HttpResponse, RequestError> {
        let ip = if host.parse::<std::net::Ipv4Addr>().is_ok() {
            host.to_string()
        } else {
            let answer = self.lookup(host).map_err(|miss| RequestError::CouldNotResolve(host.to_string(), miss))?;
            // CoreDNS shuffles A records (§6.11, §7.5); the client takes the first.
            let index = self.alloc.rng.rand_range(0..answer.addresses.len().max(1) as u64) as usize;
            answer.addresses.get(index).cloned().unwrap_or_default()
        };
        let refused = || RequestError::ConnectionRefused { ip: ip.clone(), port };
        let service = self.store.services.values().find(|s| s.spec.cluster_ip.as_deref() == Some(ip.as_str())).cloned();
        // A headless Service's name resolves straight to pod IPs: it still went "through" it.
        let named = host.split('.').next().filter(|label| self.store.services.get(*label).is_some());
        *via = service.as_ref().map(|s| s.metadata.name.clone()).or(named.map(str::to_string));
        let backend = match service {
            Some(service) => self.pick_backend(&service, port, client).ok_or_else(refused)?,
            None => {
                let pod = self
                    .store
                    .pods
                    .values()
                    .find(|p| p.status.pod_ip.as_deref() == Some(ip.as_str()))
                    .ok_or_else(refused)?;
                proxy::Backend { pod: pod.name().to_string(), ip: ip.clone(), port }
            }
        };
        let client_ip = match client {
            Client::Host => "10.244.0.1".to_string(),
            Client::Pod(name) => self.store.pods.get(name).and_then(|p| p.status.pod_ip.clone()).unwrap_or_default(),
        };
        self.serve(&backend, path, &client_ip)
            .ok_or(RequestError::ConnectionRefused { ip: backend.ip, port: backend.port })
    }

    /// §7.2–§7.3: a uniform random ready endpoint, or the remembered one under ClientIP affinity.
    fn pick_backend(&mut self, service: &Service, port: i64, client: &Client) -> Option<proxy::Backend> {
        let candidates =
            proxy::candidates(service, self.store.endpoints.get(&service.metadata.name), &self.store.pods, port);
        let client_ip = match client {
            Client::Host => "192.168.49.1".to_string(),
            Client::Pod(name) => self.store.pods.get(name).and_then(|p| p.status.pod_ip.clone()).unwrap_or_default(),
        };
        let key = (service.metadata.name.clone(), client_ip);
        let sticky = service.spec.session_affinity.as_deref() == Some("ClientIP");
        if sticky {
            if let Some((ip, last)) = self.affinity.get(&key) {
                let timeout = proxy::AFFINITY_TIMEOUT_SECONDS * SECOND;
                if self.now.saturating_sub(*last) < timeout {
                    if let Some(found) = candidates.iter().find(|b| b.ip == *ip) {
                        let found = found.clone();
                        self.affinity.insert(key, (found.ip.clone(), self.now));
                        return Some(found);
                    }
                }
            }
        }
        let rng = &mut self.alloc.rng;
        let chosen = proxy::pick(&candidates, |n| rng.rand_range(0..n))?.clone();
        if sticky {
            self.affinity.insert(key, (chosen.ip.clone(), self.now));
        }
        Some(chosen)
    }

    /// The program listening on the backend's port answers, if the pod is up.
    fn serve(&mut self, backend: &proxy::Backend, path: &str, client_ip: &str) -> Option<HttpResponse> {
        let pod = self.store.pods.get(&backend.pod)?;
        let effective: Vec<Container> =
            pod.spec.containers.iter().map(|c| crate::core::node::env::effective(&self.store, pod, c)).collect();
        let container_index =
            effective.iter().position(|c| crate::core::node::workload::listen_port(c) == Some(backend.port))?;
        let running = pod.status.container_statuses.get(container_index).is_some_and(|s| s.state.running.is_some());
        if !running {
            return None;
        }
        let container = effective[container_index].clone();
        let key = (pod.metadata.uid.clone(), container.name.clone());
        let mut memory = self.visits.get(&key).copied().unwrap_or(0);
        let response = apps::handle_get(&self.store, &mut self.files, pod, &container, &mut memory, path);
        let line = apps::access_log(&container, client_ip, path, &response, self.now);
        self.logs.entry_or_default(key.clone()).current.push(line);
        self.visits.insert(key, memory);
        Some(response)
    }

    /// Reads a file as `container` of `pod` sees it.
    pub fn read_file(&self, pod: &str, container: Option<&str>, path: &str) -> Option<String> {
        let pod = self.store.pods.get(pod)?;
        let container = match container {
            Some(name) => pod.spec.containers.iter().find(|c| c.name == name)?,
            None => pod.spec.containers.first()?,
        };
        if let Some(generated) = kubelet_managed_file(pod, &files::normalize(path)) {
            return Some(generated);
        }
        let at = files::resolve(&self.store, pod, container, path);
        self.files.read(&self.store, &at)
    }

    /// Where `path` lives for `container` (the first one if `None`) of `pod`.
    fn locate(&self, pod: &str, container: Option<&str>, path: &str) -> Result<files::Resolved, String> {
        let pod = self.store.pods.get(pod).ok_or_else(|| format!("pod {pod} not found"))?;
        let container = match container {
            Some(name) => pod.spec.containers.iter().find(|c| c.name == name),
            None => pod.spec.containers.first(),
        }
        .ok_or_else(|| "container not found".to_string())?;
        Ok(files::resolve(&self.store, pod, container, path))
    }

    /// Writes a file as `container` of `pod` sees it.
    pub fn write_file(
        &mut self,
        pod: &str,
        container: Option<&str>,
        path: &str,
        content: String,
    ) -> Result<(), String> {
        let at = self.locate(pod, container, path)?;
        self.files.write(&at, content)
    }

    /// Deletes a file as `container` of `pod` sees it; `Ok(false)` when there was none.
    pub fn remove_file(&mut self, pod: &str, container: Option<&str>, path: &str) -> Result<bool, String> {
        let at = self.locate(pod, container, path)?;
        self.files.remove(&at)
    }

    // ------------------------------------------------------------ controllers

    /// Returns whether the store changed, and whether the pass asked for nothing at all.
    fn sync_stateful_set(&mut self, name: &str) -> (bool, bool) {
        let any_claim_owned = self.any_claim_owned();
        let Some(set) = self.store.stateful_sets.get(name) else { return (false, true) };
        let members = self.set_members.entry_or_default(name.to_string());
        members.catch_up(set, &self.store.pods, &self.store.claims);
        let claims = &self.store.claims;
        let claim = |claim_name: &str| match claims.get(claim_name) {
            None => ClaimState::Missing,
            Some(c) if c.metadata.is_terminating() => ClaimState::Deleting,
            Some(c) => ClaimState::Present { owner: c.metadata.controller().cloned() },
        };
        let state = SetState {
            set,
            members,
            revisions: self.store.revisions_of(set).collect(),
            claim: &claim,
            any_claim_owned,
            now: self.now,
        };
        let changes = statefulset::reconcile(&state);
        let settled = changes.is_empty();
        let set_name = name.to_string();
        let mut changed = false;
        let mut failed_pod_create = false;
        for change in changes {
            use statefulset::Change as C;
            match change {
                C::CreateRevision(mut revision) => {
                    revision.metadata.uid = self.alloc.uid();
                    revision.metadata.creation_timestamp = Some(self.now);
                    self.store.revisions.insert(revision.metadata.name.clone(), revision);
                    changed = true;
                }
                C::RenumberRevision { name, revision } => {
                    if let Some(r) = self.store.revisions.get_mut(&name) {
                        r.revision = revision;
                        changed = true;
                    }
                }
                C::DeleteRevision(name) => changed |= self.store.revisions.remove(&name).is_some(),
                C::CreateClaim(claim) => {
                    let causes = apiserver::validate_claim(&claim);
                    if causes.is_empty() {
                        self.create_claim(claim);
                        changed = true;
                    } else {
                        // §4.6: the claim and then the pod fail to be created.
                        let claim_name = claim.metadata.name.clone();
                        let error = apiserver::invalid_message("PersistentVolumeClaim", &claim_name, &causes);
                        let ordinal = statefulset::parent_and_ordinal(&claim_name).map_or(0, |(_, o)| o);
                        let pod = statefulset::pod_name_for(&set_name, ordinal);
                        let field = causes
                            .first()
                            .and_then(|cause| self.claim_template_field(&set_name, &claim_name, &cause.field));
                        self.record_caused_by("Warning", "FailedCreate", "StatefulSet", &set_name, "statefulset-controller",
                            format!("create Claim {claim_name} for Pod {pod} in StatefulSet {set_name} failed error: {error}"), field.clone());
                        self.record_caused_by("Warning", "FailedCreate", "StatefulSet", &set_name, "statefulset-controller",
                            format!("create Pod {pod} in StatefulSet {set_name} failed error: failed to create PVC {claim_name}: {error}"), field);
                        failed_pod_create = true;
                    }
                }
                C::CreatePod(pod) => {
                    if failed_pod_create {
                        continue;
                    }
                    let causes = apiserver::validate_pod(&pod);
                    if causes.is_empty() {
                        self.create_pod(pod);
                        changed = true;
                    } else {
                        // §4.5: pod-spec errors surface as FailedCreate events, retried each sync.
                        let error =
                            apiserver::invalid_message("Pod", pod.name(), &causes).replacen("The Pod", "Pod", 1);
                        // The pod's field is the template's, one level down in the set.
                        self.record_caused_by(
                            "Warning",
                            "FailedCreate",
                            "StatefulSet",
                            &set_name,
                            "statefulset-controller",
                            format!("create Pod {} in StatefulSet {set_name} failed error: {error}", pod.name()),
                            causes.first().map(|cause| format!("spec.template.{}", cause.field)),
                        );
                        failed_pod_create = true;
                    }
                }
                C::DeletePod(pod) => changed |= self.start_pod_deletion(&pod, None),
                C::RepairPodIdentity(pod) => {
                    if let Some(p) = self.store.pods.get_mut(&pod) {
                        p.metadata.labels.insert(POD_NAME_LABEL.into(), pod.clone());
                        changed = true;
                    }
                }
                C::SetClaimOwner { claim, owner } => {
                    if let Some(c) = self.store.claims.get_mut(&claim) {
                        c.metadata.owner_references.retain(|o| !o.controller);
                        c.metadata.owner_references.extend(owner);
                        changed = true;
                    }
                }
                C::UpdateStatus(status) => {
                    if let Some(s) = self.store.stateful_sets.get_mut(&set_name) {
                        s.status = status;
                        changed = true;
                    }
                }
                C::Event { kind, reason, message } => {
                    if reason == "SuccessfulCreate" && failed_pod_create && message.starts_with("create Pod") {
                        failed_pod_create = false;
                        continue;
                    }
                    self.record(kind, reason, "StatefulSet", &set_name, "statefulset-controller", message);
                }
            }
        }
        (changed, settled)
    }

    /// The garbage collector: dependents whose controller owner is gone are deleted.
    /// Whether any claim has a controller owner reference.
    fn any_claim_owned(&mut self) -> bool {
        if self.store.claims.stamp() == self.unowned_claims {
            return false;
        }
        let owned = self.store.claims.values().any(|c| c.metadata.controller().is_some());
        if !owned {
            self.unowned_claims = self.store.claims.stamp();
        }
        owned
    }

    fn garbage_collect(&mut self) -> bool {
        // Only claims given owners by a retention policy (§4.10) are ever collected.
        if !self.any_claim_owned() {
            return false;
        }
        let live_uids: SortedSet<String> = self
            .store
            .stateful_sets
            .values()
            .map(|s| (s.metadata.uid.clone(), ()))
            .chain(self.store.pods.values().map(|p| (p.metadata.uid.clone(), ())))
            .collect();
        let orphaned_claims: Vec<String> = self
            .store
            .claims
            .values()
            .filter(|c| {
                !c.metadata.is_terminating() && c.metadata.controller().is_some_and(|o| !live_uids.contains_key(&o.uid))
            })
            .map(|c| c.metadata.name.clone())
            .collect();
        let changed = !orphaned_claims.is_empty();
        for claim in orphaned_claims {
            if let Some(c) = self.store.claims.get_mut(&claim) {
                c.metadata.deletion_timestamp = Some(self.now);
            }
        }
        changed
    }

    fn sync_storage(&mut self) -> (bool, bool) {
        if self.store.claims.stamp() == self.settled_claims {
            return (false, true);
        }
        let mut changed = false;
        let changes = storage::reconcile(&self.store, self.now);
        if changes.is_empty() && storage::all_claims_settled(&self.store) {
            self.settled_claims = self.store.claims.stamp();
        }
        for change in changes {
            match change {
                storage::Change::CreateVolume(mut volume) => {
                    volume.metadata.uid = self.alloc.uid();
                    volume.metadata.creation_timestamp = Some(self.now);
                    self.store.volumes.insert(volume.metadata.name.clone(), volume);
                    changed = true;
                }
                storage::Change::Bind { claim, volume, capacity, access_modes } => {
                    if let Some(c) = self.store.claims.get_mut(&claim) {
                        c.spec.volume_name = Some(volume);
                        c.status.phase = "Bound".into();
                        c.status.capacity = Some(capacity);
                        c.status.access_modes = access_modes;
                        changed = true;
                    }
                }
                storage::Change::RemoveClaim(claim) => {
                    if let Some(c) = self.store.claims.remove(&claim) {
                        if let Some(volume) = c.spec.volume_name {
                            // Reclaim policy Delete (the standard class): the volume and its data go.
                            self.store.volumes.remove(&volume);
                            self.files.forget_volume(&volume);
                        }
                        changed = true;
                    }
                }
                storage::Change::Event { claim, kind, reason, message, source } => {
                    self.record(kind, reason, "PersistentVolumeClaim", &claim, source, message)
                }
            }
        }
        (changed, !changed)
    }

    fn sync_scheduler(&mut self) -> (bool, bool) {
        let mut changed = false;
        let changes = scheduler::reconcile(&mut self.scheduler_queue, &self.store, self.now);
        for change in changes {
            match change {
                scheduler::Change::Bind { pod, node } => {
                    if let Some(p) = self.store.pods.get_mut(&pod) {
                        p.spec.node_name = Some(node);
                        changed = true;
                    }
                }
                scheduler::Change::Event { pod, kind, reason, message } => {
                    self.record(kind, reason, "Pod", &pod, "default-scheduler", message)
                }
            }
        }
        (changed, !changed)
    }

    fn sync_kubelet(&mut self) -> bool {
        let mut changed = false;
        let mut environment = KubeletEnvironment { alloc: &mut self.alloc, store: &self.store };
        let changes = self.kubelet.sync(NODE_NAME, &self.store.pods, self.now, &mut environment);
        let mut execs = Vec::new();
        for change in changes {
            match change {
                kubelet::Change::SetStatus { pod, status } => {
                    if let Some(p) = self.store.pods.get_mut(&pod) {
                        p.status = status;
                        changed = true;
                    }
                }
                kubelet::Change::Remove(pod) => {
                    self.remove_pod(&pod);
                    changed = true;
                }
                kubelet::Change::Event { pod, kind, reason, message } => {
                    self.record(kind, reason, "Pod", &pod, "kubelet", message)
                }
                kubelet::Change::Exec { pod, container, probe, command } => {
                    execs.push((pod, container, probe, command))
                }
                kubelet::Change::ContainerStarted { pod, container } => {
                    let Some(p) = self.store.pods.get(&pod) else { continue };
                    let Some(spec) = p.spec.containers.iter().find(|c| c.name == container) else { continue };
                    self.files.reset_layer(&p.metadata.uid, &container);
                    // The visits app reads its count from its file when it starts.
                    let spec = &crate::core::node::env::effective(&self.store, p, spec);
                    let count = apps::read_visits(&self.store, &self.files, p, spec);
                    let key = (p.metadata.uid.clone(), container);
                    let logs = self.logs.entry_or_default(key.clone());
                    if !logs.current.is_empty() || logs.previous.is_some() {
                        logs.previous = Some(std::mem::take(&mut logs.current));
                    }
                    logs.current.extend(apps::startup_log(spec, count));
                    self.visits.insert(key, count);
                }
            }
        }
        // Exec probes run once the sync's other changes are in, with the terminal's
        // shell and tools in the container; the kubelet counts the results on its next pass.
        for (pod, container, probe, command) in execs {
            let (status, output, took) = crate::cli::probe_exec(self, &pod, &container, &command);
            self.kubelet.exec_done(&pod, &container, probe, status, &output, took);
            changed = true;
        }
        changed
    }

    fn sync_endpoints(&mut self) -> bool {
        let changes = self.endpoints_controller.reconcile(&self.store, self.now);
        let changed = !changes.is_empty();
        for change in changes {
            match change {
                endpoints::Change::Put(wanted) => {
                    self.store.endpoints.insert(wanted.metadata.name.clone(), wanted);
                }
                endpoints::Change::Place { service, pod, address } => {
                    if let Some(current) = self.store.endpoints.get_mut(&service) {
                        endpoints::place(current, &pod, address);
                    }
                }
                endpoints::Change::Remove(name) => {
                    self.store.endpoints.remove(&name);
                }
            }
        }
        self.endpoints_controller.applied(&self.store);
        changed
    }
}

/// Files the kubelet writes into every container (§1.7, §6.10).
fn kubelet_managed_file(pod: &Pod, path: &str) -> Option<String> {
    let hostname = pod.spec.hostname.clone().unwrap_or_else(|| pod.name().to_string());
    let ip = pod.status.pod_ip.clone().unwrap_or_default();
    match path {
        "/etc/hostname" => Some(format!("{hostname}\n")),
        "/etc/hosts" => {
            let own = match pod.spec.subdomain.as_deref().filter(|s| !s.is_empty()) {
                Some(subdomain) => format!(
                    "{ip}\t{hostname}.{subdomain}.{}.svc.{}\t{hostname}",
                    pod.metadata.namespace(),
                    dns::CLUSTER_DOMAIN
                ),
                None => format!("{ip}\t{hostname}"),
            };
            Some(format!(
                "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n{own}\n"
            ))
        }
        "/etc/resolv.conf" => Some(format!(
            "nameserver {KUBE_DNS_IP}\nsearch {}\noptions ndots:5\n",
            dns::search_path(pod.metadata.namespace()).join(" ")
        )),
        _ => None,
    }
}

/// Create-or-update for objects the playground only stores.
fn upsert<T: PartialEq + HasMeta>(
    map: &mut SortedMap<String, T>,
    name: String,
    mut object: T,
    now: Millis,
    alloc: &mut Allocators,
) -> &'static str {
    match map.get_mut(&name) {
        Some(old) => {
            let created = old.meta().creation_timestamp;
            let uid = old.meta().uid.clone();
            object.meta_mut().creation_timestamp = created;
            object.meta_mut().uid = uid;
            if *old == object {
                "unchanged"
            } else {
                *old = object;
                "configured"
            }
        }
        None => {
            object.meta_mut().creation_timestamp = Some(now);
            object.meta_mut().uid = alloc.uid();
            map.insert(name, object);
            "created"
        }
    }
}

/// Objects with metadata, for the generic write paths.
pub trait HasMeta {
    fn meta(&self) -> &ObjectMeta;
    fn meta_mut(&mut self) -> &mut ObjectMeta;
}

macro_rules! has_meta {
    ($($t:ty),*) => {$(
        impl HasMeta for $t {
            fn meta(&self) -> &ObjectMeta { &self.metadata }
            fn meta_mut(&mut self) -> &mut ObjectMeta { &mut self.metadata }
        }
    )*};
}
has_meta!(ConfigMap, Secret, StorageClass);
