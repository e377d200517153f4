//! The learner's own machine, where `kubectl` and `minikube` run: its operating
//! system decides how the Docker driver's node is reached (minikube's
//! `driver.NeedsPortForward`).

/// The laptop's operating system.
///
/// On Linux the Docker driver's node (192.168.49.2) is on a bridge the host can
/// reach: NodePorts answer there, and `minikube service` opens a tunnel only for a
/// Service without a node port, and only without `--url`. On macOS (Docker
/// Desktop) the node's network is inside Docker's VM: nothing in the cluster is
/// reachable from the Mac except through ssh tunnels on 127.0.0.1, which
/// `minikube service` (with or without `--url`) and `minikube tunnel` open.
/// The learners' transcripts (`../shared/seeds/`) come from a MacBook, so macOS
/// is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HostOs {
    #[default]
    MacOs,
    Linux,
}

impl HostOs {
    pub const ALL: [HostOs; 2] = [HostOs::MacOs, HostOs::Linux];

    /// Go's `runtime.GOOS`, as minikube prints it ("… Docker driver on darwin").
    pub fn goos(self) -> &'static str {
        match self {
            HostOs::MacOs => "darwin",
            HostOs::Linux => "linux",
        }
    }

    /// Reads [`HostOs::goos`] back (`darwin`, `macos`, `linux`, any case).
    pub fn parse(text: &str) -> Option<HostOs> {
        match text.trim().to_ascii_lowercase().as_str() {
            "darwin" | "macos" | "mac" => Some(HostOs::MacOs),
            "linux" => Some(HostOs::Linux),
            _ => None,
        }
    }

    /// How the page names it.
    pub fn label(self) -> &'static str {
        match self {
            HostOs::MacOs => "macOS (Docker Desktop)",
            HostOs::Linux => "Linux (Docker)",
        }
    }

    /// Whether the Docker driver needs ssh port forwards to reach the node
    /// (minikube's `driver.NeedsPortForward`: true on macOS and Windows).
    pub fn needs_port_forward(self) -> bool {
        self == HostOs::MacOs
    }

    /// What `uname` prints.
    pub fn uname(self, args: &[&str]) -> Result<String, String> {
        let (kernel, release, machine) = match self {
            HostOs::MacOs => ("Darwin", "24.3.0", "arm64"),
            HostOs::Linux => ("Linux", "6.8.0-51-generic", "x86_64"),
        };
        let mut fields = Vec::new();
        for arg in args {
            match *arg {
                "-s" => fields.push(kernel.to_string()),
                "-r" => fields.push(release.to_string()),
                "-m" => fields.push(machine.to_string()),
                "-n" => fields.push("laptop".to_string()),
                "-a" => return Ok(format!("{kernel} laptop {release} {machine}\n")),
                other => {
                    return Err(match self {
                        HostOs::MacOs => format!(
                            "uname: illegal option -- {}\nusage: uname [-amnoprsv]\n",
                            other.trim_start_matches('-')
                        ),
                        HostOs::Linux => format!(
                            "uname: invalid option -- '{}'\nTry 'uname --help' for more information.\n",
                            other.trim_start_matches('-')
                        ),
                    })
                }
            }
        }
        if fields.is_empty() {
            fields.push(kernel.to_string());
        }
        Ok(format!("{}\n", fields.join(" ")))
    }
}
