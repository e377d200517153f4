//! A snapshot of the cluster shaped for drawing: what the cluster view and the
//! events panel show, computed here so the UI holds no cluster logic.

use std::collections::BTreeMap;

use crate::cli::printers;
use crate::core::api::*;
use crate::core::cluster::Cluster;
use crate::core::controllers::statefulset;
use crate::core::network::dns;
use crate::core::node::apps;
use crate::core::node::files::{self, Backing, Resolved};
use crate::core::node::workload::{self, Program};
use crate::core::time::Millis;
use crate::session::edit;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterView {
    /// Virtual time as `mm:ss.t` (or `h:mm:ss`).
    pub clock: String,
    /// The same moment in virtual milliseconds (the time scrubber's position).
    pub now: Millis,
    pub sets: Vec<SetView>,
    /// Deployments, for the contrast with the sets: hashed pod names, no ordinals,
    /// one ReplicaSet per template.
    pub deployments: Vec<DeploymentView>,
    pub pods: Vec<PodView>,
    pub claims: Vec<ClaimView>,
    pub services: Vec<ServiceView>,
    /// Newest first.
    pub events: Vec<EventView>,
    /// Each StatefulSet's DNS names and their answers (the DNS panel).
    pub dns: Vec<DnsView>,
    /// The latest HTTP requests, newest first (drawn travelling client → Service → pod).
    pub requests: Vec<crate::core::cluster::RequestTrace>,
}

/// One name the cluster DNS should answer for a StatefulSet, and its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnsView {
    pub name: String,
    /// The addresses, or why the name does not resolve (the resolver only says NXDOMAIN).
    pub answer: Result<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetView {
    pub name: String,
    /// `2/3`, as `kubectl get sts` prints READY.
    pub ready: String,
    pub policy: String,
    /// `RollingUpdate (partition 1)` or `OnDelete`.
    pub strategy: String,
    pub current_revision: String,
    pub update_revision: String,
    pub age: String,
    /// `spec.replicas`, for the scale buttons.
    pub replicas: i64,
    /// The RollingUpdate partition; None under OnDelete.
    pub partition: Option<i64>,
    /// The first container's image and the images offered for a rollout.
    pub image: String,
    pub image_choices: Vec<String>,
}

/// A Deployment as `kubectl get deploy` and its ReplicaSets show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploymentView {
    pub name: String,
    /// `2/3`, as `kubectl get deploy` prints READY.
    pub ready: String,
    pub up_to_date: i64,
    pub available: i64,
    /// `RollingUpdate (25% max unavailable, 25% max surge)` or `Recreate`.
    pub strategy: String,
    /// Its ReplicaSets, newest revision first, as `name desired/current/ready`.
    pub replica_sets: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodView {
    pub name: String,
    /// Its controller, `statefulset/web` or `replicaset/web-5d9c8f7b6`; empty for a bare pod.
    pub owner: String,
    pub status: String,
    pub ready: String,
    pub restarts: String,
    pub ip: String,
    /// The `controller-revision-hash` label.
    pub revision: String,
    /// Whether the pod runs the set's update revision.
    pub updated: bool,
    /// A short state for styling: pending, creating, running, ready, completed, failing, terminating.
    pub phase_class: &'static str,
    pub claims: Vec<String>,
    pub age: String,
    /// Some(partition) when the set's RollingUpdate partition starts at this
    /// pod: it and the higher ordinals take the update revision, the lower
    /// ones stay (§3.5). Drawn as a marker between the cards.
    pub partition_edge: Option<i64>,
    /// Files its containers wrote and where each lives (`volume`, `emptyDir`, `container`).
    pub files: Vec<(String, &'static str)>,
    /// What its first container's probes say now (`readiness passing · liveness`).
    pub probes: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimView {
    pub name: String,
    pub status: String,
    pub volume: String,
    pub capacity: String,
    /// The pod mounting it, if one exists.
    pub pod: Option<String>,
    /// The visit count stored on its volume, if the visits app wrote one.
    pub visits: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceView {
    pub name: String,
    /// `None` (headless) or the ClusterIP.
    pub cluster_ip: String,
    pub ports: String,
    pub ready: Vec<String>,
    pub not_ready: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventView {
    /// Stable while the session lasts (the event's place in the cluster's list).
    pub id: usize,
    pub age: String,
    pub kind: String,
    pub reason: String,
    /// `pod/web-0`, as `kubectl get events` prints OBJECT.
    pub object: String,
    pub message: String,
    pub count: u32,
    /// Where the manifest writes what this event is about, as (kind, name,
    /// field path): the field that caused a `FailedCreate`, a pod's template
    /// in its StatefulSet, else the object's own name.
    pub source: Option<(String, String, String)>,
}

/// See [`EventView::source`].
fn event_source(cluster: &Cluster, event: &crate::core::api::Event) -> Option<(String, String, String)> {
    if event.object_kind == "Pod" {
        let owner = cluster.store().pods.get(&event.object_name)?.metadata.controller()?;
        return (owner.kind == "StatefulSet")
            .then(|| (owner.kind.clone(), owner.name.clone(), "spec.template".to_string()));
    }
    let field = event.cause_field.clone().unwrap_or_else(|| "metadata.name".into());
    Some((event.object_kind.to_string(), event.object_name.clone(), field))
}

/// Requests the traffic lane lists.
const REQUESTS_SHOWN: usize = 6;

/// `mm:ss.t` under an hour, `h:mm:ss` after.
pub fn clock_text(now: Millis) -> String {
    let seconds = now / 1000;
    if seconds < 3600 {
        format!("{:02}:{:02}.{}", seconds / 60, seconds % 60, (now % 1000) / 100)
    } else {
        format!("{}:{:02}:{:02}", seconds / 3600, (seconds / 60) % 60, seconds % 60)
    }
}

fn phase_class(pod: &Pod, status: &str) -> &'static str {
    if pod.metadata.is_terminating() {
        "terminating"
    } else if pod.status.phase == "Succeeded" {
        // A hook pod that ran to completion: done, not failing.
        "completed"
    } else if pod.is_running_and_ready() {
        "ready"
    } else {
        match status {
            "Pending" => "pending",
            "ContainerCreating" => "creating",
            "Running" => "running",
            _ => "failing",
        }
    }
}

/// Where each PersistentVolume keeps the visits count: learned from the pods that mount it.
fn visits_paths(cluster: &Cluster) -> BTreeMap<String, String> {
    let mut paths = BTreeMap::new();
    for pod in cluster.store().pods.values() {
        for container in
            pod.spec.containers.iter().filter(|c| workload::image_traits(&c.image).program == Program::Visits)
        {
            let at = files::resolve(&cluster.store(), pod, container, &apps::visits_file(container));
            if let Backing::Volume(volume) = at.backing {
                paths.insert(volume, at.relative);
            }
        }
    }
    paths
}

pub fn view(cluster: &Cluster) -> ClusterView {
    let now = cluster.now();
    let store = &cluster.store();
    let created = |meta: &ObjectMeta| printers::age(meta.creation_timestamp.unwrap_or(0), now);
    let sets = store
        .stateful_sets
        .values()
        .map(|set| SetView {
            name: set.name().to_string(),
            ready: format!("{}/{}", set.status.ready_replicas, set.replicas()),
            policy: set.spec.pod_management_policy.clone().unwrap_or_default(),
            strategy: if set.is_on_delete() {
                "OnDelete".into()
            } else {
                format!("RollingUpdate (partition {})", set.partition())
            },
            current_revision: set.status.current_revision.clone(),
            update_revision: set.status.update_revision.clone(),
            age: created(&set.metadata),
            replicas: set.replicas(),
            partition: (!set.is_on_delete()).then(|| set.partition()),
            image: set.spec.template.spec.containers.first().map(|c| c.image.clone()).unwrap_or_default(),
            image_choices: set
                .spec
                .template
                .spec
                .containers
                .first()
                .map(|c| {
                    let mut revisions: Vec<_> = store.revisions_of(set).collect();
                    revisions.sort_by_key(|r| r.revision);
                    let earlier: Vec<&str> = revisions
                        .iter()
                        .filter_map(|r| r.data.spec.containers.first())
                        .map(|c| c.image.as_str())
                        .collect();
                    edit::image_choices(&c.image, &earlier)
                })
                .unwrap_or_default(),
        })
        .collect();
    let deployments = store.deployments.values().map(|d| deployment_view(store, d)).collect();
    let update_revisions: Vec<&str> = store.stateful_sets.values().map(|s| s.status.update_revision.as_str()).collect();
    let pods = store
        .pods
        .values()
        .map(|pod| {
            let status = printers::pod_status(pod);
            PodView {
                name: pod.name().to_string(),
                owner: pod
                    .metadata
                    .controller()
                    .map(|o| format!("{}/{}", o.kind.to_ascii_lowercase(), o.name))
                    .unwrap_or_default(),
                ready: printers::pod_ready(pod),
                restarts: printers::pod_restarts(pod, now),
                ip: pod.status.pod_ip.clone().unwrap_or_else(|| "<none>".into()),
                // A Deployment's pods carry their template's hash instead of a revision.
                revision: match pod.revision() {
                    "" => pod.metadata.labels.get("pod-template-hash").cloned().unwrap_or_default(),
                    revision => revision.to_string(),
                },
                updated: update_revisions.contains(&pod.revision()),
                phase_class: phase_class(pod, &status),
                claims: store.claims_of(pod).map(|(name, _)| name.to_string()).collect(),
                age: created(&pod.metadata),
                partition_edge: statefulset::parent_and_ordinal(pod.name()).and_then(|(parent, ordinal)| {
                    let set = store.stateful_sets.get(parent)?;
                    let partition = set.partition();
                    (!set.is_on_delete() && partition > 0 && ordinal == partition).then_some(partition)
                }),
                files: cluster.files().files_of(store, pod),
                probes: probe_summary(pod),
                status,
            }
        })
        .collect();
    let claims = claim_views(cluster);
    let services = store
        .services
        .values()
        .map(|service| {
            let endpoints = store.endpoints.get(&service.metadata.name);
            let names = |addresses: Option<&Vec<EndpointAddress>>| {
                addresses.map_or_else(Vec::new, |a| {
                    a.iter()
                        .map(|x| if x.target_pod.is_empty() { x.ip.clone() } else { x.target_pod.clone() })
                        .collect()
                })
            };
            ServiceView {
                name: service.metadata.name.clone(),
                cluster_ip: service.spec.cluster_ip.clone().unwrap_or_else(|| "<none>".into()),
                ports: service
                    .spec
                    .ports
                    .iter()
                    .map(|p| format!("{}/{}", p.port, p.protocol.as_deref().unwrap_or("TCP")))
                    .collect::<Vec<_>>()
                    .join(","),
                ready: names(endpoints.map(|e| &e.addresses)),
                not_ready: names(endpoints.map(|e| &e.not_ready_addresses)),
            }
        })
        .collect();
    let events = cluster
        .events()
        .iter()
        .enumerate()
        .rev()
        .take(200)
        .map(|(id, e)| EventView {
            id,
            age: printers::age(e.last_timestamp, now),
            kind: e.kind.to_string(),
            reason: e.reason.to_string(),
            object: format!("{}/{}", e.object_kind.to_ascii_lowercase(), e.object_name),
            message: e.message.clone(),
            count: e.count,
            source: event_source(cluster, e),
        })
        .collect();
    let requests = cluster.requests().iter().rev().take(REQUESTS_SHOWN).cloned().collect();
    ClusterView {
        clock: clock_text(now),
        now,
        sets,
        deployments,
        pods,
        claims,
        services,
        events,
        dns: dns_names(cluster),
        requests,
    }
}

fn deployment_view(store: &crate::core::apiserver::store::Store, deployment: &Deployment) -> DeploymentView {
    let status = &deployment.status;
    let strategy = if deployment.is_recreate() {
        "Recreate".to_string()
    } else {
        let rolling = deployment.spec.strategy.rolling_update.clone().unwrap_or_default();
        let text = |value: Option<crate::core::api::yaml::Value>| match value {
            Some(crate::core::api::yaml::Value::String(s)) => s,
            Some(crate::core::api::yaml::Value::Number(n)) => n.to_string(),
            _ => "25%".into(),
        };
        format!(
            "RollingUpdate ({} max unavailable, {} max surge)",
            text(rolling.max_unavailable),
            text(rolling.max_surge)
        )
    };
    let revision = |rs: &ReplicaSet| {
        rs.metadata
            .annotations
            .get("deployment.kubernetes.io/revision")
            .and_then(|r| r.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let mut owned: Vec<&ReplicaSet> = store
        .replica_sets
        .values()
        .filter(|rs| rs.metadata.controller().is_some_and(|o| o.uid == deployment.metadata.uid))
        .collect();
    owned.sort_by_key(|rs| std::cmp::Reverse(revision(rs)));
    DeploymentView {
        name: deployment.name().to_string(),
        ready: format!("{}/{}", status.ready_replicas, deployment.replicas()),
        up_to_date: status.updated_replicas,
        available: status.available_replicas,
        strategy,
        replica_sets: owned
            .iter()
            .map(|rs| {
                format!(
                    "{} {}/{}/{}",
                    rs.name(),
                    rs.spec.replicas.unwrap_or(1),
                    rs.status.replicas,
                    rs.status.ready_replicas
                )
            })
            .collect(),
    }
}

/// Every claim with its volume and the visit count stored on it (the cluster
/// view's disks; the lessons count visits with it too).
/// The probes of a pod's first container and where they stand, from its
/// status as the kubelet reports it: `started` is set once the startup probe
/// passed (§5.6), `ready` while the readiness probe passes. No readiness probe:
/// ready as soon as the container runs (`none`).
fn probe_summary(pod: &Pod) -> String {
    let Some(container) = pod.spec.containers.first() else { return String::new() };
    let status = pod.status.container_statuses.iter().find(|s| s.name == container.name);
    let running = status.is_some_and(|s| s.state.running.is_some());
    let mut parts = Vec::new();
    if container.startup_probe.is_some() {
        parts.push(match status {
            Some(s) if s.started => "startup passed",
            _ if running => "startup probing",
            _ => "startup",
        });
    }
    if container.readiness_probe.is_some() {
        parts.push(match status {
            Some(s) if s.ready => "readiness passing",
            _ if running => "readiness not passing",
            _ => "readiness",
        });
    }
    if container.liveness_probe.is_some() {
        parts.push("liveness");
    }
    if parts.is_empty() {
        return "none".into();
    }
    parts.join(" · ")
}

pub fn claim_views(cluster: &Cluster) -> Vec<ClaimView> {
    let store = &cluster.store();
    let paths = visits_paths(cluster);
    // The pod that mounts each claim (the first by name), found in one pass
    // rather than by searching every pod for every claim (100 × 100 at 100 pods).
    let mut mounted_by: BTreeMap<&str, &str> = BTreeMap::new();
    for pod in store.pods.values() {
        for (claim, _) in store.claims_of(pod) {
            mounted_by.entry(claim).or_insert(pod.name());
        }
    }
    store
        .claims
        .values()
        .map(|claim| {
            let volume = claim.spec.volume_name.clone().unwrap_or_default();
            let relative = paths.get(&volume).cloned().unwrap_or_else(|| "/visits".into());
            let at = Resolved {
                backing: Backing::Volume(volume.clone()),
                relative,
                read_only: true,
                mount_path: String::new(),
            };
            ClaimView {
                name: claim.metadata.name.clone(),
                status: printers::claim_status(claim),
                capacity: claim.status.capacity.clone().unwrap_or_default(),
                pod: mounted_by.get(claim.metadata.name.as_str()).map(|pod| pod.to_string()),
                visits: cluster.files().read(store, &at).and_then(|t| t.trim().parse().ok()),
                volume,
            }
        })
        .collect()
}

/// For each StatefulSet: the governing Service's name and each pod's stable
/// name (§6.6–§6.8), with CoreDNS's answer or the reason for NXDOMAIN (the DNS
/// panel; kept apart from `view` so a page without the panel does not pay for it).
pub fn dns_names(cluster: &Cluster) -> Vec<DnsView> {
    let store = &cluster.store();
    let mut rows = Vec::new();
    for set in store.stateful_sets.values() {
        let service_name = set.service_name();
        let service = store.services.get(service_name);
        let zone = format!("{service_name}.{}.svc.{}", set.metadata.namespace(), dns::CLUSTER_DOMAIN);
        let mut names = vec![(zone.clone(), None)];
        names
            .extend((0..set.replicas().clamp(0, 50)).map(|ordinal| {
                (format!("{}-{ordinal}.{zone}", set.name()), Some(format!("{}-{ordinal}", set.name())))
            }));
        for (name, pod_name) in names {
            let answer =
                match dns::resolve_fqdn(store, &name) {
                    Ok(answer) => Ok(answer.addresses.join(", ")),
                    Err(miss) => Err(match (service, &pod_name) {
                        (None, _) => format!("no Service named {service_name} (serviceName)"),
                        (Some(s), Some(_)) if !s.is_headless() => format!(
                            "{service_name} is not headless (clusterIP {})",
                            s.spec.cluster_ip.as_deref().unwrap_or("")
                        ),
                        (Some(s), Some(pod)) => match store.pods.get(pod) {
                            None => format!("{pod} does not exist"),
                            Some(p)
                                if !s.spec.selector.as_ref().is_some_and(|sel| {
                                    !sel.is_empty() && selector_matches(sel, &p.metadata.labels)
                                }) =>
                            {
                                format!("{service_name}'s selector does not select {pod}")
                            }
                            Some(p) if p.metadata.is_terminating() => format!("{pod} is terminating"),
                            Some(p) if !p.is_running_and_ready() => format!("{pod} is not ready"),
                            Some(_) => miss_text(&miss),
                        },
                        (Some(_), None) => miss_text(&miss),
                    }),
                };
            rows.push(DnsView { name, answer });
        }
    }
    rows
}

fn miss_text(miss: &dns::Miss) -> String {
    match miss {
        dns::Miss::NoSuchService(name) => format!("no Service named {name}"),
        dns::Miss::NoReadyEndpoints(name) => format!("{name} has no ready pods"),
        dns::Miss::NoSuchHostname { service, hostname } => format!("no ready pod {hostname} behind {service}"),
        dns::Miss::NotClusterName => "not a cluster name".into(),
    }
}

/// One row of the editor's file tree: a folder, or a file to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRow {
    /// The file's path, or the folder's with a trailing `/`: the row's key.
    pub path: String,
    /// The last part of the path, as shown.
    pub name: String,
    /// Folders above it: how far it is indented.
    pub depth: usize,
    pub folder: bool,
}

/// The tree of `paths` (sorted, as the terminal keeps them): each folder once,
/// before its files.
pub fn file_tree(paths: &[String]) -> Vec<FileRow> {
    let mut rows: Vec<FileRow> = Vec::new();
    for path in paths {
        let parts: Vec<&str> = path.split('/').collect();
        for depth in 0..parts.len() - 1 {
            let folder = format!("{}/", parts[..=depth].join("/"));
            if !rows.iter().any(|r| r.path == folder) {
                rows.push(FileRow { path: folder, name: format!("{}/", parts[depth]), depth, folder: true });
            }
        }
        let name = parts[parts.len() - 1].to_string();
        rows.push(FileRow { path: path.clone(), name, depth: parts.len() - 1, folder: false });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::cluster::Client;
    use crate::core::time::MINUTE;
    use crate::session::samples::DEFAULT_MANIFEST;

    #[test]
    fn the_view_shows_pods_their_claims_and_the_visits_stored_on_each() {
        let mut cluster = crate::cli::new_cluster(1);
        cluster.apply_text(DEFAULT_MANIFEST).unwrap();
        cluster.advance(MINUTE);
        cluster.http_get("web-1.visits", 8080, "/", &Client::Host).unwrap();
        let view = view(&cluster);
        assert_eq!(view.clock, "01:00.0");
        assert_eq!(view.sets[0].ready, "3/3");
        let names: Vec<_> = view.pods.iter().map(|p| (p.name.as_str(), p.status.as_str(), p.phase_class)).collect();
        assert_eq!(
            names,
            [("web-0", "Running", "ready"), ("web-1", "Running", "ready"), ("web-2", "Running", "ready")]
        );
        let visits: Vec<_> = view.claims.iter().map(|c| (c.name.as_str(), c.pod.as_deref(), c.visits)).collect();
        assert_eq!(
            visits,
            [
                ("data-web-0", Some("web-0"), None),
                ("data-web-1", Some("web-1"), Some(1)),
                ("data-web-2", Some("web-2"), None)
            ]
        );
        let headless = view.services.iter().find(|s| s.name == "visits").unwrap();
        assert_eq!((headless.cluster_ip.as_str(), headless.ready.len()), ("None", 3));
        assert!(view.events.iter().any(|e| e.object == "statefulset/web" && e.reason == "SuccessfulCreate"));
    }

    #[test]
    fn rule_3_5_the_partition_marker_sits_before_the_first_pod_that_takes_the_update() {
        // The page's partition control writes the field into the manifest; the view
        // then says where the line between old and new revision falls.
        let mut cluster = crate::cli::new_cluster(1);
        let text = crate::session::edit::edit_statefulset(
            DEFAULT_MANIFEST,
            "web",
            &crate::session::edit::SpecChange::Partition(2),
        )
        .unwrap();
        cluster.apply_text(&text).unwrap();
        cluster.advance(MINUTE);
        let view = view(&cluster);
        let edges: Vec<_> = view.pods.iter().map(|p| (p.name.as_str(), p.partition_edge)).collect();
        assert_eq!(edges, [("web-0", None), ("web-1", None), ("web-2", Some(2))]);
        assert_eq!((view.sets[0].replicas, view.sets[0].partition), (3, Some(2)));
        assert_eq!(view.sets[0].image_choices[0], "ghcr.io/example/visits:1.0");
        // A crashing rollout: the earlier image stays on offer, to revert to.
        let broken = crate::session::edit::edit_statefulset(
            &text,
            "web",
            &crate::session::edit::SpecChange::Image("ghcr.io/example/visits:crash".into()),
        )
        .unwrap();
        cluster.apply_text(&broken).unwrap();
        let choices = super::view(&cluster).sets[0].image_choices.clone();
        assert!(
            choices.contains(&"ghcr.io/example/visits:1.0".to_string())
                && choices.contains(&"ghcr.io/example/visits:crash".to_string()),
            "{choices:?}"
        );
    }

    #[test]
    fn the_dns_panel_lists_each_stable_name_and_why_one_fails() {
        let mut cluster = crate::cli::new_cluster(1);
        cluster.apply_text(DEFAULT_MANIFEST).unwrap();
        cluster.advance(MINUTE);
        let ip = |name: &str| cluster.store().pods.get(name).and_then(|p| p.status.pod_ip.clone()).unwrap();
        let rows = dns_names(&cluster);
        assert_eq!(rows[0].name, "visits.default.svc.cluster.local");
        assert_eq!(rows[0].answer, Ok(format!("{}, {}, {}", ip("web-0"), ip("web-1"), ip("web-2"))));
        assert_eq!(rows[2], DnsView { name: "web-1.visits.default.svc.cluster.local".into(), answer: Ok(ip("web-1")) });
        cluster.delete_pod("web-1", None);
        assert_eq!(
            dns_names(&cluster)[2].answer,
            Err("web-1 is terminating".into()),
            "a terminating pod leaves DNS at once (§6.4)"
        );
        cluster.write(|api| api.delete_simple("Service", "visits"));
        assert_eq!(dns_names(&cluster)[1].answer, Err("no Service named visits (serviceName)".into()));
    }

    #[test]
    fn the_file_tree_shows_each_folder_once_before_its_files() {
        let paths =
            ["web/Chart.yaml", "web/templates/service.yaml", "web/templates/tests/test.yaml", "web/values.yaml"];
        let shown: Vec<(String, usize)> =
            file_tree(&paths.map(String::from)).into_iter().map(|r| (r.name, r.depth)).collect();
        let expected = [
            ("web/", 0),
            ("Chart.yaml", 1),
            ("templates/", 1),
            ("service.yaml", 2),
            ("tests/", 2),
            ("test.yaml", 3),
            ("values.yaml", 1),
        ];
        assert_eq!(shown, expected.map(|(name, depth)| (name.to_string(), depth)));
    }
}
