//! `kubectl rollout status|history|undo|restart|pause|resume` for StatefulSets
//! (reference §3.10–§3.13).

use super::{describe, duration, not_found, statefulset_target, Args, Kind, Output, Ran};
use crate::core::api::*;
use crate::core::cluster::Cluster;
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
    let name = match statefulset_target(rest) {
        Ok(name) => name.to_string(),
        Err(message) => return Ran::fail(format!("{message}\n"), 1),
    };
    if !cluster.store().stateful_sets.contains_key(&name) {
        return Ran::fail(not_found(Kind::StatefulSet, &name), 1);
    }
    match action {
        "status" => status(cluster, &name, args),
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
        "pause" | "resume" => Ran::fail(
            format!("error: statefulsets.apps \"{name}\" {}ing is not supported\n", action.trim_end_matches('e')),
            1,
        ),
        other => Ran::fail(format!("error: unknown command \"{other}\" for \"kubectl rollout\"\n"), 1),
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

/// Watches the set, printing each new message, until done or the timeout.
fn status(cluster: &mut Cluster, name: &str, args: &Args) -> Ran {
    let limit = args.value(&["--timeout"]).and_then(duration).filter(|t| *t > 0).unwrap_or(DEFAULT_STATUS_LIMIT);
    let deadline = cluster.now() + limit;
    let watch = !matches!(args.value(&["-w", "--watch"]), Some("false"));
    let mut output = Output::default();
    let mut last = String::new();
    loop {
        let Some(set) = cluster.store().stateful_sets.get(name) else {
            return Ran::fail(not_found(Kind::StatefulSet, name), 1);
        };
        match status_message(set) {
            Err(message) => return Ran::fail(format!("{message}\n"), 1),
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
