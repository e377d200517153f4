//! The verbs that work with a pod's containers: `exec`, `logs`, `run`, `port-forward`.

use crate::core::api::yaml::Value;

use super::super::{builtins, render, Location, Output, PodShell, PortForward, Ran, Terminal, Watch};
use super::*;
use crate::core::api::*;
use crate::core::cluster::Cluster;
use crate::core::node::workload::{self, Program};
use crate::core::node::{Exec, ExecStream};
use crate::core::time::MINUTE;

/// The container a command targets: `-c NAME`, else the first (with kubectl's notice when there are several).
pub(super) fn container_of(pod: &Pod, wanted: Option<&str>, output: &mut Output) -> Result<String, String> {
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

pub(super) fn pod_name(text: &str) -> &str {
    text.strip_prefix("pod/")
        .or_else(|| text.strip_prefix("pods/"))
        .or_else(|| text.strip_prefix("po/"))
        .unwrap_or(text)
}

/// The pod `deployment/NAME`, `rs/NAME` or `sts/NAME` stands for (`GetFirstPod`): of the
/// pods its selector matches, one on a node, running, ready, oldest first. With
/// `count`, kubectl's "Found N pods" notice when there are several (logs prints it).
fn first_pod_of(cluster: &Cluster, kind: Kind, name: &str, output: &mut Output, count: bool) -> Result<Pod, Ran> {
    let store = cluster.store();
    let selector = match kind {
        Kind::Deployment => store.deployments.get(name).map(|d| d.spec.selector.clone()),
        Kind::ReplicaSet => store.replica_sets.get(name).map(|r| r.spec.selector.clone()),
        _ => store.stateful_sets.get(name).map(|s| s.spec.selector.clone()),
    };
    let Some(selector) = selector else { return Err(Ran::fail(not_found(kind, name), 1)) };
    let selector = selector.unwrap_or_default();
    let mut pods: Vec<&Pod> = store.pods.values().filter(|p| selector.matches(&p.metadata.labels)).collect();
    pods.sort_by_key(|p| {
        (
            p.spec.node_name.is_none(),
            p.status.phase != "Running",
            !p.condition("Ready"),
            p.metadata.creation_timestamp.unwrap_or(u64::MAX),
            p.metadata.name.clone(),
        )
    });
    let Some(first) = pods.first() else {
        return Err(Ran::fail("error: timed out waiting for the condition\n", 1));
    };
    if count && pods.len() > 1 {
        output.err(format!("Found {} pods, using pod/{}\n", pods.len(), first.name()));
    }
    Ok((*first).clone())
}

/// The pod named by the first argument and the container chosen with `-c` (exec, logs).
/// The output may already hold kubectl's "Defaulted container" notice.
pub(super) fn target_container(cluster: &Cluster, args: &Args, usage: &str) -> Result<(Pod, String, Output), Ran> {
    let Some(target) = args.positional.first() else { return Err(Ran::fail(usage, 1)) };
    let mut output = Output::default();
    let workload = target
        .split_once('/')
        .and_then(|(kind, name)| Kind::parse(kind).map(|k| (k, name)))
        .filter(|(kind, _)| matches!(kind, Kind::Deployment | Kind::ReplicaSet | Kind::StatefulSet));
    let pod = match workload {
        Some((kind, name)) => first_pod_of(cluster, kind, name, &mut output, usage.contains("logs"))?,
        None => {
            let name = pod_name(target);
            let Some(pod) = cluster.store().pods.get(name).cloned() else {
                return Err(Ran::fail(not_found(Kind::Pod, name), 1));
            };
            pod
        }
    };
    match container_of(&pod, args.value(&["-c", "--container"]), &mut output) {
        Ok(container) => Ok((pod, container, output)),
        Err(message) => Err(Ran::fail(format!("{message}\n"), 1)),
    }
}

pub(super) fn exec(term: &mut Terminal, cluster: &mut Cluster, args: &Args, stdin: Option<&str>) -> Ran {
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
    // Through the container runtime, as exec probes run (kubectl → API server → kubelet → CRI).
    let exec = Exec { pod: &name, container: &container, command: &argv, stdin, probe: false };
    let ran = cluster.exec(exec);
    for (stream, text) in ran.output {
        match stream {
            ExecStream::Stdout => output.out(text),
            ExecStream::Stderr => output.err(text),
        }
    }
    if ran.status != 0 {
        output.err(format!("command terminated with exit code {}\n", ran.status));
    }
    Ran { output, status: ran.status }
}

pub(super) fn logs(term: &mut Terminal, cluster: &mut Cluster, args: &Args) -> Ran {
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

pub(super) fn run_pod(term: &mut Terminal, cluster: &mut Cluster, args: &Args) -> Ran {
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
        let ran = builtins::dispatch(term, cluster, &command, &location, None, false);
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

pub(super) fn port_forward(term: &mut Terminal, cluster: &mut Cluster, args: &Args, background: bool) -> Ran {
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
        Some(kind @ (Kind::Deployment | Kind::ReplicaSet)) => {
            first_pod_of(cluster, kind, &name, &mut Output::default(), false).ok().map(|p| p.metadata.name)
        }
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
