//! The cluster view: the StatefulSet with its spec controls, a card per pod
//! with its claim, the Services with their ready endpoints, the DNS names, and
//! the clock with its time scrubber. Drawn only from the engine snapshot.
//!
//! The body is built as plain data and patched into the page by `ui::dom`
//! (see there why); its buttons and selects carry `data-act`/`data-arg` and
//! one listener per event kind sends the action to the engine.

use leptos::prelude::*;

use super::dom::{self, el, Element, Node};
use super::engine::Engine;
use crate::core::edit::SpecChange;
use crate::core::view::{ClaimView, ClusterView as Snapshot, PodView, SetView};

/// A pod card's terminal actions: label and the command (`{}` is the pod).
const POD_COMMANDS: [(&str, &str); 3] = [("Describe", "kubectl describe pod {}"), ("Logs", "kubectl logs {}"), ("Shell", "kubectl exec -it {} -- sh")];

/// Speeds offered by the clock control: virtual milliseconds per wall second.
const SPEEDS: [(u64, &str); 6] = [(250, "0.25×"), (1000, "1×"), (2000, "2×"), (5000, "5×"), (10_000, "10×"), (20_000, "20×")];

#[component]
pub fn ClusterView() -> impl IntoView {
    let engine = expect_context::<Engine>();
    let body = NodeRef::<leptos::html::Div>::new();
    Effect::new(move || {
        let tree = engine.snapshot.with(body_of);
        if let Some(body) = body.get() {
            dom::patch(&body, &tree);
        }
    });
    let act = move |event: web_sys::Event| {
        if let Some((act, arg, value)) = dom::action_of(&event) {
            perform(engine, event.type_().as_str(), &act, &arg, &value);
        }
    };
    view! {
        <header class="pane-title">
            <h2>"Cluster"</h2>
            <Clock />
            <span class="node-chip">"node: minikube"</span>
        </header>
        <div class="cluster-body" node_ref=body
            on:click=move |ev| act(ev.into()) on:change=move |ev| act(ev)></div>
    }
}

/// What a control in the body asked for (`data-act` on `data-arg`; `value`
/// is a select's or input's new value).
fn perform(engine: Engine, event: &str, act: &str, arg: &str, value: &str) {
    let spec = |change: SpecChange| engine.change_spec(arg, change);
    match (event, act) {
        ("click", "delete-pod") => engine.delete_pod(arg),
        ("click", "terminal") => engine.run_in_terminal(arg),
        ("click", "inspect") => engine.inspect(arg.to_string()),
        ("click", "send") => engine.send_requests(arg, 10),
        ("click", "scale") => {
            if let Some((set, replicas)) = arg.split_once(' ').and_then(|(set, n)| Some((set, n.parse().ok()?))) {
                engine.change_spec(set, SpecChange::Replicas(replicas));
            }
        }
        ("change", "image") => spec(SpecChange::Image(value.to_string())),
        ("change", "strategy") => spec(SpecChange::Strategy(value.to_string())),
        ("change", "policy") => spec(SpecChange::Policy(value.to_string())),
        ("change", "partition") => {
            if let Ok(partition) = value.parse() {
                spec(SpecChange::Partition(partition));
            }
        }
        _ => {}
    }
}

/// Play/pause, speed, step, the virtual clock and the time scrubber.
#[component]
fn Clock() -> impl IntoView {
    let engine = expect_context::<Engine>();
    let live_now = Memo::new(move |_| engine.session.with(|s| s.now()));
    let past = Memo::new(move |_| engine.past.with(Option::is_some));
    view! {
        <div class="clock" data-testid="clock">
            <button class="ghost" data-testid="play-pause" on:click=move |_| engine.playing.update(|p| *p = !*p)>
                {move || if engine.playing.get() { "Pause" } else { "Play" }}
            </button>
            <select data-testid="speed" aria-label="Simulation speed"
                on:change:target=move |ev| {
                    if let Ok(speed) = ev.target().value().parse::<u64>() { engine.speed.set(speed) }
                }>
                {SPEEDS.iter().map(|(speed, label)| view! {
                    <option value=speed.to_string() selected=*speed == 1000>{*label}</option>
                }).collect_view()}
            </select>
            <button class="ghost small" data-testid="step" title="Jump to the next thing due to happen" on:click=move |_| engine.step()>"Step"</button>
            <input type="range" class="scrubber" data-testid="scrubber" aria-label="Cluster time: drag back to see an earlier moment"
                min="0" step="100" prop:max=move || live_now.get() prop:value=move || engine.snapshot.with(|v| v.now)
                on:input:target=move |ev| {
                    if let Ok(time) = ev.target().value().parse::<u64>() { engine.view_at(time) }
                } />
            <time class="clock-time" data-testid="clock-time">{move || engine.snapshot.with(|v| v.clock.clone())}</time>
            {move || past.get().then(|| view! {
                <button class="small" data-testid="continue-here" title="Make this moment the present: what came after is discarded" on:click=move |_| engine.continue_from_here()>"Continue from here"</button>
                <button class="ghost small" data-testid="back-to-live" on:click=move |_| engine.past.set(None)>"Back to live"</button>
            })}
            <button class="ghost small" data-testid="reset" title="Start over with an empty cluster" on:click=move |_| engine.reset()>"Reset"</button>
        </div>
    }
}

/// The whole body for one snapshot.
fn body_of(view: &Snapshot) -> Vec<Node> {
    if view.sets.is_empty() && view.pods.is_empty() {
        return vec![Node::Element(
            el("div").class("empty-state")
                .child(el("p").text("Pods, PersistentVolumeClaims, Services and DNS names of the simulated cluster are drawn here."))
                .child(el("p").class("hint").text("Press Apply (Ctrl+Enter) to run the manifest on the left: a headless Service and a 3-replica StatefulSet with one claim per pod.")),
        )];
    }
    let mut body = Vec::new();
    for set in &view.sets {
        body.push(set_summary(set));
        body.push(set_controls(set));
    }
    let pods = view.pods.iter().flat_map(|pod| {
        let claims = view.claims.iter().filter(|c| pod.claims.contains(&c.name));
        let edge = pod.partition_edge.map(|partition| {
            el("div").class("partition-edge").testid("partition-edge").attr("role", "separator").text(format!("partition {partition}: from here up, the update revision"))
        });
        edge.into_iter().chain(std::iter::once(pod_card(pod, claims)))
    });
    body.push(el("div").class("pods").testid("pods").children(pods));
    let detached: Vec<&ClaimView> = view.claims.iter().filter(|c| c.pod.is_none()).collect();
    if !detached.is_empty() {
        body.push(el("h3").class("section").text("Claims without a pod"));
        body.push(el("div").class("detached").children(detached.into_iter().map(disk)));
    }
    body.push(el("h3").class("section").text("Services"));
    body.push(el("ul").class("services").children(view.services.iter().map(|service| {
        let can_send = !service.ports.is_empty() && service.name != "kubernetes";
        let ready = if service.ready.is_empty() { "none".to_string() } else { service.ready.join(", ") };
        el("li").testid("service")
            .child(el("span").class("mono").text(format!("service/{}", service.name)))
            .child(el("span").class("muted mono").text(service.cluster_ip.clone()))
            .child(el("span").class("muted").text(format!("ready: {ready}")))
            .maybe(can_send.then(|| el("button").class("small").testid("send-requests").act("send", service.name.clone()).text("Send 10 requests")))
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

fn set_summary(set: &SetView) -> Element {
    let revisions = if set.current_revision == set.update_revision { set.update_revision.clone() } else { format!("{} → {}", set.current_revision, set.update_revision) };
    el("div").class("set-summary").testid("statefulset")
        .child(el("strong").text(format!("statefulset/{}", set.name)))
        .child(el("span").class("badge").text(format!("READY {}", set.ready)))
        .child(el("span").class("muted").text(set.policy.clone()))
        .child(el("span").class("muted").text(set.strategy.clone()))
        .child(el("span").class("muted mono").attr("title", "current revision → update revision").text(revisions))
}

/// A `<select>` of `options` showing `current`, acting `act` on the set.
fn choice(label: &'static str, act: &'static str, set: &str, options: &[String], current: &str) -> Element {
    el("label").class("control").text(label).child(
        el("select").testid(act).act(act, set)
            .children(options.iter().map(|option| el("option").flag("selected", option == current).text(option.clone())))
            .attr(".value", current),
    )
}

/// Controls that change the set's spec: each edits the YAML in the editor and
/// applies it (core::edit), so the text and the cluster never disagree.
fn set_controls(set: &SetView) -> Element {
    let name = set.name.as_str();
    let replicas = set.replicas;
    let strategy = if set.partition.is_some() { "RollingUpdate" } else { "OnDelete" };
    el("div").class("set-controls").attr("role", "group").attr("aria-label", format!("Change statefulset/{name} (edits the manifest and applies it)"))
        .child(
            el("span").class("control").text("replicas")
                .child(el("button").class("small").testid("scale-down").attr("aria-label", "Scale down by one").flag("disabled", replicas == 0).act("scale", format!("{name} {}", replicas - 1)).text("−"))
                .child(el("span").class("mono").testid("replicas").text(replicas.to_string()))
                .child(el("button").class("small").testid("scale-up").attr("aria-label", "Scale up by one").act("scale", format!("{name} {}", replicas + 1)).text("+")),
        )
        .child(choice("image", "image", name, &set.image_choices, &set.image))
        .child(choice("strategy", "strategy", name, &["RollingUpdate".into(), "OnDelete".into()], strategy))
        .maybe(set.partition.map(|partition| {
            el("label").class("control").attr("title", "Pods with an ordinal at or above the partition get the new revision").text("partition").child(
                el("input").attr("type", "number").attr("min", "0").attr("max", replicas.to_string()).testid("partition").act("partition", name).attr(".value", partition.to_string()),
            )
        }))
        .child(choice("pods", "policy", name, &["OrderedReady".into(), "Parallel".into()], &set.policy).attr("title", "Immutable: the API server refuses to change it"))
}

/// One pod: its name, STATUS, READY, RESTARTS, IP, revision, its claims as
/// disks, and what can be done to it.
fn pod_card<'a>(pod: &PodView, claims: impl Iterator<Item = &'a ClaimView>) -> Element {
    let label = format!("Pod {}, {}, READY {}, {} restarts, IP {}, revision {}", pod.name, pod.status, pod.ready, pod.restarts, pod.ip, pod.revision);
    let row = |term: &str, value: &str| [el("dt").text(term), el("dd").text(value)];
    el("article").class(format!("pod {}", pod.phase_class)).attr("aria-label", label).testid("pod").attr("data-pod", pod.name.clone())
        .child(el("header").child(el("strong").class("mono").text(pod.name.clone())).child(el("span").class("status").testid("pod-status").text(pod.status.clone())))
        .child(
            el("dl").children(row("READY", &pod.ready)).children(row("RESTARTS", &pod.restarts))
                .child(el("dt").text("IP")).child(el("dd").class("mono").testid("pod-ip").text(pod.ip.clone()))
                .child(el("dt").text("REVISION")).child(el("dd").class(if pod.updated { "mono rev-new" } else { "mono rev-old" }).text(pod.revision.clone())),
        )
        .children(claims.map(disk))
        .child(
            el("div").class("pod-actions")
                .child(el("button").class("ghost small").attr("aria-label", format!("Delete pod {}", pod.name)).act("delete-pod", pod.name.clone()).text("Delete pod"))
                .children(POD_COMMANDS.iter().map(|(label, command)| {
                    let command = command.replace("{}", &pod.name);
                    el("button").class("ghost small").attr("title", command.clone()).act("terminal", command).text(*label)
                }))
                .child(el("button").class("ghost small").act("inspect", format!("pod/{}", pod.name)).text("Inspect")),
        )
}

/// A claim drawn as a disk, with the visit count stored on its volume.
fn disk(claim: &ClaimView) -> Element {
    el("div").class("disk").testid("claim").attr("data-claim", claim.name.clone())
        .child(el("span").class("mono").text(claim.name.clone()))
        .child(el("span").class("muted").text(format!("{} {}", claim.status, claim.capacity)))
        .child(el("span").class("visits").testid("visits").text(claim.visits.map_or("no visits yet".to_string(), |n| format!("visits: {n}"))))
}
