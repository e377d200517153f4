//! `helm`, the chart tool of the lab's Task 2, as Helm v3.21 prints it: `create`,
//! `template`, `install` (with `--dry-run` and `--debug`), `upgrade [--install]`,
//! `rollback`, `uninstall`, `list`, `history`, `status`, `get`, `lint` and `test`.
//! Charts are files on the learner's machine (the terminal's files); releases are
//! Secrets in the cluster ([`release`]); templates run on [`template`].

mod chart;
mod release;
pub mod template;

use std::collections::BTreeSet;

use super::{kubectl, Ran, Terminal};
use crate::core::api::yaml::{Mapping, Value};
use crate::core::cluster::Cluster;
use crate::core::time::{go_time_string, SECOND};
use chart::{Chart, Manifest, ReleaseInfo};
use release::{Printer, Release};

/// Flags that take a value.
const VALUED: &[&str] = &[
    "-f",
    "--values",
    "--set",
    "--set-string",
    "-n",
    "--namespace",
    "--max",
    "-s",
    "--show-only",
    "--timeout",
    "--version",
    "-o",
    "--output",
    "--revision",
    "--description",
    "--kube-version",
    "--time-format",
];
/// Flags on their own.
const SWITCHES: &[&str] = &[
    "--dry-run",
    "--debug",
    "--install",
    "-i",
    "--keep-history",
    "--no-hooks",
    "--skip-tests",
    "--wait",
    "--atomic",
    "--create-namespace",
    "--generate-name",
    "-g",
    "-a",
    "--all",
    "-q",
    "--short",
    "--reuse-values",
    "--reset-values",
    "--logs",
    "--no-headers",
    "--strict",
    "--force",
    "--cleanup-on-fail",
    "--wait-for-jobs",
    "--include-crds",
    "--hide-notes",
    "--quiet",
];

/// A parsed command line: positional words and flags (in order, repeats kept).
struct Args<'a> {
    positional: Vec<&'a str>,
    flags: Vec<(&'a str, &'a str)>,
}

impl<'a> Args<'a> {
    fn parse(words: &[&'a str]) -> Result<Args<'a>, String> {
        let mut args = Args { positional: Vec::new(), flags: Vec::new() };
        let mut words = words.iter();
        while let Some(&word) = words.next() {
            if !word.starts_with('-') || word == "-" {
                args.positional.push(word);
                continue;
            }
            let (flag, inline) = match word.split_once('=') {
                Some((flag, value)) => (flag, Some(value)),
                None => (word, None),
            };
            if VALUED.contains(&flag) {
                let value = match inline {
                    Some(value) => value,
                    None => *words.next().ok_or_else(|| format!("flag needs an argument: {flag}"))?,
                };
                args.flags.push((flag, value));
            } else if SWITCHES.contains(&flag) {
                args.flags.push((flag, inline.unwrap_or("true")));
            } else {
                return Err(format!("unknown flag: {flag}"));
            }
        }
        Ok(args)
    }
    fn has(&self, names: &[&str]) -> bool {
        self.flags.iter().any(|(f, v)| names.contains(f) && *v != "false")
    }
    fn value(&self, names: &[&str]) -> Option<&'a str> {
        self.flags.iter().rev().find(|(f, _)| names.contains(f)).map(|(_, v)| *v)
    }
    fn values(&self, names: &[&str]) -> Vec<&'a str> {
        self.flags.iter().filter(|(f, _)| names.contains(f)).map(|(_, v)| *v).collect()
    }
}

fn error(message: impl std::fmt::Display) -> Ran {
    Ran::fail(format!("Error: {message}\n"), 1)
}

/// `helm …`.
pub(crate) fn helm(term: &mut Terminal, cluster: &mut Cluster, words: &[&str]) -> Ran {
    let Some(&command) = words.first() else {
        return Ran::out("The Kubernetes package manager\n\nUsage:\n  helm [command]\n\nAvailable Commands:\n  create      create a new chart with the given name\n  get         download extended information of a named release\n  history     fetch release history\n  install     install a chart\n  lint        examine a chart for possible issues\n  list        list releases\n  rollback    roll back a release to a previous revision\n  status      display the status of the named release\n  template    locally render templates\n  test        run tests for a release\n  uninstall   uninstall a release\n  upgrade     upgrade a release\n  version     print the client version information\n");
    };
    let args = match Args::parse(&words[1..]) {
        Ok(args) => args,
        Err(message) => return error(message),
    };
    if let Some(namespace) = args.value(&["-n", "--namespace"]).filter(|n| *n != "default") {
        if command != "create" && command != "template" && command != "lint" {
            return error(format!("create: failed to create: namespaces \"{namespace}\" not found"));
        }
    }
    match command {
        "version" => Ran::out("version.BuildInfo{Version:\"v3.21.4\", GitCommit:\"813176c51bb5c181dbbd7901298ddcc104cd3417\", GitTreeState:\"clean\", GoVersion:\"go1.26.0\"}\n"),
        "create" => create(term, &args),
        "template" => template(term, &args),
        "install" => install(term, cluster, &args),
        "upgrade" => upgrade(term, cluster, &args),
        "rollback" => rollback(term, cluster, &args),
        "uninstall" | "delete" | "del" | "un" => uninstall(term, cluster, &args),
        "list" | "ls" => list(cluster, &args),
        "history" | "hist" => history(cluster, &args),
        "status" => status(cluster, &args),
        "get" => get(cluster, &args),
        "lint" => lint(term, &args),
        "test" => test(term, cluster, &args),
        other => error(format!("unknown command \"{other}\" for \"helm\"\nRun 'helm --help' for usage.")),
    }
}

/// `"helm CMD" requires N argument(s)` as cobra's helpers word it.
fn needs(command: &str, count: usize, usage: &str) -> Ran {
    let plural = if count == 1 { "argument" } else { "arguments" };
    error(format!("\"helm {command}\" requires {count} {plural}\n\nUsage:  {usage} [flags]"))
}

// ---------------------------------------------------------------- create, lint, template

fn create(term: &mut Terminal, args: &Args) -> Ran {
    let [path] = args.positional[..] else {
        return needs("create", 1, "helm create NAME");
    };
    let mut output = format!("Creating {path}\n");
    let root = path.trim_start_matches("./").trim_end_matches('/');
    let name = root.rsplit('/').next().unwrap_or(root);
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')) {
        let mut ran = Ran::out(output);
        ran.output.err("Error: chart name must match the regular expression \"^[a-zA-Z0-9._-]+$\"\n");
        ran.status = 1;
        return ran;
    }
    for (file, text) in chart::STARTER {
        let full = format!("{root}/{file}");
        if term.read_host_file(&full).is_some() {
            output.push_str(&format!("WARNING: File \"/{full}\" already exists. Overwriting.\n"));
        }
        term.put_host_file(&full, text.replace("<CHARTNAME>", name));
    }
    Ran::out(output)
}

/// The chart at `path` on the terminal's machine.
fn load_chart(term: &Terminal, path: &str) -> Result<Chart, String> {
    let list = term.host_file_names();
    chart::load(&|file| term.read_host_file(file), &list, path)
}

/// The user's values: each `-f` file, then `--set`, then `--set-string`.
fn supplied_values(term: &Terminal, args: &Args) -> Result<Value, String> {
    let mut values = Mapping::new();
    for file in args.values(&["-f", "--values"]) {
        let text = term
            .read_host_file(file.trim_start_matches("./"))
            .ok_or_else(|| format!("open {file}: no such file or directory"))?;
        if let Value::Mapping(map) = chart::read_values(&text).map_err(|e| format!("failed to parse {file}: {e}"))? {
            for (key, value) in map {
                values.insert(key, value);
            }
        }
    }
    for (flag, expression) in &args.flags {
        match *flag {
            "--set" => chart::apply_set(&mut values, expression, false)?,
            "--set-string" => chart::apply_set(&mut values, expression, true)?,
            _ => {}
        }
    }
    Ok(Value::Mapping(values))
}

fn lint(term: &Terminal, args: &Args) -> Ran {
    let paths: Vec<&str> = if args.positional.is_empty() { vec!["."] } else { args.positional.clone() };
    let mut out = String::new();
    let mut failed = 0;
    for path in &paths {
        out.push_str(&format!("==> Linting {path}\n"));
        let result = load_chart(term, path).and_then(|chart| {
            let values = supplied_values(term, args)?;
            let computed = chart::coalesce(&chart, &values);
            chart::render(
                &chart,
                &computed,
                &ReleaseInfo { name: "test-release", namespace: "default", revision: 1, upgrade: false },
            )
            .map(|_| chart)
            .map_err(|e| format!("[ERROR] templates/: {e}"))
        });
        match result {
            Ok(chart) => {
                let has_icon = term
                    .read_host_file(&format!("{}/Chart.yaml", path.trim_start_matches("./").trim_end_matches('/')))
                    .is_some_and(|t| t.lines().any(|l| l.starts_with("icon:")));
                if !has_icon {
                    out.push_str("[INFO] Chart.yaml: icon is recommended\n");
                }
                let _ = chart;
            }
            Err(message) if message.starts_with("[ERROR]") => {
                failed += 1;
                out.push_str(&format!("{message}\n"));
            }
            Err(message) => {
                failed += 1;
                out.push_str(&format!("Error unable to check Chart.yaml file in chart: {message}\n"));
            }
        }
        out.push('\n');
    }
    let summary = format!("{} chart(s) linted, {failed} chart(s) failed", paths.len());
    if failed > 0 {
        let mut ran = Ran::out(out);
        ran.output.err(format!("Error: {summary}\n"));
        ran.status = 1;
        return ran;
    }
    Ran::out(format!("{out}{summary}\n"))
}

/// `helm template [NAME] CHART`.
fn template(term: &Terminal, args: &Args) -> Ran {
    let name = match args.positional[..] {
        [_chart] => "release-name",
        [name, _chart] => name,
        _ => {
            return error(
                "\"helm template\" requires at least 1 argument\n\nUsage:  helm template [NAME] [CHART] [flags]",
            )
        }
    };
    let namespace = args.value(&["-n", "--namespace"]).unwrap_or("default");
    let rendered = match render_chart(term, args, name, namespace, 1, false) {
        Ok((_, _, rendered)) => rendered,
        Err(message) => return error(message),
    };
    let mut out = format!("{}\n", chart::manifest_text(&rendered.manifests).trim());
    if !args.has(&["--no-hooks"]) {
        for hook in &rendered.hooks {
            if args.has(&["--skip-tests"]) && hook.hooks.iter().any(|h| h == "test" || h == "test-success") {
                continue;
            }
            out.push_str(&format!("---\n# Source: {}\n{}\n", hook.source, hook.text));
        }
    }
    let shown = args.values(&["-s", "--show-only"]);
    if !shown.is_empty() {
        let mut selected = String::new();
        for wanted in shown {
            let source = format!("{}/{}", rendered_chart_name(&rendered), wanted.trim_start_matches("./"));
            let found: Vec<&Manifest> =
                rendered.manifests.iter().chain(&rendered.hooks).filter(|m| m.source == source).collect();
            if found.is_empty() {
                return error(format!("could not find template {wanted} in chart"));
            }
            for manifest in found {
                selected.push_str(&format!("---\n# Source: {}\n{}\n", manifest.source, manifest.text));
            }
        }
        out = selected;
    }
    Ran::out(out)
}

fn rendered_chart_name(rendered: &chart::Rendered) -> String {
    rendered
        .manifests
        .iter()
        .chain(&rendered.hooks)
        .next()
        .and_then(|m| m.source.split('/').next())
        .unwrap_or_default()
        .to_string()
}

/// Loads the chart, computes the values and renders: (chart, user values, rendered).
fn render_chart(
    term: &Terminal,
    args: &Args,
    name: &str,
    namespace: &str,
    revision: i64,
    upgrade: bool,
) -> Result<(Chart, Value, chart::Rendered), String> {
    let path = args.positional.last().copied().unwrap_or(".");
    let chart = load_chart(term, path)?;
    let supplied = supplied_values(term, args)?;
    let computed = chart::coalesce(&chart, &supplied);
    let rendered = chart::render(&chart, &computed, &ReleaseInfo { name, namespace, revision, upgrade })?;
    Ok((chart, supplied, rendered))
}

// ---------------------------------------------------------------- install, upgrade, rollback

/// The release's objects, each with Helm's ownership marks (the managed-by label and
/// the release annotations), as one text for the API server.
fn owned_text(manifests: &[Manifest], release: &str, namespace: &str) -> String {
    let mut text = String::new();
    for manifest in manifests {
        let Ok(mut value) = crate::core::api::yaml::from_str(&manifest.text) else { continue };
        if let Some(Value::Mapping(metadata)) = value_mapping(&mut value, "metadata") {
            let mut labels = match metadata.get("labels") {
                Some(Value::Mapping(m)) => m.clone(),
                _ => Mapping::new(),
            };
            labels.insert("app.kubernetes.io/managed-by".into(), Value::from("Helm"));
            metadata.insert("labels".into(), Value::Mapping(labels));
            let mut annotations = match metadata.get("annotations") {
                Some(Value::Mapping(m)) => m.clone(),
                _ => Mapping::new(),
            };
            annotations.insert("meta.helm.sh/release-name".into(), Value::from(release));
            annotations.insert("meta.helm.sh/release-namespace".into(), Value::from(namespace));
            metadata.insert("annotations".into(), Value::Mapping(annotations));
        }
        text.push_str("---\n");
        text.push_str(&crate::cli::render::to_yaml(&value));
    }
    text
}

fn value_mapping<'v>(value: &'v mut Value, key: &str) -> Option<&'v mut Value> {
    match value {
        Value::Mapping(map) => map.get_mut(key),
        _ => None,
    }
}

/// Applies the release's objects; the API server's refusal, in Helm's words.
fn apply(cluster: &mut Cluster, manifests: &[Manifest], release: &str, namespace: &str) -> Result<(), String> {
    let text = owned_text(manifests, release, namespace);
    if text.is_empty() {
        return Ok(());
    }
    cluster.apply_text(&text).map(|_| ()).map_err(|e| {
        let message = e.message.trim_start_matches("error: ");
        let message = message.split("cannot be handled as a ").nth(1).map_or(message.to_string(), |rest| {
            rest.split_once(": ").map_or(rest.to_string(), |(_, why)| why.to_string())
        });
        message
            .trim_start_matches("Error from server (BadRequest): error when creating \"manifest.yaml\": ")
            .to_string()
    })
}

/// Deletes objects by (kind, name), in the order given, as `kubectl delete` would.
fn delete_objects(term: &mut Terminal, cluster: &mut Cluster, objects: &[(String, String)]) {
    for (kind, name) in objects {
        let kind = kind.to_ascii_lowercase();
        let _ = kubectl::run(term, cluster, &["delete", &kind, name, "--wait=false"], None, false);
    }
}

/// The (kind, name) of each object in a release's manifest text.
fn objects_of(manifest: &str) -> Vec<(String, String)> {
    manifest
        .split("\n---")
        .filter_map(|document| {
            let value = crate::core::api::yaml::from_str(document.trim_start_matches("---")).ok()?;
            let kind = value.get("kind")?.as_str()?.to_string();
            let name = value.get("metadata")?.get("name")?.as_str()?.to_string();
            Some((kind, name))
        })
        .collect()
}

/// Runs the hooks of `event` (pre-install, post-upgrade…) by weight: each is created,
/// after the one before it (`before-hook-creation`, the default policy) is deleted.
fn run_hooks(
    term: &mut Terminal,
    cluster: &mut Cluster,
    hooks: &[Manifest],
    event: &str,
    release: &str,
) -> Result<(), String> {
    for hook in hooks.iter().filter(|h| h.hooks.iter().any(|e| e == event)) {
        delete_objects(term, cluster, &[(hook.kind.clone(), hook.name.clone())]);
        apply(cluster, std::slice::from_ref(hook), release, "default")
            .map_err(|e| format!("{event} hooks failed: {e}"))?;
        if hook.delete_policies.iter().any(|p| p == "hook-succeeded") {
            delete_objects(term, cluster, &[(hook.kind.clone(), hook.name.clone())]);
        }
    }
    Ok(())
}

fn install(term: &mut Terminal, cluster: &mut Cluster, args: &Args) -> Ran {
    let generate = args.has(&["--generate-name", "-g"]);
    let name = match (&args.positional[..], generate) {
        ([_chart], true) => format!("chart-{}", 1_700_000_000 + cluster.now() / SECOND),
        ([name, _chart], false) => name.to_string(),
        _ => {
            return error(
                "\"helm install\" requires at least 1 argument\n\nUsage:  helm install [NAME] [CHART] [flags]",
            )
        }
    };
    install_named(term, cluster, args, &name)
}

fn install_named(term: &mut Terminal, cluster: &mut Cluster, args: &Args, name: &str) -> Ran {
    let fail = |message: String| error(format!("INSTALLATION FAILED: {message}"));
    let dry_run = args.has(&["--dry-run"]);
    if release::history(cluster, name).iter().any(|r| r.status != "uninstalled") && !dry_run {
        return fail("cannot re-use a name that is still in use".into());
    }
    let (chart, supplied, rendered) = match render_chart(term, args, name, "default", 1, false) {
        Ok(rendered) => rendered,
        Err(message) => return fail(message),
    };
    let now = cluster.now();
    let mut release = new_release(&chart, name, 1, supplied, &rendered, now);
    if dry_run {
        release.status = "pending-install".into();
        release.description = "Dry run complete".into();
        return Ran::out(Printer { release: &release, debug: args.has(&["--debug"]), dry_run: true }.print());
    }
    let applied = run_hooks(term, cluster, &rendered.hooks, "pre-install", name)
        .and_then(|_| apply(cluster, &rendered.manifests, name, "default"))
        .and_then(|_| run_hooks(term, cluster, &rendered.hooks, "post-install", name));
    if let Err(message) = applied {
        release.status = "failed".into();
        release.description = format!("Release \"{name}\" failed: {message}");
        let _ = release.store(cluster);
        return fail(message);
    }
    release.status = "deployed".into();
    release.description = "Install complete".into();
    if let Err(message) = release.store(cluster) {
        return fail(message);
    }
    Ran::out(Printer { release: &release, debug: args.has(&["--debug"]), dry_run: false }.print())
}

fn new_release(
    chart: &Chart,
    name: &str,
    revision: i64,
    config: Value,
    rendered: &chart::Rendered,
    now: u64,
) -> Release {
    let computed = chart::coalesce(chart, &config);
    Release {
        name: name.to_string(),
        namespace: "default".into(),
        revision,
        status: "deployed".into(),
        description: String::new(),
        chart: chart.name.clone(),
        chart_version: chart.version.clone(),
        app_version: chart.app_version.clone(),
        first_deployed: now,
        last_deployed: now,
        config,
        computed,
        manifest: chart::manifest_text(&rendered.manifests),
        hooks: rendered.hooks.clone(),
        notes: rendered.notes.clone(),
        tests: Vec::new(),
    }
}

/// The revision a release now stands at (the last deployed one, else the newest).
fn current(cluster: &Cluster, name: &str) -> Option<Release> {
    let history = release::history(cluster, name);
    history.iter().rev().find(|r| r.status == "deployed").or(history.last()).cloned()
}

fn upgrade(term: &mut Terminal, cluster: &mut Cluster, args: &Args) -> Ran {
    let [name, _chart] = args.positional[..] else {
        return needs("upgrade", 2, "helm upgrade [RELEASE] [CHART]");
    };
    let history = release::history(cluster, name);
    let Some(previous) = current(cluster, name).filter(|r| r.status != "uninstalled") else {
        if args.has(&["--install", "-i"]) {
            let mut ran = Ran::out(format!("Release \"{name}\" does not exist. Installing it now.\n"));
            let installed = install_named(term, cluster, args, name);
            ran.output.append(installed.output);
            ran.status = installed.status;
            return ran;
        }
        return error(format!("UPGRADE FAILED: \"{name}\" has no deployed releases"));
    };
    let revision = history.last().map_or(1, |r| r.revision) + 1;
    // Without new values, Helm reuses the last release's (unless --reset-values).
    let given = !args.values(&["-f", "--values", "--set", "--set-string"]).is_empty();
    let (chart, mut supplied, mut rendered) = match render_chart(term, args, name, "default", revision, true) {
        Ok(rendered) => rendered,
        Err(message) => return error(format!("UPGRADE FAILED: {message}")),
    };
    if (!given && !args.has(&["--reset-values"])) || args.has(&["--reuse-values"]) {
        let mut reused = match &previous.config {
            Value::Mapping(map) => map.clone(),
            _ => Mapping::new(),
        };
        if let Value::Mapping(new) = &supplied {
            template::merge_into(&mut reused, new, true);
        }
        supplied = Value::Mapping(reused);
        let computed = chart::coalesce(&chart, &supplied);
        rendered = match chart::render(
            &chart,
            &computed,
            &ReleaseInfo { name, namespace: "default", revision, upgrade: true },
        ) {
            Ok(rendered) => rendered,
            Err(message) => return error(format!("UPGRADE FAILED: {message}")),
        };
    }
    let now = cluster.now();
    let mut release = new_release(&chart, name, revision, supplied, &rendered, now);
    release.first_deployed = previous.first_deployed;
    if args.has(&["--dry-run"]) {
        release.status = "pending-upgrade".into();
        release.description = "Dry run complete".into();
        let printed = Printer { release: &release, debug: args.has(&["--debug"]), dry_run: true }.print();
        return Ran::out(format!("Release \"{name}\" has been upgraded. Happy Helming!\n{printed}"));
    }
    if let Err(message) = deploy(term, cluster, &previous, &mut release, "upgrade") {
        return error(format!("UPGRADE FAILED: {message}"));
    }
    release.description = "Upgrade complete".into();
    if let Err(message) = release.store(cluster) {
        return error(format!("UPGRADE FAILED: {message}"));
    }
    let printed = Printer { release: &release, debug: args.has(&["--debug"]), dry_run: false }.print();
    Ran::out(format!("Release \"{name}\" has been upgraded. Happy Helming!\n{printed}"))
}

/// Moves a release from `previous` to `next`: hooks, the new objects applied, the
/// objects the new manifest dropped deleted, the previous revision superseded.
fn deploy(
    term: &mut Terminal,
    cluster: &mut Cluster,
    previous: &Release,
    next: &mut Release,
    event: &str,
) -> Result<(), String> {
    let manifests: Vec<Manifest> = parse_manifest_text(&next.manifest);
    let name = next.name.clone();
    run_hooks(term, cluster, &next.hooks, &format!("pre-{event}"), &name)?;
    if let Err(message) = apply(cluster, &manifests, &name, "default") {
        next.status = "failed".into();
        next.description = format!("Upgrade \"{name}\" failed: {message}");
        let _ = next.store(cluster);
        return Err(message);
    }
    let kept: BTreeSet<(String, String)> = objects_of(&next.manifest).into_iter().collect();
    let mut dropped: Vec<(String, String)> =
        objects_of(&previous.manifest).into_iter().filter(|o| !kept.contains(o)).collect();
    dropped.reverse();
    delete_objects(term, cluster, &dropped);
    run_hooks(term, cluster, &next.hooks, &format!("post-{event}"), &name)?;
    let mut superseded = previous.clone();
    superseded.status = "superseded".into();
    superseded.store(cluster)?;
    next.status = "deployed".into();
    Ok(())
}

/// A stored manifest text back into manifests (for re-applying a revision).
fn parse_manifest_text(text: &str) -> Vec<Manifest> {
    text.split("---\n# Source: ")
        .filter(|part| !part.trim().is_empty())
        .filter_map(|part| {
            let (source, body) = part.split_once('\n')?;
            let (kind, name) = objects_of(body).into_iter().next()?;
            Some(Manifest {
                source: source.to_string(),
                kind,
                name,
                text: body.trim_end().to_string(),
                hooks: Vec::new(),
                weight: 0,
                delete_policies: Vec::new(),
            })
        })
        .collect()
}

fn rollback(term: &mut Terminal, cluster: &mut Cluster, args: &Args) -> Ran {
    let (name, wanted) = match args.positional[..] {
        [name] => (name, None),
        [name, revision] => match revision.parse::<i64>() {
            Ok(revision) => (name, Some(revision)),
            Err(_) => {
                return error(format!(
                    "could not convert revision to a number: strconv.Atoi: parsing \"{revision}\": invalid syntax"
                ))
            }
        },
        _ => return needs("rollback", 1, "helm rollback <RELEASE> [REVISION]"),
    };
    let history = release::history(cluster, name);
    let Some(previous) = current(cluster, name) else {
        return error("release: not found");
    };
    let target_revision = wanted.filter(|r| *r > 0).unwrap_or(previous.revision - 1);
    let Some(target) = history.iter().find(|r| r.revision == target_revision) else {
        return error(format!("release has no {target_revision} version"));
    };
    let revision = history.last().map_or(1, |r| r.revision) + 1;
    let now = cluster.now();
    let mut release = target.clone();
    release.revision = revision;
    release.last_deployed = now;
    release.tests.clear();
    if let Err(message) = deploy(term, cluster, &previous, &mut release, "rollback") {
        return error(message);
    }
    release.description = format!("Rollback to {target_revision}");
    if let Err(message) = release.store(cluster) {
        return error(message);
    }
    Ran::out("Rollback was a success! Happy Helming!\n")
}

fn uninstall(term: &mut Terminal, cluster: &mut Cluster, args: &Args) -> Ran {
    if args.positional.is_empty() {
        return error(
            "\"helm uninstall\" requires at least 1 argument\n\nUsage:  helm uninstall RELEASE_NAME [...] [flags]",
        );
    }
    let mut out = String::new();
    for name in &args.positional {
        let history = release::history(cluster, name);
        let Some(last) = current(cluster, name).filter(|r| r.status != "uninstalled") else {
            let mut ran = Ran::out(out);
            ran.output.err(format!("Error: uninstall: Release not loaded: {name}: release: not found\n"));
            ran.status = 1;
            return ran;
        };
        if let Err(message) = run_hooks(term, cluster, &last.hooks, "pre-delete", name) {
            return error(format!("uninstallation completed with 1 error(s): {message}"));
        }
        let mut objects = objects_of(&last.manifest);
        objects.sort_by_key(|(kind, _)| std::cmp::Reverse(chart::install_rank(kind)));
        delete_objects(term, cluster, &objects);
        // What hooks made stays unless their policy deletes it (Helm does not track them);
        // post-delete hooks run once the release's objects are gone.
        if let Err(message) = run_hooks(term, cluster, &last.hooks, "post-delete", name) {
            return error(format!("uninstallation completed with 1 error(s): {message}"));
        }
        if args.has(&["--keep-history"]) {
            let mut gone = last.clone();
            gone.status = "uninstalled".into();
            gone.description = "Uninstallation complete".into();
            let _ = gone.store(cluster);
        } else {
            let secrets: Vec<(String, String)> =
                history.iter().map(|r| ("secret".to_string(), r.secret_name())).collect();
            delete_objects(term, cluster, &secrets);
        }
        out.push_str(&format!("release \"{name}\" uninstalled\n"));
    }
    Ran::out(out)
}

// ---------------------------------------------------------------- list, history, status, get, test

fn list(cluster: &Cluster, args: &Args) -> Ran {
    let all = args.has(&["-a", "--all"]);
    let mut latest: Vec<Release> = Vec::new();
    for release in release::all(cluster) {
        match latest.iter_mut().find(|r| r.name == release.name) {
            Some(existing) => *existing = release,
            None => latest.push(release),
        }
    }
    let shown: Vec<&Release> =
        latest.iter().filter(|r| all || matches!(r.status.as_str(), "deployed" | "failed")).collect();
    if args.has(&["-q", "--short"]) {
        return Ran::out(shown.iter().map(|r| format!("{}\n", r.name)).collect::<String>());
    }
    let mut rows = Vec::new();
    if !args.has(&["--no-headers"]) {
        rows.push(
            ["NAME", "NAMESPACE", "REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION"].map(String::from).to_vec(),
        );
    }
    for r in shown {
        rows.push(vec![
            r.name.clone(),
            r.namespace.clone(),
            r.revision.to_string(),
            go_time_string(r.last_deployed),
            r.status.clone(),
            format!("{}-{}", r.chart, r.chart_version),
            r.app_version.clone(),
        ]);
    }
    Ran::out(release::table(&rows))
}

fn history(cluster: &Cluster, args: &Args) -> Ran {
    let [name] = args.positional[..] else {
        return needs("history", 1, "helm history RELEASE_NAME");
    };
    let history = release::history(cluster, name);
    if history.is_empty() {
        return error("release: not found");
    }
    let max = args.value(&["--max"]).and_then(|m| m.parse::<usize>().ok()).unwrap_or(256);
    let mut rows =
        vec![["REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION", "DESCRIPTION"].map(String::from).to_vec()];
    for r in history.iter().skip(history.len().saturating_sub(max)) {
        rows.push(vec![
            r.revision.to_string(),
            crate::core::time::ansic(r.last_deployed),
            r.status.clone(),
            format!("{}-{}", r.chart, r.chart_version),
            r.app_version.clone(),
            r.description.clone(),
        ]);
    }
    Ran::out(release::table(&rows))
}

/// The revision asked for (`--revision N`), else the current one.
fn revision_of(cluster: &Cluster, name: &str, args: &Args) -> Result<Release, Ran> {
    let wanted = args.value(&["--revision"]).and_then(|r| r.parse::<i64>().ok());
    let found = match wanted {
        Some(revision) => release::history(cluster, name).into_iter().find(|r| r.revision == revision),
        None => current(cluster, name),
    };
    found.ok_or_else(|| error("release: not found"))
}

fn status(cluster: &Cluster, args: &Args) -> Ran {
    let [name] = args.positional[..] else {
        return needs("status", 1, "helm status RELEASE_NAME");
    };
    match revision_of(cluster, name, args) {
        Ok(release) => Ran::out(Printer { release: &release, debug: false, dry_run: false }.print()),
        Err(ran) => ran,
    }
}

fn get(cluster: &Cluster, args: &Args) -> Ran {
    let [what, name] = args.positional[..] else {
        return error("\"helm get\" requires a subcommand: all, hooks, manifest, notes, values");
    };
    let release = match revision_of(cluster, name, args) {
        Ok(release) => release,
        Err(ran) => return ran,
    };
    match what {
        "manifest" => Ran::out(release.manifest.clone()),
        "notes" => Ran::out(format!("NOTES:\n{}\n", release.notes.trim())),
        "values" if args.has(&["-a", "--all"]) => {
            Ran::out(format!("COMPUTED VALUES:\n{}", release::values_yaml(&release.computed)))
        }
        "values" => Ran::out(format!("USER-SUPPLIED VALUES:\n{}", release::values_yaml(&release.config))),
        "hooks" => Ran::out(
            release.hooks.iter().map(|h| format!("---\n# Source: {}\n{}\n", h.source, h.text)).collect::<String>(),
        ),
        "all" => Ran::out(Printer { release: &release, debug: true, dry_run: true }.print()),
        other => error(format!("unknown command \"{other}\" for \"helm get\"")),
    }
}

/// `helm test`: the release's test hooks run as pods until they finish (at most
/// five minutes of cluster time); each one's phase goes into the TEST SUITE.
fn test(term: &mut Terminal, cluster: &mut Cluster, args: &Args) -> Ran {
    let [name] = args.positional[..] else {
        return needs("test", 1, "helm test [RELEASE]");
    };
    let Some(mut release) = current(cluster, name).filter(|r| r.status == "deployed") else {
        return error("release: not found");
    };
    let tests: Vec<Manifest> =
        release.hooks.iter().filter(|h| h.hooks.iter().any(|e| e == "test" || e == "test-success")).cloned().collect();
    release.tests.clear();
    for hook in &tests {
        delete_objects(term, cluster, &[(hook.kind.clone(), hook.name.clone())]);
        // The deleted pod goes first (before-hook-creation).
        let deadline = cluster.now() + 60 * SECOND;
        while cluster.store().pods.contains_key(&hook.name) && cluster.now() < deadline {
            let next = cluster.now() + SECOND;
            cluster.run_until(next);
        }
        let started = cluster.now();
        if let Err(message) = apply(cluster, std::slice::from_ref(hook), name, "default") {
            return error(format!("unable to create test pod {}: {message}", hook.name));
        }
        let deadline = started + 300 * SECOND;
        let phase = loop {
            let phase = cluster.store().pods.get(&hook.name).map(|p| p.status.phase.clone()).unwrap_or_default();
            if phase == "Succeeded" || phase == "Failed" || cluster.now() >= deadline {
                break phase;
            }
            let next = cluster.now() + SECOND;
            cluster.run_until(next);
        };
        let phase = if phase == "Succeeded" { "Succeeded" } else { "Failed" };
        release.tests.push((hook.name.clone(), started, cluster.now(), phase.to_string()));
        if phase == "Failed" {
            let _ = release.store(cluster);
            let printed = Printer { release: &release, debug: false, dry_run: false }.print();
            let mut ran = Ran::out(printed);
            ran.output.err(format!("Error: 1 error occurred:\n\t* pod {} failed\n\n", hook.name));
            ran.status = 1;
            return ran;
        }
    }
    let _ = release.store(cluster);
    Ran::out(Printer { release: &release, debug: false, dry_run: false }.print())
}
