//! YAML values and a parser for one document, in place of `yaml_serde` (the
//! YAML organisation's serde_yaml fork). Why our own: yaml_serde with
//! libyaml-rs, serde, indexmap and float parsing and printing cost some
//! 45 KiB of the gzipped wasm (measured: 350.3 → 304.8 KiB when this replaced
//! them) of a 350 KiB gzip bundle budget, while manifests use a small part of YAML
//! and the crate a handful of `Value` methods.
//!
//! Read: block mappings and sequences (also `- ` at its key's indent), flow
//! `{}`/`[]`, plain, quoted and block (`|`, `>`) scalars, comments, anchors and
//! aliases (within a budget), tags (`!!str`, `!!int`…; others are ignored),
//! `%` directives, `---` and `...`. Scalars resolve as serde_yaml resolved them
//! (YAML 1.2 core schema: `yes`/`on` stay strings, `0x`/`0o`/`0b` integers,
//! `012` is a string). A float keeps its text, written as serde_yaml printed it
//! (`1e3` → `1000.0`), so no float parsing or printing enters the bundle.
//! Errors use libyaml's words, with a 1-based line and column.
//!
//! `Hash` feeds a hasher the same bytes as yaml_serde's did, so revision names
//! (a hash of the pod template's value) are unchanged.

mod parser;
mod resolve;
#[cfg(test)]
mod tests;

use std::fmt;
use std::hash::{DefaultHasher, Hash, Hasher};

/// Deeper documents are refused (serde_yaml's limit; aliases count in full).
const MAX_DEPTH: usize = 128;
/// Nodes that aliases may copy into one document (alias bombs).
const MAX_ALIASED_NODES: usize = 100_000;

/// A YAML value. The variants keep serde_yaml's order: `Hash` hashes the
/// discriminant. (serde_yaml's `Tagged` is gone: custom tags are ignored.)
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Sequence(Vec<Value>),
    Mapping(Mapping),
}

/// An integer, or a float as its normalised text (build with `From`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Number {
    PosInt(u64),
    /// Always below zero.
    NegInt(i64),
    Float(String),
}

/// A mapping in insertion order; `remove` swaps the last entry in, as
/// serde_yaml's did. Maps here are small, so lookups are linear.
#[derive(Clone, Debug, Default, Eq)]
pub struct Mapping(Vec<(Value, Value)>);

impl Hash for Value {
    fn hash<H: Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self).hash(state);
        match self {
            Value::Null => {}
            Value::Bool(b) => b.hash(state),
            Value::Number(n) => n.hash(state),
            Value::String(s) => s.hash(state),
            Value::Sequence(items) => items.hash(state),
            Value::Mapping(m) => m.hash(state),
        }
    }
}

impl Hash for Number {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self {
            Number::PosInt(u) => u.hash(state),
            Number::NegInt(i) => i.hash(state),
            Number::Float(_) => 3i32.hash(state),
        }
    }
}

/// Order-independent, as serde_yaml's: each entry hashed on its own with std's
/// `DefaultHasher`, the results xored. Sizes go in as 8 bytes so wasm32 hashes
/// as 64-bit targets do (serde_yaml's hash differed between the two there).
impl Hash for Mapping {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let mut xor = 0;
        for (k, v) in self {
            let mut entry = EntryHasher(DefaultHasher::new());
            k.hash(&mut entry);
            v.hash(&mut entry);
            xor ^= entry.finish();
        }
        xor.hash(state);
    }
}

struct EntryHasher(DefaultHasher);

impl Hasher for EntryHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0.write(bytes)
    }
    fn write_usize(&mut self, n: usize) {
        self.0.write(&(n as u64).to_le_bytes())
    }
    fn finish(&self) -> u64 {
        self.0.finish()
    }
}

fn hash_of(v: &Value) -> u64 {
    let mut h = EntryHasher(DefaultHasher::new());
    v.hash(&mut h);
    h.finish()
}

impl PartialEq for Mapping {
    /// Same entries in any order, as serde_yaml's (IndexMap) equality.
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len() && self.0.iter().all(|(k, v)| other.get(k) == Some(v))
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::PosInt(u) => write!(f, "{u}"),
            Number::NegInt(i) => write!(f, "{i}"),
            Number::Float(s) => f.write_str(s),
        }
    }
}

impl Number {
    pub fn is_f64(&self) -> bool {
        matches!(self, Number::Float(_))
    }
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            Number::PosInt(u) => i64::try_from(u).ok(),
            Number::NegInt(i) => Some(i),
            Number::Float(_) => None,
        }
    }
    pub fn as_u64(&self) -> Option<u64> {
        match *self {
            Number::PosInt(u) => Some(u),
            _ => None,
        }
    }
}

impl From<u64> for Number {
    fn from(u: u64) -> Self {
        Number::PosInt(u)
    }
}

impl From<i64> for Number {
    fn from(i: i64) -> Self {
        if i < 0 {
            Number::NegInt(i)
        } else {
            Number::PosInt(i as u64)
        }
    }
}

impl From<i32> for Number {
    fn from(i: i32) -> Self {
        i64::from(i).into()
    }
}

impl From<u32> for Number {
    fn from(u: u32) -> Self {
        u64::from(u).into()
    }
}

/// What a mapping can be indexed by: `&str` or a `Value`.
pub trait Key {
    fn is(&self, key: &Value) -> bool;
}

impl Key for str {
    fn is(&self, key: &Value) -> bool {
        key.as_str() == Some(self)
    }
}

impl Key for Value {
    fn is(&self, key: &Value) -> bool {
        self == key
    }
}

impl<T: Key + ?Sized> Key for &T {
    fn is(&self, key: &Value) -> bool {
        (**self).is(key)
    }
}

/// What `Value::get` takes: a mapping's key, or a sequence's index.
pub trait Index {
    fn index_into<'v>(&self, value: &'v Value) -> Option<&'v Value>;
}

impl Index for usize {
    fn index_into<'v>(&self, value: &'v Value) -> Option<&'v Value> {
        value.as_sequence()?.get(*self)
    }
}

impl<K: Key + ?Sized> Index for K {
    fn index_into<'v>(&self, value: &'v Value) -> Option<&'v Value> {
        value.as_mapping()?.get(self)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.into())
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Number(i.into())
    }
}

impl FromIterator<(Value, Value)> for Mapping {
    /// Later duplicates replace earlier values, as `insert` does.
    fn from_iter<I: IntoIterator<Item = (Value, Value)>>(entries: I) -> Self {
        let mut map = Mapping::new();
        for (k, v) in entries {
            map.insert(k, v);
        }
        map
    }
}

impl Mapping {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// Replaces the value in place if the key exists (returning the old one).
    pub fn insert(&mut self, key: Value, value: Value) -> Option<Value> {
        match self.get_mut(&key) {
            Some(old) => Some(std::mem::replace(old, value)),
            None => {
                self.0.push((key, value));
                None
            }
        }
    }
    pub fn get<K: Key>(&self, key: K) -> Option<&Value> {
        self.0.iter().find(|(k, _)| key.is(k)).map(|(_, v)| v)
    }
    pub fn get_mut<K: Key>(&mut self, key: K) -> Option<&mut Value> {
        self.0.iter_mut().find(|(k, _)| key.is(k)).map(|(_, v)| v)
    }
    pub fn contains_key<K: Key>(&self, key: K) -> bool {
        self.get(key).is_some()
    }
    pub fn remove<K: Key>(&mut self, key: K) -> Option<Value> {
        let at = self.0.iter().position(|(k, _)| key.is(k))?;
        Some(self.0.swap_remove(at).1)
    }
    pub fn iter(&self) -> Iter<'_> {
        Iter(self.0.iter())
    }
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&Value, &mut Value)> {
        self.0.iter_mut().map(|(k, v)| (&*k, v))
    }
    pub fn keys(&self) -> impl Iterator<Item = &Value> {
        self.0.iter().map(|(k, _)| k)
    }
    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.0.iter().map(|(_, v)| v)
    }
}

pub struct Iter<'a>(std::slice::Iter<'a, (Value, Value)>);

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a Value, &'a Value);
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k, v))
    }
}

impl<'a> IntoIterator for &'a Mapping {
    type Item = (&'a Value, &'a Value);
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl IntoIterator for Mapping {
    type Item = (Value, Value);
    type IntoIter = std::vec::IntoIter<(Value, Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl Value {
    /// The value under a mapping's key, or at a sequence's index.
    pub fn get<I: Index>(&self, index: I) -> Option<&Value> {
        index.index_into(self)
    }
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
    pub fn is_mapping(&self) -> bool {
        matches!(self, Value::Mapping(_))
    }
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) => n.as_i64(),
            _ => None,
        }
    }
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(n) => n.as_u64(),
            _ => None,
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_sequence(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Sequence(items) => Some(items),
            _ => None,
        }
    }
    pub fn as_mapping(&self) -> Option<&Mapping> {
        match self {
            Value::Mapping(m) => Some(m),
            _ => None,
        }
    }
}

/// Why a document could not be read, and where (1-based, in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    message: String,
    /// The value's path (`spec.replicas`) for errors about a value rather than
    /// the syntax, as serde_yaml named it; `None` for syntax errors.
    path: Option<String>,
    line: usize,
    column: usize,
}

impl Error {
    pub fn line(&self) -> usize {
        self.line
    }
    pub fn column(&self) -> usize {
        self.column
    }
    /// The message, after the value's path if it has one, without the position.
    pub fn message(&self) -> String {
        match &self.path {
            Some(path) if !path.is_empty() => format!("{path}: {}", self.message),
            _ => self.message.clone(),
        }
    }
    /// Puts a map key or `[index]` in front of the path, as the error leaves a value.
    fn within(mut self, segment: &str) -> Self {
        if let Some(path) = &mut self.path {
            *path = if path.is_empty() || path.starts_with('[') {
                format!("{segment}{path}")
            } else {
                format!("{segment}.{path}")
            };
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at line {} column {}", self.message(), self.line, self.column)
    }
}

/// Parses one YAML document (a `---` line may start it; a second document is an error).
pub fn from_str(text: &str) -> Result<Value, Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut s = Vec::with_capacity(text.len());
    let (mut line, mut column) = (1, 1);
    let mut chars = text.chars().peekable();
    while let Some(mut c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                continue;
            }
            c = '\n';
        }
        // libyaml's printable set.
        if !matches!(c, '\t' | '\n' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        {
            return Err(Error { message: "control characters are not allowed".into(), path: None, line, column });
        }
        (line, column) = if c == '\n' { (line + 1, 1) } else { (line, column + 1) };
        s.push(c);
    }
    parser::parse_document(s)
}
