//! A chart seen from the editor (helm.html): what it renders to as the learner
//! types, and what `helm upgrade` would change in the release of the same name.
//! Computed here on copies of the cluster and terminal, so nothing is recorded
//! and the page holds no Helm logic.

use similar::TextDiff;

use super::Session;

/// The chart's rendering and its difference from the installed release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartPreview {
    /// The release the chart is compared with: the chart's folder name, as the
    /// lab installs it (`helm install web ./web`).
    pub release: String,
    /// `helm template --debug`'s output: the manifests, or when a file renders to
    /// invalid YAML every file as it rendered (Helm's dump).
    pub rendered: String,
    /// Helm's error (with file and line) when the chart did not render.
    pub error: Option<String>,
    /// The line of `rendered` (from 0) that invalid YAML's error points at.
    pub marked: Option<usize>,
    /// A unified diff from the installed release's manifest to the rendered one
    /// (hooks left out: `helm get manifest` has none); None when no release of
    /// that name is installed, empty when nothing would change.
    pub changes: Option<String>,
}

/// The chart in folder `chart` (`web`), with `edited` (a file's path and the
/// editor's text, not yet written) in place of that file.
pub fn preview(session: &Session, chart: &str, edited: Option<(&str, &str)>) -> ChartPreview {
    let mut cluster = session.cluster.clone();
    let mut terminal = session.terminal.clone();
    // On the learner's machine, even while their terminal is in a pod's shell or a watch.
    terminal.inside = None;
    terminal.watch = None;
    if let Some((path, text)) = edited {
        terminal.put_host_file(path, text.to_string());
    }
    let release = chart.rsplit('/').next().unwrap_or(chart).to_string();
    // `helm upgrade` with no values reuses the release's (Helm's reuseValues), so
    // the rendering to compare is the chart with those.
    let values = terminal.run(&mut cluster, &format!("helm get values {release}")).stdout();
    let reused = values.strip_prefix("USER-SUPPLIED VALUES:\n").unwrap_or("null");
    let with_values = if terminal.last_status() == 0 && reused.trim() != "null" && !reused.trim().is_empty() {
        terminal.put_host_file(".helm-preview-values.yaml", reused.to_string());
        " -f .helm-preview-values.yaml"
    } else {
        ""
    };
    let output = terminal.run(&mut cluster, &format!("helm template {release} ./{chart} --debug{with_values}"));
    let rendered = output.stdout();
    let failed = terminal.last_status() != 0;
    let error = failed.then(|| {
        output.chunks.iter().filter(|(stream, _)| *stream == crate::cli::Stream::Err).map(|(_, t)| t.as_str()).collect()
    });
    let marked = error.as_deref().and_then(|error| invalid_yaml_line(error, &rendered));
    let installed = terminal.run(&mut cluster, &format!("helm get manifest {release}"));
    let changes = (terminal.last_status() == 0).then(|| {
        let new = if failed { String::new() } else { without_hooks(&rendered) };
        let old = without_hooks(&installed.stdout());
        let diff = TextDiff::from_lines(&old, &new);
        if diff.ratio() == 1.0 {
            return String::new();
        }
        diff.unified_diff()
            .context_radius(2)
            .header(&format!("installed (helm get manifest {release})"), &format!("rendered (./{chart})"))
            .to_string()
    });
    ChartPreview { release, rendered, error, marked, changes }
}

/// For `YAML parse error on web/templates/x.yaml: … yaml: line N: …`, the line of
/// Helm's dump that the error means: line N of the first document of that file
/// that does not parse, counted as Helm counts it (after the blank lines its
/// split trims).
fn invalid_yaml_line(error: &str, dump: &str) -> Option<usize> {
    let rest = error.split("YAML parse error on ").nth(1)?;
    let (source, rest) = rest.split_once(": ")?;
    let line: usize = rest.split("yaml: line ").nth(1)?.split(':').next()?.parse().ok()?;
    let lines: Vec<&str> = dump.lines().collect();
    let header = lines.iter().position(|l| *l == format!("# Source: {source}"))?;
    let end = lines[header + 1..].iter().position(|l| l.starts_with("# Source: ")).map_or(lines.len(), |i| header + i);
    let mut start = header + 1;
    while start < end {
        let stop = lines[start..end].iter().position(|l| l.trim_end() == "---").map_or(end, |i| start + i);
        let first = (start..stop).find(|&i| !lines[i].trim().is_empty()).unwrap_or(stop);
        let document = lines[first..stop].join("\n");
        if crate::core::api::yaml::from_str(&document).is_err() {
            return Some(first + line - 1);
        }
        start = stop + 1;
    }
    None
}

/// The manifest's documents that are not hooks (a release's manifest holds none).
fn without_hooks(manifest: &str) -> String {
    manifest.split("---\n").filter(|doc| !doc.trim().is_empty() && !doc.contains("helm.sh/hook")).fold(
        String::new(),
        |mut all, doc| {
            all.push_str("---\n");
            all.push_str(doc);
            all
        },
    )
}

/// The line of `file` that Helm's error names (`web/templates/x.yaml:12`), if any.
pub fn error_line(error: &str, file: &str) -> Option<usize> {
    let at = error.find(&format!("{file}:"))? + file.len() + 1;
    let digits: String = error[at..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::samples::DEFAULT_MANIFEST;
    use crate::session::Action;

    fn with_chart() -> Session {
        let mut session = Session::new(1);
        session.run("helm create web", DEFAULT_MANIFEST);
        session
    }

    #[test]
    fn the_chart_renders_with_the_editors_text_before_it_is_written() {
        let session = with_chart();
        let values =
            session.terminal.host_file("web/values.yaml").unwrap().replace("replicaCount: 1", "replicaCount: 4");
        let preview = preview(&session, "web", Some(("web/values.yaml", &values)));
        assert!(preview.rendered.contains("  replicas: 4\n"));
        assert_eq!(preview.error, None);
        assert_eq!(preview.changes, None, "nothing installed yet");
        // Nothing was written or recorded.
        assert!(session.terminal.host_file("web/values.yaml").unwrap().contains("replicaCount: 1"));
    }

    #[test]
    fn changes_show_what_an_upgrade_would_do_to_the_release() {
        let mut session = with_chart();
        session.run("helm install web ./web", DEFAULT_MANIFEST);
        assert_eq!(preview(&session, "web", None).changes.as_deref(), Some(""), "the chart is what is installed");
        let values = session.terminal.host_file("web/values.yaml").unwrap().replace("tag: \"\"", "tag: \"1.17.0\"");
        session.perform(Action::File { path: "web/values.yaml".into(), text: Some(values) });
        let changes = preview(&session, "web", None).changes.unwrap();
        assert!(changes.starts_with("--- installed (helm get manifest web)\n+++ rendered (./web)\n"), "{changes}");
        assert!(
            changes.contains("\n-          image: \"nginx:1.16.0\"\n+          image: \"nginx:1.17.0\"\n"),
            "{changes}"
        );
        assert!(!changes.contains("test-connection"), "hooks are not part of a release's manifest");
    }

    /// `helm upgrade web ./web` alone reuses the install's values: the diff does too.
    #[test]
    fn changes_start_from_the_values_the_release_was_installed_with() {
        let mut session = with_chart();
        session.run("helm install web ./web --set replicaCount=3", DEFAULT_MANIFEST);
        session.apply(DEFAULT_MANIFEST).unwrap();
        session.advance(60 * crate::core::time::SECOND);
        session.run("kubectl exec -it web-0 -- sh", DEFAULT_MANIFEST);
        assert!(session.terminal.inside.is_some(), "the learner is in web-0's shell");
        let preview = preview(&session, "web", None);
        assert_eq!(preview.error, None, "rendered on the laptop, not in the pod's shell");
        assert_eq!(preview.changes.as_deref(), Some(""), "{:?}", preview.changes);
        assert!(preview.rendered.contains("  replicas: 3\n"));
    }

    #[test]
    fn a_template_error_names_its_line() {
        let session = with_chart();
        let broken = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name\n";
        let preview = preview(&session, "web", Some(("web/templates/broken.yaml", broken)));
        let error = preview.error.unwrap();
        assert_eq!(error_line(&error, "web/templates/broken.yaml"), Some(4), "{error}");
        assert_eq!(error_line(&error, "web/templates/service.yaml"), None);
    }

    /// A file that renders to invalid YAML: Helm's dump of every file, with the
    /// line its error names marked.
    #[test]
    fn invalid_yaml_is_shown_with_its_line_marked() {
        let session = with_chart();
        // Leading blank lines and a first document that parses: the line is still found.
        let bad = "\n\nkind: ConfigMap\n---\nkind: ConfigMap\ndata:\n  a: b: c\n";
        let preview = preview(&session, "web", Some(("web/templates/bad.yaml", bad)));
        assert!(preview.error.as_deref().unwrap().starts_with("Error: YAML parse error on web/templates/bad.yaml:"));
        let marked = preview.marked.expect("a line is marked");
        assert_eq!(preview.rendered.lines().nth(marked), Some("  a: b: c"), "{}", preview.rendered);
    }
}
