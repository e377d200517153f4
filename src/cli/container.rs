//! The programs inside the containers, for the core's container runtime: the
//! terminal's shell and tools run `kubectl exec` commands and exec probes.

use super::{builtins, Location, Stream, Terminal};
use crate::core::cluster::Cluster;
use crate::core::node::{Exec, ExecResult, ExecStream};

/// A cluster whose containers run the terminal's programs (`sh`, `cat`, `curl` …):
/// what the session, `sts-replay` and the tests start from.
pub fn new_cluster(seed: u64) -> Cluster {
    Cluster::new(seed).with_container_exec(container_exec)
}

/// Runs a command in a container as the container runtime does (the core's
/// `ContainerExec`, for exec probes and `kubectl exec`): the command itself (a shell
/// only if it names one), with the programs of the image, in a shell state of its own
/// (the learner's shell variables stay on the host). Programs the playground does not
/// simulate (`pg_isready`, `redis-cli`…) are taken to succeed.
fn container_exec(cluster: &mut Cluster, exec: Exec) -> ExecResult {
    let mut term = Terminal { probe: exec.probe.then_some(0), ..Terminal::new() };
    let location = Location::Pod { pod: exec.pod.to_string(), container: exec.container.to_string() };
    let ran = builtins::dispatch(&mut term, cluster, exec.command, &location, exec.stdin, false);
    let output = ran
        .output
        .chunks
        .into_iter()
        .map(|(stream, text)| (if stream == Stream::Err { ExecStream::Stderr } else { ExecStream::Stdout }, text))
        .collect();
    ExecResult { status: ran.status, output, took: term.probe.unwrap_or(0) }
}
