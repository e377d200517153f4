//! The commands on a chart: `create`, `lint`, `template`, and what install and
//! upgrade share with them (loading the chart, the user's values, rendering).

use super::*;

pub(super) fn create(term: &mut Terminal, args: &Args) -> Ran {
    let [path] = args.positional[..] else {
        return needs("create", 1, "helm create NAME");
    };
    let mut output = format!("Creating {path}\n");
    let root = path.trim_start_matches("./").trim_end_matches('/');
    let name = root.rsplit('/').next().unwrap_or(root);
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')) {
        let mut ran = Ran::out(output);
        ran.output.err("Error: chart name must match the regular expression \"^[a-zA-Z0-9._-]+$\"\n");
        ran.status = 1;
        return ran;
    }
    for (file, text) in chart::STARTER {
        let full = format!("{root}/{file}");
        if term.read_host_file(&full).is_some() {
            output.push_str(&format!("WARNING: File \"/{full}\" already exists. Overwriting.\n"));
        }
        term.put_host_file(&full, text.replace("<CHARTNAME>", name));
    }
    Ran::out(output)
}

/// The chart at `path` on the terminal's machine.
pub(super) fn load_chart(term: &Terminal, path: &str) -> Result<Chart, String> {
    let list = term.host_file_names();
    chart::load(&|file| term.read_host_file(file), &list, path)
}

/// The user's values: each `-f` file, then `--set`, then `--set-string`.
pub(super) fn supplied_values(term: &Terminal, args: &Args) -> Result<Value, String> {
    let mut values = Mapping::new();
    for file in args.values(&["-f", "--values"]) {
        let text = term
            .read_host_file(file.trim_start_matches("./"))
            .ok_or_else(|| format!("open {file}: no such file or directory"))?;
        if let Value::Mapping(map) = chart::read_values(&text).map_err(|e| format!("failed to parse {file}: {e}"))? {
            for (key, value) in map {
                values.insert(key, value);
            }
        }
    }
    for (flag, expression) in &args.flags {
        match *flag {
            "--set" => chart::apply_set(&mut values, expression, false)?,
            "--set-string" => chart::apply_set(&mut values, expression, true)?,
            _ => {}
        }
    }
    Ok(Value::Mapping(values))
}

pub(super) fn lint(term: &Terminal, args: &Args) -> Ran {
    let paths: Vec<&str> = if args.positional.is_empty() { vec!["."] } else { args.positional.clone() };
    let mut out = String::new();
    let mut failed = 0;
    for path in &paths {
        out.push_str(&format!("==> Linting {path}\n"));
        let result = load_chart(term, path).and_then(|chart| {
            let values = supplied_values(term, args)?;
            let computed = chart::coalesce(&chart, &values);
            chart::render(
                &chart,
                &computed,
                &ReleaseInfo { name: "test-release", namespace: "default", revision: 1, upgrade: false },
            )
            .map(|_| chart)
            .map_err(|e| format!("[ERROR] templates/: {e}"))
        });
        match result {
            Ok(chart) => {
                let has_icon = term
                    .read_host_file(&format!("{}/Chart.yaml", path.trim_start_matches("./").trim_end_matches('/')))
                    .is_some_and(|t| t.lines().any(|l| l.starts_with("icon:")));
                if !has_icon {
                    out.push_str("[INFO] Chart.yaml: icon is recommended\n");
                }
                let _ = chart;
            }
            Err(message) if message.starts_with("[ERROR]") => {
                failed += 1;
                out.push_str(&format!("{message}\n"));
            }
            Err(message) => {
                failed += 1;
                out.push_str(&format!("Error unable to check Chart.yaml file in chart: {message}\n"));
            }
        }
        out.push('\n');
    }
    let summary = format!("{} chart(s) linted, {failed} chart(s) failed", paths.len());
    if failed > 0 {
        let mut ran = Ran::out(out);
        ran.output.err(format!("Error: {summary}\n"));
        ran.status = 1;
        return ran;
    }
    Ran::out(format!("{out}{summary}\n"))
}

/// `helm template [NAME] CHART`.
pub(super) fn template(term: &Terminal, args: &Args) -> Ran {
    let name = match args.positional[..] {
        [_chart] => "release-name",
        [name, _chart] => name,
        _ => {
            return error(
                "\"helm template\" requires at least 1 argument\n\nUsage:  helm template [NAME] [CHART] [flags]",
            )
        }
    };
    let namespace = args.value(&["-n", "--namespace"]).unwrap_or("default");
    let rendered = match render_chart(term, args, name, namespace, 1, false) {
        Ok((_, _, rendered)) => rendered,
        // Helm's template command on a chart that did not render (a release with
        // partial data comes back): a hint to use --debug, which prints what did
        // render; for a file that is not valid YAML that is every file, as it is.
        Err(message) if RENDER_ERRORS.iter().any(|start| message.starts_with(start)) => {
            if !args.has(&["--debug"]) {
                return error(format!("{message}\n\nUse --debug flag to render out invalid YAML"));
            }
            let mut ran = error(&message);
            if message.starts_with("YAML parse error") {
                let dump = invalid_yaml_dump(term, args, name, namespace);
                ran.output.chunks.insert(0, (crate::cli::Stream::Out, format!("{}\n", dump.trim())));
            }
            return ran;
        }
        Err(message) => return error(message),
    };
    let mut out = format!("{}\n", chart::manifest_text(&rendered.manifests).trim());
    if !args.has(&["--no-hooks"]) {
        for hook in &rendered.hooks {
            if args.has(&["--skip-tests"]) && hook.hooks.iter().any(|h| h == "test" || h == "test-success") {
                continue;
            }
            out.push_str(&format!("---\n# Source: {}\n{}\n", hook.source, hook.text));
        }
    }
    let shown = args.values(&["-s", "--show-only"]);
    if !shown.is_empty() {
        let mut selected = String::new();
        for wanted in shown {
            let source = format!("{}/{}", rendered_chart_name(&rendered), wanted.trim_start_matches("./"));
            let found: Vec<&Manifest> =
                rendered.manifests.iter().chain(&rendered.hooks).filter(|m| m.source == source).collect();
            if found.is_empty() {
                return error(format!("could not find template {wanted} in chart"));
            }
            for manifest in found {
                selected.push_str(&format!("---\n# Source: {}\n{}\n", manifest.source, manifest.text));
            }
        }
        out = selected;
    }
    Ran::out(out)
}

pub(super) fn rendered_chart_name(rendered: &chart::Rendered) -> String {
    rendered
        .manifests
        .iter()
        .chain(&rendered.hooks)
        .next()
        .and_then(|m| m.source.split('/').next())
        .unwrap_or_default()
        .to_string()
}

/// How the errors of rendering (not of loading the chart or its values) begin.
const RENDER_ERRORS: [&str; 4] = ["parse error at", "template: ", "execution error at", "YAML parse error"];

/// Every file of the chart as it rendered, for `helm template --debug` on invalid YAML.
fn invalid_yaml_dump(term: &Terminal, args: &Args, name: &str, namespace: &str) -> String {
    let path = args.positional.last().copied().unwrap_or(".");
    let (Ok(chart), Ok(supplied)) = (load_chart(term, path), supplied_values(term, args)) else { return String::new() };
    let computed = chart::coalesce(&chart, &supplied);
    chart::dump(&chart, &computed, &ReleaseInfo { name, namespace, revision: 1, upgrade: false })
}

/// Loads the chart, computes the values and renders: (chart, user values, rendered).
pub(super) fn render_chart(
    term: &Terminal,
    args: &Args,
    name: &str,
    namespace: &str,
    revision: i64,
    upgrade: bool,
) -> Result<(Chart, Value, chart::Rendered), String> {
    let path = args.positional.last().copied().unwrap_or(".");
    let chart = load_chart(term, path)?;
    let supplied = supplied_values(term, args)?;
    let computed = chart::coalesce(&chart, &supplied);
    let rendered = chart::render(&chart, &computed, &ReleaseInfo { name, namespace, revision, upgrade })?;
    Ok((chart, supplied, rendered))
}
