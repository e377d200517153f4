//! Go's text/template, as Helm renders charts with it.
//!
//! Why our own engine: the one Rust crate for Go templates (`gtmpl` 0.7) has not
//! been released since 2021, reports errors without Go's `NAME:LINE:COL` places, and
//! Helm needs `include` and `tpl` to call back into the template set while it runs;
//! see docs/ARCHITECTURE.md. [`parse`] reads the syntax, [`exec`] runs it and
//! [`funcs`] holds the builtins, Sprig's and Helm's functions.

mod exec;
pub mod files;
mod funcs;
mod lex;
mod parse;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::rc::Rc;

pub use exec::{ExecError, MAX_DEPTH, MAX_STEPS};
pub use funcs::{go_quote, merge_into};
pub use parse::ParseError;

use crate::core::api::yaml::Value;
use exec::{Exec, Frame};
use parse::{Arg, Node};

/// A named template: a file, or a `define` in one.
#[derive(Clone)]
struct Template {
    /// The file it was written in (errors name it).
    file: String,
    text: Rc<str>,
    body: Rc<Vec<Node>>,
}

/// A set of templates that can call each other (a chart's files).
#[derive(Clone, Default)]
pub struct Templates {
    named: BTreeMap<String, Template>,
}

/// Why a render failed.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    Parse(ParseError),
    Exec(ExecError),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Parse(error) => error.fmt(f),
            Error::Exec(error) => error.fmt(f),
        }
    }
}

impl Templates {
    pub fn new() -> Self {
        Templates::default()
    }

    /// Parses a file named `file` and adds it and the templates it defines (a
    /// later definition of a name replaces an earlier one, as in Go).
    pub fn add(&mut self, file: &str, text: &str) -> Result<(), ParseError> {
        let (body, defined) = parse::parse(file, text)?;
        check_functions(file, text, &body)?;
        for nodes in defined.values() {
            check_functions(file, text, nodes)?;
        }
        let text: Rc<str> = Rc::from(text);
        for (name, nodes) in defined {
            self.named.insert(name, Template { file: file.to_string(), text: text.clone(), body: Rc::new(nodes) });
        }
        self.named.insert(file.to_string(), Template { file: file.to_string(), text, body: Rc::new(body) });
        Ok(())
    }

    fn get(&self, name: &str) -> Option<&Template> {
        self.named.get(name)
    }

    /// The name Go puts in "associated with template …" (Helm's root is `gotpl`).
    fn root_name(&self) -> &str {
        "gotpl"
    }

    /// Renders the template `name` with `data` as dot.
    pub fn render(&self, name: &str, data: &Value) -> Result<String, ExecError> {
        let frame = Frame { name: name.to_string(), file: name.to_string(), text: Rc::from("") };
        Exec::new(self, frame).run(name, data)
    }

    /// Parses and renders a text on its own (a test's convenience).
    pub fn render_text(name: &str, text: &str, data: &Value) -> Result<String, Error> {
        let mut templates = Templates::new();
        templates.add(name, text).map_err(Error::Parse)?;
        templates.render(name, data).map_err(Error::Exec)
    }
}

/// Go refuses, when it parses, a call of a function it does not know.
fn check_functions(file: &str, text: &str, nodes: &[Node]) -> Result<(), ParseError> {
    let fail = |pos: usize, name: &str| ParseError {
        name: file.to_string(),
        line: parse::line_of(text, pos),
        message: format!("function {} not defined", go_quote(name)),
    };
    let check_pipe = |pipe: &parse::Pipe| -> Result<(), ParseError> {
        fn walk(pipe: &parse::Pipe, fail: &dyn Fn(usize, &str) -> ParseError) -> Result<(), ParseError> {
            for operand in pipe.commands.iter().flatten() {
                match &operand.arg {
                    Arg::Function(name) if !funcs::exists(name) => return Err(fail(operand.pos, name)),
                    Arg::Pipe(inner, _) => walk(inner, fail)?,
                    _ => {}
                }
            }
            Ok(())
        }
        walk(pipe, &fail)
    };
    for node in nodes {
        match node {
            Node::Action(pipe) => check_pipe(pipe)?,
            Node::If(branch) | Node::Range(branch) | Node::With(branch) => {
                check_pipe(&branch.pipe)?;
                check_functions(file, text, &branch.body)?;
                check_functions(file, text, &branch.otherwise)?;
            }
            Node::Template { pipe: Some(pipe), .. } => check_pipe(pipe)?,
            _ => {}
        }
    }
    Ok(())
}
