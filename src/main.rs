//! The browser entry point, built by Trunk for wasm32.

#[cfg(target_arch = "wasm32")]
fn main() {
    // `mount` installs the panic hook first (ui::crash): the console gets the
    // message and location, the learner a banner, and their manifest is kept.
    sts_playground::ui::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("sts-playground is a web app: serve it with `scripts/serve.sh` (see README.md).");
    eprintln!("The native command-line replay is `cargo run --bin sts-replay`.");
    std::process::exit(2);
}
