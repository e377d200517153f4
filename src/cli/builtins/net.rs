//! The network tools: wget and nslookup, and the HTTP path every client takes
//! (curl's own options are in curl.rs), from the host or a pod.

use super::super::{Location, Output, Ran, Terminal};
use crate::core::cluster::{Client, Cluster, HttpRequest, HttpResponse, RequestError, KUBE_DNS_IP};
use crate::core::network::dns;

/// `scheme://host:port/path` → (host, port, path).
pub(super) fn parse_url(url: &str) -> Option<(String, i64, String)> {
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (scheme, rest),
        None => ("http", url),
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].to_string()),
        None => (rest, "/".to_string()),
    };
    let default_port = if scheme == "https" { 443 } else { 80 };
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, port.parse().ok()?),
        None => (authority, default_port),
    };
    Some((host.to_string(), port, path))
}

/// What an HTTP client reaches: through port-forwards and node ports from the host,
/// through cluster DNS and Services from a pod.
pub(super) fn fetch(
    term: &Terminal,
    cluster: &mut Cluster,
    location: &Location,
    method: &str,
    url: &str,
) -> Result<HttpResponse, (i32, String)> {
    let (host, port, path) = parse_url(url).ok_or((3, format!("URL rejected: Bad hostname or port: {url}")))?;
    match location {
        Location::Host => {
            if host == "localhost" || host == "127.0.0.1" {
                if let Some(tunnel) = term.tunnels.iter().find(|t| t.local_port == port) {
                    // The tunnel forwards to the Service's ClusterIP: kube-proxy picks the pod.
                    let ip = cluster.store().services.get(&tunnel.service).and_then(|s| s.spec.cluster_ip.clone());
                    let ip = ip.ok_or((52, "Empty reply from server".to_string()))?;
                    let request = HttpRequest { method, host: &ip, port: tunnel.port, path: &path };
                    return cluster
                        .http(request, &Client::Host)
                        .map_err(|_| (52, "Empty reply from server".to_string()));
                }
                if let Some(balancer) = tunnelled_load_balancer(term, cluster, port) {
                    // macOS `minikube tunnel`: ssh forwards 127.0.0.1:PORT to the ClusterIP.
                    let request = HttpRequest { method, host: &balancer, port, path: &path };
                    return cluster.http(request, &Client::Host).map_err(|e| request_error(e, &host, port));
                }
                let forward = term.port_forwards.iter().find(|f| f.local_port == port).ok_or_else(|| {
                    (7, format!("Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server"))
                })?;
                let ip =
                    cluster.store().pods.get(&forward.pod).and_then(|p| p.status.pod_ip.clone()).unwrap_or_default();
                return cluster
                    .http(HttpRequest { method, host: &ip, port: forward.remote_port, path: &path }, &Client::Host)
                    .map_err(|_| (52, "Empty reply from server".to_string()));
            }
            // The node is reachable from a Linux host only: on macOS it sits in Docker's VM.
            if host == "192.168.49.2" && !term.host.needs_port_forward() {
                let service = cluster
                    .store()
                    .services
                    .values()
                    .find(|s| s.spec.ports.iter().any(|p| p.node_port == Some(port)))
                    .cloned()
                    .ok_or_else(|| {
                        (7, format!("Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server"))
                    })?;
                let service_port = service.spec.ports.iter().find(|p| p.node_port == Some(port)).map_or(80, |p| p.port);
                let ip = service.spec.cluster_ip.clone().unwrap_or_default();
                return cluster
                    .http(HttpRequest { method, host: &ip, port: service_port, path: &path }, &Client::Host)
                    .map_err(|e| request_error(e, &host, port));
            }
            let service_ip = cluster.store().services.values().any(|s| {
                s.spec.cluster_ip.as_deref() == Some(host.as_str()) || s.status.load_balancer_ingress.contains(&host)
            });
            if term.minikube_tunnel && service_ip && !term.host.needs_port_forward() {
                // `minikube tunnel` routes the service network through the node.
                let request = HttpRequest { method, host: &host, port, path: &path };
                return cluster.http(request, &Client::Host).map_err(|e| request_error(e, &host, port));
            }
            if host.parse::<std::net::Ipv4Addr>().is_ok() {
                // Pod and Service IPs (and on macOS the node's) are not routable from the
                // learner's machine (Docker driver).
                return Err((
                    28,
                    format!("Failed to connect to {host} port {port} after 75000 ms: Couldn't connect to server"),
                ));
            }
            Err((6, format!("Could not resolve host: {host}")))
        }
        Location::Pod { pod, .. } => {
            // localhost inside a pod is the pod's own network namespace.
            let target = if host == "localhost" || host == "127.0.0.1" {
                cluster.store().pods.get(pod).and_then(|p| p.status.pod_ip.clone()).unwrap_or_default()
            } else {
                host.clone()
            };
            cluster
                .http(HttpRequest { method, host: &target, port, path: &path }, &Client::Pod(pod.clone()))
                .map_err(|e| request_error(e, &host, port))
        }
    }
}

/// On macOS with `minikube tunnel` running, the ClusterIP of the LoadBalancer
/// Service one of whose ports is `port` (the tunnel listens on 127.0.0.1:PORT).
fn tunnelled_load_balancer(term: &Terminal, cluster: &Cluster, port: i64) -> Option<String> {
    if !(term.minikube_tunnel && term.host.needs_port_forward()) {
        return None;
    }
    cluster
        .store()
        .services
        .values()
        .filter(|s| s.spec.kind.as_deref() == Some("LoadBalancer"))
        .find(|s| s.spec.ports.iter().any(|p| p.port == port))
        .and_then(|s| s.spec.cluster_ip.clone())
}

pub(super) fn request_error(error: RequestError, host: &str, port: i64) -> (i32, String) {
    match error {
        RequestError::CouldNotResolve(name, _) => (6, format!("Could not resolve host: {name}")),
        RequestError::ConnectionRefused { .. } => {
            (7, format!("Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server"))
        }
    }
}

pub(super) fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "",
    }
}

pub(super) fn wget(term: &Terminal, cluster: &mut Cluster, location: &Location, args: &[&str]) -> Ran {
    let url = args.iter().find(|a| !a.starts_with('-'));
    let to_stdout = args.iter().any(|a| a.contains("O-") || *a == "-O-" || *a == "-qO-");
    let Some(url) = url else {
        return Ran::fail("BusyBox v1.36.1 multi-call binary.\n\nUsage: wget [-cqS] [-O FILE] URL\n", 1);
    };
    match fetch(term, cluster, location, "GET", url) {
        Ok(response) if response.status == 200 => {
            if to_stdout {
                Ran::out(response.body)
            } else {
                Ran::out(format!("Connecting to {url}\nsaving to 'index.html'\n'index.html' saved\n"))
            }
        }
        Ok(response) => Ran::fail(
            format!("wget: server returned error: HTTP/1.1 {} {}\n", response.status, reason_phrase(response.status)),
            1,
        ),
        Err((6, _)) => {
            let host = parse_url(url).map(|(h, _, _)| h).unwrap_or_default();
            Ran::fail(format!("wget: bad address '{host}'\n"), 1)
        }
        Err((_, _)) => {
            let (host, port, _) = parse_url(url).unwrap_or_default();
            Ran::fail(format!("wget: can't connect to remote host ({host}:{port}): Connection refused\n"), 1)
        }
    }
}

/// nslookup as busybox prints it (§6.11): the 1.28 format in `busybox:1.28`
/// images, the newer format elsewhere; the host's resolver cannot see cluster names.
pub(super) fn nslookup(cluster: &Cluster, location: &Location, args: &[&str]) -> Ran {
    let Some(name) = args.iter().find(|a| !a.starts_with('-')) else {
        return Ran::fail(
            "BusyBox v1.36.1 multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n",
            1,
        );
    };
    let Location::Pod { pod, container } = location else {
        return Ran::fail(
            format!("Server:\t\t192.168.49.1\nAddress:\t192.168.49.1#53\n\n** server can't find {name}: NXDOMAIN\n\n"),
            1,
        );
    };
    let old_busybox = cluster
        .store()
        .pods
        .get(pod)
        .and_then(|p| p.spec.containers.iter().find(|c| &c.name == container))
        .is_some_and(|c| c.image.ends_with("busybox:1.28"));
    let answer = cluster.lookup(name);
    if old_busybox {
        let mut text =
            format!("Server:    {KUBE_DNS_IP}\nAddress 1: {KUBE_DNS_IP} kube-dns.kube-system.svc.cluster.local\n\n");
        return match answer {
            Ok(answer) => {
                text.push_str(&format!("Name:      {name}\n"));
                for (i, ip) in answer.addresses.iter().enumerate() {
                    let ptr = dns::reverse(&cluster.store(), ip).map(|n| format!(" {n}")).unwrap_or_default();
                    text.push_str(&format!("Address {}: {ip}{ptr}\n", i + 1));
                }
                Ran::out(text)
            }
            Err(_) => {
                let mut output = Output::default();
                output.out(text);
                output.err(format!("nslookup: can't resolve '{name}'\n"));
                Ran { output, status: 1 }
            }
        };
    }
    let mut text = format!("Server:\t\t{KUBE_DNS_IP}\nAddress:\t{KUBE_DNS_IP}:53\n\n");
    match answer {
        Ok(answer) => {
            for ip in &answer.addresses {
                text.push_str(&format!("Name:\t{}\nAddress: {ip}\n", answer.name));
            }
            text.push('\n');
            Ran::out(text)
        }
        Err(_) => {
            let tried: Vec<String> = if name.matches('.').count() < 5 {
                dns::search_path("default").iter().map(|s| format!("{name}.{s}")).chain([name.to_string()]).collect()
            } else {
                vec![name.to_string()]
            };
            for candidate in tried {
                text.push_str(&format!("** server can't find {candidate}: NXDOMAIN\n\n"));
            }
            Ran { status: 1, ..Ran::out(text) }
        }
    }
}
