//! kubectl 1.32 against the simulated cluster: argument parsing, dispatch, and
//! the commands that change the cluster. Output follows reference §8.

mod describe;
mod get;
mod rollout;

pub use get::{table_rows, Kind, Query, Scope};

use crate::core::api::yaml::Value;

use super::{render, Location, Output, PodShell, PortForward, Ran, Terminal, Watch};
use crate::core::api::manifest::parse_manifest;
use crate::core::api::*;
use crate::core::cluster::Cluster;
use crate::core::node::workload::{self, Program};
use crate::core::time::{Millis, MINUTE, SECOND};

/// Parsed command line: positional arguments, flags, and what follows `--`.
struct Args<'a> {
    positional: Vec<&'a str>,
    flags: Vec<(String, Option<String>)>,
    command: Vec<&'a str>,
}

/// Flags that take a value when written as `-f x` / `--flag x`.
const VALUED: [&str; 23] = [
    "--sort-by",
    "-f",
    "--filename",
    "-o",
    "--output",
    "-l",
    "--selector",
    "-c",
    "--container",
    "-n",
    "--namespace",
    "-p",
    "--patch",
    "--type",
    "--replicas",
    "--image",
    "--timeout",
    "--for",
    "--tail",
    "--revision",
    "--to-revision",
    "--grace-period",
    "--restart",
];

fn parse_args<'a>(verb: &str, args: &[&'a str]) -> Args<'a> {
    // For logs, -f is --follow and -p is --previous, not --filename and --patch.
    let valued = |flag: &str| VALUED.contains(&flag) && !(verb == "logs" && (flag == "-f" || flag == "-p"));
    let mut parsed = Args { positional: Vec::new(), flags: Vec::new(), command: Vec::new() };
    let mut i = 0;
    while i < args.len() {
        let arg = args[i];
        if arg == "--" {
            parsed.command = args[i + 1..].to_vec();
            break;
        }
        if arg.starts_with('-') && arg.len() > 1 {
            if let Some((name, value)) = arg.split_once('=') {
                parsed.flags.push((name.to_string(), Some(value.to_string())));
            } else if valued(arg) {
                parsed.flags.push((arg.to_string(), args.get(i + 1).map(|v| v.to_string())));
                i += 1;
            } else if let Some(short) = arg.get(..2).filter(|s| !arg.starts_with("--") && arg.len() > 2 && valued(s)) {
                // -oyaml, -lapp=web
                parsed.flags.push((short.to_string(), Some(arg[2..].to_string())));
            } else {
                parsed.flags.push((arg.to_string(), None));
            }
        } else {
            parsed.positional.push(arg);
        }
        i += 1;
    }
    parsed
}

impl Args<'_> {
    fn value(&self, names: &[&str]) -> Option<&str> {
        self.flags.iter().rev().find(|(n, _)| names.contains(&n.as_str())).and_then(|(_, v)| v.as_deref())
    }
    fn has(&self, names: &[&str]) -> bool {
        self.flags.iter().any(|(n, v)| names.contains(&n.as_str()) && v.as_deref() != Some("false"))
    }
    fn values(&self, names: &[&str]) -> Vec<&str> {
        self.flags.iter().filter(|(n, _)| names.contains(&n.as_str())).filter_map(|(_, v)| v.as_deref()).collect()
    }
}

/// Flags every command takes.
const GLOBAL_FLAGS: [&str; 4] = ["-n", "--namespace", "-v", "--v"];

/// The flags each command understands here (also the completion source).
pub(crate) fn command_flags(verb: &str) -> &'static [&'static str] {
    match verb {
        "apply" | "create" => &[
            "-f",
            "--filename",
            "--dry-run",
            "--validate",
            "--server-side",
            "--force-conflicts",
            "--record",
            "--save-config",
        ],
        "get" => &[
            "-o",
            "--output",
            "-l",
            "--selector",
            "-w",
            "--watch",
            "--show-labels",
            "-A",
            "--all-namespaces",
            "--no-headers",
            "--sort-by",
        ],
        "describe" => &["-l", "--selector", "-A", "--all-namespaces", "--show-events"],
        "delete" => &[
            "-f",
            "--filename",
            "-l",
            "--selector",
            "--cascade",
            "--grace-period",
            "--force",
            "--now",
            "--wait",
            "--all",
            "--ignore-not-found",
        ],
        "exec" => &["-c", "--container", "-i", "--stdin", "-t", "--tty", "-it", "-ti", "-q", "--quiet"],
        "logs" => {
            &["-c", "--container", "-f", "--follow", "-p", "--previous", "--tail", "--timestamps", "--all-containers"]
        }
        "scale" => &["--replicas", "--current-replicas"],
        "patch" => &["-p", "--patch", "--type"],
        "set" => &["--all"],
        "rollout" => &["--revision", "--to-revision", "--timeout", "-w", "--watch"],
        "wait" => &["--for", "--timeout", "--all", "-l", "--selector"],
        "label" | "annotate" => &["--overwrite", "--all", "-l", "--selector"],
        "run" => &[
            "--image",
            "-i",
            "--stdin",
            "-t",
            "--tty",
            "-it",
            "-ti",
            "--rm",
            "--restart",
            "--port",
            "--env",
            "--labels",
            "--command",
            "-q",
            "--quiet",
            "--attach",
        ],
        "port-forward" => &["--address", "--pod-running-timeout"],
        _ => &[],
    }
}

/// kubectl's answer to a flag it does not know.
fn check_flags(verb: &str, args: &Args) -> Result<(), String> {
    let allowed = command_flags(verb);
    for (flag, _) in &args.flags {
        if GLOBAL_FLAGS.contains(&flag.as_str()) || allowed.contains(&flag.as_str()) {
            continue;
        }
        return Err(if flag.starts_with("--") {
            format!("error: unknown flag: {flag}\nSee 'kubectl {verb} --help' for usage.\n")
        } else {
            let letter = flag.chars().nth(1).unwrap_or('-');
            format!("error: unknown shorthand flag: '{letter}' in {flag}\nSee 'kubectl {verb} --help' for usage.\n")
        });
    }
    Ok(())
}

/// `kubectl …`.
pub(crate) fn run(
    term: &mut Terminal,
    cluster: &mut Cluster,
    args: &[&str],
    stdin: Option<&str>,
    background: bool,
) -> Ran {
    let Some(&verb) = args.first() else {
        return Ran::out("kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n\nUsage:\n  kubectl [flags] [options]\n\nUse \"kubectl <command> --help\" for more information about a given command.\n");
    };
    let parsed = parse_args(verb, &args[1..]);
    if let Err(message) = check_flags(verb, &parsed) {
        if !matches!(verb, "version" | "cluster-info" | "edit") && !command_flags(verb).is_empty() {
            return Ran::fail(message, 1);
        }
    }
    let mut scope = if parsed.has(&["-A", "--all-namespaces"]) { Scope::All } else { Scope::Default };
    if let Some(namespace) = parsed.value(&["-n", "--namespace"]).filter(|n| *n != "default") {
        // kube-system (crate::core::system) can be listed and described, nothing more.
        let system = namespace == crate::core::system::NAMESPACE;
        match verb {
            "get" | "describe" if system => scope = Scope::System,
            "get" => return Ran::fail(format!("No resources found in {namespace} namespace.\n"), 0),
            _ if system => return Ran::fail("Error from server (Forbidden): the playground's kube-system namespace is read-only: kubectl get and describe work there\n", 1),
            _ => return Ran::fail(format!("Error from server (NotFound): namespaces \"{namespace}\" not found\n"), 1),
        }
    }
    match verb {
        "apply" | "create" => apply(term, cluster, &parsed, stdin, verb == "create"),
        "get" => get(term, cluster, &parsed, scope),
        "describe" => describe::run(cluster, &parsed.positional, parsed.value(&["-l", "--selector"]), scope),
        "delete" => delete(term, cluster, &parsed, stdin),
        "exec" => exec(term, cluster, &parsed, stdin),
        "logs" => logs(term, cluster, &parsed),
        "scale" => scale(cluster, &parsed),
        "patch" => patch(cluster, &parsed),
        "set" => set_image(cluster, &parsed),
        "rollout" => rollout::run(cluster, &parsed.positional, &parsed),
        "wait" => wait(cluster, &parsed),
        "label" | "annotate" => label(cluster, &parsed, verb == "label"),
        "run" => run_pod(term, cluster, &parsed),
        "port-forward" => port_forward(term, cluster, &parsed, background),
        "version" => Ran::out("Client Version: v1.32.0\nKustomize Version: v5.5.0\nServer Version: v1.32.0\n"),
        "cluster-info" => Ran::out("Kubernetes control plane is running at https://192.168.49.2:8443\nCoreDNS is running at https://192.168.49.2:8443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"),
        "edit" => Ran::fail("error: kubectl edit needs an editor, which this terminal has not got: edit the manifest on the left and press Apply, or use kubectl patch / scale / set image\n", 1),
        other => Ran::fail(format!("error: unknown command \"{other}\" for \"kubectl\"\nRun 'kubectl --help' for usage.\n"), 1),
    }
}

/// Splits `TYPE NAME…` or `TYPE/NAME…` into (kind, names).
fn targets(positional: &[&str]) -> Result<Vec<(Kind, String)>, String> {
    let mut out = Vec::new();
    if positional.is_empty() {
        return Err("error: you must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.".into());
    }
    if positional[0].contains('/') {
        for item in positional {
            let (kind, name) = item.split_once('/').ok_or("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'")?;
            let kind = Kind::parse(kind)
                .ok_or_else(|| format!("error: the server doesn't have a resource type \"{kind}\""))?;
            out.push((kind, name.to_string()));
        }
        return Ok(out);
    }
    let kind = Kind::parse(positional[0])
        .ok_or_else(|| format!("error: the server doesn't have a resource type \"{}\"", positional[0]))?;
    for name in &positional[1..] {
        out.push((kind, name.to_string()));
    }
    Ok(out)
}

/// Names of the objects of a kind, for completion.
pub(crate) fn object_names(cluster: &Cluster, kind: Kind) -> Vec<String> {
    get::objects(cluster, kind).into_iter().map(|(name, _)| name).collect()
}

fn not_found(kind: Kind, name: &str) -> String {
    format!("Error from server (NotFound): {} \"{name}\" not found\n", kind.plural())
}

fn exists(cluster: &Cluster, kind: Kind, name: &str) -> bool {
    get::objects(cluster, kind).iter().any(|(n, _)| n == name)
}

fn read_manifest(term: &Terminal, path: &str, stdin: Option<&str>) -> Result<String, String> {
    if path == "-" {
        return Ok(stdin.unwrap_or_default().to_string());
    }
    term.read_host_file(path).ok_or_else(|| format!("error: the path \"{path}\" does not exist"))
}

// ---------------------------------------------------------------- apply / create

fn apply(term: &mut Terminal, cluster: &mut Cluster, args: &Args, stdin: Option<&str>, create_only: bool) -> Ran {
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

fn get(term: &mut Terminal, cluster: &mut Cluster, args: &Args, scope: Scope) -> Ran {
    let Some(types) = args.positional.first() else {
        return Ran::fail("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples\n", 1);
    };
    let mut kinds = Vec::new();
    let mut names = Vec::new();
    if types.contains('/') {
        match targets(&args.positional) {
            Ok(list) => {
                for (kind, name) in list {
                    if !kinds.contains(&kind) {
                        kinds.push(kind);
                    }
                    names.push(name);
                }
            }
            Err(message) => return Ran::fail(format!("{message}\n"), 1),
        }
    } else {
        for text in types.split(',') {
            if text == "all" {
                kinds.extend([Kind::Pod, Kind::Service, Kind::StatefulSet]);
                continue;
            }
            match Kind::parse(text) {
                Some(kind) => kinds.push(kind),
                None => return Ran::fail(format!("error: the server doesn't have a resource type \"{text}\"\n"), 1),
            }
        }
        names = args.positional[1..].iter().map(|s| s.to_string()).collect();
    }
    let selector = match args.value(&["-l", "--selector"]).map(get::parse_selector).transpose() {
        Ok(selector) => selector.unwrap_or_default(),
        Err(message) => return Ran::fail(format!("{message}\n"), 1),
    };
    let format = args.value(&["-o", "--output"]).unwrap_or("");
    let query = Query {
        kinds: kinds.clone(),
        names: names.clone(),
        selector,
        wide: format == "wide",
        show_labels: args.has(&["--show-labels"]),
        scope,
    };
    let mut output = Output::default();
    let mut status = 0;
    let found: Vec<(Kind, String)> = kinds
        .iter()
        .flat_map(|kind| get::table_rows(cluster, *kind, &query).1.into_iter().map(move |(name, _)| (*kind, name)))
        .collect();
    for name in &names {
        if !found.iter().any(|(_, n)| n == name) {
            output.err(not_found(kinds[0], name));
            status = 1;
        }
    }
    match format {
        "" | "wide" => {
            let mut text = get::tables(cluster, &query, args.value(&["--sort-by"]));
            if args.has(&["--no-headers"]) {
                text = text
                    .lines()
                    .filter(|l| !l.starts_with("NAME ") && !l.starts_with("LAST SEEN") && !l.is_empty())
                    .map(|l| format!("{l}\n"))
                    .collect();
            }
            if text.is_empty() && names.is_empty() {
                output.err(match scope {
                    _ if scope == Scope::All || !kinds.iter().any(|k| k.namespaced()) => {
                        "No resources found\n".to_string()
                    }
                    Scope::System => "No resources found in kube-system namespace.\n".to_string(),
                    _ => "No resources found in default namespace.\n".to_string(),
                });
            }
            output.out(text);
            if args.has(&["-w", "--watch"]) && !kinds.is_empty() {
                term.watch = Some(Watch::rows(Query { kinds: vec![kinds[0]], ..query }, cluster));
            }
        }
        "name" => output.out(found.iter().map(|(k, n)| format!("{}/{n}\n", k.resource())).collect::<String>()),
        "yaml" | "json" => {
            let values: Vec<Value> = found.iter().filter_map(|(k, n)| get::api_value(cluster, *k, n)).collect();
            let value = if values.len() == 1 && !names.is_empty() {
                values.into_iter().next().unwrap_or(Value::Null)
            } else {
                list_value(values)
            };
            output.out(if format == "yaml" { render::to_yaml(&value) } else { render::to_json(&value) });
        }
        other if other.starts_with("jsonpath=") || other.starts_with("jsonpath-as-json=") => {
            let template = other.split_once('=').map(|(_, t)| t).unwrap_or("");
            let values: Vec<Value> = found.iter().filter_map(|(k, n)| get::api_value(cluster, *k, n)).collect();
            let value = if values.len() == 1 && !names.is_empty() {
                values.into_iter().next().unwrap_or(Value::Null)
            } else {
                list_value(values)
            };
            match render::jsonpath(template, &value) {
                Ok(text) => output.out(text),
                Err(message) => {
                    output.err(format!("{message}\n"));
                    status = 1;
                }
            }
        }
        other => {
            return Ran::fail(format!("error: unable to match a printer suitable for the output format \"{other}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n"), 1);
        }
    }
    Ran { output, status }
}

fn list_value(items: Vec<Value>) -> Value {
    let mut map = crate::core::api::yaml::Mapping::new();
    map.insert("apiVersion".into(), "v1".into());
    map.insert("items".into(), Value::Sequence(items));
    map.insert("kind".into(), "List".into());
    let mut meta = crate::core::api::yaml::Mapping::new();
    meta.insert("resourceVersion".into(), "".into());
    map.insert("metadata".into(), Value::Mapping(meta));
    Value::Mapping(map)
}

// ---------------------------------------------------------------- delete

fn delete(term: &mut Terminal, cluster: &mut Cluster, args: &Args, stdin: Option<&str>) -> Ran {
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
            Kind::PersistentVolumeClaim => cluster.delete_claim(&name),
            Kind::Service | Kind::ConfigMap | Kind::Secret | Kind::ServiceAccount | Kind::Ingress => {
                cluster.write(|api| api.delete_simple(kind.kind(), &name))
            }
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

/// The container a command targets: `-c NAME`, else the first (with kubectl's notice when there are several).
fn container_of(pod: &Pod, wanted: Option<&str>, output: &mut Output) -> Result<String, String> {
    match wanted {
        Some(name) => pod.spec.containers.iter().find(|c| c.name == name).map(|c| c.name.clone()).ok_or_else(|| {
            format!("Error from server (BadRequest): container {name} is not valid for pod {}", pod.name())
        }),
        None => {
            let first = pod.spec.containers.first().map(|c| c.name.clone()).unwrap_or_default();
            if pod.spec.containers.len() > 1 {
                let names: Vec<&str> = pod.spec.containers.iter().map(|c| c.name.as_str()).collect();
                output.err(format!("Defaulted container \"{first}\" out of: {}\n", names.join(", ")));
            }
            Ok(first)
        }
    }
}

fn pod_name(text: &str) -> &str {
    text.strip_prefix("pod/")
        .or_else(|| text.strip_prefix("pods/"))
        .or_else(|| text.strip_prefix("po/"))
        .unwrap_or(text)
}

/// The pod named by the first argument and the container chosen with `-c` (exec, logs).
/// The output may already hold kubectl's "Defaulted container" notice.
fn target_container(cluster: &Cluster, args: &Args, usage: &str) -> Result<(Pod, String, Output), Ran> {
    let Some(target) = args.positional.first() else { return Err(Ran::fail(usage, 1)) };
    let name = pod_name(target);
    let Some(pod) = cluster.store().pods.get(name).cloned() else {
        return Err(Ran::fail(not_found(Kind::Pod, name), 1));
    };
    let mut output = Output::default();
    match container_of(&pod, args.value(&["-c", "--container"]), &mut output) {
        Ok(container) => Ok((pod, container, output)),
        Err(message) => Err(Ran::fail(format!("{message}\n"), 1)),
    }
}

fn exec(term: &mut Terminal, cluster: &mut Cluster, args: &Args, stdin: Option<&str>) -> Ran {
    let (pod, container, mut output) =
        match target_container(cluster, args, "error: pod, type/name or --filename must be specified\n") {
            Ok(found) => found,
            Err(ran) => return ran,
        };
    let name = pod.name().to_string();
    let mut command: Vec<&str> = args.command.clone();
    if command.is_empty() {
        // kubectl 1.32 no longer accepts the command without `--`.
        if args.positional.len() > 1 {
            return Ran::fail("error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n", 1);
        }
        return Ran::fail("error: you must specify at least one command for the container\n", 1);
    }
    let index = pod.spec.containers.iter().position(|c| c.name == container).unwrap_or(0);
    let running = pod.status.container_statuses.get(index).is_some_and(|s| s.state.running.is_some());
    if !running || pod.metadata.is_terminating() {
        return Ran::fail(format!("error: unable to upgrade connection: container not found (\"{container}\")\n"), 1);
    }
    let spec = &pod.spec.containers[index];
    let busybox = workload::image_traits(&spec.image).program == Program::Shell;
    if command[0].ends_with("bash") && busybox {
        output.err(format!("error: Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec \"0c1d\": OCI runtime exec failed: exec failed: unable to start container process: exec: \"{}\": executable file not found in $PATH: unknown\n", command[0]));
        return Ran { output, status: 1 };
    }
    let interactive = args.has(&["-i", "--stdin"])
        || args.has(&["-it", "-ti"])
        || args.flags.iter().any(|(f, _)| f == "-it" || f == "-ti");
    let is_shell = matches!(command[0], "sh" | "/bin/sh" | "bash" | "/bin/bash" | "ash");
    if is_shell && command.len() == 1 {
        if interactive {
            let prompt = if busybox {
                "/ # ".to_string()
            } else if command[0].ends_with("bash") {
                format!("root@{name}:/# ")
            } else {
                "# ".to_string()
            };
            term.inside = Some(PodShell { pod: name, container, prompt, remove_on_exit: false });
        }
        return Ran::ok(output);
    }
    if command[0] == "kubectl" {
        command[0] = "kubectl-in-pod";
    }
    let argv: Vec<String> = command.iter().map(|s| s.to_string()).collect();
    let location = Location::Pod { pod: name, container };
    let ran = super::builtins::dispatch(term, cluster, &argv, &location, stdin, false);
    output.append(ran.output);
    if ran.status != 0 {
        output.err(format!("command terminated with exit code {}\n", ran.status));
    }
    Ran { output, status: ran.status }
}

fn logs(term: &mut Terminal, cluster: &mut Cluster, args: &Args) -> Ran {
    let usage = "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n";
    let (pod, container, mut output) = match target_container(cluster, args, usage) {
        Ok(found) => found,
        Err(ran) => return ran,
    };
    let name = pod.name().to_string();
    let logs = cluster.logs(&pod.metadata.uid, &container).cloned().unwrap_or_default();
    let lines = if args.has(&["-p", "--previous"]) {
        match logs.previous {
            Some(lines) => lines,
            None => return Ran::fail(format!("Error from server (BadRequest): previous terminated container \"{container}\" in pod \"{name}\" not found\n"), 1),
        }
    } else {
        let started = |s: &ContainerStatus| {
            s.state.running.is_some() || s.state.terminated.is_some() || s.last_state.terminated.is_some()
        };
        if !pod.status.container_statuses.iter().any(started) {
            let waiting = pod
                .status
                .container_statuses
                .first()
                .and_then(|s| s.state.waiting.as_ref())
                .map(|w| w.reason.clone())
                .unwrap_or_else(|| "ContainerCreating".into());
            return Ran::fail(format!("Error from server (BadRequest): container \"{container}\" in pod \"{name}\" is waiting to start: {}\n", waiting), 1);
        }
        logs.current
    };
    let tail = args.value(&["--tail"]).and_then(|t| t.parse::<i64>().ok()).filter(|t| *t >= 0).map(|t| t as usize);
    let skip = tail.map_or(0, |t| lines.len().saturating_sub(t));
    for line in &lines[skip..] {
        output.out(format!("{line}\n"));
    }
    if args.has(&["-f", "--follow"]) && !args.has(&["-p", "--previous"]) {
        term.watch = Some(Watch::logs((pod.metadata.uid.clone(), container), lines.len()));
    }
    Ran::ok(output)
}

// ---------------------------------------------------------------- scale / patch / set image

/// `sts web` or `sts/web` or `statefulset.apps/web` → the set name.
fn statefulset_target<'a>(positional: &[&'a str]) -> Result<&'a str, String> {
    match positional {
        [one] if one.contains('/') => {
            let (kind, name) = one.split_once('/').unwrap_or_default();
            match Kind::parse(kind) {
                Some(Kind::StatefulSet) => Ok(name),
                Some(_) => {
                    Err(format!("error: this playground supports this command for statefulsets only, not \"{kind}\""))
                }
                None => Err(format!("error: the server doesn't have a resource type \"{kind}\"")),
            }
        }
        [kind, name, ..] => match Kind::parse(kind) {
            Some(Kind::StatefulSet) => Ok(name),
            Some(_) => {
                Err(format!("error: this playground supports this command for statefulsets only, not \"{kind}\""))
            }
            None => Err(format!("error: the server doesn't have a resource type \"{kind}\"")),
        },
        _ => Err("error: resource(s) were provided, but no name was specified".into()),
    }
}

fn scale(cluster: &mut Cluster, args: &Args) -> Ran {
    let name = match statefulset_target(&args.positional) {
        Ok(name) => name,
        Err(message) => return Ran::fail(format!("{message}\n"), 1),
    };
    let Some(replicas) = args.value(&["--replicas"]).and_then(|r| r.parse::<i64>().ok()) else {
        return Ran::fail("error: required flag(s) \"replicas\" not set\n", 1);
    };
    match cluster.scale(name, replicas) {
        Ok(()) => Ran::out(format!("statefulset.apps/{name} scaled\n")),
        Err(message) => Ran::fail(format!("{message}\n"), 1),
    }
}

fn patch(cluster: &mut Cluster, args: &Args) -> Ran {
    let name = match statefulset_target(&args.positional) {
        Ok(name) => name.to_string(),
        Err(message) => return Ran::fail(format!("{message}\n"), 1),
    };
    let Some(patch_text) = args.value(&["-p", "--patch"]) else {
        return Ran::fail("error: must specify --patch or --patch-file containing the contents of the patch\n", 1);
    };
    let patch: Value = match crate::core::api::yaml::from_str(patch_text) {
        Ok(v) => v,
        Err(error) => return Ran::fail(format!("error: unable to parse \"{patch_text}\": {error}\n"), 1),
    };
    let Some(set) = cluster.store().stateful_sets.get(&name) else {
        return Ran::fail(not_found(Kind::StatefulSet, &name), 1);
    };
    let mut value = crate::core::api::write::ToValue::to_value(set);
    let json_patch = args.value(&["--type"]) == Some("json");
    let result = if json_patch {
        apply_json_patch(&mut value, &patch)
    } else {
        merge(&mut value, &patch);
        Ok(())
    };
    if let Err(message) = result {
        return Ran::fail(format!("{message}\n"), 1);
    }
    let patched: StatefulSet = match crate::core::api::read::from_value(&value) {
        Ok(set) => set,
        Err(error) => {
            return Ran::fail(format!("Error from server (BadRequest): the patch could not be applied: {error}\n"), 1)
        }
    };
    match cluster.update_stateful_set(&name, |set| {
        set.spec = patched.spec;
        set.metadata.labels = patched.metadata.labels;
        set.metadata.annotations = patched.metadata.annotations;
    }) {
        Ok(true) => Ran::out(format!("statefulset.apps/{name} patched\n")),
        Ok(false) => Ran::out(format!("statefulset.apps/{name} patched (no change)\n")),
        Err(message) => Ran::fail(format!("{message}\n"), 1),
    }
}

/// Strategic merge, reduced to what learners patch: maps merge, `null` deletes,
/// lists of named items (containers, ports, env) merge by name, other lists replace.
fn merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Mapping(target), Value::Mapping(patch)) => {
            for (key, value) in patch {
                if value.is_null() {
                    target.remove(key);
                    continue;
                }
                match target.get_mut(key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        target.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (Value::Sequence(target), Value::Sequence(patch)) if patch.iter().all(|p| p.get("name").is_some()) => {
            for item in patch {
                match target.iter_mut().find(|t| t.get("name") == item.get("name")) {
                    Some(existing) => merge(existing, item),
                    None => target.push(item.clone()),
                }
            }
        }
        (target, patch) => *target = patch.clone(),
    }
}

/// RFC 6902 `replace`, `add`, `remove` on paths like `/spec/replicas`.
fn apply_json_patch(target: &mut Value, patch: &Value) -> Result<(), String> {
    let operations =
        patch.as_sequence().ok_or("error: unable to parse the json patch: expected an array of operations")?;
    for operation in operations {
        let op = operation.get("op").and_then(Value::as_str).unwrap_or("");
        let path = operation.get("path").and_then(Value::as_str).unwrap_or("");
        let segments: Vec<String> = path.split('/').skip(1).map(|s| s.replace("~1", "/").replace("~0", "~")).collect();
        let Some((last, parents)) = segments.split_last() else {
            return Err(format!("error: invalid JSON patch path \"{path}\""));
        };
        let mut node = &mut *target;
        for segment in parents {
            node = match node {
                Value::Mapping(map) => map.get_mut(segment.as_str()),
                Value::Sequence(items) => segment.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
                _ => None,
            }
            .ok_or_else(|| format!("The request is invalid: the server rejected our request due to an error in our request: doc is missing path: \"{path}\""))?;
        }
        let value = operation.get("value").cloned().unwrap_or(Value::Null);
        match (node, op) {
            (Value::Mapping(map), "replace" | "add") => {
                if op == "replace" && !map.contains_key(last.as_str()) {
                    return Err(format!("The request is invalid: the server rejected our request due to an error in our request: doc is missing key: \"{path}\""));
                }
                map.insert(last.as_str().into(), value);
            }
            (Value::Mapping(map), "remove") => {
                map.remove(last.as_str());
            }
            (Value::Sequence(items), _) => {
                let index = if last == "-" {
                    items.len()
                } else {
                    last.parse().map_err(|_| format!("error: invalid index in \"{path}\""))?
                };
                match op {
                    "replace" if index < items.len() => items[index] = value,
                    "add" if index <= items.len() => items.insert(index, value),
                    "remove" if index < items.len() => {
                        items.remove(index);
                    }
                    _ => return Err(format!("The request is invalid: the server rejected our request due to an error in our request: index out of range: \"{path}\"")),
                }
            }
            _ => return Err(format!("error: unsupported JSON patch operation \"{op}\"")),
        }
    }
    Ok(())
}

fn set_image(cluster: &mut Cluster, args: &Args) -> Ran {
    if args.positional.first() != Some(&"image") {
        return Ran::fail("error: this playground supports `kubectl set image` only\n", 1);
    }
    let rest: Vec<&str> = args.positional[1..].to_vec();
    let assignments: Vec<(&str, &str)> = rest.iter().filter_map(|a| a.split_once('=')).collect();
    let target: Vec<&str> = rest.iter().copied().filter(|a| !a.contains('=')).collect();
    let name = match statefulset_target(&target) {
        Ok(name) => name.to_string(),
        Err(message) => return Ran::fail(format!("{message}\n"), 1),
    };
    if assignments.is_empty() {
        return Ran::fail("error: at least one image update is required\n", 1);
    }
    let Some(set) = cluster.store().stateful_sets.get(&name) else {
        return Ran::fail(not_found(Kind::StatefulSet, &name), 1);
    };
    for (container, _) in &assignments {
        if *container != "*" && !set.spec.template.spec.containers.iter().any(|c| c.name == *container) {
            return Ran::fail(format!("error: unable to find container named \"{container}\"\n"), 1);
        }
    }
    let result = cluster.update_stateful_set(&name, |set| {
        for container in &mut set.spec.template.spec.containers {
            if let Some((_, image)) = assignments.iter().find(|(c, _)| *c == "*" || *c == container.name) {
                container.image = image.to_string();
            }
        }
    });
    match result {
        Ok(_) => Ran::out(format!("statefulset.apps/{name} image updated\n")),
        Err(message) => Ran::fail(format!("{message}\n"), 1),
    }
}

// ---------------------------------------------------------------- wait / label / run / port-forward

/// Parses `60s`, `2m`, `1h`, `1.5m`, `500ms` (kubectl durations).
pub(crate) fn duration(text: &str) -> Option<Millis> {
    let split = text.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let unit = match unit {
        "" | "s" => SECOND,
        "ms" => 1,
        "m" => MINUTE,
        "h" => 60 * MINUTE,
        _ => return None,
    };
    crate::core::time::parse_decimal(number, unit)
}

fn wait(cluster: &mut Cluster, args: &Args) -> Ran {
    let condition = args.value(&["--for"]).unwrap_or("");
    let timeout = args.value(&["--timeout"]).and_then(duration).unwrap_or(30 * SECOND);
    let targets_list = match targets(&args.positional) {
        Ok(list) => list,
        Err(message) => return Ran::fail(format!("{message}\n"), 1),
    };
    let mut output = Output::default();
    let mut status = 0;
    for (kind, name) in targets_list {
        if kind != Kind::Pod {
            return Ran::fail(
                "error: this playground waits for pods only (kubectl wait --for=condition=Ready pod/NAME)\n",
                1,
            );
        }
        let wanted = condition.strip_prefix("condition=").unwrap_or("");
        // --for=delete waits for this object, by UID: a replacement with the same name is another pod.
        let uid = cluster.store().pods.get(&name).map(|p| p.metadata.uid.clone());
        let done = |c: &Cluster| -> bool {
            let pod = c.store().pods.get(&name);
            match condition {
                "delete" => pod.is_none_or(|p| Some(&p.metadata.uid) != uid.as_ref()),
                _ => pod
                    .is_some_and(|p| p.condition(if wanted.eq_ignore_ascii_case("ready") { "Ready" } else { wanted })),
            }
        };
        if condition != "delete" && !cluster.store().pods.contains_key(&name) {
            output.err(not_found(kind, &name));
            status = 1;
            continue;
        }
        if cluster.run_until_condition(timeout, done) {
            output.out(format!("pod/{name} {}\n", if condition == "delete" { "deleted" } else { "condition met" }));
        } else {
            output.err(format!("error: timed out waiting for the condition on pods/{name}\n"));
            status = 1;
        }
    }
    Ran { output, status }
}

fn label(cluster: &mut Cluster, args: &Args, labels: bool) -> Ran {
    let verb = if labels { "labeled" } else { "annotated" };
    let (kind, name, changes) = match args.positional.as_slice() {
        [target, rest @ ..] if target.contains('/') => match targets(&[target]) {
            Ok(list) => (list[0].0, list[0].1.clone(), rest.to_vec()),
            Err(message) => return Ran::fail(format!("{message}\n"), 1),
        },
        [kind, name, rest @ ..] => match Kind::parse(kind) {
            Some(kind) => (kind, name.to_string(), rest.to_vec()),
            None => return Ran::fail(format!("error: the server doesn't have a resource type \"{kind}\"\n"), 1),
        },
        _ => {
            return Ran::fail(
                "error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n",
                1,
            )
        }
    };
    let overwrite = args.has(&["--overwrite"]);
    if !matches!(kind, Kind::Pod | Kind::StatefulSet | Kind::Service | Kind::PersistentVolumeClaim) {
        return Ran::fail(
            format!("error: this playground labels pods, statefulsets, services and claims, not {}\n", kind.plural()),
            1,
        );
    }
    let edit = |meta: &mut ObjectMeta| {
        let map = if labels { &mut meta.labels } else { &mut meta.annotations };
        for change in changes {
            if let Some(key) = change.strip_suffix('-') {
                map.remove(key);
            } else if let Some((key, value)) = change.split_once('=') {
                if map.get(key).is_some_and(|old| old != value) && !overwrite {
                    return Err(format!(
                        "error: '{key}' already has a value ({}), and --overwrite is false\n",
                        map[key]
                    ));
                }
                map.insert(key.to_string(), value.to_string());
            }
        }
        Ok(())
    };
    match cluster.write(|api| api.update_metadata(kind.kind(), &name, edit)) {
        None => return Ran::fail(not_found(kind, &name), 1),
        Some(Err(message)) => return Ran::fail(message, 1),
        Some(Ok(())) => {}
    }
    Ran::out(format!("{}/{name} {verb}\n", kind.resource()))
}

fn run_pod(term: &mut Terminal, cluster: &mut Cluster, args: &Args) -> Ran {
    let Some(name) = args.positional.first().map(|s| s.to_string()) else {
        return Ran::fail("error: NAME is required for run\nSee 'kubectl run -h' for help and examples\n", 1);
    };
    let Some(image) = args.value(&["--image"]) else {
        return Ran::fail("error: required flag(s) \"image\" not set\n", 1);
    };
    if cluster.store().pods.contains_key(&name) {
        return Ran::fail(format!("Error from server (AlreadyExists): pods \"{name}\" already exists\n"), 1);
    }
    let interactive = args.has(&["-i", "--stdin"]) || args.flags.iter().any(|(f, _)| f == "-it" || f == "-ti");
    let tty = args.has(&["-t", "--tty"]) || args.flags.iter().any(|(f, _)| f == "-it" || f == "-ti");
    let restart = args.value(&["--restart"]).unwrap_or("Always").to_string();
    let mut command: Vec<String> = args.command.iter().map(|s| s.to_string()).collect();
    let wants_shell =
        interactive && tty && (command.is_empty() || matches!(command[0].as_str(), "sh" | "/bin/sh" | "bash"));
    if wants_shell {
        // The shell waits for the terminal: it runs until the learner exits.
        command = vec!["sh".into(), "-c".into(), "while true; do sleep 3600; done".into()];
    }
    let mut labels = Labels::new();
    labels.insert("run".into(), name.clone());
    let manifest = Pod {
        metadata: ObjectMeta { name: name.clone(), labels, ..Default::default() },
        spec: PodSpec {
            containers: vec![Container {
                name: name.clone(),
                image: image.to_string(),
                args: command.clone(),
                ..Default::default()
            }],
            restart_policy: Some(restart),
            ..Default::default()
        },
        status: Default::default(),
    };
    let text = render::to_yaml(&render::api_object("v1", "Pod", &manifest));
    if let Err(error) = cluster.apply_text(&text) {
        return Ran::fail(format!("{}\n", error.message), 1);
    }
    if !interactive {
        return Ran::out(format!("pod/{name} created\n"));
    }
    let started = cluster
        .run_until_condition(5 * MINUTE, |c| c.store().pods.get(&name).is_some_and(|p| p.status.phase != "Pending"));
    if !started {
        return Ran::fail("error: timed out waiting for the condition\n", 1);
    }
    if wants_shell {
        let busybox = workload::image_traits(image).program == Program::Shell;
        term.inside = Some(PodShell {
            pod: name.clone(),
            container: name,
            prompt: if busybox { "/ # ".into() } else { "# ".into() },
            remove_on_exit: args.has(&["--rm"]),
        });
        return Ran::out("If you don't see a command prompt, try pressing enter.\n");
    }
    // Attached to a one-off command (`kubectl run -it --rm dns --image=busybox:1.28
    // -- nslookup web-0.visits`): its output as the pod sees it, then --rm's deletion.
    let mut output = Output::default();
    let mut status = 0;
    if !command.is_empty() {
        let location = Location::Pod { pod: name.clone(), container: name.clone() };
        let ran = super::builtins::dispatch(term, cluster, &command, &location, None, false);
        output.append(ran.output);
        status = ran.status;
    }
    if args.has(&["--rm"]) {
        cluster.delete_pod(&name, Some(0));
        cluster.reconcile();
        output.out(format!("pod \"{name}\" deleted\n"));
        if status != 0 {
            output.err(format!("pod default/{name} terminated (Error)\n"));
        }
    }
    Ran { output, status }
}

fn port_forward(term: &mut Terminal, cluster: &mut Cluster, args: &Args, background: bool) -> Ran {
    let (Some(target), Some(ports)) = (args.positional.first(), args.positional.get(1)) else {
        return Ran::fail("error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples\n", 1);
    };
    let (local, remote) = match ports.split_once(':') {
        Some((l, r)) => (l.parse::<i64>().ok(), r.parse::<i64>().ok()),
        None => (ports.parse().ok(), ports.parse().ok()),
    };
    let (Some(local), Some(remote)) = (local, remote) else {
        return Ran::fail(format!("error: invalid port: {ports}\n"), 1);
    };
    let (kind, name) = match target.split_once('/') {
        Some((kind, name)) => (Kind::parse(kind), name.to_string()),
        None => (Some(Kind::Pod), target.to_string()),
    };
    let pod = match kind {
        Some(Kind::Pod) => cluster.store().pods.get(&name).map(|p| p.name().to_string()),
        Some(Kind::Service) => {
            cluster.store().endpoints.get(&name).and_then(|e| e.addresses.first()).map(|a| a.target_pod.clone())
        }
        Some(Kind::StatefulSet) => cluster.store().pods.keys().find(|p| p.starts_with(&format!("{name}-"))).cloned(),
        _ => None,
    };
    let Some(pod) = pod else {
        return Ran::fail(
            match kind {
                Some(Kind::Service) => {
                    format!("error: unable to forward port because pod is not running. Current status=Pending\n")
                }
                Some(kind) => not_found(kind, &name),
                None => format!("error: the server doesn't have a resource type \"{target}\"\n"),
            },
            1,
        );
    };
    // A Service port maps to its target port on the pod.
    let remote = match kind {
        Some(Kind::Service) => {
            cluster.store().services.get(&name).and_then(|s| s.spec.ports.iter().find(|p| p.port == remote)).map_or(
                remote,
                |p| match &p.target_port {
                    Some(Value::Number(n)) => n.as_i64().unwrap_or(remote),
                    _ => remote,
                },
            )
        }
        _ => remote,
    };
    term.port_forwards.retain(|f| f.local_port != local);
    term.port_forwards.push(PortForward { local_port: local, pod, remote_port: remote });
    let mut text =
        format!("Forwarding from 127.0.0.1:{local} -> {remote}\nForwarding from [::1]:{local} -> {remote}\n");
    if background {
        text = format!("[1] {}\n{text}", 4242 + term.port_forwards.len());
    }
    Ran::out(text)
}
