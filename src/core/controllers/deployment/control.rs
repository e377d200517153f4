//! One pass of `syncDeployment` (deployment_controller.go, sync.go, rolling.go,
//! recreate.go, progress.go) for one Deployment: a pure function of the Deployment,
//! the ReplicaSets and (for Recreate) the pods to the API calls it would make.
//!
//! Upstream makes each call as it goes and reads the answer; here the pass keeps a
//! working copy of the Deployment and of its ReplicaSets, changes them as the calls
//! would, and records the calls. Where upstream carries on with a stale copy (a
//! status computed from the ReplicaSets as listed before a scale), the copy here is
//! the fresh one: the next pass comes to the same state.

use crate::core::api::*;

use super::util::*;
use super::{Change, DeploymentState};

/// The pass stops here (upstream returns an error and the Deployment is requeued).
pub(super) struct Stop;
pub(super) type Step<T> = Result<T, Stop>;

pub(super) struct Pass<'a> {
    pub(super) state: &'a DeploymentState<'a>,
    /// The Deployment as the calls so far left it.
    pub(super) d: Deployment,
    /// Its ReplicaSets (claimed), oldest first; created ones are added at the end.
    pub(super) rs_list: Vec<ReplicaSet>,
    pub(super) changes: Vec<Change>,
}

impl<'a> Pass<'a> {
    pub(super) fn new(state: &'a DeploymentState<'a>) -> Self {
        Pass { state, d: state.deployment.clone(), rs_list: Vec::new(), changes: Vec::new() }
    }

    pub(super) fn event(&mut self, reason: &'static str, message: String) {
        self.changes.push(Change::Event { kind: "Normal", reason, message });
    }

    pub(super) fn update_status(&mut self) {
        let (annotations, status) = (self.d.metadata.annotations.clone(), self.d.status.clone());
        self.changes.push(Change::UpdateStatus { annotations, status });
    }

    /// The ReplicaSet update call: the working copy takes the new spec and annotations
    /// (and a new generation when the spec changed, as the API server gives it).
    pub(super) fn update_rs(&mut self, index: usize, mut rs: ReplicaSet) {
        if rs.spec != self.rs_list[index].spec {
            rs.metadata.generation += 1;
        }
        self.changes.push(Change::UpdateReplicaSet(rs.clone()));
        self.rs_list[index] = rs;
    }

    pub(super) fn rs(&self, index: usize) -> &ReplicaSet {
        &self.rs_list[index]
    }

    pub(super) fn replicas_of(&self, indexes: &[usize]) -> i64 {
        indexes.iter().map(|&i| self.rs(i).replicas()).sum()
    }

    /// `FilterActiveReplicaSets`: those with replicas.
    pub(super) fn active(&self, indexes: &[usize]) -> Vec<usize> {
        indexes.iter().copied().filter(|&i| self.rs(i).replicas() > 0).collect()
    }

    pub(super) fn sort_by_creation(&self, indexes: &mut [usize]) {
        indexes.sort_by(|&a, &b| by_creation(self.rs(a)).cmp(&by_creation(self.rs(b))));
    }

    // ------------------------------------------------------------ syncDeployment

    /// `syncDeployment`.
    pub(super) fn sync_deployment(&mut self) {
        self.claim_replica_sets();
        self.check_paused_conditions();
        let _ = if self.d.is_paused() {
            self.sync()
        } else {
            match self.is_scaling_event() {
                Err(stop) => Err(stop),
                Ok(true) => self.sync(),
                Ok(false) if self.d.is_recreate() => self.rollout_recreate(),
                Ok(false) => self.rollout_rolling(),
            }
        };
    }

    /// `getReplicaSetsForDeployment` (ClaimReplicaSets): owned ReplicaSets that still
    /// match the selector are kept, the others released; orphans that match are adopted.
    fn claim_replica_sets(&mut self) {
        let uid = self.d.metadata.uid.clone();
        let selector = self.d.spec.selector.clone();
        let matches = |rs: &ReplicaSet| selector.as_ref().is_some_and(|s| s.matches(&rs.metadata.labels));
        for rs in &self.state.replica_sets {
            match rs.metadata.controller() {
                Some(owner) if owner.uid == uid => {
                    if matches(rs) {
                        self.rs_list.push((*rs).clone());
                    } else {
                        self.changes.push(Change::ReleaseReplicaSet(rs.name().to_string()));
                    }
                }
                Some(_) => {}
                None if matches(rs) && !rs.metadata.is_terminating() => {
                    let owner = owner_reference(&self.d);
                    self.changes.push(Change::AdoptReplicaSet { name: rs.name().to_string(), owner: owner.clone() });
                    let mut adopted = (*rs).clone();
                    adopted.metadata.owner_references.push(owner);
                    self.rs_list.push(adopted);
                }
                None => {}
            }
        }
        self.rs_list.sort_by(|a, b| by_creation(a).cmp(&by_creation(b)));
    }

    /// `checkPausedConditions`: Progressing Unknown with DeploymentPaused or DeploymentResumed.
    fn check_paused_conditions(&mut self) {
        if self.d.progress_deadline_seconds().is_none() {
            return;
        }
        let reason = get_condition(&self.d.status, "Progressing").map(|c| c.reason.clone());
        if reason.as_deref() == Some(TIMED_OUT_REASON) {
            return;
        }
        let paused_condition = reason.as_deref() == Some(PAUSED_REASON);
        let now = self.state.now;
        let condition = if self.d.is_paused() && !paused_condition {
            new_condition("Progressing", "Unknown", PAUSED_REASON, "Deployment is paused".into(), now)
        } else if !self.d.is_paused() && paused_condition {
            new_condition("Progressing", "Unknown", RESUMED_REASON, "Deployment is resumed".into(), now)
        } else {
            return;
        };
        set_condition(&mut self.d.status, condition);
        self.update_status();
    }

    /// `isScalingEvent`: an active ReplicaSet was scaled for another `spec.replicas`.
    fn is_scaling_event(&mut self) -> Step<bool> {
        let (new, old) = self.get_all_replica_sets_and_sync_revision(false)?;
        let all: Vec<usize> = old.into_iter().chain(new).collect();
        let replicas = self.d.replicas();
        Ok(self.active(&all).into_iter().any(|i| desired_replicas(self.rs(i)).is_some_and(|d| d != replicas)))
    }

    // ------------------------------------------------------------ the new ReplicaSet

    /// `getAllReplicaSetsAndSyncRevision`: the new ReplicaSet (created if asked and
    /// missing) and all the old ones, oldest first.
    pub(super) fn get_all_replica_sets_and_sync_revision(&mut self, create: bool) -> Step<(Option<usize>, Vec<usize>)> {
        // FindNewReplicaSet: the oldest whose template equals the Deployment's.
        let template = &self.d.spec.template;
        let existing = self.rs_list.iter().position(|rs| equal_ignore_hash(&rs.spec.template, template));
        let old: Vec<usize> = (0..self.rs_list.len()).filter(|i| Some(*i) != existing).collect();
        let new = self.get_new_replica_set(existing, &old, create)?;
        Ok((new, old))
    }

    /// `getNewReplicaSet`.
    fn get_new_replica_set(&mut self, existing: Option<usize>, old: &[usize], create: bool) -> Step<Option<usize>> {
        let new_revision = max_revision(old.iter().map(|&i| self.rs(i))) + 1;
        let now = self.state.now;
        if let Some(index) = existing {
            let mut rs = self.rs(index).clone();
            let annotations_updated = set_new_replica_set_annotations(&self.d, &mut rs, new_revision, true);
            if annotations_updated || rs.spec.min_ready_seconds != self.d.spec.min_ready_seconds {
                rs.spec.min_ready_seconds = self.d.spec.min_ready_seconds;
                self.update_rs(index, rs);
                return Ok(Some(index));
            }
            let revision = rs.metadata.annotations.get(REVISION_ANNOTATION).cloned().unwrap_or_default();
            let mut needs_update = set_deployment_revision(&mut self.d, &revision);
            if self.d.progress_deadline_seconds().is_some() && get_condition(&self.d.status, "Progressing").is_none() {
                let message = format!("Found new replica set {}", crate::core::quoted(rs.name()));
                set_condition(
                    &mut self.d.status,
                    new_condition("Progressing", "True", FOUND_NEW_RS_REASON, message, now),
                );
                needs_update = true;
            }
            if needs_update {
                self.update_status();
            }
            return Ok(Some(index));
        }
        if !create {
            return Ok(None);
        }

        // The new ReplicaSet: the template with the pod-template-hash label.
        let d = &self.d;
        let hash = compute_hash(&d.spec.template, d.status.collision_count);
        let mut template = d.spec.template.clone();
        template.metadata.labels.insert(POD_TEMPLATE_HASH_LABEL.into(), hash.clone());
        let mut selector = d.spec.selector.clone().unwrap_or_default();
        selector.match_labels.insert(POD_TEMPLATE_HASH_LABEL.into(), hash.clone());
        let mut rs = ReplicaSet {
            metadata: ObjectMeta {
                name: format!("{}-{hash}", d.name()),
                namespace: d.metadata.namespace.clone(),
                labels: template.metadata.labels.clone(),
                owner_references: vec![owner_reference(d)],
                creation_timestamp: Some(now),
                generation: 1,
                ..Default::default()
            },
            spec: ReplicaSetSpec {
                replicas: Some(0),
                min_ready_seconds: d.spec.min_ready_seconds,
                selector: Some(selector),
                template,
            },
            status: Default::default(),
        };
        let count = new_rs_new_replicas(d, old.iter().map(|&i| self.rs(i)).chain([&rs]), &rs);
        rs.spec.replicas = Some(count);
        set_new_replica_set_annotations(d, &mut rs, new_revision, false);

        // AlreadyExists: ours with this template is taken as is; anything else is a hash
        // collision, which moves collisionCount (and the next pass hashes anew).
        if let Some(taken) = self.state.replica_sets.iter().find(|r| r.name() == rs.name()) {
            let ours = taken.metadata.controller().is_some_and(|o| o.uid == d.metadata.uid);
            if !(ours && equal_ignore_hash(&d.spec.template, &taken.spec.template)) {
                *self.d.status.collision_count.get_or_insert(0) += 1;
                self.update_status();
                return Err(Stop);
            }
            self.rs_list.push((*taken).clone());
            let index = self.rs_list.len() - 1;
            if set_deployment_revision(&mut self.d, &new_revision.to_string()) {
                self.update_status();
            }
            return Ok(Some(index));
        }
        let name = rs.name().to_string();
        self.changes.push(Change::CreateReplicaSet(rs.clone()));
        self.rs_list.push(rs);
        if count > 0 {
            self.event("ScalingReplicaSet", format!("Scaled up replica set {name} from 0 to {count}"));
        }
        set_deployment_revision(&mut self.d, &new_revision.to_string());
        if self.d.progress_deadline_seconds().is_some() {
            let message = format!("Created new replica set {}", crate::core::quoted(&name));
            set_condition(&mut self.d.status, new_condition("Progressing", "True", NEW_RS_REASON, message, now));
        }
        self.update_status();
        Ok(Some(self.rs_list.len() - 1))
    }

    // ------------------------------------------------------------ scaling

    /// `scaleReplicaSetAndRecordEvent`: only when the size changes.
    pub(super) fn scale_and_record(&mut self, index: usize, new_scale: i64) -> bool {
        if self.rs(index).replicas() == new_scale {
            return false;
        }
        self.scale_replica_set(index, new_scale)
    }

    /// `scaleReplicaSet`: the size and the replica annotations; the event when the size moved.
    pub(super) fn scale_replica_set(&mut self, index: usize, new_scale: i64) -> bool {
        let rs = self.rs(index);
        let (desired, max) = (self.d.replicas(), self.d.replicas() + self.d.max_surge());
        let size_changes = rs.replicas() != new_scale;
        if !size_changes && !replicas_annotations_need_update(rs, desired, max) {
            return false;
        }
        let old_scale = rs.replicas();
        let mut rs = rs.clone();
        rs.spec.replicas = Some(new_scale);
        set_replicas_annotations(&mut rs, desired, max);
        let name = rs.name().to_string();
        self.update_rs(index, rs);
        if size_changes {
            let direction = if old_scale < new_scale { "up" } else { "down" };
            self.event(
                "ScalingReplicaSet",
                format!("Scaled {direction} replica set {name} from {old_scale} to {new_scale}"),
            );
        }
        size_changes
    }
}
