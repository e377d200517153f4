//! The commands that read releases: `list`, `history`, `status`, `get`, and `test`.

use super::*;

pub(super) fn list(cluster: &Cluster, args: &Args) -> Ran {
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

pub(super) fn history(cluster: &Cluster, args: &Args) -> Ran {
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
pub(super) fn revision_of(cluster: &Cluster, name: &str, args: &Args) -> Result<Release, Ran> {
    let wanted = args.value(&["--revision"]).and_then(|r| r.parse::<i64>().ok());
    let found = match wanted {
        Some(revision) => release::history(cluster, name).into_iter().find(|r| r.revision == revision),
        None => current(cluster, name),
    };
    found.ok_or_else(|| error("release: not found"))
}

pub(super) fn status(cluster: &Cluster, args: &Args) -> Ran {
    let [name] = args.positional[..] else {
        return needs("status", 1, "helm status RELEASE_NAME");
    };
    match revision_of(cluster, name, args) {
        Ok(release) => Ran::out(Printer { release: &release, debug: false, dry_run: false }.print()),
        Err(ran) => ran,
    }
}

pub(super) fn get(cluster: &Cluster, args: &Args) -> Ran {
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
pub(super) fn test(term: &mut Terminal, cluster: &mut Cluster, args: &Args) -> Ran {
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
