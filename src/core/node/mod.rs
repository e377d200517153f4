//! The node `minikube`: the kubelet, and the container runtime beneath it (what
//! each image does, container filesystems, environments, the programs that answer HTTP).

pub mod apps;
pub mod env;
pub mod files;
pub mod kubelet;
pub mod workload;
