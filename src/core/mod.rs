//! The deterministic simulation core. Nothing here may depend on a web crate
//! (leptos, web-sys, wasm-bindgen, gloo): see `tests/boundary.rs`.

pub mod manifest;
pub mod yaml;
pub mod samples;
pub mod time;
pub mod api;
pub mod controllers;
pub mod store;
pub mod workload;
pub mod apiserver;
pub mod cluster;
pub mod files;
pub mod apps;
pub mod printers;
pub mod view;
pub mod terminal;
pub mod session;
pub mod edit;
pub mod highlight;
pub mod lessons;
pub mod sorted;
pub mod env;
pub mod system;
