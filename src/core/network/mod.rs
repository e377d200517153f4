//! The cluster network: CoreDNS answers and kube-proxy's choice of endpoint.

pub mod dns;
pub mod proxy;
