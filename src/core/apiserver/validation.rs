//! API validation with the exact messages of the 1.32 API server (§9.3, §9.4),
//! and the pod/claim validation that only runs when a controller creates them (§4.5, §4.6).

use super::Cause;
use crate::core::api::*;

const DNS1123_LABEL_MESSAGE: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const NOT_NEGATIVE: &str = "must be greater than or equal to 0";

fn is_dns1123_label(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-')
}

/// §9.3 name rules for objects named as DNS-1123 labels.
pub fn validate_name(name: &str, causes: &mut Vec<Cause>) {
    if name.is_empty() {
        causes.push(Cause::new("metadata.name", "Required value: name or generateName is required"));
    } else if name.len() > 63 {
        causes.push(Cause::invalid("metadata.name", format!("\"{name}\""), "must be no more than 63 characters"));
    } else if !is_dns1123_label(name) {
        causes.push(Cause::invalid("metadata.name", format!("\"{name}\""), DNS1123_LABEL_MESSAGE));
    }
}

/// Go's `%#v` of a `map[string]string`, as in the selector error.
fn go_map(labels: &Labels) -> String {
    let pairs: Vec<String> = labels.iter().map(|(k, v)| format!("\"{k}\":\"{v}\"")).collect();
    format!("map[string]string{{{}}}", pairs.join(", "))
}

fn non_negative(field: &str, value: Option<i64>, causes: &mut Vec<Cause>) {
    if let Some(v) = value.filter(|v| *v < 0) {
        causes.push(Cause::invalid(field, v, NOT_NEGATIVE));
    }
}

/// `ValidateStatefulSet` (create), on the defaulted object.
pub fn validate_stateful_set(set: &StatefulSet) -> Vec<Cause> {
    let mut causes = Vec::new();
    validate_name(set.name(), &mut causes);
    let spec = &set.spec;
    if let Some(policy) = spec.pod_management_policy.as_deref() {
        if policy != "OrderedReady" && policy != "Parallel" {
            causes.push(Cause::invalid(
                "spec.podManagementPolicy",
                format!("\"{policy}\""),
                "must be 'OrderedReady' or 'Parallel'",
            ));
        }
    }
    if let Some(strategy) = &spec.update_strategy {
        match strategy.kind.as_deref() {
            Some("RollingUpdate") => {
                if let Some(rolling) = &strategy.rolling_update {
                    non_negative("spec.updateStrategy.rollingUpdate.partition", rolling.partition, &mut causes);
                }
            }
            Some("OnDelete") => {
                if strategy.rolling_update.is_some() {
                    causes.push(Cause::invalid(
                        "spec.updateStrategy.rollingUpdate",
                        "apps.RollingUpdateStatefulSetStrategy{Partition:0, MaxUnavailable:(*intstr.IntOrString)(nil)}",
                        "only allowed for updateStrategy 'RollingUpdate'",
                    ));
                }
            }
            other => causes.push(Cause::invalid(
                "spec.updateStrategy",
                format!("\"{}\"", other.unwrap_or("")),
                "must be 'RollingUpdate' or 'OnDelete'",
            )),
        }
    }
    non_negative("spec.replicas", spec.replicas, &mut causes);
    non_negative("spec.minReadySeconds", spec.min_ready_seconds, &mut causes);
    non_negative("spec.ordinals.start", spec.ordinals.as_ref().map(|o| o.start), &mut causes);
    if let Some(policy) = &spec.persistent_volume_claim_retention_policy {
        for (field, value) in [("whenDeleted", &policy.when_deleted), ("whenScaled", &policy.when_scaled)] {
            if let Some(value) = value.as_deref().filter(|v| *v != "Retain" && *v != "Delete") {
                causes.push(Cause::unsupported(
                    &format!("spec.persistentVolumeClaimRetentionPolicy.{field}"),
                    value,
                    &["Retain", "Delete"],
                ));
            }
        }
    }
    match &spec.selector {
        None => causes.push(Cause::required("spec.selector")),
        Some(selector) if selector.is_empty() => causes.push(Cause::invalid(
            "spec.selector",
            "v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}",
            "empty selector is invalid for statefulset",
        )),
        Some(_) => {}
    }
    let labels = &spec.template.metadata.labels;
    if !spec.selector.as_ref().is_some_and(|s| !s.is_empty() && s.matches(labels)) {
        causes.push(Cause::invalid(
            "spec.template.metadata.labels",
            go_map(labels),
            "`selector` does not match template `labels`",
        ));
    }
    if let Some(policy) = spec.template.spec.restart_policy.as_deref().filter(|p| *p != "Always") {
        causes.push(Cause::unsupported("spec.template.spec.restartPolicy", policy, &["Always"]));
    }
    if spec.template.spec.active_deadline_seconds.is_some() {
        causes.push(Cause::new(
            "spec.template.spec.activeDeadlineSeconds",
            "Forbidden: activeDeadlineSeconds in StatefulSet is not Supported",
        ));
    }
    causes
}

/// §9.4: only some spec fields may change on an existing StatefulSet (1.26–1.32 text).
pub fn validate_stateful_set_update(old: &StatefulSet, new: &StatefulSet) -> Vec<Cause> {
    let mut causes = validate_stateful_set(new);
    let mut old_spec = old.spec.clone();
    let mut new_spec = new.spec.clone();
    for spec in [&mut old_spec, &mut new_spec] {
        spec.replicas = None;
        spec.ordinals = None;
        spec.template = PodTemplateSpec::default();
        spec.update_strategy = None;
        spec.persistent_volume_claim_retention_policy = None;
        spec.min_ready_seconds = None;
        for claim in &mut spec.volume_claim_templates {
            claim.status = Default::default();
        }
    }
    if old_spec != new_spec {
        causes.push(Cause::new(
            "spec",
            "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        ));
    }
    causes
}

/// The pod validation that runs when the controller creates a pod (§4.5):
/// the first error, as `spec.containers[0].volumeMounts[0].name: Not found: "www"`.
pub fn validate_pod(pod: &Pod) -> Vec<Cause> {
    let mut causes = Vec::new();
    let spec = &pod.spec;
    if let Some(subdomain) = spec.subdomain.as_deref().filter(|s| !s.is_empty() && !is_dns1123_label(s)) {
        causes.push(Cause::invalid("spec.subdomain", format!("\"{subdomain}\""), DNS1123_LABEL_MESSAGE));
    }
    if spec.containers.is_empty() {
        causes.push(Cause::required("spec.containers"));
    }
    for (i, container) in spec.containers.iter().enumerate() {
        if container.name.is_empty() {
            causes.push(Cause::required(&format!("spec.containers[{i}].name")));
        }
        if container.image.trim().is_empty() {
            causes.push(Cause::required(&format!("spec.containers[{i}].image")));
        }
        for (j, mount) in container.volume_mounts.iter().enumerate() {
            if !spec.volumes.iter().any(|v| v.name == mount.name) {
                causes.push(Cause::new(
                    format!("spec.containers[{i}].volumeMounts[{j}].name"),
                    format!("Not found: \"{}\"", mount.name),
                ));
            }
        }
    }
    let long_label = pod.metadata.labels.iter().find(|(_, v)| v.len() > 63);
    if let Some((_, value)) = long_label {
        // §1.9: the controller-revision-hash label of a long set name.
        causes.push(Cause::invalid("metadata.labels", format!("\"{value}\""), "must be no more than 63 characters"));
    }
    causes
}

/// Claim validation at creation (§4.6).
pub fn validate_claim(claim: &PersistentVolumeClaim) -> Vec<Cause> {
    let mut causes = Vec::new();
    if claim.spec.access_modes.is_empty() {
        causes.push(Cause::new("spec.accessModes", "Required value: at least 1 access mode is required"));
    }
    if claim.requested_storage().is_none() {
        causes.push(Cause::required("spec.resources[storage]"));
    }
    causes
}

/// Fields the API declares as int32: a larger number fails JSON decoding before
/// validation runs. Returns the Go field path and the number.
pub fn int32_overflow(set: &StatefulSet) -> Option<(String, i64)> {
    let spec = &set.spec;
    let fields = [
        ("StatefulSetSpec.spec.replicas", spec.replicas),
        ("StatefulSetSpec.spec.minReadySeconds", spec.min_ready_seconds),
        ("StatefulSetSpec.spec.revisionHistoryLimit", spec.revision_history_limit),
        ("StatefulSetOrdinals.spec.ordinals.start", spec.ordinals.as_ref().map(|o| o.start)),
        (
            "RollingUpdateStatefulSetStrategy.spec.updateStrategy.rollingUpdate.partition",
            set.rolling_update().and_then(|r| r.partition),
        ),
    ];
    fields.into_iter().find_map(|(field, value)| {
        value.filter(|v| *v > i64::from(i32::MAX) || *v < i64::from(i32::MIN)).map(|v| (field.to_string(), v))
    })
}

// ---------------------------------------------------------------- Deployment, ReplicaSet

const DNS1123_SUBDOMAIN_MESSAGE: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const PERCENT_MESSAGE: &str = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

/// `NameIsDNSSubdomain`: the name rule of Deployments and ReplicaSets.
pub fn validate_subdomain_name(name: &str, causes: &mut Vec<Cause>) {
    if name.is_empty() {
        causes.push(Cause::new("metadata.name", "Required value: name or generateName is required"));
    } else if name.len() > 253 {
        causes.push(Cause::invalid("metadata.name", format!("\"{name}\""), "must be no more than 253 characters"));
    } else if !name.split('.').all(is_dns1123_label) {
        causes.push(Cause::invalid("metadata.name", format!("\"{name}\""), DNS1123_SUBDOMAIN_MESSAGE));
    }
}

/// Go's `%#v` of a `v1.LabelSelector`, as in `field is immutable`.
pub fn go_selector(selector: &LabelSelector) -> String {
    let labels = if selector.match_labels.is_empty() {
        "map[string]string(nil)".to_string()
    } else {
        go_map(&selector.match_labels)
    };
    let expressions = if selector.match_expressions.is_empty() {
        "[]v1.LabelSelectorRequirement(nil)".to_string()
    } else {
        let each: Vec<String> = selector
            .match_expressions
            .iter()
            .map(|r| {
                let values = if r.values.is_empty() {
                    "[]string(nil)".to_string()
                } else {
                    let quoted: Vec<String> = r.values.iter().map(|v| format!("\"{v}\"")).collect();
                    format!("[]string{{{}}}", quoted.join(", "))
                };
                format!(
                    "v1.LabelSelectorRequirement{{Key:\"{}\", Operator:\"{}\", Values:{values}}}",
                    r.key, r.operator
                )
            })
            .collect();
        format!("[]v1.LabelSelectorRequirement{{{}}}", each.join(", "))
    };
    format!("v1.LabelSelector{{MatchLabels:{labels}, MatchExpressions:{expressions}}}")
}

/// An IntOrString as the API server prints it in a cause: Go's `%#v` (its `String()`
/// has a pointer receiver, so the value is not a Stringer).
fn int_or_string(value: &crate::core::api::yaml::Value) -> String {
    use crate::core::api::yaml::Value;
    match value {
        Value::String(s) => format!("intstr.IntOrString{{Type:1, IntVal:0, StrVal:{}}}", crate::core::quoted(s)),
        Value::Number(n) => format!("intstr.IntOrString{{Type:0, IntVal:{}, StrVal:\"\"}}", n.as_i64().unwrap_or(0)),
        _ => "intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}".into(),
    }
}

/// `getPercentValue`: the number of a valid `N%`.
fn percent_value(value: &crate::core::api::yaml::Value) -> Option<i64> {
    let text = value.as_str()?.strip_suffix('%')?;
    (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.parse().unwrap_or(i64::MAX))
}

/// `ValidatePositiveIntOrPercent`.
fn validate_int_or_percent(value: &crate::core::api::yaml::Value, field: &str, causes: &mut Vec<Cause>) {
    use crate::core::api::yaml::Value;
    match value {
        Value::String(_) if percent_value(value).is_none() => {
            causes.push(Cause::invalid(field, int_or_string(value), PERCENT_MESSAGE));
        }
        Value::String(_) => {}
        Value::Number(n) => non_negative(field, n.as_i64(), causes),
        // Upstream's text, `%%` included (it is not a format string there).
        other => {
            causes.push(Cause::invalid(field, int_or_string(other), "must be an integer or percentage (e.g '5%%')"))
        }
    }
}

/// `ValidateDeploymentStrategy` and `ValidateRollingUpdateDeployment`.
fn validate_deployment_strategy(strategy: &DeploymentStrategy, causes: &mut Vec<Cause>) {
    match strategy.kind.as_deref() {
        Some("Recreate") => {
            if strategy.rolling_update.is_some() {
                causes.push(Cause::new(
                    "spec.strategy.rollingUpdate",
                    "Forbidden: may not be specified when strategy `type` is 'Recreate'",
                ));
            }
        }
        Some("RollingUpdate") => match &strategy.rolling_update {
            None => causes.push(Cause::new(
                "spec.strategy.rollingUpdate",
                "Required value: this should be defaulted and never be nil",
            )),
            Some(rolling) => {
                let zero = crate::core::api::yaml::Value::Number(0.into());
                let unavailable = rolling.max_unavailable.as_ref().unwrap_or(&zero);
                let surge = rolling.max_surge.as_ref().unwrap_or(&zero);
                let field = "spec.strategy.rollingUpdate";
                validate_int_or_percent(unavailable, &format!("{field}.maxUnavailable"), causes);
                validate_int_or_percent(surge, &format!("{field}.maxSurge"), causes);
                // getIntOrPercentValue: a percent's number, else IntValue (Atoi of a string, 0 if none).
                let value_of = |v: &crate::core::api::yaml::Value| {
                    percent_value(v).or_else(|| v.as_i64()).or_else(|| v.as_str()?.parse().ok()).unwrap_or(0)
                };
                if value_of(unavailable) == 0 && value_of(surge) == 0 {
                    causes.push(Cause::invalid(
                        &format!("{field}.maxUnavailable"),
                        int_or_string(unavailable),
                        "may not be 0 when `maxSurge` is 0",
                    ));
                }
                if percent_value(unavailable).is_some_and(|p| p > 100) {
                    causes.push(Cause::invalid(
                        &format!("{field}.maxUnavailable"),
                        int_or_string(unavailable),
                        "must not be greater than 100%",
                    ));
                }
            }
        },
        other => {
            // field.NotSupported(spec.strategy, the whole strategy): Go's `%#v` of it (a
            // rollingUpdate pointer would print as its address; shown as nil here).
            let strategy = format!(
                "apps.DeploymentStrategy{{Type:{}, RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}}",
                crate::core::quoted(other.unwrap_or(""))
            );
            let detail = format!("Unsupported value: {strategy}: supported values: \"Recreate\", \"RollingUpdate\"");
            causes.push(Cause::new("spec.strategy", detail));
        }
    }
}

/// `ValidatePodTemplateSpecForReplicaSet` (with the pod validation this playground
/// does: containers, images, volume mounts, label lengths).
fn validate_template_for_replica_set(
    selector: Option<&LabelSelector>,
    template: &PodTemplateSpec,
    causes: &mut Vec<Cause>,
) {
    let labels = &template.metadata.labels;
    // A missing selector selects nothing; an empty one everything (no mismatch then).
    if selector.is_none_or(|s| !s.is_empty() && !s.matches(labels)) {
        causes.push(Cause::invalid(
            "spec.template.metadata.labels",
            go_map(labels),
            "`selector` does not match template `labels`",
        ));
    }
    let pod = Pod { metadata: template.metadata.clone(), spec: template.spec.clone(), status: Default::default() };
    for cause in validate_pod(&pod) {
        causes.push(Cause::new(format!("spec.template.{}", cause.field), cause.detail));
    }
    if let Some(policy) = template.spec.restart_policy.as_deref().filter(|p| *p != "Always") {
        causes.push(Cause::unsupported("spec.template.spec.restartPolicy", policy, &["Always"]));
    }
    if let Some(seconds) = template.spec.active_deadline_seconds {
        causes.push(Cause::invalid(
            "spec.template.spec.activeDeadlineSeconds",
            seconds,
            "activeDeadlineSeconds in ReplicaSet is not Supported",
        ));
    }
}

/// `spec.selector` required and not empty (the message says deployment for both kinds, as upstream).
fn validate_selector(selector: Option<&LabelSelector>, causes: &mut Vec<Cause>) {
    match selector {
        None => causes.push(Cause::required("spec.selector")),
        Some(s) if s.is_empty() => {
            causes.push(Cause::invalid("spec.selector", go_selector(s), "empty selector is invalid for deployment"))
        }
        Some(_) => {}
    }
}

/// `ValidateDeployment` (create), on the defaulted object.
pub fn validate_deployment(deployment: &Deployment) -> Vec<Cause> {
    let mut causes = Vec::new();
    validate_subdomain_name(deployment.name(), &mut causes);
    let spec = &deployment.spec;
    non_negative("spec.replicas", spec.replicas, &mut causes);
    validate_selector(spec.selector.as_ref(), &mut causes);
    validate_template_for_replica_set(spec.selector.as_ref(), &spec.template, &mut causes);
    validate_deployment_strategy(&spec.strategy, &mut causes);
    non_negative("spec.minReadySeconds", spec.min_ready_seconds, &mut causes);
    non_negative("spec.revisionHistoryLimit", spec.revision_history_limit, &mut causes);
    if let Some(deadline) = spec.progress_deadline_seconds {
        non_negative("spec.progressDeadlineSeconds", Some(deadline), &mut causes);
        if deadline <= deployment.min_ready_seconds() {
            causes.push(Cause::invalid(
                "spec.progressDeadlineSeconds",
                deadline,
                "must be greater than minReadySeconds",
            ));
        }
    }
    causes
}

/// `ValidateDeploymentUpdate` plus apps/v1's immutable selector.
pub fn validate_deployment_update(old: &Deployment, new: &Deployment) -> Vec<Cause> {
    let mut causes = validate_deployment(new);
    causes.retain(|c| c.field != "metadata.name");
    immutable_selector(old.spec.selector.as_ref(), new.spec.selector.as_ref(), &mut causes);
    causes
}

/// `ValidateReplicaSet` (create), on the defaulted object.
pub fn validate_replica_set(replica_set: &ReplicaSet) -> Vec<Cause> {
    let mut causes = Vec::new();
    validate_subdomain_name(replica_set.name(), &mut causes);
    let spec = &replica_set.spec;
    non_negative("spec.replicas", spec.replicas, &mut causes);
    non_negative("spec.minReadySeconds", spec.min_ready_seconds, &mut causes);
    validate_selector(spec.selector.as_ref(), &mut causes);
    validate_template_for_replica_set(spec.selector.as_ref(), &spec.template, &mut causes);
    causes
}

/// `ValidateReplicaSetUpdate` plus apps/v1's immutable selector.
pub fn validate_replica_set_update(old: &ReplicaSet, new: &ReplicaSet) -> Vec<Cause> {
    let mut causes = validate_replica_set(new);
    causes.retain(|c| c.field != "metadata.name");
    immutable_selector(old.spec.selector.as_ref(), new.spec.selector.as_ref(), &mut causes);
    causes
}

fn immutable_selector(old: Option<&LabelSelector>, new: Option<&LabelSelector>, causes: &mut Vec<Cause>) {
    if old != new {
        let shown = new.map_or_else(|| "null".to_string(), go_selector);
        causes.push(Cause::invalid("spec.selector", shown, "field is immutable"));
    }
}

/// [`int32_overflow`] for a Deployment or ReplicaSet: (Go field path, number).
pub fn int32_overflow_apps(fields: &[(&str, Option<i64>)]) -> Option<(String, i64)> {
    fields.iter().find_map(|(field, value)| {
        value.filter(|v| *v > i64::from(i32::MAX) || *v < i64::from(i32::MIN)).map(|v| (field.to_string(), v))
    })
}
