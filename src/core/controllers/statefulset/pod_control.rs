//! StatefulPodControl and the status updater (stateful_pod_control.go,
//! stateful_set_status_updater.go): the controller's API calls for one set, with
//! the events it records when a create fails.

use crate::core::api::*;
use crate::core::apiserver::{invalid_message, validate_claim, validate_pod, ApiServer};
use crate::core::sorted::SortedMap;

use super::{parent_and_ordinal, pod_name_for, reconcile, ClaimState, Members, SetState};

/// The StatefulSet controller's state between passes: each set's member pods, by set name.
#[derive(Debug, Clone, Default)]
pub struct SetController {
    members: SortedMap<String, Members>,
}

impl SetController {
    /// Syncs every set; returns whether the store changed, and whether every pass asked
    /// for nothing at all.
    pub fn sync_all(&mut self, api: &mut ApiServer, any_claim_owned: bool) -> (bool, bool) {
        let names: Vec<String> = api.store().stateful_sets.keys().cloned().collect();
        if self.members.len() != names.len() {
            self.members.retain(|set, _| names.contains(set));
        }
        let (mut changed, mut settled) = (false, true);
        for name in names {
            let (set_changed, set_settled) = self.sync(api, &name, any_claim_owned);
            changed |= set_changed;
            settled &= set_settled;
        }
        (changed, settled)
    }

    /// One set: reads a snapshot, asks [`reconcile`] what to do, makes those calls.
    fn sync(&mut self, api: &mut ApiServer, name: &str, any_claim_owned: bool) -> (bool, bool) {
        let store = api.store();
        let Some(set) = store.stateful_sets.get(name) else { return (false, true) };
        let members = self.members.entry_or_default(name.to_string());
        members.catch_up(set, &store.pods, &store.claims);
        let claims = &store.claims;
        let claim = |claim_name: &str| match claims.get(claim_name) {
            None => ClaimState::Missing,
            Some(c) if c.metadata.is_terminating() => ClaimState::Deleting,
            Some(c) => ClaimState::Present { owner: c.metadata.controller().cloned() },
        };
        let revisions = store.revisions_of(set).collect();
        let state = SetState { set, members, revisions, claim: &claim, any_claim_owned, now: api.now() };
        let changes = reconcile(&state);
        let settled = changes.is_empty();
        (apply(api, name, changes), settled)
    }
}

/// The set's field behind a claim's invalid `field`: claims are made from
/// `spec.volumeClaimTemplates[i]`, named `<template>-<set>-<ordinal>`.
fn claim_template_field(api: &ApiServer, set_name: &str, claim_name: &str, field: &str) -> Option<String> {
    let set = api.store().stateful_sets.get(set_name)?;
    let index = set
        .spec
        .volume_claim_templates
        .iter()
        .position(|t| claim_name.starts_with(&format!("{}-{set_name}-", t.metadata.name)))?;
    Some(format!("spec.volumeClaimTemplates[{index}].{field}"))
}

/// Makes the calls; returns whether the store changed.
fn apply(api: &mut ApiServer, set_name: &str, changes: Vec<super::Change>) -> bool {
    let mut changed = false;
    let mut failed_pod_create = false;
    for change in changes {
        use super::Change as C;
        match change {
            C::CreateRevision(revision) => {
                api.create_revision(revision);
                changed = true;
            }
            C::RenumberRevision { name, revision } => changed |= api.renumber_revision(&name, revision),
            C::DeleteRevision(name) => changed |= api.delete_revision(&name),
            C::CreateClaim(claim) => {
                let causes = validate_claim(&claim);
                if causes.is_empty() {
                    api.create_claim(claim);
                    changed = true;
                    continue;
                }
                // §4.6: the claim and then the pod fail to be created.
                let claim_name = claim.metadata.name.clone();
                let error = invalid_message("PersistentVolumeClaim", &claim_name, &causes);
                let ordinal = parent_and_ordinal(&claim_name).map_or(0, |(_, o)| o);
                let pod = pod_name_for(set_name, ordinal);
                let field =
                    causes.first().and_then(|cause| claim_template_field(api, set_name, &claim_name, &cause.field));
                let (source, kind) = ("statefulset-controller", "StatefulSet");
                api.record_caused_by(
                    "Warning",
                    "FailedCreate",
                    kind,
                    set_name,
                    source,
                    format!("create Claim {claim_name} for Pod {pod} in StatefulSet {set_name} failed error: {error}"),
                    field.clone(),
                );
                api.record_caused_by(
                    "Warning",
                    "FailedCreate",
                    kind,
                    set_name,
                    source,
                    format!("create Pod {pod} in StatefulSet {set_name} failed error: failed to create PVC {claim_name}: {error}"),
                    field,
                );
                failed_pod_create = true;
            }
            C::CreatePod(pod) => {
                if failed_pod_create {
                    continue;
                }
                let causes = validate_pod(&pod);
                if causes.is_empty() {
                    api.create_pod(pod);
                    changed = true;
                    continue;
                }
                // §4.5: pod-spec errors surface as FailedCreate events, retried each sync.
                let error = invalid_message("Pod", pod.name(), &causes).replacen("The Pod", "Pod", 1);
                // The pod's field is the template's, one level down in the set.
                api.record_caused_by(
                    "Warning",
                    "FailedCreate",
                    "StatefulSet",
                    set_name,
                    "statefulset-controller",
                    format!("create Pod {} in StatefulSet {set_name} failed error: {error}", pod.name()),
                    causes.first().map(|cause| format!("spec.template.{}", cause.field)),
                );
                failed_pod_create = true;
            }
            C::DeletePod(pod) => changed |= api.delete_pod(&pod, None),
            C::RepairPodIdentity(pod) => {
                let label = pod.clone();
                changed |= api.update_pod(&pod, |p| {
                    p.metadata.labels.insert(POD_NAME_LABEL.into(), label);
                });
            }
            C::SetClaimOwner { claim, owner } => {
                changed |= api.update_claim(&claim, |c| {
                    c.metadata.owner_references.retain(|o| !o.controller);
                    c.metadata.owner_references.extend(owner);
                });
            }
            C::UpdateStatus(status) => changed |= api.update_stateful_set_status(set_name, status),
            C::Event { kind, reason, message } => {
                if reason == "SuccessfulCreate" && failed_pod_create && message.starts_with("create Pod") {
                    failed_pod_create = false;
                    continue;
                }
                api.record(kind, reason, "StatefulSet", set_name, "statefulset-controller", message);
            }
        }
    }
    changed
}
