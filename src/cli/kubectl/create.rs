//! The verbs that make objects from flags rather than files: `create deployment`,
//! `expose` (a Service selecting a workload's pods) and `autoscale` (a stored
//! HorizontalPodAutoscaler: there is no metrics server, and no HPA controller).

use crate::core::api::yaml::{Mapping, Value};

use super::super::{render, Ran};
use super::{not_found, Args, Kind};
use crate::core::api::*;
use crate::core::cluster::Cluster;

/// A mapping of `(key, value)` pairs, in order.
fn map(entries: Vec<(&str, Value)>) -> Value {
    let mut mapping = Mapping::new();
    for (key, value) in entries {
        mapping.insert(key.into(), value);
    }
    Value::Mapping(mapping)
}

fn labels_value(labels: &Labels) -> Value {
    map(labels.iter().map(|(k, v)| (k.as_str(), Value::from(v.as_str()))).collect())
}

/// `--dry-run`: `None` (off), `client` or `server`; kubectl's error for anything else.
fn dry_run(args: &Args) -> Result<Option<&'static str>, String> {
    match args.flags.iter().rev().find(|(n, _)| n == "--dry-run").map(|(_, v)| v.as_deref()) {
        None | Some(Some("none")) | Some(Some("false")) => Ok(None),
        // A bare --dry-run is --dry-run=client (with kubectl's deprecation warning, left out).
        Some(None) | Some(Some("client")) | Some(Some("true")) => Ok(Some("client")),
        Some(Some("server")) => Ok(Some("server")),
        Some(Some(other)) => {
            Err(format!("error: Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\"."))
        }
    }
}

/// What a create-like command prints: `-o yaml|json|name` the object, else
/// `resource/name VERB` with ` (dry run)` or ` (server dry run)`.
fn printed(args: &Args, value: &Value, object: &str, verb: &str, dry: Option<&str>) -> Result<String, String> {
    Ok(match args.value(&["-o", "--output"]).unwrap_or("") {
        "" => match dry {
            Some("client") => format!("{object} {verb} (dry run)\n"),
            Some(_) => format!("{object} {verb} (server dry run)\n"),
            None => format!("{object} {verb}\n"),
        },
        "yaml" => render::to_yaml(value),
        "json" => render::to_json(value),
        "name" => format!("{object}\n"),
        other => return Err(format!("error: unable to match a printer suitable for the output format \"{other}\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml")),
    })
}

/// `TYPE NAME` or `TYPE/NAME`: the one object a command works on.
pub(super) fn one_target(positional: &[&str]) -> Result<(Kind, String), String> {
    let (kind, name) = match positional {
        [one] if one.contains('/') => one.split_once('/').unwrap_or_default(),
        [kind, name, ..] if !kind.contains('/') => (*kind, *name),
        [] => return Err("error: You must provide one or more resources by argument or filename.".into()),
        _ => return Err("error: resource(s) were provided, but no name was specified".into()),
    };
    let parsed =
        Kind::parse(kind).ok_or_else(|| format!("error: the server doesn't have a resource type \"{kind}\""))?;
    Ok((parsed, name.to_string()))
}

/// `GroupKind.String()`: `StatefulSet.apps`, `ConfigMap`.
fn group_kind(kind: Kind) -> String {
    match kind.api().0.split_once('/') {
        Some((group, _)) => format!("{}.{group}", kind.kind()),
        None => kind.kind().to_string(),
    }
}

// ---------------------------------------------------------------- create deployment

/// The container name `create deployment` gives an image (`buildPodSpec`): the last
/// path segment without tag or digest; `_` and `.` made `-`, then a random suffix.
fn container_name(cluster: &mut Cluster, image: &str) -> String {
    let last = image.rsplit('/').next().unwrap_or(image);
    let name = last.split(':').next().unwrap_or(last);
    let name = name.split('@').next().unwrap_or(name);
    if name.contains(['_', '.']) {
        let base = format!("{}-", name.replace(['_', '.'], "-"));
        return cluster.write(|api| api.generate_pod_name(&base));
    }
    name.to_string()
}

/// `kubectl create deployment NAME --image=IMAGE [--replicas=N] [--port=N]`: the object
/// kubectl's generator makes (labels `app: NAME`, one container per image).
pub(super) fn deployment(cluster: &mut Cluster, args: &Args) -> Ran {
    let names = &args.positional[1..];
    if names.len() != 1 {
        return Ran::fail(
            format!(
                "error: exactly one NAME is required, got {}\nSee 'kubectl create deployment -h' for help and examples\n",
                names.len()
            ),
            1,
        );
    }
    let name = names[0];
    let images = args.values(&["--image"]);
    if images.is_empty() {
        return Ran::fail("error: required flag(s) \"image\" not set\n", 1);
    }
    let dry = match dry_run(args) {
        Ok(dry) => dry,
        Err(message) => return Ran::fail(format!("{message}\n"), 1),
    };
    let number = |flags: &[&str], default: i64| -> Result<i64, String> {
        match args.value(flags) {
            None => Ok(default),
            Some(text) => text.parse().map_err(|_| {
                format!("error: invalid argument \"{text}\" for \"{}\" flag: strconv.ParseInt: parsing \"{text}\": invalid syntax\nSee 'kubectl create deployment --help' for usage.", flags[flags.len() - 1])
            }),
        }
    };
    let (replicas, port) = match (number(&["-r", "--replicas"], 1), number(&["--port"], -1)) {
        (Ok(replicas), Ok(port)) => (replicas, port),
        (Err(message), _) | (_, Err(message)) => return Ran::fail(format!("{message}\n"), 1),
    };
    let mut labels = Labels::new();
    labels.insert("app".into(), name.into());
    let mut containers = Vec::new();
    for (i, image) in images.iter().enumerate() {
        let mut container =
            vec![("image", Value::from(*image)), ("name", container_name(cluster, image).as_str().into())];
        if i == 0 && port >= 0 {
            container.push(("ports", Value::Sequence(vec![map(vec![("containerPort", port.into())])])));
        }
        container.push(("resources", map(Vec::new())));
        containers.push(map(container));
    }
    // As `--dry-run=client -o yaml` prints it: the empty fields of an object not yet created.
    let object = map(vec![
        ("apiVersion", "apps/v1".into()),
        ("kind", "Deployment".into()),
        (
            "metadata",
            map(vec![("creationTimestamp", Value::Null), ("labels", labels_value(&labels)), ("name", name.into())]),
        ),
        (
            "spec",
            map(vec![
                ("replicas", replicas.into()),
                ("selector", map(vec![("matchLabels", labels_value(&labels))])),
                ("strategy", map(Vec::new())),
                (
                    "template",
                    map(vec![
                        ("metadata", map(vec![("creationTimestamp", Value::Null), ("labels", labels_value(&labels))])),
                        ("spec", map(vec![("containers", Value::Sequence(containers))])),
                    ]),
                ),
            ]),
        ),
        ("status", map(Vec::new())),
    ]);
    let resource = format!("deployment.apps/{name}");
    if dry != Some("client") {
        if cluster.store().deployments.contains_key(name) {
            return Ran::fail(
                format!("error: failed to create deployment: deployments.apps \"{name}\" already exists\n"),
                1,
            );
        }
        let text = render::to_yaml(&object);
        let result = if dry == Some("server") {
            match cluster.dry_run(&text).into_iter().next() {
                Some(error) => Err(error),
                None => Ok(()),
            }
        } else {
            cluster.apply_text(&text).map(|_| ())
        };
        if let Err(error) = result {
            let message = error.message.replacen("The Deployment ", "Deployment.apps ", 1);
            return Ran::fail(format!("error: failed to create deployment: {message}\n"), 1);
        }
    }
    let shown = match (dry, cluster.store().deployments.get(name)) {
        (None, Some(created)) if args.value(&["-o", "--output"]).is_some() => {
            render::api_object("apps/v1", "Deployment", created)
        }
        _ => object,
    };
    match printed(args, &shown, &resource, "created", dry) {
        Ok(text) => Ran::out(text),
        Err(message) => Ran::fail(format!("{message}\n"), 1),
    }
}

// ---------------------------------------------------------------- expose

/// `kubectl expose (deployment|rs|pod|svc) NAME --port=P [--target-port=T] [--type=T]
/// [--name=N] [--protocol=P]`: a Service selecting the object's pods.
pub(super) fn expose(cluster: &mut Cluster, args: &Args) -> Ran {
    let (kind, name) = match one_target(&args.positional) {
        Ok(target) => target,
        Err(message) => return Ran::fail(format!("{message}\nSee 'kubectl expose -h' for help and examples\n"), 1),
    };
    if !matches!(kind, Kind::Deployment | Kind::ReplicaSet | Kind::Pod | Kind::Service) {
        if !super::exists(cluster, kind, &name) {
            return Ran::fail(not_found(kind, &name), 1);
        }
        return Ran::fail(format!("error: cannot expose a {}\n", group_kind(kind)), 1);
    }
    let dry = match dry_run(args) {
        Ok(dry) => dry,
        Err(message) => return Ran::fail(format!("{message}\n"), 1),
    };
    let store = cluster.store();
    // (labels, selector, container ports) of the object.
    let found: Option<(Labels, Option<Labels>, Vec<ContainerPort>)> = match kind {
        Kind::Deployment => store.deployments.get(&name).map(|d| {
            let ports = d.spec.template.spec.containers.iter().flat_map(|c| c.ports.clone()).collect();
            (d.metadata.labels.clone(), d.spec.selector.as_ref().map(|s| s.match_labels.clone()), ports)
        }),
        Kind::ReplicaSet => store.replica_sets.get(&name).map(|rs| {
            let ports = rs.spec.template.spec.containers.iter().flat_map(|c| c.ports.clone()).collect();
            (rs.metadata.labels.clone(), rs.spec.selector.as_ref().map(|s| s.match_labels.clone()), ports)
        }),
        Kind::Pod => store.pods.get(&name).map(|p| {
            let ports = p.spec.containers.iter().flat_map(|c| c.ports.clone()).collect();
            (p.metadata.labels.clone(), Some(p.metadata.labels.clone()), ports)
        }),
        _ => store.services.get(&name).map(|s| {
            let ports = s
                .spec
                .ports
                .iter()
                .map(|p| ContainerPort { container_port: p.port, protocol: p.protocol.clone(), ..Default::default() })
                .collect();
            (s.metadata.labels.clone(), s.spec.selector.clone(), ports)
        }),
    };
    let Some((labels, selector, container_ports)) = found else {
        return Ran::fail(not_found(kind, &name), 1);
    };
    let selector = match args.value(&["--selector"]) {
        Some(text) => text
            .split(',')
            .filter_map(|term| term.split_once('='))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect(),
        None => selector.unwrap_or_default(),
    };
    if selector.is_empty() {
        let reason = match kind {
            Kind::Pod => "the pod has no labels and cannot be exposed".to_string(),
            Kind::Service => "the service has no pod selector set".to_string(),
            _ => format!("invalid {}: no selectors, therefore cannot be exposed", kind.kind().to_lowercase()),
        };
        return Ran::fail(
            format!("error: couldn't retrieve selectors via --selector flag or introspection: {reason}\nSee 'kubectl expose -h' for help and examples\n"),
            1,
        );
    }
    let labels = match args.value(&["-l", "--labels"]) {
        Some(text) => text.split(',').filter_map(|t| t.split_once('=')).map(|(k, v)| (k.into(), v.into())).collect(),
        None => labels,
    };
    // (port, protocol): --port, else every container port.
    let protocol_flag = args.value(&["--protocol"]);
    let ports: Vec<(i64, String)> = match args.value(&["--port"]) {
        Some(text) => match text.parse::<i64>() {
            Ok(port) => vec![(port, protocol_flag.unwrap_or("TCP").to_string())],
            Err(_) => {
                return Ran::fail(
                    format!("error: invalid argument \"{text}\" for \"--port\" flag: strconv.ParseInt: parsing \"{text}\": invalid syntax\nSee 'kubectl expose --help' for usage.\n"),
                    1,
                )
            }
        },
        None => container_ports
            .iter()
            .map(|p| {
                let protocol = protocol_flag.or(p.protocol.as_deref()).unwrap_or("TCP");
                (p.container_port, protocol.to_string())
            })
            .collect(),
    };
    if ports.is_empty() {
        return Ran::fail(
            "error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples\n",
            1,
        );
    }
    let target = args.value(&["--target-port"]);
    let service_ports: Vec<Value> = ports
        .iter()
        .enumerate()
        .map(|(i, (port, protocol))| {
            let mut entries = Vec::new();
            if ports.len() > 1 {
                entries.push(("name", Value::from(format!("port-{}", i + 1).as_str())));
            }
            entries.push(("port", (*port).into()));
            entries.push(("protocol", protocol.as_str().into()));
            let target_port = match target {
                Some(text) => match text.parse::<i64>() {
                    Ok(number) => number.into(),
                    Err(_) => text.into(),
                },
                None => (*port).into(),
            };
            entries.push(("targetPort", target_port));
            map(entries)
        })
        .collect();
    let service_name = args.value(&["--name"]).unwrap_or(&name).to_string();
    let mut spec = vec![("ports", Value::Sequence(service_ports)), ("selector", labels_value(&selector))];
    if let Some(kind) = args.value(&["--type"]) {
        let valid = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"];
        let Some(kind) = valid.iter().find(|v| v.eq_ignore_ascii_case(kind)) else {
            return Ran::fail(format!("error: invalid service type \"{kind}\", allowed values are: ClusterIP, ExternalName, LoadBalancer, NodePort\n"), 1);
        };
        spec.push(("type", (*kind).into()));
    }
    let mut metadata = vec![("creationTimestamp", Value::Null)];
    if !labels.is_empty() {
        metadata.push(("labels", labels_value(&labels)));
    }
    metadata.push(("name", service_name.as_str().into()));
    let object = map(vec![
        ("apiVersion", "v1".into()),
        ("kind", "Service".into()),
        ("metadata", map(metadata)),
        ("spec", map(spec)),
        ("status", map(vec![("loadBalancer", map(Vec::new()))])),
    ]);
    if dry != Some("client") {
        if cluster.store().services.contains_key(&service_name) {
            return Ran::fail(
                format!("Error from server (AlreadyExists): services \"{service_name}\" already exists\n"),
                1,
            );
        }
        let text = render::to_yaml(&object);
        let result = if dry == Some("server") {
            cluster.dry_run(&text).into_iter().next().map_or(Ok(()), Err)
        } else {
            cluster.apply_text(&text).map(|_| ())
        };
        if let Err(error) = result {
            return Ran::fail(format!("{}\n", error.message), 1);
        }
    }
    let shown = match (dry, cluster.store().services.get(&service_name)) {
        (None, Some(created)) if args.value(&["-o", "--output"]).is_some() => {
            render::api_object("v1", "Service", created)
        }
        _ => object,
    };
    match printed(args, &shown, &format!("service/{service_name}"), "exposed", dry) {
        Ok(text) => Ran::out(text),
        Err(message) => Ran::fail(format!("{message}\n"), 1),
    }
}

// ---------------------------------------------------------------- autoscale

/// The `behavior` autoscaling/v2 defaults to (`SetDefaults_HorizontalPodAutoscalerBehavior`).
fn default_behavior() -> Value {
    let policy = |kind: &str, value: i64| {
        map(vec![("periodSeconds", 15_i64.into()), ("type", kind.into()), ("value", value.into())])
    };
    map(vec![
        (
            "scaleDown",
            map(vec![
                ("policies", Value::Sequence(vec![policy("Percent", 100)])),
                ("selectPolicy", "Max".into()),
                ("stabilizationWindowSeconds", 300_i64.into()),
            ]),
        ),
        (
            "scaleUp",
            map(vec![
                ("policies", Value::Sequence(vec![policy("Pods", 4), policy("Percent", 100)])),
                ("selectPolicy", "Max".into()),
                ("stabilizationWindowSeconds", 0_i64.into()),
            ]),
        ),
    ])
}

/// `kubectl autoscale (deployment|rs|sts) NAME --max=M [--min=N] [--cpu-percent=P]`:
/// kubectl sends an autoscaling/v1 object; the API server keeps it as autoscaling/v2
/// reads it back (minReplicas 1, cpu 80% and the default behavior when not given).
pub(super) fn autoscale(cluster: &mut Cluster, args: &Args) -> Ran {
    let (kind, name) = match one_target(&args.positional) {
        Ok(target) => target,
        Err(message) => return Ran::fail(format!("{message}\nSee 'kubectl autoscale -h' for help and examples\n"), 1),
    };
    let number = |flag: &str, default: i64| -> Result<i64, String> {
        match args.value(&[flag]) {
            None => Ok(default),
            Some(text) => text.parse().map_err(|_| {
                format!("error: invalid argument \"{text}\" for \"{flag}\" flag: strconv.ParseInt: parsing \"{text}\": invalid syntax\nSee 'kubectl autoscale --help' for usage.")
            }),
        }
    };
    let (min, max, cpu) = match (number("--min", -1), number("--max", -1), number("--cpu-percent", -1)) {
        (Ok(min), Ok(max), Ok(cpu)) => (min, max, cpu),
        (Err(m), _, _) | (_, Err(m), _) | (_, _, Err(m)) => return Ran::fail(format!("{m}\n"), 1),
    };
    if max < 1 {
        return Ran::fail(format!("error: --max=MAXPODS is required and must be at least 1, max: {max}\n"), 1);
    }
    if max < min {
        return Ran::fail(
            format!("error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: {max}, min: {min}\n"),
            1,
        );
    }
    let dry = match dry_run(args) {
        Ok(dry) => dry,
        Err(message) => return Ran::fail(format!("{message}\n"), 1),
    };
    if !super::exists(cluster, kind, &name) {
        return Ran::fail(not_found(kind, &name), 1);
    }
    if !matches!(kind, Kind::Deployment | Kind::ReplicaSet | Kind::StatefulSet) {
        let (version, _) = kind.api();
        let group_version = if version.contains('/') { version.to_string() } else { format!("/{version}") };
        return Ran::fail(
            format!(
                "error: cannot autoscale a {}: could not find scale subresource for {group_version}, Resource={} in discovery information\n",
                kind.kind(),
                kind.plural().split('.').next().unwrap_or("")
            ),
            1,
        );
    }
    let hpa_name = args.value(&["--name"]).unwrap_or(&name).to_string();
    let min = if min > 0 { min } else { 1 };
    let cpu = if cpu >= 0 { cpu } else { 80 };
    let metric = map(vec![
        (
            "resource",
            map(vec![
                ("name", "cpu".into()),
                ("target", map(vec![("averageUtilization", cpu.into()), ("type", "Utilization".into())])),
            ]),
        ),
        ("type", "Resource".into()),
    ]);
    let object = map(vec![
        ("apiVersion", "autoscaling/v2".into()),
        ("kind", "HorizontalPodAutoscaler".into()),
        ("metadata", map(vec![("name", hpa_name.as_str().into())])),
        (
            "spec",
            map(vec![
                ("behavior", default_behavior()),
                ("maxReplicas", max.into()),
                ("metrics", Value::Sequence(vec![metric])),
                ("minReplicas", min.into()),
                (
                    "scaleTargetRef",
                    map(vec![
                        ("apiVersion", "apps/v1".into()),
                        ("kind", kind.kind().into()),
                        ("name", name.as_str().into()),
                    ]),
                ),
            ]),
        ),
    ]);
    let resource = format!("horizontalpodautoscaler.autoscaling/{hpa_name}");
    if dry != Some("client") {
        if super::exists(cluster, Kind::HorizontalPodAutoscaler, &hpa_name) {
            return Ran::fail(
                format!(
                    "Error from server (AlreadyExists): horizontalpodautoscalers.autoscaling \"{hpa_name}\" already exists\n"
                ),
                1,
            );
        }
        if dry.is_none() {
            if let Err(error) = cluster.apply_text(&render::to_yaml(&object)) {
                return Ran::fail(format!("{}\n", error.message), 1);
            }
        }
    }
    let shown = match dry {
        None => super::get::api_value(cluster, Kind::HorizontalPodAutoscaler, &hpa_name).unwrap_or(object),
        Some(_) => object,
    };
    match printed(args, &shown, &resource, "autoscaled", dry) {
        Ok(text) => Ran::out(text),
        Err(message) => Ran::fail(format!("{message}\n"), 1),
    }
}
