//! The prober (pkg/kubelet/prober, §5.6–§5.8): readiness, liveness and startup
//! probes, their timing and results.

use super::*;
use crate::core::time::{Millis, SECOND};

/// Probe kinds: indexes of `ContainerRuntime::probes`, and `Change::Exec::probe`.
pub(super) const READINESS: u8 = 0;
pub(super) const LIVENESS: u8 = 1;
pub(super) const STARTUP: u8 = 2;
/// Not a probe: the container's own command, run to learn its exit status.
pub const MAIN: u8 = 3;

/// §5.5 defaults.
pub(super) fn probe_timing(probe: &Probe) -> (Millis, Millis, i64) {
    let delay = (probe.initial_delay_seconds.unwrap_or(0).max(0) as Millis).saturating_mul(SECOND);
    let period = (probe.period_seconds.unwrap_or(10).max(1) as Millis).saturating_mul(SECOND);
    (delay, period, probe.failure_threshold.unwrap_or(3).max(1))
}

/// The result of one probe of a container: `Ok` or the kubelet's failure text.
pub(super) fn probe_result(spec: &Container, probe: &Probe, ip: &str) -> Result<(), String> {
    let Some(http) = &probe.http_get else {
        // UNVERIFIED simplification: gRPC probes succeed; TCP probes succeed on the listening port.
        // (Exec probes run their command: run_probes, Change::Exec.)
        if let Some(port) = probe.tcp_socket.as_ref().and_then(|t| t.get("port")).and_then(|p| p.as_i64()) {
            if workload::listen_port(spec) != Some(port) {
                return Err(format!("dial tcp {ip}:{port}: connect: connection refused"));
            }
        }
        return Ok(());
    };
    let port = match &http.port {
        crate::core::api::yaml::Value::Number(n) => n.as_i64(),
        crate::core::api::yaml::Value::String(name) => {
            spec.ports.iter().find(|p| p.name.as_deref() == Some(name)).map(|p| p.container_port)
        }
        _ => None,
    }
    .unwrap_or(0);
    let path = http.path.clone().unwrap_or_else(|| "/".into());
    if workload::listen_port(spec) != Some(port) {
        return Err(format!("Get \"http://{ip}:{port}{path}\": dial tcp {ip}:{port}: connect: connection refused"));
    }
    match workload::probe_status(spec, &path) {
        200..=399 => Ok(()),
        code => Err(format!("HTTP probe failed with statuscode: {code}")),
    }
}

/// The command of an exec probe (`None` for other handlers).
pub(super) fn exec_command(probe: &Probe) -> Option<Vec<String>> {
    let exec = probe.exec.as_ref()?;
    let words = exec.get("command").and_then(|c| c.as_sequence()).map(Vec::as_slice).unwrap_or_default();
    Some(
        words
            .iter()
            .map(|w| match w {
                crate::core::api::yaml::Value::String(s) => s.clone(),
                crate::core::api::yaml::Value::Number(n) => n.to_string(),
                crate::core::api::yaml::Value::Bool(b) => b.to_string(),
                _ => String::new(),
            })
            .collect(),
    )
}

/// The probe kinds of a running container whose workers run now: the startup probe
/// until it succeeds, then readiness and liveness (§5.6).
pub(super) fn active_probes(c: &ContainerRuntime) -> impl Iterator<Item = u8> + '_ {
    let kinds: &[u8] = if c.probes_from.is_none() { &[STARTUP] } else { &[READINESS, LIVENESS] };
    kinds.iter().copied().filter(|k| probe_spec(&c.spec, *k).is_some())
}

pub(super) fn probe_spec(spec: &Container, kind: u8) -> Option<&Probe> {
    match kind {
        READINESS => spec.readiness_probe.as_ref(),
        LIVENESS => spec.liveness_probe.as_ref(),
        _ => spec.startup_probe.as_ref(),
    }
}

/// A worker's first tick at or after `at`: workers tick every `period` from when the
/// pod was added (`from`), not from when the container started (§5.6, prober worker.go).
pub(super) fn worker_tick(from: Millis, period: Millis, at: Millis) -> Millis {
    if at <= from {
        return from;
    }
    from.saturating_add((at - from).div_ceil(period).saturating_mul(period))
}

/// The container started at `started_at` and is now started (its startup probe passed
/// at `from`, or it has none): readiness and liveness probe from here. A tick probes
/// only once `initialDelaySeconds` have passed since the container started; readiness
/// also probes at once when the container becomes started (the prober manager's
/// immediate trigger in UpdatePodStatus), if its delay allows.
pub(super) fn start_probes(c: &mut ContainerRuntime, from: Millis, started_at: Millis) {
    c.probes_from = Some(from);
    for kind in [READINESS, LIVENESS] {
        if let Some(probe) = probe_spec(&c.spec, kind) {
            let (delay, period, _) = probe_timing(probe);
            let earliest = from.max(started_at.saturating_add(delay));
            c.probes[usize::from(kind)].next = if kind == READINESS && earliest == from {
                from
            } else {
                worker_tick(c.workers_from, period, earliest)
            };
        }
    }
    // "no readinessProbe -> always ready" (PM UpdatePodStatus) once the kubelet sees the
    // container running. An app that crashes on start exits within a second, before the
    // kubelet's next relist (PLEG, every 1 s) reports it running: it is never Ready, so a
    // rollout to it sticks (§3.9) whether or not the set has a readiness probe.
    if c.spec.readiness_probe.is_none() && !workload::image_traits(&c.spec.image).crashes {
        c.ready_at = Some(from);
    }
}

/// Runs the due ticks of the container's probe workers (§5.6–§5.8). A result changes
/// after `successThreshold` consecutive successes or `failureThreshold` consecutive
/// failures; every failure is an `Unhealthy` event. A failing liveness or startup probe
/// kills the container (returns true). An exec probe asks the cluster to run its command
/// ([`Change::Exec`]) and waits for the result before its tick counts.
pub(super) fn run_probes(
    c: &mut ContainerRuntime,
    pod: &str,
    cname: &str,
    ip: &str,
    started_at: Millis,
    now: Millis,
    changes: &mut Vec<Change>,
) -> bool {
    for kind in [STARTUP, READINESS, LIVENESS] {
        if (kind == STARTUP) != c.probes_from.is_none() {
            continue;
        }
        let Some(probe) = probe_spec(&c.spec, kind).cloned() else { continue };
        let (_, period, failure_threshold) = probe_timing(&probe);
        let success_threshold = probe.success_threshold.unwrap_or(1).max(1);
        let index = usize::from(kind);
        while c.probes[index].next <= now {
            let tick = c.probes[index].next;
            let outcome = match exec_command(&probe) {
                None => probe_result(&c.spec, &probe, ip),
                Some(command) => match c.probes[index].exec.take() {
                    Some(outcome) => outcome,
                    None => {
                        changes.push(Change::Exec {
                            pod: pod.to_string(),
                            container: cname.to_string(),
                            probe: kind,
                            command,
                        });
                        break;
                    }
                },
            };
            let worker = &mut c.probes[index];
            worker.next = worker_tick(c.workers_from, period, tick + 1);
            match outcome {
                Ok(()) => {
                    worker.failures = 0;
                    worker.successes += 1;
                    if worker.successes >= success_threshold {
                        match kind {
                            STARTUP => {
                                start_probes(c, tick, started_at);
                                break;
                            }
                            READINESS => {
                                c.ready_at.get_or_insert(tick);
                            }
                            _ => {}
                        }
                    }
                }
                Err(detail) => {
                    worker.successes = 0;
                    worker.failures += 1;
                    let failures = worker.failures;
                    let label = match kind {
                        READINESS => "Readiness",
                        LIVENESS => "Liveness",
                        _ => "Startup",
                    };
                    // §5.7: "<Type> probe failed: <output>" (kubectl describe trims the message).
                    ev(
                        changes,
                        pod,
                        "Warning",
                        "Unhealthy",
                        format!("{label} probe failed: {detail}").trim_end().to_string(),
                    );
                    if failures >= failure_threshold {
                        if kind == READINESS {
                            // Readiness never restarts anything: the container is only unready (§5.7).
                            c.ready_at = None;
                        } else {
                            // §5.8: the kubelet restarts the container; the pod object stays.
                            let which = if kind == LIVENESS { "liveness" } else { "startup" };
                            ev(
                                changes,
                                pod,
                                "Normal",
                                "Killing",
                                format!("Container {cname} failed {which} probe, will be restarted"),
                            );
                            c.stage = Stage::Running { started_at, stops_at: Some((tick + STOP_MS, 0, "Completed")) };
                            return true;
                        }
                    }
                }
            }
        }
    }
    false
}
