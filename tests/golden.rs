//! Golden transcripts: each `tests/golden/*.sh` script is replayed (as
//! `sts-replay` does) and must print exactly its `.out` file.
//! Set `UPDATE_GOLDEN=1` to rewrite the `.out` files after a deliberate change.

use std::path::{Path, PathBuf};

use sts_playground::cli::{replay, HostFiles};

struct Folder(PathBuf);

impl HostFiles for Folder {
    fn read(&self, path: &str) -> Option<String> {
        std::fs::read_to_string(self.0.join(path)).ok()
    }
}

fn check(name: &str) {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let script = std::fs::read_to_string(folder.join(format!("{name}.sh"))).expect("script");
    let transcript = replay(&script, 1, Box::new(Folder(folder.clone())));
    let expected_path = folder.join(format!("{name}.out"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&expected_path, &transcript).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    if transcript != expected {
        let first_difference = transcript.lines().zip(expected.lines()).position(|(a, b)| a != b).unwrap_or(0);
        panic!(
            "{name}: transcript differs from {name}.out at line {}:\n got: {:?}\nwant: {:?}\n(run with UPDATE_GOLDEN=1 to accept)",
            first_difference + 1,
            transcript.lines().nth(first_difference),
            expected.lines().nth(first_difference)
        );
    }
}

#[test]
fn golden_lab_create_visits_delete_dns() {
    check("lab");
}

#[test]
fn golden_scale_partitioned_update_on_delete_rollback() {
    check("scale-update");
}

#[test]
fn golden_errors() {
    check("errors");
}

#[test]
fn golden_watch_describe_logs_exec_shell() {
    check("watch-describe");
}

#[test]
fn golden_sort_by_no_headers_follow_and_unknown_flags() {
    check("flags");
}

#[test]
fn golden_create_wait_annotate_wget_nodeport_delete_selectors() {
    check("more-commands");
}

/// Issue 16, the lab's Task 2: the starter chart turned into a StatefulSet with a
/// headless Service and volumeClaimTemplates, installed, storage proved per pod,
/// upgraded and rolled back.
#[test]
fn golden_helm_statefulset() {
    check("helm-statefulset");
}

#[test]
fn golden_helm_dry_run_output_with_hooks_and_configmap_env() {
    check("helm");
}

#[test]
fn golden_shell_variables_pipes_redirection_conditionals() {
    check("shell");
}

#[test]
fn golden_exec_probes_touch_and_rm_endpointslice_conditions() {
    check("exec-probes");
}

#[test]
fn golden_endpointslices_conditions_describe_yaml() {
    check("endpointslices");
}

#[test]
fn golden_kube_system_namespace_like_minikube() {
    check("kube-system");
}

#[test]
fn golden_curl_options_write_out_verbose_fail_and_exit_statuses() {
    check("curl");
}

#[test]
fn golden_minikube_service_node_ports_tunnels_and_list() {
    check("minikube");
}

/// Issue 15 §1: on the learners' Macs `curl $(minikube service NAME --url)/` reaches a
/// ClusterIP Service through a tunnel; NodePorts go through tunnels too.
#[test]
fn golden_minikube_service_on_macos_tunnels_every_service() {
    check("minikube-macos");
}

#[test]
fn golden_deployments_create_replace_rollout_undo_scale_expose_autoscale_delete() {
    check("deployments");
}

/// Issue 16: the Helm commands of the lab's Task 2 on `helm create`'s chart.
#[test]
fn golden_helm_create_install_upgrade_rollback_test_uninstall() {
    check("helm-chart");
}
