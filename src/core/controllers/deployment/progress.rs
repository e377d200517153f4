//! progress.go: the Progressing condition (complete, progressing, past its deadline)
//! and the ReplicaFailure condition copied from the ReplicaSets.

use crate::core::api::*;

use super::control::Pass;
use super::util::*;

impl Pass<'_> {
    /// `syncRolloutStatus`: the status, and the Progressing condition: the rollout
    /// complete, progressing, or past its deadline; ReplicaFailure from the ReplicaSets.
    pub(super) fn sync_rollout_status(&mut self, all: &[usize], new: Option<usize>) {
        let mut status = self.calculate_status(all, new);
        let deadline = self.d.progress_deadline_seconds();
        if deadline.is_none() {
            remove_condition(&mut status, "Progressing");
        }
        let current = get_condition(&self.d.status, "Progressing").cloned();
        let complete_before = status.replicas == status.updated_replicas
            && current.as_ref().is_some_and(|c| c.reason == NEW_RS_AVAILABLE_REASON);
        let now = self.state.now;
        let subject = match new {
            Some(i) => format!("ReplicaSet {}", crate::core::quoted(self.rs(i).name())),
            None => format!("Deployment {}", crate::core::quoted(self.d.name())),
        };
        if deadline.is_some() && !complete_before {
            if deployment_complete(&self.d, &status) {
                let message = format!("{subject} has successfully progressed.");
                set_condition(&mut status, new_condition("Progressing", "True", NEW_RS_AVAILABLE_REASON, message, now));
            } else if deployment_progressing(&self.d, &status) {
                let message = format!("{subject} is progressing.");
                let mut condition = new_condition("Progressing", "True", RS_UPDATED_REASON, message, now);
                if let Some(current) = &current {
                    if current.status == "True" {
                        condition.last_transition_time = current.last_transition_time;
                    }
                    remove_condition(&mut status, "Progressing");
                }
                set_condition(&mut status, condition);
            } else if deployment_timed_out(&self.d, &status, now) {
                let message = format!("{subject} has timed out progressing.");
                set_condition(&mut status, new_condition("Progressing", "False", TIMED_OUT_REASON, message, now));
            }
        }
        match self.replica_failure(all, new) {
            Some(failure) => set_condition(&mut status, failure),
            None => remove_condition(&mut status, "ReplicaFailure"),
        }
        if status != self.d.status {
            self.d.status = status;
            self.update_status();
        }
    }

    /// `getReplicaFailures`: the new ReplicaSet's ReplicaFailure condition, else an old one's.
    fn replica_failure(&self, all: &[usize], new: Option<usize>) -> Option<DeploymentCondition> {
        let failure = |i: usize| {
            self.rs(i).status.conditions.iter().find(|c| c.kind == "ReplicaFailure").map(|c| DeploymentCondition {
                kind: c.kind.clone(),
                status: c.status.clone(),
                last_update_time: c.last_transition_time,
                last_transition_time: c.last_transition_time,
                reason: c.reason.clone(),
                message: c.message.clone(),
            })
        };
        new.and_then(failure).or_else(|| all.iter().find_map(|&i| failure(i)))
    }
}
