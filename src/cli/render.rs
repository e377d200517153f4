//! Objects as `kubectl get -o yaml|json|jsonpath` print them: API field names,
//! timestamps as RFC 3339 dates, and a small JSONPath.

use crate::core::api::yaml::{Mapping, Value};

pub use crate::core::time::{rfc1123z, rfc3339};

/// Fields the API prints as dates (the engine keeps virtual milliseconds).
const TIMESTAMP_FIELDS: [&str; 9] = [
    "creationTimestamp",
    "deletionTimestamp",
    "startTime",
    "lastTransitionTime",
    "lastUpdateTime",
    "startedAt",
    "finishedAt",
    "firstTimestamp",
    "lastTimestamp",
];

/// The object as the API returns it: `apiVersion` and `kind` first, timestamps as dates.
pub fn api_object<T: crate::core::api::write::ToValue + ?Sized>(api_version: &str, kind: &str, object: &T) -> Value {
    let mut out = Mapping::new();
    out.insert("apiVersion".into(), api_version.into());
    out.insert("kind".into(), kind.into());
    if let Value::Mapping(fields) = object.to_value() {
        for (k, v) in fields {
            out.insert(k, v);
        }
    }
    let mut value = Value::Mapping(out);
    dates(&mut value);
    unnamed_templates(&mut value);
    value
}

/// A pod template's `metadata` has no name; the API omits the empty one.
fn unnamed_templates(value: &mut Value) {
    match value {
        Value::Mapping(map) => {
            for (key, v) in map.iter_mut() {
                if let (Some("template"), Value::Mapping(template)) = (key.as_str(), &mut *v) {
                    if let Some(Value::Mapping(meta)) = template.get_mut("metadata") {
                        if meta.get("name").and_then(Value::as_str) == Some("") {
                            meta.remove("name");
                        }
                    }
                }
                unnamed_templates(v);
            }
        }
        Value::Sequence(items) => items.iter_mut().for_each(unnamed_templates),
        _ => {}
    }
}

fn dates(value: &mut Value) {
    match value {
        Value::Mapping(map) => {
            for (key, v) in map.iter_mut() {
                if key.as_str().is_some_and(|k| TIMESTAMP_FIELDS.contains(&k)) {
                    if let Some(ms) = v.as_u64() {
                        *v = Value::String(rfc3339(ms));
                        continue;
                    }
                }
                dates(v);
            }
        }
        Value::Sequence(items) => items.iter_mut().for_each(dates),
        _ => {}
    }
}

/// `kubectl get … -o yaml`, in the style of go-yaml (which kubectl uses): keys
/// sorted, list items not indented under their key, ambiguous strings in double
/// quotes, multi-line strings as block literals. Hand-written rather than
/// serde_yaml's emitter: it matches kubectl's style and keeps libyaml's emitter
/// out of the wasm bundle.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Mapping(map) if !map.is_empty() => yaml_mapping(map, 0, &mut out),
        Value::Sequence(items) if !items.is_empty() => yaml_sequence(items, 0, &mut out),
        scalar => {
            out.push_str(&yaml_scalar(scalar, 0));
            out.push('\n');
        }
    }
    out
}

fn yaml_mapping(map: &Mapping, indent: usize, out: &mut String) {
    let mut entries: Vec<(String, &Value)> = map.iter().map(|(k, v)| (scalar_text(k), v)).collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (i, (key, value)) in entries.iter().enumerate() {
        // The first key of a list item follows its "- " on the same line.
        if !(i == 0 && out.ends_with("- ")) {
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(&yaml_key(key));
        out.push(':');
        yaml_value(value, indent, out);
    }
}

fn yaml_value(value: &Value, indent: usize, out: &mut String) {
    match value {
        Value::Mapping(map) if map.is_empty() => out.push_str(" {}\n"),
        Value::Sequence(items) if items.is_empty() => out.push_str(" []\n"),
        Value::Mapping(map) => {
            out.push('\n');
            yaml_mapping(map, indent + 2, out);
        }
        Value::Sequence(items) => {
            out.push('\n');
            yaml_sequence(items, indent, out);
        }
        scalar => {
            out.push(' ');
            out.push_str(&yaml_scalar(scalar, indent + 2));
            out.push('\n');
        }
    }
}

fn yaml_sequence(items: &[Value], indent: usize, out: &mut String) {
    for item in items {
        out.push_str(&" ".repeat(indent));
        out.push_str("- ");
        match item {
            Value::Mapping(map) if !map.is_empty() => yaml_mapping(map, indent + 2, out),
            Value::Sequence(inner) if !inner.is_empty() => {
                out.push('\n');
                yaml_sequence(inner, indent + 2, out);
            }
            Value::Mapping(_) => out.push_str("{}\n"),
            Value::Sequence(_) => out.push_str("[]\n"),
            scalar => {
                out.push_str(&yaml_scalar(scalar, indent + 2));
                out.push('\n');
            }
        }
    }
}

fn yaml_key(key: &str) -> String {
    yaml_string(key, 0)
}

fn yaml_scalar(value: &Value, indent: usize) -> String {
    match value {
        Value::String(s) => yaml_string(s, indent),
        Value::Null => "null".into(),
        other => scalar_text(other),
    }
}

/// Whether YAML would read the text as a number (`0`, `-1.5`, `1e3`, `.5`, `0x1f`).
fn looks_numeric(s: &str) -> bool {
    if [".inf", "-.inf", "+.inf", ".nan"].contains(&s.to_ascii_lowercase().as_str()) {
        return true;
    }
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    if let Some(hex) = body.strip_prefix("0x") {
        return !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit());
    }
    if let Some(octal) = body.strip_prefix("0o") {
        return !octal.is_empty() && octal.chars().all(|c| ('0'..='7').contains(&c));
    }
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |t: &str| t.chars().all(|c| c.is_ascii_digit() || c == '_');
    let mantissa_ok = (!whole.is_empty() || !fraction.is_empty())
        && digits(whole)
        && digits(fraction)
        && (whole.chars().any(|c| c.is_ascii_digit()) || fraction.chars().any(|c| c.is_ascii_digit()));
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

/// Plain when unambiguous, else double-quoted; multi-line as a `|` block.
fn yaml_string(s: &str, indent: usize) -> String {
    if s.contains('\n') && !s.trim().is_empty() {
        let chomp = if s.ends_with('\n') { "" } else { "-" };
        let pad = " ".repeat(indent.max(2));
        let body: Vec<String> = s
            .trim_end_matches('\n')
            .lines()
            .map(|l| if l.is_empty() { String::new() } else { format!("{pad}{l}") })
            .collect();
        return format!("|{chomp}\n{}", body.join("\n"));
    }
    let lower = s.to_ascii_lowercase();
    let ambiguous = s.is_empty()
        || ["true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"].contains(&lower.as_str())
        || looks_numeric(s)
        || s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@` ".contains(c))
        || s.ends_with(' ')
        || s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':');
    if !ambiguous {
        return s.to_string();
    }
    let mut quoted = String::new();
    json_string(s, &mut quoted);
    quoted
}

/// `kubectl get … -o json`: indented with 4 spaces, as kubectl prints.
pub fn to_json(value: &Value) -> String {
    let mut out = String::new();
    json(value, Some(0), &mut out);
    out.push('\n');
    out
}

/// Go's `json.Marshal`: no spaces, keys sorted (Helm's `toJson`).
pub fn to_json_compact(value: &Value) -> String {
    let mut out = String::new();
    json(value, None, &mut out);
    out
}

/// JSON of `value`, indented by levels of four spaces (`Some(level)`) or compact.
fn json(value: &Value, indent: Option<usize>, out: &mut String) {
    let inner = indent.map(|n| n + 1);
    let newline = |level: Option<usize>, out: &mut String| {
        if let Some(level) = level {
            out.push('\n');
            out.push_str(&" ".repeat(level * 4));
        }
    };
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => json_string(s, out),
        Value::Sequence(items) if items.is_empty() => out.push_str("[]"),
        Value::Sequence(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(inner, out);
                json(item, inner, out);
            }
            newline(indent, out);
            out.push(']');
        }
        Value::Mapping(map) if map.is_empty() => out.push_str("{}"),
        Value::Mapping(map) => {
            out.push('{');
            let mut entries: Vec<(&Value, &Value)> = map.iter().collect();
            entries.sort_by_key(|(k, _)| scalar_text(k));
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(inner, out);
                json_string(&scalar_text(k), out);
                out.push_str(if indent.is_some() { ": " } else { ":" });
                json(v, inner, out);
            }
            newline(indent, out);
            out.push('}');
        }
    }
}

/// A JSON string as Go's encoding/json writes it (HTML characters escaped).
fn json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A scalar as jsonpath prints it (strings bare, numbers and booleans as written).
pub fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => String::new(),
        other => {
            let mut out = String::new();
            json(other, None, &mut out);
            out
        }
    }
}

/// `-o jsonpath='{.status.podIP}'`: fields, `[n]`, `[*]`, text between
/// expressions, and `{range …}{end}` loops. Errors read like kubectl's.
pub fn jsonpath(template: &str, root: &Value) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&unescape(&rest[..open]));
        let close = rest[open..]
            .find('}')
            .ok_or_else(|| format!("error: error parsing jsonpath {template}, unclosed action"))?
            + open;
        let expression = rest[open + 1..close].trim();
        rest = &rest[close + 1..];
        if let Some(path) = expression.strip_prefix("range ") {
            let end = rest
                .find("{end}")
                .ok_or_else(|| format!("error: error parsing jsonpath {template}, unclosed range"))?;
            let body = &rest[..end];
            rest = &rest[end + 5..];
            for item in select(root, path.trim())? {
                out.push_str(&jsonpath(body, item)?);
            }
            continue;
        }
        if let Some(literal) = expression.strip_prefix('"').and_then(|e| e.strip_suffix('"')) {
            out.push_str(&unescape(literal));
            continue;
        }
        let found = select(root, expression)?;
        out.push_str(&found.iter().map(|v| scalar_text(v)).collect::<Vec<_>>().join(" "));
    }
    out.push_str(&unescape(rest));
    Ok(out)
}

fn unescape(text: &str) -> String {
    text.replace("\\n", "\n").replace("\\t", "\t")
}

fn select<'a>(root: &'a Value, path: &str) -> Result<Vec<&'a Value>, String> {
    let path = path.trim_start_matches('$');
    let mut current = vec![root];
    for segment in path.split('.').filter(|s| !s.is_empty()) {
        let (field, index) = match segment.split_once('[') {
            Some((field, index)) => (field, Some(index.trim_end_matches(']'))),
            None => (segment, None),
        };
        let mut next = Vec::new();
        for value in current {
            let value = if field.is_empty() { Some(value) } else { value.get(field) };
            let Some(value) = value else { continue };
            match index {
                None => next.push(value),
                Some("*") => match value {
                    Value::Sequence(items) => next.extend(items.iter()),
                    Value::Mapping(map) => next.extend(map.values()),
                    _ => {}
                },
                Some(n) => {
                    let n: usize = n
                        .parse()
                        .map_err(|_| format!("error: error parsing jsonpath {{{path}}}, invalid array index {n}"))?;
                    match value.get(n) {
                        Some(item) => next.push(item),
                        None => return Err("error: error executing jsonpath: array index out of bounds".into()),
                    }
                }
            }
        }
        current = next;
    }
    Ok(current)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonpath_reads_fields_indexes_and_ranges() {
        let value: Value = crate::core::api::yaml::from_str(
            "status:\n  podIP: 10.244.0.5\nitems:\n  - metadata: {name: web-0}\n  - metadata: {name: web-1}\n",
        )
        .unwrap();
        assert_eq!(jsonpath("{.status.podIP}", &value).unwrap(), "10.244.0.5");
        assert_eq!(jsonpath("{.items[*].metadata.name}", &value).unwrap(), "web-0 web-1");
        assert_eq!(jsonpath("{range .items[*]}{.metadata.name}{\"\\n\"}{end}", &value).unwrap(), "web-0\nweb-1\n");
        assert_eq!(jsonpath("{.items[1].metadata.name}", &value).unwrap(), "web-1");
    }

    #[test]
    fn yaml_looks_like_kubectls() {
        let value: Value = crate::core::api::yaml::from_str(
            "b: {c: 'True', a: [x, {k: 1, m: ''}]}\na: \"0\"\nd: \"two\\nlines\\n\"\ne: []\n",
        )
        .unwrap();
        assert_eq!(
            to_yaml(&value),
            "a: \"0\"\nb:\n  a:\n  - x\n  - k: 1\n    m: \"\"\n  c: \"True\"\nd: |\n  two\n  lines\ne: []\n"
        );
    }

    #[test]
    fn numbers_are_quoted_and_uids_are_not() {
        for number in ["0", "-1.5", "1e3", ".5", "0x1f", "1_000"] {
            assert!(looks_numeric(number), "{number}");
        }
        for text in ["8c26d98f-87e6-4dba", "1.2.3", "10.244.0.2", "e3", "-", "web-0"] {
            assert!(!looks_numeric(text), "{text}");
        }
    }

    #[test]
    fn json_is_indented_like_kubectl() {
        let value: Value = crate::core::api::yaml::from_str("a: 1\nb: [x]\n").unwrap();
        assert_eq!(to_json(&value), "{\n    \"a\": 1,\n    \"b\": [\n        \"x\"\n    ]\n}\n");
    }
}
