//! The Endpoints controller (§6.2–§6.4): which pods stand behind each Service.

use crate::core::api::*;
use crate::core::store::Store;

/// The Endpoints object `service` should have right now; `None` for a Service
/// without a selector (no controller-managed endpoints).
pub fn endpoints_for(store: &Store, service: &Service) -> Option<Endpoints> {
    let selector = service.spec.selector.as_ref()?;
    let publish_not_ready = service.spec.publish_not_ready_addresses == Some(true);
    let mut endpoints = Endpoints {
        metadata: ObjectMeta { name: service.metadata.name.clone(), ..Default::default() },
        ports: service.spec.ports.clone(),
        ..Default::default()
    };
    for pod in store.pods.values() {
        if !selector_matches(selector, &pod.metadata.labels) || selector.is_empty() {
            continue;
        }
        let Some(ip) = pod.status.pod_ip.clone() else { continue };
        let terminating = pod.metadata.is_terminating();
        if pod.is_terminal() || (terminating && !publish_not_ready) {
            continue;
        }
        // §6.4: the hostname is set only when the pod's subdomain names this Service.
        let hostname = match (&pod.spec.hostname, &pod.spec.subdomain) {
            (Some(h), Some(s)) if *s == service.metadata.name => Some(h.clone()),
            _ => None,
        };
        let address = EndpointAddress { ip, hostname, target_pod: pod.name().to_string(), terminating };
        if pod.condition("Ready") || publish_not_ready {
            endpoints.addresses.push(address);
        } else {
            endpoints.not_ready_addresses.push(address);
        }
    }
    Some(endpoints)
}
