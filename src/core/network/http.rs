//! The HTTP client's path through the cluster network: DNS, kube-proxy's choice of
//! endpoint (with ClientIP affinity), then whatever listens in the pod. Every
//! request is traced for the page to draw.

use crate::core::api::*;
use crate::core::apiserver::store::Store;
use crate::core::apiserver::ApiServer;
use crate::core::sorted::SortedMap;
use crate::core::time::{Millis, SECOND};

use super::{dns, proxy};

/// An HTTP answer from a container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
    /// The pod that answered.
    pub pod: String,
}

/// One HTTP request: `METHOD http://host:port/path`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpRequest<'a> {
    pub method: &'a str,
    pub host: &'a str,
    pub port: i64,
    pub path: &'a str,
}

impl<'a> HttpRequest<'a> {
    pub fn get(host: &'a str, port: i64, path: &'a str) -> Self {
        HttpRequest { method: "GET", host, port, path }
    }
}

/// Whatever listens in the pods: the node's container runtime.
pub trait Listener {
    /// The answer of the program listening on `port` of `pod` to `request`
    /// (method, path), if the pod is up.
    fn serve(
        &mut self,
        store: &Store,
        pod: &str,
        port: i64,
        request: (&str, &str),
        client_ip: &str,
        now: Millis,
    ) -> Option<HttpResponse>;
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

/// Requests kept in [`Network::requests`].
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

/// The network's state: kube-proxy's affinity table and the latest requests.
#[derive(Debug, Clone, Default)]
pub struct Network {
    /// ClientIP session affinity: (service, client) → (pod ip, last connection).
    affinity: SortedMap<(String, String), (String, Millis)>,
    /// The latest HTTP requests, oldest first (the page draws them travelling).
    pub requests: Vec<RequestTrace>,
}

impl Network {
    /// An HTTP request from `client`: DNS, kube-proxy, then the program in the pod.
    pub fn request(
        &mut self,
        api: &mut ApiServer,
        listener: &mut dyn Listener,
        request: HttpRequest,
        client: &Client,
    ) -> Result<HttpResponse, RequestError> {
        let mut service = None;
        let result = self.route(api, listener, request, client, &mut service);
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
        self.requests.push(RequestTrace { id, at: api.now(), service, pod, status, failure });
        result
    }

    /// [`Network::request`]'s route; `via` learns the Service it went through.
    fn route(
        &mut self,
        api: &mut ApiServer,
        listener: &mut dyn Listener,
        HttpRequest { method, host, port, path }: HttpRequest,
        client: &Client,
        via: &mut Option<String>,
    ) -> Result<HttpResponse, RequestError> {
        let ip = if host.parse::<std::net::Ipv4Addr>().is_ok() {
            host.to_string()
        } else {
            let answer = dns::lookup(api.store(), host, "default")
                .map_err(|miss| RequestError::CouldNotResolve(host.to_string(), miss))?;
            // CoreDNS shuffles A records (§6.11, §7.5); the client takes the first.
            let index = api.random().below(0..answer.addresses.len().max(1) as u64) as usize;
            answer.addresses.get(index).cloned().unwrap_or_default()
        };
        let refused = || RequestError::ConnectionRefused { ip: ip.clone(), port };
        let store = api.store();
        let service = store.services.values().find(|s| s.spec.cluster_ip.as_deref() == Some(ip.as_str())).cloned();
        // A headless Service's name resolves straight to pod IPs: it still went "through" it.
        let named = host.split('.').next().filter(|label| store.services.get(*label).is_some());
        *via = service.as_ref().map(|s| s.metadata.name.clone()).or(named.map(str::to_string));
        let backend = match service {
            Some(service) => self.pick_backend(api, &service, port, client).ok_or_else(refused)?,
            None => {
                let pod = store
                    .pods
                    .values()
                    .find(|p| p.status.pod_ip.as_deref() == Some(ip.as_str()))
                    .ok_or_else(refused)?;
                proxy::Backend { pod: pod.name().to_string(), ip: ip.clone(), port }
            }
        };
        let store = api.store();
        let client_ip = match client {
            Client::Host => "10.244.0.1".to_string(),
            Client::Pod(name) => store.pods.get(name).and_then(|p| p.status.pod_ip.clone()).unwrap_or_default(),
        };
        listener
            .serve(store, &backend.pod, backend.port, (method, path), &client_ip, api.now())
            .ok_or(RequestError::ConnectionRefused { ip: backend.ip, port: backend.port })
    }

    /// §7.2–§7.3: a uniform random ready endpoint, or the remembered one under ClientIP affinity.
    fn pick_backend(
        &mut self,
        api: &mut ApiServer,
        service: &Service,
        port: i64,
        client: &Client,
    ) -> Option<proxy::Backend> {
        let now = api.now();
        let store = api.store();
        let candidates = proxy::candidates(service, store.endpoints.get(&service.metadata.name), &store.pods, port);
        let client_ip = match client {
            Client::Host => "192.168.49.1".to_string(),
            Client::Pod(name) => store.pods.get(name).and_then(|p| p.status.pod_ip.clone()).unwrap_or_default(),
        };
        let key = (service.metadata.name.clone(), client_ip);
        let sticky = service.spec.session_affinity.as_deref() == Some("ClientIP");
        if sticky {
            if let Some((ip, last)) = self.affinity.get(&key) {
                let timeout = proxy::AFFINITY_TIMEOUT_SECONDS * SECOND;
                if now.saturating_sub(*last) < timeout {
                    if let Some(found) = candidates.iter().find(|b| b.ip == *ip) {
                        let found = found.clone();
                        self.affinity.insert(key, (found.ip.clone(), now));
                        return Some(found);
                    }
                }
            }
        }
        let random = api.random();
        let chosen = proxy::pick(&candidates, |n| random.below(0..n))?.clone();
        if sticky {
            self.affinity.insert(key, (chosen.ip.clone(), now));
        }
        Some(chosen)
    }
}
