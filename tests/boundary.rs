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
    // Files named tests.rs are `#[cfg(test)] mod tests;` modules: nothing in them ships.
    for file in files.iter().filter(|f| !f.ends_with("bin/sts-replay.rs") && !f.ends_with("tests.rs")) {
        let text = fs::read_to_string(file).expect("utf-8 source");
        // Up to an inline test module (`#[cfg(test)] mod tests;` declares a file and hides nothing).
        let shipped = text.split("#[cfg(test)]\nmod tests {").next().unwrap_or("");
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

/// The layers and, inside the core, the Kubernetes components, with what each may
/// import (besides itself and the shared utilities `core::{time, sorted, random}` and
/// `core::quoted`). Read top to bottom: ui → session → cli → core; inside the core,
/// the cluster composes everything; controllers, the node and the network sit on the
/// API server, which sits on the API types.
const LAYERS: &[(&str, &[&str])] = &[
    ("ui", &["session"]),
    ("session", &["cli", "core"]),
    ("cli", &["core"]),
    ("core/cluster.rs", &["core::api", "core::apiserver", "core::controllers", "core::node", "core::network"]),
    ("core/system.rs", &["core::api", "core::apiserver", "core::cluster", "core::network"]),
    ("core/controllers", &["core::api", "core::apiserver"]),
    ("core/node", &["core::api", "core::apiserver", "core::network"]),
    ("core/network", &["core::api", "core::apiserver"]),
    ("core/apiserver", &["core::api"]),
    ("core/api", &[]),
    ("core/time.rs", &[]),
    ("core/sorted.rs", &[]),
    ("core/random.rs", &[]),
];

/// The first segments of every `crate::…` path in a line of code.
fn crate_paths(code: &str) -> Vec<String> {
    code.match_indices("crate::")
        .map(|(at, _)| {
            let rest = &code[at + "crate::".len()..];
            let path: String =
                rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':').collect();
            let mut segments = path.split("::").filter(|s| !s.is_empty());
            match (segments.next(), segments.next()) {
                (Some("core"), Some(second)) => format!("core::{second}"),
                (Some(first), _) => first.to_string(),
                _ => String::new(),
            }
        })
        .collect()
}

#[test]
fn dependencies_point_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let shared = ["core::time", "core::sorted", "core::random", "core::quoted"];
    let mut offenders = Vec::new();
    let mut checked = 0;
    for (layer, allowed) in LAYERS {
        let mut files = Vec::new();
        let root = src.join(layer);
        if root.is_dir() {
            rust_files(&root, &mut files);
        } else {
            files.push(root.clone());
        }
        assert!(!files.is_empty() && files[0].exists(), "{layer} exists");
        let own = layer.trim_end_matches(".rs").replace('/', "::");
        for file in files {
            checked += 1;
            let text = fs::read_to_string(&file).expect("utf-8 source");
            // A module's unit tests may set a scene with a higher layer's helpers (the
            // session's sample manifest); what ships is what comes before them.
            let shipped = if file.ends_with("tests.rs") { "" } else { text.split("#[cfg(test)]").next().unwrap_or("") };
            for (number, line) in shipped.lines().enumerate() {
                // `pub(in crate::core)` names a visibility, not a dependency.
                let code = line.split("//").next().unwrap_or("").replace("pub(in crate::core)", "");
                for path in crate_paths(&code) {
                    let fine = path == own
                        || own.starts_with(&format!("{path}::"))
                        || shared.contains(&path.as_str())
                        || allowed.iter().any(|a| path == *a || path.starts_with(&format!("{a}::")));
                    // `crate::core` alone (a `use crate::core;`) names the whole core.
                    let whole_core = path == "core" && !allowed.contains(&"core");
                    if !fine || whole_core {
                        offenders.push(format!("{}:{}: {layer} imports {path}", file.display(), number + 1));
                    }
                }
            }
        }
    }
    assert!(checked > 40, "the layers hold the source ({checked} files)");
    assert!(offenders.is_empty(), "an import against the layers' direction:\n{}", offenders.join("\n"));
}

#[test]
fn the_layer_list_covers_every_source_file() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let top = ["lib.rs", "main.rs", "bin/sts-replay.rs", "core/mod.rs"];
    let uncovered: Vec<String> = files
        .iter()
        .map(|f| f.strip_prefix(&src).expect("under src").to_string_lossy().replace('\\', "/"))
        .filter(|f| !top.contains(&f.as_str()))
        .filter(|f| !LAYERS.iter().any(|(layer, _)| f == layer || f.starts_with(&format!("{layer}/"))))
        .collect();
    assert!(uncovered.is_empty(), "files no layer rule covers: {uncovered:?}");
}

/// Only the API server writes the store: its field is private to the server module,
/// and nothing else in the crate can reach a `&mut Store`.
#[test]
fn only_the_api_server_can_write_the_store() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let server = fs::read_to_string(src.join("core/apiserver/server.rs")).expect("the API server");
    let declaration = server.lines().find(|l| l.trim_start().starts_with("store: Store")).expect("a store field");
    assert_eq!(declaration.trim(), "store: Store,", "the store field stays private (no `pub`)");
    assert!(
        server.contains("pub(super) fn store_mut"),
        "a mutable store is lent only inside the apiserver module (pub(super))"
    );
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let offenders: Vec<String> = files
        .iter()
        .filter(|f| !f.starts_with(src.join("core/apiserver")))
        .filter(|f| {
            let text = fs::read_to_string(f).expect("utf-8 source");
            // Unit tests may build a Store of their own as a snapshot for a reconciler.
            // Up to an inline test module (`#[cfg(test)] mod tests;` declares a file and hides nothing).
            let shipped = text.split("#[cfg(test)]\nmod tests {").next().unwrap_or("");
            shipped.contains("store_mut") || shipped.contains("&mut Store")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(offenders.is_empty(), "files outside the API server reaching for a mutable store: {offenders:?}");
}

/// The page's panels do not import each other: each reads the page state
/// (`ui::state`), acts through `ui::engine`, and draws with `ui::dom`. A panel's own
/// parts live in its folder (the dock's terminal in `ui/dock/`).
#[test]
fn ui_panels_do_not_import_each_other() {
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui");
    let shared = ["dom", "engine", "state", "storage"];
    let panels = ["cluster_view", "dock", "editor", "files", "lessons", "share"];
    let mut offenders = Vec::new();
    for panel in panels {
        let file = if ui.join(panel).is_dir() { ui.join(panel).join("mod.rs") } else { ui.join(format!("{panel}.rs")) };
        let mut files = vec![file.clone()];
        if ui.join(panel).is_dir() {
            rust_files(&ui.join(panel), &mut files);
        }
        for file in files {
            let text = fs::read_to_string(&file).expect("a panel's source");
            for (number, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                for other in panels.iter().filter(|p| **p != panel) {
                    let used = [format!("super::{other}"), format!("crate::ui::{other}")];
                    if used.iter().any(|u| code.contains(u.as_str())) {
                        offenders.push(format!("{}:{}: {panel} imports {other}", file.display(), number + 1));
                    }
                }
                for (at, _) in code.match_indices("crate::ui::") {
                    let module: String = code[at + "crate::ui::".len()..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if !shared.contains(&module.as_str()) && module != panel {
                        offenders.push(format!("{}:{}: {panel} imports ui::{module}", file.display(), number + 1));
                    }
                }
            }
        }
    }
    assert!(offenders.is_empty(), "panels importing each other:\n{}", offenders.join("\n"));
}
