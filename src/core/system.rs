//! The kube-system namespace of a fresh minikube (Kubernetes v1.32): the control-plane
//! static pods, CoreDNS, kube-proxy, the storage provisioner and the kube-dns Service,
//! as `kubectl get pods -A` and `get svc -A` list them. They only ever run, so they are
//! made when kubectl asks (no store entries, no work per tick) and never mix with
//! `default`: no controller, count, lesson or DNS answer in `default` sees them.

use crate::core::api::*;
use crate::core::cluster::{Cluster, KUBE_DNS_IP, NODE_NAME};

pub const NAMESPACE: &str = "kube-system";
/// CoreDNS's pod IP. A fresh minikube gives it the first address (10.244.0.2); the
/// playground keeps that one for the learner's first pod and reserves this one instead.
pub use crate::core::apiserver::COREDNS_IP;
/// The pod-template hash of the coredns ReplicaSet in kubeadm v1.32 (UNVERIFIED).
const COREDNS_HASH: &str = "668d6bf9bc";
const NODE_IP: &str = "192.168.49.2";

/// `n` characters of the generated-name alphabet, stable for one cluster.
fn suffix(cluster: &Cluster, salt: &str, n: usize) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let seed = cluster.store().nodes.get(NODE_NAME).map_or("", |node| node.metadata.uid.as_str());
    let mut hash = seed
        .bytes()
        .chain(salt.bytes())
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    (0..n)
        .map(|_| {
            let c = ALPHABET[(hash % ALPHABET.len() as u64) as usize] as char;
            hash /= ALPHABET.len() as u64;
            c
        })
        .collect()
}

/// A UID for a derived object, stable for one cluster; the node's own for the node.
fn uid(cluster: &Cluster, name: &str) -> String {
    let node = cluster.store().nodes.get(NODE_NAME).map_or("", |node| node.metadata.uid.as_str());
    if name == NODE_NAME {
        return node.to_string();
    }
    crate::core::apiserver::store::derived_uid(&format!("{node}/{name}"))
}

fn meta(cluster: &Cluster, name: &str, labels: &[(&str, &str)], owner: Option<(&str, &str, String)>) -> ObjectMeta {
    let mut meta = ObjectMeta {
        name: name.into(),
        namespace: Some(NAMESPACE.into()),
        uid: uid(cluster, name),
        creation_timestamp: Some(0),
        ..Default::default()
    };
    for (k, v) in labels {
        meta.labels.insert(k.to_string(), v.to_string());
    }
    if let Some((api_version, kind, owner)) = owner {
        meta.owner_references.push(OwnerReference {
            api_version: api_version.into(),
            kind: kind.into(),
            uid: uid(cluster, &owner),
            name: owner,
            controller: true,
            block_owner_deletion: true,
        });
    }
    meta
}

/// One kube-system pod: name, container, image, labels, controller owner.
type Blueprint =
    (String, &'static str, String, [(&'static str, &'static str); 2], Option<(&'static str, &'static str, String)>);

/// The kube-system pods, in name order, Running and Ready since the cluster started.
pub fn pods(cluster: &Cluster) -> Vec<Pod> {
    let control_plane = |component: &'static str| -> Blueprint {
        let image = if component == "etcd" {
            "registry.k8s.io/etcd:3.5.16-0".into()
        } else {
            format!("registry.k8s.io/{component}:v1.32.0")
        };
        (
            format!("{component}-{NODE_NAME}"),
            component,
            image,
            [("component", component), ("tier", "control-plane")],
            Some(("v1", "Node", NODE_NAME.into())),
        )
    };
    let coredns = format!("coredns-{COREDNS_HASH}");
    let list: [Blueprint; 7] = [
        (
            format!("{coredns}-{}", suffix(cluster, "coredns", 5)),
            "coredns",
            "registry.k8s.io/coredns/coredns:v1.11.3".into(),
            [("k8s-app", "kube-dns"), ("pod-template-hash", COREDNS_HASH)],
            Some(("apps/v1", "ReplicaSet", coredns)),
        ),
        control_plane("etcd"),
        control_plane("kube-apiserver"),
        control_plane("kube-controller-manager"),
        (
            format!("kube-proxy-{}", suffix(cluster, "kube-proxy", 5)),
            "kube-proxy",
            "registry.k8s.io/kube-proxy:v1.32.0".into(),
            [("k8s-app", "kube-proxy"), ("pod-template-generation", "1")],
            Some(("apps/v1", "DaemonSet", "kube-proxy".into())),
        ),
        control_plane("kube-scheduler"),
        (
            "storage-provisioner".into(),
            "storage-provisioner",
            "gcr.io/k8s-minikube/storage-provisioner:v5".into(),
            [("addonmanager.kubernetes.io/mode", "Reconcile"), ("integration-test", "storage-provisioner")],
            None,
        ),
    ];
    list.into_iter()
        .map(|(name, container, image, labels, owner)| {
            // Only CoreDNS has a pod network address; the others run in the node's network.
            let ip = if container == "coredns" { COREDNS_IP } else { NODE_IP };
            let condition =
                |kind: &str| PodCondition { kind: kind.into(), status: "True".into(), last_transition_time: Some(0) };
            Pod {
                metadata: meta(cluster, &name, &labels, owner),
                spec: PodSpec {
                    containers: vec![Container {
                        name: container.into(),
                        image: image.clone(),
                        image_pull_policy: Some("IfNotPresent".into()),
                        ..Default::default()
                    }],
                    node_name: Some(NODE_NAME.into()),
                    restart_policy: Some("Always".into()),
                    ..Default::default()
                },
                status: PodStatus {
                    phase: "Running".into(),
                    conditions: [
                        "PodReadyToStartContainers",
                        "Initialized",
                        "Ready",
                        "ContainersReady",
                        "PodScheduled",
                    ]
                    .map(condition)
                    .to_vec(),
                    host_ip: Some(NODE_IP.into()),
                    pod_ip: Some(ip.into()),
                    start_time: Some(0),
                    container_statuses: vec![ContainerStatus {
                        name: container.into(),
                        image,
                        ready: true,
                        started: true,
                        restart_count: 0,
                        state: ContainerState { running: Some(StateRunning { started_at: 0 }), ..Default::default() },
                        last_state: ContainerState::default(),
                    }],
                    reason: None,
                },
            }
        })
        .collect()
}

fn port(name: &str, number: i64, protocol: &str) -> ServicePort {
    ServicePort {
        name: Some(name.into()),
        port: number,
        target_port: Some(number.into()),
        protocol: Some(protocol.into()),
        node_port: None,
    }
}

/// The kube-dns Service (CoreDNS's ClusterIP, §6.10).
pub fn services(cluster: &Cluster) -> Vec<Service> {
    let labels =
        [("k8s-app", "kube-dns"), ("kubernetes.io/cluster-service", "true"), ("kubernetes.io/name", "CoreDNS")];
    let mut metadata = meta(cluster, "kube-dns", &labels, None);
    metadata.annotations.insert("prometheus.io/port".into(), "9153".into());
    metadata.annotations.insert("prometheus.io/scrape".into(), "true".into());
    let mut selector = Labels::new();
    selector.insert("k8s-app".into(), "kube-dns".into());
    let spec = ServiceSpec {
        kind: Some("ClusterIP".into()),
        cluster_ip: Some(KUBE_DNS_IP.into()),
        selector: Some(selector),
        ports: vec![port("dns", 53, "UDP"), port("dns-tcp", 53, "TCP"), port("metrics", 9153, "TCP")],
        session_affinity: Some("None".into()),
        internal_traffic_policy: Some("Cluster".into()),
        ..Default::default()
    };
    vec![Service { metadata, spec, status: Default::default() }]
}

/// The Endpoints of kube-dns: the CoreDNS pod.
pub fn endpoints(cluster: &Cluster) -> Vec<Endpoints> {
    let pod = pods(cluster)
        .into_iter()
        .find(|p| p.name().starts_with("coredns"))
        .map(|p| p.metadata.name)
        .unwrap_or_default();
    let address = EndpointAddress { ip: COREDNS_IP.into(), hostname: None, target_pod: pod, terminating: false };
    let ports = services(cluster)
        .into_iter()
        .flat_map(|s| s.spec.ports)
        .map(|p| ServicePort { target_port: None, ..p })
        .collect();
    let mut metadata = meta(cluster, "kube-dns", &[], None);
    metadata.uid = String::new();
    vec![Endpoints { metadata, addresses: vec![address], not_ready_addresses: Vec::new(), ports }]
}
