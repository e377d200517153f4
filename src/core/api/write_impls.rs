//! Writing API objects as YAML values (for `-o yaml/json`, revision hashes and
//! strict decoding's round trip). Generated once from the type definitions by
//! a script and kept by hand since: serde's derived `Serialize` cost ~10 KiB of
//! gzipped wasm. Field order and omitted empty fields follow what kubectl prints.

use super::write::{put, ToValue};
use super::*;
use crate::core::api::yaml::{Mapping, Value};

impl ToValue for ObjectMeta {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "name", &self.name);
        if self.generate_name.is_some() {
            put(&mut map, "generateName", &self.generate_name);
        }
        if self.namespace.is_some() {
            put(&mut map, "namespace", &self.namespace);
        }
        if !self.labels.is_empty() {
            put(&mut map, "labels", &self.labels);
        }
        if !self.annotations.is_empty() {
            put(&mut map, "annotations", &self.annotations);
        }
        if !self.uid.is_empty() {
            put(&mut map, "uid", &self.uid);
        }
        if self.creation_timestamp.is_some() {
            put(&mut map, "creationTimestamp", &self.creation_timestamp);
        }
        if self.deletion_timestamp.is_some() {
            put(&mut map, "deletionTimestamp", &self.deletion_timestamp);
        }
        if self.deletion_grace_period_seconds.is_some() {
            put(&mut map, "deletionGracePeriodSeconds", &self.deletion_grace_period_seconds);
        }
        if self.generation != 0 {
            put(&mut map, "generation", &self.generation);
        }
        if !self.owner_references.is_empty() {
            put(&mut map, "ownerReferences", &self.owner_references);
        }
        if !self.finalizers.is_empty() {
            put(&mut map, "finalizers", &self.finalizers);
        }
        Value::Mapping(map)
    }
}

impl ToValue for OwnerReference {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "apiVersion", &self.api_version);
        put(&mut map, "kind", &self.kind);
        put(&mut map, "name", &self.name);
        put(&mut map, "uid", &self.uid);
        put(&mut map, "controller", &self.controller);
        put(&mut map, "blockOwnerDeletion", &self.block_owner_deletion);
        Value::Mapping(map)
    }
}

impl ToValue for LabelSelector {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        if !self.match_labels.is_empty() {
            put(&mut map, "matchLabels", &self.match_labels);
        }
        if !self.match_expressions.is_empty() {
            put(&mut map, "matchExpressions", &self.match_expressions);
        }
        Value::Mapping(map)
    }
}

impl ToValue for LabelSelectorRequirement {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "key", &self.key);
        put(&mut map, "operator", &self.operator);
        if !self.values.is_empty() {
            put(&mut map, "values", &self.values);
        }
        Value::Mapping(map)
    }
}

impl ToValue for PodTemplateSpec {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "metadata", &self.metadata);
        put(&mut map, "spec", &self.spec);
        Value::Mapping(map)
    }
}

impl ToValue for PodSpec {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        if !self.init_containers.is_empty() {
            put(&mut map, "initContainers", &self.init_containers);
        }
        put(&mut map, "containers", &self.containers);
        if !self.volumes.is_empty() {
            put(&mut map, "volumes", &self.volumes);
        }
        if self.restart_policy.is_some() {
            put(&mut map, "restartPolicy", &self.restart_policy);
        }
        if self.termination_grace_period_seconds.is_some() {
            put(&mut map, "terminationGracePeriodSeconds", &self.termination_grace_period_seconds);
        }
        if self.active_deadline_seconds.is_some() {
            put(&mut map, "activeDeadlineSeconds", &self.active_deadline_seconds);
        }
        if self.dns_policy.is_some() {
            put(&mut map, "dnsPolicy", &self.dns_policy);
        }
        if self.hostname.is_some() {
            put(&mut map, "hostname", &self.hostname);
        }
        if self.subdomain.is_some() {
            put(&mut map, "subdomain", &self.subdomain);
        }
        if self.node_name.is_some() {
            put(&mut map, "nodeName", &self.node_name);
        }
        if self.scheduler_name.is_some() {
            put(&mut map, "schedulerName", &self.scheduler_name);
        }
        if self.service_account_name.is_some() {
            put(&mut map, "serviceAccountName", &self.service_account_name);
        }
        if self.service_account.is_some() {
            put(&mut map, "serviceAccount", &self.service_account);
        }
        if self.node_selector.is_some() {
            put(&mut map, "nodeSelector", &self.node_selector);
        }
        if self.security_context.is_some() {
            put(&mut map, "securityContext", &self.security_context);
        }
        if self.affinity.is_some() {
            put(&mut map, "affinity", &self.affinity);
        }
        if self.tolerations.is_some() {
            put(&mut map, "tolerations", &self.tolerations);
        }
        if self.image_pull_secrets.is_some() {
            put(&mut map, "imagePullSecrets", &self.image_pull_secrets);
        }
        if self.topology_spread_constraints.is_some() {
            put(&mut map, "topologySpreadConstraints", &self.topology_spread_constraints);
        }
        if self.priority_class_name.is_some() {
            put(&mut map, "priorityClassName", &self.priority_class_name);
        }
        if self.automount_service_account_token.is_some() {
            put(&mut map, "automountServiceAccountToken", &self.automount_service_account_token);
        }
        if self.enable_service_links.is_some() {
            put(&mut map, "enableServiceLinks", &self.enable_service_links);
        }
        if self.host_network.is_some() {
            put(&mut map, "hostNetwork", &self.host_network);
        }
        if self.share_process_namespace.is_some() {
            put(&mut map, "shareProcessNamespace", &self.share_process_namespace);
        }
        if self.dns_config.is_some() {
            put(&mut map, "dnsConfig", &self.dns_config);
        }
        Value::Mapping(map)
    }
}

impl ToValue for Container {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "name", &self.name);
        put(&mut map, "image", &self.image);
        if !self.command.is_empty() {
            put(&mut map, "command", &self.command);
        }
        if !self.args.is_empty() {
            put(&mut map, "args", &self.args);
        }
        if self.working_dir.is_some() {
            put(&mut map, "workingDir", &self.working_dir);
        }
        if !self.ports.is_empty() {
            put(&mut map, "ports", &self.ports);
        }
        if !self.env.is_empty() {
            put(&mut map, "env", &self.env);
        }
        if self.env_from.is_some() {
            put(&mut map, "envFrom", &self.env_from);
        }
        if !self.volume_mounts.is_empty() {
            put(&mut map, "volumeMounts", &self.volume_mounts);
        }
        if self.liveness_probe.is_some() {
            put(&mut map, "livenessProbe", &self.liveness_probe);
        }
        if self.readiness_probe.is_some() {
            put(&mut map, "readinessProbe", &self.readiness_probe);
        }
        if self.startup_probe.is_some() {
            put(&mut map, "startupProbe", &self.startup_probe);
        }
        if self.image_pull_policy.is_some() {
            put(&mut map, "imagePullPolicy", &self.image_pull_policy);
        }
        if self.resources.is_some() {
            put(&mut map, "resources", &self.resources);
        }
        if self.security_context.is_some() {
            put(&mut map, "securityContext", &self.security_context);
        }
        if self.lifecycle.is_some() {
            put(&mut map, "lifecycle", &self.lifecycle);
        }
        if self.termination_message_path.is_some() {
            put(&mut map, "terminationMessagePath", &self.termination_message_path);
        }
        if self.termination_message_policy.is_some() {
            put(&mut map, "terminationMessagePolicy", &self.termination_message_policy);
        }
        if self.restart_policy.is_some() {
            put(&mut map, "restartPolicy", &self.restart_policy);
        }
        if self.stdin.is_some() {
            put(&mut map, "stdin", &self.stdin);
        }
        if self.tty.is_some() {
            put(&mut map, "tty", &self.tty);
        }
        Value::Mapping(map)
    }
}

impl ToValue for ContainerPort {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        if self.name.is_some() {
            put(&mut map, "name", &self.name);
        }
        put(&mut map, "containerPort", &self.container_port);
        if self.protocol.is_some() {
            put(&mut map, "protocol", &self.protocol);
        }
        if self.host_port.is_some() {
            put(&mut map, "hostPort", &self.host_port);
        }
        Value::Mapping(map)
    }
}

impl ToValue for EnvVar {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "name", &self.name);
        if self.value.is_some() {
            put(&mut map, "value", &self.value);
        }
        if self.value_from.is_some() {
            put(&mut map, "valueFrom", &self.value_from);
        }
        Value::Mapping(map)
    }
}

impl ToValue for VolumeMount {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "name", &self.name);
        put(&mut map, "mountPath", &self.mount_path);
        if self.read_only.is_some() {
            put(&mut map, "readOnly", &self.read_only);
        }
        if self.sub_path.is_some() {
            put(&mut map, "subPath", &self.sub_path);
        }
        Value::Mapping(map)
    }
}

impl ToValue for Volume {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "name", &self.name);
        if self.persistent_volume_claim.is_some() {
            put(&mut map, "persistentVolumeClaim", &self.persistent_volume_claim);
        }
        if self.empty_dir.is_some() {
            put(&mut map, "emptyDir", &self.empty_dir);
        }
        if self.config_map.is_some() {
            put(&mut map, "configMap", &self.config_map);
        }
        if self.secret.is_some() {
            put(&mut map, "secret", &self.secret);
        }
        if self.host_path.is_some() {
            put(&mut map, "hostPath", &self.host_path);
        }
        if self.projected.is_some() {
            put(&mut map, "projected", &self.projected);
        }
        if self.downward_api.is_some() {
            put(&mut map, "downwardApi", &self.downward_api);
        }
        Value::Mapping(map)
    }
}

impl ToValue for PvcVolumeSource {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "claimName", &self.claim_name);
        if self.read_only.is_some() {
            put(&mut map, "readOnly", &self.read_only);
        }
        Value::Mapping(map)
    }
}

impl ToValue for Probe {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        if self.http_get.is_some() {
            put(&mut map, "httpGet", &self.http_get);
        }
        if self.tcp_socket.is_some() {
            put(&mut map, "tcpSocket", &self.tcp_socket);
        }
        if self.exec.is_some() {
            put(&mut map, "exec", &self.exec);
        }
        if self.grpc.is_some() {
            put(&mut map, "grpc", &self.grpc);
        }
        if self.initial_delay_seconds.is_some() {
            put(&mut map, "initialDelaySeconds", &self.initial_delay_seconds);
        }
        if self.timeout_seconds.is_some() {
            put(&mut map, "timeoutSeconds", &self.timeout_seconds);
        }
        if self.period_seconds.is_some() {
            put(&mut map, "periodSeconds", &self.period_seconds);
        }
        if self.success_threshold.is_some() {
            put(&mut map, "successThreshold", &self.success_threshold);
        }
        if self.failure_threshold.is_some() {
            put(&mut map, "failureThreshold", &self.failure_threshold);
        }
        if self.termination_grace_period_seconds.is_some() {
            put(&mut map, "terminationGracePeriodSeconds", &self.termination_grace_period_seconds);
        }
        Value::Mapping(map)
    }
}

impl ToValue for HttpGetAction {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        if self.path.is_some() {
            put(&mut map, "path", &self.path);
        }
        put(&mut map, "port", &self.port);
        if self.scheme.is_some() {
            put(&mut map, "scheme", &self.scheme);
        }
        if self.host.is_some() {
            put(&mut map, "host", &self.host);
        }
        if self.http_headers.is_some() {
            put(&mut map, "httpHeaders", &self.http_headers);
        }
        Value::Mapping(map)
    }
}

impl ToValue for Pod {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "metadata", &self.metadata);
        put(&mut map, "spec", &self.spec);
        put(&mut map, "status", &self.status);
        Value::Mapping(map)
    }
}

impl ToValue for PodStatus {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "phase", &self.phase);
        if !self.conditions.is_empty() {
            put(&mut map, "conditions", &self.conditions);
        }
        if self.host_ip.is_some() {
            put(&mut map, "hostIP", &self.host_ip);
        }
        if self.pod_ip.is_some() {
            put(&mut map, "podIP", &self.pod_ip);
        }
        if self.start_time.is_some() {
            put(&mut map, "startTime", &self.start_time);
        }
        if !self.container_statuses.is_empty() {
            put(&mut map, "containerStatuses", &self.container_statuses);
        }
        if self.reason.is_some() {
            put(&mut map, "reason", &self.reason);
        }
        Value::Mapping(map)
    }
}

impl ToValue for PodCondition {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "type", &self.kind);
        put(&mut map, "status", &self.status);
        if self.last_transition_time.is_some() {
            put(&mut map, "lastTransitionTime", &self.last_transition_time);
        }
        Value::Mapping(map)
    }
}

impl ToValue for ContainerStatus {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "name", &self.name);
        put(&mut map, "image", &self.image);
        put(&mut map, "ready", &self.ready);
        put(&mut map, "started", &self.started);
        put(&mut map, "restartCount", &self.restart_count);
        put(&mut map, "state", &self.state);
        put(&mut map, "lastState", &self.last_state);
        Value::Mapping(map)
    }
}

impl ToValue for ContainerState {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        if self.waiting.is_some() {
            put(&mut map, "waiting", &self.waiting);
        }
        if self.running.is_some() {
            put(&mut map, "running", &self.running);
        }
        if self.terminated.is_some() {
            put(&mut map, "terminated", &self.terminated);
        }
        Value::Mapping(map)
    }
}

impl ToValue for StateWaiting {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "reason", &self.reason);
        if self.message.is_some() {
            put(&mut map, "message", &self.message);
        }
        Value::Mapping(map)
    }
}

impl ToValue for StateRunning {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "startedAt", &self.started_at);
        Value::Mapping(map)
    }
}

impl ToValue for StateTerminated {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "exitCode", &self.exit_code);
        put(&mut map, "reason", &self.reason);
        put(&mut map, "startedAt", &self.started_at);
        put(&mut map, "finishedAt", &self.finished_at);
        Value::Mapping(map)
    }
}

impl ToValue for PersistentVolumeClaim {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "metadata", &self.metadata);
        put(&mut map, "spec", &self.spec);
        put(&mut map, "status", &self.status);
        Value::Mapping(map)
    }
}

impl ToValue for PersistentVolumeClaimSpec {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        if !self.access_modes.is_empty() {
            put(&mut map, "accessModes", &self.access_modes);
        }
        if self.resources.is_some() {
            put(&mut map, "resources", &self.resources);
        }
        if self.storage_class_name.is_some() {
            put(&mut map, "storageClassName", &self.storage_class_name);
        }
        if self.volume_mode.is_some() {
            put(&mut map, "volumeMode", &self.volume_mode);
        }
        if self.volume_name.is_some() {
            put(&mut map, "volumeName", &self.volume_name);
        }
        if self.selector.is_some() {
            put(&mut map, "selector", &self.selector);
        }
        Value::Mapping(map)
    }
}

impl ToValue for VolumeResources {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        if !self.requests.is_empty() {
            put(&mut map, "requests", &self.requests);
        }
        if !self.limits.is_empty() {
            put(&mut map, "limits", &self.limits);
        }
        Value::Mapping(map)
    }
}

impl ToValue for PersistentVolumeClaimStatus {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "phase", &self.phase);
        if !self.access_modes.is_empty() {
            put(&mut map, "accessModes", &self.access_modes);
        }
        if self.capacity.is_some() {
            put(&mut map, "capacity", &self.capacity);
        }
        Value::Mapping(map)
    }
}

impl ToValue for PersistentVolume {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "metadata", &self.metadata);
        put(&mut map, "capacity", &self.capacity);
        put(&mut map, "accessModes", &self.access_modes);
        put(&mut map, "reclaimPolicy", &self.reclaim_policy);
        put(&mut map, "storageClassName", &self.storage_class_name);
        put(&mut map, "claimRef", &self.claim_ref);
        put(&mut map, "phase", &self.phase);
        Value::Mapping(map)
    }
}

impl ToValue for StorageClass {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "metadata", &self.metadata);
        put(&mut map, "provisioner", &self.provisioner);
        if self.reclaim_policy.is_some() {
            put(&mut map, "reclaimPolicy", &self.reclaim_policy);
        }
        if self.volume_binding_mode.is_some() {
            put(&mut map, "volumeBindingMode", &self.volume_binding_mode);
        }
        if self.allow_volume_expansion.is_some() {
            put(&mut map, "allowVolumeExpansion", &self.allow_volume_expansion);
        }
        Value::Mapping(map)
    }
}

impl ToValue for Service {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "metadata", &self.metadata);
        put(&mut map, "spec", &self.spec);
        put(&mut map, "status", &self.status);
        Value::Mapping(map)
    }
}

impl ToValue for ServiceStatus {
    /// `loadBalancer: {}` when there is no ingress, as the API server returns it.
    fn to_value(&self) -> Value {
        let mut load_balancer = Mapping::new();
        if !self.load_balancer_ingress.is_empty() {
            let ingress = self
                .load_balancer_ingress
                .iter()
                .map(|ip| {
                    let mut entry = Mapping::new();
                    entry.insert("ip".into(), ip.as_str().into());
                    entry.insert("ipMode".into(), "VIP".into());
                    Value::Mapping(entry)
                })
                .collect();
            load_balancer.insert("ingress".into(), Value::Sequence(ingress));
        }
        let mut map = Mapping::new();
        map.insert("loadBalancer".into(), Value::Mapping(load_balancer));
        Value::Mapping(map)
    }
}

impl ToValue for ServiceSpec {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        if self.kind.is_some() {
            put(&mut map, "type", &self.kind);
        }
        if self.cluster_ip.is_some() {
            put(&mut map, "clusterIP", &self.cluster_ip);
        }
        if self.selector.is_some() {
            put(&mut map, "selector", &self.selector);
        }
        if !self.ports.is_empty() {
            put(&mut map, "ports", &self.ports);
        }
        if self.session_affinity.is_some() {
            put(&mut map, "sessionAffinity", &self.session_affinity);
        }
        if self.session_affinity_config.is_some() {
            put(&mut map, "sessionAffinityConfig", &self.session_affinity_config);
        }
        if self.publish_not_ready_addresses.is_some() {
            put(&mut map, "publishNotReadyAddresses", &self.publish_not_ready_addresses);
        }
        if self.external_name.is_some() {
            put(&mut map, "externalName", &self.external_name);
        }
        if self.internal_traffic_policy.is_some() {
            put(&mut map, "internalTrafficPolicy", &self.internal_traffic_policy);
        }
        if self.external_traffic_policy.is_some() {
            put(&mut map, "externalTrafficPolicy", &self.external_traffic_policy);
        }
        Value::Mapping(map)
    }
}

impl ToValue for ServicePort {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        if self.name.is_some() {
            put(&mut map, "name", &self.name);
        }
        put(&mut map, "port", &self.port);
        if self.target_port.is_some() {
            put(&mut map, "targetPort", &self.target_port);
        }
        if self.protocol.is_some() {
            put(&mut map, "protocol", &self.protocol);
        }
        if self.node_port.is_some() {
            put(&mut map, "nodePort", &self.node_port);
        }
        Value::Mapping(map)
    }
}

impl ToValue for EndpointAddress {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "ip", &self.ip);
        if self.hostname.is_some() {
            put(&mut map, "hostname", &self.hostname);
        }
        put(&mut map, "targetPod", &self.target_pod);
        put(&mut map, "terminating", &self.terminating);
        Value::Mapping(map)
    }
}

impl ToValue for Endpoints {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "metadata", &self.metadata);
        put(&mut map, "addresses", &self.addresses);
        put(&mut map, "notReadyAddresses", &self.not_ready_addresses);
        put(&mut map, "ports", &self.ports);
        Value::Mapping(map)
    }
}

impl ToValue for EndpointSlice {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "metadata", &self.metadata);
        map.insert("addressType".into(), "IPv4".into());
        // `endpoints` has no omitempty: an empty slice shows `endpoints: null`.
        if self.endpoints.is_empty() {
            map.insert("endpoints".into(), Value::Null);
        } else {
            put(&mut map, "endpoints", &self.endpoints);
        }
        if let Some(ports) = &self.ports {
            let ports: Vec<Value> = ports
                .iter()
                .map(|p| {
                    let mut port = Mapping::new();
                    put(&mut port, "name", &p.name.clone().unwrap_or_default());
                    put(&mut port, "port", &p.port);
                    put(&mut port, "protocol", &p.protocol.clone().unwrap_or_else(|| "TCP".into()));
                    Value::Mapping(port)
                })
                .collect();
            map.insert("ports".into(), Value::Sequence(ports));
        }
        Value::Mapping(map)
    }
}

impl ToValue for SliceEndpoint {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "addresses", &vec![self.address.clone()]);
        let mut conditions = Mapping::new();
        put(&mut conditions, "ready", &self.ready);
        if let Some((serving, terminating)) = self.serving_terminating {
            put(&mut conditions, "serving", &serving);
            put(&mut conditions, "terminating", &terminating);
        }
        map.insert("conditions".into(), Value::Mapping(conditions));
        if self.hostname.is_some() {
            put(&mut map, "hostname", &self.hostname);
        }
        if self.node_name.is_some() {
            put(&mut map, "nodeName", &self.node_name);
        }
        if let Some((name, uid)) = &self.target {
            let mut target = Mapping::new();
            target.insert("kind".into(), "Pod".into());
            put(&mut target, "name", name);
            target.insert("namespace".into(), "default".into());
            put(&mut target, "uid", uid);
            map.insert("targetRef".into(), Value::Mapping(target));
        }
        Value::Mapping(map)
    }
}

impl ToValue for ConfigMap {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "metadata", &self.metadata);
        if !self.data.is_empty() {
            put(&mut map, "data", &self.data);
        }
        Value::Mapping(map)
    }
}

impl ToValue for Secret {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "metadata", &self.metadata);
        if self.kind.is_some() {
            put(&mut map, "type", &self.kind);
        }
        if !self.data.is_empty() {
            put(&mut map, "data", &self.data);
        }
        if !self.string_data.is_empty() {
            put(&mut map, "stringData", &self.string_data);
        }
        Value::Mapping(map)
    }
}

impl ToValue for GenericObject {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "api_version", &self.api_version);
        put(&mut map, "kind", &self.kind);
        put(&mut map, "metadata", &self.metadata);
        put(&mut map, "body", &self.body);
        Value::Mapping(map)
    }
}

impl ToValue for Node {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "metadata", &self.metadata);
        put(&mut map, "internalIp", &self.internal_ip);
        put(&mut map, "ready", &self.ready);
        Value::Mapping(map)
    }
}

impl ToValue for Event {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "type", &self.kind.to_string());
        put(&mut map, "reason", &self.reason.to_string());
        put(&mut map, "message", &self.message);
        put(&mut map, "objectKind", &self.object_kind.to_string());
        put(&mut map, "objectName", &self.object_name);
        put(&mut map, "source", &self.source.to_string());
        put(&mut map, "firstTimestamp", &self.first_timestamp);
        put(&mut map, "lastTimestamp", &self.last_timestamp);
        put(&mut map, "count", &self.count);
        Value::Mapping(map)
    }
}

impl ToValue for StatefulSet {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "metadata", &self.metadata);
        put(&mut map, "spec", &self.spec);
        put(&mut map, "status", &self.status);
        Value::Mapping(map)
    }
}

impl ToValue for StatefulSetSpec {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        if self.replicas.is_some() {
            put(&mut map, "replicas", &self.replicas);
        }
        if self.selector.is_some() {
            put(&mut map, "selector", &self.selector);
        }
        put(&mut map, "template", &self.template);
        if !self.volume_claim_templates.is_empty() {
            put(&mut map, "volumeClaimTemplates", &self.volume_claim_templates);
        }
        if self.service_name.is_some() {
            put(&mut map, "serviceName", &self.service_name);
        }
        if self.pod_management_policy.is_some() {
            put(&mut map, "podManagementPolicy", &self.pod_management_policy);
        }
        if self.update_strategy.is_some() {
            put(&mut map, "updateStrategy", &self.update_strategy);
        }
        if self.revision_history_limit.is_some() {
            put(&mut map, "revisionHistoryLimit", &self.revision_history_limit);
        }
        if self.min_ready_seconds.is_some() {
            put(&mut map, "minReadySeconds", &self.min_ready_seconds);
        }
        if self.persistent_volume_claim_retention_policy.is_some() {
            put(&mut map, "persistentVolumeClaimRetentionPolicy", &self.persistent_volume_claim_retention_policy);
        }
        if self.ordinals.is_some() {
            put(&mut map, "ordinals", &self.ordinals);
        }
        Value::Mapping(map)
    }
}

impl ToValue for StatefulSetUpdateStrategy {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        if self.kind.is_some() {
            put(&mut map, "type", &self.kind);
        }
        if self.rolling_update.is_some() {
            put(&mut map, "rollingUpdate", &self.rolling_update);
        }
        Value::Mapping(map)
    }
}

impl ToValue for RollingUpdateStatefulSetStrategy {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        if self.partition.is_some() {
            put(&mut map, "partition", &self.partition);
        }
        if self.max_unavailable.is_some() {
            put(&mut map, "maxUnavailable", &self.max_unavailable);
        }
        Value::Mapping(map)
    }
}

impl ToValue for RetentionPolicy {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        if self.when_deleted.is_some() {
            put(&mut map, "whenDeleted", &self.when_deleted);
        }
        if self.when_scaled.is_some() {
            put(&mut map, "whenScaled", &self.when_scaled);
        }
        Value::Mapping(map)
    }
}

impl ToValue for StatefulSetOrdinals {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "start", &self.start);
        Value::Mapping(map)
    }
}

impl ToValue for StatefulSetStatus {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "observedGeneration", &self.observed_generation);
        put(&mut map, "replicas", &self.replicas);
        put(&mut map, "readyReplicas", &self.ready_replicas);
        put(&mut map, "currentReplicas", &self.current_replicas);
        put(&mut map, "updatedReplicas", &self.updated_replicas);
        put(&mut map, "availableReplicas", &self.available_replicas);
        if !self.current_revision.is_empty() {
            put(&mut map, "currentRevision", &self.current_revision);
        }
        if !self.update_revision.is_empty() {
            put(&mut map, "updateRevision", &self.update_revision);
        }
        put(&mut map, "collisionCount", &self.collision_count);
        Value::Mapping(map)
    }
}

impl ToValue for ControllerRevision {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "metadata", &self.metadata);
        put(&mut map, "data", &self.data);
        put(&mut map, "revision", &self.revision);
        Value::Mapping(map)
    }
}

impl ToValue for Deployment {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "metadata", &self.metadata);
        put(&mut map, "spec", &self.spec);
        put(&mut map, "status", &self.status);
        Value::Mapping(map)
    }
}

impl ToValue for DeploymentSpec {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        if self.replicas.is_some() {
            put(&mut map, "replicas", &self.replicas);
        }
        if self.selector.is_some() {
            put(&mut map, "selector", &self.selector);
        }
        put(&mut map, "template", &self.template);
        // A struct, not a pointer, in the API: always there (`strategy: {}` at least).
        put(&mut map, "strategy", &self.strategy);
        if self.min_ready_seconds.is_some() {
            put(&mut map, "minReadySeconds", &self.min_ready_seconds);
        }
        if self.revision_history_limit.is_some() {
            put(&mut map, "revisionHistoryLimit", &self.revision_history_limit);
        }
        if self.paused.is_some() {
            put(&mut map, "paused", &self.paused);
        }
        if self.progress_deadline_seconds.is_some() {
            put(&mut map, "progressDeadlineSeconds", &self.progress_deadline_seconds);
        }
        Value::Mapping(map)
    }
}

impl ToValue for DeploymentStrategy {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        if self.kind.is_some() {
            put(&mut map, "type", &self.kind);
        }
        if self.rolling_update.is_some() {
            put(&mut map, "rollingUpdate", &self.rolling_update);
        }
        Value::Mapping(map)
    }
}

impl ToValue for RollingUpdateDeployment {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        if self.max_unavailable.is_some() {
            put(&mut map, "maxUnavailable", &self.max_unavailable);
        }
        if self.max_surge.is_some() {
            put(&mut map, "maxSurge", &self.max_surge);
        }
        Value::Mapping(map)
    }
}

impl ToValue for DeploymentStatus {
    /// Every count is `omitempty` in the API.
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        let counts = [
            ("observedGeneration", self.observed_generation),
            ("replicas", self.replicas),
            ("updatedReplicas", self.updated_replicas),
            ("readyReplicas", self.ready_replicas),
            ("availableReplicas", self.available_replicas),
            ("unavailableReplicas", self.unavailable_replicas),
        ];
        for (key, count) in counts {
            if count != 0 {
                put(&mut map, key, &count);
            }
        }
        if !self.conditions.is_empty() {
            put(&mut map, "conditions", &self.conditions);
        }
        if self.collision_count.is_some() {
            put(&mut map, "collisionCount", &self.collision_count);
        }
        Value::Mapping(map)
    }
}

impl ToValue for DeploymentCondition {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "type", &self.kind);
        put(&mut map, "status", &self.status);
        put(&mut map, "lastUpdateTime", &self.last_update_time);
        put(&mut map, "lastTransitionTime", &self.last_transition_time);
        put(&mut map, "reason", &self.reason);
        put(&mut map, "message", &self.message);
        Value::Mapping(map)
    }
}

impl ToValue for ReplicaSet {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "metadata", &self.metadata);
        put(&mut map, "spec", &self.spec);
        put(&mut map, "status", &self.status);
        Value::Mapping(map)
    }
}

impl ToValue for ReplicaSetSpec {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        if self.replicas.is_some() {
            put(&mut map, "replicas", &self.replicas);
        }
        if self.min_ready_seconds.is_some() {
            put(&mut map, "minReadySeconds", &self.min_ready_seconds);
        }
        if self.selector.is_some() {
            put(&mut map, "selector", &self.selector);
        }
        put(&mut map, "template", &self.template);
        Value::Mapping(map)
    }
}

impl ToValue for ReplicaSetStatus {
    /// `replicas` is always there; the other counts are `omitempty`.
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "replicas", &self.replicas);
        let counts = [
            ("fullyLabeledReplicas", self.fully_labeled_replicas),
            ("readyReplicas", self.ready_replicas),
            ("availableReplicas", self.available_replicas),
            ("observedGeneration", self.observed_generation),
        ];
        for (key, count) in counts {
            if count != 0 {
                put(&mut map, key, &count);
            }
        }
        if !self.conditions.is_empty() {
            put(&mut map, "conditions", &self.conditions);
        }
        Value::Mapping(map)
    }
}

impl ToValue for ReplicaSetCondition {
    fn to_value(&self) -> Value {
        let mut map = Mapping::new();
        put(&mut map, "type", &self.kind);
        put(&mut map, "status", &self.status);
        put(&mut map, "lastTransitionTime", &self.last_transition_time);
        put(&mut map, "reason", &self.reason);
        put(&mut map, "message", &self.message);
        Value::Mapping(map)
    }
}
