//! The clock (play, speed, step, scrubber), the traffic controls, and the set's
//! summary and spec controls; `perform` handles what they send.

use super::*;
use crate::session::edit::SpecChange;
use crate::session::view::{ClusterView as Snapshot, SetView};
use crate::ui::dom::{self, el, Element};
use crate::ui::engine::Engine;

/// What a control asked for (`data-act` on `data-arg`; `value` is a select's
/// or input's new value).
pub(super) fn perform(engine: Engine, act: dom::Act) {
    let dom::Act { event, act, arg, value, .. } = act;
    let spec = |change: SpecChange| engine.change_spec(&arg, change);
    match (event.as_str(), act.as_str()) {
        ("click", "play") => engine.sim.playing.update(|p| *p = !*p),
        ("click", "step") => engine.step(),
        ("click", "continue") => engine.continue_from_here(),
        ("click", "live") => engine.sim.past.set(None),
        ("click", "reset") => engine.reset(),
        ("change", "speed") => {
            if let Ok(speed) = value.parse() {
                engine.sim.speed.set(speed);
            }
        }
        ("input", "scrub") => {
            if let Ok(time) = value.parse() {
                engine.view_at(time);
            }
        }
        ("click", "delete-pod") => engine.delete_pod(&arg),
        ("click", "terminal") => {
            engine.run_in_terminal(&arg);
            // A shell goes on in the terminal: the keyboard goes there too.
            if arg.contains(" -it ") {
                dom::focus_command_line();
            }
        }
        ("click", "inspect") => engine.inspect(arg),
        ("click", "send") => engine.send_requests(&arg, 10),
        ("click", "send-to") => {
            if let Some((count, target)) = arg.split_once(' ').and_then(|(n, target)| Some((n.parse().ok()?, target))) {
                engine.send_requests(target, count);
            }
        }
        ("change", "target") => {
            // Steady traffic follows the new target.
            if let Some(rate) = engine.sim.session.with_untracked(|s| s.traffic.as_ref().map(|t| t.per_second)) {
                engine.set_traffic(&value, rate);
            }
            engine.page.request_target.set(Some(value));
        }
        ("change", "traffic") => {
            if let Ok(rate) = value.parse() {
                engine.set_traffic(&arg, rate);
            }
        }
        ("click", "scale") => {
            if let Some((set, replicas)) = arg.split_once(' ').and_then(|(set, n)| Some((set, n.parse().ok()?))) {
                engine.change_spec(set, SpecChange::Replicas(replicas));
            }
        }
        ("change", "image") => spec(SpecChange::Image(value)),
        ("change", "strategy") => spec(SpecChange::Strategy(value)),
        ("change", "policy") => spec(SpecChange::Policy(value)),
        ("change", "partition") => {
            if let Ok(partition) = value.parse() {
                spec(SpecChange::Partition(partition));
            }
        }
        _ => {}
    }
}

/// The pane's title bar: play/pause, speed, step, the time scrubber over the
/// whole session, the virtual clock, and (when showing the past) the way back.
pub(super) fn clock(engine: Engine, view: &Snapshot) -> Element {
    let playing = engine.sim.playing.get();
    let speed = engine.sim.speed.get().to_string();
    let live_now = engine.sim.session.with(|s| s.now());
    let past = engine.sim.past.with(Option::is_some);
    let button =
        |act: &'static str, text: &'static str| el("button").class("ghost small").testid(act).act(act, "").text(text);
    el("header")
        .class("pane-title")
        .child(el("h2").text("Cluster"))
        .child(
            el("div")
                .class("clock")
                .testid("clock")
                .child(el("button").class("ghost").testid("play-pause").act("play", "").text(if playing {
                    "Pause"
                } else {
                    "Play"
                }))
                .child(
                    el("select")
                        .testid("speed")
                        .attr("aria-label", "Simulation speed")
                        .act("speed", "")
                        .children(
                            SPEEDS
                                .iter()
                                .map(|(value, label)| el("option").attr("value", value.to_string()).text(*label)),
                        )
                        .attr(".value", speed),
                )
                .child(button("step", "Step").attr("title", "Jump to the next thing due to happen"))
                .child(
                    el("input")
                        .attr("type", "range")
                        .class("scrubber")
                        .testid("scrubber")
                        .act("scrub", "")
                        .attr("aria-label", "Cluster time: drag back to see an earlier moment")
                        .attr("min", "0")
                        .attr("step", "100")
                        .attr("max", live_now.to_string())
                        .attr(".value", view.now.to_string()),
                )
                .child(el("time").class("clock-time").testid("clock-time").text(view.clock.clone()))
                .maybe(past.then(|| {
                    el("button")
                        .class("small")
                        .testid("continue-here")
                        .act("continue", "")
                        .attr("title", "Make this moment the present: what came after is discarded")
                        .text("Continue from here")
                }))
                .maybe(past.then(|| {
                    el("button").class("ghost small").testid("back-to-live").act("live", "").text("Back to live")
                }))
                .child(button("reset", "Reset").attr("title", "Start over with an empty cluster")),
        )
        .child(el("span").class("node-chip").text("node: minikube"))
}

/// Steady traffic rates offered, per virtual second (0 = off).
pub(super) const RATES: [u32; 5] = [0, 1, 5, 10, 50];

/// Requests from a client outside the cluster: to a Service or one pod, one,
/// ten or a steady stream, and the latest ones travelling client → Service → pod.
pub(super) fn traffic_panel(view: &Snapshot, chosen: Option<&str>, traffic: Option<&(String, u32)>) -> Element {
    let services =
        view.services.iter().filter(|s| !s.ports.is_empty() && s.name != "kubernetes").map(|s| s.name.clone());
    let targets: Vec<String> = services.chain(view.pods.iter().map(|p| format!("pod/{}", p.name))).collect();
    let target = traffic
        .map(|(t, _)| t.as_str())
        .or(chosen)
        .or(targets.first().map(String::as_str))
        .unwrap_or_default()
        .to_string();
    let rate = traffic.map_or(0, |(_, rate)| *rate);
    let target_choice = el("select")
        .testid("request-target")
        .attr("aria-label", "Send requests to")
        .act("target", "")
        .children(
            targets
                .iter()
                .map(|t| el("option").attr("value", t.clone()).flag("selected", *t == target).text(t.clone())),
        )
        .attr(".value", target.clone());
    let send = |count: u32| {
        el("button")
            .class("small")
            .testid(if count == 1 { "send-1" } else { "send-10" })
            .act("send-to", format!("{count} {target}"))
            .text(format!("Send {count}"))
    };
    let steady = el("select")
        .testid("traffic-rate")
        .attr("aria-label", "Steady traffic")
        .act("traffic", target.clone())
        .children(RATES.iter().map(|r| {
            el("option").attr("value", r.to_string()).flag("selected", *r == rate).text(if *r == 0 {
                "steady: off".to_string()
            } else {
                format!("steady: {r}/s")
            })
        }))
        .attr(".value", rate.to_string());
    let lane = view.requests.iter().map(|request| {
        let via = request.service.as_ref().map(|s| format!(" → service/{s}")).unwrap_or_default();
        let (class, text) = match (&request.pod, request.status) {
            (Some(pod), Some(status)) => ("request", format!("client{via} → {pod}: {status}")),
            _ => ("request refused", format!("client{via} ✗ {}", request.failure.as_deref().unwrap_or("no answer"))),
        };
        el("li")
            .class(class)
            .attr("data-key", request.id.to_string())
            .child(el("span").class("dot").attr("aria-hidden", "true"))
            .text(text)
    });
    el("div")
        .class("traffic")
        .attr("role", "group")
        .attr("aria-label", "Requests from a client outside the cluster")
        .child(el("span").class("control").text("requests to").child(target_choice))
        .child(send(1))
        .child(send(10))
        .child(steady)
        .child(
            el("ol")
                .class("requests")
                .testid("requests")
                .attr("aria-label", "Latest requests, newest first")
                .children(lane),
        )
}

pub(super) fn set_summary(set: &SetView) -> Element {
    let revisions = if set.current_revision == set.update_revision {
        set.update_revision.clone()
    } else {
        format!("{} → {}", set.current_revision, set.update_revision)
    };
    el("div")
        .class("set-summary")
        .testid("statefulset")
        .child(el("strong").text(format!("statefulset/{}", set.name)))
        .child(el("span").class("badge").text(format!("READY {}", set.ready)))
        .child(el("span").class("muted").text(set.policy.clone()))
        .child(el("span").class("muted").text(set.strategy.clone()))
        .child(el("span").class("muted mono").attr("title", "current revision → update revision").text(revisions))
}

/// A `<select>` of `options` showing `current`, acting `act` on the set.
pub(super) fn choice(label: &'static str, act: &'static str, set: &str, options: &[String], current: &str) -> Element {
    el("label").class("control").text(label).child(
        el("select")
            .testid(act)
            .act(act, set)
            .children(
                options.iter().map(|option| el("option").flag("selected", option == current).text(option.clone())),
            )
            .attr(".value", current),
    )
}

/// Controls that change the set's spec: each edits the YAML in the editor and
/// applies it (session::edit), so the text and the cluster never disagree.
pub(super) fn set_controls(set: &SetView) -> Element {
    let name = set.name.as_str();
    let replicas = set.replicas;
    let strategy = if set.partition.is_some() { "RollingUpdate" } else { "OnDelete" };
    el("div")
        .class("set-controls")
        .attr("role", "group")
        .attr("aria-label", format!("Change statefulset/{name} (edits the manifest and applies it)"))
        .child(
            el("span")
                .class("control")
                .text("replicas")
                .child(
                    el("button")
                        .class("small")
                        .testid("scale-down")
                        .attr("aria-label", "Scale down by one")
                        .flag("disabled", replicas == 0)
                        .act("scale", format!("{name} {}", replicas - 1))
                        .text("−"),
                )
                .child(el("span").class("mono").testid("replicas").text(replicas.to_string()))
                .child(
                    el("button")
                        .class("small")
                        .testid("scale-up")
                        .attr("aria-label", "Scale up by one")
                        .act("scale", format!("{name} {}", replicas + 1))
                        .text("+"),
                ),
        )
        .child(choice("image", "image", name, &set.image_choices, &set.image))
        .child(choice("strategy", "strategy", name, &["RollingUpdate".into(), "OnDelete".into()], strategy))
        .maybe(set.partition.map(|partition| {
            // A slider over the ordinals: dragging it applies on release (change).
            el("label")
                .class("control")
                .attr("title", "Pods with an ordinal at or above the partition get the new revision")
                .text("partition")
                .child(
                    el("input")
                        .attr("type", "range")
                        .attr("min", "0")
                        .attr("max", replicas.max(partition).to_string())
                        .attr("step", "1")
                        .testid("partition")
                        .attr("aria-valuetext", format!("partition {partition}"))
                        .act("partition", name)
                        .attr(".value", partition.to_string()),
                )
                .child(el("output").class("mono").testid("partition-value").text(partition.to_string()))
        }))
        .child(
            choice("pods", "policy", name, &["OrderedReady".into(), "Parallel".into()], &set.policy)
                .attr("title", "Immutable: the API server refuses to change it"),
        )
}
