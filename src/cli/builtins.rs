//! Commands other than kubectl: the shell builtins and the small tools found in
//! container images (busybox/coreutils style), plus curl, wget and nslookup.

use super::{absolute, kubectl, shell, Location, Output, Ran, Terminal};
use crate::core::cluster::{Client, Cluster, RequestError, KUBE_DNS_IP};
use crate::core::network::dns;
use crate::core::node::files;
use crate::core::node::workload::{self, Program};
use crate::core::time::{parse_decimal, SECOND};

/// What `help` prints.
const HELP: &str = "\
StatefulSet Playground terminal: a simulated minikube cluster (Kubernetes v1.32).

kubectl   apply create delete get describe exec logs scale patch set image rollout
          wait label annotate run port-forward version cluster-info
shell     echo printf cat ls touch rm mkdir test [ hostname env printenv sleep date
          curl wget nslookup grep head tail wc sh -c timeout true false export clear
          help exit
minikube  minikube service NAME --url

Shell syntax: quotes, $VAR, $(cmd), ; && || | > >> 2>&1 &, for i in …; do …; done
Time is virtual: it passes with `sleep`, `kubectl wait`, `kubectl rollout status`, `timeout`.
";

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
        "minikube" if !in_pod => minikube(cluster, &args[1..]),
        "echo" => echo(&args[1..]),
        "printf" => printf(&args[1..]),
        "cat" => cat(term, cluster, location, &args[1..], stdin),
        "ls" => ls(cluster, location, &args[1..]),
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
        "help" => Ran::out(HELP),
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

fn echo(args: &[&str]) -> Ran {
    let (newline, words) = match args.first() {
        Some(&"-n") => (false, &args[1..]),
        _ => (true, args),
    };
    Ran::out(format!("{}{}", words.join(" "), if newline { "\n" } else { "" }))
}

/// `printf FORMAT [ARG…]`: `%s`, `%d`, `%%` and the `\n \t \\` escapes; the format is
/// reused while arguments remain, as the shell's printf does.
fn printf(args: &[&str]) -> Ran {
    let Some((format, mut rest)) = args.split_first() else {
        return Ran::fail("printf: usage: printf format [arguments]\n", 2);
    };
    let mut out = String::new();
    loop {
        let mut used = 0;
        let mut chars = format.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, chars.peek().copied()) {
                ('\\', Some(e)) => {
                    chars.next();
                    out.push(match e {
                        'n' => '\n',
                        't' => '\t',
                        other => other,
                    });
                }
                ('%', Some('%')) => {
                    chars.next();
                    out.push('%');
                }
                ('%', Some('s' | 'd')) => {
                    chars.next();
                    out.push_str(rest.get(used).copied().unwrap_or(""));
                    used += 1;
                }
                (c, _) => out.push(c),
            }
        }
        if used == 0 || used >= rest.len() {
            break;
        }
        rest = &rest[used..];
    }
    Ran::out(out)
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

fn cat(term: &Terminal, cluster: &Cluster, location: &Location, args: &[&str], stdin: Option<&str>) -> Ran {
    if args.is_empty() || args == ["-"] {
        return Ran::out(stdin.unwrap_or_default());
    }
    let mut output = Output::default();
    let mut status = 0;
    for path in args {
        let content = match location {
            Location::Host => term.read_host_file(path),
            Location::Pod { pod, container } => cluster.read_file(pod, Some(container), &absolute(path)),
        };
        match content {
            Some(text) => output.out(text),
            None => {
                status = 1;
                output.err(if busybox(cluster, location) {
                    format!("cat: can't open '{path}': No such file or directory\n")
                } else {
                    format!("cat: {path}: No such file or directory\n")
                });
            }
        }
    }
    Ran { output, status }
}

fn ls(cluster: &Cluster, location: &Location, args: &[&str]) -> Ran {
    let Location::Pod { pod, container } = location else {
        return Ran::out("manifest.yaml\n");
    };
    let paths: Vec<&str> = args.iter().copied().filter(|a| !a.starts_with('-')).collect();
    let paths = if paths.is_empty() { vec!["/"] } else { paths };
    let Some(pod_object) = cluster.store().pods.get(pod) else { return Ran::fail("ls: pod is gone\n", 1) };
    let Some(spec) = pod_object.spec.containers.iter().find(|c| &c.name == container) else {
        return Ran::fail("ls: no container\n", 1);
    };
    let mut output = Output::default();
    let mut status = 0;
    for path in paths {
        let path = files::normalize(&absolute(path));
        let at = files::resolve(&cluster.store(), pod_object, spec, &path);
        if cluster.files().read(&cluster.store(), &at).is_some() {
            output.out(format!("{path}\n"));
            continue;
        }
        let mut entries: Vec<String> =
            cluster.files().list(&at).into_iter().map(|e| e.trim_end_matches('/').to_string()).collect();
        // Mount points under this directory show as directories.
        for mount in &spec.volume_mounts {
            let mount_path = files::normalize(&mount.mount_path);
            let parent = if path == "/" { "/".to_string() } else { format!("{path}/") };
            if let Some(rest) = mount_path.strip_prefix(&parent) {
                if let Some(first) = rest.split('/').next().filter(|f| !f.is_empty()) {
                    entries.push(first.to_string());
                }
            }
        }
        if path == "/" {
            entries.extend(["bin", "dev", "etc", "home", "proc", "root", "sys", "tmp", "usr", "var"].map(String::from));
        }
        let is_mount = spec.volume_mounts.iter().any(|m| files::normalize(&m.mount_path) == path);
        entries.sort();
        entries.dedup();
        if entries.is_empty() && !is_mount && !["/tmp", "/etc", "/root", "/home", "/var"].contains(&path.as_str()) {
            status = 1;
            output.err(if busybox(cluster, location) {
                format!("ls: {path}: No such file or directory\n")
            } else {
                format!("ls: cannot access '{path}': No such file or directory\n")
            });
            continue;
        }
        if !entries.is_empty() {
            output.out(format!("{}\n", entries.join("\n")));
        }
    }
    Ran { output, status }
}

/// `touch FILE…`: creates missing files empty, leaves others as they are.
fn touch(term: &mut Terminal, cluster: &mut Cluster, location: &Location, args: &[&str]) -> Ran {
    let mut ran = Ran::ok(Output::default());
    for path in args.iter().filter(|a| !a.starts_with('-')) {
        if let Err(message) = term.write_file(cluster, location, path, String::new(), true) {
            ran.status = 1;
            ran.output.err(if busybox(cluster, location) {
                format!("touch: {path}: {message}\n")
            } else {
                format!("touch: cannot touch '{path}': {message}\n")
            });
        }
    }
    ran
}

/// `rm [-f] FILE…`.
fn rm(term: &mut Terminal, cluster: &mut Cluster, location: &Location, args: &[&str]) -> Ran {
    let force = args.iter().any(|a| a.starts_with('-') && a.contains('f'));
    let mut ran = Ran::ok(Output::default());
    for path in args.iter().filter(|a| !a.starts_with('-')) {
        let removed = match location {
            Location::Host => Ok(term.host_files.remove(path.trim_start_matches("./")).is_some()),
            Location::Pod { pod, container } => cluster.remove_file(pod, Some(container), &absolute(path)),
        };
        let problem = match removed {
            Ok(false) if !force => "No such file or directory".to_string(),
            Err(message) => message,
            Ok(_) => continue,
        };
        ran.status = 1;
        ran.output.err(if busybox(cluster, location) {
            format!("rm: can't remove '{path}': {problem}\n")
        } else {
            format!("rm: cannot remove '{path}': {problem}\n")
        });
    }
    ran
}

/// Whether `path` is a directory in the container: a well-known one, a mount point or
/// a folder on the way to one, or a folder holding files.
fn is_directory(cluster: &Cluster, location: &Location, path: &str) -> bool {
    let Location::Pod { pod, container } = location else { return path == "." || path == "/" };
    let path = files::normalize(&absolute(path));
    if ["/", "/bin", "/dev", "/etc", "/home", "/proc", "/root", "/sys", "/tmp", "/usr", "/var"].contains(&path.as_str())
    {
        return true;
    }
    let Some(pod) = cluster.store().pods.get(pod) else { return false };
    let Some(spec) = pod.spec.containers.iter().find(|c| &c.name == container) else { return false };
    let under = format!("{path}/");
    spec.volume_mounts.iter().any(|m| {
        let mount = files::normalize(&m.mount_path);
        mount == path || mount.starts_with(&under)
    }) || !cluster.files().list(&files::resolve(&cluster.store(), pod, spec, &path)).is_empty()
}

/// `test EXPR` and `[ EXPR ]`: files (-e -f -s -d -r -w -x), strings (-n -z = !=),
/// integers (-eq -ne -lt -le -gt -ge), one `!`.
fn test(term: &Terminal, cluster: &Cluster, location: &Location, args: &[&str]) -> Ran {
    let mut expr = &args[1..];
    if args[0] == "[" {
        match expr.split_last() {
            Some((&"]", rest)) => expr = rest,
            _ => return Ran::fail("sh: missing ]\n", 2),
        }
    }
    let negate = expr.first() == Some(&"!");
    if negate {
        expr = &expr[1..];
    }
    let file = |path: &str| match location {
        Location::Host => term.read_host_file(path),
        Location::Pod { pod, container } => cluster.read_file(pod, Some(container), &absolute(path)),
    };
    let number = |text: &str| text.trim().parse::<i64>().map_err(|_| format!("sh: {text}: bad number\n"));
    let result: Result<bool, String> = match expr {
        [] => Ok(false),
        [text] => Ok(!text.is_empty()),
        ["-n", text] => Ok(!text.is_empty()),
        ["-z", text] => Ok(text.is_empty()),
        ["-f" | "-r" | "-w" | "-x", path] => Ok(file(path).is_some()),
        ["-s", path] => Ok(file(path).is_some_and(|c| !c.is_empty())),
        ["-d", path] => Ok(is_directory(cluster, location, path)),
        ["-e", path] => Ok(file(path).is_some() || is_directory(cluster, location, path)),
        [a, "=" | "==", b] => Ok(a == b),
        [a, "!=", b] => Ok(a != b),
        [a, op @ ("-eq" | "-ne" | "-lt" | "-le" | "-gt" | "-ge"), b] => number(a).and_then(|a| {
            let b = number(b)?;
            Ok(match *op {
                "-eq" => a == b,
                "-ne" => a != b,
                "-lt" => a < b,
                "-le" => a <= b,
                "-gt" => a > b,
                _ => a >= b,
            })
        }),
        [first, ..] => Err(format!("sh: {first}: unknown operand\n")),
    };
    match result {
        Ok(true) if !negate => Ran::ok(Output::default()),
        Ok(false) if negate => Ran::ok(Output::default()),
        Ok(_) => Ran { output: Output::default(), status: 1 },
        Err(message) => Ran::fail(message, 2),
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

/// `scheme://host:port/path` → (host, port, path).
fn parse_url(url: &str) -> Option<(String, i64, String)> {
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
fn fetch(
    term: &Terminal,
    cluster: &mut Cluster,
    location: &Location,
    url: &str,
) -> Result<crate::core::node::apps::HttpResponse, (i32, String)> {
    let (host, port, path) = parse_url(url).ok_or((3, format!("URL rejected: Bad hostname or port: {url}")))?;
    match location {
        Location::Host => {
            if host == "localhost" || host == "127.0.0.1" {
                let forward = term.port_forwards.iter().find(|f| f.local_port == port).ok_or_else(|| {
                    (7, format!("Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server"))
                })?;
                let ip =
                    cluster.store().pods.get(&forward.pod).and_then(|p| p.status.pod_ip.clone()).unwrap_or_default();
                return cluster
                    .http_get(&ip, forward.remote_port, &path, &Client::Host)
                    .map_err(|_| (52, "Empty reply from server".to_string()));
            }
            if host == "192.168.49.2" {
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
                    .http_get(&ip, service_port, &path, &Client::Host)
                    .map_err(|e| request_error(e, &host, port));
            }
            if host.parse::<std::net::Ipv4Addr>().is_ok() {
                // Pod and Service IPs are not routable from the learner's machine (docker driver).
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
            cluster.http_get(&target, port, &path, &Client::Pod(pod.clone())).map_err(|e| request_error(e, &host, port))
        }
    }
}

fn request_error(error: RequestError, host: &str, port: i64) -> (i32, String) {
    match error {
        RequestError::CouldNotResolve(name, _) => (6, format!("Could not resolve host: {name}")),
        RequestError::ConnectionRefused { .. } => {
            (7, format!("Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server"))
        }
    }
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        403 => "Forbidden",
        404 => "Not Found",
        _ => "",
    }
}

fn curl(term: &Terminal, cluster: &mut Cluster, location: &Location, args: &[&str]) -> Ran {
    let mut silent = false;
    let mut show_errors = false;
    let mut include = false;
    let mut url = None;
    for arg in args {
        match *arg {
            "-s" | "--silent" => silent = true,
            "-S" | "--show-error" => show_errors = true,
            "-sS" | "-Ss" => {
                silent = true;
                show_errors = true;
            }
            "-i" | "--include" => include = true,
            "-si" | "-is" => {
                silent = true;
                include = true;
            }
            "-v" | "-L" | "-f" | "--fail" | "-k" => {}
            flag if flag.starts_with('-') => return Ran::fail(format!("curl: option {flag}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n"), 2),
            value => url = Some(value),
        }
    }
    let Some(url) = url else {
        return Ran::fail("curl: try 'curl --help' or 'curl --manual' for more information\n", 2);
    };
    match fetch(term, cluster, location, url) {
        Ok(response) => {
            let mut text = String::new();
            if include {
                text.push_str(&format!(
                    "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nDate: {}\r\nContent-Length: {}\r\n\r\n",
                    response.status,
                    reason_phrase(response.status),
                    response.content_type,
                    super::render::rfc1123z(cluster.now()).replace("+0000", "GMT"),
                    response.body.len()
                ));
            }
            text.push_str(&response.body);
            Ran::out(text)
        }
        Err((code, message)) => {
            let mut output = Output::default();
            if !silent || show_errors {
                output.err(format!("curl: ({code}) {message}\n"));
            }
            Ran { output, status: code }
        }
    }
}

fn wget(term: &Terminal, cluster: &mut Cluster, location: &Location, args: &[&str]) -> Ran {
    let url = args.iter().find(|a| !a.starts_with('-'));
    let to_stdout = args.iter().any(|a| a.contains("O-") || *a == "-O-" || *a == "-qO-");
    let Some(url) = url else {
        return Ran::fail("BusyBox v1.36.1 multi-call binary.\n\nUsage: wget [-cqS] [-O FILE] URL\n", 1);
    };
    match fetch(term, cluster, location, url) {
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
fn nslookup(cluster: &Cluster, location: &Location, args: &[&str]) -> Ran {
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

fn lines_of<'a>(args: &[&'a str], stdin: Option<&'a str>) -> Vec<&'a str> {
    let _ = args;
    stdin.unwrap_or_default().lines().collect()
}

/// grep with fixed strings (-v, -i, -c, -E accepted): enough for filtering kubectl output.
fn grep(args: &[&str], stdin: Option<&str>) -> Ran {
    let mut invert = false;
    let mut ignore_case = false;
    let mut count = false;
    let mut pattern = None;
    for arg in args {
        match *arg {
            "-v" => invert = true,
            "-i" => ignore_case = true,
            "-c" => count = true,
            "-E" | "-F" | "-w" => {}
            "-vi" | "-iv" => {
                invert = true;
                ignore_case = true;
            }
            value if pattern.is_none() => pattern = Some(value),
            _ => {}
        }
    }
    let Some(pattern) = pattern else { return Ran::fail("Usage: grep [OPTION]... PATTERNS [FILE]...\n", 2) };
    let alternatives: Vec<String> = pattern
        .split("\\|")
        .chain(if args.contains(&"-E") { pattern.split('|').collect::<Vec<_>>() } else { vec![] })
        .map(|p| if ignore_case { p.to_ascii_lowercase() } else { p.to_string() })
        .collect();
    let matched: Vec<&str> = lines_of(args, stdin)
        .into_iter()
        .filter(|line| {
            let line = if ignore_case { line.to_ascii_lowercase() } else { line.to_string() };
            alternatives.iter().any(|p| line.contains(p.as_str())) != invert
        })
        .collect();
    let status = if matched.is_empty() { 1 } else { 0 };
    let text = if count { format!("{}\n", matched.len()) } else { matched.iter().map(|l| format!("{l}\n")).collect() };
    Ran { status, ..Ran::out(text) }
}

fn head_tail(which: &str, args: &[&str], stdin: Option<&str>) -> Ran {
    let mut n = 10usize;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if *arg == "-n" {
            n = iter.next().and_then(|v| v.parse().ok()).unwrap_or(10);
        } else if let Some(number) = arg.strip_prefix('-').and_then(|v| v.parse().ok()) {
            n = number;
        }
    }
    let lines = lines_of(args, stdin);
    let picked: Vec<&str> = if which == "head" {
        lines.iter().take(n).copied().collect()
    } else {
        lines.iter().skip(lines.len().saturating_sub(n)).copied().collect()
    };
    Ran::out(picked.iter().map(|l| format!("{l}\n")).collect::<String>())
}

fn wc(args: &[&str], stdin: Option<&str>) -> Ran {
    let text = stdin.unwrap_or_default();
    match args.first() {
        Some(&"-l") => Ran::out(format!("{}\n", text.matches('\n').count())),
        Some(&"-w") => Ran::out(format!("{}\n", text.split_whitespace().count())),
        Some(&"-c") => Ran::out(format!("{}\n", text.len())),
        _ => Ran::out(format!(
            "{:>7} {:>7} {:>7}\n",
            text.matches('\n').count(),
            text.split_whitespace().count(),
            text.len()
        )),
    }
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

/// `minikube service NAME --url`.
fn minikube(cluster: &Cluster, args: &[&str]) -> Ran {
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
