//! The resource types kubectl knows: what the user may type for each, and its names.

/// The kinds kubectl can list here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Pod,
    Service,
    StatefulSet,
    Deployment,
    ReplicaSet,
    HorizontalPodAutoscaler,
    NetworkPolicy,
    Endpoints,
    EndpointSlice,
    PersistentVolumeClaim,
    PersistentVolume,
    ControllerRevision,
    Event,
    ConfigMap,
    Secret,
    ServiceAccount,
    Ingress,
    StorageClass,
    Node,
    Namespace,
}

impl Kind {
    /// Resolves what the user typed (`po`, `pods`, `statefulsets.apps`, `sts` …).
    pub fn parse(text: &str) -> Option<Kind> {
        let text = text.to_ascii_lowercase();
        let base = text.split('.').next().unwrap_or("");
        Some(match base {
            "po" | "pod" | "pods" => Kind::Pod,
            "svc" | "service" | "services" => Kind::Service,
            "sts" | "statefulset" | "statefulsets" => Kind::StatefulSet,
            "deploy" | "deployment" | "deployments" => Kind::Deployment,
            "rs" | "replicaset" | "replicasets" => Kind::ReplicaSet,
            "hpa" | "horizontalpodautoscaler" | "horizontalpodautoscalers" => Kind::HorizontalPodAutoscaler,
            "netpol" | "networkpolicy" | "networkpolicies" => Kind::NetworkPolicy,
            "ep" | "endpoints" => Kind::Endpoints,
            "endpointslice" | "endpointslices" => Kind::EndpointSlice,
            "pvc" | "persistentvolumeclaim" | "persistentvolumeclaims" => Kind::PersistentVolumeClaim,
            "pv" | "persistentvolume" | "persistentvolumes" => Kind::PersistentVolume,
            "controllerrevision" | "controllerrevisions" => Kind::ControllerRevision,
            "ev" | "event" | "events" => Kind::Event,
            "cm" | "configmap" | "configmaps" => Kind::ConfigMap,
            "secret" | "secrets" => Kind::Secret,
            "sa" | "serviceaccount" | "serviceaccounts" => Kind::ServiceAccount,
            "ing" | "ingress" | "ingresses" => Kind::Ingress,
            "sc" | "storageclass" | "storageclasses" => Kind::StorageClass,
            "no" | "node" | "nodes" => Kind::Node,
            "ns" | "namespace" | "namespaces" => Kind::Namespace,
            _ => return None,
        })
    }

    /// The object's `kind`, as in `kind: StatefulSet`.
    pub fn kind(self) -> &'static str {
        match self {
            Kind::Pod => "Pod",
            Kind::Service => "Service",
            Kind::StatefulSet => "StatefulSet",
            Kind::Deployment => "Deployment",
            Kind::ReplicaSet => "ReplicaSet",
            Kind::HorizontalPodAutoscaler => "HorizontalPodAutoscaler",
            Kind::NetworkPolicy => "NetworkPolicy",
            Kind::Endpoints => "Endpoints",
            Kind::EndpointSlice => "EndpointSlice",
            Kind::PersistentVolumeClaim => "PersistentVolumeClaim",
            Kind::PersistentVolume => "PersistentVolume",
            Kind::ControllerRevision => "ControllerRevision",
            Kind::Event => "Event",
            Kind::ConfigMap => "ConfigMap",
            Kind::Secret => "Secret",
            Kind::ServiceAccount => "ServiceAccount",
            Kind::Ingress => "Ingress",
            Kind::StorageClass => "StorageClass",
            Kind::Node => "Node",
            Kind::Namespace => "Namespace",
        }
    }

    /// `statefulset.apps`, as in `statefulset.apps/web`.
    pub fn resource(self) -> &'static str {
        match self {
            Kind::Pod => "pod",
            Kind::Service => "service",
            Kind::StatefulSet => "statefulset.apps",
            Kind::Deployment => "deployment.apps",
            Kind::ReplicaSet => "replicaset.apps",
            Kind::HorizontalPodAutoscaler => "horizontalpodautoscaler.autoscaling",
            Kind::NetworkPolicy => "networkpolicy.networking.k8s.io",
            Kind::Endpoints => "endpoints",
            Kind::EndpointSlice => "endpointslice.discovery.k8s.io",
            Kind::PersistentVolumeClaim => "persistentvolumeclaim",
            Kind::PersistentVolume => "persistentvolume",
            Kind::ControllerRevision => "controllerrevision.apps",
            Kind::Event => "event",
            Kind::ConfigMap => "configmap",
            Kind::Secret => "secret",
            Kind::ServiceAccount => "serviceaccount",
            Kind::Ingress => "ingress.networking.k8s.io",
            Kind::StorageClass => "storageclass.storage.k8s.io",
            Kind::Node => "node",
            Kind::Namespace => "namespace",
        }
    }

    /// `statefulsets.apps`, as in NotFound errors.
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Pod => "pods",
            Kind::Service => "services",
            Kind::StatefulSet => "statefulsets.apps",
            Kind::Deployment => "deployments.apps",
            Kind::ReplicaSet => "replicasets.apps",
            Kind::HorizontalPodAutoscaler => "horizontalpodautoscalers.autoscaling",
            Kind::NetworkPolicy => "networkpolicies.networking.k8s.io",
            Kind::Endpoints => "endpoints",
            Kind::EndpointSlice => "endpointslices.discovery.k8s.io",
            Kind::PersistentVolumeClaim => "persistentvolumeclaims",
            Kind::PersistentVolume => "persistentvolumes",
            Kind::ControllerRevision => "controllerrevisions.apps",
            Kind::Event => "events",
            Kind::ConfigMap => "configmaps",
            Kind::Secret => "secrets",
            Kind::ServiceAccount => "serviceaccounts",
            Kind::Ingress => "ingresses.networking.k8s.io",
            Kind::StorageClass => "storageclasses.storage.k8s.io",
            Kind::Node => "nodes",
            Kind::Namespace => "namespaces",
        }
    }

    /// The kind's name in the store's `others` map, for kinds stored only.
    pub fn stored_only(self) -> Option<&'static str> {
        match self {
            Kind::ServiceAccount | Kind::Ingress | Kind::HorizontalPodAutoscaler | Kind::NetworkPolicy => {
                Some(self.kind())
            }
            _ => None,
        }
    }

    pub fn namespaced(self) -> bool {
        !matches!(self, Kind::PersistentVolume | Kind::StorageClass | Kind::Node | Kind::Namespace)
    }

    pub fn api(self) -> (&'static str, &'static str) {
        match self {
            Kind::Pod => ("v1", "Pod"),
            Kind::Service => ("v1", "Service"),
            Kind::StatefulSet => ("apps/v1", "StatefulSet"),
            Kind::Deployment => ("apps/v1", "Deployment"),
            Kind::ReplicaSet => ("apps/v1", "ReplicaSet"),
            Kind::HorizontalPodAutoscaler => ("autoscaling/v2", "HorizontalPodAutoscaler"),
            Kind::NetworkPolicy => ("networking.k8s.io/v1", "NetworkPolicy"),
            Kind::Endpoints => ("v1", "Endpoints"),
            Kind::EndpointSlice => ("discovery.k8s.io/v1", "EndpointSlice"),
            Kind::PersistentVolumeClaim => ("v1", "PersistentVolumeClaim"),
            Kind::PersistentVolume => ("v1", "PersistentVolume"),
            Kind::ControllerRevision => ("apps/v1", "ControllerRevision"),
            Kind::Event => ("v1", "Event"),
            Kind::ConfigMap => ("v1", "ConfigMap"),
            Kind::Secret => ("v1", "Secret"),
            Kind::ServiceAccount => ("v1", "ServiceAccount"),
            Kind::Ingress => ("networking.k8s.io/v1", "Ingress"),
            Kind::StorageClass => ("storage.k8s.io/v1", "StorageClass"),
            Kind::Node => ("v1", "Node"),
            Kind::Namespace => ("v1", "Namespace"),
        }
    }
}
