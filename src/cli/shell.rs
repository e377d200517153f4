//! A small POSIX-like shell parser: quotes, escapes, `$VAR`, `$(cmd)`, `;`, `&&`,
//! `||`, `|`, `>`/`>>`, `&`, and `for NAME in WORDS; do LIST; done`.
//! Words keep their parts unexpanded; the interpreter expands them when it runs.

/// Limits that keep hostile input from exhausting the page.
pub const MAX_LINE_BYTES: usize = 64 * 1024;
pub const MAX_NESTING: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Text as written (quotes removed, escapes resolved).
    Literal(String),
    /// `$NAME` or `${NAME}`; `quoted` when inside double quotes (no field splitting).
    Var { name: String, quoted: bool },
    /// `$(…)`; `quoted` when inside double quotes.
    Command { line: String, quoted: bool },
}

/// A word: parts that concatenate into one (or, after splitting, several) arguments.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Word {
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redirect {
    /// `> file` (append = `>>`).
    Stdout { path: Word, append: bool },
    /// `2> file` / `2>/dev/null`.
    Stderr { path: Word },
    /// `2>&1`.
    StderrToStdout,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Simple { words: Vec<Word>, redirects: Vec<Redirect> },
    For { variable: String, items: Vec<Word>, body: Box<List> },
}

/// Commands joined by `|`.
pub type Pipeline = Vec<Command>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connector {
    Then,
    And,
    Or,
    /// `&`: run in the background.
    Background,
}

/// Pipelines joined by `;`, `&&`, `||`, `&`; each with the connector that follows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct List {
    pub items: Vec<(Pipeline, Connector)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(Word),
    Op(&'static str),
}

/// Parses one command line. Errors read like bash's.
pub fn parse(line: &str) -> Result<List, String> {
    parse_nested(line, 0)
}

pub(crate) fn parse_nested(line: &str, depth: usize) -> Result<List, String> {
    if line.len() > MAX_LINE_BYTES {
        return Err(format!("sh: line too long ({} bytes; at most {MAX_LINE_BYTES})", line.len()));
    }
    if depth > MAX_NESTING {
        return Err("sh: command substitutions nested too deeply".into());
    }
    let tokens = tokenize(line)?;
    let mut parser = Parser { tokens, position: 0 };
    let list = parser.list(&[])?;
    if let Some(token) = parser.peek() {
        return Err(format!("sh: syntax error near unexpected token `{}'", token_text(token)));
    }
    Ok(list)
}

/// Whether `line` runs `program`: as a command of any pipeline, in a `for` body
/// or in a `$(…)`. (The page without Helm opens the page with it for such a line.)
pub fn calls(line: &str, program: &str) -> bool {
    fn list_calls(list: &List, program: &str, depth: usize) -> bool {
        list.items.iter().flat_map(|(pipeline, _)| pipeline).any(|command| match command {
            Command::Simple { words, .. } => {
                let texts: Vec<Option<&str>> = words
                    .iter()
                    .map(|word| match word.parts.as_slice() {
                        [Part::Literal(text)] => Some(text.as_str()),
                        _ => None,
                    })
                    .collect();
                // The program itself, or run by `timeout N …` or `sh -c '…'`.
                let direct = match texts.as_slice() {
                    [Some("timeout"), _, Some(first), ..] => *first == program,
                    [Some("sh" | "bash" | "/bin/sh" | "/bin/bash"), Some("-c"), Some(line), ..] => {
                        parse_nested(line, depth + 1).is_ok_and(|inner| list_calls(&inner, program, depth + 1))
                    }
                    [Some(first), ..] => *first == program,
                    _ => false,
                };
                direct
                    || words.iter().flat_map(|word| &word.parts).any(|part| match part {
                        Part::Command { line, .. } => {
                            parse_nested(line, depth + 1).is_ok_and(|inner| list_calls(&inner, program, depth + 1))
                        }
                        _ => false,
                    })
            }
            Command::For { body, .. } => list_calls(body, program, depth),
        })
    }
    parse(line).is_ok_and(|list| list_calls(&list, program, 0))
}

fn token_text(token: &Token) -> String {
    match token {
        Token::Op(op) => op.to_string(),
        Token::Word(word) => word
            .parts
            .iter()
            .map(|p| match p {
                Part::Literal(s) => s.clone(),
                Part::Var { name, .. } => format!("${name}"),
                Part::Command { line, .. } => format!("$({line})"),
            })
            .collect(),
    }
}

#[allow(unused_assignments)] // the last end_word! clears a flag nobody reads again
fn tokenize(line: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = line.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    let mut word = Word::default();
    let mut in_word = false;
    let push_literal = |word: &mut Word, c: char| match word.parts.last_mut() {
        Some(Part::Literal(s)) => s.push(c),
        _ => word.parts.push(Part::Literal(c.to_string())),
    };
    macro_rules! end_word {
        () => {
            if in_word {
                tokens.push(Token::Word(std::mem::take(&mut word)));
                in_word = false;
            }
        };
    }
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' | '\n' | '\r' => {
                end_word!();
                if c == '\n' {
                    tokens.push(Token::Op(";"));
                }
                i += 1;
            }
            '#' if !in_word => break,
            '\'' => {
                in_word = true;
                let end = chars[i + 1..]
                    .iter()
                    .position(|&x| x == '\'')
                    .ok_or("sh: unexpected EOF while looking for matching `''")?;
                let text: String = chars[i + 1..i + 1 + end].iter().collect();
                match word.parts.last_mut() {
                    Some(Part::Literal(s)) => s.push_str(&text),
                    _ => word.parts.push(Part::Literal(text)),
                }
                i += end + 2;
            }
            '"' => {
                in_word = true;
                // An empty "" still makes a word.
                if word.parts.is_empty() {
                    word.parts.push(Part::Literal(String::new()));
                }
                i += 1;
                loop {
                    let Some(&d) = chars.get(i) else {
                        return Err("sh: unexpected EOF while looking for matching `\"'".into());
                    };
                    match d {
                        '"' => {
                            i += 1;
                            break;
                        }
                        '\\' if matches!(chars.get(i + 1), Some('"' | '\\' | '$' | '`')) => {
                            push_literal(&mut word, chars[i + 1]);
                            i += 2;
                        }
                        '$' => i = dollar(&chars, i, true, &mut word)?,
                        _ => {
                            push_literal(&mut word, d);
                            i += 1;
                        }
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(&next) = chars.get(i + 1) {
                    if next != '\n' {
                        push_literal(&mut word, next);
                    }
                }
                i += 2;
            }
            '$' => {
                in_word = true;
                i = dollar(&chars, i, false, &mut word)?;
            }
            ';' | '|' | '&' | '>' | '<' | '(' | ')' => {
                // `2>` and `2>&1` when the word so far is exactly "2".
                if c == '>' && in_word && word.parts == [Part::Literal("2".into())] {
                    word = Word::default();
                    in_word = false;
                    if chars.get(i + 1) == Some(&'&') && chars.get(i + 2) == Some(&'1') {
                        tokens.push(Token::Op("2>&1"));
                        i += 3;
                    } else {
                        tokens.push(Token::Op("2>"));
                        i += 1;
                    }
                    continue;
                }
                end_word!();
                let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
                let op: &'static str = match two.as_str() {
                    "&&" => "&&",
                    "||" => "||",
                    ">>" => ">>",
                    ";;" => return Err("sh: syntax error near unexpected token `;;'".into()),
                    _ => match c {
                        ';' => ";",
                        '|' => "|",
                        '&' => "&",
                        '>' => ">",
                        '<' => "<",
                        '(' => "(",
                        _ => ")",
                    },
                };
                i += op.len();
                tokens.push(Token::Op(op));
            }
            _ => {
                in_word = true;
                push_literal(&mut word, c);
                i += 1;
            }
        }
    }
    end_word!();
    Ok(tokens)
}

/// Reads `$NAME`, `${NAME}`, `$(…)` or `$?` at `chars[i]`; returns the index after it.
fn dollar(chars: &[char], i: usize, quoted: bool, word: &mut Word) -> Result<usize, String> {
    match chars.get(i + 1) {
        Some('(') => {
            let mut depth = 0usize;
            let mut j = i + 1;
            let mut quote: Option<char> = None;
            while j < chars.len() {
                let c = chars[j];
                match (quote, c) {
                    (Some(q), c) if c == q => quote = None,
                    (Some(_), _) => {}
                    (None, '\'' | '"') => quote = Some(c),
                    (None, '(') => depth += 1,
                    (None, ')') => {
                        depth -= 1;
                        if depth == 0 {
                            let line: String = chars[i + 2..j].iter().collect();
                            word.parts.push(Part::Command { line, quoted });
                            return Ok(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            Err("sh: unexpected EOF while looking for matching `)'".into())
        }
        Some('{') => {
            let end = chars[i + 2..].iter().position(|&c| c == '}').ok_or("sh: bad substitution")?;
            let name: String = chars[i + 2..i + 2 + end].iter().collect();
            word.parts.push(Part::Var { name, quoted });
            Ok(i + 3 + end)
        }
        Some('?') => {
            word.parts.push(Part::Var { name: "?".into(), quoted });
            Ok(i + 2)
        }
        Some(c) if c.is_ascii_alphanumeric() || *c == '_' => {
            let len = chars[i + 1..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == '_').count();
            let name: String = chars[i + 1..i + 1 + len].iter().collect();
            word.parts.push(Part::Var { name, quoted });
            Ok(i + 1 + len)
        }
        _ => {
            match word.parts.last_mut() {
                Some(Part::Literal(s)) => s.push('$'),
                _ => word.parts.push(Part::Literal("$".into())),
            }
            Ok(i + 1)
        }
    }
}

struct Parser {
    tokens: Vec<Token>,
    position: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.position)
    }

    fn is_keyword(&self, keyword: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(w)) if w.parts == [Part::Literal(keyword.into())])
    }

    /// A list, stopping before any of the keywords in `until` (for `do … done`).
    fn list(&mut self, until: &[&str]) -> Result<List, String> {
        let mut list = List::default();
        loop {
            while matches!(self.peek(), Some(Token::Op(";"))) {
                self.position += 1;
            }
            if self.peek().is_none() || until.iter().any(|k| self.is_keyword(k)) {
                break;
            }
            let pipeline = self.pipeline()?;
            let connector = match self.peek() {
                Some(Token::Op("&&")) => Connector::And,
                Some(Token::Op("||")) => Connector::Or,
                Some(Token::Op("&")) => Connector::Background,
                Some(Token::Op(";")) | None => Connector::Then,
                Some(Token::Word(_)) if until.iter().any(|k| self.is_keyword(k)) => Connector::Then,
                Some(token) => return Err(format!("sh: syntax error near unexpected token `{}'", token_text(token))),
            };
            if self.peek().is_some() && !matches!(self.peek(), Some(Token::Word(_))) {
                self.position += 1;
            }
            if matches!(connector, Connector::And | Connector::Or)
                && (self.peek().is_none() || until.iter().any(|k| self.is_keyword(k)))
            {
                return Err("sh: syntax error: unexpected end of file".into());
            }
            list.items.push((pipeline, connector));
        }
        Ok(list)
    }

    fn pipeline(&mut self) -> Result<Pipeline, String> {
        let mut commands = vec![self.command()?];
        while matches!(self.peek(), Some(Token::Op("|"))) {
            self.position += 1;
            commands.push(self.command()?);
        }
        Ok(commands)
    }

    fn command(&mut self) -> Result<Command, String> {
        if self.is_keyword("for") {
            return self.for_clause();
        }
        let mut words = Vec::new();
        let mut redirects = Vec::new();
        loop {
            match self.peek().cloned() {
                Some(Token::Word(word)) => {
                    words.push(word);
                    self.position += 1;
                }
                Some(Token::Op(op @ (">" | ">>" | "2>"))) => {
                    self.position += 1;
                    let Some(Token::Word(path)) = self.peek().cloned() else {
                        return Err("sh: syntax error near unexpected token `newline'".into());
                    };
                    self.position += 1;
                    redirects.push(if op == "2>" {
                        Redirect::Stderr { path }
                    } else {
                        Redirect::Stdout { path, append: op == ">>" }
                    });
                }
                Some(Token::Op("2>&1")) => {
                    self.position += 1;
                    redirects.push(Redirect::StderrToStdout);
                }
                Some(Token::Op(op @ ("<" | "(" | ")"))) => {
                    return Err(format!("sh: `{op}' is not supported in this terminal"))
                }
                _ => break,
            }
        }
        if words.is_empty() && redirects.is_empty() {
            let near = self.peek().map_or("newline".to_string(), token_text);
            return Err(format!("sh: syntax error near unexpected token `{near}'"));
        }
        Ok(Command::Simple { words, redirects })
    }

    fn for_clause(&mut self) -> Result<Command, String> {
        self.position += 1;
        let variable = match self.peek() {
            Some(Token::Word(w)) => match w.parts.as_slice() {
                [Part::Literal(name)] if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => name.clone(),
                _ => return Err("sh: syntax error: bad for loop variable".into()),
            },
            _ => return Err("sh: syntax error: bad for loop variable".into()),
        };
        self.position += 1;
        let mut items = Vec::new();
        if self.is_keyword("in") {
            self.position += 1;
            while let Some(Token::Word(word)) = self.peek().cloned() {
                if self.is_keyword("do") {
                    break;
                }
                items.push(word);
                self.position += 1;
            }
        }
        while matches!(self.peek(), Some(Token::Op(";"))) {
            self.position += 1;
        }
        if !self.is_keyword("do") {
            return Err("sh: syntax error: expected `do'".into());
        }
        self.position += 1;
        let body = self.list(&["done"])?;
        if !self.is_keyword("done") {
            return Err("sh: syntax error: unexpected end of file (expecting \"done\")".into());
        }
        self.position += 1;
        Ok(Command::For { variable, items, body: Box::new(body) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_finds_a_program_wherever_the_line_runs_it() {
        assert!(calls("helm install web ./web", "helm"));
        assert!(calls("kubectl get po && helm list", "helm"));
        assert!(calls("echo $(helm list -q)", "helm"));
        assert!(calls("for r in web; do helm status $r; done", "helm"));
        assert!(calls("timeout 60 helm test web", "helm"));
        assert!(calls("sh -c 'helm list && kubectl get po'", "helm"));
        assert!(!calls("echo helm", "helm"), "an argument is not a command");
        assert!(!calls("kubectl get secret -l owner=helm", "helm"));
        assert!(!calls("helm 'unclosed", "helm"), "a line that does not parse runs nothing");
    }

    fn lit(s: &str) -> Word {
        Word { parts: vec![Part::Literal(s.into())] }
    }

    fn simple(list: &List, index: usize) -> Vec<Word> {
        match &list.items[index].0[0] {
            Command::Simple { words, .. } => words.clone(),
            other => panic!("not simple: {other:?}"),
        }
    }

    #[test]
    fn quotes_and_escapes_make_single_words() {
        let list = parse(r#"kubectl exec web-0 -- sh -c 'echo $HOSTNAME; cat /data/visits' "a b"\ c"#).unwrap();
        let words = simple(&list, 0);
        assert_eq!(words[6], lit("echo $HOSTNAME; cat /data/visits"));
        assert_eq!(words[7], lit("a b c"));
        let list = parse("cat /nope 2>/dev/null; echo hi 2>&1").unwrap();
        assert!(
            matches!(&list.items[0].0[0], Command::Simple { words, redirects } if words.len() == 2 && redirects.len() == 1)
        );
    }

    #[test]
    fn connectors_pipes_and_redirects() {
        let list = parse("kubectl get po | grep web > out.txt && echo ok || echo no; sleep 1 &").unwrap();
        let connectors: Vec<_> = list.items.iter().map(|(_, c)| *c).collect();
        assert_eq!(connectors, [Connector::And, Connector::Or, Connector::Then, Connector::Background]);
        assert_eq!(list.items[0].0.len(), 2);
    }

    #[test]
    fn a_for_loop_with_command_substitution() {
        let list = parse("for i in 0 1 2; do kubectl exec web-$i -- sh -c 'hostname'; done").unwrap();
        let Command::For { variable, items, body } = &list.items[0].0[0] else { panic!() };
        assert_eq!(variable, "i");
        assert_eq!(items.len(), 3);
        assert_eq!(body.items.len(), 1);
        let list = parse("echo $(kubectl get pod web-0 -o jsonpath='{.status.podIP}')").unwrap();
        assert!(
            matches!(&simple(&list, 0)[1].parts[0], Part::Command { line, .. } if line.starts_with("kubectl get pod"))
        );
    }

    #[test]
    fn broken_lines_get_shell_errors() {
        assert!(parse("echo 'unclosed").unwrap_err().contains("matching `''"));
        assert!(parse("echo \"unclosed").is_err());
        assert!(parse("| grep x").unwrap_err().contains("unexpected token `|'"));
        assert!(parse("echo ok &&").is_err());
        assert!(parse("for i in 1 2; do echo $i").is_err());
        assert!(parse(&"$(".repeat(40)).is_err());
    }
}
