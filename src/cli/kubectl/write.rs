//! The verbs that write objects from text or by name: `apply`/`create -f`, `delete`.

use super::super::{Output, Ran, Terminal};
use super::*;
use crate::core::api::manifest::parse_manifest;
use crate::core::cluster::Cluster;

pub(super) fn apply(
    term: &mut Terminal,
    cluster: &mut Cluster,
    args: &Args,
    stdin: Option<&str>,
    create_only: bool,
) -> Ran {
    let files = args.values(&["-f", "--filename"]);
    if files.is_empty() {
        return Ran::fail("error: must specify one of -f and -k\n", 1);
    }
    let mut output = Output::default();
    let mut status = 0;
    for path in files {
        let text = match read_manifest(term, path, stdin) {
            Ok(text) => text,
            Err(message) => return Ran::fail(format!("{message}\n"), 1),
        };
        if create_only {
            let mut already = Output::default();
            if let Ok(documents) = parse_manifest(&text) {
                for document in &documents {
                    let (Some(kind), Some(name)) = (document.kind(), document.name()) else { continue };
                    if let Some(k) = Kind::parse(kind).filter(|k| exists(cluster, *k, name)) {
                        already.err(format!("Error from server (AlreadyExists): error when creating \"{path}\": {} \"{name}\" already exists\n", k.plural()));
                    }
                }
            }
            if !already.chunks.is_empty() {
                return Ran { output: already, status: 1 };
            }
        }
        match cluster.apply_text(&text) {
            Ok(lines) => {
                for line in lines {
                    let action = if create_only { "created" } else { line.action };
                    output.out(format!("{} {action}\n", line.object));
                }
            }
            Err(error) => {
                output.err(format!("{}\n", error.message.replace("\"manifest.yaml\"", &format!("\"{path}\""))));
                status = 1;
            }
        }
    }
    Ran { output, status }
}

// ---------------------------------------------------------------- get

pub(super) fn delete(term: &mut Terminal, cluster: &mut Cluster, args: &Args, stdin: Option<&str>) -> Ran {
    let mut targets_list: Vec<(Kind, String)> = Vec::new();
    for path in args.values(&["-f", "--filename"]) {
        let text = match read_manifest(term, path, stdin) {
            Ok(text) => text,
            Err(message) => return Ran::fail(format!("{message}\n"), 1),
        };
        match parse_manifest(&text) {
            Ok(documents) => {
                for document in documents {
                    if let (Some(kind), Some(name)) = (document.kind().and_then(Kind::parse), document.name()) {
                        targets_list.push((kind, name.to_string()));
                    }
                }
            }
            Err(error) => return Ran::fail(format!("error: error parsing {path}: {error}\n"), 1),
        }
    }
    if let Some(selector) = args.value(&["-l", "--selector"]) {
        let Some(kind) = args.positional.first().and_then(|k| Kind::parse(k)) else {
            return Ran::fail("error: resource(s) were provided, but no name was specified\n", 1);
        };
        let selector = match get::parse_selector(selector) {
            Ok(s) => s,
            Err(message) => return Ran::fail(format!("{message}\n"), 1),
        };
        for (name, labels) in get::objects(cluster, kind) {
            if get::selected(&selector, &labels) {
                targets_list.push((kind, name));
            }
        }
        if targets_list.is_empty() {
            return Ran::fail("No resources found\n", 0);
        }
    } else if !args.positional.is_empty() {
        if args.positional.len() == 1 && !args.positional[0].contains('/') {
            return Ran::fail("error: resource(s) were provided, but no name was specified\n", 1);
        }
        match targets(&args.positional) {
            Ok(list) => targets_list.extend(list),
            Err(message) => return Ran::fail(format!("{message}\n"), 1),
        }
    }
    if targets_list.is_empty() {
        return Ran::fail("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n", 1);
    }
    let grace = args.value(&["--grace-period"]).and_then(|g| g.parse::<i64>().ok()).or(if args.has(&["--now"]) {
        Some(1)
    } else {
        None
    });
    let force = args.has(&["--force"]);
    let orphan = args.value(&["--cascade"]) == Some("orphan");
    let mut output = Output::default();
    let mut status = 0;
    if force && grace == Some(0) {
        output.err("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n");
    }
    for (kind, name) in targets_list {
        if !exists(cluster, kind, &name) {
            output.err(not_found(kind, &name));
            status = 1;
            continue;
        }
        let removed = match kind {
            // Real kubectl then waits for the object to go (--wait=true); here no virtual
            // time passes between commands other than sleep, wait, rollout status and
            // timeout (issue: replay), so the pod is still Terminating right after.
            Kind::Pod => cluster.delete_pod(&name, if force { Some(0) } else { grace }),
            Kind::StatefulSet => cluster.delete_stateful_set(&name, !orphan),
            // Background propagation: the garbage collector takes the ReplicaSets and pods.
            Kind::Deployment => cluster.delete_deployment(&name, !orphan),
            Kind::ReplicaSet => cluster.write(|api| api.delete_replica_set(&name, !orphan)),
            Kind::PersistentVolumeClaim => cluster.delete_claim(&name),
            Kind::Service
            | Kind::ConfigMap
            | Kind::Secret
            | Kind::ServiceAccount
            | Kind::Ingress
            | Kind::HorizontalPodAutoscaler
            | Kind::NetworkPolicy => cluster.write(|api| api.delete_simple(kind.kind(), &name)),
            _ => {
                output.err(format!("error: deleting {} is not supported in this playground\n", kind.plural()));
                status = 1;
                false
            }
        };
        if removed {
            let verb = if force && grace == Some(0) { "force deleted" } else { "deleted" };
            output.out(format!("{} \"{name}\" {verb}\n", kind.resource()));
        }
    }
    Ran { output, status }
}

// ---------------------------------------------------------------- exec / logs
