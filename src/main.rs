//! The browser entry point, built by Trunk for wasm32.

#[cfg(target_arch = "wasm32")]
fn main() {
    // No panic hook: the wasm build aborts on panic without formatting a message
    // (scripts/lib.sh), so there would be nothing for a hook to print. The engine
    // is written and fuzzed not to panic; a trap still shows in the console.
    sts_playground::ui::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("sts-playground is a web app: serve it with `scripts/serve.sh` (see README.md).");
    eprintln!("The native command-line replay is `cargo run --bin sts-replay`.");
    std::process::exit(2);
}
