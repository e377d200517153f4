//! `minikube` as the learner's laptop has it, with the Docker driver on macOS or
//! Linux ([`HostOs`]): `service` (NodePort URLs, or ssh tunnels on 127.0.0.1 where
//! the node is out of reach), `service list`, `tunnel`, `ip`, `status`. Messages
//! and tables follow minikube v1.35's cmd/minikube/cmd/service.go and tunnel.go.

use super::{HostOs, Output, Ran, ServiceTunnel, Terminal};
use crate::core::api::{Service, ServiceStatus};
use crate::core::apiserver::NODE_IP;
use crate::core::cluster::Cluster;

pub(crate) fn minikube(term: &mut Terminal, cluster: &mut Cluster, args: &[&str]) -> Ran {
    match args {
        ["service", "list", ..] => service_list(cluster, term.host),
        ["service", name, rest @ ..] if !name.starts_with('-') => {
            let url_mode = rest.contains(&"--url");
            match rest.iter().find(|a| a.starts_with('-') && !matches!(**a, "--url" | "-n" | "--namespace" | "default")) {
                Some(flag) => Ran::fail(format!("Error: unknown flag: {flag}\nSee 'minikube service --help' for usage.\n"), 14),
                None => service(term, cluster, name, url_mode),
            }
        }
        ["tunnel", ..] => tunnel(term, cluster),
        ["status", ..] => Ran::out("minikube\ntype: Control Plane\nhost: Running\nkubelet: Running\napiserver: Running\nkubeconfig: Configured\n\n"),
        ["ip"] => Ran::out(format!("{NODE_IP}\n")),
        _ => Ran::fail("Error: unknown command for minikube; this terminal supports `minikube service NAME [--url]`, `minikube service list`, `minikube tunnel`, `minikube ip` and `minikube status`\n", 1),
    }
}

/// `minikube service NAME [--url]`, as cmd/minikube/cmd/service.go (v1.35) runs it.
fn service(term: &mut Terminal, cluster: &Cluster, name: &str, url_mode: bool) -> Ran {
    let Some(service) = cluster.store().services.get(name) else {
        return Ran::fail(format!("\n❌  Exiting due to SVC_NOT_FOUND: Service '{name}' was not found in 'default' namespace.\nYou may select another namespace by using 'minikube service {name} -n <namespace>'. Or list out all the services using 'minikube service list'\n\n"), 1);
    };
    let host = term.host;
    let mut output = Output::default();
    let urls = node_port_urls(service);
    // service.WaitForService: the first table (not with --url), then the 😿 line.
    if !url_mode {
        let target = if urls.is_empty() { String::new() } else { port_names(service) };
        let url = if urls.is_empty() { "No node port".to_string() } else { urls.join("\n") };
        output.out(table(&[row(name, &target, &url)]));
    }
    if urls.is_empty() {
        // minikube prints this line to stdout; here it goes to stderr so that
        // `curl $(minikube service NAME --url)` gets only the URL (in a real
        // terminal the command blocks while its tunnel runs, and people copy the URL).
        output.err(format!("😿  service default/{name} has no node port\n"));
    } else if url_mode && !host.needs_port_forward() {
        output.out(urls.iter().map(|u| format!("{u}\n")).collect::<String>());
    }
    // service.CheckServicePods: a NodePort or LoadBalancer Service with no running pod
    // behind it ends the command here (a ClusterIP one is not checked).
    let exposed = matches!(service.spec.kind.as_deref(), Some("NodePort" | "LoadBalancer"));
    if exposed && !has_running_pod(cluster, service) {
        output.err(format!(
            "\n❌  Exiting due to SVC_UNREACHABLE: service not available: no running pod for service {name} found\n\n"
        ));
        return Ran { output, status: 88 };
    }
    if urls.is_empty() {
        output.err(format!("❗  Services [default/{name}] have type \"ClusterIP\" not meant to be exposed, however for local development minikube allows you to access this !\n"));
    }
    if host.needs_port_forward() {
        // macOS: every Service is reached through an ssh tunnel on 127.0.0.1.
        start_service_tunnel(term, service, url_mode, &mut output);
    } else if !url_mode {
        // Linux: the browser opens the node port; a Service without one gets a
        // tunnel (without --url only: with it, Linux prints no URL for it at all).
        if urls.is_empty() {
            start_service_tunnel(term, service, url_mode, &mut output);
        } else {
            output.out(format!("🎉  Opening service default/{name} in default browser...\n"));
        }
    }
    Ran::ok(output)
}

/// `startKicServiceTunnel`: one local port per Service port, forwarded over ssh to
/// the ClusterIP. It stays open as if in a second terminal, until the session is reset.
fn start_service_tunnel(term: &mut Terminal, service: &Service, url_mode: bool, output: &mut Output) {
    let name = service.metadata.name.as_str();
    term.tunnels.retain(|t| t.service != name);
    let mut urls = Vec::new();
    let ports: Vec<i64> = service.spec.ports.iter().map(|p| p.port).collect();
    for (index, port) in if ports.is_empty() { vec![80] } else { ports }.into_iter().enumerate() {
        let key = if index == 0 { name.to_string() } else { format!("{name}:{port}") };
        let local_port = tunnel_port(term, &key);
        term.tunnels.push(ServiceTunnel { local_port, service: name.to_string(), port });
        urls.push(format!("http://127.0.0.1:{local_port}"));
    }
    if url_mode {
        output.out(urls.iter().map(|u| format!("{u}\n")).collect::<String>());
    } else {
        output.out(format!("🏃  Starting tunnel for service {name}.\n"));
        output.out(table(&[row(name, "", &urls.join("\n"))]));
        output.out(format!("🎉  Opening service default/{name} in default browser...\n"));
    }
    output.err(format!(
        "❗  Because you are using a Docker driver on {}, the terminal needs to be open to run it.\n",
        term.host.goos()
    ));
}

/// `minikube tunnel`. On Linux it routes the service network (10.96.0.0/12)
/// through the node and gives LoadBalancer Services their ClusterIP (the tunnel
/// reporter prints its state); on macOS it forwards each LoadBalancer port from
/// 127.0.0.1 over ssh and gives them 127.0.0.1 (pkg/minikube/tunnel/kic).
fn tunnel(term: &mut Terminal, cluster: &mut Cluster) -> Ran {
    term.minikube_tunnel = true;
    let host = term.host;
    patch_load_balancers(cluster, host);
    let balancers: Vec<Service> =
        cluster.store().services.values().filter(|s| s.spec.kind.as_deref() == Some("LoadBalancer")).cloned().collect();
    if host.needs_port_forward() {
        let mut text = String::from("✅  Tunnel successfully started\n\n📌  NOTE: Please do not close this terminal as this process must stay alive for the tunnel to be accessible ...\n\n");
        for service in &balancers {
            let privileged: Vec<String> =
                service.spec.ports.iter().filter(|p| p.port < 1024).map(|p| p.port.to_string()).collect();
            if !privileged.is_empty() {
                text.push_str(&format!(
                    "❗  The service/ingress {} requires privileged ports to be exposed: [{}]\n🔑  sudo permission will be asked for it.\n",
                    service.metadata.name,
                    privileged.join(" ")
                ));
            }
            text.push_str(&format!("🏃  Starting tunnel for service {}.\n", service.metadata.name));
        }
        return Ran::out(text);
    }
    let names: Vec<&str> = balancers.iter().map(|s| s.metadata.name.as_str()).collect();
    Ran::out(format!(
        "Status:\t\n\tmachine: minikube\n\tpid: 24511\n\troute: 10.96.0.0/12 -> {NODE_IP}\n\tminikube: Running\n\tservices: [{}]\n    errors: \n\t\tminikube: no errors\n\t\trouter: no errors\n\t\tloadbalancer emulator: no errors\n",
        names.join(", ")
    ))
}

/// Gives every LoadBalancer Service without an external address one, through the API
/// server's status subresource: its ClusterIP on Linux, 127.0.0.1 on macOS (the ssh
/// tunnel's end). Returns how many it patched.
pub(crate) fn patch_load_balancers(cluster: &mut Cluster, host: HostOs) -> usize {
    let wanted: Vec<(String, String)> = cluster
        .store()
        .services
        .values()
        .filter(|s| s.spec.kind.as_deref() == Some("LoadBalancer") && s.status.load_balancer_ingress.is_empty())
        .filter_map(|s| {
            let ip = if host.needs_port_forward() { Some("127.0.0.1".to_string()) } else { s.spec.cluster_ip.clone() };
            Some((s.metadata.name.clone(), ip?))
        })
        .collect();
    if wanted.is_empty() {
        return 0;
    }
    cluster.write(|api| {
        for (name, ip) in &wanted {
            api.update_service_status(name, ServiceStatus { load_balancer_ingress: vec![ip.clone()] });
        }
    });
    wanted.len()
}

/// `minikube service list`: every Service, kube-system's too, by namespace and name
/// (`updatePortsAndURLs`: where the node needs port forwards, no URL is shown).
fn service_list(cluster: &Cluster, host: HostOs) -> Ran {
    let mut rows: Vec<[String; 4]> = cluster
        .store()
        .services
        .values()
        .map(|service| {
            let urls = node_port_urls(service);
            let target = if urls.is_empty() { "No node port".to_string() } else { port_names(service) };
            let urls = if host.needs_port_forward() { String::new() } else { urls.join("\n") };
            ["default".to_string(), service.metadata.name.clone(), target, urls]
        })
        .collect();
    rows.push(["kube-system".into(), "kube-dns".into(), "No node port".into(), String::new()]);
    Ran::out(table_of(&["NAMESPACE", "NAME", "TARGET PORT", "URL"], &rows))
}

fn row(name: &str, target: &str, url: &str) -> [String; 4] {
    ["default".into(), name.into(), target.into(), url.into()]
}

fn table(rows: &[[String; 4]]) -> String {
    table_of(&["NAMESPACE", "NAME", "TARGET PORT", "URL"], rows)
}

/// The URLs of a Service's node ports, one per port.
fn node_port_urls(service: &Service) -> Vec<String> {
    service.spec.ports.iter().filter_map(|p| p.node_port).map(|port| format!("http://{NODE_IP}:{port}")).collect()
}

/// `http/80` for a named port, `80` otherwise, one per port.
fn port_names(service: &Service) -> String {
    let names: Vec<String> = service
        .spec
        .ports
        .iter()
        .filter(|p| p.node_port.is_some())
        .map(|p| match p.name.as_deref().filter(|n| !n.is_empty()) {
            Some(name) => format!("{name}/{}", p.port),
            None => p.port.to_string(),
        })
        .collect();
    names.join("\n")
}

/// Whether a running pod matches the Service's selector.
fn has_running_pod(cluster: &Cluster, service: &Service) -> bool {
    let Some(selector) = &service.spec.selector else { return true };
    cluster
        .store()
        .pods
        .values()
        .any(|pod| pod.status.phase == "Running" && selector.iter().all(|(k, v)| pod.metadata.labels.get(k) == Some(v)))
}

/// A local port for a tunnel: an ephemeral port, the same for a name in a replay.
fn tunnel_port(term: &Terminal, name: &str) -> i64 {
    let hash = name.bytes().fold(2_166_136_261_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(16_777_619));
    let mut port = 40_000 + i64::from(hash % 20_000);
    while term.tunnels.iter().any(|t| t.local_port == port && t.service != name)
        || term.port_forwards.iter().any(|f| f.local_port == port)
    {
        port += 1;
    }
    port
}

/// minikube's tables (olekukonko/tablewriter): `|` borders, headers centred, numbers
/// right-aligned, other cells left-aligned; a cell with several lines spans as many rows.
fn table_of(headers: &[&str; 4], rows: &[[String; 4]]) -> String {
    let mut widths = headers.map(str::len);
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.lines().map(|l| l.chars().count()).max().unwrap_or(0));
        }
    }
    let rule = format!("|{}|\n", widths.iter().map(|w| "-".repeat(w + 2)).collect::<Vec<_>>().join("|"));
    let centred = |text: &str, width: usize| {
        let room = width - text.len();
        format!(" {}{text}{} ", " ".repeat(room / 2), " ".repeat(room - room / 2))
    };
    let mut out = rule.clone();
    out.push_str(&format!(
        "|{}|\n",
        headers.iter().zip(widths).map(|(h, w)| centred(h, w)).collect::<Vec<_>>().join("|")
    ));
    out.push_str(&rule);
    for row in rows {
        let height = row.iter().map(|c| c.lines().count().max(1)).max().unwrap_or(1);
        for line in 0..height {
            let cells: Vec<String> = row
                .iter()
                .zip(widths)
                .map(|(cell, width)| {
                    let text = cell.lines().nth(line).unwrap_or("");
                    let numeric = !text.is_empty() && text.chars().all(|c| c.is_ascii_digit());
                    if numeric {
                        format!(" {text:>width$} ")
                    } else {
                        format!(" {text:<width$} ")
                    }
                })
                .collect();
            out.push_str(&format!("|{}|\n", cells.join("|")));
        }
    }
    out.push_str(&rule);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_centre_headers_and_right_align_numbers_as_minikube_prints_them() {
        let rows = [
            ["default".to_string(), "kubernetes".into(), "No node port".into(), String::new()],
            ["default".to_string(), "web-np".into(), "80".into(), "http://192.168.49.2:30080".into()],
        ];
        assert_eq!(
            table_of(&["NAMESPACE", "NAME", "TARGET PORT", "URL"], &rows),
            "|-----------|------------|--------------|---------------------------|\n\
             | NAMESPACE |    NAME    | TARGET PORT  |            URL            |\n\
             |-----------|------------|--------------|---------------------------|\n\
             | default   | kubernetes | No node port |                           |\n\
             | default   | web-np     |           80 | http://192.168.49.2:30080 |\n\
             |-----------|------------|--------------|---------------------------|\n"
        );
    }
}
