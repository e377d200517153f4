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

/// The PV controller and provisioner on hand-built snapshots, as the PV controller's
/// own unit tests (`pv_controller_test.go`) do: no Cluster runs; each test lays out the
/// claims, classes and pods one pass reads and checks the changes it asks for. Each
/// test is named after the rule of `/work/shared/reference/statefulset-behavior.md`
/// it checks.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::apiserver::Object;

    use crate::core::controllers::fixtures::object;

    /// minikube's `standard` class: the default, hostpath provisioner, Delete.
    fn standard() -> StorageClass {
        let Object::StorageClass(class) = object(
            "apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations:
    storageclass.kubernetes.io/is-default-class: \"true\"
provisioner: k8s.io/minikube-hostpath
reclaimPolicy: Delete
volumeBindingMode: Immediate
",
        ) else {
            panic!("not a StorageClass")
        };
        class
    }

    /// Claim `name` (1Gi, ReadWriteOnce) as the API server stores it when created at
    /// `created`: Pending; `class` lines (unindented) are added under `spec:`.
    fn claim(name: &str, created: Millis, class: &str) -> PersistentVolumeClaim {
        let extra: String = class.lines().map(|line| format!("  {line}\n")).collect();
        let Object::PersistentVolumeClaim(mut claim) = object(&format!(
            "apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: {name}
spec:
{extra}  accessModes: [\"ReadWriteOnce\"]
  resources:
    requests:
      storage: 1Gi
"
        )) else {
            panic!("not a PersistentVolumeClaim")
        };
        claim.metadata.uid = format!("uid-{name}");
        claim.metadata.namespace = Some("default".into());
        claim.metadata.creation_timestamp = Some(created);
        claim.metadata.finalizers = vec!["kubernetes.io/pvc-protection".into()];
        claim.status.phase = "Pending".into();
        claim
    }

    /// `claim` as it is once bound to its volume.
    fn bound(mut claim: PersistentVolumeClaim) -> PersistentVolumeClaim {
        claim.spec.volume_name = Some(format!("pvc-{}", claim.metadata.uid));
        claim.status.phase = "Bound".into();
        claim
    }

    /// Pod `name` mounting claim `claim_name` as volume `www`.
    fn pod_mounting(name: &str, claim_name: &str) -> Pod {
        crate::core::controllers::fixtures::nginx_pod(name, &[("www", claim_name)])
    }

    fn store_with(classes: Vec<StorageClass>, claims: Vec<PersistentVolumeClaim>, pods: Vec<Pod>) -> Store {
        let mut store = Store::default();
        for class in classes {
            store.storage_classes.insert(class.metadata.name.clone(), class);
        }
        for claim in claims {
            store.claims.insert(claim.metadata.name.clone(), claim);
        }
        for pod in pods {
            store.pods.insert(pod.metadata.name.clone(), pod);
        }
        store
    }

    /// The changes in order, as short strings.
    fn summary(changes: &[Change]) -> Vec<String> {
        changes
            .iter()
            .map(|change| match change {
                Change::CreateVolume(v) => format!("create volume {}", v.metadata.name),
                Change::Bind { claim, volume, .. } => format!("bind {claim} to {volume}"),
                Change::RemoveClaim(claim) => format!("remove claim {claim}"),
                Change::Event { claim, kind, reason, .. } => format!("{kind} {reason} on {claim}"),
            })
            .collect()
    }

    fn message_of<'a>(changes: &'a [Change], wanted: &str) -> (&'a str, &'static str) {
        changes
            .iter()
            .find_map(|change| match change {
                Change::Event { reason, message, source, .. } if *reason == wanted => Some((message.as_str(), *source)),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no {wanted} event in {changes:?}"))
    }

    const HOSTPATH_SOURCE: &str = "k8s.io/minikube-hostpath_minikube_2b6c3e5e-5d5f-4c2a-9b1e-6f0c7d8a9e10";

    /// §4.7: with the default class in Immediate mode a Pending claim gets, once the
    /// provisioner is done (PROVISIONING_MS after its creation), a PV named
    /// `pvc-<claim uid>` sized and moded as the claim asks, and is bound to it — not before.
    #[test]
    fn rule_4_7_default_class_provisions_pvc_uid_volume_and_binds_after_provisioning_ms() {
        let created = 5_000;
        let store = store_with(vec![standard()], vec![claim("www-web-0", created, "")], vec![]);
        for now in [created + 1, created + PROVISIONING_MS / 2, created + PROVISIONING_MS - 1] {
            assert_eq!(reconcile(&store, now), [], "at {now}: still provisioning, nothing to do");
        }
        let changes = reconcile(&store, created + PROVISIONING_MS);
        assert_eq!(
            summary(&changes),
            [
                "Normal ExternalProvisioning on www-web-0",
                "Normal Provisioning on www-web-0",
                "create volume pvc-uid-www-web-0",
                "Normal ProvisioningSucceeded on www-web-0",
                "bind www-web-0 to pvc-uid-www-web-0",
            ]
        );
        assert_eq!(
            changes[2],
            Change::CreateVolume(PersistentVolume {
                metadata: ObjectMeta::named("pvc-uid-www-web-0"),
                capacity: "1Gi".into(),
                access_modes: vec!["ReadWriteOnce".into()],
                reclaim_policy: "Delete".into(),
                storage_class_name: "standard".into(),
                claim_ref: Some("default/www-web-0".into()),
                phase: "Bound".into(),
            })
        );
        assert_eq!(
            changes[4],
            Change::Bind {
                claim: "www-web-0".into(),
                volume: "pvc-uid-www-web-0".into(),
                capacity: "1Gi".into(),
                access_modes: vec!["ReadWriteOnce".into()],
            }
        );
        // §4.7 (verified wording): "Successfully provisioned volume pvc-…".
        assert_eq!(
            message_of(&changes, "ProvisioningSucceeded"),
            ("Successfully provisioned volume pvc-uid-www-web-0", HOSTPATH_SOURCE)
        );
        // Once Bound the claim is left alone, however late.
        let store = store_with(vec![standard()], vec![bound(claim("www-web-0", created, ""))], vec![]);
        assert_eq!(reconcile(&store, created + 10 * PROVISIONING_MS), []);
    }

    /// §4.7: the waiting events, ExternalProvisioning (from the PV controller) and
    /// Provisioning (from the provisioner), are reported when the claim appears and
    /// again when provisioning completes (kubectl shows "x2"), never in between,
    /// however often the controller looks.
    #[test]
    fn rule_4_7_waiting_events_only_at_creation_and_at_completion() {
        let created = 2_000;
        let store = store_with(vec![standard()], vec![claim("www-web-0", created, "")], vec![]);
        let changes = reconcile(&store, created);
        assert_eq!(summary(&changes), ["Normal ExternalProvisioning on www-web-0", "Normal Provisioning on www-web-0"]);
        let (message, source) = message_of(&changes, "ExternalProvisioning");
        assert!(
            message.starts_with(
                "Waiting for a volume to be created either by the external provisioner 'k8s.io/minikube-hostpath' or manually by the system administrator."
            ),
            "{message}"
        );
        assert_eq!(source, "persistentvolume-controller");
        assert_eq!(
            message_of(&changes, "Provisioning"),
            ("External provisioner is provisioning volume for claim \"default/www-web-0\"", HOSTPATH_SOURCE)
        );
        for now in (created + 1..created + PROVISIONING_MS).step_by(97) {
            assert_eq!(reconcile(&store, now), [], "at {now}: no event between creation and completion");
        }
        let at_completion = summary(&reconcile(&store, created + PROVISIONING_MS));
        assert_eq!(
            at_completion[..2],
            ["Normal ExternalProvisioning on www-web-0", "Normal Provisioning on www-web-0"]
        );
        assert_eq!(at_completion.len(), 5, "then the volume, ProvisioningSucceeded and the bind: {at_completion:?}");
    }

    /// §4.7: a named class is used in place of the default: its provisioner (an
    /// external one here) and its reclaim policy go into the volume and the events.
    #[test]
    fn rule_4_7_a_named_class_provisions_with_its_own_provisioner_and_reclaim_policy() {
        let mut fast = standard();
        fast.metadata = ObjectMeta::named("fast");
        fast.provisioner = "example.com/fast".into();
        fast.reclaim_policy = Some("Retain".into());
        let store = store_with(vec![standard(), fast], vec![claim("www-web-0", 0, "storageClassName: fast")], vec![]);
        let changes = reconcile(&store, PROVISIONING_MS);
        let Some(Change::CreateVolume(volume)) = changes.iter().find(|c| matches!(c, Change::CreateVolume(_))) else {
            panic!("no volume: {changes:?}")
        };
        assert_eq!((volume.storage_class_name.as_str(), volume.reclaim_policy.as_str()), ("fast", "Retain"));
        let (message, _) = message_of(&changes, "ExternalProvisioning");
        assert!(message.contains("the external provisioner 'example.com/fast'"), "{message}");
        assert_eq!(message_of(&changes, "ProvisioningSucceeded").1, "external-provisioner");
    }

    /// §4.7 (verified wording): a claim with no class (`storageClassName: ""`, or
    /// none and no default class) gets Normal FailedBinding "no persistent volumes
    /// available for this claim and no storage class is set", and is never
    /// provisioned nor bound, however long it waits.
    #[test]
    fn rule_4_7_no_storage_class_failed_binding_and_no_volume() {
        let failed_binding = |claim: &str| Change::Event {
            claim: claim.into(),
            kind: "Normal",
            reason: "FailedBinding",
            message: "no persistent volumes available for this claim and no storage class is set".into(),
            source: "persistentvolume-controller",
        };
        // An explicit empty class, although a default class exists.
        let store = store_with(vec![standard()], vec![claim("www-web-0", 0, "storageClassName: \"\"")], vec![]);
        for now in [0, PROVISIONING_MS, 60 * PROVISIONING_MS] {
            assert_eq!(reconcile(&store, now), [failed_binding("www-web-0")], "at {now}");
        }
        // No class named and no default class.
        let store = store_with(vec![], vec![claim("www-web-1", 0, "")], vec![]);
        assert_eq!(reconcile(&store, PROVISIONING_MS), [failed_binding("www-web-1")]);
        // A class that is not the default is not used for a claim naming none.
        let mut other = standard();
        other.metadata.annotations.clear();
        let store = store_with(vec![other], vec![claim("www-web-2", 0, "")], vec![]);
        assert_eq!(reconcile(&store, PROVISIONING_MS), [failed_binding("www-web-2")]);
    }

    /// §4.3 (PVC protection) / §4.7: a deleted claim stays (Terminating) while any pod,
    /// a Terminating one included, still mounts it; once the last such pod is gone the
    /// claim is removed (its finalizer released), and no other claim with it.
    #[test]
    fn rule_4_3_a_deleted_claim_is_removed_only_when_no_pod_mounts_it() {
        let mut deleted = bound(claim("www-web-0", 0, ""));
        deleted.metadata.deletion_timestamp = Some(3_000);
        let other = bound(claim("www-web-1", 0, ""));
        let mut pod = pod_mounting("web-0", "www-web-0");
        let store = store_with(vec![standard()], vec![deleted.clone(), other.clone()], vec![pod.clone()]);
        assert_eq!(reconcile(&store, 4_000), [], "web-0 still mounts www-web-0");

        pod.metadata.deletion_timestamp = Some(4_000);
        let store = store_with(vec![standard()], vec![deleted.clone(), other.clone()], vec![pod]);
        assert_eq!(reconcile(&store, 5_000), [], "a Terminating pod still uses the claim");

        // web-0 gone; a pod mounting another claim does not hold this one.
        let store = store_with(vec![standard()], vec![deleted, other], vec![pod_mounting("web-1", "www-web-1")]);
        assert_eq!(reconcile(&store, 6_000), [Change::RemoveClaim("www-web-0".into())]);
    }
}
