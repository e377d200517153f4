//! The verbs that change a StatefulSet or an object's metadata: `scale`, `patch`,
//! `set image`, `wait`, `label`/`annotate`.

use crate::core::api::yaml::Value;

use super::super::{Output, Ran};
use super::*;
use crate::core::api::*;
use crate::core::cluster::Cluster;
use crate::core::time::{Millis, MINUTE, SECOND};

/// `sts web`, `sts/web`, `deployment.apps/web` … → (kind, name), the kind one of `allowed`.
pub(super) fn workload_target<'a>(positional: &[&'a str], allowed: &[Kind]) -> Result<(Kind, &'a str), String> {
    let (kind, name) = match positional {
        [one] if one.contains('/') => one.split_once('/').unwrap_or_default(),
        [kind, name, ..] => (*kind, *name),
        _ => return Err("error: resource(s) were provided, but no name was specified".into()),
    };
    match Kind::parse(kind) {
        Some(parsed) if allowed.contains(&parsed) => Ok((parsed, name)),
        Some(_) => {
            let names: Vec<String> = allowed.iter().map(|k| k.kind().to_lowercase() + "s").collect();
            let list = match names.split_last() {
                Some((last, [])) => last.clone(),
                Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
                None => String::new(),
            };
            Err(format!("error: this playground supports this command for {list} only, not \"{kind}\""))
        }
        None => Err(format!("error: the server doesn't have a resource type \"{kind}\"")),
    }
}

pub(super) fn scale(cluster: &mut Cluster, args: &Args) -> Ran {
    let (kind, name) = match workload_target(&args.positional, &[Kind::StatefulSet, Kind::Deployment, Kind::ReplicaSet])
    {
        Ok(target) => target,
        Err(message) => return Ran::fail(format!("{message}\n"), 1),
    };
    let Some(replicas) = args.value(&["--replicas"]).and_then(|r| r.parse::<i64>().ok()) else {
        return Ran::fail("error: required flag(s) \"replicas\" not set\n", 1);
    };
    if !exists(cluster, kind, name) {
        return Ran::fail(not_found(kind, name), 1);
    }
    // --current-replicas: a precondition on spec.replicas.
    if let Some(current) = args.value(&["--current-replicas"]).and_then(|r| r.parse::<i64>().ok()) {
        let store = cluster.store();
        let actual = match kind {
            Kind::Deployment => store.deployments.get(name).map(|d| d.replicas()),
            Kind::ReplicaSet => store.replica_sets.get(name).map(|r| r.replicas()),
            _ => store.stateful_sets.get(name).map(|s| s.replicas()),
        };
        if actual != Some(current) {
            return Ran::fail(format!("error: Expected replicas to be {current}, was {}\n", actual.unwrap_or(0)), 1);
        }
    }
    let result = match kind {
        Kind::Deployment => cluster.scale_deployment(name, replicas),
        Kind::ReplicaSet => cluster.write(|api| api.scale_replica_set(name, replicas)),
        _ => cluster.scale(name, replicas),
    };
    match result {
        Ok(()) => Ran::out(format!("{}/{name} scaled\n", kind.resource())),
        Err(message) => Ran::fail(format!("{message}\n"), 1),
    }
}

pub(super) fn patch(cluster: &mut Cluster, args: &Args) -> Ran {
    let (kind, name) = match workload_target(&args.positional, &[Kind::StatefulSet, Kind::Deployment]) {
        Ok((kind, name)) => (kind, name.to_string()),
        Err(message) => return Ran::fail(format!("{message}\n"), 1),
    };
    let Some(patch_text) = args.value(&["-p", "--patch"]) else {
        return Ran::fail("error: must specify --patch or --patch-file containing the contents of the patch\n", 1);
    };
    let patch: Value = match crate::core::api::yaml::from_str(patch_text) {
        Ok(v) => v,
        Err(error) => return Ran::fail(format!("error: unable to parse \"{patch_text}\": {error}\n"), 1),
    };
    let value = match kind {
        Kind::Deployment => cluster.store().deployments.get(&name).map(crate::core::api::write::ToValue::to_value),
        _ => cluster.store().stateful_sets.get(&name).map(crate::core::api::write::ToValue::to_value),
    };
    let Some(mut value) = value else {
        return Ran::fail(not_found(kind, &name), 1);
    };
    let json_patch = args.value(&["--type"]) == Some("json");
    let result = if json_patch {
        apply_json_patch(&mut value, &patch)
    } else {
        merge(&mut value, &patch);
        Ok(())
    };
    if let Err(message) = result {
        return Ran::fail(format!("{message}\n"), 1);
    }
    let bad_request = |error: crate::core::api::read::ReadError| {
        Ran::fail(format!("Error from server (BadRequest): the patch could not be applied: {error}\n"), 1)
    };
    let result = if kind == Kind::Deployment {
        if let Value::Mapping(map) = &mut value {
            map.remove("status");
        }
        let patched: Deployment = match crate::core::api::read::from_value(&value) {
            Ok(deployment) => deployment,
            Err(error) => return bad_request(error),
        };
        cluster.update_deployment(&name, |d| {
            d.spec = patched.spec;
            d.metadata.labels = patched.metadata.labels;
            d.metadata.annotations = patched.metadata.annotations;
        })
    } else {
        let patched: StatefulSet = match crate::core::api::read::from_value(&value) {
            Ok(set) => set,
            Err(error) => return bad_request(error),
        };
        cluster.update_stateful_set(&name, |set| {
            set.spec = patched.spec;
            set.metadata.labels = patched.metadata.labels;
            set.metadata.annotations = patched.metadata.annotations;
        })
    };
    let resource = kind.resource();
    match result {
        Ok(true) => Ran::out(format!("{resource}/{name} patched\n")),
        Ok(false) => Ran::out(format!("{resource}/{name} patched (no change)\n")),
        Err(message) => Ran::fail(format!("{message}\n"), 1),
    }
}

/// Strategic merge, reduced to what learners patch: maps merge, `null` deletes,
/// lists of named items (containers, ports, env) merge by name, other lists replace.
pub(super) fn merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Mapping(target), Value::Mapping(patch)) => {
            for (key, value) in patch {
                if value.is_null() {
                    target.remove(key);
                    continue;
                }
                match target.get_mut(key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        target.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (Value::Sequence(target), Value::Sequence(patch)) if patch.iter().all(|p| p.get("name").is_some()) => {
            for item in patch {
                match target.iter_mut().find(|t| t.get("name") == item.get("name")) {
                    Some(existing) => merge(existing, item),
                    None => target.push(item.clone()),
                }
            }
        }
        (target, patch) => *target = patch.clone(),
    }
}

/// RFC 6902 `replace`, `add`, `remove` on paths like `/spec/replicas`.
pub(super) fn apply_json_patch(target: &mut Value, patch: &Value) -> Result<(), String> {
    let operations =
        patch.as_sequence().ok_or("error: unable to parse the json patch: expected an array of operations")?;
    for operation in operations {
        let op = operation.get("op").and_then(Value::as_str).unwrap_or("");
        let path = operation.get("path").and_then(Value::as_str).unwrap_or("");
        let segments: Vec<String> = path.split('/').skip(1).map(|s| s.replace("~1", "/").replace("~0", "~")).collect();
        let Some((last, parents)) = segments.split_last() else {
            return Err(format!("error: invalid JSON patch path \"{path}\""));
        };
        let mut node = &mut *target;
        for segment in parents {
            node = match node {
                Value::Mapping(map) => map.get_mut(segment.as_str()),
                Value::Sequence(items) => segment.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
                _ => None,
            }
            .ok_or_else(|| format!("The request is invalid: the server rejected our request due to an error in our request: doc is missing path: \"{path}\""))?;
        }
        let value = operation.get("value").cloned().unwrap_or(Value::Null);
        match (node, op) {
            (Value::Mapping(map), "replace" | "add") => {
                if op == "replace" && !map.contains_key(last.as_str()) {
                    return Err(format!("The request is invalid: the server rejected our request due to an error in our request: doc is missing key: \"{path}\""));
                }
                map.insert(last.as_str().into(), value);
            }
            (Value::Mapping(map), "remove") => {
                map.remove(last.as_str());
            }
            (Value::Sequence(items), _) => {
                let index = if last == "-" {
                    items.len()
                } else {
                    last.parse().map_err(|_| format!("error: invalid index in \"{path}\""))?
                };
                match op {
                    "replace" if index < items.len() => items[index] = value,
                    "add" if index <= items.len() => items.insert(index, value),
                    "remove" if index < items.len() => {
                        items.remove(index);
                    }
                    _ => return Err(format!("The request is invalid: the server rejected our request due to an error in our request: index out of range: \"{path}\"")),
                }
            }
            _ => return Err(format!("error: unsupported JSON patch operation \"{op}\"")),
        }
    }
    Ok(())
}

pub(super) fn set_image(cluster: &mut Cluster, args: &Args) -> Ran {
    if args.positional.first() != Some(&"image") {
        return Ran::fail("error: this playground supports `kubectl set image` only\n", 1);
    }
    let rest: Vec<&str> = args.positional[1..].to_vec();
    let assignments: Vec<(&str, &str)> = rest.iter().filter_map(|a| a.split_once('=')).collect();
    let target: Vec<&str> = rest.iter().copied().filter(|a| !a.contains('=')).collect();
    let (kind, name) = match workload_target(&target, &[Kind::StatefulSet, Kind::Deployment]) {
        Ok((kind, name)) => (kind, name.to_string()),
        Err(message) => return Ran::fail(format!("{message}\n"), 1),
    };
    if assignments.is_empty() {
        return Ran::fail("error: at least one image update is required\n", 1);
    }
    let containers = match kind {
        Kind::Deployment => cluster.store().deployments.get(&name).map(|d| d.spec.template.spec.containers.clone()),
        _ => cluster.store().stateful_sets.get(&name).map(|s| s.spec.template.spec.containers.clone()),
    };
    let Some(containers) = containers else {
        return Ran::fail(not_found(kind, &name), 1);
    };
    for (container, _) in &assignments {
        if *container != "*" && !containers.iter().any(|c| c.name == *container) {
            return Ran::fail(format!("error: unable to find container named \"{container}\"\n"), 1);
        }
    }
    let set_images = |containers: &mut Vec<Container>| {
        for container in containers {
            if let Some((_, image)) = assignments.iter().find(|(c, _)| *c == "*" || *c == container.name) {
                container.image = image.to_string();
            }
        }
    };
    let result = match kind {
        Kind::Deployment => cluster.update_deployment(&name, |d| set_images(&mut d.spec.template.spec.containers)),
        _ => cluster.update_stateful_set(&name, |set| set_images(&mut set.spec.template.spec.containers)),
    };
    match result {
        Ok(_) => Ran::out(format!("{}/{name} image updated\n", kind.resource())),
        Err(message) => Ran::fail(format!("{message}\n"), 1),
    }
}

// ---------------------------------------------------------------- wait / label / run / port-forward

/// Parses `60s`, `2m`, `1h`, `1.5m`, `500ms` (kubectl durations).
pub(crate) fn duration(text: &str) -> Option<Millis> {
    let split = text.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let unit = match unit {
        "" | "s" => SECOND,
        "ms" => 1,
        "m" => MINUTE,
        "h" => 60 * MINUTE,
        _ => return None,
    };
    crate::core::time::parse_decimal(number, unit)
}

pub(super) fn wait(cluster: &mut Cluster, args: &Args) -> Ran {
    let condition = args.value(&["--for"]).unwrap_or("");
    let timeout = args.value(&["--timeout"]).and_then(duration).unwrap_or(30 * SECOND);
    let targets_list = match targets(&args.positional) {
        Ok(list) => list,
        Err(message) => return Ran::fail(format!("{message}\n"), 1),
    };
    let mut output = Output::default();
    let mut status = 0;
    for (kind, name) in targets_list {
        if kind == Kind::Deployment {
            let (out, failed) = wait_deployment(cluster, &name, condition, timeout);
            output.append(out);
            status = status.max(failed);
            continue;
        }
        if kind != Kind::Pod {
            return Ran::fail(
                "error: this playground waits for pods and deployments only (kubectl wait --for=condition=Ready pod/NAME)\n",
                1,
            );
        }
        let wanted = condition.strip_prefix("condition=").unwrap_or("");
        // --for=delete waits for this object, by UID: a replacement with the same name is another pod.
        let uid = cluster.store().pods.get(&name).map(|p| p.metadata.uid.clone());
        let done = |c: &Cluster| -> bool {
            let pod = c.store().pods.get(&name);
            match condition {
                "delete" => pod.is_none_or(|p| Some(&p.metadata.uid) != uid.as_ref()),
                _ => pod
                    .is_some_and(|p| p.condition(if wanted.eq_ignore_ascii_case("ready") { "Ready" } else { wanted })),
            }
        };
        if condition != "delete" && !cluster.store().pods.contains_key(&name) {
            output.err(not_found(kind, &name));
            status = 1;
            continue;
        }
        if cluster.run_until_condition(timeout, done) {
            output.out(format!("pod/{name} {}\n", if condition == "delete" { "deleted" } else { "condition met" }));
        } else {
            output.err(format!("error: timed out waiting for the condition on pods/{name}\n"));
            status = 1;
        }
    }
    Ran { output, status }
}

/// `kubectl wait --for=condition=Available deployment/NAME` (any condition type, its
/// status `True` unless `=False` is asked), or `--for=delete`.
fn wait_deployment(cluster: &mut Cluster, name: &str, condition: &str, timeout: Millis) -> (Output, i32) {
    let mut output = Output::default();
    let uid = cluster.store().deployments.get(name).map(|d| d.metadata.uid.clone());
    if condition != "delete" && uid.is_none() {
        output.err(not_found(Kind::Deployment, name));
        return (output, 1);
    }
    let wanted = condition.strip_prefix("condition=").unwrap_or("");
    let (kind, value) = wanted.split_once('=').unwrap_or((wanted, "True"));
    let done = |c: &Cluster| -> bool {
        let deployment = c.store().deployments.get(name);
        match condition {
            "delete" => deployment.is_none_or(|d| Some(&d.metadata.uid) != uid.as_ref()),
            _ => deployment.is_some_and(|d| {
                d.status
                    .conditions
                    .iter()
                    .any(|c| c.kind.eq_ignore_ascii_case(kind) && c.status.eq_ignore_ascii_case(value))
            }),
        }
    };
    if cluster.run_until_condition(timeout, done) {
        let verb = if condition == "delete" { "deleted" } else { "condition met" };
        output.out(format!("deployment.apps/{name} {verb}\n"));
        (output, 0)
    } else {
        output.err(format!("error: timed out waiting for the condition on deployments/{name}\n"));
        (output, 1)
    }
}

pub(super) fn label(cluster: &mut Cluster, args: &Args, labels: bool) -> Ran {
    let verb = if labels { "labeled" } else { "annotated" };
    let (kind, name, changes) = match args.positional.as_slice() {
        [target, rest @ ..] if target.contains('/') => match targets(&[target]) {
            Ok(list) => (list[0].0, list[0].1.clone(), rest.to_vec()),
            Err(message) => return Ran::fail(format!("{message}\n"), 1),
        },
        [kind, name, rest @ ..] => match Kind::parse(kind) {
            Some(kind) => (kind, name.to_string(), rest.to_vec()),
            None => return Ran::fail(format!("error: the server doesn't have a resource type \"{kind}\"\n"), 1),
        },
        _ => {
            return Ran::fail(
                "error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n",
                1,
            )
        }
    };
    let overwrite = args.has(&["--overwrite"]);
    if !matches!(
        kind,
        Kind::Pod
            | Kind::StatefulSet
            | Kind::Deployment
            | Kind::ReplicaSet
            | Kind::Service
            | Kind::PersistentVolumeClaim
    ) {
        return Ran::fail(
            format!(
                "error: this playground labels pods, deployments, replicasets, statefulsets, services and claims, not {}\n",
                kind.plural()
            ),
            1,
        );
    }
    let edit = |meta: &mut ObjectMeta| {
        let map = if labels { &mut meta.labels } else { &mut meta.annotations };
        for change in changes {
            if let Some(key) = change.strip_suffix('-') {
                map.remove(key);
            } else if let Some((key, value)) = change.split_once('=') {
                if map.get(key).is_some_and(|old| old != value) && !overwrite {
                    return Err(format!(
                        "error: '{key}' already has a value ({}), and --overwrite is false\n",
                        map[key]
                    ));
                }
                map.insert(key.to_string(), value.to_string());
            }
        }
        Ok(())
    };
    match cluster.write(|api| api.update_metadata(kind.kind(), &name, edit)) {
        None => return Ran::fail(not_found(kind, &name), 1),
        Some(Err(message)) => return Ran::fail(message, 1),
        Some(Ok(())) => {}
    }
    Ran::out(format!("{}/{name} {verb}\n", kind.resource()))
}
