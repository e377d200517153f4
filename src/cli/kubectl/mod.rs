//! kubectl 1.32 against the simulated cluster: argument parsing, dispatch, and
//! the commands that change the cluster. Output follows reference §8.

mod change;
mod create;
mod describe;
mod get;
mod kinds;
mod pods;
mod rollout;
mod write;

pub(crate) use change::duration;
use change::{label, patch, scale, set_image, wait, workload_target};
use pods::{exec, logs, port_forward, run_pod};
use write::{apply, delete};

pub use get::{table_rows, Kind, Query, Scope};

use crate::core::api::yaml::Value;

use super::{render, Output, Ran, Terminal, Watch};
use crate::core::cluster::Cluster;

/// Parsed command line: positional arguments, flags, and what follows `--`.
struct Args<'a> {
    positional: Vec<&'a str>,
    flags: Vec<(String, Option<String>)>,
    command: Vec<&'a str>,
}

/// Flags that take a value when written as `-f x` / `--flag x`.
const VALUED: [&str; 31] = [
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
    "-r",
    "--port",
    "--target-port",
    "--name",
    "--protocol",
    "--min",
    "--max",
    "--cpu-percent",
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
        "apply" => &[
            "-f",
            "--filename",
            "--dry-run",
            "--validate",
            "--server-side",
            "--force-conflicts",
            "--record",
            "--save-config",
        ],
        // `create -f`, and `create deployment`'s own flags.
        "create" => &[
            "-f",
            "--filename",
            "--dry-run",
            "--validate",
            "--record",
            "--save-config",
            "--image",
            "-r",
            "--replicas",
            "--port",
            "-o",
            "--output",
        ],
        "expose" => &[
            "--port",
            "--target-port",
            "--type",
            "--name",
            "--protocol",
            "--selector",
            "-l",
            "--labels",
            "--dry-run",
            "-o",
            "--output",
        ],
        "autoscale" => &["--min", "--max", "--cpu-percent", "--name", "--dry-run", "-o", "--output"],
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
/// The live object `kind`/`name` as `kubectl get -o yaml` shows it (helm's
/// three-way merge reads it), if it exists.
#[cfg(any(not(target_arch = "wasm32"), feature = "helm"))]
pub(crate) fn live_value(cluster: &Cluster, kind: &str, name: &str) -> Option<crate::core::api::yaml::Value> {
    get::api_value(cluster, kinds::Kind::parse(kind)?, name)
}

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
        "create" if matches!(parsed.positional.first(), Some(&("deployment" | "deploy"))) => {
            create::deployment(cluster, &parsed)
        }
        "apply" | "create" => apply(term, cluster, &parsed, stdin, verb == "create"),
        "expose" => create::expose(cluster, &parsed),
        "autoscale" => create::autoscale(cluster, &parsed),
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
                // The "all" category, in discovery's order.
                kinds.extend([
                    Kind::Pod,
                    Kind::Service,
                    Kind::Deployment,
                    Kind::ReplicaSet,
                    Kind::StatefulSet,
                    Kind::HorizontalPodAutoscaler,
                ]);
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
