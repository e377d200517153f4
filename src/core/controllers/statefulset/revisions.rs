//! ControllerRevisions: the set's template history (HIST, §3.1–§3.3).

use super::*;

// ---------------------------------------------------------------- revisions (HIST)

/// FNV-32 as a `Hasher`, with sizes hashed as 64-bit little-endian so the
/// same template gets the same revision name in the browser (wasm32) and natively.
pub(super) struct Fnv32(u32);

impl std::hash::Hasher for Fnv32 {
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = self.0.wrapping_mul(0x0100_0193) ^ u32::from(*byte);
        }
    }
    fn write_usize(&mut self, value: usize) {
        self.write(&(value as u64).to_le_bytes());
    }
    fn finish(&self) -> u64 {
        u64::from(self.0)
    }
}

/// §3.2: FNV-32 of the template followed by the collision count, its decimal
/// digits mapped through apimachinery's `SafeEncodeString` alphabet. (The hash
/// runs over the template's YAML value rather than Go's JSON bytes, so names
/// differ from a real cluster's but keep their shape and stability.)
pub fn revision_name_for(set: &str, template: &PodTemplateSpec, collision_count: i64) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = Fnv32(0x811c_9dc5);
    crate::core::api::write::ToValue::to_value(template).hash(&mut hasher);
    hasher.write(collision_count.to_string().as_bytes());
    // `finish` widens the 32-bit sum; the name takes the 32 bits back.
    format!("{set}-{}", crate::core::controllers::safe_encode(hasher.finish() as u32))
}

/// Current and update revision names, plus the revision changes this implies (§3.2–§3.4).
pub(super) fn revisions(state: &SetState, changes: &mut Vec<Change>) -> (String, String) {
    let set = state.set;
    let template = &set.spec.template;
    let max_revision = state.revisions.iter().map(|r| r.revision).max().unwrap_or(0);
    let update = match state.revisions.iter().find(|r| r.data == *template) {
        Some(existing) => {
            if existing.revision < max_revision {
                changes.push(Change::RenumberRevision {
                    name: existing.metadata.name.clone(),
                    revision: max_revision + 1,
                });
            }
            existing.metadata.name.clone()
        }
        None => {
            let name = revision_name_for(set.name(), template, set.status.collision_count);
            let mut labels = template.metadata.labels.clone();
            labels.insert("controller.kubernetes.io/hash".into(), name[set.name().len() + 1..].to_string());
            changes.push(Change::CreateRevision(ControllerRevision {
                metadata: ObjectMeta {
                    name: name.clone(),
                    labels,
                    annotations: set.metadata.annotations.clone(),
                    owner_references: vec![owner_reference(set)],
                    ..Default::default()
                },
                data: template.clone(),
                revision: max_revision + 1,
            }));
            name
        }
    };
    let current_exists = state.revisions.iter().any(|r| r.metadata.name == set.status.current_revision);
    let current = if current_exists { set.status.current_revision.clone() } else { update.clone() };
    (current, update)
}

pub(super) fn revision_template<'a>(state: &'a SetState, name: &str) -> &'a PodTemplateSpec {
    state.revisions.iter().find(|r| r.metadata.name == name).map_or(&state.set.spec.template, |r| &r.data)
}

pub fn owner_reference(set: &StatefulSet) -> OwnerReference {
    OwnerReference::controller_of("StatefulSet", &set.metadata)
}
