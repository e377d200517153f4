//! YAML document → typed API object, with kubectl's strict field validation.

use crate::core::api::yaml::Value;

use super::{locate, ApiError};
use crate::core::api::manifest::{Document, Position};
use crate::core::api::read::{self, FromValue};
use crate::core::api::write::ToValue;
use crate::core::api::*;

/// A decoded object of one of the kinds the playground knows.
#[derive(Debug, Clone, PartialEq)]
pub enum Object {
    StatefulSet(StatefulSet),
    Deployment(Deployment),
    ReplicaSet(ReplicaSet),
    Service(Service),
    Pod(Pod),
    PersistentVolumeClaim(PersistentVolumeClaim),
    ConfigMap(ConfigMap),
    Secret(Secret),
    StorageClass(StorageClass),
    /// ServiceAccount, Ingress, HorizontalPodAutoscaler, NetworkPolicy: stored and listed only.
    Generic(GenericObject),
}

impl Object {
    /// `statefulset.apps`, `service` …: the name kubectl prints before `/name`.
    pub fn resource(&self) -> &str {
        match self {
            Object::StatefulSet(_) => "statefulset.apps",
            Object::Deployment(_) => "deployment.apps",
            Object::ReplicaSet(_) => "replicaset.apps",
            Object::Service(_) => "service",
            Object::Pod(_) => "pod",
            Object::PersistentVolumeClaim(_) => "persistentvolumeclaim",
            Object::ConfigMap(_) => "configmap",
            Object::Secret(_) => "secret",
            Object::StorageClass(_) => "storageclass.storage.k8s.io",
            Object::Generic(g) if g.kind == "Ingress" => "ingress.networking.k8s.io",
            Object::Generic(g) if g.kind == "HorizontalPodAutoscaler" => "horizontalpodautoscaler.autoscaling",
            Object::Generic(g) if g.kind == "NetworkPolicy" => "networkpolicy.networking.k8s.io",
            Object::Generic(_) => "serviceaccount",
        }
    }
    pub fn meta(&self) -> &ObjectMeta {
        match self {
            Object::StatefulSet(o) => &o.metadata,
            Object::Deployment(o) => &o.metadata,
            Object::ReplicaSet(o) => &o.metadata,
            Object::Service(o) => &o.metadata,
            Object::Pod(o) => &o.metadata,
            Object::PersistentVolumeClaim(o) => &o.metadata,
            Object::ConfigMap(o) => &o.metadata,
            Object::Secret(o) => &o.metadata,
            Object::StorageClass(o) => &o.metadata,
            Object::Generic(o) => &o.metadata,
        }
    }
}

/// The kinds and the apiVersion each is served at.
const KINDS: [(&str, &str); 14] = [
    ("StatefulSet", "apps/v1"),
    ("Deployment", "apps/v1"),
    ("ReplicaSet", "apps/v1"),
    ("Service", "v1"),
    ("Pod", "v1"),
    ("PersistentVolumeClaim", "v1"),
    ("ConfigMap", "v1"),
    ("Secret", "v1"),
    ("ServiceAccount", "v1"),
    ("Ingress", "networking.k8s.io/v1"),
    ("NetworkPolicy", "networking.k8s.io/v1"),
    ("HorizontalPodAutoscaler", "autoscaling/v2"),
    ("HorizontalPodAutoscaler", "autoscaling/v1"),
    ("StorageClass", "storage.k8s.io/v1"),
];

fn error_at(document: &Document, path: &str, message: String) -> ApiError {
    let position = locate(&document.text, path)
        .map(|p| document.absolute(p))
        .or(Some(Position { line: document.first_line, column: 1 }));
    ApiError { message, position }
}

/// Decodes one document, refusing unknown kinds and unknown fields.
pub fn decode(document: &Document) -> Result<Object, ApiError> {
    let kind = document.kind().unwrap_or("");
    let api_version = document.api_version().unwrap_or("");
    if !document.value.is_mapping() {
        return Err(error_at(
            document,
            "",
            "error: error parsing manifest: the document is not a mapping of fields".into(),
        ));
    }
    if api_version.is_empty() || kind.is_empty() {
        let missing = if api_version.is_empty() { "apiVersion" } else { "kind" };
        return Err(error_at(document, "", format!("error: error validating data: [{missing} not set]; if you choose to ignore these errors, turn validation off with --validate=false")));
    }
    if !KINDS.iter().any(|(k, v)| *k == kind && *v == api_version) {
        let name = document.name().unwrap_or("");
        return Err(error_at(
            document,
            "kind",
            format!(
                "error: resource mapping not found for name: \"{name}\" namespace: \"\" from \"manifest.yaml\": no matches for kind \"{kind}\" in version \"{api_version}\"\nensure CRDs are installed first"
            ),
        ));
    }
    Ok(match kind {
        "StatefulSet" => Object::StatefulSet(strict(document)?),
        "Deployment" => Object::Deployment(strict(document)?),
        "ReplicaSet" => Object::ReplicaSet(strict(document)?),
        "Service" => Object::Service(strict(document)?),
        "Pod" => Object::Pod(strict(document)?),
        "PersistentVolumeClaim" => Object::PersistentVolumeClaim(strict(document)?),
        "ConfigMap" => Object::ConfigMap(strict(document)?),
        "Secret" => Object::Secret(strict(document)?),
        "StorageClass" => Object::StorageClass(strict(document)?),
        _ => {
            let metadata: ObjectMeta = document
                .value
                .get("metadata")
                .cloned()
                .map(|v| read::from_value(&v))
                .transpose()
                .map_err(|e| error_at(document, "metadata", format!("error: {e}")))?
                .unwrap_or_default();
            Object::Generic(GenericObject {
                api_version: api_version.into(),
                kind: kind.into(),
                metadata,
                body: document.value.clone(),
            })
        }
    })
}

/// Typed decoding plus strict field validation: any field the typed object does
/// not keep is unknown to the API (UNVERIFIED exact text, §9.3).
fn strict<T: FromValue + ToValue>(document: &Document) -> Result<T, ApiError> {
    let mut body = document.value.clone();
    if let Value::Mapping(map) = &mut body {
        map.remove("apiVersion");
        map.remove("kind");
        map.remove("status");
    }
    let kind = document.kind().unwrap_or("");
    let typed: T = read::from_value(&body).map_err(|e| {
        let text = e.to_string();
        let path = text.split(": ").next().unwrap_or("").to_string();
        error_at(
            document,
            &path,
            format!("Error from server (BadRequest): error when creating \"manifest.yaml\": {kind} in version \"{}\" cannot be handled as a {kind}: {text}", version_of(document)),
        )
    })?;
    let round_trip = typed.to_value();
    if let Some(unknown) = unknown_field(&body, &round_trip, "") {
        return Err(error_at(
            document,
            &unknown,
            format!(
                "Error from server (BadRequest): error when creating \"manifest.yaml\": {kind} in version \"{}\" cannot be handled as a {kind}: strict decoding error: unknown field \"{unknown}\"",
                version_of(document)
            ),
        ));
    }
    Ok(typed)
}

fn version_of(document: &Document) -> &str {
    let api_version = document.api_version().unwrap_or("v1");
    api_version.rsplit('/').next().unwrap_or(api_version)
}

/// The first field present (and not empty) in `written` that `kept` lacks.
fn unknown_field(written: &Value, kept: &Value, prefix: &str) -> Option<String> {
    match (written, kept) {
        (Value::Mapping(w), Value::Mapping(k)) => {
            for (key, value) in w {
                let Some(key_text) = key.as_str() else { continue };
                let path = if prefix.is_empty() { key_text.to_string() } else { format!("{prefix}.{key_text}") };
                match k.get(key) {
                    Some(kept_value) => {
                        if let Some(found) = unknown_field(value, kept_value, &path) {
                            return Some(found);
                        }
                    }
                    None if is_empty(value) => {}
                    None => return Some(path),
                }
            }
            None
        }
        (Value::Sequence(w), Value::Sequence(k)) => {
            w.iter().zip(k).enumerate().find_map(|(i, (wv, kv))| unknown_field(wv, kv, &format!("{prefix}[{i}]")))
        }
        _ => None,
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Mapping(m) => m.is_empty(),
        Value::Sequence(s) => s.is_empty(),
        Value::String(s) => s.is_empty(),
        _ => false,
    }
}
