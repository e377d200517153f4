//! The commands that change a release: `install`, `upgrade`, `rollback`,
//! `uninstall`, with hooks and Helm's marks on the objects.

use super::*;

/// One rendered object with Helm's ownership marks.
fn owned_value(manifest: &str, release: &str, namespace: &str) -> Option<Value> {
    let mut value = crate::core::api::yaml::from_str(manifest).ok()?;
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
    Some(value)
}

/// The (kind, name) a rendered object is.
fn identity(value: &Value) -> Option<(&str, &str)> {
    Some((value.get("kind")?.as_str()?, value.get("metadata")?.get("name")?.as_str()?))
}

/// Helm 3's three-way merge (helm.sh/docs "3-way Strategic Merge Patches"): the
/// patch takes the live object to the new rendering, so every field the chart
/// sets gets the chart's value again (a `kubectl scale` is undone when the chart
/// sets `replicas`, which is why the starter chart leaves it out with an HPA);
/// what only the live object has, in neither the previous nor the new rendering
/// (a label added by `kubectl label`, server defaults), stays. Fields the
/// previous rendering had and the new one dropped go. The API server's own fields
/// at the top and in `metadata` (status, uid, resourceVersion…) are not sent.
pub(super) fn three_way(old: &Value, new: &Value, live: &Value, path: &str) -> Value {
    match (old, new, live) {
        (Value::Mapping(old), Value::Mapping(new), Value::Mapping(live)) => {
            let mut merged = Mapping::new();
            for (key, value) in new.iter() {
                let kept = match (old.get(key), live.get(key)) {
                    (Some(before), Some(now)) => {
                        three_way(before, value, now, &format!("{path}/{}", key.as_str().unwrap_or_default()))
                    }
                    _ => value.clone(),
                };
                merged.insert(key.clone(), kept);
            }
            let server_owned = path.is_empty() || path == "/metadata";
            if !server_owned {
                for (key, value) in live.iter() {
                    if new.get(key).is_none() && old.get(key).is_none() {
                        merged.insert(key.clone(), value.clone());
                    }
                }
            }
            Value::Mapping(merged)
        }
        _ => new.clone(),
    }
}

pub(super) fn value_mapping<'v>(value: &'v mut Value, key: &str) -> Option<&'v mut Value> {
    match value {
        Value::Mapping(map) => map.get_mut(key),
        _ => None,
    }
}

/// Applies the release's objects (a first install, a hook), each with Helm's
/// ownership marks; the API server's refusal, in Helm's words.
pub(super) fn apply(
    cluster: &mut Cluster,
    manifests: &[Manifest],
    release: &str,
    namespace: &str,
) -> Result<(), String> {
    apply_over(cluster, "", manifests, release, namespace)
}

/// [`apply`] for an upgrade or rollback: each object three-way merged from the
/// previous release's rendering (`previous`), the new one and the live object.
pub(super) fn apply_over(
    cluster: &mut Cluster,
    previous: &str,
    manifests: &[Manifest],
    release: &str,
    namespace: &str,
) -> Result<(), String> {
    let before: Vec<Value> =
        parse_manifest_text(previous).iter().filter_map(|m| owned_value(&m.text, release, namespace)).collect();
    let mut text = String::new();
    for manifest in manifests {
        let Some(new) = owned_value(&manifest.text, release, namespace) else { continue };
        let merged = identity(&new)
            .and_then(|(kind, name)| {
                let old = before.iter().find(|old| identity(old) == Some((kind, name)))?;
                let live = kubectl::live_value(cluster, kind, name)?;
                Some(three_way(old, &new, &live, ""))
            })
            .unwrap_or(new);
        text.push_str("---\n");
        text.push_str(&crate::cli::render::to_yaml(&merged));
    }
    send(cluster, text)
}

/// The objects to the API server, as `kubectl apply` sends them; Helm's words on failure.
fn send(cluster: &mut Cluster, text: String) -> Result<(), String> {
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
pub(super) fn delete_objects(term: &mut Terminal, cluster: &mut Cluster, objects: &[(String, String)]) {
    for (kind, name) in objects {
        let kind = kind.to_ascii_lowercase();
        let _ = kubectl::run(term, cluster, &["delete", &kind, name, "--wait=false"], None, false);
    }
}

/// The (kind, name) of each object in a release's manifest text.
pub(super) fn objects_of(manifest: &str) -> Vec<(String, String)> {
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
pub(super) fn run_hooks(
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

pub(super) fn install(term: &mut Terminal, cluster: &mut Cluster, args: &Args) -> Ran {
    match release_name(&args.positional, args.has(&["--generate-name", "-g"]), cluster.now()) {
        Ok(name) => install_named(term, cluster, args, &name),
        Err(message) => error(message),
    }
}

/// The release's name, as Helm's `Install.NameAndChart` finds it: NAME CHART, or
/// with --generate-name the chart's base name (up to its first dot) and the time.
fn release_name(positional: &[&str], generate: bool, now: crate::core::time::Millis) -> Result<String, String> {
    let failed = |message: &str| Err(format!("INSTALLATION FAILED: {message}"));
    match positional {
        [] => {
            Err("\"helm install\" requires at least 1 argument\n\nUsage:  helm install [NAME] [CHART] [flags]".into())
        }
        [_, _] if generate => failed("cannot set --generate-name and also specify a name"),
        [name, _] => Ok(name.to_string()),
        [_] if !generate => failed("must either provide a name or specify --generate-name"),
        [chart] => {
            let base = chart.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
            let base = base.split('.').next().filter(|b| !b.is_empty()).unwrap_or("chart");
            Ok(format!("{base}-{}", 1_700_000_000 + now / SECOND))
        }
        [_, _, unexpected @ ..] => {
            failed(&format!("expected at most two arguments, unexpected arguments: {}", unexpected.join(", ")))
        }
    }
}

pub(super) fn install_named(term: &mut Terminal, cluster: &mut Cluster, args: &Args, name: &str) -> Ran {
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

pub(super) fn new_release(
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
pub(super) fn current(cluster: &Cluster, name: &str) -> Option<Release> {
    let history = release::history(cluster, name);
    history.iter().rev().find(|r| r.status == "deployed").or(history.last()).cloned()
}

pub(super) fn upgrade(term: &mut Terminal, cluster: &mut Cluster, args: &Args) -> Ran {
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
pub(super) fn deploy(
    term: &mut Terminal,
    cluster: &mut Cluster,
    previous: &Release,
    next: &mut Release,
    event: &str,
) -> Result<(), String> {
    let manifests: Vec<Manifest> = parse_manifest_text(&next.manifest);
    let name = next.name.clone();
    run_hooks(term, cluster, &next.hooks, &format!("pre-{event}"), &name)?;
    if let Err(message) = apply_over(cluster, &previous.manifest, &manifests, &name, "default") {
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
pub(super) fn parse_manifest_text(text: &str) -> Vec<Manifest> {
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

pub(super) fn rollback(term: &mut Terminal, cluster: &mut Cluster, args: &Args) -> Ran {
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

pub(super) fn uninstall(term: &mut Terminal, cluster: &mut Cluster, args: &Args) -> Ran {
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
