//! The PersistentVolume controller and minikube's hostpath provisioner (§4.7):
//! pending claims of an Immediate class get a PV `pvc-<claim uid>` and bind;
//! claims being deleted go away once no pod uses them (PVC protection, §4.3).

use crate::core::api::*;
use crate::core::apiserver::store::Store;
use crate::core::apiserver::ApiServer;
use crate::core::time::Millis;

/// Time minikube's provisioner takes to create a volume.
pub const PROVISIONING_MS: Millis = 1_000;
pub use crate::core::apiserver::PROVISIONER;

#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    CreateVolume(PersistentVolume),
    Bind {
        claim: String,
        volume: String,
        capacity: String,
        access_modes: Vec<String>,
    },
    /// Finish deleting a claim (its finalizer is released); its volume is deleted too.
    RemoveClaim(String),
    Event {
        claim: String,
        kind: &'static str,
        reason: &'static str,
        message: String,
        source: &'static str,
    },
}

/// The class a claim uses: its own, or `default` (the default class) when it names none.
fn class_of<'a>(
    store: &'a Store,
    default: Option<&'a StorageClass>,
    claim: &PersistentVolumeClaim,
) -> Option<&'a StorageClass> {
    match claim.spec.storage_class_name.as_deref() {
        Some("") => None,
        Some(name) => store.storage_classes.get(name),
        None => default,
    }
}

pub fn reconcile(store: &Store, now: Millis) -> Vec<Change> {
    let mut changes = Vec::new();
    let default_class = store.storage_classes.values().find(|c| {
        c.metadata.annotations.get("storageclass.kubernetes.io/is-default-class").map(String::as_str) == Some("true")
    });
    for claim in store.claims.values() {
        let name = &claim.metadata.name;
        if claim.metadata.is_terminating() {
            let in_use = store.pods.values().any(|p| store.claims_of(p).any(|(c, _)| c == name));
            if !in_use {
                changes.push(Change::RemoveClaim(name.clone()));
            }
            continue;
        }
        if claim.status.phase == "Bound" {
            continue;
        }
        let Some(class) = class_of(store, default_class, claim) else {
            changes.push(Change::Event {
                claim: name.clone(),
                kind: "Normal",
                reason: "FailedBinding",
                message: "no persistent volumes available for this claim and no storage class is set".into(),
                source: "persistentvolume-controller",
            });
            continue;
        };
        let created = claim.metadata.creation_timestamp.unwrap_or(0);
        let provisioner = if class.provisioner.is_empty() { PROVISIONER } else { class.provisioner.as_str() };
        // The waiting events are reported when the claim appears and again when
        // the provisioner finishes (kubectl shows "x2"), never in between: how
        // often the clock happens to wake up must not change their count.
        if now == created || now == created + PROVISIONING_MS {
            changes.push(Change::Event {
                claim: name.clone(),
                kind: "Normal",
                reason: "ExternalProvisioning",
                message: format!(
                    "Waiting for a volume to be created either by the external provisioner '{provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered."
                ),
                source: "persistentvolume-controller",
            });
            changes.push(Change::Event {
                claim: name.clone(),
                kind: "Normal",
                reason: "Provisioning",
                message: format!(
                    "External provisioner is provisioning volume for claim \"{}/{}\"",
                    claim.metadata.namespace(),
                    name
                ),
                source: provisioner_source(provisioner),
            });
        }
        if now < created + PROVISIONING_MS {
            continue;
        }
        // Named only now: until it is provisioned, a claim is looked at on every pass.
        let name = name.clone();
        let volume = format!("pvc-{}", claim.metadata.uid);
        let capacity = claim.requested_storage().unwrap_or_default();
        changes.push(Change::CreateVolume(PersistentVolume {
            metadata: ObjectMeta::named(&volume),
            capacity: capacity.clone(),
            access_modes: claim.spec.access_modes.clone(),
            reclaim_policy: class.reclaim_policy.clone().unwrap_or_else(|| "Delete".into()),
            storage_class_name: class.metadata.name.clone(),
            claim_ref: Some(format!("{}/{}", claim.metadata.namespace(), name)),
            phase: "Bound".into(),
        }));
        changes.push(Change::Event {
            claim: name.clone(),
            kind: "Normal",
            reason: "ProvisioningSucceeded",
            message: format!("Successfully provisioned volume {volume}"),
            source: provisioner_source(provisioner),
        });
        changes.push(Change::Bind { claim: name, volume, capacity, access_modes: claim.spec.access_modes.clone() });
    }
    changes
}

/// The event source of minikube's provisioner, as `kubectl describe pvc` shows it.
fn provisioner_source(provisioner: &str) -> &'static str {
    if provisioner == PROVISIONER {
        "k8s.io/minikube-hostpath_minikube_2b6c3e5e-5d5f-4c2a-9b1e-6f0c7d8a9e10"
    } else {
        "external-provisioner"
    }
}

/// Whether every claim is bound and none is being deleted: then a pass has nothing
/// to do, whatever the pods and the clock, and nothing is due.
pub fn all_claims_settled(store: &Store) -> bool {
    store.claims.values().all(|c| c.status.phase == "Bound" && !c.metadata.is_terminating())
}

/// When the next claim finishes provisioning, for the clock.
pub fn next_due(store: &Store, now: Millis) -> Option<Millis> {
    store
        .claims
        .values()
        .filter(|c| c.status.phase != "Bound" && !c.metadata.is_terminating())
        .map(|c| c.metadata.creation_timestamp.unwrap_or(0) + PROVISIONING_MS)
        .filter(|t| *t > now)
        .min()
}

/// The PV controller between passes.
#[derive(Debug, Clone, Default)]
pub struct VolumeBinder {
    /// The claims map's stamp when every claim was bound and none was being deleted
    /// (so there was nothing to do, whatever the pods and the clock).
    settled_claims: u64,
}

impl VolumeBinder {
    /// Whether nothing can be due: every claim was bound and none deleted at the last look.
    pub fn settled(&self, api: &ApiServer) -> bool {
        api.store().claims.stamp() == self.settled_claims
    }

    /// One pass; returns whether the store changed, and whether it settled (its events
    /// are a function of what it reads, clock included, so another pass would only
    /// repeat them, and an event repeated at the same time is not counted again).
    pub fn sync(&mut self, api: &mut ApiServer) -> (bool, bool) {
        if self.settled(api) {
            return (false, true);
        }
        let mut changed = false;
        let changes = reconcile(api.store(), api.now());
        if changes.is_empty() && all_claims_settled(api.store()) {
            self.settled_claims = api.store().claims.stamp();
        }
        for change in changes {
            match change {
                Change::CreateVolume(volume) => {
                    api.create_volume(volume);
                    changed = true;
                }
                Change::Bind { claim, volume, capacity, access_modes } => {
                    changed |= api.update_claim(&claim, |c| {
                        c.spec.volume_name = Some(volume);
                        c.status.phase = "Bound".into();
                        c.status.capacity = Some(capacity);
                        c.status.access_modes = access_modes;
                    });
                }
                // Reclaim policy Delete (the standard class): the volume and its data go.
                Change::RemoveClaim(claim) => changed |= api.remove_claim(&claim),
                Change::Event { claim, kind, reason, message, source } => {
                    api.record(kind, reason, "PersistentVolumeClaim", &claim, source, message)
                }
            }
        }
        (changed, !changed)
    }
}
