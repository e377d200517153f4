//! The simulated programs answering HTTP (README "Simulated workloads"):
//! the visits app and nginx. Their files live in [`crate::core::node::files`].

use crate::core::api::{Container, Pod};
use crate::core::apiserver::store::Store;
use crate::core::node::files::{self, Filesystems};
use crate::core::node::workload::{self, Program};

/// Where the visits app keeps its counter unless `$VISITS_FILE` says otherwise.
pub const DEFAULT_VISITS_FILE: &str = "/data/visits";
const NGINX_ROOT: &str = "/usr/share/nginx/html";

pub use crate::core::network::http::HttpResponse;

pub fn visits_file(container: &Container) -> String {
    container
        .env
        .iter()
        .find(|e| e.name == "VISITS_FILE")
        .and_then(|e| e.value.clone())
        .unwrap_or_else(|| DEFAULT_VISITS_FILE.to_string())
}

/// The count the visits app reads from its file at start (0 when missing or unreadable).
pub fn read_visits(store: &Store, fs: &Filesystems, pod: &Pod, container: &Container) -> u64 {
    let at = files::resolve(store, pod, container, &visits_file(container));
    fs.read(store, &at).and_then(|text| text.trim().parse().ok()).unwrap_or(0)
}

/// Handles `method path` in `container`. `memory` is the visits app's in-process
/// counter. Both programs serve GET (and HEAD, the same without a body, which the
/// client drops); any other method is 405, as a GET-only route and static nginx answer.
pub fn handle(
    store: &Store,
    fs: &mut Filesystems,
    pod: &Pod,
    container: &Container,
    memory: &mut u64,
    (method, path): (&str, &str),
) -> HttpResponse {
    let path = path.split('?').next().unwrap_or("/");
    let respond =
        |status, content_type, body: String| HttpResponse { status, content_type, body, pod: pod.name().to_string() };
    let hostname = pod.spec.hostname.clone().unwrap_or_else(|| pod.name().to_string());
    let program = workload::image_traits(&container.image).program;
    if !matches!(method, "GET" | "HEAD") {
        return match program {
            Program::Nginx => respond(405, "text/html", nginx_error(405, "Not Allowed")),
            Program::Visits => respond(405, "text/plain", "405 method not allowed\n".into()),
            Program::Shell => respond(0, "text/plain", String::new()),
        };
    }
    match program {
        Program::Visits => match path {
            "/" => {
                *memory += 1;
                let at = files::resolve(store, pod, container, &visits_file(container));
                // A read-only mount keeps the count in memory only, as a real app failing to write would.
                let _ = fs.write(&at, memory.to_string());
                respond(200, "text/html", format!(
                    "<!DOCTYPE html>\n<html><head><title>{hostname}</title></head>\n<body><h1>Hello from {hostname}</h1>\n<p>Visits: {memory}</p></body></html>\n"
                ))
            }
            "/visits" => respond(200, "text/plain", format!("Visits: {memory}\n")),
            p if workload::probe_status(container, p) == 200 => respond(200, "text/plain", "ok\n".into()),
            _ => respond(404, "text/plain", "404 page not found\n".into()),
        },
        Program::Nginx => {
            let mounted = container.volume_mounts.iter().any(|m| files::normalize(&m.mount_path) == NGINX_ROOT);
            let file = if path.ends_with('/') { format!("{path}index.html") } else { path.to_string() };
            let at = files::resolve(store, pod, container, &format!("{NGINX_ROOT}{file}"));
            match fs.read(store, &at) {
                Some(body) => respond(200, "text/html", body),
                None if !mounted && file == "/index.html" => respond(200, "text/html", NGINX_WELCOME.into()),
                // Real nginx: a directory without index.html is 403 (autoindex off).
                None if path.ends_with('/') => respond(403, "text/html", nginx_error(403, "Forbidden")),
                None => respond(404, "text/html", nginx_error(404, "Not Found")),
            }
        }
        Program::Shell => respond(0, "text/plain", String::new()),
    }
}

fn nginx_error(code: u16, text: &str) -> String {
    format!("<html>\r\n<head><title>{code} {text}</title></head>\r\n<body>\r\n<center><h1>{code} {text}</h1></center>\r\n<hr><center>nginx/1.27.4</center>\r\n</body>\r\n</html>\r\n")
}

const NGINX_WELCOME: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n</body>\n</html>\n";

/// What a program prints when it starts.
pub fn startup_log(container: &Container, count: u64) -> Vec<String> {
    match workload::image_traits(&container.image).program {
        Program::Visits => vec![format!(
            "visits: listening on :{} (count {count} read from {})",
            workload::listen_port(container).unwrap_or(8080),
            visits_file(container)
        )],
        Program::Nginx => vec![
            "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration".into(),
            "/docker-entrypoint.sh: Configuration complete; ready for start up".into(),
        ],
        Program::Shell => shell_echoes(container),
    }
}

/// What `echo` prints in a shell container's command (`sh -c "echo hi; sleep 5"`).
fn shell_echoes(container: &Container) -> Vec<String> {
    let parts: Vec<&str> = container.command.iter().chain(&container.args).map(String::as_str).collect();
    let script = match parts.as_slice() {
        [shell, "-c", script, ..] if shell.ends_with("sh") => script.to_string(),
        ["echo", rest @ ..] => format!("echo {}", rest.join(" ")),
        _ => return Vec::new(),
    };
    script
        .split([';', '\n'])
        .flat_map(|s| s.split("&&"))
        .filter_map(|segment| segment.trim().strip_prefix("echo "))
        .map(|text| text.trim().trim_matches(['"', '\'']).to_string())
        .collect()
}

/// One access-log line for a request, as the program logs it.
pub fn access_log(
    container: &Container,
    client_ip: &str,
    (method, path): (&str, &str),
    response: &HttpResponse,
    now: u64,
) -> String {
    let stamp = crate::core::time::common_log_date(now);
    match workload::image_traits(&container.image).program {
        Program::Nginx => format!(
            "{client_ip} - - [{stamp}] \"{method} {path} HTTP/1.1\" {} {} \"-\" \"curl/8.5.0\" \"-\"",
            response.status,
            response.body.len()
        ),
        _ => format!("{client_ip} - - [{stamp}] \"{method} {path} HTTP/1.1\" {} -", response.status),
    }
}
