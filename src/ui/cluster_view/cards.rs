//! The body: a set's pod cards (actions, probes, revision, files, the claim and
//! its visit count), claims left by a scale-down, Services and DNS.

use super::*;
use crate::session::view::{ClaimView, ClusterView as Snapshot, PodView};
use crate::ui::dom::{el, Element, Node};

/// The pane's body for one snapshot.
/// `selected` (`pod/web-0`: an event or the Inspector chose it) is highlighted.
pub(super) fn body_of(view: &Snapshot, selected: Option<&str>) -> Vec<Node> {
    let mark = |element: Element, object: String| {
        if selected == Some(object.as_str()) {
            element.attr("data-selected", "")
        } else {
            element
        }
    };
    if view.sets.is_empty() && view.deployments.is_empty() && view.pods.is_empty() {
        return vec![Node::Element(
            el("div").class("empty-state")
                .child(el("p").text("Pods, PersistentVolumeClaims, Services and DNS names of the simulated cluster are drawn here."))
                .child(el("p").class("hint").text("Press Apply (Ctrl+Enter) to run the manifest on the left: a headless Service and a 3-replica StatefulSet with one claim per pod.")),
        )];
    }
    let mut body = Vec::new();
    for set in &view.sets {
        body.push(mark(set_summary(set), format!("statefulset/{}", set.name)));
        body.push(set_controls(set));
    }
    for deployment in &view.deployments {
        body.push(mark(deployment_summary(deployment), format!("deployment/{}", deployment.name)));
    }
    let pods = view.pods.iter().flat_map(|pod| {
        let claims = view.claims.iter().filter(|c| pod.claims.contains(&c.name));
        // The newest request this pod answered: its counter ticks when that changes.
        let hit = view.requests.iter().find(|r| r.pod.as_ref() == Some(&pod.name)).map(|r| r.id);
        let edge = pod.partition_edge.map(|partition| {
            el("div")
                .class("partition-edge")
                .testid("partition-edge")
                .attr("role", "separator")
                .text(format!("partition {partition}: from here up, the update revision"))
        });
        edge.into_iter().chain(std::iter::once(mark(pod_card(pod, claims, hit), format!("pod/{}", pod.name))))
    });
    body.push(el("div").class("pods").testid("pods").children(pods));
    let detached: Vec<&ClaimView> = view.claims.iter().filter(|c| c.pod.is_none()).collect();
    if !detached.is_empty() {
        body.push(el("h3").class("section").text("Claims without a pod"));
        body.push(el("div").class("detached").children(detached.into_iter().map(|claim| disk(claim, None))));
    }
    body.push(el("h3").class("section").text("Services"));
    body.push(el("ul").class("services").children(view.services.iter().map(|service| {
        let can_send = !service.ports.is_empty() && service.name != "kubernetes";
        let ready = if service.ready.is_empty() { "none".to_string() } else { service.ready.join(", ") };
        let kind = if service.cluster_ip == "None" {
            "headless".to_string()
        } else {
            format!("ClusterIP {}", service.cluster_ip)
        };
        let not_ready = if service.not_ready.is_empty() {
            String::new()
        } else {
            format!("; not ready: {}", service.not_ready.join(", "))
        };
        let label = format!("Service {}, {kind}, ready endpoints: {ready}{not_ready}", service.name);
        mark(
            el("li").testid("service").attr("data-service", service.name.clone()).attr("aria-label", label),
            format!("service/{}", service.name),
        )
        .child(el("span").class("mono").text(format!("service/{}", service.name)))
        .child(el("span").class("badge").testid("service-kind").text(kind))
        .child(el("span").class("muted").text(format!("ready: {ready}")))
        // §6.4: not-ready pods are kept out of the endpoints that receive traffic.
        .maybe(
            (!service.not_ready.is_empty())
                .then(|| el("span").class("not-ready").text(format!("not ready: {}", service.not_ready.join(", ")))),
        )
        .maybe(can_send.then(|| {
            el("button")
                .class("small")
                .testid("send-requests")
                .act("send", service.name.clone())
                .text("Send 10 requests")
        }))
    })));
    if !view.dns.is_empty() {
        body.push(el("h3").class("section").text("DNS (cluster.local)"));
        body.push(el("ul").class("dns").testid("dns").children(view.dns.iter().map(|row| {
            let (class, answer) = match &row.answer {
                Ok(addresses) => ("resolves", format!(" → {addresses}")),
                Err(reason) => ("nxdomain", format!(" ✗ NXDOMAIN: {reason}")),
            };
            el("li").class(class).child(el("span").class("mono").text(row.name.clone())).text(answer)
        })));
    }
    body.into_iter().map(Node::Element).collect()
}

/// One pod: its name, STATUS, READY, RESTARTS, IP, revision, its claims as
/// disks, and what can be done to it.
/// A Deployment's line: READY, UP-TO-DATE, AVAILABLE as `kubectl get deploy` prints
/// them, its strategy, and its ReplicaSets (desired/current/ready), newest first.
fn deployment_summary(deployment: &crate::session::view::DeploymentView) -> Element {
    el("div")
        .class("set-summary")
        .testid("deployment")
        .attr("data-deployment", deployment.name.clone())
        .child(el("strong").text(format!("deployment/{}", deployment.name)))
        .child(el("span").class("badge").text(format!("READY {}", deployment.ready)))
        .child(el("span").class("muted").text(format!("UP-TO-DATE {}", deployment.up_to_date)))
        .child(el("span").class("muted").text(format!("AVAILABLE {}", deployment.available)))
        .child(el("span").class("muted").text(deployment.strategy.clone()))
        .child(
            el("span")
                .class("muted mono")
                .attr("title", "ReplicaSets: desired/current/ready, newest first")
                .text(deployment.replica_sets.join(" · ")),
        )
}

pub(super) fn pod_card<'a>(pod: &PodView, claims: impl Iterator<Item = &'a ClaimView>, hit: Option<u64>) -> Element {
    let claims: Vec<&ClaimView> = claims.collect();
    let visits = claims.iter().filter_map(|c| c.visits).sum::<u64>();
    let label = format!(
        "Pod {}, {}, READY {}, {} restarts, IP {}, revision {}, probes: {}, {visits} visits",
        pod.name, pod.status, pod.ready, pod.restarts, pod.ip, pod.revision, pod.probes
    );
    let row = |term: &str, value: &str| [el("dt").text(term), el("dd").text(value)];
    let revision_class =
        format!("mono {} {}", if pod.updated { "rev-new" } else { "rev-old" }, revision_colour(&pod.revision));
    el("article")
        .class(format!("pod {}", pod.phase_class))
        .attr("aria-label", label)
        .testid("pod")
        .attr("data-pod", pod.name.clone())
        .child(
            el("header")
                .child(el("strong").class("mono").text(pod.name.clone()))
                .child(el("span").class("status").testid("pod-status").text(pod.status.clone())),
        )
        .child(
            el("dl")
                .children(row("READY", &pod.ready))
                .children(row("RESTARTS", &pod.restarts))
                // Keyed by the address: a new IP is a new element, and it flashes.
                .child(el("dt").text("IP"))
                .child(
                    el("dd").class("mono flash").testid("pod-ip").attr("data-key", pod.ip.clone()).text(pod.ip.clone()),
                )
                .child(el("dt").text("REVISION"))
                .child(el("dd").class(revision_class).text(pod.revision.clone()))
                .maybe((!pod.owner.is_empty()).then(|| el("dt").text("OWNER")))
                .maybe(
                    (!pod.owner.is_empty()).then(|| el("dd").class("mono").testid("pod-owner").text(pod.owner.clone())),
                )
                .child(el("dt").text("PROBES"))
                .child(el("dd").testid("pod-probes").attr("title", probes_title(&pod.probes)).text(pod.probes.clone())),
        )
        .children(claims.into_iter().map(|claim| disk(claim, hit)))
        .maybe((!pod.files.is_empty()).then(|| files_list(&pod.files)))
        .child(
            el("div")
                .class("pod-actions")
                .child(
                    el("button")
                        .class("ghost small")
                        .attr("aria-label", format!("Delete pod {}", pod.name))
                        .act("delete-pod", pod.name.clone())
                        .text("Delete pod"),
                )
                .children(POD_COMMANDS.iter().map(|(label, command)| {
                    let command = command.replace("{}", &pod.name);
                    el("button")
                        .class("ghost small")
                        .attr("title", command.clone())
                        .attr("aria-label", format!("{label} {}", pod.name))
                        .act("terminal", command)
                        .text(*label)
                }))
                .child(
                    el("button")
                        .class("ghost small")
                        .attr("aria-label", format!("Inspect {}", pod.name))
                        .act("inspect", format!("pod/{}", pod.name))
                        .text("Inspect"),
                ),
        )
}

/// The tooltip of a card's PROBES row (the row itself is cut to the card's width).
pub(super) fn probes_title(probes: &str) -> String {
    if probes == "none" {
        "No probes: Ready as soon as its container runs".into()
    } else {
        probes.to_string()
    }
}

/// One of six colours per revision name, so pods of the same revision match
/// at a glance (and two revisions rarely share a colour).
pub(super) fn revision_colour(revision: &str) -> &'static str {
    const COLOURS: [&str; 6] = ["rev-c0", "rev-c1", "rev-c2", "rev-c3", "rev-c4", "rev-c5"];
    let hash = revision.bytes().fold(0u32, |hash, byte| hash.wrapping_mul(31).wrapping_add(u32::from(byte)));
    COLOURS[hash as usize % COLOURS.len()]
}

/// The files the pod's containers wrote, each tagged with where it lives, so
/// a count kept outside the volume (the /tmp pitfall) shows up as such.
pub(super) fn files_list(files: &[(String, &'static str)]) -> Element {
    el("ul").class("files").testid("files").attr("aria-label", "Files written in this pod").children(files.iter().map(
        |(path, lives)| {
            let (tag, why) = match *lives {
                "volume" => ("volume", "On the claim's PersistentVolume: survives the pod"),
                "emptyDir" => ("emptyDir", "In an emptyDir: survives container restarts, not the pod"),
                _ => ("container layer", "In the container's own layer: lost at every container start"),
            };
            el("li")
                .class(*lives)
                .attr("title", why)
                .child(el("span").class("mono").text(path.clone()))
                .child(el("span").class("tag").text(tag))
        },
    ))
}

/// A claim drawn as a disk, with the visit count stored on its volume (`hit`:
/// the request that last reached its pod, so the count ticks visibly).
pub(super) fn disk(claim: &ClaimView, hit: Option<u64>) -> Element {
    let visits = claim.visits.map_or("no visits yet".to_string(), |n| format!("{n} visits"));
    let volume = if claim.volume.is_empty() { "no volume yet".to_string() } else { format!("on {}", claim.volume) };
    let label =
        format!("PersistentVolumeClaim {}, {} {}, {volume}, {visits}", claim.name, claim.status, claim.capacity);
    el("div")
        .class("disk")
        .testid("claim")
        .attr("data-claim", claim.name.clone())
        .attr("role", "group")
        .attr("aria-label", label)
        .child(el("span").class("mono").text(claim.name.clone()))
        .child(el("span").class("muted").text(format!("{} {}", claim.status, claim.capacity)))
        .maybe((!claim.volume.is_empty()).then(|| {
            el("span")
                .class("muted mono volume")
                .testid("claim-volume")
                .attr("title", format!("PersistentVolume {}", claim.volume))
                .text(format!("PV {}", claim.volume))
        }))
        .child(
            el("span")
                .class("visits")
                .testid("visits")
                .attr("data-key", hit.map_or(String::new(), |id| id.to_string()))
                .text(claim.visits.map_or("no visits yet".to_string(), |n| format!("visits: {n}"))),
        )
}
