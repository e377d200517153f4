//! `sts-replay [--seed N] SCRIPT|-`: runs a terminal script against a fresh
//! simulated cluster and prints the transcript (see README, "sts-replay").

use std::path::{Path, PathBuf};

use sts_playground::cli::{replay, HostFiles};

/// `kubectl apply -f PATH` reads PATH relative to the script's folder.
struct Folder(PathBuf);

impl HostFiles for Folder {
    fn read(&self, path: &str) -> Option<String> {
        std::fs::read_to_string(self.0.join(path)).ok()
    }
}

fn usage() -> ! {
    eprintln!("usage: sts-replay [--seed N] SCRIPT|-");
    std::process::exit(2);
}

fn main() {
    let mut seed = 1u64;
    let mut script_path = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seed" => seed = args.next().and_then(|s| s.parse().ok()).unwrap_or_else(|| usage()),
            "-h" | "--help" => usage(),
            _ if arg.starts_with("--seed=") => seed = arg["--seed=".len()..].parse().unwrap_or_else(|_| usage()),
            _ => script_path = Some(arg),
        }
    }
    let Some(script_path) = script_path else { usage() };
    let (script, folder) = if script_path == "-" {
        let mut text = String::new();
        if std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).is_err() {
            eprintln!("sts-replay: cannot read the script from stdin");
            std::process::exit(1);
        }
        (text, PathBuf::from("."))
    } else {
        match std::fs::read_to_string(&script_path) {
            Ok(text) => (text, Path::new(&script_path).parent().map(Path::to_path_buf).unwrap_or_default()),
            Err(error) => {
                eprintln!("sts-replay: cannot read {script_path}: {error}");
                std::process::exit(1);
            }
        }
    };
    print!("{}", replay(&script, seed, Box::new(Folder(folder))));
}
