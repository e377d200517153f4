//! Manifests the playground starts from.

/// The manifest a learner sees first: a headless Service and a 3-replica
/// StatefulSet with one PersistentVolumeClaim per pod, as in a course lab.
/// The image is not nginx, so it runs the visits app, which counts requests
/// in `/data/visits` on the pod's own volume.
pub const DEFAULT_MANIFEST: &str = r#"apiVersion: v1
kind: Service
metadata:
  name: visits
  labels:
    app: visits
spec:
  clusterIP: None
  selector:
    app: visits
  ports:
    - name: http
      port: 8080
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: visits
  replicas: 3
  selector:
    matchLabels:
      app: visits
  template:
    metadata:
      labels:
        app: visits
    spec:
      containers:
        - name: visits
          image: ghcr.io/example/visits:1.0
          ports:
            - name: http
              containerPort: 8080
          env:
            - name: VISITS_FILE
              value: /data/visits
          volumeMounts:
            - name: data
              mountPath: /data
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        accessModes: ["ReadWriteOnce"]
        resources:
          requests:
            storage: 1Gi
"#;
