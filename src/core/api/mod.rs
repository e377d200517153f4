//! The Kubernetes object model the simulation works on: typed API objects as
//! the API server stores them (after defaulting), serialisable back to YAML/JSON.
//!
//! Fields the simulation does not interpret (affinity, resources, securityContext …)
//! are kept as opaque YAML values so real charts are accepted and shown back as written.

mod meta;
mod workloads;
mod core_v1;
pub mod read;
mod read_impls;
pub mod write;
mod write_impls;

pub use core_v1::*;
pub use meta::*;
pub use workloads::*;
