//! API objects to YAML values, in place of serde's derived `Serialize`: the
//! same output (field order, omitted empty fields) for far less wasm.

use std::collections::BTreeMap;

use crate::core::api::yaml::{Mapping, Value};

pub trait ToValue {
    fn to_value(&self) -> Value;
}

/// Inserts `key: value` in order.
pub fn put(map: &mut Mapping, key: &str, value: &impl ToValue) {
    map.insert(Value::String(key.to_string()), value.to_value());
}

impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::String(self.clone())
    }
}

impl ToValue for i64 {
    fn to_value(&self) -> Value {
        Value::Number((*self).into())
    }
}

impl ToValue for u64 {
    fn to_value(&self) -> Value {
        Value::Number((*self).into())
    }
}

impl ToValue for u32 {
    fn to_value(&self) -> Value {
        Value::Number((*self).into())
    }
}

impl ToValue for bool {
    fn to_value(&self) -> Value {
        Value::Bool(*self)
    }
}

impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToValue::to_value)
    }
}

impl<T: ToValue> ToValue for Vec<T> {
    fn to_value(&self) -> Value {
        Value::Sequence(self.iter().map(ToValue::to_value).collect())
    }
}

impl<T: ToValue> ToValue for BTreeMap<String, T> {
    fn to_value(&self) -> Value {
        Value::Mapping(self.iter().map(|(k, v)| (Value::String(k.clone()), v.to_value())).collect())
    }
}

impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}
