//! YAML syntax colouring for the editor: each line cut into tokens with a
//! class name the stylesheet colours. Only what Kubernetes manifests use is
//! told apart (block mappings and sequences, scalars, comments, block
//! scalars, document markers); anything else stays plain text, so a
//! surprising line is never coloured wrongly, just not coloured.

/// A token's class in the stylesheet.
pub mod class {
    pub const KEY: &str = "k";
    /// A quoted or plain string value, or a block scalar's text.
    pub const STRING: &str = "s";
    /// A number, `true`/`false`, `null`/`~`.
    pub const LITERAL: &str = "n";
    pub const COMMENT: &str = "c";
    /// `:`, `- `, `|`, `>`, flow brackets.
    pub const PUNCT: &str = "p";
    /// `---`, `...`, anchors, aliases and tags.
    pub const MARKER: &str = "m";
}

/// A run of one line: its byte range in the line and its class ("" = plain).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub class: &'static str,
}

/// Tokens of every line of `text` (split on `\n`), in order. Adjacent tokens
/// cover each line from its first to its last non-blank byte.
pub fn highlight(text: &str) -> Vec<Vec<Token>> {
    let mut lines = Vec::new();
    // Inside a block scalar (`|`, `>`): lines indented deeper than the key are text.
    let mut block_scalar_indent: Option<usize> = None;
    for line in text.split('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let blank = line.trim().is_empty();
        if let Some(parent) = block_scalar_indent {
            if blank || indent > parent {
                lines.push(if blank {
                    Vec::new()
                } else {
                    vec![Token { start: indent, end: line.trim_end().len(), class: class::STRING }]
                });
                continue;
            }
            block_scalar_indent = None;
        }
        let mut tokens = Vec::new();
        if block_line(line, indent, &mut tokens) {
            block_scalar_indent = Some(indent);
        }
        lines.push(tokens);
    }
    lines
}

/// Tokens of one ordinary line; true if it opens a block scalar.
fn block_line(line: &str, indent: usize, tokens: &mut Vec<Token>) -> bool {
    let mut at = indent;
    let rest = &line[at..];
    if rest.starts_with('#') {
        push(tokens, at, line.trim_end().len(), class::COMMENT);
        return false;
    }
    if at == 0
        && (rest.starts_with("---") || rest.starts_with("..."))
        && rest[3..].chars().next().is_none_or(char::is_whitespace)
    {
        push(tokens, 0, 3, class::MARKER);
        scalar(line, 3, tokens);
        return false;
    }
    // Sequence entries: `- `, possibly nested (`- - a`).
    while line[at..].starts_with("- ") || &line[at..] == "-" {
        push(tokens, at, at + 1, class::PUNCT);
        at = skip_spaces(line, at + 1);
    }
    if let Some(colon) = key_end(&line[at..]) {
        push(tokens, at, at + colon, class::KEY);
        push(tokens, at + colon, at + colon + 1, class::PUNCT);
        at += colon + 1;
    }
    scalar(line, at, tokens)
}

/// Where a mapping key ends (the byte of its `:`), if `text` starts with one.
fn key_end(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let first = *bytes.first()?;
    if first == b'"' || first == b'\'' {
        let close = text[1..].find(first as char)? + 1;
        return (bytes.get(close + 1) == Some(&b':') && bytes.get(close + 2).is_none_or(|b| *b == b' '))
            .then_some(close + 1);
    }
    if matches!(first, b'#' | b'{' | b'[' | b'&' | b'*' | b'!' | b'|' | b'>' | b'%' | b'@' | b'`') {
        return None;
    }
    let mut previous = b' ';
    for (at, byte) in bytes.iter().enumerate() {
        match byte {
            b':' if bytes.get(at + 1).is_none_or(|b| *b == b' ') => return Some(at),
            b'#' if previous == b' ' => return None,
            _ => {}
        }
        previous = *byte;
    }
    None
}

/// Tokens of a value from byte `at` to the end of the line (with a trailing
/// comment); true if the value opens a block scalar.
fn scalar(line: &str, at: usize, tokens: &mut Vec<Token>) -> bool {
    let at = skip_spaces(line, at);
    let rest = &line[at..];
    if rest.trim_end().is_empty() {
        return false;
    }
    let (value_len, comment) = match rest.find(" #") {
        _ if rest.starts_with('#') => (0, Some(0)),
        Some(hash) if !rest.starts_with('"') && !rest.starts_with('\'') => (hash, Some(hash + 1)),
        _ => (rest.trim_end().len(), None),
    };
    let value = rest[..value_len].trim_end();
    let end = at + value.len();
    let mut opens_block = false;
    if !value.is_empty() {
        let class = match value.as_bytes()[0] {
            b'|' | b'>'
                if value.len() <= 3 && value[1..].bytes().all(|b| b == b'-' || b == b'+' || b.is_ascii_digit()) =>
            {
                opens_block = true;
                class::PUNCT
            }
            b'&' | b'*' | b'!' => class::MARKER,
            b'{' | b'[' => class::PUNCT,
            _ if is_literal(value) => class::LITERAL,
            _ => class::STRING,
        };
        push(tokens, at, end, class);
    }
    if let Some(comment) = comment {
        push(tokens, at + comment, line.trim_end().len(), class::COMMENT);
    }
    opens_block
}

/// YAML 1.1 core schema words and numbers (what Kubernetes reads as non-strings).
fn is_literal(value: &str) -> bool {
    matches!(value, "true" | "false" | "True" | "False" | "TRUE" | "FALSE" | "null" | "Null" | "NULL" | "~")
        || value
            .strip_prefix('-')
            .unwrap_or(value)
            .bytes()
            .enumerate()
            .all(|(at, b)| b.is_ascii_digit() || (b == b'.' && at > 0))
            && value.bytes().any(|b| b.is_ascii_digit())
}

fn skip_spaces(line: &str, at: usize) -> usize {
    at + line[at..].len() - line[at..].trim_start_matches(' ').len()
}

fn push(tokens: &mut Vec<Token>, start: usize, end: usize, class: &'static str) {
    if end > start {
        tokens.push(Token { start, end, class });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line's tokens as `class:text` (plain text left out).
    fn classes(text: &str) -> Vec<Vec<String>> {
        text.split('\n')
            .zip(highlight(text))
            .map(|(line, tokens)| tokens.iter().map(|t| format!("{}:{}", t.class, &line[t.start..t.end])).collect())
            .collect()
    }

    #[test]
    fn keys_values_and_comments_of_a_statefulset_are_told_apart() {
        let text = "apiVersion: apps/v1 # the workloads group\nspec:\n  replicas: 3\n  ports:\n  - containerPort: 8080\n    name: \"web # not a comment\"";
        assert_eq!(
            classes(text),
            vec![
                vec!["k:apiVersion", "p::", "s:apps/v1", "c:# the workloads group"],
                vec!["k:spec", "p::"],
                vec!["k:replicas", "p::", "n:3"],
                vec!["k:ports", "p::"],
                vec!["p:-", "k:containerPort", "p::", "n:8080"],
                vec!["k:name", "p::", "s:\"web # not a comment\""],
            ]
        );
    }

    #[test]
    fn a_block_scalar_is_text_until_the_indentation_comes_back() {
        let text = "command:\n- sh\n- -c\n- |\n  echo hello: world\n  # not a comment\nname: web";
        let lines = classes(text);
        assert_eq!(lines[3], vec!["p:-", "p:|"]);
        assert_eq!(lines[4], vec!["s:echo hello: world"]);
        assert_eq!(lines[5], vec!["s:# not a comment"]);
        assert_eq!(lines[6], vec!["k:name", "p::", "s:web"]);
    }

    #[test]
    fn document_markers_urls_and_odd_lines_never_break_the_colouring() {
        let lines = classes(
            "---\nimage: registry.k8s.io/nginx:1.27\nurl: http://web:80/\n\"quoted key\": yes\n- - nested\n: odd\n  \t",
        );
        assert_eq!(lines[0], vec!["m:---"]);
        assert_eq!(lines[1], vec!["k:image", "p::", "s:registry.k8s.io/nginx:1.27"]);
        assert_eq!(lines[2], vec!["k:url", "p::", "s:http://web:80/"]);
        assert_eq!(lines[3], vec!["k:\"quoted key\"", "p::", "s:yes"]);
        assert_eq!(lines[4], vec!["p:-", "p:-", "s:nested"]);
        assert_eq!(lines[5], vec!["p::", "s:odd"]);
        assert!(lines[6].is_empty());
    }

    #[test]
    fn any_text_is_tokenised_without_panicking_and_within_its_lines() {
        for text in ["é: ü # ö", "\"unterminated: x", "- ", "-", "a:b", "'q': 'x' # c", "|", "key: |+2\n  x", "— é:"]
        {
            for (line, tokens) in text.split('\n').zip(highlight(text)) {
                for t in tokens {
                    assert!(
                        t.start < t.end && line.is_char_boundary(t.start) && line.is_char_boundary(t.end),
                        "{text:?}"
                    );
                }
            }
        }
    }
}
