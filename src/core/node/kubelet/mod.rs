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
mod lifecycle;
mod prober;
mod status;

use lifecycle::*;
pub use prober::MAIN;
use prober::*;
use status::*;

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
    /// The probe workers' results for this run of the container and their next ticks,
    /// by kind (READINESS, LIVENESS, STARTUP).
    probes: [ProbeWorker; 3],
    /// When the pod was added to the kubelet: its probe workers started then and tick
    /// every `periodSeconds` from that moment, whatever the container does (§5.6).
    workers_from: Millis,
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
        if probe == MAIN {
            // The command's exit status is the container's when it finishes (busybox's
            // `wget` exits 1 when it cannot connect: the pod ends Failed, "Error").
            if let Stage::Running { stops_at: Some((_, code, reason)), .. } = &mut c.stage {
                *code = i64::from(status);
                *reason = if status == 0 { "Completed" } else { "Error" };
            }
            return;
        }
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
                    workers_from: now,
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
