//! Finds where a field path such as `spec.template.spec.containers[0].image`
//! is written in a YAML document, by indentation, so errors can point at it.

use crate::core::api::manifest::Position;

/// One path step: a mapping key, optionally followed by a list index.
pub fn steps(path: &str) -> Vec<(&str, Option<usize>)> {
    path.split('.')
        .filter(|s| !s.is_empty())
        .map(|step| match step.split_once('[') {
            Some((key, rest)) => (key, rest.trim_end_matches(']').parse().ok()),
            None => (step, None),
        })
        .collect()
}

/// Indentation of a line, counting a leading `- ` as indentation (list items).
fn indent_and_body(line: &str) -> (usize, &str) {
    let trimmed = line.trim_start_matches(' ');
    let mut indent = line.len() - trimmed.len();
    let mut body = trimmed;
    while let Some(rest) = body.strip_prefix("- ") {
        indent += 2 + (rest.len() - rest.trim_start_matches(' ').len());
        body = rest.trim_start_matches(' ');
    }
    (indent, body)
}

/// The 1-based position (within `document`) of the deepest part of `path` that is
/// written there: the field itself, or the closest parent when it is missing.
pub fn locate(document: &str, path: &str) -> Option<Position> {
    let lines: Vec<&str> = document.lines().collect();
    let mut found: Option<Position> = None;
    let mut from = 0usize;
    let mut to = lines.len();
    let mut parent_indent: Option<usize> = None;
    for (key, index) in steps(path) {
        let mut hit = None;
        for (number, line) in lines.iter().enumerate().take(to).skip(from) {
            let (indent, body) = indent_and_body(line);
            if body.is_empty() || body.starts_with('#') {
                continue;
            }
            if parent_indent.is_some_and(|p| indent <= p) && number > from {
                break;
            }
            if body.starts_with(&format!("{key}:")) && parent_indent.is_none_or(|p| indent > p) {
                hit = Some((number, indent));
                break;
            }
        }
        let Some((number, indent)) = hit else { break };
        found = Some(Position { line: number + 1, column: indent + 1 });
        // The block of this key: following lines indented deeper (or list items at the same indent).
        let end = (number + 1..lines.len())
            .find(|&n| {
                let (i, body) = indent_and_body(lines[n]);
                let is_item = lines[n].trim_start().starts_with("- ");
                !body.is_empty()
                    && !body.starts_with('#')
                    && (i < indent || (i == indent && !is_item) || (i <= indent && !is_item))
            })
            .unwrap_or(lines.len());
        from = number + 1;
        to = end;
        parent_indent = Some(indent);
        if let Some(wanted) = index {
            // Find the wanted list item: lines starting with "- " in this block at the shallowest dash indent.
            let items: Vec<usize> = (from..to).filter(|&n| lines[n].trim_start().starts_with("- ")).collect();
            let item_indent = items.iter().map(|&n| lines[n].len() - lines[n].trim_start().len()).min();
            let items: Vec<usize> = items
                .into_iter()
                .filter(|&n| Some(lines[n].len() - lines[n].trim_start().len()) == item_indent)
                .collect();
            let Some(&start) = items.get(wanted) else { break };
            let stop = items.get(wanted + 1).copied().unwrap_or(to);
            let dash = item_indent.unwrap_or(0);
            found = Some(Position { line: start + 1, column: dash + 1 });
            // Keys of the item sit at dash + 2; everything deeper than the dash belongs to it.
            from = start;
            to = stop;
            parent_indent = Some(dash);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::samples::DEFAULT_MANIFEST;

    fn at(path: &str) -> (usize, usize) {
        let statefulset = DEFAULT_MANIFEST.split("---\n").nth(1).unwrap();
        let p = locate(statefulset, path).unwrap();
        (p.line, p.column)
    }

    #[test]
    fn fields_are_found_by_their_path() {
        assert_eq!(at("spec.replicas"), (7, 3));
        assert_eq!(at("metadata.name"), (4, 3));
        assert_eq!(at("spec.template.spec.containers[0].image"), (18, 11));
        assert_eq!(at("spec.template.metadata.labels"), (13, 7));
        assert_eq!(at("spec.volumeClaimTemplates[0].spec.accessModes"), (32, 9));
    }

    #[test]
    fn a_missing_field_points_at_its_closest_parent() {
        assert_eq!(at("spec.ordinals.start"), (5, 1));
        assert_eq!(at("spec.template.spec.containers[3].image"), (16, 7));
    }
}
