//! The functions charts call: Go's template builtins (`eq`, `len`, `printf`,
//! `index`…), the Sprig functions Helm adds (`default`, `quote`, `indent`,
//! `dict`…) and Helm's own (`include`, `tpl`, `required`, `toYaml`, `lookup`…),
//! each with its Go name, argument order and error text.

use std::collections::BTreeSet;

use base64::Engine as _;
use sha2::Digest as _;

use super::exec::{go_print, go_type, go_value_text, sorted_entries, truth, Exec, ExecError};
use crate::cli::render;
use crate::core::api::yaml::{self, Mapping, Value};

/// How a call failed.
pub enum Failure {
    /// At the function's name: wrong arguments (`wrong number of args for …`).
    Plain(String),
    /// Argument `index` (0-based; the piped value last) is not of the `expected`
    /// Go type (`int`, `string`…).
    Arg { index: usize, expected: &'static str, value: Value },
    /// What the function returned (`error calling NAME: …`).
    Call(String),
    /// An error from a template it ran (`include`, `tpl`).
    Error(ExecError),
}

type Outcome = Result<Value, Failure>;

/// Every function a template may name (checked when it is parsed, as Go does).
pub const NAMES: &[&str] = &[
    "add",
    "add1",
    "and",
    "append",
    "b64dec",
    "b64enc",
    "coalesce",
    "compact",
    "contains",
    "default",
    "dict",
    "div",
    "empty",
    "eq",
    "fail",
    "first",
    "fromYaml",
    "ge",
    "get",
    "gt",
    "has",
    "hasKey",
    "hasPrefix",
    "hasSuffix",
    "include",
    "index",
    "indent",
    "int",
    "int64",
    "join",
    "keys",
    "kindIs",
    "last",
    "le",
    "len",
    "list",
    "lookup",
    "lower",
    "lt",
    "max",
    "merge",
    "mergeOverwrite",
    "min",
    "mod",
    "mul",
    "ne",
    "nindent",
    "not",
    "or",
    "print",
    "printf",
    "println",
    "quote",
    "repeat",
    "replace",
    "required",
    "set",
    "sha256sum",
    "sortAlpha",
    "splitList",
    "squote",
    "sub",
    "substr",
    "ternary",
    "title",
    "toJson",
    "toString",
    "toYaml",
    "tpl",
    "trim",
    "trimAll",
    "trimPrefix",
    "trimSuffix",
    "trunc",
    "uniq",
    "unset",
    "until",
    "upper",
    "values",
    "nospace",
    "b32enc",
];

pub fn exists(name: &str) -> bool {
    NAMES.contains(&name)
}

fn wrong_count(name: &str, want: &str, got: usize) -> Failure {
    Failure::Plain(format!("wrong number of args for {name}: want {want} got {got}"))
}

/// Exactly `N` arguments.
fn take<const N: usize>(name: &str, args: Vec<Value>) -> Result<[Value; N], Failure> {
    let got = args.len();
    args.try_into().map_err(|_| wrong_count(name, &N.to_string(), got))
}

/// Go's words for a value that does not fit a parameter.
pub fn type_message(expected: &str, value: &Value) -> String {
    match value {
        Value::Null => format!("invalid value; expected {expected}"),
        other => format!("wrong type for value; expected {expected}; got {}", go_type(other)),
    }
}

/// A `string` parameter, argument `index`: Go converts nothing else into it.
fn string(index: usize, value: Value) -> Result<String, Failure> {
    match value {
        Value::String(s) => Ok(s),
        value => Err(Failure::Arg { index, expected: "string", value }),
    }
}

/// An `int` parameter, argument `index` (a float64 from the values does not fit).
fn int(index: usize, value: &Value) -> Result<i64, Failure> {
    match value {
        Value::Number(n) if n.as_i64().is_some() => Ok(n.as_i64().unwrap_or_default()),
        value => Err(Failure::Arg { index, expected: "int", value: value.clone() }),
    }
}

/// Sprig's `strval`: a string as is, anything else as fmt prints it.
pub fn strval(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => {
            let mut out = String::new();
            go_print(other, &mut out);
            out
        }
    }
}

/// Sprig's `toInt64` (via cast): numbers, numeric strings, booleans; else 0.
fn to_int(value: &Value) -> i64 {
    match value {
        Value::Number(n) => n.as_i64().unwrap_or_else(|| {
            let text = n.to_string();
            text.split('.').next().and_then(|whole| whole.parse().ok()).unwrap_or(0)
        }),
        Value::String(s) => s.trim().parse().unwrap_or(0),
        Value::Bool(b) => i64::from(*b),
        _ => 0,
    }
}

/// Sprig's `empty`: Go's zero values and empty containers.
pub fn empty(value: &Value) -> bool {
    !truth(value)
}

fn mapping(value: Value) -> Result<Mapping, Failure> {
    match value {
        Value::Mapping(map) => Ok(map),
        other => Err(Failure::Plain(format!(
            "wrong type for value; expected map[string]interface {{}}; got {}",
            go_type(&other)
        ))),
    }
}

fn list_of(value: Value) -> Result<Vec<Value>, Failure> {
    match value {
        Value::Sequence(items) => Ok(items),
        Value::Null => Ok(Vec::new()),
        other => Err(Failure::Call(format!("Cannot find list on type {}", go_type(&other)))),
    }
}

fn text(value: String) -> Outcome {
    Ok(Value::String(value))
}

/// Calls `name` with `args` (the piped value last).
pub fn call(exec: &mut Exec<'_>, name: &str, args: Vec<Value>) -> Outcome {
    let count = args.len();
    match name {
        // ------------------------------------------------------------ Helm
        "include" => {
            let [template, data] = take::<2>(name, args)?;
            let template = string(0, template)?;
            let mut out = String::new();
            exec.call_template(&template, &data, &mut out).map_err(Failure::Error)?;
            text(out)
        }
        "tpl" => {
            let [source, data] = take::<2>(name, args)?;
            let source = string(0, source)?;
            exec.tpl(&source, &data).map(Value::String).map_err(Failure::Error)
        }
        "required" => {
            let [message, value] = take::<2>(name, args)?;
            match &value {
                Value::Null => Err(Failure::Call(strval(&message))),
                Value::String(s) if s.is_empty() => Err(Failure::Call(strval(&message))),
                _ => Ok(value),
            }
        }
        "fail" => {
            let [message] = take::<1>(name, args)?;
            Err(Failure::Call(string(0, message)?))
        }
        "toYaml" => {
            let [value] = take::<1>(name, args)?;
            text(render::to_yaml(&value).trim_end_matches('\n').to_string())
        }
        "fromYaml" => {
            let [source] = take::<1>(name, args)?;
            let source = string(0, source)?;
            Ok(match yaml::from_str(&source) {
                Ok(value @ Value::Mapping(_)) => value,
                Ok(Value::Null) => Value::Mapping(Mapping::new()),
                Ok(other) => error_map(format!(
                    "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                    json_kind(&other)
                )),
                Err(error) => error_map(format!("error converting YAML to JSON: yaml: line {}: {}", error.line(), error.message())),
            })
        }
        "toJson" => {
            let [value] = take::<1>(name, args)?;
            text(render::to_json_compact(&value))
        }
        "lookup" => {
            // As in `helm template` and `--dry-run`: no cluster is asked.
            let _ = take::<4>(name, args)?;
            Ok(Value::Mapping(Mapping::new()))
        }
        // ------------------------------------------------------------ Go builtins
        "eq" | "ne" | "lt" | "le" | "gt" | "ge" => compare(name, args),
        "not" => {
            let [value] = take::<1>(name, args)?;
            Ok(Value::Bool(!truth(&value)))
        }
        "and" | "or" => {
            if args.is_empty() {
                return Err(wrong_count(name, "at least 1", 0));
            }
            let want = name == "or";
            let last = args.len() - 1;
            Ok(args
                .into_iter()
                .enumerate()
                .find(|(i, v)| truth(v) == want || *i == last)
                .map(|(_, v)| v)
                .unwrap_or_default())
        }
        "len" => {
            let [value] = take::<1>(name, args)?;
            let length = match &value {
                Value::String(s) => s.len(),
                Value::Sequence(items) => items.len(),
                Value::Mapping(map) => map.iter().filter(|(key, _)| !super::files::is_marker(key)).count(),
                other => return Err(Failure::Call(format!("len of type {}", go_type(other)))),
            };
            Ok(Value::from(length as i64))
        }
        "index" => {
            let mut args = args.into_iter();
            let mut value = args.next().ok_or_else(|| wrong_count(name, "at least 1", 0))?;
            for key in args {
                value = match (value, &key) {
                    (Value::Sequence(items), Value::Number(n)) => {
                        let index = n.as_i64().unwrap_or(-1);
                        usize::try_from(index)
                            .ok()
                            .and_then(|i| items.into_iter().nth(i))
                            .ok_or_else(|| Failure::Call(format!("index out of range: {index}")))?
                    }
                    (Value::Mapping(map), key) => map.get(key).cloned().unwrap_or(Value::Null),
                    (Value::Null, _) => return Err(Failure::Call("index of untyped nil".into())),
                    (other, _) => return Err(Failure::Call(format!("can't index item of type {}", go_type(&other)))),
                };
            }
            Ok(value)
        }
        "print" => text(go_sprint(&args)),
        "println" => {
            let words: Vec<String> = args.iter().map(go_value_text).collect();
            text(format!("{}\n", words.join(" ")))
        }
        "printf" => {
            let mut args = args.into_iter();
            let format = string(0, args.next().ok_or_else(|| wrong_count(name, "at least 1", 0))?)?;
            text(go_sprintf(&format, &args.collect::<Vec<_>>()))
        }
        // ------------------------------------------------------------ Sprig: strings
        "quote" => {
            text(args.iter().filter(|v| !v.is_null()).map(|v| go_quote(&strval(v))).collect::<Vec<_>>().join(" "))
        }
        "squote" => {
            text(args.iter().filter(|v| !v.is_null()).map(|v| format!("'{}'", strval(v))).collect::<Vec<_>>().join(" "))
        }
        "indent" | "nindent" => {
            let [spaces, value] = take::<2>(name, args)?;
            let pad = " ".repeat(usize::try_from(int(0, &spaces)?).unwrap_or(0).min(1000));
            let indented = format!("{pad}{}", string(1, value)?.replace('\n', &format!("\n{pad}")));
            text(if name == "nindent" { format!("\n{indented}") } else { indented })
        }
        "trim" | "upper" | "lower" | "title" | "nospace" | "b64enc" | "b64dec" | "b32enc" | "sha256sum"
        | "toString" => {
            let [value] = take::<1>(name, args)?;
            let value = strval(&value);
            text(match name {
                "trim" => value.trim().to_string(),
                "upper" => value.to_uppercase(),
                "lower" => value.to_lowercase(),
                "title" => title(&value),
                "nospace" => value.chars().filter(|c| !c.is_whitespace()).collect(),
                "b64enc" => base64::engine::general_purpose::STANDARD.encode(value.as_bytes()),
                "b64dec" => match base64::engine::general_purpose::STANDARD.decode(value.as_bytes()) {
                    Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                    Err(error) => error.to_string(),
                },
                "b32enc" => base32(value.as_bytes()),
                "sha256sum" => sha2::Sha256::digest(value.as_bytes()).iter().map(|b| format!("{b:02x}")).collect(),
                _ => value,
            })
        }
        "trunc" => {
            let [length, value] = take::<2>(name, args)?;
            let (length, value) = (int(0, &length)?, string(1, value)?);
            let chars: Vec<char> = value.chars().collect();
            let count = chars.len() as i64;
            text(if length < 0 && count + length > 0 {
                chars[(count + length) as usize..].iter().collect()
            } else if length >= 0 && count > length {
                chars[..length as usize].iter().collect()
            } else {
                value
            })
        }
        "trimSuffix" | "trimPrefix" | "trimAll" | "contains" | "hasPrefix" | "hasSuffix" => {
            let [part, value] = take::<2>(name, args)?;
            let (part, value) = (string(0, part)?, string(1, value)?);
            Ok(match name {
                "trimSuffix" => Value::String(value.strip_suffix(part.as_str()).unwrap_or(&value).to_string()),
                "trimPrefix" => Value::String(value.strip_prefix(part.as_str()).unwrap_or(&value).to_string()),
                "trimAll" => Value::String(value.trim_matches(|c| part.contains(c)).to_string()),
                "contains" => Value::Bool(value.contains(part.as_str())),
                "hasPrefix" => Value::Bool(value.starts_with(part.as_str())),
                _ => Value::Bool(value.ends_with(part.as_str())),
            })
        }
        "replace" => {
            let [old, new, value] = take::<3>(name, args)?;
            text(string(2, value)?.replace(&string(0, old)?, &string(1, new)?))
        }
        "repeat" => {
            let [times, value] = take::<2>(name, args)?;
            let times = usize::try_from(int(0, &times)?).unwrap_or(0);
            let value = string(1, value)?;
            if value.len().saturating_mul(times) > super::exec::MAX_OUTPUT {
                return Err(Failure::Call("the repeated text is too long".into()));
            }
            text(value.repeat(times))
        }
        "substr" => {
            let [start, end, value] = take::<3>(name, args)?;
            let chars: Vec<char> = string(2, value)?.chars().collect();
            let (start, end) = (int(0, &start)?, int(1, &end)?);
            let clamp = |i: i64| usize::try_from(i).unwrap_or(0).min(chars.len());
            let (from, to) = (clamp(start), if end < 0 { chars.len() } else { clamp(end) });
            text(if from < to { chars[from..to].iter().collect() } else { String::new() })
        }
        "splitList" => {
            let [separator, value] = take::<2>(name, args)?;
            let value = string(1, value)?;
            Ok(Value::Sequence(value.split(string(0, separator)?.as_str()).map(Value::from).collect()))
        }
        "join" => {
            let [separator, list] = take::<2>(name, args)?;
            let separator = string(0, separator)?;
            let items = match list {
                Value::Sequence(items) => items.iter().map(strval).collect::<Vec<_>>(),
                other => vec![strval(&other)],
            };
            text(items.join(&separator))
        }
        "sortAlpha" => {
            let [list] = take::<1>(name, args)?;
            let mut items: Vec<String> = list_of(list)?.iter().map(strval).collect();
            items.sort();
            Ok(Value::Sequence(items.into_iter().map(Value::String).collect()))
        }
        // ------------------------------------------------------------ Sprig: defaults, logic
        "default" => {
            if count == 0 {
                return Err(wrong_count(name, "at least 1", 0));
            }
            let mut args = args.into_iter();
            let fallback = args.next().unwrap_or_default();
            Ok(match args.next() {
                Some(given) if !empty(&given) => given,
                _ => fallback,
            })
        }
        "empty" => {
            let [value] = take::<1>(name, args)?;
            Ok(Value::Bool(empty(&value)))
        }
        "coalesce" => Ok(args.into_iter().find(|v| !empty(v)).unwrap_or_default()),
        "ternary" => {
            let [yes, no, condition] = take::<3>(name, args)?;
            Ok(if truth(&condition) { yes } else { no })
        }
        "kindIs" => {
            let [kind, value] = take::<2>(name, args)?;
            let actual = match &value {
                Value::Null => "invalid",
                Value::Bool(_) => "bool",
                Value::Number(n) if n.is_f64() => "float64",
                Value::Number(_) => "int64",
                Value::String(_) => "string",
                Value::Sequence(_) => "slice",
                Value::Mapping(_) => "map",
            };
            Ok(Value::Bool(string(0, kind)? == actual))
        }
        // ------------------------------------------------------------ Sprig: numbers
        "int" | "int64" => {
            let [value] = take::<1>(name, args)?;
            Ok(Value::from(to_int(&value)))
        }
        "add" => Ok(Value::from(args.iter().map(to_int).fold(0i64, i64::wrapping_add))),
        "mul" => Ok(Value::from(args.iter().map(to_int).fold(1i64, i64::wrapping_mul))),
        "add1" => {
            let [value] = take::<1>(name, args)?;
            Ok(Value::from(to_int(&value).wrapping_add(1)))
        }
        "sub" | "div" | "mod" => {
            let [a, b] = take::<2>(name, args)?;
            let (a, b) = (to_int(&a), to_int(&b));
            if name != "sub" && b == 0 {
                return Err(Failure::Call("runtime error: integer divide by zero".into()));
            }
            Ok(Value::from(match name {
                "sub" => a.wrapping_sub(b),
                "div" => a.wrapping_div(b),
                _ => a.wrapping_rem(b),
            }))
        }
        "max" | "min" => {
            let numbers = args.iter().map(to_int);
            let best = if name == "max" { numbers.max() } else { numbers.min() };
            Ok(Value::from(best.ok_or_else(|| wrong_count(name, "at least 1", 0))?))
        }
        "until" => {
            let [count] = take::<1>(name, args)?;
            let count = int(0, &count)?;
            if count > 100_000 {
                return Err(Failure::Call(format!("until {count}: too many items")));
            }
            Ok(Value::Sequence((0..count.max(0)).map(Value::from).collect()))
        }
        // ------------------------------------------------------------ Sprig: lists
        "list" => Ok(Value::Sequence(args)),
        "first" | "last" => {
            let [list] = take::<1>(name, args)?;
            let items = list_of(list)?;
            Ok(if name == "first" { items.into_iter().next() } else { items.into_iter().last() }.unwrap_or_default())
        }
        "append" => {
            let [list, item] = take::<2>(name, args)?;
            let mut items = list_of(list)?;
            items.push(item);
            Ok(Value::Sequence(items))
        }
        "has" => {
            let [item, list] = take::<2>(name, args)?;
            Ok(Value::Bool(list_of(list)?.contains(&item)))
        }
        "uniq" | "compact" => {
            let [list] = take::<1>(name, args)?;
            let mut kept: Vec<Value> = Vec::new();
            for item in list_of(list)? {
                let keep = if name == "uniq" { !kept.contains(&item) } else { !empty(&item) };
                if keep {
                    kept.push(item);
                }
            }
            Ok(Value::Sequence(kept))
        }
        // ------------------------------------------------------------ Sprig: dicts
        "dict" => {
            let mut map = Mapping::new();
            let mut args = args.into_iter();
            while let Some(key) = args.next() {
                map.insert(Value::String(strval(&key)), args.next().unwrap_or_default());
            }
            Ok(Value::Mapping(map))
        }
        "get" => {
            let [map, key] = take::<2>(name, args)?;
            let key = string(1, key)?;
            Ok(mapping(map)?.get(key.as_str()).cloned().unwrap_or(Value::String(String::new())))
        }
        "hasKey" => {
            let [map, key] = take::<2>(name, args)?;
            let key = string(1, key)?;
            Ok(Value::Bool(mapping(map)?.contains_key(key.as_str())))
        }
        "set" => {
            let [map, key, value] = take::<3>(name, args)?;
            let mut map = mapping(map)?;
            map.insert(Value::String(string(1, key)?), value);
            Ok(Value::Mapping(map))
        }
        "unset" => {
            let [map, key] = take::<2>(name, args)?;
            let mut map = mapping(map)?;
            map.remove(string(1, key)?.as_str());
            Ok(Value::Mapping(map))
        }
        "keys" | "values" => {
            let mut found = BTreeSet::new();
            let mut values = Vec::new();
            for map in args {
                for (key, value) in sorted_entries(&mapping(map)?) {
                    if found.insert(strval(&key)) {
                        values.push(value);
                    }
                }
            }
            // Go's map order is random; sorted here, so a render is the same each time.
            Ok(Value::Sequence(if name == "keys" { found.into_iter().map(Value::String).collect() } else { values }))
        }
        "merge" | "mergeOverwrite" => {
            let mut args = args.into_iter();
            let mut merged = mapping(args.next().ok_or_else(|| wrong_count(name, "at least 1", 0))?)?;
            for source in args {
                merge_into(&mut merged, &mapping(source)?, name == "mergeOverwrite");
            }
            Ok(Value::Mapping(merged))
        }
        _ => Err(Failure::Plain(format!("{} is not a defined function", go_quote(name)))),
    }
}

/// Deep merge: maps merge key by key; otherwise `dst` keeps its value unless `overwrite`.
pub fn merge_into(dst: &mut Mapping, src: &Mapping, overwrite: bool) {
    for (key, value) in src.iter() {
        match (dst.get_mut(key), value) {
            (Some(Value::Mapping(inner)), Value::Mapping(source)) => merge_into(inner, source, overwrite),
            (Some(existing), _) if overwrite => *existing = value.clone(),
            (Some(existing), _) if existing.is_null() => *existing = value.clone(),
            (Some(_), _) => {}
            (None, _) => {
                dst.insert(key.clone(), value.clone());
            }
        }
    }
}

fn error_map(message: String) -> Value {
    let mut map = Mapping::new();
    map.insert(Value::from("Error"), Value::String(message));
    Value::Mapping(map)
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Sequence(_) => "array",
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        _ => "value",
    }
}

/// `strings.Title`: the first letter of each word in upper case.
fn title(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut start = true;
    for c in text.chars() {
        if start && c.is_alphabetic() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = !(c.is_alphanumeric() || c == '_' || c == '\'');
    }
    out
}

fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    for chunk in bytes.chunks(5) {
        let mut buffer = [0u8; 5];
        buffer[..chunk.len()].copy_from_slice(chunk);
        let bits = buffer.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        let symbols = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < symbols {
                out.push(ALPHABET[((bits >> (35 - i * 5)) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Go's `%q` of a string.
pub fn go_quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `fmt.Sprint`: spaces between operands when neither side is a string.
fn go_sprint(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, arg) in args.iter().enumerate() {
        if i > 0 && !matches!(arg, Value::String(_)) && !matches!(args[i - 1], Value::String(_)) {
            out.push(' ');
        }
        out.push_str(&go_value_text(arg));
    }
    out
}

/// `fmt.Sprintf` for the verbs templates use: `%s %d %v %q %t %x %X %f %%`, with
/// flags `-`, `0` and a width; Go's `%!v(…)` markers for mismatches.
pub fn go_sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut next = 0;
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut left = false;
        let mut zero = false;
        while let Some(&flag) = chars.peek() {
            match flag {
                '-' => left = true,
                '0' => zero = true,
                '+' | ' ' | '#' => {}
                _ => break,
            }
            chars.next();
        }
        let mut width = 0usize;
        while let Some(digit) = chars.peek().and_then(|c| c.to_digit(10)) {
            width = width.saturating_mul(10).saturating_add(digit as usize).min(1000);
            chars.next();
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = args.get(next) else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        next += 1;
        let formatted = match (verb, arg) {
            ('s' | 'v', Value::String(s)) => s.clone(),
            ('v', Value::Null) | ('s', Value::Null) => "<nil>".into(),
            ('v', other) => go_value_text(other),
            ('d', Value::Number(n)) if n.as_i64().is_some() => n.to_string(),
            ('f' | 'g' | 'e', Value::Number(n)) => n.to_string(),
            ('t', Value::Bool(b)) => b.to_string(),
            ('q', Value::String(s)) => go_quote(s),
            ('x', Value::String(s)) => s.bytes().map(|b| format!("{b:02x}")).collect(),
            ('x', Value::Number(n)) if n.as_i64().is_some() => format!("{:x}", n.as_i64().unwrap_or(0)),
            ('X', Value::Number(n)) if n.as_i64().is_some() => format!("{:X}", n.as_i64().unwrap_or(0)),
            ('s', Value::Sequence(_) | Value::Mapping(_) | Value::Bool(_) | Value::Number(_)) => {
                // Go prints composite values with the verb applied inside; numbers get a marker.
                match arg {
                    Value::Number(_) => format!("%!s({}={})", go_type(arg), go_value_text(arg)),
                    Value::Bool(_) => format!("%!s(bool={})", go_value_text(arg)),
                    _ => go_value_text(arg),
                }
            }
            (verb, other) => format!("%!{verb}({}={})", go_type(other), go_value_text(other)),
        };
        let length = formatted.chars().count();
        if length >= width {
            out.push_str(&formatted);
        } else if left {
            out.push_str(&formatted);
            out.push_str(&" ".repeat(width - length));
        } else {
            out.push_str(&(if zero { "0" } else { " " }).repeat(width - length));
            out.push_str(&formatted);
        }
    }
    if next < args.len() {
        let extra: Vec<String> = args[next..].iter().map(|a| format!("{}={}", go_type(a), go_value_text(a))).collect();
        out.push_str(&format!("%!(EXTRA {})", extra.join(", ")));
    }
    out
}

/// Go's `eq`/`ne`/`lt`/`le`/`gt`/`ge` on basic values.
fn compare(name: &str, args: Vec<Value>) -> Outcome {
    if name == "eq" {
        let mut args = args.into_iter();
        let first = args.next().ok_or_else(|| wrong_count(name, "at least 1", 0))?;
        let rest: Vec<Value> = args.collect();
        if rest.is_empty() {
            return Err(Failure::Call("missing argument for comparison".into()));
        }
        for other in &rest {
            if equal(&first, other)? {
                return Ok(Value::Bool(true));
            }
        }
        return Ok(Value::Bool(false));
    }
    let [a, b] = take::<2>(name, args)?;
    if name == "ne" {
        return Ok(Value::Bool(!equal(&a, &b)?));
    }
    let ordering = match (&a, &b) {
        (Value::Number(x), Value::Number(y)) if x.as_i64().is_some() && y.as_i64().is_some() => {
            x.as_i64().cmp(&y.as_i64())
        }
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (Value::Null, _) | (_, Value::Null) => return Err(Failure::Call("invalid type for comparison".into())),
        (x, y) if go_type(x) != go_type(y) => return Err(Failure::Call("incompatible types for comparison".into())),
        _ => return Err(Failure::Call("invalid type for comparison".into())),
    };
    Ok(Value::Bool(match name {
        "lt" => ordering.is_lt(),
        "le" => ordering.is_le(),
        "gt" => ordering.is_gt(),
        _ => ordering.is_ge(),
    }))
}

fn equal(a: &Value, b: &Value) -> Result<bool, Failure> {
    match (a, b) {
        (Value::Null, Value::Null) => Ok(true),
        (Value::Null, _) | (_, Value::Null) => Ok(false),
        (Value::Sequence(_) | Value::Mapping(_), _) | (_, Value::Sequence(_) | Value::Mapping(_)) => {
            Err(Failure::Call("non-comparable type".into()))
        }
        (x, y) if go_type(x) != go_type(y) => Err(Failure::Call("incompatible types for comparison".into())),
        (x, y) => Ok(x == y),
    }
}
