//! What the simulated images do (README "Simulated workloads"). The kubelet asks
//! here how a container behaves; the HTTP and shell layers ask what it serves.

use crate::core::api::Container;

/// The program a container image runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Program {
    /// Any image not listed below: counts visits in `$VISITS_FILE`.
    Visits,
    /// `nginx`, `*/nginx`, `*/nginx-slim`: serves /usr/share/nginx/html on port 80.
    Nginx,
    /// `busybox*`, `alpine*`, `*dnsutils*`: runs its command and args.
    Shell,
}

/// How an image behaves in the simulated container runtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageTraits {
    pub program: Program,
    /// Tag `missing` or `*-missing`: the pull fails (ErrImagePull → ImagePullBackOff).
    pub pull_fails: bool,
    /// Tag `crash` or `*-crash`: starts, then exits with code 1 before it listens
    /// (Error → CrashLoopBackOff): never Ready, never answering.
    pub crashes: bool,
}

pub use crate::core::api::split_image;

pub fn image_traits(image: &str) -> ImageTraits {
    let (repository, tag) = split_image(image);
    let base = repository.rsplit('/').next().unwrap_or(repository);
    let program = if base == "nginx" || base == "nginx-slim" {
        Program::Nginx
    } else if base.starts_with("busybox") || base.starts_with("alpine") || base.contains("dnsutils") {
        Program::Shell
    } else {
        Program::Visits
    };
    ImageTraits {
        program,
        pull_fails: tag == "missing" || tag.ends_with("-missing"),
        crashes: tag == "crash" || tag.ends_with("-crash"),
    }
}

/// How long a shell container's command runs, in seconds: `None` = until stopped.
/// Recognises `sleep N`, `sleep infinity` and `while true` loops; anything else
/// (`echo`, `cat`, `true`) finishes at once.
pub fn shell_run_seconds(container: &Container) -> Option<u64> {
    let words: Vec<&str> = container
        .command
        .iter()
        .chain(container.args.iter())
        .flat_map(|part| part.split(|c: char| c.is_whitespace() || c == ';' || c == '&'))
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        // busybox's default command is `sh`, which exits at once without a terminal.
        return Some(0);
    }
    if words.windows(2).any(|w| w[0] == "while" && (w[1] == "true" || w[1] == ":")) {
        return None;
    }
    match words.iter().position(|w| *w == "sleep").and_then(|i| words.get(i + 1)) {
        Some(&"infinity") => None,
        Some(n) => Some(crate::core::time::parse_decimal(n, 1000).map_or(0, |ms| ms / 1000)),
        None => Some(0),
    }
}

/// Whether the program ignores SIGTERM and so takes the whole grace period (§2.12).
pub fn ignores_sigterm(container: &Container) -> bool {
    image_traits(&container.image).program == Program::Shell
}

/// The port the program listens on: `$PORT`, else the first containerPort, else 8080
/// (the visits app); nginx always listens on 80.
pub fn listen_port(container: &Container) -> Option<i64> {
    let traits = image_traits(&container.image);
    // A crashing image's app exits while starting, before it listens (issue 15 §3).
    if traits.crashes {
        return None;
    }
    match traits.program {
        Program::Nginx => Some(80),
        Program::Shell => None,
        Program::Visits => Some(
            container
                .env
                .iter()
                .find(|e| e.name == "PORT")
                .and_then(|e| e.value.as_deref()?.parse().ok())
                .or_else(|| container.ports.first().map(|p| p.container_port))
                .unwrap_or(8080),
        ),
    }
}

/// HTTP status the program answers for `path` on a health check.
pub fn probe_status(container: &Container, path: &str) -> u16 {
    let path = path.split('?').next().unwrap_or(path);
    match image_traits(&container.image).program {
        Program::Visits => match path {
            "/" | "/visits" | "/healthz" | "/health" | "/healthcheck" | "/ready" | "/readyz" | "/livez" => 200,
            _ => 404,
        },
        // UNVERIFIED simplification: nginx answers health checks with 200 on "/" and 404 elsewhere
        // (the 403 of an empty mounted html folder comes with the HTTP layer).
        Program::Nginx => {
            if path == "/" || path == "/index.html" {
                200
            } else {
                404
            }
        }
        Program::Shell => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_choose_their_program_and_failure_mode_by_name_and_tag() {
        assert_eq!(image_traits("registry.k8s.io/nginx-slim:0.8").program, Program::Nginx);
        assert_eq!(image_traits("nginx").program, Program::Nginx);
        assert_eq!(image_traits("busybox:1.28").program, Program::Shell);
        assert_eq!(image_traits("ghcr.io/example/visits:1.0").program, Program::Visits);
        assert!(image_traits("nginx:missing").pull_fails);
        assert!(image_traits("visits:2.0-missing").pull_fails);
        assert!(image_traits("visits:crash").crashes);
        assert!(!image_traits("localhost:5000/visits").crashes, "a registry port is not a tag");
        assert_eq!(split_image("localhost:5000/visits"), ("localhost:5000/visits", "latest"));
    }

    #[test]
    fn shell_commands_run_for_their_sleep() {
        let c = |args: &[&str]| Container {
            image: "busybox".into(),
            command: args.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        };
        assert_eq!(shell_run_seconds(&c(&["sleep", "3600"])), Some(3600));
        assert_eq!(shell_run_seconds(&c(&["sh", "-c", "echo hi; sleep 5"])), Some(5));
        assert_eq!(shell_run_seconds(&c(&["sleep", "infinity"])), None);
        assert_eq!(shell_run_seconds(&c(&["sh", "-c", "while true; do date; sleep 1; done"])), None);
        assert_eq!(shell_run_seconds(&c(&["echo", "done"])), Some(0));
    }
}
