//! The API server's calls for Deployments and ReplicaSets (`apps/v1`): updates
//! validated as the registry's strategies validate them, generations bumped as their
//! `PrepareForUpdate` bumps them, the scale and status subresources, deletes (the
//! dependents are left to the garbage collector: background propagation), and the
//! names `generateName` asks for.

use crate::core::api::*;

use super::server::ApiServer;
use super::{default_deployment, default_replica_set, invalid_message};
use super::{validate_deployment_update, validate_replica_set_update};

/// `names.SimpleNameGenerator`'s alphabet (apimachinery `util/rand`): no vowels, no 0/1/3.
const NAME_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
/// Generated names keep at most this much of their base (63 − 5 random characters).
const MAX_GENERATED_BASE: usize = 58;

fn not_found(resource: &str, name: &str) -> String {
    format!("Error from server (NotFound): {resource} \"{name}\" not found")
}

/// Annotations the Deployment controller owns: a client's apply that does not name
/// them leaves them be (kubectl apply's three-way merge never removes what it did not set).
pub(super) fn keeps_controller_annotations(old: &Labels, new: &mut Labels) {
    for (key, value) in old {
        if key.starts_with("deployment.kubernetes.io/") && !new.contains_key(key) {
            new.insert(key.clone(), value.clone());
        }
    }
}

impl ApiServer {
    /// `generateName`: `base` (cut to 58 characters) and five random characters from the
    /// cluster's PRNG; drawn again if the name is taken (RetryGenerateName, GA in 1.32).
    pub fn generate_pod_name(&mut self, base: &str) -> String {
        let mut cut = base.len().min(MAX_GENERATED_BASE);
        while !base.is_char_boundary(cut) {
            cut -= 1;
        }
        let base = &base[..cut];
        loop {
            let mut name = base.to_string();
            for _ in 0..5 {
                name.push(NAME_ALPHABET[self.random().below(0..NAME_ALPHABET.len() as u64) as usize] as char);
            }
            if !self.store().pods.contains_key(&name) {
                return name;
            }
        }
    }

    // ------------------------------------------------------------ Deployments

    /// Changes a Deployment (set image, pause, a template from an older revision),
    /// defaulted and validated as an update. The generation moves when the spec or the
    /// annotations change (they are copied to the ReplicaSets). Returns whether
    /// anything changed.
    pub fn update_deployment(&mut self, name: &str, edit: impl FnOnce(&mut Deployment)) -> Result<bool, String> {
        let Some(old) = self.store().deployments.get(name) else {
            return Err(not_found("deployments.apps", name));
        };
        let mut new = old.clone();
        edit(&mut new);
        default_deployment(&mut new);
        let causes = validate_deployment_update(old, &new);
        if !causes.is_empty() {
            return Err(invalid_message("Deployment", name, &causes));
        }
        let changed = new.spec != old.spec || new.metadata != old.metadata;
        if new.spec != old.spec || new.metadata.annotations != old.metadata.annotations {
            new.metadata.generation = old.metadata.generation + 1;
        }
        new.status = old.status.clone();
        if changed {
            self.store_mut().deployments.insert(name.to_string(), new);
        }
        self.check_replica_limit().map_err(|e| e.message)?;
        Ok(changed)
    }

    /// `kubectl scale deployment NAME --replicas=N` (the scale subresource).
    pub fn scale_deployment(&mut self, name: &str, replicas: i64) -> Result<(), String> {
        let Some(deployment) = self.store().deployments.get(name) else {
            return Err(not_found("deployments.apps", name));
        };
        if replicas < 0 {
            return Err(format!("The Deployment \"{name}\" is invalid: spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0"));
        }
        let others = self.total_replicas() - deployment.replicas();
        if others + replicas > super::MAX_TOTAL_REPLICAS {
            return Err(format!("error: the playground runs at most {} replicas in total", super::MAX_TOTAL_REPLICAS));
        }
        if deployment.spec.replicas != Some(replicas) {
            let deployment = self.store_mut().deployments.get_mut(name).expect("looked up above");
            deployment.spec.replicas = Some(replicas);
            deployment.metadata.generation += 1;
        }
        Ok(())
    }

    /// The deployments/status subresource: the status, and the annotations (the
    /// controller writes the revision annotation with it); labels and spec stay.
    pub fn update_deployment_status(&mut self, name: &str, annotations: Labels, status: DeploymentStatus) -> bool {
        let Some(current) = self.store().deployments.get(name) else { return false };
        if current.metadata.annotations == annotations && current.status == status {
            return false;
        }
        match self.store_mut().deployments.get_mut(name) {
            Some(deployment) => {
                deployment.metadata.annotations = annotations;
                deployment.status = status;
                true
            }
            None => false,
        }
    }

    /// Deletes a Deployment. With `cascade` its ReplicaSets, and then their pods, are
    /// left to the garbage collector (background propagation); without, they are
    /// orphaned (their owner reference goes).
    pub fn delete_deployment(&mut self, name: &str, cascade: bool) -> bool {
        let Some(deployment) = self.store_mut().deployments.remove(name) else { return false };
        if !cascade {
            let uid = deployment.metadata.uid;
            let owned: Vec<String> = self
                .store()
                .replica_sets
                .values()
                .filter(|rs| rs.metadata.owner_references.iter().any(|o| o.uid == uid))
                .map(|rs| rs.name().to_string())
                .collect();
            for rs in owned {
                if let Some(rs) = self.store_mut().replica_sets.get_mut(&rs) {
                    rs.metadata.owner_references.retain(|o| o.uid != uid);
                }
            }
        }
        true
    }

    // ------------------------------------------------------------ ReplicaSets

    /// Creates a ReplicaSet (the Deployment controller's call): uid, creation time,
    /// generation 1. Refused when the name is taken (AlreadyExists).
    pub fn create_replica_set(&mut self, mut replica_set: ReplicaSet) -> Result<(), String> {
        let name = replica_set.name().to_string();
        if self.store().replica_sets.contains_key(&name) {
            return Err(format!("Error from server (AlreadyExists): replicasets.apps \"{name}\" already exists"));
        }
        default_replica_set(&mut replica_set);
        replica_set.metadata.uid = self.uid();
        replica_set.metadata.creation_timestamp = Some(self.now());
        replica_set.metadata.namespace.get_or_insert_with(|| "default".into());
        replica_set.metadata.generation = 1;
        replica_set.status = Default::default();
        self.store_mut().replica_sets.insert(name, replica_set);
        Ok(())
    }

    /// Changes a ReplicaSet (its Deployment scaling it and writing its annotations, or
    /// a client), validated as an update; the generation moves with the spec.
    pub fn update_replica_set(&mut self, name: &str, edit: impl FnOnce(&mut ReplicaSet)) -> Result<bool, String> {
        let Some(old) = self.store().replica_sets.get(name) else {
            return Err(not_found("replicasets.apps", name));
        };
        let mut new = old.clone();
        edit(&mut new);
        default_replica_set(&mut new);
        let causes = validate_replica_set_update(old, &new);
        if !causes.is_empty() {
            return Err(invalid_message("ReplicaSet", name, &causes));
        }
        let changed = new.spec != old.spec || new.metadata != old.metadata;
        if new.spec != old.spec {
            new.metadata.generation = old.metadata.generation + 1;
        }
        new.status = old.status.clone();
        if changed {
            self.store_mut().replica_sets.insert(name.to_string(), new);
        }
        Ok(changed)
    }

    /// `kubectl scale rs NAME --replicas=N`.
    pub fn scale_replica_set(&mut self, name: &str, replicas: i64) -> Result<(), String> {
        if replicas < 0 {
            return Err(format!("The ReplicaSet \"{name}\" is invalid: spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0"));
        }
        self.update_replica_set(name, |rs| rs.spec.replicas = Some(replicas)).map(|_| ())?;
        self.check_replica_limit().map_err(|e| e.message)
    }

    /// The replicasets/status subresource.
    pub fn update_replica_set_status(&mut self, name: &str, status: ReplicaSetStatus) -> bool {
        match self.store_mut().replica_sets.get_mut(name) {
            Some(rs) if rs.status != status => {
                rs.status = status;
                true
            }
            _ => false,
        }
    }

    /// Adoption (`Some`: the controller owner reference to add) or release (`None`:
    /// the controller owner reference goes) of a ReplicaSet by a Deployment.
    pub fn set_replica_set_controller(&mut self, name: &str, owner: Option<OwnerReference>) -> bool {
        match self.store_mut().replica_sets.get_mut(name) {
            Some(rs) => {
                rs.metadata.owner_references.retain(|o| !o.controller);
                rs.metadata.owner_references.extend(owner);
                true
            }
            None => false,
        }
    }

    /// Adoption or release of a pod by a ReplicaSet, as [`Self::set_replica_set_controller`].
    pub fn set_pod_controller(&mut self, name: &str, owner: Option<OwnerReference>) -> bool {
        self.update_pod(name, |pod| {
            pod.metadata.owner_references.retain(|o| !o.controller);
            pod.metadata.owner_references.extend(owner);
        })
    }

    /// Deletes a ReplicaSet. With `cascade` its pods are left to the garbage collector
    /// (background propagation); without, they are orphaned.
    pub fn delete_replica_set(&mut self, name: &str, cascade: bool) -> bool {
        let Some(replica_set) = self.store_mut().replica_sets.remove(name) else { return false };
        if !cascade {
            let uid = replica_set.metadata.uid;
            let owned: Vec<String> = self
                .store()
                .pods
                .values()
                .filter(|p| p.metadata.owner_references.iter().any(|o| o.uid == uid))
                .map(|p| p.name().to_string())
                .collect();
            for pod in owned {
                self.update_pod(&pod, |p| p.metadata.owner_references.retain(|o| o.uid != uid));
            }
        }
        true
    }
}
