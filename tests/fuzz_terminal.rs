//! Bad input at the terminal (issue: terminal tests): random bytes, long lines,
//! unbalanced quotes and deep `$(…)` all answer with a message, never a panic.

use proptest::prelude::*;
use sts_playground::cli::Terminal;
use sts_playground::core::cluster::Cluster;
use sts_playground::session::samples::DEFAULT_MANIFEST;

fn running_cluster() -> (Cluster, Terminal) {
    let mut cluster = sts_playground::cli::new_cluster(1);
    cluster.apply_text(DEFAULT_MANIFEST).unwrap();
    cluster.advance(30_000);
    let mut terminal = Terminal::new();
    terminal.put_host_file("web.yaml", DEFAULT_MANIFEST.to_string());
    (cluster, terminal)
}

fn command_line() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "kubectl",
        "get",
        "po,sts,svc,pvc",
        "-o",
        "yaml",
        "json",
        "wide",
        "jsonpath={.items[*].metadata.name}",
        "exec",
        "web-0",
        "--",
        "sh",
        "-c",
        "cat",
        "/data/visits",
        "delete",
        "pod",
        "scale",
        "sts",
        "web",
        "--replicas=0",
        "--replicas=7",
        "rollout",
        "status",
        "undo",
        "history",
        "describe",
        "logs",
        "-f",
        "web.yaml",
        "apply",
        "patch",
        "-p",
        "{\"spec\":{\"replicas\":2}}",
        "'",
        "\"",
        "$(",
        ")",
        "|",
        "&&",
        "||",
        ";",
        ">",
        "2>&1",
        "&",
        "for",
        "i",
        "in",
        "do",
        "done",
        "$i",
        "echo",
        "nslookup",
        "curl",
        "timeout",
        "2",
        "-w",
        "sleep",
        "1",
        "exit",
        "run",
        "--image=busybox:1.28",
        "-it",
        "--rm",
        "wget",
        "-qO-",
        "http://web-0.visits:8080/",
        "grep",
        "wc",
        "-l",
    ]);
    prop::collection::vec(words, 0..12).prop_map(|w| w.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn any_line_gets_an_answer_not_a_panic(lines in prop::collection::vec(prop_oneof![command_line(), any::<String>()], 1..6)) {
        let (mut cluster, mut terminal) = running_cluster();
        for line in lines {
            let _ = terminal.run(&mut cluster, &line);
            let _ = terminal.prompt();
            let _ = terminal.poll_watch(&cluster);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn completion_and_flags_survive_any_text(text in any::<String>(), flag in "-[\\PC]{1,4}") {
        let (mut cluster, mut terminal) = running_cluster();
        for line in [text.clone(), format!("kubectl {text}"), format!("kubectl get pods {flag}"), format!("kubectl exec web-0 {flag} -- ls")] {
            let completion = sts_playground::cli::complete::complete(&cluster, &line);
            prop_assert!(completion.start <= line.len() && line.is_char_boundary(completion.start));
            let _ = terminal.run(&mut cluster, &line);
        }
    }
}

#[test]
fn wide_whitespace_and_multibyte_flags_do_not_split_characters() {
    let (mut cluster, mut terminal) = running_cluster();
    let line = "kubectl\u{3000}get po";
    let completion = sts_playground::cli::complete::complete(&cluster, line);
    assert!(line.is_char_boundary(completion.start));
    let output = terminal.run(&mut cluster, "kubectl get pods -éx");
    assert!(output.text().contains("unknown shorthand flag"), "{}", output.text());
}

#[test]
fn huge_lines_and_deep_substitutions_are_refused() {
    let (mut cluster, mut terminal) = running_cluster();
    let long = format!("echo {}", "x".repeat(100 * 1024));
    assert!(terminal.run(&mut cluster, &long).text().contains("line too long"));
    let deep = format!("echo {}x{}", "$(echo ".repeat(64), ")".repeat(64));
    let output = terminal.run(&mut cluster, &deep);
    assert!(!output.text().is_empty());
    let unbalanced = terminal.run(&mut cluster, "echo \"$(kubectl get pods");
    assert!(unbalanced.text().contains("unexpected EOF"));
}
