//! Reading API objects from their YAML values. Generated once from the type
//! definitions by a script and kept by hand since: serde's derived
//! `Deserialize` cost ~25 KiB of gzipped wasm for these types; this is a
//! fraction. Field names follow the Kubernetes JSON names.

use super::read::{Fields, FromValue, ReadError};
use super::*;

impl FromValue for ObjectMeta {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(ObjectMeta {
            name: f.field("name")?,
            generate_name: f.field("generateName")?,
            namespace: f.field("namespace")?,
            labels: f.field("labels")?,
            annotations: f.field("annotations")?,
            uid: f.field("uid")?,
            creation_timestamp: f.field("creationTimestamp")?,
            deletion_timestamp: f.field("deletionTimestamp")?,
            deletion_grace_period_seconds: f.field("deletionGracePeriodSeconds")?,
            generation: f.field("generation")?,
            owner_references: f.field("ownerReferences")?,
            finalizers: f.field("finalizers")?,
        })
    }
}

impl FromValue for OwnerReference {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(OwnerReference {
            api_version: f.required("apiVersion")?,
            kind: f.required("kind")?,
            name: f.required("name")?,
            uid: f.required("uid")?,
            controller: f.field("controller")?,
            block_owner_deletion: f.field("blockOwnerDeletion")?,
        })
    }
}

impl FromValue for LabelSelector {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(LabelSelector { match_labels: f.field("matchLabels")?, match_expressions: f.field("matchExpressions")? })
    }
}

impl FromValue for LabelSelectorRequirement {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(LabelSelectorRequirement {
            key: f.required("key")?,
            operator: f.required("operator")?,
            values: f.field("values")?,
        })
    }
}

impl FromValue for PodTemplateSpec {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(PodTemplateSpec { metadata: f.field("metadata")?, spec: f.field("spec")? })
    }
}

impl FromValue for PodSpec {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(PodSpec {
            init_containers: f.field("initContainers")?,
            containers: f.field("containers")?,
            volumes: f.field("volumes")?,
            restart_policy: f.field("restartPolicy")?,
            termination_grace_period_seconds: f.field("terminationGracePeriodSeconds")?,
            active_deadline_seconds: f.field("activeDeadlineSeconds")?,
            dns_policy: f.field("dnsPolicy")?,
            hostname: f.field("hostname")?,
            subdomain: f.field("subdomain")?,
            node_name: f.field("nodeName")?,
            scheduler_name: f.field("schedulerName")?,
            service_account_name: f.field("serviceAccountName")?,
            service_account: f.field("serviceAccount")?,
            node_selector: f.field("nodeSelector")?,
            security_context: f.field("securityContext")?,
            affinity: f.field("affinity")?,
            tolerations: f.field("tolerations")?,
            image_pull_secrets: f.field("imagePullSecrets")?,
            topology_spread_constraints: f.field("topologySpreadConstraints")?,
            priority_class_name: f.field("priorityClassName")?,
            automount_service_account_token: f.field("automountServiceAccountToken")?,
            enable_service_links: f.field("enableServiceLinks")?,
            host_network: f.field("hostNetwork")?,
            share_process_namespace: f.field("shareProcessNamespace")?,
            dns_config: f.field("dnsConfig")?,
        })
    }
}

impl FromValue for Container {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(Container {
            name: f.field("name")?,
            image: f.field("image")?,
            command: f.field("command")?,
            args: f.field("args")?,
            working_dir: f.field("workingDir")?,
            ports: f.field("ports")?,
            env: f.field("env")?,
            env_from: f.field("envFrom")?,
            volume_mounts: f.field("volumeMounts")?,
            liveness_probe: f.field("livenessProbe")?,
            readiness_probe: f.field("readinessProbe")?,
            startup_probe: f.field("startupProbe")?,
            image_pull_policy: f.field("imagePullPolicy")?,
            resources: f.field("resources")?,
            security_context: f.field("securityContext")?,
            lifecycle: f.field("lifecycle")?,
            termination_message_path: f.field("terminationMessagePath")?,
            termination_message_policy: f.field("terminationMessagePolicy")?,
            restart_policy: f.field("restartPolicy")?,
            stdin: f.field("stdin")?,
            tty: f.field("tty")?,
        })
    }
}

impl FromValue for ContainerPort {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(ContainerPort {
            name: f.field("name")?,
            container_port: f.required("containerPort")?,
            protocol: f.field("protocol")?,
            host_port: f.field("hostPort")?,
        })
    }
}

impl FromValue for EnvVar {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(EnvVar { name: f.required("name")?, value: f.field("value")?, value_from: f.field("valueFrom")? })
    }
}

impl FromValue for VolumeMount {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(VolumeMount {
            name: f.required("name")?,
            mount_path: f.required("mountPath")?,
            read_only: f.field("readOnly")?,
            sub_path: f.field("subPath")?,
        })
    }
}

impl FromValue for Volume {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(Volume {
            name: f.required("name")?,
            persistent_volume_claim: f.field("persistentVolumeClaim")?,
            empty_dir: f.field("emptyDir")?,
            config_map: f.field("configMap")?,
            secret: f.field("secret")?,
            host_path: f.field("hostPath")?,
            projected: f.field("projected")?,
            downward_api: f.field("downwardApi")?,
        })
    }
}

impl FromValue for PvcVolumeSource {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(PvcVolumeSource { claim_name: f.required("claimName")?, read_only: f.field("readOnly")? })
    }
}

impl FromValue for Probe {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(Probe {
            http_get: f.field("httpGet")?,
            tcp_socket: f.field("tcpSocket")?,
            exec: f.field("exec")?,
            grpc: f.field("grpc")?,
            initial_delay_seconds: f.field("initialDelaySeconds")?,
            timeout_seconds: f.field("timeoutSeconds")?,
            period_seconds: f.field("periodSeconds")?,
            success_threshold: f.field("successThreshold")?,
            failure_threshold: f.field("failureThreshold")?,
            termination_grace_period_seconds: f.field("terminationGracePeriodSeconds")?,
        })
    }
}

impl FromValue for HttpGetAction {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(HttpGetAction {
            path: f.field("path")?,
            port: f.required("port")?,
            scheme: f.field("scheme")?,
            host: f.field("host")?,
            http_headers: f.field("httpHeaders")?,
        })
    }
}

impl FromValue for Pod {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(Pod { metadata: f.field("metadata")?, spec: f.field("spec")?, status: Default::default() })
    }
}

impl FromValue for PersistentVolumeClaim {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(PersistentVolumeClaim { metadata: f.field("metadata")?, spec: f.field("spec")?, status: Default::default() })
    }
}

impl FromValue for PersistentVolumeClaimSpec {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(PersistentVolumeClaimSpec {
            access_modes: f.field("accessModes")?,
            resources: f.field("resources")?,
            storage_class_name: f.field("storageClassName")?,
            volume_mode: f.field("volumeMode")?,
            volume_name: f.field("volumeName")?,
            selector: f.field("selector")?,
        })
    }
}

impl FromValue for VolumeResources {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(VolumeResources { requests: f.field("requests")?, limits: f.field("limits")? })
    }
}

impl FromValue for StorageClass {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(StorageClass {
            metadata: f.field("metadata")?,
            provisioner: f.field("provisioner")?,
            reclaim_policy: f.field("reclaimPolicy")?,
            volume_binding_mode: f.field("volumeBindingMode")?,
            allow_volume_expansion: f.field("allowVolumeExpansion")?,
        })
    }
}

impl FromValue for Service {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(Service { metadata: f.field("metadata")?, spec: f.field("spec")?, status: f.field("status")? })
    }
}

impl FromValue for ServiceStatus {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let ingress = value
            .get("loadBalancer")
            .and_then(|lb| lb.get("ingress"))
            .and_then(|i| i.as_sequence())
            .map(|list| list.iter().filter_map(|i| i.get("ip")?.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        let _ = path;
        Ok(ServiceStatus { load_balancer_ingress: ingress })
    }
}

impl FromValue for ServiceSpec {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(ServiceSpec {
            kind: f.field("type")?,
            cluster_ip: f.field("clusterIP")?,
            selector: f.field("selector")?,
            ports: f.field("ports")?,
            session_affinity: f.field("sessionAffinity")?,
            session_affinity_config: f.field("sessionAffinityConfig")?,
            publish_not_ready_addresses: f.field("publishNotReadyAddresses")?,
            external_name: f.field("externalName")?,
            internal_traffic_policy: f.field("internalTrafficPolicy")?,
            external_traffic_policy: f.field("externalTrafficPolicy")?,
        })
    }
}

impl FromValue for ServicePort {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(ServicePort {
            name: f.field("name")?,
            port: f.required("port")?,
            target_port: f.field("targetPort")?,
            protocol: f.field("protocol")?,
            node_port: f.field("nodePort")?,
        })
    }
}

impl FromValue for ConfigMap {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(ConfigMap { metadata: f.field("metadata")?, data: f.field("data")? })
    }
}

impl FromValue for Secret {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(Secret {
            metadata: f.field("metadata")?,
            kind: f.field("type")?,
            data: f.field("data")?,
            string_data: f.field("stringData")?,
        })
    }
}

impl FromValue for StatefulSet {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(StatefulSet { metadata: f.field("metadata")?, spec: f.field("spec")?, status: Default::default() })
    }
}

impl FromValue for StatefulSetSpec {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(StatefulSetSpec {
            replicas: f.field("replicas")?,
            selector: f.field("selector")?,
            template: f.field("template")?,
            volume_claim_templates: f.field("volumeClaimTemplates")?,
            service_name: f.field("serviceName")?,
            pod_management_policy: f.field("podManagementPolicy")?,
            update_strategy: f.field("updateStrategy")?,
            revision_history_limit: f.field("revisionHistoryLimit")?,
            min_ready_seconds: f.field("minReadySeconds")?,
            persistent_volume_claim_retention_policy: f.field("persistentVolumeClaimRetentionPolicy")?,
            ordinals: f.field("ordinals")?,
        })
    }
}

impl FromValue for StatefulSetUpdateStrategy {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(StatefulSetUpdateStrategy { kind: f.field("type")?, rolling_update: f.field("rollingUpdate")? })
    }
}

impl FromValue for RollingUpdateStatefulSetStrategy {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(RollingUpdateStatefulSetStrategy {
            partition: f.field("partition")?,
            max_unavailable: f.field("maxUnavailable")?,
        })
    }
}

impl FromValue for RetentionPolicy {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(RetentionPolicy { when_deleted: f.field("whenDeleted")?, when_scaled: f.field("whenScaled")? })
    }
}

impl FromValue for StatefulSetOrdinals {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(StatefulSetOrdinals { start: f.field("start")? })
    }
}

impl FromValue for Deployment {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(Deployment { metadata: f.field("metadata")?, spec: f.field("spec")?, status: Default::default() })
    }
}

impl FromValue for DeploymentSpec {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(DeploymentSpec {
            replicas: f.field("replicas")?,
            selector: f.field("selector")?,
            template: f.field("template")?,
            strategy: f.field("strategy")?,
            min_ready_seconds: f.field("minReadySeconds")?,
            revision_history_limit: f.field("revisionHistoryLimit")?,
            paused: f.field("paused")?,
            progress_deadline_seconds: f.field("progressDeadlineSeconds")?,
        })
    }
}

impl FromValue for DeploymentStrategy {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(DeploymentStrategy { kind: f.field("type")?, rolling_update: f.field("rollingUpdate")? })
    }
}

impl FromValue for RollingUpdateDeployment {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(RollingUpdateDeployment { max_unavailable: f.field("maxUnavailable")?, max_surge: f.field("maxSurge")? })
    }
}

impl FromValue for ReplicaSet {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(ReplicaSet { metadata: f.field("metadata")?, spec: f.field("spec")?, status: Default::default() })
    }
}

impl FromValue for ReplicaSetSpec {
    fn read(value: &crate::core::api::yaml::Value, path: &str) -> Result<Self, ReadError> {
        let f = Fields::of(value, path)?;
        Ok(ReplicaSetSpec {
            replicas: f.field("replicas")?,
            min_ready_seconds: f.field("minReadySeconds")?,
            selector: f.field("selector")?,
            template: f.field("template")?,
        })
    }
}
