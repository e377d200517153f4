//! The Kubernetes object model the simulation works on: typed API objects as
//! the API server stores them (after defaulting), serialisable back to YAML/JSON.
//!
//! Fields the simulation does not interpret (affinity, resources, securityContext …)
//! are kept as opaque YAML values so real charts are accepted and shown back as written.

mod core_v1;
pub mod manifest;
mod meta;
pub mod read;
mod read_impls;
mod workloads;
pub mod write;
mod write_impls;
pub mod yaml;

pub use core_v1::*;
pub use meta::*;
pub use workloads::*;
