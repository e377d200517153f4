//! The page's state, in a few focused groups of signals (each `Copy`, each also
//! provided as a context of its own), and the small data model the panels share:
//! which dock tab is open, the terminal's scrollback lines, what Apply answered,
//! the open lesson. Panels read and write these; the actions that involve the
//! session live on `engine::Engine`, which holds one of each group.

use leptos::prelude::*;

use crate::session::lessons::{Lesson, Progress};
use crate::session::view::ClusterView;
use crate::session::{ApiError, Checkpoints, Millis, Session, Stream};

/// What `kubectl apply` answered last, for the line beside the Apply button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplyOutcome {
    Applied(String),
    /// The kubectl error and, when known, where it points in the editor.
    Refused(ApiError),
}

/// How a lesson fetched from `lessons/` joins the page.
pub enum LessonStart {
    /// From its start: a fresh cluster and the lesson's manifest.
    Fresh,
    /// On a shared session (teacher mode): checked from the shared moment on.
    Shared,
    /// Where the learner was before a reload.
    Resume(Progress),
}

/// The open lesson and how far the learner got.
#[derive(Clone)]
pub struct OpenLesson {
    pub lesson: Lesson,
    pub progress: Progress,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tab {
    Terminal,
    Events,
    Inspector,
}

impl Tab {
    pub const ALL: [Tab; 3] = [Tab::Terminal, Tab::Events, Tab::Inspector];

    pub fn label(self) -> &'static str {
        match self {
            Tab::Terminal => "Terminal",
            Tab::Events => "Events",
            Tab::Inspector => "Inspector",
        }
    }

    /// What the tab shows before the cluster has anything to say.
    pub fn empty_text(self) -> &'static str {
        match self {
            Tab::Terminal => "kubectl and a small shell run here: kubectl get po,sts,svc,pvc, kubectl exec web-0 -- cat /data/visits, nslookup web-0.visits …",
            Tab::Events => "Controller and kubelet events (SuccessfulCreate, Pulled, Started …) appear here as the cluster runs.",
            Tab::Inspector => "Choose an object above (or press Inspect on a pod card) to see it as kubectl get -o yaml prints it, live.",
        }
    }
}

/// Lines kept in the scrollback; older ones are dropped.
const SCROLLBACK: usize = 1000;

/// One line of the scrollback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermLine {
    /// Counts up through the session's lines: the key the page draws the line by.
    pub id: u64,
    pub text: String,
    pub class: &'static str,
    /// The virtual time it was printed: the scrubber shows only the lines of its moment.
    pub at: Millis,
}

/// Appends text as lines of one style, keeping the scrollback bounded.
pub fn push_lines(lines: &mut Vec<TermLine>, at: Millis, text: &str, class: &'static str) {
    for line in text.strip_suffix('\n').unwrap_or(text).split('\n') {
        let id = lines.last().map_or(0, |last| last.id + 1);
        lines.push(TermLine { id, text: line.to_string(), class, at });
    }
    if lines.len() > SCROLLBACK {
        let excess = lines.len() - SCROLLBACK;
        lines.drain(..excess);
    }
}

/// Converts what a command printed into scrollback lines.
pub fn output_lines(lines: &mut Vec<TermLine>, at: Millis, chunks: &[(Stream, String)]) {
    for (stream, text) in chunks {
        push_lines(lines, at, text, if *stream == Stream::Err { "err" } else { "out" });
    }
}

/// The simulation: the live session, the past the scrubber shows, and the clock.
#[derive(Clone, Copy)]
pub struct Simulation {
    /// The live session: cluster, terminal and the log of what the learner did.
    pub session: RwSignal<Session>,
    /// The session replayed to an earlier moment while the scrubber is moved
    /// back (the live session is kept until "Continue from here").
    pub past: RwSignal<Option<Session>>,
    /// Copies of the live session the scrubber replays from (see `Checkpoints`).
    pub checkpoints: StoredValue<Checkpoints>,
    /// What the page draws: the past if the scrubber shows one, else the live cluster.
    pub snapshot: Memo<ClusterView>,
    pub playing: RwSignal<bool>,
    /// Virtual milliseconds per wall second (1000 = real time).
    pub speed: RwSignal<u64>,
}

/// The manifest editor.
#[derive(Clone, Copy)]
pub struct EditorState {
    /// The editor text (the YAML is the source of truth).
    pub manifest: RwSignal<String>,
    pub last_apply: RwSignal<Option<ApplyOutcome>>,
    /// An editor place (1-based line, column) to bring into view and tint:
    /// a clicked diagnostic or event. Typing clears it.
    pub focus_line: RwSignal<Option<(usize, usize)>>,
    /// The learner's file open in place of the manifest (helm.html: a chart's
    /// template), and its text as edited; written to the session by
    /// `Engine::flush_file` before anything reads it.
    pub open_file: RwSignal<Option<String>>,
    pub file_text: RwSignal<String>,
    /// Edited since it was opened or last written: only then is it written (a file
    /// the terminal removed is not brought back).
    pub file_edited: RwSignal<bool>,
}

/// The terminal's screen.
#[derive(Clone, Copy)]
pub struct TerminalState {
    pub scrollback: RwSignal<Vec<TermLine>>,
    pub prompt: RwSignal<String>,
    /// The line being typed (lessons can prefill it).
    pub input: RwSignal<String>,
}

/// What the page shows around the cluster.
#[derive(Clone, Copy)]
pub struct PageState {
    pub lesson: RwSignal<Option<OpenLesson>>,
    /// A page-level message (a broken share link, a refused prefill).
    pub notice: RwSignal<Option<String>>,
    /// The object the Inspector shows (`pod/web-0`).
    pub selected: RwSignal<Option<String>>,
    /// The dock's open tab (pod actions bring the terminal or the Inspector forward).
    pub tab: RwSignal<Tab>,
    /// Presentation mode: large type, high contrast, less chrome.
    pub presenting: RwSignal<bool>,
    /// Where the traffic controls send requests: a Service or `pod/NAME`
    /// (None: the first Service that has a port).
    pub request_target: RwSignal<Option<String>>,
}
