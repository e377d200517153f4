//! The StatefulSet controller: `pkg/controller/statefulset` (reference §1–§4).
//!
//! [`reconcile`] ([`control`]) is one sync pass of `updateStatefulSet` for one set: a
//! pure function of the set, its pods ([`members`]), claims and revisions
//! ([`revisions`]) to the API calls it would make. [`pod_control`] makes those calls
//! (StatefulPodControl and the status updater).

use crate::core::api::*;
use crate::core::time::Millis;

mod control;
mod members;
mod pod_control;
mod revisions;
#[cfg(test)]
mod tests;

pub use control::{new_pod, reconcile};
pub use members::{is_member, pods_of, Member, Members};
pub use pod_control::SetController;
pub use revisions::{owner_reference, revision_name_for};

/// What the controller asks the API server to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    CreateRevision(ControllerRevision),
    /// §3.3: returning to an older template renumbers its revision instead of creating one.
    RenumberRevision {
        name: String,
        revision: i64,
    },
    DeleteRevision(String),
    CreateClaim(PersistentVolumeClaim),
    CreatePod(Pod),
    DeletePod(String),
    /// §1.6: put the pod-name label back.
    RepairPodIdentity(String),
    /// §4.10: set (or clear, with `None`) the claim's controller owner reference.
    SetClaimOwner {
        claim: String,
        owner: Option<OwnerReference>,
    },
    UpdateStatus(StatefulSetStatus),
    Event {
        kind: &'static str,
        reason: &'static str,
        message: String,
    },
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
    /// The set's member pods (§1.3), caught up with the store.
    pub members: &'a Members,
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
