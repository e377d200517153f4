//! Issue 16: Helm's commands on charts in the terminal, story by story, with
//! Helm v3.21's words and shapes (`helm create`'s chart, hooks by weight and
//! delete policy, values from -f and --set, upgrades that drop objects, rollback,
//! errors with the template's file and line).

use sts_playground::cli::{Output, Terminal};
use sts_playground::core::cluster::Cluster;

struct Lab {
    cluster: Cluster,
    terminal: Terminal,
}

impl Lab {
    /// A cluster and a terminal with `helm create web` done.
    fn new() -> Lab {
        let mut lab = Lab { cluster: sts_playground::cli::new_cluster(3), terminal: Terminal::new() };
        assert_eq!(lab.out("helm create web"), "Creating web\n");
        lab
    }
    fn run(&mut self, line: &str) -> Output {
        self.terminal.run(&mut self.cluster, line)
    }
    fn out(&mut self, line: &str) -> String {
        self.run(line).stdout()
    }
    fn err(&mut self, line: &str) -> String {
        let output = self.run(line);
        output.text()[output.stdout().len()..].to_string()
    }
    fn write(&mut self, path: &str, text: &str) {
        self.terminal.put_host_file(path, text.to_string());
    }
    fn settle(&mut self) {
        let until = self.cluster.now() + 60_000;
        self.cluster.run_until(until);
    }
}

/// The starter chart renders the objects `helm create` gives: a ServiceAccount, a
/// ClusterIP Service and a Deployment of nginx:1.16.0, in Helm's install order, then
/// the test-connection hook; the NodePort branch of NOTES.txt follows the values.
#[test]
fn the_starter_chart_renders_as_helm_create_makes_it() {
    let mut lab = Lab::new();
    let rendered = lab.out("helm template demo ./web");
    let kinds: Vec<&str> = rendered.lines().filter(|l| l.starts_with("kind: ")).collect();
    assert_eq!(kinds, ["kind: ServiceAccount", "kind: Service", "kind: Deployment", "kind: Pod"]);
    let sources: Vec<&str> = rendered.lines().filter(|l| l.starts_with("# Source: ")).collect();
    assert_eq!(
        sources,
        [
            "# Source: web/templates/serviceaccount.yaml",
            "# Source: web/templates/service.yaml",
            "# Source: web/templates/deployment.yaml",
            "# Source: web/templates/tests/test-connection.yaml"
        ]
    );
    assert!(rendered.contains("  name: demo-web\n"), "the fullname helper: release-chart");
    assert!(rendered.contains("          image: \"nginx:1.16.0\"\n"), "the tag defaults to appVersion");
    assert!(rendered.contains("    helm.sh/chart: web-0.1.0\n    app.kubernetes.io/name: web\n    app.kubernetes.io/instance: demo\n    app.kubernetes.io/version: \"1.16.0\"\n    app.kubernetes.io/managed-by: Helm\n"));
    assert!(rendered.contains("      args: ['demo-web:80']\n"));
    let notes = lab.out("helm install demo ./web --set service.type=NodePort --dry-run");
    assert!(notes.contains("NOTES:\n1. Get the application URL by running these commands:\n  export NODE_PORT=$(kubectl get --namespace default -o jsonpath=\"{.spec.ports[0].nodePort}\" services demo-web)\n"), "{notes}");
    assert!(notes.contains("STATUS: pending-install\n"));
    assert!(notes.contains("HOOKS:\n---\n# Source: web/templates/tests/test-connection.yaml\n"));
    assert!(notes.contains("MANIFEST:\n---\n# Source: web/templates/serviceaccount.yaml\n"));
}

/// `helm lint` of the fresh chart says only what Helm's own test expects; a chart
/// whose template does not parse fails with the file and line.
#[test]
fn lint_reports_the_icon_and_template_errors() {
    let mut lab = Lab::new();
    assert_eq!(
        lab.out("helm lint web"),
        "==> Linting web\n[INFO] Chart.yaml: icon is recommended\n\n1 chart(s) linted, 0 chart(s) failed\n"
    );
    lab.write("web/templates/broken.yaml", "kind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }\n");
    let output = lab.run("helm lint web");
    assert!(
        output
            .stdout()
            .contains("[ERROR] templates/: parse error at (web/templates/broken.yaml:3): unexpected \"}\" in operand"),
        "{}",
        output.stdout()
    );
    assert_eq!(lab.err("helm lint web"), "Error: 1 chart(s) linted, 1 chart(s) failed\n");
}

/// Template errors read as Helm prints them: a parse error with its file and line, a
/// `required` value as an execution error at its place, a missing parent as Go's nil
/// pointer, and a template that is not YAML with the file it came from.
#[test]
fn template_errors_name_the_file_and_line() {
    let mut lab = Lab::new();
    lab.write("web/templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  tag: {{ required \"image.tag is required\" .Values.image.tag }}\n");
    assert_eq!(
        lab.err("helm template web ./web"),
        "Error: execution error at (web/templates/cm.yaml:6:10): image.tag is required\n\nUse --debug flag to render out invalid YAML\n"
    );
    assert!(lab.out("helm template web ./web --set image.tag=2").contains("  tag: 2\n"));
    lab.write(
        "web/templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  x: {{ .Values.missing.deeper }}\n",
    );
    assert_eq!(
        lab.err("helm template web ./web"),
        "Error: template: web/templates/cm.yaml:6:15: executing \"web/templates/cm.yaml\" at <.Values.missing.deeper>: nil pointer evaluating interface {}.deeper\n\nUse --debug flag to render out invalid YAML\n"
    );
    lab.write("web/templates/cm.yaml", "{{ if .Values.x }}\n");
    assert_eq!(
        lab.err("helm template web ./web"),
        "Error: parse error at (web/templates/cm.yaml:2): unexpected EOF\n\nUse --debug flag to render out invalid YAML\n"
    );
    // helm install says it without the hint.
    assert_eq!(
        lab.err("helm install web ./web"),
        "Error: INSTALLATION FAILED: parse error at (web/templates/cm.yaml:2): unexpected EOF\n"
    );
    lab.write("web/templates/cm.yaml", "a: b: c\n");
    assert!(lab.err("helm template web ./web").starts_with("Error: YAML parse error on web/templates/cm.yaml: "));
}

/// Values: the chart's, then `-f` files in order, then `--set` (typed) and
/// `--set-string`; lists by index; `helm get values` shows what the user gave.
#[test]
fn values_come_from_the_chart_files_and_set_flags() {
    let mut lab = Lab::new();
    lab.write("prod.yaml", "replicaCount: 3\nimage:\n  tag: \"1.27\"\n");
    lab.write("web/templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  replicas: {{ .Values.replicaCount | quote }}\n  tag: {{ .Values.image.tag | quote }}\n  repository: {{ .Values.image.repository }}\n  first: {{ index .Values.list 0 | quote }}\n  flag: {{ .Values.flag | quote }}\n");
    let rendered = lab.out("helm template web ./web -f prod.yaml --set replicaCount=5,list[0]=x --set-string flag=true --show-only templates/cm.yaml");
    assert!(
        rendered
            .contains("  replicas: \"5\"\n  tag: \"1.27\"\n  repository: nginx\n  first: \"x\"\n  flag: \"true\"\n"),
        "{rendered}"
    );
    lab.out("helm install web ./web -f prod.yaml --set list[0]=x");
    assert_eq!(
        lab.out("helm get values web"),
        "USER-SUPPLIED VALUES:\nimage:\n  tag: \"1.27\"\nlist:\n- x\nreplicaCount: 3\n"
    );
    assert!(lab.out("helm get values web -a").starts_with("COMPUTED VALUES:\naffinity: {}\n"));
}

/// An upgrade that drops a template deletes its object; `rollback` brings the old
/// revision's objects back as a new revision; `history` tells the story.
#[test]
fn upgrade_removes_what_the_chart_dropped_and_rollback_restores_it() {
    let mut lab = Lab::new();
    lab.write("web/templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  a: b\n");
    lab.out("helm install web ./web");
    assert!(lab.out("kubectl get configmap extra").contains("extra"));
    let secret = lab.out("kubectl get secret sh.helm.release.v1.web.v1 --show-labels");
    assert!(
        secret.contains("helm.sh/release.v1") && secret.contains("name=web,owner=helm,status=deployed,version=1"),
        "{secret}"
    );
    lab.terminal.put_host_file("web/templates/cm.yaml", String::new());
    assert!(lab
        .out("helm upgrade web ./web")
        .starts_with("Release \"web\" has been upgraded. Happy Helming!\nNAME: web\n"));
    assert_eq!(
        lab.err("kubectl get configmap extra"),
        "Error from server (NotFound): configmaps \"extra\" not found\n"
    );
    assert_eq!(lab.out("helm rollback web"), "Rollback was a success! Happy Helming!\n");
    assert!(lab.out("kubectl get configmap extra").contains("extra"));
    let history = lab.out("helm history web");
    let statuses: Vec<&str> = history.lines().skip(1).map(|l| l.split('\t').nth(2).unwrap_or("").trim()).collect();
    assert_eq!(statuses, ["superseded", "superseded", "deployed"]);
    assert!(history.trim_end().ends_with("Rollback to 1"), "{history}");
    assert_eq!(lab.err("helm rollback web 9"), "Error: release has no 9 version\n");
    // The objects carry Helm's marks.
    let annotations = lab.out("kubectl get deploy web -o jsonpath={.metadata.annotations}");
    assert!(annotations.contains("\"meta.helm.sh/release-name\":\"web\""), "{annotations}");
}

/// Hooks run at their event by weight; `hook-succeeded` deletes the hook after it
/// ran; a test hook waits for `helm test`.
#[test]
fn hooks_run_at_their_event_in_weight_order() {
    let mut lab = Lab::new();
    let hook = |name: &str, event: &str, weight: i64, policy: &str| {
        format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  annotations:\n    \"helm.sh/hook\": {event}\n    \"helm.sh/hook-weight\": \"{weight}\"\n    \"helm.sh/hook-delete-policy\": {policy}\ndata:\n  at: {{{{ .Release.Revision | quote }}}}\n")
    };
    lab.write("web/templates/hook-a.yaml", &hook("late", "pre-install", 5, "before-hook-creation"));
    lab.write("web/templates/hook-b.yaml", &hook("early", "pre-install", -5, "hook-succeeded"));
    lab.write("web/templates/hook-c.yaml", &hook("after-upgrade", "post-upgrade", 0, "before-hook-creation"));
    let dry = lab.out("helm install web ./web --dry-run");
    let hooks: Vec<&str> = dry.lines().filter(|l| l.starts_with("# Source: web/templates/hook")).collect();
    assert_eq!(
        hooks,
        [
            "# Source: web/templates/hook-b.yaml",
            "# Source: web/templates/hook-c.yaml",
            "# Source: web/templates/hook-a.yaml"
        ],
        "by weight"
    );
    lab.out("helm install web ./web");
    assert!(lab.out("kubectl get configmap late").contains("late"), "a pre-install hook ran");
    assert!(lab.err("kubectl get configmap early").contains("not found"), "hook-succeeded deletes it");
    assert!(lab.err("kubectl get configmap after-upgrade").contains("not found"), "not an install hook");
    lab.out("helm upgrade web ./web");
    assert_eq!(lab.out("kubectl get configmap after-upgrade -o jsonpath={.data.at}"), "2");
    assert!(lab.err("kubectl get pod web-test-connection").contains("not found"), "tests wait for helm test");
    // pre-/post-delete hooks run around uninstall; the hook's object outlives the release.
    lab.write("web/templates/hook-d.yaml", &hook("farewell", "post-delete", 0, "before-hook-creation"));
    lab.out("helm upgrade web ./web");
    assert!(lab.err("kubectl get configmap farewell").contains("not found"), "not yet");
    assert_eq!(lab.out("helm uninstall web"), "release \"web\" uninstalled\n");
    assert_eq!(lab.out("kubectl get configmap farewell -o jsonpath={.data.at}"), "3");
    assert!(lab.err("kubectl get deploy web").contains("not found"));
}

/// `helm test` runs the test pod until it finishes and reports its phase;
/// `uninstall` removes the objects and the release's Secrets.
#[test]
fn test_then_uninstall() {
    let mut lab = Lab::new();
    lab.out("helm install web ./web");
    lab.settle();
    let tested = lab.out("helm test web");
    assert!(tested.contains("TEST SUITE:     web-test-connection\nLast Started:   "), "{tested}");
    assert!(tested.contains("Phase:          Succeeded\n"));
    assert_eq!(lab.out("helm uninstall web"), "release \"web\" uninstalled\n");
    assert_eq!(lab.out("helm list"), "NAME\tNAMESPACE\tREVISION\tUPDATED\tSTATUS\tCHART\tAPP VERSION\n");
    assert!(!lab.out("kubectl get secrets").contains("sh.helm.release"));
    assert_eq!(lab.err("helm uninstall web"), "Error: uninstall: Release not loaded: web: release: not found\n");
    assert_eq!(lab.err("helm status web"), "Error: release: not found\n");
}

/// The words of Helm for what it refuses.
#[test]
fn helm_refuses_in_its_own_words() {
    let mut lab = Lab::new();
    assert_eq!(
        lab.err("helm create 'my chart'"),
        "Error: chart name must match the regular expression \"^[a-zA-Z0-9._-]+$\"\n"
    );
    assert_eq!(lab.err("helm install web ./nothing"), "Error: INSTALLATION FAILED: path \"./nothing\" not found\n");
    assert_eq!(
        lab.err("helm install"),
        "Error: \"helm install\" requires at least 1 argument\n\nUsage:  helm install [NAME] [CHART] [flags]\n"
    );
    assert_eq!(
        lab.err("helm install ./web"),
        "Error: INSTALLATION FAILED: must either provide a name or specify --generate-name\n"
    );
    assert_eq!(
        lab.err("helm install web ./web --generate-name"),
        "Error: INSTALLATION FAILED: cannot set --generate-name and also specify a name\n"
    );
    assert_eq!(lab.err("helm upgrade web ./web"), "Error: UPGRADE FAILED: \"web\" has no deployed releases\n");
    assert_eq!(lab.err("helm install web ./web --frobnicate"), "Error: unknown flag: --frobnicate\n");
    assert_eq!(
        lab.err("helm install web ./web -n other"),
        "Error: create: failed to create: namespaces \"other\" not found\n"
    );
    lab.out("helm install web ./web");
    assert_eq!(
        lab.err("helm install web ./web"),
        "Error: INSTALLATION FAILED: cannot re-use a name that is still in use\n"
    );
    assert_eq!(
        lab.out("helm create web").lines().nth(1),
        Some("WARNING: File \"/web/Chart.yaml\" already exists. Overwriting.")
    );
}

/// `--generate-name` names the release after the chart's directory and the time,
/// as Helm's `Install.NameAndChart` does.
#[test]
fn generate_name_takes_the_charts_name_and_the_time() {
    let mut lab = Lab::new();
    let installed = lab.out("helm install ./web/ --generate-name");
    let name = installed.lines().next().unwrap_or_default().trim_start_matches("NAME: ").to_string();
    assert!(name.starts_with("web-17"), "{installed}");
    assert_eq!(name.len(), "web-".len() + 10, "seconds since 1970: {name}");
    assert!(lab.out("helm list").contains(&name));
}

/// `.Files`: the chart's other files, read whole, by line, by glob, and as a
/// ConfigMap's or Secret's data (Helm's AsConfig and AsSecrets).
#[test]
fn files_of_the_chart_reach_the_templates() {
    let mut lab = Lab::new();
    lab.write("web/config/app.properties", "a=1\nb=2\n");
    lab.write("web/config/log.conf", "level=info");
    lab.write(
        "web/templates/files.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: files\ndata:\n  app: {{ .Files.Get \"config/app.properties\" | quote }}\n{{ (.Files.Glob \"config/*\").AsConfig | indent 2 }}\n  lines: {{ len (.Files.Lines \"config/app.properties\") | quote }}\n  missing: {{ .Files.Get \"nope\" | quote }}\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: files\ndata:\n{{ (.Files.Glob \"config/*.conf\").AsSecrets | indent 2 }}\n",
    );
    let rendered = lab.out("helm template web ./web --show-only templates/files.yaml");
    // Helm's install order puts the Secret before the ConfigMap.
    let expected = "---\n# Source: web/templates/files.yaml\napiVersion: v1\nkind: Secret\nmetadata:\n  name: files\ndata:\n  log.conf: bGV2ZWw9aW5mbw==\n---\n# Source: web/templates/files.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: files\ndata:\n  app: \"a=1\\nb=2\\n\"\n  app.properties: |\n    a=1\n    b=2\n  log.conf: level=info\n  lines: \"2\"\n  missing: \"\"\n";
    assert_eq!(rendered, expected);
    // Ranged over (paths in order), tested, counted, as Helm's Files map is.
    lab.write(
        "web/templates/files.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ranged\ndata:\n  paths: \"{{ range $path, $_ := .Files.Glob \"config/*\" }}{{ $path }}={{ len ($.Files.Get $path) }} {{ end }}\"\n  empty: \"{{ if .Files.Glob \"none/*\" }}some{{ else }}none{{ end }} {{ len (.Files.Glob \"config/*.conf\") }} {{ (.Files.Glob \"none/*\").AsConfig }}\"\n",
    );
    let rendered = lab.out("helm template web ./web --show-only templates/files.yaml");
    assert!(
        rendered.ends_with("  paths: \"config/app.properties=8 config/log.conf=10 \"\n  empty: \"none 1 {}\"\n"),
        "{rendered}"
    );
    // Templates, Chart.yaml and values.yaml are not among them; a wrong call says so.
    lab.write("web/templates/files.yaml", "{{ .Files.Get \"Chart.yaml\" | quote }} {{ .Files.Get }}\n");
    assert_eq!(
        lab.err("helm template web ./web --show-only templates/files.yaml"),
        "Error: template: web/templates/files.yaml:1:47: executing \"web/templates/files.yaml\" at <.Files.Get>: wrong number of args for Get: want 1 got 0\n\nUse --debug flag to render out invalid YAML\n"
    );
}

/// Helm 3's three-way merge: the patch takes the live object to the new rendering,
/// so a `kubectl scale` is undone by the next upgrade or rollback (the chart sets
/// `replicas`), while a label only the live object has stays.
#[test]
fn upgrade_patches_the_live_object_to_the_chart() {
    let mut lab = Lab::new();
    lab.out("helm install web ./web");
    lab.settle();
    assert_eq!(lab.out("kubectl scale deploy web --replicas=4"), "deployment.apps/web scaled\n");
    assert_eq!(lab.out("kubectl label deploy web team=blue"), "deployment.apps/web labeled\n");
    lab.out("helm upgrade web ./web --set image.tag=1.17.0");
    let shape = "kubectl get deploy web -o jsonpath='{.spec.replicas} {.spec.template.spec.containers[0].image} {.metadata.labels.team}'";
    assert_eq!(lab.out(shape), "1 nginx:1.17.0 blue", "replicas back to the chart's 1; the live-only label stays");
    lab.out("kubectl scale deploy web --replicas=0");
    lab.out("helm rollback web 1");
    assert_eq!(lab.out(shape), "1 nginx:1.16.0 blue", "Helm 3's rollback restores what the chart says");
}

/// The test pod's `wget` really asks the Service: with no pod behind it, busybox's
/// wget cannot connect, exits 1, the pod ends in Error and `helm test` fails.
#[test]
fn helm_test_fails_when_nothing_answers_behind_the_service() {
    let mut lab = Lab::new();
    lab.out("helm install web ./web --set replicaCount=0");
    lab.settle();
    let output = lab.run("helm test web");
    assert!(output.stdout().contains("Phase:          Failed\n"), "{}", output.text());
    assert_eq!(lab.err("helm test web"), "Error: 1 error occurred:\n\t* pod web-test-connection failed\n\n");
    let pod = lab.out("kubectl get pod web-test-connection");
    assert!(pod.contains("web-test-connection   0/1     Error"), "{pod}");
}

/// Any busybox pod that runs a command to its end takes the command's exit status:
/// `kubectl run` of a wget that reaches a Service completes; one that cannot, errs.
#[test]
fn a_shell_pods_command_decides_completed_or_error() {
    let mut lab = Lab::new();
    lab.out("helm install web ./web");
    lab.settle();
    lab.out("kubectl run ok --image=busybox --restart=Never -- wget -qO- http://web");
    lab.out("kubectl run nope --image=busybox --restart=Never -- wget -qO- http://nothing-here");
    lab.settle();
    let pods = lab.out("kubectl get pods ok nope");
    assert!(pods.contains("ok     0/1     Completed"), "{pods}");
    assert!(pods.contains("nope   0/1     Error"), "{pods}");
    // What the command printed is the container's log.
    assert!(lab.out("kubectl logs ok").contains("Welcome to nginx!"), "the page wget fetched");
    assert_eq!(lab.out("kubectl logs nope"), "wget: bad address 'nothing-here'\n");
}
