//! `kubectl apply -f`, seen from the server: each document decoded strictly,
//! defaulted, validated (as a create or as an update) and written; atomic across
//! the documents of one apply. Also the server-side dry run the editor runs as the
//! learner types.

use crate::core::api::manifest::{parse_manifest, Document, Position};
use crate::core::api::*;
use crate::core::random::Random;
use crate::core::sorted::{SortedMap, SortedSet};
use crate::core::time::Millis;

use super::server::ApiServer;
use super::workloads::keeps_controller_annotations;
use super::{decode, default_pod_spec, default_service, default_stateful_set, int32_overflow, invalid_message, locate};
use super::{default_deployment, default_replica_set, int32_overflow_apps};
use super::{validate_claim, validate_name, validate_pod, validate_stateful_set, validate_stateful_set_update};
use super::{validate_deployment, validate_deployment_update, validate_replica_set, validate_replica_set_update};
use super::{ApiError, Object};

/// What `kubectl apply` answers for one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplyLine {
    /// `statefulset.apps/web`
    pub object: String,
    /// `created`, `configured`, `unchanged`
    pub action: &'static str,
}

impl std::fmt::Display for ApplyLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.object, self.action)
    }
}

/// The documents of a manifest, or the error `kubectl apply` prints for text it cannot read.
fn documents_of(text: &str) -> Result<Vec<Document>, ApiError> {
    let documents = parse_manifest(text).map_err(|e| ApiError {
        message: format!("error: error parsing manifest: {}", e.message),
        position: e.position,
    })?;
    if documents.is_empty() {
        return Err(ApiError { message: "error: no objects passed to apply".into(), position: None });
    }
    Ok(documents)
}

/// What applying a manifest can write, as it was before, to be put back when a document
/// is refused: the allocators and the maps of the kinds applied (controllers run only
/// after all documents are in). Pods and claims, up to a thousand each, are saved only
/// when a document is one; cloning the whole store cost more than the apply.
struct BeforeApply {
    allocators: (Random, SortedSet<String>),
    stateful_sets: SortedMap<String, StatefulSet>,
    deployments: SortedMap<String, Deployment>,
    replica_sets: SortedMap<String, ReplicaSet>,
    services: SortedMap<String, Service>,
    config_maps: SortedMap<String, ConfigMap>,
    secrets: SortedMap<String, Secret>,
    storage_classes: SortedMap<String, StorageClass>,
    others: SortedMap<(String, String), GenericObject>,
    pods: Option<SortedMap<String, Pod>>,
    claims: Option<SortedMap<String, PersistentVolumeClaim>>,
}

impl BeforeApply {
    fn save(api: &ApiServer, documents: &[Document]) -> Self {
        let s = api.store();
        let applies = |kind: &str| documents.iter().any(|d| d.kind() == Some(kind));
        BeforeApply {
            allocators: api.save_allocators(),
            stateful_sets: s.stateful_sets.clone(),
            deployments: s.deployments.clone(),
            replica_sets: s.replica_sets.clone(),
            services: s.services.clone(),
            config_maps: s.config_maps.clone(),
            secrets: s.secrets.clone(),
            storage_classes: s.storage_classes.clone(),
            others: s.others.clone(),
            pods: applies("Pod").then(|| s.pods.clone()),
            claims: applies("PersistentVolumeClaim").then(|| s.claims.clone()),
        }
    }

    fn restore(self, api: &mut ApiServer) {
        api.restore_allocators(self.allocators);
        let s = api.store_mut();
        s.stateful_sets = self.stateful_sets;
        s.deployments = self.deployments;
        s.replica_sets = self.replica_sets;
        s.services = self.services;
        s.config_maps = self.config_maps;
        s.secrets = self.secrets;
        s.storage_classes = self.storage_classes;
        s.others = self.others;
        if let Some(pods) = self.pods {
            s.pods = pods;
        }
        if let Some(claims) = self.claims {
            s.claims = claims;
        }
    }
}

impl ApiServer {
    /// `kubectl apply -f` of the text. Atomic: if any document is invalid, nothing changes.
    pub fn apply_text(&mut self, text: &str) -> Result<Vec<ApplyLine>, ApiError> {
        let documents = documents_of(text)?;
        // Objects are written as they come, and if any document is refused what they
        // wrote (only the maps the documents' kinds can touch) goes back to how it was.
        let saved = BeforeApply::save(self, &documents);
        self.write_documents(&documents, true).map_err(|mut errors| {
            saved.restore(self);
            errors.remove(0)
        })
    }

    /// `kubectl apply --dry-run=server` for the editor's diagnostics as the learner
    /// types: every document's refusal (not only the first), and nothing changes.
    pub fn dry_run(&self, text: &str) -> Vec<ApiError> {
        let documents = match documents_of(text) {
            Ok(documents) => documents,
            Err(error) => return vec![error],
        };
        self.scratch().write_documents(&documents, false).err().unwrap_or_default()
    }

    /// Writes each document to the store; on refusals, the errors (the first only if
    /// `stop_at_first`). The caller restores the store on an error.
    fn write_documents(
        &mut self,
        documents: &[Document],
        stop_at_first: bool,
    ) -> Result<Vec<ApplyLine>, Vec<ApiError>> {
        let mut lines = Vec::new();
        let mut errors = Vec::new();
        for document in documents {
            let applied = decode(document).and_then(|object| {
                self.apply_object(object).map_err(|(message, field)| {
                    let position = field
                        .as_deref()
                        .and_then(|f| locate(&document.text, f))
                        .map(|p| document.absolute(p))
                        .or(Some(Position { line: document.first_line, column: 1 }));
                    ApiError { message, position }
                })
            });
            match applied {
                Ok(line) => lines.push(line),
                Err(error) => {
                    errors.push(error);
                    if stop_at_first {
                        return Err(errors);
                    }
                }
            }
        }
        if errors.is_empty() {
            self.check_replica_limit().map_err(|e| vec![e])?;
            return Ok(lines);
        }
        Err(errors)
    }

    /// Creates or updates one object. Errors are (kubectl message, field path to point at).
    fn apply_object(&mut self, object: Object) -> Result<ApplyLine, (String, Option<String>)> {
        let resource = object.resource().to_string();
        let name = object.meta().name.clone();
        if name.is_empty() {
            return Err((
                "error: error when retrieving current configuration: resource name may not be empty".into(),
                Some("metadata".into()),
            ));
        }
        let object_name = format!("{resource}/{name}");
        let line = |action| ApplyLine { object: object_name.clone(), action };
        let now = self.now();
        match object {
            Object::StatefulSet(mut set) => {
                if let Some((field, value)) = int32_overflow(&set) {
                    return Err((format!(
                        "Error from server (BadRequest): error when creating \"manifest.yaml\": StatefulSet in version \"v1\" cannot be handled as a StatefulSet: json: cannot unmarshal number {value} into Go struct field {field} of type int32"
                    ), Some(field.trim_start_matches("StatefulSetSpec.").to_string())));
                }
                default_stateful_set(&mut set);
                let causes = match self.store().stateful_sets.get(&name) {
                    Some(old) => validate_stateful_set_update(old, &set),
                    None => validate_stateful_set(&set),
                };
                if let Some(first) = causes.first() {
                    return Err((invalid_message("StatefulSet", &name, &causes), Some(first.field.clone())));
                }
                if !self.store().stateful_sets.contains_key(&name) {
                    set.metadata.uid = self.uid();
                    set.metadata.creation_timestamp = Some(now);
                    set.metadata.generation = 1;
                    set.status = Default::default();
                    self.store_mut().stateful_sets.insert(name, set);
                    return Ok(line("created"));
                }
                let Some(old) = self.store_mut().stateful_sets.get_mut(&name) else { unreachable!() };
                if old.spec == set.spec
                    && old.metadata.labels == set.metadata.labels
                    && old.metadata.annotations == set.metadata.annotations
                {
                    return Ok(line("unchanged"));
                }
                // STRAT PrepareForUpdate: generation moves on any spec change.
                if old.spec != set.spec {
                    old.metadata.generation += 1;
                }
                old.spec = set.spec;
                old.metadata.labels = set.metadata.labels;
                old.metadata.annotations = set.metadata.annotations;
                Ok(line("configured"))
            }
            Object::Deployment(mut deployment) => {
                let spec = &deployment.spec;
                let fields = [
                    ("DeploymentSpec.spec.replicas", spec.replicas),
                    ("DeploymentSpec.spec.minReadySeconds", spec.min_ready_seconds),
                    ("DeploymentSpec.spec.revisionHistoryLimit", spec.revision_history_limit),
                    ("DeploymentSpec.spec.progressDeadlineSeconds", spec.progress_deadline_seconds),
                ];
                if let Some((field, value)) = int32_overflow_apps(&fields) {
                    return Err((
                        overflow_message("Deployment", &field, value),
                        Some(field["DeploymentSpec.".len()..].to_string()),
                    ));
                }
                default_deployment(&mut deployment);
                let old = self.store().deployments.get(&name);
                if let Some(old) = old {
                    keeps_controller_annotations(&old.metadata.annotations, &mut deployment.metadata.annotations);
                }
                let causes = match old {
                    Some(old) => validate_deployment_update(old, &deployment),
                    None => validate_deployment(&deployment),
                };
                if let Some(first) = causes.first() {
                    return Err((invalid_message("Deployment", &name, &causes), Some(first.field.clone())));
                }
                let Some(old) = self.store_mut().deployments.get_mut(&name) else {
                    deployment.metadata.uid = self.uid();
                    deployment.metadata.creation_timestamp = Some(now);
                    deployment.metadata.generation = 1;
                    deployment.status = Default::default();
                    self.store_mut().deployments.insert(name, deployment);
                    return Ok(line("created"));
                };
                let meta = &deployment.metadata;
                if old.spec == deployment.spec
                    && old.metadata.labels == meta.labels
                    && old.metadata.annotations == meta.annotations
                {
                    return Ok(line("unchanged"));
                }
                // The strategy's PrepareForUpdate: spec or annotation changes move the generation.
                if old.spec != deployment.spec || old.metadata.annotations != meta.annotations {
                    old.metadata.generation += 1;
                }
                old.spec = deployment.spec;
                old.metadata.labels = deployment.metadata.labels;
                old.metadata.annotations = deployment.metadata.annotations;
                Ok(line("configured"))
            }
            Object::ReplicaSet(mut replica_set) => {
                let spec = &replica_set.spec;
                let fields = [
                    ("ReplicaSetSpec.spec.replicas", spec.replicas),
                    ("ReplicaSetSpec.spec.minReadySeconds", spec.min_ready_seconds),
                ];
                if let Some((field, value)) = int32_overflow_apps(&fields) {
                    return Err((
                        overflow_message("ReplicaSet", &field, value),
                        Some(field["ReplicaSetSpec.".len()..].to_string()),
                    ));
                }
                default_replica_set(&mut replica_set);
                let causes = match self.store().replica_sets.get(&name) {
                    Some(old) => validate_replica_set_update(old, &replica_set),
                    None => validate_replica_set(&replica_set),
                };
                if let Some(first) = causes.first() {
                    return Err((invalid_message("ReplicaSet", &name, &causes), Some(first.field.clone())));
                }
                let Some(old) = self.store_mut().replica_sets.get_mut(&name) else {
                    replica_set.metadata.uid = self.uid();
                    replica_set.metadata.creation_timestamp = Some(now);
                    replica_set.metadata.namespace.get_or_insert_with(|| "default".into());
                    replica_set.metadata.generation = 1;
                    replica_set.status = Default::default();
                    self.store_mut().replica_sets.insert(name, replica_set);
                    return Ok(line("created"));
                };
                let meta = &replica_set.metadata;
                if old.spec == replica_set.spec
                    && old.metadata.labels == meta.labels
                    && old.metadata.annotations == meta.annotations
                {
                    return Ok(line("unchanged"));
                }
                if old.spec != replica_set.spec {
                    old.metadata.generation += 1;
                }
                old.spec = replica_set.spec;
                old.metadata.labels = replica_set.metadata.labels;
                old.metadata.annotations = replica_set.metadata.annotations;
                Ok(line("configured"))
            }
            Object::Service(mut service) => {
                default_service(&mut service);
                let mut causes = Vec::new();
                validate_name(&name, &mut causes);
                if let Some(first) = causes.first() {
                    return Err((invalid_message("Service", &name, &causes), Some(first.field.clone())));
                }
                match self.store_mut().services.get_mut(&name) {
                    Some(old) => {
                        // clusterIP is immutable once allocated; a manifest without one keeps it.
                        if service.spec.cluster_ip.is_none() {
                            service.spec.cluster_ip = old.spec.cluster_ip.clone();
                        }
                        if service.spec.cluster_ip != old.spec.cluster_ip {
                            let detail = "Invalid value: \"\": field is immutable";
                            return Err((
                                format!("The Service \"{name}\" is invalid: spec.clusterIPs[0]: {detail}"),
                                Some("spec.clusterIP".into()),
                            ));
                        }
                        if old.spec == service.spec && old.metadata.labels == service.metadata.labels {
                            return Ok(line("unchanged"));
                        }
                        old.spec = service.spec;
                        old.metadata.labels = service.metadata.labels;
                        Ok(line("configured"))
                    }
                    None => {
                        if service.spec.cluster_ip.is_none() {
                            service.spec.cluster_ip = Some(self.cluster_ip());
                        }
                        if matches!(service.spec.kind.as_deref(), Some("NodePort" | "LoadBalancer")) {
                            for port in service.spec.ports.iter_mut().filter(|p| p.node_port.is_none()) {
                                port.node_port = Some(30_000 + self.random().below(0..2768) as i64);
                            }
                        }
                        service.metadata.uid = self.uid();
                        service.metadata.creation_timestamp = Some(now);
                        self.store_mut().services.insert(name, service);
                        Ok(line("created"))
                    }
                }
            }
            Object::Pod(mut pod) => {
                default_pod_spec(&mut pod.spec);
                if let Some(old) = self.store().pods.get(&name) {
                    return if old.spec.containers == pod.spec.containers {
                        Ok(line("unchanged"))
                    } else {
                        Err((format!("The Pod \"{name}\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"), Some("spec".into())))
                    };
                }
                let causes = validate_pod(&pod);
                if let Some(first) = causes.first() {
                    return Err((invalid_message("Pod", &name, &causes), Some(first.field.clone())));
                }
                self.create_pod(pod);
                Ok(line("created"))
            }
            Object::PersistentVolumeClaim(mut claim) => {
                if self.store().claims.contains_key(&name) {
                    return Ok(line("unchanged"));
                }
                let causes = validate_claim(&claim);
                if let Some(first) = causes.first() {
                    return Err((invalid_message("PersistentVolumeClaim", &name, &causes), Some(first.field.clone())));
                }
                claim.spec.volume_mode.get_or_insert_with(|| "Filesystem".into());
                self.create_claim(claim);
                Ok(line("created"))
            }
            Object::ConfigMap(map) => Ok(line(self.upsert(|s| &mut s.config_maps, name, map, now))),
            Object::Secret(secret) => Ok(line(self.upsert(|s| &mut s.secrets, name, secret, now))),
            Object::StorageClass(class) => Ok(line(self.upsert(|s| &mut s.storage_classes, name, class, now))),
            Object::Generic(generic) => {
                let key = (generic.kind.clone(), name.clone());
                let action = match self.store().others.get(&key) {
                    Some(old) if old.body == generic.body => "unchanged",
                    Some(_) => "configured",
                    None => "created",
                };
                let mut generic = generic;
                generic.metadata.creation_timestamp = Some(now);
                self.store_mut().others.insert(key, generic);
                Ok(line(action))
            }
        }
    }

    /// Create-or-update for objects the playground only stores.
    fn upsert<T: PartialEq + HasMeta>(
        &mut self,
        map: fn(&mut super::store::Store) -> &mut SortedMap<String, T>,
        name: String,
        mut object: T,
        now: Millis,
    ) -> &'static str {
        let exists = map(self.store_mut()).contains_key(&name);
        let uid = if exists { None } else { Some(self.uid()) };
        match map(self.store_mut()).get_mut(&name) {
            Some(old) => {
                let created = old.meta().creation_timestamp;
                let uid = old.meta().uid.clone();
                object.meta_mut().creation_timestamp = created;
                object.meta_mut().uid = uid;
                if *old == object {
                    "unchanged"
                } else {
                    *old = object;
                    "configured"
                }
            }
            None => {
                object.meta_mut().creation_timestamp = Some(now);
                object.meta_mut().uid = uid.unwrap_or_default();
                map(self.store_mut()).insert(name, object);
                "created"
            }
        }
    }
}

/// The JSON decoding error of a number beyond int32 in `kind`'s `field` (a Go field path).
fn overflow_message(kind: &str, field: &str, value: i64) -> String {
    format!("Error from server (BadRequest): error when creating \"manifest.yaml\": {kind} in version \"v1\" cannot be handled as a {kind}: json: cannot unmarshal number {value} into Go struct field {field} of type int32")
}

/// Objects with metadata, for the generic write paths.
pub trait HasMeta {
    fn meta(&self) -> &ObjectMeta;
    fn meta_mut(&mut self) -> &mut ObjectMeta;
}

macro_rules! has_meta {
    ($($t:ty),*) => {$(
        impl HasMeta for $t {
            fn meta(&self) -> &ObjectMeta { &self.metadata }
            fn meta_mut(&mut self) -> &mut ObjectMeta { &mut self.metadata }
        }
    )*};
}
has_meta!(ConfigMap, Secret, StorageClass);
