//! The kubelet of the one node (reference §5, §2.12): pulls images, starts and
//! restarts containers, runs probes, and terminates pods gracefully.
//!
//! The container runtime is simulated: each container is a small state machine
//! whose transitions happen at virtual times chosen when the previous one happened.

use crate::core::sorted::{Seen, SortedMap, SortedSet};

use crate::core::api::*;
use crate::core::node::workload::{self, Program};
use crate::core::time::{Millis, SECOND};

/// The back-off after a crash: 10 s doubling up to 5 min (§5.9).
const BACKOFF_BASE: Millis = 10 * SECOND;
const BACKOFF_MAX: Millis = 300 * SECOND;
/// How long the kubelet shows `Error`/`Completed` before `CrashLoopBackOff` (one sync).
const SYNC: Millis = SECOND;
/// Creating and starting a container after its image is present.
const CREATE_MS: Millis = 600;
/// Programs that handle SIGTERM exit this fast.
const STOP_MS: Millis = 300;
/// How often the kubelet retries a container whose ConfigMap or Secret is missing.
const CONFIG_RETRY: Millis = 10 * SECOND;

#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    SetStatus {
        pod: String,
        status: PodStatus,
    },
    /// The pod finished terminating: the API server removes the object.
    Remove(String),
    /// A container (re)started: its writable layer is new and its program starts afresh.
    ContainerStarted {
        pod: String,
        container: String,
    },
    Event {
        pod: String,
        kind: &'static str,
        reason: &'static str,
        message: String,
    },
    /// An exec probe is due: the cluster runs `command` in the container and hands the
    /// result back with [`Kubelet::exec_done`] (the kubelet's prober does the same through
    /// the runtime's ExecSync; its result counts at the tick that asked for it).
    Exec {
        pod: String,
        container: String,
        probe: u8,
        command: Vec<String>,
    },
}

/// Where one container is in its life.
#[derive(Debug, Clone, PartialEq)]
enum Stage {
    /// Image being pulled; the pull fails when `fails`.
    Pulling {
        started_at: Millis,
        done_at: Millis,
        fails: bool,
    },
    /// A failed pull waiting for its retry (ErrImagePull, then ImagePullBackOff).
    PullBackOff {
        failed_at: Millis,
        retry_at: Millis,
    },
    /// Image present; the container starts at `starts_at`.
    Creating {
        starts_at: Millis,
    },
    Running {
        started_at: Millis,
        stops_at: Option<(Millis, i64, &'static str)>,
    },
    Exited {
        finished_at: Millis,
        restart_at: Option<Millis>,
    },
}

#[derive(Debug, Clone, PartialEq)]
struct ContainerRuntime {
    spec: Container,
    stage: Stage,
    restart_count: i64,
    last_terminated: Option<StateTerminated>,
    /// Next crash back-off delay (§5.9).
    backoff: Millis,
    pull_backoff: Millis,
    /// Since when the container is ready (readiness probe passed), while it is.
    ready_at: Option<Millis>,
    /// When the startup probe succeeded (at start without one); `None` while it fails.
    /// Readiness and liveness probes only run from then on (§5.6).
    probes_from: Option<Millis>,
    /// The probe workers of this run of the container, by kind (READINESS, LIVENESS, STARTUP).
    probes: [ProbeWorker; 3],
    /// Back-off events already reported, by (kind, time).
    probes_done: SortedSet<(u8, Millis)>,
    /// The last start failed for a missing ConfigMap, Secret or key.
    config_error: bool,
}

/// One probe worker (§5.6): its next tick, the consecutive results so far, and, for an
/// exec probe, the result of the command run for that tick.
#[derive(Debug, Clone, Default, PartialEq)]
struct ProbeWorker {
    next: Millis,
    successes: i64,
    failures: i64,
    exec: Option<Result<(), String>>,
}

#[derive(Debug, Clone, PartialEq)]
struct PodRuntime {
    uid: String,
    ip: String,
    scheduled_at: Millis,
    containers: Vec<ContainerRuntime>,
    restart_policy: String,
    /// Set when the pod's deletion was seen: (when, grace period end).
    stopping: Option<(Millis, Millis)>,
    stop_reported: bool,
    /// When this pod next needs the kubelet, if nothing about it changes before;
    /// lets a sync skip the thousand pods that are just running.
    wake_at: Millis,
}

/// The node agent's own state: its image cache and its running pods.
#[derive(Debug, Clone, Default)]
pub struct Kubelet {
    images: SortedSet<String>,
    pods: SortedMap<String, PodRuntime>,
    /// The store's pods as of the last sync.
    seen: Seen<String>,
    /// (wake_at, pod) of every runtime that will be due some time (not `Millis::MAX`),
    /// so that a sync finds the due ones, and the clock the next one, without looking
    /// at every runtime.
    wakes: SortedSet<(Millis, String)>,
}

/// Randomness and IPs the kubelet needs from the cluster.
pub trait Environment {
    /// A duration in [low, high) milliseconds from the seeded PRNG.
    fn duration(&mut self, low: Millis, high: Millis) -> Millis;
    fn allocate_pod_ip(&mut self) -> String;
    fn release_pod_ip(&mut self, ip: &str);
    /// The container as its program will see it (environment resolved), or the
    /// kubelet's error when a ConfigMap, Secret or key it needs is missing.
    fn container_config(&self, pod: &Pod, container: &Container) -> Result<Container, String>;
}

/// Takes `(at, pod)` out of the wake index without building the key (an allocation
/// on every wake change otherwise).
fn forget_wake(wakes: &mut SortedSet<(Millis, String)>, at: Millis, pod: &str) {
    wakes.remove_run(|(when, name)| when.cmp(&at).then_with(|| name.as_str().cmp(pod)));
}

fn ev(changes: &mut Vec<Change>, pod: &str, kind: &'static str, reason: &'static str, message: String) {
    changes.push(Change::Event { pod: pod.to_string(), kind, reason, message });
}

impl Kubelet {
    /// One sync of every pod bound to `node` at virtual time `now`.
    pub fn sync(
        &mut self,
        node: &str,
        pods: &SortedMap<String, Pod>,
        now: Millis,
        env: &mut dyn Environment,
    ) -> Vec<Change> {
        let mut changes = Vec::new();
        // Only pods changed since the last sync can have vanished, been replaced, been
        // bound here or had their deletion started; the others need the kubelet only
        // when their runtime is due.
        let mut changed: Vec<(String, Option<&Pod>)> = Vec::new();
        self.seen.catch_up(pods, |name, pod| changed.push((name.clone(), pod)));
        let bound = |p: &Pod| p.spec.node_name.as_deref() == Some(node);
        // Pods that vanished (force-deleted) or were replaced under the same name.
        for (name, pod) in &changed {
            let gone = self.pods.get(name).is_some_and(|rt| pod.is_none_or(|p| p.metadata.uid != rt.uid));
            if gone {
                self.forget(name, env);
            }
        }
        // Admit pods bound here that have no runtime yet, in name order.
        for (name, pod) in &changed {
            let Some(pod) = pod.filter(|p| bound(p)) else { continue };
            if !self.pods.contains_key(name) {
                let runtime = self.admit(pod, now, env, &mut changes);
                if runtime.wake_at != Millis::MAX {
                    self.wakes.add((runtime.wake_at, name.clone()));
                }
                self.pods.insert(name.clone(), runtime);
            }
        }
        // A deletion the runtime has not taken in is looked at now, whenever the pod is due.
        // (Afterwards wake_at says so: it stays 0 until the runtime has taken it in.)
        for (name, pod) in &changed {
            let Some(pod) = pod.filter(|p| bound(p)) else { continue };
            let deletion_unseen =
                self.pods.get(name).is_some_and(|rt| rt.stopping.map(|(at, _)| at) != pod.metadata.deletion_timestamp);
            if deletion_unseen && self.pods.get(name).is_some_and(|rt| rt.wake_at > now) {
                self.wake(name, 0);
            }
        }
        // Due runtimes, in name order.
        let mut due: Vec<String> =
            self.wakes.keys().take_while(|(at, _)| *at <= now).map(|(_, name)| name.clone()).collect();
        due.sort_unstable();
        for name in due {
            let Some(pod) = pods.get(&name).filter(|p| bound(p)) else { continue };
            let Some(runtime) = self.pods.get_mut(&name) else { continue };
            advance_pod(runtime, pod, &mut self.images, now, env, &mut changes);
            let wake_at = if runtime.stopping.map(|(at, _)| at) != pod.metadata.deletion_timestamp {
                // A deletion it cannot take in (a changed timestamp) is looked at on every
                // sync, as above; saying so in wake_at keeps `next_wake` exact.
                0
            } else {
                pod_due(runtime, now).unwrap_or(Millis::MAX)
            };
            let status = if runtime.stopping.is_some()
                && runtime.containers.iter().all(|c| !matches!(c.stage, Stage::Running { .. }))
            {
                None
            } else {
                Some(pod_status(runtime, pod, now))
            };
            self.wake(&name, wake_at);
            match status {
                None => changes.push(Change::Remove(pod.name().to_string())),
                Some(status) if status != pod.status => {
                    changes.push(Change::SetStatus { pod: pod.name().to_string(), status })
                }
                Some(_) => {}
            }
        }
        changes
    }

    /// Sets when runtime `name` next needs a sync.
    fn wake(&mut self, name: &str, at: Millis) {
        let Some(runtime) = self.pods.get_mut(name) else { return };
        let was = std::mem::replace(&mut runtime.wake_at, at);
        if was != at {
            if was != Millis::MAX {
                forget_wake(&mut self.wakes, was, name);
            }
            if at != Millis::MAX {
                self.wakes.add((at, name.to_string()));
            }
        }
    }

    /// Forgets a removed pod and frees its IP.
    pub fn forget(&mut self, pod: &str, env: &mut dyn Environment) {
        if let Some(rt) = self.pods.remove(pod) {
            if rt.wake_at != Millis::MAX {
                forget_wake(&mut self.wakes, rt.wake_at, pod);
            }
            env.release_pod_ip(&rt.ip);
        }
    }

    /// The earliest time some pod needs a sync (past ones included); until then, and
    /// while its pods are unchanged, a sync would do nothing.
    pub fn next_wake(&self) -> Millis {
        self.wakes.keys().next().map_or(Millis::MAX, |(at, _)| *at)
    }

    /// The earliest future time at which some container changes stage.
    pub fn next_due(&self, now: Millis) -> Option<Millis> {
        self.wakes.keys().map(|(at, _)| *at).find(|at| *at > now)
    }

    /// The result of an exec probe's command ([`Change::Exec`]): its exit status, what it
    /// printed (stdout, then stderr) and how long its `sleep`s would have taken.
    pub fn exec_done(&mut self, pod: &str, container: &str, probe: u8, status: i32, output: &str, took: Millis) {
        let Some(rt) = self.pods.get_mut(pod) else { return };
        let Some(c) = rt.containers.iter_mut().find(|c| c.spec.name == container) else { return };
        let spec = match probe {
            READINESS => &c.spec.readiness_probe,
            LIVENESS => &c.spec.liveness_probe,
            _ => &c.spec.startup_probe,
        };
        let timeout =
            (spec.as_ref().and_then(|p| p.timeout_seconds).unwrap_or(1).max(1) as Millis).saturating_mul(SECOND);
        let outcome = if took >= timeout {
            // ExecSync's deadline (remote_runtime.go): `command "sleep 5" timed out`.
            Err(format!(
                "command {} timed out",
                crate::core::quoted(&spec.as_ref().and_then(exec_command).unwrap_or_default().join(" "))
            ))
        } else if status == 0 {
            Ok(())
        } else {
            Err(output.to_string())
        };
        if let Some(worker) = c.probes.get_mut(usize::from(probe)) {
            worker.exec = Some(outcome);
            self.wake(pod, 0);
        }
    }

    /// The sandbox: an IP and the containers' runtimes.
    fn admit(&mut self, pod: &Pod, now: Millis, env: &mut dyn Environment, changes: &mut Vec<Change>) -> PodRuntime {
        let containers = pod
            .spec
            .containers
            .iter()
            .map(|spec| {
                let stage = self.pull_or_create(spec, pod.name(), now, env, changes);
                ContainerRuntime {
                    spec: spec.clone(),
                    stage,
                    restart_count: 0,
                    last_terminated: None,
                    backoff: 0,
                    pull_backoff: BACKOFF_BASE,
                    ready_at: None,
                    probes_from: None,
                    probes: Default::default(),
                    probes_done: SortedSet::new(),
                    config_error: false,
                }
            })
            .collect();
        PodRuntime {
            uid: pod.metadata.uid.clone(),
            ip: env.allocate_pod_ip(),
            scheduled_at: now,
            containers,
            restart_policy: pod.spec.restart_policy.clone().unwrap_or_else(|| "Always".into()),
            stopping: None,
            stop_reported: false,
            wake_at: now,
        }
    }

    /// §5.10: pull the image unless present (imagePullPolicy Always pulls again, quickly).
    fn pull_or_create(
        &self,
        spec: &Container,
        pod: &str,
        now: Millis,
        env: &mut dyn Environment,
        changes: &mut Vec<Change>,
    ) -> Stage {
        let traits = workload::image_traits(&spec.image);
        let always = spec.image_pull_policy.as_deref() == Some("Always");
        if self.images.contains_key(&spec.image) && !always && !traits.pull_fails {
            ev(
                changes,
                pod,
                "Normal",
                "Pulled",
                format!("Container image \"{}\" already present on machine", spec.image),
            );
            return Stage::Creating { starts_at: now + CREATE_MS };
        }
        ev(changes, pod, "Normal", "Pulling", format!("Pulling image \"{}\"", spec.image));
        let took = if traits.pull_fails {
            env.duration(800, 1_500)
        } else if self.images.contains_key(&spec.image) {
            env.duration(400, 900)
        } else {
            env.duration(2_000, 5_000)
        };
        Stage::Pulling { started_at: now, done_at: now + took, fails: traits.pull_fails }
    }
}

/// A Go `time.Duration` in seconds as the kubelet prints it: `3.215s`, `2s`.
fn go_seconds(ms: Millis) -> String {
    let text = format!("{}.{:03}", ms / 1000, ms % 1000);
    format!("{}s", text.trim_end_matches('0').trim_end_matches('.'))
}

/// A stable, plausible image size for the Pulled event.
fn image_size(image: &str) -> u64 {
    let hash = image.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    20_000_000 + hash % 60_000_000
}

/// The earliest future time at which something about this pod is due.
fn pod_due(rt: &PodRuntime, now: Millis) -> Option<Millis> {
    let mut due: Option<Millis> = None;
    let mut consider = |t: Millis| {
        if t > now {
            due = Some(due.map_or(t, |d| d.min(t)));
        }
    };
    if let Some((_, deadline)) = rt.stopping {
        consider(deadline);
    }
    for c in &rt.containers {
        match &c.stage {
            Stage::Pulling { done_at, .. } => consider(*done_at),
            Stage::PullBackOff { failed_at, retry_at } => {
                consider(failed_at + SYNC);
                consider(*retry_at);
            }
            Stage::Creating { starts_at } => consider(*starts_at),
            Stage::Running { stops_at, .. } => {
                if let Some((t, _, _)) = stops_at {
                    consider(*t);
                }
                for kind in active_probes(c) {
                    consider(c.probes[usize::from(kind)].next);
                }
            }
            Stage::Exited { finished_at, restart_at } => {
                consider(finished_at + SYNC);
                if let Some(t) = restart_at {
                    consider(*t);
                }
            }
        }
    }
    due
}

/// Probe kinds: indexes of `ContainerRuntime::probes`, and `Change::Exec::probe`.
const READINESS: u8 = 0;
const LIVENESS: u8 = 1;
const STARTUP: u8 = 2;

/// §5.5 defaults.
fn probe_timing(probe: &Probe) -> (Millis, Millis, i64) {
    let delay = (probe.initial_delay_seconds.unwrap_or(0).max(0) as Millis).saturating_mul(SECOND);
    let period = (probe.period_seconds.unwrap_or(10).max(1) as Millis).saturating_mul(SECOND);
    (delay, period, probe.failure_threshold.unwrap_or(3).max(1))
}

/// The result of one probe of a container: `Ok` or the kubelet's failure text.
fn probe_result(spec: &Container, probe: &Probe, ip: &str) -> Result<(), String> {
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
fn exec_command(probe: &Probe) -> Option<Vec<String>> {
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
fn active_probes(c: &ContainerRuntime) -> impl Iterator<Item = u8> + '_ {
    let kinds: &[u8] = if c.probes_from.is_none() { &[STARTUP] } else { &[READINESS, LIVENESS] };
    kinds.iter().copied().filter(|k| probe_spec(&c.spec, *k).is_some())
}

fn probe_spec(spec: &Container, kind: u8) -> Option<&Probe> {
    match kind {
        READINESS => spec.readiness_probe.as_ref(),
        LIVENESS => spec.liveness_probe.as_ref(),
        _ => spec.startup_probe.as_ref(),
    }
}

/// The startup probe passed at `from` (or there is none): readiness and liveness
/// workers start, their first tick after `initialDelaySeconds`.
fn start_probes(c: &mut ContainerRuntime, from: Millis) {
    c.probes_from = Some(from);
    for kind in [READINESS, LIVENESS] {
        if let Some(probe) = probe_spec(&c.spec, kind) {
            c.probes[usize::from(kind)].next = from.saturating_add(probe_timing(probe).0);
        }
    }
    if c.spec.readiness_probe.is_none() {
        // "no readinessProbe -> always ready" (PM UpdatePodStatus).
        c.ready_at = Some(from);
    }
}

fn advance_pod(
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
fn step_container(
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
                workload::shell_run_seconds(&c.spec)
                    .map(|s| (starts_at.saturating_add(s.saturating_mul(SECOND)) + 50, 0, "Completed"))
            } else {
                None
            };
            c.stage = Stage::Running { started_at: starts_at, stops_at };
            // §5.6: new workers for the new container; readiness and liveness wait for the
            // startup probe (the first probe of each runs at initialDelaySeconds).
            c.probes = Default::default();
            c.probes_from = None;
            c.ready_at = None;
            match c.spec.startup_probe.as_ref().map(probe_timing) {
                Some((delay, _, _)) => c.probes[usize::from(STARTUP)].next = starts_at.saturating_add(delay),
                None => start_probes(c, starts_at),
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

/// Runs the due ticks of the container's probe workers (§5.6–§5.8). A result changes
/// after `successThreshold` consecutive successes or `failureThreshold` consecutive
/// failures; every failure is an `Unhealthy` event. A failing liveness or startup probe
/// kills the container (returns true). An exec probe asks the cluster to run its command
/// ([`Change::Exec`]) and waits for the result before its tick counts.
fn run_probes(
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
            worker.next = tick.saturating_add(period);
            match outcome {
                Ok(()) => {
                    worker.failures = 0;
                    worker.successes += 1;
                    if worker.successes >= success_threshold {
                        match kind {
                            STARTUP => {
                                start_probes(c, tick);
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

/// The pod status the kubelet reports (§5.1–§5.4).
fn pod_status(rt: &PodRuntime, pod: &Pod, now: Millis) -> PodStatus {
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
