//! A pod's and its containers' way through life (§5.1–§5.5, §5.9): image pulls,
//! creation, start, crashes and back-off, termination.

use super::*;
use crate::core::time::{Millis, SECOND};

pub(super) fn advance_pod(
    rt: &mut PodRuntime,
    pod: &Pod,
    images: &mut SortedSet<String>,
    now: Millis,
    env: &mut dyn Environment,
    changes: &mut Vec<Change>,
) {
    let name = pod.name();
    if let (Some(deleted_at), None) = (pod.metadata.deletion_timestamp, rt.stopping) {
        // §2.12: SIGTERM now, SIGKILL at the end of the grace period.
        let grace = (pod.metadata.deletion_grace_period_seconds.unwrap_or(30).max(0) as Millis).saturating_mul(SECOND);
        rt.stopping = Some((deleted_at, deleted_at.saturating_add(grace)));
    }
    let ip = &rt.ip;
    for c in rt.containers.iter_mut() {
        let cname = c.spec.name.clone();
        // Each loop turn moves one stage on; a container may pass several at once.
        for _ in 0..16 {
            if let Some((deleted_at, deadline)) = rt.stopping {
                match &c.stage {
                    Stage::Running { started_at, stops_at } => {
                        if !rt.stop_reported {
                            ev(changes, &name, "Normal", "Killing", format!("Stopping container {cname}"));
                        }
                        let stop = if workload::ignores_sigterm(&c.spec) {
                            deadline
                        } else {
                            (deleted_at + STOP_MS).min(deadline)
                        };
                        let exit = if workload::ignores_sigterm(&c.spec) { 137 } else { 0 };
                        let reason = if exit == 0 { "Completed" } else { "Error" };
                        let stop = stops_at.map_or(stop, |(t, _, _)| t.min(stop));
                        c.stage = Stage::Running { started_at: *started_at, stops_at: Some((stop, exit, reason)) };
                    }
                    Stage::Exited { .. } => {}
                    _ => c.stage = Stage::Exited { finished_at: now, restart_at: None },
                }
            }
            if !step_container(
                c,
                pod,
                &name,
                &cname,
                &rt.uid,
                &ip,
                &rt.restart_policy,
                rt.stopping.is_some(),
                images,
                now,
                env,
                changes,
            ) {
                break;
            }
        }
    }
    if rt.stopping.is_some() {
        rt.stop_reported = true;
    }
}

/// Moves a container one stage on if its next transition is due. Returns whether it moved.
#[allow(clippy::too_many_arguments)]
pub(super) fn step_container(
    c: &mut ContainerRuntime,
    pod_object: &Pod,
    pod: &str,
    cname: &str,
    uid: &str,
    ip: &str,
    restart_policy: &str,
    stopping: bool,
    images: &mut SortedSet<String>,
    now: Millis,
    env: &mut dyn Environment,
    changes: &mut Vec<Change>,
) -> bool {
    let image = c.spec.image.clone();
    match c.stage.clone() {
        Stage::Pulling { started_at, done_at, fails } if done_at <= now => {
            if fails {
                let (repository, tag) = workload::split_image(&image);
                ev(changes, pod, "Warning", "Failed", format!(
                    "Failed to pull image \"{image}\": Error response from daemon: manifest for {repository}:{tag} not found: manifest unknown: manifest unknown"
                ));
                ev(changes, pod, "Warning", "Failed", "Error: ErrImagePull".into());
                c.stage = Stage::PullBackOff { failed_at: done_at, retry_at: done_at + c.pull_backoff };
                c.pull_backoff = (c.pull_backoff * 2).min(BACKOFF_MAX);
            } else {
                let took = go_seconds(done_at - started_at);
                ev(
                    changes,
                    pod,
                    "Normal",
                    "Pulled",
                    format!(
                    "Successfully pulled image \"{image}\" in {took} ({took} including waiting). Image size: {} bytes.",
                    image_size(&image)
                ),
                );
                images.add(image);
                c.stage = Stage::Creating { starts_at: done_at + CREATE_MS };
            }
            true
        }
        Stage::PullBackOff { failed_at, retry_at } => {
            if failed_at + SYNC <= now && !c.probes_done.contains_key(&(9, failed_at)) {
                c.probes_done.add((9, failed_at));
                ev(changes, pod, "Normal", "BackOff", format!("Back-off pulling image \"{image}\""));
                ev(changes, pod, "Warning", "Failed", "Error: ImagePullBackOff".into());
            }
            if retry_at <= now && !stopping {
                ev(changes, pod, "Normal", "Pulling", format!("Pulling image \"{image}\""));
                c.stage =
                    Stage::Pulling { started_at: retry_at, done_at: retry_at + env.duration(800, 1_500), fails: true };
                return true;
            }
            false
        }
        Stage::Creating { starts_at } if starts_at <= now => {
            match env.container_config(pod_object, &c.spec) {
                Ok(resolved) => c.spec = resolved,
                Err(message) => {
                    // CreateContainerConfigError: the kubelet retries on its next syncs.
                    ev(changes, pod, "Warning", "Failed", format!("Error: {message}"));
                    c.config_error = true;
                    c.stage = Stage::Creating { starts_at: now + CONFIG_RETRY };
                    return true;
                }
            }
            c.config_error = false;
            // §5.10, 1.31–1.33 wording.
            ev(changes, pod, "Normal", "Created", format!("Created container: {cname}"));
            ev(changes, pod, "Normal", "Started", format!("Started container {cname}"));
            changes.push(Change::ContainerStarted { pod: pod.to_string(), container: cname.to_string() });
            let traits = workload::image_traits(&image);
            let stops_at = if traits.crashes {
                Some((starts_at + env.duration(300, 1_200), 1, "Error"))
            } else if traits.program == Program::Shell {
                let stops = workload::shell_run_seconds(&c.spec)
                    .map(|s| (starts_at.saturating_add(s.saturating_mul(SECOND)) + 50, 0, "Completed"));
                // A command that runs to its end (`wget SERVICE`, a test hook's): the
                // runtime runs it, and its exit status becomes the container's.
                let command: Vec<String> = c.spec.command.iter().chain(&c.spec.args).cloned().collect();
                if stops.is_some() && !command.is_empty() {
                    changes.push(Change::Exec {
                        pod: pod.to_string(),
                        container: cname.to_string(),
                        probe: MAIN,
                        command,
                    });
                }
                stops
            } else {
                None
            };
            c.stage = Stage::Running { started_at: starts_at, stops_at };
            // §5.6: the workers keep their schedule (ticks from when the pod was added) and
            // start afresh on results for the new container; readiness and liveness wait
            // for the startup probe.
            c.probes = Default::default();
            c.probes_from = None;
            c.ready_at = None;
            match c.spec.startup_probe.as_ref().map(probe_timing) {
                Some((delay, period, _)) => {
                    c.probes[usize::from(STARTUP)].next =
                        worker_tick(c.workers_from, period, starts_at.saturating_add(delay))
                }
                None => start_probes(c, starts_at, starts_at),
            }
            c.probes_done.clear();
            true
        }
        Stage::Running { started_at, stops_at } => {
            if let Some((t, exit_code, reason)) = stops_at {
                if t <= now {
                    c.last_terminated =
                        Some(StateTerminated { exit_code, reason: reason.into(), started_at, finished_at: t });
                    // §5.9: the back-off resets after 10 minutes without a restart.
                    if t.saturating_sub(started_at) >= 2 * BACKOFF_MAX {
                        c.backoff = 0;
                    }
                    let restarts = !stopping
                        && match restart_policy {
                            "Never" => false,
                            "OnFailure" => exit_code != 0,
                            _ => true,
                        };
                    let restart_at = restarts.then(|| {
                        let delay = c.backoff;
                        c.backoff = if delay == 0 { BACKOFF_BASE } else { (delay * 2).min(BACKOFF_MAX) };
                        t + delay.max(SYNC)
                    });
                    c.stage = Stage::Exited { finished_at: t, restart_at };
                    c.ready_at = None;
                    return true;
                }
            }
            if stopping {
                return false;
            }
            run_probes(c, pod, cname, ip, started_at, now, changes)
        }
        Stage::Exited { finished_at, restart_at: Some(restart_at) } => {
            if finished_at + SYNC <= now && restart_at > now && !c.probes_done.contains_key(&(8, finished_at)) {
                c.probes_done.add((8, finished_at));
                ev(
                    changes,
                    pod,
                    "Warning",
                    "BackOff",
                    format!("Back-off restarting failed container {cname} in pod {pod}_default({uid})"),
                );
            }
            if restart_at <= now && !stopping {
                c.restart_count += 1;
                ev(changes, pod, "Normal", "Pulled", format!("Container image \"{image}\" already present on machine"));
                c.stage = Stage::Creating { starts_at: restart_at };
                return true;
            }
            false
        }
        _ => false,
    }
}
