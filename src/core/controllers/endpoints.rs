//! The Endpoints controller (§6.2–§6.4): which pods stand behind each Service; and
//! the EndpointSlices the EndpointSlice controller would write (§6.3), derived on request.

use crate::core::api::*;
use crate::core::apiserver::store::Store;
use crate::core::apiserver::ApiServer;
use crate::core::sorted::Seen;
use crate::core::time::Millis;

/// The Endpoints object `service` should have right now; `None` for a Service
/// without a selector (no controller-managed endpoints).
pub fn endpoints_for(store: &Store, service: &Service) -> Option<Endpoints> {
    let selector = service.spec.selector.as_ref()?;
    let mut endpoints = Endpoints {
        metadata: ObjectMeta { name: service.metadata.name.clone(), ..Default::default() },
        ports: service.spec.ports.clone(),
        ..Default::default()
    };
    for pod in store.pods.values() {
        match address_of(service, selector, pod) {
            Some((address, true)) => endpoints.addresses.push(address),
            Some((address, false)) => endpoints.not_ready_addresses.push(address),
            None => {}
        }
    }
    Some(endpoints)
}

/// The address `pod` has behind `service`, whose selector is `selector`, and whether
/// it is ready (`addresses`) or not (`notReadyAddresses`); `None` when it has none.
fn address_of(service: &Service, selector: &Labels, pod: &Pod) -> Option<(EndpointAddress, bool)> {
    if selector.is_empty() || !selector_matches(selector, &pod.metadata.labels) {
        return None;
    }
    let ip = pod.status.pod_ip.clone()?;
    let publish_not_ready = service.spec.publish_not_ready_addresses == Some(true);
    let terminating = pod.metadata.is_terminating();
    if pod.is_terminal() || (terminating && !publish_not_ready) {
        return None;
    }
    // §6.4: the hostname is set only when the pod's subdomain names this Service.
    let hostname = match (&pod.spec.hostname, &pod.spec.subdomain) {
        (Some(h), Some(s)) if *s == service.metadata.name => Some(h.clone()),
        _ => None,
    };
    let address = EndpointAddress { ip, hostname, target_pod: pod.name().to_string(), terminating };
    Some((address, pod.condition("Ready") || publish_not_ready))
}

/// What the Endpoints controller asks the API server to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Create or replace the Endpoints object of that name.
    Put(Endpoints),
    /// Put the address of `pod` (`None`: no address) into the Endpoints of `service`.
    Place { service: String, pod: String, address: Option<(EndpointAddress, bool)> },
    /// Delete the Endpoints of a Service that is gone.
    Remove(String),
}

/// The controller's memory between passes, so that a pass looks only at the pods
/// changed since the last one and patches their addresses.
#[derive(Debug, Clone, Default)]
pub struct Controller {
    seen: Seen<String>,
    /// The stamps of the services and endpoints maps after the last pass: when either
    /// has changed since, the next pass works every Endpoints object out afresh.
    services_stamp: u64,
    endpoints_stamp: u64,
}

impl Controller {
    /// One pass at virtual time `now`: the changes that make every Endpoints object
    /// what [`endpoints_for`] says. Call [`Controller::applied`] once they are made.
    pub fn reconcile(&mut self, store: &Store, now: Millis) -> Vec<Change> {
        let mut changes = Vec::new();
        let mut changed_pods = Vec::new();
        self.seen.catch_up(&store.pods, |name, pod| changed_pods.push((name.clone(), pod)));
        let afresh = store.services.stamp() != self.services_stamp || store.endpoints.stamp() != self.endpoints_stamp;
        for service in store.services.values() {
            let name = &service.metadata.name;
            // Without a selector the Endpoints are not the controller's to manage.
            let Some(selector) = &service.spec.selector else { continue };
            match store.endpoints.get(name).filter(|_| !afresh) {
                Some(current) => {
                    // Only the addresses of the pods that changed can have changed.
                    for (pod, new) in &changed_pods {
                        let wanted = new.and_then(|p| address_of(service, selector, p));
                        if placed(current, pod) != wanted.as_ref().map(|(address, ready)| (address, *ready)) {
                            changes.push(Change::Place { service: name.clone(), pod: pod.clone(), address: wanted });
                        }
                    }
                }
                None => {
                    let Some(mut wanted) = endpoints_for(store, service) else { continue };
                    let old = store.endpoints.get(name);
                    wanted.metadata.creation_timestamp = old.and_then(|o| o.metadata.creation_timestamp).or(Some(now));
                    if old != Some(&wanted) {
                        changes.push(Change::Put(wanted));
                    }
                }
            }
        }
        if afresh {
            let stale = store.endpoints.keys().filter(|n| !store.services.contains_key(*n));
            changes.extend(stale.map(|name| Change::Remove(name.clone())));
        }
        changes
    }

    /// One pass through the API server; returns whether the store changed. (The
    /// Endpoints it writes are exactly what another pass would want: it always settles.)
    pub fn sync(&mut self, api: &mut ApiServer) -> bool {
        let changes = self.reconcile(api.store(), api.now());
        let changed = !changes.is_empty();
        for change in changes {
            match change {
                Change::Put(wanted) => api.put_endpoints(wanted),
                Change::Place { service, pod, address } => {
                    api.update_endpoints(&service, |current| place(current, &pod, address));
                }
                Change::Remove(name) => {
                    api.delete_endpoints(&name);
                }
            }
        }
        self.applied(api.store());
        changed
    }

    /// Records that the changes of the last pass are in the store.
    pub fn applied(&mut self, store: &Store) {
        self.services_stamp = store.services.stamp();
        self.endpoints_stamp = store.endpoints.stamp();
    }
}

/// Where the address of `pod` is in `endpoints`: the address and whether it is ready.
/// Both lists are in pod name order, as [`endpoints_for`] makes them.
fn placed<'a>(endpoints: &'a Endpoints, pod: &str) -> Option<(&'a EndpointAddress, bool)> {
    let find =
        |list: &'a [EndpointAddress]| list.binary_search_by(|a| a.target_pod.as_str().cmp(pod)).ok().map(|i| &list[i]);
    find(&endpoints.addresses).map(|a| (a, true)).or_else(|| find(&endpoints.not_ready_addresses).map(|a| (a, false)))
}

/// Puts the address of `pod` (`None`: no address) into `endpoints`, keeping both
/// lists in pod name order.
pub fn place(endpoints: &mut Endpoints, pod: &str, address: Option<(EndpointAddress, bool)>) {
    for list in [&mut endpoints.addresses, &mut endpoints.not_ready_addresses] {
        if let Ok(index) = list.binary_search_by(|a| a.target_pod.as_str().cmp(pod)) {
            list.remove(index);
        }
    }
    if let Some((address, ready)) = address {
        let list = if ready { &mut endpoints.addresses } else { &mut endpoints.not_ready_addresses };
        let index = list.binary_search_by(|a| a.target_pod.as_str().cmp(pod)).unwrap_or_else(|i| i);
        list.insert(index, address);
    }
}

/// EndpointSlices are named `<service>-<5 random chars>`; stable per service here. The API
/// server's own slice for `kubernetes` has no suffix.
pub fn slice_name(service: &str) -> String {
    if service == "kubernetes" {
        return service.into();
    }
    let suffix: String = hash_chars(service, 5);
    format!("{service}-{suffix}")
}

/// `n` characters of the name-suffix alphabet, from a hash of `text`.
fn hash_chars(text: &str, n: usize) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let hash = text.bytes().fold(2_166_136_261_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(16_777_619));
    (0..n).map(|i| ALPHABET[((hash >> ((i * 5) % 30)) as usize) % ALPHABET.len()] as char).collect()
}

/// The EndpointSlice of `service` (§6.3, EPC `podToEndpoint`; 1.32 with terminating
/// endpoints): every matching pod with an IP that is not terminal, terminating ones
/// included; `serving` = pod Ready, `terminating` = deletion started, `ready` =
/// publishNotReadyAddresses or (serving and not terminating). `None` for a Service
/// without a selector, except `kubernetes`, whose slice the API server keeps.
pub fn endpoint_slice(store: &Store, service: &Service) -> Option<EndpointSlice> {
    let name = &service.metadata.name;
    let mut slice = EndpointSlice {
        metadata: ObjectMeta {
            name: slice_name(name),
            namespace: Some("default".into()),
            creation_timestamp: service.metadata.creation_timestamp,
            uid: crate::core::apiserver::store::derived_uid(&service.metadata.uid),
            ..Default::default()
        },
        ..Default::default()
    };
    slice.metadata.labels.insert("kubernetes.io/service-name".into(), name.clone());
    let Some(selector) = service.spec.selector.as_ref() else {
        // The API server's reconciler: ready only, the service-name label, no owner (UNVERIFIED).
        let endpoints = store.endpoints.get(name).filter(|_| name == "kubernetes")?;
        slice.endpoints = endpoints
            .addresses
            .iter()
            .map(|a| SliceEndpoint { address: a.ip.clone(), ready: true, ..Default::default() })
            .collect();
        slice.ports = Some(endpoints.ports.clone());
        return Some(slice);
    };
    let publish_not_ready = service.spec.publish_not_ready_addresses == Some(true);
    let mut changed_at = service.metadata.creation_timestamp.unwrap_or(0);
    for pod in store.pods.values() {
        if selector.is_empty() || !selector_matches(selector, &pod.metadata.labels) || pod.is_terminal() {
            continue;
        }
        let Some(ip) = pod.status.pod_ip.clone() else { continue };
        let serving = pod.condition("Ready");
        let terminating = pod.metadata.is_terminating();
        // The ports of the first pod (pods that resolve named ports differently would get
        // slices of their own upstream; the playground keeps one slice).
        if slice.ports.is_none() && !service.spec.ports.is_empty() {
            let ports = service.spec.ports.iter().filter_map(|p| {
                let target = target_port(p, pod)?;
                Some(ServicePort {
                    name: Some(p.name.clone().unwrap_or_default()),
                    port: target,
                    target_port: None,
                    protocol: p.protocol.clone(),
                    node_port: None,
                })
            });
            slice.ports = Some(ports.collect());
        }
        // endpoints.kubernetes.io/last-change-trigger-time: the latest pod change it saw
        // (UNVERIFIED approximation: Ready transitions, creations and deletions).
        let ready_change =
            pod.status.conditions.iter().filter(|c| c.kind == "Ready").filter_map(|c| c.last_transition_time);
        for t in ready_change.chain(pod.metadata.deletion_timestamp).chain(pod.metadata.creation_timestamp) {
            changed_at = changed_at.max(t);
        }
        slice.endpoints.push(SliceEndpoint {
            address: ip,
            ready: publish_not_ready || (serving && !terminating),
            serving_terminating: Some((serving, terminating)),
            // §6.4 ShouldSetHostname.
            hostname: pod.spec.hostname.clone().filter(|_| pod.spec.subdomain.as_deref() == Some(name.as_str())),
            node_name: pod.spec.node_name.clone(),
            target: Some((pod.name().to_string(), pod.metadata.uid.clone())),
        });
    }
    let meta = &mut slice.metadata;
    meta.generate_name = Some(format!("{name}-"));
    for (key, value) in &service.metadata.labels {
        meta.labels.insert(key.clone(), value.clone());
    }
    meta.labels.insert("endpointslice.kubernetes.io/managed-by".into(), "endpointslice-controller.k8s.io".into());
    if service.spec.cluster_ip.as_deref() == Some("None") {
        meta.labels.insert("service.kubernetes.io/headless".into(), String::new());
    }
    meta.annotations
        .insert("endpoints.kubernetes.io/last-change-trigger-time".into(), crate::core::time::rfc3339(changed_at));
    meta.owner_references.push(OwnerReference {
        api_version: "v1".into(),
        kind: "Service".into(),
        name: name.clone(),
        uid: service.metadata.uid.clone(),
        controller: true,
        block_owner_deletion: true,
    });
    Some(slice)
}

/// Every EndpointSlice, by name.
pub fn endpoint_slices(store: &Store) -> Vec<EndpointSlice> {
    let mut slices: Vec<EndpointSlice> = store.services.values().filter_map(|s| endpoint_slice(store, s)).collect();
    slices.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    slices
}
