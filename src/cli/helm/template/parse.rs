//! Go's text/template syntax (text/template/parse): the lexer and the parser, to
//! a tree of [`Node`]s. Errors carry the line, as Go's do
//! (`template: NAME:LINE: unexpected "}" in operand`).

use std::collections::BTreeMap;

use super::funcs::go_quote;
pub use super::lex::{column_of, line_of};
use super::lex::{describe, lex, Token};

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
            let pos = self.pos();
            match self.next() {
                None => break None,
                Some(Token::Text(text)) => nodes.push(Node::Text(text)),
                Some(Token::Open) => {
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
