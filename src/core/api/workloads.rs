//! apps/v1: StatefulSet and ControllerRevision.

use super::core_v1::{PersistentVolumeClaim, PodTemplateSpec};
use super::meta::{LabelSelector, ObjectMeta};

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
