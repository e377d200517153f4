//! Go's text/template syntax (text/template/parse): the lexer and the parser, to
//! a tree of [`Node`]s. Errors carry the line, as Go's do
//! (`template: NAME:LINE: unexpected "}" in operand`).

use std::collections::BTreeMap;

use super::funcs::go_quote;

/// A piece of a template.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Text(String),
    /// `{{ pipeline }}`: prints the value unless the pipeline declares variables.
    Action(Pipe),
    If(Branch),
    Range(Branch),
    With(Branch),
    /// `{{ template "name" pipeline }}`.
    Template {
        pos: usize,
        name: String,
        pipe: Option<Pipe>,
    },
    /// `{{break}}` / `{{continue}}` (their byte offsets).
    Break(usize),
    Continue(usize),
}

/// `if`, `range` and `with`: the pipeline, its body and the `else` part.
#[derive(Debug, Clone, PartialEq)]
pub struct Branch {
    pub pipe: Pipe,
    pub body: Vec<Node>,
    pub otherwise: Vec<Node>,
}

/// `$x := a | b c`: declared (or assigned) variables and the commands.
#[derive(Debug, Clone, PartialEq)]
pub struct Pipe {
    /// Byte offset in the template's text.
    pub pos: usize,
    pub variables: Vec<String>,
    /// `=` rather than `:=`.
    pub assign: bool,
    pub commands: Vec<Vec<Operand>>,
}

/// An operand and where it is written (for `executing "NAME" at <.Values.x>`).
#[derive(Debug, Clone, PartialEq)]
pub struct Operand {
    pub arg: Arg,
    pub pos: usize,
}

/// One operand of a command.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// `.` followed by fields: `.Values.image` is `["Values", "image"]`; `.` alone is empty.
    Field(Vec<String>),
    /// `$name.field…` (`$` alone is the root).
    Variable(String, Vec<String>),
    /// A function's name.
    Function(String),
    /// `(pipeline).field…`.
    Pipe(Box<Pipe>, Vec<String>),
    Str(String),
    Int(i64),
    /// A float's text.
    Float(String),
    Bool(bool),
    Nil,
}

/// A parse error: `template: NAME:LINE: MESSAGE`.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub name: String,
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "template: {}:{}: {}", self.name, self.line, self.message)
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Text(String),
    /// `{{` (its byte offset), `}}`.
    Open(usize, usize),
    Close,
    Space,
    Ident(String),
    Field(String),
    Variable(String),
    Str(String),
    Number(String),
    Char(char),
    LeftParen,
    RightParen,
    Pipe,
    Declare,
    Assign,
    Comma,
    /// A character no other token takes (`}` alone, `@`…).
    Other(char),
    /// What the lexer could not read, and why.
    Error(String),
}

/// Splits `text` into tokens with their byte offsets, trimming around `{{-` and `-}}`.
fn lex(name: &str, text: &str) -> Result<Vec<(Token, usize)>, ParseError> {
    let _ = name;
    let mut tokens: Vec<(Token, usize)> = Vec::new();
    // An error ends the tokens: the parser reports it when it gets there, after any
    // error it meets first (as Go's lexer and parser take turns).
    macro_rules! fail {
        ($pos:expr, $message:expr) => {{
            tokens.push((Token::Error($message), $pos));
            return Ok(tokens);
        }};
    }
    let mut rest = text;
    let mut trim_next = false;
    while !rest.is_empty() {
        let offset = text.len() - rest.len();
        let (before, after) = match rest.find("{{") {
            Some(i) => (&rest[..i], Some(&rest[i..])),
            None => (rest, None),
        };
        let mut literal = if trim_next { before.trim_start() } else { before };
        let Some(action) = after else {
            if !literal.is_empty() {
                tokens.push((Token::Text(literal.to_string()), offset));
            }
            break;
        };
        let open = offset + before.len();
        let mut body = &action[2..];
        if body.starts_with("- ") || body.starts_with("-\t") || body.starts_with("-\n") || body.starts_with("-\r") {
            literal = literal.trim_end();
            body = &body[1..];
        }
        if !literal.is_empty() {
            tokens.push((Token::Text(literal.to_string()), offset));
        }
        let body_at = text.len() - body.len();
        // A comment: `{{/* … */}}`, with optional trim markers around it.
        let trimmed = body.trim_start();
        if trimmed.starts_with("/*") {
            let Some(end) = trimmed.find("*/") else { fail!(open, "unclosed comment".into()) };
            let after_comment = &trimmed[end + 2..];
            let (close, trims) = if let Some(r) = after_comment.strip_prefix(" -}}") {
                (r, true)
            } else if let Some(r) = after_comment.strip_prefix("}}") {
                (r, false)
            } else {
                fail!(open, "comment ends before closing delimiter".into());
            };
            trim_next = trims;
            rest = close;
            continue;
        }
        tokens.push((Token::Open(open, 0), open));
        let mut chars = body.char_indices().peekable();
        let close_at = loop {
            let Some((i, c)) = chars.next() else {
                fail!(open, "unclosed action".into());
            };
            let at = body_at + i;
            let here = &body[i..];
            if here.starts_with("}}") {
                break (i + 2, false);
            }
            if is_trim_close(here) && tokens.last().is_some_and(|(t, _)| !matches!(t, Token::Open(..))) {
                break (i + 4, true);
            }
            let token = match c {
                ' ' | '\t' | '\r' | '\n' => {
                    while let Some(&(next_at, next)) = chars.peek() {
                        if !matches!(next, ' ' | '\t' | '\r' | '\n') || is_trim_close(&body[next_at..]) {
                            break;
                        }
                        chars.next();
                    }
                    Token::Space
                }
                '(' => Token::LeftParen,
                ')' => Token::RightParen,
                '|' => Token::Pipe,
                ',' => Token::Comma,
                '=' => Token::Assign,
                ':' => {
                    if chars.next_if(|&(_, n)| n == '=').is_none() {
                        fail!(at, "expected :=".into());
                    }
                    Token::Declare
                }
                '"' => {
                    let mut value = String::new();
                    loop {
                        match chars.next() {
                            None | Some((_, '\n')) => fail!(at, "unterminated quoted string".into()),
                            Some((_, '"')) => break,
                            Some((_, '\\')) => match chars.next().map(|p| p.1) {
                                Some('n') => value.push('\n'),
                                Some('t') => value.push('\t'),
                                Some('r') => value.push('\r'),
                                Some('\\') => value.push('\\'),
                                Some('"') => value.push('"'),
                                Some('\'') => value.push('\''),
                                Some('0') => value.push('\0'),
                                _ => fail!(at, "invalid syntax".into()),
                            },
                            Some((_, other)) => value.push(other),
                        }
                    }
                    Token::Str(value)
                }
                '`' => {
                    let mut value = String::new();
                    loop {
                        match chars.next() {
                            None => fail!(at, "unterminated raw quoted string".into()),
                            Some((_, '`')) => break,
                            Some((_, other)) => value.push(other),
                        }
                    }
                    Token::Str(value)
                }
                '\'' => {
                    let value = match chars.next() {
                        Some((_, '\\')) => match chars.next().map(|p| p.1) {
                            Some('n') => '\n',
                            Some('t') => '\t',
                            Some(other) => other,
                            None => fail!(at, "unterminated character constant".into()),
                        },
                        Some((_, other)) => other,
                        None => fail!(at, "unterminated character constant".into()),
                    };
                    if chars.next().map(|p| p.1) != Some('\'') {
                        fail!(at, "unterminated character constant".into());
                    }
                    Token::Char(value)
                }
                '.' if chars.peek().is_none_or(|&(_, n)| !n.is_ascii_digit()) => {
                    let mut field = String::new();
                    while let Some((_, n)) = chars.next_if(|&(_, n)| n.is_alphanumeric() || n == '_') {
                        field.push(n);
                    }
                    Token::Field(field)
                }
                '$' => {
                    let mut variable = String::from("$");
                    while let Some((_, n)) = chars.next_if(|&(_, n)| n.is_alphanumeric() || n == '_') {
                        variable.push(n);
                    }
                    Token::Variable(variable)
                }
                c if c.is_ascii_digit() || c == '-' || c == '+' || c == '.' => {
                    let mut number = c.to_string();
                    while let Some((_, n)) = chars.next_if(|&(_, n)| n.is_ascii_alphanumeric() || n == '.' || n == '_')
                    {
                        number.push(n);
                    }
                    Token::Number(number)
                }
                c if c.is_alphabetic() || c == '_' => {
                    let mut ident = c.to_string();
                    while let Some((_, n)) = chars.next_if(|&(_, n)| n.is_alphanumeric() || n == '_') {
                        ident.push(n);
                    }
                    Token::Ident(ident)
                }
                // Go's lexer passes other printable ASCII on for the parser to refuse.
                other if other.is_ascii_graphic() => Token::Other(other),
                other => {
                    let code = format!("U+{:04X}", u32::from(other));
                    fail!(at, format!("unrecognized character in action: {code} '{other}'"));
                }
            };
            tokens.push((token, at));
        };
        tokens.push((Token::Close, body_at + close_at.0));
        trim_next = close_at.1;
        rest = &body[close_at.0..];
    }
    Ok(tokens)
}

/// ` -}}`: a close that trims the text after it.
fn is_trim_close(text: &str) -> bool {
    text.len() >= 4 && matches!(text.as_bytes()[0], b' ' | b'\t' | b'\n' | b'\r') && text[1..].starts_with("-}}")
}

/// The 1-based line of byte offset `pos`.
pub fn line_of(text: &str, pos: usize) -> usize {
    1 + text.as_bytes()[..pos.min(text.len())].iter().filter(|&&b| b == b'\n').count()
}

/// Go's column in errors: the byte offset within the line (0-based), as
/// text/template's `ErrorContext` counts it.
pub fn column_of(text: &str, pos: usize) -> usize {
    let before = &text.as_bytes()[..pos.min(text.len())];
    match before.iter().rposition(|&b| b == b'\n') {
        Some(newline) => pos - newline - 1,
        None => pos,
    }
}

/// Parses a template's text into its main tree and the templates it defines.
pub fn parse(name: &str, text: &str) -> Result<(Vec<Node>, BTreeMap<String, Vec<Node>>), ParseError> {
    let tokens = lex(name, text)?;
    let mut parser =
        Parser { name, text, tokens, at: 0, defined: BTreeMap::new(), depth: 0, variables: vec!["$".into()] };
    let (body, end) = parser.list()?;
    if let Some((keyword, pos)) = end {
        return Err(parser.error_at(pos, format!("unexpected {{{{{keyword}}}}}")));
    }
    Ok((body, parser.defined))
}

struct Parser<'a> {
    name: &'a str,
    text: &'a str,
    tokens: Vec<(Token, usize)>,
    at: usize,
    defined: BTreeMap<String, Vec<Node>>,
    depth: usize,
    /// Variables in scope (Go checks them when it parses).
    variables: Vec<String>,
}

/// How a list ended: `{{end}}` or `{{else …}}`, and where.
type Ended = Option<(String, usize)>;

/// Deeper nesting is refused (Go's parser has no limit, but the stack here does).
const MAX_NESTING: usize = 100;

impl Parser<'_> {
    fn error_at(&self, pos: usize, message: String) -> ParseError {
        ParseError { name: self.name.to_string(), line: line_of(self.text, pos), message }
    }
    fn error_here(&self, message: String) -> ParseError {
        self.error_at(self.pos(), message)
    }
    fn pos(&self) -> usize {
        self.tokens.get(self.at).map_or(self.text.len(), |t| t.1)
    }
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at).map(|t| &t.0)
    }
    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).map(|t| t.0.clone());
        self.at += 1;
        token
    }
    fn skip_space(&mut self) {
        while self.peek() == Some(&Token::Space) {
            self.at += 1;
        }
    }
    /// The lexer's error, once the parser reaches it.
    fn lexed(&self) -> Result<(), ParseError> {
        match self.peek() {
            Some(Token::Error(message)) => Err(self.error_here(message.clone())),
            _ => Ok(()),
        }
    }
    fn expect_close(&mut self, context: &str) -> Result<(), ParseError> {
        self.skip_space();
        self.lexed()?;
        let pos = self.pos();
        match self.next() {
            Some(Token::Close) => Ok(()),
            other => Err(self.error_at(pos, format!("unexpected {} in {context}", describe(other.as_ref())))),
        }
    }
    fn expect_end(&self, ended: Ended, context: &str) -> Result<(), ParseError> {
        match ended {
            Some((word, _)) if word == "end" => Ok(()),
            Some((word, pos)) => {
                let _ = context;
                Err(self.error_at(pos, format!("expected end; found {{{{{word}}}}}")))
            }
            None => Err(self.error_here("unexpected EOF".into())),
        }
    }

    /// Nodes up to `{{end}}` or `{{else}}` (returned), or the end of the text.
    fn list(&mut self) -> Result<(Vec<Node>, Ended), ParseError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.error_here("template is nested too deeply".into()));
        }
        let mut nodes = Vec::new();
        let ended = loop {
            self.lexed()?;
            match self.next() {
                None => break None,
                Some(Token::Text(text)) => nodes.push(Node::Text(text)),
                Some(Token::Open(pos, _)) => {
                    self.skip_space();
                    self.lexed()?;
                    let keyword = match self.peek() {
                        Some(Token::Ident(word)) => word.clone(),
                        _ => String::new(),
                    };
                    match keyword.as_str() {
                        "end" => {
                            self.at += 1;
                            self.expect_close("end")?;
                            break Some(("end".into(), pos));
                        }
                        "else" => {
                            self.at += 1;
                            break Some(("else".into(), pos));
                        }
                        "if" | "range" | "with" => {
                            self.at += 1;
                            nodes.push(self.branch(&keyword, pos)?);
                        }
                        "define" | "block" => {
                            self.at += 1;
                            nodes.extend(self.define(&keyword, pos)?);
                        }
                        "template" => {
                            self.at += 1;
                            nodes.push(self.template(pos)?);
                        }
                        "break" | "continue" => {
                            self.at += 1;
                            self.expect_close(&keyword)?;
                            nodes.push(if keyword == "break" { Node::Break(pos) } else { Node::Continue(pos) });
                        }
                        _ => nodes.push(Node::Action(self.pipeline("command")?)),
                    }
                }
                Some(other) => return Err(self.error_here(format!("unexpected {}", describe(Some(&other))))),
            }
        };
        self.depth -= 1;
        Ok((nodes, ended))
    }

    /// `if`/`range`/`with` PIPELINE }} LIST [{{else [if|with] …}} LIST] {{end}}.
    fn branch(&mut self, keyword: &str, pos: usize) -> Result<Node, ParseError> {
        // Variables declared in the pipeline or the body end with the `{{end}}`.
        let scope = self.variables.len();
        let node = self.branch_in_scope(keyword, pos);
        self.variables.truncate(scope);
        node
    }

    fn branch_in_scope(&mut self, keyword: &str, pos: usize) -> Result<Node, ParseError> {
        let pipe = self.pipeline(keyword)?;
        if pipe.commands.is_empty() {
            return Err(self.error_at(pos, format!("missing value for {keyword}")));
        }
        let (body, ended) = self.list()?;
        let otherwise = match ended {
            Some((word, _)) if word == "end" => Vec::new(),
            Some((_, else_pos)) => {
                self.skip_space();
                // `{{else if …}}` / `{{else with …}}`: a nested branch sharing the `{{end}}`.
                match self.peek() {
                    Some(Token::Ident(word)) if (word == "if" || word == "with") && word == keyword => {
                        let word = word.clone();
                        self.at += 1;
                        vec![self.branch(&word, else_pos)?]
                    }
                    _ => {
                        self.expect_close("else")?;
                        let (otherwise, ended) = self.list()?;
                        self.expect_end(ended, keyword)?;
                        otherwise
                    }
                }
            }
            None => return Err(self.error_here("unexpected EOF".into())),
        };
        let branch = Branch { pipe, body, otherwise };
        Ok(match keyword {
            "if" => Node::If(branch),
            "range" => Node::Range(branch),
            _ => Node::With(branch),
        })
    }

    /// `define "name" }} LIST {{end}}`, or `block "name" PIPELINE }} LIST {{end}}`
    /// (a define plus a `template` call in place).
    fn define(&mut self, keyword: &str, pos: usize) -> Result<Option<Node>, ParseError> {
        self.skip_space();
        let name = match self.next() {
            Some(Token::Str(name)) => name,
            other => {
                let message = format!("unexpected {} in {keyword} clause", describe(other.as_ref()));
                return Err(self.error_at(pos, message));
            }
        };
        let pipe = if keyword == "block" {
            let pipe = self.pipeline("block clause")?;
            (!pipe.commands.is_empty()).then_some(pipe)
        } else {
            self.expect_close("define clause")?;
            None
        };
        let outer = std::mem::replace(&mut self.variables, vec!["$".into()]);
        let listed = self.list();
        self.variables = outer;
        let (body, ended) = listed?;
        self.expect_end(ended, keyword)?;
        self.defined.insert(name.clone(), body);
        Ok((keyword == "block").then_some(Node::Template { pos, name, pipe }))
    }

    /// `template "name" [PIPELINE]`.
    fn template(&mut self, pos: usize) -> Result<Node, ParseError> {
        self.skip_space();
        // Go places a template call at its name.
        let pos = if self.peek().is_some() { self.pos() } else { pos };
        let name = match self.next() {
            Some(Token::Str(name)) => name,
            other => {
                let message = format!("unexpected {} in template clause", describe(other.as_ref()));
                return Err(self.error_at(pos, message));
            }
        };
        let pipe = self.pipeline("template clause")?;
        Ok(Node::Template { pos, name, pipe: (!pipe.commands.is_empty()).then_some(pipe) })
    }

    /// `[$a[, $b] :=|=] command [| command…]` up to `}}` (or `)` when nested).
    fn pipeline(&mut self, context: &str) -> Result<Pipe, ParseError> {
        let nested = context == "parenthesized pipeline";
        self.skip_space();
        let mut pipe = Pipe { pos: self.pos(), variables: Vec::new(), assign: false, commands: Vec::new() };
        // Declarations: `$x :=`, `$x =`, or in a range `$i, $v :=`.
        let mark = self.at;
        let mut names = Vec::new();
        while let Some(Token::Variable(name)) = self.peek().cloned() {
            self.at += 1;
            self.skip_space();
            match self.peek() {
                Some(Token::Assign) if !self.variables.contains(&name) => {
                    return Err(self.error_here(format!("undefined variable {}", go_quote(&name))));
                }
                Some(Token::Declare | Token::Assign) => {
                    names.push(name);
                    pipe.assign = self.peek() == Some(&Token::Assign);
                    self.at += 1;
                    pipe.variables = std::mem::take(&mut names);
                    break;
                }
                Some(Token::Comma) if context == "range" && names.is_empty() => {
                    names.push(name);
                    self.at += 1;
                    self.skip_space();
                }
                Some(Token::Comma) if context == "range" => {
                    return Err(self.error_here("too many declarations in range".into()));
                }
                _ => break,
            }
        }
        if pipe.variables.is_empty() {
            self.at = mark;
        }
        loop {
            self.skip_space();
            self.lexed()?;
            if !nested && matches!(self.peek(), Some(Token::RightParen)) {
                return Err(self.error_here(format!("unexpected \")\" in {context}")));
            }
            self.skip_space();
            match self.peek() {
                Some(Token::Close) if !nested => {
                    self.at += 1;
                    break;
                }
                Some(Token::RightParen) if nested => break,
                Some(Token::Close) => return Err(self.error_here("unclosed left paren".into())),
                None => return Err(self.error_here("unclosed action".into())),
                _ => {}
            }
            pipe.commands.push(self.command(context)?);
            self.skip_space();
            match self.peek() {
                Some(Token::Pipe) => {
                    self.at += 1;
                    self.skip_space();
                    if matches!(self.peek(), Some(Token::Close | Token::RightParen) | None) {
                        return Err(self.error_here("missing command".into()));
                    }
                }
                Some(Token::Close) => {}
                Some(Token::RightParen) if nested => {}
                other => {
                    let message = format!("unexpected {} in {context}", describe(other));
                    return Err(self.error_here(message));
                }
            }
        }
        if !pipe.variables.is_empty() && pipe.commands.is_empty() {
            return Err(self.error_at(pipe.pos, "missing value for command".into()));
        }
        // Go's checkPipeline: a constant can only start a pipeline.
        for (stage, command) in pipe.commands.iter().enumerate().skip(1) {
            if matches!(command[0].arg, Arg::Str(_) | Arg::Int(_) | Arg::Float(_) | Arg::Bool(_) | Arg::Nil)
                || matches!(&command[0].arg, Arg::Field(fields) if fields.is_empty())
            {
                return Err(self.error_at(pipe.pos, format!("non executable command in pipeline stage {}", stage + 1)));
            }
        }
        // The declared variables come into scope after the pipeline.
        self.variables.extend(pipe.variables.iter().filter(|_| !pipe.assign).cloned());
        Ok(pipe)
    }

    /// Operands up to `|`, `}}` or `)`.
    fn command(&mut self, context: &str) -> Result<Vec<Operand>, ParseError> {
        let mut args = Vec::new();
        loop {
            self.skip_space();
            self.lexed()?;
            if matches!(self.peek(), None | Some(Token::Close | Token::Pipe | Token::RightParen)) {
                break;
            }
            let pos = self.pos();
            let mut pos = pos;
            let arg = match self.next() {
                Some(Token::Field(first)) => {
                    let mut fields = if first.is_empty() { Vec::new() } else { vec![first] };
                    let (chain_pos, chain) = self.chained();
                    if !chain.is_empty() {
                        pos = chain_pos;
                    }
                    fields.extend(chain);
                    Arg::Field(fields)
                }
                Some(Token::Variable(name)) => {
                    if !self.variables.contains(&name) {
                        return Err(self.error_at(pos, format!("undefined variable {}", go_quote(&name))));
                    }
                    let (chain_pos, chain) = self.chained();
                    if !chain.is_empty() {
                        pos = chain_pos;
                    }
                    Arg::Variable(name, chain)
                }
                Some(Token::Ident(word)) => match word.as_str() {
                    "true" => Arg::Bool(true),
                    "false" => Arg::Bool(false),
                    "nil" => Arg::Nil,
                    "if" | "else" | "end" | "range" | "with" | "define" | "template" | "block" | "break"
                    | "continue" => return Err(self.error_at(pos, format!("unexpected <{word}> in {context}"))),
                    _ => Arg::Function(word),
                },
                Some(Token::Str(text)) => Arg::Str(text),
                Some(Token::Char(c)) => Arg::Int(i64::from(u32::from(c))),
                Some(Token::Number(text)) => number(&text)
                    .ok_or_else(|| self.error_at(pos, format!("bad number syntax: {}", go_quote(&text))))?,
                Some(Token::LeftParen) => {
                    self.depth += 1;
                    if self.depth > MAX_NESTING {
                        return Err(self.error_at(pos, "template is nested too deeply".into()));
                    }
                    let pipe = self.pipeline("parenthesized pipeline");
                    self.depth -= 1;
                    let pipe = pipe?;
                    if self.next() != Some(Token::RightParen) {
                        return Err(self.error_at(pos, "unclosed left paren".into()));
                    }
                    let (chain_pos, chain) = self.chained();
                    if !chain.is_empty() {
                        pos = chain_pos;
                    }
                    Arg::Pipe(Box::new(pipe), chain)
                }
                other if args.is_empty() => {
                    return Err(self.error_at(pos, format!("unexpected {} in {context}", describe(other.as_ref()))))
                }
                other => return Err(self.error_at(pos, format!("unexpected {} in operand", describe(other.as_ref())))),
            };
            args.push(Operand { arg, pos });
            self.lexed()?;
            // Operands are separated by spaces.
            if !matches!(self.peek(), None | Some(Token::Space | Token::Close | Token::Pipe | Token::RightParen)) {
                let message = format!("unexpected {} in operand", describe(self.peek()));
                return Err(self.error_here(message));
            }
        }
        if args.is_empty() {
            return Err(self.error_here("missing value for command".into()));
        }
        Ok(args)
    }

    /// `.a.b` right after an operand, and where it starts (Go places the operand there).
    fn chained(&mut self) -> (usize, Vec<String>) {
        let pos = self.pos();
        (pos, self.field_chain())
    }

    /// `.a.b` right after an operand.
    fn field_chain(&mut self) -> Vec<String> {
        let mut fields = Vec::new();
        while let Some(Token::Field(name)) = self.peek() {
            if name.is_empty() {
                break;
            }
            fields.push(name.clone());
            self.at += 1;
        }
        fields
    }
}

/// Go's numbers: decimal, `0x` hex, `0o`/`0` octal, `0b` binary, with `_`; floats kept as text.
fn number(text: &str) -> Option<Arg> {
    let clean = text.replace('_', "");
    let (negative, digits) = match clean.strip_prefix('-') {
        Some(rest) => (true, rest.to_string()),
        None => (false, clean.trim_start_matches('+').to_string()),
    };
    let parsed = if let Some(hex) = digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")) {
        i64::from_str_radix(hex, 16).ok()
    } else if let Some(bin) = digits.strip_prefix("0b").or_else(|| digits.strip_prefix("0B")) {
        i64::from_str_radix(bin, 2).ok()
    } else if let Some(oct) = digits.strip_prefix("0o").or_else(|| digits.strip_prefix("0O")) {
        i64::from_str_radix(oct, 8).ok()
    } else if digits.len() > 1 && digits.starts_with('0') && digits.chars().all(|c| c.is_ascii_digit()) {
        i64::from_str_radix(&digits[1..], 8).ok()
    } else {
        digits.parse::<i64>().ok()
    };
    match parsed {
        Some(n) => Some(Arg::Int(if negative { -n } else { n })),
        None if is_float(&digits) => Some(Arg::Float(clean)),
        None => None,
    }
}

fn is_float(text: &str) -> bool {
    let mut seen_digit = false;
    let mut seen_dot = false;
    let mut seen_exp = false;
    let mut previous = ' ';
    for c in text.chars() {
        match c {
            '0'..='9' => seen_digit = true,
            '.' if !seen_dot && !seen_exp => seen_dot = true,
            'e' | 'E' if seen_digit && !seen_exp => seen_exp = true,
            '+' | '-' if matches!(previous, 'e' | 'E') => {}
            _ => return false,
        }
        previous = c;
    }
    seen_digit && (seen_dot || seen_exp)
}

/// How Go's parser names a token in "unexpected …" (its item's String: quoted,
/// keywords in angle brackets, long values cut at ten characters).
fn describe(token: Option<&Token>) -> String {
    let Some(token) = token else { return "EOF".into() };
    let text = match token {
        Token::Close => return "\"}}\"".into(),
        Token::Ident(word) if is_keyword(word) => return format!("<{word}>"),
        Token::Str(s) => go_quote_text(s),
        other => token_text(other),
    };
    if text.chars().count() > 10 {
        let cut: String = text.chars().take(10).collect();
        format!("{}...", go_quote(&cut))
    } else {
        go_quote(&text)
    }
}

fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "block" | "break" | "continue" | "define" | "else" | "end" | "if" | "range" | "nil" | "template" | "with"
    )
}

fn go_quote_text(text: &str) -> String {
    go_quote(text)
}

fn token_text(token: &Token) -> String {
    match token {
        Token::Text(t) => t.clone(),
        Token::Open(..) => String::new(),
        Token::Close => "}}".into(),
        Token::Space => " ".into(),
        Token::Ident(s) | Token::Number(s) | Token::Variable(s) => s.clone(),
        Token::Field(s) => format!(".{s}"),
        Token::Str(s) => go_quote(s),
        Token::Char(c) => format!("'{c}'"),
        Token::LeftParen => "(".into(),
        Token::RightParen => ")".into(),
        Token::Pipe => "|".into(),
        Token::Declare => ":=".into(),
        Token::Assign => "=".into(),
        Token::Comma => ",".into(),
        Token::Other(c) => c.to_string(),
        Token::Error(message) => message.clone(),
    }
}
