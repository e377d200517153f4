//! StatefulSet Playground.
//!
//! [`core`] is the deterministic simulation (object store, controllers, kubectl
//! interpreter); it never touches the browser. [`ui`] is the thin Leptos layer
//! that renders engine snapshots and sends actions; it only exists in wasm builds.

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod ui;
