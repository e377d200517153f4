//! Property test over random sequences of Deployment actions (issue 18): scale,
//! set image, undo (the previous revision's template applied again) and pod deletes.
//! During a rolling update the Deployment keeps within its fenceposts
//! (`ResolveFenceposts`): at most `replicas + maxSurge` active pods, and, while no one
//! else disturbs it, at least `replicas - maxUnavailable` available; and whatever the
//! sequence, it converges to `replicas` up-to-date, available pods.

use proptest::prelude::*;
use sts_playground::core::api::Pod;
use sts_playground::core::cluster::Cluster;
use sts_playground::core::controllers::deployment::template_of_revision;
use sts_playground::core::time::{MINUTE, SECOND};

#[derive(Debug, Clone)]
enum Action {
    Scale(i64),
    SetImage(&'static str),
    Undo,
    DeletePod(usize),
    Wait(u64),
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        (0i64..7).prop_map(Action::Scale),
        prop::sample::select(vec!["nginx:1.25", "nginx:1.26", "nginx:1.27"]).prop_map(Action::SetImage),
        Just(Action::Undo),
        (0usize..8).prop_map(Action::DeletePod),
        (1u64..40).prop_map(Action::Wait),
    ]
}

/// `maxSurge` and `maxUnavailable` as written in the manifest.
const FENCEPOSTS: [(&str, &str); 5] = [("25%", "25%"), ("1", "0"), ("0", "1"), ("2", "1"), ("50%", "0")];

fn manifest(replicas: i64, (surge, unavailable): (&str, &str)) -> String {
    let quote = |v: &str| if v.ends_with('%') { format!("\"{v}\"") } else { v.to_string() };
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: {replicas}
  strategy:
    rollingUpdate:
      maxSurge: {}
      maxUnavailable: {}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: nginx
          image: nginx:1.25
",
        quote(surge),
        quote(unavailable)
    )
}

/// The Deployment's pods that count: owned by one of its ReplicaSets, not terminating.
fn active_pods(cluster: &Cluster) -> Vec<&Pod> {
    let store = cluster.store();
    let Some(deployment) = store.deployments.get("web") else { return Vec::new() };
    let owned: Vec<&str> = store.replica_sets_of(deployment).map(|rs| rs.metadata.uid.as_str()).collect();
    store
        .pods
        .values()
        .filter(|p| !p.metadata.is_terminating() && !p.is_terminal())
        .filter(|p| p.metadata.controller().is_some_and(|o| owned.contains(&o.uid.as_str())))
        .collect()
}

fn available(cluster: &Cluster) -> i64 {
    active_pods(cluster).iter().filter(|p| p.is_running_and_ready()).count() as i64
}

/// Whether every replica is up to date and available and nothing else runs.
fn complete(cluster: &Cluster) -> bool {
    let deployment = &cluster.store().deployments["web"];
    let pods = active_pods(cluster);
    let template_image = &deployment.spec.template.spec.containers[0].image;
    pods.len() as i64 == deployment.replicas()
        && pods.iter().all(|p| p.is_running_and_ready() && &p.spec.containers[0].image == template_image)
        && cluster.store().pods.values().all(|p| !p.metadata.is_terminating())
}

/// While a rolling update runs undisturbed: the least available it may keep.
struct Watch {
    min_available: Option<i64>,
}

fn check(cluster: &Cluster, watch: &Watch) -> Result<(), TestCaseError> {
    let deployment = &cluster.store().deployments["web"];
    let (replicas, surge, unavailable) = (deployment.replicas(), deployment.max_surge(), deployment.max_unavailable());
    let active = active_pods(cluster).len() as i64;
    prop_assert!(
        active <= replicas + surge,
        "{} active pods at {} for {} replicas with maxSurge {}",
        active,
        cluster.now(),
        replicas,
        surge
    );
    if let Some(floor) = watch.min_available {
        let now_available = available(cluster);
        prop_assert!(
            now_available >= floor,
            "{} available at {} during a rollout of {} replicas with maxUnavailable {}",
            now_available,
            cluster.now(),
            replicas,
            unavailable
        );
    }
    let status = &deployment.status;
    prop_assert!(status.available_replicas <= status.replicas.max(status.ready_replicas));
    Ok(())
}

fn run(fenceposts: (&str, &str), replicas: i64, actions: &[Action]) -> Result<(), TestCaseError> {
    let mut cluster = sts_playground::cli::new_cluster(3);
    cluster.apply_text(&manifest(replicas, fenceposts)).expect("the manifest applies");
    let mut watch = Watch { min_available: None };
    for action in actions {
        match action {
            Action::Scale(n) => {
                watch.min_available = None;
                cluster.scale_deployment("web", *n).expect("scales");
            }
            Action::SetImage(_) | Action::Undo => {
                let deployment = cluster.store().deployments["web"].clone();
                let template = match action {
                    Action::SetImage(image) => {
                        let mut template = deployment.spec.template.clone();
                        template.spec.containers[0].image = image.to_string();
                        Some(template)
                    }
                    _ => template_of_revision(&cluster.store().replica_sets, &deployment, 0).ok(),
                };
                let Some(template) = template else { continue };
                // The floor holds from a complete rollout (or an undisturbed one) on,
                // until someone else disturbs it.
                let undisturbed = complete(&cluster) || watch.min_available.is_some();
                cluster.update_deployment("web", |d| d.spec.template = template).expect("updates");
                let d = &cluster.store().deployments["web"];
                watch.min_available = undisturbed.then(|| d.replicas() - d.max_unavailable());
            }
            Action::DeletePod(index) => {
                let pods: Vec<String> = active_pods(&cluster).iter().map(|p| p.metadata.name.clone()).collect();
                if let Some(pod) = pods.get(index % pods.len().max(1)) {
                    watch.min_available = None;
                    cluster.delete_pod(pod, None);
                }
            }
            Action::Wait(seconds) => {
                let until = cluster.now() + seconds * SECOND;
                while cluster.next_event_time().is_some_and(|t| t <= until) {
                    cluster.step();
                    check(&cluster, &watch)?;
                }
                cluster.run_until(until);
            }
        }
        check(&cluster, &watch)?;
    }
    // Whatever happened, the Deployment converges.
    let converged = cluster.run_until_condition(5 * MINUTE, complete);
    let names: Vec<String> = cluster.store().pods.keys().cloned().collect();
    prop_assert!(converged, "not converged: pods {:?}", names);
    cluster.advance(10 * SECOND);
    let deployment = &cluster.store().deployments["web"];
    let status = &deployment.status;
    let replicas = deployment.replicas();
    prop_assert_eq!(
        (status.replicas, status.updated_replicas, status.available_replicas),
        (replicas, replicas, replicas)
    );
    prop_assert_eq!(status.observed_generation, deployment.metadata.generation);
    let progressing = deployment.condition("Progressing").map(|c| c.reason.as_str());
    prop_assert_eq!(progressing, Some("NewReplicaSetAvailable"));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, max_shrink_iters: 200, ..ProptestConfig::default() })]

    #[test]
    fn a_rolling_update_keeps_its_fenceposts_and_converges(
        fenceposts in prop::sample::select(FENCEPOSTS.to_vec()),
        replicas in 1i64..6,
        actions in prop::collection::vec(action(), 1..14),
    ) {
        run(fenceposts, replicas, &actions)?;
    }
}

/// A Deployment manifest with every field the playground reads, for the fuzzer.
const FULL: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    team: a
spec:
  replicas: 3
  minReadySeconds: 2
  revisionHistoryLimit: 1
  progressDeadlineSeconds: 20
  paused: false
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: \"50%\"
      maxUnavailable: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: nginx
          image: nginx:1.26
";

/// `FULL` with a few random edits: lines dropped, re-indented, numbers at their limits,
/// a character replaced.
fn mutated() -> impl Strategy<Value = String> {
    let lines: Vec<String> = FULL.lines().map(String::from).collect();
    prop::collection::vec((0..lines.len(), 0u8..5, any::<char>()), 1..5).prop_map(move |edits| {
        let mut lines = lines.clone();
        for (index, kind, ch) in edits {
            let index = index % lines.len().max(1);
            match kind {
                0 => {
                    lines.remove(index);
                }
                1 => lines[index] = format!(" {}", lines[index]),
                2 => lines[index] = lines[index].trim_start().to_string(),
                3 => {
                    let extreme = ["2147483648", "-1", "0", "100%", "101%", "-5%"][ch as usize % 6];
                    let line = &lines[index];
                    if let Some(start) = line.find(|c: char| c.is_ascii_digit()) {
                        let end = line[start..].find(|c: char| !c.is_ascii_digit()).map_or(line.len(), |e| start + e);
                        lines[index] = format!("{}{extreme}{}", &line[..start], &line[end..]);
                    }
                }
                _ => {
                    let mut chars: Vec<char> = lines[index].chars().collect();
                    if !chars.is_empty() {
                        let at = chars.len() / 2;
                        chars[at] = ch;
                    }
                    lines[index] = chars.into_iter().collect();
                }
            }
            if lines.is_empty() {
                lines.push(String::new());
            }
        }
        lines.join("\n")
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Any edit of a Deployment is applied (and the controllers run with it) or refused
    /// with a message, never a panic; a refusal leaves the cluster as it was.
    #[test]
    fn any_deployment_edit_is_applied_or_refused_with_a_message(text in mutated()) {
        let mut cluster = sts_playground::cli::new_cluster(1);
        cluster.apply_text(FULL).unwrap();
        cluster.advance(10 * SECOND);
        let before = cluster.store().clone();
        match cluster.apply_text(&text) {
            Ok(_) => cluster.advance(MINUTE),
            Err(error) => {
                prop_assert!(!error.message.is_empty());
                prop_assert_eq!(cluster.store(), &before);
            }
        }
    }
}
