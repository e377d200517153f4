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
    Parser { s, i: 0, line: 1, ls: 0, depth: 0, anchors: Vec::new(), aliased: 0 }.document()
}

type Mark = (usize, usize);

/// A scalar or collection met inline; plain scalars stay text until they are
/// known to be complete (and to be a key or a value).
enum Item {
    Value(Value),
    Quoted(String),
    Plain(String),
}

fn blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Blank, line break or end of input (`'\0'`: control characters are refused up front).
fn blankz(c: char) -> bool {
    blank(c) || c == '\n' || c == '\0'
}

fn flow_indicator(c: char) -> bool {
    matches!(c, ',' | '[' | ']' | '{' | '}')
}

struct Parser {
    s: Vec<char>,
    i: usize,
    line: usize,
    /// Index of the current line's first character.
    ls: usize,
    depth: usize,
    /// (name, value, height, nodes); a later anchor of the same name wins.
    anchors: Vec<(String, Value, usize, usize)>,
    aliased: usize,
}

impl Parser {
    fn at(&self, k: usize) -> char {
        self.s.get(self.i + k).copied().unwrap_or('\0')
    }
    fn ch(&self) -> char {
        self.at(0)
    }
    fn eof(&self) -> bool {
        self.i >= self.s.len()
    }
    fn col(&self) -> usize {
        self.i - self.ls
    }
    fn pos(&self) -> Mark {
        (self.line, self.col() + 1)
    }
    fn bump(&mut self) {
        if self.eof() {
            return;
        }
        if self.ch() == '\n' {
            self.line += 1;
            self.ls = self.i + 1;
        }
        self.i += 1;
    }
    fn skip_blanks(&mut self) {
        while blank(self.ch()) {
            self.bump();
        }
    }
    fn skip_to_eol(&mut self) {
        while !self.eof() && self.ch() != '\n' {
            self.bump();
        }
    }
    fn err<T>(&self, message: &str) -> Result<T, Error> {
        err_at(self.pos(), message)
    }
    /// Only spaces between the line's start and the cursor.
    fn line_start(&self) -> bool {
        self.s[self.ls..self.i].iter().all(|&c| c == ' ')
    }
    /// `---` or `...` at the start of a line.
    fn marker(&self, c: char) -> bool {
        self.col() == 0 && self.at(0) == c && self.at(1) == c && self.at(2) == c && blankz(self.at(3))
    }
    fn at_marker(&self) -> bool {
        self.marker('-') || self.marker('.')
    }

    fn document(mut self) -> Result<Value, Error> {
        self.skip_lines()?;
        while self.col() == 0 && self.ch() == '%' {
            self.skip_to_eol();
            self.skip_lines()?;
        }
        if self.marker('-') {
            (0..3).for_each(|_| self.bump());
        }
        let value = self.node(-1, true, false)?;
        self.end_entry("did not find expected <document start>")?;
        let ended = self.marker('.');
        if ended {
            (0..3).for_each(|_| self.bump());
            self.end_entry("did not find expected <document start>")?;
        }
        if self.eof() {
            Ok(value)
        } else if ended || self.marker('-') {
            self.err("deserializing from YAML containing more than one document is not supported")
        } else {
            self.err("did not find expected <document start>")
        }
    }

    /// Past comments, line breaks and blank lines, to the first character of
    /// the next line with content (its column is that line's indent), or the end.
    fn skip_lines(&mut self) -> Result<(), Error> {
        loop {
            while self.ch() == ' ' {
                self.bump();
            }
            if self.ch() == '\t' && self.line_start() {
                // A tab in the indent; lines with only blanks and comments may have them.
                let tab = self.pos();
                self.skip_blanks();
                if !matches!(self.ch(), '#' | '\n' | '\0') {
                    return err_at(tab, "found character that cannot start any token");
                }
            }
            self.skip_blanks();
            if self.ch() == '#' {
                self.skip_to_eol();
            }
            if self.ch() != '\n' {
                return Ok(());
            }
            self.bump();
        }
    }

    /// After a node: only blanks and a comment may follow on its line; then
    /// on to the next line with content.
    fn end_entry(&mut self, message: &str) -> Result<(), Error> {
        if !self.line_start() {
            self.skip_blanks();
            if !matches!(self.ch(), '#' | '\n' | '\0') {
                return self.err(message);
            }
        }
        self.skip_lines()
    }

    /// A node in block context under a collection at column `ind` (-1: the
    /// document). `compact`: a block collection may start on this line (at the
    /// document's start, after `- ` or `? `); `indentless`: a sequence may sit
    /// at column `ind` (a mapping's value).
    fn node(&mut self, ind: isize, compact: bool, indentless: bool) -> Result<Value, Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.err("recursion limit exceeded");
        }
        let result = self.block_node(ind, compact, indentless);
        self.depth -= 1;
        result
    }

    fn block_node(&mut self, ind: isize, mut compact: bool, indentless: bool) -> Result<Value, Error> {
        let (mut anchor, mut tag) = (None, None);
        let mut props: Option<Mark> = None;
        loop {
            self.skip_blanks();
            let c = self.ch();
            if matches!(c, '#' | '\n' | '\0') || self.at_marker() {
                // Nothing more on this line: the node is on the next ones, or empty.
                self.skip_lines()?;
                let col = self.col() as isize;
                let dash = self.ch() == '-' && blankz(self.at(1));
                if self.eof() || self.at_marker() || col < ind || (col == ind && !(indentless && dash)) {
                    let empty = self.scalar(String::new(), true, tag.as_deref(), props.unwrap_or(self.pos()))?;
                    return Ok(self.anchored(anchor, empty));
                }
                compact = true;
            } else if c == '&' && anchor.is_none() {
                props = props.or(Some(self.pos()));
                anchor = Some(self.name()?);
            } else if c == '!' && tag.is_none() {
                props = props.or(Some(self.pos()));
                tag = Some(self.tag(false)?);
            } else {
                break;
            }
        }
        let mark = self.pos();
        // Properties on the line of an implicit key belong to the key.
        let key_props = props.filter(|p| p.0 == mark.0);
        let col = key_props.map_or(mark.1, |p| p.1) - 1;
        let c = self.ch();
        if c == ':' && blankz(self.at(1)) {
            return self.err(if compact {
                "did not find expected key"
            } else {
                "mapping values are not allowed in this context"
            });
        }
        if matches!(c, '-' | '?') && blankz(self.at(1)) {
            if !compact {
                return self.err(if c == '-' {
                    "block sequence entries are not allowed in this context"
                } else {
                    "mapping keys are not allowed in this context"
                });
            }
            let value = if c == '-' {
                self.block_seq(col, indentless && col as isize == ind)?
            } else {
                self.block_map(col, None)?
            };
            return Ok(self.anchored(anchor, value));
        }
        if c == '|' || c == '>' {
            let text = self.block_scalar(ind)?;
            let value = self.scalar(text, false, tag.as_deref(), props.unwrap_or(mark))?;
            return Ok(self.anchored(anchor, value));
        }
        let item = self.item(false)?;
        let multi_line = self.line != mark.0;
        self.skip_blanks();
        if self.ch() == ':' && blankz(self.at(1)) {
            if !compact || multi_line {
                return self.err("mapping values are not allowed in this context");
            }
            let (key_anchor, key_tag) = if key_props.is_some() { (anchor.take(), tag.take()) } else { (None, None) };
            let key = self.resolve(item, key_tag.as_deref(), mark)?;
            let key = self.anchored(key_anchor, key);
            let map = self.block_map(col, Some((key, key_props.unwrap_or(mark))))?;
            return Ok(self.anchored(anchor, map));
        }
        let item = match item {
            Item::Plain(mut text) => {
                self.plain_more(ind, false, &mut text)?;
                if self.ch() == ':' && blankz(self.at(1)) {
                    return self.err("mapping values are not allowed in this context");
                }
                Item::Plain(text)
            }
            item => item,
        };
        let value = self.resolve(item, tag.as_deref(), props.unwrap_or(mark))?;
        Ok(self.anchored(anchor, value))
    }

    /// A block sequence whose `-` is at column `col`; `indentless`: it is a
    /// mapping's value at the mapping's own indent, and a key ends it.
    fn block_seq(&mut self, col: usize, indentless: bool) -> Result<Value, Error> {
        let mut items = Vec::new();
        loop {
            self.bump();
            let item = self.node(col as isize, true, false).map_err(|e| e.within(&format!("[{}]", items.len())))?;
            items.push(item);
            self.end_entry("did not find expected '-' indicator")?;
            if self.eof() || self.col() < col || self.at_marker() || (self.col() == col && indentless && !self.dash()) {
                return Ok(Value::Sequence(items));
            }
            if self.col() > col || !self.dash() {
                return self.err("did not find expected '-' indicator");
            }
        }
    }

    fn dash(&self) -> bool {
        self.ch() == '-' && blankz(self.at(1))
    }

    /// A block mapping whose keys are at column `col`; `first`: its first key,
    /// already read (the cursor is at its `:`).
    fn block_map(&mut self, col: usize, mut first: Option<(Value, Mark)>) -> Result<Value, Error> {
        let mut map = Mapping::new();
        let mut seen = Hashes::default();
        loop {
            let explicit = first.is_none() && self.ch() == '?' && blankz(self.at(1));
            let (key, mark) = match first.take() {
                Some(first) => first,
                None if explicit => {
                    let mark = self.pos();
                    self.bump();
                    let key = self.node(col as isize, true, false)?;
                    self.end_entry("did not find expected key")?;
                    (key, mark)
                }
                None if self.dash() || (self.ch() == ':' && blankz(self.at(1))) => {
                    return self.err("did not find expected key")
                }
                None => self.block_key()?,
            };
            self.check_duplicate(&map, &mut seen, &key, mark)?;
            let value = if !explicit || (self.col() == col && self.ch() == ':' && blankz(self.at(1)) && !self.eof()) {
                self.bump();
                let value = self.node(col as isize, explicit, true).map_err(|e| e.within(&path_key(&key)))?;
                self.end_entry("did not find expected key")?;
                value
            } else {
                Value::Null
            };
            map.0.push((key, value));
            if self.eof() || self.col() < col || self.at_marker() {
                return Ok(Value::Mapping(map));
            }
            if self.col() > col {
                return self.err("did not find expected key");
            }
        }
    }

    /// An implicit key of a block mapping: one line, up to its `:`.
    fn block_key(&mut self) -> Result<(Value, Mark), Error> {
        let mark = self.pos();
        let (anchor, tag) = self.properties(false)?;
        let at = self.pos();
        let item = self.item(false)?;
        let key = self.resolve(item, tag.as_deref(), at)?;
        let multi_line = self.line != mark.0;
        self.skip_blanks();
        if !(self.ch() == ':' && blankz(self.at(1))) {
            return err_at(mark, "could not find expected ':'");
        }
        if multi_line {
            return self.err("mapping values are not allowed in this context");
        }
        Ok((self.anchored(anchor, key), mark))
    }

    fn check_duplicate(&self, map: &Mapping, seen: &mut Hashes, key: &Value, mark: Mark) -> Result<(), Error> {
        if seen.add(hash_of(key)) || !map.contains_key(key) {
            return Ok(());
        }
        let which = match key {
            Value::Null => "with null key".to_string(),
            Value::Bool(b) => format!("with key `{b}`"),
            Value::Number(n) => format!("with key {n}"),
            Value::String(s) => format!("with key {}", crate::core::quoted(s)),
            _ => "in YAML map".to_string(),
        };
        Err(Error {
            message: format!("duplicate entry {which}"),
            path: Some(String::new()),
            line: mark.0,
            column: mark.1,
        })
    }

    /// An alias, flow collection, quoted scalar or one line of a plain scalar.
    fn item(&mut self, flow: bool) -> Result<Item, Error> {
        Ok(match self.ch() {
            '*' => Item::Value(self.alias()?),
            '[' | '{' => Item::Value(self.flow()?),
            '"' | '\'' => Item::Quoted(self.quoted()?),
            '@' | '`' | '%' | '|' | '>' => return self.err("found character that cannot start any token"),
            ',' | ']' | '}' => return self.err("did not find expected node content"),
            '-' if blankz(self.at(1)) => return self.err("block sequence entries are not allowed in this context"),
            _ => Item::Plain(self.plain_line(flow)),
        })
    }

    fn resolve(&self, item: Item, tag: Option<&str>, mark: Mark) -> Result<Value, Error> {
        match item {
            Item::Value(value) => Ok(value),
            Item::Quoted(text) => self.scalar(text, false, tag, mark),
            Item::Plain(text) => self.scalar(text, true, tag, mark),
        }
    }

    /// A scalar's value: the core tags `!!bool`, `!!int`, `!!float`, `!!null`
    /// check it, other `!!` tags and quotes make a string, and a plain scalar
    /// (even with a custom tag) resolves as serde_yaml resolved it.
    fn scalar(&self, text: String, plain: bool, tag: Option<&str>, mark: Mark) -> Result<Value, Error> {
        let invalid = |message: String| Err(Error { message, path: Some(String::new()), line: mark.0, column: mark.1 });
        let expected =
            |what: &str| invalid(format!("invalid value: string {}, expected {what}", crate::core::quoted(&text)));
        let tag = tag.unwrap_or("!");
        match tag.strip_prefix("tag:yaml.org,2002:") {
            Some("bool") => match text.as_str() {
                "true" | "True" | "TRUE" => Ok(Value::Bool(true)),
                "false" | "False" | "FALSE" => Ok(Value::Bool(false)),
                _ => expected("a boolean"),
            },
            Some("int") => match int(&text) {
                Ok(Some(n)) => Ok(Value::Number(n)),
                Ok(None) => expected("an integer"),
                Err(message) => invalid(message),
            },
            Some("float") => match float(&text) {
                Some(f) => Ok(Value::Number(Number::Float(f))),
                None => expected("a float"),
            },
            Some("null") if !text.is_empty() && is_null(&text) => Ok(Value::Null),
            Some("null") => expected("null"),
            _ if !plain || !tag.starts_with('!') => Ok(Value::String(text)),
            _ => plain_value(text).or_else(invalid),
        }
    }

    fn anchored(&mut self, anchor: Option<String>, value: Value) -> Value {
        if let Some(name) = anchor {
            let (height, nodes) = measure(&value);
            self.anchors.push((name, value.clone(), height, nodes));
        }
        value
    }

    /// The anchor (`&a`) and tag (`!t`) before a node, in either order, and the
    /// blanks after them.
    fn properties(&mut self, flow: bool) -> Result<(Option<String>, Option<String>), Error> {
        let (mut anchor, mut tag) = (None, None);
        loop {
            match self.ch() {
                '&' if anchor.is_none() => anchor = Some(self.name()?),
                '!' if tag.is_none() => tag = Some(self.tag(flow)?),
                _ => return Ok((anchor, tag)),
            }
            if flow {
                self.flow_blanks();
            } else {
                self.skip_blanks();
            }
        }
    }

    /// `&name` or `*name`: letters, digits, `_` and `-`, as libyaml reads them.
    fn name(&mut self) -> Result<String, Error> {
        self.bump();
        let start = self.i;
        while matches!(self.ch(), '0'..='9' | 'a'..='z' | 'A'..='Z' | '_' | '-') {
            self.bump();
        }
        if self.i == start || !(blankz(self.ch()) || matches!(self.ch(), '?' | ':' | ',' | ']' | '}' | '%' | '@' | '`'))
        {
            return self.err("did not find expected alphabetic or numeric character");
        }
        Ok(self.s[start..self.i].iter().collect())
    }

    /// A tag, `!!x` expanded to `tag:yaml.org,2002:x`, `!<uri>` to the uri.
    fn tag(&mut self, flow: bool) -> Result<String, Error> {
        self.bump();
        if self.ch() == '<' {
            self.bump();
            let start = self.i;
            while !matches!(self.ch(), '>' | '\n' | '\0') {
                self.bump();
            }
            if self.ch() != '>' {
                return self.err("did not find the expected '>'");
            }
            self.bump();
            return Ok(self.s[start..self.i - 1].iter().collect());
        }
        let start = self.i;
        while !blankz(self.ch()) && !(flow && flow_indicator(self.ch())) {
            self.bump();
        }
        let tag: String = self.s[start..self.i].iter().collect();
        Ok(match tag.strip_prefix('!') {
            Some(core) => format!("tag:yaml.org,2002:{core}"),
            None => format!("!{tag}"),
        })
    }

    fn alias(&mut self) -> Result<Value, Error> {
        let mark = self.pos();
        let name = self.name()?;
        let Some((_, value, height, nodes)) = self.anchors.iter().rev().find(|a| a.0 == name) else {
            return err_at(mark, "unknown anchor");
        };
        if self.depth + height > MAX_DEPTH {
            return err_at(mark, "recursion limit exceeded");
        }
        self.aliased += nodes;
        if self.aliased > MAX_ALIASED_NODES {
            return err_at(mark, "repetition limit exceeded");
        }
        Ok(value.clone())
    }

    /// One line of a plain scalar, up to `: `, ` #`, the line's end and, in
    /// flow context, `,[]{}`; without its trailing blanks.
    fn plain_line(&mut self, flow: bool) -> String {
        let (start, mut end) = (self.i, self.i);
        loop {
            let c = self.ch();
            if c == '\n'
                || self.eof()
                || (c == ':' && (blankz(self.at(1)) || (flow && flow_indicator(self.at(1)))))
                || (flow && flow_indicator(c))
                || (c == '#' && self.i > start && blank(self.s[self.i - 1]))
            {
                break;
            }
            self.bump();
            if !blank(c) {
                end = self.i;
            }
        }
        self.s[start..end].iter().collect()
    }

    /// The lines that continue a plain scalar: indented deeper than `ind` in
    /// block context, any line in flow context. A line break becomes a space,
    /// n+1 of them n newlines.
    fn plain_more(&mut self, ind: isize, flow: bool, text: &mut String) -> Result<(), Error> {
        while self.ch() == '\n' {
            let saved = (self.i, self.line, self.ls);
            let mut breaks = 0;
            while self.ch() == '\n' {
                self.bump();
                breaks += 1;
                while blank(self.ch()) {
                    if self.ch() == '\t' && !flow && self.col() as isize <= ind {
                        return self.err("found a tab character that violates indentation");
                    }
                    self.bump();
                }
            }
            let more = !self.eof() && self.ch() != '#' && (flow || self.col() as isize > ind) && !self.at_marker();
            let line = if more { self.plain_line(flow) } else { String::new() };
            if line.is_empty() {
                (self.i, self.line, self.ls) = saved;
                return Ok(());
            }
            if breaks == 1 {
                text.push(' ');
            } else {
                (1..breaks).for_each(|_| text.push('\n'));
            }
            text.push_str(&line);
        }
        Ok(())
    }

    /// A single- or double-quoted scalar, over as many lines as it takes.
    fn quoted(&mut self) -> Result<String, Error> {
        let quote = self.ch();
        self.bump();
        let mut out = String::new();
        loop {
            let mut blanks = String::new();
            let mut escaped_break = false;
            loop {
                let c = self.ch();
                if self.eof() {
                    return self.err("found unexpected end of stream");
                }
                if c == '\n' {
                    break;
                }
                if c == quote && !(quote == '\'' && self.at(1) == '\'') {
                    out.push_str(&blanks);
                    self.bump();
                    return Ok(out);
                }
                if blank(c) {
                    blanks.push(c);
                    self.bump();
                    continue;
                }
                out.push_str(&blanks);
                blanks.clear();
                if quote == '\'' && c == '\'' {
                    self.bump();
                } else if quote == '"' && c == '\\' {
                    if self.at(1) == '\n' {
                        // An escaped line break joins the lines without a space.
                        self.bump();
                        escaped_break = true;
                        break;
                    }
                    let c = self.escape()?;
                    out.push(c);
                    continue;
                }
                out.push(self.ch());
                self.bump();
            }
            let mut breaks = 0;
            while self.ch() == '\n' || blank(self.ch()) {
                breaks += usize::from(self.ch() == '\n');
                self.bump();
            }
            if self.at_marker() {
                return self.err("found unexpected document indicator");
            }
            if breaks == 1 && !escaped_break {
                out.push(' ');
            } else {
                (1..breaks).for_each(|_| out.push('\n'));
            }
        }
    }

    /// A double-quoted scalar's escape, from its backslash.
    fn escape(&mut self) -> Result<char, Error> {
        let mark = self.pos();
        self.bump();
        let c = match self.ch() {
            '0' => '\0',
            'a' => '\x07',
            'b' => '\x08',
            't' | '\t' => '\t',
            'n' => '\n',
            'v' => '\x0b',
            'f' => '\x0c',
            'r' => '\r',
            'e' => '\x1b',
            'N' => '\u{85}',
            '_' => '\u{a0}',
            'L' => '\u{2028}',
            'P' => '\u{2029}',
            c @ (' ' | '"' | '/' | '\'' | '\\') => c,
            c @ ('x' | 'u' | 'U') => {
                let digits = match c {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let mut code = 0;
                for _ in 0..digits {
                    self.bump();
                    let Some(d) = self.ch().to_digit(16) else {
                        return self.err("did not find expected hexadecimal number");
                    };
                    code = code * 16 + d;
                }
                match char::from_u32(code) {
                    Some(c) => c,
                    None => return err_at(mark, "found invalid Unicode character escape code"),
                }
            }
            _ => return err_at(mark, "found unknown escape character"),
        };
        self.bump();
        Ok(c)
    }

    /// A literal (`|`) or folded (`>`) block scalar under a collection at
    /// column `ind`, with its chomping (`-`, `+`) and indentation indicators;
    /// the folding and chomping are libyaml's.
    fn block_scalar(&mut self, ind: isize) -> Result<String, Error> {
        let literal = self.ch() == '|';
        self.bump();
        let (mut chomp, mut increment) = (0, 0);
        for _ in 0..2 {
            match self.ch() {
                '+' | '-' if chomp == 0 => chomp = if self.ch() == '+' { 1 } else { -1 },
                '0' => return self.err("found an indentation indicator equal to 0"),
                c @ '1'..='9' if increment == 0 => increment = c as usize - '0' as usize,
                _ => break,
            }
            self.bump();
        }
        self.skip_blanks();
        if self.ch() == '#' {
            self.skip_to_eol();
        }
        if !matches!(self.ch(), '\n' | '\0') {
            return self.err("did not find expected comment or line break");
        }
        self.bump();
        let mut indent = match increment {
            0 => 0,
            m if ind >= 0 => ind as usize + m,
            m => m,
        };
        let (mut out, mut leading, mut trailing) = (String::new(), String::new(), String::new());
        let mut leading_blank = false;
        self.block_breaks(&mut indent, &mut trailing, ind)?;
        while self.col() == indent && !self.eof() {
            let trailing_blank = blank(self.ch());
            if !literal && leading.starts_with('\n') && !leading_blank && !trailing_blank {
                if trailing.is_empty() {
                    out.push(' ');
                }
                leading.clear();
            } else {
                out.push_str(&leading);
                leading.clear();
            }
            out.push_str(&trailing);
            trailing.clear();
            leading_blank = blank(self.ch());
            while !matches!(self.ch(), '\n' | '\0') {
                out.push(self.ch());
                self.bump();
            }
            if self.eof() {
                break;
            }
            leading.push('\n');
            self.bump();
            self.block_breaks(&mut indent, &mut trailing, ind)?;
        }
        if chomp != -1 {
            out.push_str(&leading);
        }
        if chomp == 1 {
            out.push_str(&trailing);
        }
        Ok(out)
    }

    /// Empty lines of a block scalar, and its indent when not yet known (0).
    fn block_breaks(&mut self, indent: &mut usize, trailing: &mut String, ind: isize) -> Result<(), Error> {
        let mut max = 0;
        loop {
            while (*indent == 0 || self.col() < *indent) && self.ch() == ' ' {
                self.bump();
            }
            max = max.max(self.col());
            if (*indent == 0 || self.col() < *indent) && self.ch() == '\t' {
                return self.err("found a tab character where an indentation space is expected");
            }
            if self.ch() != '\n' {
                break;
            }
            trailing.push('\n');
            self.bump();
        }
        if *indent == 0 {
            *indent = max.max((ind + 1).max(1) as usize);
        }
        Ok(())
    }

    /// `[...]` or `{...}`, over any number of lines.
    fn flow(&mut self) -> Result<Value, Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.err("recursion limit exceeded");
        }
        let is_map = self.ch() == '{';
        let close = if is_map { '}' } else { ']' };
        self.bump();
        let (mut items, mut map, mut seen) = (Vec::new(), Mapping::new(), Hashes::default());
        loop {
            self.flow_blanks();
            if self.ch() == close {
                self.bump();
                break;
            }
            if self.eof() {
                return self.err(if is_map {
                    "did not find expected ',' or '}'"
                } else {
                    "did not find expected ',' or ']'"
                });
            }
            if self.ch() == ',' {
                return self.err("did not find expected node content");
            }
            // In flow context `?` is always the key indicator (libyaml).
            let explicit = self.ch() == '?';
            if explicit {
                self.bump();
                self.flow_blanks();
            }
            let mark = self.pos();
            let index = format!("[{}]", items.len());
            let key = self.flow_node().map_err(|e| if is_map { e } else { e.within(&index) })?;
            self.flow_blanks();
            if self.ch() == ':' && self.line != mark.0 && !explicit {
                return self.err(if is_map {
                    "did not find expected ',' or '}'"
                } else {
                    "did not find expected ',' or ']'"
                });
            }
            let pair = explicit || self.ch() == ':';
            let value = if self.ch() == ':' {
                self.bump();
                self.flow_blanks();
                self.flow_node().map_err(|e| {
                    let e = e.within(&path_key(&key));
                    if is_map {
                        e
                    } else {
                        e.within(&index)
                    }
                })?
            } else {
                Value::Null
            };
            if is_map {
                self.check_duplicate(&map, &mut seen, &key, mark)?;
                map.0.push((key, value));
            } else if pair {
                items.push(Value::Mapping(Mapping(vec![(key, value)])));
            } else {
                items.push(key);
            }
            self.flow_blanks();
            match self.ch() {
                ',' => self.bump(),
                c if c == close => {
                    self.bump();
                    break;
                }
                _ => {
                    return self.err(if is_map {
                        "did not find expected ',' or '}'"
                    } else {
                        "did not find expected ',' or ']'"
                    })
                }
            }
        }
        self.depth -= 1;
        Ok(if is_map { Value::Mapping(map) } else { Value::Sequence(items) })
    }

    /// Blanks, line breaks and comments inside a flow collection.
    fn flow_blanks(&mut self) {
        loop {
            match self.ch() {
                ' ' | '\t' | '\n' => self.bump(),
                '#' => self.skip_to_eol(),
                _ => return,
            }
        }
    }

    /// A node inside a flow collection (empty before `,`, `]`, `}` or `:`).
    fn flow_node(&mut self) -> Result<Value, Error> {
        let (anchor, tag) = self.properties(true)?;
        let mark = self.pos();
        let c = self.ch();
        let value = if matches!(c, ',' | ']' | '}') || (c == ':' && (blankz(self.at(1)) || flow_indicator(self.at(1))))
        {
            self.scalar(String::new(), true, tag.as_deref(), mark)?
        } else {
            let item = match self.item(true)? {
                Item::Plain(mut text) => {
                    self.plain_more(-1, true, &mut text)?;
                    Item::Plain(text)
                }
                item => item,
            };
            self.resolve(item, tag.as_deref(), mark)?
        };
        Ok(self.anchored(anchor, value))
    }
}

/// A set of key hashes (open addressing; 0 marks a free slot), so duplicate
/// keys are found without comparing each key with all before it. Not a
/// `BTreeSet`/`HashSet`: their code would cost more wasm than this.
#[derive(Default)]
struct Hashes {
    slots: Vec<u64>,
    used: usize,
}

impl Hashes {
    /// Adds a hash; false if it was there already.
    fn add(&mut self, hash: u64) -> bool {
        if self.used * 2 >= self.slots.len() {
            let size = (self.slots.len() * 2).max(16);
            let old = std::mem::replace(&mut self.slots, vec![0; size]);
            self.used = 0;
            old.into_iter().filter(|&h| h != 0).for_each(|h| {
                self.add(h);
            });
        }
        let hash = hash.max(1);
        let mask = self.slots.len() - 1;
        let mut at = hash as usize & mask;
        loop {
            match self.slots[at] {
                0 => {
                    self.slots[at] = hash;
                    self.used += 1;
                    return true;
                }
                h if h == hash => return false,
                _ => at = (at + 1) & mask,
            }
        }
    }
}

fn err_at<T>(mark: Mark, message: &str) -> Result<T, Error> {
    Err(Error { message: message.into(), path: None, line: mark.0, column: mark.1 })
}

/// A key as a path segment.
fn path_key(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => "?".into(),
    }
}

/// Height and node count, without recursion.
fn measure(value: &Value) -> (usize, usize) {
    let (mut height, mut nodes) = (0, 0);
    let mut stack = vec![(value, 1)];
    while let Some((v, depth)) = stack.pop() {
        height = height.max(depth);
        nodes += 1;
        match v {
            Value::Sequence(items) => stack.extend(items.iter().map(|i| (i, depth + 1))),
            Value::Mapping(map) => stack.extend(map.0.iter().flat_map(|(k, v)| [(k, depth + 1), (v, depth + 1)])),
            _ => {}
        }
    }
    (height, nodes)
}

fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

/// A plain scalar as serde_yaml resolved it: null, bool, integer, float or
/// string. Integers past u64/i64 were errors there (serde's u128/i128).
fn plain_value(text: String) -> Result<Value, String> {
    if is_null(&text) {
        return Ok(Value::Null);
    }
    match text.as_str() {
        "true" | "True" | "TRUE" => return Ok(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Ok(Value::Bool(false)),
        _ => {}
    }
    if let Some(n) = int(&text)? {
        return Ok(Value::Number(n));
    }
    Ok(match float(&text) {
        Some(f) if !leading_zero(&text) => Value::Number(Number::Float(f)),
        _ => Value::String(text),
    })
}

/// `012`: digits after a leading zero are a string in YAML 1.2.
fn leading_zero(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    digits.len() > 1 && digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Decimal, `0x`, `0o` or `0b` integers with an optional sign; `Err` for
/// those that fit only 128 bits, with serde's message.
fn int(text: &str) -> Result<Option<Number>, String> {
    let (negative, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (radix, digits) = match body.get(..2) {
        Some("0x") => (16, &body[2..]),
        Some("0o") => (8, &body[2..]),
        Some("0b") => (2, &body[2..]),
        _ if leading_zero(text) => return Ok(None),
        _ => (10, body),
    };
    if digits.is_empty() {
        return Ok(None);
    }
    let mut n: u128 = 0;
    for c in digits.chars() {
        let next = c.to_digit(radix).and_then(|d| n.checked_mul(u128::from(radix))?.checked_add(u128::from(d)));
        match next {
            Some(next) => n = next,
            None => return Ok(None),
        }
    }
    let too_big =
        |sign: &str, bits: &str| Err(format!("invalid type: integer `{sign}{n}` as {bits}, expected any YAML value"));
    if !negative {
        return match u64::try_from(n) {
            Ok(u) => Ok(Some(Number::PosInt(u))),
            Err(_) => too_big("", "u128"),
        };
    }
    match n {
        0 => Ok(Some(Number::PosInt(0))),
        _ if n <= 1 << 63 => Ok(Some(Number::NegInt((n as i128).wrapping_neg() as i64))),
        _ if n <= 1 << 127 => too_big("-", "i128"),
        _ => Ok(None),
    }
}

/// A finite float as serde_yaml printed it (ryu's shortest form: `1e3` →
/// `1000.0`, `.5` → `0.5`, `1e-7` → `1e-7`), from its decimal text without
/// float arithmetic (exact up to 15 significant digits); `None` if not a float.
fn float(text: &str) -> Option<String> {
    let (negative, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    match body {
        ".inf" | ".Inf" | ".INF" => return Some(if negative { "-.inf" } else { ".inf" }.into()),
        ".nan" | ".NaN" | ".NAN" if body.len() == text.len() => return Some(".nan".into()),
        _ => {}
    }
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if (whole.is_empty() && fraction.is_empty()) || !whole.bytes().chain(fraction.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut exp: i64 = 0;
    if let Some(e) = exponent {
        let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        exp = digits.bytes().fold(0, |n, b| (n * 10 + i64::from(b - b'0')).min(1_000_000));
        if e.starts_with('-') {
            exp = -exp;
        }
    }
    let all: String = whole.chars().chain(fraction.chars()).collect();
    exp -= fraction.len() as i64;
    let digits = all.trim_start_matches('0');
    let kept = digits.trim_end_matches('0');
    exp += (digits.len() - kept.len()) as i64;
    let sign = if negative { "-" } else { "" };
    let length = kept.len() as i64;
    let point = length + exp;
    if kept.is_empty() || point < -323 {
        return Some(format!("{sign}0.0"));
    }
    if point > 309 || (point == 309 && kept > "17976931348623157") {
        return None;
    }
    let zeros = |n: i64| "0".repeat(n as usize);
    Some(if exp >= 0 && point <= 16 {
        format!("{sign}{kept}{}.0", zeros(exp))
    } else if 0 < point && point <= 16 {
        format!("{sign}{}.{}", &kept[..point as usize], &kept[point as usize..])
    } else if -5 < point && point <= 0 {
        format!("{sign}0.{}{kept}", zeros(-point))
    } else if length == 1 {
        format!("{sign}{kept}e{}", point - 1)
    } else {
        format!("{sign}{}.{}e{}", &kept[..1], &kept[1..], point - 1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATEFULSET: &str = r#"apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
  labels: {app: visits}
spec:
  serviceName: visits
  replicas: 3
  selector:
    matchLabels:
      app: visits
  template:
    metadata:
      labels:
        app: visits
    spec:
      containers:
      - name: visits
        image: ghcr.io/example/visits:1.0
        args: ["--port", "8080"]
        ports:
        - {name: http, containerPort: 8080}
        resources:
          requests: {cpu: 0.5, memory: 64Mi}
        env:
        - name: GREETING
          value: 'hello, "world"'
        - name: SCRIPT
          value: |
            echo one
            echo two
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
"#;

    fn parse(text: &str) -> Value {
        from_str(text).unwrap_or_else(|e| panic!("{text:?}: {e}"))
    }

    fn at<'v>(value: &'v Value, path: &[&str]) -> &'v Value {
        path.iter().fold(value, |v, step| match step.parse::<usize>() {
            Ok(index) => v.get(index).unwrap(),
            Err(_) => v.get(*step).unwrap(),
        })
    }

    fn error(text: &str) -> (usize, usize, String) {
        let e = from_str(text).unwrap_err();
        (e.line(), e.column(), e.message())
    }

    /// FNV-32 as the StatefulSet controller hashes templates.
    struct Fnv32(u32);
    impl Hasher for Fnv32 {
        fn write(&mut self, bytes: &[u8]) {
            bytes.iter().for_each(|b| self.0 = self.0.wrapping_mul(0x0100_0193) ^ u32::from(*b));
        }
        fn write_usize(&mut self, n: usize) {
            self.write(&(n as u64).to_le_bytes())
        }
        fn finish(&self) -> u64 {
            u64::from(self.0)
        }
    }

    #[test]
    fn a_statefulset_manifest_reads_into_nested_values() {
        let v = parse(STATEFULSET);
        assert_eq!(at(&v, &["spec", "replicas"]).as_i64(), Some(3));
        let container = at(&v, &["spec", "template", "spec", "containers", "0"]);
        assert_eq!(container.get("image").and_then(Value::as_str), Some("ghcr.io/example/visits:1.0"));
        assert_eq!(at(container, &["args", "1"]).as_str(), Some("8080"), "quoted digits stay a string");
        assert_eq!(at(container, &["ports", "0", "containerPort"]).as_u64(), Some(8080));
        assert_eq!(at(container, &["resources", "requests", "cpu"]).to_string_lossy(), "0.5");
        assert_eq!(at(container, &["env", "0", "value"]).as_str(), Some("hello, \"world\""));
        assert_eq!(at(container, &["env", "1", "value"]).as_str(), Some("echo one\necho two\n"));
        assert_eq!(
            at(&v, &["spec", "volumeClaimTemplates", "0", "spec", "accessModes", "0"]).as_str(),
            Some("ReadWriteOnce")
        );
        let keys: Vec<_> = v.as_mapping().unwrap().keys().filter_map(Value::as_str).collect();
        assert_eq!(keys, ["apiVersion", "kind", "metadata", "spec"], "insertion order");
    }

    impl Value {
        fn to_string_lossy(&self) -> String {
            match self {
                Value::Number(n) => n.to_string(),
                other => format!("{other:?}"),
            }
        }
    }

    #[test]
    fn hashes_are_the_bytes_yaml_serde_hashed() {
        // Recorded with yaml_serde 0.10.7 before it was removed: revision names depend on them.
        for (text, expected) in [
            ("a: 1", 0x9118_7cbe),
            ("name: web\nlabels: {app: visits, tier: db}\nports: [80, -1, 1.5, true, null, \"x\"]", 0xab47_7ebe),
            ("- {b: 2, a: 1}\n- [x, [y]]\n- ~\n- -9223372036854775808\n- 18446744073709551615", 0x8eef_5b35),
            (STATEFULSET, 0x2a99_9957),
        ] {
            let mut hasher = Fnv32(0x811c_9dc5);
            parse(text).hash(&mut hasher);
            assert_eq!(hasher.0, expected, "{text}");
        }
        assert_eq!(parse("{a: 1, b: 2}"), parse("{b: 2, a: 1}"), "mappings compare regardless of order");
    }

    #[test]
    fn block_scalars_keep_or_fold_lines_and_chomp_as_told() {
        let v = parse("lit: |\n  a\n    b\n\n  c\nfold: >\n  one\n  two\n\n  three\n    indented\nstrip: |-\n  x\n\nkeep: |+\n  x\n\nind: |2\n   lead\n  x\nend: 1\n");
        assert_eq!(v.get("lit").and_then(Value::as_str), Some("a\n  b\n\nc\n"));
        assert_eq!(v.get("fold").and_then(Value::as_str), Some("one two\nthree\n  indented\n"));
        assert_eq!(v.get("strip").and_then(Value::as_str), Some("x"));
        assert_eq!(v.get("keep").and_then(Value::as_str), Some("x\n\n"));
        assert_eq!(v.get("ind").and_then(Value::as_str), Some(" lead\nx\n"));
        assert_eq!(
            parse("- |\n  in a list\n- >-\n  folded\n  line").get(1).and_then(Value::as_str),
            Some("folded line")
        );
    }

    #[test]
    fn flow_collections_and_json_read_like_block_ones() {
        assert_eq!(parse("{a: 1, b: [x, y]}"), parse("a: 1\nb:\n- x\n- y"));
        assert_eq!(parse("{\"spec\":{\"replicas\":2,\"x\":[]}}"), parse("spec:\n  replicas: 2\n  x: []"));
        assert_eq!(parse("[a, {b: c}, [d], ]"), parse("- a\n- b: c\n- [d]"));
        assert_eq!(parse("a: [b,\n  c]  # comment\n"), parse("a: [b, c]"));
        assert_eq!(parse("{a, b: }"), parse("{a: null, b: ~}"));
        assert_eq!(parse("[a: 1]"), parse("- {a: 1}"));
        assert_eq!(parse("key: http://host:8080/x, y"), parse("key: 'http://host:8080/x, y'"));
    }

    #[test]
    fn quoted_and_multi_line_scalars() {
        assert_eq!(
            parse(r#"a: "tab\tnl\nq\"bs\\u\u00e9x\x41e\U0001F600""#).get("a").and_then(Value::as_str),
            Some("tab\tnl\nq\"bs\\uéxAe😀")
        );
        assert_eq!(parse("a: 'it''s'").get("a").and_then(Value::as_str), Some("it's"));
        assert_eq!(parse("a: \"one\n  two\n\n  three\"").get("a").and_then(Value::as_str), Some("one two\nthree"));
        assert_eq!(parse("a: \"join\\\n  ed\"").get("a").and_then(Value::as_str), Some("joined"));
        assert_eq!(parse("a: plain\n  over\n  lines\nb: 1").get("a").and_then(Value::as_str), Some("plain over lines"));
        assert_eq!(parse("a: x#y # comment").get("a").and_then(Value::as_str), Some("x#y"));
    }

    #[test]
    fn scalars_resolve_as_serde_yaml_did() {
        let v = parse("[~, null, '', true, False, yes, on, 12, -3, +4, 0x1F, 0o17, 0b11, 012, 1_000, 1.5, 1e3, .5, -.inf, .nan, 2e400, !!str 5, !!int '7', !foo bar]");
        let shown: Vec<String> = v.as_sequence().unwrap().iter().map(Value::to_string_lossy).collect();
        assert_eq!(
            shown,
            [
                "Null",
                "Null",
                "String(\"\")",
                "Bool(true)",
                "Bool(false)",
                "String(\"yes\")",
                "String(\"on\")",
                "12",
                "-3",
                "4",
                "31",
                "15",
                "3",
                "String(\"012\")",
                "String(\"1_000\")",
                "1.5",
                "1000.0",
                "0.5",
                "-.inf",
                ".nan",
                "String(\"2e400\")",
                "String(\"5\")",
                "7",
                "String(\"bar\")",
            ]
        );
        assert!(parse("1.0").as_i64().is_none() && matches!(parse("1.0"), Value::Number(ref n) if n.is_f64()));
        assert_eq!(parse("18446744073709551615").as_u64(), Some(u64::MAX));
        assert_eq!(parse("-9223372036854775808").as_i64(), Some(i64::MIN));
        assert_eq!(
            error("spec:\n  replicas: 99999999999999999999"),
            (
                2,
                13,
                "spec.replicas: invalid type: integer `99999999999999999999` as u128, expected any YAML value".into()
            )
        );
        assert_eq!(error("a:\n- !!bool yes").2, "a[0]: invalid value: string \"yes\", expected a boolean");
    }

    #[test]
    fn anchors_aliases_and_their_limits() {
        let v = parse("base: &b {image: x, ports: [80]}\nweb: *b\nlist: [&n 1, *n]\n");
        assert_eq!(v.get("web"), v.get("base"));
        assert_eq!(v.get("list"), Some(&parse("[1, 1]")));
        assert_eq!(error("a: *nope"), (1, 4, "unknown anchor".into()));
        let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n";
        assert_eq!(error(bomb).2, "repetition limit exceeded");
        let deep = format!("a: {}{}", "[".repeat(200), "]".repeat(200));
        assert_eq!(error(&deep).2, "recursion limit exceeded");
        let nested =
            format!("a: &a {}{}\nb: {}*a{}", "[".repeat(100), "]".repeat(100), "[".repeat(100), "]".repeat(100));
        assert_eq!(error(&nested).2, "recursion limit exceeded", "an alias's depth counts where it is used");
    }

    #[test]
    fn documents_markers_directives_and_comments() {
        assert_eq!(parse("%YAML 1.2\n---\n# c\na: 1 # c\n...\n"), parse("a: 1"));
        assert_eq!(parse("--- |\n  text\n").as_str(), Some("text\n"));
        assert_eq!(parse("# only a comment\n"), Value::Null);
        assert_eq!(parse("a:\r\n  - b\r\n"), parse("a: [b]"));
        assert_eq!(
            error("a: 1\n---\nb: 2").2,
            "deserializing from YAML containing more than one document is not supported"
        );
    }

    #[test]
    fn errors_say_what_and_where() {
        for (text, expected) in [
            ("kind: Service\nspec:\n  replicas: 3\n bad: indent\n", (4, 2, "did not find expected key")),
            ("a: b: c", (1, 5, "mapping values are not allowed in this context")),
            ("a: b\n  c: d", (2, 4, "mapping values are not allowed in this context")),
            ("a: 1\nfoo\nb: 2", (2, 1, "could not find expected ':'")),
            ("- 'a'\n  - b", (2, 3, "did not find expected '-' indicator")),
            ("a: - b", (1, 4, "block sequence entries are not allowed in this context")),
            ("a: \"open", (1, 9, "found unexpected end of stream")),
            ("a: [1, 2\nb: 3", (2, 2, "did not find expected ',' or ']'")),
            ("a: {b: \"1\" c}", (1, 12, "did not find expected ',' or '}'")),
            ("a: @x", (1, 4, "found character that cannot start any token")),
            ("\tkey: v", (1, 1, "found character that cannot start any token")),
            ("a: \"\\q\"", (1, 5, "found unknown escape character")),
            ("a: 1\nb: 2\na: 3", (3, 1, "duplicate entry with key \"a\"")),
            ("m:\n  {x: 1, x: 2}", (2, 10, "m: duplicate entry with key \"x\"")),
            ("a: |\n  x\n\ty", (3, 1, "found a tab character where an indentation space is expected")),
            ("a: \u{1}", (1, 4, "control characters are not allowed")),
        ] {
            let (line, column, message) = error(text);
            assert_eq!((line, column, message.as_str()), expected, "{text:?}");
        }
        let e = from_str("a:\n  b: [x,\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("did not find expected ',' or ']' at line {} column {}", e.line(), e.column())
        );
    }

    #[test]
    fn never_panics_on_junk() {
        let alphabet: Vec<char> = " \n\t-:?,[]{}#&*!|>'\"%@`\\abc019.~\u{e9}".chars().collect();
        let mut rng = oorandom::Rand64::new(42);
        for _ in 0..20_000 {
            let len = rng.rand_range(0..40) as usize;
            let text: String = (0..len).map(|_| alphabet[rng.rand_range(0..alphabet.len() as u64) as usize]).collect();
            if let Err(e) = from_str(&text) {
                assert!(e.line() >= 1 && e.column() >= 1 && !e.message().is_empty(), "{text:?}");
            }
        }
    }

    #[test]
    fn a_large_document_parses() {
        let text: String =
            (0..20_000).map(|i| format!("key{i}:\n  - {{name: n{i}, value: \"v\"}}\n  - |\n    text\n")).collect();
        let v = parse(&text);
        assert_eq!(v.as_mapping().map(Mapping::len), Some(20_000));
    }

    #[test]
    fn deep_nesting_stays_within_a_small_stack() {
        // The browser's wasm stack is 1 MiB; leave room for the callers. Optimised
        // code (the wasm build, `cargo test --release`) must fit in 256 KiB; unoptimised
        // frames are several times larger, so a debug run gets 2 MiB.
        let stack = if cfg!(debug_assertions) { 2048 } else { 256 } * 1024;
        let deep_block: String = (0..120).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        let deep_flow = format!("{}{}", "[".repeat(120), "]".repeat(120));
        let deep_seq = format!("{}x", "- ".repeat(120));
        let run = std::thread::Builder::new()
            .stack_size(stack)
            .spawn(move || [deep_block, deep_flow, deep_seq].iter().all(|t| from_str(t).is_ok()));
        assert!(run.unwrap().join().unwrap());
    }
}
