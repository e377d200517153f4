//! The StatefulSet controller: `pkg/controller/statefulset` (reference §1–§4).
//!
//! [`reconcile`] is one sync pass of `updateStatefulSet` for one set: it reads the
//! set, its pods, claims and revisions, and returns the API calls it would make.

use crate::core::sorted::{Seen, SortedMap, SortedSet};

use crate::core::api::*;
use crate::core::time::Millis;

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
enum Phase {
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
    name: String,
    uid: String,
    ordinal: i64,
    phase: Phase,
    terminating: bool,
    /// When the Ready condition became True, while it is.
    ready_since: Option<Millis>,
    /// The `controller-revision-hash` label, as an index into [`Members::revision_names`].
    revision: usize,
    /// §1.6: the pod-name label holds the pod's name.
    identity_ok: bool,
}

impl Member {
    /// §2.8 `isRunningAndReady`.
    fn running_and_ready(&self) -> bool {
        self.phase == Phase::Running && self.ready_since.is_some()
    }
    /// §2.8 `isRunningAndAvailable`.
    fn available(&self, min_ready_seconds: i64, now: Millis) -> bool {
        self.phase == Phase::Running && ready_long_enough(self.ready_since, min_ready_seconds, now)
    }
    /// Running and Ready, not terminating, its identity label in place: phase A has
    /// nothing to do for it, and (when being available is being Ready) it does not
    /// hold back the update phase.
    fn passes(&self) -> bool {
        self.running_and_ready() && !self.terminating && self.identity_ok
    }
}

/// The member pods of one set, kept up to date from the pods that changed since
/// the last pass (what the controller's informer cache does upstream), with the
/// indexes and counts that let a pass visit only the members it may act on.
#[derive(Debug, Clone, Default)]
pub struct Members {
    /// The set this was worked out for: name, uid and selector decide membership.
    owner: Option<(String, String, Option<LabelSelector>)>,
    seen: Seen<String>,
    /// Sorted by ordinal, then name: the order a pass visits them.
    sorted: Vec<Member>,
    /// Ordinals with a member that does not [`Member::passes`].
    attention: SortedSet<i64>,
    /// (revision, ordinal) of every member not terminating, sorted: where the update
    /// phase finds the highest pod of an old revision.
    live_revisions: Vec<(usize, i64)>,
    /// Per revision number: how many members have it, and how many of those are not terminating.
    revision_counts: Vec<(i64, i64)>,
    /// How many members are Running and Ready.
    ready: i64,
    /// Members followed in `sorted` by one with the same ordinal (§1.2: only the later
    /// name counts). The counts above include them, so passes look at every member then.
    shadowed: usize,
    /// Every revision label seen, so that members hold revisions as numbers.
    revision_names: Vec<String>,
    /// The claims as of the last catch-up: a claim goes missing only by being removed,
    /// which this hears of (a snapshot put back included).
    claims_seen: Seen<String>,
    /// Ordinals whose claims (one per name in `claim_templates`) were all in the store,
    /// none removed since: a pass skips looking for missing claims of their Pending pods
    /// (a thousand names formatted and searched on every pass otherwise).
    claims_complete: SortedSet<i64>,
    /// The claim template names `claims_complete` holds for.
    claim_templates: Vec<String>,
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
    fn note_complete_claims(&mut self, set: &StatefulSet, claims: &SortedMap<String, PersistentVolumeClaim>) {
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
    fn put(&mut self, ordinal: i64, name: &str, member: Option<Member>) {
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
    fn shares_ordinal(&self, index: usize) -> bool {
        let ordinal = self.sorted.get(index).map(|m| m.ordinal);
        let neighbour = |i: Option<usize>| i.and_then(|i| self.sorted.get(i)).map(|m| m.ordinal);
        ordinal.is_some() && (neighbour(index.checked_sub(1)) == ordinal || neighbour(index.checked_add(1)) == ordinal)
    }

    /// Adds (`sign` 1) or takes away (-1) a member's part in the counts and indexes.
    fn count(&mut self, member: &Member, sign: i64) {
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
    fn revision_id(&self, name: &str) -> Option<usize> {
        self.revision_names.iter().position(|n| n == name)
    }

    /// Members below `start`, in `start..end`, and from `end` on.
    fn split(&self, start: i64, end: i64) -> (&[Member], &[Member], &[Member]) {
        let from = self.sorted.partition_point(|m| m.ordinal < start);
        let to = self.sorted.partition_point(|m| m.ordinal < end).max(from);
        let (below, rest) = self.sorted.split_at(from);
        let (in_range, above) = rest.split_at(to - from);
        (below, in_range, above)
    }

    /// The member with `ordinal`, if any (§1.2: the later name of two).
    fn at(&self, ordinal: i64) -> Option<&Member> {
        let after = self.sorted.partition_point(|m| m.ordinal <= ordinal);
        after.checked_sub(1).and_then(|i| self.sorted.get(i)).filter(|m| m.ordinal == ordinal)
    }

    /// The highest ordinal in `from..to` of a member not terminating whose revision is
    /// not `update` (`None`: no member has the update revision).
    fn highest_outdated(&self, update: Option<usize>, from: i64, to: i64) -> Option<i64> {
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
fn unique(members: &[Member]) -> impl DoubleEndedIterator<Item = &Member> {
    members
        .iter()
        .enumerate()
        .filter(move |(i, m)| members.get(i + 1).is_none_or(|next| next.ordinal != m.ordinal))
        .map(|(_, m)| m)
}

/// The index of `name` in `names`, added if missing.
fn intern(names: &mut Vec<String>, name: &str) -> usize {
    match names.iter().position(|n| n == name) {
        Some(index) => index,
        None => {
            names.push(name.to_string());
            names.len() - 1
        }
    }
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
    let encoded: String =
        hasher.0.to_string().bytes().map(|b| ALPHANUMS[b as usize % ALPHANUMS.len()] as char).collect();
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
                changes.push(Change::RenumberRevision {
                    name: existing.metadata.name.clone(),
                    revision: max_revision + 1,
                });
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

/// §4.1: the claim `name` (as [`claim_name_for`] gives it) from `template`; labels are
/// the template's overlaid with the selector's. Made only for a claim that is missing.
fn new_claim(set: &StatefulSet, template: &PersistentVolumeClaim, name: String) -> PersistentVolumeClaim {
    let mut claim = template.clone();
    claim.metadata.name = name;
    claim.metadata.namespace = set.metadata.namespace.clone();
    if let Some(selector) = &set.spec.selector {
        claim.metadata.labels.extend(selector.match_labels.clone());
    }
    claim.status = PersistentVolumeClaimStatus { phase: "Pending".into(), ..Default::default() };
    claim
}

// ---------------------------------------------------------------- one sync pass

/// A pod slot in the in-range slice: the pod if it exists.
struct Slot<'a> {
    ordinal: i64,
    pod: Option<&'a Member>,
}

/// Every slot of `start..end`, given the members in that range; with `skip_passing`,
/// only the empty ones and those whose member does not [`Member::passes`].
fn all_slots(in_range: &[Member], start: i64, end: i64, skip_passing: bool) -> Vec<Slot<'_>> {
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

fn event(kind: &'static str, reason: &'static str, message: String) -> Change {
    Change::Event { kind, reason, message }
}

/// §2.3(2): create the claims, then the pod (not when a claim blocks it).
fn create_pod(state: &SetState, template: &PodTemplateSpec, revision: &str, ordinal: i64, changes: &mut Vec<Change>) {
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

fn create_missing_claims(state: &SetState, ordinal: i64, pod_name: &str, changes: &mut Vec<Change>) {
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

fn delete_pod(set: &StatefulSet, pod: &str, changes: &mut Vec<Change>) {
    changes.push(Change::DeletePod(pod.to_string()));
    changes.push(event(
        "Normal",
        "SuccessfulDelete",
        format!("delete Pod {pod} in StatefulSet {} successful", set.name()),
    ));
}

/// §4.10 table: the owner a claim should have, for an in-range or a condemned pod.
fn wanted_claim_owner(set: &StatefulSet, pod: &Member, condemned: bool) -> Option<OwnerReference> {
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

fn claim_owner_changes<'a>(
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
fn compute_status(
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
fn truncate_history(state: &SetState, current: &str, update: &str, changes: &mut Vec<Change>) {
    let limit = state.set.spec.revision_history_limit.unwrap_or(10).max(0) as usize;
    let members = state.members;
    let held = |id: usize| match members.shadowed {
        0 => members.revision_counts.get(id).is_some_and(|(all, _)| *all > 0),
        _ => unique(&members.sorted).any(|p| p.revision == id),
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
