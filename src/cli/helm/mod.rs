//! `helm`, the chart tool of the lab's Task 2, as Helm v3.21 prints it: `create`,
//! `template`, `install` (with `--dry-run` and `--debug`), `upgrade [--install]`,
//! `rollback`, `uninstall`, `list`, `history`, `status`, `get`, `lint` and `test`.
//! Charts are files on the learner's machine (the terminal's files); releases are
//! Secrets in the cluster ([`release`]); templates run on [`template`].

mod chart;
mod charts;
mod deploys;
mod reads;
mod release;
pub mod template;

use std::collections::BTreeSet;

use super::{kubectl, Ran, Terminal};
use crate::core::api::yaml::{Mapping, Value};
use crate::core::cluster::Cluster;
use crate::core::time::{go_time_string, SECOND};
use chart::{Chart, Manifest, ReleaseInfo};
use charts::{create, lint, render_chart, template};
use deploys::{apply, current, delete_objects, install, rollback, uninstall, upgrade};
use reads::{get, history, list, status, test};
use release::{Printer, Release};

/// Flags that take a value.
const VALUED: &[&str] = &[
    "-f",
    "--values",
    "--set",
    "--set-string",
    "-n",
    "--namespace",
    "--max",
    "-s",
    "--show-only",
    "--timeout",
    "--version",
    "-o",
    "--output",
    "--revision",
    "--description",
    "--kube-version",
    "--time-format",
];
/// Flags on their own.
const SWITCHES: &[&str] = &[
    "--dry-run",
    "--debug",
    "--install",
    "-i",
    "--keep-history",
    "--no-hooks",
    "--skip-tests",
    "--wait",
    "--atomic",
    "--create-namespace",
    "--generate-name",
    "-g",
    "-a",
    "--all",
    "-q",
    "--short",
    "--reuse-values",
    "--reset-values",
    "--logs",
    "--no-headers",
    "--strict",
    "--force",
    "--cleanup-on-fail",
    "--wait-for-jobs",
    "--include-crds",
    "--hide-notes",
    "--quiet",
];

/// A parsed command line: positional words and flags (in order, repeats kept).
struct Args<'a> {
    positional: Vec<&'a str>,
    flags: Vec<(&'a str, &'a str)>,
}

impl<'a> Args<'a> {
    fn parse(words: &[&'a str]) -> Result<Args<'a>, String> {
        let mut args = Args { positional: Vec::new(), flags: Vec::new() };
        let mut words = words.iter();
        while let Some(&word) = words.next() {
            if !word.starts_with('-') || word == "-" {
                args.positional.push(word);
                continue;
            }
            let (flag, inline) = match word.split_once('=') {
                Some((flag, value)) => (flag, Some(value)),
                None => (word, None),
            };
            if VALUED.contains(&flag) {
                let value = match inline {
                    Some(value) => value,
                    None => *words.next().ok_or_else(|| format!("flag needs an argument: {flag}"))?,
                };
                args.flags.push((flag, value));
            } else if SWITCHES.contains(&flag) {
                args.flags.push((flag, inline.unwrap_or("true")));
            } else {
                return Err(format!("unknown flag: {flag}"));
            }
        }
        Ok(args)
    }
    fn has(&self, names: &[&str]) -> bool {
        self.flags.iter().any(|(f, v)| names.contains(f) && *v != "false")
    }
    fn value(&self, names: &[&str]) -> Option<&'a str> {
        self.flags.iter().rev().find(|(f, _)| names.contains(f)).map(|(_, v)| *v)
    }
    fn values(&self, names: &[&str]) -> Vec<&'a str> {
        self.flags.iter().filter(|(f, _)| names.contains(f)).map(|(_, v)| *v).collect()
    }
}

fn error(message: impl std::fmt::Display) -> Ran {
    Ran::fail(format!("Error: {message}\n"), 1)
}

/// `helm …`.
pub(crate) fn helm(term: &mut Terminal, cluster: &mut Cluster, words: &[&str]) -> Ran {
    let Some(&command) = words.first() else {
        return Ran::out("The Kubernetes package manager\n\nUsage:\n  helm [command]\n\nAvailable Commands:\n  create      create a new chart with the given name\n  get         download extended information of a named release\n  history     fetch release history\n  install     install a chart\n  lint        examine a chart for possible issues\n  list        list releases\n  rollback    roll back a release to a previous revision\n  status      display the status of the named release\n  template    locally render templates\n  test        run tests for a release\n  uninstall   uninstall a release\n  upgrade     upgrade a release\n  version     print the client version information\n");
    };
    let args = match Args::parse(&words[1..]) {
        Ok(args) => args,
        Err(message) => return error(message),
    };
    if let Some(namespace) = args.value(&["-n", "--namespace"]).filter(|n| *n != "default") {
        if command != "create" && command != "template" && command != "lint" {
            return error(format!("create: failed to create: namespaces \"{namespace}\" not found"));
        }
    }
    match command {
        "version" => Ran::out("version.BuildInfo{Version:\"v3.21.4\", GitCommit:\"813176c51bb5c181dbbd7901298ddcc104cd3417\", GitTreeState:\"clean\", GoVersion:\"go1.26.0\"}\n"),
        "create" => create(term, &args),
        "template" => template(term, &args),
        "install" => install(term, cluster, &args),
        "upgrade" => upgrade(term, cluster, &args),
        "rollback" => rollback(term, cluster, &args),
        "uninstall" | "delete" | "del" | "un" => uninstall(term, cluster, &args),
        "list" | "ls" => list(cluster, &args),
        "history" | "hist" => history(cluster, &args),
        "status" => status(cluster, &args),
        "get" => get(cluster, &args),
        "lint" => lint(term, &args),
        "test" => test(term, cluster, &args),
        other => error(format!("unknown command \"{other}\" for \"helm\"\nRun 'helm --help' for usage.")),
    }
}

/// `"helm CMD" requires N argument(s)` as cobra's helpers word it.
fn needs(command: &str, count: usize, usage: &str) -> Ran {
    let plural = if count == 1 { "argument" } else { "arguments" };
    error(format!("\"helm {command}\" requires {count} {plural}\n\nUsage:  {usage} [flags]"))
}
