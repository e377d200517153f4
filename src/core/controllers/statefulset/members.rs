//! Which pods belong to a set (§1.3), and the controller's incremental view of them.

use crate::core::sorted::{Seen, SortedMap, SortedSet};

use crate::core::api::*;
use crate::core::apiserver::store::Store;
use crate::core::time::Millis;

use super::*;

// ---------------------------------------------------------------- members (§1.3)

/// Whether `pod` is a member of `set` (§1.3): the selector matches, the name parses
/// to the set, and no other controller owns it.
pub fn is_member(set: &StatefulSet, pod: &Pod) -> bool {
    let Some(selector) = set.spec.selector.as_ref().filter(|s| !s.is_empty()) else { return false };
    // Cheapest test first.
    parent_and_ordinal(pod.name()).is_some_and(|(parent, _)| parent == set.name())
        && pod.metadata.controller().is_none_or(|owner| owner.uid == set.metadata.uid)
        && selector.matches(&pod.metadata.labels)
}

/// Where a member pod is in its life, as a pass asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Phase {
    Pending,
    Running,
    /// Succeeded or Failed.
    Terminal,
    Other,
}

/// What a pass reads of one member pod, worked out when the pod changes: a pass
/// over a thousand pods then compares numbers, not strings.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub(super) name: String,
    pub(super) uid: String,
    pub(super) ordinal: i64,
    pub(super) phase: Phase,
    pub(super) terminating: bool,
    /// When the Ready condition became True, while it is.
    pub(super) ready_since: Option<Millis>,
    /// The `controller-revision-hash` label, as an index into [`Members::revision_names`].
    pub(super) revision: usize,
    /// §1.6: the pod-name label holds the pod's name.
    pub(super) identity_ok: bool,
}

impl Member {
    /// §2.8 `isRunningAndReady`.
    pub(super) fn running_and_ready(&self) -> bool {
        self.phase == Phase::Running && self.ready_since.is_some()
    }
    /// §2.8 `isRunningAndAvailable`.
    pub(super) fn available(&self, min_ready_seconds: i64, now: Millis) -> bool {
        self.phase == Phase::Running && ready_long_enough(self.ready_since, min_ready_seconds, now)
    }
    /// Running and Ready, not terminating, its identity label in place: phase A has
    /// nothing to do for it, and (when being available is being Ready) it does not
    /// hold back the update phase.
    pub(super) fn passes(&self) -> bool {
        self.running_and_ready() && !self.terminating && self.identity_ok
    }
}

/// The member pods of one set, kept up to date from the pods that changed since
/// the last pass (what the controller's informer cache does upstream), with the
/// indexes and counts that let a pass visit only the members it may act on.
#[derive(Debug, Clone, Default)]
pub struct Members {
    /// The set this was worked out for: name, uid and selector decide membership.
    pub(super) owner: Option<(String, String, Option<LabelSelector>)>,
    pub(super) seen: Seen<String>,
    /// Sorted by ordinal, then name: the order a pass visits them.
    pub(super) sorted: Vec<Member>,
    /// Ordinals with a member that does not [`Member::passes`].
    pub(super) attention: SortedSet<i64>,
    /// (revision, ordinal) of every member not terminating, sorted: where the update
    /// phase finds the highest pod of an old revision.
    pub(super) live_revisions: Vec<(usize, i64)>,
    /// Per revision number: how many members have it, and how many of those are not terminating.
    pub(super) revision_counts: Vec<(i64, i64)>,
    /// How many members are Running and Ready.
    pub(super) ready: i64,
    /// Members followed in `sorted` by one with the same ordinal (§1.2: only the later
    /// name counts). The counts above include them, so passes look at every member then.
    pub(super) shadowed: usize,
    /// Every revision label seen, so that members hold revisions as numbers.
    pub(super) revision_names: Vec<String>,
    /// The claims as of the last catch-up: a claim goes missing only by being removed,
    /// which this hears of (a snapshot put back included).
    pub(super) claims_seen: Seen<String>,
    /// Ordinals whose claims (one per name in `claim_templates`) were all in the store,
    /// none removed since: a pass skips looking for missing claims of their Pending pods
    /// (a thousand names formatted and searched on every pass otherwise).
    pub(super) claims_complete: SortedSet<i64>,
    /// The claim template names `claims_complete` holds for.
    pub(super) claim_templates: Vec<String>,
}

impl Members {
    /// Takes in the pods and claims changed since the last call.
    pub fn catch_up(
        &mut self,
        set: &StatefulSet,
        pods: &SortedMap<String, Pod>,
        claims: &SortedMap<String, PersistentVolumeClaim>,
    ) {
        let owner = (set.name(), set.metadata.uid.as_str(), set.spec.selector.as_ref());
        if self
            .owner
            .as_ref()
            .is_none_or(|(name, uid, selector)| (name.as_str(), uid.as_str(), selector.as_ref()) != owner)
        {
            *self = Members {
                owner: Some((owner.0.to_string(), owner.1.to_string(), owner.2.cloned())),
                ..Default::default()
            };
        }
        let mut seen = std::mem::take(&mut self.seen);
        seen.catch_up(pods, |name, pod| {
            let Some((_, ordinal)) = parent_and_ordinal(name) else { return };
            let member = pod.filter(|pod| is_member(set, pod)).map(|pod| Member {
                name: name.clone(),
                uid: pod.metadata.uid.clone(),
                ordinal,
                phase: match pod.status.phase.as_str() {
                    "Pending" => Phase::Pending,
                    "Running" => Phase::Running,
                    "Succeeded" | "Failed" => Phase::Terminal,
                    _ => Phase::Other,
                },
                terminating: pod.metadata.is_terminating(),
                ready_since: pod.ready_since(),
                revision: intern(&mut self.revision_names, pod.revision()),
                identity_ok: pod.metadata.labels.get(POD_NAME_LABEL) == Some(name),
            });
            self.put(ordinal, name, member);
        });
        self.seen = seen;
        self.note_complete_claims(set, claims);
    }

    /// Brings `claims_complete` up to date for the ordinals a pass may visit with a
    /// Pending pod: those in `attention` (a Pending pod never passes).
    pub(super) fn note_complete_claims(
        &mut self,
        set: &StatefulSet,
        claims: &SortedMap<String, PersistentVolumeClaim>,
    ) {
        let mut removed = false;
        self.claims_seen.catch_up(claims, |_, claim| removed |= claim.is_none());
        let templates = &set.spec.volume_claim_templates;
        let same_templates = templates.len() == self.claim_templates.len()
            && templates.iter().zip(&self.claim_templates).all(|(t, name)| t.metadata.name == *name);
        if removed || !same_templates {
            self.claims_complete.clear();
            self.claim_templates = templates.iter().map(|t| t.metadata.name.clone()).collect();
        }
        for &ordinal in self.attention.keys() {
            if self.claims_complete.contains_key(&ordinal) {
                continue;
            }
            let present = |t: &PersistentVolumeClaim| {
                claims.get(claim_name_for(&t.metadata.name, set.name(), ordinal).as_str()).is_some()
            };
            if templates.iter().all(present) {
                self.claims_complete.add(ordinal);
            }
        }
    }

    /// Replaces the member `(ordinal, name)` (`None`: there is none), keeping the
    /// indexes and counts.
    pub(super) fn put(&mut self, ordinal: i64, name: &str, member: Option<Member>) {
        let found = self.sorted.binary_search_by(|m| (m.ordinal, m.name.as_str()).cmp(&(ordinal, name)));
        if found.ok().and_then(|i| self.sorted.get(i)) == member.as_ref() {
            return;
        }
        match (found, member) {
            (Ok(index), Some(new)) => {
                // Changed in place: same key, same position.
                self.count(&new, 1);
                let old = std::mem::replace(&mut self.sorted[index], new);
                self.count(&old, -1);
            }
            (Ok(index), None) => {
                if self.shares_ordinal(index) {
                    self.shadowed -= 1;
                }
                let old = self.sorted.remove(index);
                self.count(&old, -1);
            }
            (Err(index), Some(new)) => {
                self.count(&new, 1);
                self.sorted.insert(index, new);
                if self.shares_ordinal(index) {
                    self.shadowed += 1;
                }
            }
            (Err(_), None) => {}
        }
        let first = self.sorted.partition_point(|m| m.ordinal < ordinal);
        if self.sorted[first..].iter().take_while(|m| m.ordinal == ordinal).any(|m| !m.passes()) {
            self.attention.add(ordinal);
        } else {
            self.attention.remove(&ordinal);
        }
    }

    /// Whether the member at `index` of `sorted` has a neighbour with its ordinal.
    pub(super) fn shares_ordinal(&self, index: usize) -> bool {
        let ordinal = self.sorted.get(index).map(|m| m.ordinal);
        let neighbour = |i: Option<usize>| i.and_then(|i| self.sorted.get(i)).map(|m| m.ordinal);
        ordinal.is_some() && (neighbour(index.checked_sub(1)) == ordinal || neighbour(index.checked_add(1)) == ordinal)
    }

    /// Adds (`sign` 1) or takes away (-1) a member's part in the counts and indexes.
    pub(super) fn count(&mut self, member: &Member, sign: i64) {
        if self.revision_counts.len() <= member.revision {
            self.revision_counts.resize(member.revision + 1, (0, 0));
        }
        if let Some((all, live)) = self.revision_counts.get_mut(member.revision) {
            *all += sign;
            if !member.terminating {
                *live += sign;
            }
        }
        if member.running_and_ready() {
            self.ready += sign;
        }
        if !member.terminating {
            let key = (member.revision, member.ordinal);
            let index = self.live_revisions.binary_search(&key);
            match (sign > 0, index) {
                (true, Ok(i) | Err(i)) => self.live_revisions.insert(i, key),
                (false, Ok(i)) => {
                    self.live_revisions.remove(i);
                }
                (false, Err(_)) => {}
            }
        }
    }

    /// The number standing for revision `name` in members, if any member has it.
    pub(super) fn revision_id(&self, name: &str) -> Option<usize> {
        self.revision_names.iter().position(|n| n == name)
    }

    /// Members below `start`, in `start..end`, and from `end` on.
    pub(super) fn split(&self, start: i64, end: i64) -> (&[Member], &[Member], &[Member]) {
        let from = self.sorted.partition_point(|m| m.ordinal < start);
        let to = self.sorted.partition_point(|m| m.ordinal < end).max(from);
        let (below, rest) = self.sorted.split_at(from);
        let (in_range, above) = rest.split_at(to - from);
        (below, in_range, above)
    }

    /// The member with `ordinal`, if any (§1.2: the later name of two).
    pub(super) fn at(&self, ordinal: i64) -> Option<&Member> {
        let after = self.sorted.partition_point(|m| m.ordinal <= ordinal);
        after.checked_sub(1).and_then(|i| self.sorted.get(i)).filter(|m| m.ordinal == ordinal)
    }

    /// The highest ordinal in `from..to` of a member not terminating whose revision is
    /// not `update` (`None`: no member has the update revision).
    pub(super) fn highest_outdated(&self, update: Option<usize>, from: i64, to: i64) -> Option<i64> {
        let revisions = (0..self.revision_names.len()).filter(|r| Some(*r) != update);
        let highest_of = |revision: usize| {
            let after = self.live_revisions.partition_point(|&key| key < (revision, to));
            let (r, ordinal) = *self.live_revisions.get(after.checked_sub(1)?)?;
            (r == revision && ordinal >= from).then_some(ordinal)
        };
        revisions.filter_map(highest_of).max()
    }
}

/// §1.2: one member per ordinal, ascending; of two names with one ordinal, the later wins.
pub(super) fn unique(members: &[Member]) -> impl DoubleEndedIterator<Item = &Member> {
    members
        .iter()
        .enumerate()
        .filter(move |(i, m)| members.get(i + 1).is_none_or(|next| next.ordinal != m.ordinal))
        .map(|(_, m)| m)
}

/// The index of `name` in `names`, added if missing.
pub(super) fn intern(names: &mut Vec<String>, name: &str) -> usize {
    match names.iter().position(|n| n == name) {
        Some(index) => index,
        None => {
            names.push(name.to_string());
            names.len() - 1
        }
    }
}

/// Pods that belong to `set` (§1.3), in name order.
pub fn pods_of<'a>(store: &'a Store, set: &'a StatefulSet) -> impl Iterator<Item = &'a Pod> + 'a {
    store.pods.values().filter(move |pod| is_member(set, pod))
}
