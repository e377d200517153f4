//! The garbage collector (pkg/controller/garbagecollector): dependents whose
//! controller owner is gone are deleted. In the playground it collects claims given
//! owners by a retention policy (§4.10), ReplicaSets whose Deployment is gone and pods
//! whose ReplicaSet is gone (a Deployment's or ReplicaSet's delete propagates in the
//! background); a StatefulSet's pods are deleted with it by the API server.

use crate::core::apiserver::ApiServer;
use crate::core::sorted::SortedSet;

#[derive(Debug, Clone, Default)]
pub struct GarbageCollector {
    /// The claims map's stamp when no claim had a controller owner reference (so there
    /// was nothing to look for), as a memo.
    unowned_claims: u64,
    /// The Deployments' and ReplicaSets' stamps when the ReplicaSets were last looked
    /// through: none was left without its Deployment.
    replica_sets_checked: (u64, u64),
    /// The ReplicaSets' and pods' stamps when the pods were last looked through.
    pods_checked: (u64, u64),
}

impl GarbageCollector {
    /// Whether any claim has a controller owner reference.
    pub fn any_claim_owned(&mut self, api: &ApiServer) -> bool {
        let claims = &api.store().claims;
        if claims.stamp() == self.unowned_claims {
            return false;
        }
        let owned = claims.values().any(|c| c.metadata.controller().is_some());
        if !owned {
            self.unowned_claims = claims.stamp();
        }
        owned
    }

    /// One pass: returns whether it deleted anything.
    pub fn sync(&mut self, api: &mut ApiServer) -> bool {
        let claims = self.collect_claims(api);
        let replica_sets = self.collect_replica_sets(api);
        let pods = self.collect_pods(api);
        claims || replica_sets || pods
    }

    /// ReplicaSets whose controller owner, a Deployment, is gone; returns whether any went.
    fn collect_replica_sets(&mut self, api: &mut ApiServer) -> bool {
        let stamps = |api: &ApiServer| (api.store().deployments.stamp(), api.store().replica_sets.stamp());
        if stamps(api) == self.replica_sets_checked {
            return false;
        }
        let store = api.store();
        let orphaned: Vec<String> = store
            .replica_sets
            .values()
            .filter(|rs| {
                rs.metadata.controller().is_some_and(|o| {
                    o.kind == "Deployment" && !store.deployments.values().any(|d| d.metadata.uid == o.uid)
                })
            })
            .map(|rs| rs.metadata.name.clone())
            .collect();
        for name in &orphaned {
            api.delete_replica_set(name, true);
        }
        self.replica_sets_checked = stamps(api);
        !orphaned.is_empty()
    }

    /// Pods whose controller owner, a ReplicaSet, is gone (not yet terminating): deleted
    /// gracefully. Returns whether any was.
    fn collect_pods(&mut self, api: &mut ApiServer) -> bool {
        let stamps = |api: &ApiServer| (api.store().replica_sets.stamp(), api.store().pods.stamp());
        let (replica_sets, pods) = stamps(api);
        let pods_moved = pods != self.pods_checked.1 && !api.store().replica_sets.is_empty();
        if replica_sets == self.pods_checked.0 && !pods_moved {
            return false;
        }
        let store = api.store();
        let live: SortedSet<String> = store.replica_sets.values().map(|rs| (rs.metadata.uid.clone(), ())).collect();
        let orphaned: Vec<String> = store
            .pods
            .values()
            .filter(|p| {
                !p.metadata.is_terminating()
                    && p.metadata.controller().is_some_and(|o| o.kind == "ReplicaSet" && !live.contains_key(&o.uid))
            })
            .map(|p| p.metadata.name.clone())
            .collect();
        for name in &orphaned {
            api.delete_pod(name, None);
        }
        self.pods_checked = stamps(api);
        !orphaned.is_empty()
    }

    /// Claims whose controller owner (a StatefulSet or a pod) is gone.
    fn collect_claims(&mut self, api: &mut ApiServer) -> bool {
        if !self.any_claim_owned(api) {
            return false;
        }
        let store = api.store();
        let live_uids: SortedSet<String> = store
            .stateful_sets
            .values()
            .map(|s| (s.metadata.uid.clone(), ()))
            .chain(store.pods.values().map(|p| (p.metadata.uid.clone(), ())))
            .collect();
        let orphaned_claims: Vec<String> = store
            .claims
            .values()
            .filter(|c| {
                !c.metadata.is_terminating() && c.metadata.controller().is_some_and(|o| !live_uids.contains_key(&o.uid))
            })
            .map(|c| c.metadata.name.clone())
            .collect();
        for claim in &orphaned_claims {
            api.delete_claim(claim);
        }
        !orphaned_claims.is_empty()
    }
}

/// The garbage collector through an API server holding hand-written objects (no
/// Cluster runs, no clock loop): each test writes the owners and claims one pass
/// reads and checks which claims it deletes. Each test is named after the rule of
/// `/work/shared/reference/statefulset-behavior.md` it checks.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::api::*;
    use crate::core::time::Millis;

    /// The tutorial's `web` set with `policy` (unindented lines) under `spec:`.
    fn apply_web(api: &mut ApiServer, policy: &str) -> String {
        let text = crate::core::controllers::fixtures::web_set_yaml(&format!("replicas: 2\n{policy}"));
        api.apply_text(&text).unwrap_or_else(|e| panic!("{}", e.message));
        let uid = api.store().stateful_sets["web"].metadata.uid.clone();
        assert!(!uid.is_empty());
        uid
    }

    /// Creates claim `name` with `owner` (kind, name, uid) as its owner reference,
    /// a controller one or not.
    fn create_claim(api: &mut ApiServer, name: &str, owner: Option<(&str, &str, &str)>, controller: bool) {
        let mut metadata = ObjectMeta::named(name);
        if let Some((kind, owner_name, uid)) = owner {
            metadata.owner_references.push(OwnerReference {
                api_version: if kind == "StatefulSet" { "apps/v1" } else { "v1" }.into(),
                kind: kind.into(),
                name: owner_name.into(),
                uid: uid.into(),
                controller,
                block_owner_deletion: true,
            });
        }
        api.create_claim(PersistentVolumeClaim { metadata, ..Default::default() });
    }

    /// The claims being deleted (deletionTimestamp set), by name, with that time.
    fn deleted(api: &ApiServer) -> Vec<(String, Millis)> {
        api.store()
            .claims
            .values()
            .filter_map(|c| c.metadata.deletion_timestamp.map(|t| (c.metadata.name.clone(), t)))
            .collect()
    }

    /// §4.10 (whenDeleted: Delete) / §2.11: claims whose controller owner is the
    /// StatefulSet are left while it exists; once it is deleted the next pass marks
    /// them deleted (deletionTimestamp = now) — and only them: a claim with no owner
    /// (§4.8) stays. A further pass finds nothing new.
    #[test]
    fn rule_4_10_when_deleted_delete_claims_of_a_deleted_set_are_deleted() {
        let mut api = ApiServer::minikube(1);
        let uid = apply_web(&mut api, "persistentVolumeClaimRetentionPolicy:\n  whenDeleted: Delete");
        create_claim(&mut api, "www-web-0", Some(("StatefulSet", "web", &uid)), true);
        create_claim(&mut api, "www-web-1", Some(("StatefulSet", "web", &uid)), true);
        create_claim(&mut api, "data-by-hand", None, false);
        let mut gc = GarbageCollector::default();
        assert!(!gc.sync(&mut api), "the owner exists");
        assert_eq!(deleted(&api), []);

        api.set_now(42_000);
        assert!(api.delete_stateful_set("web", true));
        assert!(gc.sync(&mut api));
        assert_eq!(deleted(&api), [("www-web-0".into(), 42_000), ("www-web-1".into(), 42_000)]);

        api.set_now(43_000);
        assert!(!gc.sync(&mut api), "already being deleted: nothing more to do");
        assert_eq!(deleted(&api), [("www-web-0".into(), 42_000), ("www-web-1".into(), 42_000)]);
    }

    /// §4.10 (whenScaled: Delete): a condemned pod's claim, owned by that pod, stays
    /// while the pod exists — Terminating included — and is deleted once the pod is
    /// gone; the claim of a pod still there is untouched.
    #[test]
    fn rule_4_10_when_scaled_delete_the_claim_goes_after_its_pod_is_gone() {
        let mut api = ApiServer::minikube(1);
        apply_web(&mut api, "persistentVolumeClaimRetentionPolicy:\n  whenScaled: Delete");
        for name in ["web-0", "web-1"] {
            api.create_pod(Pod { metadata: ObjectMeta::named(name), ..Default::default() });
            assert!(api.bind_pod(name, "minikube".into()));
        }
        let pod_uid = |api: &ApiServer, name: &str| api.store().pods[name].metadata.uid.clone();
        let (uid_0, uid_1) = (pod_uid(&api, "web-0"), pod_uid(&api, "web-1"));
        create_claim(&mut api, "www-web-0", Some(("Pod", "web-0", &uid_0)), true);
        create_claim(&mut api, "www-web-1", Some(("Pod", "web-1", &uid_1)), true);
        let mut gc = GarbageCollector::default();
        assert!(!gc.sync(&mut api));

        // Scale-down deletes web-1: Terminating (it runs on a node), still there.
        api.set_now(10_000);
        assert!(api.delete_pod("web-1", None));
        assert!(api.store().pods["web-1"].metadata.is_terminating());
        assert!(!gc.sync(&mut api), "its pod still exists");
        assert_eq!(deleted(&api), []);

        api.set_now(12_000);
        assert!(api.remove_pod("web-1"));
        assert!(gc.sync(&mut api));
        assert_eq!(deleted(&api), [("www-web-1".into(), 12_000)]);
    }

    /// §4.10 (Retain / Retain) / §4.8 / §4.9: claims without owner references, or
    /// whose owner reference is not a controller one, are never collected, even when
    /// the set and every pod are gone.
    #[test]
    fn rule_4_10_retain_claims_without_a_controller_owner_are_untouched() {
        let mut api = ApiServer::minikube(1);
        let uid = apply_web(&mut api, "");
        create_claim(&mut api, "www-web-0", None, false);
        create_claim(&mut api, "www-web-1", Some(("StatefulSet", "web", &uid)), false);
        let mut gc = GarbageCollector::default();
        assert!(!gc.sync(&mut api));
        assert!(api.delete_stateful_set("web", true));
        assert!(!gc.sync(&mut api));
        assert_eq!(deleted(&api), []);
        assert_eq!(api.store().claims.len(), 2);
        assert!(!gc.any_claim_owned(&api), "no claim has a controller owner");
    }

    /// §4.10: a claim owned by one set is not collected because another set went:
    /// only the claim whose own controller owner uid is gone is deleted.
    #[test]
    fn rule_4_10_only_claims_whose_own_owner_is_gone_are_deleted() {
        let mut api = ApiServer::minikube(1);
        let uid = apply_web(&mut api, "persistentVolumeClaimRetentionPolicy:\n  whenDeleted: Delete");
        create_claim(&mut api, "www-web-0", Some(("StatefulSet", "web", &uid)), true);
        create_claim(&mut api, "www-old-0", Some(("StatefulSet", "old", "uid-of-a-set-long-gone")), true);
        let mut gc = GarbageCollector::default();
        assert!(gc.sync(&mut api));
        assert_eq!(deleted(&api), [("www-old-0".into(), 0)]);
        assert!(api.store().stateful_sets.contains_key("web"));
    }
}
