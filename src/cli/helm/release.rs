//! Releases as Helm 3 keeps them: one Secret per revision,
//! `sh.helm.release.v1.NAME.vN` of type `helm.sh/release.v1`, labelled with the
//! release's name, owner, status and version (pkg/storage/driver/secrets.go);
//! and the status printer install, upgrade, status and test share (cmd/helm/status.go).

use base64::Engine as _;

use super::chart::Manifest;
use crate::cli::render;
use crate::core::api::yaml::{self, Mapping, Value};
use crate::core::cluster::Cluster;
use crate::core::time::{ansic, Millis};

/// One revision of a release.
#[derive(Debug, Clone, PartialEq)]
pub struct Release {
    pub name: String,
    pub namespace: String,
    pub revision: i64,
    /// `deployed`, `superseded`, `failed`, `uninstalled`, `pending-install`…
    pub status: String,
    pub description: String,
    pub chart: String,
    pub chart_version: String,
    pub app_version: String,
    pub first_deployed: Millis,
    pub last_deployed: Millis,
    /// The values the user gave (`-f`, `--set`).
    pub config: Value,
    /// The values the templates saw.
    pub computed: Value,
    pub manifest: String,
    pub hooks: Vec<Manifest>,
    pub notes: String,
    /// Test hooks that ran: (name, started, completed, phase).
    pub tests: Vec<(String, Millis, Millis, String)>,
}

impl Release {
    /// The Secret that stores this revision.
    pub fn secret_name(&self) -> String {
        format!("sh.helm.release.v1.{}.v{}", self.name, self.revision)
    }

    fn to_value(&self) -> Value {
        let hooks: Vec<Value> = self
            .hooks
            .iter()
            .map(|h| {
                let mut map = Mapping::new();
                map.insert("name".into(), Value::String(h.name.clone()));
                map.insert("kind".into(), Value::String(h.kind.clone()));
                map.insert("path".into(), Value::String(h.source.clone()));
                map.insert("manifest".into(), Value::String(h.text.clone()));
                map.insert(
                    "events".into(),
                    Value::Sequence(h.hooks.iter().map(|e| Value::String(e.clone())).collect()),
                );
                map.insert("weight".into(), Value::from(h.weight));
                map.insert(
                    "delete_policies".into(),
                    Value::Sequence(h.delete_policies.iter().map(|e| Value::String(e.clone())).collect()),
                );
                Value::Mapping(map)
            })
            .collect();
        let tests: Vec<Value> = self
            .tests
            .iter()
            .map(|(name, started, completed, phase)| {
                let mut map = Mapping::new();
                map.insert("name".into(), Value::String(name.clone()));
                map.insert("started_at".into(), Value::from(*started as i64));
                map.insert("completed_at".into(), Value::from(*completed as i64));
                map.insert("phase".into(), Value::String(phase.clone()));
                Value::Mapping(map)
            })
            .collect();
        let mut map = Mapping::new();
        for (key, value) in [
            ("name", Value::String(self.name.clone())),
            ("namespace", Value::String(self.namespace.clone())),
            ("version", Value::from(self.revision)),
            ("status", Value::String(self.status.clone())),
            ("description", Value::String(self.description.clone())),
            ("chart", Value::String(self.chart.clone())),
            ("chart_version", Value::String(self.chart_version.clone())),
            ("app_version", Value::String(self.app_version.clone())),
            ("first_deployed", Value::from(self.first_deployed as i64)),
            ("last_deployed", Value::from(self.last_deployed as i64)),
            ("config", self.config.clone()),
            ("computed", self.computed.clone()),
            ("manifest", Value::String(self.manifest.clone())),
            ("hooks", Value::Sequence(hooks)),
            ("notes", Value::String(self.notes.clone())),
            ("tests", Value::Sequence(tests)),
        ] {
            map.insert(Value::from(key), value);
        }
        Value::Mapping(map)
    }

    fn from_value(value: &Value) -> Option<Release> {
        let text = |key: &str| value.get(key).and_then(Value::as_str).unwrap_or_default().to_string();
        let number = |v: Option<&Value>| v.and_then(Value::as_i64).unwrap_or_default();
        let list = |v: Option<&Value>| -> Vec<String> {
            v.and_then(Value::as_sequence)
                .map(|s| s.iter().filter_map(|e| e.as_str().map(str::to_string)).collect())
                .unwrap_or_default()
        };
        let hooks = value
            .get("hooks")
            .and_then(Value::as_sequence)
            .map(|hooks| {
                hooks
                    .iter()
                    .map(|h| Manifest {
                        source: h.get("path").and_then(Value::as_str).unwrap_or_default().into(),
                        kind: h.get("kind").and_then(Value::as_str).unwrap_or_default().into(),
                        name: h.get("name").and_then(Value::as_str).unwrap_or_default().into(),
                        text: h.get("manifest").and_then(Value::as_str).unwrap_or_default().into(),
                        hooks: list(h.get("events")),
                        weight: number(h.get("weight")),
                        delete_policies: list(h.get("delete_policies")),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let tests = value
            .get("tests")
            .and_then(Value::as_sequence)
            .map(|tests| {
                tests
                    .iter()
                    .map(|t| {
                        (
                            t.get("name").and_then(Value::as_str).unwrap_or_default().to_string(),
                            number(t.get("started_at")) as Millis,
                            number(t.get("completed_at")) as Millis,
                            t.get("phase").and_then(Value::as_str).unwrap_or_default().to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        Some(Release {
            name: text("name"),
            namespace: text("namespace"),
            revision: number(value.get("version")),
            status: text("status"),
            description: text("description"),
            chart: text("chart"),
            chart_version: text("chart_version"),
            app_version: text("app_version"),
            first_deployed: number(value.get("first_deployed")) as Millis,
            last_deployed: number(value.get("last_deployed")) as Millis,
            config: value.get("config").cloned().unwrap_or_default(),
            computed: value.get("computed").cloned().unwrap_or_default(),
            manifest: text("manifest"),
            hooks,
            notes: text("notes"),
            tests,
        })
    }

    /// Writes this revision's Secret (created, or replaced with its new status).
    /// Helm gzips the release's JSON before the base64; here it is the JSON alone.
    pub fn store(&self, cluster: &mut Cluster) -> Result<(), String> {
        let json = render::to_json_compact(&self.to_value());
        let encoded = base64::engine::general_purpose::STANDARD.encode(json.as_bytes());
        let secret = format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {}\n  labels:\n    name: {}\n    owner: helm\n    status: {}\n    version: \"{}\"\ntype: helm.sh/release.v1\ndata:\n  release: {encoded}\n",
            self.secret_name(),
            self.name,
            self.status,
            self.revision
        );
        cluster.apply_text(&secret).map(|_| ()).map_err(|e| e.message)
    }
}

/// Every revision of every release, oldest first.
pub fn all(cluster: &Cluster) -> Vec<Release> {
    let mut releases: Vec<Release> = cluster
        .store()
        .secrets
        .values()
        .filter(|s| s.kind.as_deref() == Some("helm.sh/release.v1"))
        .filter_map(|s| {
            let bytes = base64::engine::general_purpose::STANDARD.decode(s.data.get("release")?.trim()).ok()?;
            let value = yaml::from_str(&String::from_utf8(bytes).ok()?).ok()?;
            Release::from_value(&value)
        })
        .collect();
    releases.sort_by(|a, b| (a.name.as_str(), a.revision).cmp(&(b.name.as_str(), b.revision)));
    releases
}

/// The revisions of release `name`, oldest first.
pub fn history(cluster: &Cluster, name: &str) -> Vec<Release> {
    all(cluster).into_iter().filter(|r| r.name == name).collect()
}

/// What `helm install`, `upgrade`, `status` and `test` print (statusPrinter.WriteTable).
pub struct Printer<'a> {
    pub release: &'a Release,
    pub debug: bool,
    /// `--dry-run`: HOOKS and MANIFEST follow.
    pub dry_run: bool,
}

impl Printer<'_> {
    pub fn print(&self) -> String {
        let r = self.release;
        let mut out = format!("NAME: {}\n", r.name);
        out.push_str(&format!("LAST DEPLOYED: {}\n", ansic(r.last_deployed)));
        out.push_str(&format!("NAMESPACE: {}\nSTATUS: {}\nREVISION: {}\n", r.namespace, r.status, r.revision));
        if r.tests.is_empty() {
            out.push_str("TEST SUITE: None\n");
        }
        for (name, started, completed, phase) in &r.tests {
            out.push_str(&format!(
                "TEST SUITE:     {name}\nLast Started:   {}\nLast Completed: {}\nPhase:          {phase}\n",
                ansic(*started),
                ansic(*completed)
            ));
        }
        if self.debug {
            out.push_str(&format!("USER-SUPPLIED VALUES:\n{}\n", values_yaml(&r.config)));
            out.push_str(&format!("COMPUTED VALUES:\n{}\n", values_yaml(&r.computed)));
        }
        if self.dry_run || self.debug {
            out.push_str("HOOKS:\n");
            for hook in &r.hooks {
                out.push_str(&format!("---\n# Source: {}\n{}\n", hook.source, hook.text));
            }
            out.push_str(&format!("MANIFEST:\n{}\n", r.manifest));
        }
        if !r.notes.trim().is_empty() {
            out.push_str(&format!("NOTES:\n{}\n", r.notes.trim()));
        }
        out
    }
}

/// Values as Helm prints them (sigs.k8s.io/yaml): `{}` when there are none.
pub fn values_yaml(values: &Value) -> String {
    match values {
        Value::Mapping(map) if map.is_empty() => "{}\n".into(),
        Value::Null => "null\n".into(),
        other => render::to_yaml(other),
    }
}

/// gosuri/uitable as Helm's tables use it: cells padded to the widest in their
/// column (the last one too), joined by a tab.
pub fn table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| rows.iter().filter_map(|r| r.get(c)).map(|s| s.chars().count()).max().unwrap_or(0))
        .collect();
    rows.iter()
        .map(|row| {
            let cells: Vec<String> =
                row.iter().zip(&widths).map(|(cell, width)| format!("{cell:<width$}", width = *width)).collect();
            format!("{}\n", cells.join("\t"))
        })
        .collect()
}
