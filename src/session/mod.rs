//! A session: the seed and every action the learner took, each at its virtual
//! time. Because the cluster is deterministic, the log *is* the state: replaying
//! it rebuilds any earlier moment (the time scrubber), a share URL carries it,
//! the lessons check it, and it exports as a shell script for a real cluster.

pub mod chart;
mod checkpoints;
pub mod edit;
pub mod highlight;
pub mod lessons;
pub mod samples;
mod share;
pub mod view;

pub use checkpoints::{Checkpoints, CHECKPOINT_EVERY};
pub use share::{file_path, percent_encode, Fragment};

// What the page needs from the layers below: the UI depends on the session alone.
pub use crate::cli::{complete::complete, Stream};
pub use crate::core::api::manifest::{parse_manifest, Document};
pub use crate::core::apiserver::ApiError;
pub use crate::core::time::Millis;

pub use crate::cli::HostOs;
pub use crate::cli::HELM;

/// Whether a terminal line runs `helm`.
pub fn runs_helm(line: &str) -> bool {
    crate::cli::shell::calls(line, "helm")
}
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
    /// The learner's laptop changed operating system (the choice above the
    /// terminal): how `minikube service` and the node are reached from it.
    Host(HostOs),
    /// The editor wrote one of the learner's files (a chart's template, say), or
    /// removed it (`text: None`). `manifest.yaml` is the Manifest action's.
    File { path: String, text: Option<String> },
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

    /// Whether a terminal line of the session runs `helm`: then it replays only
    /// where the terminal has Helm (the page's helm.html).
    pub fn runs_helm(&self) -> bool {
        self.log.iter().any(|r| matches!(&r.action, Action::Run(line) if runs_helm(line)))
    }

    /// Records `action` at the current time and performs it.
    pub fn perform(&mut self, action: Action) -> Answer {
        if matches!(&action, Action::Manifest(text) if *text == self.manifest) {
            return Answer::Done;
        }
        if let Action::File { path, text } = &action {
            if self.terminal.host_file(path) == *text {
                return Answer::Done;
            }
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
        let answer = self.execute_action(action);
        // A `minikube tunnel` started in the terminal keeps patching LoadBalancers.
        self.terminal.sync_tunnel(&mut self.cluster);
        answer
    }

    fn execute_action(&mut self, action: &Action) -> Answer {
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
            Action::Host(host) => {
                self.terminal.host = *host;
                Answer::Done
            }
            Action::File { path, text: Some(text) } => {
                self.terminal.put_host_file(path, text.clone());
                Answer::Done
            }
            Action::File { path, text: None } => {
                self.terminal.remove_host_file(path);
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

    /// A session that ran helm is one the page opens on helm.html: its share code
    /// replays the chart's release, whose pods are there.
    #[test]
    fn a_session_that_ran_helm_says_so_and_replays_its_release() {
        let mut live = Session::new(4);
        live.run("kubectl get pods", DEFAULT_MANIFEST);
        assert!(!live.runs_helm());
        live.run("helm create web", DEFAULT_MANIFEST);
        live.run("helm install web ./web", DEFAULT_MANIFEST);
        live.advance(30 * SECOND);
        assert!(live.runs_helm());
        let shared = Session::from_share_code(&live.to_share_code()).unwrap();
        assert!(shared.runs_helm());
        let pods =
            |s: &Session| crate::session::view::view(&s.cluster).pods.into_iter().map(|p| p.name).collect::<Vec<_>>();
        assert!(pods(&shared).iter().any(|name| name.starts_with("web-")), "{:?}", pods(&shared));
        assert_eq!(pods(&shared), pods(&live));
    }

    /// The editor's writes to a chart's files are part of the session: helm reads
    /// them, a share link carries them, and the shell script writes them out.
    #[test]
    fn files_the_editor_writes_replay_with_the_session() {
        let mut live = Session::new(4);
        live.run("helm create web", DEFAULT_MANIFEST);
        let values = live.terminal.host_file("web/values.yaml").unwrap();
        let edited = values.replace("replicaCount: 1", "replicaCount: 2");
        live.perform(Action::File { path: "web/values.yaml".into(), text: Some(edited.clone()) });
        // Writing the same text again is no new action.
        let actions = live.log.len();
        live.perform(Action::File { path: "web/values.yaml".into(), text: Some(edited.clone()) });
        assert_eq!(live.log.len(), actions);
        live.perform(Action::File { path: "web/templates/hpa.yaml".into(), text: None });
        let rendered = live.run("helm template web ./web", DEFAULT_MANIFEST).stdout();
        assert!(rendered.contains("  replicas: 2\n"), "{rendered}");
        assert!(!rendered.contains("HorizontalPodAutoscaler"));
        let shared = Session::from_share_code(&live.to_share_code()).unwrap();
        assert_eq!(shared.terminal.host_file("web/values.yaml"), Some(edited));
        assert_eq!(shared.terminal.host_file("web/templates/hpa.yaml"), None);
        let script = live.to_shell_script();
        assert!(script.contains("mkdir -p 'web' && cat > 'web/values.yaml' <<'STS_PLAYGROUND_FILE'\n"), "{script}");
        assert!(script.contains("rm 'web/templates/hpa.yaml'\n"), "{script}");
        // A damaged share text names the line instead of writing outside the chart.
        let text = live.to_text().replace("W web/values.yaml", "W ../values.yaml");
        let error = Session::from_text(&text).err().unwrap();
        assert!(error.contains("is not a file name the editor can use"), "{error}");
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
    fn the_laptop_travels_with_a_shared_session_and_old_links_stay_on_linux() {
        let service = "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web-np\nspec:\n  type: NodePort\n  selector:\n    app: visits\n  ports:\n    - port: 80\n      targetPort: 8080\n      nodePort: 30080\n";
        let mut live = Session::new(5);
        assert_eq!(live.terminal.host, HostOs::MacOs, "the learners' MacBooks are the default");
        live.apply(&format!("{DEFAULT_MANIFEST}{service}")).unwrap();
        live.advance(40 * SECOND);
        let curl = "curl -s -m 2 -o /dev/null -w '%{http_code}' http://192.168.49.2:30080/";
        assert_eq!(live.run(curl, &live.manifest.clone()).stdout(), "000", "the node is out of a Mac's reach");
        live.perform(Action::Host(HostOs::Linux));
        assert_eq!(live.run(curl, &live.manifest.clone()).stdout(), "200", "a Linux host reaches the node port");
        let text = live.to_text();
        assert!(text.starts_with("sts-playground 2\n") && text.contains(" H linux\n"), "{text}");
        let again = Session::from_text(&text).expect("replays");
        assert_eq!(again.terminal.host, HostOs::Linux);
        assert_eq!(again.transcript.last().map(|t| t.output.as_str()), Some("200"));
        // A link made before the choice existed was made on the Linux model.
        let old = text.replacen("sts-playground 2", "sts-playground 1", 1).replace(" H linux\n", " D nothing\n");
        let old = Session::from_text(&old).expect("an old link still opens");
        assert_eq!(old.terminal.host, HostOs::Linux);
        assert_eq!(old.transcript.first().map(|t| t.output.as_str()), Some("200"));
        assert!(Session::from_text("sts-playground 2\nseed 1\nnow 10\n5 H windows\n")
            .err()
            .is_some_and(|e| e.contains("unknown operating system")));
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
