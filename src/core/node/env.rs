//! A container's environment as the kubelet builds it when the container starts:
//! `env` values, `valueFrom` (configMapKeyRef, secretKeyRef, fieldRef) and
//! `envFrom` (configMapRef, secretRef). A missing ConfigMap, Secret or key that is
//! not optional stops the container with `CreateContainerConfigError`.

use crate::core::api::yaml::Value;

use crate::core::api::*;
use crate::core::apiserver::store::Store;

fn text(value: Option<&Value>, key: &str) -> String {
    value.and_then(|v| v.get(key)).and_then(Value::as_str).unwrap_or("").to_string()
}

fn optional(value: Option<&Value>) -> bool {
    value.and_then(|v| v.get("optional")).and_then(Value::as_bool).unwrap_or(false)
}

/// Keys and values of a ConfigMap or Secret (Secrets decoded), if it exists.
fn source_data(store: &Store, kind: &str, name: &str) -> Option<Vec<(String, String)>> {
    if kind == "ConfigMap" {
        return store.config_maps.get(name).map(|m| m.data.iter().map(|(k, v)| (k.clone(), v.clone())).collect());
    }
    let secret = store.secrets.get(name)?;
    let mut data: Vec<(String, String)> =
        secret.data.iter().map(|(k, v)| (k.clone(), crate::core::node::files::decode_base64(v))).collect();
    for (k, v) in &secret.string_data {
        data.retain(|(key, _)| key != k);
        data.push((k.clone(), v.clone()));
    }
    data.sort();
    Some(data)
}

fn missing(kind: &str, name: &str) -> String {
    format!("{} \"{name}\" not found", kind.to_ascii_lowercase())
}

/// The environment, in order; `Err` carries the kubelet's message for the first problem.
pub fn resolve(store: &Store, pod: &Pod, container: &Container) -> Result<Vec<(String, String)>, String> {
    let mut env: Vec<(String, String)> = Vec::new();
    let set = |env: &mut Vec<(String, String)>, name: String, value: String| {
        env.retain(|(k, _)| *k != name);
        env.push((name, value));
    };
    for source in container.env_from.as_ref().and_then(Value::as_sequence).into_iter().flatten() {
        let prefix = text(Some(source), "prefix");
        for (kind, key) in [("ConfigMap", "configMapRef"), ("Secret", "secretRef")] {
            let Some(reference) = source.get(key) else { continue };
            let name = text(Some(reference), "name");
            match source_data(store, kind, &name) {
                Some(data) => {
                    for (k, v) in data {
                        set(&mut env, format!("{prefix}{k}"), v);
                    }
                }
                None if optional(Some(reference)) => {}
                None => return Err(missing(kind, &name)),
            }
        }
    }
    for var in &container.env {
        let value = match (&var.value, &var.value_from) {
            (Some(value), _) => value.clone(),
            (None, Some(from)) => {
                if let Some(field) = from.get("fieldRef") {
                    match text(Some(field), "fieldPath").as_str() {
                        "metadata.name" => pod.name().to_string(),
                        "metadata.namespace" => pod.metadata.namespace().to_string(),
                        "metadata.uid" => pod.metadata.uid.clone(),
                        "status.podIP" => pod.status.pod_ip.clone().unwrap_or_default(),
                        "status.hostIP" => pod.status.host_ip.clone().unwrap_or_default(),
                        "spec.nodeName" => pod.spec.node_name.clone().unwrap_or_default(),
                        "spec.serviceAccountName" => {
                            pod.spec.service_account_name.clone().unwrap_or_else(|| "default".into())
                        }
                        _ => String::new(),
                    }
                } else {
                    let mut found = None;
                    for (kind, key) in [("ConfigMap", "configMapKeyRef"), ("Secret", "secretKeyRef")] {
                        let Some(reference) = from.get(key) else { continue };
                        let (name, wanted) = (text(Some(reference), "name"), text(Some(reference), "key"));
                        match source_data(store, kind, &name) {
                            Some(data) => match data.into_iter().find(|(k, _)| *k == wanted) {
                                Some((_, v)) => found = Some(v),
                                None if optional(Some(reference)) => {}
                                None => {
                                    return Err(format!(
                                        "couldn't find key {wanted} in {kind} {}/{name}",
                                        pod.metadata.namespace()
                                    ))
                                }
                            },
                            None if optional(Some(reference)) => {}
                            None => return Err(missing(kind, &name)),
                        }
                    }
                    match found {
                        Some(value) => value,
                        None => continue,
                    }
                }
            }
            (None, None) => String::new(),
        };
        set(&mut env, var.name.clone(), value);
    }
    Ok(env)
}

/// The container with its environment resolved into plain values (what the
/// program sees); unresolvable entries are left out.
pub fn effective(store: &Store, pod: &Pod, container: &Container) -> Container {
    match resolve(store, pod, container) {
        Ok(env) => with_env(container, env),
        Err(_) => container.clone(),
    }
}

/// The container with `env` (as [`resolve`] gives it) in place of its own.
pub fn with_env(container: &Container, env: Vec<(String, String)>) -> Container {
    let mut effective = container.clone();
    effective.env =
        env.into_iter().map(|(name, value)| EnvVar { name, value: Some(value), value_from: None }).collect();
    effective.env_from = None;
    effective
}
