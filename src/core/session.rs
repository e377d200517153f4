//! A session: the seed and every action the learner took, each at its virtual
//! time. Because the cluster is deterministic, the log *is* the state: replaying
//! it rebuilds any earlier moment (the time scrubber), a share URL carries it,
//! the lessons check it, and it exports as a shell script for a real cluster.
//! Checkpoints (clones taken as the clock runs) make scrubbing fast.

use crate::core::apiserver::ApiError;
use crate::core::cluster::{ApplyLine, Client, Cluster};
use crate::core::terminal::{Output, Terminal};
use crate::core::time::{Millis, SECOND};

/// One thing the learner did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The editor text changed (it is `manifest.yaml` to the terminal).
    Manifest(String),
    /// Apply (the button or Ctrl+Enter): `kubectl apply -f manifest.yaml`.
    Apply,
    /// A terminal line.
    Run(String),
    /// Ctrl-C in the terminal.
    Interrupt,
    /// `count` requests to a Service from outside the cluster.
    Requests { service: String, count: u32 },
    /// The pod card's delete button: `kubectl delete pod NAME`.
    DeletePod(String),
}

/// An action and when it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub at: Millis,
    pub action: Action,
}

/// A terminal line the learner ran and what it printed (the lessons read these).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transcript {
    pub at: Millis,
    pub line: String,
    pub output: String,
    pub status_ok: bool,
}

/// What an action answered, for the panel that sent it.
pub enum Answer {
    Applied(Result<Vec<ApplyLine>, ApiError>),
    Printed(Output),
    /// Ctrl-C: whether a watch was running.
    Interrupted(bool),
    Done,
}

/// Longest stretch of virtual time between two checkpoints.
const CHECKPOINT_EVERY: Millis = 10 * SECOND;
/// Terminal lines kept for the lessons' checks.
const TRANSCRIPT_KEEP: usize = 200;

#[derive(Clone)]
struct Checkpoint {
    /// How many log entries had been performed.
    performed: usize,
    cluster: Cluster,
    terminal: Terminal,
    manifest: String,
}

/// The live state and the log that produced it.
#[derive(Clone)]
pub struct Session {
    pub seed: u64,
    pub log: Vec<Recorded>,
    pub cluster: Cluster,
    pub terminal: Terminal,
    /// The editor text as the terminal last saw it.
    pub manifest: String,
    pub transcript: Vec<Transcript>,
    checkpoints: Vec<Checkpoint>,
}

impl Session {
    pub fn new(seed: u64) -> Self {
        let mut session =
            Session { seed, log: Vec::new(), cluster: Cluster::new(seed), terminal: Terminal::new(), manifest: String::new(), transcript: Vec::new(), checkpoints: Vec::new() };
        session.checkpoint();
        session
    }

    /// The virtual time now.
    pub fn now(&self) -> Millis {
        self.cluster.now
    }

    /// Records `action` at the current time and performs it.
    pub fn perform(&mut self, action: Action) -> Answer {
        if matches!(&action, Action::Manifest(text) if *text == self.manifest) {
            return Answer::Done;
        }
        self.log.push(Recorded { at: self.cluster.now, action: action.clone() });
        self.execute(&action)
    }

    /// Sets the editor text (recorded only when it changed) and applies it.
    pub fn apply(&mut self, manifest: &str) -> Result<Vec<ApplyLine>, ApiError> {
        self.perform(Action::Manifest(manifest.to_string()));
        match self.perform(Action::Apply) {
            Answer::Applied(result) => result,
            _ => Ok(Vec::new()),
        }
    }

    /// Runs a terminal line with the given editor text as `manifest.yaml`.
    pub fn run(&mut self, line: &str, manifest: &str) -> Output {
        self.perform(Action::Manifest(manifest.to_string()));
        match self.perform(Action::Run(line.to_string())) {
            Answer::Printed(output) => output,
            _ => Output::default(),
        }
    }

    fn execute(&mut self, action: &Action) -> Answer {
        match action {
            Action::Manifest(text) => {
                self.manifest = text.clone();
                self.terminal.put_host_file("manifest.yaml", text.clone());
                Answer::Done
            }
            Action::Apply => Answer::Applied(self.cluster.apply_text(&self.manifest)),
            Action::Run(line) => {
                let at = self.cluster.now;
                let output = self.terminal.run(&mut self.cluster, line);
                if self.transcript.len() == TRANSCRIPT_KEEP {
                    self.transcript.remove(0);
                }
                self.transcript.push(Transcript { at, line: line.clone(), output: output.text(), status_ok: self.terminal.last_status() == 0 });
                Answer::Printed(output)
            }
            Action::Interrupt => Answer::Interrupted(self.terminal.interrupt()),
            Action::Requests { service, count } => {
                let port = self.cluster.store.services.get(service).and_then(|s| s.spec.ports.first()).map(|p| p.port);
                if let Some(port) = port {
                    for _ in 0..*count {
                        let _ = self.cluster.http_get(service, port, "/", &Client::Host);
                    }
                }
                Answer::Done
            }
            Action::DeletePod(name) => {
                self.cluster.delete_pod(name, None);
                Answer::Done
            }
        }
    }

    /// Lets the clock run for `ms` virtual milliseconds.
    pub fn advance(&mut self, ms: Millis) {
        self.run_until(self.cluster.now + ms);
    }

    /// Lets the clock run to `until`, taking checkpoints on the way.
    pub fn run_until(&mut self, until: Millis) {
        while self.cluster.now < until {
            let next_checkpoint = self.last_checkpoint_time() + CHECKPOINT_EVERY;
            self.cluster.run_until(until.min(next_checkpoint));
            if self.cluster.now >= next_checkpoint {
                self.checkpoint();
            }
        }
    }

    fn last_checkpoint_time(&self) -> Millis {
        self.checkpoints.last().map_or(0, |c| c.cluster.now)
    }

    fn checkpoint(&mut self) {
        self.checkpoints.push(Checkpoint { performed: self.log.len(), cluster: self.cluster.clone(), terminal: self.terminal.clone(), manifest: self.manifest.clone() });
    }

    /// The session as it was at `time` (with the actions up to and including
    /// that instant): replayed from the nearest earlier checkpoint.
    pub fn at(&self, time: Millis) -> Session {
        let start = self.checkpoints.iter().rposition(|c| c.cluster.now <= time && self.log[..c.performed].iter().all(|r| r.at <= time)).unwrap_or(0);
        let checkpoint = &self.checkpoints[start];
        let mut past = Session {
            seed: self.seed,
            log: self.log[..checkpoint.performed].to_vec(),
            cluster: checkpoint.cluster.clone(),
            terminal: checkpoint.terminal.clone(),
            manifest: checkpoint.manifest.clone(),
            transcript: Vec::new(),
            checkpoints: self.checkpoints[..=start].to_vec(),
        };
        for recorded in self.log[checkpoint.performed..].iter().take_while(|r| r.at <= time) {
            past.run_until(recorded.at);
            past.log.push(recorded.clone());
            past.execute(&recorded.action);
        }
        past.run_until(time);
        past.transcript = self.transcript.iter().filter(|t| t.at <= time).cloned().collect();
        past
    }

    /// Replays a whole log from a fresh cluster and runs the clock to `until`.
    pub fn replay(seed: u64, log: &[Recorded], until: Millis) -> Session {
        let mut session = Session::new(seed);
        for recorded in log {
            session.run_until(recorded.at);
            session.log.push(recorded.clone());
            session.execute(&recorded.action);
        }
        session.run_until(until);
        session
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::samples::DEFAULT_MANIFEST;

    #[test]
    fn the_past_is_rebuilt_exactly() {
        let mut live = Session::new(7);
        live.apply(DEFAULT_MANIFEST).unwrap();
        live.advance(25 * SECOND);
        live.perform(Action::Requests { service: "visits".into(), count: 5 });
        live.advance(3 * SECOND);
        live.perform(Action::DeletePod("web-1".into()));
        live.advance(40 * SECOND);
        let then = 26 * SECOND + 500;
        let mut past = live.at(then);
        assert_eq!(past.now(), then);
        assert_eq!(past.log.len(), 3, "manifest, apply and the requests, not the later delete");
        // Continuing from the past with the same actions reaches the same present.
        past.run_until(28 * SECOND);
        past.perform(Action::DeletePod("web-1".into()));
        past.run_until(live.now());
        assert_eq!(crate::core::view::view(&past.cluster), crate::core::view::view(&live.cluster));
    }

    #[test]
    fn a_replay_matches_a_page_that_ticked_every_100_ms() {
        let mut live = Session::new(3);
        live.apply(DEFAULT_MANIFEST).unwrap();
        for tick in 0..600 {
            live.advance(100);
            match tick {
                250 => drop(live.perform(Action::Requests { service: "visits".into(), count: 9 })),
                300 => drop(live.run("kubectl set image sts/web visits=ghcr.io/example/visits:2.0", "")),
                420 => drop(live.perform(Action::DeletePod("web-0".into()))),
                _ => {}
            }
        }
        let replayed = Session::replay(3, &live.log, live.now());
        assert_eq!(crate::core::view::view(&replayed.cluster), crate::core::view::view(&live.cluster));
        assert_eq!(replayed.transcript, live.transcript);
    }
}
