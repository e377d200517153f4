//! StatefulSet Playground, in four layers; each depends only on the ones below it
//! (tests/boundary.rs checks):
//!
//! * [`ui`] (wasm only): Leptos components that draw a session's snapshots and send actions;
//! * [`session`]: the learner's session (seed, timed actions, replay, share codes), the
//!   snapshot the page draws, lessons and manifest edits;
//! * [`cli`]: the terminal: a small shell with kubectl and minikube;
//! * [`core`]: the deterministic simulated cluster (API server, controllers, node,
//!   network); it never touches the browser.

pub mod cli;
pub mod core;
pub mod session;

#[cfg(target_arch = "wasm32")]
pub mod ui;
