//! Commands other than kubectl: the shell builtins and the small tools found in
//! container images (busybox/coreutils style), plus curl, wget and nslookup.

mod curl;
mod file_tools;
mod net;
mod text;

use curl::curl;
use file_tools::{cat, ls, rm, test, touch};
use net::{nslookup, wget};
use text::{echo, grep, head_tail, printf, wc};

use super::minikube::minikube;
use super::{kubectl, shell, Location, Output, Ran, Terminal};
use crate::core::cluster::Cluster;
use crate::core::network::dns;
use crate::core::node::workload::{self, Program};
use crate::core::time::{parse_decimal, SECOND};

/// What `help` prints.
const HELP: &str = "\
StatefulSet Playground terminal: a simulated minikube cluster (Kubernetes v1.32).

kubectl   apply create delete get describe exec logs scale patch set image rollout
          wait label annotate run port-forward version cluster-info
shell     echo printf cat ls touch rm mkdir test [ hostname env printenv sleep date uname
          curl wget nslookup grep head tail wc sh -c timeout true false export clear
          help exit
";

/// The rest of `help`, after the helm line where there is one.
const HELP_TAIL: &str = "\
minikube  minikube service NAME [--url], service list, tunnel, ip, status (the laptop's OS,
          macOS or Linux, is chosen above the terminal; `uname` tells which)

Shell syntax: quotes, $VAR, $(cmd), ; && || | > >> 2>&1 &, for i in …; do …; done
Time is virtual: it passes with `sleep`, `kubectl wait`, `kubectl rollout status`, `timeout`.
";

/// What `help` adds where the terminal has helm.
const HELM_HELP: &str =
    "helm      create template install upgrade rollback uninstall list history status get lint test\n";

/// Runs one command (already expanded into arguments).
pub(crate) fn dispatch(
    term: &mut Terminal,
    cluster: &mut Cluster,
    argv: &[String],
    location: &Location,
    stdin: Option<&str>,
    background: bool,
) -> Ran {
    let args: Vec<&str> = argv.iter().map(String::as_str).collect();
    let in_pod = matches!(location, Location::Pod { .. });
    match args[0] {
        "kubectl" | "k" if !in_pod => kubectl::run(term, cluster, &args[1..], stdin, background),
        "minikube" if !in_pod => minikube(term, cluster, &args[1..]),
        #[cfg(any(not(target_arch = "wasm32"), feature = "helm"))]
        "helm" if !in_pod => super::helm::helm(term, cluster, &args[1..]),
        "echo" => echo(&args[1..]),
        "printf" => printf(&args[1..]),
        "cat" => cat(term, cluster, location, &args[1..], stdin),
        "ls" => ls(term, cluster, location, &args[1..]),
        "touch" => touch(term, cluster, location, &args[1..]),
        "rm" => rm(term, cluster, location, &args[1..]),
        "mkdir" => Ran::ok(Output::default()),
        "test" | "[" => test(term, cluster, location, &args),
        "hostname" => hostname(cluster, location, &args[1..]),
        "env" | "printenv" => Ran::out(
            environment(term, cluster, location).into_iter().map(|(k, v)| format!("{k}={v}\n")).collect::<String>(),
        ),
        "sleep" => sleep(term, cluster, &args[1..]),
        "date" => Ran::out(format!("{}\n", crate::core::time::unix_date(cluster.now()))),
        "curl" => curl(term, cluster, location, &args[1..]),
        "wget" => wget(term, cluster, location, &args[1..]),
        "nslookup" => nslookup(cluster, location, &args[1..]),
        "grep" => grep(&args[1..], stdin),
        "head" | "tail" => head_tail(args[0], &args[1..], stdin),
        "wc" => wc(&args[1..], stdin),
        "true" | ":" => Ran::ok(Output::default()),
        "false" => Ran { output: Output::default(), status: 1 },
        "pwd" => Ran::out("/\n"),
        "uname" if !in_pod => match term.host.uname(&args[1..]) {
            Ok(text) => Ran::out(text),
            Err(message) => Ran::fail(message, 1),
        },
        "whoami" => Ran::out(if in_pod { "root\n" } else { "learner\n" }),
        "export" => {
            for arg in &args[1..] {
                if let Some((name, value)) = arg.split_once('=') {
                    term.vars.insert(name.to_string(), value.to_string());
                }
            }
            Ran::ok(Output::default())
        }
        "clear" => Ran::ok(Output { clear: true, ..Default::default() }),
        "help" if super::HELM => Ran::out(format!("{HELP}{HELM_HELP}{HELP_TAIL}")),
        "help" => Ran::out(format!("{HELP}{HELP_TAIL}")),
        "exit" | "logout" => exit(term, cluster, &args[1..]),
        "timeout" => timeout(term, cluster, location, &args[1..], stdin),
        "sh" | "bash" | "/bin/sh" | "/bin/bash" => sh(term, cluster, location, &args, stdin),
        // An exec probe's program the playground does not simulate: assumed healthy.
        _ if term.probe.is_some() => Ran::ok(Output::default()),
        name => {
            let message = match location {
                Location::Host => format!("bash: {name}: command not found\n"),
                Location::Pod { .. } => format!("sh: {name}: not found\n"),
            };
            Ran::fail(message, 127)
        }
    }
}

/// Whether the container runs busybox (its tools print busybox-style messages).
fn busybox(cluster: &Cluster, location: &Location) -> bool {
    match location {
        Location::Host => false,
        Location::Pod { pod, container } => cluster
            .store()
            .pods
            .get(pod)
            .and_then(|p| p.spec.containers.iter().find(|c| &c.name == container))
            .is_some_and(|c| workload::image_traits(&c.image).program == Program::Shell),
    }
}

fn hostname(cluster: &Cluster, location: &Location, args: &[&str]) -> Ran {
    let Location::Pod { pod, .. } = location else { return Ran::out("learner-laptop\n") };
    let Some(pod) = cluster.store().pods.get(pod) else { return Ran::fail("hostname: pod is gone\n", 1) };
    let name = pod.spec.hostname.clone().unwrap_or_else(|| pod.name().to_string());
    match args.first() {
        Some(&"-f") => Ran::out(match pod.spec.subdomain.as_deref().filter(|s| !s.is_empty()) {
            Some(subdomain) => format!("{name}.{subdomain}.{}.svc.{}\n", pod.metadata.namespace(), dns::CLUSTER_DOMAIN),
            None => format!("{name}\n"),
        }),
        Some(&"-i") => Ran::out(format!("{}\n", pod.status.pod_ip.clone().unwrap_or_default())),
        _ => Ran::out(format!("{name}\n")),
    }
}

/// The environment of a container: the kubelet's variables, then the container's own.
pub(crate) fn pod_environment(cluster: &Cluster, pod: &str, container: &str) -> Vec<(String, String)> {
    let mut env = vec![
        ("PATH".to_string(), "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string()),
        ("HOSTNAME".to_string(), pod.to_string()),
    ];
    if let Some(pod) = cluster.store().pods.get(pod) {
        if let Some(spec) = pod.spec.containers.iter().find(|c| c.name == container) {
            env.extend(crate::core::node::env::resolve(&cluster.store(), pod, spec).unwrap_or_default());
        }
    }
    env.extend(
        [
            ("KUBERNETES_SERVICE_HOST", "10.96.0.1"),
            ("KUBERNETES_SERVICE_PORT", "443"),
            ("KUBERNETES_SERVICE_PORT_HTTPS", "443"),
            ("KUBERNETES_PORT", "tcp://10.96.0.1:443"),
            ("HOME", "/root"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string())),
    );
    env
}

fn environment(term: &Terminal, cluster: &Cluster, location: &Location) -> Vec<(String, String)> {
    match location {
        Location::Host => term.vars.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        Location::Pod { pod, container } => pod_environment(cluster, pod, container),
    }
}

fn sleep(term: &mut Terminal, cluster: &mut Cluster, args: &[&str]) -> Ran {
    let Some(millis) = args.first().and_then(|a| parse_decimal(a.trim_end_matches('s'), SECOND)) else {
        return Ran::fail(format!("sleep: invalid number '{}'\n", args.first().unwrap_or(&"")), 1);
    };
    if let Some(slept) = term.probe.as_mut() {
        *slept = slept.saturating_add(millis);
        return Ran::ok(Output::default());
    }
    // A day at most: the clock must not run away on a typo.
    cluster.advance(millis.min(86_400 * SECOND));
    Ran::ok(Output::default())
}

fn exit(term: &mut Terminal, cluster: &mut Cluster, args: &[&str]) -> Ran {
    if let Some(status) = args.first().and_then(|a| a.parse().ok()) {
        return Ran { output: Output::default(), status };
    }
    match term.inside.take() {
        Some(shell) => {
            let mut output = Output::default();
            if shell.remove_on_exit {
                output.out(format!(
                    "Session ended, resume using 'kubectl attach {} -c {} -i -t' command when the pod is running\n",
                    shell.pod, shell.container
                ));
                cluster.delete_pod(&shell.pod, Some(0));
                output.out(format!("pod \"{}\" deleted\n", shell.pod));
            }
            Ran::ok(output)
        }
        None => Ran::ok(Output::default()),
    }
}

/// `timeout N CMD…`: runs CMD for at most N virtual seconds (ends a `-w` watch then).
fn timeout(term: &mut Terminal, cluster: &mut Cluster, location: &Location, args: &[&str], stdin: Option<&str>) -> Ran {
    let Some(limit) = args.first().and_then(|a| parse_decimal(a.trim_end_matches('s'), SECOND)) else {
        return Ran::fail(
            format!(
                "timeout: invalid time interval '{}'\nTry 'timeout --help' for more information.\n",
                args.first().unwrap_or(&"")
            ),
            125,
        );
    };
    if args.len() < 2 {
        return Ran::fail("timeout: missing operand\nTry 'timeout --help' for more information.\n", 125);
    }
    let deadline = cluster.now() + limit.min(86_400 * SECOND);
    let argv: Vec<String> = args[1..].iter().map(|s| s.to_string()).collect();
    if term.probe.is_some() {
        return dispatch(term, cluster, &argv, location, stdin, false);
    }
    if argv[0] == "sleep" {
        // A sleep longer than the limit is cut short: exit status 124.
        let wanted = args.get(2).and_then(|a| parse_decimal(a.trim_end_matches('s'), SECOND)).unwrap_or(0);
        cluster.run_until(deadline.min(cluster.now() + wanted));
        return Ran {
            output: Output::default(),
            status: if cluster.now() >= deadline && wanted > limit { 124 } else { 0 },
        };
    }
    let mut ran = dispatch(term, cluster, &argv, location, stdin, false);
    // A watch started by the command streams until the deadline.
    if let Some(mut watch) = term.watch.take() {
        while let Some(next) = cluster.next_event_time().filter(|t| *t <= deadline) {
            cluster.run_until(next);
            ran.output.out(watch.poll(cluster));
        }
        cluster.run_until(deadline);
        ran.output.out(watch.poll(cluster));
        ran.status = 124;
    }
    ran
}

/// `sh -c 'script'` (or an interactive sh without -c, which does nothing without a terminal).
fn sh(term: &mut Terminal, cluster: &mut Cluster, location: &Location, args: &[&str], stdin: Option<&str>) -> Ran {
    match args.iter().position(|a| *a == "-c") {
        Some(i) => {
            let Some(script) = args.get(i + 1) else {
                return Ran::fail(format!("{}: -c: option requires an argument\n", args[0]), 2);
            };
            match shell::parse(script) {
                Ok(list) => term.run_list(cluster, &list, location, stdin),
                Err(message) => Ran::fail(format!("{message}\n"), 2),
            }
        }
        None => match stdin {
            Some(script) => match shell::parse(script) {
                Ok(list) => term.run_list(cluster, &list, location, None),
                Err(message) => Ran::fail(format!("{message}\n"), 2),
            },
            None => Ran::ok(Output::default()),
        },
    }
}
