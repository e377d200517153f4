//! One sync pass of `updateStatefulSet` (stateful_set_control.go): which pods to
//! create, delete or update, in what order, and the status it leaves.

use crate::core::api::*;

use super::members::{unique, Phase};
use super::revisions::{revision_template, revisions};
use super::*;

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
        // The API server gives a new pod its status (phase Pending) on create.
        status: PodStatus::default(),
    }
}

/// §4.1: the claim `name` (as [`claim_name_for`] gives it) from `template`; labels are
/// the template's overlaid with the selector's. Made only for a claim that is missing.
pub(super) fn new_claim(set: &StatefulSet, template: &PersistentVolumeClaim, name: String) -> PersistentVolumeClaim {
    let mut claim = template.clone();
    claim.metadata.name = name;
    claim.metadata.namespace = set.metadata.namespace.clone();
    if let Some(selector) = &set.spec.selector {
        claim.metadata.labels.extend(selector.match_labels.clone());
    }
    // The API server gives a new claim its status (phase Pending) on create.
    claim.status = PersistentVolumeClaimStatus::default();
    claim
}

// ---------------------------------------------------------------- one sync pass

/// A pod slot in the in-range slice: the pod if it exists.
pub(super) struct Slot<'a> {
    pub(super) ordinal: i64,
    pub(super) pod: Option<&'a Member>,
}

/// Every slot of `start..end`, given the members in that range; with `skip_passing`,
/// only the empty ones and those whose member does not [`Member::passes`].
pub(super) fn all_slots(in_range: &[Member], start: i64, end: i64, skip_passing: bool) -> Vec<Slot<'_>> {
    let mut members = unique(in_range).peekable();
    let slots = (start..end).map(|ordinal| Slot { ordinal, pod: members.next_if(|m| m.ordinal == ordinal) });
    slots.filter(|s| !skip_passing || s.pod.is_none_or(|p| !p.passes())).collect()
}

/// One pass of `updateStatefulSet` (§2.1). Returns the API calls to make, in order.
pub fn reconcile(state: &SetState) -> Vec<Change> {
    let set = state.set;
    let members = state.members;
    let mut changes = Vec::new();
    let (current_revision, update_revision) = revisions(state, &mut changes);

    let start = set.start_ordinal();
    let end = set.end_ordinal();
    let (below, in_range, above) = members.split(start, end);
    // §1.4 condemned: out of range, highest ordinal first.
    let condemned: Vec<&Member> = unique(above).rev().chain(unique(below).rev()).collect();
    // A member that passes (Running, Ready, not terminating, identity in place) asks
    // nothing of phase A, nor holds back the update phase: a pass visits only the others
    // and the empty slots. Unless an ordinal has two members, or being available is not
    // just being Ready: then it visits every slot.
    let exhaustive = members.shadowed > 0 || set.min_ready_seconds() > 0;
    let slots: Vec<Slot> = if exhaustive {
        all_slots(in_range, start, end, false)
    } else if in_range.len() as i64 != end - start {
        all_slots(in_range, start, end, true)
    } else {
        let attention = members.attention.keys().filter(|o| (start..end).contains(*o));
        attention.map(|&ordinal| Slot { ordinal, pod: members.at(ordinal) }).collect()
    };

    let min_ready = set.min_ready_seconds();
    let available = |pod: &Member| pod.available(min_ready, state.now);
    // §2.7: the first unavailable pod, in range first, else among the condemned (lowest
    // ordinal); only OrderedReady scale-down asks, so it is found then.
    let first_unavailable = || -> Option<&str> {
        slots
            .iter()
            .filter_map(|s| s.pod)
            .find(|p| !available(p))
            .or_else(|| condemned.iter().rev().copied().find(|p| !available(p)))
            .map(|p| p.name.as_str())
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
        if keeps_current {
            &current_revision
        } else {
            &update_revision
        }
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
            if pod.phase == Phase::Terminal {
                // §2.3(1): delete a Failed/Succeeded pod; it is recreated once gone.
                if !pod.terminating {
                    delete_pod(set, &pod.name, &mut changes);
                }
                if monotonic {
                    break 'passes true;
                }
                continue;
            }
            if pod.phase == Phase::Pending && !members.claims_complete.contains_key(&slot.ordinal) {
                create_missing_claims(state, slot.ordinal, &pod.name, &mut changes);
            }
            if monotonic && (pod.terminating || !pod.running_and_ready() || !available(pod)) {
                // §2.3(4)–(6): OrderedReady waits for this pod.
                break 'passes true;
            }
            if !pod.identity_ok {
                // §1.6 identity repair.
                changes.push(Change::RepairPodIdentity(pod.name.clone()));
                changes.push(event(
                    "Normal",
                    "SuccessfulUpdate",
                    format!("update Pod {} in StatefulSet {} successful", pod.name, set.name()),
                ));
            }
        }

        // Phase B (§4.10): claim owner references of every pod, condemned ones included.
        let policy_sets_owners = set.deletes_claims_when_scaled() || set.deletes_claims_when_deleted();
        if policy_sets_owners || state.any_claim_owned {
            claim_owner_changes(state, unique(in_range), &condemned, &mut changes);
        }

        // Phase C (§2.6): condemned pods, highest ordinal first.
        for pod in &condemned {
            if pod.terminating {
                if monotonic {
                    break 'passes true;
                }
                continue;
            }
            if monotonic && !available(pod) && first_unavailable() != Some(pod.name.as_str()) {
                // §2.7: an unavailable pod that is not the first unavailable blocks scale-down.
                break 'passes true;
            }
            delete_pod(set, &pod.name, &mut changes);
            if monotonic {
                break 'passes true;
            }
        }
        false
    };

    // Members hold revisions as numbers; `None`: no member has that revision.
    let current_id = members.revision_id(&current_revision);
    let update_id = members.revision_id(&update_revision);

    // Update phase (§3.5, §3.8): only for RollingUpdate, only after scaling is done.
    if !stopped && !set.is_on_delete() {
        let update_floor = start + partition.max(0);
        // From the top, passing members of the update revision are passed over: what
        // stops the walk is a member that does not pass, or the highest one of an old revision.
        let visited: Vec<Slot> = if exhaustive {
            slots
        } else {
            let mut ordinals: Vec<i64> =
                members.attention.keys().copied().filter(|o| *o >= update_floor && *o < end).collect();
            ordinals.extend(members.highest_outdated(update_id, update_floor.max(start), end));
            ordinals.sort_unstable();
            ordinals.dedup();
            ordinals.into_iter().map(|ordinal| Slot { ordinal, pod: members.at(ordinal) }).collect()
        };
        for slot in visited.iter().rev().filter(|s| s.ordinal >= update_floor) {
            let Some(pod) = slot.pod else { continue };
            if Some(pod.revision) != update_id && !pod.terminating {
                delete_pod(set, &pod.name, &mut changes);
                break;
            }
            // SSC isHealthy: a terminating or unavailable pod makes the update wait.
            if !available(pod) || pod.terminating {
                break;
            }
        }
    }

    let status = compute_status(state, (&current_revision, current_id), (&update_revision, update_id));
    if status != set.status {
        changes.push(Change::UpdateStatus(status));
    }
    truncate_history(state, &current_revision, &update_revision, &mut changes);
    changes
}

pub(super) fn event(kind: &'static str, reason: &'static str, message: String) -> Change {
    Change::Event { kind, reason, message }
}

/// §2.3(2): create the claims, then the pod (not when a claim blocks it).
pub(super) fn create_pod(
    state: &SetState,
    template: &PodTemplateSpec,
    revision: &str,
    ordinal: i64,
    changes: &mut Vec<Change>,
) {
    let set = state.set;
    let pod_name = pod_name_for(set.name(), ordinal);
    for template in &set.spec.volume_claim_templates {
        let claim_name = claim_name_for(&template.metadata.name, set.name(), ordinal);
        match (state.claim)(&claim_name) {
            ClaimState::Deleting => {
                // §4.3: a claim being deleted blocks the pod until it is gone.
                changes.push(event(
                    "Warning",
                    "FailedCreate",
                    format!(
                        "create Pod {pod_name} in StatefulSet {} failed error: pvc {claim_name} is being deleted",
                        set.name()
                    ),
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
                    format!("create Claim {claim_name} Pod {pod_name} in StatefulSet {} success", set.name()),
                ));
                changes.push(Change::CreateClaim(new_claim(set, template, claim_name)));
            }
        }
    }
    changes.push(Change::CreatePod(new_pod(set, template, revision, ordinal)));
    changes.push(event(
        "Normal",
        "SuccessfulCreate",
        format!("create Pod {pod_name} in StatefulSet {} successful", set.name()),
    ));
}

pub(super) fn create_missing_claims(state: &SetState, ordinal: i64, pod_name: &str, changes: &mut Vec<Change>) {
    let set = state.set;
    for template in &set.spec.volume_claim_templates {
        let claim_name = claim_name_for(&template.metadata.name, set.name(), ordinal);
        if (state.claim)(&claim_name) == ClaimState::Missing {
            changes.push(event(
                "Normal",
                "SuccessfulCreate",
                format!("create Claim {claim_name} Pod {pod_name} in StatefulSet {} success", set.name()),
            ));
            changes.push(Change::CreateClaim(new_claim(set, template, claim_name)));
        }
    }
}

pub(super) fn delete_pod(set: &StatefulSet, pod: &str, changes: &mut Vec<Change>) {
    changes.push(Change::DeletePod(pod.to_string()));
    changes.push(event(
        "Normal",
        "SuccessfulDelete",
        format!("delete Pod {pod} in StatefulSet {} successful", set.name()),
    ));
}

/// §4.10 table: the owner a claim should have, for an in-range or a condemned pod.
pub(super) fn wanted_claim_owner(set: &StatefulSet, pod: &Member, condemned: bool) -> Option<OwnerReference> {
    if condemned && set.deletes_claims_when_scaled() {
        return Some(OwnerReference {
            api_version: "v1".into(),
            kind: "Pod".into(),
            name: pod.name.clone(),
            uid: pod.uid.clone(),
            controller: true,
            block_owner_deletion: true,
        });
    }
    set.deletes_claims_when_deleted().then(|| owner_reference(set))
}

pub(super) fn claim_owner_changes<'a>(
    state: &SetState,
    in_range: impl Iterator<Item = &'a Member>,
    condemned: &[&Member],
    changes: &mut Vec<Change>,
) {
    let set = state.set;
    let pods = in_range.map(|p| (p, false)).chain(condemned.iter().map(|p| (*p, true)));
    for (pod, is_condemned) in pods {
        for template in &set.spec.volume_claim_templates {
            let claim = claim_name_for(&template.metadata.name, set.name(), pod.ordinal);
            if let ClaimState::Present { owner } = (state.claim)(&claim) {
                let wanted = wanted_claim_owner(set, pod, is_condemned);
                if owner != wanted {
                    changes.push(Change::SetClaimOwner { claim, owner: wanted });
                }
            }
        }
    }
}

/// §2.13 `computeReplicaStatus` plus `completeRollingUpdate`. Revisions come as the
/// name and the number members hold it as.
pub(super) fn compute_status(
    state: &SetState,
    current: (&str, Option<usize>),
    update: (&str, Option<usize>),
) -> StatefulSetStatus {
    let set = state.set;
    let mut status = StatefulSetStatus {
        observed_generation: set.metadata.generation,
        current_revision: current.0.to_string(),
        update_revision: update.0.to_string(),
        collision_count: set.status.collision_count,
        ..Default::default()
    };
    let min_ready = set.min_ready_seconds();
    let members = state.members;
    if members.shadowed == 0 && min_ready <= 0 {
        // The counts kept as members change; available is Ready.
        let live = |id: Option<usize>| id.and_then(|id| members.revision_counts.get(id)).map_or(0, |(_, live)| *live);
        status.replicas = members.sorted.len() as i64;
        status.ready_replicas = members.ready;
        status.available_replicas = members.ready;
        status.current_replicas = live(current.1);
        status.updated_replicas = live(update.1);
    }
    for pod in unique(&members.sorted).filter(|_| members.shadowed > 0 || min_ready > 0) {
        status.replicas += 1;
        if pod.running_and_ready() {
            status.ready_replicas += 1;
            if pod.available(min_ready, state.now) {
                status.available_replicas += 1;
            }
        }
        if !pod.terminating {
            if Some(pod.revision) == current.1 {
                status.current_replicas += 1;
            }
            if Some(pod.revision) == update.1 {
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
pub(super) fn truncate_history(state: &SetState, current: &str, update: &str, changes: &mut Vec<Change>) {
    let limit = state.set.spec.revision_history_limit.unwrap_or(10).max(0) as usize;
    let members = state.members;
    // Every member pod names a live revision, a second pod for an ordinal too
    // (`truncateHistory` looks at all the set's pods).
    let held = |id: usize| match members.shadowed {
        0 => members.revision_counts.get(id).is_some_and(|(all, _)| *all > 0),
        _ => members.sorted.iter().any(|p| p.revision == id),
    };
    let live = |name: &str| name == current || name == update || members.revision_id(name).is_some_and(held);
    let mut history: Vec<&&ControllerRevision> = state.revisions.iter().filter(|r| !live(&r.metadata.name)).collect();
    if history.len() <= limit {
        return;
    }
    history.sort_by_key(|r| r.revision);
    for old in &history[..history.len() - limit] {
        changes.push(Change::DeleteRevision(old.metadata.name.clone()));
    }
}
