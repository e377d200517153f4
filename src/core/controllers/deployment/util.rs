//! `pkg/controller/deployment/util` (deployment_util.go) and the helpers of
//! `pkg/controller` the Deployment controller uses: the pod-template hash, the
//! revision and replica annotations, conditions, and the orders ReplicaSets are
//! sorted in.

use std::hash::{Hash, Hasher};

use crate::core::api::write::ToValue;
use crate::core::api::*;
use crate::core::time::Millis;

/// FNV-1a, 32 bits (Go's `hash/fnv.New32a`), with sizes hashed as 64-bit little-endian
/// so that a template hashes the same in the browser (wasm32) as natively.
struct Fnv32a(u32);

impl Hasher for Fnv32a {
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 ^ u32::from(*byte)).wrapping_mul(0x0100_0193);
        }
    }
    fn write_usize(&mut self, value: usize) {
        self.write(&(value as u64).to_le_bytes());
    }
    fn finish(&self) -> u64 {
        u64::from(self.0)
    }
}

/// `controller.ComputeHash`: FNV-32a of the template, then of the collision count (as
/// 8 little-endian bytes, when there is one), the decimal digits of the sum mapped
/// through `SafeEncodeString`. Upstream hashes Go's spew dump of the template; here
/// its YAML value is hashed, so hashes keep their shape and stability but differ
/// from a real cluster's.
pub fn compute_hash(template: &PodTemplateSpec, collision_count: Option<i64>) -> String {
    let mut hasher = Fnv32a(0x811c_9dc5);
    template.to_value().hash(&mut hasher);
    if let Some(count) = collision_count {
        let mut bytes = [0u8; 8];
        bytes[..4].copy_from_slice(&(count as u32).to_le_bytes());
        hasher.write(&bytes);
    }
    crate::core::controllers::safe_encode(hasher.0)
}

/// `EqualIgnoreHash`: the templates are equal once the pod-template-hash label is
/// taken out of both.
pub fn equal_ignore_hash(a: &PodTemplateSpec, b: &PodTemplateSpec) -> bool {
    if a.spec != b.spec {
        return false;
    }
    let without_hash = |t: &PodTemplateSpec| {
        let mut meta = t.metadata.clone();
        meta.labels.remove(POD_TEMPLATE_HASH_LABEL);
        meta
    };
    without_hash(a) == without_hash(b)
}

/// `ReplicaSetsByCreationTimestamp`: older first, then by name.
pub fn by_creation(rs: &ReplicaSet) -> (Millis, &str) {
    (rs.metadata.creation_timestamp.unwrap_or(0), rs.name())
}

/// `controller.NewControllerRef` of a Deployment.
pub fn owner_reference(deployment: &Deployment) -> OwnerReference {
    OwnerReference::controller_of("Deployment", &deployment.metadata)
}

// ---------------------------------------------------------------- annotations

/// An int32 annotation (`strconv.ParseInt(v, 10, 32)`).
fn annotation_number(rs: &ReplicaSet, key: &str) -> Option<i64> {
    rs.metadata.annotations.get(key).and_then(|v| v.parse::<i32>().ok()).map(i64::from)
}

/// `GetDesiredReplicasAnnotation`.
pub fn desired_replicas(rs: &ReplicaSet) -> Option<i64> {
    annotation_number(rs, DESIRED_REPLICAS_ANNOTATION)
}

/// `getMaxReplicasAnnotation`.
pub fn max_replicas(rs: &ReplicaSet) -> Option<i64> {
    annotation_number(rs, MAX_REPLICAS_ANNOTATION)
}

/// `MaxRevision`: the highest revision among `replica_sets` (0 when none has one).
pub fn max_revision<'a>(replica_sets: impl IntoIterator<Item = &'a ReplicaSet>) -> i64 {
    replica_sets.into_iter().map(|rs| rs.revision().unwrap_or(0)).max().unwrap_or(0).max(0)
}

/// `skipCopyAnnotation`: annotations of a Deployment not copied to its ReplicaSets.
fn skip_copy_annotation(key: &str) -> bool {
    matches!(
        key,
        "kubectl.kubernetes.io/last-applied-configuration"
            | REVISION_ANNOTATION
            | REVISION_HISTORY_ANNOTATION
            | DESIRED_REPLICAS_ANNOTATION
            | MAX_REPLICAS_ANNOTATION
            | "deprecated.deployment.rollback.to"
    )
}

/// `copyDeploymentAnnotationsToReplicaSet`; returns whether any changed.
fn copy_deployment_annotations(deployment: &Deployment, rs: &mut ReplicaSet) -> bool {
    let mut changed = false;
    for (key, value) in &deployment.metadata.annotations {
        if skip_copy_annotation(key) || rs.metadata.annotations.get(key) == Some(value) {
            continue;
        }
        rs.metadata.annotations.insert(key.clone(), value.clone());
        changed = true;
    }
    changed
}

/// The most characters `deployment.kubernetes.io/revision-history` may hold.
const MAX_REV_HISTORY_LENGTH_IN_CHARS: usize = 2000;

/// `SetNewReplicaSetAnnotations`: the Deployment's annotations, the revision (raised to
/// `new_revision` only, an older one kept in the revision history: a rollback), and for
/// a ReplicaSet about to be created the replica annotations. Returns whether any changed.
pub fn set_new_replica_set_annotations(
    deployment: &Deployment,
    rs: &mut ReplicaSet,
    new_revision: i64,
    exists: bool,
) -> bool {
    let mut changed = copy_deployment_annotations(deployment, rs);
    let annotations = &mut rs.metadata.annotations;
    let old_text = annotations.get(REVISION_ANNOTATION).cloned();
    let old_revision = match old_text.as_deref() {
        None | Some("") => 0,
        Some(text) => match text.parse::<i64>() {
            Ok(number) => number,
            // Upstream logs "OldRevision not int" and gives up.
            Err(_) => return false,
        },
    };
    if old_revision < new_revision {
        annotations.insert(REVISION_ANNOTATION.into(), new_revision.to_string());
        changed = true;
        if let Some(old) = old_text {
            let history = annotations.get(REVISION_HISTORY_ANNOTATION).cloned().unwrap_or_default();
            if history.is_empty() {
                annotations.insert(REVISION_HISTORY_ANNOTATION.into(), old);
            } else {
                let mut revisions: Vec<&str> = history.split(',').collect();
                let mut total = history.len() + old.len() + 1;
                let mut start = 0;
                while total > MAX_REV_HISTORY_LENGTH_IN_CHARS && start < revisions.len() {
                    total -= revisions[start].len() + 1;
                    start += 1;
                }
                if total <= MAX_REV_HISTORY_LENGTH_IN_CHARS {
                    revisions.drain(..start);
                    revisions.push(&old);
                    let joined = revisions.join(",");
                    annotations.insert(REVISION_HISTORY_ANNOTATION.into(), joined);
                }
            }
        }
    }
    if !exists && set_replicas_annotations(rs, deployment.replicas(), deployment.replicas() + deployment.max_surge()) {
        changed = true;
    }
    changed
}

/// `SetReplicasAnnotations`; returns whether either changed.
pub fn set_replicas_annotations(rs: &mut ReplicaSet, desired: i64, max: i64) -> bool {
    let mut changed = false;
    for (key, value) in [(DESIRED_REPLICAS_ANNOTATION, desired), (MAX_REPLICAS_ANNOTATION, max)] {
        let text = value.to_string();
        if rs.metadata.annotations.get(key) != Some(&text) {
            rs.metadata.annotations.insert(key.into(), text);
            changed = true;
        }
    }
    changed
}

/// `ReplicasAnnotationsNeedUpdate`.
pub fn replicas_annotations_need_update(rs: &ReplicaSet, desired: i64, max: i64) -> bool {
    let annotations = &rs.metadata.annotations;
    annotations.get(DESIRED_REPLICAS_ANNOTATION) != Some(&desired.to_string())
        || annotations.get(MAX_REPLICAS_ANNOTATION) != Some(&max.to_string())
}

/// `SetDeploymentRevision`; returns whether it changed.
pub fn set_deployment_revision(deployment: &mut Deployment, revision: &str) -> bool {
    let annotations = &mut deployment.metadata.annotations;
    if annotations.get(REVISION_ANNOTATION).map(String::as_str) == Some(revision) {
        return false;
    }
    annotations.insert(REVISION_ANNOTATION.into(), revision.to_string());
    true
}

// ---------------------------------------------------------------- conditions

/// `Progressing` reasons (deployment_util.go).
pub const NEW_RS_REASON: &str = "NewReplicaSetCreated";
pub const FOUND_NEW_RS_REASON: &str = "FoundNewReplicaSet";
pub const RS_UPDATED_REASON: &str = "ReplicaSetUpdated";
pub const NEW_RS_AVAILABLE_REASON: &str = "NewReplicaSetAvailable";
pub const TIMED_OUT_REASON: &str = "ProgressDeadlineExceeded";
pub const PAUSED_REASON: &str = "DeploymentPaused";
pub const RESUMED_REASON: &str = "DeploymentResumed";

/// `NewDeploymentCondition`: both times now.
pub fn new_condition(kind: &str, status: &str, reason: &str, message: String, now: Millis) -> DeploymentCondition {
    DeploymentCondition {
        kind: kind.into(),
        status: status.into(),
        last_update_time: now,
        last_transition_time: now,
        reason: reason.into(),
        message,
    }
}

pub fn get_condition<'a>(status: &'a DeploymentStatus, kind: &str) -> Option<&'a DeploymentCondition> {
    status.conditions.iter().find(|c| c.kind == kind)
}

/// `SetDeploymentCondition`: nothing when the status and reason are the same; the
/// transition time kept when only the reason changes; the new condition goes last.
pub fn set_condition(status: &mut DeploymentStatus, mut condition: DeploymentCondition) {
    if let Some(current) = get_condition(status, &condition.kind) {
        if current.status == condition.status && current.reason == condition.reason {
            return;
        }
        if current.status == condition.status {
            condition.last_transition_time = current.last_transition_time;
        }
    }
    remove_condition(status, &condition.kind);
    status.conditions.push(condition);
}

pub fn remove_condition(status: &mut DeploymentStatus, kind: &str) {
    status.conditions.retain(|c| c.kind != kind);
}

/// `DeploymentComplete`: every replica updated and available, the spec observed.
pub fn deployment_complete(deployment: &Deployment, status: &DeploymentStatus) -> bool {
    let replicas = deployment.replicas();
    status.updated_replicas == replicas
        && status.replicas == replicas
        && status.available_replicas == replicas
        && status.observed_generation >= deployment.metadata.generation
}

/// `DeploymentProgressing`: more updated, ready or available replicas, or fewer old ones.
pub fn deployment_progressing(deployment: &Deployment, new: &DeploymentStatus) -> bool {
    let old = &deployment.status;
    let old_old_replicas = old.replicas - old.updated_replicas;
    let new_old_replicas = new.replicas - new.updated_replicas;
    new.updated_replicas > old.updated_replicas
        || new_old_replicas < old_old_replicas
        || new.ready_replicas > old.ready_replicas
        || new.available_replicas > old.available_replicas
}

/// `DeploymentTimedOut`: no progress reported for `progressDeadlineSeconds`.
pub fn deployment_timed_out(deployment: &Deployment, new: &DeploymentStatus, now: Millis) -> bool {
    let Some(deadline) = deployment.progress_deadline_seconds() else { return false };
    let Some(condition) = get_condition(new, "Progressing") else { return false };
    match condition.reason.as_str() {
        NEW_RS_AVAILABLE_REASON => false,
        TIMED_OUT_REASON => true,
        _ => condition.last_update_time.saturating_add(deadline.max(0) as u64 * 1000) < now,
    }
}

/// When a deployment's rollout would time out if nothing moves (`requeueStuckDeployment`:
/// the last update plus the deadline, plus a second), while it may.
pub fn progress_check_due(deployment: &Deployment) -> Option<Millis> {
    let deadline = deployment.progress_deadline_seconds()?;
    if deployment.is_paused() {
        return None;
    }
    let condition = deployment.condition("Progressing")?;
    if condition.reason == NEW_RS_AVAILABLE_REASON || condition.reason == TIMED_OUT_REASON {
        return None;
    }
    if deployment_complete(deployment, &deployment.status) {
        return None;
    }
    Some(condition.last_update_time.saturating_add(deadline.max(0) as u64 * 1000 + 1000))
}

// ---------------------------------------------------------------- proportions

/// `getReplicaSetFraction`: the replicas `rs` should gain (or lose) for its share of a
/// resized deployment, from the `max-replicas` it was scaled for.
fn replica_set_fraction(rs: &ReplicaSet, deployment: &Deployment) -> i64 {
    if deployment.replicas() == 0 {
        return -rs.replicas();
    }
    let deployment_max = deployment.replicas() + deployment.max_surge();
    let before = match max_replicas(rs) {
        Some(before) if before != 0 => before,
        _ => match deployment.status.replicas {
            0 => return 0,
            replicas => replicas,
        },
    };
    // integer.RoundToInt32(float64(base * max) / float64(before)): half away from zero.
    let numerator = rs.replicas() * deployment_max;
    let rounded = if (numerator < 0) == (before < 0) {
        (2 * numerator.abs() + before.abs()) / (2 * before.abs())
    } else {
        -((2 * numerator.abs() + before.abs()) / (2 * before.abs()))
    };
    rounded - rs.replicas()
}

/// `GetReplicaSetProportion`: `rs`'s share of `to_add`, of which `added` is handed out.
pub fn replica_set_proportion(rs: &ReplicaSet, deployment: &Deployment, to_add: i64, added: i64) -> i64 {
    if rs.replicas() == 0 || to_add == 0 || to_add == added {
        return 0;
    }
    let fraction = replica_set_fraction(rs, deployment);
    let allowed = to_add - added;
    if to_add > 0 {
        fraction.min(allowed)
    } else {
        fraction.max(allowed)
    }
}

/// `IsSaturated`: the new ReplicaSet runs every replica, available.
pub fn is_saturated(deployment: &Deployment, rs: &ReplicaSet) -> bool {
    let replicas = deployment.replicas();
    desired_replicas(rs) == Some(replicas) && rs.replicas() == replicas && rs.status.available_replicas == replicas
}

/// `NewRSNewReplicas`: how far the new ReplicaSet may grow now. `all` includes it.
pub fn new_rs_new_replicas<'a>(
    deployment: &Deployment,
    all: impl IntoIterator<Item = &'a ReplicaSet>,
    new: &ReplicaSet,
) -> i64 {
    if deployment.is_recreate() {
        return deployment.replicas();
    }
    let current: i64 = all.into_iter().map(ReplicaSet::replicas).sum();
    let max_total = deployment.replicas() + deployment.max_surge();
    if current >= max_total {
        return new.replicas();
    }
    let scale_up = (max_total - current).min(deployment.replicas() - new.replicas());
    new.replicas() + scale_up
}
