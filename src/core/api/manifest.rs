//! Manifest text → YAML documents, with 1-based line/column positions for errors.
//!
//! Accepts what learners paste: plain multi-document YAML (`---`), `helm template`
//! output (`# Source:` comments) and the full text of `helm install --dry-run --debug`,
//! whose non-YAML preamble (NAME:, STATUS:, values) is skipped and whose documents
//! under `HOOKS:` and `MANIFEST:` are taken, up to `NOTES:`.

use crate::core::api::yaml::Value;
use std::fmt;

/// Refuse manifests above this size: the editor and the engine stay responsive.
pub const MAX_MANIFEST_BYTES: usize = 1024 * 1024;
/// Refuse documents nested deeper than this (after alias expansion).
pub const MAX_NESTING_DEPTH: usize = 64;

/// A position in the user's text, both 1-based, as editors count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Why a manifest could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestError {
    pub message: String,
    pub position: Option<Position>,
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_placed(f, self.position, &self.message)
    }
}

/// `line 5 column 3: message`, or the message alone when it has no place
/// (how the page shows a manifest or API error).
pub fn write_placed(f: &mut fmt::Formatter<'_>, position: Option<Position>, message: &str) -> fmt::Result {
    match position {
        Some(p) => write!(f, "line {} column {}: {}", p.line, p.column, message),
        None => f.write_str(message),
    }
}

/// One YAML document of the manifest, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The parsed YAML value (a mapping for every Kubernetes object).
    pub value: Value,
    /// The document's own text, as the user wrote it.
    pub text: String,
    /// Line of the user's text where `text` starts (1-based).
    pub first_line: usize,
}

impl Document {
    fn str_field(&self, key: &str) -> Option<&str> {
        self.value.get(key).and_then(Value::as_str)
    }
    pub fn kind(&self) -> Option<&str> {
        self.str_field("kind")
    }
    pub fn api_version(&self) -> Option<&str> {
        self.str_field("apiVersion")
    }
    pub fn name(&self) -> Option<&str> {
        self.value.get("metadata").and_then(|m| m.get("name")).and_then(Value::as_str)
    }
    /// Converts a line within this document (1-based) to a line of the user's text.
    pub fn absolute(&self, position: Position) -> Position {
        Position { line: position.line + self.first_line - 1, column: position.column }
    }
}

/// A slice of the user's text holding one YAML document.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Chunk {
    text: String,
    first_line: usize,
}

/// Splits the user's text into YAML documents and parses each one.
/// Empty documents (only comments or blank lines) are skipped, as kubectl does.
pub fn parse_manifest(text: &str) -> Result<Vec<Document>, ManifestError> {
    if text.len() > MAX_MANIFEST_BYTES {
        return Err(ManifestError {
            message: format!(
                "manifest is {} KiB; the playground accepts at most {} KiB",
                text.len() / 1024,
                MAX_MANIFEST_BYTES / 1024
            ),
            position: None,
        });
    }
    let mut documents = Vec::new();
    for chunk in split_documents(text) {
        if chunk.text.lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) {
            continue;
        }
        let value = crate::core::api::yaml::from_str(&chunk.text).map_err(|e| ManifestError {
            message: e.message(),
            position: Some(Position { line: e.line() + chunk.first_line - 1, column: e.column() }),
        })?;
        if value.is_null() {
            continue;
        }
        if depth(&value) > MAX_NESTING_DEPTH {
            return Err(ManifestError {
                message: format!("document is nested deeper than {MAX_NESTING_DEPTH} levels"),
                position: Some(Position { line: chunk.first_line, column: 1 }),
            });
        }
        documents.push(Document { value, text: chunk.text, first_line: chunk.first_line });
    }
    Ok(documents)
}

fn depth(value: &Value) -> usize {
    // Iterative, so a hostile document cannot overflow the stack here.
    let mut deepest = 0;
    let mut stack = vec![(value, 1usize)];
    while let Some((v, d)) = stack.pop() {
        deepest = deepest.max(d);
        match v {
            Value::Sequence(items) => stack.extend(items.iter().map(|i| (i, d + 1))),
            Value::Mapping(map) => stack.extend(map.values().map(|i| (i, d + 1))),
            _ => {}
        }
    }
    deepest
}

/// Helm's section headers in `helm install --dry-run --debug` output.
const HELM_YAML_SECTIONS: [&str; 2] = ["HOOKS:", "MANIFEST:"];
const HELM_OTHER_SECTIONS: [&str; 4] = ["NOTES:", "USER-SUPPLIED VALUES:", "COMPUTED VALUES:", "TEST SUITE:"];

fn is_helm_debug_output(text: &str) -> bool {
    text.lines().any(|l| l.trim_end() == "MANIFEST:")
        && text.lines().any(|l| l.starts_with("NAME:") || l.starts_with("STATUS:"))
}

fn split_documents(text: &str) -> Vec<Chunk> {
    let helm = is_helm_debug_output(text);
    // Outside helm output every line is YAML; inside it, only lines under HOOKS/MANIFEST.
    let mut in_yaml = !helm;
    let mut chunks = Vec::new();
    let mut current = Chunk { text: String::new(), first_line: 1 };
    for (index, line) in text.lines().enumerate() {
        let line_number = index + 1;
        if helm {
            let header = line.trim_end();
            if HELM_YAML_SECTIONS.contains(&header) || HELM_OTHER_SECTIONS.contains(&header) {
                in_yaml = HELM_YAML_SECTIONS.contains(&header);
                push_chunk(&mut chunks, &mut current, line_number + 1);
                continue;
            }
        }
        if !in_yaml {
            current.first_line = line_number + 1;
            continue;
        }
        if is_document_separator(line) {
            push_chunk(&mut chunks, &mut current, line_number + 1);
            continue;
        }
        current.text.push_str(line);
        current.text.push('\n');
    }
    push_chunk(&mut chunks, &mut current, 0);
    chunks
}

fn push_chunk(chunks: &mut Vec<Chunk>, current: &mut Chunk, next_first_line: usize) {
    let finished = std::mem::replace(current, Chunk { text: String::new(), first_line: next_first_line });
    if !finished.text.trim().is_empty() {
        chunks.push(finished);
    }
}

fn is_document_separator(line: &str) -> bool {
    line == "---" || line.starts_with("--- ") || line.starts_with("---\t") || line.trim_end() == "..."
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::samples::DEFAULT_MANIFEST;

    #[test]
    fn the_default_manifest_is_a_headless_service_and_a_statefulset() {
        let docs = parse_manifest(DEFAULT_MANIFEST).expect("default manifest parses");
        let kinds: Vec<_> = docs.iter().map(|d| (d.kind().unwrap(), d.name().unwrap())).collect();
        assert_eq!(kinds, [("Service", "visits"), ("StatefulSet", "web")]);
        assert_eq!(docs[1].first_line, 15, "the StatefulSet starts after the separator");
    }

    #[test]
    fn a_syntax_error_is_reported_at_its_line_in_the_whole_text() {
        let text = "kind: Service\n---\nkind: StatefulSet\nspec:\n  replicas: 3\n bad: indent\n";
        let error = parse_manifest(text).unwrap_err();
        assert_eq!(error.position.map(|p| p.line), Some(6), "{error}");
        assert!(!error.message.contains(" at line "), "position is not repeated in the message");
    }

    #[test]
    fn helm_dry_run_debug_output_keeps_only_hooks_and_manifest_documents() {
        let text = "\
NAME: demo
LAST DEPLOYED: Mon Mar 10 10:00:00 2025
NAMESPACE: default
STATUS: pending-install
REVISION: 1
USER-SUPPLIED VALUES:
{}

COMPUTED VALUES:
replicaCount: 3

HOOKS:
---
# Source: demo/templates/tests/test-connection.yaml
apiVersion: v1
kind: Pod
metadata:
  name: demo-test-connection
MANIFEST:
---
# Source: demo/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: demo
---
# Source: demo/templates/statefulset.yaml
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: demo

NOTES:
1. Get the application URL by running these commands:
  export POD_NAME=$(kubectl get pods)
";
        let docs = parse_manifest(text).expect("helm output parses");
        let names: Vec<_> = docs.iter().map(|d| d.name().unwrap()).collect();
        assert_eq!(names, ["demo-test-connection", "demo", "demo"]);
        assert_eq!(docs[1].first_line, 21, "positions still point into the pasted text");
    }

    #[test]
    fn comment_only_and_empty_documents_are_skipped() {
        let docs = parse_manifest("---\n# nothing\n---\n\n---\nkind: Service\n").unwrap();
        assert_eq!(docs.len(), 1);
    }

    #[test]
    fn oversized_and_too_deep_manifests_are_refused_with_a_message() {
        let huge = "a: b\n".repeat(MAX_MANIFEST_BYTES / 5 + 1);
        assert!(parse_manifest(&huge).unwrap_err().message.contains("at most 1024 KiB"));
        let deep = "a: ".to_string() + &"[".repeat(100) + &"]".repeat(100);
        assert!(parse_manifest(&deep).is_err());
    }
}
