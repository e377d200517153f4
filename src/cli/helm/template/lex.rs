//! Go's text/template lexer (text/template/parse/lex.go): text and actions, with
//! `{{-`/`-}}` trimming and comments, into tokens with their byte offsets.

use super::funcs::go_quote;
use super::parse::ParseError;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Token {
    Text(String),
    /// `{{`, `}}` (every token carries its byte offset beside it).
    Open,
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
pub(super) fn lex(name: &str, text: &str) -> Result<Vec<(Token, usize)>, ParseError> {
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
        tokens.push((Token::Open, open));
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
            if is_trim_close(here) && tokens.last().is_some_and(|(t, _)| !matches!(t, Token::Open)) {
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

/// How Go's parser names a token in "unexpected …" (its item's String: quoted,
/// keywords in angle brackets, long values cut at ten characters).
pub(super) fn describe(token: Option<&Token>) -> String {
    let Some(token) = token else { return "EOF".into() };
    let text = match token {
        Token::Close => return "\"}}\"".into(),
        Token::Ident(word) if is_keyword(word) => return format!("<{word}>"),
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

fn token_text(token: &Token) -> String {
    match token {
        Token::Text(t) => t.clone(),
        Token::Open => String::new(),
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
