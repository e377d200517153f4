//! The page's handle on the simulation: the core's Session in signals, the
//! virtual clock's ticker, the time scrubber's view of the past, and the actions
//! the panels send. No cluster logic here: every decision is the core's.

use std::time::Duration;

use leptos::prelude::*;

use super::state::*;
use super::storage;
use crate::session::edit::{edit_statefulset, SpecChange};
use crate::session::lessons::{self, Lesson, Progress};
use crate::session::view::{clock_text, view};
use crate::session::ApiError;
use crate::session::Millis;
use crate::session::{Action, Answer, Checkpoints, Session};

/// Wall-clock milliseconds between clock ticks.
const TICK_MS: u64 = 100;
/// The seed of a fresh cluster: the same page load always tells the same story.
pub const SEED: u64 = 1;
/// localStorage key of the session log, so a reload comes back to the same cluster.
const SESSION_KEY: &str = "sts-playground.session";
/// localStorage key of the open lesson and its progress (`id started done…`),
/// so a reload resumes the lesson with the session.
const LESSON_KEY: &str = "sts-playground.lesson";
/// localStorage key of a `helm` line typed on the page without Helm: helm.html runs it.
const PENDING_LINE_KEY: &str = "sts-playground.pending-line";
/// The same app with `helm` in its terminal (a second build, ~74 KiB more gzip).
const HELM_PAGE: &str = "helm.html";
/// Ticks between autosaves of the session while the clock runs.
const AUTOSAVE_TICKS: u32 = 30;

/// The page's state and the actions that involve the session. Every panel gets it
/// through context; each group is also a context of its own.
#[derive(Clone, Copy)]
pub struct Engine {
    pub sim: Simulation,
    pub editor: EditorState,
    pub terminal: TerminalState,
    pub page: PageState,
}

impl Engine {
    pub fn new(manifest: RwSignal<String>, session: Session) -> Self {
        let session = RwSignal::new(session);
        let past = RwSignal::new(None::<Session>);
        let snapshot = Memo::new(move |_| {
            past.with(|p| match p {
                Some(p) => view(&p.cluster),
                None => session.with(|s| view(&s.cluster)),
            })
        });
        let engine = Engine {
            sim: Simulation {
                session,
                past,
                checkpoints: StoredValue::new(Checkpoints::default()),
                snapshot,
                playing: RwSignal::new(true),
                speed: RwSignal::new(1000),
            },
            editor: EditorState {
                manifest,
                last_apply: RwSignal::new(None),
                focus_line: RwSignal::new(None),
                open_file: RwSignal::new(None),
                file_text: RwSignal::new(String::new()),
                file_edited: RwSignal::new(false),
            },
            terminal: TerminalState {
                scrollback: RwSignal::new(vec![TermLine {
                    id: 0,
                    text: "Type kubectl and shell commands here, e.g. kubectl get po,sts,svc,pvc — `help` lists what works. The editor text is manifest.yaml.".into(),
                    class: "hint",
                    at: 0,
                }]),
                prompt: RwSignal::new("$ ".into()),
                input: RwSignal::new(String::new()),
            },
            page: PageState {
                lesson: RwSignal::new(None),
                notice: RwSignal::new(None),
                selected: RwSignal::new(None),
                tab: RwSignal::new(Tab::Terminal),
                presenting: RwSignal::new(false),
                request_target: RwSignal::new(None),
            },
        };
        engine.terminal.prompt.set(engine.sim.session.with_untracked(|s| s.terminal.prompt()));
        engine.start_clock();
        engine
    }

    /// The session saved by the last visit, if any and if it still replays.
    pub fn restore_saved() -> Option<Session> {
        storage::load(SESSION_KEY).and_then(|text| Session::from_text(&text).ok())
    }

    fn start_clock(self) {
        let ticks = std::cell::Cell::new(0u32);
        set_interval(
            move || {
                if !self.sim.playing.get_untracked() || self.sim.past.with_untracked(Option::is_some) {
                    return;
                }
                let step = TICK_MS * self.sim.speed.get_untracked() / 1000;
                let mut printed = String::new();
                self.sim.session.update(|s| {
                    s.advance(step);
                    // A running `kubectl get -w` prints what changed.
                    printed = s.terminal.poll_watch(&s.cluster);
                    self.sim.checkpoints.update_value(|c| c.offer(s));
                });
                if !printed.is_empty() {
                    self.print(&printed, "out");
                }
                self.check_lesson();
                ticks.set(ticks.get() + 1);
                if ticks.get() % AUTOSAVE_TICKS == 0 {
                    self.save();
                }
            },
            Duration::from_millis(TICK_MS),
        );
    }

    /// Saves the session log for the next visit.
    pub fn save(self) {
        // Not while the scrubber shows the past: writing would continue from there
        // and drop what came after (the edit waits for the next terminal line).
        if crate::session::HELM && self.sim.past.with_untracked(Option::is_none) {
            self.flush_file();
        }
        self.sim.session.with_untracked(|s| storage::save(SESSION_KEY, &s.to_text()));
    }

    /// Appends text to the terminal's scrollback, stamped with the cluster's time.
    pub fn print(self, text: &str, class: &'static str) {
        let at = self.sim.session.with_untracked(Session::now);
        self.terminal.scrollback.update(|lines| push_lines(lines, at, text, class));
    }

    /// Records and performs an action on the session, checks the lesson and
    /// saves. Acting while the scrubber shows the past continues from that
    /// moment (the later actions go). None only if the page is being torn down.
    fn perform<T>(self, act: impl FnOnce(&mut Session) -> T) -> Option<T> {
        self.continue_from_here();
        let result = self.sim.session.try_update(act);
        self.check_lesson();
        self.save();
        result
    }

    /// `kubectl apply -f` of the editor text.
    pub fn apply(self) {
        let text = self.editor.manifest.get_untracked();
        let outcome = self.perform(|s| match s.apply(&text) {
            Ok(lines) => ApplyOutcome::Applied(lines.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")),
            Err(error) => ApplyOutcome::Refused(error),
        });
        self.editor.last_apply.set(outcome);
    }

    /// Sends `count` requests to a Service's name (as `curl http://NAME:PORT/`
    /// would) or to `pod/NAME`.
    pub fn send_requests(self, target: &str, count: u32) {
        self.perform(|s| s.perform(Action::Requests { target: target.to_string(), count }));
    }

    /// Starts (or, with 0, stops) steady traffic to a target.
    pub fn set_traffic(self, target: &str, per_second: u32) {
        self.perform(|s| s.perform(Action::Traffic { target: target.to_string(), per_second }));
    }

    /// The laptop's operating system, chosen above the terminal.
    pub fn set_host(self, host: crate::session::HostOs) {
        self.perform(|s| s.perform(Action::Host(host)));
    }

    pub fn delete_pod(self, name: &str) {
        self.perform(|s| s.perform(Action::DeletePod(name.to_string())));
    }

    /// Runs one terminal line against the cluster and prints it with its output.
    pub fn run_command(self, line: &str) {
        if !crate::session::HELM && crate::session::runs_helm(line) {
            storage::save(PENDING_LINE_KEY, line);
            return self.open_helm_page();
        }
        if crate::session::HELM {
            self.flush_file();
        }
        let prompt = self.terminal.prompt.get_untracked();
        self.print(&format!("{prompt}{line}"), "cmd");
        let manifest = self.editor.manifest.get_untracked();
        let output = self.perform(|s| s.run(line, &manifest)).unwrap_or_default();
        if output.clear {
            self.terminal.scrollback.set(Vec::new());
        }
        let at = self.sim.session.with_untracked(Session::now);
        self.terminal.scrollback.update(|lines| output_lines(lines, at, &output.chunks));
        self.terminal.prompt.set(self.sim.session.with_untracked(|s| s.terminal.prompt()));
    }

    /// Opens helm.html, the page whose terminal has Helm, on this session (saved
    /// first) and lesson; it carries on from the same moment.
    pub fn open_helm_page(self) {
        self.print("Loading Helm…", "hint");
        self.save();
        // The address's fragment goes along: a lesson, or a share link still to open.
        storage::go_to(&format!("{HELM_PAGE}#{}", storage::location_hash()));
    }

    /// On helm.html: runs the `helm` line the page without Helm was given.
    pub fn run_pending_line(self) {
        if let Some(line) = storage::load(PENDING_LINE_KEY) {
            storage::remove(PENDING_LINE_KEY);
            self.run_command(&line);
        }
    }

    /// Writes the open file's edits to the session (recorded when they differ
    /// from the file there), so the terminal reads what the editor shows.
    pub fn flush_file(self) {
        let Some(path) = self.editor.open_file.get_untracked() else { return };
        if !self.editor.file_edited.get_untracked() {
            return;
        }
        self.editor.file_edited.set(false);
        let text = self.editor.file_text.get_untracked();
        self.continue_from_here();
        self.sim.session.update(|s| {
            s.perform(Action::File { path, text: Some(text) });
        });
    }

    /// Opens one of the learner's files in the editor (`None`: the manifest).
    pub fn open_file(self, path: Option<String>) {
        self.flush_file();
        let text = path.as_ref().and_then(|p| self.sim.session.with_untracked(|s| s.terminal.host_file(p)));
        self.editor.file_text.set(text.unwrap_or_default());
        self.editor.file_edited.set(false);
        self.editor.open_file.set(path);
    }

    /// Writes a file (a new one, or under a new name) or removes it (`None`).
    #[cfg(feature = "helm")]
    pub fn write_file(self, path: &str, text: Option<String>) {
        self.perform(|s| s.perform(Action::File { path: path.to_string(), text }));
    }

    /// A spec button: edits the StatefulSet in the editor text and applies
    /// it, so the text and the cluster never disagree.
    pub fn change_spec(self, set: &str, change: SpecChange) {
        let before = self.editor.manifest.get_untracked();
        match edit_statefulset(&before, set, &change) {
            Ok(text) => {
                self.editor.manifest.set(text);
                self.apply();
                // Refused (an immutable field): the text goes back to what it
                // was, the API server's answer stays shown beside Apply.
                if self.editor.last_apply.with_untracked(|outcome| matches!(outcome, Some(ApplyOutcome::Refused(_)))) {
                    self.editor.manifest.set(before);
                }
            }
            Err(message) => self.editor.last_apply.set(Some(ApplyOutcome::Refused(ApiError {
                message: format!("Not applied: {message}."),
                position: None,
            }))),
        }
    }

    /// Jumps the clock to the next thing due to happen (a step for a class demo).
    pub fn step(self) {
        self.continue_from_here();
        self.sim.session.update(|s| {
            if let Some(next) = s.cluster.next_event_time() {
                s.run_until(next);
            }
        });
        self.check_lesson();
    }

    /// Shows the cluster as it was at `time` (the scrubber): replayed
    /// deterministically from the nearest checkpoint before it; the live session is kept.
    pub fn view_at(self, time: Millis) {
        if time >= self.sim.session.with_untracked(Session::now) {
            self.sim.past.set(None);
        } else {
            let past = self.sim.checkpoints.with_value(|c| self.sim.session.with_untracked(|s| s.at(time, c)));
            self.sim.past.set(Some(past));
        }
    }

    /// Makes the moment the scrubber shows the present, discarding what came after.
    pub fn continue_from_here(self) {
        if let Some(past) = self.sim.past.try_update(Option::take).flatten() {
            let now = past.now();
            let live = self.sim.session.with_untracked(Session::now);
            self.sim.checkpoints.update_value(|c| c.forget_after(now));
            self.terminal.scrollback.update(|lines| lines.retain(|line| line.at <= now));
            self.terminal.prompt.set(past.terminal.prompt());
            self.sim.session.set(past);
            self.save();
            // Said out loud: acting on the past (a command, a button) rewrote the future.
            if live > now {
                self.print(
                    &format!(
                        "(continued from {}: what had happened after it, up to {}, is discarded)",
                        clock_text(now),
                        clock_text(live)
                    ),
                    "hint",
                );
            }
        }
    }

    /// Reads the session on screen: the past the scrubber shows, else the live one.
    pub fn shown<T>(self, read: impl Fn(&Session) -> T) -> T {
        self.sim
            .past
            .with_untracked(|past| past.as_ref().map(&read))
            .unwrap_or_else(|| self.sim.session.with_untracked(&read))
    }

    /// A pod card's action: the command runs in the terminal, which comes forward.
    pub fn run_in_terminal(self, line: &str) {
        self.page.tab.set(Tab::Terminal);
        self.run_command(line);
    }

    /// Shows an object in the Inspector tab.
    pub fn inspect(self, object: String) {
        self.page.selected.set(Some(object));
        self.page.tab.set(Tab::Inspector);
    }

    /// Ctrl-C: ends a watch, or abandons the typed line.
    pub fn interrupt(self, typed: &str) {
        let prompt = self.terminal.prompt.get_untracked();
        let stopped = matches!(self.perform(|s| s.perform(Action::Interrupt)), Some(Answer::Interrupted(true)));
        let echo = if stopped { "^C".to_string() } else { format!("{prompt}{typed}^C") };
        self.print(&echo, "cmd");
    }

    /// Starts over with an empty cluster (and the lesson, if one is open, from its start).
    pub fn reset(self) {
        self.sim.past.set(None);
        self.sim.checkpoints.set_value(Checkpoints::default());
        // The laptop stays the same: a reset starts the cluster over, not the machine.
        let host = self.sim.session.with_untracked(|s| s.terminal.host);
        if crate::session::HELM {
            // A fresh cluster, and a fresh machine: the learner's files are gone,
            // and an open file's edits are not carried into the new session.
            self.editor.open_file.set(None);
            self.editor.file_edited.set(false);
        }
        self.sim.session.set(Session::new(SEED));
        if host != crate::session::HostOs::default() {
            self.set_host(host);
        }
        self.editor.last_apply.set(None);
        self.terminal.prompt.set("$ ".into());
        self.page.lesson.update(|open| {
            if let Some(open) = open {
                open.progress = self.sim.session.with_untracked(Progress::start);
            }
        });
        self.save();
        self.save_lesson();
    }

    /// Replaces the session (a share link, or the last visit's). A shared
    /// session also brings its editor text.
    pub fn load(self, session: Session, with_manifest: bool) {
        self.sim.past.set(None);
        self.sim.checkpoints.set_value(Checkpoints::default());
        self.terminal.prompt.set(session.terminal.prompt());
        let manifest = session.log.iter().rev().find_map(|r| match &r.action {
            Action::Manifest(text) => Some(text.clone()),
            _ => None,
        });
        if let (true, Some(manifest)) = (with_manifest, manifest) {
            self.editor.manifest.set(manifest);
        }
        self.sim.session.set(session);
        self.save();
    }

    /// Fetches a lesson's file (the page ships only the index) and opens it.
    pub fn fetch_lesson(self, id: String, start: LessonStart) {
        let Some(file) = lessons::file_of(&id) else {
            self.page
                .notice
                .set(Some(format!("There is no lesson called \"{id}\"; the lessons are listed under Lessons.")));
            return;
        };
        leptos::task::spawn_local(async move {
            match storage::fetch_text(&format!("lessons/{file}")).await.and_then(|text| lessons::parse_as(&id, &text)) {
                Ok(lesson) => match start {
                    LessonStart::Fresh => self.open_lesson(lesson),
                    LessonStart::Shared => self.show_lesson(lesson, self.sim.session.with_untracked(Progress::start)),
                    LessonStart::Resume(progress) => self.show_lesson(lesson, progress),
                },
                Err(message) => {
                    self.page.notice.set(Some(format!("The lesson \"{id}\" could not be loaded ({message}).")))
                }
            }
        });
    }

    /// The lesson a reload should resume, with its progress, if it was open.
    pub fn saved_lesson() -> Option<(String, Progress)> {
        let record = storage::load(LESSON_KEY)?;
        let (id, progress) = record.split_once(' ')?;
        Some((id.to_string(), Progress::from_text(progress)?))
    }

    /// Opens a lesson from its start: a fresh cluster and its starting manifest.
    pub fn open_lesson(self, lesson: Lesson) {
        self.reset();
        self.editor.manifest.set(lesson.start_manifest().to_string());
        self.show_lesson(lesson, self.sim.session.with_untracked(Progress::start));
    }

    fn show_lesson(self, lesson: Lesson, progress: Progress) {
        self.page.lesson.set(Some(OpenLesson { lesson, progress }));
        self.save_lesson();
    }

    pub fn close_lesson(self) {
        self.page.lesson.set(None);
        self.save_lesson();
    }

    fn save_lesson(self) {
        let record = self
            .page
            .lesson
            .with_untracked(|o| o.as_ref().map(|o| format!("{} {}", o.lesson.id, o.progress.to_text())));
        storage::save(LESSON_KEY, &record.unwrap_or_default());
    }

    /// Re-evaluates the open lesson's current step against the live session.
    fn check_lesson(self) {
        let changed = self.page.lesson.with_untracked(|open| {
            open.as_ref().map(|open| {
                let mut progress = open.progress.clone();
                let changed = self.sim.session.with_untracked(|s| progress.update(&open.lesson, s));
                (changed, progress)
            })
        });
        if let Some((true, progress)) = changed {
            self.page.lesson.update(|open| {
                if let Some(open) = open {
                    open.progress = progress;
                }
            });
            self.save_lesson();
        }
    }

    /// Puts a step's first command into the terminal, or its manifest into the
    /// editor: the learner still presses Enter or Apply.
    pub fn prefill(self, item: &lessons::Do) {
        match item {
            lessons::Do::Run(line) => self.terminal.input.set(line.clone()),
            lessons::Do::Apply(text) => {
                if let Some(manifest) = self
                    .page
                    .lesson
                    .with_untracked(|o| o.as_ref().map(|o| o.lesson.manifest_to_apply(text).to_string()))
                {
                    self.editor.manifest.set(manifest);
                }
            }
            lessons::Do::Edit(edits) => match lessons::edited(&self.editor.manifest.get_untracked(), edits) {
                Ok(text) => self.editor.manifest.set(text),
                Err(message) => self.page.notice.set(Some(format!("Could not prefill the editor: {message}."))),
            },
            // The file opens in the editor with the lesson's text, not yet written:
            // the learner reads it, and the next terminal line saves it.
            lessons::Do::File { path, text: Some(text) } if crate::session::HELM => {
                self.open_file(Some(path.clone()));
                self.editor.file_text.set(text.clone());
                self.editor.file_edited.set(true);
            }
            _ => {}
        }
    }
}
