//! The terminal: a small shell with kubectl, used by the browser terminal and by
//! the `sts-replay` command alike. [`Terminal::run`] takes one typed line and
//! returns exactly what a real terminal would print, stdout and stderr in order.

mod builtins;
pub mod complete;
mod container;
// Helm is in the native build (sts-replay, the tests) and in the page's second
// build, helm.html (the `helm` feature), which the page opens on the first `helm`
// command: it adds ~74 KiB of gzipped wasm, which only learners who use Helm load.
#[cfg(any(not(target_arch = "wasm32"), feature = "helm"))]
pub mod helm;
/// Whether this build's terminal has `helm`.
pub const HELM: bool = cfg!(any(not(target_arch = "wasm32"), feature = "helm"));
mod host;
mod kubectl;
mod minikube;
pub mod printers;
pub mod render;
pub mod shell;
pub mod table;
mod watch;

use std::collections::BTreeMap;

use crate::core::cluster::Cluster;
use crate::core::time::Millis;
pub use container::new_cluster;
pub use host::HostOs;
use shell::{Command, Connector, List, Part, Redirect, Word};
pub use watch::Watch;

/// Which output stream a piece of text went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Out,
    Err,
}

/// What a command line printed, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub chunks: Vec<(Stream, String)>,
    /// `clear` / Ctrl-L was asked for.
    pub clear: bool,
}

impl Output {
    pub fn out(&mut self, text: impl Into<String>) {
        self.push(Stream::Out, text.into());
    }
    pub fn err(&mut self, text: impl Into<String>) {
        self.push(Stream::Err, text.into());
    }
    fn push(&mut self, stream: Stream, text: String) {
        if text.is_empty() {
            return;
        }
        match self.chunks.last_mut() {
            Some((last, existing)) if *last == stream => existing.push_str(&text),
            _ => self.chunks.push((stream, text)),
        }
    }
    fn append(&mut self, other: Output) {
        for (stream, text) in other.chunks {
            self.push(stream, text);
        }
        self.clear |= other.clear;
    }
    /// Everything printed, both streams interleaved.
    pub fn text(&self) -> String {
        self.chunks.iter().map(|(_, t)| t.as_str()).collect()
    }
    /// Only what went to stdout.
    pub fn stdout(&self) -> String {
        self.chunks.iter().filter(|(s, _)| *s == Stream::Out).map(|(_, t)| t.as_str()).collect()
    }
}

/// Where a command runs: on the learner's machine, or inside a container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Host,
    Pod { pod: String, container: String },
}

/// An interactive shell opened with `kubectl exec -it … -- sh` or `kubectl run -it`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodShell {
    pub pod: String,
    pub container: String,
    pub prompt: String,
    /// `kubectl run --rm`: delete the pod when the shell exits.
    pub remove_on_exit: bool,
}

/// A `kubectl port-forward` running in the background.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortForward {
    pub local_port: i64,
    pub pod: String,
    pub remote_port: i64,
}

/// A tunnel `minikube service NAME` opened to a Service without a node port: on the
/// Docker driver it runs until that terminal is closed; here it stays open as if in
/// a second terminal, until the session is reset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceTunnel {
    pub local_port: i64,
    pub service: String,
    /// The Service port the tunnel reaches.
    pub port: i64,
}

/// Reads files on the learner's machine for `kubectl apply -f` (the replay reads
/// the disk; the browser offers the editor text as `manifest.yaml`).
pub trait HostFiles {
    fn read(&self, path: &str) -> Option<String>;
}

/// The terminal's own state: shell variables, files written on the host, the
/// interactive pod shell and background port-forwards.
#[derive(Clone)]
pub struct Terminal {
    vars: BTreeMap<String, String>,
    status: i32,
    pub inside: Option<PodShell>,
    host_files: BTreeMap<String, String>,
    pub port_forwards: Vec<PortForward>,
    pub tunnels: Vec<ServiceTunnel>,
    /// `minikube tunnel` runs (as in a second terminal, until the session is reset):
    /// LoadBalancer Services get their ClusterIP as external IP, and the service
    /// network is routed from the learner's machine.
    pub minikube_tunnel: bool,
    /// The learner's operating system: how the node is reached from it.
    pub host: HostOs,
    /// Shared, not copied, by a copy of the terminal (a scrubber checkpoint).
    loader: Option<std::sync::Arc<dyn HostFiles + Send + Sync>>,
    /// A `kubectl get -w` still streaming (the browser polls it each tick).
    pub watch: Option<Watch>,
    depth: usize,
    /// Running an exec probe: time passes for nobody, so `sleep` adds up here instead.
    probe: Option<Millis>,
}

/// The result of one command: what it printed and its exit status.
pub(crate) struct Ran {
    pub output: Output,
    pub status: i32,
}

impl Ran {
    pub fn ok(output: Output) -> Ran {
        Ran { output, status: 0 }
    }
    pub fn out(text: impl Into<String>) -> Ran {
        let mut output = Output::default();
        output.out(text);
        Ran::ok(output)
    }
    pub fn fail(text: impl Into<String>, status: i32) -> Ran {
        let mut output = Output::default();
        output.err(text);
        Ran { output, status }
    }
}

impl Default for Terminal {
    fn default() -> Self {
        Terminal::new()
    }
}

impl Terminal {
    pub fn new() -> Self {
        let vars = [
            ("HOME", "/home/learner"),
            ("USER", "learner"),
            ("SHELL", "/bin/bash"),
            ("PATH", "/usr/local/bin:/usr/bin:/bin"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        Terminal {
            vars,
            status: 0,
            inside: None,
            host_files: BTreeMap::new(),
            port_forwards: Vec::new(),
            tunnels: Vec::new(),
            minikube_tunnel: false,
            host: HostOs::default(),
            loader: None,
            watch: None,
            depth: 0,
            probe: None,
        }
    }

    /// Lets `kubectl apply -f PATH` read files from somewhere (the disk, the editor).
    pub fn set_host_files(&mut self, loader: Box<dyn HostFiles + Send + Sync>) {
        self.loader = Some(loader.into());
    }

    /// Puts a file on the learner's machine (e.g. the editor's text as manifest.yaml).
    pub fn put_host_file(&mut self, path: &str, content: String) {
        self.host_files.insert(path.to_string(), content);
    }

    /// A file on the learner's machine that the terminal or the editor wrote.
    pub fn host_file(&self, path: &str) -> Option<String> {
        self.host_files.get(path).cloned()
    }

    /// Removes a file from the learner's machine.
    pub fn remove_host_file(&mut self, path: &str) {
        self.host_files.remove(path);
    }

    /// The paths of the files on the learner's machine (those the terminal wrote).
    pub fn host_file_names(&self) -> Vec<String> {
        self.host_files.keys().cloned().collect()
    }

    fn read_host_file(&self, path: &str) -> Option<String> {
        let path = path.trim_start_matches("./");
        self.host_files.get(path).cloned().or_else(|| self.loader.as_ref().and_then(|l| l.read(path)))
    }

    /// The exit status of the last command (`$?`).
    pub fn last_status(&self) -> i32 {
        self.status
    }

    /// The prompt to show before the next line.
    pub fn prompt(&self) -> String {
        match &self.inside {
            Some(shell) => shell.prompt.clone(),
            None => "$ ".into(),
        }
    }

    /// What a running `minikube tunnel` does between two commands: gives every
    /// LoadBalancer Service without an address its ClusterIP (the tunnel's loop;
    /// here at each command and session action, so a replay does the same).
    pub fn sync_tunnel(&mut self, cluster: &mut Cluster) {
        if self.minikube_tunnel {
            minikube::patch_load_balancers(cluster, self.host);
        }
    }

    /// Runs one typed line and returns what it printed.
    pub fn run(&mut self, cluster: &mut Cluster, line: &str) -> Output {
        self.sync_tunnel(cluster);
        let location = match &self.inside {
            Some(shell) if cluster.store().pods.get(&shell.pod).is_some_and(|p| !p.metadata.is_terminating()) => {
                Location::Pod { pod: shell.pod.clone(), container: shell.container.clone() }
            }
            Some(_) => {
                // The pod went away under the shell: the session ends, as kubectl's does.
                self.inside = None;
                let mut output = Output::default();
                output.err("command terminated with exit code 137\n");
                return output;
            }
            None => Location::Host,
        };
        if line.trim().is_empty() {
            return Output::default();
        }
        let ran = match shell::parse(line) {
            Ok(list) => self.run_list(cluster, &list, &location, None),
            Err(message) => Ran::fail(format!("{}\n", self.shell_error(&location, &message)), 2),
        };
        self.status = ran.status;
        ran.output
    }

    /// bash on the host prints `-bash: …`; busybox sh in a pod prints `sh: …`.
    fn shell_error(&self, location: &Location, message: &str) -> String {
        match location {
            Location::Host => message.replacen("sh: ", "bash: ", 1),
            Location::Pod { .. } => message.to_string(),
        }
    }

    fn run_list(&mut self, cluster: &mut Cluster, list: &List, location: &Location, stdin: Option<&str>) -> Ran {
        let mut output = Output::default();
        let mut status = 0;
        let mut skip = false;
        for (pipeline, connector) in &list.items {
            if !skip {
                let ran = self.run_pipeline(cluster, pipeline, location, stdin, *connector == Connector::Background);
                output.append(ran.output);
                status = ran.status;
                self.status = status;
            }
            skip = match connector {
                Connector::And => status != 0,
                Connector::Or => status == 0,
                _ => false,
            };
        }
        Ran { output, status }
    }

    fn run_pipeline(
        &mut self,
        cluster: &mut Cluster,
        pipeline: &[Command],
        location: &Location,
        stdin: Option<&str>,
        background: bool,
    ) -> Ran {
        let mut input: Option<String> = stdin.map(str::to_string);
        let mut output = Output::default();
        let mut status = 0;
        for (i, command) in pipeline.iter().enumerate() {
            let last = i + 1 == pipeline.len();
            let ran = self.run_command(cluster, command, location, input.as_deref(), background);
            status = ran.status;
            if last {
                output.append(ran.output);
            } else {
                // Only stdout flows down the pipe; stderr reaches the terminal.
                let mut piped = String::new();
                for (stream, text) in ran.output.chunks {
                    match stream {
                        Stream::Out => piped.push_str(&text),
                        Stream::Err => output.err(text),
                    }
                }
                input = Some(piped);
            }
        }
        Ran { output, status }
    }

    fn run_command(
        &mut self,
        cluster: &mut Cluster,
        command: &Command,
        location: &Location,
        stdin: Option<&str>,
        background: bool,
    ) -> Ran {
        match command {
            Command::For { variable, items, body } => {
                let mut values = Vec::new();
                for item in items {
                    values.extend(self.expand(cluster, item, location));
                }
                let mut output = Output::default();
                let mut status = 0;
                for value in values {
                    self.vars.insert(variable.clone(), value);
                    let ran = self.run_list(cluster, body, location, stdin);
                    output.append(ran.output);
                    status = ran.status;
                }
                Ran { output, status }
            }
            Command::Simple { words, redirects } => {
                let mut argv = Vec::new();
                for word in words {
                    argv.extend(self.expand(cluster, word, location));
                }
                // Leading NAME=value words set shell variables.
                while let Some((name, value)) = argv.first().and_then(|w| assignment(w)) {
                    self.vars.insert(name, value);
                    argv.remove(0);
                }
                let ran = if argv.is_empty() {
                    Ran::ok(Output::default())
                } else {
                    builtins::dispatch(self, cluster, &argv, location, stdin, background)
                };
                self.redirect(cluster, ran, redirects, location)
            }
        }
    }

    /// Applies `>`, `>>`, `2>` and `2>&1` to what a command printed.
    fn redirect(&mut self, cluster: &mut Cluster, mut ran: Ran, redirects: &[Redirect], location: &Location) -> Ran {
        for redirect in redirects {
            match redirect {
                Redirect::StderrToStdout => {
                    let text = ran.output.text();
                    ran.output.chunks = if text.is_empty() { Vec::new() } else { vec![(Stream::Out, text)] };
                }
                Redirect::Stderr { path } => {
                    let target = self.expand(cluster, path, location).join(" ");
                    let errors: String =
                        ran.output.chunks.iter().filter(|(s, _)| *s == Stream::Err).map(|(_, t)| t.as_str()).collect();
                    ran.output.chunks.retain(|(s, _)| *s == Stream::Out);
                    if target != "/dev/null" {
                        let _ = self.write_file(cluster, location, &target, errors, false);
                    }
                }
                Redirect::Stdout { path, append } => {
                    let target = self.expand(cluster, path, location).join(" ");
                    let text = ran.output.stdout();
                    ran.output.chunks.retain(|(s, _)| *s == Stream::Err);
                    if target != "/dev/null" {
                        if let Err(message) = self.write_file(cluster, location, &target, text, *append) {
                            ran.output.err(format!("sh: can't create {target}: {message}\n"));
                            ran.status = 1;
                        }
                    }
                }
            }
        }
        ran
    }

    fn write_file(
        &mut self,
        cluster: &mut Cluster,
        location: &Location,
        path: &str,
        text: String,
        append: bool,
    ) -> Result<(), String> {
        match location {
            Location::Host => {
                let entry = self.host_files.entry(path.trim_start_matches("./").to_string()).or_default();
                if !append {
                    entry.clear();
                }
                entry.push_str(&text);
                Ok(())
            }
            Location::Pod { pod, container } => {
                let path = absolute(path);
                let existing = if append {
                    cluster.read_file(pod, Some(container), &path).unwrap_or_default()
                } else {
                    String::new()
                };
                cluster.write_file(pod, Some(container), &path, existing + &text)
            }
        }
    }

    /// Expands one word into arguments: variables, `$(…)`, field splitting of unquoted results.
    fn expand(&mut self, cluster: &mut Cluster, word: &Word, location: &Location) -> Vec<String> {
        let mut fields: Vec<String> = vec![String::new()];
        let mut produced = false;
        for part in &word.parts {
            let (text, quoted) = match part {
                Part::Literal(text) => {
                    produced = true;
                    (text.clone(), true)
                }
                Part::Var { name, quoted } => (self.variable(cluster, name, location), *quoted),
                Part::Command { line, quoted } => (self.substitute(cluster, line, location), *quoted),
            };
            if quoted {
                produced = true;
                if let Some(last) = fields.last_mut() {
                    last.push_str(&text);
                }
                continue;
            }
            let mut pieces = text.split_whitespace();
            if text.starts_with(char::is_whitespace) && fields.last().is_some_and(|f| !f.is_empty()) {
                fields.push(String::new());
            }
            if let Some(first) = pieces.next() {
                produced = true;
                if let Some(last) = fields.last_mut() {
                    last.push_str(first);
                }
            }
            for piece in pieces {
                fields.push(piece.to_string());
            }
            if text.ends_with(char::is_whitespace) && !text.trim().is_empty() {
                fields.push(String::new());
            }
        }
        if !produced {
            return Vec::new();
        }
        if fields.len() > 1 && fields.last().is_some_and(String::is_empty) {
            fields.pop();
        }
        fields
    }

    fn variable(&self, cluster: &Cluster, name: &str, location: &Location) -> String {
        if name == "?" {
            return self.status.to_string();
        }
        match location {
            Location::Host => self.vars.get(name).cloned().unwrap_or_default(),
            Location::Pod { pod, container } => self
                .vars
                .get(name)
                .cloned()
                .or_else(|| {
                    builtins::pod_environment(cluster, pod, container)
                        .into_iter()
                        .find(|(k, _)| k == name)
                        .map(|(_, v)| v)
                })
                .unwrap_or_default(),
        }
    }

    /// `$(…)`: runs the line and takes its stdout without trailing newlines.
    fn substitute(&mut self, cluster: &mut Cluster, line: &str, location: &Location) -> String {
        if self.depth >= shell::MAX_NESTING {
            return String::new();
        }
        self.depth += 1;
        let ran = match shell::parse_nested(line, self.depth) {
            Ok(list) => self.run_list(cluster, &list, location, None),
            Err(message) => Ran::fail(message, 2),
        };
        self.depth -= 1;
        ran.output.stdout().trim_end_matches('\n').to_string()
    }

    /// Polls a running watch: the lines it prints now (browser: each tick).
    pub fn poll_watch(&mut self, cluster: &Cluster) -> String {
        match self.watch.as_mut() {
            Some(watch) => watch.poll(cluster),
            None => String::new(),
        }
    }

    /// Ctrl-C: ends a watch.
    pub fn interrupt(&mut self) -> bool {
        self.watch.take().is_some()
    }
}

fn assignment(word: &str) -> Option<(String, String)> {
    let (name, value) = word.split_once('=')?;
    let valid = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    valid.then(|| (name.to_string(), value.to_string()))
}

/// Paths inside a container are relative to `/`.
fn absolute(path: &str) -> String {
    if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    }
}

/// Runs a script the way `sts-replay` does: for each line, the prompt and the
/// line, then what the terminal printed. Blank lines and `#` comments are skipped,
/// except `# host: linux` (or `darwin`), which sets the learner's operating system.
pub fn replay(script: &str, seed: u64, files: Box<dyn HostFiles + Send + Sync>) -> String {
    let mut cluster = new_cluster(seed);
    let mut terminal = Terminal::new();
    terminal.set_host_files(files);
    let mut transcript = String::new();
    for line in script.lines() {
        let trimmed = line.trim();
        if let Some(host) = trimmed.strip_prefix("# host:").and_then(HostOs::parse) {
            terminal.host = host;
            continue;
        }
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        transcript.push_str(&terminal.prompt());
        transcript.push_str(line);
        transcript.push('\n');
        let output = terminal.run(&mut cluster, line);
        transcript.push_str(&output.text());
        // Without `timeout`, a watch in a script prints its first table and stops.
        terminal.watch = None;
    }
    transcript
}
