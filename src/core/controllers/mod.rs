//! One module per controller, as in kube-controller-manager and the kubelet.
//! Each reconcile function reads the cluster state and returns the changes it
//! wants; `crate::core::cluster` applies them through the API layer.

pub mod endpoints;
pub mod scheduler;
pub mod statefulset;
pub mod storage;
