//! Every lesson, run end to end through the engine (issue: lessons, item 5):
//! each step's checks stay red until its solution is performed, then turn green.

use sts_playground::core::time::SECOND;
use sts_playground::session::lessons::{self, Lesson, Progress, LESSON_FILES, LESSON_INDEX};
use sts_playground::session::Session;

/// Performs every step of `lesson` as a learner would and checks it turns green
/// only afterwards (within two minutes of virtual time).
fn walk_through(lesson: &Lesson) {
    let mut session = Session::new(1);
    let mut editor = lesson.start_manifest().to_string();
    let mut progress = Progress::start(&session);
    for (index, step) in lesson.steps.iter().enumerate() {
        progress.update(lesson, &session);
        assert_eq!(
            progress.current(),
            index,
            "{}: step {} \"{}\" is green before the learner did it",
            lesson.id,
            index + 1,
            step.title
        );
        for item in &step.solution {
            if let Err(message) = lessons::perform(lesson, &mut session, &mut editor, item) {
                panic!("{}: step {} \"{}\": {message}", lesson.id, index + 1, step.title);
            }
            progress.update(lesson, &session);
        }
        let deadline = session.now() + 120 * SECOND;
        while progress.current() == index && session.now() < deadline {
            session.advance(SECOND);
            progress.update(lesson, &session);
        }
        assert!(progress.current() > index, "{}: step {} \"{}\" never turned green", lesson.id, index + 1, step.title);
    }
    assert!(progress.complete(lesson));
}

#[test]
fn every_lesson_file_parses_with_a_unique_id() {
    let mut ids = Vec::new();
    for (file, text) in LESSON_FILES {
        let lesson = lessons::parse(text).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(!lesson.steps.is_empty(), "{file} has no steps");
        assert!(
            file.ends_with(&format!("{}.yaml", lesson.id)),
            "{file}: the file name should end with its id `{}`",
            lesson.id
        );
        assert!(!ids.contains(&lesson.id), "two lessons are called {}", lesson.id);
        assert_eq!(
            lessons::find(&lesson.id).map(|l| l.title),
            Some(lesson.title.clone()),
            "#lesson={} opens it",
            lesson.id
        );
        // The page's menu and deep links use the index; the text is fetched on demand.
        assert!(
            LESSON_INDEX.contains(&(*file, lesson.id.as_str(), lesson.title.as_str())),
            "{file}: the index says {LESSON_INDEX:?}"
        );
        assert_eq!(lessons::file_of(&lesson.id), Some(*file));
        ids.push(lesson.id);
    }
    assert!(ids.len() >= 9, "the issue asks for at least nine lessons");
    assert_eq!(LESSON_INDEX.len(), ids.len());
    assert!(lessons::find("no-such-lesson").is_none());
    assert!(lessons::file_of("no-such-lesson").is_none());
    let (file, _, _) = LESSON_INDEX[0];
    let text = LESSON_FILES.iter().find(|(name, _)| *name == file).map(|(_, text)| *text).unwrap_or_default();
    assert!(
        lessons::parse_as("probes", text).unwrap_err().contains("not \"probes\""),
        "a fetched file that holds another lesson is refused"
    );
}

macro_rules! lesson_test {
    ($name:ident, $id:literal) => {
        #[test]
        fn $name() {
            let lesson = lessons::all().into_iter().find(|l| l.id == $id).expect("lesson exists");
            walk_through(&lesson);
        }
    };
}

lesson_test!(lesson_first_statefulset, "first-statefulset");
lesson_test!(lesson_network_identity, "network-identity");
lesson_test!(lesson_per_pod_storage, "per-pod-storage");
lesson_test!(lesson_ordered_vs_parallel, "ordered-vs-parallel");
lesson_test!(lesson_scaling_and_claims, "scaling-and-claims");
lesson_test!(lesson_rolling_updates, "rolling-updates");
lesson_test!(lesson_stuck_rollout, "stuck-rollout");
lesson_test!(lesson_probes, "probes");
lesson_test!(lesson_deployment_vs_statefulset, "deployment-vs-statefulset");
lesson_test!(lesson_laptop_access, "laptop-access");
lesson_test!(lesson_helm_statefulset, "helm-statefulset");

#[test]
fn a_step_stays_red_when_the_learner_skipped_it() {
    // Per-pod storage: the learner applies and waits, but deletes web-1 instead of web-0.
    let lesson = lessons::all().into_iter().find(|l| l.id == "per-pod-storage").expect("lesson exists");
    let mut session = Session::new(1);
    let mut editor = lesson.start_manifest().to_string();
    let mut progress = Progress::start(&session);
    for step in &lesson.steps[..3] {
        for item in &step.solution {
            lessons::perform(&lesson, &mut session, &mut editor, item).unwrap();
        }
        session.advance(5 * SECOND);
        progress.update(&lesson, &session);
    }
    assert_eq!(progress.current(), 3);
    session.perform(sts_playground::session::Action::DeletePod("web-1".into()));
    session.advance(60 * SECOND);
    progress.update(&lesson, &session);
    assert_eq!(progress.current(), 3, "deleting web-1 does not complete \"Delete the pod\" (web-0)");
}

#[test]
fn progress_saved_by_the_page_resumes_after_a_reload() {
    // The learner finished two steps; the page saves the progress next to the session log.
    let lesson = lessons::find("first-statefulset").expect("lesson exists");
    let mut session = Session::new(1);
    let mut editor = lesson.start_manifest().to_string();
    let mut progress = Progress::start(&session);
    for item in &lesson.steps[0].solution {
        lessons::perform(&lesson, &mut session, &mut editor, item).unwrap();
    }
    progress.update(&lesson, &session);
    assert_eq!(progress.current(), 1);
    let saved = progress.to_text();
    assert_eq!(Progress::from_text(&saved), Some(progress.clone()), "{saved}");
    // Damaged or reordered records are not resumed (the lesson starts over instead).
    assert_eq!(Progress::from_text(""), None);
    assert_eq!(Progress::from_text("5000 x"), None);
    assert_eq!(Progress::from_text("5000 4000"), None, "a step cannot finish before the lesson began");
}

#[test]
fn a_broken_lesson_file_names_the_field() {
    let base = "id: x\ntitle: X\ngoal: g\nquestion: q\nanswer: a\nsteps:\n  - title: t\n    text: t\n    why: w\n    do: [run: ls]\n    checks:\n";
    let broken = |check: &str| lessons::parse(&format!("{base}      - {check}\n")).err().unwrap_or_default();
    assert_eq!(broken("redy: {set: web, replicas: 3}"), "steps[0].checks[0].redy: unknown check (known: ready, rollout_done, ran, query, recreated, deployment_ready, replaced, ordered_start, started_together, status, not_ready, restarts, visits, exists, gone, updated)");
    assert_eq!(broken("ready: {set: web}"), "steps[0].checks[0].ready: missing field `replicas`");
    assert_eq!(broken("ready: {set: web, replicas: 3, extra: 1}"), "steps[0].checks[0].ready: unknown field `extra`");
    assert!(lessons::parse(&format!("{base}      - gone: {{object: pod/web-2}}\n")).is_ok());
}
