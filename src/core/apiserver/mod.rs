//! The API server (`kube-apiserver` and the etcd behind it): the only writer of the
//! object store ([`server`]), `kubectl apply`'s server side ([`apply`]), decoding
//! manifests into typed objects (strictly, as kubectl's default field validation does),
//! defaulting (§9.6), validation (§9.1–§9.4), and the errors kubectl prints, with
//! positions in the user's text.

mod apply;
mod bootstrap;
mod decode;
mod defaults;
mod events;
pub mod locate;
mod server;
pub mod store;
mod validation;
mod workloads;

pub use apply::{ApplyLine, HasMeta};
pub use bootstrap::{COREDNS_IP, KUBE_DNS_IP, NODE_IP, NODE_NAME, PROVISIONER};
pub use server::{ApiServer, Resource, MAX_TOTAL_REPLICAS};

pub use decode::{decode, Object};
pub use defaults::{default_deployment, default_pod_spec, default_replica_set, default_service, default_stateful_set};
pub use locate::locate;
pub use validation::{
    go_selector, int32_overflow, int32_overflow_apps, validate_claim, validate_deployment, validate_deployment_update,
    validate_name, validate_pod, validate_replica_set, validate_replica_set_update, validate_stateful_set,
    validate_stateful_set_update, validate_subdomain_name,
};

use crate::core::api::manifest::Position;

/// One cause of an Invalid error: `spec.replicas: Invalid value: -1: must be …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cause {
    /// The field path, as the API server prints it.
    pub field: String,
    /// `Invalid value: …`, `Required value`, `Forbidden: …`, `Unsupported value: …`.
    pub detail: String,
}

impl Cause {
    pub fn new(field: impl Into<String>, detail: impl Into<String>) -> Self {
        Cause { field: field.into(), detail: detail.into() }
    }
    pub fn invalid(field: &str, value: impl std::fmt::Display, why: &str) -> Self {
        Cause::new(field, format!("Invalid value: {value}: {why}"))
    }
    pub fn required(field: &str) -> Self {
        Cause::new(field, "Required value")
    }
    pub fn unsupported(field: &str, value: &str, supported: &[&str]) -> Self {
        let supported: Vec<String> = supported.iter().map(|s| format!("\"{s}\"")).collect();
        Cause::new(field, format!("Unsupported value: \"{value}\": supported values: {}", supported.join(", ")))
    }
}

/// An error kubectl would print for one object, with where it points in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// Exactly what kubectl prints (may span several lines).
    pub message: String,
    /// Position of the offending field (or of the document) in the user's text.
    pub position: Option<Position>,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        crate::core::api::manifest::write_placed(f, self.position, &self.message)
    }
}

/// §9.1: `The StatefulSet "web" is invalid: <cause>` or the multi-cause list.
pub fn invalid_message(kind: &str, name: &str, causes: &[Cause]) -> String {
    match causes {
        [one] => format!("The {kind} \"{name}\" is invalid: {}: {}", one.field, one.detail),
        many => {
            let mut text = format!("The {kind} \"{name}\" is invalid: ");
            for cause in many {
                text.push_str(&format!("\n* {}: {}", cause.field, cause.detail));
            }
            text
        }
    }
}
