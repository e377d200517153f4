//! Which pods a ReplicaSet deletes first when it scales down: `getPodsToDelete` of
//! replica_set.go and `ActivePodsWithRanks` of pkg/controller/controller_utils.go
//! (LogarithmicScaleDown and PodDeletionCost on, as in v1.32).

use crate::core::api::*;
use crate::core::time::Millis;

/// `controller.kubernetes.io/pod-deletion-cost`: lower goes first.
pub const POD_DELETION_COST_ANNOTATION: &str = "controller.kubernetes.io/pod-deletion-cost";

/// `podPhaseToOrdinal`: Pending < Unknown < Running (anything else counts as Pending).
fn phase_ordinal(pod: &Pod) -> u8 {
    match pod.status.phase.as_str() {
        "Unknown" => 1,
        "Running" => 2,
        _ => 0,
    }
}

/// `GetDeletionCostFromPodAnnotations`: an int32, 0 when missing or not one.
fn deletion_cost(pod: &Pod) -> i64 {
    pod.metadata.annotations.get(POD_DELETION_COST_ANNOTATION).and_then(|v| v.parse::<i32>().ok()).map_or(0, i64::from)
}

/// `podReadyTime`: when the Ready condition became True, if it is.
fn ready_time(pod: &Pod) -> Option<Millis> {
    pod.status.conditions.iter().find(|c| c.kind == "Ready" && c.status == "True").and_then(|c| c.last_transition_time)
}

/// `maxContainerRestarts` (regular containers; the playground has no sidecars).
fn max_restarts(pod: &Pod) -> i64 {
    pod.status.container_statuses.iter().map(|s| s.restart_count).max().unwrap_or(0)
}

/// `afterOrZero`: a zero time first, else the later one first.
fn after_or_zero(a: Option<Millis>, b: Option<Millis>) -> bool {
    match (a, b) {
        (None, _) | (_, None) => a.is_none(),
        (Some(a), Some(b)) => a > b,
    }
}

/// `logarithmicRankDiff`: the difference of ⌊log2⌋ of the two ages in nanoseconds.
fn logarithmic_rank_diff(a: Millis, b: Millis, now: Millis) -> i64 {
    let rank = |t: Millis| match now.saturating_sub(t).saturating_mul(1_000_000) {
        0 => -1,
        age => i64::from(age.ilog2()),
    };
    rank(a) - rank(b)
}

/// Newer first, in the logarithmic buckets of their age (the smaller uid first in one
/// bucket); `None` when the times are equal (upstream then looks further).
fn newer_first(a: (Option<Millis>, &Pod), b: (Option<Millis>, &Pod), now: Millis) -> Option<bool> {
    if a.0 == b.0 {
        return None;
    }
    let (Some(ta), Some(tb)) = (a.0, b.0) else { return Some(after_or_zero(a.0, b.0)) };
    match logarithmic_rank_diff(ta, tb, now) {
        0 => Some(a.1.metadata.uid < b.1.metadata.uid),
        diff => Some(diff < 0),
    }
}

/// `ActivePodsWithRanks.Less`: whether pod `a` (with `rank_a` related pods on its
/// node) goes before pod `b` when deleting. In order: unassigned before assigned;
/// Pending, Unknown, Running; not ready before ready; lower deletion cost; more
/// related pods on the node; ready for less time; more restarts; newer.
pub fn active_pods_with_ranks_less(a: &Pod, rank_a: usize, b: &Pod, rank_b: usize, now: Millis) -> bool {
    let (node_a, node_b) = (a.spec.node_name.as_deref().unwrap_or(""), b.spec.node_name.as_deref().unwrap_or(""));
    if node_a != node_b && (node_a.is_empty() || node_b.is_empty()) {
        return node_a.is_empty();
    }
    if phase_ordinal(a) != phase_ordinal(b) {
        return phase_ordinal(a) < phase_ordinal(b);
    }
    let (ready_a, ready_b) = (a.condition("Ready"), b.condition("Ready"));
    if ready_a != ready_b {
        return !ready_a;
    }
    if deletion_cost(a) != deletion_cost(b) {
        return deletion_cost(a) < deletion_cost(b);
    }
    if rank_a != rank_b {
        return rank_a > rank_b;
    }
    if ready_a && ready_b {
        if let Some(less) = newer_first((ready_time(a), a), (ready_time(b), b), now) {
            return less;
        }
    }
    if max_restarts(a) != max_restarts(b) {
        return max_restarts(a) > max_restarts(b);
    }
    newer_first((a.metadata.creation_timestamp, a), (b.metadata.creation_timestamp, b), now).unwrap_or(false)
}

/// `getPodsToDelete`: the first `count` of `pods` ranked by
/// [`active_pods_with_ranks_less`], each ranked by how many active `related` pods (of
/// the ReplicaSets with the same controller) share its node. Upstream sorts with
/// Go's unstable sort; an insertion sort from name order keeps it deterministic (the
/// order is not a strict weak one, which Rust's sorts may refuse).
pub fn pods_to_delete<'a>(pods: &[&'a Pod], related: &[&Pod], count: usize, now: Millis) -> Vec<&'a Pod> {
    if count >= pods.len() {
        return pods.to_vec();
    }
    let node = |pod: &Pod| pod.spec.node_name.clone().unwrap_or_default();
    let active_related: Vec<String> =
        related.iter().filter(|p| !p.is_terminal() && !p.metadata.is_terminating()).map(|p| node(p)).collect();
    let rank = |pod: &Pod| {
        let on = node(pod);
        active_related.iter().filter(|n| **n == on).count()
    };
    let mut ranked: Vec<(&Pod, usize)> = pods.iter().map(|p| (*p, rank(p))).collect();
    for i in 1..ranked.len() {
        let mut j = i;
        while j > 0 && active_pods_with_ranks_less(ranked[j].0, ranked[j].1, ranked[j - 1].0, ranked[j - 1].1, now) {
            ranked.swap(j, j - 1);
            j -= 1;
        }
    }
    ranked.into_iter().take(count).map(|(pod, _)| pod).collect()
}
