//! The parser: one document's characters to a [`Value`], libyaml's way, with its
//! error words and 1-based positions. One state machine over block and flow
//! context; it goes when yaml_serde comes back (issue 19).

use super::resolve::*;
use super::*;

/// Parses one document's characters (control characters already refused).
pub(super) fn parse_document(s: Vec<char>) -> Result<Value, Error> {
    Parser { s, i: 0, line: 1, ls: 0, depth: 0, anchors: Vec::new(), aliased: 0 }.document()
}

pub(super) type Mark = (usize, usize);

/// A scalar or collection met inline; plain scalars stay text until they are
/// known to be complete (and to be a key or a value).
pub(super) enum Item {
    Value(Value),
    Quoted(String),
    Plain(String),
}

pub(super) fn blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Blank, line break or end of input (`'\0'`: control characters are refused up front).
pub(super) fn blankz(c: char) -> bool {
    blank(c) || c == '\n' || c == '\0'
}

pub(super) fn flow_indicator(c: char) -> bool {
    matches!(c, ',' | '[' | ']' | '{' | '}')
}

pub(super) struct Parser {
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
pub(super) struct Hashes {
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

pub(super) fn err_at<T>(mark: Mark, message: &str) -> Result<T, Error> {
    Err(Error { message: message.into(), path: None, line: mark.0, column: mark.1 })
}

/// A key as a path segment.
pub(super) fn path_key(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => "?".into(),
    }
}

/// Height and node count, without recursion.
pub(super) fn measure(value: &Value) -> (usize, usize) {
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
