//! Tab completion for the terminal: commands, kubectl verbs and flags, resource
//! types, and the names of objects that exist right now.

use super::kubectl::{command_flags, Kind};
use crate::core::cluster::Cluster;

const COMMANDS: [&str; 29] = [
    "kubectl", "minikube", "echo", "cat", "ls", "touch", "rm", "mkdir", "test", "hostname", "uname", "env", "printenv",
    "sleep", "date", "curl", "wget", "nslookup", "grep", "head", "tail", "wc", "sh", "timeout", "export", "clear",
    "help", "exit", "true",
];
const VERBS: [&str; 21] = [
    "annotate",
    "apply",
    "autoscale",
    "cluster-info",
    "create",
    "delete",
    "describe",
    "exec",
    "expose",
    "get",
    "label",
    "logs",
    "patch",
    "port-forward",
    "rollout",
    "run",
    "scale",
    "set",
    "version",
    "wait",
    "edit",
];
const TYPES: [&str; 21] = [
    "all",
    "configmaps",
    "controllerrevisions",
    "deployments",
    "endpoints",
    "endpointslices",
    "events",
    "horizontalpodautoscalers",
    "ingresses",
    "namespaces",
    "networkpolicies",
    "nodes",
    "persistentvolumeclaims",
    "persistentvolumes",
    "pods",
    "replicasets",
    "secrets",
    "serviceaccounts",
    "services",
    "statefulsets",
    "storageclasses",
];
/// `helm`'s commands, offered in the page with Helm.
const HELM_COMMANDS: [&str; 12] = [
    "create",
    "get",
    "history",
    "install",
    "lint",
    "list",
    "rollback",
    "status",
    "template",
    "test",
    "uninstall",
    "upgrade",
];

/// The releases Helm stores as `sh.helm.release.v1.NAME.vN` Secrets.
fn release_names(cluster: &Cluster) -> Vec<String> {
    let mut releases: Vec<String> = cluster
        .store()
        .secrets
        .keys()
        .filter_map(|name| {
            name.strip_prefix("sh.helm.release.v1.")?.rsplit_once(".v").map(|(release, _)| release.to_string())
        })
        .collect();
    releases.dedup();
    releases
}

const ROLLOUT: [&str; 6] = ["history", "pause", "restart", "resume", "status", "undo"];

/// What Tab offers: the candidates for the word that starts at byte `start` of the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub start: usize,
    pub candidates: Vec<String>,
}

impl Completion {
    /// The longest text every candidate starts with.
    pub fn common_prefix(&self) -> String {
        let Some(first) = self.candidates.first() else { return String::new() };
        let mut prefix = first.clone();
        for candidate in &self.candidates[1..] {
            let shared = prefix.chars().zip(candidate.chars()).take_while(|(a, b)| a == b).count();
            prefix = prefix.chars().take(shared).collect();
        }
        prefix
    }
}

fn names(cluster: &Cluster, kind: Kind) -> Vec<String> {
    super::kubectl::object_names(cluster, kind)
}

/// `statefulset/web`, `deployment/web` … for each of the kinds.
fn typed_names(cluster: &Cluster, kinds: &[Kind]) -> Vec<String> {
    kinds
        .iter()
        .flat_map(|kind| {
            let prefix = kind.kind().to_lowercase();
            names(cluster, *kind).into_iter().map(move |n| format!("{prefix}/{n}"))
        })
        .collect()
}

/// Completions for the last word of `line`.
pub fn complete(cluster: &Cluster, line: &str) -> Completion {
    // Byte index after the last whitespace character (which may be wider than one byte).
    let start = line.char_indices().filter(|(_, c)| c.is_whitespace()).last().map_or(0, |(i, c)| i + c.len_utf8());
    let current = &line[start..];
    let before: Vec<&str> = line[..start].split_whitespace().collect();
    let words: Vec<String> = match before.as_slice() {
        [] => COMMANDS.iter().chain(super::HELM.then_some(&"helm")).map(|s| s.to_string()).collect(),
        ["kubectl"] => VERBS.iter().map(|s| s.to_string()).collect(),
        ["helm"] if super::HELM => HELM_COMMANDS.iter().map(|s| s.to_string()).collect(),
        ["helm", "get"] if super::HELM => ["all", "hooks", "manifest", "notes", "values"].map(String::from).to_vec(),
        ["helm", "status" | "history" | "rollback" | "uninstall" | "test" | "upgrade"] | ["helm", "get", _]
            if super::HELM =>
        {
            release_names(cluster)
        }
        ["kubectl", verb, ..] if current.starts_with('-') => {
            command_flags(verb).iter().filter(|f| f.starts_with("--")).map(|s| s.to_string()).collect()
        }
        ["kubectl", "rollout"] => ROLLOUT.iter().map(|s| s.to_string()).collect(),
        ["kubectl", "rollout", _] | ["kubectl", "set", "image"] | ["kubectl", "patch"] => {
            typed_names(cluster, &[Kind::Deployment, Kind::StatefulSet])
        }
        ["kubectl", "scale" | "autoscale"] => {
            typed_names(cluster, &[Kind::Deployment, Kind::ReplicaSet, Kind::StatefulSet])
        }
        ["kubectl", "expose"] => typed_names(cluster, &[Kind::Deployment, Kind::ReplicaSet, Kind::Pod, Kind::Service]),
        ["kubectl", "create"] => vec!["deployment".to_string()],
        ["kubectl", "exec" | "logs" | "port-forward" | "label" | "annotate", ..] if !before.contains(&"--") => {
            names(cluster, Kind::Pod)
        }
        ["kubectl", "get" | "describe" | "delete" | "wait"] => {
            if let Some((kind, _)) = current.split_once('/') {
                match Kind::parse(kind) {
                    Some(k) => names(cluster, k).into_iter().map(|n| format!("{kind}/{n}")).collect(),
                    None => Vec::new(),
                }
            } else {
                TYPES.iter().map(|s| s.to_string()).collect()
            }
        }
        ["kubectl", "get" | "describe" | "delete", kind, ..] => match Kind::parse(kind) {
            Some(k) => names(cluster, k),
            None => Vec::new(),
        },
        _ => Vec::new(),
    };
    let candidates = words.into_iter().filter(|w| w.starts_with(current)).collect();
    Completion { start, candidates }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::samples::DEFAULT_MANIFEST;

    #[test]
    fn completes_verbs_types_flags_and_live_names() {
        let mut cluster = crate::cli::new_cluster(1);
        cluster.apply_text(DEFAULT_MANIFEST).unwrap();
        cluster.advance(60_000);
        assert_eq!(complete(&cluster, "kub").candidates, ["kubectl"]);
        assert_eq!(complete(&cluster, "kubectl ro").candidates, ["rollout"]);
        assert_eq!(complete(&cluster, "kubectl get state").candidates, ["statefulsets"]);
        assert_eq!(complete(&cluster, "kubectl exec web-").candidates, ["web-0", "web-1", "web-2"]);
        assert_eq!(complete(&cluster, "kubectl exec web-").common_prefix(), "web-");
        assert_eq!(complete(&cluster, "kubectl get pods --show").candidates, ["--show-labels"]);
        assert_eq!(complete(&cluster, "kubectl describe pod/web-1").candidates, ["pod/web-1"]);
        assert_eq!(complete(&cluster, "kubectl rollout status sta").candidates, ["statefulset/web"]);
        assert_eq!(complete(&cluster, "kubectl get pvc data-web-2").start, 16);
    }

    #[test]
    fn completes_helms_commands_and_releases() {
        let mut cluster = crate::cli::new_cluster(1);
        let mut terminal = crate::cli::Terminal::new();
        terminal.run(&mut cluster, "helm create web");
        terminal.run(&mut cluster, "helm install web ./web");
        terminal.run(&mut cluster, "helm upgrade web ./web");
        assert_eq!(complete(&cluster, "helm ins").candidates, ["install"]);
        assert_eq!(complete(&cluster, "helm u").candidates, ["uninstall", "upgrade"]);
        assert_eq!(complete(&cluster, "helm rollback w").candidates, ["web"], "one release, two revisions");
        assert_eq!(complete(&cluster, "helm get ma").candidates, ["manifest"]);
        assert_eq!(complete(&cluster, "helm get values ").candidates, ["web"]);
    }
}
