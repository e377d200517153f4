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

/// The Endpoints controller on hand-built snapshots, as `endpoints_controller_test.go`
/// does: no Cluster runs; each test lays out the Services, pods and Endpoints a pass
/// reads and checks the writes it asks for. Each test is named after the rule of
/// `/work/shared/reference/statefulset-behavior.md` it checks.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::apiserver::Object;

    use crate::core::controllers::fixtures::object;

    /// The tutorial's headless `nginx` Service (selector app=nginx, port 80 `web`).
    fn nginx() -> Service {
        let Object::Service(service) = object(
            "apiVersion: v1
kind: Service
metadata:
  name: nginx
spec:
  clusterIP: None
  selector:
    app: nginx
  ports:
    - name: web
      port: 80
",
        ) else {
            panic!("not a Service")
        };
        service
    }

    /// Pod `name` of the `web` set (label app=nginx, hostname = name, subdomain
    /// `subdomain`), Running at `ip`, Ready or not.
    fn pod(name: &str, subdomain: &str, ip: &str, ready: bool) -> Pod {
        let Object::Pod(mut pod) = object(&format!(
            "apiVersion: v1
kind: Pod
metadata:
  name: {name}
  labels:
    app: nginx
spec:
  hostname: {name}
  subdomain: {subdomain}
  containers:
    - name: nginx
      image: registry.k8s.io/nginx-slim:0.8
"
        )) else {
            panic!("not a Pod")
        };
        pod.metadata.uid = format!("uid-{name}");
        pod.status.phase = "Running".into();
        pod.status.pod_ip = Some(ip.into());
        let status = if ready { "True" } else { "False" };
        pod.status.conditions =
            vec![PodCondition { kind: "Ready".into(), status: status.into(), last_transition_time: Some(0) }];
        pod
    }

    fn address(pod: &str, ip: &str, hostname: Option<&str>) -> EndpointAddress {
        EndpointAddress {
            ip: ip.into(),
            hostname: hostname.map(Into::into),
            target_pod: pod.into(),
            terminating: false,
        }
    }

    fn store_with(services: Vec<Service>, pods: Vec<Pod>) -> Store {
        let mut store = Store::default();
        for service in services {
            store.services.insert(service.metadata.name.clone(), service);
        }
        for pod in pods {
            store.pods.insert(pod.metadata.name.clone(), pod);
        }
        store
    }

    /// Makes `changes` in `store` as `Controller::sync` does, then tells the controller.
    fn apply(controller: &mut Controller, store: &mut Store, changes: Vec<Change>) {
        for change in changes {
            match change {
                Change::Put(endpoints) => {
                    store.endpoints.insert(endpoints.metadata.name.clone(), endpoints);
                }
                Change::Place { service, pod, address } => {
                    place(store.endpoints.get_mut(&service).expect("endpoints to patch"), &pod, address)
                }
                Change::Remove(name) => {
                    store.endpoints.remove(&name);
                }
            }
        }
        controller.applied(store);
    }

    /// §6.2 / §6.4: the first pass writes the headless Service's Endpoints whole: the
    /// Ready pod in `addresses`, the Running-but-unready one in `notReadyAddresses`,
    /// each with its hostname (subdomain = the Service), the Service's ports, and
    /// the creation time of the pass.
    #[test]
    fn rule_6_2_ready_pods_in_addresses_unready_in_not_ready_addresses() {
        let service = nginx();
        let store = store_with(
            vec![service.clone()],
            vec![pod("web-0", "nginx", "10.244.0.3", true), pod("web-1", "nginx", "10.244.0.4", false)],
        );
        let changes = Controller::default().reconcile(&store, 7_000);
        assert_eq!(
            changes,
            [Change::Put(Endpoints {
                metadata: ObjectMeta { name: "nginx".into(), creation_timestamp: Some(7_000), ..Default::default() },
                addresses: vec![address("web-0", "10.244.0.3", Some("web-0"))],
                not_ready_addresses: vec![address("web-1", "10.244.0.4", Some("web-1"))],
                ports: service.spec.ports.clone(),
            })]
        );
    }

    /// §6.2: pods not matching the selector, without an IP yet, terminal (Failed), or
    /// terminating are not endpoints; with `publishNotReadyAddresses: true` unready
    /// and terminating pods are listed in `addresses`.
    #[test]
    fn rule_6_2_who_is_an_endpoint_and_publish_not_ready_addresses() {
        let mut other = pod("other-0", "nginx", "10.244.0.9", true);
        other.metadata.labels.insert("app".into(), "other".into());
        let mut no_ip = pod("web-1", "nginx", "", false);
        no_ip.status.pod_ip = None;
        no_ip.status.phase = "Pending".into();
        let mut failed = pod("web-2", "nginx", "10.244.0.5", false);
        failed.status.phase = "Failed".into();
        let mut terminating = pod("web-3", "nginx", "10.244.0.6", true);
        terminating.metadata.deletion_timestamp = Some(1);
        let unready = pod("web-4", "nginx", "10.244.0.7", false);
        let pods = vec![pod("web-0", "nginx", "10.244.0.3", true), other, no_ip, failed, terminating, unready];

        let store = store_with(vec![nginx()], pods.clone());
        let Some(endpoints) = endpoints_for(&store, &nginx()) else { panic!("a selector: Endpoints") };
        assert_eq!(endpoints.addresses, [address("web-0", "10.244.0.3", Some("web-0"))]);
        assert_eq!(endpoints.not_ready_addresses, [address("web-4", "10.244.0.7", Some("web-4"))]);

        let mut publishing = nginx();
        publishing.spec.publish_not_ready_addresses = Some(true);
        let store = store_with(vec![publishing.clone()], pods);
        let Some(endpoints) = endpoints_for(&store, &publishing) else { panic!("a selector: Endpoints") };
        let mut still_terminating = address("web-3", "10.244.0.6", Some("web-3"));
        still_terminating.terminating = true;
        assert_eq!(
            endpoints.addresses,
            [
                address("web-0", "10.244.0.3", Some("web-0")),
                still_terminating,
                address("web-4", "10.244.0.7", Some("web-4"))
            ]
        );
        assert_eq!(endpoints.not_ready_addresses, []);
    }

    /// §6.4: the hostname is set only for pods whose subdomain names this Service; a
    /// pod of another subdomain (or none) is listed by IP only.
    #[test]
    fn rule_6_4_hostname_only_when_the_subdomain_names_the_service() {
        let mut no_subdomain = pod("web-2", "nginx", "10.244.0.5", true);
        no_subdomain.spec.subdomain = None;
        let store = store_with(
            vec![nginx()],
            vec![
                pod("web-0", "nginx", "10.244.0.3", true),
                pod("web-1", "nginx-other", "10.244.0.4", true),
                no_subdomain,
            ],
        );
        let Some(endpoints) = endpoints_for(&store, &nginx()) else { panic!("a selector: Endpoints") };
        assert_eq!(
            endpoints.addresses,
            [
                address("web-0", "10.244.0.3", Some("web-0")),
                address("web-1", "10.244.0.4", None),
                address("web-2", "10.244.0.5", None)
            ]
        );
    }

    /// §6.2 / §5.7: once the Endpoints exist, a pod turning Ready is moved from
    /// `notReadyAddresses` to `addresses` by one `Place` of that pod alone (not a
    /// rewrite of the whole object), and back when readiness fails; a pod that is
    /// gone is placed nowhere. After each, the object is what a fresh pass would write.
    #[test]
    fn rule_6_2_a_pod_becoming_ready_moves_between_the_lists_by_a_place() {
        let mut controller = Controller::default();
        let mut store = store_with(
            vec![nginx()],
            vec![pod("web-0", "nginx", "10.244.0.3", true), pod("web-1", "nginx", "10.244.0.4", false)],
        );
        let changes = controller.reconcile(&store, 0);
        apply(&mut controller, &mut store, changes);
        assert_eq!(controller.reconcile(&store, 0), [], "in step: nothing to do");

        store.pods.insert("web-1".into(), pod("web-1", "nginx", "10.244.0.4", true));
        let changes = controller.reconcile(&store, 1_000);
        assert_eq!(
            changes,
            [Change::Place {
                service: "nginx".into(),
                pod: "web-1".into(),
                address: Some((address("web-1", "10.244.0.4", Some("web-1")), true)),
            }]
        );
        apply(&mut controller, &mut store, changes);
        let endpoints = &store.endpoints["nginx"];
        assert_eq!(
            endpoints.addresses,
            [address("web-0", "10.244.0.3", Some("web-0")), address("web-1", "10.244.0.4", Some("web-1"))]
        );
        assert_eq!(endpoints.not_ready_addresses, []);

        // §5.7: readiness fails on web-0: back to notReadyAddresses.
        store.pods.insert("web-0".into(), pod("web-0", "nginx", "10.244.0.3", false));
        let changes = controller.reconcile(&store, 2_000);
        assert_eq!(
            changes,
            [Change::Place {
                service: "nginx".into(),
                pod: "web-0".into(),
                address: Some((address("web-0", "10.244.0.3", Some("web-0")), false)),
            }]
        );
        apply(&mut controller, &mut store, changes);

        // web-1 removed: placed nowhere.
        store.pods.remove("web-1");
        let changes = controller.reconcile(&store, 3_000);
        assert_eq!(changes, [Change::Place { service: "nginx".into(), pod: "web-1".into(), address: None }]);
        apply(&mut controller, &mut store, changes);
        let mut fresh = endpoints_for(&store, &nginx()).expect("Endpoints");
        fresh.metadata.creation_timestamp = Some(0);
        assert_eq!(store.endpoints["nginx"], fresh, "patched in place = worked out afresh");
    }

    /// §6.2: a Service without a selector gets no controller-managed Endpoints, none
    /// written for it and none removed (an Endpoints object of that name is the user's).
    #[test]
    fn rule_6_2_a_service_without_selector_gets_no_endpoints() {
        let mut external = nginx();
        external.metadata.name = "external".into();
        external.spec.selector = None;
        let mut store = store_with(vec![external.clone()], vec![pod("web-0", "external", "10.244.0.3", true)]);
        assert_eq!(endpoints_for(&store, &external), None);
        assert_eq!(Controller::default().reconcile(&store, 0), []);

        let by_hand = Endpoints {
            metadata: ObjectMeta::named("external"),
            addresses: vec![address("db", "192.168.1.10", None)],
            ..Default::default()
        };
        store.endpoints.insert("external".into(), by_hand);
        assert_eq!(Controller::default().reconcile(&store, 0), [], "the user's Endpoints are left alone");
    }

    /// EPC `syncService` (source key of §6.2; no numbered rule): when a Service is
    /// deleted its Endpoints are removed, and only those.
    #[test]
    fn epc_sync_service_endpoints_of_a_deleted_service_are_removed() {
        let mut controller = Controller::default();
        let mut web = nginx();
        web.metadata.name = "web".into();
        let mut store = store_with(vec![nginx(), web], vec![pod("web-0", "nginx", "10.244.0.3", true)]);
        let changes = controller.reconcile(&store, 0);
        assert_eq!(changes.len(), 2, "Endpoints for both Services: {changes:?}");
        apply(&mut controller, &mut store, changes);

        store.services.remove("nginx");
        assert_eq!(controller.reconcile(&store, 1_000), [Change::Remove("nginx".into())]);
    }
}
