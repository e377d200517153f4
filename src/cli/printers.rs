//! The columns kubectl prints, computed the way the API server's table printers
//! do (reference §5.2–§5.4, §8). Used by the terminal and the cluster view alike.

use crate::core::api::*;
use crate::core::time::{human_duration, Millis};

/// The STATUS column of `kubectl get pods` (§5.2, `printPod`).
pub fn pod_status(pod: &Pod) -> String {
    let mut reason = pod.status.reason.clone().unwrap_or_else(|| pod.status.phase.clone());
    let mut has_running = false;
    for status in pod.status.container_statuses.iter().rev() {
        let state = &status.state;
        if let Some(waiting) = state.waiting.as_ref().filter(|w| !w.reason.is_empty()) {
            reason = waiting.reason.clone();
        } else if let Some(terminated) = &state.terminated {
            reason = if !terminated.reason.is_empty() {
                terminated.reason.clone()
            } else {
                format!("ExitCode:{}", terminated.exit_code)
            };
        } else if status.ready && state.running.is_some() {
            has_running = true;
        }
    }
    if reason == "Completed" && has_running {
        reason = if pod.condition("Ready") { "Running".into() } else { "NotReady".into() };
    }
    if pod.metadata.is_terminating() && !pod.is_terminal() {
        reason = "Terminating".into();
    }
    if reason.is_empty() {
        reason = "Pending".into();
    }
    reason
}

/// The READY column: ready running containers / containers (§5.3).
pub fn pod_ready(pod: &Pod) -> String {
    let ready = pod.status.container_statuses.iter().filter(|s| s.ready && s.state.running.is_some()).count();
    format!("{ready}/{}", pod.spec.containers.len())
}

/// The RESTARTS column: `0`, or `3 (41s ago)` (§5.4).
pub fn pod_restarts(pod: &Pod, now: Millis) -> String {
    let restarts: i64 = pod.status.container_statuses.iter().map(|s| s.restart_count).sum();
    let last = pod
        .status
        .container_statuses
        .iter()
        .filter_map(|s| s.last_state.terminated.as_ref().map(|t| t.finished_at))
        .max();
    match last {
        Some(finished) if restarts > 0 => format!("{restarts} ({} ago)", age(finished, now)),
        _ => restarts.to_string(),
    }
}

/// The AGE of something created at `since` (§8.9).
pub fn age(since: Millis, now: Millis) -> String {
    human_duration(now as i64 - since as i64)
}

/// ACCESS MODES abbreviations (§8.5).
pub fn access_modes(modes: &[String]) -> String {
    modes
        .iter()
        .map(|m| match m.as_str() {
            "ReadWriteOnce" => "RWO",
            "ReadOnlyMany" => "ROX",
            "ReadWriteMany" => "RWX",
            "ReadWriteOncePod" => "RWOP",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The STATUS column of a claim: its phase, or Terminating (§8.5).
pub fn claim_status(claim: &PersistentVolumeClaim) -> String {
    if claim.metadata.is_terminating() {
        "Terminating".into()
    } else {
        claim.status.phase.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod_with(state: ContainerState, ready: bool, phase: &str) -> Pod {
        Pod {
            spec: PodSpec {
                containers: vec![Container { name: "app".into(), ..Default::default() }],
                ..Default::default()
            },
            status: PodStatus {
                phase: phase.into(),
                container_statuses: vec![ContainerStatus { name: "app".into(), ready, state, ..Default::default() }],
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn waiting(reason: &str) -> ContainerState {
        ContainerState { waiting: Some(StateWaiting { reason: reason.into(), message: None }), ..Default::default() }
    }

    #[test]
    fn rule_5_2_status_shows_the_waiting_reason_or_the_phase() {
        assert_eq!(pod_status(&pod_with(waiting("ContainerCreating"), false, "Pending")), "ContainerCreating");
        assert_eq!(pod_status(&pod_with(waiting("CrashLoopBackOff"), false, "Running")), "CrashLoopBackOff");
        let running = ContainerState { running: Some(StateRunning { started_at: 0 }), ..Default::default() };
        assert_eq!(pod_status(&pod_with(running.clone(), true, "Running")), "Running");
        let error = ContainerState {
            terminated: Some(StateTerminated { exit_code: 1, reason: "Error".into(), started_at: 0, finished_at: 1 }),
            ..Default::default()
        };
        assert_eq!(pod_status(&pod_with(error, false, "Running")), "Error");
        let mut terminating = pod_with(running, true, "Running");
        terminating.metadata.deletion_timestamp = Some(5);
        assert_eq!(pod_status(&terminating), "Terminating");
        assert_eq!(pod_ready(&terminating), "1/1");
    }

    #[test]
    fn rule_5_4_restarts_show_when_the_last_one_happened() {
        let mut pod = pod_with(waiting("CrashLoopBackOff"), false, "Running");
        pod.status.container_statuses[0].restart_count = 3;
        pod.status.container_statuses[0].last_state.terminated =
            Some(StateTerminated { exit_code: 1, reason: "Error".into(), started_at: 0, finished_at: 10_000 });
        assert_eq!(pod_restarts(&pod, 51_000), "3 (41s ago)");
    }
}
