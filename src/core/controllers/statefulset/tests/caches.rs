//! What cargo-mutants found no test for (issue 15): the namespace of what the
//! controller makes, status and history with two pods for one ordinal, the
//! completion of a rolling update, and the memo of complete claims across passes.

use super::*;

/// A pass over a view of the members that outlives it (as the controller keeps one).
fn pass_with(
    members: &Members,
    set: &StatefulSet,
    claims: &SortedMap<String, PersistentVolumeClaim>,
    revisions: &[ControllerRevision],
) -> Vec<Change> {
    pass_over(members, 0, set, claims, revisions)
}

fn sorted<T: Clone>(items: &[T], name: impl Fn(&T) -> String) -> SortedMap<String, T> {
    items.iter().map(|item| (name(item), item.clone())).collect()
}

/// `newStatefulSetPod` and `newPersistentVolumeClaim`: what the controller makes
/// lives in the set's namespace.
#[test]
fn rule_4_1_pods_and_claims_are_made_in_the_sets_namespace() {
    let mut set = web("replicas: 1");
    set.metadata.namespace = Some("default".into());
    let rev = revision(&set, 1);
    let changes = pass(&set, &[], &[], &[rev]);
    let namespaces: Vec<Option<String>> = changes
        .iter()
        .filter_map(|change| match change {
            Change::CreatePod(p) => Some(p.metadata.namespace.clone()),
            Change::CreateClaim(c) => Some(c.metadata.namespace.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(namespaces, [Some("default".to_string()), Some("default".to_string())]);
}

/// A second pod for ordinal 1 (`web-01` parses as 1, §1.2) with web-0, web-1, web-2:
/// the status counts each ordinal once (§2.13 counts in-range members).
#[test]
fn rule_2_13_a_second_pod_for_an_ordinal_is_counted_once() {
    let set = web("replicas: 3");
    let rev = revision(&set, 1);
    let mut second = ready(pod(&set, &rev, 1));
    second.metadata.name = "web-01".into();
    let pods = [ready(pod(&set, &rev, 0)), ready(pod(&set, &rev, 1)), second, ready(pod(&set, &rev, 2))];
    let status = status_written(&pass(&set, &pods, &claims(0..3), &[rev.clone()]));
    assert_eq!(
        (status.replicas, status.ready_replicas, status.available_replicas, status.current_replicas),
        (3, 3, 3, 3)
    );
}

/// §2.13: a rolling update is complete when updated == ready == replicas ==
/// spec.replicas; then currentRevision becomes the update revision. One pod short of
/// spec.replicas, it is not.
#[test]
fn rule_2_13_current_revision_advances_only_when_the_update_is_complete() {
    let (set, old, new, _) = mid_update(web("replicas: 3"));
    let updated: Vec<Pod> = (0..3).map(|o| ready(pod(&set, &new, o))).collect();
    let status = status_written(&pass(&set, &updated, &claims(0..3), &[old.clone(), new.clone()]));
    assert_eq!(status.current_revision, new.metadata.name);
    assert_eq!(status.current_replicas, 3);
    let mut four = set.clone();
    four.spec.replicas = Some(4);
    let status = status_written(&pass(&four, &updated, &claims(0..4), &[old.clone(), new.clone()]));
    assert_eq!(status.current_revision, old.metadata.name, "3 updated pods of 4 wanted: not complete");
}

/// §3.14 with two pods for one ordinal: `truncateHistory` keeps every revision a pod
/// names, the second pod's too, and deletes the rest beyond the limit.
#[test]
fn rule_3_14_history_keeps_the_revision_of_a_second_pod_for_an_ordinal() {
    let base = web("replicas: 3\nrevisionHistoryLimit: 0");
    let (mut set, revisions) = six_revisions(&base);
    let name = |i: usize| revisions[i].metadata.name.clone();
    set.status.current_revision = name(5);
    let mut second = ready(pod(&set, &revisions[1], 1));
    second.metadata.name = "web-01".into();
    let pods = [
        ready(pod(&set, &revisions[5], 0)),
        ready(pod(&set, &revisions[5], 1)),
        second,
        ready(pod(&set, &revisions[5], 2)),
    ];
    let changes = pass(&set, &pods, &claims(0..3), &revisions);
    let deleted: Vec<String> = [0, 2, 3, 4].iter().map(|&i| format!("delete revision {}", name(i))).collect();
    assert_eq!(actions(&changes), deleted, "revision 2 is named by web-01");
    // Kept up to date across passes: once web-01 is gone, nothing names revision 2
    // (web-02, another second pod, keeps the ordinal shared).
    let mut third = ready(pod(&set, &revisions[2], 2));
    third.metadata.name = "web-02".into();
    let mut pods = sorted(&[&pods[..], &[third]].concat(), |p: &Pod| p.metadata.name.clone());
    let claims = sorted(&claims(0..3), |c: &PersistentVolumeClaim| c.metadata.name.clone());
    let mut members = Members::default();
    members.catch_up(&set, &pods, &claims);
    pods.remove("web-01");
    members.catch_up(&set, &pods, &claims);
    let deleted: Vec<String> = [0, 1, 3, 4].iter().map(|&i| format!("delete revision {}", name(i))).collect();
    assert_eq!(actions(&pass_with(&members, &set, &claims, &revisions)), deleted, "revision 3 is named by web-02");
}

/// §2.3 / §4.1 across passes: a claim deleted under a Pending pod is made again on
/// the next pass (the memo of ordinals whose claims are complete forgets it).
#[test]
fn rule_4_1_a_claim_deleted_under_a_pending_pod_is_made_again() {
    let set = web("replicas: 1");
    let rev = revision(&set, 1);
    let mut pending = pod(&set, &rev, 0);
    pending.status.phase = "Pending".into();
    let pods = sorted(&[pending], |p: &Pod| p.metadata.name.clone());
    let mut claims = sorted(&claims(0..1), |c: &PersistentVolumeClaim| c.metadata.name.clone());
    let mut members = Members::default();
    members.catch_up(&set, &pods, &claims);
    assert_eq!(actions(&pass_with(&members, &set, &claims, &[rev.clone()])), Vec::<String>::new());
    claims.remove("www-web-0");
    members.catch_up(&set, &pods, &claims);
    assert_eq!(actions(&pass_with(&members, &set, &claims, &[rev.clone()])), ["create claim www-web-0"]);
    // A new claim template: every ordinal's claims are looked at again.
    let mut with_logs = set.clone();
    let mut logs = with_logs.spec.volume_claim_templates[0].clone();
    logs.metadata.name = "logs".into();
    with_logs.spec.volume_claim_templates.push(logs);
    claims = sorted(&super::claims(0..1), |c: &PersistentVolumeClaim| c.metadata.name.clone());
    members.catch_up(&with_logs, &pods, &claims);
    assert_eq!(actions(&pass_with(&members, &with_logs, &claims, &[rev])), ["create claim logs-web-0"]);
}

/// The controller's view of a set's members belongs to one set object: a set deleted
/// (its pods orphaned to another owner) and made again under the same name starts a
/// fresh view (§1.3: pods another controller owns are not members).
#[test]
fn rule_1_3_a_set_made_again_under_its_name_starts_a_fresh_view_of_its_members() {
    let set = web("replicas: 2");
    let rev = revision(&set, 1);
    let pods = sorted(&[ready(pod(&set, &rev, 0)), ready(pod(&set, &rev, 1))], |p: &Pod| p.metadata.name.clone());
    let claims = sorted(&claims(0..2), |c: &PersistentVolumeClaim| c.metadata.name.clone());
    let mut members = Members::default();
    members.catch_up(&set, &pods, &claims);
    assert_eq!(actions(&pass_with(&members, &set, &claims, &[rev.clone()])), Vec::<String>::new());
    // The same name, a new object: the old pods are owned by the old uid.
    let mut again = set.clone();
    again.metadata.uid = "uid-web-again".into();
    members.catch_up(&again, &pods, &claims);
    let revision_again = revision(&again, 1);
    let changes = pass_with(&members, &again, &claims, &[revision_again]);
    assert!(actions(&changes).iter().any(|a| a == "create pod web-0"), "{:?}", actions(&changes));
}

/// §3.2: a ControllerRevision carries the pod template's labels and
/// `controller.kubernetes.io/hash`, the hash its name ends with.
#[test]
fn rule_3_2_a_revision_is_labelled_with_the_templates_labels_and_its_hash() {
    let set = web("replicas: 1");
    let changes = pass(&set, &[], &[], &[]);
    let Some(Change::CreateRevision(created)) = changes.first() else { panic!("a revision first: {changes:?}") };
    let hash = created.metadata.name.strip_prefix("web-").expect("named after the set");
    assert_eq!(created.metadata.labels.get("controller.kubernetes.io/hash").map(String::as_str), Some(hash));
    assert!(!set.spec.template.metadata.labels.is_empty());
    for (key, value) in &set.spec.template.metadata.labels {
        assert_eq!(created.metadata.labels.get(key), Some(value), "the template's label {key}");
    }
}

/// §3.2: the name is a hash of the template and the collision count: another
/// template, or another count, gives another name.
#[test]
fn rule_3_2_another_template_or_collision_count_gives_another_revision_name() {
    let set = web("replicas: 1");
    let other = with_image(&set, "registry.k8s.io/nginx-slim:0.9");
    let name = revision_name_for("web", &set.spec.template, 0);
    assert_ne!(name, revision_name_for("web", &other.spec.template, 0));
    assert_ne!(name, revision_name_for("web", &set.spec.template, 1));
    assert_eq!(name, revision_name_for("web", &set.spec.template, 0), "and the same one again");
}
