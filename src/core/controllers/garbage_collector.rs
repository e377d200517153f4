//! The garbage collector (pkg/controller/garbagecollector): dependents whose
//! controller owner is gone are deleted. In the playground only claims given
//! owners by a retention policy (§4.10) are ever collected; pods are deleted with
//! their set by the API server's cascading delete.

use crate::core::apiserver::ApiServer;
use crate::core::sorted::SortedSet;

#[derive(Debug, Clone, Default)]
pub struct GarbageCollector {
    /// The claims map's stamp when no claim had a controller owner reference (so there
    /// was nothing to look for), as a memo.
    unowned_claims: u64,
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
