//! kube-proxy in iptables mode (reference §7): which endpoint a new connection
//! to a Service's ClusterIP reaches.

use crate::core::api::*;

/// A backend chosen for a connection: the pod and the port on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backend {
    pub pod: String,
    pub ip: String,
    pub port: i64,
}

/// The ClientIP affinity default timeout (§7.3).
pub const AFFINITY_TIMEOUT_SECONDS: u64 = 10_800;

/// Candidates for a new connection to `service` on `port` (§7.1): the ready
/// endpoints, or if none, the serving-and-terminating ones. Ordered by IP.
pub fn candidates(
    service: &Service,
    endpoints: Option<&Endpoints>,
    pods: &crate::core::sorted::SortedMap<String, Pod>,
    port: i64,
) -> Vec<Backend> {
    let Some(service_port) = service.spec.ports.iter().find(|p| p.port == port) else { return Vec::new() };
    let backend = |pod: &Pod, ip: &str| {
        let target = target_port(service_port, pod)?;
        Some(Backend { pod: pod.name().to_string(), ip: ip.to_string(), port: target })
    };
    let ready: Vec<Backend> = endpoints
        .map(|e| e.addresses.iter().filter(|a| !a.terminating).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|address| backend(pods.get(&address.target_pod)?, &address.ip))
        .collect();
    if !ready.is_empty() {
        return ready;
    }
    // §7.1 (CategorizeEndpoints): with no ready endpoint, the serving-and-terminating
    // ones, as the EndpointSlice's conditions show them: pods the Service selects that
    // are being deleted but still Ready.
    let Some(selector) = service.spec.selector.as_ref() else { return Vec::new() };
    let mut serving: Vec<Backend> = pods
        .values()
        .filter(|pod| {
            pod.metadata.is_terminating()
                && pod.is_running_and_ready()
                && selector.iter().all(|(k, v)| pod.metadata.labels.get(k) == Some(v))
        })
        .filter_map(|pod| backend(pod, pod.status.pod_ip.as_deref()?))
        .collect();
    serving.sort_by(|a, b| a.ip.cmp(&b.ip));
    serving
}

pub use crate::core::api::target_port;

/// §7.2: rule i of n matches with probability 1/(n−i), i.e. a uniform choice.
/// `draw` returns a uniform number in [0, n).
pub fn pick(candidates: &[Backend], draw: impl FnOnce(u64) -> u64) -> Option<&Backend> {
    if candidates.is_empty() {
        return None;
    }
    candidates.get(draw(candidates.len() as u64) as usize)
}
