//! The simulation core must stay web-free, so it runs natively, deterministically
//! and fast. Web crates are also only declared for wasm32 in Cargo.toml, so a
//! native build would fail to compile; this test says *why* in plain words.

use std::fs;
use std::path::Path;

const WEB_CRATES: [&str; 5] = ["leptos", "web_sys", "wasm_bindgen", "gloo", "js_sys"];

fn rust_files(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).expect("readable source folder") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn the_core_never_mentions_a_web_crate() {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src/core"), &mut files);
    assert!(!files.is_empty(), "src/core holds the engine");
    let mut offenders = Vec::new();
    for file in files {
        let text = fs::read_to_string(&file).expect("utf-8 source");
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for web_crate in WEB_CRATES {
                let used = code.contains(&format!("{web_crate}::"))
                    || code.contains(&format!("use {web_crate}"))
                    || code.contains(&format!("extern crate {web_crate}"));
                if used {
                    offenders.push(format!("{}:{}: {}", file.display(), number + 1, line.trim()));
                }
            }
        }
    }
    assert!(offenders.is_empty(), "the core imports a web crate:\n{}", offenders.join("\n"));
}

#[test]
fn web_crates_are_declared_only_for_wasm32() {
    let manifest = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    let native_deps = manifest
        .split("[dependencies]")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .expect("a [dependencies] table");
    for web_crate in ["leptos", "web-sys", "wasm-bindgen", "gloo"] {
        assert!(
            !native_deps.lines().any(|l| l.trim_start().starts_with(web_crate)),
            "{web_crate} must stay under [target.'cfg(target_arch = \"wasm32\")'.dependencies]"
        );
    }
}

/// Debug formatting quotes and escapes as Rust does, not as Kubernetes' Go code
/// (`%q`) does, so a `{:?}` in text the learner reads would not match kubectl.
/// Code before a file's `#[cfg(test)]` must quote with `core::quoted` instead.
#[test]
fn no_text_the_page_shows_relies_on_debug_formatting() {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    let mut offenders = Vec::new();
    for file in files.iter().filter(|f| !f.ends_with("bin/sts-replay.rs")) {
        let text = fs::read_to_string(file).expect("utf-8 source");
        let shipped = text.split("#[cfg(test)]").next().unwrap_or("");
        for (number, line) in shipped.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            let asserting = code.contains("assert") || code.contains("panic!") || code.contains("unreachable!");
            if (code.contains(":?}") || code.contains("{:#?}")) && !asserting {
                offenders.push(format!("{}:{}: {}", file.display(), number + 1, line.trim()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "Debug formatting prints nothing in the wasm build; use core::quoted:\n{}",
        offenders.join("\n")
    );
}
