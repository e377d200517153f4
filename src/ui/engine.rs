//! The page's handle on the simulation: the engine's state in signals, the
//! virtual clock's ticker, and the actions the panels send. No cluster logic here:
//! every decision is the core's.

use std::time::Duration;

use leptos::prelude::*;

use super::terminal::{output_lines, push_lines, TermLine};
use crate::core::cluster::{Client, Cluster};
use crate::core::terminal::Terminal;
use crate::core::view::{view, ClusterView};

/// Wall-clock milliseconds between clock ticks.
const TICK_MS: u64 = 100;
/// The seed of a fresh cluster: the same page load always tells the same story.
const SEED: u64 = 1;

/// What `kubectl apply` answered last, for the line beside the Apply button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplyOutcome {
    Applied(String),
    /// The kubectl error and, when known, `line:column` in the editor.
    Refused { message: String, at: Option<(usize, usize)> },
}

/// Shared by every panel through context. All fields are Copy signals.
#[derive(Clone, Copy)]
pub struct Engine {
    pub cluster: RwSignal<Cluster>,
    pub snapshot: Memo<ClusterView>,
    pub playing: RwSignal<bool>,
    /// Virtual milliseconds per wall second (1000 = real time).
    pub speed: RwSignal<u64>,
    pub last_apply: RwSignal<Option<ApplyOutcome>>,
    /// The terminal's state (shell variables, pod shell, watch) and what it printed.
    pub terminal: StoredValue<Terminal>,
    pub scrollback: RwSignal<Vec<TermLine>>,
    pub prompt: RwSignal<String>,
}

impl Engine {
    pub fn new() -> Self {
        let cluster = RwSignal::new(Cluster::new(SEED));
        let snapshot = Memo::new(move |_| cluster.with(view));
        let engine = Engine {
            cluster,
            snapshot,
            playing: RwSignal::new(true),
            speed: RwSignal::new(1000),
            last_apply: RwSignal::new(None),
            terminal: StoredValue::new(Terminal::new()),
            scrollback: RwSignal::new(vec![TermLine {
                text: "Type kubectl and shell commands here, e.g. kubectl get po,sts,svc,pvc — `help` lists what works. The editor text is manifest.yaml.".into(),
                class: "hint",
            }]),
            prompt: RwSignal::new("$ ".into()),
        };
        engine.start_clock();
        engine
    }

    fn start_clock(self) {
        set_interval(
            move || {
                if self.playing.get_untracked() {
                    let step = TICK_MS * self.speed.get_untracked() / 1000;
                    self.cluster.update(|c| c.advance(step));
                    // A running `kubectl get -w` prints what changed.
                    let printed = self.cluster.with_untracked(|c| self.terminal.try_update_value(|t| t.poll_watch(c))).unwrap_or_default();
                    if !printed.is_empty() {
                        self.scrollback.update(|lines| push_lines(lines, &printed, "out"));
                    }
                }
            },
            Duration::from_millis(TICK_MS),
        );
    }

    /// `kubectl apply -f` of the editor text.
    pub fn apply(self, text: &str) {
        let mut outcome = None;
        self.cluster.update(|c| {
            outcome = Some(match c.apply_text(text) {
                Ok(lines) => ApplyOutcome::Applied(lines.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")),
                Err(error) => ApplyOutcome::Refused { message: error.message, at: error.position.map(|p| (p.line, p.column)) },
            });
        });
        self.last_apply.set(outcome);
    }

    /// Sends `count` requests to a Service's name, as `curl http://NAME:PORT/` would.
    pub fn send_requests(self, service: &str, count: usize) {
        let port = self.cluster.with_untracked(|c| c.store.services.get(service).and_then(|s| s.spec.ports.first()).map(|p| p.port));
        let Some(port) = port else { return };
        self.cluster.update(|c| {
            for _ in 0..count {
                let _ = c.http_get(service, port, "/", &Client::Host);
            }
        });
    }

    pub fn delete_pod(self, name: &str) {
        self.cluster.update(|c| {
            c.delete_pod(name, None);
        });
    }

    /// Runs one terminal line against the cluster and prints it with its output.
    pub fn run_command(self, line: &str, manifest: &str) {
        let prompt = self.prompt.get_untracked();
        self.scrollback.update(|lines| push_lines(lines, &format!("{prompt}{line}"), "cmd"));
        let mut output = None;
        self.cluster.update(|c| {
            output = self.terminal.try_update_value(|t| {
                t.put_host_file("manifest.yaml", manifest.to_string());
                t.run(c, line)
            });
        });
        let Some(output) = output else { return };
        if output.clear {
            self.scrollback.set(Vec::new());
        }
        self.scrollback.update(|lines| output_lines(lines, &output.chunks));
        self.prompt.set(self.terminal.with_value(|t| t.prompt()));
    }

    /// Ctrl-C: ends a watch, or abandons the typed line.
    pub fn interrupt(self, typed: &str) {
        let prompt = self.prompt.get_untracked();
        let stopped = self.terminal.try_update_value(|t| t.interrupt()).unwrap_or(false);
        if !stopped {
            self.scrollback.update(|lines| push_lines(lines, &format!("{prompt}{typed}^C"), "cmd"));
        } else {
            self.scrollback.update(|lines| push_lines(lines, "^C", "cmd"));
        }
    }

    /// Starts over with an empty cluster.
    pub fn reset(self) {
        self.cluster.set(Cluster::new(SEED));
        self.last_apply.set(None);
        self.terminal.set_value(Terminal::new());
        self.prompt.set("$ ".into());
    }
}
