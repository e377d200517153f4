//! `kubectl get`: resource kinds, their table columns (reference §8.2–§8.7, §8.12),
//! label selectors, and the -o formats.

use crate::core::api::yaml::Value;

use crate::core::api::write::ToValue;

use super::super::render;
use super::super::table;
use crate::cli::printers::{self, age};
use crate::core::api::*;
use crate::core::cluster::Cluster;
use crate::core::controllers::endpoints;
use crate::core::system;

pub use super::kinds::Kind;

/// What `kubectl get` was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub kinds: Vec<Kind>,
    pub names: Vec<String>,
    pub selector: Vec<Requirement>,
    pub wide: bool,
    pub show_labels: bool,
    pub scope: Scope,
}

/// Which namespaces a query lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Default,
    /// `-n kube-system` (crate::core::system).
    System,
    /// `-A`: both, with a NAMESPACE column in front (for namespaced kinds).
    All,
}

/// One label selector term: `k=v`, `k!=v`, `k`, `!k`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requirement {
    Equals(String, String),
    NotEquals(String, String),
    Exists(String),
    NotExists(String),
}

pub fn parse_selector(text: &str) -> Result<Vec<Requirement>, String> {
    text.split(',')
        .filter(|t| !t.trim().is_empty())
        .map(|term| {
            let term = term.trim();
            if let Some((k, v)) = term.split_once("!=") {
                Ok(Requirement::NotEquals(k.into(), v.into()))
            } else if let Some((k, v)) = term.split_once("==").or_else(|| term.split_once('=')) {
                Ok(Requirement::Equals(k.into(), v.into()))
            } else if let Some(k) = term.strip_prefix('!') {
                Ok(Requirement::NotExists(k.into()))
            } else if term.chars().all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c)) {
                Ok(Requirement::Exists(term.into()))
            } else {
                Err(format!(
                    "error: unable to parse requirement: found '{term}', expected: ',', '!=', '==', '=' or 'in, notin'"
                ))
            }
        })
        .collect()
}

pub fn selected(selector: &[Requirement], labels: &Labels) -> bool {
    selector.iter().all(|r| match r {
        Requirement::Equals(k, v) => labels.get(k) == Some(v),
        Requirement::NotEquals(k, v) => labels.get(k) != Some(v),
        Requirement::Exists(k) => labels.contains_key(k),
        Requirement::NotExists(k) => !labels.contains_key(k),
    })
}

fn none_if_empty(text: String) -> String {
    if text.is_empty() {
        "<none>".into()
    } else {
        text
    }
}

/// (name, labels) of every object of a kind, in kubectl's (name) order.
pub fn objects(cluster: &Cluster, kind: Kind) -> Vec<(String, Labels)> {
    let store = &cluster.store();
    let list = |meta: &ObjectMeta| (meta.name.clone(), meta.labels.clone());
    match kind {
        Kind::Pod => store.pods.values().map(|o| list(&o.metadata)).collect(),
        Kind::Service => store.services.values().map(|o| list(&o.metadata)).collect(),
        Kind::StatefulSet => store.stateful_sets.values().map(|o| list(&o.metadata)).collect(),
        Kind::Endpoints => store
            .endpoints
            .keys()
            .map(|n| (n.clone(), store.services.get(n).map(|s| s.metadata.labels.clone()).unwrap_or_default()))
            .collect(),
        Kind::EndpointSlice => {
            endpoints::endpoint_slices(store).into_iter().map(|s| (s.metadata.name, s.metadata.labels)).collect()
        }
        Kind::PersistentVolumeClaim => store.claims.values().map(|o| list(&o.metadata)).collect(),
        Kind::PersistentVolume => store.volumes.values().map(|o| list(&o.metadata)).collect(),
        Kind::ControllerRevision => store.revisions.values().map(|o| list(&o.metadata)).collect(),
        Kind::Event => cluster.events().iter().enumerate().map(|(i, e)| (event_name(e, i), Labels::new())).collect(),
        Kind::ConfigMap => store.config_maps.values().map(|o| list(&o.metadata)).collect(),
        Kind::Secret => store.secrets.values().map(|o| list(&o.metadata)).collect(),
        Kind::Deployment => store.deployments.values().map(|o| list(&o.metadata)).collect(),
        Kind::ReplicaSet => store.replica_sets.values().map(|o| list(&o.metadata)).collect(),
        Kind::ServiceAccount | Kind::Ingress | Kind::HorizontalPodAutoscaler | Kind::NetworkPolicy => {
            stored_only(cluster, kind).map(|o| list(&o.metadata)).collect()
        }
        Kind::StorageClass => store.storage_classes.values().map(|o| list(&o.metadata)).collect(),
        Kind::Node => store.nodes.values().map(|o| list(&o.metadata)).collect(),
        Kind::Namespace => namespaces(cluster).into_iter().map(|o| list(&o.metadata)).collect(),
    }
}

/// The objects of a kind the playground stores only (`Store::others`), in name order.
pub(super) fn stored_only(cluster: &Cluster, kind: Kind) -> impl Iterator<Item = &GenericObject> {
    let wanted = kind.stored_only().unwrap_or("");
    cluster.store().others.values().filter(move |o| o.kind == wanted)
}

/// A label selector as `labels.Selector.String()` prints it: requirements by key,
/// `k=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`; empty when it selects everything.
pub(super) fn selector_text(selector: Option<&LabelSelector>) -> String {
    let Some(selector) = selector else { return String::new() };
    let mut terms: Vec<(String, String)> =
        selector.match_labels.iter().map(|(k, v)| (k.clone(), format!("{k}={v}"))).collect();
    for requirement in &selector.match_expressions {
        let mut values = requirement.values.clone();
        values.sort();
        let key = &requirement.key;
        let text = match requirement.operator.as_str() {
            "In" => format!("{key} in ({})", values.join(",")),
            "NotIn" => format!("{key} notin ({})", values.join(",")),
            "Exists" => key.clone(),
            "DoesNotExist" => format!("!{key}"),
            other => format!("{key} {other}"),
        };
        terms.push((key.clone(), text));
    }
    terms.sort_by(|a, b| a.0.cmp(&b.0));
    terms.into_iter().map(|(_, t)| t).collect::<Vec<_>>().join(",")
}

/// `metav1.FormatLabelSelector`: the selector, or `<none>` when it is empty.
pub(super) fn format_selector(selector: Option<&LabelSelector>) -> String {
    none_if_empty(selector_text(selector))
}

/// CONTAINERS and IMAGES of `-o wide` (`layoutContainerCells`).
fn container_cells(containers: &[Container]) -> [String; 2] {
    [
        containers.iter().map(|c| c.name.clone()).collect::<Vec<_>>().join(","),
        containers.iter().map(|c| c.image.clone()).collect::<Vec<_>>().join(","),
    ]
}

/// A field of a stored-only object's body, by path.
fn field<'a>(object: &'a GenericObject, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(&object.body, |value, key| value.get(*key))
}

/// TARGETS of `kubectl get hpa` (`formatHPAMetrics`): each metric's current value (none
/// here: there is no metrics server) over its target; autoscaling/v1's
/// `targetCPUUtilizationPercentage`, or 80% when nothing is set, as the API converts it.
pub(super) fn hpa_targets(hpa: &GenericObject) -> String {
    let metrics: Vec<Value> =
        field(hpa, &["spec", "metrics"]).and_then(Value::as_sequence).cloned().unwrap_or_default();
    if metrics.is_empty() {
        let percent = field(hpa, &["spec", "targetCPUUtilizationPercentage"]).and_then(Value::as_i64).unwrap_or(80);
        return format!("cpu: <unknown>/{percent}%");
    }
    let mut list = Vec::new();
    for metric in &metrics {
        let kind = metric.get("type").and_then(Value::as_str).unwrap_or("");
        let source = match kind {
            "Resource" => metric.get("resource"),
            "ContainerResource" => metric.get("containerResource"),
            "Pods" => metric.get("pods"),
            "Object" => metric.get("object"),
            "External" => metric.get("external"),
            _ => None,
        };
        let target = source.and_then(|s| s.get("target"));
        let text = |key: &str| target.and_then(|t| t.get(key)).map(render::scalar_text);
        list.push(match kind {
            "Resource" | "ContainerResource" => {
                let name = source.and_then(|s| s.get("name")).map(render::scalar_text).unwrap_or_default();
                match text("averageValue") {
                    Some(value) => format!("<unknown>/{value}"),
                    None => {
                        let goal = text("averageUtilization").map_or("<auto>".to_string(), |p| format!("{p}%"));
                        if kind == "Resource" {
                            format!("{name}: <unknown>/{goal}")
                        } else {
                            let container =
                                source.and_then(|s| s.get("container")).map(render::scalar_text).unwrap_or_default();
                            format!("{name} of container \"{container}\": <unknown>/{goal}")
                        }
                    }
                }
            }
            "Pods" => format!("<unknown>/{}", text("averageValue").unwrap_or_default()),
            _ => match (text("value"), text("averageValue")) {
                (Some(value), _) => format!("<unknown>/{value}"),
                (None, Some(value)) => format!("<unknown>/{value} (avg)"),
                _ => "<unknown>/<unset>".to_string(),
            },
        });
    }
    // More than two metrics: the first two and "+ N more...".
    if list.len() > 2 {
        let more = list.len() - 2;
        list.truncate(2);
        return format!("{} + {more} more...", list.join(", "));
    }
    list.join(", ")
}

/// The namespaces of a fresh minikube, all Active since the cluster started.
fn namespaces(cluster: &Cluster) -> Vec<GenericObject> {
    ["default", "kube-node-lease", "kube-public", system::NAMESPACE]
        .into_iter()
        .map(|name| {
            let mut metadata = ObjectMeta::named(name);
            metadata.labels.insert("kubernetes.io/metadata.name".into(), name.into());
            metadata.creation_timestamp = Some(0);
            metadata.uid = crate::core::apiserver::store::derived_uid(&format!(
                "{}/namespace/{name}",
                cluster.store().nodes.values().next().map_or("", |n| n.metadata.uid.as_str())
            ));
            let body: Value =
                crate::core::api::yaml::from_str("spec:\n  finalizers: [kubernetes]\nstatus:\n  phase: Active\n")
                    .unwrap_or_default();
            GenericObject { api_version: "v1".into(), kind: "Namespace".into(), metadata, body }
        })
        .collect()
}

fn event_name(event: &Event, index: usize) -> String {
    format!("{}.{:016x}", event.object_name, 0x1820_0000_0000_0000_u64 + index as u64 * 7919)
}

/// Header and rows (name → cells) for one kind, as `kubectl get` prints them.
pub fn table_rows(cluster: &Cluster, kind: Kind, query: &Query) -> (Vec<String>, Vec<(String, Vec<String>)>) {
    let now = cluster.now();
    let store = &cluster.store();
    let created = |meta: &ObjectMeta| age(meta.creation_timestamp.unwrap_or(0), now);
    let strings = |cells: &[&str]| cells.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut header: Vec<String>;
    let mut rows: Vec<(String, Vec<String>, Labels)> = Vec::new();
    // Rows from here on are kube-system objects (only pods, Services and Endpoints have any).
    let mut first_system = usize::MAX;
    match kind {
        Kind::Pod => {
            header = strings(&["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
            if query.wide {
                header.extend(strings(&["IP", "NODE", "NOMINATED NODE", "READINESS GATES"]));
            }
            let system_pods = if query.scope == Scope::Default { Vec::new() } else { system::pods(cluster) };
            for (i, pod) in store.pods.values().chain(&system_pods).enumerate() {
                if i == store.pods.len() {
                    first_system = rows.len();
                }
                let mut cells = vec![
                    pod.name().to_string(),
                    printers::pod_ready(pod),
                    printers::pod_status(pod),
                    printers::pod_restarts(pod, now),
                    created(&pod.metadata),
                ];
                if query.wide {
                    cells.push(pod.status.pod_ip.clone().unwrap_or_else(|| "<none>".into()));
                    cells.push(pod.spec.node_name.clone().unwrap_or_else(|| "<none>".into()));
                    cells.extend(strings(&["<none>", "<none>"]));
                }
                rows.push((pod.name().to_string(), cells, pod.metadata.labels.clone()));
            }
        }
        Kind::StatefulSet => {
            header = strings(&["NAME", "READY", "AGE"]);
            if query.wide {
                header.extend(strings(&["CONTAINERS", "IMAGES"]));
            }
            for set in store.stateful_sets.values() {
                let mut cells = vec![
                    set.name().to_string(),
                    format!("{}/{}", set.status.ready_replicas, set.replicas()),
                    created(&set.metadata),
                ];
                if query.wide {
                    let containers = &set.spec.template.spec.containers;
                    cells.push(containers.iter().map(|c| c.name.clone()).collect::<Vec<_>>().join(","));
                    cells.push(containers.iter().map(|c| c.image.clone()).collect::<Vec<_>>().join(","));
                }
                rows.push((set.name().to_string(), cells, set.metadata.labels.clone()));
            }
        }
        Kind::Deployment => {
            // printDeployment
            header = strings(&["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]);
            if query.wide {
                header.extend(strings(&["CONTAINERS", "IMAGES", "SELECTOR"]));
            }
            for deployment in store.deployments.values() {
                let status = &deployment.status;
                let mut cells = vec![
                    deployment.name().to_string(),
                    format!("{}/{}", status.ready_replicas, deployment.replicas()),
                    status.updated_replicas.to_string(),
                    status.available_replicas.to_string(),
                    created(&deployment.metadata),
                ];
                if query.wide {
                    cells.extend(container_cells(&deployment.spec.template.spec.containers));
                    cells.push(selector_text(deployment.spec.selector.as_ref()));
                }
                rows.push((deployment.name().to_string(), cells, deployment.metadata.labels.clone()));
            }
        }
        Kind::ReplicaSet => {
            // printReplicaSet
            header = strings(&["NAME", "DESIRED", "CURRENT", "READY", "AGE"]);
            if query.wide {
                header.extend(strings(&["CONTAINERS", "IMAGES", "SELECTOR"]));
            }
            for replica_set in store.replica_sets.values() {
                let mut cells = vec![
                    replica_set.name().to_string(),
                    replica_set.replicas().to_string(),
                    replica_set.status.replicas.to_string(),
                    replica_set.status.ready_replicas.to_string(),
                    created(&replica_set.metadata),
                ];
                if query.wide {
                    cells.extend(container_cells(&replica_set.spec.template.spec.containers));
                    cells.push(format_selector(replica_set.spec.selector.as_ref()));
                }
                rows.push((replica_set.name().to_string(), cells, replica_set.metadata.labels.clone()));
            }
        }
        Kind::HorizontalPodAutoscaler => {
            // printHorizontalPodAutoscaler
            header = strings(&["NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"]);
            for hpa in stored_only(cluster, kind) {
                let text = |path: &[&str]| field(hpa, path).map(render::scalar_text);
                let reference = format!(
                    "{}/{}",
                    text(&["spec", "scaleTargetRef", "kind"]).unwrap_or_default(),
                    text(&["spec", "scaleTargetRef", "name"]).unwrap_or_default()
                );
                let cells = vec![
                    hpa.metadata.name.clone(),
                    reference,
                    hpa_targets(hpa),
                    // The API server defaults minReplicas to 1.
                    text(&["spec", "minReplicas"]).unwrap_or_else(|| "1".into()),
                    text(&["spec", "maxReplicas"]).unwrap_or_else(|| "0".into()),
                    text(&["status", "currentReplicas"]).unwrap_or_else(|| "0".into()),
                    created(&hpa.metadata),
                ];
                rows.push((hpa.metadata.name.clone(), cells, hpa.metadata.labels.clone()));
            }
        }
        Kind::NetworkPolicy => {
            // printNetworkPolicy
            header = strings(&["NAME", "POD-SELECTOR", "AGE"]);
            for policy in stored_only(cluster, kind) {
                let selector: Option<LabelSelector> =
                    field(policy, &["spec", "podSelector"]).and_then(|v| crate::core::api::read::from_value(v).ok());
                let cells =
                    vec![policy.metadata.name.clone(), format_selector(selector.as_ref()), created(&policy.metadata)];
                rows.push((policy.metadata.name.clone(), cells, policy.metadata.labels.clone()));
            }
        }
        Kind::Service => {
            header = strings(&["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]);
            if query.wide {
                header.push("SELECTOR".into());
            }
            let system_services = if query.scope == Scope::Default { Vec::new() } else { system::services(cluster) };
            for (i, service) in store.services.values().chain(&system_services).enumerate() {
                if i == store.services.len() {
                    first_system = rows.len();
                }
                let kind = service.spec.kind.clone().unwrap_or_else(|| "ClusterIP".into());
                let ingress = service.status.load_balancer_ingress.join(",");
                let external = match kind.as_str() {
                    "LoadBalancer" if ingress.is_empty() => "<pending>".to_string(),
                    "LoadBalancer" => ingress,
                    _ => "<none>".to_string(),
                };
                let ports: Vec<String> = service
                    .spec
                    .ports
                    .iter()
                    .map(|p| {
                        let protocol = p.protocol.as_deref().unwrap_or("TCP");
                        match p.node_port {
                            Some(node) => format!("{}:{node}/{protocol}", p.port),
                            None => format!("{}/{protocol}", p.port),
                        }
                    })
                    .collect();
                let mut cells = vec![
                    service.metadata.name.clone(),
                    kind,
                    service.spec.cluster_ip.clone().unwrap_or_else(|| "<none>".into()),
                    external.into(),
                    none_if_empty(ports.join(",")),
                    created(&service.metadata),
                ];
                if query.wide {
                    cells.push(none_if_empty(service.spec.selector.as_ref().map(format_labels).unwrap_or_default()));
                }
                rows.push((service.metadata.name.clone(), cells, service.metadata.labels.clone()));
            }
        }
        Kind::Endpoints => {
            header = strings(&["NAME", "ENDPOINTS", "AGE"]);
            let system_endpoints = if query.scope == Scope::Default { Vec::new() } else { system::endpoints(cluster) };
            let defaults = store.endpoints.iter().map(|(name, e)| (name, e));
            for (i, (name, endpoints)) in
                defaults.chain(system_endpoints.iter().map(|e| (&e.metadata.name, e))).enumerate()
            {
                if i == store.endpoints.len() {
                    first_system = rows.len();
                }
                // formatEndpoints walks each port, then each ready address under it.
                let pairs: Vec<String> = if endpoints.ports.is_empty() {
                    endpoints.addresses.iter().map(|a| a.ip.clone()).collect()
                } else {
                    endpoints
                        .ports
                        .iter()
                        .flat_map(|p| {
                            endpoints.addresses.iter().map(move |a| format!("{}:{}", a.ip, target_port_number(p)))
                        })
                        .collect()
                };
                // §8.6: at most 3, then "+ N more..."; <none> without any address; blank with only not-ready ones.
                let text = if endpoints.addresses.is_empty() && endpoints.not_ready_addresses.is_empty() {
                    "<none>".to_string()
                } else if pairs.len() > 3 {
                    format!("{} + {} more...", pairs[..3].join(","), pairs.len() - 3)
                } else {
                    pairs.join(",")
                };
                let since = store.services.get(name).and_then(|s| s.metadata.creation_timestamp).unwrap_or(0);
                let labels = store.services.get(name).map(|s| s.metadata.labels.clone()).unwrap_or_default();
                rows.push((name.clone(), vec![name.clone(), text, age(since, now)], labels));
            }
        }
        Kind::EndpointSlice => {
            header = strings(&["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"]);
            // PRN formatDiscoveryPorts / formatDiscoveryEndpoints: every address whatever its
            // conditions, at most 3 then "+ N more...", `<unset>` when empty.
            let at_most_three = |list: Vec<String>| match list.len() {
                0 => "<unset>".to_string(),
                n if n > 3 => format!("{} + {} more...", list[..3].join(","), n - 3),
                _ => list.join(","),
            };
            for slice in endpoints::endpoint_slices(store) {
                let ports = at_most_three(slice.ports.iter().flatten().map(|p| p.port.to_string()).collect());
                let ips = at_most_three(slice.endpoints.iter().map(|e| e.address.clone()).collect());
                let since = slice.metadata.creation_timestamp.unwrap_or(0);
                let name = slice.metadata.name;
                rows.push((
                    name.clone(),
                    vec![name, "IPv4".into(), ports, ips, age(since, now)],
                    slice.metadata.labels,
                ));
            }
        }
        Kind::PersistentVolumeClaim => {
            header = strings(&[
                "NAME",
                "STATUS",
                "VOLUME",
                "CAPACITY",
                "ACCESS MODES",
                "STORAGECLASS",
                "VOLUMEATTRIBUTESCLASS",
                "AGE",
            ]);
            if query.wide {
                header.push("VOLUMEMODE".into());
            }
            for claim in store.claims.values() {
                let bound = claim.spec.volume_name.is_some();
                let mut cells = vec![
                    claim.metadata.name.clone(),
                    printers::claim_status(claim),
                    claim.spec.volume_name.clone().unwrap_or_default(),
                    if bound { claim.status.capacity.clone().unwrap_or_default() } else { String::new() },
                    if bound { printers::access_modes(&claim.status.access_modes) } else { String::new() },
                    claim.spec.storage_class_name.clone().unwrap_or_else(|| {
                        if bound || claim.spec.storage_class_name.is_none() {
                            "standard".into()
                        } else {
                            String::new()
                        }
                    }),
                    "<unset>".into(),
                    created(&claim.metadata),
                ];
                if query.wide {
                    cells.push(claim.spec.volume_mode.clone().unwrap_or_else(|| "Filesystem".into()));
                }
                rows.push((claim.metadata.name.clone(), cells, claim.metadata.labels.clone()));
            }
        }
        Kind::PersistentVolume => {
            header = strings(&[
                "NAME",
                "CAPACITY",
                "ACCESS MODES",
                "RECLAIM POLICY",
                "STATUS",
                "CLAIM",
                "STORAGECLASS",
                "VOLUMEATTRIBUTESCLASS",
                "REASON",
                "AGE",
            ]);
            for volume in store.volumes.values() {
                rows.push((
                    volume.metadata.name.clone(),
                    vec![
                        volume.metadata.name.clone(),
                        volume.capacity.clone(),
                        printers::access_modes(&volume.access_modes),
                        volume.reclaim_policy.clone(),
                        volume.phase.clone(),
                        volume.claim_ref.clone().unwrap_or_default(),
                        volume.storage_class_name.clone(),
                        "<unset>".into(),
                        String::new(),
                        created(&volume.metadata),
                    ],
                    volume.metadata.labels.clone(),
                ));
            }
        }
        Kind::ControllerRevision => {
            header = strings(&["NAME", "CONTROLLER", "REVISION", "AGE"]);
            let mut revisions: Vec<&ControllerRevision> = store.revisions.values().collect();
            revisions.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
            for revision in revisions {
                let controller = revision
                    .metadata
                    .controller()
                    .map(|o| format!("statefulset.apps/{}", o.name))
                    .unwrap_or_else(|| "<none>".into());
                rows.push((
                    revision.metadata.name.clone(),
                    vec![
                        revision.metadata.name.clone(),
                        controller,
                        revision.revision.to_string(),
                        created(&revision.metadata),
                    ],
                    revision.metadata.labels.clone(),
                ));
            }
        }
        Kind::Event => {
            header = if query.wide {
                strings(&[
                    "LAST SEEN",
                    "TYPE",
                    "REASON",
                    "OBJECT",
                    "SUBOBJECT",
                    "SOURCE",
                    "MESSAGE",
                    "FIRST SEEN",
                    "COUNT",
                    "NAME",
                ])
            } else {
                strings(&["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"])
            };
            for (i, event) in cluster.events().iter().enumerate() {
                let object = format!("{}/{}", event.object_kind.to_ascii_lowercase(), event.object_name);
                let name = event_name(event, i);
                let mut cells =
                    vec![age(event.last_timestamp, now), event.kind.to_string(), event.reason.to_string(), object];
                if query.wide {
                    // §8.12: the kubelet's events name the container (its fieldPath) and the node.
                    let kubelet = event.source == "kubelet";
                    let container = store
                        .pods
                        .get(&event.object_name)
                        .filter(|_| kubelet && event.object_kind == "Pod" && event.reason != "FailedMount")
                        .and_then(|p| p.spec.containers.first())
                        .map(|c| format!("spec.containers{{{}}}", c.name))
                        .unwrap_or_default();
                    let source = if kubelet {
                        format!("kubelet, {}", crate::core::cluster::NODE_NAME)
                    } else {
                        event.source.to_string()
                    };
                    cells.extend([container, source]);
                }
                cells.push(event.message.clone());
                if query.wide {
                    cells.extend([age(event.first_timestamp, now), event.count.to_string(), name.clone()]);
                }
                rows.push((name, cells, Labels::new()));
            }
        }
        Kind::ConfigMap => {
            header = strings(&["NAME", "DATA", "AGE"]);
            for map in store.config_maps.values() {
                rows.push((
                    map.metadata.name.clone(),
                    vec![map.metadata.name.clone(), map.data.len().to_string(), created(&map.metadata)],
                    map.metadata.labels.clone(),
                ));
            }
        }
        Kind::Secret => {
            header = strings(&["NAME", "TYPE", "DATA", "AGE"]);
            for secret in store.secrets.values() {
                let kind = secret.kind.clone().unwrap_or_else(|| "Opaque".into());
                let count =
                    secret.data.len() + secret.string_data.keys().filter(|k| !secret.data.contains_key(*k)).count();
                rows.push((
                    secret.metadata.name.clone(),
                    vec![secret.metadata.name.clone(), kind, count.to_string(), created(&secret.metadata)],
                    secret.metadata.labels.clone(),
                ));
            }
        }
        Kind::ServiceAccount => {
            header = strings(&["NAME", "SECRETS", "AGE"]);
            for account in stored_only(cluster, kind) {
                let secrets = field(account, &["secrets"]).and_then(Value::as_sequence).map_or(0, Vec::len);
                rows.push((
                    account.metadata.name.clone(),
                    vec![account.metadata.name.clone(), secrets.to_string(), created(&account.metadata)],
                    account.metadata.labels.clone(),
                ));
            }
        }
        Kind::Ingress => {
            header = strings(&["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"]);
            for ingress in stored_only(cluster, kind) {
                let class = ingress
                    .body
                    .get("spec")
                    .and_then(|s| s.get("ingressClassName"))
                    .and_then(Value::as_str)
                    .unwrap_or("<none>")
                    .to_string();
                let hosts: Vec<String> = ingress
                    .body
                    .get("spec")
                    .and_then(|s| s.get("rules"))
                    .and_then(Value::as_sequence)
                    .map(|rules| {
                        rules.iter().filter_map(|r| r.get("host").and_then(Value::as_str).map(String::from)).collect()
                    })
                    .unwrap_or_default();
                // formatHosts: at most 3, then "+ N more...".
                let hosts = match hosts.len() {
                    0 => "*".to_string(),
                    n if n > 3 => format!("{} + {} more...", hosts[..3].join(","), n - 3),
                    _ => hosts.join(","),
                };
                let tls = field(ingress, &["spec", "tls"]).and_then(Value::as_sequence).is_some_and(|t| !t.is_empty());
                let address: Vec<String> = field(ingress, &["status", "loadBalancer", "ingress"])
                    .and_then(Value::as_sequence)
                    .map(|list| {
                        list.iter()
                            .filter_map(|i| i.get("ip").or_else(|| i.get("hostname")).map(render::scalar_text))
                            .collect()
                    })
                    .unwrap_or_default();
                rows.push((
                    ingress.metadata.name.clone(),
                    vec![
                        ingress.metadata.name.clone(),
                        class,
                        hosts,
                        address.join(","),
                        if tls { "80, 443" } else { "80" }.into(),
                        created(&ingress.metadata),
                    ],
                    ingress.metadata.labels.clone(),
                ));
            }
        }
        Kind::StorageClass => {
            header =
                strings(&["NAME", "PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE", "ALLOWVOLUMEEXPANSION", "AGE"]);
            for class in store.storage_classes.values() {
                let default =
                    class.metadata.annotations.get("storageclass.kubernetes.io/is-default-class").map(String::as_str)
                        == Some("true");
                let name =
                    if default { format!("{} (default)", class.metadata.name) } else { class.metadata.name.clone() };
                rows.push((
                    class.metadata.name.clone(),
                    vec![
                        name,
                        class.provisioner.clone(),
                        class.reclaim_policy.clone().unwrap_or_else(|| "Delete".into()),
                        class.volume_binding_mode.clone().unwrap_or_else(|| "Immediate".into()),
                        class.allow_volume_expansion.unwrap_or(false).to_string(),
                        created(&class.metadata),
                    ],
                    class.metadata.labels.clone(),
                ));
            }
        }
        Kind::Node => {
            header = strings(&["NAME", "STATUS", "ROLES", "AGE", "VERSION"]);
            if query.wide {
                header.extend(strings(&[
                    "INTERNAL-IP",
                    "EXTERNAL-IP",
                    "OS-IMAGE",
                    "KERNEL-VERSION",
                    "CONTAINER-RUNTIME",
                ]));
            }
            for node in store.nodes.values() {
                let mut cells = vec![
                    node.metadata.name.clone(),
                    "Ready".into(),
                    "control-plane".into(),
                    created(&node.metadata),
                    "v1.32.0".into(),
                ];
                if query.wide {
                    cells.extend([
                        node.internal_ip.clone(),
                        "<none>".into(),
                        "Ubuntu 22.04.5 LTS".into(),
                        "6.10.14-linuxkit".into(),
                        "docker://27.4.1".into(),
                    ]);
                }
                rows.push((node.metadata.name.clone(), cells, node.metadata.labels.clone()));
            }
        }
        Kind::Namespace => {
            header = strings(&["NAME", "STATUS", "AGE"]);
            for namespace in namespaces(cluster) {
                let name = namespace.metadata.name.clone();
                rows.push((
                    name.clone(),
                    vec![name, "Active".into(), created(&namespace.metadata)],
                    namespace.metadata.labels,
                ));
            }
        }
    }
    if query.show_labels {
        header.push("LABELS".into());
        for (_, cells, labels) in &mut rows {
            cells.push(none_if_empty(format_labels(labels)));
        }
    }
    let namespace_column = query.scope == Scope::All && kind.namespaced();
    if namespace_column {
        header.insert(0, "NAMESPACE".into());
    }
    let rows = rows
        .into_iter()
        .enumerate()
        .filter(|(i, (name, _, labels))| {
            let in_scope = match query.scope {
                Scope::Default => true,
                Scope::System => *i >= first_system,
                Scope::All => true,
            };
            in_scope && (query.names.is_empty() || query.names.contains(name)) && selected(&query.selector, labels)
        })
        .map(|(i, (name, mut cells, _))| {
            if namespace_column {
                cells.insert(0, if i >= first_system { system::NAMESPACE } else { "default" }.into());
            }
            (name, cells)
        })
        .collect();
    (header, rows)
}

fn target_port_number(port: &ServicePort) -> i64 {
    match &port.target_port {
        Some(Value::Number(n)) => n.as_i64().unwrap_or(port.port),
        _ => port.port,
    }
}

/// The tables for a query: one per kind with rows, names prefixed when several kinds were
/// asked (§8.7), ordered by a `--sort-by` JSONPath when one is given.
pub fn tables(cluster: &Cluster, query: &Query, sort_by: Option<&str>) -> String {
    let prefixed = query.kinds.len() > 1;
    let mut out = String::new();
    for kind in &query.kinds {
        let (header, mut rows) = table_rows(cluster, *kind, query);
        if rows.is_empty() {
            continue;
        }
        if let Some(path) = sort_by {
            let template = if path.starts_with('{') { path.to_string() } else { format!("{{{path}}}") };
            let key = |name: &str| {
                api_value(cluster, *kind, name).and_then(|v| render::jsonpath(&template, &v).ok()).unwrap_or_default()
            };
            // Numbers sort as numbers, like kubectl's sorter.
            rows.sort_by_cached_key(|(name, _)| {
                let text = key(name);
                (text.parse::<u64>().map(|n| format!("{n:020}")).unwrap_or(text), name.clone())
            });
        }
        if !out.is_empty() {
            out.push('\n');
        }
        let name_column = usize::from(query.scope == Scope::All && kind.namespaced());
        let mut lines = vec![header];
        for (_, mut cells) in rows {
            if prefixed && *kind != Kind::Event {
                if let Some(name) = cells.get_mut(name_column) {
                    *name = format!("{}/{name}", kind.resource());
                }
            }
            lines.push(cells);
        }
        out.push_str(&table::render(&lines));
    }
    out
}

/// The object as the API returns it, for -o yaml/json/jsonpath.
pub fn api_value(cluster: &Cluster, kind: Kind, name: &str) -> Option<Value> {
    let store = &cluster.store();
    let (api_version, kind_name) = kind.api();
    let value = |object: &dyn ToValue| render::api_object(api_version, kind_name, object);
    Some(match kind {
        Kind::Pod => match store.pods.get(name) {
            Some(pod) => value(pod),
            None => value(&system::pods(cluster).into_iter().find(|p| p.metadata.name == name)?),
        },
        Kind::Service => match store.services.get(name) {
            Some(service) => value(service),
            None => value(&system::services(cluster).into_iter().find(|s| s.metadata.name == name)?),
        },
        Kind::StatefulSet => value(store.stateful_sets.get(name)?),
        Kind::Endpoints => match store.endpoints.get(name) {
            Some(endpoints) => value(endpoints),
            None => value(&system::endpoints(cluster).into_iter().find(|e| e.metadata.name == name)?),
        },
        Kind::EndpointSlice => value(&endpoints::endpoint_slices(store).into_iter().find(|s| s.metadata.name == name)?),
        Kind::PersistentVolumeClaim => value(store.claims.get(name)?),
        Kind::PersistentVolume => value(store.volumes.get(name)?),
        Kind::ControllerRevision => value(store.revisions.get(name)?),
        Kind::Event => {
            let (i, event) = cluster.events().iter().enumerate().find(|(i, e)| event_name(e, *i) == name)?;
            let _ = i;
            value(event)
        }
        Kind::ConfigMap => value(store.config_maps.get(name)?),
        Kind::Secret => value(store.secrets.get(name)?),
        Kind::Deployment => value(store.deployments.get(name)?),
        Kind::ReplicaSet => value(store.replica_sets.get(name)?),
        Kind::ServiceAccount | Kind::Ingress | Kind::HorizontalPodAutoscaler | Kind::NetworkPolicy => {
            let wanted = kind.stored_only().unwrap_or("");
            let object = store.others.get(&(wanted.to_string(), name.to_string()))?;
            let mut body = object.body.clone();
            if let Value::Mapping(map) = &mut body {
                map.insert("metadata".into(), object.metadata.to_value());
            }
            // As written (autoscaling/v1 stays v1), with dates as dates.
            render::api_object(&object.api_version, &object.kind, &body)
        }
        Kind::StorageClass => value(store.storage_classes.get(name)?),
        Kind::Node => value(store.nodes.get(name)?),
        Kind::Namespace => {
            let namespace = namespaces(cluster).into_iter().find(|n| n.metadata.name == name)?;
            let mut body = namespace.body;
            if let Value::Mapping(map) = &mut body {
                map.insert("metadata".into(), namespace.metadata.to_value());
            }
            render::api_object("v1", "Namespace", &body)
        }
    })
}
