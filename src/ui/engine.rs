//! The page's handle on the simulation: the engine's state in signals, the
//! virtual clock's ticker, and the actions the panels send. No cluster logic here:
//! every decision is the core's.

use std::time::Duration;

use leptos::prelude::*;

use crate::core::cluster::{Client, Cluster};
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
    /// Virtual seconds per wall second.
    pub speed: RwSignal<f64>,
    pub last_apply: RwSignal<Option<ApplyOutcome>>,
}

impl Engine {
    pub fn new() -> Self {
        let cluster = RwSignal::new(Cluster::new(SEED));
        let snapshot = Memo::new(move |_| cluster.with(view));
        let engine = Engine { cluster, snapshot, playing: RwSignal::new(true), speed: RwSignal::new(1.0), last_apply: RwSignal::new(None) };
        engine.start_clock();
        engine
    }

    fn start_clock(self) {
        set_interval(
            move || {
                if self.playing.get_untracked() {
                    let step = (TICK_MS as f64 * self.speed.get_untracked()).round() as u64;
                    self.cluster.update(|c| c.advance(step));
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

    /// Starts over with an empty cluster.
    pub fn reset(self) {
        self.cluster.set(Cluster::new(SEED));
        self.last_apply.set(None);
    }
}
