//! Cluster DNS as CoreDNS answers it (reference §6.5–§6.12), for lookups from a
//! pod (with its resolv.conf search path) or from the host.
//!
//! Answers are computed from the current Endpoints, so they change at once; a real
//! CoreDNS may lag by its 30 s cache (§6.12, UNVERIFIED), which the playground skips.

use crate::core::api::Endpoints;
use crate::core::apiserver::store::Store;

pub const CLUSTER_DOMAIN: &str = "cluster.local";

/// One answered name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The fully qualified name that matched (`web-0.nginx.default.svc.cluster.local`).
    pub name: String,
    pub addresses: Vec<String>,
}

/// Why a name does not resolve, for the learner (the resolver only says NXDOMAIN).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Miss {
    NoSuchService(String),
    /// A headless Service with no ready endpoints (§6.5).
    NoReadyEndpoints(String),
    /// No ready endpoint of the Service has that hostname (pod missing, not ready, or not its subdomain).
    NoSuchHostname {
        service: String,
        hostname: String,
    },
    /// Not a cluster name at all.
    NotClusterName,
}

/// The search list of a pod's resolv.conf in namespace `ns` (§6.10).
pub fn search_path(namespace: &str) -> Vec<String> {
    vec![format!("{namespace}.svc.{CLUSTER_DOMAIN}"), format!("svc.{CLUSTER_DOMAIN}"), CLUSTER_DOMAIN.to_string()]
}

/// Resolves `name` as a pod's resolver would: names with fewer than 5 dots
/// (ndots:5) are tried with each search suffix first, then as written.
pub fn lookup(store: &Store, name: &str, namespace: &str) -> Result<Answer, Miss> {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let mut candidates = Vec::new();
    if name.matches('.').count() < 5 {
        candidates.extend(search_path(namespace).into_iter().map(|suffix| format!("{name}.{suffix}")));
    }
    candidates.push(name.clone());
    let mut best_miss = Miss::NotClusterName;
    for candidate in candidates {
        match resolve_fqdn(store, &candidate) {
            Ok(answer) => return Ok(answer),
            Err(Miss::NotClusterName) => {}
            Err(miss) => {
                if best_miss == Miss::NotClusterName {
                    best_miss = miss;
                }
            }
        }
    }
    Err(best_miss)
}

/// Resolves one fully qualified name against the cluster zone.
pub fn resolve_fqdn(store: &Store, fqdn: &str) -> Result<Answer, Miss> {
    let fqdn = fqdn.trim_end_matches('.').to_ascii_lowercase();
    let Some(inside) = fqdn.strip_suffix(&format!(".svc.{CLUSTER_DOMAIN}")) else {
        if let Some(ip) = pod_ip_name(&fqdn) {
            return Ok(Answer { name: fqdn, addresses: vec![ip] });
        }
        return Err(Miss::NotClusterName);
    };
    let labels: Vec<&str> = inside.split('.').collect();
    let answer = |addresses: Vec<String>| Answer { name: fqdn.clone(), addresses };
    match labels.as_slice() {
        // CoreDNS's own Service in kube-system (crate::core::system).
        ["kube-dns", "kube-system"] => Ok(answer(vec![crate::core::apiserver::KUBE_DNS_IP.into()])),
        // <svc>.<ns>.svc.cluster.local
        [service, namespace] => {
            let svc = find_service(store, service, namespace)?;
            if !svc.is_headless() {
                return Ok(answer(svc.spec.cluster_ip.clone().into_iter().collect()));
            }
            let ready = ready_addresses(store.endpoints.get(*service));
            if ready.is_empty() {
                return Err(Miss::NoReadyEndpoints(service.to_string()));
            }
            Ok(answer(ready.into_iter().map(|(ip, _)| ip).collect()))
        }
        // <hostname>.<svc>.<ns>.svc.cluster.local — CoreDNS answers for any Service type (§6.6).
        [hostname, service, namespace] => {
            find_service(store, service, namespace)?;
            let matching: Vec<String> = ready_addresses(store.endpoints.get(*service))
                .into_iter()
                .filter(|(ip, host)| host.as_deref() == Some(*hostname) || ip.replace('.', "-") == *hostname)
                .map(|(ip, _)| ip)
                .collect();
            if matching.is_empty() {
                return Err(Miss::NoSuchHostname { service: service.to_string(), hostname: hostname.to_string() });
            }
            Ok(answer(matching))
        }
        _ => Err(Miss::NoSuchService(inside.to_string())),
    }
}

fn find_service<'a>(store: &'a Store, service: &str, namespace: &str) -> Result<&'a crate::core::api::Service, Miss> {
    if namespace != "default" {
        return Err(Miss::NoSuchService(format!("{service}.{namespace}")));
    }
    store.services.get(service).ok_or_else(|| Miss::NoSuchService(service.to_string()))
}

/// `a-b-c-d.<ns>.pod.cluster.local` → `a.b.c.d` (§6.6, `pods insecure`).
fn pod_ip_name(fqdn: &str) -> Option<String> {
    let first = fqdn.strip_suffix(&format!(".pod.{CLUSTER_DOMAIN}"))?.split('.').next()?;
    let parts: Vec<&str> = first.split('-').collect();
    (parts.len() == 4 && parts.iter().all(|p| p.parse::<u8>().is_ok())).then(|| parts.join("."))
}

/// Ready addresses (§6.5: only `addresses`, not `notReadyAddresses`) with their hostnames.
fn ready_addresses(endpoints: Option<&Endpoints>) -> Vec<(String, Option<String>)> {
    endpoints.map_or_else(Vec::new, |e| e.addresses.iter().map(|a| (a.ip.clone(), a.hostname.clone())).collect())
}

/// The PTR name of a pod IP: its per-pod name when a headless Service publishes it (§6.5).
pub fn reverse(store: &Store, ip: &str) -> Option<String> {
    if ip == crate::core::apiserver::KUBE_DNS_IP {
        return Some(format!("kube-dns.kube-system.svc.{CLUSTER_DOMAIN}"));
    }
    for (service, endpoints) in &store.endpoints {
        for address in &endpoints.addresses {
            if address.ip == ip {
                let host = address.hostname.clone().unwrap_or_else(|| ip.replace('.', "-"));
                return Some(format!("{host}.{service}.default.svc.{CLUSTER_DOMAIN}"));
            }
        }
    }
    store
        .services
        .values()
        .find(|s| s.spec.cluster_ip.as_deref() == Some(ip))
        .map(|s| format!("{}.default.svc.{CLUSTER_DOMAIN}", s.metadata.name))
}
