//! The cluster network: CoreDNS answers, kube-proxy's choice of endpoint, and the
//! HTTP client's path through them.

pub mod dns;
pub mod http;
pub mod proxy;
