//! `.Files`: the chart's other files (not templates/, Chart.yaml, values.yaml or
//! charts/), with the methods of Helm's `engine.files` (pkg/engine/files.go):
//! Get, GetBytes, Glob, Lines, AsConfig and AsSecrets.
//!
//! The template data is YAML values, which have no methods; a Files object is a
//! mapping of path → text with one more key no chart can write (it starts with a
//! NUL), which marks it for `call` and which range, `if` and `len` skip
//! ([`is_marker`]), so `range $path, $_ := .Files.Glob "conf/*"` works as in Helm.

use base64::Engine as _;

use crate::core::api::yaml::{Mapping, Value};

/// The key that marks a mapping as a Files object.
const FILES: &str = "\0helm.Files";

/// Whether a mapping's key is the Files mark (not one of its files).
pub fn is_marker(key: &Value) -> bool {
    key.as_str().is_some_and(|k| k.starts_with('\0'))
}

/// The methods a Files object has.
const METHODS: &[&str] = &["Get", "GetBytes", "Glob", "Lines", "AsConfig", "AsSecrets"];

/// A Files object for `files` (path in the chart → text).
pub fn object(files: &[(String, String)]) -> Value {
    let mut object = Mapping::new();
    object.insert(Value::from(FILES), Value::Null);
    for (path, text) in files {
        object.insert(Value::from(path.as_str()), Value::from(text.as_str()));
    }
    Value::Mapping(object)
}

/// The files of a Files object, in path order.
fn files_of(value: &Value) -> Option<Vec<(String, String)>> {
    let Value::Mapping(object) = value else { return None };
    object.get(FILES)?;
    let mut files: Vec<(String, String)> = object
        .iter()
        .filter(|(path, _)| !is_marker(path))
        .filter_map(|(path, text)| Some((path.as_str()?.to_string(), text.as_str()?.to_string())))
        .collect();
    files.sort();
    Some(files)
}

/// Whether `receiver.method` is a Files method.
pub fn is_method(receiver: &Value, method: &str) -> bool {
    METHODS.contains(&method) && files_of(receiver).is_some()
}

/// Calls a Files method; Err is Go's message for a wrong call.
pub fn call(receiver: &Value, method: &str, args: &[Value]) -> Result<Value, String> {
    let files = files_of(receiver).unwrap_or_default();
    let want = if matches!(method, "AsConfig" | "AsSecrets") { 0 } else { 1 };
    if args.len() != want {
        return Err(format!("wrong number of args for {method}: want {want} got {}", args.len()));
    }
    let argument = args.first().and_then(Value::as_str).unwrap_or_default();
    let text = || files.iter().find(|(path, _)| path == argument).map(|(_, text)| text.clone());
    Ok(match method {
        "Get" | "GetBytes" => Value::String(text().unwrap_or_default()),
        "Lines" => {
            let lines = match text() {
                Some(text) if !text.is_empty() => {
                    text.strip_suffix('\n').unwrap_or(&text).split('\n').map(Value::from).collect()
                }
                _ => Vec::new(),
            };
            Value::Sequence(lines)
        }
        "Glob" => {
            // A pattern that does not compile matches everything (Helm falls back to `**`).
            let matched: Vec<(String, String)> = match glob::Pattern::new(argument) {
                Ok(pattern) => {
                    let options = glob::MatchOptions { require_literal_separator: true, ..Default::default() };
                    files.into_iter().filter(|(path, _)| pattern.matches_with(path, options)).collect()
                }
                Err(_) => files,
            };
            object(&matched)
        }
        // A YAML mapping of each file's base name to its text (or its base64).
        _ => {
            let mut data = Mapping::new();
            for (path, text) in &files {
                let name = path.rsplit('/').next().unwrap_or(path);
                let shown = if method == "AsSecrets" {
                    base64::engine::general_purpose::STANDARD.encode(text.as_bytes())
                } else {
                    text.clone()
                };
                data.insert(Value::from(name), Value::String(shown));
            }
            if data.is_empty() {
                // toYAML of an empty map.
                return Ok(Value::from("{}"));
            }
            Value::String(crate::cli::render::to_yaml(&Value::Mapping(data)).trim_end().to_string())
        }
    })
}
