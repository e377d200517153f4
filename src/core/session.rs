//! A session: the seed and every action the learner took, each at its virtual
//! time. Because the cluster is deterministic, the log *is* the state: replaying
//! it rebuilds any earlier moment (the time scrubber), a share URL carries it,
//! the lessons check it, and it exports as a shell script for a real cluster.

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

/// Terminal lines kept for the lessons' checks.
const TRANSCRIPT_KEEP: usize = 200;

/// The live state and the log that produced it.
pub struct Session {
    pub seed: u64,
    pub log: Vec<Recorded>,
    pub cluster: Cluster,
    pub terminal: Terminal,
    /// The editor text as the terminal last saw it.
    pub manifest: String,
    pub transcript: Vec<Transcript>,
}

impl Session {
    pub fn new(seed: u64) -> Self {
        Session { seed, log: Vec::new(), cluster: Cluster::new(seed), terminal: Terminal::new(), manifest: String::new(), transcript: Vec::new() }
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
                if let Some(port) = self.service_port(service) {
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

    /// What a read-only command prints, run on a copy of the cluster so nothing
    /// changes and nothing is recorded (the Inspector, the lessons' queries).
    pub fn query(&self, line: &str) -> String {
        let mut copy = self.cluster.clone();
        Terminal::new().run(&mut copy, line).text()
    }

    /// The port requests to a Service go to: its first.
    fn service_port(&self, service: &str) -> Option<i64> {
        self.cluster.store.services.get(service).and_then(|s| s.spec.ports.first()).map(|p| p.port)
    }

    /// Lets the clock run for `ms` virtual milliseconds.
    pub fn advance(&mut self, ms: Millis) {
        self.run_until(self.cluster.now + ms);
    }

    /// Lets the clock run to `until`.
    pub fn run_until(&mut self, until: Millis) {
        self.cluster.run_until(until);
    }

    /// The session as it was at `time`, with the actions up to and including
    /// that instant, replayed from the start. (A scrubber over long sessions will
    /// want checkpoints: clones taken as the clock runs.)
    pub fn at(&self, time: Millis) -> Session {
        let performed = self.log.iter().take_while(|r| r.at <= time).count();
        Session::replay(self.seed, &self.log[..performed], time)
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
                Action::Requests { service, count } => ("Q", format!("{count} {}", escape(service))),
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
            return Err(format!("the shared session is too large ({} KB; the limit is {} KB)", text.len() / 1024, SHARE_MAX_BYTES / 1024));
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
                    let (count, service) = payload.split_once(' ').ok_or_else(|| bad("requests need a count and a Service"))?;
                    let count = count.parse().ok().filter(|c| *c <= 1_000).ok_or_else(|| bad("bad request count"))?;
                    Action::Requests { service: service.to_string(), count }
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
        let wide = lz_str::decompress_from_encoded_uri_component(code).ok_or("the link is damaged: its session cannot be decompressed")?;
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
        for Recorded { at, action } in &self.log {
            if *at > clock && !matches!(action, Action::Manifest(_)) {
                script.push_str(&format!("sleep {}\n", (at - clock).div_ceil(SECOND)));
                clock = *at;
            }
            match action {
                Action::Manifest(text) => manifest = text.clone(),
                Action::Apply => {
                    script.push_str(&format!("cat > manifest.yaml <<'EOF'\n{}\nEOF\nkubectl apply -f manifest.yaml\n", manifest.trim_end()));
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
                Action::Requests { service, count } => script.push_str(&format!(
                    "kubectl run load --rm -i --restart=Never --image=busybox:1.36 -- sh -c 'for i in $(seq {count}); do wget -qO- http://{service}:{port}/ >/dev/null; done'\n",
                    port = self.service_port(service).unwrap_or(80)
                )),
                Action::DeletePod(name) => script.push_str(&format!("kubectl delete pod {name}\n")),
            }
        }
        script
    }
}

/// The pod an interactive `kubectl exec -it POD -- sh` line opens, if any.
fn interactive_shell_pod(line: &str) -> Option<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let is_exec = words.len() > 2 && words[0] == "kubectl" && words[1] == "exec" && words.iter().any(|w| *w == "-it" || *w == "-ti");
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

    #[test]
    fn a_share_code_round_trips_to_the_same_cluster() {
        let mut live = Session::new(4);
        live.apply(DEFAULT_MANIFEST).unwrap();
        live.advance(30 * SECOND);
        live.run("kubectl exec -it web-0 -- sh", DEFAULT_MANIFEST);
        live.run(r"echo it\'s > /data/note", DEFAULT_MANIFEST);
        live.run("exit", DEFAULT_MANIFEST);
        live.perform(Action::Requests { service: "visits".into(), count: 4 });
        live.advance(1_500);
        let code = live.to_share_code();
        assert!(code.chars().all(|c| c.is_ascii_alphanumeric() || "+-$_".contains(c)), "URL-safe: {code}");
        let shared = Session::from_share_code(&code).unwrap();
        assert_eq!(shared.log, live.log);
        assert_eq!(crate::core::view::view(&shared.cluster), crate::core::view::view(&live.cluster));
        let script = live.to_shell_script();
        let expected = "kubectl apply -f manifest.yaml\nsleep 30\nkubectl exec -it web-0 -- sh\nkubectl exec web-0 -- sh -c 'echo it\\'\\''s > /data/note'\n# (left the shell in web-0)\n";
        assert!(script.contains(expected), "{script}");
    }

    #[test]
    fn a_damaged_share_code_is_a_message() {
        for code in ["", "garbage!!", "N4Ig", &"A".repeat(600 * 1024)] {
            assert!(Session::from_share_code(code).is_err(), "{code:.20}");
        }
        assert_eq!(Session::from_text("sts-playground 1\nseed 1\nnow 10\n5 X\n").err(), Some("line 4 of the session: unknown action".to_string()));
        assert!(Session::from_text("sts-playground 1\nseed 1\nnow 10\n50 A \n").err().is_some_and(|e| e.contains("backwards")));
    }

    #[test]
    fn fragments_name_a_lesson_a_session_or_nothing() {
        assert_eq!(Fragment::parse("lesson=probes&s=abc"), Fragment { lesson: Some("probes".into()), session: Some("abc".into()) });
        assert_eq!(Fragment::parse("%%%&&=x&lesson="), Fragment::default());
        assert_eq!(percent_encode("a b\n#"), "a%20b%0A%23");
    }
}
