//! `minikube` as the learner's laptop has it.

use super::Ran;
use crate::core::cluster::Cluster;

/// `minikube service NAME --url`.
pub(crate) fn minikube(cluster: &Cluster, args: &[&str]) -> Ran {
    match args {
        ["service", name, rest @ ..] if rest.contains(&"--url") || rest.is_empty() => {
            let Some(service) = cluster.store().services.get(*name) else {
                return Ran::fail(format!("\n❌  Exiting due to SVC_NOT_FOUND: Service '{name}' was not found in 'default' namespace.\nYou may select another namespace by using 'minikube service {name} -n <namespace>'. Or list out all the services using 'minikube service list'\n\n"), 1);
            };
            let ports: Vec<i64> = service.spec.ports.iter().filter_map(|p| p.node_port).collect();
            if ports.is_empty() {
                return Ran::fail(format!("😿  service default/{name} has no node port\n"), 1);
            }
            Ran::out(ports.iter().map(|p| format!("http://192.168.49.2:{p}\n")).collect::<String>())
        }
        ["status", ..] => Ran::out("minikube\ntype: Control Plane\nhost: Running\nkubelet: Running\napiserver: Running\nkubeconfig: Configured\n\n"),
        ["ip"] => Ran::out("192.168.49.2\n"),
        _ => Ran::fail("Error: unknown command for minikube; this terminal supports `minikube service NAME --url`, `minikube ip` and `minikube status`\n", 1),
    }
}
