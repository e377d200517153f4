//! The pod status the kubelet reports (status manager, §5.2–§5.4).

use super::*;
use crate::core::time::{Millis, SECOND};

/// The pod status the kubelet reports (§5.1–§5.4).
pub(super) fn pod_status(rt: &PodRuntime, pod: &Pod, now: Millis) -> PodStatus {
    let mut statuses = Vec::new();
    let mut all_ready = true;
    let mut ever_started_all = true;
    let mut any_running = false;
    let mut all_done = true;
    let mut any_failed = false;
    for c in &rt.containers {
        let waiting = |reason: &str, message: Option<String>| ContainerState {
            waiting: Some(StateWaiting { reason: reason.into(), message }),
            ..Default::default()
        };
        let (state, ready, started) = match &c.stage {
            Stage::Creating { .. } if c.config_error => (waiting("CreateContainerConfigError", None), false, false),
            Stage::Pulling { .. } | Stage::Creating { .. } if c.restart_count == 0 && c.last_terminated.is_none() => {
                (waiting("ContainerCreating", None), false, false)
            }
            Stage::Pulling { .. } | Stage::Creating { .. } => (waiting("CrashLoopBackOff", None), false, false),
            Stage::PullBackOff { failed_at, .. } => {
                let reason = if now < failed_at + SYNC { "ErrImagePull" } else { "ImagePullBackOff" };
                (waiting(reason, Some(format!("Back-off pulling image \"{}\"", c.spec.image))), false, false)
            }
            Stage::Running { started_at, .. } => {
                any_running = true;
                let ready = c.ready_at.is_some_and(|t| t <= now);
                let started = c.probes_from.is_some_and(|t| t <= now);
                (
                    ContainerState { running: Some(StateRunning { started_at: *started_at }), ..Default::default() },
                    ready,
                    started,
                )
            }
            Stage::Exited { finished_at, restart_at } => {
                let terminated = c.last_terminated.clone().unwrap_or_default();
                if terminated.exit_code != 0 {
                    any_failed = true;
                }
                if restart_at.is_some() && now >= finished_at + SYNC {
                    let message = format!(
                        "back-off {}s restarting failed container={} pod={}_{}({})",
                        c.backoff / SECOND,
                        c.spec.name,
                        pod.name(),
                        pod.metadata.namespace(),
                        pod.metadata.uid
                    );
                    (waiting("CrashLoopBackOff", Some(message)), false, false)
                } else {
                    (ContainerState { terminated: Some(terminated), ..Default::default() }, false, false)
                }
            }
        };
        if !matches!(c.stage, Stage::Exited { restart_at: None, .. }) {
            all_done = false;
        }
        if c.restart_count == 0 && c.last_terminated.is_none() && !matches!(c.stage, Stage::Running { .. }) {
            ever_started_all = false;
        }
        all_ready &= ready;
        let last_state = match (&c.last_terminated, &state.terminated) {
            (Some(t), None) => ContainerState { terminated: Some(t.clone()), ..Default::default() },
            _ => ContainerState::default(),
        };
        statuses.push(ContainerStatus {
            name: c.spec.name.clone(),
            image: c.spec.image.clone(),
            ready,
            started,
            restart_count: c.restart_count,
            state,
            last_state,
        });
    }
    let phase = if all_done && !rt.containers.is_empty() {
        if any_failed {
            "Failed"
        } else {
            "Succeeded"
        }
    } else if ever_started_all && (any_running || !rt.containers.is_empty()) {
        "Running"
    } else {
        "Pending"
    };
    let ready = all_ready && !rt.containers.is_empty();
    let old_since = |kind: &str, status: &str| {
        pod.status.conditions.iter().find(|c| c.kind == kind && c.status == status).and_then(|c| c.last_transition_time)
    };
    let condition = |kind: &str, value: bool, fallback: Millis| {
        let status = if value { "True" } else { "False" };
        PodCondition {
            kind: kind.into(),
            status: status.into(),
            last_transition_time: Some(old_since(kind, status).unwrap_or(fallback)),
        }
    };
    PodStatus {
        phase: phase.into(),
        conditions: vec![
            condition("PodReadyToStartContainers", true, rt.scheduled_at),
            condition("Initialized", true, rt.scheduled_at),
            condition("Ready", ready, now),
            condition("ContainersReady", ready, now),
            condition("PodScheduled", true, rt.scheduled_at),
        ],
        host_ip: Some("192.168.49.2".into()),
        pod_ip: Some(rt.ip.clone()),
        start_time: Some(rt.scheduled_at),
        container_statuses: statuses,
        reason: None,
    }
}
