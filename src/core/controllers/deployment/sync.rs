//! sync.go: scaling a paused Deployment or one whose `spec.replicas` changed
//! (`sync`, `scale` with proportional scaling), `cleanupDeployment` (revision
//! history) and the status of a pass (`calculateStatus`, `syncDeploymentStatus`).

use crate::core::api::*;

use super::control::{Pass, Step};
use super::util::*;
use super::Change;

impl Pass<'_> {
    /// `sync`: a paused Deployment, or a scaling event: scale, no rollout.
    pub(super) fn sync(&mut self) -> Step<()> {
        let (new, old) = self.get_all_replica_sets_and_sync_revision(false)?;
        self.scale(new, old.clone());
        if self.d.is_paused() {
            self.cleanup_deployment(&old);
        }
        let all: Vec<usize> = old.into_iter().chain(new).collect();
        self.sync_deployment_status(&all, new);
        Ok(())
    }

    /// `scale`: the one active (or latest) ReplicaSet takes every replica; else, with a
    /// saturated new one, the old ones go to 0; else (RollingUpdate) replicas are added
    /// or taken away in proportion to each ReplicaSet's size.
    pub(super) fn scale(&mut self, new: Option<usize>, mut old: Vec<usize>) {
        let replicas = self.d.replicas();
        // FindActiveOrLatest (which sorts the old ones newest first, in place).
        if new.is_some() || !old.is_empty() {
            old.sort_by(|&a, &b| by_creation(self.rs(b)).cmp(&by_creation(self.rs(a))));
            let all: Vec<usize> = old.iter().copied().chain(new).collect();
            let active = self.active(&all);
            let active_or_latest = match active.len() {
                0 => new.or(old.first().copied()),
                1 => Some(active[0]),
                _ => None,
            };
            if let Some(index) = active_or_latest {
                if self.rs(index).replicas() != replicas {
                    self.scale_and_record(index, replicas);
                }
                return;
            }
        }
        if new.is_some_and(|i| is_saturated(&self.d, self.rs(i))) {
            for index in self.active(&old) {
                self.scale_and_record(index, 0);
            }
            return;
        }
        if !self.d.is_rolling_update() {
            return;
        }
        let all: Vec<usize> = old.iter().copied().chain(new).collect();
        let mut all = self.active(&all);
        let allowed = if replicas > 0 { replicas + self.d.max_surge() } else { 0 };
        let to_add = allowed - self.replicas_of(&all);
        let list = &self.rs_list;
        let larger_first = |a: usize, b: usize| list[b].replicas().cmp(&list[a].replicas());
        if to_add > 0 {
            // ReplicaSetsBySizeNewer: larger first, then newer first.
            all.sort_by(|&a, &b| larger_first(a, b).then(by_creation(&list[b]).cmp(&by_creation(&list[a]))));
        } else if to_add < 0 {
            // ReplicaSetsBySizeOlder: larger first, then older first.
            all.sort_by(|&a, &b| larger_first(a, b).then(by_creation(&list[a]).cmp(&by_creation(&list[b]))));
        }
        let mut added = 0;
        let mut sizes = Vec::with_capacity(all.len());
        for &index in &all {
            let rs = self.rs(index);
            if to_add != 0 {
                let proportion = replica_set_proportion(rs, &self.d, to_add, added);
                sizes.push(rs.replicas() + proportion);
                added += proportion;
            } else {
                sizes.push(rs.replicas());
            }
        }
        for (position, &index) in all.iter().enumerate() {
            let mut size = sizes[position];
            if position == 0 && to_add != 0 {
                size = (size + to_add - added).max(0);
            }
            self.scale_replica_set(index, size);
        }
    }

    /// `cleanupDeployment`: old ReplicaSets beyond `revisionHistoryLimit`, lowest
    /// revision first, are deleted once they have no replicas and their spec is observed.
    pub(super) fn cleanup_deployment(&mut self, old: &[usize]) {
        let Some(limit) = self.d.spec.revision_history_limit.filter(|l| *l != i64::from(i32::MAX)) else { return };
        let mut cleanable: Vec<usize> = old.to_vec();
        let diff = cleanable.len() as i64 - limit;
        if diff <= 0 {
            return;
        }
        // ReplicaSetsByRevision: by revision, then as ReplicaSetsByCreationTimestamp.
        cleanable.sort_by(|&a, &b| {
            let (ra, rb) = (self.rs(a), self.rs(b));
            match (ra.revision(), rb.revision()) {
                (Some(x), Some(y)) if x != y => x.cmp(&y),
                _ => by_creation(ra).cmp(&by_creation(rb)),
            }
        });
        for &index in cleanable.iter().take(diff as usize) {
            let rs = self.rs(index);
            if rs.status.replicas != 0 || rs.replicas() != 0 || rs.metadata.generation > rs.status.observed_generation {
                continue;
            }
            self.changes.push(Change::DeleteReplicaSet(rs.name().to_string()));
        }
    }

    /// `calculateStatus`: counts from the ReplicaSets, and the Available condition.
    pub(super) fn calculate_status(&self, all: &[usize], new: Option<usize>) -> DeploymentStatus {
        let sum = |count: fn(&ReplicaSet) -> i64| all.iter().map(|&i| count(self.rs(i))).sum::<i64>();
        let available = sum(|rs| rs.status.available_replicas);
        let total = sum(ReplicaSet::replicas);
        let mut status = DeploymentStatus {
            observed_generation: self.d.metadata.generation,
            replicas: sum(|rs| rs.status.replicas),
            updated_replicas: new.map_or(0, |i| self.rs(i).status.replicas),
            ready_replicas: sum(|rs| rs.status.ready_replicas),
            available_replicas: available,
            unavailable_replicas: (total - available).max(0),
            conditions: self.d.status.conditions.clone(),
            collision_count: self.d.status.collision_count,
        };
        let now = self.state.now;
        let condition = if available >= self.d.replicas() - self.d.max_unavailable() {
            let message = "Deployment has minimum availability.".into();
            new_condition("Available", "True", "MinimumReplicasAvailable", message, now)
        } else {
            let message = "Deployment does not have minimum availability.".into();
            new_condition("Available", "False", "MinimumReplicasUnavailable", message, now)
        };
        set_condition(&mut status, condition);
        status
    }

    /// `syncDeploymentStatus` (no progress estimate: paused or scaling).
    pub(super) fn sync_deployment_status(&mut self, all: &[usize], new: Option<usize>) {
        let status = self.calculate_status(all, new);
        if status != self.d.status {
            self.d.status = status;
            self.update_status();
        }
    }
}
