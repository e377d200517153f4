//! `kubectl rollout status|history|undo|restart|pause|resume` for StatefulSets
//! (reference §3.10–§3.13) and Deployments (kubectl's DeploymentStatusViewer,
//! DeploymentHistoryViewer, DeploymentRollbacker and the pause/resume/restart patches).

use super::{describe, duration, not_found, workload_target, Args, Kind, Output, Ran};
use crate::core::api::*;
use crate::core::cluster::Cluster;
use crate::core::controllers::deployment::equal_ignore_hash;
use crate::core::time::{rfc3339, MINUTE};

/// Without `--timeout`, real kubectl waits forever; the playground stops after this.
const DEFAULT_STATUS_LIMIT: u64 = 10 * MINUTE;

pub(super) fn run(cluster: &mut Cluster, positional: &[&str], args: &Args) -> Ran {
    let Some((&action, rest)) = positional.split_first() else {
        return Ran::fail(
            "error: Required resource not specified.\nSee 'kubectl rollout -h' for help and examples\n",
            1,
        );
    };
    if !matches!(action, "status" | "history" | "undo" | "restart" | "pause" | "resume") {
        return Ran::fail(format!("error: unknown command \"{action}\" for \"kubectl rollout\"\n"), 1);
    }
    let (kind, name) = match workload_target(rest, &[Kind::StatefulSet, Kind::Deployment]) {
        Ok((kind, name)) => (kind, name.to_string()),
        Err(message) => return Ran::fail(format!("{message}\n"), 1),
    };
    if kind == Kind::Deployment {
        return deployment(cluster, action, &name, args);
    }
    if !cluster.store().stateful_sets.contains_key(&name) {
        return Ran::fail(not_found(Kind::StatefulSet, &name), 1);
    }
    match action {
        "status" => status(cluster, Kind::StatefulSet, &name, args),
        "history" => history(cluster, &name, args),
        "undo" => undo(cluster, &name, args),
        "restart" => {
            let now = rfc3339(cluster.now());
            match cluster.update_stateful_set(&name, |set| {
                set.spec.template.metadata.annotations.insert("kubectl.kubernetes.io/restartedAt".into(), now);
            }) {
                Ok(_) => Ran::out(format!("statefulset.apps/{name} restarted\n")),
                Err(message) => Ran::fail(format!("{message}\n"), 1),
            }
        }
        // kubectl's pauser and resumer know Deployments only.
        _ => Ran::fail(
            format!("error: statefulsets.apps \"{name}\" {}ing is not supported\n", action.trim_end_matches('e')),
            1,
        ),
    }
}

/// RS `StatefulSetStatusViewer.Status`: the message and whether the rollout is done.
fn status_message(set: &StatefulSet) -> Result<(String, bool), String> {
    if set.is_on_delete() {
        return Err("error: rollout status is only available for RollingUpdate strategy type".into());
    }
    let status = &set.status;
    if status.observed_generation == 0 || set.metadata.generation > status.observed_generation {
        return Ok(("Waiting for statefulset spec update to be observed...\n".into(), false));
    }
    let replicas = set.replicas();
    if status.ready_replicas < replicas {
        return Ok((format!("Waiting for {} pods to be ready...\n", replicas - status.ready_replicas), false));
    }
    if let Some(rolling) = set.rolling_update() {
        if let Some(partition) = rolling.partition {
            if status.updated_replicas < replicas - partition {
                return Ok((
                    format!(
                        "Waiting for partitioned roll out to finish: {} out of {} new pods have been updated...\n",
                        status.updated_replicas,
                        replicas - partition
                    ),
                    false,
                ));
            }
        }
        return Ok((
            format!("partitioned roll out complete: {} new pods have been updated...\n", status.updated_replicas),
            true,
        ));
    }
    if status.update_revision != status.current_revision {
        return Ok((
            format!(
                "waiting for statefulset rolling update to complete {} pods at revision {}...\n",
                status.updated_replicas, status.update_revision
            ),
            false,
        ));
    }
    Ok((
        format!(
            "statefulset rolling update complete {} pods at revision {}...\n",
            status.current_replicas, status.current_revision
        ),
        true,
    ))
}

/// Watches the set or Deployment, printing each new message, until done or the timeout.
fn status(cluster: &mut Cluster, kind: Kind, name: &str, args: &Args) -> Ran {
    let limit = args.value(&["--timeout"]).and_then(duration).filter(|t| *t > 0).unwrap_or(DEFAULT_STATUS_LIMIT);
    let deadline = cluster.now() + limit;
    let watch = !matches!(args.value(&["-w", "--watch"]), Some("false"));
    let revision = args.value(&["--revision"]).and_then(|r| r.parse::<i64>().ok()).unwrap_or(0);
    let mut output = Output::default();
    let mut last = String::new();
    loop {
        let message = match kind {
            Kind::Deployment => cluster.store().deployments.get(name).map(|d| deployment_status_message(d, revision)),
            _ => cluster.store().stateful_sets.get(name).map(status_message),
        };
        let Some(message) = message else {
            output.err(not_found(kind, name));
            return Ran { output, status: 1 };
        };
        match message {
            Err(message) => {
                output.err(format!("{message}\n"));
                return Ran { output, status: 1 };
            }
            Ok((message, done)) => {
                if message != last {
                    output.out(message.clone());
                    last = message;
                }
                if done || !watch {
                    return Ran::ok(output);
                }
            }
        }
        match cluster.next_event_time().filter(|t| *t <= deadline) {
            Some(next) => cluster.run_until(next),
            None => {
                cluster.run_until(deadline);
                output.err("error: timed out waiting for the condition\n");
                return Ran { output, status: 1 };
            }
        }
    }
}

fn revisions_of<'a>(cluster: &'a Cluster, name: &str) -> Vec<&'a ControllerRevision> {
    let Some(set) = cluster.store().stateful_sets.get(name) else { return Vec::new() };
    let mut revisions: Vec<&ControllerRevision> = cluster.store().revisions_of(set).collect();
    revisions.sort_by_key(|r| r.revision);
    revisions
}

fn history(cluster: &Cluster, name: &str, args: &Args) -> Ran {
    let revisions = revisions_of(cluster, name);
    if let Some(wanted) = args.value(&["--revision"]).and_then(|r| r.parse::<i64>().ok()).filter(|r| *r > 0) {
        return match revisions.iter().find(|r| r.revision == wanted) {
            Some(revision) => Ran::out(format!(
                "statefulset.apps/{name} with revision #{wanted}\n{}",
                describe::pod_template_text(&revision.data)
            )),
            None => Ran::fail("error: unable to find the specified revision\n", 1),
        };
    }
    if revisions.is_empty() {
        return Ran::out("No rollout history found.\n");
    }
    let mut rows = vec![vec!["REVISION".to_string(), "CHANGE-CAUSE".to_string()]];
    for revision in revisions {
        let cause =
            revision.metadata.annotations.get("kubernetes.io/change-cause").cloned().unwrap_or_else(|| "<none>".into());
        rows.push(vec![revision.revision.to_string(), cause]);
    }
    Ran::out(format!("statefulset.apps/{name} \n{}\n", super::super::table::render_with(&rows, 0, 2)))
}

fn undo(cluster: &mut Cluster, name: &str, args: &Args) -> Ran {
    let revisions = revisions_of(cluster, name);
    let wanted = args.value(&["--to-revision"]).and_then(|r| r.parse::<i64>().ok()).unwrap_or(0);
    let target = if wanted > 0 {
        match revisions.iter().find(|r| r.revision == wanted) {
            Some(r) => (*r).clone(),
            None => return Ran::fail(format!("error: unable to find specified revision {wanted} in history\n"), 1),
        }
    } else {
        // RB findHistory: the second-highest revision.
        if revisions.len() < 2 {
            return Ran::fail("error: no last revision to roll back to\n", 1);
        }
        revisions[revisions.len() - 2].clone()
    };
    let current = cluster.store().stateful_sets.get(name).map(|s| s.spec.template.clone()).unwrap_or_default();
    if current == target.data {
        return Ran::out(format!(
            "statefulset.apps/{name} skipped rollback (current template already matches revision {})\n",
            target.revision
        ));
    }
    match cluster.update_stateful_set(name, |set| set.spec.template = target.data.clone()) {
        Ok(_) => Ran::out(format!("statefulset.apps/{name} rolled back\n")),
        Err(message) => Ran::fail(format!("{message}\n"), 1),
    }
}

// ---------------------------------------------------------------- Deployments

/// Annotations a rollback leaves as the Deployment has them (kubectl's `annotationsToSkip`).
const ANNOTATIONS_TO_SKIP: [&str; 6] = [
    "kubectl.kubernetes.io/last-applied-configuration",
    REVISION_ANNOTATION,
    REVISION_HISTORY_ANNOTATION,
    DESIRED_REPLICAS_ANNOTATION,
    MAX_REPLICAS_ANNOTATION,
    "deprecated.deployment.rollback.to",
];

fn deployment(cluster: &mut Cluster, action: &str, name: &str, args: &Args) -> Ran {
    let Some(current) = cluster.store().deployments.get(name) else {
        return Ran::fail(not_found(Kind::Deployment, name), 1);
    };
    let paused = current.is_paused();
    let done = |verb: &str| Ran::out(format!("deployment.apps/{name} {verb}\n"));
    let refused = |reason: &str| Ran::fail(format!("error: deployments.apps \"{name}\" {reason}\n"), 1);
    match action {
        "status" => status(cluster, Kind::Deployment, name, args),
        "history" => deployment_history(cluster, name, args),
        "undo" => deployment_undo(cluster, name, args),
        "pause" if paused => refused("is already paused"),
        "resume" if !paused => refused("is not paused"),
        "restart" if paused => refused("can't restart paused deployment (run rollout resume first)"),
        _ => {
            let now = rfc3339(cluster.now());
            let result = cluster.update_deployment(name, |d| match action {
                "pause" => d.spec.paused = Some(true),
                "resume" => d.spec.paused = None,
                _ => {
                    d.spec.template.metadata.annotations.insert("kubectl.kubernetes.io/restartedAt".into(), now);
                }
            });
            match result {
                Ok(_) => done(match action {
                    "pause" => "paused",
                    "resume" => "resumed",
                    _ => "restarted",
                }),
                Err(message) => Ran::fail(format!("{message}\n"), 1),
            }
        }
    }
}

/// `DeploymentStatusViewer.Status`: the message and whether the rollout is done.
fn deployment_status_message(deployment: &Deployment, revision: i64) -> Result<(String, bool), String> {
    let name = deployment.name();
    if revision > 0 {
        let running = deployment.metadata.annotations.get(REVISION_ANNOTATION).and_then(|r| r.parse::<i64>().ok());
        if running != Some(revision) {
            return Err(format!(
                "error: desired revision ({revision}) is different from the running revision ({})",
                running.unwrap_or(0)
            ));
        }
    }
    let status = &deployment.status;
    if deployment.metadata.generation > status.observed_generation {
        return Ok(("Waiting for deployment spec update to be observed...\n".into(), false));
    }
    if deployment.condition("Progressing").is_some_and(|c| c.reason == "ProgressDeadlineExceeded") {
        return Err(format!("error: deployment \"{name}\" exceeded its progress deadline"));
    }
    let replicas = deployment.replicas();
    let waiting =
        |text: String| Ok((format!("Waiting for deployment \"{name}\" rollout to finish: {text}...\n"), false));
    if status.updated_replicas < replicas {
        return waiting(format!("{} out of {replicas} new replicas have been updated", status.updated_replicas));
    }
    if status.replicas > status.updated_replicas {
        return waiting(format!("{} old replicas are pending termination", status.replicas - status.updated_replicas));
    }
    if status.available_replicas < status.updated_replicas {
        return waiting(format!(
            "{} of {} updated replicas are available",
            status.available_replicas, status.updated_replicas
        ));
    }
    Ok((format!("deployment \"{name}\" successfully rolled out\n"), true))
}

/// The Deployment's ReplicaSets that carry a revision, by revision (the highest-named
/// one wins a tie, as kubectl's map does).
fn deployment_revisions(cluster: &Cluster, name: &str) -> Vec<(i64, ReplicaSet)> {
    let Some(deployment) = cluster.store().deployments.get(name) else { return Vec::new() };
    let mut by_revision = std::collections::BTreeMap::new();
    for rs in cluster.store().replica_sets_of(deployment) {
        if let Some(revision) = rs.revision() {
            by_revision.insert(revision, rs.clone());
        }
    }
    by_revision.into_iter().collect()
}

/// `DeploymentHistoryViewer.ViewHistory`.
fn deployment_history(cluster: &Cluster, name: &str, args: &Args) -> Ran {
    let revisions = deployment_revisions(cluster, name);
    if revisions.is_empty() {
        return Ran::out("No rollout history found.\n");
    }
    let cause = |rs: &ReplicaSet| rs.metadata.annotations.get("kubernetes.io/change-cause").cloned();
    if let Some(wanted) = args.value(&["--revision"]).and_then(|r| r.parse::<i64>().ok()).filter(|r| *r > 0) {
        return match revisions.iter().find(|(r, _)| *r == wanted) {
            Some((_, rs)) => {
                let mut template = rs.spec.template.clone();
                if let Some(cause) = cause(rs).filter(|c| !c.is_empty()) {
                    template.metadata.annotations.insert("kubernetes.io/change-cause".into(), cause);
                }
                Ran::out(format!(
                    "deployment.apps/{name} with revision #{wanted}\n{}",
                    describe::pod_template_text(&template)
                ))
            }
            None => Ran::fail("error: unable to find the specified revision\n", 1),
        };
    }
    let mut rows = vec![vec!["REVISION".to_string(), "CHANGE-CAUSE".to_string()]];
    for (revision, rs) in &revisions {
        rows.push(vec![revision.to_string(), cause(rs).filter(|c| !c.is_empty()).unwrap_or_else(|| "<none>".into())]);
    }
    Ran::out(format!("deployment.apps/{name} \n{}\n", super::super::table::render_with(&rows, 0, 2)))
}

/// `DeploymentRollbacker.Rollback`: the template (and annotations) of the ReplicaSet of
/// `--to-revision`, or of the revision before the newest.
fn deployment_undo(cluster: &mut Cluster, name: &str, args: &Args) -> Ran {
    let wanted = args.value(&["--to-revision"]).and_then(|r| r.parse::<i64>().ok()).unwrap_or(0);
    let revisions = deployment_revisions(cluster, name);
    let target = if wanted > 0 {
        match revisions.iter().find(|(r, _)| *r == wanted) {
            Some((_, rs)) => rs.clone(),
            None => return Ran::fail(format!("error: unable to find specified revision {wanted} in history\n"), 1),
        }
    } else if revisions.len() < 2 {
        return Ran::fail(format!("error: no rollout history found for deployment \"{name}\"\n"), 1);
    } else {
        revisions[revisions.len() - 2].1.clone()
    };
    let Some(deployment) = cluster.store().deployments.get(name) else {
        return Ran::fail(not_found(Kind::Deployment, name), 1);
    };
    if deployment.is_paused() {
        return Ran::fail("error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again\n", 1);
    }
    if equal_ignore_hash(&target.spec.template, &deployment.spec.template) {
        return Ran::out(format!(
            "deployment.apps/{name} skipped rollback (current template already matches revision {wanted})\n"
        ));
    }
    let mut template = target.spec.template.clone();
    template.metadata.labels.remove(POD_TEMPLATE_HASH_LABEL);
    let mut annotations = Labels::new();
    for key in ANNOTATIONS_TO_SKIP {
        if let Some(value) = deployment.metadata.annotations.get(key) {
            annotations.insert(key.to_string(), value.clone());
        }
    }
    for (key, value) in &target.metadata.annotations {
        if !ANNOTATIONS_TO_SKIP.contains(&key.as_str()) {
            annotations.insert(key.clone(), value.clone());
        }
    }
    match cluster.update_deployment(name, |d| {
        d.spec.template = template;
        d.metadata.annotations = annotations;
    }) {
        Ok(_) => Ran::out(format!("deployment.apps/{name} rolled back\n")),
        Err(message) => Ran::fail(format!("{message}\n"), 1),
    }
}
