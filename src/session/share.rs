//! A session as text: the log format, compressed share codes, the shell-script
//! export for a real cluster, and the URL fragments that carry them.

use super::*;
use crate::core::time::{Millis, SECOND};

/// The first line of a session's text; `sts-playground 1` (before the laptop's
/// operating system could be chosen) is still read.
const FORMAT: &str = "sts-playground 2";
/// Largest decoded share text accepted (a long classroom session is ~50 KB).
const SHARE_MAX_BYTES: usize = 512 * 1024;
/// Most actions a share link may carry.
const SHARE_MAX_ACTIONS: usize = 5_000;

impl Session {
    /// The log as text: a header (`sts-playground 2`, `seed N`, `now MS`), then
    /// one line per action, `AT CODE PAYLOAD`, payloads with `\\` and `\n` escaped.
    pub fn to_text(&self) -> String {
        let mut text = format!("{FORMAT}\nseed {}\nnow {}\n", self.seed, self.now());
        for Recorded { at, action } in &self.log {
            let (code, payload) = match action {
                Action::Manifest(manifest) => ("M", escape(manifest)),
                Action::Apply => ("A", String::new()),
                Action::Run(line) => ("R", escape(line)),
                Action::Interrupt => ("C", String::new()),
                Action::Requests { target, count } => ("Q", format!("{count} {}", escape(target))),
                Action::Traffic { target, per_second } => ("T", format!("{per_second} {}", escape(target))),
                Action::DeletePod(name) => ("D", escape(name)),
                Action::Host(host) => ("H", host.goos().to_string()),
                Action::File { path, text: Some(text) } => ("W", format!("{} {}", escape(path), escape(text))),
                Action::File { path, text: None } => ("U", escape(path)),
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
        // Version 1 came before the choice of laptop, when the only one was Linux.
        let first_host = match lines.next() {
            Some("sts-playground 1") => HostOs::Linux,
            Some(FORMAT) => HostOs::default(),
            _ => return Err("this is not a StatefulSet Playground session (or it is from a newer version)".into()),
        };
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
                "H" => Action::Host(HostOs::parse(&payload).ok_or_else(|| bad("unknown operating system"))?),
                "W" => {
                    let (path, text) = payload.split_once(' ').ok_or_else(|| bad("a file needs a path and a text"))?;
                    let path = file_path(path).map_err(|why| bad(&why))?;
                    Action::File { path, text: Some(text.to_string()) }
                }
                "U" => Action::File { path: file_path(&payload).map_err(|why| bad(&why))?, text: None },
                _ => return Err(bad("unknown action")),
            };
            log.push(Recorded { at, action });
            if log.len() > SHARE_MAX_ACTIONS {
                return Err(format!("the session has more than {SHARE_MAX_ACTIONS} actions"));
            }
        }
        let mut session = Session::new(seed);
        session.terminal.host = first_host;
        Ok(session.replay_onto(&log, now))
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
                Action::Host(host) => {
                    script.push_str(&format!("# (the playground's laptop is now {})\n", host.label()))
                }
                Action::File { path, text: Some(text) } => {
                    let folder = path.rsplit_once('/').map(|(folder, _)| format!("mkdir -p {} && ", quote(folder)));
                    // A delimiter no line of a chart is likely to be (a line `EOF` is).
                    script.push_str(&format!(
                        "{}cat > {} <<'STS_PLAYGROUND_FILE'\n{}\nSTS_PLAYGROUND_FILE\n",
                        folder.unwrap_or_default(),
                        quote(path),
                        text.strip_suffix('\n').unwrap_or(text)
                    ));
                }
                Action::File { path, text: None } => script.push_str(&format!("rm {}\n", quote(path))),
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

/// A path the editor may write: relative, in folders, without spaces or `..`
/// (the session text splits on the first space), and not `manifest.yaml` (the
/// editor's manifest is its own action).
pub fn file_path(path: &str) -> Result<String, String> {
    let fine = !path.is_empty()
        && path.len() <= 200
        && path != "manifest.yaml"
        && path.split('/').all(|part| !part.is_empty() && part != "." && part != "..")
        && path.chars().all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c));
    if fine {
        Ok(path.to_string())
    } else {
        Err(format!("\"{path}\" is not a file name the editor can use (letters, digits, . _ - and / between folders)"))
    }
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
