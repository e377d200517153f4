//! A chart on the learner's machine (the terminal's files): `helm create`'s
//! starter, reading Chart.yaml and values (with `-f` and `--set`), and rendering
//! its templates into manifests and hooks as Helm's engine and
//! `releaseutil.SortManifests` do.

use super::template::{merge_into, Templates};
use crate::core::api::yaml::{self, Mapping, Number, Value};

/// `helm create`'s files (Helm v3.21's pkg/chartutil/create.go), `<CHARTNAME>` standing for the name.
pub const STARTER: &[(&str, &str)] = &[
    ("Chart.yaml", include_str!("starter/Chart.yaml")),
    ("values.yaml", include_str!("starter/values.yaml")),
    (".helmignore", include_str!("starter/dothelmignore")),
    ("templates/ingress.yaml", include_str!("starter/templates_ingress.yaml")),
    ("templates/httproute.yaml", include_str!("starter/templates_httproute.yaml")),
    ("templates/deployment.yaml", include_str!("starter/templates_deployment.yaml")),
    ("templates/service.yaml", include_str!("starter/templates_service.yaml")),
    ("templates/serviceaccount.yaml", include_str!("starter/templates_serviceaccount.yaml")),
    ("templates/hpa.yaml", include_str!("starter/templates_hpa.yaml")),
    ("templates/NOTES.txt", include_str!("starter/templates_NOTES.txt")),
    ("templates/_helpers.tpl", include_str!("starter/templates__helpers.tpl")),
    ("templates/tests/test-connection.yaml", include_str!("starter/templates_tests_test-connection.yaml")),
];

/// A chart read from files.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// Chart.yaml's `name`.
    pub name: String,
    pub version: String,
    pub app_version: String,
    /// Chart.yaml as Helm's `.Chart` shows it (`Name`, `Version`, `AppVersion`…).
    pub metadata: Value,
    /// values.yaml.
    pub values: Value,
    /// Files under `templates/`, by their path in the chart (`templates/x.yaml`).
    pub templates: Vec<(String, String)>,
    /// The chart's other files, as `.Files` has them (not Chart.yaml, values.yaml,
    /// templates/ or charts/).
    pub files: Vec<(String, String)>,
}

/// One rendered object: where it came from, what it is, and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    /// `mychart/templates/deployment.yaml`.
    pub source: String,
    pub kind: String,
    pub name: String,
    pub text: String,
    /// `helm.sh/hook` (`test`, `pre-install`…), empty for a plain object.
    pub hooks: Vec<String>,
    pub weight: i64,
    pub delete_policies: Vec<String>,
}

/// What a chart renders to.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rendered {
    pub manifests: Vec<Manifest>,
    pub hooks: Vec<Manifest>,
    pub notes: String,
}

/// The chart under `path` among the terminal's files (`path/Chart.yaml`…).
pub fn load(files: &dyn Fn(&str) -> Option<String>, list: &[String], path: &str) -> Result<Chart, String> {
    let root = path.trim_start_matches("./").trim_end_matches('/');
    let chart_yaml = files(&format!("{root}/Chart.yaml")).ok_or_else(|| {
        if list.iter().any(|f| f.starts_with(&format!("{root}/"))) {
            "Chart.yaml file is missing".to_string()
        } else {
            format!("path \"{path}\" not found")
        }
    })?;
    let metadata = yaml::from_str(&chart_yaml).map_err(|e| {
        format!("cannot load Chart.yaml: error converting YAML to JSON: yaml: line {}: {}", e.line(), e.message())
    })?;
    let field = |key: &str| metadata.get(key).map(crate::cli::render::scalar_text).unwrap_or_default();
    let name = field("name");
    if name.is_empty() {
        return Err("validation: chart.metadata.name is required".into());
    }
    if field("apiVersion").is_empty() {
        return Err("validation: chart.metadata.apiVersion is required".into());
    }
    let version = field("version");
    if version.is_empty() {
        return Err("validation: chart.metadata.version is required".into());
    }
    let values = match files(&format!("{root}/values.yaml")) {
        Some(text) => read_values(&text).map_err(|e| format!("cannot load values.yaml: {e}"))?,
        None => Value::Mapping(Mapping::new()),
    };
    let prefix = format!("{root}/templates/");
    let templates = list
        .iter()
        .filter_map(|f| f.strip_prefix(&prefix).map(|rest| (format!("templates/{rest}"), files(f).unwrap_or_default())))
        .collect();
    let files = list
        .iter()
        .filter_map(|f| f.strip_prefix(&format!("{root}/")))
        .filter(|rest| {
            !matches!(*rest, "Chart.yaml" | "values.yaml")
                && !rest.starts_with("templates/")
                && !rest.starts_with("charts/")
        })
        .map(|rest| (rest.to_string(), files(&format!("{root}/{rest}")).unwrap_or_default()))
        .collect();
    let mut shown = Mapping::new();
    for (key, go) in [
        ("name", "Name"),
        ("version", "Version"),
        ("appVersion", "AppVersion"),
        ("description", "Description"),
        ("type", "Type"),
        ("apiVersion", "APIVersion"),
        ("kubeVersion", "KubeVersion"),
        ("home", "Home"),
        ("icon", "Icon"),
        ("keywords", "Keywords"),
    ] {
        if let Some(value) = metadata.get(key) {
            shown.insert(Value::from(go), value.clone());
        }
    }
    Ok(Chart {
        name,
        version,
        app_version: field("appVersion"),
        metadata: Value::Mapping(shown),
        values,
        templates,
        files,
    })
}

/// A values file as Helm reads it: through JSON, so every number is a float64.
pub fn read_values(text: &str) -> Result<Value, String> {
    let value = yaml::from_str(text)
        .map_err(|e| format!("error converting YAML to JSON: yaml: line {}: {}", e.line(), e.message()))?;
    match value {
        Value::Null => Ok(Value::Mapping(Mapping::new())),
        value @ Value::Mapping(_) => Ok(as_floats(value)),
        _ => Err("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}".into()),
    }
}

fn as_floats(value: Value) -> Value {
    match value {
        Value::Number(n) if !n.is_f64() => Value::Number(Number::Float(n.to_string())),
        Value::Sequence(items) => Value::Sequence(items.into_iter().map(as_floats).collect()),
        Value::Mapping(map) => Value::Mapping(map.into_iter().map(|(k, v)| (k, as_floats(v))).collect()),
        other => other,
    }
}

/// `--set a.b=c,list[0]=x` (strvals): ints, booleans and `null` typed, the rest strings
/// (all strings with `--set-string`), merged into `into`.
pub fn apply_set(into: &mut Mapping, expression: &str, strings: bool) -> Result<(), String> {
    for assignment in split_unescaped(expression, ',') {
        let Some((path, raw)) = assignment.split_once('=') else {
            return Err(format!("failed parsing --set data: key \"{assignment}\" has no value"));
        };
        let value = if strings {
            Value::String(raw.to_string())
        } else {
            match raw {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                "null" => Value::Null,
                _ => raw.parse::<i64>().map(Value::from).unwrap_or_else(|_| Value::String(raw.replace("\\,", ","))),
            }
        };
        set_path(into, path, value)?;
    }
    Ok(())
}

fn split_unescaped(text: &str, separator: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut escaped = false;
    for c in text.chars() {
        if c == separator && !escaped {
            parts.push(String::new());
        } else if let Some(last) = parts.last_mut() {
            last.push(c);
        }
        escaped = c == '\\' && !escaped;
    }
    parts.into_iter().filter(|p| !p.is_empty()).collect()
}

/// Sets `a.b[1].c` in `map`, making maps and lists on the way.
fn set_path(map: &mut Mapping, path: &str, value: Value) -> Result<(), String> {
    let (key, rest) = match path.find(['.', '[']) {
        Some(i) => (&path[..i], &path[i..]),
        None => (path, ""),
    };
    if key.is_empty() {
        return Err(format!("failed parsing --set data: key \"{path}\" has no value"));
    }
    if rest.is_empty() {
        map.insert(Value::from(key), value);
        return Ok(());
    }
    let mut current = map.get(key).cloned().unwrap_or(Value::Null);
    set_in(&mut current, rest, value)?;
    map.insert(Value::from(key), current);
    Ok(())
}

fn set_in(target: &mut Value, rest: &str, value: Value) -> Result<(), String> {
    if let Some(after) = rest.strip_prefix('.') {
        if !target.is_mapping() {
            *target = Value::Mapping(Mapping::new());
        }
        if let Value::Mapping(map) = target {
            return set_path(map, after, value);
        }
    }
    if let Some(after) = rest.strip_prefix('[') {
        let (index, tail) = after.split_once(']').ok_or("failed parsing --set data: missing ]")?;
        let index: usize = index.parse().map_err(|_| format!("failed parsing --set data: bad index \"{index}\""))?;
        if index > 10_000 {
            return Err(format!("index of {index} is greater than maximum supported index of 65536"));
        }
        if !matches!(target, Value::Sequence(_)) {
            *target = Value::Sequence(Vec::new());
        }
        if let Value::Sequence(items) = target {
            while items.len() <= index {
                items.push(Value::Null);
            }
            if tail.is_empty() {
                items[index] = value;
            } else {
                set_in(&mut items[index], tail, value)?;
            }
        }
        return Ok(());
    }
    Err(format!("failed parsing --set data: unexpected \"{rest}\""))
}

/// The values a render sees: the chart's, then each `-f` file, then `--set`s.
pub fn coalesce(chart: &Chart, supplied: &Value) -> Value {
    let mut values = match &supplied {
        Value::Mapping(map) => map.clone(),
        _ => Mapping::new(),
    };
    if let Value::Mapping(defaults) = &chart.values {
        merge_into(&mut values, defaults, false);
    }
    // A null given by the user removes the chart's key (Helm's coalesce).
    Value::Mapping(values.into_iter().filter(|(_, v)| !v.is_null()).collect())
}

/// The release the templates see as `.Release`.
pub struct ReleaseInfo<'a> {
    pub name: &'a str,
    pub namespace: &'a str,
    pub revision: i64,
    pub upgrade: bool,
}

/// Renders every template of `chart` with `values`, as `helm template` and install do.
pub fn render(chart: &Chart, values: &Value, release: &ReleaseInfo) -> Result<Rendered, String> {
    let mut rendered = Rendered::default();
    for (name, output) in render_files(chart, values, release)? {
        if name.ends_with("templates/NOTES.txt") {
            rendered.notes = output;
            continue;
        }
        for document in split_documents(&output) {
            let manifest = manifest_of(&name, &document)?;
            if manifest.hooks.is_empty() {
                rendered.manifests.push(manifest);
            } else {
                rendered.hooks.push(manifest);
            }
        }
    }
    rendered.manifests.sort_by_key(|m| install_rank(&m.kind));
    rendered.hooks.sort_by_key(|m| (m.weight, install_rank(&m.kind)));
    Ok(rendered)
}

/// What `helm template --debug` prints when a rendered file is not valid YAML
/// (Helm's renderResources): every file that rendered to something, as it is.
pub fn dump(chart: &Chart, values: &Value, release: &ReleaseInfo) -> String {
    let mut files = render_files(chart, values, release).unwrap_or_default();
    // Helm ranges over a Go map here (a random order); by name is one of its orders.
    files.sort();
    files
        .iter()
        // NOTES.txt is taken out before (it is not a manifest).
        .filter(|(name, output)| !output.trim().is_empty() && !name.ends_with("NOTES.txt"))
        .map(|(name, output)| format!("---\n# Source: {name}\n{output}\n"))
        .collect()
}

/// Every template of `chart` executed (not the partials), by name
/// (`web/templates/service.yaml`), with what it printed: Helm's engine.Render.
fn render_files(chart: &Chart, values: &Value, release: &ReleaseInfo) -> Result<Vec<(String, String)>, String> {
    let mut templates = Templates::new();
    let named: Vec<(String, &str)> =
        chart.templates.iter().map(|(path, text)| (format!("{}/{path}", chart.name), text.as_str())).collect();
    for (name, text) in &named {
        templates.add(name, text).map_err(|e| {
            let text = e.to_string();
            // Helm's cleanupParseError: the place and the last part of the message.
            let mut parts = text.split(": ");
            let _template = parts.next();
            let place = parts.next().unwrap_or(name);
            let message = text.rsplit(": ").next().unwrap_or(&text);
            format!("parse error at ({place}): {message}")
        })?;
    }
    let mut top = Mapping::new();
    top.insert(Value::from("Values"), values.clone());
    top.insert(Value::from("Chart"), chart.metadata.clone());
    let release_value = yaml::from_str(&format!(
        "Name: {}\nNamespace: {}\nRevision: {}\nIsUpgrade: {}\nIsInstall: {}\nService: Helm",
        crate::core::quoted(release.name),
        crate::core::quoted(release.namespace),
        release.revision,
        release.upgrade,
        !release.upgrade
    ))
    .unwrap_or_default();
    top.insert(Value::from("Release"), release_value);
    top.insert(
        Value::from("Capabilities"),
        yaml::from_str("KubeVersion: {Version: v1.32.0, GitVersion: v1.32.0, Major: \"1\", Minor: \"32\"}\nHelmVersion: {Version: v3.21.4}\nAPIVersions: [v1, apps/v1, batch/v1, networking.k8s.io/v1, autoscaling/v2, storage.k8s.io/v1]").unwrap_or_default(),
    );
    top.insert(Value::from("Files"), super::template::files::object(&chart.files));
    let mut data = Value::Mapping(top);
    let mut files = Vec::new();
    for (name, _) in &named {
        let file = name.rsplit('/').next().unwrap_or(name);
        if file.starts_with('_') || (file == "NOTES.txt" && !name.ends_with("templates/NOTES.txt")) {
            continue;
        }
        // `.Template` is the file's own; the rest is the same for every file.
        if let Value::Mapping(top) = &mut data {
            top.insert(
                Value::from("Template"),
                yaml::from_str(&format!("Name: {}\nBasePath: {}/templates", crate::core::quoted(name), chart.name))
                    .unwrap_or_default(),
            );
        }
        let output = templates.render(name, &data).map_err(|e| reformat_exec_error(&e.to_string()))?;
        // Helm's engine drops what a missing value printed.
        files.push((name.clone(), output.replace("<no value>", "")));
    }
    Ok(files)
}

/// Helm's reformatExecErrorMsg: `required` and `fail` read as
/// `execution error at (FILE:LINE:COL): MESSAGE`.
fn reformat_exec_error(text: &str) -> String {
    for function in ["error calling required: ", "error calling fail: "] {
        if let Some(at) = text.rfind(function) {
            let message = &text[at + function.len()..];
            let place = text.strip_prefix("template: ").and_then(|t| t.split(": ").next()).unwrap_or("");
            return format!("execution error at ({place}): {message}");
        }
    }
    text.to_string()
}

/// releaseutil.SplitManifests: documents between `---` lines, trimmed, empty ones dropped.
fn split_documents(text: &str) -> Vec<String> {
    let mut documents = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        if line.trim_end() == "---" || line.starts_with("--- ") {
            documents.push(std::mem::take(&mut current));
            continue;
        }
        current.push_str(line);
        current.push('\n');
    }
    documents.push(current);
    documents.into_iter().map(|d| d.trim().to_string()).filter(|d| !d.is_empty() && !only_comments(d)).collect()
}

fn only_comments(document: &str) -> bool {
    document.lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
}

fn manifest_of(source: &str, text: &str) -> Result<Manifest, String> {
    let value = yaml::from_str(text).map_err(|e| {
        format!("YAML parse error on {source}: error converting YAML to JSON: yaml: line {}: {}", e.line(), e.message())
    })?;
    let field = |path: &[&str]| {
        let mut v = &value;
        for key in path {
            v = v.get(*key)?;
        }
        v.as_str().map(str::to_string)
    };
    let annotations = |key: &str| field(&["metadata", "annotations", key]).unwrap_or_default();
    let list = |text: String| text.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    Ok(Manifest {
        source: source.to_string(),
        kind: field(&["kind"]).unwrap_or_default(),
        name: field(&["metadata", "name"]).unwrap_or_default(),
        text: text.to_string(),
        hooks: list(annotations("helm.sh/hook")),
        weight: annotations("helm.sh/hook-weight").trim().parse().unwrap_or(0),
        delete_policies: list(annotations("helm.sh/hook-delete-policy")),
    })
}

/// releaseutil.InstallOrder.
const INSTALL_ORDER: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

/// Where a kind goes in the install order (unknown kinds last).
pub fn install_rank(kind: &str) -> usize {
    INSTALL_ORDER.iter().position(|k| *k == kind).unwrap_or(INSTALL_ORDER.len())
}

/// `---\n# Source: PATH\nTEXT\n` for each manifest: a release's manifest, as Helm stores it.
pub fn manifest_text(manifests: &[Manifest]) -> String {
    manifests.iter().map(|m| format!("---\n# Source: {}\n{}\n", m.source, m.text)).collect()
}
