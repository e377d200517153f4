//! Defaults the API server fills in (§9.6, §5.5).

use crate::core::api::*;

/// `SetDefaults_StatefulSet` plus the pod template's defaults.
pub fn default_stateful_set(set: &mut StatefulSet) {
    let spec = &mut set.spec;
    spec.replicas.get_or_insert(1);
    spec.revision_history_limit.get_or_insert(10);
    spec.pod_management_policy.get_or_insert_with(|| "OrderedReady".into());
    spec.min_ready_seconds.get_or_insert(0);
    let strategy = spec.update_strategy.get_or_insert_with(Default::default);
    if strategy.kind.is_none() {
        // §9.6: an empty type becomes RollingUpdate *with* a rollingUpdate block.
        strategy.kind = Some("RollingUpdate".into());
        strategy.rolling_update.get_or_insert_with(Default::default);
    }
    if let Some(rolling) = strategy.rolling_update.as_mut() {
        rolling.partition.get_or_insert(0);
        // §3.7, §10: MaxUnavailableStatefulSet is alpha and off in v1.32, so the API
        // server drops the field on write (dropStatefulSetDisabledFields).
        rolling.max_unavailable = None;
    }
    let retention = spec.persistent_volume_claim_retention_policy.get_or_insert_with(Default::default);
    retention.when_deleted.get_or_insert_with(|| "Retain".into());
    retention.when_scaled.get_or_insert_with(|| "Retain".into());
    default_pod_spec(&mut spec.template.spec);
    for claim in &mut spec.volume_claim_templates {
        claim.spec.volume_mode.get_or_insert_with(|| "Filesystem".into());
        claim.status.phase = "Pending".into();
    }
}

/// `SetDefaults_Deployment` (apps/v1) plus the pod template's defaults. Zero
/// `minReadySeconds` and false `paused` are kept as absent: the API omits them.
pub fn default_deployment(deployment: &mut Deployment) {
    let spec = &mut deployment.spec;
    spec.replicas.get_or_insert(1);
    let strategy = &mut spec.strategy;
    let kind = strategy.kind.get_or_insert_with(|| "RollingUpdate".into());
    if kind == "RollingUpdate" {
        let rolling = strategy.rolling_update.get_or_insert_with(Default::default);
        let quarter = || crate::core::api::yaml::Value::String("25%".into());
        rolling.max_unavailable.get_or_insert_with(quarter);
        rolling.max_surge.get_or_insert_with(quarter);
    }
    spec.revision_history_limit.get_or_insert(10);
    spec.progress_deadline_seconds.get_or_insert(600);
    if spec.min_ready_seconds == Some(0) {
        spec.min_ready_seconds = None;
    }
    if spec.paused == Some(false) {
        spec.paused = None;
    }
    default_pod_spec(&mut spec.template.spec);
}

/// `SetDefaults_ReplicaSet` (replicas 1) plus the pod template's defaults.
pub fn default_replica_set(replica_set: &mut ReplicaSet) {
    let spec = &mut replica_set.spec;
    spec.replicas.get_or_insert(1);
    if spec.min_ready_seconds == Some(0) {
        spec.min_ready_seconds = None;
    }
    default_pod_spec(&mut spec.template.spec);
}

/// `SetDefaults_PodSpec`, `SetDefaults_Container`, `SetDefaults_Probe`, `SetDefaults_Volume`.
pub fn default_pod_spec(spec: &mut PodSpec) {
    spec.restart_policy.get_or_insert_with(|| "Always".into());
    spec.dns_policy.get_or_insert_with(|| "ClusterFirst".into());
    spec.termination_grace_period_seconds.get_or_insert(30);
    spec.scheduler_name.get_or_insert_with(|| "default-scheduler".into());
    spec.security_context.get_or_insert_with(|| crate::core::api::yaml::Value::Mapping(Default::default()));
    for container in spec.containers.iter_mut().chain(spec.init_containers.iter_mut()) {
        let (_, tag) = split_image(&container.image);
        let pull = if tag == "latest" && !container.image.contains('@') { "Always" } else { "IfNotPresent" };
        container.image_pull_policy.get_or_insert_with(|| pull.into());
        container.termination_message_path.get_or_insert_with(|| "/dev/termination-log".into());
        container.termination_message_policy.get_or_insert_with(|| "File".into());
        for port in &mut container.ports {
            port.protocol.get_or_insert_with(|| "TCP".into());
        }
        for probe in [&mut container.liveness_probe, &mut container.readiness_probe, &mut container.startup_probe]
            .into_iter()
            .flatten()
        {
            probe.initial_delay_seconds.get_or_insert(0);
            probe.timeout_seconds.get_or_insert(1);
            probe.period_seconds.get_or_insert(10);
            probe.success_threshold.get_or_insert(1);
            probe.failure_threshold.get_or_insert(3);
            if let Some(http) = probe.http_get.as_mut() {
                http.path.get_or_insert_with(|| "/".into());
                http.scheme.get_or_insert_with(|| "HTTP".into());
            }
        }
    }
    for volume in &mut spec.volumes {
        let has_source = volume.persistent_volume_claim.is_some()
            || volume.empty_dir.is_some()
            || volume.config_map.is_some()
            || volume.secret.is_some()
            || volume.host_path.is_some()
            || volume.projected.is_some()
            || volume.downward_api.is_some();
        if !has_source {
            volume.empty_dir = Some(crate::core::api::yaml::Value::Mapping(Default::default()));
        }
    }
}

/// `SetDefaults_Service`.
pub fn default_service(service: &mut Service) {
    let spec = &mut service.spec;
    spec.kind.get_or_insert_with(|| "ClusterIP".into());
    spec.session_affinity.get_or_insert_with(|| "None".into());
    spec.internal_traffic_policy.get_or_insert_with(|| "Cluster".into());
    for port in &mut spec.ports {
        port.protocol.get_or_insert_with(|| "TCP".into());
        port.target_port.get_or_insert_with(|| crate::core::api::yaml::Value::Number(port.port.into()));
    }
}
