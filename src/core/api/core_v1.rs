//! core/v1 (and a few cluster objects): Pod, PVC, PV, Service, Endpoints, Event …

use std::collections::BTreeMap;

use super::meta::{Labels, ObjectMeta, Opaque};
use crate::core::time::Millis;

// ---------------------------------------------------------------- pod spec

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PodTemplateSpec {
    pub metadata: ObjectMeta,
    pub spec: PodSpec,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PodSpec {
    pub init_containers: Vec<Container>,
    pub containers: Vec<Container>,
    pub volumes: Vec<Volume>,
    pub restart_policy: Option<String>,
    pub termination_grace_period_seconds: Option<i64>,
    pub active_deadline_seconds: Option<i64>,
    pub dns_policy: Option<String>,
    pub hostname: Option<String>,
    pub subdomain: Option<String>,
    pub node_name: Option<String>,
    pub scheduler_name: Option<String>,
    pub service_account_name: Option<String>,
    pub service_account: Option<String>,
    pub node_selector: Option<Labels>,
    pub security_context: Opaque,
    pub affinity: Opaque,
    pub tolerations: Opaque,
    pub image_pull_secrets: Opaque,
    pub topology_spread_constraints: Opaque,
    pub priority_class_name: Option<String>,
    pub automount_service_account_token: Option<bool>,
    pub enable_service_links: Option<bool>,
    pub host_network: Option<bool>,
    pub share_process_namespace: Option<bool>,
    pub dns_config: Opaque,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Container {
    pub name: String,
    pub image: String,
    pub command: Vec<String>,
    pub args: Vec<String>,
    pub working_dir: Option<String>,
    pub ports: Vec<ContainerPort>,
    pub env: Vec<EnvVar>,
    pub env_from: Opaque,
    pub volume_mounts: Vec<VolumeMount>,
    pub liveness_probe: Option<Probe>,
    pub readiness_probe: Option<Probe>,
    pub startup_probe: Option<Probe>,
    pub image_pull_policy: Option<String>,
    pub resources: Opaque,
    pub security_context: Opaque,
    pub lifecycle: Opaque,
    pub termination_message_path: Option<String>,
    pub termination_message_policy: Option<String>,
    pub restart_policy: Option<String>,
    pub stdin: Option<bool>,
    pub tty: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContainerPort {
    pub name: Option<String>,
    pub container_port: i64,
    pub protocol: Option<String>,
    pub host_port: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct EnvVar {
    pub name: String,
    pub value: Option<String>,
    pub value_from: Opaque,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct VolumeMount {
    pub name: String,
    pub mount_path: String,
    pub read_only: Option<bool>,
    pub sub_path: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Volume {
    pub name: String,
    pub persistent_volume_claim: Option<PvcVolumeSource>,
    pub empty_dir: Opaque,
    pub config_map: Opaque,
    pub secret: Opaque,
    pub host_path: Opaque,
    pub projected: Opaque,
    pub downward_api: Opaque,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PvcVolumeSource {
    pub claim_name: String,
    pub read_only: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Probe {
    pub http_get: Option<HttpGetAction>,
    pub tcp_socket: Opaque,
    pub exec: Opaque,
    pub grpc: Opaque,
    pub initial_delay_seconds: Option<i64>,
    pub timeout_seconds: Option<i64>,
    pub period_seconds: Option<i64>,
    pub success_threshold: Option<i64>,
    pub failure_threshold: Option<i64>,
    pub termination_grace_period_seconds: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct HttpGetAction {
    pub path: Option<String>,
    /// A number or a named container port.
    pub port: crate::core::api::yaml::Value,
    pub scheme: Option<String>,
    pub host: Option<String>,
    pub http_headers: Opaque,
}

// ---------------------------------------------------------------- pod

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pod {
    pub metadata: ObjectMeta,
    pub spec: PodSpec,
    /// Written by the kubelet only; never read from a manifest.
    pub status: PodStatus,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PodStatus {
    /// Pending, Running, Succeeded, Failed.
    pub phase: String,
    pub conditions: Vec<PodCondition>,
    pub host_ip: Option<String>,
    pub pod_ip: Option<String>,
    pub start_time: Option<Millis>,
    pub container_statuses: Vec<ContainerStatus>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PodCondition {
    pub kind: String,
    pub status: String,
    pub last_transition_time: Option<Millis>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContainerStatus {
    pub name: String,
    pub image: String,
    pub ready: bool,
    pub started: bool,
    pub restart_count: i64,
    pub state: ContainerState,
    pub last_state: ContainerState,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContainerState {
    pub waiting: Option<StateWaiting>,
    pub running: Option<StateRunning>,
    pub terminated: Option<StateTerminated>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct StateWaiting {
    pub reason: String,
    pub message: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct StateRunning {
    pub started_at: Millis,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct StateTerminated {
    pub exit_code: i64,
    pub reason: String,
    pub started_at: Millis,
    pub finished_at: Millis,
}

/// Whether a pod Ready since `ready_since` (`None`: not Ready) has been so for
/// `min_ready_seconds` at `now` (§2.8).
pub fn ready_long_enough(ready_since: Option<Millis>, min_ready_seconds: i64, now: Millis) -> bool {
    ready_since.is_some_and(|since| {
        min_ready_seconds <= 0 || now >= since.saturating_add((min_ready_seconds as u64).saturating_mul(1000))
    })
}

impl Pod {
    pub fn name(&self) -> &str {
        &self.metadata.name
    }
    pub fn condition(&self, kind: &str) -> bool {
        self.status.conditions.iter().any(|c| c.kind == kind && c.status == "True")
    }
    /// When the Ready condition last became True, if it is True.
    pub fn ready_since(&self) -> Option<Millis> {
        self.status
            .conditions
            .iter()
            .find(|c| c.kind == "Ready" && c.status == "True")
            .map(|c| c.last_transition_time.unwrap_or(0))
    }
    /// §2.8 `isRunningAndReady`: phase Running and condition Ready=True.
    pub fn is_running_and_ready(&self) -> bool {
        self.status.phase == "Running" && self.condition("Ready")
    }
    /// §2.8 `isRunningAndAvailable`: ready for at least `min_ready_seconds`.
    pub fn is_available(&self, min_ready_seconds: i64, now: Millis) -> bool {
        // ready_since is Some exactly when the Ready condition is True.
        self.status.phase == "Running" && ready_long_enough(self.ready_since(), min_ready_seconds, now)
    }
    pub fn is_terminal(&self) -> bool {
        self.status.phase == "Succeeded" || self.status.phase == "Failed"
    }
    /// The `controller-revision-hash` label (§1.5).
    pub fn revision(&self) -> &str {
        self.metadata.labels.get(CONTROLLER_REVISION_HASH).map(String::as_str).unwrap_or("")
    }
}

/// Label holding the ControllerRevision a StatefulSet pod was made from (§1.5).
pub const CONTROLLER_REVISION_HASH: &str = "controller-revision-hash";
/// Label with the pod's own name, put back by the controller if removed (§1.6).
pub const POD_NAME_LABEL: &str = "statefulset.kubernetes.io/pod-name";
/// Label with the pod's ordinal (§1.5).
pub const POD_INDEX_LABEL: &str = "apps.kubernetes.io/pod-index";

// ---------------------------------------------------------------- storage

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PersistentVolumeClaim {
    pub metadata: ObjectMeta,
    pub spec: PersistentVolumeClaimSpec,
    /// Written by the PV controller only; never read from a manifest.
    pub status: PersistentVolumeClaimStatus,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PersistentVolumeClaimSpec {
    pub access_modes: Vec<String>,
    pub resources: Option<VolumeResources>,
    pub storage_class_name: Option<String>,
    pub volume_mode: Option<String>,
    pub volume_name: Option<String>,
    pub selector: Opaque,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct VolumeResources {
    pub requests: BTreeMap<String, crate::core::api::yaml::Value>,
    pub limits: BTreeMap<String, crate::core::api::yaml::Value>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PersistentVolumeClaimStatus {
    pub phase: String,
    pub access_modes: Vec<String>,
    pub capacity: Option<String>,
}

impl PersistentVolumeClaim {
    /// The requested size as written (`1Gi`), if any.
    pub fn requested_storage(&self) -> Option<String> {
        let value = self.spec.resources.as_ref()?.requests.get("storage")?;
        Some(match value {
            crate::core::api::yaml::Value::String(s) => s.clone(),
            crate::core::api::yaml::Value::Number(n) => n.to_string(),
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PersistentVolume {
    pub metadata: ObjectMeta,
    pub capacity: String,
    pub access_modes: Vec<String>,
    pub reclaim_policy: String,
    pub storage_class_name: String,
    /// `namespace/name` of the bound claim.
    pub claim_ref: Option<String>,
    /// Available, Bound, Released.
    pub phase: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct StorageClass {
    pub metadata: ObjectMeta,
    pub provisioner: String,
    pub reclaim_policy: Option<String>,
    pub volume_binding_mode: Option<String>,
    pub allow_volume_expansion: Option<bool>,
}

// ---------------------------------------------------------------- services

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Service {
    pub metadata: ObjectMeta,
    pub spec: ServiceSpec,
    pub status: ServiceStatus,
}

/// `status.loadBalancer.ingress[].ip`: the external addresses of a LoadBalancer
/// Service, once something (here, `minikube tunnel`) provides them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceStatus {
    pub load_balancer_ingress: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServiceSpec {
    pub kind: Option<String>,
    pub cluster_ip: Option<String>,
    pub selector: Option<Labels>,
    pub ports: Vec<ServicePort>,
    pub session_affinity: Option<String>,
    pub session_affinity_config: Opaque,
    pub publish_not_ready_addresses: Option<bool>,
    pub external_name: Option<String>,
    pub internal_traffic_policy: Option<String>,
    pub external_traffic_policy: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServicePort {
    pub name: Option<String>,
    pub port: i64,
    pub target_port: Option<crate::core::api::yaml::Value>,
    pub protocol: Option<String>,
    pub node_port: Option<i64>,
}

impl Service {
    /// §6.1: `clusterIP: None`.
    pub fn is_headless(&self) -> bool {
        self.spec.cluster_ip.as_deref() == Some("None")
    }
}

/// One address of an Endpoints subset (§6.2).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EndpointAddress {
    pub ip: String,
    pub hostname: Option<String>,
    /// The pod behind the address.
    pub target_pod: String,
    /// §6.3: the pod is terminating.
    pub terminating: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Endpoints {
    pub metadata: ObjectMeta,
    pub addresses: Vec<EndpointAddress>,
    pub not_ready_addresses: Vec<EndpointAddress>,
    pub ports: Vec<ServicePort>,
}

/// discovery.k8s.io/v1 EndpointSlice (§6.3), as the EndpointSlice controller (or, for
/// `kubernetes`, the API server) writes it. The playground derives it when asked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EndpointSlice {
    pub metadata: ObjectMeta,
    pub endpoints: Vec<SliceEndpoint>,
    /// `None`: no ports (a placeholder slice, or a headless Service without ports).
    pub ports: Option<Vec<ServicePort>>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SliceEndpoint {
    pub address: String,
    pub ready: bool,
    /// `serving` and `terminating`; `None` for the API server's own endpoint (ready only).
    pub serving_terminating: Option<(bool, bool)>,
    pub hostname: Option<String>,
    pub node_name: Option<String>,
    /// The pod: (name, uid).
    pub target: Option<(String, String)>,
}

// ---------------------------------------------------------------- config and others

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConfigMap {
    pub metadata: ObjectMeta,
    pub data: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Secret {
    pub metadata: ObjectMeta,
    pub kind: Option<String>,
    pub data: BTreeMap<String, String>,
    pub string_data: BTreeMap<String, String>,
}

/// Objects the playground stores and lists but does not act on (ServiceAccount, Ingress).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GenericObject {
    pub api_version: String,
    pub kind: String,
    pub metadata: ObjectMeta,
    /// Everything else, as written.
    pub body: crate::core::api::yaml::Value,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Node {
    pub metadata: ObjectMeta,
    pub internal_ip: String,
    pub ready: bool,
}

/// A recorded event (core/v1 Event), deduplicated by (object, reason, message).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Event {
    /// `Normal` or `Warning`. (Words the controllers choose from are `&'static str`:
    /// tens of thousands of events then need no allocation for them.)
    pub kind: &'static str,
    pub reason: &'static str,
    pub message: String,
    /// The involved object's kind (`StatefulSet`, `Pod` …) and name.
    pub object_kind: &'static str,
    pub object_name: String,
    /// `statefulset-controller`, `kubelet`, `default-scheduler` …
    pub source: &'static str,
    pub first_timestamp: Millis,
    pub last_timestamp: Millis,
    pub count: u32,
    /// Playground only, never printed: the field of the involved object's
    /// manifest whose value caused this event (a `FailedCreate` for a
    /// volumeMount naming no volume), so the editor can point at its line.
    pub cause_field: Option<String>,
}

/// Splits `registry/repo:tag` into the repository and the tag (default `latest`).
pub fn split_image(image: &str) -> (&str, &str) {
    let image = image.split('@').next().unwrap_or(image);
    let last_slash = image.rfind('/').map_or(0, |i| i + 1);
    match image[last_slash..].rfind(':') {
        Some(colon) => (&image[..last_slash + colon], &image[last_slash + colon + 1..]),
        None => (image, "latest"),
    }
}

/// `targetPort` as a number, or a named container port of the pod; defaults to `port`
/// (`podutil.FindPort`).
pub fn target_port(service_port: &ServicePort, pod: &Pod) -> Option<i64> {
    match &service_port.target_port {
        None => Some(service_port.port),
        Some(crate::core::api::yaml::Value::Number(n)) => n.as_i64(),
        Some(crate::core::api::yaml::Value::String(name)) => match name.parse() {
            Ok(number) => Some(number),
            Err(_) => pod
                .spec
                .containers
                .iter()
                .flat_map(|c| &c.ports)
                .find(|p| p.name.as_deref() == Some(name.as_str()))
                .map(|p| p.container_port),
        },
        Some(_) => None,
    }
}
