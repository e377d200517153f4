//! The StatefulSet controller: `pkg/controller/statefulset` (reference §1–§4).
//!
//! [`reconcile`] is one sync pass of `updateStatefulSet` for one set: it reads the
//! set, its pods, claims and revisions, and returns the API calls it would make.

use crate::core::sorted::SortedMap;

use crate::core::api::*;
use crate::core::time::Millis;

/// What the controller asks the API server to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    CreateRevision(ControllerRevision),
    /// §3.3: returning to an older template renumbers its revision instead of creating one.
    RenumberRevision { name: String, revision: i64 },
    DeleteRevision(String),
    CreateClaim(PersistentVolumeClaim),
    CreatePod(Pod),
    DeletePod(String),
    /// §1.6: put the pod-name label back.
    RepairPodIdentity(String),
    /// §4.10: set (or clear, with `None`) the claim's controller owner reference.
    SetClaimOwner { claim: String, owner: Option<OwnerReference> },
    UpdateStatus(StatefulSetStatus),
    Event { kind: &'static str, reason: &'static str, message: String },
}

/// Whether a claim the controller needs exists (§4.1, §4.3).
#[derive(Debug, Clone, PartialEq)]
pub enum ClaimState {
    Missing,
    Present { owner: Option<OwnerReference> },
    Deleting,
}

/// The slice of cluster state one pass reads.
pub struct SetState<'a> {
    pub set: &'a StatefulSet,
    /// Pods that are members of the set (§1.3), any order.
    pub pods: Vec<&'a Pod>,
    /// Revisions owned by the set, any order.
    pub revisions: Vec<&'a ControllerRevision>,
    pub claim: &'a dyn Fn(&str) -> ClaimState,
    /// Whether any claim has a controller owner reference; with the default
    /// Retain/Retain policy and none, the owner-reference phase has nothing to do.
    pub any_claim_owned: bool,
    pub now: Millis,
}

// ---------------------------------------------------------------- naming (SSU)

/// §1.1 `<set>-<ordinal>`.
pub fn pod_name_for(set: &str, ordinal: i64) -> String {
    format!("{set}-{ordinal}")
}

/// §1.8 `<claimTemplate>-<set>-<ordinal>`.
pub fn claim_name_for(template: &str, set: &str, ordinal: i64) -> String {
    format!("{template}-{set}-{ordinal}")
}

/// §1.2 greedy `(.*)-([0-9]+)$`; `None` when the name has no ordinal.
pub fn parent_and_ordinal(pod_name: &str) -> Option<(&str, i64)> {
    // The digits after the last '-' are the trailing digits, when a '-' precedes them
    // (a byte scan: this runs for every pod on every pass).
    let digit_count = pod_name.bytes().rev().take_while(u8::is_ascii_digit).count();
    let (parent, digits) = pod_name.split_at(pod_name.len() - digit_count);
    let parent = parent.strip_suffix('-')?;
    if digits.is_empty() {
        return None;
    }
    Some((parent, digits.parse().ok()?))
}

// ---------------------------------------------------------------- revisions (HIST)

/// FNV-32 as a `Hasher`, with sizes hashed as 64-bit little-endian so the
/// same template gets the same revision name in the browser (wasm32) and natively.
struct Fnv32(u32);

impl std::hash::Hasher for Fnv32 {
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = self.0.wrapping_mul(0x0100_0193) ^ u32::from(*byte);
        }
    }
    fn write_usize(&mut self, value: usize) {
        self.write(&(value as u64).to_le_bytes());
    }
    fn finish(&self) -> u64 {
        u64::from(self.0)
    }
}

/// §3.2: FNV-32 of the template followed by the collision count, its decimal
/// digits mapped through apimachinery's `SafeEncodeString` alphabet. (The hash
/// runs over the template's YAML value rather than Go's JSON bytes, so names
/// differ from a real cluster's but keep their shape and stability.)
pub fn revision_name_for(set: &str, template: &PodTemplateSpec, collision_count: i64) -> String {
    use std::hash::{Hash, Hasher};
    const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut hasher = Fnv32(0x811c_9dc5);
    crate::core::api::write::ToValue::to_value(template).hash(&mut hasher);
    hasher.write(collision_count.to_string().as_bytes());
    let encoded: String = hasher.0.to_string().bytes().map(|b| ALPHANUMS[b as usize % ALPHANUMS.len()] as char).collect();
    format!("{set}-{encoded}")
}

/// Current and update revision names, plus the revision changes this implies (§3.2–§3.4).
fn revisions(state: &SetState, changes: &mut Vec<Change>) -> (String, String) {
    let set = state.set;
    let template = &set.spec.template;
    let max_revision = state.revisions.iter().map(|r| r.revision).max().unwrap_or(0);
    let update = match state.revisions.iter().find(|r| r.data == *template) {
        Some(existing) => {
            if existing.revision < max_revision {
                changes.push(Change::RenumberRevision { name: existing.metadata.name.clone(), revision: max_revision + 1 });
            }
            existing.metadata.name.clone()
        }
        None => {
            let name = revision_name_for(set.name(), template, set.status.collision_count);
            let mut labels = template.metadata.labels.clone();
            labels.insert("controller.kubernetes.io/hash".into(), name[set.name().len() + 1..].to_string());
            changes.push(Change::CreateRevision(ControllerRevision {
                metadata: ObjectMeta {
                    name: name.clone(),
                    labels,
                    annotations: set.metadata.annotations.clone(),
                    owner_references: vec![owner_reference(set)],
                    ..Default::default()
                },
                data: template.clone(),
                revision: max_revision + 1,
            }));
            name
        }
    };
    let current_exists = state.revisions.iter().any(|r| r.metadata.name == set.status.current_revision);
    let current = if current_exists { set.status.current_revision.clone() } else { update.clone() };
    (current, update)
}

fn revision_template<'a>(state: &'a SetState, name: &str) -> &'a PodTemplateSpec {
    state.revisions.iter().find(|r| r.metadata.name == name).map_or(&state.set.spec.template, |r| &r.data)
}

pub fn owner_reference(set: &StatefulSet) -> OwnerReference {
    OwnerReference {
        api_version: "apps/v1".into(),
        kind: "StatefulSet".into(),
        name: set.name().to_string(),
        uid: set.metadata.uid.clone(),
        controller: true,
        block_owner_deletion: true,
    }
}

// ---------------------------------------------------------------- new pods (SSU)

/// §1.5 / §4.4: the pod for `ordinal`, from the template of `revision`.
pub fn new_pod(set: &StatefulSet, template: &PodTemplateSpec, revision: &str, ordinal: i64) -> Pod {
    let name = pod_name_for(set.name(), ordinal);
    let mut labels = template.metadata.labels.clone();
    labels.insert(POD_NAME_LABEL.into(), name.clone());
    labels.insert(POD_INDEX_LABEL.into(), ordinal.to_string());
    labels.insert(CONTROLLER_REVISION_HASH.into(), revision.to_string());
    let mut spec = template.spec.clone();
    spec.hostname = Some(name.clone());
    spec.subdomain = set.spec.service_name.clone();
    // §4.4: one volume per claim template, then the template volumes not shadowed by one.
    let claim_templates: Vec<&str> = set.spec.volume_claim_templates.iter().map(|t| t.metadata.name.as_str()).collect();
    let mut volumes: Vec<Volume> = claim_templates
        .iter()
        .map(|template_name| Volume {
            name: template_name.to_string(),
            persistent_volume_claim: Some(PvcVolumeSource {
                claim_name: claim_name_for(template_name, set.name(), ordinal),
                read_only: None,
            }),
            ..Default::default()
        })
        .collect();
    volumes.extend(spec.volumes.iter().filter(|v| !claim_templates.contains(&v.name.as_str())).cloned());
    spec.volumes = volumes;
    Pod {
        metadata: ObjectMeta {
            name,
            namespace: set.metadata.namespace.clone(),
            labels,
            annotations: template.metadata.annotations.clone(),
            owner_references: vec![owner_reference(set)],
            ..Default::default()
        },
        spec,
        status: PodStatus { phase: "Pending".into(), ..Default::default() },
    }
}

/// §4.1: the claims of `ordinal`; labels are the template's overlaid with the selector's.
pub fn new_claims(set: &StatefulSet, ordinal: i64) -> Vec<PersistentVolumeClaim> {
    let selector = set.spec.selector.as_ref().map(|s| s.match_labels.clone()).unwrap_or_default();
    set.spec
        .volume_claim_templates
        .iter()
        .map(|template| {
            let mut claim = template.clone();
            claim.metadata.name = claim_name_for(&template.metadata.name, set.name(), ordinal);
            claim.metadata.namespace = set.metadata.namespace.clone();
            claim.metadata.labels.extend(selector.clone());
            claim.status = PersistentVolumeClaimStatus { phase: "Pending".into(), ..Default::default() };
            claim
        })
        .collect()
}

// ---------------------------------------------------------------- one sync pass

/// A pod slot in the in-range slice: the pod if it exists.
struct Slot<'a> {
    ordinal: i64,
    pod: Option<&'a Pod>,
}

/// One pass of `updateStatefulSet` (§2.1). Returns the API calls to make, in order.
pub fn reconcile(state: &SetState) -> Vec<Change> {
    let set = state.set;
    let mut changes = Vec::new();
    let (current_revision, update_revision) = revisions(state, &mut changes);

    let start = set.start_ordinal();
    let end = set.end_ordinal();
    // Sorted first (stably: of two names with one ordinal, the later name wins, as
    // inserting in name order would), so that building the map only appends.
    let mut ordinals: Vec<(i64, &Pod)> = state.pods.iter().filter_map(|pod| Some((parent_and_ordinal(pod.name())?.1, *pod))).collect();
    ordinals.sort_by_key(|(ordinal, _)| *ordinal);
    let by_ordinal: SortedMap<i64, &Pod> = ordinals.into_iter().collect();
    let slots: Vec<Slot> = (start..end).map(|ordinal| Slot { ordinal, pod: by_ordinal.get(&ordinal).copied() }).collect();
    // §1.4 condemned: out of range, highest ordinal first.
    let mut condemned: Vec<&Pod> =
        by_ordinal.iter().filter(|(o, _)| **o < start || **o >= end).map(|(_, p)| *p).collect();
    condemned.reverse();

    let min_ready = set.min_ready_seconds();
    let available = |pod: &Pod| pod.is_available(min_ready, state.now);
    // §2.7: the first unavailable pod, in range first, else among the condemned (lowest
    // ordinal); only OrderedReady scale-down asks, so it is found then.
    let first_unavailable = || -> Option<&str> {
        slots
            .iter()
            .filter_map(|s| s.pod)
            .find(|p| !available(p))
            .or_else(|| condemned.iter().rev().copied().find(|p| !available(p)))
            .map(Pod::name)
    };

    let monotonic = !set.allows_burst();
    let partition = set.partition();
    // §2.10: which revision a (re)created pod gets.
    let revision_for = |ordinal: i64| -> &str {
        let keeps_current = if set.rolling_update().is_none() && !set.is_on_delete() {
            ordinal - start < set.status.current_replicas
        } else {
            !set.is_on_delete() && ordinal - start < partition
        };
        if keeps_current { &current_revision } else { &update_revision }
    };

    let stopped = 'passes: {
        // Phase A (§2.3): in-range pods, ascending ordinals.
        for slot in &slots {
            let Some(pod) = slot.pod else {
                let revision = revision_for(slot.ordinal);
                let template = revision_template(state, revision);
                create_pod(state, template, revision, slot.ordinal, &mut changes);
                if monotonic {
                    // §2.3(2): OrderedReady stops the pass after each creation.
                    break 'passes true;
                }
                continue;
            };
            if pod.is_terminal() {
                // §2.3(1): delete a Failed/Succeeded pod; it is recreated once gone.
                if !pod.metadata.is_terminating() {
                    delete_pod(set, pod, &mut changes);
                }
                if monotonic {
                    break 'passes true;
                }
                continue;
            }
            if pod.status.phase == "Pending" {
                create_missing_claims(state, slot.ordinal, pod.name(), &mut changes);
            }
            if monotonic && (pod.metadata.is_terminating() || !pod.is_running_and_ready() || !available(pod)) {
                // §2.3(4)–(6): OrderedReady waits for this pod.
                break 'passes true;
            }
            if pod.metadata.labels.get(POD_NAME_LABEL).map(String::as_str) != Some(pod.name()) {
                // §1.6 identity repair.
                changes.push(Change::RepairPodIdentity(pod.name().to_string()));
                changes.push(event("Normal", "SuccessfulUpdate", format!("update Pod {} in StatefulSet {} successful", pod.name(), set.name())));
            }
        }

        // Phase B (§4.10): claim owner references of every pod, condemned ones included.
        let policy_sets_owners = set.deletes_claims_when_scaled() || set.deletes_claims_when_deleted();
        if policy_sets_owners || state.any_claim_owned {
            claim_owner_changes(state, &slots, &condemned, &mut changes);
        }

        // Phase C (§2.6): condemned pods, highest ordinal first.
        for pod in &condemned {
            if pod.metadata.is_terminating() {
                if monotonic {
                    break 'passes true;
                }
                continue;
            }
            if monotonic && !available(pod) && first_unavailable() != Some(pod.name()) {
                // §2.7: an unavailable pod that is not the first unavailable blocks scale-down.
                break 'passes true;
            }
            delete_pod(set, pod, &mut changes);
            if monotonic {
                break 'passes true;
            }
        }
        false
    };

    // Update phase (§3.5, §3.8): only for RollingUpdate, only after scaling is done.
    if !stopped && !set.is_on_delete() {
        let update_floor = start + partition.max(0);
        for slot in slots.iter().rev().filter(|s| s.ordinal >= update_floor) {
            let Some(pod) = slot.pod else { continue };
            if pod.revision() != update_revision && !pod.metadata.is_terminating() {
                delete_pod(set, pod, &mut changes);
                break;
            }
            // SSC isHealthy: a terminating or unavailable pod makes the update wait.
            if !available(pod) || pod.metadata.is_terminating() {
                break;
            }
        }
    }

    let status = compute_status(state, &by_ordinal, &current_revision, &update_revision);
    if status != set.status {
        changes.push(Change::UpdateStatus(status));
    }
    truncate_history(state, &by_ordinal, &current_revision, &update_revision, &mut changes);
    changes
}

fn event(kind: &'static str, reason: &'static str, message: String) -> Change {
    Change::Event { kind, reason, message }
}

/// §2.3(2): create the claims, then the pod (not when a claim blocks it).
fn create_pod(state: &SetState, template: &PodTemplateSpec, revision: &str, ordinal: i64, changes: &mut Vec<Change>) {
    let set = state.set;
    let pod_name = pod_name_for(set.name(), ordinal);
    for claim in new_claims(set, ordinal) {
        match (state.claim)(&claim.metadata.name) {
            ClaimState::Deleting => {
                // §4.3: a claim being deleted blocks the pod until it is gone.
                changes.push(event(
                    "Warning",
                    "FailedCreate",
                    format!("create Pod {pod_name} in StatefulSet {} failed error: pvc {} is being deleted", set.name(), claim.metadata.name),
                ));
                return;
            }
            ClaimState::Present { owner: Some(owner) } if set.deletes_claims_when_scaled() && owner.kind == "Pod" => {
                // §4.12: a claim still owned by a previous pod of this name waits for the GC.
                return;
            }
            ClaimState::Present { .. } => {}
            ClaimState::Missing => {
                changes.push(event(
                    "Normal",
                    "SuccessfulCreate",
                    format!("create Claim {} Pod {pod_name} in StatefulSet {} success", claim.metadata.name, set.name()),
                ));
                changes.push(Change::CreateClaim(claim));
            }
        }
    }
    changes.push(Change::CreatePod(new_pod(set, template, revision, ordinal)));
    changes.push(event("Normal", "SuccessfulCreate", format!("create Pod {pod_name} in StatefulSet {} successful", set.name())));
}

fn create_missing_claims(state: &SetState, ordinal: i64, pod_name: &str, changes: &mut Vec<Change>) {
    for claim in new_claims(state.set, ordinal) {
        if (state.claim)(&claim.metadata.name) == ClaimState::Missing {
            changes.push(event(
                "Normal",
                "SuccessfulCreate",
                format!("create Claim {} Pod {pod_name} in StatefulSet {} success", claim.metadata.name, state.set.name()),
            ));
            changes.push(Change::CreateClaim(claim));
        }
    }
}

fn delete_pod(set: &StatefulSet, pod: &Pod, changes: &mut Vec<Change>) {
    changes.push(Change::DeletePod(pod.name().to_string()));
    changes.push(event("Normal", "SuccessfulDelete", format!("delete Pod {} in StatefulSet {} successful", pod.name(), set.name())));
}

/// §4.10 table: the owner a claim should have, for an in-range or a condemned pod.
fn wanted_claim_owner(set: &StatefulSet, pod: &Pod, condemned: bool) -> Option<OwnerReference> {
    if condemned && set.deletes_claims_when_scaled() {
        return Some(OwnerReference {
            api_version: "v1".into(),
            kind: "Pod".into(),
            name: pod.name().to_string(),
            uid: pod.metadata.uid.clone(),
            controller: true,
            block_owner_deletion: true,
        });
    }
    set.deletes_claims_when_deleted().then(|| owner_reference(set))
}

fn claim_owner_changes(state: &SetState, slots: &[Slot], condemned: &[&Pod], changes: &mut Vec<Change>) {
    let set = state.set;
    let pods = slots.iter().filter_map(|s| s.pod.map(|p| (p, false))).chain(condemned.iter().map(|p| (*p, true)));
    for (pod, is_condemned) in pods {
        let Some((_, ordinal)) = parent_and_ordinal(pod.name()) else { continue };
        for template in &set.spec.volume_claim_templates {
            let claim = claim_name_for(&template.metadata.name, set.name(), ordinal);
            if let ClaimState::Present { owner } = (state.claim)(&claim) {
                let wanted = wanted_claim_owner(set, pod, is_condemned);
                if owner != wanted {
                    changes.push(Change::SetClaimOwner { claim, owner: wanted });
                }
            }
        }
    }
}

/// §2.13 `computeReplicaStatus` plus `completeRollingUpdate`.
fn compute_status(state: &SetState, pods: &SortedMap<i64, &Pod>, current: &str, update: &str) -> StatefulSetStatus {
    let set = state.set;
    let mut status = StatefulSetStatus {
        observed_generation: set.metadata.generation,
        current_revision: current.to_string(),
        update_revision: update.to_string(),
        collision_count: set.status.collision_count,
        ..Default::default()
    };
    for pod in pods.values() {
        status.replicas += 1;
        if pod.is_running_and_ready() {
            status.ready_replicas += 1;
            if pod.is_available(set.min_ready_seconds(), state.now) {
                status.available_replicas += 1;
            }
        }
        if !pod.metadata.is_terminating() {
            let revision = pod.revision();
            if revision == current {
                status.current_replicas += 1;
            }
            if revision == update {
                status.updated_replicas += 1;
            }
        }
    }
    let rolling = !set.is_on_delete();
    if rolling
        && status.updated_replicas == status.ready_replicas
        && status.ready_replicas == status.replicas
        && status.replicas == set.replicas()
    {
        status.current_revision = status.update_revision.clone();
        status.current_replicas = status.updated_replicas;
    }
    status
}

/// §3.14: keep live revisions and at most `revisionHistoryLimit` others, newest first.
fn truncate_history(state: &SetState, pods: &SortedMap<i64, &Pod>, current: &str, update: &str, changes: &mut Vec<Change>) {
    let limit = state.set.spec.revision_history_limit.unwrap_or(10).max(0) as usize;
    let live = |name: &str| name == current || name == update || pods.values().any(|p| p.revision() == name);
    let mut history: Vec<&&ControllerRevision> = state.revisions.iter().filter(|r| !live(&r.metadata.name)).collect();
    if history.len() <= limit {
        return;
    }
    history.sort_by_key(|r| r.revision);
    for old in &history[..history.len() - limit] {
        changes.push(Change::DeleteRevision(old.metadata.name.clone()));
    }
}
