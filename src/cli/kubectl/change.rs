//! The verbs that change a StatefulSet or an object's metadata: `scale`, `patch`,
//! `set image`, `wait`, `label`/`annotate`.

use crate::core::api::yaml::Value;

use super::super::{Output, Ran};
use super::*;
use crate::core::api::*;
use crate::core::cluster::Cluster;
use crate::core::time::{Millis, MINUTE, SECOND};

/// `sts web` or `sts/web` or `statefulset.apps/web` → the set name.
pub(super) fn statefulset_target<'a>(positional: &[&'a str]) -> Result<&'a str, String> {
    match positional {
        [one] if one.contains('/') => {
            let (kind, name) = one.split_once('/').unwrap_or_default();
            match Kind::parse(kind) {
                Some(Kind::StatefulSet) => Ok(name),
                Some(_) => {
                    Err(format!("error: this playground supports this command for statefulsets only, not \"{kind}\""))
                }
                None => Err(format!("error: the server doesn't have a resource type \"{kind}\"")),
            }
        }
        [kind, name, ..] => match Kind::parse(kind) {
            Some(Kind::StatefulSet) => Ok(name),
            Some(_) => {
                Err(format!("error: this playground supports this command for statefulsets only, not \"{kind}\""))
            }
            None => Err(format!("error: the server doesn't have a resource type \"{kind}\"")),
        },
        _ => Err("error: resource(s) were provided, but no name was specified".into()),
    }
}

pub(super) fn scale(cluster: &mut Cluster, args: &Args) -> Ran {
    let name = match statefulset_target(&args.positional) {
        Ok(name) => name,
        Err(message) => return Ran::fail(format!("{message}\n"), 1),
    };
    let Some(replicas) = args.value(&["--replicas"]).and_then(|r| r.parse::<i64>().ok()) else {
        return Ran::fail("error: required flag(s) \"replicas\" not set\n", 1);
    };
    match cluster.scale(name, replicas) {
        Ok(()) => Ran::out(format!("statefulset.apps/{name} scaled\n")),
        Err(message) => Ran::fail(format!("{message}\n"), 1),
    }
}

pub(super) fn patch(cluster: &mut Cluster, args: &Args) -> Ran {
    let name = match statefulset_target(&args.positional) {
        Ok(name) => name.to_string(),
        Err(message) => return Ran::fail(format!("{message}\n"), 1),
    };
    let Some(patch_text) = args.value(&["-p", "--patch"]) else {
        return Ran::fail("error: must specify --patch or --patch-file containing the contents of the patch\n", 1);
    };
    let patch: Value = match crate::core::api::yaml::from_str(patch_text) {
        Ok(v) => v,
        Err(error) => return Ran::fail(format!("error: unable to parse \"{patch_text}\": {error}\n"), 1),
    };
    let Some(set) = cluster.store().stateful_sets.get(&name) else {
        return Ran::fail(not_found(Kind::StatefulSet, &name), 1);
    };
    let mut value = crate::core::api::write::ToValue::to_value(set);
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
    let patched: StatefulSet = match crate::core::api::read::from_value(&value) {
        Ok(set) => set,
        Err(error) => {
            return Ran::fail(format!("Error from server (BadRequest): the patch could not be applied: {error}\n"), 1)
        }
    };
    match cluster.update_stateful_set(&name, |set| {
        set.spec = patched.spec;
        set.metadata.labels = patched.metadata.labels;
        set.metadata.annotations = patched.metadata.annotations;
    }) {
        Ok(true) => Ran::out(format!("statefulset.apps/{name} patched\n")),
        Ok(false) => Ran::out(format!("statefulset.apps/{name} patched (no change)\n")),
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
    let name = match statefulset_target(&target) {
        Ok(name) => name.to_string(),
        Err(message) => return Ran::fail(format!("{message}\n"), 1),
    };
    if assignments.is_empty() {
        return Ran::fail("error: at least one image update is required\n", 1);
    }
    let Some(set) = cluster.store().stateful_sets.get(&name) else {
        return Ran::fail(not_found(Kind::StatefulSet, &name), 1);
    };
    for (container, _) in &assignments {
        if *container != "*" && !set.spec.template.spec.containers.iter().any(|c| c.name == *container) {
            return Ran::fail(format!("error: unable to find container named \"{container}\"\n"), 1);
        }
    }
    let result = cluster.update_stateful_set(&name, |set| {
        for container in &mut set.spec.template.spec.containers {
            if let Some((_, image)) = assignments.iter().find(|(c, _)| *c == "*" || *c == container.name) {
                container.image = image.to_string();
            }
        }
    });
    match result {
        Ok(_) => Ran::out(format!("statefulset.apps/{name} image updated\n")),
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
        if kind != Kind::Pod {
            return Ran::fail(
                "error: this playground waits for pods only (kubectl wait --for=condition=Ready pod/NAME)\n",
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
    if !matches!(kind, Kind::Pod | Kind::StatefulSet | Kind::Service | Kind::PersistentVolumeClaim) {
        return Ran::fail(
            format!("error: this playground labels pods, statefulsets, services and claims, not {}\n", kind.plural()),
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
