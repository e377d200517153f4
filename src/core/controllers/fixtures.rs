//! Fixtures shared by the controllers' unit tests: objects decoded from the
//! Kubernetes tutorial's YAML, as the API server decodes a manifest.

use crate::core::api::manifest::parse_manifest;
use crate::core::api::*;
use crate::core::apiserver::{decode, Object};

/// The first object of `text`, decoded.
pub(crate) fn object(text: &str) -> Object {
    let documents = parse_manifest(text).expect("manifest parses");
    decode(&documents[0]).unwrap_or_else(|e| panic!("{}", e.message))
}

/// The tutorial's `web` StatefulSet (nginx-slim, claims `www`); `spec` lines
/// (unindented) go under `spec:`.
pub(crate) fn web_set_yaml(spec: &str) -> String {
    let extra: String = spec.lines().map(|line| format!("  {line}\n")).collect();
    format!(
        "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
{extra}  serviceName: nginx
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
        - name: nginx
          image: registry.k8s.io/nginx-slim:0.8
          volumeMounts:
            - name: www
              mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
    - metadata:
        name: www
      spec:
        accessModes: [\"ReadWriteOnce\"]
        resources:
          requests:
            storage: 1Gi
"
    )
}

/// Pod `name` running nginx-slim, mounting each (volume, claim) of `claims`.
pub(crate) fn nginx_pod(name: &str, claims: &[(&str, &str)]) -> Pod {
    let mounts: String = claims
        .iter()
        .map(|(volume, _)| format!("        - name: {volume}\n          mountPath: /mnt/{volume}\n"))
        .collect();
    let volumes: String = claims
        .iter()
        .map(|(volume, claim)| {
            format!("    - name: {volume}\n      persistentVolumeClaim:\n        claimName: {claim}\n")
        })
        .collect();
    let mounts = if mounts.is_empty() { String::new() } else { format!("      volumeMounts:\n{mounts}") };
    let volumes = if volumes.is_empty() { String::new() } else { format!("  volumes:\n{volumes}") };
    let text = format!(
        "apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
  containers:
    - name: nginx
      image: registry.k8s.io/nginx-slim:0.8
{mounts}{volumes}"
    );
    let Object::Pod(pod) = object(&text) else { panic!("not a Pod: {text}") };
    pod
}
