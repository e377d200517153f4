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
use crate::session::edit::SpecChange;
use crate::session::view::{ClaimView, ClusterView as Snapshot, PodView, SetView};

/// A pod card's terminal actions: label and the command (`{}` is the pod).
const POD_COMMANDS: [(&str, &str); 3] =
    [("Describe", "kubectl describe pod {}"), ("Logs", "kubectl logs {}"), ("Shell", "kubectl exec -it {} -- sh")];

/// Speeds offered by the clock control: virtual milliseconds per wall second.
const SPEEDS: [(u64, &str); 6] =
    [(250, "0.25×"), (1000, "1×"), (2000, "2×"), (5000, "5×"), (10_000, "10×"), (20_000, "20×")];

#[component]
pub fn ClusterView() -> impl IntoView {
    let engine = expect_context::<Engine>();
    let draw = move || {
        let mut tree = vec![Node::Element(engine.sim.snapshot.with(|view| clock(engine, view)))];
        let selected = engine.page.selected.get();
        let traffic = engine.sim.session.with(|s| s.traffic.as_ref().map(|t| (t.target.clone(), t.per_second)));
        let chosen = engine.page.request_target.get();
        tree.push(Node::Element(el("div").class("cluster-body").nodes(engine.sim.snapshot.with(|view| {
            // The layers the Services' wires and the request dots are drawn in
            // (`draw_wires`, `fly_requests`).
            let mut body = vec![
                Node::Element(el("div").class("wires").attr("aria-hidden", "true").attr("data-own", "")),
                Node::Element(el("div").class("flights").attr("aria-hidden", "true").attr("data-own", "")),
            ];
            body.extend(body_of(view, selected.as_deref()));
            if !view.sets.is_empty() {
                // The traffic controls and lane go under the set's controls.
                let at = (2 + view.sets.len() * 2).min(body.len());
                body.insert(at, Node::Element(traffic_panel(view, chosen.as_deref(), traffic.as_ref())));
            }
            body
        }))));
        tree
    };
    let flown = std::cell::RefCell::new(Vec::new());
    let wired = std::rc::Rc::new(std::cell::RefCell::new(Wired::default()));
    let then = move |root: &web_sys::Element| {
        fly_requests(engine, root, &mut flown.borrow_mut());
        draw_wires(engine, root, wired.clone());
    };
    dom::region_then(
        "region",
        Box::new(draw),
        Box::new(then),
        std::rc::Rc::new(move |act: dom::Act| perform(engine, act)),
    )
}

/// Sends a dot for each request not flown yet (`flown`: their ids) from the
/// traffic controls through its Service's row to the visit count of the pod that
/// answered (a refused request stops short, in red). The three points are
/// measured on the page as it is drawn now and handed to the CSS animation.
fn fly_requests(engine: Engine, root: &web_sys::Element, flown: &mut Vec<u64>) {
    use wasm_bindgen::JsCast;
    let Some(layer) = dom::find(root, ".flights") else { return };
    let Some(body) = layer.parent_element() else { return };
    let requests = engine.sim.snapshot.with(|view| view.requests.clone());
    // Dots of requests no longer listed (older ones, or the scrubber went back) go.
    let children = layer.children();
    for index in (0..children.length()).rev() {
        if let Some(dot) = children.item(index) {
            if !requests.iter().any(|r| dot.get_attribute("data-id") == Some(r.id.to_string())) {
                dot.remove();
            }
        }
    }
    let fresh: Vec<_> = requests.iter().rev().filter(|r| !flown.contains(&r.id)).collect();
    *flown = requests.iter().map(|r| r.id).collect();
    // Nothing new to fly: no measuring (it would force a layout on every tick).
    if fresh.is_empty() {
        return;
    }
    let origin = body.get_bounding_client_rect();
    let center = |rect: web_sys::DomRect| point_in(&body, &origin, &rect, 0.5, 0.5);
    let rect = |selector: &str| dom::find(root, selector).map(|element| element.get_bounding_client_rect());
    let view_height =
        web_sys::window().and_then(|w| w.inner_height().ok()).and_then(|h| h.as_f64()).unwrap_or(f64::MAX);
    // Each place is measured once per draw (a burst of ten goes to few places).
    let mut measured: Vec<(String, Option<(f64, f64)>)> = Vec::new();
    let mut point = |selector: String| {
        if let Some((_, at)) = measured.iter().find(|(known, _)| *known == selector) {
            return *at;
        }
        let at = rect(&selector).map(|card| {
            // A pod card out of view has its contents skipped (content-visibility):
            // its own box will do, measuring inside would lay the card out.
            let inside = (selector.starts_with("[data-pod") && card.bottom() > 0.0 && card.top() < view_height)
                .then(|| rect(&format!("{selector} .visits")))
                .flatten();
            center(inside.unwrap_or(card))
        });
        measured.push((selector, at));
        at
    };
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    // Every dot leaves from the traffic controls.
    let from = point(".traffic select".into());
    for (batch, request) in fresh.into_iter().enumerate() {
        let Some(from) = from else { break };
        let via = request.service.as_ref().and_then(|s| point(format!("[data-service=\"{s}\"]")));
        let to = request.pod.as_ref().and_then(|p| point(format!("[data-pod=\"{p}\"]")));
        let refused = request.status.is_none() || to.is_none();
        let via = via.or(to).unwrap_or(from);
        let to = if refused { via } else { to.unwrap_or(via) };
        let Some(dot) = document.create_element("div").ok().and_then(|d| d.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            return;
        };
        dot.set_class_name(if refused { "flying-dot refused" } else { "flying-dot" });
        let _ = dot.set_attribute("data-id", &request.id.to_string());
        let _ = dot.set_attribute("data-to", request.pod.as_deref().unwrap_or_default());
        // Custom properties through the style object (the CSP forbids style attributes).
        for (name, value) in
            [("--x0", from.0), ("--y0", from.1), ("--x1", via.0), ("--y1", via.1), ("--x2", to.0), ("--y2", to.1)]
        {
            let _ = dot.style().set_property(name, &format!("{}px", value as i64));
        }
        // Requests sent together leave one after another rather than as one dot.
        let _ = dot.style().set_property("animation-delay", &format!("{}ms", batch * 120));
        let _ = layer.append_child(&dot);
    }
}

/// A point of `rect` (`x`, `y`: fractions of its width and height) in the
/// coordinates of the cluster body's own layers (`origin`: the body's rect).
fn point_in(body: &web_sys::Element, origin: &web_sys::DomRect, rect: &web_sys::DomRect, x: f64, y: f64) -> (f64, f64) {
    (
        rect.x() + rect.width() * x - origin.x() + f64::from(body.scroll_left()),
        rect.y() + rect.height() * y - origin.y() + f64::from(body.scroll_top()),
    )
}

/// What the wires were last drawn for, and each wire's place (whole pixels,
/// tenths of a degree), so a redraw touches only the wires that moved.
#[derive(Default)]
struct Wired {
    /// A hash of the endpoints and the body's size; 0 before the first drawing.
    drawn_for: u64,
    places: Vec<(String, [i64; 4])>,
    /// A measuring is already asked for the next frame.
    pending: bool,
}

/// A wire from each Service's row to the card of every ready endpoint (§6.2;
/// a pod that is not ready gets none: it is outside the endpoint set). Measured
/// in the next frame, when the page is laid out anyway, and only when the
/// endpoints or the body's size changed; only the wires that moved are touched.
fn draw_wires(engine: Engine, root: &web_sys::Element, wired: std::rc::Rc<std::cell::RefCell<Wired>>) {
    let Some(layer) = dom::find(root, ".wires") else { return };
    if std::mem::replace(&mut wired.borrow_mut().pending, true) {
        return;
    }
    request_animation_frame(move || {
        wired.borrow_mut().pending = false;
        let Some(body) = layer.parent_element() else { return };
        let origin = body.get_bounding_client_rect();
        // FNV-1a over the endpoints and the size: no allocation on a tick that changed nothing.
        let mut hash: u64 =
            0xcbf2_9ce4_8422_2325 ^ (origin.width() as u64) << 20 ^ u64::from(body.scroll_height().unsigned_abs());
        engine.sim.snapshot.with_untracked(|view| {
            for service in &view.services {
                for text in std::iter::once(&service.name).chain(&service.ready) {
                    for byte in text.bytes().chain([0]) {
                        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
                    }
                }
            }
        });
        if wired.borrow().drawn_for == hash {
            return;
        }
        let rect = |selector: String| {
            body.query_selector(&selector).ok().flatten().map(|element| element.get_bounding_client_rect())
        };
        // From the Service's row (its left end) to the bottom of the pod's card,
        // in whole pixels and tenths of a degree (integer formatting only: float
        // formatting would add ~5 KiB of wasm).
        let places: Vec<(String, [i64; 4])> = engine.sim.snapshot.with_untracked(|view| {
            view.services
                .iter()
                .flat_map(|service| service.ready.iter().map(move |pod| (service, pod)))
                .filter_map(|(service, pod)| {
                    let from =
                        point_in(&body, &origin, &rect(format!("[data-service=\"{}\"]", service.name))?, 0.0, 0.5);
                    let to = point_in(&body, &origin, &rect(format!("[data-pod=\"{pod}\"]"))?, 0.5, 1.0);
                    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
                    let place = [
                        from.0 as i64,
                        from.1 as i64,
                        dx.hypot(dy) as i64,
                        (dy.atan2(dx).to_degrees() * 10.0).round() as i64,
                    ];
                    Some((format!("{} {pod}", service.name), place))
                })
                .collect()
        });
        let mut wired = wired.borrow_mut();
        if !set_wires(&layer, &places, &wired.places) {
            return;
        }
        wired.places = places;
        wired.drawn_for = hash;
    });
}

/// Brings the wires layer in line with `places`, touching only the wires whose
/// place differs from `before`; false if an element could not be made.
fn set_wires(layer: &web_sys::Element, places: &[(String, [i64; 4])], before: &[(String, [i64; 4])]) -> bool {
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return false };
    let children = layer.children();
    while children.length() > places.len() as u32 {
        if let Some(last) = layer.last_element_child() {
            last.remove();
        }
    }
    for (index, (ends, place)) in places.iter().enumerate() {
        let wire = match children.item(index as u32) {
            Some(_) if before.get(index).is_some_and(|(drawn, at)| drawn == ends && at == place) => continue,
            Some(wire) => wire,
            None => match document.create_element("div") {
                Ok(wire) => {
                    wire.set_class_name("wire");
                    let _ = layer.append_child(&wire);
                    wire
                }
                Err(_) => return false,
            },
        };
        let _ = wire.set_attribute("data-ends", ends);
        if let Some(style) = wire.dyn_ref::<web_sys::HtmlElement>().map(web_sys::HtmlElement::style) {
            // Through the style object: the page's CSP forbids style attributes.
            let [x, y, length, tenths] = *place;
            for (name, value) in [
                ("--x", format!("{x}px")),
                ("--y", format!("{y}px")),
                ("--length", format!("{length}px")),
                ("--angle", format!("calc({tenths}deg / 10)")),
            ] {
                let _ = style.set_property(name, &value);
            }
        }
    }
    true
}

/// What a control asked for (`data-act` on `data-arg`; `value` is a select's
/// or input's new value).
fn perform(engine: Engine, act: dom::Act) {
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
fn clock(engine: Engine, view: &Snapshot) -> Element {
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
const RATES: [u32; 5] = [0, 1, 5, 10, 50];

/// Requests from a client outside the cluster: to a Service or one pod, one,
/// ten or a steady stream, and the latest ones travelling client → Service → pod.
fn traffic_panel(view: &Snapshot, chosen: Option<&str>, traffic: Option<&(String, u32)>) -> Element {
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

/// The pane's body for one snapshot.
/// `selected` (`pod/web-0`: an event or the Inspector chose it) is highlighted.
fn body_of(view: &Snapshot, selected: Option<&str>) -> Vec<Node> {
    let mark = |element: Element, object: String| {
        if selected == Some(object.as_str()) {
            element.attr("data-selected", "")
        } else {
            element
        }
    };
    if view.sets.is_empty() && view.pods.is_empty() {
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

fn set_summary(set: &SetView) -> Element {
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
fn choice(label: &'static str, act: &'static str, set: &str, options: &[String], current: &str) -> Element {
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
fn set_controls(set: &SetView) -> Element {
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

/// One pod: its name, STATUS, READY, RESTARTS, IP, revision, its claims as
/// disks, and what can be done to it.
fn pod_card<'a>(pod: &PodView, claims: impl Iterator<Item = &'a ClaimView>, hit: Option<u64>) -> Element {
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
fn probes_title(probes: &str) -> String {
    if probes == "none" {
        "No probes: Ready as soon as its container runs".into()
    } else {
        probes.to_string()
    }
}

/// One of six colours per revision name, so pods of the same revision match
/// at a glance (and two revisions rarely share a colour).
fn revision_colour(revision: &str) -> &'static str {
    const COLOURS: [&str; 6] = ["rev-c0", "rev-c1", "rev-c2", "rev-c3", "rev-c4", "rev-c5"];
    let hash = revision.bytes().fold(0u32, |hash, byte| hash.wrapping_mul(31).wrapping_add(u32::from(byte)));
    COLOURS[hash as usize % COLOURS.len()]
}

/// The files the pod's containers wrote, each tagged with where it lives, so
/// a count kept outside the volume (the /tmp pitfall) shows up as such.
fn files_list(files: &[(String, &'static str)]) -> Element {
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
fn disk(claim: &ClaimView, hit: Option<u64>) -> Element {
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
