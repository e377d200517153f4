//! What containers can read and write (issue: "Files"): each container sees its
//! volume mounts (PVC, emptyDir, configMap, secret) over an ephemeral container layer.
//! A file under a PVC mount lives on the PersistentVolume and survives the pod;
//! under an emptyDir it lives as long as the pod; anywhere else it is lost at
//! every container start.

use std::collections::BTreeMap;

use crate::core::api::*;
use crate::core::apiserver::store::Store;

/// Files of one backing store: path relative to its root → content.
pub type Files = BTreeMap<String, String>;

/// Where a file lives.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Backing {
    /// On a PersistentVolume, by PV name.
    Volume(String),
    /// An emptyDir of a pod: (pod uid, volume name).
    EmptyDir(String, String),
    /// The writable layer of a container: (pod uid, container name).
    Layer(String, String),
    /// A configMap or secret volume: read-only, computed from the object.
    Projected { kind: &'static str, name: String },
}

/// Every writable file in the cluster, by backing store.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filesystems {
    stores: crate::core::sorted::SortedMap<Backing, Files>,
}

/// A path resolved inside a container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub backing: Backing,
    /// Path relative to the backing store's root.
    pub relative: String,
    pub read_only: bool,
    /// The mount path that matched (`/` for the container layer).
    pub mount_path: String,
}

/// Collapses `.`/`..` and duplicate slashes; always absolute.
pub fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

/// Which backing store holds `path` for `container` of `pod`: the longest mount prefix wins.
pub fn resolve(store: &Store, pod: &Pod, container: &Container, path: &str) -> Resolved {
    let path = normalize(path);
    let best = container
        .volume_mounts
        .iter()
        .filter(|m| {
            let mount = normalize(&m.mount_path);
            path == mount || mount == "/" || path.starts_with(&format!("{mount}/"))
        })
        .max_by_key(|m| normalize(&m.mount_path).len());
    let layer = || Resolved {
        backing: Backing::Layer(pod.metadata.uid.clone(), container.name.clone()),
        relative: path.clone(),
        read_only: false,
        mount_path: "/".into(),
    };
    let Some(mount) = best else { return layer() };
    let Some(volume) = pod.spec.volumes.iter().find(|v| v.name == mount.name) else { return layer() };
    let mount_path = normalize(&mount.mount_path);
    let relative = normalize(path.strip_prefix(&mount_path).unwrap_or(""));
    let read_only = mount.read_only == Some(true);
    let name_in = |source: &Opaque, key: &str| {
        source.as_ref().and_then(|s| s.get(key)).and_then(|v| v.as_str()).unwrap_or("").to_string()
    };
    let backing = if let Some(pvc) = &volume.persistent_volume_claim {
        match store.claims.get(&pvc.claim_name).and_then(|c| c.spec.volume_name.clone()) {
            Some(pv) => Backing::Volume(pv),
            None => return layer(),
        }
    } else if volume.config_map.is_some() {
        Backing::Projected { kind: "ConfigMap", name: name_in(&volume.config_map, "name") }
    } else if volume.secret.is_some() {
        Backing::Projected { kind: "Secret", name: name_in(&volume.secret, "secretName") }
    } else {
        Backing::EmptyDir(pod.metadata.uid.clone(), volume.name.clone())
    };
    let read_only = read_only || matches!(backing, Backing::Projected { .. });
    Resolved { backing, relative, read_only, mount_path }
}

impl Filesystems {
    /// Reads a file; projected volumes show their object's keys.
    pub fn read(&self, store: &Store, at: &Resolved) -> Option<String> {
        match &at.backing {
            Backing::Projected { kind, name } => {
                let key = at.relative.trim_start_matches('/');
                match *kind {
                    "ConfigMap" => store.config_maps.get(name)?.data.get(key).cloned(),
                    _ => {
                        let secret = store.secrets.get(name)?;
                        secret
                            .string_data
                            .get(key)
                            .cloned()
                            .or_else(|| secret.data.get(key).map(|b64| decode_base64(b64)))
                    }
                }
            }
            backing => self.stores.get(backing)?.get(&at.relative).cloned(),
        }
    }

    /// Writes a file. Returns the shell's error text for a read-only mount.
    pub fn write(&mut self, at: &Resolved, content: String) -> Result<(), String> {
        if at.read_only {
            return Err("Read-only file system".into());
        }
        self.stores.entry_or_default(at.backing.clone()).insert(at.relative.clone(), content);
        Ok(())
    }

    /// Deletes a file; `Ok(false)` when there was none. Read-only mounts refuse.
    pub fn remove(&mut self, at: &Resolved) -> Result<bool, String> {
        if at.read_only {
            return Err("Read-only file system".into());
        }
        Ok(self.stores.get_mut(&at.backing).is_some_and(|files| files.remove(&at.relative).is_some()))
    }

    /// Entries directly under a directory of one backing store (names, directories end in `/`).
    pub fn list(&self, at: &Resolved) -> Vec<String> {
        let prefix = if at.relative == "/" { "/".to_string() } else { format!("{}/", at.relative) };
        let mut names: Vec<String> = self
            .stores
            .get(&at.backing)
            .map(|files| {
                files
                    .keys()
                    .filter_map(|path| path.strip_prefix(&prefix))
                    .map(|rest| match rest.split_once('/') {
                        Some((dir, _)) => format!("{dir}/"),
                        None => rest.to_string(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        names.dedup();
        names
    }

    /// The files a pod's containers have written, as (absolute path, where it
    /// lives): `volume` (a claim's PersistentVolume: survives the pod),
    /// `emptyDir` (survives container restarts, not the pod) or `container`
    /// (the container layer: lost at every container start). The page draws
    /// them apart, so a count kept in /tmp visibly lives in the wrong place.
    pub fn files_of(&self, store: &Store, pod: &Pod) -> Vec<(String, &'static str)> {
        let mut files = Vec::new();
        for container in &pod.spec.containers {
            for mount in &container.volume_mounts {
                let at = resolve(store, pod, container, &mount.mount_path);
                let lives = match at.backing {
                    Backing::Volume(_) => "volume",
                    Backing::EmptyDir(..) => "emptyDir",
                    _ => continue,
                };
                let root = at.mount_path.trim_end_matches('/');
                for path in self.stores.get(&at.backing).into_iter().flat_map(|f| f.keys()) {
                    files.push((format!("{root}{path}"), lives));
                }
            }
            let layer = Backing::Layer(pod.metadata.uid.clone(), container.name.clone());
            files.extend(
                self.stores.get(&layer).into_iter().flat_map(|f| f.keys()).map(|path| (path.clone(), "container")),
            );
        }
        files.sort();
        files.dedup();
        files
    }

    /// A container (re)started: its writable layer starts empty.
    pub fn reset_layer(&mut self, pod_uid: &str, container: &str) {
        self.stores.remove(&Backing::Layer(pod_uid.into(), container.into()));
    }

    /// A pod is gone: its emptyDirs and container layers go with it.
    pub fn forget_pod(&mut self, pod_uid: &str) {
        self.stores.retain(|backing, _| match backing {
            Backing::EmptyDir(uid, _) | Backing::Layer(uid, _) => uid != pod_uid,
            _ => true,
        });
    }

    /// A PersistentVolume was deleted: its data is gone.
    pub fn forget_volume(&mut self, volume: &str) {
        self.stores.remove(&Backing::Volume(volume.into()));
    }
}

/// Decodes standard base64 (Secret `data`); invalid input decodes to what it can.
pub fn decode_base64(text: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for byte in text.bytes() {
        let Some(value) = ALPHABET.iter().position(|&c| c == byte) else { continue };
        bits = (bits << 6) | value as u32;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalised() {
        assert_eq!(normalize("/data//visits"), "/data/visits");
        assert_eq!(normalize("data/../tmp/./x"), "/tmp/x");
        assert_eq!(normalize("/../.."), "/");
    }

    #[test]
    fn secrets_decode_from_base64() {
        assert_eq!(decode_base64("cGFzc3dvcmQ="), "password");
    }
}
