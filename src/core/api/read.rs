//! Typed reading of YAML values, in place of serde's derived `Deserialize`
//! (which cost ~25 KiB of gzipped wasm for the API types: every learner pays
//! for every KiB). Errors keep serde's shape, `spec.replicas: invalid type:
//! string "three", expected i64`, so the API server can point at the field.
//! Unknown fields are not refused here: the API server's strict decoding
//! finds them by comparing what was written with what was kept.

use std::collections::BTreeMap;

use crate::core::api::yaml::{Mapping, Value};

/// `path: message`, the path in `a.b[0].c` form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError(pub String);

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub trait FromValue: Sized {
    /// Reads `value`, found at `path` in the document.
    fn read(value: &Value, path: &str) -> Result<Self, ReadError>;
}

/// Reads a whole object.
pub fn from_value<T: FromValue>(value: &Value) -> Result<T, ReadError> {
    T::read(value, "")
}

/// What serde calls the value it did not expect.
fn unexpected(value: &Value) -> String {
    match value {
        Value::Null => "unit value".into(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) if n.is_f64() => format!("floating point `{n}`"),
        Value::Number(n) => format!("integer `{n}`"),
        Value::String(s) => format!("string {}", crate::core::quoted(s)),
        Value::Sequence(_) => "sequence".into(),
        Value::Mapping(_) => "map".into(),
    }
}

fn invalid(value: &Value, path: &str, expected: &str) -> ReadError {
    let at = if path.is_empty() { String::new() } else { format!("{path}: ") };
    ReadError(format!("{at}invalid type: {}, expected {expected}", unexpected(value)))
}

impl FromValue for String {
    fn read(value: &Value, path: &str) -> Result<Self, ReadError> {
        value.as_str().map(str::to_string).ok_or_else(|| invalid(value, path, "a string"))
    }
}

impl FromValue for i64 {
    fn read(value: &Value, path: &str) -> Result<Self, ReadError> {
        value.as_i64().ok_or_else(|| invalid(value, path, "i64"))
    }
}

impl FromValue for u64 {
    fn read(value: &Value, path: &str) -> Result<Self, ReadError> {
        value.as_u64().ok_or_else(|| invalid(value, path, "u64"))
    }
}

impl FromValue for u32 {
    fn read(value: &Value, path: &str) -> Result<Self, ReadError> {
        value.as_u64().and_then(|n| u32::try_from(n).ok()).ok_or_else(|| invalid(value, path, "u32"))
    }
}

impl FromValue for bool {
    fn read(value: &Value, path: &str) -> Result<Self, ReadError> {
        value.as_bool().ok_or_else(|| invalid(value, path, "a boolean"))
    }
}

impl FromValue for Value {
    fn read(value: &Value, _path: &str) -> Result<Self, ReadError> {
        Ok(value.clone())
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn read(value: &Value, path: &str) -> Result<Self, ReadError> {
        match value {
            Value::Null => Ok(None),
            _ => T::read(value, path).map(Some),
        }
    }
}

impl<T: FromValue> FromValue for Vec<T> {
    fn read(value: &Value, path: &str) -> Result<Self, ReadError> {
        // Plain loops rather than iterator adapters: this is instantiated once
        // per element type, so every byte counts.
        let Value::Sequence(items) = value else { return Err(invalid(value, path, "a sequence")) };
        let mut read = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            read.push(T::read(item, &format!("{path}[{index}]"))?);
        }
        Ok(read)
    }
}

impl<T: FromValue> FromValue for BTreeMap<String, T> {
    fn read(value: &Value, path: &str) -> Result<Self, ReadError> {
        let map = value.as_mapping().ok_or_else(|| invalid(value, path, "a map"))?;
        let mut read = BTreeMap::new();
        for (key, item) in map {
            let key = String::read(key, path)?;
            let item = T::read(item, &join(path, &key))?;
            read.insert(key, item);
        }
        Ok(read)
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// A mapping being read field by field.
pub struct Fields<'a> {
    map: Option<&'a Mapping>,
    path: &'a str,
}

impl<'a> Fields<'a> {
    /// A null value reads as an object with every field missing.
    pub fn of(value: &'a Value, path: &'a str) -> Result<Self, ReadError> {
        match value {
            Value::Null => Ok(Fields { map: None, path }),
            Value::Mapping(map) => Ok(Fields { map: Some(map), path }),
            _ => Err(invalid(value, path, "a map")),
        }
    }

    /// The field's value (not null) and its path; kept out of the generic
    /// functions below so that each instance stays small.
    #[inline(never)]
    fn child(&self, key: &str) -> Option<(&'a Value, String)> {
        self.map.and_then(|m| m.get(key)).filter(|v| !v.is_null()).map(|value| (value, join(self.path, key)))
    }

    /// An optional field: missing or null reads as the default.
    pub fn field<T: FromValue + Default>(&self, key: &str) -> Result<T, ReadError> {
        match self.child(key) {
            Some((value, path)) => T::read(value, &path),
            None => Ok(T::default()),
        }
    }

    /// A field serde required.
    pub fn required<T: FromValue>(&self, key: &str) -> Result<T, ReadError> {
        match self.child(key) {
            Some((value, path)) => T::read(value, &path),
            None => Err(self.missing(key)),
        }
    }

    #[inline(never)]
    fn missing(&self, key: &str) -> ReadError {
        let at = if self.path.is_empty() { String::new() } else { format!("{}: ", self.path) };
        ReadError(format!("{at}missing field `{key}`"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::api::{Service, StatefulSet};

    fn yaml(text: &str) -> Value {
        crate::core::api::yaml::from_str(text).unwrap()
    }

    #[test]
    fn objects_read_with_defaults_and_errors_name_the_field() {
        let set: StatefulSet = from_value(&yaml(
            "metadata: {name: web, labels: {app: web}}\nspec:\n  replicas: 2\n  serviceName: nginx\n",
        ))
        .unwrap();
        assert_eq!(
            (set.metadata.name.as_str(), set.spec.replicas, set.spec.service_name.as_deref()),
            ("web", Some(2), Some("nginx"))
        );
        let error = from_value::<StatefulSet>(&yaml("spec:\n  replicas: three\n")).unwrap_err();
        assert_eq!(error.0, "spec.replicas: invalid type: string \"three\", expected i64");
        let error = from_value::<Service>(&yaml("spec:\n  ports:\n    - name: http\n")).unwrap_err();
        assert_eq!(error.0, "spec.ports[0]: missing field `port`");
        let error = from_value::<StatefulSet>(&yaml("metadata: {labels: {app: 1}}\n")).unwrap_err();
        assert_eq!(error.0, "metadata.labels.app: invalid type: integer `1`, expected a string");
    }
}
