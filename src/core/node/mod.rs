//! The node `minikube`: the kubelet, and the container runtime beneath it: what each
//! image does ([`workload`], [`apps`]), container filesystems ([`files`]),
//! environments ([`env`]), logs, and the pod network's addresses (host-local IPAM).

pub mod apps;
pub mod env;
pub mod files;
pub mod kubelet;
pub mod workload;

use crate::core::api::*;
use crate::core::apiserver::store::Store;
use crate::core::apiserver::{ApiServer, COREDNS_IP, KUBE_DNS_IP, NODE_NAME};
use crate::core::network::dns;
use crate::core::random::Random;
use crate::core::sorted::{SortedMap, SortedSet};
use crate::core::time::Millis;

use apps::HttpResponse;
use files::Filesystems;
use kubelet::Kubelet;

/// Log lines of one container: the current run and the one before (`--previous`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainerLogs {
    pub current: Vec<String>,
    pub previous: Option<Vec<String>>,
}

/// An exec probe the kubelet wants run in a container (the runtime's ExecSync).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecRequest {
    pub pod: String,
    pub container: String,
    pub probe: u8,
    pub command: Vec<String>,
}

/// A command to run in a container through the runtime (CRI `Exec`/`ExecSync`):
/// `kubectl exec` and exec probes alike.
#[derive(Debug, Clone, Copy)]
pub struct Exec<'a> {
    pub pod: &'a str,
    pub container: &'a str,
    pub command: &'a [String],
    pub stdin: Option<&'a str>,
    /// An exec probe: time passes for nobody (ExecSync has a timeout, not a clock),
    /// so its `sleep`s add up in [`ExecResult::took`] instead of moving the clock.
    pub probe: bool,
}

/// Which stream a piece of a command's output went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExecStream {
    Stdout,
    Stderr,
}

/// What a command run in a container gave: its exit status, what it printed in
/// order, and how long its `sleep`s would have taken (probes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecResult {
    pub status: i32,
    pub output: Vec<(ExecStream, String)>,
    pub took: Millis,
}

impl ExecResult {
    /// A command that could not start.
    pub fn failed(status: i32, message: &str) -> Self {
        ExecResult { status, output: vec![(ExecStream::Stderr, message.to_string())], took: 0 }
    }

    /// stdout then stderr, as ExecSync hands them to the prober.
    pub fn probe_output(&self) -> String {
        let stream = |wanted| self.output.iter().filter(move |(s, _)| *s == wanted).map(|(_, t)| t.as_str());
        stream(ExecStream::Stdout).chain(stream(ExecStream::Stderr)).collect()
    }
}

/// host-local IPAM: pod addresses in 10.244.0.0/16, handed out in turn, so a
/// recreated pod gets a new one.
#[derive(Debug, Clone)]
struct PodAddresses {
    next: u32,
    used: SortedSet<String>,
}

impl PodAddresses {
    fn allocate(&mut self) -> String {
        loop {
            let n = self.next;
            self.next = if n >= 0xFFFE { 2 } else { n + 1 };
            if n & 0xFF == 0 || n & 0xFF == 0xFF {
                continue;
            }
            let ip = format!("10.244.{}.{}", n >> 8, n & 0xFF);
            if self.used.add(ip.clone()) {
                return ip;
            }
        }
    }
}

/// What the kubelet asks of its surroundings: the PRNG, the pod addresses, and read
/// access to ConfigMaps and Secrets for container environments.
struct KubeletEnvironment<'a> {
    random: &'a mut Random,
    addresses: &'a mut PodAddresses,
    store: &'a Store,
}

impl kubelet::Environment for KubeletEnvironment<'_> {
    fn duration(&mut self, low: Millis, high: Millis) -> Millis {
        self.random.duration(low, high)
    }
    fn allocate_pod_ip(&mut self) -> String {
        self.addresses.allocate()
    }
    fn release_pod_ip(&mut self, ip: &str) {
        self.addresses.used.remove(ip);
    }
    fn container_config(&self, pod: &Pod, container: &Container) -> Result<Container, String> {
        let env = env::resolve(self.store, pod, container)?;
        Ok(env::with_env(container, env))
    }
}

/// The node: its kubelet and what its containers hold.
#[derive(Debug, Clone)]
pub struct Node {
    kubelet: Kubelet,
    addresses: PodAddresses,
    /// Every file on volumes, emptyDirs and container layers.
    pub files: Filesystems,
    /// The visits app's in-memory counter, per (pod uid, container).
    visits: SortedMap<(String, String), u64>,
    /// What each container printed, per (pod uid, container): this run and the previous one.
    pub logs: SortedMap<(String, String), ContainerLogs>,
}

impl Default for Node {
    fn default() -> Self {
        Node {
            kubelet: Kubelet::default(),
            // CoreDNS's address in kube-system (crate::core::system) is never handed out.
            addresses: PodAddresses { next: 2, used: [(COREDNS_IP.to_string(), ())].into_iter().collect() },
            files: Filesystems::default(),
            visits: SortedMap::new(),
            logs: SortedMap::new(),
        }
    }
}

impl Node {
    /// When the kubelet next has work due, and whether it has some now.
    pub fn next_due(&self, now: Millis) -> Option<Millis> {
        self.kubelet.next_due(now)
    }
    pub fn due(&self, now: Millis) -> bool {
        self.kubelet.next_wake() <= now
    }

    /// Cleans up after pods and volumes the API server removed (a watch's DELETED
    /// events): the pod's runtime, files, counters and logs; the volume's data.
    pub fn forget_removed(&mut self, api: &mut ApiServer) {
        for pod in api.take_removed_pods() {
            self.files.forget_pod(&pod.metadata.uid);
            // Both are keyed by (pod uid, container): the pod's entries are adjacent.
            self.visits.remove_run(|(uid, _)| uid.cmp(&pod.metadata.uid));
            self.logs.remove_run(|(uid, _)| uid.cmp(&pod.metadata.uid));
            let (random, store) = api.random_and_store();
            let mut environment = KubeletEnvironment { random, addresses: &mut self.addresses, store };
            self.kubelet.forget(pod.name(), &mut environment);
        }
        for volume in api.take_removed_volumes() {
            self.files.forget_volume(&volume);
        }
    }

    /// One kubelet sync: pod statuses, container starts, events through the API server.
    /// Returns whether the store changed, and the exec probes to run now (their results
    /// go back through [`Node::exec_done`]).
    pub fn sync(&mut self, api: &mut ApiServer) -> (bool, Vec<ExecRequest>) {
        let mut changed = false;
        let now = api.now();
        let changes = {
            let (random, store) = api.random_and_store();
            let mut environment = KubeletEnvironment { random, addresses: &mut self.addresses, store };
            self.kubelet.sync(NODE_NAME, &store.pods, now, &mut environment)
        };
        let mut execs = Vec::new();
        for change in changes {
            match change {
                kubelet::Change::SetStatus { pod, status } => changed |= api.update_pod_status(&pod, status),
                kubelet::Change::Remove(pod) => {
                    api.remove_pod(&pod);
                    self.forget_removed(api);
                    changed = true;
                }
                kubelet::Change::Event { pod, kind, reason, message } => {
                    api.record(kind, reason, "Pod", &pod, "kubelet", message)
                }
                kubelet::Change::Exec { pod, container, probe, command } => {
                    execs.push(ExecRequest { pod, container, probe, command })
                }
                kubelet::Change::ContainerStarted { pod, container } => {
                    self.container_started(api.store(), &pod, container);
                }
            }
        }
        (changed, execs)
    }

    /// A container (re)started: a new writable layer, and the visits app reads its
    /// count from its file.
    fn container_started(&mut self, store: &Store, pod: &str, container: String) {
        let Some(p) = store.pods.get(pod) else { return };
        let Some(spec) = p.spec.containers.iter().find(|c| c.name == container) else { return };
        self.files.reset_layer(&p.metadata.uid, &container);
        let spec = &env::effective(store, p, spec);
        let count = apps::read_visits(store, &self.files, p, spec);
        let key = (p.metadata.uid.clone(), container);
        let logs = self.logs.entry_or_default(key.clone());
        if !logs.current.is_empty() || logs.previous.is_some() {
            logs.previous = Some(std::mem::take(&mut logs.current));
        }
        logs.current.extend(apps::startup_log(spec, count));
        self.visits.insert(key, count);
    }

    /// Hands an exec probe's result back to the kubelet; it counts at its next pass.
    /// For a container's own command (a shell container's), what it printed is the
    /// container's log, as the runtime would capture it.
    pub fn exec_done(&mut self, store: &Store, request: &ExecRequest, result: &ExecResult) {
        if request.probe == kubelet::MAIN {
            if let Some(pod) = store.pods.get(&request.pod) {
                let key = (pod.metadata.uid.clone(), request.container.clone());
                let printed: String = result.output.iter().map(|(_, text)| text.as_str()).collect();
                let logs = self.logs.entry_or_default(key);
                logs.current.extend(printed.lines().map(str::to_string));
            }
        }
        self.kubelet.exec_done(
            &request.pod,
            &request.container,
            request.probe,
            result.status,
            &result.probe_output(),
            result.took,
        );
    }

    /// The program listening on the backend's port answers, if the pod is up.
    pub fn serve(
        &mut self,
        store: &Store,
        pod: &str,
        port: i64,
        (method, path): (&str, &str),
        client_ip: &str,
        now: Millis,
    ) -> Option<HttpResponse> {
        let pod = store.pods.get(pod)?;
        let effective: Vec<Container> = pod.spec.containers.iter().map(|c| env::effective(store, pod, c)).collect();
        let container_index = effective.iter().position(|c| workload::listen_port(c) == Some(port))?;
        let running = pod.status.container_statuses.get(container_index).is_some_and(|s| s.state.running.is_some());
        if !running {
            return None;
        }
        let container = effective[container_index].clone();
        let key = (pod.metadata.uid.clone(), container.name.clone());
        let mut memory = self.visits.get(&key).copied().unwrap_or(0);
        let response = apps::handle(store, &mut self.files, pod, &container, &mut memory, (method, path));
        let line = apps::access_log(&container, client_ip, (method, path), &response, now);
        self.logs.entry_or_default(key.clone()).current.push(line);
        self.visits.insert(key, memory);
        Some(response)
    }

    /// Reads a file as `container` of `pod` sees it.
    pub fn read_file(&self, store: &Store, pod: &str, container: Option<&str>, path: &str) -> Option<String> {
        let pod = store.pods.get(pod)?;
        let container = match container {
            Some(name) => pod.spec.containers.iter().find(|c| c.name == name)?,
            None => pod.spec.containers.first()?,
        };
        if let Some(generated) = kubelet_managed_file(pod, &files::normalize(path)) {
            return Some(generated);
        }
        let at = files::resolve(store, pod, container, path);
        self.files.read(store, &at)
    }

    /// Writes a file as `container` of `pod` sees it.
    pub fn write_file(
        &mut self,
        store: &Store,
        pod: &str,
        container: Option<&str>,
        path: &str,
        content: String,
    ) -> Result<(), String> {
        let at = locate(store, pod, container, path)?;
        self.files.write(&at, content)
    }

    /// Deletes a file as `container` of `pod` sees it; `Ok(false)` when there was none.
    pub fn remove_file(
        &mut self,
        store: &Store,
        pod: &str,
        container: Option<&str>,
        path: &str,
    ) -> Result<bool, String> {
        let at = locate(store, pod, container, path)?;
        self.files.remove(&at)
    }
}

/// Where `path` lives for `container` (the first one if `None`) of `pod`.
fn locate(store: &Store, pod: &str, container: Option<&str>, path: &str) -> Result<files::Resolved, String> {
    let pod = store.pods.get(pod).ok_or_else(|| format!("pod {pod} not found"))?;
    let container = match container {
        Some(name) => pod.spec.containers.iter().find(|c| c.name == name),
        None => pod.spec.containers.first(),
    }
    .ok_or_else(|| "container not found".to_string())?;
    Ok(files::resolve(store, pod, container, path))
}

/// Files the kubelet writes into every container (§1.7, §6.10).
fn kubelet_managed_file(pod: &Pod, path: &str) -> Option<String> {
    let hostname = pod.spec.hostname.clone().unwrap_or_else(|| pod.name().to_string());
    let ip = pod.status.pod_ip.clone().unwrap_or_default();
    match path {
        "/etc/hostname" => Some(format!("{hostname}\n")),
        "/etc/hosts" => {
            let own = match pod.spec.subdomain.as_deref().filter(|s| !s.is_empty()) {
                Some(subdomain) => format!(
                    "{ip}\t{hostname}.{subdomain}.{}.svc.{}\t{hostname}",
                    pod.metadata.namespace(),
                    dns::CLUSTER_DOMAIN
                ),
                None => format!("{ip}\t{hostname}"),
            };
            Some(format!(
                "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n{own}\n"
            ))
        }
        "/etc/resolv.conf" => Some(format!(
            "nameserver {KUBE_DNS_IP}\nsearch {}\noptions ndots:5\n",
            dns::search_path(pod.metadata.namespace()).join(" ")
        )),
        _ => None,
    }
}
