//! The simulated cluster, composed: the API server (and its store), the controller
//! manager, the node and the network, on one virtual clock. Clients (kubectl, the
//! page) write through the API server with the calls here; after each write the
//! controllers and the kubelet run until nothing changes.

use crate::core::api::*;
use crate::core::apiserver::store::Store;
use crate::core::apiserver::ApiServer;
use crate::core::controllers::{ControllerManager, Name};
use crate::core::network::dns;
use crate::core::network::http::{Listener, Network};
use crate::core::node::files::Filesystems;
use crate::core::node::{Exec, ExecResult, Node};
use crate::core::time::Millis;

pub use crate::core::apiserver::{ApiError, ApplyLine, KUBE_DNS_IP, MAX_TOTAL_REPLICAS, NODE_NAME};
pub use crate::core::network::http::{Client, HttpRequest, HttpResponse, RequestError, RequestTrace};
pub use crate::core::node::ContainerLogs;

/// A reconcile pass that has not settled after this many rounds is cut short.
const MAX_ROUNDS: usize = 64;

/// Who runs in one round of the cluster's loop, in this order: the controller
/// manager's controllers, and the node's kubelet between the scheduler and endpoints
/// (the order decides the order of events, so it is part of the seed's promise). The
/// Deployment and ReplicaSet controllers came later and run last, so that a cluster
/// without them sees the same order as before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Worker {
    Controller(Name),
    Kubelet,
}

const ROUND: [Worker; 8] = [
    Worker::Controller(Name::GarbageCollector),
    Worker::Controller(Name::StatefulSet),
    Worker::Controller(Name::PersistentVolumeBinder),
    Worker::Controller(Name::Scheduler),
    Worker::Kubelet,
    Worker::Controller(Name::Endpoints),
    Worker::Controller(Name::Deployment),
    Worker::Controller(Name::ReplicaSet),
];

/// Runs a command inside a container: the programs of the images (a shell and its
/// tools), which the terminal layer provides (`cli::new_cluster`). Exec probes and
/// `kubectl exec` both go through [`Cluster::exec`]; the core never reaches up to the shell.
pub type ContainerExec = fn(&mut Cluster, Exec) -> ExecResult;

/// The whole simulated cluster. Cloning it is a snapshot.
#[derive(Clone)]
pub struct Cluster {
    /// The virtual clock, in milliseconds since the cluster started.
    now: Millis,
    api: ApiServer,
    controllers: ControllerManager,
    node: Node,
    network: Network,
    /// Per worker of [`ROUND`], what it watches as it was when a pass last found nothing
    /// at all to do; while that is unchanged, its pass is skipped.
    settled_on: [Option<[u64; 5]>; ROUND.len()],
    container_exec: Option<ContainerExec>,
}

impl std::fmt::Debug for Cluster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cluster").field("now", &self.now).field("api", &self.api).finish_non_exhaustive()
    }
}

impl Cluster {
    /// A fresh minikube-like cluster (see `ApiServer::minikube`). Exec probes need the
    /// containers' programs: see [`Cluster::with_container_exec`].
    pub fn new(seed: u64) -> Self {
        Cluster {
            now: 0,
            api: ApiServer::minikube(seed),
            controllers: ControllerManager::default(),
            node: Node::default(),
            network: Network::default(),
            settled_on: [None; ROUND.len()],
            container_exec: None,
        }
    }

    /// The cluster with `exec` as what runs commands in containers.
    pub fn with_container_exec(mut self, exec: ContainerExec) -> Self {
        self.container_exec = Some(exec);
        self
    }

    // ------------------------------------------------------------ reads

    /// The API server, for reads (clients write through the calls below).
    pub fn api(&self) -> &ApiServer {
        &self.api
    }

    /// The objects as they are now.
    pub fn store(&self) -> &Store {
        self.api.store()
    }

    /// Events, deduplicated, oldest first.
    pub fn events(&self) -> &[Event] {
        self.api.events()
    }

    /// Events about one object, oldest first.
    pub fn events_for<'a>(&'a self, kind: &'a str, name: &'a str) -> impl Iterator<Item = &'a Event> + 'a {
        self.api.events_for(kind, name)
    }

    /// The virtual clock, in milliseconds since the cluster started.
    pub fn now(&self) -> Millis {
        self.now
    }

    /// Every file on volumes, emptyDirs and container layers.
    pub fn files(&self) -> &Filesystems {
        &self.node.files
    }

    /// What a container printed: this run and the previous one.
    pub fn logs(&self, pod_uid: &str, container: &str) -> Option<&ContainerLogs> {
        self.node.logs.get(&(pod_uid.to_string(), container.to_string()))
    }

    /// The latest HTTP requests, oldest first.
    pub fn requests(&self) -> &[RequestTrace] {
        &self.network.requests
    }

    // ------------------------------------------------------------ client writes

    /// `kubectl apply -f` of the text. Atomic: if any document is invalid, nothing changes.
    pub fn apply_text(&mut self, text: &str) -> Result<Vec<ApplyLine>, ApiError> {
        let lines = self.api.apply_text(text)?;
        self.reconcile();
        Ok(lines)
    }

    /// `kubectl apply --dry-run=server`: every document's refusal, and nothing changes.
    pub fn dry_run(&self, text: &str) -> Vec<ApiError> {
        self.api.dry_run(text)
    }

    /// Graceful deletion of a pod (§2.12). `grace_seconds` overrides the pod's own.
    /// Returns false when there is no such pod.
    pub fn delete_pod(&mut self, name: &str, grace_seconds: Option<i64>) -> bool {
        let found = self.api.delete_pod(name, grace_seconds);
        if found {
            self.reconcile();
        }
        found
    }

    /// Deletes a claim: it shows Terminating until no pod uses it (PVC protection).
    pub fn delete_claim(&mut self, name: &str) -> bool {
        let found = self.api.delete_claim(name);
        if found {
            self.reconcile();
        }
        found
    }

    /// Deletes a StatefulSet; with `cascade`, its pods (and claims owned through the
    /// retention policy) are garbage-collected (§2.11).
    pub fn delete_stateful_set(&mut self, name: &str, cascade: bool) -> bool {
        let found = self.api.delete_stateful_set(name, cascade);
        if found {
            self.reconcile();
        }
        found
    }

    /// `kubectl scale sts NAME --replicas=N`.
    pub fn scale(&mut self, name: &str, replicas: i64) -> Result<(), String> {
        self.api.scale(name, replicas)?;
        self.reconcile();
        Ok(())
    }

    /// Replaces a StatefulSet's spec (patch, set image, rollout undo/restart), validated as an update.
    pub fn update_stateful_set(&mut self, name: &str, edit: impl FnOnce(&mut StatefulSet)) -> Result<bool, String> {
        let changed = self.api.update_stateful_set(name, edit)?;
        self.reconcile();
        Ok(changed)
    }

    /// Deletes a Deployment; with `cascade`, the garbage collector then deletes its
    /// ReplicaSets and their pods (background propagation), else they are orphaned.
    pub fn delete_deployment(&mut self, name: &str, cascade: bool) -> bool {
        let found = self.api.delete_deployment(name, cascade);
        if found {
            self.reconcile();
        }
        found
    }

    /// `kubectl scale deployment NAME --replicas=N`.
    pub fn scale_deployment(&mut self, name: &str, replicas: i64) -> Result<(), String> {
        self.api.scale_deployment(name, replicas)?;
        self.reconcile();
        Ok(())
    }

    /// Changes a Deployment (set image, pause, resume, undo), validated as an update.
    pub fn update_deployment(&mut self, name: &str, edit: impl FnOnce(&mut Deployment)) -> Result<bool, String> {
        let changed = self.api.update_deployment(name, edit)?;
        self.reconcile();
        Ok(changed)
    }

    /// Any other write a client makes (`kubectl label`, `delete svc` …) through the API
    /// server; the controllers then run.
    pub fn write<T>(&mut self, call: impl FnOnce(&mut ApiServer) -> T) -> T {
        let result = call(&mut self.api);
        self.reconcile();
        result
    }

    // ------------------------------------------------------------ the loop

    /// Runs every controller and the kubelet at the current time until nothing changes.
    pub fn reconcile(&mut self) {
        self.node.forget_removed(&mut self.api);
        // A controller is a function of the state and the clock (the kubelet also of its
        // own state, which only it changes). So once a controller has run and found nothing
        // to do, it need not run again until some controller changes something: `version`
        // counts changes within this call, `idle_at` remembers when each was last idle.
        // Finer still, a pass that did nothing at all (not even an event) need not run
        // again, in this call or a later one, until something it watches changes.
        let mut version = 0u64;
        let mut idle_at = [None; ROUND.len()];
        for _ in 0..MAX_ROUNDS {
            let mut changed_any = false;
            for (index, idle) in idle_at.iter_mut().enumerate() {
                if *idle == Some(version) {
                    continue;
                }
                let watched = self.watched(ROUND[index]);
                if self.settled_on[index] == Some(watched) {
                    *idle = Some(version);
                    continue;
                }
                let (changed, settled) = self.run(ROUND[index]);
                self.node.forget_removed(&mut self.api);
                self.settled_on[index] = settled.then(|| self.watched(ROUND[index]));
                if changed {
                    version += 1;
                    changed_any = true;
                } else {
                    *idle = Some(version);
                }
            }
            if !changed_any {
                return;
            }
        }
    }

    fn watched(&self, worker: Worker) -> [u64; 5] {
        match worker {
            Worker::Controller(name) => self.controllers.watched(name, &self.api),
            // The kubelet also has state of its own: whether some pod is due.
            Worker::Kubelet => {
                use crate::core::apiserver::Resource;
                let version = |resource| self.api.resource_version(resource);
                [
                    version(Resource::Pods),
                    version(Resource::ConfigMaps),
                    version(Resource::Secrets),
                    u64::from(self.node.due(self.now)),
                    0,
                ]
            }
        }
    }

    /// One pass of `worker`: whether it changed the state, and whether it settled.
    fn run(&mut self, worker: Worker) -> (bool, bool) {
        match worker {
            Worker::Controller(name) => self.controllers.run(name, &mut self.api),
            Worker::Kubelet => {
                let (mut changed, execs) = self.node.sync(&mut self.api);
                // Exec probes run once the sync's other changes are in, with the containers'
                // programs; the kubelet counts the results on its next pass.
                for request in execs {
                    let exec = Exec {
                        pod: &request.pod,
                        container: &request.container,
                        command: &request.command,
                        stdin: None,
                        probe: true,
                    };
                    let result = self.exec(exec);
                    self.node.exec_done(self.api.store(), &request, &result);
                    changed = true;
                }
                (changed, !self.node.due(self.now))
            }
        }
    }

    /// Runs a command in a container through the runtime's programs (an exec probe,
    /// `kubectl exec`). Without them, the runtime reports it cannot start the command.
    pub fn exec(&mut self, exec: Exec) -> ExecResult {
        match self.container_exec {
            Some(run) if !exec.command.is_empty() => run(self, exec),
            Some(_) => ExecResult::failed(126, ""),
            None => ExecResult::failed(126, "exec: no container runtime\n"),
        }
    }

    // ------------------------------------------------------------ time

    fn set_now(&mut self, now: Millis) {
        self.now = now;
        self.api.set_now(now);
    }

    /// The earliest future time at which something is due to happen.
    pub fn next_event_time(&self) -> Option<Millis> {
        [self.node.next_due(self.now), self.controllers.next_due(&self.api)].into_iter().flatten().min()
    }

    /// Advances the virtual clock to `until`, stopping at every due event.
    pub fn run_until(&mut self, until: Millis) {
        self.reconcile();
        while let Some(next) = self.next_event_time().filter(|t| *t <= until) {
            self.set_now(next);
            self.reconcile();
        }
        if until > self.now {
            self.set_now(until);
            self.reconcile();
        }
    }

    /// Advances the clock by `ms` milliseconds.
    pub fn advance(&mut self, ms: Millis) {
        self.run_until(self.now + ms);
    }

    /// Jumps to the next due event; returns false when nothing is scheduled.
    pub fn step(&mut self) -> bool {
        match self.next_event_time() {
            Some(next) => {
                self.set_now(next);
                self.reconcile();
                true
            }
            None => false,
        }
    }

    /// Advances until `done` holds or `timeout` ms pass; returns whether it held.
    pub fn run_until_condition(&mut self, timeout: Millis, done: impl Fn(&Cluster) -> bool) -> bool {
        let deadline = self.now + timeout;
        self.reconcile();
        loop {
            if done(self) {
                return true;
            }
            match self.next_event_time().filter(|t| *t <= deadline) {
                Some(next) => {
                    self.set_now(next);
                    self.reconcile();
                }
                None => {
                    self.set_now(deadline);
                    self.reconcile();
                    return done(self);
                }
            }
        }
    }

    // ------------------------------------------------------------ network and node

    /// A DNS lookup as a pod in `default` (or the host through minikube's DNS) makes it.
    pub fn lookup(&self, name: &str) -> Result<dns::Answer, dns::Miss> {
        dns::lookup(self.api.store(), name, "default")
    }

    /// `GET http://host:port/path` from `client`: DNS, kube-proxy, then the program in the pod.
    pub fn http_get(
        &mut self,
        host: &str,
        port: i64,
        path: &str,
        client: &Client,
    ) -> Result<HttpResponse, RequestError> {
        self.http(HttpRequest::get(host, port, path), client)
    }

    /// Any HTTP request from `client` (curl -X, -I, -d).
    pub fn http(&mut self, request: HttpRequest, client: &Client) -> Result<HttpResponse, RequestError> {
        self.network.request(&mut self.api, &mut self.node, request, client)
    }

    /// Reads a file as `container` of `pod` sees it.
    pub fn read_file(&self, pod: &str, container: Option<&str>, path: &str) -> Option<String> {
        self.node.read_file(self.api.store(), pod, container, path)
    }

    /// Writes a file as `container` of `pod` sees it.
    pub fn write_file(
        &mut self,
        pod: &str,
        container: Option<&str>,
        path: &str,
        content: String,
    ) -> Result<(), String> {
        self.node.write_file(self.api.store(), pod, container, path, content)
    }

    /// Deletes a file as `container` of `pod` sees it; `Ok(false)` when there was none.
    pub fn remove_file(&mut self, pod: &str, container: Option<&str>, path: &str) -> Result<bool, String> {
        self.node.remove_file(self.api.store(), pod, container, path)
    }
}

impl Listener for Node {
    fn serve(
        &mut self,
        store: &Store,
        pod: &str,
        port: i64,
        request: (&str, &str),
        client_ip: &str,
        now: Millis,
    ) -> Option<HttpResponse> {
        Node::serve(self, store, pod, port, request, client_ip, now)
    }
}
