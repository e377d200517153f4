//! Guided lessons: plain data files under `lessons/` (one per lesson, see
//! docs/LESSONS.md), and live checks evaluated against a Session — the cluster
//! as it is now and the terminal lines the learner ran. Steps complete in order:
//! only the current step is checked, so a step can never turn green before the
//! ones above it, and each step only counts what happened after it began.

use crate::core::api::yaml::Value;

use crate::core::api::read::{Fields, FromValue, ReadError};

use crate::cli::printers;
use crate::core::time::{Millis, SECOND};
use crate::session::view::claim_views;
use crate::session::{Action, Session};

include!(concat!(env!("OUT_DIR"), "/lessons.rs"));

/// One lesson, as written in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lesson {
    /// The `#lesson=<id>` of its deep link.
    pub id: String,
    pub title: String,
    pub goal: String,
    /// The editor text the lesson starts from (the default manifest when absent).
    pub manifest: Option<String>,
    pub steps: Vec<Step>,
    /// The closing question, answered by what the simulation showed.
    pub question: String,
    pub answer: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub title: String,
    pub text: String,
    pub hint: Option<String>,
    /// What the controller did, shown once the step is green.
    pub why: String,
    /// All must hold.
    pub checks: Vec<Check>,
    /// A way to do the step: the lesson tests perform it, and the page offers
    /// its first command or manifest as a prefill (never runs it for the learner).
    pub solution: Vec<Do>,
}

/// One thing the solution does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Do {
    /// Apply this manifest (it becomes the editor text); `start` is the lesson's own.
    Apply(String),
    /// Edit the editor text (each `[find, replace]` once) and apply it.
    Edit(Vec<(String, String)>),
    /// A terminal line.
    Run(String),
    Requests {
        service: String,
        count: u32,
    },
    DeletePod(String),
    /// Let the clock run this many seconds.
    Wait(u64),
    /// Write one of the learner's files (a chart's template) as the editor would,
    /// or remove it (`text: None`).
    File {
        path: String,
        text: Option<String>,
    },
}

/// A live check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// The StatefulSet wants `replicas` pods and that many are ready.
    Ready {
        set: String,
        replicas: i64,
    },
    /// The rollout finished: every pod runs the update revision and is ready.
    RolloutDone {
        set: String,
    },
    /// A terminal line containing every word ran since the step began, and its
    /// output contained every `output` text.
    Ran {
        words: Vec<String>,
        output: Vec<String>,
    },
    /// A read-only kubectl command, run on a copy of the cluster, prints text
    /// that contains `contains` (e.g. a jsonpath query).
    Query {
        kubectl: String,
        contains: String,
    },
    /// The pod is ready again and was created after the step began.
    Recreated {
        pod: String,
    },
    /// The Deployment wants `replicas` pods and that many of its pods are ready.
    DeploymentReady {
        deployment: String,
        replicas: i64,
    },
    /// A pod of the Deployment (through its ReplicaSet) was created after the step
    /// began and is ready: a replacement, under a new name.
    Replaced {
        deployment: String,
    },
    /// The set's pods were created one after the other: each ordinal only once the
    /// one before it was Ready (§2.4).
    OrderedStart {
        set: String,
    },
    /// The Deployment's pods were all created in the same moment (a ReplicaSet
    /// does not wait for one pod before the next).
    StartedTogether {
        deployment: String,
    },
    /// The pod's STATUS column (`kubectl get pods`) contains this text
    /// (`ImagePull` matches both ErrImagePull and ImagePullBackOff).
    Status {
        pod: String,
        is: String,
    },
    /// The pod exists and is not ready.
    NotReady {
        pod: String,
    },
    /// The pod's RESTARTS count is at least this.
    Restarts {
        pod: String,
        at_least: i64,
    },
    /// At least `claims` claims store `at_least` visits.
    Visits {
        claims: usize,
        at_least: u64,
    },
    /// The object (`pod/web-2`, `pvc/data-web-2`, `sts/web`, `svc/visits`) exists, or not.
    Exists {
        object: String,
    },
    Gone {
        object: String,
    },
    /// The pod runs the set's update revision (or, with `updated: false`, an older one).
    Updated {
        pod: String,
        updated: bool,
    },
}

/// The file (under `lessons/`) that holds the lesson a `#lesson=<id>` link names.
pub fn file_of(id: &str) -> Option<&'static str> {
    LESSON_INDEX.iter().find(|(_, lesson_id, _)| *lesson_id == id).map(|(file, _, _)| *file)
}

/// Parses a fetched lesson file and checks it is the lesson that was asked for.
pub fn parse_as(id: &str, text: &str) -> Result<Lesson, String> {
    let lesson = parse(text)?;
    if lesson.id != id {
        return Err(format!("the file holds lesson \"{}\", not \"{id}\"", lesson.id));
    }
    Ok(lesson)
}

/// Every lesson, in file-name order (native builds: tests and tools).
#[cfg(not(target_arch = "wasm32"))]
pub fn all() -> Vec<Lesson> {
    LESSON_FILES.iter().filter_map(|(_, text)| parse(text).ok()).collect()
}

/// The lesson a `#lesson=<id>` link names (native builds; the page fetches
/// `lessons/<file_of(id)>` instead).
#[cfg(not(target_arch = "wasm32"))]
pub fn find(id: &str) -> Option<Lesson> {
    let file = file_of(id)?;
    LESSON_FILES.iter().find(|(name, _)| *name == file).and_then(|(_, text)| parse_as(id, text).ok())
}

/// Reads a lesson file with the API objects' reader (core::api::read) rather
/// than serde's derive, which cost ~12 KiB of gzipped wasm for these types.
/// Errors name the field path, e.g. `steps[2].checks[0]: unknown check "redy"`.
pub fn parse(text: &str) -> Result<Lesson, String> {
    let value: Value = crate::core::api::yaml::from_str(text).map_err(|e| e.to_string())?;
    only(&value, "lesson", &["id", "title", "goal", "manifest", "steps", "question", "answer"])?;
    let f = Fields::of(&value, "")?;
    let steps: Vec<Value> = f.required("steps")?;
    Ok(Lesson {
        id: f.required("id")?,
        title: f.required("title")?,
        goal: f.required("goal")?,
        manifest: f.field("manifest")?,
        steps: steps.iter().enumerate().map(|(n, v)| step(v, &format!("steps[{n}]"))).collect::<Result<_, _>>()?,
        question: f.required("question")?,
        answer: f.required("answer")?,
    })
}

/// Refuses fields a lesson author misspelled (`cheks:` must not pass silently).
fn only(value: &Value, path: &str, known: &[&str]) -> Result<(), String> {
    let unknown =
        value.as_mapping().and_then(|map| map.keys().find(|k| !k.as_str().is_some_and(|k| known.contains(&k))));
    match unknown {
        Some(key) => Err(format!("{path}: unknown field `{}`", key.as_str().unwrap_or("?"))),
        None => Ok(()),
    }
}

fn step(value: &Value, path: &str) -> Result<Step, String> {
    only(value, path, &["title", "text", "hint", "why", "checks", "do"])?;
    let f = Fields::of(value, path)?;
    let checks: Vec<Value> = f.required("checks")?;
    let solution: Vec<Value> = f.required("do")?;
    Ok(Step {
        title: f.required("title")?,
        text: f.required("text")?,
        hint: f.field("hint")?,
        why: f.required("why")?,
        checks: checks
            .iter()
            .enumerate()
            .map(|(n, v)| check(v, &format!("{path}.checks[{n}]")))
            .collect::<Result<_, _>>()?,
        solution: solution
            .iter()
            .enumerate()
            .map(|(n, v)| action(v, &format!("{path}.do[{n}]")))
            .collect::<Result<_, _>>()?,
    })
}

/// A one-key map `{name: argument}`, as checks and actions are written.
fn single<'a>(value: &'a Value, path: &str) -> Result<(&'a str, &'a Value), String> {
    match value.as_mapping() {
        Some(map) if map.len() == 1 => map
            .iter()
            .next()
            .and_then(|(k, v)| Some((k.as_str()?, v)))
            .ok_or_else(|| format!("{path}: expected `name: …`")),
        _ => Err(format!("{path}: expected one `name: …` entry")),
    }
}

/// The fields each check takes.
const CHECKS: &[(&str, &[&str])] = &[
    ("ready", &["set", "replicas"]),
    ("rollout_done", &["set"]),
    ("ran", &["words", "output"]),
    ("query", &["kubectl", "contains"]),
    ("recreated", &["pod"]),
    ("deployment_ready", &["deployment", "replicas"]),
    ("replaced", &["deployment"]),
    ("ordered_start", &["set"]),
    ("started_together", &["deployment"]),
    ("status", &["pod", "is"]),
    ("not_ready", &["pod"]),
    ("restarts", &["pod", "at_least"]),
    ("visits", &["claims", "at_least"]),
    ("exists", &["object"]),
    ("gone", &["object"]),
    ("updated", &["pod", "updated"]),
];

fn check(value: &Value, path: &str) -> Result<Check, String> {
    let (name, argument) = single(value, path)?;
    let path = format!("{path}.{name}");
    let Some((_, fields)) = CHECKS.iter().find(|(known, _)| *known == name) else {
        let names: Vec<&str> = CHECKS.iter().map(|(known, _)| *known).collect();
        return Err(format!("{path}: unknown check (known: {})", names.join(", ")));
    };
    only(argument, &path, fields)?;
    let f = Fields::of(argument, &path)?;
    Ok(match name {
        "ready" => Check::Ready { set: f.required("set")?, replicas: f.required("replicas")? },
        "rollout_done" => Check::RolloutDone { set: f.required("set")? },
        "ran" => Check::Ran { words: f.required("words")?, output: f.field("output")? },
        "query" => Check::Query { kubectl: f.required("kubectl")?, contains: f.required("contains")? },
        "recreated" => Check::Recreated { pod: f.required("pod")? },
        "deployment_ready" => {
            Check::DeploymentReady { deployment: f.required("deployment")?, replicas: f.required("replicas")? }
        }
        "replaced" => Check::Replaced { deployment: f.required("deployment")? },
        "ordered_start" => Check::OrderedStart { set: f.required("set")? },
        "started_together" => Check::StartedTogether { deployment: f.required("deployment")? },
        "status" => Check::Status { pod: f.required("pod")?, is: f.required("is")? },
        "not_ready" => Check::NotReady { pod: f.required("pod")? },
        "restarts" => Check::Restarts { pod: f.required("pod")?, at_least: f.required("at_least")? },
        "visits" => Check::Visits { claims: f.required::<u64>("claims")? as usize, at_least: f.required("at_least")? },
        "exists" => Check::Exists { object: f.required("object")? },
        "gone" => Check::Gone { object: f.required("object")? },
        _ => Check::Updated { pod: f.required("pod")?, updated: f.required("updated")? },
    })
}

fn action(value: &Value, path: &str) -> Result<Do, String> {
    let (name, argument) = single(value, path)?;
    let path = format!("{path}.{name}");
    Ok(match name {
        "apply" => Do::Apply(String::read(argument, &path)?),
        "run" => Do::Run(String::read(argument, &path)?),
        "delete_pod" => Do::DeletePod(String::read(argument, &path)?),
        "wait" => Do::Wait(u64::read(argument, &path)?),
        "edit" => {
            let pairs: Vec<Vec<String>> = Vec::read(argument, &path)?;
            Do::Edit(
                pairs
                    .into_iter()
                    .map(|pair| match <[String; 2]>::try_from(pair) {
                        Ok([find, replace]) => Ok((find, replace)),
                        Err(_) => Err(format!("{path}: each edit is [find, replace]")),
                    })
                    .collect::<Result<_, _>>()?,
            )
        }
        "write" => {
            only(argument, &path, &["path", "text"])?;
            let f = Fields::of(argument, &path)?;
            let file: String = f.required("path")?;
            Do::File {
                path: super::file_path(&file).map_err(|e| format!("{path}.path: {e}"))?,
                text: Some(f.required("text")?),
            }
        }
        "remove" => {
            let file = String::read(argument, &path)?;
            Do::File { path: super::file_path(&file).map_err(|e| format!("{path}: {e}"))?, text: None }
        }
        "requests" => {
            only(argument, &path, &["service", "count"])?;
            let f = Fields::of(argument, &path)?;
            Do::Requests { service: f.required("service")?, count: f.required("count")? }
        }
        _ => {
            return Err(format!(
                "{path}: unknown action (known: apply, edit, run, requests, delete_pod, wait, write, remove)"
            ))
        }
    })
}

impl From<ReadError> for String {
    fn from(error: ReadError) -> String {
        error.0
    }
}

impl Lesson {
    /// The editor text the lesson starts from.
    pub fn start_manifest(&self) -> &str {
        self.manifest.as_deref().unwrap_or(crate::session::samples::DEFAULT_MANIFEST)
    }

    /// The text an `apply:` action puts in the editor (`start`: the lesson's own manifest).
    pub fn manifest_to_apply<'a>(&'a self, text: &'a str) -> &'a str {
        if text == "start" {
            self.start_manifest()
        } else {
            text
        }
    }
}

/// A learner's way through one lesson.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// When each finished step turned green (virtual time).
    pub done: Vec<Millis>,
    /// When the lesson started.
    pub started: Millis,
}

impl Progress {
    pub fn start(session: &Session) -> Self {
        Progress { done: Vec::new(), started: session.now() }
    }

    /// `started done…` in virtual milliseconds: what the page saves so a reload
    /// resumes the lesson where the learner was.
    pub fn to_text(&self) -> String {
        std::iter::once(self.started)
            .chain(self.done.iter().copied())
            .map(|t| t.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Reads [`Progress::to_text`]; None unless the times are in order.
    pub fn from_text(text: &str) -> Option<Self> {
        let mut times = text.split_whitespace().map(|t| t.parse::<Millis>().ok());
        let started = times.next()??;
        let done = times.collect::<Option<Vec<_>>>()?;
        let in_order = done.iter().try_fold(started, |previous, &t| (t >= previous).then_some(t)).is_some();
        in_order.then_some(Progress { done, started })
    }

    /// The step being worked on (== steps.len() when the lesson is complete).
    pub fn current(&self) -> usize {
        self.done.len()
    }

    pub fn complete(&self, lesson: &Lesson) -> bool {
        self.done.len() >= lesson.steps.len()
    }

    /// Checks the current step (and, when it holds, the next ones) against the
    /// session. Returns whether anything turned green.
    pub fn update(&mut self, lesson: &Lesson, session: &Session) -> bool {
        let mut changed = false;
        while let Some(step) = lesson.steps.get(self.current()) {
            let since = self.done.last().copied().unwrap_or(self.started);
            if !step.checks.iter().all(|check| holds(check, session, since)) {
                break;
            }
            self.done.push(session.now());
            changed = true;
        }
        changed
    }
}

/// Whether `check` holds now, counting only what happened at or after `since`.
pub fn holds(check: &Check, session: &Session, since: Millis) -> bool {
    let cluster = &session.cluster;
    let store = &cluster.store();
    match check {
        Check::Ready { set, replicas } => store.stateful_sets.get(set).is_some_and(|s| {
            s.spec.replicas == Some(*replicas)
                && s.status.ready_replicas == *replicas
                && crate::core::controllers::statefulset::pods_of(store, s).count() as i64 == *replicas
        }),
        Check::RolloutDone { set } => store.stateful_sets.get(set).is_some_and(|s| {
            let replicas = s.spec.replicas.unwrap_or(1);
            let pods: Vec<_> = crate::core::controllers::statefulset::pods_of(store, s).collect();
            pods.len() as i64 == replicas
                && pods.iter().all(|p| {
                    p.revision() == s.status.update_revision && p.is_running_and_ready() && !p.metadata.is_terminating()
                })
        }),
        Check::Ran { words, output } => session.transcript.iter().any(|t| {
            t.at >= since
                && words.iter().all(|w| t.line.contains(w.as_str()))
                && output.iter().all(|o| t.output.contains(o.as_str()))
        }),
        Check::Query { kubectl, contains } => session.query(kubectl).contains(contains.as_str()),
        Check::Recreated { pod } => store.pods.get(pod).is_some_and(|p| {
            p.is_running_and_ready()
                && !p.metadata.is_terminating()
                && p.metadata.creation_timestamp.is_some_and(|t| t >= since)
        }),
        Check::DeploymentReady { deployment, replicas } => {
            store.deployments.get(deployment).is_some_and(|d| d.replicas() == *replicas)
                && deployment_pods(store, deployment).filter(|p| p.is_running_and_ready()).count() as i64 == *replicas
        }
        Check::Replaced { deployment } => deployment_pods(store, deployment)
            .any(|p| p.is_running_and_ready() && p.metadata.creation_timestamp.is_some_and(|t| t >= since)),
        Check::OrderedStart { set } => store.stateful_sets.get(set).is_some_and(|s| {
            let mut pods: Vec<_> = crate::core::controllers::statefulset::pods_of(store, s).collect();
            pods.sort_by_key(|p| crate::core::controllers::statefulset::parent_and_ordinal(p.name()).map(|(_, o)| o));
            pods.len() as i64 == s.replicas()
                && pods.len() > 1
                && pods.iter().all(|p| p.metadata.creation_timestamp.is_some_and(|t| t >= since))
                && pods.windows(2).all(|pair| {
                    let before_ready = pair[0].ready_since();
                    let created = pair[1].metadata.creation_timestamp;
                    matches!((before_ready, created), (Some(ready), Some(created)) if created >= ready)
                })
        }),
        Check::StartedTogether { deployment } => {
            let created: Vec<_> = deployment_pods(store, deployment).map(|p| p.metadata.creation_timestamp).collect();
            created.len() > 1 && created.iter().all(|t| t.is_some_and(|t| t >= since) && *t == created[0])
        }
        Check::Status { pod, is } => store.pods.get(pod).is_some_and(|p| printers::pod_status(p).contains(is.as_str())),
        Check::NotReady { pod } => store.pods.get(pod).is_some_and(|p| !p.is_running_and_ready()),
        Check::Restarts { pod, at_least } => store
            .pods
            .get(pod)
            .is_some_and(|p| p.status.container_statuses.iter().map(|c| c.restart_count).sum::<i64>() >= *at_least),
        Check::Visits { claims, at_least } => {
            claim_views(cluster).iter().filter(|c| c.visits.unwrap_or(0) >= *at_least).count() >= *claims
        }
        Check::Exists { object } => exists(session, object),
        Check::Gone { object } => !exists(session, object),
        Check::Updated { pod, updated } => store.pods.get(pod).is_some_and(|p| {
            let set = p.metadata.controller().and_then(|owner| store.stateful_sets.get(&owner.name));
            set.is_some_and(|s| (p.revision() == s.status.update_revision) == *updated) && p.is_running_and_ready()
        }),
    }
}

/// The live pods of a Deployment: those whose ReplicaSet the Deployment controls.
fn deployment_pods<'a>(
    store: &'a crate::core::apiserver::store::Store,
    deployment: &'a str,
) -> impl Iterator<Item = &'a crate::core::api::Pod> + 'a {
    let uid = store.deployments.get(deployment).map(|d| d.metadata.uid.clone()).unwrap_or_default();
    store.pods.values().filter(move |pod| {
        !pod.metadata.is_terminating()
            && pod.metadata.controller().is_some_and(|owner| {
                owner.kind == "ReplicaSet"
                    && store
                        .replica_sets
                        .get(&owner.name)
                        .is_some_and(|rs| !uid.is_empty() && rs.metadata.controller().is_some_and(|o| o.uid == uid))
            })
    })
}

fn exists(session: &Session, object: &str) -> bool {
    let store = &session.cluster.store();
    let Some((kind, name)) = object.split_once('/') else { return false };
    match kind {
        "pod" => store.pods.get(name).is_some_and(|p| !p.metadata.is_terminating()),
        "pvc" => store.claims.get(name).is_some_and(|c| !c.metadata.is_terminating()),
        "sts" => store.stateful_sets.get(name).is_some(),
        "deploy" => store.deployments.get(name).is_some(),
        "svc" => store.services.get(name).is_some(),
        _ => false,
    }
}

/// Performs a step's solution, as a learner would: each action recorded in the session.
pub fn perform(lesson: &Lesson, session: &mut Session, editor: &mut String, item: &Do) -> Result<(), String> {
    match item {
        Do::Apply(manifest) => {
            *editor = lesson.manifest_to_apply(manifest).to_string();
            session.apply(editor).map(drop).map_err(|e| e.message)
        }
        Do::Edit(edits) => {
            *editor = edited(editor, edits)?;
            session.apply(editor).map(drop).map_err(|e| e.message)
        }
        Do::Run(line) => {
            session.run(line, editor);
            Ok(())
        }
        Do::Requests { service, count } => {
            session.perform(Action::Requests { target: service.clone(), count: *count });
            Ok(())
        }
        Do::DeletePod(name) => {
            session.perform(Action::DeletePod(name.clone()));
            Ok(())
        }
        Do::Wait(seconds) => {
            session.advance(seconds * SECOND);
            Ok(())
        }
        Do::File { path, text } => {
            session.perform(Action::File { path: path.clone(), text: text.clone() });
            Ok(())
        }
    }
}

/// The editor text with each `[find, replace]` applied once, or which text was not found.
pub fn edited(text: &str, edits: &[(String, String)]) -> Result<String, String> {
    let mut text = text.to_string();
    for (find, replace) in edits {
        if !text.contains(find.as_str()) {
            return Err(format!("the editor has no `{}` to change", find.trim()));
        }
        text = text.replacen(find.as_str(), replace, 1);
    }
    Ok(text)
}
