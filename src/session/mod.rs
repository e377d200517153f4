//! A session: the seed and every action the learner took, each at its virtual
//! time. Because the cluster is deterministic, the log *is* the state: replaying
//! it rebuilds any earlier moment (the time scrubber), a share URL carries it,
//! the lessons check it, and it exports as a shell script for a real cluster.

pub mod edit;
pub mod highlight;
pub mod lessons;
pub mod samples;
pub mod view;

// What the page needs from the layers below: the UI depends on the session alone.
pub use crate::cli::{complete::complete, Stream};
pub use crate::core::api::manifest::{parse_manifest, Document};
pub use crate::core::apiserver::ApiError;
pub use crate::core::time::Millis;

use crate::cli::{Output, Terminal};
use crate::core::cluster::{ApplyLine, Client, Cluster};
use crate::core::time::SECOND;

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
    /// `count` requests from outside the cluster to `target`: a Service's
    /// name, or `pod/NAME` for one pod (as through `kubectl port-forward`).
    Requests { target: String, count: u32 },
    /// Steady traffic to `target`, `per_second` requests each virtual second
    /// (0 stops it): the session sends them as the clock runs.
    Traffic { target: String, per_second: u32 },
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

/// Terminal lines kept for the lessons' checks.
const TRANSCRIPT_KEEP: usize = 200;

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
    /// Steady traffic, if on.
    pub traffic: Option<Traffic>,
}

/// Steady traffic: where to, how often, and when the next request goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Traffic {
    pub target: String,
    pub per_second: u32,
    next_at: Millis,
}

/// Most steady requests per second (the page's performance bar is 50).
pub const MAX_TRAFFIC_PER_SECOND: u32 = 50;

impl Session {
    pub fn new(seed: u64) -> Self {
        Session {
            seed,
            log: Vec::new(),
            cluster: crate::cli::new_cluster(seed),
            terminal: Terminal::new(),
            manifest: String::new(),
            transcript: Vec::new(),
            traffic: None,
        }
    }

    /// The virtual time now.
    pub fn now(&self) -> Millis {
        self.cluster.now()
    }

    /// Records `action` at the current time and performs it.
    pub fn perform(&mut self, action: Action) -> Answer {
        if matches!(&action, Action::Manifest(text) if *text == self.manifest) {
            return Answer::Done;
        }
        self.log.push(Recorded { at: self.cluster.now(), action: action.clone() });
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
                let at = self.cluster.now();
                let output = self.terminal.run(&mut self.cluster, line);
                if self.transcript.len() == TRANSCRIPT_KEEP {
                    self.transcript.remove(0);
                }
                self.transcript.push(Transcript {
                    at,
                    line: line.clone(),
                    output: output.text(),
                    status_ok: self.terminal.last_status() == 0,
                });
                Answer::Printed(output)
            }
            Action::Interrupt => Answer::Interrupted(self.terminal.interrupt()),
            Action::Requests { target, count } => {
                for _ in 0..*count {
                    self.send_request(target);
                }
                Answer::Done
            }
            Action::Traffic { target, per_second } => {
                let per_second = (*per_second).min(MAX_TRAFFIC_PER_SECOND);
                self.traffic = (per_second > 0).then(|| Traffic {
                    target: target.clone(),
                    per_second,
                    next_at: self.cluster.now(),
                });
                Answer::Done
            }
            Action::DeletePod(name) => {
                self.cluster.delete_pod(name, None);
                Answer::Done
            }
        }
    }

    /// What a read-only command prints, run on a copy of the cluster so nothing
    /// changes and nothing is recorded (the Inspector, the lessons' queries).
    pub fn query(&self, line: &str) -> String {
        let mut copy = self.cluster.clone();
        Terminal::new().run(&mut copy, line).text()
    }

    /// One request from outside the cluster to a Service (its first port) or
    /// to `pod/NAME` (the port its first container listens on). A target that
    /// does not exist (any more) is simply not reached.
    fn send_request(&mut self, target: &str) {
        let host = match target.strip_prefix("pod/") {
            Some(pod) => self.cluster.store().pods.get(pod).and_then(|p| p.status.pod_ip.clone()),
            None => Some(target.to_string()),
        };
        if let (Some(host), Some(port)) = (host, self.target_port(target)) {
            let _ = self.cluster.http_get(&host, port, "/", &Client::Host);
        }
    }

    /// The port requests to a target go to: a Service's first, or the port
    /// the first container of `pod/NAME` listens on.
    fn target_port(&self, target: &str) -> Option<i64> {
        match target.strip_prefix("pod/") {
            Some(pod) => self
                .cluster
                .store()
                .pods
                .get(pod)?
                .spec
                .containers
                .first()
                .and_then(crate::core::node::workload::listen_port),
            None => self.cluster.store().services.get(target)?.spec.ports.first().map(|p| p.port),
        }
    }

    /// Lets the clock run for `ms` virtual milliseconds.
    pub fn advance(&mut self, ms: Millis) {
        self.run_until(self.cluster.now() + ms);
    }

    /// Lets the clock run to `until`, sending the steady traffic on its way.
    pub fn run_until(&mut self, until: Millis) {
        // A request due exactly at `until` goes with the next stretch, after any action at `until`.
        while let Some(traffic) = self.traffic.as_mut().filter(|t| t.next_at < until) {
            let (at, target) = (traffic.next_at, traffic.target.clone());
            traffic.next_at += (SECOND / u64::from(traffic.per_second)).max(1);
            self.cluster.run_until(at);
            self.send_request(&target);
        }
        self.cluster.run_until(until);
    }

    /// The session as it was at `time`, with the actions up to and including
    /// that instant: replayed from the latest of `checkpoints` that came before,
    /// or from the start.
    pub fn at(&self, time: Millis, checkpoints: &Checkpoints) -> Session {
        let performed = self.log.iter().take_while(|r| r.at <= time).count();
        // A copy serves if it is not later than `time` and its log begins ours
        // (its last action is ours at the same place: copies from a discarded
        // future were forgotten when it was).
        let usable = |copy: &&Session| {
            let taken = copy.log.len();
            copy.now() <= time && taken <= performed && (taken == 0 || copy.log.last() == self.log.get(taken - 1))
        };
        let start = checkpoints.taken.iter().rev().find(usable).cloned().unwrap_or_else(|| Session::new(self.seed));
        let from = start.log.len();
        start.replay_onto(&self.log[from..performed], time)
    }

    /// Replays a whole log from a fresh cluster and runs the clock to `until`.
    pub fn replay(seed: u64, log: &[Recorded], until: Millis) -> Session {
        Session::new(seed).replay_onto(log, until)
    }

    /// Performs `log` (the actions after this session's own) each at its time,
    /// then runs the clock to `until`.
    fn replay_onto(mut self, log: &[Recorded], until: Millis) -> Session {
        for recorded in log {
            self.run_until(recorded.at);
            self.log.push(recorded.clone());
            self.execute(&recorded.action);
        }
        self.run_until(until);
        self
    }
}

/// How much virtual time passes between two copies a [`Checkpoints`] keeps.
pub const CHECKPOINT_EVERY: Millis = 30 * SECOND;
/// Most copies kept; past that, every other one goes, so they stay spread
/// over the whole session.
const CHECKPOINTS_KEPT: usize = 24;

/// Copies of the live session taken as its clock runs, so that the scrubber
/// replays from the nearest copy before the moment it shows instead of from the
/// start (steady traffic at 50 requests/s puts 3000 requests in every minute).
#[derive(Clone, Default)]
pub struct Checkpoints {
    taken: Vec<Session>,
}

impl Checkpoints {
    /// Keeps a copy of `live` if the last copy is [`CHECKPOINT_EVERY`] older.
    pub fn offer(&mut self, live: &Session) {
        let last = self.taken.last().map_or(0, Session::now);
        if live.now() < last + CHECKPOINT_EVERY {
            return;
        }
        if self.taken.len() == CHECKPOINTS_KEPT {
            let mut index = 0;
            self.taken.retain(|_| {
                index += 1;
                index % 2 == 0
            });
        }
        self.taken.push(live.clone());
    }

    /// Forgets the copies taken after `time`: the future they saw was discarded.
    pub fn forget_after(&mut self, time: Millis) {
        self.taken.retain(|copy| copy.now() <= time);
    }

    /// How many copies are kept.
    pub fn len(&self) -> usize {
        self.taken.len()
    }

    pub fn is_empty(&self) -> bool {
        self.taken.is_empty()
    }
}

/// Largest decoded share text accepted (a long classroom session is ~50 KB).
const SHARE_MAX_BYTES: usize = 512 * 1024;
/// Most actions a share link may carry.
const SHARE_MAX_ACTIONS: usize = 5_000;

impl Session {
    /// The log as text: a header (`sts-playground 1`, `seed N`, `now MS`), then
    /// one line per action, `AT CODE PAYLOAD`, payloads with `\\` and `\n` escaped.
    pub fn to_text(&self) -> String {
        let mut text = format!("sts-playground 1\nseed {}\nnow {}\n", self.seed, self.now());
        for Recorded { at, action } in &self.log {
            let (code, payload) = match action {
                Action::Manifest(manifest) => ("M", escape(manifest)),
                Action::Apply => ("A", String::new()),
                Action::Run(line) => ("R", escape(line)),
                Action::Interrupt => ("C", String::new()),
                Action::Requests { target, count } => ("Q", format!("{count} {}", escape(target))),
                Action::Traffic { target, per_second } => ("T", format!("{per_second} {}", escape(target))),
                Action::DeletePod(name) => ("D", escape(name)),
            };
            text.push_str(&format!("{at} {code} {payload}\n"));
        }
        text
    }

    /// Reads [`Session::to_text`] back and replays it. Every malformed input is
    /// a message naming the line, never a panic.
    pub fn from_text(text: &str) -> Result<Session, String> {
        if text.len() > SHARE_MAX_BYTES {
            return Err(format!(
                "the shared session is too large ({} KB; the limit is {} KB)",
                text.len() / 1024,
                SHARE_MAX_BYTES / 1024
            ));
        }
        let mut lines = text.lines();
        if lines.next() != Some("sts-playground 1") {
            return Err("this is not a StatefulSet Playground session (or it is from a newer version)".into());
        }
        let mut header = |key: &str| -> Result<u64, String> {
            lines
                .next()
                .and_then(|l| l.strip_prefix(key))
                .and_then(|v| v.trim().parse().ok())
                .ok_or_else(|| format!("the session has no valid `{}` line", key.trim()))
        };
        let seed = header("seed ")?;
        let now = header("now ")?;
        if now > 24 * 3_600 * SECOND {
            return Err("the session is longer than a day of cluster time".into());
        }
        let mut log = Vec::new();
        let mut last = 0;
        for (index, line) in lines.enumerate() {
            let number = index + 4;
            let bad = |why: &str| format!("line {number} of the session: {why}");
            let mut parts = line.splitn(3, ' ');
            let at: Millis = parts.next().and_then(|t| t.parse().ok()).ok_or_else(|| bad("no time"))?;
            if at < last || at > now {
                return Err(bad("times go backwards"));
            }
            last = at;
            let code = parts.next().unwrap_or("");
            let payload = unescape(parts.next().unwrap_or(""));
            let action = match code {
                "M" => Action::Manifest(payload),
                "A" => Action::Apply,
                "R" => Action::Run(payload),
                "C" => Action::Interrupt,
                "Q" => {
                    let (count, target) =
                        payload.split_once(' ').ok_or_else(|| bad("requests need a count and a target"))?;
                    let count = count.parse().ok().filter(|c| *c <= 1_000).ok_or_else(|| bad("bad request count"))?;
                    Action::Requests { target: target.to_string(), count }
                }
                "T" => {
                    let (rate, target) =
                        payload.split_once(' ').ok_or_else(|| bad("traffic needs a rate and a target"))?;
                    let per_second = rate
                        .parse()
                        .ok()
                        .filter(|r| *r <= MAX_TRAFFIC_PER_SECOND)
                        .ok_or_else(|| bad("bad traffic rate"))?;
                    Action::Traffic { target: target.to_string(), per_second }
                }
                "D" => Action::DeletePod(payload),
                _ => return Err(bad("unknown action")),
            };
            log.push(Recorded { at, action });
            if log.len() > SHARE_MAX_ACTIONS {
                return Err(format!("the session has more than {SHARE_MAX_ACTIONS} actions"));
            }
        }
        Ok(Session::replay(seed, &log, now))
    }

    /// The compressed text for a URL fragment (URL-safe characters only).
    pub fn to_share_code(&self) -> String {
        lz_str::compress_to_encoded_uri_component(self.to_text().as_str())
    }

    pub fn from_share_code(code: &str) -> Result<Session, String> {
        if code.len() > SHARE_MAX_BYTES {
            return Err("the link is too long to be a playground session".into());
        }
        let wide = lz_str::decompress_from_encoded_uri_component(code)
            .ok_or("the link is damaged: its session cannot be decompressed")?;
        let text = String::from_utf16(&wide).map_err(|_| "the link is damaged: its session is not text".to_string())?;
        Session::from_text(&text)
    }

    /// The session as a shell script to replay on a real cluster.
    pub fn to_shell_script(&self) -> String {
        let mut script = String::from(
            "#!/bin/sh\n# Replays a StatefulSet Playground session on a real cluster (minikube).\n# Sleeps stand for the time that passed between actions.\n",
        );
        let mut clock = 0;
        let mut manifest = String::new();
        let mut inside: Option<String> = None;
        // The target of the steady traffic's load pod, while one runs.
        let mut load: Option<String> = None;
        for Recorded { at, action } in &self.log {
            if *at > clock && !matches!(action, Action::Manifest(_)) {
                script.push_str(&format!("sleep {}\n", (at - clock).div_ceil(SECOND)));
                clock = *at;
            }
            match action {
                Action::Manifest(text) => manifest = text.clone(),
                Action::Apply => {
                    script.push_str(&format!(
                        "cat > manifest.yaml <<'EOF'\n{}\nEOF\nkubectl apply -f manifest.yaml\n",
                        manifest.trim_end()
                    ));
                }
                Action::Run(line) => match &inside {
                    Some(pod) if line.trim() == "exit" => {
                        script.push_str(&format!("# (left the shell in {pod})\n"));
                        inside = None;
                    }
                    Some(pod) => script.push_str(&format!("kubectl exec {pod} -- sh -c {}\n", quote(line))),
                    None => {
                        script.push_str(line);
                        script.push('\n');
                        inside = interactive_shell_pod(line);
                    }
                },
                Action::Interrupt => script.push_str("# Ctrl-C\n"),
                Action::Requests { target, count } => script.push_str(&self.load_command(
                    target,
                    &format!("for i in $(seq {count}); do {}; done", self.fetch_command(target)),
                    true,
                )),
                Action::Traffic { target, per_second } => {
                    // One load pod at a time: the earlier one stops first.
                    if let Some(earlier) = load.take() {
                        script.push_str(&format!("kubectl delete pod {} --now\n", load_pod_name(&earlier)));
                    }
                    if *per_second > 0 {
                        let every = decimal_seconds(SECOND / u64::from(*per_second));
                        script.push_str(&self.load_command(
                            target,
                            &format!("while true; do {}; sleep {every}; done", self.fetch_command(target)),
                            false,
                        ));
                        load = Some(target.clone());
                    }
                }
                Action::DeletePod(name) => script.push_str(&format!("kubectl delete pod {name}\n")),
            }
        }
        script
    }
}

impl Session {
    /// `wget` of one request to a target, as a pod in the cluster makes it
    /// (`pod/NAME` goes to the pod's DNS name under its set's headless Service).
    fn fetch_command(&self, target: &str) -> String {
        let host = match target.strip_prefix("pod/") {
            Some(pod) => {
                let subdomain =
                    self.cluster.store().pods.get(pod).and_then(|p| p.spec.subdomain.clone()).unwrap_or_default();
                if subdomain.is_empty() {
                    pod.to_string()
                } else {
                    format!("{pod}.{subdomain}")
                }
            }
            None => target.to_string(),
        };
        format!("wget -qO- http://{host}:{}/ >/dev/null", self.target_port(target).unwrap_or(80))
    }

    /// A busybox pod in the cluster running `script` (the load for `target`):
    /// attached and removed when done, or left running in the background.
    fn load_command(&self, target: &str, script: &str, attached: bool) -> String {
        let attach = if attached { "--rm -i " } else { "" };
        format!(
            "kubectl run {} {attach}--restart=Never --image=busybox:1.36 -- sh -c '{script}'\n",
            load_pod_name(target)
        )
    }
}

/// The name of the busybox pod that sends a target's load.
fn load_pod_name(target: &str) -> String {
    format!("load-{}", target.replace("pod/", "pod-"))
}

/// Milliseconds as seconds for `sleep` (`0.2`, `1`).
fn decimal_seconds(ms: Millis) -> String {
    if ms % SECOND == 0 {
        (ms / SECOND).to_string()
    } else {
        format!("{}.{:03}", ms / SECOND, ms % SECOND).trim_end_matches('0').to_string()
    }
}

/// The pod an interactive `kubectl exec -it POD -- sh` line opens, if any.
fn interactive_shell_pod(line: &str) -> Option<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let is_exec = words.len() > 2
        && words[0] == "kubectl"
        && words[1] == "exec"
        && words.iter().any(|w| *w == "-it" || *w == "-ti");
    let shell = words.last().is_some_and(|w| matches!(*w, "sh" | "bash" | "/bin/sh" | "/bin/bash"));
    if !(is_exec && shell) {
        return None;
    }
    words[2..].iter().find(|w| !w.starts_with('-')).map(|w| w.trim_start_matches("pod/").to_string())
}

/// Single-quotes a line for `sh -c`.
fn quote(line: &str) -> String {
    format!("'{}'", line.replace('\'', r"'\''"))
}

fn escape(text: &str) -> String {
    text.replace('\\', r"\\").replace('\n', r"\n")
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// What a page URL's fragment asks for: `#lesson=<id>`, `#s=<code>`, or both joined by `&`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Fragment {
    pub lesson: Option<String>,
    pub session: Option<String>,
}

impl Fragment {
    /// Unknown keys and junk are ignored: a fragment can never break the page.
    pub fn parse(hash: &str) -> Fragment {
        let mut fragment = Fragment::default();
        for pair in hash.split('&') {
            match pair.split_once('=') {
                Some(("lesson", id)) if !id.is_empty() => fragment.lesson = Some(id.to_string()),
                Some(("s", code)) if !code.is_empty() => fragment.session = Some(code.to_string()),
                _ => {}
            }
        }
        fragment
    }
}

/// For `data:` URLs: percent-encodes everything but unreserved characters.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::samples::DEFAULT_MANIFEST;

    #[test]
    fn the_past_is_rebuilt_exactly() {
        let mut live = Session::new(7);
        live.apply(DEFAULT_MANIFEST).unwrap();
        live.advance(25 * SECOND);
        live.perform(Action::Requests { target: "visits".into(), count: 5 });
        live.advance(3 * SECOND);
        live.perform(Action::DeletePod("web-1".into()));
        live.advance(40 * SECOND);
        let then = 26 * SECOND + 500;
        let mut past = live.at(then, &Checkpoints::default());
        assert_eq!(past.now(), then);
        assert_eq!(past.log.len(), 3, "manifest, apply and the requests, not the later delete");
        // Continuing from the past with the same actions reaches the same present.
        past.run_until(28 * SECOND);
        past.perform(Action::DeletePod("web-1".into()));
        past.run_until(live.now());
        assert_eq!(crate::session::view::view(&past.cluster), crate::session::view::view(&live.cluster));
    }

    #[test]
    fn scrubbing_from_a_checkpoint_shows_what_replaying_from_the_start_shows() {
        // A page ticking every 100 ms with steady traffic, offering a copy each tick.
        let mut live = Session::new(5);
        let mut checkpoints = Checkpoints::default();
        live.apply(DEFAULT_MANIFEST).unwrap();
        for tick in 0..1500 {
            live.advance(100);
            match tick {
                300 => drop(live.perform(Action::Traffic { target: "visits".into(), per_second: 20 })),
                700 => drop(live.perform(Action::DeletePod("web-2".into()))),
                900 => drop(live.run("kubectl scale sts web --replicas=4", "")),
                _ => {}
            }
            checkpoints.offer(&live);
        }
        assert_eq!(checkpoints.len(), 5, "one copy per 30 s of the 150 s");
        for then in [10 * SECOND, 45 * SECOND + 50, 70 * SECOND, 91 * SECOND, 149 * SECOND] {
            let quick = live.at(then, &checkpoints);
            let slow = live.at(then, &Checkpoints::default());
            assert_eq!(quick.now(), then);
            assert_eq!(quick.log, slow.log, "at {then}");
            assert_eq!(
                crate::session::view::view(&quick.cluster),
                crate::session::view::view(&slow.cluster),
                "at {then}"
            );
            assert_eq!(quick.cluster.events(), slow.cluster.events(), "at {then}");
            assert_eq!(quick.transcript, slow.transcript, "at {then}");
        }

        // "Continue from here" at 50 s, then a different future: the copies from the
        // discarded one are forgotten and cannot leak into the new one.
        let mut present = live.at(50 * SECOND, &checkpoints);
        checkpoints.forget_after(present.now());
        assert_eq!(checkpoints.len(), 1);
        present.perform(Action::Traffic { target: "visits".into(), per_second: 0 });
        for _ in 0..600 {
            present.advance(100);
            checkpoints.offer(&present);
        }
        let then = 100 * SECOND;
        assert_eq!(
            crate::session::view::view(&present.at(then, &checkpoints).cluster),
            crate::session::view::view(&present.at(then, &Checkpoints::default()).cluster)
        );
    }

    #[test]
    fn a_replay_matches_a_page_that_ticked_every_100_ms() {
        let mut live = Session::new(3);
        live.apply(DEFAULT_MANIFEST).unwrap();
        for tick in 0..600 {
            live.advance(100);
            match tick {
                250 => drop(live.perform(Action::Requests { target: "visits".into(), count: 9 })),
                300 => drop(live.run("kubectl set image sts/web visits=ghcr.io/example/visits:2.0", "")),
                420 => drop(live.perform(Action::DeletePod("web-0".into()))),
                _ => {}
            }
        }
        let replayed = Session::replay(3, &live.log, live.now());
        assert_eq!(crate::session::view::view(&replayed.cluster), crate::session::view::view(&live.cluster));
        assert_eq!(replayed.transcript, live.transcript);
    }

    #[test]
    fn a_share_code_round_trips_to_the_same_cluster() {
        let mut live = Session::new(4);
        live.apply(DEFAULT_MANIFEST).unwrap();
        live.advance(30 * SECOND);
        live.run("kubectl exec -it web-0 -- sh", DEFAULT_MANIFEST);
        live.run(r"echo it\'s > /data/note", DEFAULT_MANIFEST);
        live.run("exit", DEFAULT_MANIFEST);
        live.perform(Action::Requests { target: "visits".into(), count: 4 });
        live.advance(1_500);
        let code = live.to_share_code();
        assert!(code.chars().all(|c| c.is_ascii_alphanumeric() || "+-$_".contains(c)), "URL-safe: {code}");
        let shared = Session::from_share_code(&code).unwrap();
        assert_eq!(shared.log, live.log);
        assert_eq!(crate::session::view::view(&shared.cluster), crate::session::view::view(&live.cluster));
        let script = live.to_shell_script();
        let expected = "kubectl apply -f manifest.yaml\nsleep 30\nkubectl exec -it web-0 -- sh\nkubectl exec web-0 -- sh -c 'echo it\\'\\''s > /data/note'\n# (left the shell in web-0)\n";
        assert!(script.contains(expected), "{script}");
    }

    /// Visits stored on each claim, in claim order.
    fn visits(session: &Session) -> Vec<u64> {
        crate::session::view::claim_views(&session.cluster).iter().map(|c| c.visits.unwrap_or(0)).collect()
    }

    #[test]
    fn steady_traffic_is_sent_as_the_clock_runs_and_replays_the_same() {
        let mut live = Session::new(5);
        live.apply(DEFAULT_MANIFEST).unwrap();
        live.advance(40 * SECOND);
        live.perform(Action::Traffic { target: "visits".into(), per_second: 10 });
        // The page ticks every 100 ms: one request per tick at 10/s.
        for _ in 0..30 {
            live.advance(100);
        }
        live.perform(Action::Traffic { target: "visits".into(), per_second: 0 });
        live.advance(5 * SECOND);
        assert_eq!(visits(&live).iter().sum::<u64>(), 30, "3 s at 10/s, then nothing: {:?}", visits(&live));
        assert!(visits(&live).iter().all(|n| *n > 0), "spread over the pods: {:?}", visits(&live));
        let last = live.cluster.requests().last().expect("requests are traced");
        assert_eq!((last.service.as_deref(), last.status), (Some("visits"), Some(200)));
        let shared = Session::from_text(&live.to_text()).unwrap();
        assert_eq!(visits(&shared), visits(&live));
        let script = live.to_shell_script();
        assert!(script.contains("kubectl run load-visits --restart=Never --image=busybox:1.36 -- sh -c 'while true; do wget -qO- http://visits:8080/ >/dev/null; sleep 0.1; done'\n"), "{script}");
        assert!(script.contains("kubectl delete pod load-visits --now\n"), "{script}");
    }

    #[test]
    fn requests_to_a_chosen_pod_reach_only_that_pod() {
        let mut live = Session::new(5);
        live.apply(DEFAULT_MANIFEST).unwrap();
        live.advance(40 * SECOND);
        live.perform(Action::Requests { target: "pod/web-1".into(), count: 7 });
        assert_eq!(visits(&live), vec![0, 7, 0]);
        let last = live.cluster.requests().last().expect("traced");
        assert_eq!((last.service.as_deref(), last.pod.as_deref()), (None, Some("web-1")));
        // A pod that is gone is simply not reached; nothing panics.
        live.perform(Action::Requests { target: "pod/web-9".into(), count: 1 });
        assert!(live.to_shell_script().contains("wget -qO- http://web-1.visits:8080/"));
    }

    #[test]
    fn a_damaged_share_code_is_a_message() {
        for code in ["", "garbage!!", "N4Ig", &"A".repeat(600 * 1024)] {
            assert!(Session::from_share_code(code).is_err(), "{code:.20}");
        }
        assert_eq!(
            Session::from_text("sts-playground 1\nseed 1\nnow 10\n5 X\n").err(),
            Some("line 4 of the session: unknown action".to_string())
        );
        assert!(Session::from_text("sts-playground 1\nseed 1\nnow 10\n50 A \n")
            .err()
            .is_some_and(|e| e.contains("backwards")));
    }

    #[test]
    fn fragments_name_a_lesson_a_session_or_nothing() {
        assert_eq!(
            Fragment::parse("lesson=probes&s=abc"),
            Fragment { lesson: Some("probes".into()), session: Some("abc".into()) }
        );
        assert_eq!(Fragment::parse("%%%&&=x&lesson="), Fragment::default());
        assert_eq!(percent_encode("a b\n#"), "a%20b%0A%23");
    }
}
