//! rolling.go and recreate.go: the two rollout strategies.

use super::control::{Pass, Step, Stop};
use super::util::*;

impl Pass<'_> {
    /// `rolloutRolling`.
    pub(super) fn rollout_rolling(&mut self) -> Step<()> {
        let (new, old) = self.get_all_replica_sets_and_sync_revision(true)?;
        let Some(new) = new else { return Ok(()) };
        let all: Vec<usize> = old.iter().copied().chain([new]).collect();
        if self.reconcile_new_replica_set(&all, new) {
            self.sync_rollout_status(&all, Some(new));
            return Ok(());
        }
        let active_old = self.active(&old);
        if self.reconcile_old_replica_sets(&all, active_old, new) {
            self.sync_rollout_status(&all, Some(new));
            return Ok(());
        }
        if deployment_complete(&self.d, &self.d.status) {
            self.cleanup_deployment(&old);
        }
        self.sync_rollout_status(&all, Some(new));
        Ok(())
    }

    /// `reconcileNewReplicaSet`: scale the new ReplicaSet up as far as maxSurge lets it
    /// (or down to `spec.replicas`).
    fn reconcile_new_replica_set(&mut self, all: &[usize], new: usize) -> bool {
        let replicas = self.d.replicas();
        let current = self.rs(new).replicas();
        if current == replicas {
            return false;
        }
        if current > replicas {
            return self.scale_and_record(new, replicas);
        }
        let count = new_rs_new_replicas(&self.d, all.iter().map(|&i| self.rs(i)), self.rs(new));
        self.scale_and_record(new, count)
    }

    /// `reconcileOldReplicaSets`: scale old ReplicaSets down as far as maxUnavailable
    /// lets it, their unhealthy replicas first.
    fn reconcile_old_replica_sets(&mut self, all: &[usize], old: Vec<usize>, new: usize) -> bool {
        if self.replicas_of(&old) == 0 {
            return false;
        }
        let all_pods = self.replicas_of(all);
        let min_available = self.d.replicas() - self.d.max_unavailable();
        let new_rs = self.rs(new);
        let new_unavailable = new_rs.replicas() - new_rs.status.available_replicas;
        let max_scaled_down = all_pods - min_available - new_unavailable;
        if max_scaled_down <= 0 {
            return false;
        }
        let Ok((old, cleaned)) = self.cleanup_unhealthy_replicas(old, max_scaled_down) else { return false };
        let all: Vec<usize> = old.iter().copied().chain([new]).collect();
        let scaled_down = self.scale_down_old_replica_sets_for_rolling_update(&all, old);
        cleaned + scaled_down > 0
    }

    /// `cleanupUnhealthyReplicas`: old ReplicaSets lose their unavailable replicas first.
    fn cleanup_unhealthy_replicas(&mut self, mut old: Vec<usize>, max_cleanup: i64) -> Step<(Vec<usize>, i64)> {
        self.sort_by_creation(&mut old);
        let mut total = 0;
        for &index in &old {
            if total >= max_cleanup {
                break;
            }
            let rs = self.rs(index);
            let (replicas, available) = (rs.replicas(), rs.status.available_replicas);
            if replicas == 0 || replicas == available {
                continue;
            }
            let scaled_down = (max_cleanup - total).min(replicas - available);
            let new_count = replicas - scaled_down;
            if new_count > replicas {
                // "got invalid request to scale down": a status ahead of the spec.
                return Err(Stop);
            }
            self.scale_and_record(index, new_count);
            total += scaled_down;
        }
        Ok((old, total))
    }

    /// `scaleDownOldReplicaSetsForRollingUpdate`: oldest first, no further than keeps
    /// `spec.replicas - maxUnavailable` available.
    fn scale_down_old_replica_sets_for_rolling_update(&mut self, all: &[usize], mut old: Vec<usize>) -> i64 {
        let min_available = self.d.replicas() - self.d.max_unavailable();
        let available: i64 = all.iter().map(|&i| self.rs(i).status.available_replicas).sum();
        if available <= min_available {
            return 0;
        }
        self.sort_by_creation(&mut old);
        let to_scale_down = available - min_available;
        let mut total = 0;
        for index in old {
            if total >= to_scale_down {
                break;
            }
            let replicas = self.rs(index).replicas();
            if replicas == 0 {
                continue;
            }
            let scale_down = replicas.min(to_scale_down - total);
            self.scale_and_record(index, replicas - scale_down);
            total += scale_down;
        }
        total
    }

    /// `rolloutRecreate`: every old pod gone before the new ReplicaSet is created.
    pub(super) fn rollout_recreate(&mut self) -> Step<()> {
        let (mut new, mut old) = self.get_all_replica_sets_and_sync_revision(false)?;
        let mut all: Vec<usize> = old.iter().copied().chain(new).collect();
        let mut scaled_down = false;
        for index in self.active(&old) {
            scaled_down |= self.scale_and_record(index, 0);
        }
        if scaled_down || self.old_pods_running(new, &old) {
            self.sync_rollout_status(&all, new);
            return Ok(());
        }
        if new.is_none() {
            (new, old) = self.get_all_replica_sets_and_sync_revision(true)?;
            all = old.iter().copied().chain(new).collect();
        }
        if let Some(index) = new {
            self.scale_and_record(index, self.d.replicas());
        }
        if deployment_complete(&self.d, &self.d.status) {
            self.cleanup_deployment(&old);
        }
        self.sync_rollout_status(&all, new);
        Ok(())
    }

    /// `oldPodsRunning`: an old ReplicaSet counts pods, or a pod of one is not yet
    /// Succeeded or Failed (a terminating pod counts).
    fn old_pods_running(&self, new: Option<usize>, old: &[usize]) -> bool {
        if old.iter().map(|&i| self.rs(i).status.replicas).sum::<i64>() > 0 {
            return true;
        }
        let new_uid = new.map(|i| self.rs(i).metadata.uid.as_str());
        let old_uids: Vec<&str> = self
            .rs_list
            .iter()
            .map(|rs| rs.metadata.uid.as_str())
            .filter(|uid| !uid.is_empty() && Some(*uid) != new_uid)
            .collect();
        let selector = self.d.spec.selector.as_ref();
        self.state.pods.values().any(|pod| {
            pod.metadata.controller().is_some_and(|o| old_uids.contains(&o.uid.as_str()))
                && selector.is_some_and(|s| s.matches(&pod.metadata.labels))
                && !pod.is_terminal()
        })
    }
}
