//! apps/v1: StatefulSet and ControllerRevision; Deployment and ReplicaSet.

use super::core_v1::{PersistentVolumeClaim, PodTemplateSpec};
use super::meta::{LabelSelector, ObjectMeta};
use crate::core::time::Millis;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatefulSet {
    pub metadata: ObjectMeta,
    pub spec: StatefulSetSpec,
    /// Written by the controller only; never read from a manifest.
    pub status: StatefulSetStatus,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatefulSetSpec {
    pub replicas: Option<i64>,
    pub selector: Option<LabelSelector>,
    pub template: PodTemplateSpec,
    pub volume_claim_templates: Vec<PersistentVolumeClaim>,
    pub service_name: Option<String>,
    pub pod_management_policy: Option<String>,
    pub update_strategy: Option<StatefulSetUpdateStrategy>,
    pub revision_history_limit: Option<i64>,
    pub min_ready_seconds: Option<i64>,
    pub persistent_volume_claim_retention_policy: Option<RetentionPolicy>,
    pub ordinals: Option<StatefulSetOrdinals>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatefulSetUpdateStrategy {
    pub kind: Option<String>,
    pub rolling_update: Option<RollingUpdateStatefulSetStrategy>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct RollingUpdateStatefulSetStrategy {
    pub partition: Option<i64>,
    /// An int or a percentage string; kept as written.
    pub max_unavailable: Option<crate::core::api::yaml::Value>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct RetentionPolicy {
    pub when_deleted: Option<String>,
    pub when_scaled: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatefulSetOrdinals {
    pub start: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatefulSetStatus {
    pub observed_generation: i64,
    pub replicas: i64,
    pub ready_replicas: i64,
    pub current_replicas: i64,
    pub updated_replicas: i64,
    pub available_replicas: i64,
    pub current_revision: String,
    pub update_revision: String,
    pub collision_count: i64,
}

impl StatefulSet {
    pub fn name(&self) -> &str {
        &self.metadata.name
    }
    /// `spec.replicas` after defaulting (§9.6: 1).
    pub fn replicas(&self) -> i64 {
        self.spec.replicas.unwrap_or(1)
    }
    /// First ordinal, `spec.ordinals.start` or 0 (§1.1).
    pub fn start_ordinal(&self) -> i64 {
        self.spec.ordinals.as_ref().map_or(0, |o| o.start)
    }
    /// One past the last in-range ordinal.
    pub fn end_ordinal(&self) -> i64 {
        self.start_ordinal() + self.replicas()
    }
    /// §2.2: `Parallel` bursts; everything else (default OrderedReady) is monotonic.
    pub fn allows_burst(&self) -> bool {
        self.spec.pod_management_policy.as_deref() == Some("Parallel")
    }
    pub fn is_on_delete(&self) -> bool {
        self.spec.update_strategy.as_ref().and_then(|s| s.kind.as_deref()) == Some("OnDelete")
    }
    pub fn rolling_update(&self) -> Option<&RollingUpdateStatefulSetStrategy> {
        self.spec.update_strategy.as_ref().and_then(|s| s.rolling_update.as_ref())
    }
    /// `rollingUpdate.partition`, 0 when unset.
    pub fn partition(&self) -> i64 {
        self.rolling_update().and_then(|r| r.partition).unwrap_or(0)
    }
    pub fn min_ready_seconds(&self) -> i64 {
        self.spec.min_ready_seconds.unwrap_or(0)
    }
    pub fn service_name(&self) -> &str {
        self.spec.service_name.as_deref().unwrap_or("")
    }
    fn retention(&self, pick: impl Fn(&RetentionPolicy) -> Option<&String>) -> bool {
        self.spec.persistent_volume_claim_retention_policy.as_ref().and_then(pick).map(String::as_str) == Some("Delete")
    }
    /// `whenScaled: Delete` (§4.10).
    pub fn deletes_claims_when_scaled(&self) -> bool {
        self.retention(|p| p.when_scaled.as_ref())
    }
    /// `whenDeleted: Delete` (§4.10).
    pub fn deletes_claims_when_deleted(&self) -> bool {
        self.retention(|p| p.when_deleted.as_ref())
    }
}

/// A snapshot of a pod template, one per distinct template the set has had (§3.1).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ControllerRevision {
    pub metadata: ObjectMeta,
    /// The pod template this revision stands for.
    pub data: PodTemplateSpec,
    pub revision: i64,
}

// ---------------------------------------------------------------- Deployment, ReplicaSet

/// The label the Deployment controller adds to a ReplicaSet's selector, template and
/// pods: the hash of the pod template it was made from (`DefaultDeploymentUniqueLabelKey`).
pub const POD_TEMPLATE_HASH_LABEL: &str = "pod-template-hash";
/// A ReplicaSet's (and its Deployment's) revision number.
pub const REVISION_ANNOTATION: &str = "deployment.kubernetes.io/revision";
/// The revisions a ReplicaSet had before a rollback made it the newest again.
pub const REVISION_HISTORY_ANNOTATION: &str = "deployment.kubernetes.io/revision-history";
/// The Deployment's `spec.replicas` when the ReplicaSet was last scaled.
pub const DESIRED_REPLICAS_ANNOTATION: &str = "deployment.kubernetes.io/desired-replicas";
/// `spec.replicas + maxSurge` when the ReplicaSet was last scaled.
pub const MAX_REPLICAS_ANNOTATION: &str = "deployment.kubernetes.io/max-replicas";

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Deployment {
    pub metadata: ObjectMeta,
    pub spec: DeploymentSpec,
    /// Written by the controller only; never read from a manifest.
    pub status: DeploymentStatus,
}

/// `DeploymentSpec`, fields in the API's (and so `-o json`'s) order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeploymentSpec {
    pub replicas: Option<i64>,
    pub selector: Option<LabelSelector>,
    pub template: PodTemplateSpec,
    pub strategy: DeploymentStrategy,
    /// `None` stands for 0 (the API omits it then).
    pub min_ready_seconds: Option<i64>,
    pub revision_history_limit: Option<i64>,
    /// `None` stands for false.
    pub paused: Option<bool>,
    pub progress_deadline_seconds: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeploymentStrategy {
    /// `RollingUpdate` (the default) or `Recreate`.
    pub kind: Option<String>,
    pub rolling_update: Option<RollingUpdateDeployment>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct RollingUpdateDeployment {
    /// An int or a percentage string (IntOrString); kept as written.
    pub max_unavailable: Option<crate::core::api::yaml::Value>,
    pub max_surge: Option<crate::core::api::yaml::Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeploymentStatus {
    pub observed_generation: i64,
    pub replicas: i64,
    pub updated_replicas: i64,
    pub ready_replicas: i64,
    pub available_replicas: i64,
    pub unavailable_replicas: i64,
    pub conditions: Vec<DeploymentCondition>,
    /// Set (from 0 up) only once a ReplicaSet name collided.
    pub collision_count: Option<i64>,
}

/// `Available` or `Progressing` (or `ReplicaFailure`, copied from a ReplicaSet).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeploymentCondition {
    pub kind: String,
    /// `True`, `False` or `Unknown`.
    pub status: String,
    pub last_update_time: Millis,
    pub last_transition_time: Millis,
    pub reason: String,
    pub message: String,
}

impl Deployment {
    pub fn name(&self) -> &str {
        &self.metadata.name
    }
    /// `spec.replicas` after defaulting (1).
    pub fn replicas(&self) -> i64 {
        self.spec.replicas.unwrap_or(1)
    }
    pub fn min_ready_seconds(&self) -> i64 {
        self.spec.min_ready_seconds.unwrap_or(0)
    }
    pub fn is_paused(&self) -> bool {
        self.spec.paused == Some(true)
    }
    /// `IsRollingUpdate`: the strategy is RollingUpdate (the default).
    pub fn is_rolling_update(&self) -> bool {
        self.spec.strategy.kind.as_deref().unwrap_or("RollingUpdate") == "RollingUpdate"
    }
    pub fn is_recreate(&self) -> bool {
        self.spec.strategy.kind.as_deref() == Some("Recreate")
    }
    /// `HasProgressDeadline`: set and not MaxInt32.
    pub fn progress_deadline_seconds(&self) -> Option<i64> {
        self.spec.progress_deadline_seconds.filter(|s| *s != i64::from(i32::MAX))
    }
    /// The resolved (maxSurge, maxUnavailable) of a rolling update (`ResolveFenceposts`).
    pub fn fenceposts(&self) -> (i64, i64) {
        let rolling = self.spec.strategy.rolling_update.as_ref();
        resolve_fenceposts(
            rolling.and_then(|r| r.max_surge.as_ref()),
            rolling.and_then(|r| r.max_unavailable.as_ref()),
            self.replicas(),
        )
    }
    /// `MaxSurge`: 0 unless the strategy is RollingUpdate.
    pub fn max_surge(&self) -> i64 {
        if self.is_rolling_update() {
            self.fenceposts().0
        } else {
            0
        }
    }
    /// `MaxUnavailable`: 0 unless RollingUpdate with replicas, at most `spec.replicas`.
    pub fn max_unavailable(&self) -> i64 {
        if !self.is_rolling_update() || self.replicas() == 0 {
            return 0;
        }
        self.fenceposts().1.min(self.replicas())
    }
    /// The condition of `kind` in the status, if any.
    pub fn condition(&self, kind: &str) -> Option<&DeploymentCondition> {
        self.status.conditions.iter().find(|c| c.kind == kind)
    }
}

/// `intstr.GetScaledValueFromIntOrPercent`: an int as it is, `"25%"` of `total`
/// rounded up or down. Errors as apimachinery words them.
pub fn scaled_value(value: &crate::core::api::yaml::Value, total: i64, round_up: bool) -> Result<i64, String> {
    use crate::core::api::yaml::Value;
    match value {
        Value::Number(n) => n
            .as_i64()
            .ok_or_else(|| "invalid value for IntOrString: invalid type: neither int nor percentage".to_string()),
        Value::String(text) => {
            let Some(digits) = text.strip_suffix('%') else {
                return Err("invalid value for IntOrString: invalid type: string is not a percentage".into());
            };
            let percent: i64 = digits
                .parse()
                .map_err(|_| format!("invalid value for IntOrString: invalid value {}", crate::core::quoted(text)))?;
            let scaled = percent.saturating_mul(total);
            // Exact integer ceil/floor of percent * total / 100.
            Ok(if round_up {
                scaled.div_euclid(100) + i64::from(scaled.rem_euclid(100) != 0)
            } else {
                scaled.div_euclid(100)
            })
        }
        _ => Err("invalid value for IntOrString: invalid type: neither int nor percentage".into()),
    }
}

/// `ResolveFenceposts`: maxSurge rounds up, maxUnavailable rounds down; when both come
/// to 0, maxUnavailable is 1 (validation refuses two explicit zeros). A missing value is 0.
pub fn resolve_fenceposts(
    max_surge: Option<&crate::core::api::yaml::Value>,
    max_unavailable: Option<&crate::core::api::yaml::Value>,
    desired: i64,
) -> (i64, i64) {
    let surge = max_surge.map_or(Ok(0), |v| scaled_value(v, desired, true)).unwrap_or(0);
    let unavailable = max_unavailable.map_or(Ok(0), |v| scaled_value(v, desired, false)).unwrap_or(0);
    if surge == 0 && unavailable == 0 {
        return (0, 1);
    }
    (surge, unavailable)
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReplicaSet {
    pub metadata: ObjectMeta,
    pub spec: ReplicaSetSpec,
    /// Written by the controller only; never read from a manifest.
    pub status: ReplicaSetStatus,
}

/// `ReplicaSetSpec`, fields in the API's order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReplicaSetSpec {
    pub replicas: Option<i64>,
    /// `None` stands for 0.
    pub min_ready_seconds: Option<i64>,
    pub selector: Option<LabelSelector>,
    pub template: PodTemplateSpec,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReplicaSetStatus {
    pub replicas: i64,
    pub fully_labeled_replicas: i64,
    pub ready_replicas: i64,
    pub available_replicas: i64,
    pub observed_generation: i64,
    pub conditions: Vec<ReplicaSetCondition>,
}

/// `ReplicaFailure`: pods could not be created or deleted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReplicaSetCondition {
    pub kind: String,
    pub status: String,
    pub last_transition_time: Millis,
    pub reason: String,
    pub message: String,
}

impl ReplicaSet {
    pub fn name(&self) -> &str {
        &self.metadata.name
    }
    /// `spec.replicas` after defaulting (1).
    pub fn replicas(&self) -> i64 {
        self.spec.replicas.unwrap_or(1)
    }
    pub fn min_ready_seconds(&self) -> i64 {
        self.spec.min_ready_seconds.unwrap_or(0)
    }
    /// The `deployment.kubernetes.io/revision` annotation as a number (`Revision`), if it is one.
    pub fn revision(&self) -> Option<i64> {
        self.metadata.annotations.get(REVISION_ANNOTATION).and_then(|r| r.parse().ok())
    }
}
