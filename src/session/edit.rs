//! Edits the user's manifest text for the page's spec buttons (scale, image,
//! partition, update strategy, pod management policy), so the YAML stays the
//! source of truth: a button changes one field of the StatefulSet's document,
//! keeps every other line (comments included) as written, and the page then
//! applies the text like `kubectl apply`. An edit that cannot be made safely
//! (flow style such as `updateStrategy: {type: OnDelete}`) is refused with a
//! message instead of guessed.

use crate::core::api::yaml::Value;

use crate::core::api::manifest::{parse_manifest, Document, Position};
use crate::core::apiserver::locate::{locate, steps};

/// One change a button asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpecChange {
    Replicas(i64),
    /// The first container's image.
    Image(String),
    /// `spec.updateStrategy.rollingUpdate.partition` (RollingUpdate only, §3.5).
    Partition(i64),
    /// `RollingUpdate` or `OnDelete`; OnDelete drops the `rollingUpdate` block,
    /// which the API server only allows with RollingUpdate.
    Strategy(String),
    /// `OrderedReady` or `Parallel` (immutable: the API server refuses the
    /// change, which is the lesson).
    Policy(String),
}

impl SpecChange {
    /// The field path and its new value, as YAML text.
    fn field(&self) -> (&'static str, String) {
        match self {
            SpecChange::Replicas(n) => ("spec.replicas", n.to_string()),
            SpecChange::Image(image) => ("spec.template.spec.containers[0].image", image.clone()),
            SpecChange::Partition(n) => ("spec.updateStrategy.rollingUpdate.partition", n.to_string()),
            SpecChange::Strategy(kind) => ("spec.updateStrategy.type", kind.clone()),
            SpecChange::Policy(policy) => ("spec.podManagementPolicy", policy.clone()),
        }
    }
}

/// The text with `change` made to the StatefulSet called `set`.
pub fn edit_statefulset(text: &str, set: &str, change: &SpecChange) -> Result<String, String> {
    let documents = parse_manifest(text).map_err(|e| format!("the manifest does not parse ({e}); fix it first"))?;
    let document = statefulset(&documents, set).ok_or_else(|| format!("the editor has no StatefulSet named {set}"))?;
    let (path, value) = change.field();
    let mut lines: Vec<String> = document.text.lines().map(str::to_string).collect();
    if matches!(change, SpecChange::Strategy(kind) if kind == "OnDelete") {
        remove_block(&mut lines, "spec.updateStrategy.rollingUpdate");
    }
    set_scalar(&mut lines, path, &value)?;
    // Splice the document back between the lines around it.
    let all: Vec<&str> = text.lines().collect();
    let first = document.first_line - 1;
    let count = document.text.lines().count();
    let mut out: Vec<String> = all[..first.min(all.len())].iter().map(|l| l.to_string()).collect();
    out.extend(lines);
    out.extend(all.iter().skip(first + count).map(|l| l.to_string()));
    let mut edited = out.join("\n");
    if text.ends_with('\n') {
        edited.push('\n');
    }
    // Never hand back text that does not say what was asked.
    let check = parse_manifest(&edited).ok();
    let written = check.as_deref().and_then(|docs| statefulset(docs, set)).and_then(|d| value_at(&d.value, path));
    if written.as_deref() != Some(value.as_str()) {
        return Err(format!("could not change {path} in the editor safely; edit it by hand"));
    }
    Ok(edited)
}

fn statefulset<'a>(documents: &'a [Document], set: &str) -> Option<&'a Document> {
    documents.iter().find(|d| d.kind() == Some("StatefulSet") && d.name() == Some(set))
}

/// The scalar at a path such as `spec.template.spec.containers[0].image`, as text.
fn value_at(value: &Value, path: &str) -> Option<String> {
    let mut here = value;
    for (key, index) in steps(path) {
        here = here.get(key)?;
        if let Some(index) = index {
            here = here.get(index)?;
        }
    }
    match here {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The last key of a path (`partition`, or `containers` for `containers[0]`).
fn last_key(path: &str) -> &str {
    let step = path.rsplit('.').next().unwrap_or(path);
    step.split('[').next().unwrap_or(step)
}

/// The 0-based line and indent of exactly this path's key, if it is written.
fn key_line(lines: &[String], path: &str) -> Option<(usize, usize)> {
    let position = locate(&lines.join("\n"), path)?;
    let body = lines.get(position.line - 1)?.get(position.column - 1..)?;
    let body = body.trim_start_matches(['-', ' ']);
    body.starts_with(&format!("{}:", last_key(path))).then_some((position.line - 1, position.column - 1))
}

/// What follows `key:` on a line, without a trailing comment.
fn inline_value(line: &str) -> &str {
    let after = line.split_once(':').map_or("", |(_, rest)| rest);
    after.split(" #").next().unwrap_or(after).trim()
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// Sets a scalar field, writing the missing parent keys under the deepest one that exists.
fn set_scalar(lines: &mut Vec<String>, path: &str, value: &str) -> Result<(), String> {
    if let Some((line, column)) = key_line(lines, path) {
        let old = lines[line].clone();
        let comment = old.split_once(" #").map(|(_, c)| format!(" #{c}")).unwrap_or_default();
        let start = old[column..].find(last_key(path)).map_or(column, |at| column + at);
        lines[line] = format!("{}{}: {value}{comment}", &old[..start], last_key(path));
        return Ok(());
    }
    let steps: Vec<&str> = path.split('.').collect();
    for depth in (1..steps.len()).rev() {
        let parent = steps[..depth].join(".");
        let Some((line, column)) = key_line(lines, &parent) else { continue };
        if !inline_value(&lines[line]).is_empty() {
            return Err(format!("{parent} is written on one line; edit it by hand"));
        }
        // Children sit where the next line's key sits, else two spaces deeper.
        let next_indent = lines
            .iter()
            .skip(line + 1)
            .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .map(|l| indent_of(l));
        let child = next_indent.filter(|&i| i > column).unwrap_or(column + 2);
        let missing = &steps[depth..];
        let inserted = missing.iter().enumerate().map(|(n, key)| {
            let pad = " ".repeat(child + 2 * n);
            if n + 1 == missing.len() {
                format!("{pad}{key}: {value}")
            } else {
                format!("{pad}{key}:")
            }
        });
        lines.splice(line + 1..line + 1, inserted);
        return Ok(());
    }
    Err(format!("the StatefulSet has no {} to change", steps[0]))
}

/// Removes a key and everything indented under it.
fn remove_block(lines: &mut Vec<String>, path: &str) {
    if let Some((line, column)) = key_line(lines, path) {
        let end = (line + 1..lines.len())
            .find(|&n| !lines[n].trim().is_empty() && indent_of(&lines[n]) <= column)
            .unwrap_or(lines.len());
        lines.drain(line..end);
    }
}

/// Where the manifest text writes `field` of the object `kind`/`name` (an
/// event's source, for the editor to show): the field, or its closest parent
/// written there. None if no document is that object.
pub fn position_of(text: &str, kind: &str, name: &str, field: &str) -> Option<Position> {
    let documents = parse_manifest(text).ok()?;
    let document = documents.iter().find(|d| d.kind() == Some(kind) && d.name() == Some(name))?;
    locate(&document.text, field).map(|p| document.absolute(p))
}

/// The images the page offers for a rollout: the set's earlier images (from
/// its ControllerRevisions, so a broken rollout can be reverted), the current
/// one, a next version of the newest working one, and the two that fail on
/// purpose (`:crash` exits 1, `:missing` cannot be pulled).
pub fn image_choices(current: &str, earlier: &[&str]) -> Vec<String> {
    let split = |image: &str| match image.rsplit_once(':') {
        Some((repository, tag)) if !tag.contains('/') => (repository.to_string(), tag.to_string()),
        _ => (image.to_string(), "latest".to_string()),
    };
    let broken = |tag: &str| ["crash", "missing"].iter().any(|b| tag == *b || tag.ends_with(&format!("-{b}")));
    let mut choices: Vec<String> = Vec::new();
    let mut offer = |image: String| {
        if !choices.contains(&image) {
            choices.push(image);
        }
    };
    for image in earlier.iter().copied().chain([current]) {
        offer(image.to_string());
    }
    let (repository, _) = split(current);
    let working =
        earlier.iter().copied().chain([current]).rev().map(split).find(|(r, tag)| *r == repository && !broken(tag));
    if let Some((_, tag)) = working {
        let next = match tag.rsplit_once('.').and_then(|(major, minor)| Some((major, minor.parse::<u32>().ok()?))) {
            Some((major, minor)) => format!("{major}.{}", minor + 1),
            None => format!("{tag}-2"),
        };
        offer(format!("{repository}:{next}"));
    }
    offer(format!("{repository}:crash"));
    offer(format!("{repository}:missing"));
    choices
}

/// What Enter inserts in the manifest editor: a newline and the indentation
/// of the line the caret is on, two spaces deeper after a `key:` that opens a
/// block, and under a list item's content (`- name: x` continues at `name`).
pub fn newline_indent(before_caret: &str) -> String {
    let line = before_caret.rsplit('\n').next().unwrap_or("");
    let indent = line.len() - line.trim_start_matches(' ').len();
    let body = line.trim_start_matches(' ');
    let dash = if body.starts_with("- ") { 2 } else { 0 };
    let opens_block = body.trim_end().ends_with(':') || body.trim_end() == "-";
    let depth = indent + dash + if opens_block { 2 } else { 0 };
    format!("\n{}", " ".repeat(depth))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::samples::DEFAULT_MANIFEST;

    fn edited(text: &str, change: SpecChange) -> String {
        edit_statefulset(text, "web", &change).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn scaling_changes_one_line_and_keeps_the_rest_as_written() {
        let text = edited(DEFAULT_MANIFEST, SpecChange::Replicas(5));
        assert!(text.contains("  replicas: 5\n"), "{text}");
        let changed: Vec<_> = DEFAULT_MANIFEST.lines().zip(text.lines()).filter(|(a, b)| a != b).collect();
        assert_eq!(changed.len(), 1, "{changed:?}");
        assert_eq!(text.lines().count(), DEFAULT_MANIFEST.lines().count());
    }

    #[test]
    fn a_partition_is_written_under_the_strategy_it_belongs_to() {
        let text = edited(DEFAULT_MANIFEST, SpecChange::Partition(2));
        assert!(
            text.contains("spec:\n  updateStrategy:\n    rollingUpdate:\n      partition: 2\n  serviceName: visits\n"),
            "{text}"
        );
        // Changing it again edits the same line.
        let again = edited(&text, SpecChange::Partition(0));
        assert_eq!(again.matches("partition:").count(), 1);
        assert!(again.contains("partition: 0"));
        // OnDelete drops the rollingUpdate block, which the API server allows only with RollingUpdate.
        let on_delete = edited(&again, SpecChange::Strategy("OnDelete".into()));
        assert!(!on_delete.contains("rollingUpdate") && on_delete.contains("type: OnDelete"), "{on_delete}");
        let back = edited(&on_delete, SpecChange::Strategy("RollingUpdate".into()));
        assert!(back.contains("type: RollingUpdate"));
    }

    #[test]
    fn the_image_is_the_first_containers_even_on_its_dash_line_and_comments_stay() {
        let text = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: web\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - image: nginx:1.25 # the web server\n        name: nginx\n";
        let out = edited(text, SpecChange::Image("nginx:crash".into()));
        assert!(out.contains("      - image: nginx:crash # the web server\n"), "{out}");
        let policy = edited(text, SpecChange::Policy("Parallel".into()));
        assert!(policy.contains("spec:\n  podManagementPolicy: Parallel\n  serviceName: web"), "{policy}");
        assert!(edited(text, SpecChange::Replicas(2)).contains("  replicas: 2\n"));
    }

    #[test]
    fn edits_it_cannot_make_safely_are_refused() {
        let flow = DEFAULT_MANIFEST
            .replace("spec:\n  serviceName", "spec:\n  updateStrategy: {type: RollingUpdate}\n  serviceName");
        assert!(edit_statefulset(&flow, "web", &SpecChange::Partition(1)).unwrap_err().contains("on one line"));
        assert_eq!(
            edit_statefulset(DEFAULT_MANIFEST, "db", &SpecChange::Replicas(1)).unwrap_err(),
            "the editor has no StatefulSet named db"
        );
        assert!(edit_statefulset("a: [", "web", &SpecChange::Replicas(1)).unwrap_err().contains("fix it first"));
    }

    #[test]
    fn enter_keeps_the_indentation_and_opens_blocks() {
        assert_eq!(newline_indent("spec:\n  replicas: 3"), "\n  ");
        assert_eq!(newline_indent("spec:\n  template:"), "\n    ");
        assert_eq!(newline_indent("      containers:\n        - name: web"), "\n          ");
        assert_eq!(newline_indent(""), "\n");
    }

    #[test]
    fn image_choices_offer_a_next_version_the_two_broken_ones_and_a_way_back() {
        assert_eq!(image_choices("nginx:1.25", &[]), ["nginx:1.25", "nginx:1.26", "nginx:crash", "nginx:missing"]);
        assert_eq!(
            image_choices("registry:5000/app", &[]),
            ["registry:5000/app", "registry:5000/app:latest-2", "registry:5000/app:crash", "registry:5000/app:missing"]
        );
        // After a broken rollout, the earlier image is offered to revert to.
        assert_eq!(
            image_choices("nginx:crash", &["nginx:1.25"]),
            ["nginx:1.25", "nginx:crash", "nginx:1.26", "nginx:missing"]
        );
    }
}
