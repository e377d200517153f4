//! Property tests over random sequences of applies and learner actions
//! (issue: engine tests). Each case runs the cluster event by event and checks
//! the invariants after every step.

use std::collections::BTreeMap;

use proptest::prelude::*;
use sts_playground::core::cluster::{Client, Cluster};
use sts_playground::core::controllers::statefulset::parent_and_ordinal;
use sts_playground::core::node::files::{Backing, Resolved};
use sts_playground::core::time::SECOND;
use sts_playground::session::samples::DEFAULT_MANIFEST;
use sts_playground::session::{Action as SessionAction, Session};

mod common;
#[allow(unused_imports)]
use common::Edited;

#[derive(Debug, Clone)]
enum Action {
    Apply { replicas: i64, parallel: bool, image: &'static str, partition: i64, on_delete: bool },
    Scale(i64),
    DeletePod(i64),
    DeleteClaim(i64),
    Visit(i64),
    Wait(u64),
}

fn manifest(replicas: i64, parallel: bool, image: &str, partition: i64, on_delete: bool) -> String {
    let strategy = if on_delete {
        "  updateStrategy:\n    type: OnDelete\n".to_string()
    } else {
        format!("  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate:\n      partition: {partition}\n")
    };
    let policy = if parallel { "Parallel" } else { "OrderedReady" };
    DEFAULT_MANIFEST.edited("replicas: 3", &format!("replicas: {replicas}")).edited("visits:1.0", image).edited(
        "  serviceName: visits\n",
        &format!("  serviceName: visits\n  podManagementPolicy: {policy}\n{strategy}"),
    )
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        (
            0i64..5,
            any::<bool>(),
            prop::sample::select(vec!["visits:1.0", "visits:2.0", "visits:crash", "visits:missing"]),
            0i64..4,
            prop::bool::weighted(0.2)
        )
            .prop_map(|(replicas, parallel, image, partition, on_delete)| Action::Apply {
                replicas,
                parallel,
                image,
                partition,
                on_delete
            }),
        (0i64..6).prop_map(Action::Scale),
        (0i64..5).prop_map(Action::DeletePod),
        (0i64..5).prop_map(Action::DeleteClaim),
        (0i64..5).prop_map(Action::Visit),
        (1u64..120).prop_map(Action::Wait),
    ]
}

/// Everything a case checks as it goes.
#[derive(Default)]
struct Watch {
    seen_pods: BTreeMap<String, String>,
    /// Highest visit count seen per claim, and claims the user deleted.
    counts: BTreeMap<String, u64>,
    deleted_claims: Vec<String>,
}

fn check(cluster: &Cluster, watch: &mut Watch) -> Result<(), TestCaseError> {
    let Some(set) = cluster.store().stateful_sets.get("web") else { return Ok(()) };
    // At most one pod per ordinal.
    let mut ordinals = std::collections::BTreeSet::new();
    for name in cluster.store().pods.keys() {
        if let Some((_, ordinal)) = parent_and_ordinal(name) {
            prop_assert!(ordinals.insert(ordinal), "two pods for ordinal {}", ordinal);
        }
    }
    // OrderedReady: a new pod appears only when every lower ordinal is Running and Ready (§2.4).
    for pod in cluster.store().pods.values() {
        let is_new = watch.seen_pods.get(pod.name()) != Some(&pod.metadata.uid);
        if is_new && !set.allows_burst() && pod.metadata.creation_timestamp == Some(cluster.now()) {
            let (_, ordinal) = parent_and_ordinal(pod.name()).unwrap();
            for lower in 0..ordinal {
                let lower_pod = cluster.store().pods.get(&format!("web-{lower}"));
                prop_assert!(
                    lower_pod.is_some_and(|p| p.is_running_and_ready()),
                    "{} created while web-{} is not Running and Ready",
                    pod.name(),
                    lower
                );
            }
        }
        watch.seen_pods.insert(pod.name().to_string(), pod.metadata.uid.clone());
    }
    // Status counters (§9.5).
    let s = &set.status;
    prop_assert!(s.replicas >= 0 && s.ready_replicas >= 0 && s.available_replicas >= 0);
    prop_assert!(s.ready_replicas <= s.replicas && s.available_replicas <= s.ready_replicas);
    prop_assert!(s.current_replicas <= s.replicas && s.updated_replicas <= s.replicas);
    // No claim loses its count unless the user deleted it.
    for (claim, count) in &watch.counts {
        if watch.deleted_claims.contains(claim) {
            continue;
        }
        let volume = cluster.store().claims.get(claim).and_then(|c| c.spec.volume_name.clone());
        prop_assert!(volume.is_some(), "claim {} vanished", claim);
        let on_disk = Resolved {
            backing: Backing::Volume(volume.unwrap_or_default()),
            relative: "/visits".into(),
            read_only: true,
            mount_path: "/data".into(),
        };
        let stored: u64 =
            cluster.files().read(&cluster.store(), &on_disk).and_then(|t| t.trim().parse().ok()).unwrap_or(0);
        prop_assert!(stored >= *count, "claim {} holds {} visits, had {}", claim, stored, count);
    }
    Ok(())
}

fn run(actions: &[Action], seed: u64) -> Result<Cluster, TestCaseError> {
    let mut cluster = sts_playground::cli::new_cluster(seed);
    let mut watch = Watch::default();
    for action in actions {
        match action {
            Action::Apply { replicas, parallel, image, partition, on_delete } => {
                // A policy change on an existing set is forbidden (§9.4): refused, nothing changes.
                let _ = cluster.apply_text(&manifest(*replicas, *parallel, image, *partition, *on_delete));
            }
            Action::Scale(n) => {
                let _ = cluster.scale("web", *n);
            }
            Action::DeletePod(ordinal) => {
                cluster.delete_pod(&format!("web-{ordinal}"), None);
            }
            Action::DeleteClaim(ordinal) => {
                let claim = format!("data-web-{ordinal}");
                if cluster.delete_claim(&claim) {
                    watch.deleted_claims.push(claim);
                }
            }
            Action::Visit(ordinal) => {
                if let Ok(response) = cluster.http_get(&format!("web-{ordinal}.visits"), 8080, "/", &Client::Host) {
                    let claim = format!("data-{}", response.pod);
                    let count = cluster
                        .read_file(&response.pod, None, "/data/visits")
                        .and_then(|t| t.trim().parse().ok())
                        .unwrap_or(0);
                    if !watch.deleted_claims.contains(&claim) {
                        let before = watch.counts.get(&claim).copied().unwrap_or(0);
                        prop_assert!(count > before, "count on {} went from {} to {}", claim, before, count);
                        watch.counts.insert(claim, count);
                    }
                }
            }
            Action::Wait(seconds) => {
                let until = cluster.now() + seconds * SECOND;
                while cluster.next_event_time().is_some_and(|t| t <= until) {
                    cluster.step();
                    check(&cluster, &mut watch)?;
                }
                cluster.run_until(until);
            }
        }
        check(&cluster, &mut watch)?;
    }
    Ok(cluster)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, max_shrink_iters: 200, ..ProptestConfig::default() })]

    #[test]
    fn invariants_hold_for_any_sequence_of_actions(actions in prop::collection::vec(action(), 1..14)) {
        run(&actions, 11)?;
    }

    #[test]
    fn the_same_seed_and_actions_give_the_same_cluster(actions in prop::collection::vec(action(), 1..10)) {
        let first = run(&actions, 5)?;
        let second = run(&actions, 5)?;
        prop_assert_eq!(&first.store(), &second.store());
        prop_assert_eq!(&first.events(), &second.events());
        prop_assert_eq!(first.now(), second.now());
    }
}

/// Performs `actions` through a Session, letting the clock run between them in
/// slices of `tick_ms` (a page ticking at some speed), and returns the session.
fn run_session(actions: &[Action], tick_ms: u64) -> Session {
    let mut session = Session::new(9);
    for action in actions {
        let recorded = match action {
            Action::Apply { replicas, parallel, image, partition, on_delete } => {
                SessionAction::Manifest(manifest(*replicas, *parallel, image, *partition, *on_delete))
            }
            Action::Scale(replicas) => SessionAction::Run(format!("kubectl scale sts web --replicas={replicas}")),
            Action::DeletePod(ordinal) => SessionAction::DeletePod(format!("web-{ordinal}")),
            Action::DeleteClaim(ordinal) => {
                SessionAction::Run(format!("kubectl delete pvc data-web-{ordinal} --wait=false"))
            }
            // Requests through the Service, to one pod (maybe gone), and steady traffic on and off.
            Action::Visit(ordinal) => match ordinal % 4 {
                0 => SessionAction::Requests { target: "visits".into(), count: 3 },
                1 => SessionAction::Traffic { target: "visits".into(), per_second: 5 },
                2 => SessionAction::Traffic { target: format!("pod/web-{ordinal}"), per_second: 0 },
                _ => SessionAction::Requests { target: format!("pod/web-{ordinal}"), count: 2 },
            },
            Action::Wait(seconds) => {
                let until = session.now() + seconds * SECOND;
                while session.now() < until {
                    session.advance(tick_ms.min(until - session.now()));
                }
                continue;
            }
        };
        let is_manifest = matches!(recorded, SessionAction::Manifest(_));
        session.perform(recorded);
        if is_manifest {
            session.perform(SessionAction::Apply);
        }
    }
    session
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, max_shrink_iters: 100, ..ProptestConfig::default() })]

    /// The time scrubber and share links replay the log in one go: the page's
    /// tick size (its speed) must not change what happened.
    #[test]
    fn a_session_replays_the_same_whatever_the_tick(actions in prop::collection::vec(action(), 1..10), tick_ms in prop::sample::select(vec![25u64, 100, 2_000])) {
        let live = run_session(&actions, tick_ms);
        let replayed = Session::replay(9, &live.log, live.now());
        prop_assert_eq!(&replayed.cluster.store(), &live.cluster.store());
        prop_assert_eq!(&replayed.cluster.events(), &live.cluster.events());
        prop_assert_eq!(&replayed.transcript, &live.transcript);
    }
}
