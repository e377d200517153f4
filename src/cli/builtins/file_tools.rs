//! Files as the shell sees them: cat, ls, touch, rm, test/[ (on the learner's machine
//! or in a container's filesystem).

use super::super::{absolute, Location, Output, Ran, Terminal};
use super::*;
use crate::core::cluster::Cluster;
use crate::core::node::files;

pub(super) fn cat(term: &Terminal, cluster: &Cluster, location: &Location, args: &[&str], stdin: Option<&str>) -> Ran {
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

pub(super) fn ls(term: &Terminal, cluster: &Cluster, location: &Location, args: &[&str]) -> Ran {
    let Location::Pod { pod, container } = location else {
        return host_ls(term, args);
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
pub(super) fn touch(term: &mut Terminal, cluster: &mut Cluster, location: &Location, args: &[&str]) -> Ran {
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
pub(super) fn rm(term: &mut Terminal, cluster: &mut Cluster, location: &Location, args: &[&str]) -> Ran {
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
pub(super) fn is_directory(cluster: &Cluster, location: &Location, path: &str) -> bool {
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
pub(super) fn test(term: &Terminal, cluster: &Cluster, location: &Location, args: &[&str]) -> Ran {
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

/// `ls` on the learner's machine: the editor's manifest.yaml and the files the
/// terminal wrote (a chart from `helm create`), a directory's entries on one line
/// as ls prints them to a terminal, hidden files left out.
fn host_ls(term: &Terminal, args: &[&str]) -> Ran {
    let mut files = term.host_file_names();
    if !files.iter().any(|f| f == "manifest.yaml") {
        files.push("manifest.yaml".into());
    }
    let paths: Vec<String> = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .map(|a| a.trim_start_matches("./").trim_end_matches('/').to_string())
        .collect();
    let listing = |directory: &str| -> Option<Vec<String>> {
        let prefix = if directory.is_empty() || directory == "." { String::new() } else { format!("{directory}/") };
        let mut entries: Vec<String> = files
            .iter()
            .filter_map(|f| f.strip_prefix(&prefix))
            .filter_map(|rest| rest.split('/').next())
            .filter(|name| !name.is_empty() && !name.starts_with('.'))
            .map(str::to_string)
            .collect();
        entries.sort();
        entries.dedup();
        (!entries.is_empty()).then_some(entries)
    };
    let mut output = Output::default();
    let mut status = 0;
    let targets = if paths.is_empty() { vec![String::new()] } else { paths };
    let several = targets.len() > 1;
    for (index, path) in targets.iter().enumerate() {
        if files.contains(path) {
            output.out(format!("{path}\n"));
            continue;
        }
        match listing(path) {
            Some(entries) => {
                if several {
                    output.out(format!("{}{path}:\n", if index > 0 { "\n" } else { "" }));
                }
                output.out(format!("{}\n", entries.join("  ")));
            }
            None => {
                status = 2;
                output.err(format!("ls: cannot access '{path}': No such file or directory\n"));
            }
        }
    }
    Ran { output, status }
}
