//! Executes parsed templates as Go's text/template does (text/template/exec.go):
//! the dot, variables, pipelines with the previous result as the last argument,
//! `if`/`with`/`range` truth, `template` calls, and errors with their place
//! (`template: NAME:LINE:COL: executing "NAME" at <.Values.x.y>: nil pointer
//! evaluating interface {}.y`).
//!
//! Bounded, since a learner's template runs in the page: template, include and
//! tpl calls nest at most [`MAX_DEPTH`] deep, and one render takes at most
//! [`MAX_STEPS`] steps and writes at most [`MAX_OUTPUT`] bytes.

use super::files;
use super::funcs::{self, go_quote};
use super::parse::{column_of, line_of, Arg, Branch, Node, Operand, Pipe};
use super::Templates;
use crate::core::api::yaml::{Mapping, Value};

/// Nested `template`/`include`/`tpl` calls. Helm allows 1000 references and Go
/// 100000 levels; here the page's stack decides.
pub const MAX_DEPTH: usize = 32;
/// Steps of one render (actions, loop turns, function calls).
pub const MAX_STEPS: u64 = 2_000_000;
/// Bytes one render may write.
pub const MAX_OUTPUT: usize = 4 * 1024 * 1024;
/// Stack one render may use for nested calls (the page's whole stack is 1 MiB;
/// a debug build's frames are several times a release build's).
const STACK_BUDGET: usize = 384 * 1024;

/// Where the stack is now (it grows down, natively and in wasm's linear memory).
#[inline(never)]
fn stack_position() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker as *const u8 as usize)
}

/// Why a render failed, in Go's words.
#[derive(Debug, Clone, PartialEq)]
pub struct ExecError {
    /// `NAME:LINE:COL`, where it happened (empty when nowhere in particular).
    pub location: String,
    /// The template being executed (`executing "NAME"`).
    pub executing: String,
    /// The operand, as written (`<.Values.x.y>`).
    pub context: String,
    pub message: String,
}

impl std::fmt::Display for ExecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.location.is_empty() {
            write!(f, "template: {}", self.message)
        } else {
            write!(
                f,
                "template: {}: executing {} at <{}>: {}",
                self.location,
                go_quote(&self.executing),
                self.context,
                self.message
            )
        }
    }
}

/// What a step of the walk asks of the enclosing `range`.
enum Flow {
    Next,
    Break,
    Continue,
}

/// A template being executed: its name, and the file (and text) it was written in.
#[derive(Clone)]
pub(super) struct Frame {
    pub name: String,
    pub file: String,
    pub text: std::rc::Rc<str>,
}

/// One render.
pub struct Exec<'a> {
    pub(super) templates: &'a Templates,
    variables: Vec<(String, Value)>,
    steps: u64,
    depth: usize,
    /// The stack position when the render started.
    stack_base: usize,
    frame: Frame,
    /// Where the error being built happened.
    place: (usize, String),
}

impl<'a> Exec<'a> {
    pub(super) fn new(templates: &'a Templates, frame: Frame) -> Self {
        Exec {
            templates,
            variables: Vec::new(),
            steps: 0,
            depth: 0,
            stack_base: stack_position(),
            place: (0, String::new()),
            frame,
        }
    }

    /// Runs the template `name` with `data` as dot and `$`.
    pub fn run(&mut self, name: &str, data: &Value) -> Result<String, ExecError> {
        let mut out = String::new();
        self.call_template(name, data, &mut out)?;
        Ok(out)
    }

    /// An error at the operand or node at `pos` of the running template.
    pub(super) fn error(&self, pos: usize, context: &str, message: String) -> ExecError {
        let text = &self.frame.text;
        ExecError {
            location: format!("{}:{}:{}", self.frame.file, line_of(text, pos), column_of(text, pos)),
            executing: self.frame.name.clone(),
            context: context.to_string(),
            message,
        }
    }

    fn fail(&self, message: String) -> ExecError {
        self.error(self.place.0, &self.place.1.clone(), message)
    }

    fn step(&mut self) -> Result<(), ExecError> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(ExecError {
                location: String::new(),
                executing: String::new(),
                context: String::new(),
                message: format!("rendering stopped after {MAX_STEPS} steps: does a range or an include never end?"),
            });
        }
        Ok(())
    }

    /// `{{template "name" data}}`, `include` and the file itself.
    pub(super) fn call_template(&mut self, name: &str, data: &Value, out: &mut String) -> Result<(), ExecError> {
        let Some(template) = self.templates.get(name) else {
            return Err(ExecError {
                location: String::new(),
                executing: String::new(),
                context: String::new(),
                message: format!(
                    "no template {} associated with template {}",
                    go_quote(name),
                    go_quote(self.templates.root_name())
                ),
            });
        };
        self.check_depth(name)?;
        self.depth += 1;
        let frame = std::mem::replace(
            &mut self.frame,
            Frame { name: name.to_string(), file: template.file.clone(), text: template.text.clone() },
        );
        let variables = std::mem::replace(&mut self.variables, vec![("$".to_string(), data.clone())]);
        let body = template.body.clone();
        let result = self.walk(&body, data, out);
        self.variables = variables;
        self.frame = frame;
        self.depth -= 1;
        result.map(|_| ())
    }

    fn walk(&mut self, nodes: &[Node], dot: &Value, out: &mut String) -> Result<Flow, ExecError> {
        for node in nodes {
            self.step()?;
            if out.len() > MAX_OUTPUT {
                return Err(self.fail(format!("the rendered text is over {} MB", MAX_OUTPUT >> 20)));
            }
            match node {
                Node::Text(text) => out.push_str(text),
                Node::Action(pipe) => {
                    let value = self.pipeline(pipe, dot)?;
                    if pipe.variables.is_empty() {
                        print_value(&value, out);
                    }
                }
                Node::If(branch) => {
                    let mark = self.variables.len();
                    let value = self.pipeline(&branch.pipe, dot)?;
                    let flow = if truth(&value) {
                        self.walk(&branch.body, dot, out)?
                    } else {
                        self.walk(&branch.otherwise, dot, out)?
                    };
                    self.variables.truncate(mark);
                    if !matches!(flow, Flow::Next) {
                        return Ok(flow);
                    }
                }
                Node::With(branch) => {
                    let mark = self.variables.len();
                    let value = self.pipeline(&branch.pipe, dot)?;
                    let flow = if truth(&value) {
                        self.walk(&branch.body, &value, out)?
                    } else {
                        self.walk(&branch.otherwise, dot, out)?
                    };
                    self.variables.truncate(mark);
                    if !matches!(flow, Flow::Next) {
                        return Ok(flow);
                    }
                }
                Node::Range(branch) => self.range(branch, dot, out)?,
                Node::Template { pos, name, pipe } => {
                    let data = match pipe {
                        Some(pipe) => self.pipeline(pipe, dot)?,
                        None => Value::Null,
                    };
                    self.place = (
                        *pos,
                        format!("{{{{template {} {}}}}}", go_quote(name), if pipe.is_some() { "." } else { "" }),
                    );
                    if self.templates.get(name).is_none() {
                        let message = format!("template {} not defined", go_quote(name));
                        return Err(self.error(*pos, &format!("{{{{template {} .}}}}", go_quote(name)), message));
                    }
                    self.call_template(name, &data, out)?;
                }
                Node::Break(_) => return Ok(Flow::Break),
                Node::Continue(_) => return Ok(Flow::Continue),
            }
        }
        Ok(Flow::Next)
    }

    /// `range`: a list by index, a map by sorted key, an integer from 0; `else` when empty.
    fn range(&mut self, branch: &Branch, dot: &Value, out: &mut String) -> Result<(), ExecError> {
        let mark = self.variables.len();
        let mut pipe = branch.pipe.clone();
        let names = std::mem::take(&mut pipe.variables);
        let value = self.pipeline(&pipe, dot)?;
        let items: Vec<(Value, Value)> = match &value {
            Value::Sequence(items) => {
                items.iter().enumerate().map(|(i, v)| (Value::from(i as i64), v.clone())).collect()
            }
            Value::Mapping(map) => sorted_entries(map).into_iter().filter(|(key, _)| !files::is_marker(key)).collect(),
            Value::Number(n) if n.as_i64().is_some() => {
                let count = n.as_i64().unwrap_or(0).max(0);
                (0..count).map(|i| (Value::from(i), Value::from(i))).collect()
            }
            Value::Null => Vec::new(),
            other => {
                let message = format!("range can't iterate over {}", go_value_text(other));
                // Go places the error at the value's operand.
                let operand = branch.pipe.commands.last().and_then(|c| c.first());
                let (pos, context) = operand.map_or((branch.pipe.pos, "range".into()), |o| (o.pos, operand_text(o)));
                return Err(self.error(pos, &context, message));
            }
        };
        if items.is_empty() {
            self.walk(&branch.otherwise, dot, out)?;
            self.variables.truncate(mark);
            return Ok(());
        }
        for (key, item) in items {
            let inner = self.variables.len();
            match names.as_slice() {
                [value_name] => self.variables.push((value_name.clone(), item.clone())),
                [key_name, value_name] => {
                    self.variables.push((key_name.clone(), key));
                    self.variables.push((value_name.clone(), item.clone()));
                }
                _ => {}
            }
            let flow = self.walk(&branch.body, &item, out)?;
            self.variables.truncate(inner);
            if matches!(flow, Flow::Break) {
                break;
            }
        }
        self.variables.truncate(mark);
        Ok(())
    }

    /// A pipeline: each command gets the previous one's value as its last argument.
    pub(super) fn pipeline(&mut self, pipe: &Pipe, dot: &Value) -> Result<Value, ExecError> {
        let mut value: Option<Value> = None;
        for command in &pipe.commands {
            value = Some(self.command(command, dot, value)?);
        }
        let value = value.unwrap_or_default();
        for name in &pipe.variables {
            if pipe.assign {
                match self.variables.iter_mut().rev().find(|(n, _)| n == name) {
                    Some(slot) => slot.1 = value.clone(),
                    None => return Err(self.error(pipe.pos, name, format!("undefined variable: {name}"))),
                }
            } else {
                self.variables.push((name.clone(), value.clone()));
            }
        }
        Ok(value)
    }

    fn command(&mut self, command: &[Operand], dot: &Value, last: Option<Value>) -> Result<Value, ExecError> {
        self.step()?;
        let first = &command[0];
        if let Arg::Function(name) = &first.arg {
            let mut args = Vec::with_capacity(command.len());
            // `and`/`or` stop at the first operand that decides (Go 1.18).
            if matches!(name.as_str(), "and" | "or") && last.is_none() {
                let mut result = Value::Null;
                if command.len() < 2 {
                    let message = format!("wrong number of args for {name}: want at least 1 got 0");
                    return Err(self.error(first.pos, name, message));
                }
                for operand in &command[1..] {
                    result = self.operand(operand, dot)?;
                    if truth(&result) == (name == "or") {
                        break;
                    }
                }
                return Ok(result);
            }
            for operand in &command[1..] {
                args.push(self.operand(operand, dot)?);
            }
            args.extend(last);
            self.place = (first.pos, name.clone());
            return funcs::call(self, name, args).map_err(|failure| self.failure(first.pos, name, command, failure));
        }
        if command.len() > 1 || last.is_some() {
            // `.Files.Get "name"`: a method of the Files object, with arguments.
            if let Some((receiver, method)) = self.receiver(first, dot)? {
                let mut args = Vec::with_capacity(command.len());
                for operand in &command[1..] {
                    args.push(self.operand(operand, dot)?);
                }
                args.extend(last);
                return files::call(&receiver, &method, &args)
                    .map_err(|message| self.error(first.pos, &operand_text(first), message));
            }
            let context = operand_text(first);
            let message = match &first.arg {
                Arg::Field(fields) | Arg::Variable(_, fields) | Arg::Pipe(_, fields) if !fields.is_empty() => {
                    format!("{} is not a method but has arguments", fields[fields.len() - 1])
                }
                _ => format!("can't give argument to non-function {context}"),
            };
            return Err(self.error(first.pos, &context, message));
        }
        self.operand(first, dot)
    }

    fn operand(&mut self, operand: &Operand, dot: &Value) -> Result<Value, ExecError> {
        match &operand.arg {
            Arg::Field(fields) => self.fields(operand, dot.clone(), fields),
            Arg::Variable(name, fields) => {
                let Some(value) = self.variable(name).cloned() else {
                    return Err(self.error(operand.pos, name, format!("undefined variable: {name}")));
                };
                self.fields(operand, value, fields)
            }
            Arg::Pipe(pipe, fields) => {
                let value = self.pipeline(pipe, dot)?;
                self.fields(operand, value, fields)
            }
            Arg::Function(name) => {
                self.place = (operand.pos, name.clone());
                funcs::call(self, name, Vec::new())
                    .map_err(|failure| self.failure(operand.pos, name, std::slice::from_ref(operand), failure))
            }
            Arg::Str(text) => Ok(Value::String(text.clone())),
            Arg::Int(n) => Ok(Value::from(*n)),
            Arg::Float(text) => Ok(Value::Number(crate::core::api::yaml::Number::Float(text.clone()))),
            Arg::Bool(b) => Ok(Value::Bool(*b)),
            Arg::Nil => Err(self.error(operand.pos, "nil", "nil is not a command".into())),
        }
    }

    /// Helm's guard against templates that include themselves: nested calls stop
    /// at [`MAX_DEPTH`], or sooner if they have used the stack's budget.
    fn check_depth(&self, name: &str) -> Result<(), ExecError> {
        let used = self.stack_base.saturating_sub(stack_position());
        if self.depth >= MAX_DEPTH || used > STACK_BUDGET {
            return Err(self
                .fail(format!("rendering template has a nested reference name: {name}: unable to execute template")));
        }
        Ok(())
    }

    /// A function's failure as Go reports it: argument errors at the function's
    /// name, what it returned at the whole command (`error calling NAME: …`).
    fn failure(&self, pos: usize, name: &str, command: &[Operand], failure: funcs::Failure) -> ExecError {
        let whole = || command.iter().map(operand_text).collect::<Vec<_>>().join(" ");
        match failure {
            funcs::Failure::Plain(message) => self.error(pos, name, message),
            funcs::Failure::Arg { index, expected, value } => {
                // An explicit argument is blamed on its operand; the piped value on the
                // last operand evaluated (or the function's name).
                match command.get(index + 1) {
                    Some(operand) => {
                        let message = match (&operand.arg, expected) {
                            (Arg::Str(text), "int") => format!("expected integer; found {}", go_quote(text)),
                            (Arg::Int(n), "string") => format!("expected string; found {n}"),
                            _ => funcs::type_message(expected, &value),
                        };
                        self.error(operand.pos, &operand_text(operand), message)
                    }
                    None => {
                        let blamed = if command.len() > 1 { &command[command.len() - 1] } else { &command[0] };
                        self.error(blamed.pos, &operand_text(blamed), funcs::type_message(expected, &value))
                    }
                }
            }
            funcs::Failure::Call(message) => self.error(pos, &whole(), format!("error calling {name}: {message}")),
            funcs::Failure::Error(inner)
                if inner.location.is_empty() && inner.message.starts_with("rendering stopped") =>
            {
                inner
            }
            funcs::Failure::Error(inner) => self.error(pos, &whole(), format!("error calling {name}: {inner}")),
        }
    }

    /// Helm's `tpl`: `source` parsed as a template of the set being rendered, named
    /// as the template that calls it, and run with `data` (within this render's bounds).
    pub(super) fn tpl(&mut self, source: &str, data: &Value) -> Result<String, ExecError> {
        self.check_depth(&self.frame.name.clone())?;
        let mut templates = self.templates.clone();
        let name = self.frame.name.clone();
        templates.add(&name, source).map_err(|error| ExecError {
            location: String::new(),
            executing: String::new(),
            context: String::new(),
            message: error.to_string().trim_start_matches("template: ").to_string(),
        })?;
        let mut inner = Exec::new(&templates, self.frame.clone());
        inner.steps = self.steps;
        inner.depth = self.depth + 1;
        inner.stack_base = self.stack_base;
        let result = inner.run(&name, data);
        self.steps = inner.steps;
        result
    }

    /// The innermost variable of this name in scope.
    fn variable(&self, name: &str) -> Option<&Value> {
        self.variables.iter().rev().find(|(n, _)| n == name).map(|(_, value)| value)
    }

    /// For `X.Method` where X is a Files object: X and the method's name.
    fn receiver(&mut self, operand: &Operand, dot: &Value) -> Result<Option<(Value, String)>, ExecError> {
        let (start, fields) = match &operand.arg {
            Arg::Field(fields) if !fields.is_empty() => (dot.clone(), fields),
            Arg::Variable(name, fields) if !fields.is_empty() => match self.variable(name) {
                Some(value) => (value.clone(), fields),
                None => return Ok(None),
            },
            Arg::Pipe(pipe, fields) if !fields.is_empty() => (self.pipeline(pipe, dot)?, fields),
            _ => return Ok(None),
        };
        let method = &fields[fields.len() - 1];
        let receiver = self.fields(operand, start, &fields[..fields.len() - 1])?;
        Ok(files::is_method(&receiver, method).then(|| (receiver, method.clone())))
    }

    /// `.a.b.c` from `value`: a missing key is nil (`missingkey=zero`, as Helm
    /// sets it), a field of nil is Go's nil pointer error.
    fn fields(&self, operand: &Operand, mut value: Value, fields: &[String]) -> Result<Value, ExecError> {
        for (index, field) in fields.iter().enumerate() {
            if files::is_method(&value, field) {
                // `.Files.AsConfig`: a method without arguments.
                value = files::call(&value, field, &[])
                    .map_err(|message| self.error(operand.pos, &operand_text_upto(operand, index + 1), message))?;
                continue;
            }
            value = match value {
                Value::Mapping(map) => map.get(field.as_str()).cloned().unwrap_or(Value::Null),
                Value::Null => {
                    let context = operand_text_upto(operand, index + 1);
                    return Err(self.error(
                        operand.pos,
                        &context,
                        format!("nil pointer evaluating interface {{}}.{field}"),
                    ));
                }
                other => {
                    let context = operand_text_upto(operand, index + 1);
                    // Go names the static type: what came out of the data (a map's
                    // value, the dot) is an `interface {}`.
                    let from_data = index > 0 || matches!(operand.arg, Arg::Field(_));
                    let kind = if from_data { "interface {}" } else { go_type(&other) };
                    let message = format!("can't evaluate field {field} in type {kind}");
                    return Err(self.error(operand.pos, &context, message));
                }
            };
        }
        Ok(value)
    }
}

/// The operand as written, as Go prints a node.
fn operand_text(operand: &Operand) -> String {
    operand_text_upto(operand, usize::MAX)
}

fn operand_text_upto(operand: &Operand, count: usize) -> String {
    let chain = |fields: &[String]| fields.iter().take(count).map(|f| format!(".{f}")).collect::<String>();
    match &operand.arg {
        Arg::Field(fields) if fields.is_empty() => ".".into(),
        Arg::Field(fields) => chain(fields),
        Arg::Variable(name, fields) => format!("{name}{}", chain(fields)),
        Arg::Pipe(_, fields) => format!("(…){}", chain(fields)),
        Arg::Function(name) => name.clone(),
        Arg::Str(text) => go_quote(text),
        Arg::Int(n) => n.to_string(),
        Arg::Float(text) => text.clone(),
        Arg::Bool(b) => b.to_string(),
        Arg::Nil => "nil".into(),
    }
}

/// Go's truth: false, 0, nil and empty strings, lists and maps are false.
pub fn truth(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => {
            n.as_i64().map_or_else(|| n.to_string().trim_start_matches(['-', '0', '.']) != "", |i| i != 0)
        }
        Value::String(s) => !s.is_empty(),
        Value::Sequence(items) => !items.is_empty(),
        Value::Mapping(map) => map.iter().any(|(key, _)| !files::is_marker(key)),
    }
}

/// A map's entries by key, as Go ranges over a map.
pub fn sorted_entries(map: &Mapping) -> Vec<(Value, Value)> {
    let mut entries: Vec<(Value, Value)> = map.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    entries.sort_by_key(|(k, _)| key_text(k));
    entries
}

fn key_text(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        other => {
            let mut out = String::new();
            print_value(other, &mut out);
            out
        }
    }
}

/// `{{ value }}` as Go's fmt prints it: `<no value>` for nil (Helm removes it
/// afterwards), `map[a:1 b:2]`, `[a b]`.
pub fn print_value(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("<no value>"),
        _ => go_print(value, out),
    }
}

/// `fmt.Sprint` of a value.
pub fn go_print(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("<nil>"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) if n.is_f64() => out.push_str(&go_float(&n.to_string())),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => out.push_str(s),
        Value::Sequence(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                go_print(item, out);
            }
            out.push(']');
        }
        Value::Mapping(map) => {
            out.push_str("map[");
            for (i, (key, item)) in sorted_entries(map).iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                go_print(key, out);
                out.push(':');
                go_print(item, out);
            }
            out.push(']');
        }
    }
}

/// Go's name of a value's type, as errors print it.
pub fn go_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "interface {}",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float64",
        Value::Number(_) => "int",
        Value::String(_) => "string",
        Value::Sequence(_) => "[]interface {}",
        Value::Mapping(_) => "map[string]interface {}",
    }
}

/// [`go_print`] into a new string.
pub(super) fn go_value_text(value: &Value) -> String {
    let mut out = String::new();
    go_print(value, &mut out);
    out
}

/// A float64 as Go's `%v` prints it (strconv's shortest `%g`: an exponent from
/// 1e+06 up and below 1e-04), from its decimal text, without float arithmetic:
/// `1000000` → `1e+06`, `1.50` → `1.5`, `0.00001` → `1e-05`.
pub fn go_float(text: &str) -> String {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.trim_start_matches('+')),
    };
    let lower = body.to_ascii_lowercase();
    match lower.as_str() {
        ".inf" | "inf" => return if negative { "-Inf".into() } else { "+Inf".into() },
        ".nan" | "nan" => return "NaN".into(),
        _ => {}
    }
    let (mantissa, exponent) = match lower.split_once('e') {
        Some((m, e)) => (m, e.parse::<i64>().unwrap_or(0)),
        None => (lower.as_str(), 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: String = format!("{whole}{fraction}");
    // The decimal point sits after `point` digits of `digits`.
    let leading = digits.len() - digits.trim_start_matches('0').len();
    let significant = digits.trim_start_matches('0').trim_end_matches('0');
    if significant.is_empty() {
        return if negative { "-0".into() } else { "0".into() };
    }
    let point = whole.len() as i64 + exponent - leading as i64;
    let exp = point - 1;
    let sign = if negative { "-" } else { "" };
    if exp < -4 || exp >= 6 {
        let rest = &significant[1..];
        let dot = if rest.is_empty() { String::new() } else { format!(".{rest}") };
        return format!("{sign}{}{dot}e{}{:02}", &significant[..1], if exp < 0 { '-' } else { '+' }, exp.abs());
    }
    if point <= 0 {
        format!("{sign}0.{}{significant}", "0".repeat((-point) as usize))
    } else if point as usize >= significant.len() {
        format!("{sign}{significant}{}", "0".repeat(point as usize - significant.len()))
    } else {
        format!("{sign}{}.{}", &significant[..point as usize], &significant[point as usize..])
    }
}
