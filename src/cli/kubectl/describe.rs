//! `kubectl describe` (reference §8.10, §8.11): key/value blocks aligned like Go's
//! tabwriter with padding 2, nested by indentation, and the events table.

use super::{not_found, targets, Kind, Ran};
use crate::cli::printers::{self, age};
use crate::core::api::*;
use crate::core::cluster::Cluster;
use crate::core::controllers::endpoints;
use crate::core::system;
use crate::core::time::rfc1123z;

/// Lines with `\t` between cells; consecutive tabbed lines align as one block.
#[derive(Default)]
struct Describer {
    lines: Vec<String>,
}

impl Describer {
    fn line(&mut self, text: impl Into<String>) {
        self.lines.push(text.into());
    }
    fn pair(&mut self, indent: usize, key: &str, value: impl Into<String>) {
        self.lines.push(format!("{}{key}:\t{}", " ".repeat(indent), value.into()));
    }
    /// Multi-valued field: first value on the key's line, the rest aligned under it.
    fn list(&mut self, indent: usize, key: &str, values: &[String]) {
        match values.split_first() {
            None => self.pair(indent, key, "<none>"),
            Some((first, rest)) => {
                self.pair(indent, key, first.clone());
                for value in rest {
                    self.lines.push(format!("\t{value}"));
                }
            }
        }
    }
    fn render(self) -> String {
        let mut out = String::new();
        let mut block: Vec<Vec<&str>> = Vec::new();
        let flush = |block: &mut Vec<Vec<&str>>, out: &mut String| {
            let columns = block.iter().map(Vec::len).max().unwrap_or(0);
            let mut widths = vec![0; columns];
            for cells in block.iter() {
                for (i, cell) in cells.iter().enumerate().take(cells.len() - 1) {
                    widths[i] = widths[i].max(cell.chars().count() + 2);
                }
            }
            for cells in block.iter() {
                for (i, cell) in cells.iter().enumerate() {
                    out.push_str(cell);
                    if i + 1 < cells.len() {
                        out.push_str(&" ".repeat(widths[i] - cell.chars().count()));
                    }
                }
                out.push('\n');
            }
            block.clear();
        };
        for line in &self.lines {
            if line.contains('\t') {
                block.push(line.split('\t').collect());
            } else {
                flush(&mut block, &mut out);
                out.push_str(line);
                out.push('\n');
            }
        }
        flush(&mut block, &mut out);
        out
    }
}

fn labels(map: &Labels) -> Vec<String> {
    map.iter().map(|(k, v)| format!("{k}={v}")).collect()
}

fn annotations(map: &Labels) -> Vec<String> {
    map.iter().map(|(k, v)| format!("{k}: {v}")).collect()
}

/// The Events block of an object (§8.11).
fn events(d: &mut Describer, cluster: &Cluster, kind: &str, name: &str) {
    let events: Vec<&Event> = cluster.events_for(kind, name).collect();
    if events.is_empty() {
        d.pair(0, "Events", "<none>");
        return;
    }
    d.line("Events:");
    d.line("  Type\tReason\tAge\tFrom\tMessage");
    d.line("  ----\t------\t----\t----\t-------");
    for event in events {
        let when = if event.count > 1 {
            format!(
                "{} (x{} over {})",
                age(event.last_timestamp, cluster.now()),
                event.count,
                age(event.first_timestamp, cluster.now())
            )
        } else {
            age(event.last_timestamp, cluster.now())
        };
        d.line(format!("  {}\t{}\t{}\t{}\t{}", event.kind, event.reason, when, event.source, event.message));
    }
}

fn port_text(ports: &[ContainerPort]) -> (String, String) {
    let key = if ports.len() > 1 { "Ports" } else { "Port" };
    let text = ports
        .iter()
        .map(|p| {
            let base = format!("{}/{}", p.container_port, p.protocol.as_deref().unwrap_or("TCP"));
            match &p.name {
                Some(name) => format!("{base} ({name})"),
                None => base,
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    (key.to_string(), if text.is_empty() { "<none>".into() } else { text })
}

fn probe_text(probe: &Probe) -> String {
    let action = if let Some(http) = &probe.http_get {
        let port = match &http.port {
            crate::core::api::yaml::Value::Number(n) => n.to_string(),
            crate::core::api::yaml::Value::String(s) => s.clone(),
            _ => String::new(),
        };
        format!("http-get http://:{port}{}", http.path.as_deref().unwrap_or("/"))
    } else if let Some(tcp) = &probe.tcp_socket {
        format!("tcp-socket :{}", tcp.get("port").map(|p| crate::cli::render::scalar_text(p)).unwrap_or_default())
    } else if let Some(exec) = &probe.exec {
        let command: Vec<String> = exec
            .get("command")
            .and_then(|c| c.as_sequence())
            .map(|c| c.iter().map(crate::cli::render::scalar_text).collect())
            .unwrap_or_default();
        format!("exec [{}]", command.join(" "))
    } else {
        "unknown".into()
    };
    format!(
        "{action} delay={}s timeout={}s period={}s #success={} #failure={}",
        probe.initial_delay_seconds.unwrap_or(0),
        probe.timeout_seconds.unwrap_or(1),
        probe.period_seconds.unwrap_or(10),
        probe.success_threshold.unwrap_or(1),
        probe.failure_threshold.unwrap_or(3)
    )
}

/// The container block of a template or a pod (status fields when `status` is given).
fn container(d: &mut Describer, indent: usize, spec: &Container, status: Option<&ContainerStatus>) {
    // Fields sit at four spaces whether the name is at two (pod) or three (template).
    let pad = 4;
    d.line(format!("{}{}:", " ".repeat(indent), spec.name));
    if let Some(status) = status {
        d.pair(
            pad,
            "Container ID",
            if status.state.running.is_some() || status.state.terminated.is_some() {
                format!("docker://{:x}", hash(&spec.name))
            } else {
                String::new()
            },
        );
    }
    d.pair(pad, "Image", spec.image.clone());
    if status.is_some() {
        d.pair(pad, "Image ID", String::new());
    }
    let (key, ports) = port_text(&spec.ports);
    d.pair(pad, &key, ports);
    d.pair(
        pad,
        &format!("Host {key}"),
        if spec.ports.is_empty() {
            "<none>".to_string()
        } else {
            spec.ports
                .iter()
                .map(|p| format!("{}/{}", p.host_port.unwrap_or(0), p.protocol.as_deref().unwrap_or("TCP")))
                .collect::<Vec<_>>()
                .join(", ")
        },
    );
    if !spec.command.is_empty() {
        d.line(format!("{}Command:", " ".repeat(pad)));
        for part in &spec.command {
            d.line(format!("{}{part}", " ".repeat(pad + 2)));
        }
    }
    if !spec.args.is_empty() {
        d.line(format!("{}Args:", " ".repeat(pad)));
        for part in &spec.args {
            d.line(format!("{}{part}", " ".repeat(pad + 2)));
        }
    }
    if let Some(status) = status {
        let state = &status.state;
        if let Some(running) = &state.running {
            d.pair(pad, "State", "Running");
            d.pair(pad + 2, "Started", rfc1123z(running.started_at));
        } else if let Some(waiting) = &state.waiting {
            d.pair(pad, "State", "Waiting");
            d.pair(pad + 2, "Reason", waiting.reason.clone());
        } else if let Some(terminated) = &state.terminated {
            d.pair(pad, "State", "Terminated");
            d.pair(pad + 2, "Reason", terminated.reason.clone());
            d.pair(pad + 2, "Exit Code", terminated.exit_code.to_string());
            d.pair(pad + 2, "Started", rfc1123z(terminated.started_at));
            d.pair(pad + 2, "Finished", rfc1123z(terminated.finished_at));
        }
        if let Some(last) = &status.last_state.terminated {
            d.pair(pad, "Last State", "Terminated");
            d.pair(pad + 2, "Reason", last.reason.clone());
            d.pair(pad + 2, "Exit Code", last.exit_code.to_string());
            d.pair(pad + 2, "Started", rfc1123z(last.started_at));
            d.pair(pad + 2, "Finished", rfc1123z(last.finished_at));
        }
        d.pair(pad, "Ready", if status.ready { "True" } else { "False" });
        d.pair(pad, "Restart Count", status.restart_count.to_string());
    }
    for (key, probe) in
        [("Liveness", &spec.liveness_probe), ("Readiness", &spec.readiness_probe), ("Startup", &spec.startup_probe)]
    {
        if let Some(probe) = probe {
            d.pair(pad, key, probe_text(probe));
        }
    }
    let env: Vec<String> =
        spec.env.iter().map(|e| format!("{}:\t{}", e.name, e.value.clone().unwrap_or_default())).collect();
    if env.is_empty() {
        d.pair(pad, "Environment", "<none>");
    } else {
        d.line(format!("{}Environment:", " ".repeat(pad)));
        for line in env {
            d.line(format!("{}{line}", " ".repeat(pad + 2)));
        }
    }
    if spec.volume_mounts.is_empty() {
        d.pair(pad, "Mounts", "<none>");
    } else {
        d.line(format!("{}Mounts:", " ".repeat(pad)));
        for mount in &spec.volume_mounts {
            let mode = if mount.read_only == Some(true) { "ro" } else { "rw" };
            d.line(format!("{}{} from {} ({mode})", " ".repeat(pad + 2), mount.mount_path, mount.name));
        }
    }
}

fn hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

fn volumes(d: &mut Describer, indent: usize, volumes: &[Volume]) {
    if volumes.is_empty() {
        d.pair(indent, "Volumes", "<none>");
        return;
    }
    d.line(format!("{}Volumes:", " ".repeat(indent)));
    for volume in volumes {
        let name_indent = if indent == 0 { 2 } else { indent + 1 };
        d.line(format!("{}{}:", " ".repeat(name_indent), volume.name));
        let pad = 4;
        if let Some(claim) = &volume.persistent_volume_claim {
            d.pair(pad, "Type", "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)");
            d.pair(pad, "ClaimName", claim.claim_name.clone());
            d.pair(pad, "ReadOnly", claim.read_only.unwrap_or(false).to_string());
        } else if volume.config_map.is_some() {
            d.pair(pad, "Type", "ConfigMap (a volume populated by a ConfigMap)");
            d.pair(
                pad,
                "Name",
                volume
                    .config_map
                    .as_ref()
                    .and_then(|c| c.get("name"))
                    .map(crate::cli::render::scalar_text)
                    .unwrap_or_default(),
            );
            d.pair(pad, "Optional", "false");
        } else if volume.secret.is_some() {
            d.pair(pad, "Type", "Secret (a volume populated by a Secret)");
            d.pair(
                pad,
                "SecretName",
                volume
                    .secret
                    .as_ref()
                    .and_then(|c| c.get("secretName"))
                    .map(crate::cli::render::scalar_text)
                    .unwrap_or_default(),
            );
            d.pair(pad, "Optional", "false");
        } else {
            d.pair(pad, "Type", "EmptyDir (a temporary directory that shares a pod's lifetime)");
            d.pair(pad, "Medium", "");
            d.pair(pad, "SizeLimit", "<unset>");
        }
    }
}

/// The `Pod Template:` block (describe sts, rollout history --revision).
fn pod_template(d: &mut Describer, template: &PodTemplateSpec) {
    d.line("Pod Template:");
    d.list(2, "Labels", &labels(&template.metadata.labels));
    if !template.metadata.annotations.is_empty() {
        d.list(2, "Annotations", &annotations(&template.metadata.annotations));
    }
    d.line("  Containers:");
    for spec in &template.spec.containers {
        container(d, 3, spec, None);
    }
    volumes(d, 2, &template.spec.volumes);
    d.pair(2, "Node-Selectors", "<none>");
    d.pair(2, "Tolerations", "<none>");
}

/// `Pod Template:` as text.
pub(super) fn pod_template_text(template: &PodTemplateSpec) -> String {
    let mut d = Describer::default();
    pod_template(&mut d, template);
    d.render()
}

fn stateful_set(cluster: &Cluster, set: &StatefulSet) -> String {
    let mut d = Describer::default();
    d.pair(0, "Name", set.name());
    d.pair(0, "Namespace", "default");
    d.pair(0, "CreationTimestamp", rfc1123z(set.metadata.creation_timestamp.unwrap_or(0)));
    d.pair(0, "Selector", set.spec.selector.as_ref().map(|s| format_labels(&s.match_labels)).unwrap_or_default());
    d.list(0, "Labels", &labels(&set.metadata.labels));
    d.list(0, "Annotations", &annotations(&set.metadata.annotations));
    d.pair(0, "Replicas", format!("{} desired | {} total", set.replicas(), set.status.replicas));
    d.pair(0, "Update Strategy", if set.is_on_delete() { "OnDelete" } else { "RollingUpdate" });
    if let Some(rolling) = set.rolling_update() {
        d.pair(2, "Partition", rolling.partition.unwrap_or(0).to_string());
    }
    let pods: Vec<&Pod> = crate::core::controllers::statefulset::pods_of(cluster.store(), set).collect();
    d.pair(0, "Pods Status", pods_status(&pods));
    pod_template(&mut d, &set.spec.template);
    if set.spec.volume_claim_templates.is_empty() {
        d.pair(0, "Volume Claims", "<none>");
    } else {
        d.line("Volume Claims:");
        for claim in &set.spec.volume_claim_templates {
            d.pair(2, "Name", claim.metadata.name.clone());
            d.pair(2, "StorageClass", claim.spec.storage_class_name.clone().unwrap_or_default());
            d.list(2, "Labels", &labels(&claim.metadata.labels));
            d.list(2, "Annotations", &annotations(&claim.metadata.annotations));
            d.pair(2, "Capacity", claim.requested_storage().unwrap_or_else(|| "<default>".into()));
            d.pair(2, "Access Modes", format!("[{}]", claim.spec.access_modes.join(" ")));
        }
    }
    events(&mut d, cluster, "StatefulSet", set.name());
    d.render()
}

/// `describeDeployment`.
fn deployment(cluster: &Cluster, deployment: &Deployment) -> String {
    let mut d = Describer::default();
    d.pair(0, "Name", deployment.name());
    d.pair(0, "Namespace", deployment.metadata.namespace());
    d.pair(0, "CreationTimestamp", rfc1123z(deployment.metadata.creation_timestamp.unwrap_or(0)));
    d.list(0, "Labels", &labels(&deployment.metadata.labels));
    d.list(0, "Annotations", &annotations(&deployment.metadata.annotations));
    d.pair(0, "Selector", super::get::selector_text(deployment.spec.selector.as_ref()));
    let status = &deployment.status;
    d.pair(
        0,
        "Replicas",
        format!(
            "{} desired | {} updated | {} total | {} available | {} unavailable",
            deployment.replicas(),
            status.updated_replicas,
            status.replicas,
            status.available_replicas,
            status.unavailable_replicas
        ),
    );
    d.pair(0, "StrategyType", deployment.spec.strategy.kind.clone().unwrap_or_default());
    d.pair(0, "MinReadySeconds", deployment.min_ready_seconds().to_string());
    if let Some(rolling) = &deployment.spec.strategy.rolling_update {
        let text = |v: &Option<crate::core::api::yaml::Value>| {
            v.as_ref().map(crate::cli::render::scalar_text).unwrap_or_else(|| "<nil>".into())
        };
        d.pair(
            0,
            "RollingUpdateStrategy",
            format!("{} max unavailable, {} max surge", text(&rolling.max_unavailable), text(&rolling.max_surge)),
        );
    }
    pod_template(&mut d, &deployment.spec.template);
    if !status.conditions.is_empty() {
        d.line("Conditions:");
        d.line("  Type\tStatus\tReason");
        d.line("  ----\t------\t------");
        for condition in &status.conditions {
            d.line(format!("  {} \t{}\t{}", condition.kind, condition.status, condition.reason));
        }
    }
    // FindNewReplicaSet: the oldest whose template is the Deployment's; the rest are old.
    let mut owned: Vec<&ReplicaSet> = cluster.store().replica_sets_of(deployment).collect();
    let mut by_age = owned.clone();
    by_age.sort_by_key(|rs| crate::core::controllers::deployment::util::by_creation(rs));
    let new = by_age.into_iter().find(|rs| {
        crate::core::controllers::deployment::equal_ignore_hash(&rs.spec.template, &deployment.spec.template)
    });
    owned.retain(|rs| Some(rs.name()) != new.map(|n| n.name()));
    if !owned.is_empty() || new.is_some() {
        let created = |list: &[&ReplicaSet]| {
            let text = list
                .iter()
                .map(|rs| format!("{} ({}/{} replicas created)", rs.name(), rs.status.replicas, rs.replicas()))
                .collect::<Vec<_>>()
                .join(", ");
            if text.is_empty() {
                "<none>".to_string()
            } else {
                text
            }
        };
        d.pair(0, "OldReplicaSets", created(&owned));
        d.pair(0, "NewReplicaSet", created(new.as_slice()));
    }
    events(&mut d, cluster, "Deployment", deployment.name());
    d.render()
}

/// `describeReplicaSet`.
fn replica_set(cluster: &Cluster, replica_set: &ReplicaSet) -> String {
    let mut d = Describer::default();
    d.pair(0, "Name", replica_set.name());
    d.pair(0, "Namespace", replica_set.metadata.namespace());
    d.pair(0, "Selector", super::get::format_selector(replica_set.spec.selector.as_ref()));
    d.list(0, "Labels", &labels(&replica_set.metadata.labels));
    d.list(0, "Annotations", &annotations(&replica_set.metadata.annotations));
    if let Some(owner) = replica_set.metadata.controller() {
        d.pair(0, "Controlled By", format!("{}/{}", owner.kind, owner.name));
    }
    d.pair(0, "Replicas", format!("{} current / {} desired", replica_set.status.replicas, replica_set.replicas()));
    let pods: Vec<&Pod> = cluster.store().pods_of_replica_set(replica_set).collect();
    d.pair(0, "Pods Status", pods_status(&pods));
    pod_template(&mut d, &replica_set.spec.template);
    if !replica_set.status.conditions.is_empty() {
        d.line("Conditions:");
        d.line("  Type\tStatus\tReason");
        d.line("  ----\t------\t------");
        for condition in &replica_set.status.conditions {
            d.line(format!("  {} \t{}\t{}", condition.kind, condition.status, condition.reason));
        }
    }
    events(&mut d, cluster, "ReplicaSet", replica_set.name());
    d.render()
}

fn pod(cluster: &Cluster, pod: &Pod) -> String {
    let mut d = Describer::default();
    d.pair(0, "Name", pod.name());
    d.pair(0, "Namespace", pod.metadata.namespace());
    d.pair(0, "Priority", "0");
    d.pair(0, "Service Account", pod.spec.service_account_name.clone().unwrap_or_else(|| "default".into()));
    d.pair(
        0,
        "Node",
        pod.spec.node_name.as_ref().map(|n| format!("{n}/192.168.49.2")).unwrap_or_else(|| "<none>".into()),
    );
    if let Some(start) = pod.status.start_time {
        d.pair(0, "Start Time", rfc1123z(start));
    }
    d.list(0, "Labels", &labels(&pod.metadata.labels));
    d.list(0, "Annotations", &annotations(&pod.metadata.annotations));
    if let Some(deleted) = pod.metadata.deletion_timestamp {
        d.pair(0, "Status", format!("Terminating (lasts {})", age(deleted, cluster.now())));
        d.pair(0, "Termination Grace Period", format!("{}s", pod.metadata.deletion_grace_period_seconds.unwrap_or(30)));
    } else {
        d.pair(0, "Status", pod.status.phase.clone());
    }
    d.pair(0, "IP", pod.status.pod_ip.clone().unwrap_or_default());
    match &pod.status.pod_ip {
        Some(ip) => {
            d.line("IPs:");
            d.pair(2, "IP", ip.clone());
        }
        None => d.pair(0, "IPs", "<none>"),
    }
    if let Some(owner) = pod.metadata.controller() {
        d.pair(0, "Controlled By", format!("{}/{}", owner.kind, owner.name));
    }
    d.line("Containers:");
    for (i, spec) in pod.spec.containers.iter().enumerate() {
        container(&mut d, 2, spec, pod.status.container_statuses.get(i).or(Some(&ContainerStatus::default())));
    }
    if pod.status.conditions.is_empty() {
        d.pair(0, "Conditions", "<none>");
    } else {
        d.line("Conditions:");
        d.line("  Type\tStatus");
        for condition in &pod.status.conditions {
            d.line(format!("  {} \t{} ", condition.kind, condition.status));
        }
    }
    volumes(&mut d, 0, &pod.spec.volumes);
    d.pair(0, "QoS Class", "BestEffort");
    d.pair(0, "Node-Selectors", "<none>");
    d.list(
        0,
        "Tolerations",
        &[
            "node.kubernetes.io/not-ready:NoExecute op=Exists for 300s".into(),
            "node.kubernetes.io/unreachable:NoExecute op=Exists for 300s".into(),
        ],
    );
    events(&mut d, cluster, "Pod", pod.name());
    d.render()
}

fn service(cluster: &Cluster, service: &Service) -> String {
    let mut d = Describer::default();
    d.pair(0, "Name", service.metadata.name.clone());
    d.pair(0, "Namespace", service.metadata.namespace());
    d.list(0, "Labels", &labels(&service.metadata.labels));
    d.list(0, "Annotations", &annotations(&service.metadata.annotations));
    d.pair(
        0,
        "Selector",
        service.spec.selector.as_ref().map(format_labels).filter(|s| !s.is_empty()).unwrap_or_else(|| "<none>".into()),
    );
    d.pair(0, "Type", service.spec.kind.clone().unwrap_or_else(|| "ClusterIP".into()));
    d.pair(0, "IP Family Policy", "SingleStack");
    d.pair(0, "IP Families", "IPv4");
    let ip = service.spec.cluster_ip.clone().unwrap_or_default();
    d.pair(0, "IP", ip.clone());
    d.pair(0, "IPs", ip);
    if !service.status.load_balancer_ingress.is_empty() {
        d.pair(0, "LoadBalancer Ingress", format!("{} (VIP)", service.status.load_balancer_ingress.join(", ")));
    }
    let endpoints = match service.metadata.namespace() {
        system::NAMESPACE => system::endpoints(cluster).into_iter().next(),
        _ => cluster.store().endpoints.get(&service.metadata.name).cloned(),
    };
    let endpoints = endpoints.as_ref();
    for port in &service.spec.ports {
        let protocol = port.protocol.clone().unwrap_or_else(|| "TCP".into());
        let name = port.name.clone().unwrap_or_else(|| "<unset>".into());
        d.pair(0, "Port", format!("{name}  {}/{protocol}", port.port));
        let target = match &port.target_port {
            Some(crate::core::api::yaml::Value::Number(n)) => n.to_string(),
            Some(crate::core::api::yaml::Value::String(s)) => s.clone(),
            _ => port.port.to_string(),
        };
        d.pair(0, "TargetPort", format!("{target}/{protocol}"));
        if let Some(node_port) = port.node_port {
            d.pair(0, "NodePort", format!("{name}  {node_port}/{protocol}"));
        }
        let ips: Vec<String> =
            endpoints.map(|e| e.addresses.iter().map(|a| format!("{}:{target}", a.ip)).collect()).unwrap_or_default();
        d.pair(0, "Endpoints", ips.join(","));
    }
    d.pair(0, "Session Affinity", service.spec.session_affinity.clone().unwrap_or_else(|| "None".into()));
    d.pair(0, "Internal Traffic Policy", "Cluster");
    events(&mut d, cluster, "Service", &service.metadata.name);
    d.render()
}

fn claim(cluster: &Cluster, claim: &PersistentVolumeClaim) -> String {
    let mut d = Describer::default();
    d.pair(0, "Name", claim.metadata.name.clone());
    d.pair(0, "Namespace", "default");
    d.pair(0, "StorageClass", claim.spec.storage_class_name.clone().unwrap_or_else(|| "standard".into()));
    d.pair(0, "Status", printers::claim_status(claim));
    d.pair(0, "Volume", claim.spec.volume_name.clone().unwrap_or_default());
    d.list(0, "Labels", &labels(&claim.metadata.labels));
    let mut notes = annotations(&claim.metadata.annotations);
    if claim.spec.volume_name.is_some() {
        notes.extend([
            "pv.kubernetes.io/bind-completed: yes".into(),
            "pv.kubernetes.io/bound-by-controller: yes".into(),
            "volume.beta.kubernetes.io/storage-provisioner: k8s.io/minikube-hostpath".into(),
            "volume.kubernetes.io/storage-provisioner: k8s.io/minikube-hostpath".into(),
        ]);
    }
    d.list(0, "Annotations", &notes);
    d.list(0, "Finalizers", &[format!("[{}]", claim.metadata.finalizers.join(" "))]);
    d.pair(0, "Capacity", claim.status.capacity.clone().unwrap_or_default());
    d.pair(0, "Access Modes", printers::access_modes(&claim.status.access_modes));
    d.pair(0, "VolumeMode", claim.spec.volume_mode.clone().unwrap_or_else(|| "Filesystem".into()));
    let users: Vec<String> = cluster
        .store()
        .pods
        .values()
        .filter(|p| cluster.store().claims_of(p).any(|(c, _)| c == claim.metadata.name))
        .map(|p| p.name().to_string())
        .collect();
    d.list(0, "Used By", &users);
    events(&mut d, cluster, "PersistentVolumeClaim", &claim.metadata.name);
    d.render()
}

/// DESC `describeEndpointSliceV1`.
fn endpoint_slice(cluster: &Cluster, slice: &EndpointSlice) -> String {
    let mut d = Describer::default();
    d.pair(0, "Name", slice.metadata.name.clone());
    d.pair(0, "Namespace", "default");
    d.list(0, "Labels", &labels(&slice.metadata.labels));
    d.list(0, "Annotations", &annotations(&slice.metadata.annotations));
    d.pair(0, "AddressType", "IPv4");
    match slice.ports.as_deref() {
        None | Some([]) => d.line("Ports: <unset>"),
        Some(ports) => {
            d.line("Ports:");
            d.line("  Name\tPort\tProtocol");
            d.line("  ----\t----\t--------");
            for port in ports {
                let name = port.name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "<unset>".into());
                d.line(format!("  {name}\t{}\t{}", port.port, port.protocol.as_deref().unwrap_or("TCP")));
            }
        }
    }
    if slice.endpoints.is_empty() {
        d.line("Endpoints: <none>");
    }
    for (i, endpoint) in slice.endpoints.iter().enumerate() {
        if i == 0 {
            d.line("Endpoints:");
        }
        d.pair(2, "- Addresses", endpoint.address.clone());
        d.line("    Conditions:");
        d.pair(6, "Ready", endpoint.ready.to_string());
        d.pair(4, "Hostname", endpoint.hostname.clone().unwrap_or_else(|| "<unset>".into()));
        if let Some((pod, _)) = &endpoint.target {
            d.pair(4, "TargetRef", format!("Pod/{pod}"));
        }
        d.pair(4, "NodeName", endpoint.node_name.clone().unwrap_or_else(|| "<unset>".into()));
        d.pair(4, "Zone", "<unset>");
    }
    events(&mut d, cluster, "EndpointSlice", &slice.metadata.name);
    d.render()
}

fn generic(cluster: &Cluster, kind: Kind, name: &str, labels_map: &Labels) -> String {
    let mut d = Describer::default();
    d.pair(0, "Name", name);
    if kind.namespaced() {
        d.pair(0, "Namespace", "default");
    }
    d.list(0, "Labels", &labels(labels_map));
    d.pair(0, "Annotations", "<none>");
    events(&mut d, cluster, "", name);
    d.render()
}

/// `kubectl describe TYPE NAME…` (or TYPE alone: every object of the type).
pub(super) fn run(cluster: &Cluster, positional: &[&str], selector: Option<&str>, scope: super::Scope) -> Ran {
    let list = if positional.len() == 1 && !positional[0].contains('/') {
        let Some(kind) = Kind::parse(positional[0]) else {
            return Ran::fail(format!("error: the server doesn't have a resource type \"{}\"\n", positional[0]), 1);
        };
        let selector = match selector.map(super::get::parse_selector).transpose() {
            Ok(selector) => selector.unwrap_or_default(),
            Err(message) => return Ran::fail(format!("{message}\n"), 1),
        };
        let query =
            super::Query { kinds: vec![kind], names: Vec::new(), selector, wide: false, show_labels: false, scope };
        let list: Vec<(Kind, String)> =
            super::get::table_rows(cluster, kind, &query).1.into_iter().map(|(name, _)| (kind, name)).collect();
        if list.is_empty() {
            let namespace = if scope == super::Scope::System { "kube-system" } else { "default" };
            return Ran::fail(format!("No resources found in {namespace} namespace.\n"), 0);
        }
        list
    } else {
        match targets(positional) {
            Ok(list) => list,
            Err(message) => return Ran::fail(format!("{message}\n"), 1),
        }
    };
    let mut texts = Vec::new();
    let mut output = super::Output::default();
    let mut status = 0;
    for (kind, name) in list {
        let store = &cluster.store();
        // Default objects first; kube-system ones (crate::core::system) with -n kube-system or -A.
        let system_pod = || system::pods(cluster).into_iter().find(|p| p.metadata.name == name);
        let system_service = || system::services(cluster).into_iter().find(|s| s.metadata.name == name);
        let (default, system) = (scope != super::Scope::System, scope != super::Scope::Default);
        let text = match kind {
            Kind::StatefulSet => store.stateful_sets.get(&name).filter(|_| default).map(|s| stateful_set(cluster, s)),
            Kind::Deployment => store.deployments.get(&name).filter(|_| default).map(|d| deployment(cluster, d)),
            Kind::ReplicaSet => store.replica_sets.get(&name).filter(|_| default).map(|r| replica_set(cluster, r)),
            Kind::Pod => store
                .pods
                .get(&name)
                .filter(|_| default)
                .cloned()
                .or_else(|| system_pod().filter(|_| system))
                .map(|p| pod(cluster, &p)),
            Kind::Service => store
                .services
                .get(&name)
                .filter(|_| default)
                .cloned()
                .or_else(|| system_service().filter(|_| system))
                .map(|s| service(cluster, &s)),
            Kind::PersistentVolumeClaim => store.claims.get(&name).map(|c| claim(cluster, c)),
            Kind::EndpointSlice => endpoints::endpoint_slices(store)
                .iter()
                .find(|s| s.metadata.name == name)
                .map(|s| endpoint_slice(cluster, s)),
            other => super::get::objects(cluster, other)
                .into_iter()
                .find(|(n, _)| *n == name)
                .map(|(n, l)| generic(cluster, other, &n, &l)),
        };
        match text {
            Some(text) => texts.push(text),
            None => {
                output.err(not_found(kind, &name));
                status = 1;
            }
        }
    }
    output.out(texts.join("\n\n"));
    Ran { output, status }
}

/// `Pods Status` of a controller's describe: its pods counted by phase.
fn pods_status(pods: &[&Pod]) -> String {
    let count = |phase: &str| pods.iter().filter(|p| p.status.phase == phase).count();
    format!(
        "{} Running / {} Waiting / {} Succeeded / {} Failed",
        count("Running"),
        count("Pending"),
        count("Succeeded"),
        count("Failed")
    )
}
