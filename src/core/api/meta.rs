//! ObjectMeta and friends (apimachinery `meta/v1`).

use std::collections::BTreeMap;

use crate::core::time::Millis;

pub type Labels = BTreeMap<String, String>;
/// A field the simulation keeps but does not interpret.
pub type Opaque = Option<crate::core::api::yaml::Value>;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ObjectMeta {
    pub name: String,
    pub generate_name: Option<String>,
    pub namespace: Option<String>,
    pub labels: Labels,
    pub annotations: Labels,
    pub uid: String,
    /// Virtual time of creation; set by the API server.
    pub creation_timestamp: Option<Millis>,
    /// Set when a graceful deletion has started (the object shows as Terminating).
    pub deletion_timestamp: Option<Millis>,
    pub deletion_grace_period_seconds: Option<i64>,
    pub generation: i64,
    pub owner_references: Vec<OwnerReference>,
    pub finalizers: Vec<String>,
}

impl ObjectMeta {
    pub fn named(name: &str) -> Self {
        ObjectMeta { name: name.to_string(), ..Default::default() }
    }
    pub fn namespace(&self) -> &str {
        self.namespace.as_deref().unwrap_or("default")
    }
    pub fn is_terminating(&self) -> bool {
        self.deletion_timestamp.is_some()
    }
    /// The owner reference marked `controller: true`, if any.
    pub fn controller(&self) -> Option<&OwnerReference> {
        self.owner_references.iter().find(|r| r.controller)
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct OwnerReference {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub uid: String,
    pub controller: bool,
    pub block_owner_deletion: bool,
}

impl OwnerReference {
    /// `metav1.NewControllerRef`: the controlling reference to an `apps/v1` object.
    pub fn controller_of(kind: &str, owner: &ObjectMeta) -> Self {
        OwnerReference {
            api_version: "apps/v1".into(),
            kind: kind.into(),
            name: owner.name.clone(),
            uid: owner.uid.clone(),
            controller: true,
            block_owner_deletion: true,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct LabelSelector {
    pub match_labels: Labels,
    pub match_expressions: Vec<LabelSelectorRequirement>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct LabelSelectorRequirement {
    pub key: String,
    pub operator: String,
    pub values: Vec<String>,
}

impl LabelSelector {
    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.match_expressions.is_empty()
    }

    /// Whether `labels` satisfy this selector (an empty selector matches everything).
    pub fn matches(&self, labels: &Labels) -> bool {
        self.match_labels.iter().all(|(k, v)| labels.get(k) == Some(v))
            && self.match_expressions.iter().all(|r| {
                let value = labels.get(&r.key);
                match r.operator.as_str() {
                    "In" => value.is_some_and(|v| r.values.contains(v)),
                    "NotIn" => value.is_none_or(|v| !r.values.contains(v)),
                    "Exists" => value.is_some(),
                    "DoesNotExist" => value.is_none(),
                    _ => false,
                }
            })
    }
}

/// `app=nginx,tier=web`, as kubectl prints selectors and labels.
pub fn format_labels(labels: &Labels) -> String {
    labels.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
}

/// Whether every `selector` pair is present in `labels` (Service selectors).
pub fn selector_matches(selector: &Labels, labels: &Labels) -> bool {
    selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}
