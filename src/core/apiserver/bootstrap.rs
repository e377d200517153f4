//! What a fresh minikube's API server already holds: the node, the default
//! StorageClass, the `kubernetes` Service and its Endpoints, and the objects every
//! namespace starts with.

use crate::core::api::*;

use super::server::ApiServer;

pub const NODE_NAME: &str = "minikube";
/// The node's address on minikube's Docker network.
pub const NODE_IP: &str = "192.168.49.2";
/// Cluster DNS service address (§6.10).
pub const KUBE_DNS_IP: &str = "10.96.0.10";
/// CoreDNS's pod address in kube-system (never handed to another pod).
pub const COREDNS_IP: &str = "10.244.0.254";
/// The `kubernetes` Service's ClusterIP.
const KUBERNETES_IP: &str = "10.96.0.1";
/// The minikube-hostpath provisioner of the `standard` class.
pub const PROVISIONER: &str = "k8s.io/minikube-hostpath";

impl ApiServer {
    /// A fresh minikube-like cluster's API server: node `minikube`, StorageClass
    /// `standard` (default, Immediate), and the `kubernetes` Service.
    pub fn minikube(seed: u64) -> Self {
        let mut api = ApiServer::new(seed, &[KUBERNETES_IP, KUBE_DNS_IP]);
        let mut node = Node { metadata: ObjectMeta::named(NODE_NAME), internal_ip: NODE_IP.into(), ready: true };
        node.metadata.uid = api.uid();
        node.metadata.creation_timestamp = Some(0);
        api.store_mut().nodes.insert(NODE_NAME.into(), node);
        let mut class = StorageClass {
            metadata: ObjectMeta::named("standard"),
            provisioner: PROVISIONER.into(),
            reclaim_policy: Some("Delete".into()),
            volume_binding_mode: Some("Immediate".into()),
            allow_volume_expansion: None,
        };
        class.metadata.annotations.insert("storageclass.kubernetes.io/is-default-class".into(), "true".into());
        class.metadata.uid = api.uid();
        class.metadata.creation_timestamp = Some(0);
        api.store_mut().storage_classes.insert("standard".into(), class);
        let mut kubernetes = Service {
            metadata: ObjectMeta::named("kubernetes"),
            spec: ServiceSpec {
                cluster_ip: Some(KUBERNETES_IP.into()),
                ports: vec![ServicePort {
                    name: Some("https".into()),
                    port: 443,
                    target_port: Some(8443.into()),
                    protocol: None,
                    node_port: None,
                }],
                ..Default::default()
            },
            status: Default::default(),
        };
        kubernetes.metadata.labels.insert("component".into(), "apiserver".into());
        kubernetes.metadata.labels.insert("provider".into(), "kubernetes".into());
        kubernetes.metadata.uid = api.uid();
        kubernetes.metadata.creation_timestamp = Some(0);
        super::default_service(&mut kubernetes);
        api.store_mut().services.insert("kubernetes".into(), kubernetes);
        // The API server publishes its own address behind the `kubernetes` Service.
        let mut api_endpoints = Endpoints {
            metadata: ObjectMeta::named("kubernetes"),
            addresses: vec![EndpointAddress {
                ip: NODE_IP.into(),
                hostname: None,
                target_pod: String::new(),
                terminating: false,
            }],
            not_ready_addresses: Vec::new(),
            ports: vec![ServicePort {
                name: Some("https".into()),
                port: 8443,
                target_port: None,
                protocol: Some("TCP".into()),
                node_port: None,
            }],
        };
        api_endpoints.metadata.creation_timestamp = Some(0);
        api.store_mut().endpoints.insert("kubernetes".into(), api_endpoints);
        // Every namespace has these from the start, as `kubectl get cm,sa` shows.
        let mut root_ca = ConfigMap { metadata: ObjectMeta::named("kube-root-ca.crt"), ..Default::default() };
        root_ca.data.insert("ca.crt".into(), "-----BEGIN CERTIFICATE-----\nMIIDBjCCAe6gAwIBAgIBATANBgkqhkiG9w0BAQsFADAVMRMwEQYDVQQDEwptaW5p\n-----END CERTIFICATE-----\n".into());
        root_ca.metadata.uid = api.uid();
        root_ca.metadata.creation_timestamp = Some(0);
        api.store_mut().config_maps.insert("kube-root-ca.crt".into(), root_ca);
        let mut account = GenericObject {
            api_version: "v1".into(),
            kind: "ServiceAccount".into(),
            metadata: ObjectMeta::named("default"),
            body: crate::core::api::yaml::Value::Null,
        };
        account.metadata.uid = api.uid();
        account.metadata.creation_timestamp = Some(0);
        let mut body = crate::core::api::yaml::Mapping::new();
        body.insert("apiVersion".into(), "v1".into());
        body.insert("kind".into(), "ServiceAccount".into());
        body.insert("metadata".into(), crate::core::api::write::ToValue::to_value(&account.metadata));
        account.body = crate::core::api::yaml::Value::Mapping(body);
        api.store_mut().others.insert(("ServiceAccount".into(), "default".into()), account);
        api
    }
}
