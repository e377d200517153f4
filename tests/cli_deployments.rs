//! kubectl for Deployments and ReplicaSets (issue 18 §2–§3): `create deployment`, the
//! columns of `get deploy|rs|hpa|netpol|sa|ing`, `describe deploy|rs`, `scale`, `set
//! image`, `rollout status|history|undo|pause|resume|restart`, `expose`, `autoscale`,
//! `delete`, and completion. Shapes as kubectl 1.32 prints them.

use sts_playground::cli::complete::complete;
use sts_playground::cli::{Output, Terminal};
use sts_playground::core::cluster::Cluster;
use sts_playground::core::time::MINUTE;

struct Lab {
    cluster: Cluster,
    terminal: Terminal,
}

impl Lab {
    fn new() -> Lab {
        Lab { cluster: sts_playground::cli::new_cluster(7), terminal: Terminal::new() }
    }

    /// A lab with `web` (3 × nginx:1.27, port 80) created and rolled out.
    fn with_web() -> Lab {
        let mut lab = Lab::new();
        assert_eq!(
            lab.out("kubectl create deployment web --image=nginx:1.27 --replicas=3 --port=80"),
            "deployment.apps/web created\n"
        );
        lab.settle();
        lab
    }

    fn run(&mut self, line: &str) -> Output {
        self.terminal.run(&mut self.cluster, line)
    }

    /// What the line printed to stdout.
    fn out(&mut self, line: &str) -> String {
        self.run(line).stdout()
    }

    /// Both streams.
    fn text(&mut self, line: &str) -> String {
        self.run(line).text()
    }

    fn settle(&mut self) {
        let last = self.out("kubectl rollout status deployment/web --timeout=5m");
        assert!(last.ends_with("deployment \"web\" successfully rolled out\n"), "{last}");
    }

    fn replica_sets(&self) -> Vec<String> {
        self.cluster.store().replica_sets.keys().cloned().collect()
    }

    fn pods(&self) -> Vec<String> {
        self.cluster.store().pods.keys().cloned().collect()
    }

    /// The ReplicaSet whose template is `image`.
    fn replica_set_of(&self, image: &str) -> String {
        let store = self.cluster.store();
        let rs = store.replica_sets.values().find(|rs| rs.spec.template.spec.containers[0].image == image);
        rs.expect("a ReplicaSet for the image").metadata.name.clone()
    }
}

/// A table row's cells: text separated by runs of two or more spaces.
fn cells(line: &str) -> Vec<String> {
    line.split("  ").map(str::trim).filter(|c| !c.is_empty()).map(str::to_string).collect()
}

fn header(table: &str) -> &str {
    table.lines().next().unwrap_or("")
}

// ---------------------------------------------------------------- create deployment

#[test]
fn create_deployment_makes_the_object_kubectls_generator_makes() {
    let mut lab = Lab::new();
    assert_eq!(
        lab.out("kubectl create deployment web --image=nginx:1.27 --replicas=3 --port=80"),
        "deployment.apps/web created\n"
    );
    let deployment = &lab.cluster.store().deployments["web"];
    assert_eq!(deployment.replicas(), 3);
    assert_eq!(deployment.metadata.labels.get("app").map(String::as_str), Some("web"));
    let selector = deployment.spec.selector.as_ref().unwrap();
    assert_eq!(selector.match_labels.get("app").map(String::as_str), Some("web"));
    assert_eq!(deployment.spec.template.metadata.labels.get("app").map(String::as_str), Some("web"));
    let container = &deployment.spec.template.spec.containers[0];
    assert_eq!((container.name.as_str(), container.image.as_str()), ("nginx", "nginx:1.27"));
    assert_eq!(container.ports[0].container_port, 80);
    // Without --replicas: one; the container is named after the image's last path segment.
    lab.out("kubectl create deployment api --image=registry.k8s.io/echoserver:1.10");
    let api = &lab.cluster.store().deployments["api"];
    assert_eq!(api.replicas(), 1);
    assert_eq!(api.spec.template.spec.containers[0].name, "echoserver");
    assert!(api.spec.template.spec.containers[0].ports.is_empty());
}

#[test]
fn create_deployment_dry_run_prints_the_generated_yaml() {
    let mut lab = Lab::new();
    assert_eq!(
        lab.out("kubectl create deployment web --image=nginx --dry-run=client -o yaml"),
        "apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: web
    spec:
      containers:
      - image: nginx
        name: nginx
        resources: {}
status: {}
"
    );
    assert!(lab.cluster.store().deployments.is_empty(), "a client dry run creates nothing");
    assert_eq!(
        lab.out("kubectl create deployment web --image=nginx --dry-run=client"),
        "deployment.apps/web created (dry run)\n"
    );
}

#[test]
fn create_deployment_errors_read_like_kubectls() {
    let mut lab = Lab::with_web();
    assert_eq!(lab.text("kubectl create deployment web"), "error: required flag(s) \"image\" not set\n");
    assert_eq!(
        lab.text("kubectl create deployment --image=nginx"),
        "error: exactly one NAME is required, got 0\nSee 'kubectl create deployment -h' for help and examples\n"
    );
    let again = lab.run("kubectl create deployment web --image=nginx");
    assert_eq!(again.text(), "error: failed to create deployment: deployments.apps \"web\" already exists\n");
    assert!(lab.text("kubectl create deployment Web --image=nginx").starts_with(
        "error: failed to create deployment: Deployment.apps \"Web\" is invalid: metadata.name: Invalid value: \"Web\""
    ));
}

// ---------------------------------------------------------------- get

#[test]
fn get_deploy_and_rs_print_kubectls_columns() {
    let mut lab = Lab::new();
    lab.out("kubectl create deployment web --image=nginx:1.27 --replicas=3 --port=80");
    let rs = lab.replica_sets()[0].clone();
    assert!(rs.starts_with("web-") && rs.len() > 4, "{rs}");
    let before = lab.out("kubectl get deploy");
    assert_eq!(header(&before), "NAME   READY   UP-TO-DATE   AVAILABLE   AGE");
    assert_eq!(cells(before.lines().nth(1).unwrap()), ["web", "0/3", "3", "0", "0s"]);
    lab.settle();
    let deploy = lab.out("kubectl get deployments.apps web");
    assert_eq!(cells(deploy.lines().nth(1).unwrap())[..4], ["web", "3/3", "3", "3"]);
    let replicasets = lab.out("kubectl get rs");
    assert_eq!(header(&replicasets), format!("NAME{}DESIRED   CURRENT   READY   AGE", " ".repeat(rs.len() - 1)));
    assert_eq!(cells(replicasets.lines().nth(1).unwrap())[..4], [rs.as_str(), "3", "3", "3"]);

    let wide = lab.out("kubectl get deploy -o wide");
    assert_eq!(
        cells(header(&wide)),
        ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"]
    );
    assert_eq!(cells(wide.lines().nth(1).unwrap())[5..], ["nginx", "nginx:1.27", "app=web"]);
    let wide = lab.out("kubectl get replicasets -o wide");
    assert_eq!(
        cells(header(&wide)),
        ["NAME", "DESIRED", "CURRENT", "READY", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"]
    );
    let hash = rs.trim_start_matches("web-");
    let selector = format!("app=web,pod-template-hash={hash}");
    assert_eq!(cells(wide.lines().nth(1).unwrap())[5..], ["nginx", "nginx:1.27", selector.as_str()]);

    // Several kinds: one table each, names prefixed, a blank line between.
    let combined = lab.out("kubectl get deploy,rs");
    assert!(combined.contains("\ndeployment.apps/web   3/3"), "{combined}");
    assert!(combined.contains("\n\nNAME "), "{combined}");
    assert!(combined.contains(&format!("\nreplicaset.apps/{rs}   3 ")), "{combined}");
    assert_eq!(lab.out("kubectl get deploy,rs -o name"), format!("deployment.apps/web\nreplicaset.apps/{rs}\n"));
    // Labels and selectors.
    let labels = lab.out("kubectl get rs --show-labels");
    assert!(labels.lines().nth(1).unwrap().ends_with(&selector), "{labels}");
    assert_eq!(lab.out("kubectl get deploy -l app=web -o name"), "deployment.apps/web\n");
    assert_eq!(lab.text("kubectl get deploy -l app=other"), "No resources found in default namespace.\n");
}

#[test]
fn get_all_lists_pods_services_deployments_replicasets_statefulsets_and_hpas() {
    let mut lab = Lab::with_web();
    lab.out("kubectl autoscale deployment web --max=5");
    let all = lab.out("kubectl get all");
    let headers: Vec<&str> = all.split("\n\n").map(|t| t.lines().nth(1).unwrap().split('/').next().unwrap()).collect();
    assert_eq!(
        headers,
        ["pod", "service", "deployment.apps", "replicaset.apps", "horizontalpodautoscaler.autoscaling"]
    );
}

#[test]
fn get_deploy_yaml_prints_condition_times_as_rfc3339() {
    let mut lab = Lab::with_web();
    let yaml = lab.out("kubectl get deploy web -o yaml");
    assert!(yaml.starts_with("apiVersion: apps/v1\nkind: Deployment\n"), "{yaml}");
    let update = yaml.lines().find(|l| l.trim_start().starts_with("lastUpdateTime:")).expect("lastUpdateTime");
    assert!(update.trim_start().starts_with("lastUpdateTime: 20") && update.ends_with('Z'), "{update}");
    assert!(!yaml.contains("name: \"\""), "a template has no name: {yaml}");
    let time = lab.out("kubectl get deploy web -o jsonpath={.status.conditions[0].lastTransitionTime}");
    assert!(time.starts_with("20") && time.ends_with('Z'), "{time}");
    let json = lab.out("kubectl get rs -o json");
    assert!(json.contains("\"kind\": \"ReplicaSet\""), "{json}");
}

#[test]
fn get_watch_streams_deployment_rows() {
    let mut lab = Lab::with_web();
    lab.run("kubectl get deploy -w");
    assert!(lab.terminal.watch.is_some());
    lab.cluster.scale_deployment("web", 4).unwrap();
    lab.cluster.advance(MINUTE);
    let printed = lab.terminal.watch.as_mut().unwrap().poll(&lab.cluster);
    assert!(printed.lines().any(|l| cells(l)[..2] == ["web", "4/4"]), "{printed}");
}

// ---------------------------------------------------------------- pods of a ReplicaSet

#[test]
fn a_deleted_pod_is_replaced_by_one_with_a_new_hashed_name() {
    let mut lab = Lab::with_web();
    let rs = lab.replica_sets()[0].clone();
    let before = lab.pods();
    assert!(before.iter().all(|p| p.starts_with(&format!("{rs}-")) && p.len() == rs.len() + 6), "{before:?}");
    assert_eq!(lab.out(&format!("kubectl delete pod {}", before[0])), format!("pod \"{}\" deleted\n", before[0]));
    let now: Vec<String> = lab.pods();
    let new: Vec<&String> = now.iter().filter(|p| !before.contains(p)).collect();
    assert_eq!(new.len(), 1, "the ReplicaSet makes one new pod at once: {now:?}");
    assert!(new[0].starts_with(&format!("{rs}-")));
    let pods = lab.out("kubectl get pods");
    assert!(pods.lines().any(|l| l.starts_with(new[0].as_str()) && l.contains("ContainerCreating")), "{pods}");
    lab.cluster.advance(MINUTE);
    assert_eq!(lab.pods().len(), 3);
}

// ---------------------------------------------------------------- describe

#[test]
fn describe_deployment_in_kubectls_layout() {
    let mut lab = Lab::with_web();
    let rs = lab.replica_sets()[0].clone();
    let text = lab.out("kubectl describe deploy web");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "Name:                   web");
    assert_eq!(lines[1], "Namespace:              default");
    assert!(lines[2].starts_with("CreationTimestamp:      "), "{}", lines[2]);
    assert_eq!(lines[3], "Labels:                 app=web");
    assert_eq!(lines[4], "Annotations:            deployment.kubernetes.io/revision: 1");
    assert_eq!(lines[5], "Selector:               app=web");
    assert_eq!(lines[6], "Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable");
    assert_eq!(lines[7], "StrategyType:           RollingUpdate");
    assert_eq!(lines[8], "MinReadySeconds:        0");
    assert_eq!(lines[9], "RollingUpdateStrategy:  25% max unavailable, 25% max surge");
    assert_eq!(lines[10], "Pod Template:");
    assert_eq!(lines[11], "  Labels:  app=web");
    assert!(text.contains(
        "\nConditions:
  Type           Status  Reason
  ----           ------  ------
  Available      True    MinimumReplicasAvailable
  Progressing    True    NewReplicaSetAvailable
OldReplicaSets:  <none>
"
    ));
    assert!(text.contains(&format!("\nNewReplicaSet:   {rs} (3/3 replicas created)\nEvents:\n")), "{text}");
    assert!(text.contains(&format!(
        "  Normal  ScalingReplicaSet  5s    deployment-controller  Scaled up replica set {rs} from 0 to 3\n"
    )));
    // After an update the first ReplicaSet is an old one.
    lab.out("kubectl set image deployment/web nginx=nginx:1.28");
    lab.settle();
    let text = lab.out("kubectl describe deployment.apps/web");
    assert!(text.contains(&format!("\nOldReplicaSets:  {rs} (0/0 replicas created)\n")), "{text}");
}

#[test]
fn describe_replica_set_in_kubectls_layout() {
    let mut lab = Lab::with_web();
    let rs = lab.replica_sets()[0].clone();
    let hash = rs.trim_start_matches("web-").to_string();
    let text = lab.out(&format!("kubectl describe rs {rs}"));
    let head: Vec<&str> = text.lines().take(11).collect();
    assert_eq!(
        head,
        [
            format!("Name:           {rs}"),
            "Namespace:      default".to_string(),
            format!("Selector:       app=web,pod-template-hash={hash}"),
            "Labels:         app=web".to_string(),
            format!("                pod-template-hash={hash}"),
            "Annotations:    deployment.kubernetes.io/desired-replicas: 3".to_string(),
            "                deployment.kubernetes.io/max-replicas: 4".to_string(),
            "                deployment.kubernetes.io/revision: 1".to_string(),
            "Controlled By:  Deployment/web".to_string(),
            "Replicas:       3 current / 3 desired".to_string(),
            "Pods Status:    3 Running / 0 Waiting / 0 Succeeded / 0 Failed".to_string(),
        ]
    );
    assert!(text.contains("  Normal  SuccessfulCreate  "), "{text}");
    assert!(text.contains("replicaset-controller  Created pod: web-"), "{text}");
}

// ---------------------------------------------------------------- scale, set image, rollout

#[test]
fn scale_deployment_and_replica_set() {
    let mut lab = Lab::with_web();
    assert_eq!(lab.out("kubectl scale deploy/web --replicas=5"), "deployment.apps/web scaled\n");
    lab.settle();
    assert_eq!(lab.pods().len(), 5);
    assert_eq!(lab.out("kubectl scale deployment web --replicas=2"), "deployment.apps/web scaled\n");
    assert_eq!(lab.cluster.store().deployments["web"].replicas(), 2);
    assert_eq!(
        lab.text("kubectl scale deploy nope --replicas=2"),
        "Error from server (NotFound): deployments.apps \"nope\" not found\n"
    );
    // A standalone ReplicaSet scales through its own scale subresource.
    let rs = lab.replica_sets()[0].clone();
    lab.out("kubectl delete deploy web --cascade=orphan");
    assert_eq!(lab.out(&format!("kubectl scale rs {rs} --replicas=1")), format!("replicaset.apps/{rs} scaled\n"));
    lab.cluster.advance(MINUTE);
    assert_eq!(lab.pods().len(), 1);
}

#[test]
fn rollout_status_prints_the_deployment_status_viewer_messages() {
    let mut lab = Lab::with_web();
    assert_eq!(lab.out("kubectl set image deployment/web nginx=nginx:1.28"), "deployment.apps/web image updated\n");
    let status = lab.out("kubectl rollout status deployment/web");
    let lines: Vec<&str> = status.lines().collect();
    assert_eq!(
        lines[0],
        "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated..."
    );
    assert!(
        lines.contains(&"Waiting for deployment \"web\" rollout to finish: 1 old replicas are pending termination...")
    );
    assert_eq!(lines.last(), Some(&"deployment \"web\" successfully rolled out"));
    assert_eq!(lab.out("kubectl rollout status deploy/web"), "deployment \"web\" successfully rolled out\n");
    assert_eq!(
        lab.text("kubectl rollout status deployment/nope"),
        "Error from server (NotFound): deployments.apps \"nope\" not found\n"
    );
    assert_eq!(
        lab.text("kubectl set image deployment/web nope=nginx"),
        "error: unable to find container named \"nope\"\n"
    );
}

#[test]
fn rollout_status_fails_when_the_progress_deadline_is_exceeded() {
    let mut lab = Lab::with_web();
    lab.out(r#"kubectl patch deployment web -p '{"spec":{"progressDeadlineSeconds":30}}'"#);
    lab.out("kubectl set image deployment/web nginx=nginx:1.28-missing");
    let ran = lab.run("kubectl rollout status deployment/web");
    assert_eq!(
        ran.stdout().lines().next(),
        Some("Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...")
    );
    assert!(ran.text().ends_with("error: deployment \"web\" exceeded its progress deadline\n"), "{}", ran.text());
}

#[test]
fn rollout_history_and_undo() {
    let mut lab = Lab::with_web();
    assert_eq!(
        lab.out("kubectl rollout history deployment/web"),
        "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n\n"
    );
    assert_eq!(
        lab.text("kubectl rollout undo deployment/web"),
        "error: no rollout history found for deployment \"web\"\n"
    );
    lab.out("kubectl annotate deployment web kubernetes.io/change-cause=nginx-1.28");
    lab.out("kubectl set image deployment/web nginx=nginx:1.28");
    lab.settle();
    let history = lab.out("kubectl rollout history deploy/web");
    assert_eq!(history, "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         nginx-1.28\n2         nginx-1.28\n\n");
    let second = lab.out("kubectl rollout history deploy/web --revision=2");
    let rs = lab.replica_set_of("nginx:1.28");
    let hash = rs.trim_start_matches("web-");
    assert!(
        second.starts_with(&format!(
            "deployment.apps/web with revision #2\nPod Template:\n  Labels:       app=web\n                pod-template-hash={hash}\n  Annotations:  kubernetes.io/change-cause: nginx-1.28\n  Containers:\n   nginx:\n    Image:         nginx:1.28\n"
        )),
        "{second}"
    );
    assert_eq!(
        lab.text("kubectl rollout history deploy/web --revision=9"),
        "error: unable to find the specified revision\n"
    );

    assert_eq!(lab.out("kubectl rollout undo deployment/web"), "deployment.apps/web rolled back\n");
    lab.settle();
    let template = &lab.cluster.store().deployments["web"].spec.template;
    assert_eq!(template.spec.containers[0].image, "nginx:1.27");
    assert!(!template.metadata.labels.contains_key("pod-template-hash"));
    assert_eq!(
        lab.out("kubectl rollout history deployment/web"),
        "deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         nginx-1.28\n3         nginx-1.28\n\n"
    );
    assert_eq!(
        lab.out("kubectl rollout undo deployment/web --to-revision=3"),
        "deployment.apps/web skipped rollback (current template already matches revision 3)\n"
    );
    assert_eq!(
        lab.text("kubectl rollout undo deployment/web --to-revision=7"),
        "error: unable to find specified revision 7 in history\n"
    );
    assert_eq!(lab.out("kubectl rollout undo deployment/web --to-revision=2"), "deployment.apps/web rolled back\n");
    assert_eq!(lab.cluster.store().deployments["web"].spec.template.spec.containers[0].image, "nginx:1.28");
}

#[test]
fn rollout_pause_resume_and_restart() {
    let mut lab = Lab::with_web();
    assert_eq!(lab.out("kubectl rollout pause deployment/web"), "deployment.apps/web paused\n");
    assert!(lab.cluster.store().deployments["web"].is_paused());
    assert_eq!(lab.text("kubectl rollout pause deployment/web"), "error: deployments.apps \"web\" is already paused\n");
    assert_eq!(
        lab.text("kubectl rollout restart deployment/web"),
        "error: deployments.apps \"web\" can't restart paused deployment (run rollout resume first)\n"
    );
    assert_eq!(
        lab.text("kubectl rollout undo deployment/web"),
        "error: no rollout history found for deployment \"web\"\n"
    );
    // Paused: a new template makes no new ReplicaSet.
    lab.out("kubectl set image deployment/web nginx=nginx:1.28");
    lab.cluster.advance(MINUTE);
    assert_eq!(lab.replica_sets().len(), 1);
    assert_eq!(
        lab.text("kubectl rollout undo deployment/web"),
        "error: no rollout history found for deployment \"web\"\n"
    );
    assert_eq!(lab.out("kubectl rollout resume deployment/web"), "deployment.apps/web resumed\n");
    assert_eq!(lab.text("kubectl rollout resume deployment/web"), "error: deployments.apps \"web\" is not paused\n");
    lab.settle();
    assert_eq!(lab.replica_sets().len(), 2);
    lab.out("kubectl rollout pause deployment/web");
    assert_eq!(
        lab.text("kubectl rollout undo deployment/web"),
        "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again\n"
    );
    lab.out("kubectl rollout resume deployment/web");
    assert_eq!(lab.out("kubectl rollout restart deployment/web"), "deployment.apps/web restarted\n");
    let template = &lab.cluster.store().deployments["web"].spec.template;
    assert!(template.metadata.annotations.contains_key("kubectl.kubernetes.io/restartedAt"));
    lab.settle();
    assert_eq!(lab.replica_sets().len(), 3, "a restart is a new template");
}

// ---------------------------------------------------------------- expose, autoscale

#[test]
fn expose_deployment_makes_a_service_selecting_its_pods() {
    let mut lab = Lab::with_web();
    assert_eq!(lab.out("kubectl expose deployment web --port=8080 --target-port=80"), "service/web exposed\n");
    let service = &lab.cluster.store().services["web"];
    assert_eq!(service.spec.selector.as_ref().unwrap().get("app").map(String::as_str), Some("web"));
    assert_eq!(service.metadata.labels.get("app").map(String::as_str), Some("web"));
    assert_eq!(service.spec.ports[0].port, 8080);
    let endpoints = lab.out("kubectl get endpoints web");
    assert_eq!(endpoints.lines().nth(1).map(|l| l.matches(":80").count()), Some(3), "{endpoints}");
    // No --port: the container ports; a NodePort when asked.
    assert_eq!(lab.out("kubectl expose deploy/web --name=web-np --type=NodePort"), "service/web-np exposed\n");
    let row = lab.out("kubectl get svc web-np");
    assert_eq!(cells(row.lines().nth(1).unwrap())[1], "NodePort");
    assert!(cells(row.lines().nth(1).unwrap())[4].starts_with("80:3"), "{row}");
    assert_eq!(
        lab.text("kubectl expose deployment web --port=80"),
        "Error from server (AlreadyExists): services \"web\" already exists\n"
    );
    lab.out("kubectl create deployment bare --image=busybox");
    assert_eq!(
        lab.text("kubectl expose deployment bare"),
        "error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples\n"
    );
}

#[test]
fn autoscale_stores_an_hpa_that_get_hpa_prints() {
    let mut lab = Lab::with_web();
    assert_eq!(
        lab.out("kubectl autoscale deployment web --min=2 --max=10 --cpu-percent=50"),
        "horizontalpodautoscaler.autoscaling/web autoscaled\n"
    );
    let hpa = lab.out("kubectl get hpa");
    assert_eq!(
        hpa,
        "NAME   REFERENCE        TARGETS              MINPODS   MAXPODS   REPLICAS   AGE\n\
         web    Deployment/web   cpu: <unknown>/50%   2         10        0          0s\n"
    );
    let yaml = lab.out("kubectl get horizontalpodautoscalers.autoscaling web -o yaml");
    assert!(yaml.starts_with("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n"), "{yaml}");
    assert!(yaml.contains("      target:\n        averageUtilization: 50\n        type: Utilization\n"), "{yaml}");
    assert_eq!(
        lab.text("kubectl autoscale deployment web --max=3"),
        "Error from server (AlreadyExists): horizontalpodautoscalers.autoscaling \"web\" already exists\n"
    );
    assert_eq!(
        lab.text("kubectl autoscale deployment web"),
        "error: --max=MAXPODS is required and must be at least 1, max: -1\n"
    );
    // Defaults: minReplicas 1 and 80% CPU.
    lab.out("kubectl autoscale deploy web --max=4 --name=other");
    let hpa = lab.out("kubectl get hpa other");
    assert_eq!(cells(hpa.lines().nth(1).unwrap())[..5], ["other", "Deployment/web", "cpu: <unknown>/80%", "1", "4"]);
    assert_eq!(lab.out("kubectl delete hpa other"), "horizontalpodautoscaler.autoscaling \"other\" deleted\n");
}

// ---------------------------------------------------------------- delete

#[test]
fn delete_deployment_cascades_to_its_replica_sets_and_pods() {
    let mut lab = Lab::with_web();
    assert_eq!(lab.out("kubectl delete deploy web"), "deployment.apps \"web\" deleted\n");
    assert!(lab.replica_sets().is_empty());
    assert!(lab.cluster.store().pods.values().all(|p| p.metadata.is_terminating()));
    lab.cluster.advance(MINUTE);
    assert!(lab.pods().is_empty());
    assert_eq!(
        lab.text("kubectl delete deployment web"),
        "Error from server (NotFound): deployments.apps \"web\" not found\n"
    );
}

#[test]
fn delete_replica_set_of_a_deployment_gets_a_new_one() {
    let mut lab = Lab::with_web();
    let rs = lab.replica_sets()[0].clone();
    assert_eq!(lab.out(&format!("kubectl delete rs {rs}")), format!("replicaset.apps \"{rs}\" deleted\n"));
    lab.settle();
    assert_eq!(lab.replica_sets().len(), 1, "the Deployment makes it again");
    assert_eq!(lab.pods().len(), 3);
}

// ---------------------------------------------------------------- stored-only kinds

#[test]
fn service_accounts_ingresses_hpas_and_network_policies_are_stored_and_listed() {
    let mut lab = Lab::new();
    let manifest = "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes: [Ingress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: everything
spec:
  podSelector: {}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: robot
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  ingressClassName: nginx
  rules:
  - host: web.example.com
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 4
  metrics:
  - type: Resource
    resource:
      name: cpu
      target: {type: Utilization, averageUtilization: 70}
";
    let lines: Vec<String> = lab.cluster.apply_text(manifest).unwrap().iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "networkpolicy.networking.k8s.io/deny created",
            "networkpolicy.networking.k8s.io/everything created",
            "serviceaccount/robot created",
            "ingress.networking.k8s.io/web created",
            "horizontalpodautoscaler.autoscaling/web created",
        ]
    );
    let netpol = lab.out("kubectl get netpol");
    assert_eq!(
        netpol,
        "NAME         POD-SELECTOR   AGE\ndeny         app=web        0s\neverything   <none>         0s\n"
    );
    let sa = lab.out("kubectl get sa");
    assert_eq!(sa, "NAME      SECRETS   AGE\ndefault   0         0s\nrobot     0         0s\n");
    let ingress = lab.out("kubectl get ing");
    assert_eq!(
        ingress,
        "NAME   CLASS   HOSTS             ADDRESS   PORTS   AGE\nweb    nginx   web.example.com             80      0s\n"
    );
    let hpa = lab.out("kubectl get hpa");
    assert_eq!(cells(hpa.lines().nth(1).unwrap())[..6], ["web", "Deployment/web", "cpu: <unknown>/70%", "1", "4", "0"]);
    assert_eq!(
        lab.out("kubectl get networkpolicies.networking.k8s.io -o name"),
        "networkpolicy.networking.k8s.io/deny\nnetworkpolicy.networking.k8s.io/everything\n"
    );
    let yaml = lab.out("kubectl get netpol deny -o yaml");
    assert!(
        yaml.starts_with("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  creationTimestamp: 20"),
        "{yaml}"
    );
    assert_eq!(lab.out("kubectl delete netpol deny"), "networkpolicy.networking.k8s.io \"deny\" deleted\n");
}

// ---------------------------------------------------------------- logs, exec, wait, completion

#[test]
fn logs_and_exec_take_a_deployment_for_its_first_pod() {
    let mut lab = Lab::with_web();
    let ran = lab.run("kubectl logs deploy/web");
    let first = lab.pods()[0].clone();
    assert!(ran.text().starts_with(&format!("Found 3 pods, using pod/{first}\n")), "{}", ran.text());
    assert_eq!(lab.out("kubectl exec deployment/web -- hostname"), format!("{first}\n"));
}

#[test]
fn wait_for_a_deployment_condition() {
    let mut lab = Lab::new();
    lab.out("kubectl create deployment web --image=nginx:1.27 --replicas=2");
    assert_eq!(
        lab.out("kubectl wait --for=condition=Available deployment/web --timeout=60s"),
        "deployment.apps/web condition met\n"
    );
}

#[test]
fn completion_knows_the_new_verbs_kinds_and_names() {
    let lab = Lab::with_web();
    let cluster = &lab.cluster;
    assert_eq!(complete(cluster, "kubectl exp").candidates, ["expose"]);
    assert_eq!(complete(cluster, "kubectl auto").candidates, ["autoscale"]);
    assert_eq!(complete(cluster, "kubectl get depl").candidates, ["deployments"]);
    assert_eq!(complete(cluster, "kubectl get repl").candidates, ["replicasets"]);
    assert_eq!(complete(cluster, "kubectl get horiz").candidates, ["horizontalpodautoscalers"]);
    assert_eq!(complete(cluster, "kubectl get netw").candidates, ["networkpolicies"]);
    assert_eq!(complete(cluster, "kubectl create d").candidates, ["deployment"]);
    assert_eq!(complete(cluster, "kubectl rollout status dep").candidates, ["deployment/web"]);
    assert_eq!(complete(cluster, "kubectl set image dep").candidates, ["deployment/web"]);
    assert_eq!(complete(cluster, "kubectl scale dep").candidates, ["deployment/web"]);
    assert_eq!(complete(cluster, "kubectl expose dep").candidates, ["deployment/web"]);
    assert_eq!(complete(cluster, "kubectl get deploy w").candidates, ["web"]);
    let rs = lab.replica_sets()[0].clone();
    assert_eq!(complete(cluster, "kubectl describe rs/web").candidates, [format!("rs/{rs}")]);
    assert_eq!(complete(cluster, "kubectl create deployment web --ima").candidates, ["--image"]);
    assert_eq!(complete(cluster, "kubectl autoscale deployment/web --cpu").candidates, ["--cpu-percent"]);
}
