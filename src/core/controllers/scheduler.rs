//! kube-scheduler, reduced to what a one-node minikube does: bind each pending
//! pod to the node once every claim it mounts exists and is bound (§4.7).

use crate::core::apiserver::store::Store;
use crate::core::apiserver::ApiServer;
use crate::core::sorted::{Seen, SortedSet};
use crate::core::time::Millis;

#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Bind { pod: String, node: String },
    Event { pod: String, kind: &'static str, reason: &'static str, message: String },
}

/// The scheduler's memory between passes: the pods waiting for a node, kept up to
/// date from the pods changed since the last pass.
#[derive(Debug, Clone, Default)]
pub struct Queue {
    seen: Seen<String>,
    waiting: SortedSet<String>,
}

pub fn reconcile(queue: &mut Queue, store: &Store, now: Millis) -> Vec<Change> {
    let mut changes = Vec::new();
    let Queue { seen, waiting } = queue;
    seen.catch_up(&store.pods, |name, pod| match pod {
        Some(pod) if pod.spec.node_name.is_none() && !pod.metadata.is_terminating() => {
            waiting.add(name.clone());
        }
        _ => {
            waiting.remove(name);
        }
    });
    let Some(node) = store.nodes.values().find(|n| n.ready) else { return changes };
    for pod in waiting.keys().filter_map(|name| store.pods.get(name)) {
        // The last claim that keeps the pod waiting, as (claim, what is wrong with it):
        // worded only when reported, as a thousand pods can wait on every pass.
        let mut blocker = None;
        for (claim_name, claim) in store.claims_of(pod) {
            match claim {
                None => blocker = Some((claim_name, "not found")),
                Some(c) if c.metadata.is_terminating() => blocker = Some((claim_name, "is being deleted")),
                Some(c) if c.status.phase != "Bound" => blocker = Some((claim_name, "unbound")),
                Some(_) => {}
            }
        }
        match blocker {
            // UNVERIFIED wording (§4.7): as printed by 1.32 schedulers in learners' transcripts.
            // Reported when the pod first waits: a count that depended on how
            // often the clock woke up would break deterministic replay.
            Some(_) if pod.metadata.creation_timestamp != Some(now) => {}
            Some((claim_name, problem)) => {
                let reason = match problem {
                    "unbound" => "pod has unbound immediate PersistentVolumeClaims".to_string(),
                    problem => format!("persistentvolumeclaim \"{claim_name}\" {problem}"),
                };
                changes.push(Change::Event {
                    pod: pod.name().to_string(),
                    kind: "Warning",
                    reason: "FailedScheduling",
                    message: format!(
                        "0/1 nodes are available: {reason}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
                    ),
                });
            }
            None => {
                changes.push(Change::Bind { pod: pod.name().to_string(), node: node.metadata.name.clone() });
                changes.push(Change::Event {
                    pod: pod.name().to_string(),
                    kind: "Normal",
                    reason: "Scheduled",
                    message: format!(
                        "Successfully assigned {}/{} to {}",
                        pod.metadata.namespace(),
                        pod.name(),
                        node.metadata.name
                    ),
                });
            }
        }
    }
    changes
}

/// One pass: binds what it can through the API server; returns whether the store
/// changed, and whether it settled (see `VolumeBinder::sync`).
pub fn sync(queue: &mut Queue, api: &mut ApiServer) -> (bool, bool) {
    let mut changed = false;
    for change in reconcile(queue, api.store(), api.now()) {
        match change {
            Change::Bind { pod, node } => changed |= api.bind_pod(&pod, node),
            Change::Event { pod, kind, reason, message } => {
                api.record(kind, reason, "Pod", &pod, "default-scheduler", message)
            }
        }
    }
    (changed, !changed)
}

/// kube-scheduler's volume binding on hand-built snapshots (no Cluster runs): each test
/// lays out the pods, claims and node a pass reads and checks the bindings and events
/// it asks for. Each test is named after the rule of
/// `/work/shared/reference/statefulset-behavior.md` it checks.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::api::*;

    /// A pending, unscheduled pod `web-<ordinal>` created at `created`, mounting the
    /// claims `<template>-web-<ordinal>` for each of `templates`.
    fn pending_pod(ordinal: i64, templates: &[&str], created: Millis) -> Pod {
        let claims: Vec<String> = templates.iter().map(|t| format!("{t}-web-{ordinal}")).collect();
        let volumes: Vec<(&str, &str)> = templates.iter().copied().zip(claims.iter().map(String::as_str)).collect();
        let mut pod = crate::core::controllers::fixtures::nginx_pod(&format!("web-{ordinal}"), &volumes);
        pod.metadata.uid = format!("uid-web-{ordinal}");
        pod.metadata.namespace = Some("default".into());
        pod.metadata.creation_timestamp = Some(created);
        pod.status.phase = "Pending".into();
        pod
    }

    /// Claim `name` in `phase` (`Pending` or `Bound`).
    fn claim(name: &str, phase: &str) -> PersistentVolumeClaim {
        PersistentVolumeClaim {
            metadata: ObjectMeta::named(name),
            status: PersistentVolumeClaimStatus { phase: phase.into(), ..Default::default() },
            ..Default::default()
        }
    }

    /// minikube's one Ready node, with `pods` and `claims`.
    fn store_with(pods: Vec<Pod>, claims: Vec<PersistentVolumeClaim>) -> Store {
        let mut store = Store::default();
        let node = Node { metadata: ObjectMeta::named("minikube"), internal_ip: "192.168.49.2".into(), ready: true };
        store.nodes.insert("minikube".into(), node);
        for pod in pods {
            store.pods.insert(pod.metadata.name.clone(), pod);
        }
        for claim in claims {
            store.claims.insert(claim.metadata.name.clone(), claim);
        }
        store
    }

    /// The bind and the `Scheduled` event of a successful pass for `pod` (§5.10).
    fn scheduled(pod: &str) -> [Change; 2] {
        [
            Change::Bind { pod: pod.into(), node: "minikube".into() },
            Change::Event {
                pod: pod.into(),
                kind: "Normal",
                reason: "Scheduled",
                message: format!("Successfully assigned default/{pod} to minikube"),
            },
        ]
    }

    fn failed_scheduling(pod: &str, reason: &str) -> Change {
        Change::Event {
            pod: pod.into(),
            kind: "Warning",
            reason: "FailedScheduling",
            message: format!(
                "0/1 nodes are available: {reason}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
            ),
        }
    }

    /// §4.7: while a claim the pod mounts is missing or Pending the pod is
    /// unschedulable (stays Pending, which in OrderedReady blocks the set, §2.4); it
    /// is bound to the node only once *every* claim it mounts exists and is Bound.
    #[test]
    fn rule_4_7_a_pod_is_bound_only_once_every_claim_it_mounts_is_bound() {
        let mut queue = Queue::default();
        let pod = pending_pod(0, &["www", "data"], 0);
        // Well after creation, so no FailedScheduling event (reported once, at creation).
        let mut store = store_with(vec![pod], vec![]);
        assert_eq!(reconcile(&mut queue, &store, 1_000), [], "both claims missing");

        store.claims.insert("www-web-0".into(), claim("www-web-0", "Pending"));
        store.claims.insert("data-web-0".into(), claim("data-web-0", "Pending"));
        assert_eq!(reconcile(&mut queue, &store, 2_000), [], "both claims Pending");

        store.claims.insert("www-web-0".into(), claim("www-web-0", "Bound"));
        assert_eq!(reconcile(&mut queue, &store, 3_000), [], "data-web-0 still Pending");

        store.claims.insert("data-web-0".into(), claim("data-web-0", "Bound"));
        assert_eq!(reconcile(&mut queue, &store, 4_000), scheduled("web-0"));

        // Bound: the pod has a node and leaves the queue; nothing more is asked.
        store.pods.get_mut("web-0").expect("web-0").spec.node_name = Some("minikube".into());
        assert_eq!(reconcile(&mut queue, &store, 5_000), []);
    }

    /// §4.7 (wording UNVERIFIED in the reference) / §4.3: the pass at which the pod
    /// first waits records one Warning FailedScheduling naming what holds it: a
    /// missing claim ("not found"), a claim being deleted, or "pod has unbound
    /// immediate PersistentVolumeClaims"; later passes record nothing more, so the
    /// count does not depend on how often the clock wakes the scheduler.
    #[test]
    fn rule_4_7_failed_scheduling_event_while_a_claim_is_missing_or_unbound() {
        let mut queue = Queue::default();
        let mut deleting = claim("www-web-2", "Bound");
        deleting.metadata.deletion_timestamp = Some(500);
        let pods =
            vec![pending_pod(0, &["www"], 1_000), pending_pod(1, &["www"], 1_000), pending_pod(2, &["www"], 1_000)];
        let store = store_with(pods, vec![claim("www-web-1", "Pending"), deleting]);
        assert_eq!(
            reconcile(&mut queue, &store, 1_000),
            [
                failed_scheduling("web-0", "persistentvolumeclaim \"www-web-0\" not found"),
                failed_scheduling("web-1", "pod has unbound immediate PersistentVolumeClaims"),
                failed_scheduling("web-2", "persistentvolumeclaim \"www-web-2\" is being deleted"),
            ]
        );
        assert_eq!(reconcile(&mut queue, &store, 1_001), [], "reported once, when the pod first waits");
        assert_eq!(reconcile(&mut queue, &store, 60_000), []);
    }

    /// §5.10: a pod that mounts no claim is bound at once, with Normal `Scheduled`
    /// "Successfully assigned default/web-0 to <node>", and only once; with no Ready
    /// node nothing is bound.
    #[test]
    fn rule_5_10_a_pod_without_claims_is_scheduled_at_once_and_only_once() {
        let mut queue = Queue::default();
        let mut store = store_with(vec![pending_pod(0, &[], 0)], vec![]);
        store.nodes.get_mut("minikube").expect("node").ready = false;
        assert_eq!(reconcile(&mut queue, &store, 0), [], "no Ready node");
        store.nodes.get_mut("minikube").expect("node").ready = true;
        assert_eq!(reconcile(&mut queue, &store, 0), scheduled("web-0"));
        store.pods.get_mut("web-0").expect("web-0").spec.node_name = Some("minikube".into());
        assert_eq!(reconcile(&mut queue, &store, 0), []);
    }

    /// §2.12: a pod being deleted (deletionTimestamp set) is not scheduled, even with
    /// every claim Bound, nor when it turns Terminating while queued. (The skip itself
    /// is kube-scheduler's `skipPodSchedule`; the reference names no rule for it.)
    #[test]
    fn rule_2_12_a_terminating_pod_is_never_bound() {
        let mut queue = Queue::default();
        let mut doomed = pending_pod(0, &["www"], 0);
        doomed.metadata.deletion_timestamp = Some(100);
        let store = store_with(vec![doomed], vec![claim("www-web-0", "Bound")]);
        assert_eq!(reconcile(&mut queue, &store, 200), []);

        // Queued while its claim was missing, then deleted, then the claim bound.
        let mut queue = Queue::default();
        let mut store = store_with(vec![pending_pod(1, &["www"], 0)], vec![]);
        assert_eq!(reconcile(&mut queue, &store, 100), []);
        store.pods.get_mut("web-1").expect("web-1").metadata.deletion_timestamp = Some(150);
        store.claims.insert("www-web-1".into(), claim("www-web-1", "Bound"));
        assert_eq!(reconcile(&mut queue, &store, 200), [], "dropped from the queue once Terminating");
    }
}
