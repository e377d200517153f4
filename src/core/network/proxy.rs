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
    let Some(endpoints) = endpoints else { return Vec::new() };
    let ready: Vec<&EndpointAddress> = endpoints.addresses.iter().filter(|a| !a.terminating).collect();
    let chosen: Vec<&EndpointAddress> =
        if ready.is_empty() { endpoints.addresses.iter().filter(|a| a.terminating).collect() } else { ready };
    chosen
        .into_iter()
        .filter_map(|address| {
            let pod = pods.get(&address.target_pod)?;
            let target = target_port(service_port, pod)?;
            Some(Backend { pod: address.target_pod.clone(), ip: address.ip.clone(), port: target })
        })
        .collect()
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
